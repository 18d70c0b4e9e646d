//! The catalogue of solutions: nominations by name, and the solutions with their lists as JSON.
//! Every change is one audited transaction. Replication in [`adoptions`].
mod adoptions;
pub mod collection;

use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, Reader, WriteTx};
use crate::org::load_city;
use crate::StorageError;
use megapolis_catalogue::Solution;
use megapolis_domain::CityCode;

pub mod competition;
pub mod promotion;

/// What a backup holds of the catalogue, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "catalogue_nominations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("name", Kind::Text),
            ("created_at", Kind::Text),
        ],
    },
    Table {
        name: "catalogue_solutions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("summary_ru", Kind::Text),
            ("summary_en", Kind::Text),
            ("city", Kind::Text),
            ("nomination_id", Kind::Int),
            ("year", Kind::Int),
            ("technologies", Kind::Text),
            ("hardware", Kind::Text),
            ("licence", Kind::Text),
            ("url", Kind::Text),
            ("published", Kind::Bool),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "catalogue_adoptions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("solution_id", Kind::Int),
            ("city", Kind::Text),
            ("status", Kind::Text),
            ("adopted_on", Kind::Text),
            ("note", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "catalogue_adoption_changes",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("adoption_id", Kind::Int),
            ("status", Kind::Text),
            ("adopted_on", Kind::Text),
            ("note", Kind::Text),
            ("recorded_at", Kind::Text),
            ("recorded_by", Kind::Text),
        ],
    },
];

const SOLUTION: &str = "SELECT s.id, s.title_ru, s.title_en, s.summary_ru, s.summary_en, s.city, \
     n.name AS nomination, s.year, s.technologies, s.hardware, s.licence, s.url, s.published \
     FROM catalogue_solutions s JOIN catalogue_nominations n ON n.id = s.nomination_id";

fn solution_of(row: &impl NamedRow) -> Result<Solution, StorageError> {
    let id = row.int("id")?;
    let list = |column: &str| -> Result<Vec<String>, StorageError> {
        serde_json::from_str(&row.text(column)?)
            .map_err(|e| StorageError::Corrupt(format!("solution {id}: {column}: {e}")))
    };
    Ok(Solution {
        id,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        summary_ru: row.text("summary_ru")?,
        summary_en: row.text("summary_en")?,
        city: row.text_or_none("city")?,
        nomination: row.text("nomination")?,
        year: i32::try_from(row.int("year")?)
            .map_err(|_| StorageError::Corrupt(format!("solution {id}: year")))?,
        technologies: list("technologies")?,
        hardware: list("hardware")?,
        licence: row.text("licence")?,
        url: row.text("url")?,
        published: row.flag("published")?,
    })
}

/// The catalogue's state as its search index remembers it: rebuilt when it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogueStamp {
    pub solutions: i64,
    pub last_change: Option<String>,
    /// Every adoption recorded adds a change: "used by N cities" moved.
    pub adoption_changes: i64,
}

crate::facet!(
    /// The catalogue of solutions.
    Catalogue,
    catalogue
);

impl Catalogue<'_> {
    /// Adds a solution; a nomination not yet in the catalogue's list is added with it. The owner
    /// city must be in the directory.
    pub async fn create(&self, actor: &str, solution: &Solution) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let id = insert_solution(&mut tx, actor, solution).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The solutions in id order; `published_only` for the public.
    pub async fn list(&self, published_only: bool) -> Result<Vec<Solution>, StorageError> {
        let sql = format!("{SOLUTION} WHERE (s.published = $1 OR NOT $2) ORDER BY s.id");
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(true)
            .bind(published_only)
            .fetch_all(pool)
            .await?
            .iter()
            .map(solution_of)
            .collect())
    }

    /// How many solutions the public sees.
    pub async fn published_count(&self) -> Result<i64, StorageError> {
        on_pool!(self, pool => Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM catalogue_solutions WHERE published = $1",
        )
        .bind(true)
        .fetch_one(pool)
        .await?))
    }

    pub async fn get(&self, id: i64) -> Result<Option<Solution>, StorageError> {
        let sql = format!("{SOLUTION} WHERE s.id = $1");
        on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(solution_of)
            .transpose())
    }

    /// How many solutions there are and when the last one changed: a search index built at
    /// this stamp is current.
    pub async fn stamp(&self) -> Result<CatalogueStamp, StorageError> {
        let (solutions, last_change, adoption_changes): (i64, Option<String>, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*), MAX(updated_at), (SELECT COUNT(*) FROM catalogue_adoption_changes) FROM catalogue_solutions",
        )
        .fetch_one(pool)
        .await?);
        Ok(CatalogueStamp {
            solutions,
            last_change,
            adoption_changes,
        })
    }
}

/// Adds a solution inside `tx` (with its nomination when new), audited; returns its id.
pub(crate) async fn insert_solution(
    tx: &mut WriteTx,
    actor: &str,
    solution: &Solution,
) -> Result<i64, StorageError> {
    if let Some(city) = &solution.city {
        let code =
            CityCode::parse(city).map_err(|_| StorageError::NotFound(format!("city {city}")))?;
        if load_city(&mut Reader::Tx(tx), &code).await?.is_none() {
            return Err(StorageError::NotFound(format!("city {city}")));
        }
    }
    let existing: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM catalogue_nominations WHERE name = $1",
    )
    .bind(&solution.nomination)
    .fetch_optional(conn)
    .await?);
    let nomination = match existing {
        Some(id) => id,
        None => {
            let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO catalogue_nominations (name, created_at) VALUES ($1, $2) RETURNING id",
            )
            .bind(&solution.nomination)
            .bind(now_utc())
            .fetch_one(conn)
            .await?);
            tx.audit(&audit_entry(
                actor,
                "create",
                "nomination",
                &id.to_string(),
                None,
                Some(&serde_json::json!({ "name": solution.nomination })),
            ))
            .await?;
            id
        }
    };
    let now = now_utc();
    let list = |items: &[String]| serde_json::Value::from(items.to_vec()).to_string();
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO catalogue_solutions (title_ru, title_en, summary_ru, summary_en, city, nomination_id, year, \
         technologies, hardware, licence, url, published, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(&solution.title_ru)
    .bind(&solution.title_en)
    .bind(&solution.summary_ru)
    .bind(&solution.summary_en)
    .bind(solution.city.as_deref())
    .bind(nomination)
    .bind(i64::from(solution.year))
    .bind(list(&solution.technologies))
    .bind(list(&solution.hardware))
    .bind(&solution.licence)
    .bind(&solution.url)
    .bind(solution.published)
    .bind(&now)
    .fetch_one(conn)
    .await?);
    let saved = Solution {
        id,
        ..solution.clone()
    };
    tx.audit(&audit_entry(
        actor,
        "create",
        "solution",
        &id.to_string(),
        None,
        Some(&saved),
    ))
    .await?;
    Ok(id)
}
