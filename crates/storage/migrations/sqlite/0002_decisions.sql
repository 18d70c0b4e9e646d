-- Sessions, their decisions, assignments and their workflow, notifications (SQLite).
-- Keep in step with ../postgres. Dates are YYYY-MM-DD text, times RFC 3339 UTC text.
CREATE TABLE assembly_sessions (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    held_on TEXT,
    place TEXT NOT NULL
);

CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES assembly_sessions(id),
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    source_text TEXT NOT NULL,
    controller_body_id TEXT REFERENCES bodies(id),
    controller_name TEXT,
    published INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX decisions_session ON decisions (session_id);

CREATE TABLE decision_items (
    decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    depth INTEGER NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (decision_id, position)
);

CREATE TABLE decision_appendices (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    link TEXT,
    file_id INTEGER REFERENCES files(id)
);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    item TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    task TEXT NOT NULL,
    lead_body_id TEXT REFERENCES bodies(id),
    lead_name TEXT,
    controller_body_id TEXT REFERENCES bodies(id),
    deadline TEXT,
    deadline_text TEXT,
    recurrence TEXT,
    state TEXT NOT NULL,
    progress INTEGER NOT NULL,
    extension_until TEXT,
    extension_reason TEXT,
    previous_id INTEGER REFERENCES assignments(id),
    flags TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX assignments_decision ON assignments (decision_id, position);
CREATE INDEX assignments_state_deadline ON assignments (state, deadline);
CREATE INDEX assignments_lead ON assignments (lead_body_id);

CREATE TABLE assignment_co_executors (
    assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    body_id TEXT REFERENCES bodies(id),
    name TEXT NOT NULL,
    PRIMARY KEY (assignment_id, position)
);
CREATE INDEX assignment_co_executors_body ON assignment_co_executors (body_id);

CREATE TABLE assignment_events (
    id INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    at TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id),
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    state_after TEXT NOT NULL,
    deadline_after TEXT,
    progress_after INTEGER NOT NULL
);
CREATE INDEX assignment_events_assignment ON assignment_events (assignment_id, id);

CREATE TABLE event_files (
    event_id INTEGER NOT NULL REFERENCES assignment_events(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (event_id, file_id)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    assignment_id INTEGER REFERENCES assignments(id),
    text TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_person ON notifications (person_id, id);

-- E-mail waits here until the mail server takes it, so nothing is lost while it is down.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at);

-- One reminder of each kind per assignment and deadline, however often the scheduler runs.
CREATE TABLE reminders_sent (
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    kind TEXT NOT NULL,
    deadline TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (assignment_id, kind, deadline)
);
