//! Held events: registrations with a capacity and a waiting list (a freed place goes to the
//! first waiting), attendance, the programme of talks (a talk may present a catalogue solution),
//! materials and the report. Every change is one audited transaction that reads what it decides
//! on.
use super::{in_force_in, proposal_in, Events, Proposal};
use crate::audit::audit_entry;
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_domain::Person;
use megapolis_events::held::{
    may_record, may_run, place_for, promotions, NewMaterial, NewTalk, Registration,
};
use megapolis_events::Refusal;
use serde::Serialize;
use time::Date;

/// One registration for an event, with who registered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistrationRow {
    pub person_id: i64,
    pub name: String,
    pub city: Option<String>,
    pub state: Registration,
    pub attended: bool,
}

/// A talk of an event's programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Talk {
    pub id: i64,
    pub title: String,
    pub speaker: String,
    pub solution_id: Option<i64>,
    pub solution_title_ru: Option<String>,
    pub solution_title_en: Option<String>,
}

/// A material of an event: a titled link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Material {
    pub id: i64,
    pub title: String,
    pub link: String,
}

/// An event some of a city's staff attended, and how many of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attended {
    pub event: Proposal,
    pub people: i64,
}

/// What the audit log keeps of a registration.
#[derive(Serialize)]
struct RegistrationAudit {
    person: i64,
    state: &'static str,
    attended: bool,
}

/// The event `id` for a change by `person`, who must run it.
async fn run_by(
    tx: &mut WriteTx,
    person: &Person,
    id: i64,
) -> Result<Result<Proposal, Refusal>, StorageError> {
    let event = proposal_in(tx, id).await?;
    Ok(may_run(person, event.proposer_id).map(|()| event))
}

/// How many hold a place for event `id`.
async fn taken(tx: &mut WriteTx, id: i64) -> Result<i64, StorageError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND state = 'registered'",
    )
    .bind(id)
    .fetch_one(conn)
    .await?))
}

/// Gives the places free under `capacity` to the first waiting, in the order they registered.
async fn promote(
    tx: &mut WriteTx,
    actor: &str,
    id: i64,
    capacity: Option<i64>,
) -> Result<(), StorageError> {
    let waiting: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT person_id FROM event_registrations WHERE event_id = $1 AND state = 'waiting' ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?);
    let held = taken(tx, id).await?;
    for person in waiting
        .iter()
        .take(promotions(capacity, held, waiting.len()))
    {
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_registrations SET state = 'registered' WHERE event_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "promote",
            "event_registration",
            &id.to_string(),
            None,
            Some(&RegistrationAudit {
                person: *person,
                state: Registration::Registered.as_str(),
                attended: false,
            }),
        ))
        .await?;
    }
    Ok(())
}

