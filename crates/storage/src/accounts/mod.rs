//! People, their memberships, sign-in sessions, login throttling, invitations and API tokens.
//! Secrets are stored only as SHA-256 hashes of random tokens, and passwords as argon2id hashes.
use crate::audit::{audit_entry, event_entry};
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_reader, on_tx, utc_after, NamedRow, Reader, WriteTx};
use crate::org::{load_body, load_city};
use crate::StorageError;
use megapolis_domain::login::{LoginLimits, RecentFailures};
use megapolis_domain::person::Membership;
use megapolis_domain::{BodyId, CityCode, Email, Lang, Person, PersonDraft, Position, Role};
use serde::Serialize;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What a backup holds of people, their memberships, invitations and API tokens, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "people",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("email", Kind::Text),
            ("name", Kind::Text),
            ("role", Kind::Text),
            ("city", Kind::Text),
            ("password_hash", Kind::Text),
            ("active", Kind::Bool),
            ("language", Kind::Text),
        ],
    },
    Table {
        name: "memberships",
        identity: false,
        columns: &[
            ("person_id", Kind::Int),
            ("body_id", Kind::Text),
            ("position", Kind::Text),
        ],
    },
    Table {
        name: "invitations",
        identity: false,
        columns: &[
            ("token_hash", Kind::Text),
            ("person_id", Kind::Int),
            ("expires_at", Kind::Text),
            ("used_at", Kind::Text),
        ],
    },
    Table {
        name: "api_tokens",
        identity: false,
        columns: &[
            ("token_hash", Kind::Text),
            ("person_id", Kind::Int),
            ("name", Kind::Text),
            ("created_at", Kind::Text),
            ("last_used_at", Kind::Text),
        ],
    },
];

/// A person's own columns, read by name; memberships come separately.
struct PersonRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    city: Option<String>,
    active: bool,
}

impl PersonRow {
    fn read(row: &impl NamedRow) -> Result<PersonRow, sqlx::Error> {
        Ok(PersonRow {
            id: row.int("id")?,
            email: row.text("email")?,
            name: row.text("name")?,
            role: row.text("role")?,
            city: row.text_or_none("city")?,
            active: row.flag("active")?,
        })
    }
}

const PERSON_COLUMNS: &str = "p.id, p.email, p.name, p.role, p.city, p.active";

/// What the audit log keeps of a person: never the password hash.
/// An API token as its owner sees it listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// The SHA-256 of the token: names it in a revoke form; the token itself is never stored.
    pub hash: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

crate::facet!(
    /// People, sign-in sessions, login throttling, invitations and API tokens.
    Accounts,
    accounts
);

/// A person with their memberships, read through `reader` (a write's own transaction, when
/// it depends on them).
async fn load_person(reader: &mut Reader<'_>, id: i64) -> Result<Option<Person>, StorageError> {
    let row = on_reader!(reader, conn => {
        sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(PersonRow::read)
            .transpose()?
    });
    let Some(row) = row else { return Ok(None) };
    let memberships: Vec<(String, String)> = on_reader!(reader, conn => {
        sqlx::query_as("SELECT body_id, position FROM memberships WHERE person_id = $1 ORDER BY body_id")
            .bind(id)
            .fetch_all(conn)
            .await?
    });
    let PersonRow {
        id,
        email,
        name,
        role,
        city,
        active,
    } = row;
    let corrupt = |what: &str| StorageError::Corrupt(format!("person {id}: {what}"));
    Ok(Some(Person {
        id,
        email: Email::parse(&email).ok_or_else(|| corrupt("e-mail"))?,
        name,
        role: role.parse::<Role>().map_err(|e| corrupt(&e))?,
        city: city
            .map(|c| CityCode::parse(&c).map_err(|e| corrupt(&e.to_string())))
            .transpose()?,
        memberships: memberships
            .into_iter()
            .map(|(body, position)| {
                Ok(Membership {
                    body: BodyId::parse(&body).map_err(|e| corrupt(&e.to_string()))?,
                    position: position
                        .parse::<Position>()
                        .map_err(|_| corrupt("position"))?,
                })
            })
            .collect::<Result<_, StorageError>>()?,
        active,
    }))
}

/// Refuses a person whose city or body is not in the directory.
async fn check_directory(
    tx: &mut crate::db::WriteTx,
    draft: &PersonDraft,
) -> Result<(), StorageError> {
    if let Some(city) = &draft.city {
        if load_city(&mut Reader::Tx(tx), city).await?.is_none() {
            return Err(StorageError::NotFound(format!("city {city}")));
        }
    }
    if let Some(m) = &draft.membership {
        if load_body(&mut Reader::Tx(tx), &m.body).await?.is_none() {
            return Err(StorageError::NotFound(format!("body {}", m.body)));
        }
    }
    Ok(())
}

