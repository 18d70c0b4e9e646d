//! The promotion concept: the Secretariat's concepts and their presentations (a published
//! solution shown to a target city in a month or quarter of the plan year), and the event
//! proposals made from them (the reasons are the matrix's, read when shown). Every change is one audited
//! transaction; what a rule needs (the concept's state, the solution, the city, a duplicate) is
//! read in it.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, Reader, WriteTx};
use crate::org::load_city;
use crate::StorageError;
use megapolis_catalogue::promotion::{ConceptState, NewConcept, NewPresentation, When};
use megapolis_domain::{FieldErrors, Person};
use megapolis_events::{EventKind, NewProposal, ProposalInput};
use serde::Serialize;

/// What a backup holds of the promotion concepts (after the events: a presentation names its
/// proposal).
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "promotion_concepts",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("year", Kind::Int),
            ("state", Kind::Text),
            ("created_by", Kind::Text),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "promotion_presentations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("concept_id", Kind::Int),
            ("solution_id", Kind::Int),
            ("city", Kind::Text),
            ("period", Kind::Text),
            ("note", Kind::Text),
            ("proposal_id", Kind::Int),
            ("created_at", Kind::Text),
        ],
    },
];

/// A concept as stored, its presentations in the order of their period, then city.
#[derive(Debug, Clone, Serialize)]
pub struct Concept {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub year: i32,
    pub state: ConceptState,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub presentations: Vec<Presentation>,
}

/// A presentation as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Presentation {
    pub id: i64,
    pub solution: i64,
    pub solution_title_ru: String,
    pub solution_title_en: String,
    pub city: String,
    pub when: When,
    pub note: String,
    /// The event proposal made from it.
    pub proposal: Option<i64>,
}

const CONCEPT: &str =
    "SELECT id, title_ru, title_en, year, state, created_by, created_at, updated_at \
     FROM promotion_concepts";

const PRESENTATION: &str = "SELECT p.id, p.solution_id, s.title_ru, s.title_en, p.city, p.period, \
     p.note, p.proposal_id FROM promotion_presentations p \
     JOIN catalogue_solutions s ON s.id = p.solution_id WHERE p.concept_id = $1 \
     ORDER BY p.period, p.city, p.id";

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("promotion {what} {value:?}"))
}

fn concept_of(row: &impl NamedRow) -> Result<Concept, StorageError> {
    let state = row.text("state")?;
    let year = row.int("year")?;
    Ok(Concept {
        id: row.int("id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        year: i32::try_from(year).map_err(|_| corrupt("year", &year.to_string()))?,
        state: ConceptState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        created_by: row.text("created_by")?,
        created_at: row.text("created_at")?,
        updated_at: row.text("updated_at")?,
        presentations: Vec::new(),
    })
}

fn presentation_of(row: &impl NamedRow) -> Result<Presentation, StorageError> {
    let period = row.text("period")?;
    Ok(Presentation {
        id: row.int("id")?,
        solution: row.int("solution_id")?,
        solution_title_ru: row.text("title_ru")?,
        solution_title_en: row.text("title_en")?,
        city: row.text("city")?,
        when: When::parse(&period).ok_or_else(|| corrupt("period", &period))?,
        note: row.text("note")?,
        proposal: row.int_or_none("proposal_id")?,
    })
}

/// The state of concept `id`, read in the write's transaction.
async fn state_in(tx: &mut WriteTx, id: i64) -> Result<ConceptState, StorageError> {
    let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT state FROM promotion_concepts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?);
    let state = state.ok_or_else(|| StorageError::NotFound(format!("concept {id}")))?;
    ConceptState::parse(&state).ok_or_else(|| corrupt("state", &state))
}

