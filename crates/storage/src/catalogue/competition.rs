//! Competitions: the call, the entries, the experts' declarations and scores, the jury's
//! decision and the publishing of winners and laureates into the catalogue. Each write reads
//! the stage, the entry's state and the expert's standing in its own transaction, with its audit
//! record, or does nothing.
use super::insert_solution;
use crate::audit::{audit_entry, event_entry};
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::files::insert_file;
use crate::notices::notify_people;
use crate::StorageError;
use megapolis_catalogue::competition::{
    entry_after, Criterion, EntryRefusal, EntryState, EntryStep, NewCompetition, NewEntry, Stage,
    Step,
};
use megapolis_catalogue::evaluation::{
    automatic_conflict, may_review, Award, CriterionScore, Declaration, Exclusion, Review,
    MIN_EXPERTS,
};
use megapolis_catalogue::Solution;
use megapolis_domain::file::{FileInfo, NewFile};
use megapolis_domain::notice::Subject;
use megapolis_domain::{CityCode, Person};
use serde::Serialize;
use time::Date;

/// What a backup holds of competitions, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "competitions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("year", Kind::Int),
            ("stage", Kind::Text),
            ("eligibility", Kind::Text),
            ("submission_deadline", Kind::Text),
            ("evaluation_deadline", Kind::Text),
            ("results_on", Kind::Text),
            ("jury_body", Kind::Text),
            ("decision", Kind::Text),
            ("decided_by", Kind::Text),
            ("decided_at", Kind::Text),
            ("published_at", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
        ],
    },
    Table {
        name: "competition_nominations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("competition_id", Kind::Int),
            ("position", Kind::Int),
            ("name", Kind::Text),
        ],
    },
    Table {
        name: "competition_criteria",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("competition_id", Kind::Int),
            ("position", Kind::Int),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("weight", Kind::Real),
            ("anchors_ru", Kind::Text),
            ("anchors_en", Kind::Text),
        ],
    },
    Table {
        name: "competition_experts",
        identity: false,
        columns: &[("nomination_id", Kind::Int), ("person_id", Kind::Int)],
    },
    Table {
        name: "competition_entries",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("competition_id", Kind::Int),
            ("nomination_id", Kind::Int),
            ("city", Kind::Text),
            ("author_id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("summary_ru", Kind::Text),
            ("summary_en", Kind::Text),
            ("problem", Kind::Text),
            ("results", Kind::Text),
            ("technologies", Kind::Text),
            ("hardware", Kind::Text),
            ("licence", Kind::Text),
            ("url", Kind::Text),
            ("contacts", Kind::Text),
            ("used_by", Kind::Text),
            ("state", Kind::Text),
            ("screening_reason", Kind::Text),
            ("award", Kind::Text),
            ("solution_id", Kind::Int),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "competition_declarations",
        identity: false,
        columns: &[
            ("entry_id", Kind::Int),
            ("expert_id", Kind::Int),
            ("conflict", Kind::Bool),
            ("reason", Kind::Text),
            ("declared_at", Kind::Text),
            ("waiver_reason", Kind::Text),
            ("waived_by", Kind::Text),
            ("waived_at", Kind::Text),
        ],
    },
    Table {
        name: "competition_scores",
        identity: false,
        columns: &[
            ("entry_id", Kind::Int),
            ("expert_id", Kind::Int),
            ("criterion_id", Kind::Int),
            ("score", Kind::Int),
            ("comment", Kind::Text),
            ("submitted_at", Kind::Text),
        ],
    },
    Table {
        name: "competition_entry_files",
        identity: false,
        columns: &[("entry_id", Kind::Int), ("file_id", Kind::Int)],
    },
    Table {
        name: "competition_collections",
        identity: false,
        columns: &[
            ("competition_id", Kind::Int),
            ("lang", Kind::Text),
            ("made_at", Kind::Text),
            ("made_by", Kind::Text),
            ("size", Kind::Int),
            ("sha256", Kind::Text),
            ("content", Kind::Bytes),
        ],
    },
];

/// A nomination of a competition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nomination {
    pub id: i64,
    pub name: String,
    /// The experts assigned to it (person ids).
    pub experts: Vec<i64>,
}

/// A competition as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Competition {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub year: i32,
    pub stage: Stage,
    pub eligibility: Vec<String>,
    pub submission_deadline: Date,
    pub evaluation_deadline: Date,
    pub results_on: Date,
    pub jury_body: String,
    pub decision: Option<String>,
    pub decided_at: Option<String>,
    pub published_at: Option<String>,
    pub nominations: Vec<Nomination>,
    /// The criteria with their ids, in order.
    pub criteria: Vec<(i64, Criterion)>,
}

impl Competition {
    pub fn weights(&self) -> Vec<f64> {
        self.criteria.iter().map(|(_, c)| c.weight).collect()
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub competition_id: i64,
    pub nomination_id: i64,
    pub nomination: String,
    pub city: CityCode,
    pub author_id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub problem: String,
    pub results: String,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub contacts: String,
    pub used_by: Vec<CityCode>,
    pub state: EntryState,
    pub screening_reason: Option<String>,
    pub award: Option<Award>,
    pub solution_id: Option<i64>,
}

/// An expert's standing towards one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub declaration: Declaration,
    pub waived: bool,
    /// Whether they submitted their scores.
    pub scored: bool,
}

