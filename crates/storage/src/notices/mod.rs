//! Notices: the in-app inbox and the e-mail outbox, for a subject of any capability.
//!
//! Every notice is written to the inbox and, in the same transaction, to the outbox; the
//! mailer takes messages from the outbox and marks them sent only after the mail server accepted
//! them, so nothing is lost while it is down.
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, utc_after, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_domain::notice::Subject;
use megapolis_domain::{BodyId, Lang};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// What a backup holds of notices and their e-mail, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "notices",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("person_id", Kind::Int),
            ("at", Kind::Text),
            ("subject_kind", Kind::Text),
            ("subject_id", Kind::Text),
            ("kind", Kind::Text),
            ("title", Kind::Text),
            ("text", Kind::Text),
            ("link", Kind::Text),
            ("read_at", Kind::Text),
        ],
    },
    Table {
        name: "notice_outbox",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("notice_id", Kind::Int),
            ("to_address", Kind::Text),
            ("created_at", Kind::Text),
            ("attempts", Kind::Int),
            ("next_attempt_at", Kind::Text),
            ("last_error", Kind::Text),
            ("sent_at", Kind::Text),
        ],
    },
];

/// A notice in a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub id: i64,
    pub at: String,
    /// The kind of its subject (`assignment`), or "" for a notice about nothing in particular.
    pub subject_kind: String,
    pub subject_id: String,
    /// What happened (`reported`, `reminder`, …), in the subject kind's vocabulary.
    pub kind: String,
    pub title: String,
    /// The comment or report that came with the event.
    pub text: String,
    /// The path of the subject's page, or "".
    pub link: String,
    pub read: bool,
}

/// A message waiting in the outbox, with what the mail needs to say and the language of its
/// recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: i64,
    pub to_address: String,
    pub attempts: i64,
    pub language: Lang,
    pub notice: Notice,
}

const NOTICE_COLUMNS: &str =
    "n.id, n.at, n.subject_kind, n.subject_id, n.kind, n.title, n.text, n.link, n.read_at";

fn notice_from_row(row: &impl NamedRow) -> Result<Notice, sqlx::Error> {
    Ok(Notice {
        id: row.int("id")?,
        at: row.text("at")?,
        subject_kind: row.text("subject_kind")?,
        subject_id: row.text("subject_id")?,
        kind: row.text("kind")?,
        title: row.text("title")?,
        text: row.text("text")?,
        link: row.text("link")?,
        read: row.text_or_none("read_at")?.is_some(),
    })
}

crate::facet!(
    /// Notices to people: the inbox and the e-mail outbox.
    Notices,
    notices
);