async fn touch(tx: &mut WriteTx, id: i64, now: &str) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query("UPDATE promotion_concepts SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// The organiser of the proposals: the Secretariat's body in the directory.
const SECRETARIAT_BODY: &str = "secretariat";

/// The event proposal a presentation becomes: a seminar presenting the solution, hosted by the
/// target city, in the presentation's month or quarter, organised by the Secretariat; checked
/// by the events' own parser.
pub fn proposal_for(presentation: &Presentation, year: i64) -> Result<NewProposal, FieldErrors> {
    let (month, quarter) = match presentation.when {
        When::Month { month, .. } => (month.to_string(), String::new()),
        When::Quarter { quarter, .. } => (String::new(), quarter.to_string()),
    };
    let named = |title: &str, other: &str| {
        if title.is_empty() {
            other.to_string()
        } else {
            title.to_string()
        }
    };
    ProposalInput {
        year: year.to_string(),
        kind: EventKind::Seminar.as_str().into(),
        title_ru: format!(
            "Презентация решения «{}»",
            named(
                &presentation.solution_title_ru,
                &presentation.solution_title_en
            )
        ),
        title_en: format!(
            "Presentation of the solution “{}”",
            named(
                &presentation.solution_title_en,
                &presentation.solution_title_ru
            )
        ),
        description_ru: presentation.note.clone(),
        description_en: presentation.note.clone(),
        month,
        quarter,
        city: presentation.city.clone(),
        organiser: SECRETARIAT_BODY.into(),
        solutions: presentation.solution.to_string(),
        ..ProposalInput::default()
    }
    .parse()
}

crate::facet!(
    /// The promotion concepts of the catalogue's solutions.
    Promotion,
    promotion
);

impl Promotion<'_> {
    /// Saves a draft concept.
    pub async fn create(&self, actor: &str, concept: &NewConcept) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let now = now_utc();
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO promotion_concepts (title_ru, title_en, year, state, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&concept.title_ru)
        .bind(&concept.title_en)
        .bind(i64::from(concept.year))
        .bind(ConceptState::Draft.as_str())
        .bind(actor)
        .bind(&now)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            actor,
            "create",
            "promotion_concept",
            &id.to_string(),
            None,
            Some(concept),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every concept, the newest plan year first, without its presentations.
    pub async fn list(&self) -> Result<Vec<Concept>, StorageError> {
        let sql = format!("{CONCEPT} ORDER BY year DESC, id DESC");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(concept_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(found)
    }

    /// Concept `id` with its presentations.
    pub async fn get(&self, id: i64) -> Result<Option<Concept>, StorageError> {
        let sql = format!("{CONCEPT} WHERE id = $1");
        let concept = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(concept_of)
            .transpose()?);
        let Some(mut concept) = concept else {
            return Ok(None);
        };
        concept.presentations = on_pool!(self, pool => sqlx::query(PRESENTATION)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(presentation_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(Some(concept))
    }

    /// Adds a presentation to draft concept `id`:
    /// `Ok(Err(errors))` names the refused field (a solution not published, a city not in the
    /// directory, a pairing already in the concept) and saves nothing; a final concept is a
    /// conflict.
    pub async fn add(
        &self,
        actor: &str,
        id: i64,
        presentation: &NewPresentation,
    ) -> Result<Result<i64, FieldErrors>, StorageError> {
        let mut tx = self.begin_write().await?;
        if state_in(&mut tx, id).await? != ConceptState::Draft {
            return Err(StorageError::Conflict(format!(
                "concept {id} is final: its presentations no longer change"
            )));
        }
        let mut errors = FieldErrors::default();
        let published: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT published FROM catalogue_solutions WHERE id = $1",
        )
        .bind(presentation.solution)
        .fetch_optional(conn)
        .await?);
        if published != Some(true) {
            errors.add("solution", "promotion-error-solution");
        }
        if load_city(&mut Reader::Tx(&mut tx), &presentation.city)
            .await?
            .is_none()
        {
            errors.add("city", "promotion-error-city");
        }
        let twice: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM promotion_presentations WHERE concept_id = $1 AND solution_id = $2 AND city = $3",
        )
        .bind(id)
        .bind(presentation.solution)
        .bind(presentation.city.as_str())
        .fetch_one(conn)
        .await?);
        if twice > 0 {
            errors.add("solution", "promotion-error-duplicate");
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let now = now_utc();
        let added: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO promotion_presentations (concept_id, solution_id, city, period, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(presentation.solution)
        .bind(presentation.city.as_str())
        .bind(presentation.when.as_text())
        .bind(&presentation.note)
        .bind(&now)
        .fetch_one(conn)
        .await?);
        touch(&mut tx, id, &now).await?;
        tx.audit(&audit_entry(
            actor,
            "create",
            "promotion_presentation",
            &added.to_string(),
            None,
            Some(&serde_json::json!({ "concept": id, "presentation": presentation })),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(added))
    }

    /// Makes draft concept `id` final; a final one is a conflict.
    pub async fn finalise(&self, actor: &str, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        if state_in(&mut tx, id).await? != ConceptState::Draft {
            return Err(StorageError::Conflict(format!(
                "concept {id} is already final"
            )));
        }
        let now = now_utc();
        on_tx!(tx, conn => sqlx::query("UPDATE promotion_concepts SET state = $1, updated_at = $2 WHERE id = $3")
            .bind(ConceptState::Final.as_str())
            .bind(&now)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?);
        tx.audit(&audit_entry(
            actor,
            "finalise",
            "promotion_concept",
            &id.to_string(),
            Some(&ConceptState::Draft),
            Some(&ConceptState::Final),
        ))
        .await?;
        tx.commit().await
    }

    /// Turns every presentation of concept `id` not yet turned into a draft event proposal by
    /// `author`, through the events' own proposal write (its rules), each presentation keeping
    /// its proposal's id ([`proposal_for`]); all or nothing. Returns the new proposals' ids
    /// (none the second time).
    pub async fn to_proposals(&self, author: &Person, id: i64) -> Result<Vec<i64>, StorageError> {
        let mut tx = self.begin_write().await?;
        state_in(&mut tx, id).await?;
        let year: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT year FROM promotion_concepts WHERE id = $1",
        )
        .bind(id)
        .fetch_one(conn)
        .await?);
        let pending: Vec<Presentation> = on_tx!(tx, conn => sqlx::query(PRESENTATION)
            .bind(id)
            .fetch_all(conn)
            .await?
            .iter()
            .map(presentation_of)
            .collect::<Result<Vec<_>, StorageError>>()?)
        .into_iter()
        .filter(|p| p.proposal.is_none())
        .collect();
        let mut made = Vec::with_capacity(pending.len());
        for presentation in &pending {
            let new = proposal_for(presentation, year).map_err(|errors| {
                StorageError::Conflict(format!(
                    "presentation {}: the event proposal is refused: {errors}",
                    presentation.id
                ))
            })?;
            let proposal_id = crate::events::propose_in(&mut tx, author, &new)
                .await?
                .map_err(|refusal| {
                    StorageError::Conflict(format!("presentation {}: {refusal}", presentation.id))
                })?;
            on_tx!(tx, conn => sqlx::query("UPDATE promotion_presentations SET proposal_id = $1 WHERE id = $2")
                .bind(proposal_id)
                .bind(presentation.id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())?);
            tx.audit(&audit_entry(
                &author.email.to_string(),
                "propose",
                "promotion_presentation",
                &presentation.id.to_string(),
                None,
                Some(&serde_json::json!({ "concept": id, "proposal": proposal_id })),
            ))
            .await?;
            made.push(proposal_id);
        }
        if !made.is_empty() {
            touch(&mut tx, id, &now_utc()).await?;
        }
        tx.commit().await?;
        Ok(made)
    }
}
