//! The association, its member cities and its bodies.
use crate::audit::{audit_entry, upsert_entry};
use crate::backup::{Kind, Table};
use crate::db::{on_pool, on_reader, on_tx, NamedRow, Reader};
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_domain::{Body, BodyId, City, CityCode, MembershipStatus, Position};
use serde::{Deserialize, Serialize};

/// What a backup holds of the association, its cities and bodies, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "association",
        identity: false,
        columns: &[
            ("id", Kind::Int),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("short_ru", Kind::Text),
            ("short_en", Kind::Text),
        ],
    },
    Table {
        name: "cities",
        identity: false,
        columns: &[
            ("code", Kind::Text),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("country_code", Kind::Text),
            ("country_ru", Kind::Text),
            ("country_en", Kind::Text),
            ("population", Kind::Int),
            ("status", Kind::Text),
            ("member_since", Kind::Text),
            ("latitude", Kind::Real),
            ("longitude", Kind::Real),
        ],
    },
    Table {
        name: "bodies",
        identity: false,
        columns: &[
            ("id", Kind::Text),
            ("kind", Kind::Text),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("short_ru", Kind::Text),
            ("short_en", Kind::Text),
        ],
    },
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Association {
    pub name_ru: String,
    pub name_en: String,
    pub short_ru: String,
    pub short_en: String,
}

/// The figures the home page shows, counted by the database rather than by loading every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OrganisationSummary {
    pub cities: i64,
    pub members: i64,
    pub countries: i64,
    pub bodies: i64,
}

/// A member of a body, as its page lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyMember {
    pub person_id: i64,
    pub name: String,
    pub position: Position,
}

const CITY_COLUMNS: &str = "code, name_ru, name_en, country_code, country_ru, country_en, population, status, member_since, latitude, longitude";

fn city_from_row(row: &impl NamedRow) -> Result<City, StorageError> {
    let code = row.text("code")?;
    let status = row.text("status")?;
    Ok(City {
        code: CityCode::parse(&code).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        name_ru: row.text("name_ru")?,
        name_en: row.text("name_en")?,
        country_code: row.text("country_code")?,
        country_ru: row.text("country_ru")?,
        country_en: row.text("country_en")?,
        population: row.int_or_none("population")?,
        status: status
            .parse::<MembershipStatus>()
            .map_err(|_| StorageError::Corrupt(format!("city {code}: status {status:?}")))?,
        member_since: text_to_date(row.text_or_none("member_since")?)?,
        latitude: row.real_or_none("latitude")?,
        longitude: row.real_or_none("longitude")?,
    })
}

const BODY_COLUMNS: &str = "id, kind, name_ru, name_en, short_ru, short_en";

fn body_from_row(row: &impl NamedRow) -> Result<Body, StorageError> {
    let id = row.text("id")?;
    let kind = row.text("kind")?;
    Ok(Body {
        id: BodyId::parse(&id).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        kind: kind
            .parse()
            .map_err(|_| StorageError::Corrupt(format!("body {id}: kind {kind:?}")))?,
        name_ru: row.text("name_ru")?,
        name_en: row.text("name_en")?,
        short_ru: row.text("short_ru")?,
        short_en: row.text("short_en")?,
    })
}

