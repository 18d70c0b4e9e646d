//! Monitoring of the information development of member cities: editions of the methodology
//! (iMeta + build.toml + verified iData) posted by the Secretariat, computed by a background job
//! (the index engine's build and uncertainty analysis), published as a ranking with rank
//! intervals, in pages and in the API (JSON and CSV); the public side (`public`, `report`): city
//! profiles, comparison, trends, the methodology, open data (CSV, JSON, XLSX) and the PDF report.
pub mod api;
pub mod job;
pub mod pages;
pub mod public;
pub mod report;
pub mod views;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public};

/// An edition's files: iData of 2,000 cities × 200 indicators is about 4 MB.
const EDITION_BYTES: usize = 16 * 1024 * 1024;

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/monitoring", Public, get(pages::editions)),
            route("POST", "/monitoring/editions", STAFF, post(pages::upload))
                .with_body_limit(EDITION_BYTES),
            route(
                "GET",
                "/monitoring/editions/{id}",
                Public,
                get(pages::ranking),
            ),
            route(
                "POST",
                "/monitoring/editions/{id}/compute",
                STAFF,
                post(pages::compute),
            ),
            route(
                "POST",
                "/monitoring/editions/{id}/publish",
                STAFF,
                post(pages::publish),
            ),
            route(
                "GET",
                "/monitoring/editions/{id}/cities/{code}",
                Public,
                get(public::city),
            ),
            route(
                "GET",
                "/monitoring/editions/{id}/compare",
                Public,
                get(public::compare),
            ),
            route(
                "GET",
                "/monitoring/editions/{id}/methodology",
                Public,
                get(public::methodology),
            ),
            route(
                "GET",
                "/monitoring/editions/{id}/report.pdf",
                Public,
                get(report::report_pdf),
            ),
            route("GET", "/monitoring/trends", Public, get(public::trends)),
            route(
                "GET",
                "/api/v1/monitoring/editions/{id}/data.csv",
                Public,
                get(public::data_csv),
            ),
            route(
                "GET",
                "/api/v1/monitoring/editions/{id}/data.json",
                Public,
                get(public::data_json),
            ),
            route(
                "GET",
                "/api/v1/monitoring/editions/{id}/data.xlsx",
                Public,
                get(public::data_xlsx),
            ),
            route(
                "GET",
                "/api/v1/monitoring/editions",
                Public,
                get(api::list_editions),
            ),
            route(
                "POST",
                "/api/v1/monitoring/editions",
                STAFF,
                post(api::create_edition),
            )
            .with_body_limit(EDITION_BYTES),
            route(
                "POST",
                "/api/v1/monitoring/editions/{id}/compute",
                STAFF,
                post(api::compute),
            ),
            route(
                "POST",
                "/api/v1/monitoring/editions/{id}/publish",
                STAFF,
                post(api::publish),
            ),
            route(
                "GET",
                "/api/v1/monitoring/editions/{id}/results",
                Public,
                get(api::results),
            ),
            route(
                "GET",
                "/api/v1/monitoring/editions/{id}/results.csv",
                Public,
                get(api::results_csv),
            ),
        ],
        nav: vec![NavEntry {
            href: "/monitoring",
            label: "nav-monitoring",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!(
            "monitoring.html",
            "monitoring_edition.html",
            "monitoring_city.html",
            "monitoring_compare.html",
            "monitoring_trends.html",
            "monitoring_methodology.html"
        ),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        jobs: vec![job::job()],
        ..Capability::named("monitoring")
    }
}