/// Why a competition's write is refused, in words for the person who tried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompetitionRefusal {
    #[error("the competition is {stage}; this cannot be done now")]
    Stage { stage: &'static str },
    #[error(transparent)]
    Entry(#[from] EntryRefusal),
    #[error(transparent)]
    Excluded(#[from] Exclusion),
    #[error("{0} is not a nomination of this competition")]
    UnknownNomination(String),
    #[error("city {0} is not in the directory")]
    UnknownCity(String),
    #[error("you may enter solutions for your own city only")]
    NotYourCity,
    #[error("you are not an expert of this entry's nomination")]
    NotAssigned,
    #[error("you have scored this entry already; scores are final")]
    AlreadyScored,
    #[error("the experts declared already: a waiver lifts only an automatic conflict of an expert of this nomination")]
    NothingToWaive,
    #[error("entries with fewer than {MIN_EXPERTS} experts able to score them: {0}")]
    TooFewExperts(String),
    #[error("entry {0} is not an eligible entry of this competition")]
    NotEligible(i64),
    #[error("a screening as not eligible needs a reason")]
    NoReason,
}

impl CompetitionRefusal {
    /// The HTTP status that says what kind of refusal it is.
    pub fn status(&self) -> u16 {
        match self {
            CompetitionRefusal::NotYourCity
            | CompetitionRefusal::NotAssigned
            | CompetitionRefusal::Excluded(_) => 403,
            CompetitionRefusal::UnknownNomination(_)
            | CompetitionRefusal::UnknownCity(_)
            | CompetitionRefusal::NoReason
            | CompetitionRefusal::NotEligible(_) => 422,
            CompetitionRefusal::Stage { .. }
            | CompetitionRefusal::Entry(_)
            | CompetitionRefusal::AlreadyScored
            | CompetitionRefusal::NothingToWaive
            | CompetitionRefusal::TooFewExperts(_) => 409,
        }
    }

    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            CompetitionRefusal::Stage { .. } => "wrong_stage",
            CompetitionRefusal::Entry(EntryRefusal::PastDeadline) => "past_deadline",
            CompetitionRefusal::Entry(_) => "wrong_state",
            CompetitionRefusal::Excluded(Exclusion::NotDeclared) => "conflict_not_declared",
            CompetitionRefusal::Excluded(_) => "conflict_of_interest",
            CompetitionRefusal::UnknownNomination(_) => "unknown_nomination",
            CompetitionRefusal::UnknownCity(_) => "unknown_city",
            CompetitionRefusal::NotYourCity => "not_your_city",
            CompetitionRefusal::NotAssigned => "not_assigned",
            CompetitionRefusal::AlreadyScored => "already_scored",
            CompetitionRefusal::NothingToWaive => "nothing_to_waive",
            CompetitionRefusal::TooFewExperts(_) => "too_few_experts",
            CompetitionRefusal::NotEligible(_) => "not_eligible",
            CompetitionRefusal::NoReason => "reason_required",
        }
    }
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("competition: {what}"))
}