impl Events<'_> {
    /// Registers `person` for event `id` of a plan in force: a place while there is one, the
    /// waiting list beyond the capacity. Registering again answers the registration held.
    pub async fn register(
        &self,
        person: &Person,
        id: i64,
    ) -> Result<Result<Registration, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let event = proposal_in(&mut tx, id).await?;
        if event.cancelled {
            return Ok(Err(Refusal::WrongState("cancelled")));
        }
        if !in_force_in(&mut tx, event.event.year, id).await? {
            return Ok(Err(Refusal::WrongState("not-in-the-plan")));
        }
        let held: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM event_registrations WHERE event_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person.id)
        .fetch_optional(conn)
        .await?);
        if let Some(state) = held {
            return Registration::parse(&state)
                .map(Ok)
                .ok_or_else(|| StorageError::Corrupt(format!("registration state {state:?}")));
        }
        let place = place_for(event.capacity, taken(&mut tx, id).await?);
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO event_registrations (event_id, person_id, state, attended, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(person.id)
        .bind(place.as_str())
        .bind(false)
        .bind(now_utc())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "register",
            "event_registration",
            &id.to_string(),
            None,
            Some(&RegistrationAudit {
                person: person.id,
                state: place.as_str(),
                attended: false,
            }),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(place))
    }

    /// Cancels `person_id`'s registration for event `id` (their own, or by who runs the event);
    /// a freed place goes to the first waiting.
    pub async fn unregister(
        &self,
        actor: &Person,
        id: i64,
        person_id: i64,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let event = proposal_in(&mut tx, id).await?;
        if actor.id != person_id {
            if let Err(refusal) = may_run(actor, event.proposer_id) {
                return Ok(Err(refusal));
            }
        }
        let held: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM event_registrations WHERE event_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person_id)
        .fetch_optional(conn)
        .await?);
        let Some(held) = held else {
            return Ok(Err(Refusal::NotRegistered));
        };
        on_tx!(tx, conn => sqlx::query(
            "DELETE FROM event_registrations WHERE event_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let who = actor.email.to_string();
        tx.audit(&audit_entry(
            &who,
            "unregister",
            "event_registration",
            &id.to_string(),
            Some(&serde_json::json!({ "person": person_id, "state": held })),
            None,
        ))
        .await?;
        promote(&mut tx, &who, id, event.capacity).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Sets event `id`'s capacity (none: no limit); a larger one gives its places to the first
    /// waiting. A smaller one takes no place back.
    pub async fn set_capacity(
        &self,
        person: &Person,
        id: i64,
        capacity: Option<i64>,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let event = match run_by(&mut tx, person, id).await? {
            Ok(event) => event,
            Err(refusal) => return Ok(Err(refusal)),
        };
        on_tx!(tx, conn => sqlx::query("UPDATE event_proposals SET capacity = $1 WHERE id = $2")
            .bind(capacity)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let who = person.email.to_string();
        tx.audit(&audit_entry(
            &who,
            "capacity",
            "event_proposal",
            &id.to_string(),
            Some(&event.capacity),
            Some(&capacity),
        ))
        .await?;
        promote(&mut tx, &who, id, capacity).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Marks whether `person_id`, holding a place, attended event `id`, once it has started.
    pub async fn mark_attendance(
        &self,
        person: &Person,
        id: i64,
        person_id: i64,
        attended: bool,
        today: Date,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let event = match run_by(&mut tx, person, id).await? {
            Ok(event) => event,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if let Err(refusal) = may_record(&event.event.period, today) {
            return Ok(Err(refusal));
        }
        let held: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM event_registrations WHERE event_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person_id)
        .fetch_optional(conn)
        .await?);
        match held.as_deref() {
            None => return Ok(Err(Refusal::NotRegistered)),
            Some("registered") => {}
            Some(_) => return Ok(Err(Refusal::WrongState("waiting"))),
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_registrations SET attended = $1 WHERE event_id = $2 AND person_id = $3",
        )
        .bind(attended)
        .bind(id)
        .bind(person_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "attendance",
            "event_registration",
            &id.to_string(),
            None,
            Some(&RegistrationAudit {
                person: person_id,
                state: Registration::Registered.as_str(),
                attended,
            }),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Adds a talk to event `id`'s programme; the solution it presents must be published.
    pub async fn add_talk(
        &self,
        person: &Person,
        id: i64,
        talk: &NewTalk,
    ) -> Result<Result<i64, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        if let Err(refusal) = run_by(&mut tx, person, id).await? {
            return Ok(Err(refusal));
        }
        if let Some(solution) = talk.solution_id {
            let published: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT published FROM catalogue_solutions WHERE id = $1",
            )
            .bind(solution)
            .fetch_optional(conn)
            .await?);
            if published != Some(true) {
                return Ok(Err(Refusal::UnknownSolution(solution)));
            }
        }
        let talk_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO event_talks (event_id, title, speaker, solution_id) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(&talk.title)
        .bind(&talk.speaker)
        .bind(talk.solution_id)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "add-talk",
            "event_proposal",
            &id.to_string(),
            None,
            Some(talk),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(talk_id))
    }

    /// Adds a material (a link) to event `id`.
    pub async fn add_material(
        &self,
        person: &Person,
        id: i64,
        material: &NewMaterial,
    ) -> Result<Result<i64, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        if let Err(refusal) = run_by(&mut tx, person, id).await? {
            return Ok(Err(refusal));
        }
        let material_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO event_materials (event_id, title, link) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(id)
        .bind(&material.title)
        .bind(&material.link)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "add-material",
            "event_proposal",
            &id.to_string(),
            None,
            Some(material),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(material_id))
    }

    /// Writes event `id`'s short report, once it has started.
    pub async fn set_report(
        &self,
        person: &Person,
        id: i64,
        report: &str,
        today: Date,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let event = match run_by(&mut tx, person, id).await? {
            Ok(event) => event,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if let Err(refusal) = may_record(&event.event.period, today) {
            return Ok(Err(refusal));
        }
        on_tx!(tx, conn => sqlx::query("UPDATE event_proposals SET report = $1 WHERE id = $2")
            .bind(report)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "report",
            "event_proposal",
            &id.to_string(),
            Some(&event.report.as_str()),
            Some(&report),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Event `id`'s registrations: places first, then the waiting list, each in its order.
    pub async fn registrations(&self, id: i64) -> Result<Vec<RegistrationRow>, StorageError> {
        let list = on_pool!(self, pool => sqlx::query(
            "SELECT r.person_id, p.name, p.city, r.state, r.attended FROM event_registrations r \
             JOIN people p ON p.id = r.person_id WHERE r.event_id = $1 \
             ORDER BY CASE r.state WHEN 'registered' THEN 0 ELSE 1 END, r.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let state = row.text("state")?;
            Ok::<_, StorageError>(RegistrationRow {
                person_id: row.int("person_id")?,
                name: row.text("name")?,
                city: row.text_or_none("city")?,
                state: Registration::parse(&state)
                    .ok_or_else(|| StorageError::Corrupt(format!("registration state {state:?}")))?,
                attended: row.flag("attended")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Event `id`'s programme, in the order the talks were added, with the solutions' titles.
    pub async fn talks(&self, id: i64) -> Result<Vec<Talk>, StorageError> {
        let list = on_pool!(self, pool => sqlx::query(
            "SELECT t.id, t.title, t.speaker, t.solution_id, s.title_ru, s.title_en FROM event_talks t \
             LEFT JOIN catalogue_solutions s ON s.id = t.solution_id WHERE t.event_id = $1 ORDER BY t.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(Talk {
                id: row.int("id")?,
                title: row.text("title")?,
                speaker: row.text("speaker")?,
                solution_id: row.int_or_none("solution_id")?,
                solution_title_ru: row.text_or_none("title_ru")?,
                solution_title_en: row.text_or_none("title_en")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?);
        Ok(list)
    }

    /// Event `id`'s materials, in the order they were added.
    pub async fn materials(&self, id: i64) -> Result<Vec<Material>, StorageError> {
        let list = on_pool!(self, pool => sqlx::query(
            "SELECT id, title, link FROM event_materials WHERE event_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(Material {
                id: row.int("id")?,
                title: row.text("title")?,
                link: row.text("link")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?);
        Ok(list)
    }

    /// The events `city`'s staff attended, by start, with how many of them.
    pub async fn attended_by_city(&self, city: &str) -> Result<Vec<Attended>, StorageError> {
        let counts: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.event_id, COUNT(*) FROM event_registrations r JOIN people p ON p.id = r.person_id \
             WHERE p.city = $1 AND r.attended GROUP BY r.event_id",
        )
        .bind(city)
        .fetch_all(pool)
        .await?);
        let mut list = Vec::with_capacity(counts.len());
        for (id, people) in counts {
            if let Some(event) = self.get(id).await? {
                list.push(Attended { event, people });
            }
        }
        list.sort_by_key(|a| (a.event.event.period.start, a.event.id));
        Ok(list)
    }
}