/// The person `id` as the write sees it.
async fn person_in(tx: &mut WriteTx, id: i64) -> Result<Person, StorageError> {
    load_person(&mut Reader::Tx(tx), id)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("person {id}")))
}

async fn insert_membership(
    tx: &mut WriteTx,
    person: i64,
    membership: &Membership,
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query("INSERT INTO memberships (person_id, body_id, position) VALUES ($1, $2, $3)")
        .bind(person)
        .bind(membership.body.as_str())
        .bind(membership.position.as_str())
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The audit record of a change to a person: what the log keeps of them before and after.
fn person_entry(
    actor: &str,
    action: &str,
    before: Option<&Person>,
    after: &Person,
) -> megapolis_domain::AuditEntry {
    audit_entry(
        actor,
        action,
        "person",
        &after.id.to_string(),
        before.map(person_audit).as_ref(),
        Some(&person_audit(after)),
    )
}

/// What the audit log keeps of a person.
fn person_audit(person: &Person) -> serde_json::Value {
    serde_json::json!({
        "email": person.email.as_str(),
        "name": person.name,
        "role": person.role.as_str(),
        "city": person.city.as_ref().map(|c| c.as_str()),
        "memberships": person.memberships,
        "active": person.active,
    })
}

impl Accounts<'_> {
    pub async fn people(&self) -> Result<Vec<Person>, StorageError> {
        let ids: Vec<i64> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT id FROM people ORDER BY id")
                .fetch_all(pool)
                .await?
        });
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            people.extend(self.person(id).await?);
        }
        Ok(people)
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>, StorageError> {
        load_person(&mut Reader::Store(self.store), id).await
    }

    /// Changes a person's e-mail, name, role, city and main membership (`draft.membership`
    /// replaces the first of their memberships; their other memberships stay).
    pub async fn update_person(
        &self,
        actor: &str,
        id: i64,
        draft: &PersonDraft,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let before = person_in(&mut tx, id).await?;
        check_directory(&mut tx, draft).await?;
        let taken: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM people WHERE email = $1 AND id <> $2")
            .bind(draft.email.as_str())
            .bind(id)
            .fetch_optional(conn)
            .await?);
        if taken.is_some() {
            return Err(StorageError::Conflict(format!(
                "a person with the e-mail {} already exists",
                draft.email
            )));
        }
        on_tx!(tx, conn => sqlx::query("UPDATE people SET email = $1, name = $2, role = $3, city = $4 WHERE id = $5")
            .bind(draft.email.as_str())
            .bind(&draft.name)
            .bind(draft.role.as_str())
            .bind(draft.city.as_ref().map(|c| c.as_str()))
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        let replaced = before
            .memberships
            .first()
            .map(|m| m.body.as_str().to_string());
        if let Some(body) = &replaced {
            on_tx!(tx, conn => sqlx::query("DELETE FROM memberships WHERE person_id = $1 AND body_id = $2")
                .bind(id)
                .bind(body)
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
        }
        if let Some(m) = &draft.membership {
            on_tx!(tx, conn => sqlx::query("DELETE FROM memberships WHERE person_id = $1 AND body_id = $2")
                .bind(id)
                .bind(m.body.as_str())
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
            insert_membership(&mut tx, id, m).await?;
        }
        let after = person_in(&mut tx, id).await?;
        tx.audit(&person_entry(actor, "update", Some(&before), &after))
            .await?;
        tx.commit().await
    }

    /// Lets a person sign in again, or stops them: a deactivated person's sessions end and
    /// their tokens stop working (they are kept, and work again on reactivation).
    pub async fn set_active(&self, actor: &str, id: i64, active: bool) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let before = person_in(&mut tx, id).await?;
        on_tx!(tx, conn => sqlx::query("UPDATE people SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        if !active {
            on_tx!(tx, conn => sqlx::query("DELETE FROM sessions WHERE person_id = $1")
                .bind(id)
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
        }
        let after = Person {
            active,
            ..before.clone()
        };
        let action = if active { "activate" } else { "deactivate" };
        tx.audit(&person_entry(actor, action, Some(&before), &after))
            .await?;
        tx.commit().await
    }

    /// The person who signs in with this e-mail, with their password hash.
    pub async fn login_candidate(
        &self,
        email: &Email,
    ) -> Result<Option<(Person, Option<String>)>, StorageError> {
        let row: Option<(i64, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, password_hash FROM people WHERE email = $1 AND active = $2")
                .bind(email.as_str())
                .bind(true)
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some((id, hash)) => Ok(self.person(id).await?.map(|p| (p, hash))),
            None => Ok(None),
        }
    }

    /// Adds a person (and their membership); the e-mail must be new.
    pub async fn create_person(
        &self,
        actor: &str,
        draft: &PersonDraft,
        password_hash: Option<&str>,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        check_directory(&mut tx, draft).await?;
        let taken: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(draft.email.as_str())
            .fetch_optional(conn)
            .await?);
        if taken.is_some() {
            return Err(StorageError::Conflict(format!(
                "a person with the e-mail {} already exists",
                draft.email
            )));
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO people (email, name, role, city, password_hash, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(draft.email.as_str())
        .bind(&draft.name)
        .bind(draft.role.as_str())
        .bind(draft.city.as_ref().map(|c| c.as_str()))
        .bind(password_hash)
        .bind(true)
        .fetch_one(conn)
        .await?);
        if let Some(m) = &draft.membership {
            insert_membership(&mut tx, id, m).await?;
        }
        let created = person_in(&mut tx, id).await?;
        tx.audit(&person_entry(actor, "create", None, &created))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Remembers the language a person reads in, for the notices mailed to them. Not audited:
    /// a preference, not a record of the association.
    pub async fn set_language(&self, person_id: i64, language: Lang) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("UPDATE people SET language = $1 WHERE id = $2")
            .bind(language.code())
            .bind(person_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// Replaces a person's password hash; the audit log records that it changed, not the value.
    pub async fn set_password(
        &self,
        actor: &str,
        person_id: i64,
        hash: &str,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let updated = on_tx!(tx, conn => sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(person_id)
            .execute(conn)
            .await.map(|r| r.rows_affected())?);
        if updated == 0 {
            return Err(StorageError::NotFound(format!("person {person_id}")));
        }
        // Every other session of this person ends with the old password.
        on_tx!(tx, conn => sqlx::query("DELETE FROM sessions WHERE person_id = $1")
            .bind(person_id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            actor,
            "password",
            "person",
            &person_id.to_string(),
        ))
        .await?;
        tx.commit().await
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        person_id: i64,
        csrf_token: &str,
        lifetime: time::Duration,
    ) -> Result<(), StorageError> {
        on_pool!(self, pool => sqlx::query("INSERT INTO sessions (token_hash, person_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(person_id)
            .bind(csrf_token)
            .bind(utc_after(lifetime))
            .execute(pool)
            .await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The signed-in person and the session's form token, when the session is live.
    pub async fn session(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Person, String)>, StorageError> {
        let row: Option<(i64, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.person_id, s.csrf_token FROM sessions s JOIN people p ON p.id = s.person_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND p.active = $3",
            )
            .bind(token_hash)
            .bind(now_utc())
            .bind(true)
            .fetch_optional(pool)
            .await?
        });
        match row {
            Some((person_id, csrf)) => Ok(self.person(person_id).await?.map(|p| (p, csrf))),
            None => Ok(None),
        }
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StorageError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2")
            .bind(token_hash)
            .bind(now_utc())
            .execute(pool)
            .await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Admits one login attempt, or refuses it, as `limits` say for the failures of the last
    /// `window`. Checking and counting are one step under the writer's lock, so parallel
    /// guesses cannot all slip past the check: an admitted attempt counts as a failure until
    /// [`Accounts::clear_login_failures`] clears it after a right password.
    pub async fn admit_login(
        &self,
        account: &str,
        address: &str,
        window: time::Duration,
        limits: LoginLimits,
    ) -> Result<bool, StorageError> {
        let since = utc_after(-window);
        let mut tx = self.begin_write().await?;
        let (pair, pair_last, by_account, by_address): (i64, Option<String>, i64, i64) = on_tx!(tx, conn => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM login_failures WHERE account = $1 AND address = $2 AND at > $3), \
                        (SELECT MAX(at) FROM login_failures WHERE account = $1 AND address = $2 AND at > $3), \
                        (SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $3), \
                        (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at > $3)",
            )
            .bind(account)
            .bind(address)
            .bind(since)
            .fetch_one(conn)
            .await?
        });
        let failures = RecentFailures {
            pair,
            pair_last: pair_last
                .map(|at| {
                    OffsetDateTime::parse(&at, &Rfc3339).map_err(|e| {
                        StorageError::Corrupt(format!("login failure time {at:?}: {e}"))
                    })
                })
                .transpose()?,
            account: by_account,
            address: by_address,
        };
        if !limits.admits(&failures, OffsetDateTime::now_utc()) {
            return Ok(false);
        }
        on_tx!(tx, conn => sqlx::query("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
            .bind(account)
            .bind(address)
            .bind(now_utc())
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn clear_login_failures(&self, account: &str) -> Result<(), StorageError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM login_failures WHERE account = $1")
            .bind(account)
            .execute(pool)
            .await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn create_invitation(
        &self,
        actor: &str,
        person_id: i64,
        token_hash: &str,
        lifetime: time::Duration,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("INSERT INTO invitations (token_hash, person_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(person_id)
            .bind(utc_after(lifetime))
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            actor,
            "invite",
            "person",
            &person_id.to_string(),
        ))
        .await?;
        tx.commit().await
    }

    /// The person an unused, unexpired invitation is for.
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<Person>, StorageError> {
        let person_id: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT person_id FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(token_hash)
                .bind(now_utc())
                .fetch_optional(pool)
                .await?
        });
        match person_id {
            Some(id) => self.person(id).await,
            None => Ok(None),
        }
    }

    /// Uses an invitation once: sets the password and marks it used in one transaction.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Person, StorageError> {
        let person = self
            .invitation(token_hash)
            .await?
            .ok_or_else(|| StorageError::NotFound("invitation".into()))?;
        let mut tx = self.begin_write().await?;
        let used = on_tx!(tx, conn => sqlx::query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now_utc())
            .bind(token_hash)
            .execute(conn)
            .await.map(|r| r.rows_affected())?);
        if used == 0 {
            return Err(StorageError::NotFound("invitation".into()));
        }
        on_tx!(tx, conn => sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(person.id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            person.email.as_str(),
            "accept-invitation",
            "person",
            &person.id.to_string(),
        ))
        .await?;
        tx.commit().await?;
        Ok(person)
    }

    pub async fn create_api_token(
        &self,
        actor: &str,
        person_id: i64,
        token_hash: &str,
        name: &str,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("INSERT INTO api_tokens (token_hash, person_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(person_id)
            .bind(name)
            .bind(now_utc())
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "create",
            "api-token",
            &person_id.to_string(),
            None,
            Some(&name),
        ))
        .await?;
        tx.commit().await
    }

    /// The person a token belongs to, noting that it was used. The note is written at most
    /// once a minute a token, and needs no audit record; on SQLite it still goes through the one
    /// writer, since a write beside it would break another writer's snapshot.
    pub async fn api_token_person(&self, token_hash: &str) -> Result<Option<Person>, StorageError> {
        let a_minute_ago = utc_after(-time::Duration::MINUTE);
        let stale: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        )
        .bind(token_hash)
        .bind(&a_minute_ago)
        .fetch_one(pool)
        .await?);
        if stale > 0 {
            let mut tx = self.begin_unaudited().await?;
            on_tx!(tx, conn => sqlx::query(
                "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now_utc())
            .bind(token_hash)
            .bind(&a_minute_ago)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            tx.commit().await?;
        }
        let person_id: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT t.person_id FROM api_tokens t JOIN people p ON p.id = t.person_id WHERE t.token_hash = $1 AND p.active = $2",
            )
            .bind(token_hash)
            .bind(true)
            .fetch_optional(pool)
            .await?
        });
        match person_id {
            Some(id) => self.person(id).await,
            None => Ok(None),
        }
    }

    /// A person's API tokens, newest first: what the profile lists (never the tokens, which are
    /// kept only as hashes).
    pub async fn api_tokens(&self, person_id: i64) -> Result<Vec<ApiToken>, StorageError> {
        let tokens = on_pool!(self, pool => {
            sqlx::query(
                "SELECT token_hash, name, created_at, last_used_at FROM api_tokens WHERE person_id = $1 \
                 ORDER BY created_at DESC",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok::<_, sqlx::Error>(ApiToken {
                    hash: row.try_get("token_hash")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?
        });
        Ok(tokens)
    }

    /// Revokes one of a person's tokens (`Some(hash)`) or all of them; returns how many.
    pub async fn revoke_api_tokens(
        &self,
        actor: &str,
        person_id: i64,
        hash: Option<&str>,
    ) -> Result<u64, StorageError> {
        let mut tx = self.begin_write().await?;
        let revoked = on_tx!(tx, conn => sqlx::query(
            "DELETE FROM api_tokens WHERE person_id = $1 AND ($2 IS NULL OR token_hash = $2)",
        )
        .bind(person_id)
        .bind(hash)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        if revoked > 0 {
            tx.audit(&event_entry(
                actor,
                "revoke",
                "api-token",
                &person_id.to_string(),
            ))
            .await?;
        }
        tx.commit().await?;
        Ok(revoked)
    }
}
