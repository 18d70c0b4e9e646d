-- The plan of main events (sqlite). Keep in step with ../postgres. Proposals carry their dates as
-- YYYY-MM-DD (a month or a quarter stored as its whole period); co-organisers and a plan
-- version's proposals are JSON arrays; times are RFC 3339 UTC text.
CREATE TABLE event_proposals (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_ru TEXT NOT NULL,
    description_en TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    city_code TEXT NOT NULL REFERENCES cities(code),
    venue TEXT NOT NULL,
    organiser TEXT NOT NULL,
    co_organisers TEXT NOT NULL,
    expected_participants INTEGER,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposer_id INTEGER NOT NULL REFERENCES people(id),
    -- Grows on each change after acceptance, for the calendar feed's SEQUENCE.
    sequence INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX event_proposals_year ON event_proposals (year, state);

CREATE TABLE event_plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    proposals TEXT NOT NULL,
    remarks TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    UNIQUE (year, version)
);
