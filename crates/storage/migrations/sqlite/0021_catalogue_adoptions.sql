-- Replication (SQLite). Keep in step with ../postgres. A city's current adoption of a solution,
-- one row per (solution, city), and every status it had, oldest first. Dates are YYYY-MM-DD,
-- times RFC 3339 UTC text.
CREATE TABLE catalogue_adoptions (
    id INTEGER PRIMARY KEY,
    solution_id INTEGER NOT NULL REFERENCES catalogue_solutions(id),
    city TEXT NOT NULL REFERENCES cities(code),
    status TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    note TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (solution_id, city)
);

CREATE TABLE catalogue_adoption_changes (
    id INTEGER PRIMARY KEY,
    adoption_id INTEGER NOT NULL REFERENCES catalogue_adoptions(id),
    status TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX catalogue_adoption_changes_adoption ON catalogue_adoption_changes (adoption_id, id);
