//! Training of city staff: programmes and cohorts (staff create them through the API), the
//! nominations of each city's staff within its quota (city representatives), the results and
//! completion (staff), and certificates: signed Open Badges 3.0 credentials (`eddsa-jcs-2022`)
//! with a public verification page and status endpoint that check the stored proof every time.
//!
//! The issuer key: `MEGAPOLIS_ISSUER_KEY` (a 32-byte Ed25519 seed in hex) when set, else the key
//! made at first start and kept in the database (`training_issuer_key`, backed up with it). Its
//! public half is published as a `did:key` at `GET /api/v1/training/issuer`.
pub mod api;
pub mod document;
pub mod job;
pub mod nominations;
pub mod pages;
mod qr;
pub mod reports;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public};
use megapolis_domain::Role;
use megapolis_storage::{StorageError, Store};
use megapolis_training::credential::{did_key, signing_key};
use rand_core::{OsRng, RngCore};

/// Who nominates: city representatives (their own city) and the Secretariat (any city).
const NOMINATORS: Access = Access::Roles(&[Role::Admin, Role::Secretariat, Role::CityRep]);

/// The training part of the OpenAPI document.
fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = api::openapi();
    document.merge(nominations::openapi());
    document
}

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/training", Public, get(pages::index)),
            route(
                "POST",
                "/training/programmes",
                STAFF,
                post(pages::create_programme),
            ),
            route(
                "POST",
                "/training/cohorts",
                STAFF,
                post(pages::create_cohort),
            ),
            route("GET", "/training/cohorts/{id}", Public, get(pages::cohort)),
            route(
                "POST",
                "/training/cohorts/{id}/nominations",
                NOMINATORS,
                post(pages::nominate),
            ),
            route(
                "POST",
                "/training/nominations/{id}/complete",
                Access::SignedIn,
                post(pages::complete),
            ),
            route(
                "POST",
                "/training/cohorts/{id}/certificates",
                STAFF,
                post(pages::issue),
            ),
            route(
                "GET",
                "/certificates/{code}",
                Public,
                get(pages::certificate),
            ),
            route(
                "GET",
                "/api/v1/training/programmes",
                Public,
                get(api::programmes),
            ),
            route(
                "POST",
                "/api/v1/training/programmes",
                STAFF,
                post(api::create_programme),
            ),
            route("GET", "/api/v1/training/cohorts", Public, get(api::cohorts)),
            route(
                "POST",
                "/api/v1/training/cohorts",
                STAFF,
                post(api::create_cohort),
            ),
            route(
                "GET",
                "/api/v1/training/cohorts/{id}",
                Public,
                get(api::cohort),
            ),
            route(
                "GET",
                "/api/v1/training/cohorts/{id}/nominations",
                NOMINATORS,
                get(api::nominations),
            ),
            route(
                "POST",
                "/api/v1/training/cohorts/{id}/nominations",
                NOMINATORS,
                post(api::nominate),
            ),
            route(
                "POST",
                "/api/v1/training/nominations/{id}/complete",
                Access::SignedIn,
                post(api::complete),
            ),
            route(
                "POST",
                "/api/v1/training/cohorts/{id}/certificates",
                STAFF,
                post(api::issue),
            ),
            route("GET", "/api/v1/training/issuer", Public, get(api::issuer)),
            route(
                "POST",
                "/training/nominations/{id}/certificate",
                STAFF,
                post(pages::issue_one),
            ),
            route(
                "POST",
                "/api/v1/training/nominations/{id}/certificate",
                STAFF,
                post(api::issue_for_one),
            ),
            route(
                "POST",
                "/training/nominations/{id}/decision",
                STAFF,
                post(nominations::decide),
            ),
            route(
                "POST",
                "/training/nominations/{id}/move",
                STAFF,
                post(nominations::move_to),
            ),
            route(
                "POST",
                "/training/cohorts/{id}/sessions",
                STAFF,
                post(nominations::session),
            ),
            route(
                "POST",
                "/training/sessions/{id}/attendance",
                Access::SignedIn,
                post(nominations::attendance),
            ),
            route(
                "POST",
                "/api/v1/training/nominations/{id}/decision",
                STAFF,
                post(nominations::api_decide),
            ),
            route(
                "POST",
                "/api/v1/training/nominations/{id}/move",
                STAFF,
                post(nominations::api_move),
            ),
            route(
                "GET",
                "/api/v1/training/cohorts/{id}/sessions",
                STAFF,
                get(nominations::api_sessions),
            ),
            route(
                "POST",
                "/api/v1/training/cohorts/{id}/sessions",
                STAFF,
                post(nominations::api_add_session),
            ),
            route(
                "PUT",
                "/api/v1/training/sessions/{id}/attendance",
                Access::SignedIn,
                axum::routing::put(nominations::api_mark_attendance),
            ),
            route(
                "GET",
                "/certificates/{code}/certificate.pdf",
                Public,
                get(document::certificate_pdf),
            ),
            route("GET", "/training/reports", Public, get(reports::page)),
            route("GET", "/training/reports.xlsx", Public, get(reports::xlsx)),
            route("GET", "/training/reports.pdf", Public, get(reports::pdf)),
            route(
                "GET",
                "/api/v1/training/reports",
                Public,
                get(reports::open_data),
            ),
            route(
                "GET",
                "/api/v1/training/reports.csv",
                Public,
                get(reports::open_data_csv),
            ),
            route("GET", "/api/v1/certificates", STAFF, get(api::certificates)),
            route(
                "GET",
                "/api/v1/certificates/{code}",
                Public,
                get(api::credential),
            ),
            route(
                "GET",
                "/api/v1/certificates/{code}/status",
                Public,
                get(api::status),
            ),
            route(
                "POST",
                "/api/v1/certificates/{code}/revoke",
                STAFF,
                post(api::revoke),
            ),
        ],
        nav: vec![NavEntry {
            href: "/training",
            label: "nav-training",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!(
            "training.html",
            "cohort.html",
            "certificate.html",
            "training-reports.html"
        ),
        locales: crate::locales!(),
        openapi: Some(openapi),
        jobs: vec![job::job()],
        ..Capability::named("training")
    }
}

