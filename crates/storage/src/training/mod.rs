//! Training of city staff: programmes, cohorts with their quotas, nominations, completion,
//! certificates (the signed credential as issued) and the association's issuer key. Every
//! change is one audited transaction; the nomination rule reads the places in the write's own
//! transaction, so two representatives cannot both take a city's last place.
mod reports;

use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, Reader, WriteTx};
use crate::notices::{city_representatives, notify_people_copying};
use crate::org::load_city;
use crate::StorageError;
use megapolis_domain::notice::Subject;
use megapolis_domain::{CityCode, Person};
use megapolis_training::{
    attended_share, check_nomination, check_places, nominating_city, parse_date, Attendance,
    Cohort, CompletionRule, Decision, Format, NominationState, Nominee, Outcome, Places, Programme,
    Window,
};
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// What a backup holds of training, parents before children. The issuer key is in it: a
/// restored database must still verify the certificates it issued.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "training_programmes",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("description", Kind::Text),
            ("partner", Kind::Text),
            ("hours", Kind::Int),
            ("format", Kind::Text),
            ("validity_years", Kind::Int),
            ("min_attendance", Kind::Real),
            ("created_at", Kind::Text),
            ("outcomes", Kind::Text),
            ("competences", Kind::Text),
            ("courses", Kind::Text),
        ],
    },
    Table {
        name: "training_cohorts",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("programme_id", Kind::Int),
            ("title", Kind::Text),
            ("starts_on", Kind::Text),
            ("ends_on", Kind::Text),
            ("place", Kind::Text),
            ("capacity", Kind::Int),
            ("applications_open", Kind::Text),
            ("applications_close", Kind::Text),
            ("created_at", Kind::Text),
            ("teachers", Kind::Text),
        ],
    },
    Table {
        name: "training_teachers",
        identity: false,
        columns: &[("cohort_id", Kind::Int), ("person_id", Kind::Int)],
    },
    Table {
        name: "training_sessions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("cohort_id", Kind::Int),
            ("day", Kind::Text),
            ("topic", Kind::Text),
            ("created_at", Kind::Text),
        ],
    },
    Table {
        name: "training_quotas",
        identity: false,
        columns: &[
            ("cohort_id", Kind::Int),
            ("city", Kind::Text),
            ("places", Kind::Int),
        ],
    },
    Table {
        name: "training_nominations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("cohort_id", Kind::Int),
            ("city", Kind::Text),
            ("name", Kind::Text),
            ("position", Kind::Text),
            ("department", Kind::Text),
            ("email", Kind::Text),
            ("state", Kind::Text),
            ("attendance", Kind::Real),
            ("assessment_passed", Kind::Bool),
            ("nominated_by", Kind::Text),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
            ("reason", Kind::Text),
            ("moved_to", Kind::Int),
        ],
    },
    Table {
        name: "training_attendance",
        identity: false,
        columns: &[
            ("session_id", Kind::Int),
            ("nomination_id", Kind::Int),
            ("present", Kind::Bool),
            ("marked_at", Kind::Text),
        ],
    },
    Table {
        name: "training_certificates",
        identity: false,
        columns: &[
            ("code", Kind::Text),
            ("nomination_id", Kind::Int),
            ("credential", Kind::Text),
            ("issued_at", Kind::Text),
            ("valid_until", Kind::Text),
            ("revoked_at", Kind::Text),
            ("revoked_reason", Kind::Text),
        ],
    },
    Table {
        name: "training_issuer_key",
        identity: false,
        columns: &[
            ("id", Kind::Int),
            ("seed_hex", Kind::Text),
            ("created_at", Kind::Text),
        ],
    },
];

/// A stored programme.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeRecord {
    pub id: i64,
    #[serde(flatten)]
    pub programme: Programme,
}

/// A stored cohort with its programme's titles and the places each city used.
#[derive(Debug, Clone, Serialize)]
pub struct CohortRecord {
    pub id: i64,
    pub programme_title_ru: String,
    pub programme_title_en: String,
    #[serde(flatten)]
    pub cohort: Cohort,
    /// Nominations per city that hold a place (`NominationState::holds_place`).
    pub used: BTreeMap<CityCode, u32>,
}

impl CohortRecord {
    pub fn used_by(&self, city: &CityCode) -> u32 {
        self.used.get(city).copied().unwrap_or(0)
    }
    pub fn used_total(&self) -> u32 {
        self.used.values().sum()
    }
}

/// A nomination as the staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct NominationRecord {
    pub id: i64,
    pub cohort_id: i64,
    pub city: String,
    pub name: String,
    pub position: String,
    pub department: String,
    pub email: String,
    /// One of `megapolis_training::NominationState`.
    pub state: String,
    pub attendance: Option<f64>,
    pub assessment_passed: Option<bool>,
    pub certificate: Option<String>,
    /// Why it was declined, withdrawn or moved.
    pub reason: Option<String>,
    /// The nomination it became in another cohort.
    pub moved_to: Option<i64>,
}

/// What a certificate is made of, read in the issuing transaction.
#[derive(Debug, Clone)]
pub struct IssueCandidate {
    pub nomination_id: i64,
    pub recipient_name: String,
    pub programme_id: i64,
    pub programme: Programme,
    pub cohort_title: String,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// A certificate made for a candidate: its code and the signed credential.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub code: String,
    pub credential: serde_json::Value,
    pub issued_at: String,
    pub valid_until: Option<String>,
}

