-- Consultations, after the suggestions: generalised proposals (the Expert Council merges
-- submissions into one, keeping every original), the fate of each submission, the history of
-- each generalised proposal, and the plans of joint actions whose approved items become
-- assignments (sqlite). Keep in step with the other backend's folder. Nothing is deleted.
CREATE TABLE consultation_generalised (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    text_ru TEXT NOT NULL,
    text_en TEXT NOT NULL,
    topic TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX consultation_generalised_by_consultation ON consultation_generalised (consultation_id, id);

-- What became of a submission: in one generalised proposal, or rejected with a reason; no row
-- while nobody has looked at it.
CREATE TABLE consultation_fates (
    submission_id INTEGER PRIMARY KEY REFERENCES consultation_submissions(id),
    generalised_id INTEGER REFERENCES consultation_generalised(id),
    rejected_reason TEXT,
    updated_at TEXT NOT NULL,
    CHECK ((generalised_id IS NULL) <> (rejected_reason IS NULL))
);
CREATE INDEX consultation_fates_by_generalised ON consultation_fates (generalised_id);

-- A generalised proposal's history: merged, edited, split, moved in or out, rejected from it.
CREATE TABLE consultation_generalised_events (
    id INTEGER PRIMARY KEY,
    generalised_id INTEGER NOT NULL REFERENCES consultation_generalised(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    submissions TEXT NOT NULL,
    other_id INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX consultation_generalised_events_by_generalised ON consultation_generalised_events (generalised_id, id);

CREATE TABLE consultation_plans (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    approver_body_id TEXT NOT NULL REFERENCES bodies(id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'review', 'approved')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT
);

CREATE TABLE consultation_plan_items (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES consultation_plans(id),
    position INTEGER NOT NULL,
    generalised_id INTEGER NOT NULL REFERENCES consultation_generalised(id),
    topic TEXT NOT NULL,
    action TEXT NOT NULL,
    lead_body_id TEXT NOT NULL REFERENCES bodies(id),
    co_executors TEXT NOT NULL,
    deadline TEXT NOT NULL,
    expected_result TEXT NOT NULL,
    assignment_id INTEGER REFERENCES assignments(id)
);
CREATE INDEX consultation_plan_items_by_plan ON consultation_plan_items (plan_id, position);
CREATE INDEX consultation_plan_items_by_generalised ON consultation_plan_items (generalised_id);

-- A plan's history: created, sent for review, returned with remarks, approved.
CREATE TABLE consultation_plan_events (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES consultation_plans(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX consultation_plan_events_by_plan ON consultation_plan_events (plan_id, id);

-- How many times its author changed a submission (while the consultation was open and before
-- the Council considered it): part of what tells a kept similarity index it is stale.
ALTER TABLE consultation_submissions ADD COLUMN edits INTEGER NOT NULL DEFAULT 0;

-- Priority directions of the "Electronic city of the future" programme and their evidence
-- (kind: generalised | criterion | solution | plan-item; reference: an id, or edition:code).
CREATE TABLE consultation_priorities (
    id INTEGER PRIMARY KEY,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_ru TEXT NOT NULL,
    description_en TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'published')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    approved_by TEXT,
    published_at TEXT
);

CREATE TABLE consultation_priority_evidence (
    priority_id INTEGER NOT NULL REFERENCES consultation_priorities(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (priority_id, position)
);