pub(crate) async fn load_body(
    reader: &mut Reader<'_>,
    id: &BodyId,
) -> Result<Option<Body>, StorageError> {
    let body = on_reader!(reader, conn => {
        sqlx::query(&format!("SELECT {BODY_COLUMNS} FROM bodies WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(body_from_row)
            .transpose()?
    });
    Ok(body)
}

pub(crate) async fn load_city(
    reader: &mut Reader<'_>,
    code: &CityCode,
) -> Result<Option<City>, StorageError> {
    let city = on_reader!(reader, conn => {
        sqlx::query(&format!("SELECT {CITY_COLUMNS} FROM cities WHERE code = $1"))
            .bind(code.as_str())
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(city_from_row)
            .transpose()?
    });
    Ok(city)
}

crate::facet!(
    /// The association, its member cities and its bodies.
    Org,
    org
);

impl Org<'_> {
    pub async fn association(&self) -> Result<Option<Association>, StorageError> {
        let row: Option<(String, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT name_ru, name_en, short_ru, short_en FROM association WHERE id = 1")
                .fetch_optional(pool)
                .await?
        });
        Ok(
            row.map(|(name_ru, name_en, short_ru, short_en)| Association {
                name_ru,
                name_en,
                short_ru,
                short_en,
            }),
        )
    }

    pub async fn set_association(
        &self,
        actor: &str,
        value: &Association,
    ) -> Result<(), StorageError> {
        let before = self.association().await?;
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO association (id, name_ru, name_en, short_ru, short_en) VALUES (1, $1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET name_ru = $1, name_en = $2, short_ru = $3, short_en = $4",
        )
        .bind(&value.name_ru)
        .bind(&value.name_en)
        .bind(&value.short_ru)
        .bind(&value.short_en)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "update",
            "association",
            "1",
            before.as_ref(),
            Some(value),
        ))
        .await?;
        tx.commit().await
    }

    pub async fn summary(&self) -> Result<OrganisationSummary, StorageError> {
        let (cities, members, countries, bodies): (i64, i64, i64, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM cities), \
                        (SELECT COUNT(*) FROM cities WHERE status = 'member'), \
                        (SELECT COUNT(DISTINCT country_code) FROM cities), \
                        (SELECT COUNT(*) FROM bodies)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(OrganisationSummary {
            cities,
            members,
            countries,
            bodies,
        })
    }

    /// How many decisions are published: the home page's public figure, the number the
    /// anonymous register and `/api/v1/decisions` list. Drafts are not counted.
    pub async fn published_decisions(&self) -> Result<i64, StorageError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM decisions d JOIN assembly_sessions s ON s.id = d.session_id \
                 WHERE d.published = TRUE",
            )
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Member cities, ordered by their Russian name (folded in Rust, since SQLite cannot fold
    /// Cyrillic case).
    pub async fn cities(&self) -> Result<Vec<City>, StorageError> {
        let mut cities = on_pool!(self, pool => {
            sqlx::query(&format!("SELECT {CITY_COLUMNS} FROM cities"))
                .fetch_all(pool)
                .await?
                .iter()
                .map(city_from_row)
                .collect::<Result<Vec<_>, _>>()?
        });
        cities.sort_by_cached_key(|c| c.name_ru.to_lowercase());
        Ok(cities)
    }

    pub async fn city(&self, code: &CityCode) -> Result<Option<City>, StorageError> {
        load_city(&mut Reader::Store(self.store), code).await
    }

    /// Creates the city, or updates the one with the same code; audited with before and after,
    /// the before read under the writer's lock.
    pub async fn save_city(&self, actor: &str, city: &City) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let before = load_city(&mut Reader::Tx(&mut tx), &city.code).await?;
        on_tx!(tx, conn => sqlx::query(&format!(
            "INSERT INTO cities ({CITY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (code) DO UPDATE SET name_ru = $2, name_en = $3, country_code = $4, country_ru = $5, \
             country_en = $6, population = $7, status = $8, member_since = $9, latitude = $10, longitude = $11"
        ))
        .bind(city.code.as_str())
        .bind(&city.name_ru)
        .bind(&city.name_en)
        .bind(&city.country_code)
        .bind(&city.country_ru)
        .bind(&city.country_en)
        .bind(city.population)
        .bind(city.status.as_str())
        .bind(date_to_text(city.member_since))
        .bind(city.latitude)
        .bind(city.longitude)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        tx.audit(&upsert_entry(
            actor,
            "city",
            city.code.as_str(),
            before.as_ref(),
            city,
        ))
        .await?;
        tx.commit().await
    }

    pub async fn bodies(&self) -> Result<Vec<Body>, StorageError> {
        let mut bodies = on_pool!(self, pool => {
            sqlx::query(&format!("SELECT {BODY_COLUMNS} FROM bodies ORDER BY id"))
                .fetch_all(pool)
                .await?
                .iter()
                .map(body_from_row)
                .collect::<Result<Vec<_>, _>>()?
        });
        // The association's own bodies first, in the order of its charter.
        bodies.sort_by_key(|b| {
            megapolis_domain::BodyKind::ALL
                .iter()
                .position(|k| *k == b.kind)
        });
        Ok(bodies)
    }

    pub async fn body(&self, id: &BodyId) -> Result<Option<Body>, StorageError> {
        load_body(&mut Reader::Store(self.store), id).await
    }

    /// Creates or updates each body, all in one transaction: an import is whole or not at all.
    pub async fn save_bodies(&self, actor: &str, bodies: &[Body]) -> Result<usize, StorageError> {
        let existing = self.bodies().await?;
        let mut tx = self.begin_write().await?;
        let mut changed = 0;
        for body in bodies {
            let before = existing.iter().find(|b| b.id == body.id);
            if before == Some(body) {
                continue;
            }
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO bodies (id, kind, name_ru, name_en, short_ru, short_en) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET kind = $2, name_ru = $3, name_en = $4, short_ru = $5, short_en = $6",
            )
            .bind(body.id.as_str())
            .bind(body.kind.as_str())
            .bind(&body.name_ru)
            .bind(&body.name_en)
            .bind(&body.short_ru)
            .bind(&body.short_en)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
            tx.audit(&upsert_entry(actor, "body", body.id.as_str(), before, body))
                .await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn body_members(&self, id: &BodyId) -> Result<Vec<BodyMember>, StorageError> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.id, p.name, m.position FROM memberships m JOIN people p ON p.id = m.person_id \
                 WHERE m.body_id = $1 AND p.active = $2",
            )
            .bind(id.as_str())
            .bind(true)
            .fetch_all(pool)
            .await?
        });
        let mut members = rows
            .into_iter()
            .map(|(person_id, name, position)| {
                let position = position
                    .parse::<Position>()
                    .map_err(|_| StorageError::Corrupt(format!("position {position:?}")))?;
                Ok(BodyMember {
                    person_id,
                    name,
                    position,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        members.sort_by_key(|m| {
            (
                Position::ALL.iter().position(|p| *p == m.position),
                m.name.clone(),
            )
        });
        Ok(members)
    }
}
