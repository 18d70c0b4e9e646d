-- Monitoring: editions of the methodology (iMeta, build.toml, verified iData as sent) and the
-- result of each computed edition (SQLite). Keep in step with ../postgres. Times are RFC 3339
-- UTC text; the ranking is JSON text whose numbers read back to the same bits.
CREATE TABLE monitoring_editions (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    meta TEXT NOT NULL,
    spec TEXT NOT NULL,
    data TEXT,
    state TEXT NOT NULL CHECK (state IN ('draft', 'computed', 'published')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    published_at TEXT
);

CREATE TABLE monitoring_results (
    edition_id INTEGER PRIMARY KEY REFERENCES monitoring_editions(id),
    pin TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    ranking TEXT NOT NULL
);