fn json_list<T: serde::de::DeserializeOwned>(raw: &str, what: &str) -> Result<T, StorageError> {
    serde_json::from_str(raw).map_err(|_| corrupt(what))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn parse_date(raw: &str) -> Result<Date, StorageError> {
    crate::text_to_date(Some(raw.to_string()))?.ok_or_else(|| corrupt("a date"))
}

const ENTRY: &str = "SELECT e.id, e.competition_id, e.nomination_id, n.name AS nomination, e.city, e.author_id, \
     e.title_ru, e.title_en, e.summary_ru, e.summary_en, e.problem, e.results, e.technologies, e.hardware, \
     e.licence, e.url, e.contacts, e.used_by, e.state, e.screening_reason, e.award, e.solution_id \
     FROM competition_entries e JOIN competition_nominations n ON n.id = e.nomination_id";

fn entry_of(row: &impl NamedRow) -> Result<Entry, StorageError> {
    let state = row.text("state")?;
    let codes: Vec<String> = json_list(&row.text("used_by")?, "used_by")?;
    Ok(Entry {
        id: row.int("id")?,
        competition_id: row.int("competition_id")?,
        nomination_id: row.int("nomination_id")?,
        nomination: row.text("nomination")?,
        city: CityCode::parse(&row.text("city")?).map_err(|_| corrupt("city"))?,
        author_id: row.int("author_id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        summary_ru: row.text("summary_ru")?,
        summary_en: row.text("summary_en")?,
        problem: row.text("problem")?,
        results: row.text("results")?,
        technologies: json_list(&row.text("technologies")?, "technologies")?,
        hardware: json_list(&row.text("hardware")?, "hardware")?,
        licence: row.text("licence")?,
        url: row.text("url")?,
        contacts: row.text("contacts")?,
        used_by: codes
            .iter()
            .map(|c| CityCode::parse(c).map_err(|_| corrupt("used_by")))
            .collect::<Result<_, _>>()?,
        state: EntryState::parse(&state).ok_or_else(|| corrupt("entry state"))?,
        screening_reason: row.text_or_none("screening_reason")?,
        award: row
            .text_or_none("award")?
            .map(|a| Award::parse(&a).ok_or_else(|| corrupt("award")))
            .transpose()?,
        solution_id: row.int_or_none("solution_id")?,
    })
}

crate::facet!(
    /// Competitions of solutions, their entries and their evaluation.
    Competitions,
    competitions
);

/// The stage of competition `id`, read in the write's transaction.
pub(super) async fn stage_in(tx: &mut WriteTx, id: i64) -> Result<Stage, StorageError> {
    let stage: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT stage FROM competitions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?);
    let stage = stage.ok_or_else(|| StorageError::NotFound(format!("competition {id}")))?;
    Stage::parse(&stage).ok_or_else(|| corrupt("stage"))
}

/// Entry `id` as it is inside the write's transaction.
async fn entry_in(tx: &mut WriteTx, id: i64) -> Result<Entry, StorageError> {
    let sql = format!("{ENTRY} WHERE e.id = $1");
    let found = on_tx!(tx, conn => sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(entry_of)
        .transpose()?);
    found.ok_or_else(|| StorageError::NotFound(format!("entry {id}")))
}

fn refuse<T>(refusal: impl Into<CompetitionRefusal>) -> Result<T, StorageError> {
    Err(refusal.into().into())
}

pub(super) fn stage_refusal<T>(stage: Stage) -> Result<T, StorageError> {
    refuse(CompetitionRefusal::Stage {
        stage: stage.as_str(),
    })
}

impl Competitions<'_> {
    /// Saves a call as a draft; returns its id.
    pub async fn create(&self, actor: &str, call: &NewCompetition) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let body: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM bodies WHERE id = $1",
        )
        .bind(&call.jury_body)
        .fetch_one(conn)
        .await?);
        if body == 0 {
            return Err(StorageError::NotFound(format!("body {}", call.jury_body)));
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO competitions (title_ru, title_en, year, stage, eligibility, submission_deadline, \
             evaluation_deadline, results_on, jury_body, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&call.title_ru)
        .bind(&call.title_en)
        .bind(i64::from(call.year))
        .bind(Stage::Draft.as_str())
        .bind(to_json(&call.eligibility))
        .bind(crate::date_to_text(Some(call.submission_deadline)))
        .bind(crate::date_to_text(Some(call.evaluation_deadline)))
        .bind(crate::date_to_text(Some(call.results_on)))
        .bind(&call.jury_body)
        .bind(now_utc())
        .bind(actor)
        .fetch_one(conn)
        .await?);
        for (position, name) in call.nominations.iter().enumerate() {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO competition_nominations (competition_id, position, name) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(name)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        for (position, criterion) in call.criteria.iter().enumerate() {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO competition_criteria (competition_id, position, name_ru, name_en, weight, anchors_ru, anchors_en) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&criterion.name_ru)
            .bind(&criterion.name_en)
            .bind(criterion.weight)
            .bind(to_json(&criterion.anchors_ru))
            .bind(to_json(&criterion.anchors_en))
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            "create",
            "competition",
            &id.to_string(),
            None,
            Some(call),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every competition (without its nominations' experts), newest first.
    pub async fn list(&self) -> Result<Vec<Competition>, StorageError> {
        let ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM competitions ORDER BY year DESC, id DESC",
        )
        .fetch_all(pool)
        .await?);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.get(id).await?);
        }
        Ok(out)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Competition>, StorageError> {
        let nominations: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name FROM competition_nominations WHERE competition_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let experts: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT x.nomination_id, x.person_id FROM competition_experts x \
             JOIN competition_nominations n ON n.id = x.nomination_id WHERE n.competition_id = $1 \
             ORDER BY x.person_id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let criteria: Vec<(i64, String, String, f64, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name_ru, name_en, weight, anchors_ru, anchors_en FROM competition_criteria \
             WHERE competition_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let nominations: Vec<Nomination> = nominations
            .into_iter()
            .map(|(nid, name)| Nomination {
                id: nid,
                name,
                experts: experts
                    .iter()
                    .filter(|(n, _)| *n == nid)
                    .map(|(_, p)| *p)
                    .collect(),
            })
            .collect();
        let criteria: Vec<(i64, Criterion)> = criteria
            .into_iter()
            .map(|(cid, name_ru, name_en, weight, ru, en)| {
                Ok((
                    cid,
                    Criterion {
                        name_ru,
                        name_en,
                        weight,
                        anchors_ru: json_list(&ru, "anchors")?,
                        anchors_en: json_list(&en, "anchors")?,
                    },
                ))
            })
            .collect::<Result<_, StorageError>>()?;
        on_pool!(self, pool => sqlx::query(
            "SELECT id, title_ru, title_en, year, stage, eligibility, submission_deadline, evaluation_deadline, \
             results_on, jury_body, decision, decided_at, published_at FROM competitions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(|row| competition_of(row, nominations, criteria))
        .transpose())
    }

    /// The experts of a nomination, replacing the ones it had (not once the evaluation started).
    pub async fn assign_experts(
        &self,
        actor: &str,
        competition: i64,
        nomination: i64,
        experts: &[i64],
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, competition).await?;
        if !matches!(stage, Stage::Draft | Stage::Open) {
            return stage_refusal(stage);
        }
        let known: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM competition_nominations WHERE id = $1 AND competition_id = $2",
        )
        .bind(nomination)
        .bind(competition)
        .fetch_one(conn)
        .await?);
        if known == 0 {
            return refuse(CompetitionRefusal::UnknownNomination(
                nomination.to_string(),
            ));
        }
        for expert in experts {
            let found: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT COUNT(*) FROM people WHERE id = $1 AND role = 'expert' AND active = $2",
            )
            .bind(expert)
            .bind(true)
            .fetch_one(conn)
            .await?);
            if found == 0 {
                return Err(StorageError::NotFound(format!("expert {expert}")));
            }
        }
        on_tx!(tx, conn => sqlx::query("DELETE FROM competition_experts WHERE nomination_id = $1")
            .bind(nomination)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        for expert in experts {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO competition_experts (nomination_id, person_id) VALUES ($1, $2)",
            )
            .bind(nomination)
            .bind(expert)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            "assign-experts",
            "competition_nomination",
            &nomination.to_string(),
            None,
            Some(&experts.to_vec()),
        ))
        .await?;
        tx.commit().await
    }

    /// Moves the competition one stage on. Starting the evaluation needs every eligible entry
    /// to have at least [`MIN_EXPERTS`] experts without an unwaived automatic conflict.
    /// Deciding goes through [`Competitions::decide`], publishing through
    /// [`Competitions::publish`].
    pub async fn step(&self, actor: &str, id: i64, step: Step) -> Result<Stage, StorageError> {
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, id).await?;
        let Some(next) = stage
            .after(step)
            .filter(|_| matches!(step, Step::Open | Step::StartEvaluation))
        else {
            return stage_refusal(stage);
        };
        if step == Step::StartEvaluation {
            let short = self.entries_short_of_experts(&mut tx, id).await?;
            if !short.is_empty() {
                return refuse(CompetitionRefusal::TooFewExperts(short.join(", ")));
            }
        }
        on_tx!(tx, conn => sqlx::query("UPDATE competitions SET stage = $1 WHERE id = $2")
            .bind(next.as_str())
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        if next == Stage::Open {
            // Every city's representatives hear of the call, with its deadline.
            let (title_ru, title_en, deadline): (String, String, String) = on_tx!(tx, conn => sqlx::query_as(
                "SELECT title_ru, title_en, submission_deadline FROM competitions WHERE id = $1",
            )
            .bind(id)
            .fetch_one(conn)
            .await?);
            let representatives: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT id FROM people WHERE role = $1 AND active = $2 ORDER BY id",
            )
            .bind(megapolis_domain::Role::CityRep.as_str())
            .bind(true)
            .fetch_all(conn)
            .await?);
            let subject = Subject {
                kind: "competition",
                id: id.to_string(),
                title: [title_ru, title_en]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / "),
                link: format!("/competitions/{id}"),
            };
            notify_people(
                &mut tx,
                &subject,
                "opened",
                &deadline,
                &representatives,
                None,
            )
            .await?;
        }
        tx.audit(&audit_entry(
            actor,
            "stage",
            "competition",
            &id.to_string(),
            Some(&stage.as_str()),
            Some(&next.as_str()),
        ))
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The eligible entries (as "id title") with fewer than [`MIN_EXPERTS`] experts who may
    /// score them as far as the organisations go.
    async fn entries_short_of_experts(
        &self,
        tx: &mut WriteTx,
        id: i64,
    ) -> Result<Vec<String>, StorageError> {
        let sql = format!("{ENTRY} WHERE e.competition_id = $1 AND e.state = $2 ORDER BY e.id");
        let eligible: Vec<Entry> = on_tx!(tx, conn => sqlx::query(&sql)
            .bind(id)
            .bind(EntryState::Eligible.as_str())
            .fetch_all(conn)
            .await?
            .iter()
            .map(entry_of)
            .collect::<Result<_, StorageError>>()?);
        let mut short = Vec::new();
        for entry in &eligible {
            let experts: Vec<(i64, Option<String>, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
                "SELECT p.id, p.city, d.waived_by FROM competition_experts x JOIN people p ON p.id = x.person_id \
                 LEFT JOIN competition_declarations d ON d.entry_id = $1 AND d.expert_id = p.id \
                 WHERE x.nomination_id = $2",
            )
            .bind(entry.id)
            .bind(entry.nomination_id)
            .fetch_all(conn)
            .await?);
            let able = experts
                .iter()
                .filter(|(_, city, waived)| {
                    let city = city.as_deref().and_then(|c| CityCode::parse(c).ok());
                    waived.is_some()
                        || automatic_conflict(city.as_ref(), &entry.city, &entry.used_by).is_none()
                })
                .count();
            if able < MIN_EXPERTS {
                short.push(format!("{} «{}» ({able})", entry.id, pick(entry)));
            }
        }
        Ok(short)
    }

    /// Saves an entry: a new draft (`entry` none) or changes to a draft. A city representative
    /// for their own city only; the Secretariat for any city.
    pub async fn save_entry(
        &self,
        author: &Person,
        competition: i64,
        entry: Option<i64>,
        draft: &NewEntry,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, competition).await?;
        if stage != Stage::Open {
            return stage_refusal(stage);
        }
        if author.role == megapolis_domain::Role::CityRep
            && author.city.as_ref() != Some(&draft.city)
        {
            return refuse(CompetitionRefusal::NotYourCity);
        }
        for city in std::iter::once(&draft.city).chain(&draft.used_by) {
            let known: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT COUNT(*) FROM cities WHERE code = $1",
            )
            .bind(city.as_str())
            .fetch_one(conn)
            .await?);
            if known == 0 {
                return refuse(CompetitionRefusal::UnknownCity(city.to_string()));
            }
        }
        let nomination: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT id FROM competition_nominations WHERE competition_id = $1 AND name = $2",
        )
        .bind(competition)
        .bind(&draft.nomination)
        .fetch_optional(conn)
        .await?);
        let Some(nomination) = nomination else {
            return refuse(CompetitionRefusal::UnknownNomination(
                draft.nomination.clone(),
            ));
        };
        let before = match entry {
            Some(id) => {
                let found = entry_in(&mut tx, id).await?;
                if found.competition_id != competition {
                    return Err(StorageError::NotFound(format!("entry {id}")));
                }
                if found.state != EntryState::Draft {
                    return refuse(EntryRefusal::WrongState);
                }
                if author.role == megapolis_domain::Role::CityRep
                    && author.city.as_ref() != Some(&found.city)
                {
                    return refuse(CompetitionRefusal::NotYourCity);
                }
                Some(found)
            }
            None => None,
        };
        let now = now_utc();
        let used_by: Vec<&str> = draft.used_by.iter().map(CityCode::as_str).collect();
        // A new entry starts as an empty draft row; one UPDATE writes the fields either way.
        let id: i64 = match entry {
            None => on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO competition_entries (competition_id, nomination_id, city, author_id, title_ru, title_en, \
                 summary_ru, summary_en, problem, results, technologies, hardware, licence, url, contacts, used_by, \
                 state, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, '', '', '', '', '', '', '[]', '[]', '', '', '', '[]', $5, $6, $6) RETURNING id",
            )
            .bind(competition)
            .bind(nomination)
            .bind(draft.city.as_str())
            .bind(author.id)
            .bind(EntryState::Draft.as_str())
            .bind(&now)
            .fetch_one(conn)
            .await?),
            Some(id) => id,
        };
        on_tx!(tx, conn => sqlx::query(
            "UPDATE competition_entries SET nomination_id = $1, city = $2, title_ru = $3, title_en = $4, \
             summary_ru = $5, summary_en = $6, problem = $7, results = $8, technologies = $9, hardware = $10, \
             licence = $11, url = $12, contacts = $13, used_by = $14, updated_at = $15 WHERE id = $16",
        )
        .bind(nomination)
        .bind(draft.city.as_str())
        .bind(&draft.title_ru)
        .bind(&draft.title_en)
        .bind(&draft.summary_ru)
        .bind(&draft.summary_en)
        .bind(&draft.problem)
        .bind(&draft.results)
        .bind(to_json(&draft.technologies))
        .bind(to_json(&draft.hardware))
        .bind(&draft.licence)
        .bind(&draft.url)
        .bind(&draft.contacts)
        .bind(to_json(&used_by))
        .bind(&now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let after = entry_in(&mut tx, id).await?;
        tx.audit(&audit_entry(
            &author.email.to_string(),
            if before.is_some() { "update" } else { "create" },
            "competition_entry",
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Submits, withdraws or screens an entry. `who` is the city representative of the entry's
    /// city (submit, withdraw) or the Secretariat (any step); a screening as not eligible needs
    /// a reason.
    pub async fn entry_step(
        &self,
        who: &Person,
        id: i64,
        step: EntryStep,
        reason: &str,
        today: Date,
    ) -> Result<EntryState, StorageError> {
        let mut tx = self.begin_write().await?;
        let entry = entry_in(&mut tx, id).await?;
        let stage = stage_in(&mut tx, entry.competition_id).await?;
        let deadline: String = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT submission_deadline FROM competitions WHERE id = $1",
        )
        .bind(entry.competition_id)
        .fetch_one(conn)
        .await?);
        if who.role == megapolis_domain::Role::CityRep && who.city.as_ref() != Some(&entry.city) {
            return refuse(CompetitionRefusal::NotYourCity);
        }
        let reason = reason.trim();
        if step == (EntryStep::Screen { eligible: false }) && reason.is_empty() {
            return refuse(CompetitionRefusal::NoReason);
        }
        let next = entry_after(entry.state, step, stage, parse_date(&deadline)?, today)
            .map_err(CompetitionRefusal::from)?;
        let screened = matches!(step, EntryStep::Screen { .. });
        on_tx!(tx, conn => sqlx::query(
            "UPDATE competition_entries SET state = $1, screening_reason = CASE WHEN $2 THEN $3 ELSE screening_reason END, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(next.as_str())
        .bind(screened)
        .bind((!reason.is_empty()).then_some(reason))
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &who.email.to_string(),
            "state",
            "competition_entry",
            &id.to_string(),
            Some(&serde_json::json!({ "state": entry.state.as_str() })),
            Some(&serde_json::json!({ "state": next.as_str(), "reason": reason })),
        ))
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The entries of a competition, by nomination and id.
    pub async fn entries(&self, competition: i64) -> Result<Vec<Entry>, StorageError> {
        let sql = format!("{ENTRY} WHERE e.competition_id = $1 ORDER BY n.position, e.id");
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(competition)
            .fetch_all(pool)
            .await?
            .iter()
            .map(entry_of)
            .collect())
    }

    pub async fn entry(&self, id: i64) -> Result<Option<Entry>, StorageError> {
        let sql = format!("{ENTRY} WHERE e.id = $1");
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(entry_of)
            .transpose())
    }

    /// Expert `expert`'s standing towards `entry`: `None` when they are not an expert of its
    /// nomination.
    pub async fn standing(
        &self,
        entry: i64,
        expert: i64,
    ) -> Result<Option<Standing>, StorageError> {
        let assigned: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM competition_experts x JOIN competition_entries e ON e.nomination_id = x.nomination_id \
             WHERE e.id = $1 AND x.person_id = $2",
        )
        .bind(entry)
        .bind(expert)
        .fetch_one(pool)
        .await?);
        if assigned == 0 {
            return Ok(None);
        }
        let row: Option<(Option<bool>, Option<String>, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT conflict, reason, waived_by FROM competition_declarations WHERE entry_id = $1 AND expert_id = $2",
        )
        .bind(entry)
        .bind(expert)
        .fetch_optional(pool)
        .await?);
        let scored: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM competition_scores WHERE entry_id = $1 AND expert_id = $2",
        )
        .bind(entry)
        .bind(expert)
        .fetch_one(pool)
        .await?);
        let (conflict, reason, waived) = row.unwrap_or((None, None, None));
        Ok(Some(Standing {
            declaration: match conflict {
                None => Declaration::NotYet,
                Some(false) => Declaration::NoConflict,
                Some(true) => Declaration::Conflict {
                    reason: reason.unwrap_or_default(),
                },
            },
            waived: waived.is_some(),
            scored: scored > 0,
        }))
    }

    /// Expert's declaration on an entry of their nomination: no conflict, or a conflict with a
    /// reason (then they never see its dossier). Once only.
    pub async fn declare(
        &self,
        expert: &Person,
        entry: i64,
        conflict: Option<&str>,
    ) -> Result<(), StorageError> {
        let standing = self
            .standing(entry, expert.id)
            .await?
            .ok_or_else(|| StorageError::from(CompetitionRefusal::NotAssigned))?;
        if standing.declaration != Declaration::NotYet {
            return refuse(EntryRefusal::WrongState);
        }
        let mut tx = self.begin_write().await?;
        let found = entry_in(&mut tx, entry).await?;
        let stage = stage_in(&mut tx, found.competition_id).await?;
        if stage != Stage::Evaluation || found.state != EntryState::Eligible {
            return stage_refusal(stage);
        }
        let reason = conflict.map(str::trim).filter(|r| !r.is_empty());
        if conflict.is_some() && reason.is_none() {
            return refuse(CompetitionRefusal::NoReason);
        }
        let now = now_utc();
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO competition_declarations (entry_id, expert_id, conflict, reason, declared_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_id, expert_id) DO UPDATE SET \
             conflict = excluded.conflict, reason = excluded.reason, declared_at = excluded.declared_at",
        )
        .bind(entry)
        .bind(expert.id)
        .bind(reason.is_some())
        .bind(reason)
        .bind(&now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &expert.email.to_string(),
            "declare",
            "competition_entry",
            &entry.to_string(),
            None,
            Some(&serde_json::json!({ "conflict": reason.is_some(), "reason": reason })),
        ))
        .await?;
        tx.commit().await
    }

    /// The jury chair's waiver of an expert's automatic conflict with an entry, with a reason.
    pub async fn waive(
        &self,
        chair: &str,
        entry: i64,
        expert: &Person,
        reason: &str,
    ) -> Result<(), StorageError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return refuse(CompetitionRefusal::NoReason);
        }
        let standing = self
            .standing(entry, expert.id)
            .await?
            .ok_or_else(|| StorageError::from(CompetitionRefusal::NotAssigned))?;
        let mut tx = self.begin_write().await?;
        let found = entry_in(&mut tx, entry).await?;
        if automatic_conflict(expert.city.as_ref(), &found.city, &found.used_by).is_none()
            || standing.scored
        {
            return refuse(CompetitionRefusal::NothingToWaive);
        }
        let stage = stage_in(&mut tx, found.competition_id).await?;
        if !matches!(stage, Stage::Open | Stage::Evaluation) {
            return stage_refusal(stage);
        }
        let now = now_utc();
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO competition_declarations (entry_id, expert_id, waiver_reason, waived_by, waived_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_id, expert_id) DO UPDATE SET \
             waiver_reason = excluded.waiver_reason, waived_by = excluded.waived_by, waived_at = excluded.waived_at",
        )
        .bind(entry)
        .bind(expert.id)
        .bind(reason)
        .bind(chair)
        .bind(&now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            chair,
            "waive",
            "competition_entry",
            &entry.to_string(),
            None,
            Some(&serde_json::json!({ "expert": expert.id, "reason": reason })),
        ))
        .await?;
        tx.commit().await
    }

    /// An expert's scores of an entry, one per criterion in order: final once saved. Refused
    /// unless the competition is in evaluation, the expert is assigned, declared no conflict and
    /// has no unwaived automatic one.
    pub async fn score(
        &self,
        expert: &Person,
        entry: i64,
        scores: &[CriterionScore],
    ) -> Result<(), StorageError> {
        let standing = self
            .standing(entry, expert.id)
            .await?
            .ok_or_else(|| StorageError::from(CompetitionRefusal::NotAssigned))?;
        let mut tx = self.begin_write().await?;
        let found = entry_in(&mut tx, entry).await?;
        let stage = stage_in(&mut tx, found.competition_id).await?;
        if stage != Stage::Evaluation || found.state != EntryState::Eligible {
            return stage_refusal(stage);
        }
        let automatic = automatic_conflict(expert.city.as_ref(), &found.city, &found.used_by);
        may_review(automatic, &standing.declaration, standing.waived)
            .map_err(CompetitionRefusal::from)?;
        let already: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM competition_scores WHERE entry_id = $1 AND expert_id = $2",
        )
        .bind(entry)
        .bind(expert.id)
        .fetch_one(conn)
        .await?);
        if already > 0 {
            return refuse(CompetitionRefusal::AlreadyScored);
        }
        let criteria: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT id FROM competition_criteria WHERE competition_id = $1 ORDER BY position",
        )
        .bind(found.competition_id)
        .fetch_all(conn)
        .await?);
        if criteria.len() != scores.len() {
            return Err(StorageError::Conflict(format!(
                "{} scores for {} criteria",
                scores.len(),
                criteria.len()
            )));
        }
        let now = now_utc();
        for (criterion, score) in criteria.iter().zip(scores) {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO competition_scores (entry_id, expert_id, criterion_id, score, comment, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(entry)
            .bind(expert.id)
            .bind(criterion)
            .bind(i64::from(score.score))
            .bind(&score.comment)
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            &expert.email.to_string(),
            "score",
            "competition_entry",
            &entry.to_string(),
            None,
            Some(&scores),
        ))
        .await?;
        tx.commit().await
    }

    /// Every submitted review of a competition (scores in criterion order).
    pub async fn reviews(&self, competition: i64) -> Result<Vec<Review>, StorageError> {
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.entry_id, s.expert_id, s.score FROM competition_scores s \
             JOIN competition_entries e ON e.id = s.entry_id JOIN competition_criteria c ON c.id = s.criterion_id \
             WHERE e.competition_id = $1 ORDER BY s.entry_id, s.expert_id, c.position",
        )
        .bind(competition)
        .fetch_all(pool)
        .await?);
        let mut out: Vec<Review> = Vec::new();
        for (entry, expert, score) in rows {
            let score = u8::try_from(score).map_err(|_| corrupt("score"))?;
            match out.last_mut() {
                Some(last) if last.entry == entry && last.expert == expert => {
                    last.scores.push(score)
                }
                _ => out.push(Review {
                    entry,
                    expert,
                    scores: vec![score],
                }),
            }
        }
        Ok(out)
    }

    /// The comments and scores of one entry's reviews: (expert's name, scores with comments).
    pub async fn review_details(
        &self,
        entry: i64,
    ) -> Result<Vec<(i64, String, Vec<CriterionScore>)>, StorageError> {
        let rows: Vec<(i64, String, i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.expert_id, p.name, s.score, s.comment FROM competition_scores s JOIN people p ON p.id = s.expert_id \
             JOIN competition_criteria c ON c.id = s.criterion_id WHERE s.entry_id = $1 ORDER BY s.expert_id, c.position",
        )
        .bind(entry)
        .fetch_all(pool)
        .await?);
        let mut out: Vec<(i64, String, Vec<CriterionScore>)> = Vec::new();
        for (expert, name, score, comment) in rows {
            let score = CriterionScore {
                score: u8::try_from(score).map_err(|_| corrupt("score"))?,
                comment,
            };
            match out.last_mut() {
                Some((last, _, scores)) if *last == expert => scores.push(score),
                _ => out.push((expert, name, vec![score])),
            }
        }
        Ok(out)
    }

    /// The jury's decision: winners and laureates among the eligible entries, and its text.
    pub async fn decide(
        &self,
        chair: &str,
        competition: i64,
        awards: &[(i64, Award)],
        decision: &str,
    ) -> Result<(), StorageError> {
        let decision = decision.trim();
        if decision.is_empty() {
            return refuse(CompetitionRefusal::NoReason);
        }
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, competition).await?;
        if stage.after(Step::Decide).is_none() {
            return stage_refusal(stage);
        }
        for (entry, award) in awards {
            let found = entry_in(&mut tx, *entry).await?;
            if found.competition_id != competition || found.state != EntryState::Eligible {
                return refuse(CompetitionRefusal::NotEligible(*entry));
            }
            on_tx!(tx, conn => sqlx::query("UPDATE competition_entries SET award = $1 WHERE id = $2")
                .bind(award.as_str())
                .bind(entry)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE competitions SET stage = $1, decision = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
        )
        .bind(Stage::Decided.as_str())
        .bind(decision)
        .bind(chair)
        .bind(now_utc())
        .bind(competition)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let recorded: Vec<(i64, &str)> = awards.iter().map(|(e, a)| (*e, a.as_str())).collect();
        tx.audit(&audit_entry(
            chair,
            "decide",
            "competition",
            &competition.to_string(),
            None,
            Some(&serde_json::json!({ "decision": decision, "awards": recorded })),
        ))
        .await?;
        tx.commit().await
    }

    /// Publishes the results: every winner and laureate becomes a published solution of the
    /// catalogue (its nomination, the competition's year), linked to its entry.
    pub async fn publish(&self, actor: &str, competition: i64) -> Result<Vec<i64>, StorageError> {
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, competition).await?;
        if stage.after(Step::Publish).is_none() {
            return stage_refusal(stage);
        }
        let year: i64 = on_tx!(tx, conn => sqlx::query_scalar("SELECT year FROM competitions WHERE id = $1")
            .bind(competition)
            .fetch_one(conn)
            .await?);
        let sql =
            format!("{ENTRY} WHERE e.competition_id = $1 AND e.award IS NOT NULL ORDER BY e.id");
        let awarded: Vec<Entry> = on_tx!(tx, conn => sqlx::query(&sql)
            .bind(competition)
            .fetch_all(conn)
            .await?
            .iter()
            .map(entry_of)
            .collect::<Result<_, StorageError>>()?);
        let mut solutions = Vec::with_capacity(awarded.len());
        for entry in &awarded {
            let solution = Solution {
                id: 0,
                title_ru: entry.title_ru.clone(),
                title_en: entry.title_en.clone(),
                summary_ru: entry.summary_ru.clone(),
                summary_en: entry.summary_en.clone(),
                city: Some(entry.city.to_string()),
                nomination: entry.nomination.clone(),
                year: i32::try_from(year).map_err(|_| corrupt("year"))?,
                technologies: entry.technologies.clone(),
                hardware: entry.hardware.clone(),
                licence: entry.licence.clone(),
                url: entry.url.clone(),
                published: true,
            };
            let id = insert_solution(&mut tx, actor, &solution).await?;
            on_tx!(tx, conn => sqlx::query("UPDATE competition_entries SET solution_id = $1 WHERE id = $2")
                .bind(id)
                .bind(entry.id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
            solutions.push(id);
        }
        on_tx!(tx, conn => sqlx::query("UPDATE competitions SET stage = $1, published_at = $2 WHERE id = $3")
            .bind(Stage::Published.as_str())
            .bind(now_utc())
            .bind(competition)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            actor,
            "publish",
            "competition",
            &competition.to_string(),
        ))
        .await?;
        tx.commit().await?;
        Ok(solutions)
    }
}

