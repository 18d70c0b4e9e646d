-- The plan of events, continued (postgres). Keep in step with ../sqlite. Each plan version keeps
-- its events as they were when it was drafted or submitted (a snapshot), so amending an event of
-- an approved plan changes nothing published until the President approves a new version. The
-- existing versions take their events' current fields, so an existing database keeps its plan.
-- A duplicate proposal merged into another names it (no foreign key into its own table).
CREATE TABLE event_plan_events (
    plan_id BIGINT NOT NULL REFERENCES event_plans(id),
    event_id BIGINT NOT NULL REFERENCES event_proposals(id),
    kind TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_ru TEXT NOT NULL,
    description_en TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    city_code TEXT NOT NULL,
    venue TEXT NOT NULL,
    organiser TEXT NOT NULL,
    co_organisers TEXT NOT NULL,
    expected_participants BIGINT,
    sequence BIGINT NOT NULL,
    cancelled BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, event_id)
);
CREATE INDEX event_plan_events_event ON event_plan_events (event_id);
CREATE INDEX event_plan_events_filter ON event_plan_events (plan_id, kind, city_code);

INSERT INTO event_plan_events (plan_id, event_id, kind, title_ru, title_en, description_ru,
    description_en, date_precision, starts_on, ends_on, city_code, venue, organiser, co_organisers,
    expected_participants, sequence, cancelled, updated_at)
SELECT pl.id, e.id, e.kind, e.title_ru, e.title_en, e.description_ru, e.description_en,
    e.date_precision, e.starts_on, e.ends_on, e.city_code, e.venue, e.organiser, e.co_organisers,
    e.expected_participants, e.sequence, e.cancelled, e.updated_at
FROM event_plans pl
CROSS JOIN LATERAL jsonb_array_elements_text(pl.proposals::jsonb) AS j(value)
JOIN event_proposals e ON e.id = j.value::bigint;

ALTER TABLE event_plans DROP COLUMN proposals;

ALTER TABLE event_proposals ADD COLUMN merged_into BIGINT;
