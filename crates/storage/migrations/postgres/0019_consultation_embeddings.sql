-- The sentence embedding of each submission, from the configured embeddings endpoint: derived
-- data, computed once per text by the consultation-embeddings job. text_sha256 is the hash of
-- the text it was computed from, so an edited text is embedded again.
-- Keep in step with ../sqlite.
CREATE TABLE consultation_embeddings (
    submission_id INTEGER NOT NULL PRIMARY KEY REFERENCES consultation_submissions(id),
    model TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    -- little-endian f32 components
    vector BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