/// The association's signing key and its DID. The seed never leaves this type.
pub(crate) struct Issuer {
    seed: [u8; 32],
    pub did: String,
}

impl Issuer {
    pub fn new(seed: [u8; 32]) -> Issuer {
        let did = did_key(&signing_key(&seed).verifying_key());
        Issuer { seed, did }
    }

    pub fn seed(&self) -> &[u8; 32] {
        &self.seed
    }
}

/// The issuer's seed: `configured` (hex) when given — `None` when it is not 32 bytes of hex —
/// else the database's, made now on the first start.
pub(crate) async fn issuer_seed(
    store: &Store,
    configured: Option<&str>,
) -> Result<Option<[u8; 32]>, StorageError> {
    if let Some(text) = configured.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok(hex::decode(text)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()));
    }
    let mut candidate = [0u8; 32];
    OsRng.fill_bytes(&mut candidate);
    store.training().issuer_seed(candidate).await.map(Some)
}

/// After the demo is loaded: the certificates of its finished cohorts, issued the day after
/// each ended (so last year's have expired by now), and one of them revoked.
pub(crate) async fn demo_certificates(
    state: &crate::state::AppState,
) -> Result<(), crate::error::AppError> {
    use megapolis_domain::audit::actors;
    use megapolis_storage::demo::training::FINISHED_COHORTS;
    let cohorts = state.store.training().cohorts().await?;
    for (i, title) in FINISHED_COHORTS.iter().enumerate() {
        let Some(cohort) = cohorts.iter().find(|c| c.cohort.title == *title) else {
            continue;
        };
        let issued_on = (cohort.cohort.ends_on + time::Duration::days(1))
            .midnight()
            .assume_utc();
        let codes = api::issue_at(state, actors::DEMO, cohort.id, issued_on, usize::MAX).await?;
        if i == 1 {
            if let Some(code) = codes.first() {
                state
                    .store
                    .training()
                    .revoke(
                        actors::DEMO,
                        code,
                        "Выдан по ошибке: аттестация пересматривается (демо)",
                    )
                    .await?;
            }
        }
    }
    Ok(())
}