/// A stored certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateRecord {
    pub code: String,
    pub nomination_id: i64,
    pub cohort_id: i64,
    pub city: String,
    pub recipient_name: String,
    /// The credential exactly as issued (JSON text).
    pub credential: String,
    pub issued_at: String,
    pub valid_until: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
}

crate::facet!(
    /// Training of city staff.
    Training,
    training
);

fn corrupt(what: &str, e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(format!("{what}: {e}"))
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn programme_of(row: &impl NamedRow) -> Result<ProgrammeRecord, StorageError> {
    let id = row.int("id")?;
    let format = row.text("format")?;
    Ok(ProgrammeRecord {
        id,
        programme: Programme {
            title_ru: row.text("title_ru")?,
            title_en: row.text("title_en")?,
            description: row.text("description")?,
            partner: row.text("partner")?,
            hours: count(row.int("hours")?),
            format: Format::parse(&format)
                .ok_or_else(|| corrupt(&format!("programme {id}"), format))?,
            validity_years: row.int_or_none("validity_years")?.map(count),
            rule: CompletionRule {
                min_attendance: row
                    .real_or_none("min_attendance")?
                    .unwrap_or(CompletionRule::DEFAULT_MIN_ATTENDANCE),
            },
            outcomes: row
                .text("outcomes")?
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
            competences: row
                .text("competences")?
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            courses: serde_json::from_str(&row.text("courses")?)
                .map_err(|e| corrupt(&format!("courses of programme {id}"), e))?,
        },
    })
}

const PROGRAMME: &str = "SELECT id, title_ru, title_en, description, partner, hours, format, \
     validity_years, min_attendance, outcomes, competences, courses FROM training_programmes";

const COHORT: &str = "SELECT c.id, c.programme_id, c.title, c.starts_on, c.ends_on, c.place, \
     c.teachers, c.capacity, c.applications_open, c.applications_close, p.title_ru, p.title_en \
     FROM training_cohorts c JOIN training_programmes p ON p.id = c.programme_id";

const NOMINATION: &str = "SELECT n.id, n.cohort_id, n.city, n.name, n.position, n.department, \
     n.email, n.state, n.attendance, n.assessment_passed, n.reason, n.moved_to, c.code AS certificate \
     FROM training_nominations n LEFT JOIN training_certificates c ON c.nomination_id = n.id";

const CERTIFICATE: &str = "SELECT c.code, c.nomination_id, n.cohort_id, n.city, n.name, \
     c.credential, c.issued_at, c.valid_until, c.revoked_at, c.revoked_reason \
     FROM training_certificates c JOIN training_nominations n ON n.id = c.nomination_id";

fn date_of(row: &impl NamedRow, column: &'static str) -> Result<Date, StorageError> {
    let text = row.text(column)?;
    parse_date(column, &text).map_err(|e| corrupt(column, e))
}

/// A cohort row without its quotas and usage, read after it.
fn cohort_of(row: &impl NamedRow) -> Result<CohortRecord, StorageError> {
    Ok(CohortRecord {
        id: row.int("id")?,
        programme_title_ru: row.text("title_ru")?,
        programme_title_en: row.text("title_en")?,
        cohort: Cohort {
            programme_id: row.int("programme_id")?,
            title: row.text("title")?,
            starts_on: date_of(row, "starts_on")?,
            ends_on: date_of(row, "ends_on")?,
            place: row.text("place")?,
            teachers: row.text("teachers")?,
            teacher_accounts: Vec::new(),
            capacity: count(row.int("capacity")?),
            window: Window {
                opens: date_of(row, "applications_open")?,
                closes: date_of(row, "applications_close")?,
            },
            quotas: BTreeMap::new(),
        },
        used: BTreeMap::new(),
    })
}

fn nomination_of(row: &impl NamedRow) -> Result<NominationRecord, StorageError> {
    // SQLite keeps the flag as an integer, PostgreSQL as a boolean; NULL: not yet assessed.
    let passed = match row.int_or_none("assessment_passed") {
        Ok(value) => value.map(|p| p != 0),
        Err(_) => row.flag("assessment_passed").ok(),
    };
    Ok(NominationRecord {
        id: row.int("id")?,
        cohort_id: row.int("cohort_id")?,
        city: row.text("city")?,
        name: row.text("name")?,
        position: row.text("position")?,
        department: row.text("department")?,
        email: row.text("email")?,
        state: row.text("state")?,
        attendance: row.real_or_none("attendance")?,
        assessment_passed: passed,
        certificate: row.text_or_none("certificate")?,
        reason: row.text_or_none("reason")?,
        moved_to: row.int_or_none("moved_to")?,
    })
}

fn state_of(n: &NominationRecord) -> Result<NominationState, StorageError> {
    NominationState::parse(&n.state)
        .ok_or_else(|| corrupt(&format!("nomination {}", n.id), &n.state))
}

fn city_of(n: &NominationRecord) -> Result<CityCode, StorageError> {
    CityCode::parse(&n.city).map_err(|e| corrupt("nomination city", e.0))
}

/// What the places rule reads of a cohort for a city.
fn places_of<'a>(cohort: &'a CohortRecord, city: &CityCode) -> Places<'a> {
    Places {
        cohort: &cohort.cohort,
        used_by_city: cohort.used_by(city),
        used_total: cohort.used_total(),
        already_nominated: false,
    }
}

