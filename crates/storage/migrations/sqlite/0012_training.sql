-- Training of city staff (sqlite). Keep in step with ../postgres. Dates are ISO text (YYYY-MM-DD),
-- moments RFC 3339 UTC text, shares f64.
CREATE TABLE training_programmes (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description TEXT NOT NULL,
    partner TEXT NOT NULL,
    hours INTEGER NOT NULL,
    format TEXT NOT NULL,
    -- Retraining due after so many years; NULL: certificates do not expire.
    validity_years INTEGER,
    -- The completion rule: the least share of sessions attended (with a passed assessment).
    min_attendance REAL NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE training_cohorts (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES training_programmes(id),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    place TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    applications_open TEXT NOT NULL,
    applications_close TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE training_quotas (
    cohort_id INTEGER NOT NULL REFERENCES training_cohorts(id),
    city TEXT NOT NULL REFERENCES cities(code),
    places INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, city)
);

-- state: nominated | completed | failed.
CREATE TABLE training_nominations (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES training_cohorts(id),
    city TEXT NOT NULL REFERENCES cities(code),
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    department TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    attendance REAL,
    assessment_passed INTEGER,
    nominated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (cohort_id, email)
);
CREATE INDEX training_nominations_city ON training_nominations (cohort_id, city);

-- The signed credential is kept as issued (JSON text): its proof is checked on every reading.
CREATE TABLE training_certificates (
    code TEXT PRIMARY KEY,
    nomination_id INTEGER NOT NULL UNIQUE REFERENCES training_nominations(id),
    credential TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    valid_until TEXT,
    revoked_at TEXT,
    revoked_reason TEXT
);

-- The association's Ed25519 key (its 32-byte seed, hex), created at first start unless
-- MEGAPOLIS_ISSUER_KEY names one. One row.
CREATE TABLE training_issuer_key (
    id INTEGER PRIMARY KEY,
    seed_hex TEXT NOT NULL,
    created_at TEXT NOT NULL
);
