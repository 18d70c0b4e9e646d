-- Consultations: proposals and critical remarks sent by cities and participants (sqlite). Keep in
-- step with the other backend's folder. Times are RFC 3339 UTC text, dates YYYY-MM-DD; topics a
-- JSON array of text. Nothing is deleted: a submission keeps its author and city.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    opens_on TEXT,
    closes_on TEXT,
    topics TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE consultation_submissions (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    author_id INTEGER NOT NULL REFERENCES people(id),
    city_code TEXT REFERENCES cities(code),
    lang TEXT NOT NULL CHECK (lang IN ('ru', 'en')),
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'remark')),
    topic TEXT,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX consultation_submissions_by_consultation ON consultation_submissions (consultation_id, id);
