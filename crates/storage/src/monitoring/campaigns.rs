//! Monitoring campaigns: the invited cities with their two assessors, the cities' answers, the
//! assessors' decisions and every version of every value. Each change is one audited
//! transaction that reads what the rule needs, asks `megapolis_monitoring::campaign` and
//! `agreement`, writes, notifies and audits; the rules are the domain's.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, Store, WriteTx};
use crate::notices::{city_representatives, notify_people};
use crate::reminders::{queue, Reminded, Reminder, RemindersQueued};
use crate::StorageError;
use megapolis_domain::notice::Subject;
use megapolis_domain::{CityCode, Person, Role};
use megapolis_monitoring::campaign::check_assessors;
use megapolis_monitoring::{
    resolve, AnswerStage, AssessorInfo, CampaignError, Capacity, CheckedAnswer, CityAction,
    CityState, Decision, EditionState, Resolution,
};
use serde::Serialize;
use std::collections::HashMap;

/// What a backup holds of campaigns, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "monitoring_campaigns",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("edition_id", Kind::Int),
            ("due_date", Kind::Text),
            ("state", Kind::Text),
            ("opened_at", Kind::Text),
            ("opened_by", Kind::Text),
            ("closed_at", Kind::Text),
        ],
    },
    Table {
        name: "monitoring_campaign_cities",
        identity: false,
        columns: &[
            ("campaign_id", Kind::Int),
            ("city_code", Kind::Text),
            ("state", Kind::Text),
            ("assessor_a", Kind::Int),
            ("assessor_b", Kind::Int),
            ("updated_at", Kind::Text),
            ("reminded_at", Kind::Text),
        ],
    },
    Table {
        name: "monitoring_answers",
        identity: false,
        columns: &[
            ("campaign_id", Kind::Int),
            ("city_code", Kind::Text),
            ("indicator", Kind::Text),
            ("value", Kind::Text),
            ("evidence_url", Kind::Text),
            ("comment", Kind::Text),
            ("stage", Kind::Text),
            ("return_message", Kind::Text),
            ("final_value", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "monitoring_assessments",
        identity: false,
        columns: &[
            ("campaign_id", Kind::Int),
            ("city_code", Kind::Text),
            ("indicator", Kind::Text),
            ("assessor_id", Kind::Int),
            ("decision", Kind::Text),
            ("value", Kind::Text),
            ("reason", Kind::Text),
            ("at", Kind::Text),
        ],
    },
    Table {
        name: "monitoring_answer_versions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("campaign_id", Kind::Int),
            ("city_code", Kind::Text),
            ("indicator", Kind::Text),
            ("kind", Kind::Text),
            ("value", Kind::Text),
            ("note", Kind::Text),
            ("actor", Kind::Text),
            ("at", Kind::Text),
        ],
    },
];

/// A campaign to open: the edition, the due date and each invited city with its assessors.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub edition_id: i64,
    pub due_date: String,
    pub cities: Vec<InvitedCity>,
}

#[derive(Debug, Clone)]
pub struct InvitedCity {
    pub city: CityCode,
    pub assessors: [i64; 2],
}

/// A campaign as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    pub id: i64,
    pub edition_id: i64,
    pub year: i64,
    pub title_ru: String,
    pub title_en: String,
    pub due_date: String,
    /// open | closed
    pub state: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
}

/// One invited city of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignCity {
    pub city: String,
    pub name_ru: String,
    pub name_en: String,
    pub state: CityState,
    pub assessors: [i64; 2],
    pub assessor_names: [String; 2],
    /// Answers with a value.
    pub answered: i64,
    /// Answers with their final value.
    pub settled: i64,
    pub updated_at: String,
}

/// One answer of a city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAnswer {
    pub indicator: String,
    pub value: Option<String>,
    pub evidence_url: String,
    pub comment: String,
    pub stage: AnswerStage,
    pub return_message: Option<String>,
    pub final_value: Option<String>,
    pub updated_at: String,
}

/// One assessor's decision on one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAssessment {
    pub city: String,
    pub indicator: String,
    pub assessor_id: i64,
    pub decision: Decision,
    pub at: String,
}

/// One version of an answer's value: `answer` (the city), `assessment` (an assessor),
/// `agreed` (both assessors), `returned`, `adjudicated` (the Secretariat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerVersion {
    pub indicator: String,
    pub kind: String,
    pub value: Option<String>,
    pub note: String,
    pub actor: String,
    pub at: String,
}

/// A verified city's final values, to feed the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedValues {
    pub city: String,
    pub name_en: String,
    pub values: HashMap<String, String>,
}

crate::facet!(
    /// Monitoring campaigns: invited cities, answers, assessments, versions.
    Campaigns,
    campaigns
);

