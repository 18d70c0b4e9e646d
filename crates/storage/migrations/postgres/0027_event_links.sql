-- The plan of events, continued (postgres). Keep in step with ../sqlite.
-- A proposal links the published catalogue solutions it presents and the training courses
-- (programmes) it holds, as JSON lists of ids like its co-organisers; a plan version keeps them
-- in its snapshot of the event, so the approved plan shows what was approved.
ALTER TABLE event_proposals ADD COLUMN solutions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_proposals ADD COLUMN courses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_plan_events ADD COLUMN solutions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_plan_events ADD COLUMN courses TEXT NOT NULL DEFAULT '[]';