impl Notices<'_> {
    /// A person's inbox, newest first.
    pub async fn inbox(&self, person_id: i64, limit: i64) -> Result<Vec<Notice>, StorageError> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.person_id = $1 ORDER BY n.id DESC LIMIT $2"
        );
        let notices = on_pool!(self, pool => sqlx::query(&sql)
            .bind(person_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(notice_from_row)
            .collect::<Result<Vec<_>, _>>()?);
        Ok(notices)
    }

    pub async fn unread(&self, person_id: i64) -> Result<i64, StorageError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notices WHERE person_id = $1 AND read_at IS NULL",
        )
        .bind(person_id)
        .fetch_one(pool)
        .await?);
        Ok(count)
    }

    /// Marks a person's notices read: one, or all when `id` is `None`.
    pub async fn mark_read(&self, person_id: i64, id: Option<i64>) -> Result<u64, StorageError> {
        let mut tx = self.begin_write().await?;
        let changed = on_tx!(tx, conn => sqlx::query(
            "UPDATE notices SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)",
        )
        .bind(now_utc())
        .bind(person_id)
        .bind(id)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Messages the mailer should try now, oldest first, each with its recipient's language.
    pub async fn mail_due(&self, limit: i64) -> Result<Vec<OutgoingMail>, StorageError> {
        let sql = format!(
            "SELECT o.id AS outbox_id, o.to_address, o.attempts, p.language, {NOTICE_COLUMNS} \
             FROM notice_outbox o JOIN notices n ON n.id = o.notice_id JOIN people p ON p.id = n.person_id \
             WHERE o.sent_at IS NULL AND o.next_attempt_at <= $1 ORDER BY o.id LIMIT $2"
        );
        let mail = on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(now_utc())
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    let language: String = row.try_get("language")?;
                    Ok(OutgoingMail {
                        id: row.try_get("outbox_id")?,
                        to_address: row.try_get("to_address")?,
                        attempts: row.try_get("attempts")?,
                        language: Lang::from_tag(&language).unwrap_or_default(),
                        notice: notice_from_row(row)?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(mail)
    }

    /// Records that the mail server accepted a message.
    pub async fn mail_sent(&self, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("UPDATE notice_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now_utc())
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// Records a failed delivery attempt of outbox message `id`, to be tried again after
    /// `delay` (the mailer's back-off). The message stays unsent until the mail server takes it.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        delay: time::Duration,
    ) -> Result<(), StorageError> {
        let next = utc_after(delay);
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query(
            "UPDATE notice_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.commit().await
    }
}

/// Puts a notice about `subject` in the inbox of every active member of `bodies` (but not the
/// person who acted) and queues its e-mail in the outbox, in the same transaction as the event.
pub(crate) async fn notify(
    tx: &mut WriteTx,
    subject: &Subject,
    kind: &str,
    text: &str,
    bodies: &[&BodyId],
    except: Option<i64>,
) -> Result<usize, StorageError> {
    let mut recipients: BTreeMap<i64, String> = BTreeMap::new();
    for body in bodies {
        let members: Vec<(i64, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT p.id, p.email FROM people p JOIN memberships m ON m.person_id = p.id WHERE m.body_id = $1 AND p.active = $2 \
             UNION SELECT p.id, p.email FROM people p JOIN bodies b ON b.id = $1 AND b.kind = $3 \
             JOIN cities c ON c.code = p.city AND c.status = $4 WHERE p.role = $5 AND p.active = $2",
        )
        .bind(body.as_str())
        .bind(true)
        .bind(megapolis_domain::BodyKind::MemberGroup.as_str())
        .bind(megapolis_domain::MembershipStatus::Member.as_str())
        .bind(megapolis_domain::Role::CityRep.as_str())
        .fetch_all(conn)
        .await?);
        recipients.extend(members);
    }
    if let Some(person) = except {
        recipients.remove(&person);
    }
    deliver(tx, subject, kind, text, &recipients, &[]).await
}

/// The active representatives of a city: the audience of what happens to its answers and its
/// nominations.
pub(crate) async fn city_representatives(
    tx: &mut WriteTx,
    city: &str,
) -> Result<Vec<i64>, StorageError> {
    let ids: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM people WHERE role = $1 AND city = $2 AND active = $3 ORDER BY id",
    )
    .bind(megapolis_domain::Role::CityRep.as_str())
    .bind(city)
    .bind(true)
    .fetch_all(conn)
    .await?);
    Ok(ids)
}

/// Puts a notice about `subject` in the inbox of each of `people` who is active (but not the
/// person who acted) and queues its e-mail, in the same transaction as the event: for a
/// capability whose audience is named people rather than bodies (a campaign's assessors).
pub(crate) async fn notify_people(
    tx: &mut WriteTx,
    subject: &Subject,
    kind: &str,
    text: &str,
    people: &[i64],
    except: Option<i64>,
) -> Result<usize, StorageError> {
    notify_people_copying(tx, subject, kind, text, people, except, &[]).await
}

/// As [`notify_people`], and the e-mail of the notice also goes to `copies`: addresses of
/// people without an account whom the event concerns (a nominee told of the decision on their
/// nomination). Copies go only when someone on the platform is notified too.
pub(crate) async fn notify_people_copying(
    tx: &mut WriteTx,
    subject: &Subject,
    kind: &str,
    text: &str,
    people: &[i64],
    except: Option<i64>,
    copies: &[&str],
) -> Result<usize, StorageError> {
    let mut recipients: BTreeMap<i64, String> = BTreeMap::new();
    for person in people.iter().filter(|p| Some(**p) != except) {
        let found: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT email FROM people WHERE id = $1 AND active = $2",
        )
        .bind(person)
        .bind(true)
        .fetch_optional(conn)
        .await?);
        recipients.extend(found.map(|email| (*person, email)));
    }
    deliver(tx, subject, kind, text, &recipients, copies).await
}

async fn deliver(
    tx: &mut WriteTx,
    subject: &Subject,
    kind: &str,
    text: &str,
    recipients: &BTreeMap<i64, String>,
    copies: &[&str],
) -> Result<usize, StorageError> {
    let now = now_utc();
    let excerpt: String = text.trim().chars().take(500).collect();
    for (k, (person_id, email)) in recipients.iter().enumerate() {
        let notice: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO notices (person_id, at, subject_kind, subject_id, kind, title, text, link) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(person_id)
        .bind(&now)
        .bind(subject.kind)
        .bind(&subject.id)
        .bind(kind)
        .bind(&subject.title)
        .bind(&excerpt)
        .bind(&subject.link)
        .fetch_one(conn)
        .await?);
        // The copies ride on the first recipient's notice, so each goes once.
        let copies = if k == 0 { copies } else { &[] };
        for address in std::iter::once(email.as_str()).chain(copies.iter().copied()) {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO notice_outbox (notice_id, to_address, created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, 0, $3)",
            )
            .bind(notice)
            .bind(address)
            .bind(&now)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        }
    }
    Ok(recipients.len())
}