/// Writes a nomination of `nominee` to the cohort for the city, in `state`, with its results
/// (attendance, assessment passed) when they are known; returns its id.
#[allow(clippy::too_many_arguments)] // one row's columns, each named at the call
async fn insert_nomination(
    tx: &mut WriteTx,
    cohort_id: i64,
    city: &CityCode,
    nominee: &Nominee,
    state: &str,
    result: Option<(Attendance, bool)>,
    by: &str,
    now: &str,
) -> Result<i64, StorageError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO training_nominations (cohort_id, city, name, position, department, email, state, \
         attendance, assessment_passed, nominated_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(cohort_id)
    .bind(city.as_str())
    .bind(&nominee.name)
    .bind(&nominee.position)
    .bind(&nominee.department)
    .bind(&nominee.email)
    .bind(state)
    .bind(result.map(|(attendance, _)| attendance.share()))
    .bind(result.map(|(_, passed)| passed))
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?))
}

/// A cohort read in a write's transaction, or not found.
async fn cohort_for_write(tx: &mut WriteTx, id: i64) -> Result<CohortRecord, StorageError> {
    cohort_in(&mut Reader::Tx(tx), id)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("cohort {id}")))
}

/// Is the e-mail nominated to the cohort already (in any state: nobody twice).
async fn nominated_already(
    tx: &mut WriteTx,
    cohort_id: i64,
    email: &str,
) -> Result<bool, StorageError> {
    let n: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_nominations WHERE cohort_id = $1 AND email = $2",
    )
    .bind(cohort_id)
    .bind(email)
    .fetch_one(conn)
    .await?);
    Ok(n > 0)
}

async fn nomination_in(tx: &mut WriteTx, id: i64) -> Result<NominationRecord, StorageError> {
    let sql = format!("{NOMINATION} WHERE n.id = $1");
    on_tx!(tx, conn => sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(nomination_of)
        .transpose())?
    .ok_or_else(|| StorageError::NotFound(format!("nomination {id}")))
}

/// Tells the nominating city's representatives what became of a nomination, and the nominee
/// by e-mail, in the write's transaction: `kind` is the new state, `text` the reason (or the
/// new cohort).
async fn tell_city(
    tx: &mut WriteTx,
    nomination: &NominationRecord,
    kind: &str,
    text: &str,
    actor: i64,
) -> Result<usize, StorageError> {
    let subject = Subject {
        kind: "training",
        id: nomination.id.to_string(),
        title: nomination.name.clone(),
        link: format!(
            "/training/cohorts/{}#nomination-{}",
            nomination.cohort_id, nomination.id
        ),
    };
    let reps = city_representatives(tx, &nomination.city).await?;
    notify_people_copying(
        tx,
        &subject,
        kind,
        text,
        &reps,
        Some(actor),
        &[nomination.email.as_str()],
    )
    .await
}

/// One session of a cohort's schedule and who was present.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRecord {
    pub id: i64,
    pub day: Date,
    pub topic: String,
    pub present: Vec<i64>,
}

fn certificate_of(row: &impl NamedRow) -> Result<CertificateRecord, StorageError> {
    Ok(CertificateRecord {
        code: row.text("code")?,
        nomination_id: row.int("nomination_id")?,
        cohort_id: row.int("cohort_id")?,
        city: row.text("city")?,
        recipient_name: row.text("name")?,
        credential: row.text("credential")?,
        issued_at: row.text("issued_at")?,
        valid_until: row.text_or_none("valid_until")?,
        revoked_at: row.text_or_none("revoked_at")?,
        revoked_reason: row.text_or_none("revoked_reason")?,
    })
}

async fn quotas_and_usage(
    reader: &mut Reader<'_>,
    record: &mut CohortRecord,
) -> Result<(), StorageError> {
    let quotas: Vec<(String, i64)> = crate::db::on_reader!(reader, conn => sqlx::query_as(
        "SELECT city, places FROM training_quotas WHERE cohort_id = $1 ORDER BY city",
    )
    .bind(record.id)
    .fetch_all(conn)
    .await?);
    let held: Vec<&str> = NominationState::ALL
        .into_iter()
        .filter(|s| s.holds_place())
        .map(NominationState::as_str)
        .collect();
    let placeholders: Vec<String> = (0..held.len()).map(|k| format!("${}", k + 2)).collect();
    let sql = format!(
        "SELECT city, COUNT(*) FROM training_nominations WHERE cohort_id = $1 AND state IN ({}) GROUP BY city",
        placeholders.join(", ")
    );
    let used: Vec<(String, i64)> = crate::db::on_reader!(reader, conn => {
        let mut query = sqlx::query_as(&sql).bind(record.id);
        for state in &held {
            query = query.bind(*state);
        }
        query.fetch_all(conn).await?
    });
    record.cohort.teacher_accounts = crate::db::on_reader!(reader, conn => sqlx::query_scalar(
        "SELECT p.email FROM training_teachers t JOIN people p ON p.id = t.person_id \
         WHERE t.cohort_id = $1 ORDER BY p.email",
    )
    .bind(record.id)
    .fetch_all(conn)
    .await?);
    for (city, places) in quotas {
        let code = CityCode::parse(&city).map_err(|e| corrupt("quota city", e.0))?;
        record.cohort.quotas.insert(code, count(places));
    }
    for (city, n) in used {
        let code = CityCode::parse(&city).map_err(|e| corrupt("nomination city", e.0))?;
        record.used.insert(code, count(n));
    }
    Ok(())
}

