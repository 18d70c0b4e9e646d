//! Replication: a city's adoption of a solution, one current row per (solution, city) and every
//! status it had in `catalogue_adoption_changes`. Each change is one audited transaction.
use super::Catalogue;
use crate::audit::audit_entry;
use crate::db::{now_utc, on_pool, on_tx, NamedRow, Reader};
use crate::org::load_city;
use crate::StorageError;
use megapolis_catalogue::adoption::iso;
use megapolis_catalogue::{Adoption, AdoptionChange, AdoptionRecord, AdoptionStatus};
use megapolis_domain::CityCode;
use std::collections::BTreeMap;
use time::Date;

const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn status_and_date(row: &impl NamedRow) -> Result<(AdoptionStatus, Date), StorageError> {
    let status = row.text("status")?;
    let date = row.text("adopted_on")?;
    Ok((
        AdoptionStatus::parse(&status)
            .ok_or_else(|| StorageError::Corrupt(format!("adoption status {status:?}")))?,
        Date::parse(&date, DATE)
            .map_err(|_| StorageError::Corrupt(format!("adoption date {date:?}")))?,
    ))
}

impl Catalogue<'_> {
    /// Records `adoption` of solution `solution`: the city's first record or a change of its
    /// status, date or note; the earlier status stays in the history.
    pub async fn record_adoption(
        &self,
        actor: &str,
        solution: i64,
        adoption: &Adoption,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT id FROM catalogue_solutions WHERE id = $1",
        )
        .bind(solution)
        .fetch_optional(conn)
        .await?);
        if exists.is_none() {
            return Err(StorageError::NotFound(format!("solution {solution}")));
        }
        let city = &adoption.city;
        let code =
            CityCode::parse(city).map_err(|_| StorageError::NotFound(format!("city {city}")))?;
        if load_city(&mut Reader::Tx(&mut tx), &code).await?.is_none() {
            return Err(StorageError::NotFound(format!("city {city}")));
        }
        let before: Option<(i64, String, String, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT id, status, adopted_on, note FROM catalogue_adoptions WHERE solution_id = $1 AND city = $2",
        )
        .bind(solution)
        .bind(city)
        .fetch_optional(conn)
        .await?);
        let now = now_utc();
        let date = iso(adoption.date);
        let status = adoption.status.as_str();
        let id: i64 = match &before {
            Some((id, ..)) => {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE catalogue_adoptions SET status = $1, adopted_on = $2, note = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(status)
                .bind(&date)
                .bind(&adoption.note)
                .bind(&now)
                .bind(id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())?);
                *id
            }
            None => on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO catalogue_adoptions (solution_id, city, status, adopted_on, note, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(solution)
            .bind(city)
            .bind(status)
            .bind(&date)
            .bind(&adoption.note)
            .bind(&now)
            .fetch_one(conn)
            .await?),
        };
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO catalogue_adoption_changes (adoption_id, status, adopted_on, note, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(status)
        .bind(&date)
        .bind(&adoption.note)
        .bind(&now)
        .bind(actor)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
        let was = before.map(|(_, status, date, note)| {
            serde_json::json!({ "solution": solution, "city": city, "status": status, "date": date, "note": note })
        });
        tx.audit(&audit_entry(
            actor,
            if was.is_some() { "update" } else { "create" },
            "adoption",
            &id.to_string(),
            was.as_ref(),
            Some(&serde_json::json!({ "solution": solution, "adoption": adoption })),
        ))
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cities' adoptions of solution `solution`, by city code, each with its history.
    pub async fn adoptions(&self, solution: i64) -> Result<Vec<AdoptionRecord>, StorageError> {
        Ok(self
            .adoptions_where(Some(solution))
            .await?
            .remove(&solution)
            .unwrap_or_default())
    }

    /// Every solution's adoptions, by solution id, then by city code.
    pub async fn all_adoptions(&self) -> Result<BTreeMap<i64, Vec<AdoptionRecord>>, StorageError> {
        self.adoptions_where(None).await
    }

    async fn adoptions_where(
        &self,
        solution: Option<i64>,
    ) -> Result<BTreeMap<i64, Vec<AdoptionRecord>>, StorageError> {
        let rows = on_pool!(self, pool => sqlx::query(
            "SELECT a.solution_id, a.city, c.status, c.adopted_on, c.note, c.recorded_at, c.recorded_by \
             FROM catalogue_adoptions a JOIN catalogue_adoption_changes c ON c.adoption_id = a.id \
             WHERE (a.solution_id = $1 OR $1 IS NULL) ORDER BY a.solution_id, a.city, c.id",
        )
        .bind(solution)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let (status, date) = status_and_date(row)?;
            Ok((
                (row.int("solution_id")?, row.text("city")?),
                AdoptionChange {
                    status,
                    date,
                    note: row.text("note")?,
                    recorded_at: row.text("recorded_at")?,
                    recorded_by: row.text("recorded_by")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StorageError>>()?);
        let mut by_city: BTreeMap<(i64, String), Vec<AdoptionChange>> = BTreeMap::new();
        for (key, change) in rows {
            by_city.entry(key).or_default().push(change);
        }
        let mut by_solution: BTreeMap<i64, Vec<AdoptionRecord>> = BTreeMap::new();
        for ((solution, city), history) in by_city {
            let Some(last) = history.last().cloned() else {
                continue;
            };
            by_solution
                .entry(solution)
                .or_default()
                .push(AdoptionRecord {
                    solution,
                    current: Adoption {
                        city,
                        status: last.status,
                        date: last.date,
                        note: last.note,
                    },
                    history,
                });
        }
        Ok(by_solution)
    }

    /// How many cities use each solution (dropped adoptions do not count); solutions no city
    /// uses are absent.
    pub async fn used_by(&self) -> Result<BTreeMap<i64, usize>, StorageError> {
        let rows: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT solution_id, COUNT(*) FROM catalogue_adoptions WHERE status <> $1 GROUP BY solution_id",
        )
        .bind(AdoptionStatus::Dropped.as_str())
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, usize::try_from(n).unwrap_or_default()))
            .collect())
    }
}
