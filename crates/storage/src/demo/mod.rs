//! The demo organisation: real member cities, the bodies of the example decisions, and one
//! person for every role, so a newcomer sees everything at first start.
//!
//! Each capability's demo data lives beside the others here, one module each, loaded in order
//! by [`load_demo`].
mod catalogue;
mod competition;
mod consultations;
mod decisions;
mod events;
mod monitoring;
mod org;
mod promotion;
pub mod training;

use crate::{StorageError, Store};
use time::OffsetDateTime;

/// A demo login, printed by `serve --demo`.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub role: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub body: &'static str,
    pub position: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        email: "admin@megapolis.example",
        password: "demo-admin-pass",
        role: "admin",
        name: "Анна Администратова",
        city: "",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "secretariat@megapolis.example",
        password: "demo-secretariat-pass",
        role: "secretariat",
        name: "Сергей Секретарёв",
        city: "",
        body: "secretariat",
        position: "secretary",
    },
    DemoLogin {
        email: "board@megapolis.example",
        password: "demo-board-pass",
        role: "body-member",
        name: "Борис Правлин",
        city: "",
        body: "board",
        position: "chair",
    },
    DemoLogin {
        email: "council@megapolis.example",
        password: "demo-council-pass",
        role: "body-member",
        name: "Елена Экспертова",
        city: "",
        body: "expert-council",
        position: "member",
    },
    DemoLogin {
        email: "minsk@megapolis.example",
        password: "demo-city-pass",
        role: "city-rep",
        name: "Виктор Минский",
        city: "minsk",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "expert@megapolis.example",
        password: "demo-expert-pass",
        role: "expert",
        name: "Ирина Оценщикова",
        city: "",
        body: "",
        position: "",
    },
    // The second assessor of the demo campaign: every city has two.
    DemoLogin {
        email: "expert2@megapolis.example",
        password: "demo-expert2-pass",
        role: "expert",
        name: "Павел Проверкин",
        city: "",
        body: "",
        position: "",
    },
];

pub use events::{PRESIDENT_EMAIL, PRESIDENT_PASSWORD};

pub const DEMO_ACTOR: &str = megapolis_domain::audit::actors::DEMO;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data, {file} row {row}: {message}")]
    Data {
        file: &'static str,
        row: usize,
        message: String,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Loads the demo organisation into an empty database; a database that already has cities is
/// left as it is, so `serve --demo` can be restarted without duplicating anything.
pub async fn load_demo(store: &Store) -> Result<bool, DemoError> {
    if !store.org().cities().await?.is_empty() {
        return Ok(false);
    }
    org::load(store).await?;
    decisions::load(store, OffsetDateTime::now_utc().date()).await?;
    monitoring::load(store).await?;
    consultations::load(store).await?;
    catalogue::load(store).await?;
    competition::load(store, OffsetDateTime::now_utc().date()).await?;
    // The priorities cite catalogue solutions.
    consultations::load_priorities(store).await?;
    training::load(store, OffsetDateTime::now_utc().date()).await?;
    events::load(store).await?;
    promotion::load(store).await?;
    Ok(true)
}
