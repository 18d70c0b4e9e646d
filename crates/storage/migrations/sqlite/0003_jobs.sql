-- Background jobs: work that outlives a request, run by workers that hold a lease on it
-- (SQLite). Keep in step with ../postgres. Times are RFC 3339 UTC text with six fractional
-- digits, so they compare as text; payload and result are JSON text; progress is a percentage.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_after TEXT NOT NULL,
    lease_until TEXT,
    worker TEXT,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
-- What a worker's claim looks for: queued jobs that are due, running ones whose lease ran out.
CREATE INDEX jobs_claim ON jobs (state, kind, run_after);
