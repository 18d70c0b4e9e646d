-- The typeset collection («сборник») of a competition's published results (sqlite). Keep in
-- step with ../postgres. One stored PDF per competition and language, made by a background job;
-- making it again replaces the row (the audit log keeps each making).
CREATE TABLE competition_collections (
    competition_id INTEGER NOT NULL REFERENCES competitions(id),
    lang TEXT NOT NULL,
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (competition_id, lang)
);