fn competition_of(
    row: &impl NamedRow,
    nominations: Vec<Nomination>,
    criteria: Vec<(i64, Criterion)>,
) -> Result<Competition, StorageError> {
    let stage = row.text("stage")?;
    Ok(Competition {
        id: row.int("id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        year: i32::try_from(row.int("year")?).map_err(|_| corrupt("year"))?,
        stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage"))?,
        eligibility: json_list(&row.text("eligibility")?, "eligibility")?,
        submission_deadline: parse_date(&row.text("submission_deadline")?)?,
        evaluation_deadline: parse_date(&row.text("evaluation_deadline")?)?,
        results_on: parse_date(&row.text("results_on")?)?,
        jury_body: row.text("jury_body")?,
        decision: row.text_or_none("decision")?,
        decided_at: row.text_or_none("decided_at")?,
        published_at: row.text_or_none("published_at")?,
        nominations,
        criteria,
    })
}

impl Competitions<'_> {
    /// Attaches a checked file to an entry while the call is open and the entry not withdrawn:
    /// its city's representative or the Secretariat. Returns the file's id.
    pub async fn attach(
        &self,
        who: &Person,
        entry: i64,
        file: &NewFile,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let found = entry_in(&mut tx, entry).await?;
        if who.role == megapolis_domain::Role::CityRep && who.city.as_ref() != Some(&found.city) {
            return refuse(CompetitionRefusal::NotYourCity);
        }
        let stage = stage_in(&mut tx, found.competition_id).await?;
        if stage != Stage::Open {
            return stage_refusal(stage);
        }
        if found.state == EntryState::Withdrawn {
            return refuse(EntryRefusal::WrongState);
        }
        let actor = who.email.to_string();
        let id = insert_file(&mut tx, &actor, file).await?;
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO competition_entry_files (entry_id, file_id) VALUES ($1, $2)",
        )
        .bind(entry)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &actor,
            "attach",
            "competition_entry",
            &entry.to_string(),
            None,
            Some(&serde_json::json!({ "file": id, "name": file.name })),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An entry's attachments, in the order they came.
    pub async fn attachments(&self, entry: i64) -> Result<Vec<FileInfo>, StorageError> {
        let rows: Vec<(i64, String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT f.id, f.name, f.content_type, f.size FROM competition_entry_files a \
             JOIN files f ON f.id = a.file_id WHERE a.entry_id = $1 ORDER BY f.id",
        )
        .bind(entry)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, name, content_type, size)| FileInfo {
                id,
                name,
                content_type,
                size,
            })
            .collect())
    }

    /// Whether `file` is an attachment of `entry`.
    pub async fn is_attachment(&self, entry: i64, file: i64) -> Result<bool, StorageError> {
        let found: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM competition_entry_files WHERE entry_id = $1 AND file_id = $2",
        )
        .bind(entry)
        .bind(file)
        .fetch_one(pool)
        .await?);
        Ok(found > 0)
    }
}

/// An entry's title in Russian, or English when it has none.
fn pick(entry: &Entry) -> &str {
    if entry.title_ru.is_empty() {
        &entry.title_en
    } else {
        &entry.title_ru
    }
}
