-- Training: decisions on nominations with their reason, moves between cohorts, a cohort's
-- teachers, and its sessions with an attendance register. Keep in step with ../postgres.
ALTER TABLE training_nominations ADD COLUMN reason TEXT;
ALTER TABLE training_nominations ADD COLUMN moved_to BIGINT;
ALTER TABLE training_cohorts ADD COLUMN teachers TEXT NOT NULL DEFAULT '';

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES training_cohorts(id),
    day TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX training_sessions_cohort ON training_sessions (cohort_id, day);

-- One row per participant and session: present or not, as last marked.
CREATE TABLE training_attendance (
    session_id INTEGER NOT NULL REFERENCES training_sessions(id),
    nomination_id INTEGER NOT NULL REFERENCES training_nominations(id),
    present INTEGER NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (session_id, nomination_id)
);
