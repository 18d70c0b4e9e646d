-- The promotion concept (SQLite). Keep in step with ../postgres. A concept drafted by the
-- Secretariat for a plan year, and its presentations: a published solution shown to a target
-- city in a month (YYYY-MM) or a quarter (YYYY-Qn) of that year and, once turned into one,
-- its event proposal.
CREATE TABLE promotion_concepts (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE promotion_presentations (
    id INTEGER PRIMARY KEY,
    concept_id INTEGER NOT NULL REFERENCES promotion_concepts(id),
    solution_id INTEGER NOT NULL REFERENCES catalogue_solutions(id),
    city TEXT NOT NULL REFERENCES cities(code),
    period TEXT NOT NULL,
    note TEXT NOT NULL,
    proposal_id INTEGER REFERENCES event_proposals(id),
    created_at TEXT NOT NULL,
    UNIQUE (concept_id, solution_id, city)
);
