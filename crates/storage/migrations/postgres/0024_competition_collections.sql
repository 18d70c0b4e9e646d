-- The typeset collection («сборник») of a competition's published results (postgres). Keep in
-- step with ../sqlite. One stored PDF per competition and language, made by a background job;
-- making it again replaces the row (the audit log keeps each making).
CREATE TABLE competition_collections (
    competition_id BIGINT NOT NULL REFERENCES competitions(id),
    lang TEXT NOT NULL,
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (competition_id, lang)
);
