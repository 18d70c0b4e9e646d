-- Monitoring campaigns (SQLite): the cities invited to answer an edition's questionnaire, their
-- two assessors, the answers, the assessors' decisions, and every version of every value
-- (append-only). Keep in step with ../postgres. Times are RFC 3339 UTC text.
CREATE TABLE monitoring_campaigns (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES monitoring_editions(id),
    due_date TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT
);

CREATE TABLE monitoring_campaign_cities (
    campaign_id INTEGER NOT NULL REFERENCES monitoring_campaigns(id),
    city_code TEXT NOT NULL REFERENCES cities(code),
    state TEXT NOT NULL CHECK (state IN ('not_started', 'draft', 'submitted', 'under_assessment', 'returned', 'verified')),
    assessor_a INTEGER NOT NULL REFERENCES people(id),
    assessor_b INTEGER NOT NULL REFERENCES people(id),
    updated_at TEXT NOT NULL,
    reminded_at TEXT,
    PRIMARY KEY (campaign_id, city_code)
);

CREATE TABLE monitoring_answers (
    campaign_id INTEGER NOT NULL,
    city_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    value TEXT,
    evidence_url TEXT NOT NULL,
    comment TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('open', 'returned', 'resubmitted', 'final')),
    return_message TEXT,
    final_value TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, city_code, indicator),
    FOREIGN KEY (campaign_id, city_code) REFERENCES monitoring_campaign_cities(campaign_id, city_code)
);

CREATE TABLE monitoring_assessments (
    campaign_id INTEGER NOT NULL,
    city_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    assessor_id INTEGER NOT NULL REFERENCES people(id),
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'correct')),
    value TEXT,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, city_code, indicator, assessor_id),
    FOREIGN KEY (campaign_id, city_code) REFERENCES monitoring_campaign_cities(campaign_id, city_code)
);

-- Every value an answer ever had, who gave it, when and why: the city's answers, each
-- assessor's decision, an agreement, a return, an adjudication. Never updated nor deleted.
CREATE TABLE monitoring_answer_versions (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    city_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT,
    note TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    FOREIGN KEY (campaign_id, city_code) REFERENCES monitoring_campaign_cities(campaign_id, city_code)
);
CREATE INDEX monitoring_answer_versions_answer ON monitoring_answer_versions (campaign_id, city_code, indicator);

CREATE TRIGGER monitoring_answer_versions_no_update BEFORE UPDATE ON monitoring_answer_versions
BEGIN SELECT RAISE(ABORT, 'answer versions are append-only'); END;
CREATE TRIGGER monitoring_answer_versions_no_delete BEFORE DELETE ON monitoring_answer_versions
WHEN (SELECT restoring FROM maintenance WHERE id = 1) = 0
BEGIN SELECT RAISE(ABORT, 'answer versions are append-only'); END;
