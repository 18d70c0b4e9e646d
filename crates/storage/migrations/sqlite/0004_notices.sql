-- Notices about any subject (an assignment today; an entry, a campaign, an event tomorrow), each
-- with its title and link, delivered in the person's own language. They replace notifications
-- and mail_outbox, which knew only assignments; every row is carried over. Keep in step with
-- ../postgres.
ALTER TABLE people ADD COLUMN language TEXT NOT NULL DEFAULT 'ru';

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notices_person ON notices (person_id, id);
CREATE INDEX notices_subject ON notices (subject_kind, subject_id);
INSERT INTO notices (id, person_id, at, subject_kind, subject_id, kind, title, text, link, read_at)
SELECT n.id, n.person_id, n.at,
       CASE WHEN n.assignment_id IS NULL THEN '' ELSE 'assignment' END,
       COALESCE(CAST(n.assignment_id AS TEXT), ''),
       n.kind, COALESCE(a.task, ''), n.text,
       CASE WHEN n.assignment_id IS NULL THEN '' ELSE '/assignments/' || CAST(n.assignment_id AS TEXT) END,
       n.read_at
FROM notifications n LEFT JOIN assignments a ON a.id = n.assignment_id;

-- E-mail waits here until the mail server takes it, so nothing is lost while it is down.
CREATE TABLE notice_outbox (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX notice_outbox_pending ON notice_outbox (sent_at, next_attempt_at);
INSERT INTO notice_outbox (id, notice_id, to_address, created_at, attempts, next_attempt_at, last_error, sent_at)
SELECT id, notification_id, to_address, created_at, attempts, next_attempt_at, last_error, sent_at FROM mail_outbox;

DROP TABLE mail_outbox;
DROP TABLE notifications;
