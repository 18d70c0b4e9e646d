-- The teachers of a cohort who have an account: they mark its register and results.
-- Keep in step with ../sqlite.
CREATE TABLE training_teachers (
    cohort_id BIGINT NOT NULL REFERENCES training_cohorts(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (cohort_id, person_id)
);
