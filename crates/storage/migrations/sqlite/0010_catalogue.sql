-- The catalogue of solutions (SQLite). Keep in step with ../postgres. Lists (technologies,
-- hardware) are JSON arrays of strings; times are RFC 3339 UTC text.
CREATE TABLE catalogue_nominations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE catalogue_solutions (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_ru TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    city TEXT REFERENCES cities(code),
    nomination_id INTEGER NOT NULL REFERENCES catalogue_nominations(id),
    year INTEGER NOT NULL,
    technologies TEXT NOT NULL,
    hardware TEXT NOT NULL,
    licence TEXT NOT NULL,
    url TEXT NOT NULL,
    published INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX catalogue_solutions_published ON catalogue_solutions (published, id);
