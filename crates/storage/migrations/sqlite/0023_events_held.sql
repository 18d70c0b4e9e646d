-- The plan of events, continued (sqlite). Keep in step with ../postgres. An approved plan version
-- is attached to its decision (the appendix row is in decision_appendices); a held event has a
-- capacity, registrations (a waiting list beyond the capacity, attendance marked), a programme
-- of talks that may present a catalogue solution, materials (links) and a short report.
ALTER TABLE event_plans ADD COLUMN decision_id INTEGER REFERENCES decisions(id);
ALTER TABLE event_proposals ADD COLUMN capacity INTEGER;
ALTER TABLE event_proposals ADD COLUMN report TEXT NOT NULL DEFAULT '';

CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES event_proposals(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    -- registered | waiting; a cancelled registration is deleted (the audit keeps it).
    state TEXT NOT NULL,
    attended INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX event_registrations_person ON event_registrations (person_id);

CREATE TABLE event_talks (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES event_proposals(id),
    title TEXT NOT NULL,
    speaker TEXT NOT NULL,
    solution_id INTEGER REFERENCES catalogue_solutions(id)
);
CREATE INDEX event_talks_event ON event_talks (event_id);

CREATE TABLE event_materials (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES event_proposals(id),
    title TEXT NOT NULL,
    link TEXT NOT NULL
);
CREATE INDEX event_materials_event ON event_materials (event_id);
