-- Competitions of solutions: the call, its nominations and criteria, the experts of each
-- nomination, the entries, the experts' declarations of conflicts (and the chair's waivers) and
-- their scores. Lists are JSON arrays; dates YYYY-MM-DD; times RFC 3339 UTC text.
-- Keep in step with ../postgres.
CREATE TABLE competitions (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    year INTEGER NOT NULL,
    stage TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    submission_deadline TEXT NOT NULL,
    evaluation_deadline TEXT NOT NULL,
    results_on TEXT NOT NULL,
    jury_body TEXT NOT NULL REFERENCES bodies(id),
    decision TEXT,
    decided_by TEXT,
    decided_at TEXT,
    published_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE competition_nominations (
    id INTEGER PRIMARY KEY,
    competition_id INTEGER NOT NULL REFERENCES competitions(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (competition_id, name)
);

CREATE TABLE competition_criteria (
    id INTEGER PRIMARY KEY,
    competition_id INTEGER NOT NULL REFERENCES competitions(id),
    position INTEGER NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    weight REAL NOT NULL,
    anchors_ru TEXT NOT NULL,
    anchors_en TEXT NOT NULL
);

CREATE TABLE competition_experts (
    nomination_id INTEGER NOT NULL REFERENCES competition_nominations(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (nomination_id, person_id)
);

CREATE TABLE competition_entries (
    id INTEGER PRIMARY KEY,
    competition_id INTEGER NOT NULL REFERENCES competitions(id),
    nomination_id INTEGER NOT NULL REFERENCES competition_nominations(id),
    city TEXT NOT NULL REFERENCES cities(code),
    author_id INTEGER NOT NULL REFERENCES people(id),
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_ru TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    problem TEXT NOT NULL,
    results TEXT NOT NULL,
    technologies TEXT NOT NULL,
    hardware TEXT NOT NULL,
    licence TEXT NOT NULL,
    url TEXT NOT NULL,
    contacts TEXT NOT NULL,
    used_by TEXT NOT NULL,
    state TEXT NOT NULL,
    screening_reason TEXT,
    award TEXT,
    solution_id INTEGER REFERENCES catalogue_solutions(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competition_entries_competition ON competition_entries (competition_id, nomination_id);

-- One row per expert and entry: conflict NULL until the expert declares (a waiver may come
-- first), true with a reason when they declared one.
CREATE TABLE competition_declarations (
    entry_id INTEGER NOT NULL REFERENCES competition_entries(id),
    expert_id INTEGER NOT NULL REFERENCES people(id),
    conflict INTEGER,
    reason TEXT,
    declared_at TEXT,
    waiver_reason TEXT,
    waived_by TEXT,
    waived_at TEXT,
    PRIMARY KEY (entry_id, expert_id)
);

CREATE TABLE competition_scores (
    entry_id INTEGER NOT NULL REFERENCES competition_entries(id),
    expert_id INTEGER NOT NULL REFERENCES people(id),
    criterion_id INTEGER NOT NULL REFERENCES competition_criteria(id),
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, expert_id, criterion_id)
);