const SUMMARY: &str = "SELECT c.id, c.edition_id, e.year, e.title_ru, e.title_en, c.due_date, c.state, c.opened_at, c.closed_at \
     FROM monitoring_campaigns c JOIN monitoring_editions e ON e.id = c.edition_id";

fn summary_of(row: &impl NamedRow) -> Result<CampaignSummary, sqlx::Error> {
    Ok(CampaignSummary {
        id: row.int("id")?,
        edition_id: row.int("edition_id")?,
        year: row.int("year")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        due_date: row.text("due_date")?,
        state: row.text("state")?,
        opened_at: row.text("opened_at")?,
        closed_at: row.text_or_none("closed_at")?,
    })
}

const CITIES: &str = "SELECT cc.city_code, ci.name_ru, ci.name_en, cc.state, cc.assessor_a, cc.assessor_b, \
     pa.name AS name_a, pb.name AS name_b, cc.updated_at, \
     (SELECT COUNT(*) FROM monitoring_answers a WHERE a.campaign_id = cc.campaign_id AND a.city_code = cc.city_code AND a.value IS NOT NULL) AS answered, \
     (SELECT COUNT(*) FROM monitoring_answers a WHERE a.campaign_id = cc.campaign_id AND a.city_code = cc.city_code AND a.stage = 'final') AS settled \
     FROM monitoring_campaign_cities cc JOIN cities ci ON ci.code = cc.city_code \
     JOIN people pa ON pa.id = cc.assessor_a JOIN people pb ON pb.id = cc.assessor_b";

fn city_of(row: &impl NamedRow) -> Result<CampaignCity, StorageError> {
    let state = row.text("state")?;
    Ok(CampaignCity {
        city: row.text("city_code")?,
        name_ru: row.text("name_ru")?,
        name_en: row.text("name_en")?,
        state: CityState::parse(&state)
            .ok_or_else(|| StorageError::Corrupt(format!("campaign city state {state:?}")))?,
        assessors: [row.int("assessor_a")?, row.int("assessor_b")?],
        assessor_names: [row.text("name_a")?, row.text("name_b")?],
        answered: row.int("answered")?,
        settled: row.int("settled")?,
        updated_at: row.text("updated_at")?,
    })
}

const ANSWERS: &str = "SELECT indicator, value, evidence_url, comment, stage, return_message, final_value, updated_at \
     FROM monitoring_answers WHERE campaign_id = $1 AND city_code = $2 ORDER BY indicator";

fn answer_of(row: &impl NamedRow) -> Result<StoredAnswer, StorageError> {
    let stage = row.text("stage")?;
    Ok(StoredAnswer {
        indicator: row.text("indicator")?,
        value: row.text_or_none("value")?,
        evidence_url: row.text("evidence_url")?,
        comment: row.text("comment")?,
        stage: AnswerStage::parse(&stage)
            .ok_or_else(|| StorageError::Corrupt(format!("answer stage {stage:?}")))?,
        return_message: row.text_or_none("return_message")?,
        final_value: row.text_or_none("final_value")?,
        updated_at: row.text("updated_at")?,
    })
}

const ASSESSMENTS: &str = "SELECT city_code, indicator, assessor_id, decision, value, reason, at \
     FROM monitoring_assessments WHERE campaign_id = $1 AND ($2 = '' OR city_code = $2) ORDER BY city_code, indicator, assessor_id";

fn assessment_of(row: &impl NamedRow) -> Result<StoredAssessment, StorageError> {
    let decision = match row.text("decision")?.as_str() {
        "accept" => Decision::Accept,
        "correct" => Decision::Correct {
            value: row.text_or_none("value")?.unwrap_or_default(),
            reason: row.text("reason")?,
        },
        other => {
            return Err(StorageError::Corrupt(format!(
                "assessment decision {other:?}"
            )))
        }
    };
    Ok(StoredAssessment {
        city: row.text("city_code")?,
        indicator: row.text("indicator")?,
        assessor_id: row.int("assessor_id")?,
        decision,
        at: row.text("at")?,
    })
}

/// The state of a campaign and of one of its cities, read in the write's transaction.
struct Place {
    title: String,
    city_state: CityState,
    assessors: [i64; 2],
}

async fn place(tx: &mut WriteTx, id: i64, city: &str) -> Result<Place, StorageError> {
    let row: Option<(i64, String, String, String, String, i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT c.edition_id, c.state, e.title_en, cc.state, e.title_ru, cc.assessor_a, cc.assessor_b \
         FROM monitoring_campaigns c JOIN monitoring_editions e ON e.id = c.edition_id \
         JOIN monitoring_campaign_cities cc ON cc.campaign_id = c.id AND cc.city_code = $2 WHERE c.id = $1",
    )
    .bind(id)
    .bind(city)
    .fetch_optional(conn)
    .await?);
    let (_edition, state, title_en, city_state, title_ru, a, b) =
        row.ok_or_else(|| StorageError::NotFound(format!("city {city} in campaign {id}")))?;
    if state != "open" {
        return Err(CampaignError::Closed.into());
    }
    Ok(Place {
        title: subject_title(&title_ru, &title_en),
        city_state: CityState::parse(&city_state)
            .ok_or_else(|| StorageError::Corrupt(format!("campaign city state {city_state:?}")))?,
        assessors: [a, b],
    })
}