async fn cohort_in(reader: &mut Reader<'_>, id: i64) -> Result<Option<CohortRecord>, StorageError> {
    let sql = format!("{COHORT} WHERE c.id = $1");
    let row = crate::db::on_reader!(reader, conn => sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(cohort_of)
        .transpose())?;
    match row {
        None => Ok(None),
        Some(mut record) => {
            quotas_and_usage(reader, &mut record).await?;
            Ok(Some(record))
        }
    }
}

async fn programme_in(tx: &mut WriteTx, id: i64) -> Result<Option<ProgrammeRecord>, StorageError> {
    let sql = format!("{PROGRAMME} WHERE id = $1");
    on_tx!(tx, conn => sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(programme_of)
        .transpose())
}

impl Training<'_> {
    pub async fn create_programme(
        &self,
        actor: &str,
        programme: &Programme,
    ) -> Result<i64, StorageError> {
        let courses_json = serde_json::to_string(&programme.courses)
            .map_err(|e| StorageError::Corrupt(format!("courses: {e}")))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO training_programmes (title_ru, title_en, description, partner, hours, format, \
             validity_years, min_attendance, created_at, outcomes, competences, courses) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&programme.title_ru)
        .bind(&programme.title_en)
        .bind(&programme.description)
        .bind(&programme.partner)
        .bind(i64::from(programme.hours))
        .bind(programme.format.as_str())
        .bind(programme.validity_years.map(i64::from))
        .bind(programme.rule.min_attendance)
        .bind(now_utc())
        .bind(programme.outcomes.join("\n"))
        .bind(programme.competences.join(","))
        .bind(courses_json)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            actor,
            "create",
            "training-programme",
            &id.to_string(),
            None,
            Some(programme),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Does the person teach the cohort (their account is one of its teachers').
    pub async fn teaches(&self, person_id: i64, cohort_id: i64) -> Result<bool, StorageError> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM training_teachers WHERE person_id = $1 AND cohort_id = $2",
        )
        .bind(person_id)
        .bind(cohort_id)
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// The cohort of a nomination, or of a session (`of_session`).
    pub async fn cohort_id_of(&self, id: i64, of_session: bool) -> Result<i64, StorageError> {
        let sql = if of_session {
            "SELECT cohort_id FROM training_sessions WHERE id = $1"
        } else {
            "SELECT cohort_id FROM training_nominations WHERE id = $1"
        };
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        found.ok_or_else(|| {
            StorageError::NotFound(format!(
                "{} {id}",
                if of_session { "session" } else { "nomination" }
            ))
        })
    }

    pub async fn programmes(&self) -> Result<Vec<ProgrammeRecord>, StorageError> {
        let sql = format!("{PROGRAMME} ORDER BY id");
        on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(programme_of)
            .collect())
    }

    /// Adds a cohort of an existing programme; every city of its quotas must be in the
    /// directory.
    pub async fn create_cohort(&self, actor: &str, cohort: &Cohort) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        if programme_in(&mut tx, cohort.programme_id).await?.is_none() {
            return Err(StorageError::NotFound(format!(
                "programme {}",
                cohort.programme_id
            )));
        }
        for city in cohort.quotas.keys() {
            if load_city(&mut Reader::Tx(&mut tx), city).await?.is_none() {
                return Err(StorageError::NotFound(format!("city {}", city.as_str())));
            }
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO training_cohorts (programme_id, title, starts_on, ends_on, place, capacity, \
             applications_open, applications_close, created_at, teachers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(cohort.programme_id)
        .bind(&cohort.title)
        .bind(cohort.starts_on.to_string())
        .bind(cohort.ends_on.to_string())
        .bind(&cohort.place)
        .bind(i64::from(cohort.capacity))
        .bind(cohort.window.opens.to_string())
        .bind(cohort.window.closes.to_string())
        .bind(now_utc())
        .bind(&cohort.teachers)
        .fetch_one(conn)
        .await?);
        for email in &cohort.teacher_accounts {
            let person: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT id FROM people WHERE email = $1 AND active = $2",
            )
            .bind(email)
            .bind(true)
            .fetch_optional(conn)
            .await?);
            let person = person.ok_or_else(|| {
                StorageError::Conflict(format!(
                    "no active account has the e-mail {email}: a teacher who marks the register needs one"
                ))
            })?;
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO training_teachers (cohort_id, person_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(person)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?);
        }
        for (city, places) in &cohort.quotas {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO training_quotas (cohort_id, city, places) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(city.as_str())
            .bind(i64::from(*places))
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?);
        }
        tx.audit(&audit_entry(
            actor,
            "create",
            "training-cohort",
            &id.to_string(),
            None,
            Some(cohort),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every cohort, newest first, with quotas and usage.
    pub async fn cohorts(&self) -> Result<Vec<CohortRecord>, StorageError> {
        let sql = format!("{COHORT} ORDER BY c.starts_on DESC, c.id DESC");
        let mut records: Vec<CohortRecord> = on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(cohort_of)
            .collect::<Result<_, StorageError>>())?;
        for record in &mut records {
            quotas_and_usage(&mut Reader::Store(self.store), record).await?;
        }
        Ok(records)
    }

    pub async fn cohort(&self, id: i64) -> Result<Option<CohortRecord>, StorageError> {
        cohort_in(&mut Reader::Store(self.store), id).await
    }

    /// The nominations of a cohort; `city` only that city's.
    pub async fn nominations(
        &self,
        cohort_id: i64,
        city: Option<&CityCode>,
    ) -> Result<Vec<NominationRecord>, StorageError> {
        let sql = format!(
            "{NOMINATION} WHERE n.cohort_id = $1 AND (n.city = $2 OR $3) ORDER BY n.city, n.id"
        );
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(cohort_id)
            .bind(city.map(CityCode::as_str).unwrap_or_default())
            .bind(city.is_none())
            .fetch_all(pool)
            .await?
            .iter()
            .map(nomination_of)
            .collect())
    }

    /// Nominates a staff member: the city and the places are decided by
    /// `megapolis_training::{nominating_city, check_nomination}` on what this transaction
    /// reads; a refusal saves nothing.
    pub async fn nominate(
        &self,
        person: &Person,
        cohort_id: i64,
        asked_city: Option<&CityCode>,
        nominee: &Nominee,
        today: Date,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let cohort = cohort_for_write(&mut tx, cohort_id).await?;
        let city = nominating_city(person, asked_city)?;
        check_nomination(
            &Places {
                already_nominated: nominated_already(&mut tx, cohort_id, &nominee.email).await?,
                ..places_of(&cohort, &city)
            },
            &city,
            today,
        )?;
        let now = now_utc();
        let id = insert_nomination(
            &mut tx,
            cohort_id,
            &city,
            nominee,
            NominationState::Nominated.as_str(),
            None,
            &person.email.to_string(),
            &now,
        )
        .await?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "nominate",
            "training-nomination",
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "cohort": cohort_id, "city": city.as_str(), "nominee": nominee })),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A nomination as it stood in the past, for the demo: no window or quota rule (the window
    /// of a finished cohort has closed), its result recorded as given. Audited like any other.
    pub(crate) async fn record_past_nomination(
        &self,
        cohort_id: i64,
        city: &CityCode,
        nominee: &Nominee,
        result: Option<(Attendance, bool, Outcome)>,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let now = now_utc();
        let state = result.map_or("nominated", |(_, _, outcome)| outcome.as_str());
        let id = insert_nomination(
            &mut tx,
            cohort_id,
            city,
            nominee,
            state,
            result.map(|(attendance, passed, _)| (attendance, passed)),
            crate::demo::DEMO_ACTOR,
            &now,
        )
        .await?;
        tx.audit(&audit_entry(
            crate::demo::DEMO_ACTOR,
            "nominate",
            "training-nomination",
            &id.to_string(),
            None,
            Some(
                &serde_json::json!({ "cohort": cohort_id, "city": city.as_str(), "state": state }),
            ),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records attendance and the assessment of a nomination; the programme's completion rule
    /// decides completed or failed. Attendance is as given, or (`None`) counted from the
    /// register of the cohort's sessions. Refused once a certificate was issued for it, and for
    /// a nomination that holds no place (waiting, declined, withdrawn, moved).
    pub async fn record_result(
        &self,
        actor: &str,
        nomination_id: i64,
        attendance: Option<Attendance>,
        assessment_passed: bool,
    ) -> Result<Outcome, StorageError> {
        let mut tx = self.begin_write().await?;
        let before = nomination_in(&mut tx, nomination_id).await?;
        if before.certificate.is_some() {
            return Err(StorageError::Conflict(
                "a certificate was issued for this nomination; revoke it first".into(),
            ));
        }
        let state = state_of(&before)?;
        if !state.takes_results() {
            return Err(StorageError::Conflict(format!(
                "a {} nomination takes no results",
                state.as_str()
            )));
        }
        let attendance = match attendance {
            Some(given) => given,
            None => {
                let (sessions, attended): (i64, i64) = on_tx!(tx, conn => sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM training_sessions WHERE cohort_id = $1), \
                     (SELECT COUNT(*) FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id \
                      WHERE s.cohort_id = $1 AND a.nomination_id = $2 AND a.present = $3)",
                )
                .bind(before.cohort_id)
                .bind(nomination_id)
                .bind(true)
                .fetch_one(conn)
                .await?);
                let share = attended_share(count(sessions) as usize, count(attended) as usize)
                    .ok_or_else(|| {
                        StorageError::Conflict(
                            "no attendance given and the cohort has no sessions to count it from"
                                .into(),
                        )
                    })?;
                Attendance::parse(share).map_err(|e| StorageError::Corrupt(e.to_string()))?
            }
        };
        let programme_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT programme_id FROM training_cohorts WHERE id = $1",
        )
        .bind(before.cohort_id)
        .fetch_one(conn)
        .await?);
        let programme = programme_in(&mut tx, programme_id)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("programme {programme_id}")))?;
        let outcome = programme
            .programme
            .rule
            .outcome(attendance, assessment_passed);
        on_tx!(tx, conn => sqlx::query(
            "UPDATE training_nominations SET state = $1, attendance = $2, assessment_passed = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(outcome.as_str())
        .bind(attendance.share())
        .bind(assessment_passed)
        .bind(now_utc())
        .bind(nomination_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
        tx.audit(&audit_entry(
            actor,
            "record-result",
            "training-nomination",
            &nomination_id.to_string(),
            Some(&serde_json::json!({ "state": before.state, "attendance": before.attendance })),
            Some(&serde_json::json!({ "state": outcome.as_str(), "attendance": attendance.share(), "assessment_passed": assessment_passed })),
        ))
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Decides about a nomination (confirm, waiting list, decline, withdraw) by
    /// `NominationState::decide`; a confirmation from the waiting list needs a free place by
    /// `check_places`. The nominating city's representatives are notified. Nothing changes on a
    /// refusal.
    pub async fn decide(
        &self,
        actor: &Person,
        nomination_id: i64,
        decision: Decision,
        reason: &str,
    ) -> Result<NominationState, StorageError> {
        let mut tx = self.begin_write().await?;
        let before = nomination_in(&mut tx, nomination_id).await?;
        let state = state_of(&before)?;
        let next = state.decide(decision, reason)?;
        if !state.holds_place() && next.holds_place() {
            let cohort = cohort_for_write(&mut tx, before.cohort_id).await?;
            let city = city_of(&before)?;
            check_places(&places_of(&cohort, &city), &city)?;
        }
        let reason = Some(reason.trim()).filter(|r| !r.is_empty());
        on_tx!(tx, conn => sqlx::query(
            "UPDATE training_nominations SET state = $1, reason = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(next.as_str())
        .bind(reason)
        .bind(now_utc())
        .bind(nomination_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
        let actor_name = actor.email.to_string();
        tx.audit(&audit_entry(
            &actor_name,
            decision.as_str(),
            "training-nomination",
            &nomination_id.to_string(),
            Some(&serde_json::json!({ "state": before.state, "reason": before.reason })),
            Some(&serde_json::json!({ "state": next.as_str(), "reason": reason })),
        ))
        .await?;
        tell_city(
            &mut tx,
            &before,
            next.as_str(),
            reason.unwrap_or_default(),
            actor.id,
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Moves a nomination to another cohort (the Secretariat, outside any window): a new
    /// nomination there, if the city has a place by `check_places` and the person is not
    /// nominated there already; the original stays, `moved`, with the reason and a link to the
    /// new one. Returns the new nomination's id.
    pub async fn move_to(
        &self,
        actor: &Person,
        nomination_id: i64,
        target: i64,
        reason: &str,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let before = nomination_in(&mut tx, nomination_id).await?;
        state_of(&before)?.may_move()?;
        if target == before.cohort_id {
            return Err(StorageError::Conflict(
                "the nomination is in this cohort already".into(),
            ));
        }
        let cohort = cohort_for_write(&mut tx, target).await?;
        let city = city_of(&before)?;
        if nominated_already(&mut tx, target, &before.email).await? {
            return Err(megapolis_training::Refusal::Duplicate.into());
        }
        check_places(&places_of(&cohort, &city), &city)?;
        let now = now_utc();
        let actor_name = actor.email.to_string();
        let nominee = Nominee {
            name: before.name.clone(),
            position: before.position.clone(),
            department: before.department.clone(),
            email: before.email.clone(),
        };
        let moved = insert_nomination(
            &mut tx,
            target,
            &city,
            &nominee,
            NominationState::Nominated.as_str(),
            None,
            &actor_name,
            &now,
        )
        .await?;
        let reason = Some(reason.trim()).filter(|r| !r.is_empty());
        on_tx!(tx, conn => sqlx::query(
            "UPDATE training_nominations SET state = $1, reason = $2, moved_to = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(NominationState::Moved.as_str())
        .bind(reason)
        .bind(moved)
        .bind(&now)
        .bind(nomination_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
        tx.audit(&audit_entry(
            &actor_name,
            "move",
            "training-nomination",
            &nomination_id.to_string(),
            Some(&serde_json::json!({ "state": before.state, "cohort": before.cohort_id })),
            Some(&serde_json::json!({ "state": NominationState::Moved.as_str(), "cohort": target, "nomination": moved, "reason": reason })),
        ))
        .await?;
        tell_city(
            &mut tx,
            &before,
            NominationState::Moved.as_str(),
            &cohort.cohort.title,
            actor.id,
        )
        .await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Adds a session to a cohort's schedule.
    pub async fn add_session(
        &self,
        actor: &str,
        cohort_id: i64,
        day: Date,
        topic: &str,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let cohort = cohort_for_write(&mut tx, cohort_id).await?;
        if day < cohort.cohort.starts_on || day > cohort.cohort.ends_on {
            return Err(StorageError::Conflict(format!(
                "the session's day {day} is outside the cohort's dates {} – {}",
                cohort.cohort.starts_on, cohort.cohort.ends_on
            )));
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO training_sessions (cohort_id, day, topic, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(cohort_id)
        .bind(day.to_string())
        .bind(topic.trim())
        .bind(now_utc())
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            actor,
            "create",
            "training-session",
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "cohort": cohort_id, "day": day.to_string(), "topic": topic.trim() })),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A cohort's sessions by day, each with the nominations marked present.
    pub async fn sessions(&self, cohort_id: i64) -> Result<Vec<SessionRecord>, StorageError> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, day, topic FROM training_sessions WHERE cohort_id = $1 ORDER BY day, id",
        )
        .bind(cohort_id)
        .fetch_all(pool)
        .await?);
        let present: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT a.session_id, a.nomination_id FROM training_attendance a \
             JOIN training_sessions s ON s.id = a.session_id WHERE s.cohort_id = $1 AND a.present = $2",
        )
        .bind(cohort_id)
        .bind(true)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, day, topic)| {
                Ok(SessionRecord {
                    id,
                    day: parse_date("day", &day).map_err(|e| corrupt("session day", e))?,
                    topic,
                    present: present
                        .iter()
                        .filter(|(session, _)| *session == id)
                        .map(|(_, nomination)| *nomination)
                        .collect(),
                })
            })
            .collect()
    }

    /// Marks a session's register: the nominations present, every other participant holding a
    /// place absent. A nomination of another cohort, or one without a place, is refused.
    pub async fn mark_attendance(
        &self,
        actor: &str,
        session_id: i64,
        present: &[i64],
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let cohort_id: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT cohort_id FROM training_sessions WHERE id = $1",
        )
        .bind(session_id)
        .fetch_optional(conn)
        .await?);
        let cohort_id =
            cohort_id.ok_or_else(|| StorageError::NotFound(format!("session {session_id}")))?;
        let sql = format!("{NOMINATION} WHERE n.cohort_id = $1 ORDER BY n.id");
        let participants: Vec<NominationRecord> = on_tx!(tx, conn => sqlx::query(&sql)
            .bind(cohort_id)
            .fetch_all(conn)
            .await?
            .iter()
            .map(nomination_of)
            .collect::<Result<_, StorageError>>())?;
        let mut holding = Vec::new();
        for n in &participants {
            if state_of(n)?.holds_place() {
                holding.push(n.id);
            }
        }
        if let Some(stranger) = present.iter().find(|id| !holding.contains(id)) {
            return Err(StorageError::Conflict(format!(
                "nomination {stranger} is not a participant of this cohort"
            )));
        }
        let now = now_utc();
        for nomination in &holding {
            let here = present.contains(nomination);
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO training_attendance (session_id, nomination_id, present, marked_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (session_id, nomination_id) DO UPDATE SET present = excluded.present, marked_at = excluded.marked_at",
            )
            .bind(session_id)
            .bind(nomination)
            .bind(here)
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?);
        }
        tx.audit(&audit_entry(
            actor,
            "mark-attendance",
            "training-session",
            &session_id.to_string(),
            None,
            Some(&serde_json::json!({ "present": present })),
        ))
        .await?;
        tx.commit().await
    }

    /// Issues a certificate to every completed participant of the cohort who has none, in one
    /// transaction: `make` builds and signs each (pure), and the codes come back in order.
    pub async fn issue_certificates(
        &self,
        actor: &str,
        cohort_id: i64,
        make: impl FnMut(&IssueCandidate) -> Result<NewCertificate, String>,
    ) -> Result<Vec<String>, StorageError> {
        self.issue_certificates_batch(actor, cohort_id, usize::MAX, make)
            .await
    }

    /// How many completed participants of the cohort have no certificate yet.
    pub async fn pending_certificates(&self, cohort_id: i64) -> Result<u64, StorageError> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM training_nominations n LEFT JOIN training_certificates c \
             ON c.nomination_id = n.id WHERE n.cohort_id = $1 AND n.state = 'completed' AND c.code IS NULL",
        )
        .bind(cohort_id)
        .fetch_one(pool)
        .await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Issues the certificates of at most `limit` completed participants without one (the
    /// first by nomination), in one transaction: all of the batch or none. Who has one is read
    /// in this transaction, so issuing again, or twice at once, issues nobody twice.
    pub async fn issue_certificates_batch(
        &self,
        actor: &str,
        cohort_id: i64,
        limit: usize,
        make: impl FnMut(&IssueCandidate) -> Result<NewCertificate, String>,
    ) -> Result<Vec<String>, StorageError> {
        self.issue(actor, cohort_id, None, limit, make).await
    }

    /// Issues the certificate of one participant: refused (nothing written) when they did not
    /// complete or have one already.
    pub async fn issue_one(
        &self,
        actor: &str,
        nomination_id: i64,
        make: impl FnMut(&IssueCandidate) -> Result<NewCertificate, String>,
    ) -> Result<String, StorageError> {
        let cohort_id = self.cohort_id_of(nomination_id, false).await?;
        let issued = self
            .issue(actor, cohort_id, Some(nomination_id), 1, make)
            .await?;
        match issued.into_iter().next() {
            Some(code) => Ok(code),
            None => {
                let sql = format!("{NOMINATION} WHERE n.id = $1");
                let nomination = on_pool!(self, pool => sqlx::query(&sql)
                    .bind(nomination_id)
                    .fetch_optional(pool)
                    .await?
                    .as_ref()
                    .map(nomination_of)
                    .transpose())?
                .ok_or_else(|| StorageError::NotFound(format!("nomination {nomination_id}")))?;
                Err(StorageError::Conflict(match nomination.certificate {
                    Some(code) => format!("the participant has a certificate already: {code}"),
                    None => format!(
                        "a certificate needs a completed training; this nomination is {}",
                        nomination.state
                    ),
                }))
            }
        }
    }

    /// The certificates of the cohort's completed participants without one (only `only`, when
    /// given), at most `limit`, in one transaction.
    async fn issue(
        &self,
        actor: &str,
        cohort_id: i64,
        only: Option<i64>,
        limit: usize,
        mut make: impl FnMut(&IssueCandidate) -> Result<NewCertificate, String>,
    ) -> Result<Vec<String>, StorageError> {
        let mut tx = self.begin_write().await?;
        let cohort = cohort_for_write(&mut tx, cohort_id).await?;
        let programme = programme_in(&mut tx, cohort.cohort.programme_id)
            .await?
            .ok_or_else(|| {
                StorageError::NotFound(format!("programme {}", cohort.cohort.programme_id))
            })?;
        let sql = format!(
            "{NOMINATION} WHERE n.cohort_id = $1 AND n.state = 'completed' AND c.code IS NULL \
             AND (n.id = $3 OR $4) ORDER BY n.id LIMIT $2"
        );
        let candidates: Vec<NominationRecord> = on_tx!(tx, conn => sqlx::query(&sql)
            .bind(cohort_id)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(only.unwrap_or_default())
            .bind(only.is_none())
            .fetch_all(conn)
            .await?
            .iter()
            .map(nomination_of)
            .collect::<Result<_, StorageError>>())?;
        let mut codes = Vec::new();
        for nomination in candidates {
            let candidate = IssueCandidate {
                nomination_id: nomination.id,
                recipient_name: nomination.name.clone(),
                programme_id: programme.id,
                programme: programme.programme.clone(),
                cohort_title: cohort.cohort.title.clone(),
                starts_on: cohort.cohort.starts_on,
                ends_on: cohort.cohort.ends_on,
            };
            let certificate = make(&candidate).map_err(StorageError::Conflict)?;
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO training_certificates (code, nomination_id, credential, issued_at, valid_until) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&certificate.code)
            .bind(nomination.id)
            .bind(certificate.credential.to_string())
            .bind(&certificate.issued_at)
            .bind(certificate.valid_until.as_deref())
            .execute(conn)
            .await
            .map(|r| r.rows_affected())?);
            tx.audit(&audit_entry(
                actor,
                "issue",
                "training-certificate",
                &certificate.code,
                None,
                Some(&serde_json::json!({ "nomination": nomination.id, "valid_until": certificate.valid_until })),
            ))
            .await?;
            codes.push(certificate.code);
        }
        tx.commit().await?;
        Ok(codes)
    }

    pub async fn certificate(&self, code: &str) -> Result<Option<CertificateRecord>, StorageError> {
        let sql = format!("{CERTIFICATE} WHERE c.code = $1");
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(code)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(certificate_of)
            .transpose())
    }

    pub async fn certificates(&self) -> Result<Vec<CertificateRecord>, StorageError> {
        let sql = format!("{CERTIFICATE} ORDER BY c.issued_at DESC, c.code");
        on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(certificate_of)
            .collect())
    }

    /// Revokes a certificate with a reason; a revoked one stays revoked (409 again).
    pub async fn revoke(&self, actor: &str, code: &str, reason: &str) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let revoked: Option<Option<String>> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT revoked_at FROM training_certificates WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(conn)
        .await?);
        match revoked {
            None => return Err(StorageError::NotFound(format!("certificate {code}"))),
            Some(Some(_)) => {
                return Err(StorageError::Conflict(
                    "the certificate is already revoked".into(),
                ))
            }
            Some(None) => {}
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE training_certificates SET revoked_at = $1, revoked_reason = $2 WHERE code = $3",
        )
        .bind(now_utc())
        .bind(reason)
        .bind(code)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
        tx.audit(&audit_entry(
            actor,
            "revoke",
            "training-certificate",
            code,
            None,
            Some(&serde_json::json!({ "reason": reason })),
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The association's issuer key seed: the stored one, or `candidate` stored now when there
    /// is none (the first start). Servers sharing a database agree on the first one written.
    pub async fn issuer_seed(&self, candidate: [u8; 32]) -> Result<[u8; 32], StorageError> {
        let mut tx = self.begin_write().await?;
        let stored: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT seed_hex FROM training_issuer_key WHERE id = 1",
        )
        .fetch_optional(conn)
        .await?);
        let seed_hex = match stored {
            Some(seed) => seed,
            None => {
                let seed = hex::encode(candidate);
                on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO training_issuer_key (id, seed_hex, created_at) VALUES (1, $1, $2)",
                )
                .bind(&seed)
                .bind(now_utc())
                .execute(conn)
                .await
                .map(|r| r.rows_affected())?);
                // The key itself never enters the audit log, only that it was made.
                tx.audit(&audit_entry::<()>(
                    "system",
                    "create",
                    "training-issuer-key",
                    "1",
                    None,
                    None,
                ))
                .await?;
                seed
            }
        };
        tx.commit().await?;
        let bytes = hex::decode(&seed_hex).map_err(|e| corrupt("issuer key", e))?;
        bytes
            .try_into()
            .map_err(|_| corrupt("issuer key", "not 32 bytes"))
    }
}
