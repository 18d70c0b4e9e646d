-- The organisation, accounts and the audit log (SQLite). Keep in step with ../postgres.
CREATE TABLE association (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    short_ru TEXT NOT NULL,
    short_en TEXT NOT NULL
);

CREATE TABLE cities (
    code TEXT PRIMARY KEY,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    country_code TEXT NOT NULL,
    country_ru TEXT NOT NULL,
    country_en TEXT NOT NULL,
    population INTEGER,
    status TEXT NOT NULL,
    member_since TEXT,
    latitude REAL,
    longitude REAL
);

CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    short_ru TEXT NOT NULL,
    short_en TEXT NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    city TEXT REFERENCES cities(code),
    password_hash TEXT,
    active INTEGER NOT NULL
);

CREATE TABLE memberships (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    position TEXT NOT NULL,
    PRIMARY KEY (person_id, body_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Set to 1 only inside `megapolis restore`'s transaction, which replaces the whole log.
CREATE TABLE maintenance (id INTEGER PRIMARY KEY CHECK (id = 1), restoring INTEGER NOT NULL);
INSERT INTO maintenance (id, restoring) VALUES (1, 0);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN (SELECT restoring FROM maintenance WHERE id = 1) = 0
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
