-- Reminders of any subject with a deadline (sqlite): an assignment (`assignment`, its id) or an
-- invited city of a monitoring campaign (`campaign-city`, `<campaign>/<city>`). One reminder of
-- each kind per subject and deadline, however often the scheduler runs. Keep in step with
-- ../postgres. The assignments' rows of 0002 are kept, through a copy.
CREATE TABLE reminders_sent_copy (
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    deadline TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
INSERT INTO reminders_sent_copy (subject_kind, subject_id, kind, deadline, sent_at)
    SELECT 'assignment', CAST(assignment_id AS TEXT), kind, deadline, sent_at FROM reminders_sent;
DROP TABLE reminders_sent;

CREATE TABLE reminders_sent (
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    deadline TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, kind, deadline)
);
INSERT INTO reminders_sent (subject_kind, subject_id, kind, deadline, sent_at)
    SELECT subject_kind, subject_id, kind, deadline, sent_at FROM reminders_sent_copy;
DROP TABLE reminders_sent_copy;