/// A notice's title in both languages, as it is stored once for every reader.
fn subject_title(ru: &str, en: &str) -> String {
    if ru == en {
        ru.to_string()
    } else {
        format!("{ru} / {en}")
    }
}

fn subject(id: i64, city: &str, title: &str) -> Subject {
    Subject {
        kind: "campaign",
        id: id.to_string(),
        title: format!("{title} — {city}"),
        link: format!("/monitoring/campaigns/{id}/cities/{city}"),
    }
}

async fn secretariat(tx: &mut WriteTx) -> Result<Vec<i64>, StorageError> {
    let ids: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM people WHERE role = $1 AND active = $2 ORDER BY id",
    )
    .bind(Role::Secretariat.as_str())
    .bind(true)
    .fetch_all(conn)
    .await?);
    Ok(ids)
}

#[allow(clippy::too_many_arguments)] // one row of the versions table
async fn version(
    tx: &mut WriteTx,
    id: i64,
    city: &str,
    indicator: &str,
    kind: &str,
    value: Option<&str>,
    note: &str,
    actor: &str,
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO monitoring_answer_versions (campaign_id, city_code, indicator, kind, value, note, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(city)
    .bind(indicator)
    .bind(kind)
    .bind(value)
    .bind(note)
    .bind(actor)
    .bind(now_utc())
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

async fn answers_in(
    tx: &mut WriteTx,
    id: i64,
    city: &str,
) -> Result<Vec<StoredAnswer>, StorageError> {
    let answers = on_tx!(tx, conn => sqlx::query(ANSWERS)
        .bind(id)
        .bind(city)
        .fetch_all(conn)
        .await?
        .iter()
        .map(answer_of)
        .collect::<Result<Vec<_>, StorageError>>()?);
    Ok(answers)
}

async fn set_city_state(
    tx: &mut WriteTx,
    id: i64,
    city: &str,
    state: CityState,
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE monitoring_campaign_cities SET state = $1, updated_at = $2 WHERE campaign_id = $3 AND city_code = $4",
    )
    .bind(state.as_str())
    .bind(now_utc())
    .bind(id)
    .bind(city)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

async fn finalise(
    tx: &mut WriteTx,
    id: i64,
    city: &str,
    indicator: &str,
    value: &str,
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE monitoring_answers SET stage = 'final', final_value = $1, updated_at = $2 \
         WHERE campaign_id = $3 AND city_code = $4 AND indicator = $5",
    )
    .bind(value)
    .bind(now_utc())
    .bind(id)
    .bind(city)
    .bind(indicator)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves the city to verified when every answer is final; notifies its representatives.
async fn settle(
    tx: &mut WriteTx,
    id: i64,
    city: &str,
    state: CityState,
    title: &str,
    actor_id: Option<i64>,
) -> Result<CityState, StorageError> {
    let answers = answers_in(tx, id, city).await?;
    let all_final = !answers.is_empty() && answers.iter().all(|a| a.stage == AnswerStage::Final);
    let next = state.settled(all_final);
    if next != state {
        set_city_state(tx, id, city, next).await?;
        let reps = city_representatives(tx, city).await?;
        notify_people(
            tx,
            &subject(id, city, title),
            "verified",
            "",
            &reps,
            actor_id,
        )
        .await?;
    }
    Ok(next)
}

impl Campaigns<'_> {
    /// Opens a campaign: refused when the edition is published, a city is not in the
    /// directory, or an assessor is not an expert or is from the city. Notifies each invited
    /// city's representatives and every assessor.
    pub async fn open(&self, actor: &str, campaign: &NewCampaign) -> Result<i64, StorageError> {
        if campaign.cities.is_empty() {
            return Err(CampaignError::NoCities.into());
        }
        let mut tx = self.begin_write().await?;
        let edition: Option<(String, String, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT state, title_ru, title_en FROM monitoring_editions WHERE id = $1",
        )
        .bind(campaign.edition_id)
        .fetch_optional(conn)
        .await?);
        let (state, title_ru, title_en) = edition.ok_or_else(|| {
            StorageError::NotFound(format!("monitoring edition {}", campaign.edition_id))
        })?;
        if EditionState::parse(&state).is_some_and(EditionState::is_public) {
            return Err(CampaignError::EditionPublished.into());
        }
        let mut people: HashMap<i64, AssessorInfo> = HashMap::new();
        for invited in &campaign.cities {
            for person in invited.assessors {
                if people.contains_key(&person) {
                    continue;
                }
                let row: Option<(String, String, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
                    "SELECT name, role, city FROM people WHERE id = $1 AND active = $2",
                )
                .bind(person)
                .bind(true)
                .fetch_optional(conn)
                .await?);
                let (name, role, city) =
                    row.ok_or_else(|| StorageError::NotFound(format!("person {person}")))?;
                people.insert(
                    person,
                    AssessorInfo {
                        id: person,
                        name,
                        is_expert: role == Role::Expert.as_str(),
                        city,
                    },
                );
            }
            let [a, b] = invited.assessors.map(|p| people[&p].clone());
            check_assessors(invited.city.as_str(), &a, &b)?;
        }
        let now = now_utc();
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO monitoring_campaigns (edition_id, due_date, state, opened_at, opened_by) \
             VALUES ($1, $2, 'open', $3, $4) RETURNING id",
        )
        .bind(campaign.edition_id)
        .bind(&campaign.due_date)
        .bind(&now)
        .bind(actor)
        .fetch_one(conn)
        .await?);
        let title = subject_title(&title_ru, &title_en);
        for invited in &campaign.cities {
            let city = invited.city.as_str();
            let known: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT code FROM cities WHERE code = $1",
            )
            .bind(city)
            .fetch_optional(conn)
            .await?);
            if known.is_none() {
                return Err(StorageError::NotFound(format!("city {city}")));
            }
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO monitoring_campaign_cities (campaign_id, city_code, state, assessor_a, assessor_b, updated_at) \
                 VALUES ($1, $2, 'not_started', $3, $4, $5)",
            )
            .bind(id)
            .bind(city)
            .bind(invited.assessors[0])
            .bind(invited.assessors[1])
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            let subject = subject(id, city, &title);
            let reps = city_representatives(&mut tx, city).await?;
            let due = &campaign.due_date;
            notify_people(&mut tx, &subject, "opened", due, &reps, None).await?;
            notify_people(&mut tx, &subject, "assigned", due, &invited.assessors, None).await?;
        }
        tx.audit(&audit_entry(
            actor,
            "open",
            "monitoring_campaign",
            &id.to_string(),
            None,
            Some(&serde_json::json!({
                "edition": campaign.edition_id,
                "due_date": campaign.due_date,
                "cities": campaign.cities.iter().map(|c| serde_json::json!({
                    "city": c.city.as_str(), "assessors": c.assessors,
                })).collect::<Vec<_>>(),
            })),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every campaign, newest first.
    pub async fn list(&self) -> Result<Vec<CampaignSummary>, StorageError> {
        let sql = format!("{SUMMARY} ORDER BY c.id DESC");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(summary_of)
            .collect::<Result<Vec<_>, _>>()?);
        Ok(list)
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<CampaignSummary>, StorageError> {
        let sql = format!("{SUMMARY} WHERE c.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(summary_of)
            .transpose()?);
        Ok(found)
    }

    /// Does a campaign use the edition (its methodology is then frozen).
    pub async fn edition_in_use(&self, edition_id: i64) -> Result<bool, StorageError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM monitoring_campaigns WHERE edition_id = $1",
        )
        .bind(edition_id)
        .fetch_one(pool)
        .await?);
        Ok(count > 0)
    }

    /// The invited cities of a campaign, by code.
    pub async fn cities(&self, id: i64) -> Result<Vec<CampaignCity>, StorageError> {
        let sql = format!("{CITIES} WHERE cc.campaign_id = $1 ORDER BY cc.city_code");
        let cities = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(city_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(cities)
    }

    pub async fn city(&self, id: i64, city: &str) -> Result<Option<CampaignCity>, StorageError> {
        let sql = format!("{CITIES} WHERE cc.campaign_id = $1 AND cc.city_code = $2");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .bind(city)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(city_of)
            .transpose()?);
        Ok(found)
    }

    pub async fn answers(&self, id: i64, city: &str) -> Result<Vec<StoredAnswer>, StorageError> {
        let answers = on_pool!(self, pool => sqlx::query(ANSWERS)
            .bind(id)
            .bind(city)
            .fetch_all(pool)
            .await?
            .iter()
            .map(answer_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(answers)
    }

    /// The assessors' decisions of a campaign: of one city, or of all (`city` = "").
    pub async fn assessments(
        &self,
        id: i64,
        city: &str,
    ) -> Result<Vec<StoredAssessment>, StorageError> {
        let found = on_pool!(self, pool => sqlx::query(ASSESSMENTS)
            .bind(id)
            .bind(city)
            .fetch_all(pool)
            .await?
            .iter()
            .map(assessment_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(found)
    }

    /// Every version of every answer of a city, oldest first.
    pub async fn versions(&self, id: i64, city: &str) -> Result<Vec<AnswerVersion>, StorageError> {
        let found = on_pool!(self, pool => sqlx::query(
            "SELECT indicator, kind, value, note, actor, at FROM monitoring_answer_versions \
             WHERE campaign_id = $1 AND city_code = $2 ORDER BY id",
        )
        .bind(id)
        .bind(city)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(AnswerVersion {
                indicator: row.text("indicator")?,
                kind: row.text("kind")?,
                value: row.text_or_none("value")?,
                note: row.text("note")?,
                actor: row.text("actor")?,
                at: row.text("at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?);
        Ok(found)
    }

    /// A city representative saves answers (checked against the questionnaire by the caller);
    /// with `submit`, also submits them, which needs every question in `questions` answered.
    /// While the answers are returned only those sent back may change. Nothing is saved when
    /// anything is refused.
    pub async fn save_answers(
        &self,
        actor: &str,
        person: &Person,
        id: i64,
        city: &str,
        answers: &[CheckedAnswer],
        submit: Option<&[String]>,
    ) -> Result<CityState, StorageError> {
        let mut tx = self.begin_write().await?;
        let place = place(&mut tx, id, city).await?;
        let capacity = if person.city.as_ref().map(CityCode::as_str) == Some(city)
            && person.role == Role::CityRep
        {
            Capacity::City
        } else {
            return Err(CampaignError::NotYours("the city's representatives").into());
        };
        let mut state = place.city_state.apply(CityAction::Save, capacity)?;
        let stored: HashMap<String, StoredAnswer> = answers_in(&mut tx, id, city)
            .await?
            .into_iter()
            .map(|a| (a.indicator.clone(), a))
            .collect();
        let mut changed = Vec::new();
        let mut not_returned = Vec::new();
        for answer in answers {
            let before = stored.get(&answer.indicator);
            let same = before.is_some_and(|b| {
                b.value == answer.value
                    && b.evidence_url == answer.evidence_url
                    && b.comment == answer.comment
            });
            if same
                || (before.is_none()
                    && answer.value.is_none()
                    && answer.evidence_url.is_empty()
                    && answer.comment.is_empty())
            {
                continue;
            }
            if place.city_state == CityState::Returned
                && before.map(|b| b.stage) != Some(AnswerStage::Returned)
            {
                not_returned.push(answer.indicator.clone());
                continue;
            }
            changed.push(answer);
        }
        if !not_returned.is_empty() {
            return Err(CampaignError::NotReturned(not_returned.join(", ")).into());
        }
        let now = now_utc();
        for answer in &changed {
            let stage = stored
                .get(&answer.indicator)
                .map_or(AnswerStage::Open, |b| b.stage);
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO monitoring_answers (campaign_id, city_code, indicator, value, evidence_url, comment, stage, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (campaign_id, city_code, indicator) DO UPDATE SET value = excluded.value, \
                 evidence_url = excluded.evidence_url, comment = excluded.comment, updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(city)
            .bind(&answer.indicator)
            .bind(&answer.value)
            .bind(&answer.evidence_url)
            .bind(&answer.comment)
            .bind(stage.as_str())
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            version(
                &mut tx,
                id,
                city,
                &answer.indicator,
                "answer",
                answer.value.as_deref(),
                &answer.comment,
                actor,
            )
            .await?;
        }
        let was = place.city_state;
        if let Some(questions) = submit {
            let given: HashMap<String, Option<String>> = answers_in(&mut tx, id, city)
                .await?
                .into_iter()
                .map(|a| (a.indicator, a.value))
                .collect();
            let missing: Vec<&str> = questions
                .iter()
                .filter(|q| given.get(*q).is_none_or(Option::is_none))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                return Err(CampaignError::Unanswered(missing.join(", ")).into());
            }
            state = state.apply(CityAction::Submit, Capacity::City)?;
            // Returned answers, changed or not, go to the Secretariat's adjudication.
            on_tx!(tx, conn => sqlx::query(
                "UPDATE monitoring_answers SET stage = 'resubmitted', updated_at = $1 \
                 WHERE campaign_id = $2 AND city_code = $3 AND stage = 'returned'",
            )
            .bind(&now)
            .bind(id)
            .bind(city)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            let subject = subject(id, city, &place.title);
            if was == CityState::Returned {
                let staff = secretariat(&mut tx).await?;
                notify_people(
                    &mut tx,
                    &subject,
                    "resubmitted",
                    "",
                    &staff,
                    Some(person.id),
                )
                .await?;
            } else {
                notify_people(
                    &mut tx,
                    &subject,
                    "submitted",
                    "",
                    &place.assessors,
                    Some(person.id),
                )
                .await?;
            }
        }
        if state != was || !changed.is_empty() {
            set_city_state(&mut tx, id, city, state).await?;
            tx.audit(&audit_entry(
                actor,
                if submit.is_some() { "submit" } else { "save" },
                "monitoring_answers",
                &format!("{id}/{city}"),
                Some(&serde_json::json!({ "state": was.as_str() })),
                Some(&serde_json::json!({
                    "state": state.as_str(),
                    "changed": changed.iter().map(|a| &a.indicator).collect::<Vec<_>>(),
                })),
            ))
            .await?;
        }
        tx.commit().await?;
        Ok(state)
    }

    /// An assessor's decisions on a city's open answers, blind to the other's. Answers both
    /// assessors agree on become final; the city is verified when all are.
    pub async fn assess(
        &self,
        actor: &str,
        person_id: i64,
        id: i64,
        city: &str,
        decisions: &[(String, Decision)],
    ) -> Result<CityState, StorageError> {
        let mut tx = self.begin_write().await?;
        let place = place(&mut tx, id, city).await?;
        let capacity = if place.assessors.contains(&person_id) {
            Capacity::Assessor
        } else {
            return Err(CampaignError::NotYours("the city's assessors").into());
        };
        let state = place.city_state.apply(CityAction::Assess, capacity)?;
        let answers: HashMap<String, StoredAnswer> = answers_in(&mut tx, id, city)
            .await?
            .into_iter()
            .map(|a| (a.indicator.clone(), a))
            .collect();
        let now = now_utc();
        for (indicator, decision) in decisions {
            let answer = answers
                .get(indicator)
                .ok_or_else(|| CampaignError::UnknownIndicator(indicator.clone()))?;
            if answer.stage != AnswerStage::Open {
                // Final or with the Secretariat: an assessor's view no longer changes it.
                continue;
            }
            let (kind, value, reason) = match decision {
                Decision::Accept => ("accept", None, ""),
                Decision::Correct { value, reason } => {
                    ("correct", Some(value.as_str()), reason.as_str())
                }
            };
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO monitoring_assessments (campaign_id, city_code, indicator, assessor_id, decision, value, reason, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (campaign_id, city_code, indicator, assessor_id) DO UPDATE SET decision = excluded.decision, \
                 value = excluded.value, reason = excluded.reason, at = excluded.at",
            )
            .bind(id)
            .bind(city)
            .bind(indicator)
            .bind(person_id)
            .bind(kind)
            .bind(value)
            .bind(reason)
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            let city_value = answer.value.clone().unwrap_or_default();
            version(
                &mut tx,
                id,
                city,
                indicator,
                if kind == "accept" {
                    "accepted"
                } else {
                    "corrected"
                },
                Some(decision.verified_value(&city_value)),
                reason,
                actor,
            )
            .await?;
        }
        // Settle what both assessors now agree on.
        let all: Vec<StoredAssessment> = on_tx!(tx, conn => sqlx::query(ASSESSMENTS)
            .bind(id)
            .bind(city)
            .fetch_all(conn)
            .await?
            .iter()
            .map(assessment_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        for answer in answers.values().filter(|a| a.stage == AnswerStage::Open) {
            let of = |assessor: i64| {
                all.iter()
                    .find(|s| s.indicator == answer.indicator && s.assessor_id == assessor)
                    .map(|s| &s.decision)
            };
            let city_value = answer.value.clone().unwrap_or_default();
            if let Resolution::Agreed(value) =
                resolve(&city_value, of(place.assessors[0]), of(place.assessors[1]))
            {
                finalise(&mut tx, id, city, &answer.indicator, &value).await?;
                version(
                    &mut tx,
                    id,
                    city,
                    &answer.indicator,
                    "agreed",
                    Some(&value),
                    "",
                    "assessors",
                )
                .await?;
            }
        }
        set_city_state(&mut tx, id, city, state).await?;
        let state = settle(&mut tx, id, city, state, &place.title, Some(person_id)).await?;
        tx.audit(&audit_entry(
            actor,
            "assess",
            "monitoring_answers",
            &format!("{id}/{city}"),
            None,
            Some(&serde_json::json!({
                "state": state.as_str(),
                "decisions": decisions.iter().map(|(code, d)| serde_json::json!({ "indicator": code, "decision": d })).collect::<Vec<_>>(),
            })),
        ))
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The Secretariat gives answers their final value, each with a reason.
    pub async fn adjudicate(
        &self,
        actor: &str,
        id: i64,
        city: &str,
        items: &[(String, String, String)],
    ) -> Result<CityState, StorageError> {
        let mut tx = self.begin_write().await?;
        let place = place(&mut tx, id, city).await?;
        let state = place
            .city_state
            .apply(CityAction::Adjudicate, Capacity::Secretariat)?;
        let answers = answers_in(&mut tx, id, city).await?;
        for (indicator, value, reason) in items {
            let answer = answers
                .iter()
                .find(|a| &a.indicator == indicator)
                .ok_or_else(|| CampaignError::UnknownIndicator(indicator.clone()))?;
            if answer.stage == AnswerStage::Final {
                return Err(CampaignError::AlreadyFinal(indicator.clone()).into());
            }
            finalise(&mut tx, id, city, indicator, value).await?;
            version(
                &mut tx,
                id,
                city,
                indicator,
                "adjudicated",
                Some(value),
                reason,
                actor,
            )
            .await?;
        }
        set_city_state(&mut tx, id, city, state).await?;
        let state = settle(&mut tx, id, city, state, &place.title, None).await?;
        tx.audit(&audit_entry(
            actor,
            "adjudicate",
            "monitoring_answers",
            &format!("{id}/{city}"),
            None,
            Some(&serde_json::json!({
                "state": state.as_str(),
                "answers": items.iter().map(|(i, v, r)| serde_json::json!({ "indicator": i, "value": v, "reason": r })).collect::<Vec<_>>(),
            })),
        ))
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The Secretariat sends chosen answers back to the city, each with a message; the city's
    /// representatives are told.
    pub async fn return_answers(
        &self,
        actor: &str,
        id: i64,
        city: &str,
        items: &[(String, String)],
    ) -> Result<CityState, StorageError> {
        let mut tx = self.begin_write().await?;
        let place = place(&mut tx, id, city).await?;
        let state = place
            .city_state
            .apply(CityAction::Return, Capacity::Secretariat)?;
        let answers = answers_in(&mut tx, id, city).await?;
        let now = now_utc();
        for (indicator, message) in items {
            let answer = answers
                .iter()
                .find(|a| &a.indicator == indicator)
                .ok_or_else(|| CampaignError::UnknownIndicator(indicator.clone()))?;
            if answer.stage == AnswerStage::Final {
                return Err(CampaignError::AlreadyFinal(indicator.clone()).into());
            }
            on_tx!(tx, conn => sqlx::query(
                "UPDATE monitoring_answers SET stage = 'returned', return_message = $1, updated_at = $2 \
                 WHERE campaign_id = $3 AND city_code = $4 AND indicator = $5",
            )
            .bind(message)
            .bind(&now)
            .bind(id)
            .bind(city)
            .bind(indicator)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            version(
                &mut tx,
                id,
                city,
                indicator,
                "returned",
                answer.value.as_deref(),
                message,
                actor,
            )
            .await?;
        }
        set_city_state(&mut tx, id, city, state).await?;
        let reps = city_representatives(&mut tx, city).await?;
        let text: Vec<String> = items.iter().map(|(i, m)| format!("{i}: {m}")).collect();
        notify_people(
            &mut tx,
            &subject(id, city, &place.title),
            "returned",
            &text.join("\n"),
            &reps,
            None,
        )
        .await?;
        tx.audit(&audit_entry(
            actor,
            "return",
            "monitoring_answers",
            &format!("{id}/{city}"),
            Some(&serde_json::json!({ "state": place.city_state.as_str() })),
            Some(&serde_json::json!({
                "state": state.as_str(),
                "answers": items.iter().map(|(i, m)| serde_json::json!({ "indicator": i, "message": m })).collect::<Vec<_>>(),
            })),
        ))
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The final values of the verified cities of a campaign.
    pub async fn verified_values(&self, id: i64) -> Result<Vec<VerifiedValues>, StorageError> {
        let rows: Vec<(String, String, String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT cc.city_code, ci.name_en, a.indicator, a.final_value FROM monitoring_campaign_cities cc \
             JOIN cities ci ON ci.code = cc.city_code \
             JOIN monitoring_answers a ON a.campaign_id = cc.campaign_id AND a.city_code = cc.city_code \
             WHERE cc.campaign_id = $1 AND cc.state = 'verified' ORDER BY cc.city_code, a.indicator",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let mut cities: Vec<VerifiedValues> = Vec::new();
        for (city, name_en, indicator, value) in rows {
            if cities.last().is_none_or(|c| c.city != city) {
                cities.push(VerifiedValues {
                    city: city.clone(),
                    name_en,
                    values: HashMap::new(),
                });
            }
            if let (Some(last), Some(value)) = (cities.last_mut(), value) {
                last.values.insert(indicator, value);
            }
        }
        Ok(cities)
    }

    /// Writes the verified data (iData, checked by the caller through the engine) into the
    /// campaign's edition, which goes back to draft until computed again; with `close`, also
    /// closes the campaign. Refused when the edition is published.
    pub async fn feed_edition(
        &self,
        actor: &str,
        id: i64,
        data: &str,
        close: bool,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let row: Option<(i64, String, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT c.edition_id, c.state, e.state FROM monitoring_campaigns c \
             JOIN monitoring_editions e ON e.id = c.edition_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let (edition, state, edition_state) =
            row.ok_or_else(|| StorageError::NotFound(format!("monitoring campaign {id}")))?;
        if state != "open" {
            return Err(CampaignError::Closed.into());
        }
        if EditionState::parse(&edition_state).is_some_and(EditionState::is_public) {
            return Err(CampaignError::EditionPublished.into());
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE monitoring_editions SET data = $1, state = 'draft' WHERE id = $2",
        )
        .bind(data)
        .bind(edition)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query("DELETE FROM monitoring_results WHERE edition_id = $1")
            .bind(edition)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        if close {
            on_tx!(tx, conn => sqlx::query(
                "UPDATE monitoring_campaigns SET state = 'closed', closed_at = $1 WHERE id = $2",
            )
            .bind(now_utc())
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            if close { "close" } else { "feed" },
            "monitoring_campaign",
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "edition": edition, "data_rows": data.lines().count().saturating_sub(1) })),
        ))
        .await?;
        tx.commit().await?;
        Ok(edition)
    }
}

/// The invited cities of open campaigns that have not submitted their answers yet: their
/// representatives are reminded before the due date and once it has passed.
struct CityDeadlines;

/// An invited city to remind, read in the write's transaction.
struct CityDue {
    campaign: i64,
    city: String,
    title: String,
}

impl Reminded for CityDeadlines {
    const SUBJECT: &'static str = "campaign-city";
    type Record = CityDue;

    async fn candidates(
        store: &Store,
        from: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>, StorageError> {
        let rows: Vec<(i64, String, String, String)> = on_pool!(store, pool => sqlx::query_as(
            "SELECT cc.campaign_id, cc.city_code, cc.state, c.due_date FROM monitoring_campaign_cities cc \
             JOIN monitoring_campaigns c ON c.id = cc.campaign_id \
             WHERE c.state = 'open' AND c.due_date >= $1 AND c.due_date < $2 \
             ORDER BY cc.campaign_id, cc.city_code",
        )
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .filter(|(_, _, state, _)| {
                CityState::parse(state).is_some_and(CityState::awaits_answers)
            })
            .map(|(campaign, city, _, due)| (format!("{campaign}/{city}"), due))
            .collect())
    }

    async fn load(
        tx: &mut WriteTx,
        id: &str,
        _today: time::Date,
    ) -> Result<Option<(CityDue, String)>, StorageError> {
        let Some((campaign, city)) = id
            .split_once('/')
            .and_then(|(campaign, city)| Some((campaign.parse::<i64>().ok()?, city)))
        else {
            return Ok(None);
        };
        let row: Option<(String, String, String, String, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT c.state, c.due_date, cc.state, e.title_ru, e.title_en \
             FROM monitoring_campaigns c JOIN monitoring_editions e ON e.id = c.edition_id \
             JOIN monitoring_campaign_cities cc ON cc.campaign_id = c.id AND cc.city_code = $2 WHERE c.id = $1",
        )
        .bind(campaign)
        .bind(city)
        .fetch_optional(conn)
        .await?);
        Ok(
            row.and_then(|(state, due, city_state, title_ru, title_en)| {
                let waits = state == "open"
                    && CityState::parse(&city_state).is_some_and(CityState::awaits_answers);
                waits.then(|| {
                    let due_city = CityDue {
                        campaign,
                        city: city.to_string(),
                        title: subject_title(&title_ru, &title_en),
                    };
                    (due_city, due)
                })
            }),
        )
    }

    async fn remind(
        tx: &mut WriteTx,
        due: &CityDue,
        kind: Reminder,
        deadline: &str,
    ) -> Result<(), StorageError> {
        let reps = city_representatives(tx, &due.city).await?;
        notify_people(
            tx,
            &subject(due.campaign, &due.city, &due.title),
            kind.as_str(),
            deadline,
            &reps,
            None,
        )
        .await?;
        tx.audit(&audit_entry(
            megapolis_domain::audit::actors::SCHEDULER,
            kind.as_str(),
            "monitoring_answers",
            &format!("{}/{}", due.campaign, due.city),
            None,
            Some(&serde_json::json!({ "due_date": deadline, "representatives": reps.len() })),
        ))
        .await?;
        Ok(())
    }
}

impl Campaigns<'_> {
    /// Queues one reminder per invited city of an open campaign that has not submitted its
    /// answers when the due date is within `days` of `today`, and one when it has passed: to
    /// the city's representatives (inbox and mail) and in the audit log, once per city and due
    /// date however often this runs.
    pub async fn queue_reminders(
        &self,
        today: time::Date,
        days: i64,
    ) -> Result<RemindersQueued, StorageError> {
        queue::<CityDeadlines>(self, today, days).await
    }
}
