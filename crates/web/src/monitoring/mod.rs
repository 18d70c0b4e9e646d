//! Monitoring of the information development of member cities: editions of the methodology
//! (iMeta + build.toml + verified iData) posted by the Secretariat, computed by a background job
//! (the index engine's build and uncertainty analysis), published as a ranking with rank
//! intervals, in pages and in the API (JSON and CSV); the public side (`public`, `report`): city
//! profiles, comparison, trends, the methodology, open data (CSV, JSON, XLSX) and the PDF report;
//! the Secretariat's methodology editor (`methodology`) and the campaigns (`campaigns`).
pub mod api;
pub mod campaigns;
pub mod job;
pub mod methodology;
pub mod pages;
pub mod public;
pub mod report;
pub mod views;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public};
use megapolis_domain::Role;

/// An edition's files: iData of 2,000 cities × 200 indicators is about 4 MB.
const EDITION_BYTES: usize = 16 * 1024 * 1024;

/// Who takes part in campaigns: the Secretariat, city representatives, assessors (experts).
const CAMPAIGN_PEOPLE: Access =
    Access::Roles(&[Role::Admin, Role::Secretariat, Role::CityRep, Role::Expert]);
const CITY_REPS: Access = Access::Roles(&[Role::CityRep]);
const ASSESSORS: Access = Access::Roles(&[Role::Expert]);

/// The campaigns' routes: pages and API.
fn campaign_routes() -> Vec<crate::capability::Route> {
    use axum::routing::put;
    const STAFF: Access = Access::STAFF;
    const CITY: &str = "/monitoring/campaigns/{id}/cities/{code}";
    vec![
        route(
            "GET",
            "/monitoring/campaigns",
            CAMPAIGN_PEOPLE,
            get(campaigns::campaigns),
        ),
        route(
            "POST",
            "/monitoring/campaigns",
            STAFF,
            post(campaigns::open),
        ),
        route(
            "GET",
            "/monitoring/campaigns/{id}",
            CAMPAIGN_PEOPLE,
            get(campaigns::campaign),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/feed",
            STAFF,
            post(campaigns::feed),
        ),
        route("GET", CITY, CAMPAIGN_PEOPLE, get(campaigns::city)),
        route(
            "GET",
            "/monitoring/campaigns/{id}/cities/{code}/criteria/{criterion}",
            CITY_REPS,
            get(campaigns::criterion),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/criteria/{criterion}",
            CITY_REPS,
            post(campaigns::save_criterion),
        ),
        route(
            "GET",
            "/monitoring/campaigns/{id}/cities/{code}/template.xlsx",
            CITY_REPS,
            get(campaigns::template),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/upload",
            CITY_REPS,
            post(campaigns::upload),
        )
        .with_body_limit(campaigns::TEMPLATE_BYTES),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/submit",
            CITY_REPS,
            post(campaigns::submit),
        ),
        route(
            "GET",
            "/monitoring/campaigns/{id}/cities/{code}/assessment",
            ASSESSORS,
            get(campaigns::assessment),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/assessment",
            ASSESSORS,
            post(campaigns::assess),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/adjudicate",
            STAFF,
            post(campaigns::adjudicate),
        ),
        route(
            "POST",
            "/monitoring/campaigns/{id}/cities/{code}/return",
            STAFF,
            post(campaigns::return_answers),
        ),
        route(
            "GET",
            "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers",
            CAMPAIGN_PEOPLE,
            get(campaigns::api_answers),
        ),
        route(
            "PUT",
            "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers",
            CITY_REPS,
            put(campaigns::api_put_answers),
        ),
        route(
            "POST",
            "/api/v1/monitoring/campaigns/{id}/cities/{code}/submit",
            CITY_REPS,
            post(campaigns::api_submit),
        ),
    ]
}

/// The monitoring part of the OpenAPI document: editions and campaigns.
fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = api::openapi();
    document.merge(campaigns::openapi());
    document
}

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    let mut routes = campaign_routes();
    routes.extend(vec![
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
            "GET",
            "/monitoring/editions/{id}/edit",
            STAFF,
            get(methodology::editor),
        ),
        route(
            "POST",
            "/monitoring/editions/{id}/edit",
            STAFF,
            post(methodology::save_edition),
        ),
        route(
            "GET",
            "/monitoring/editions/{id}/new-node",
            STAFF,
            get(methodology::new_node),
        ),
        route(
            "POST",
            "/monitoring/editions/{id}/nodes",
            STAFF,
            post(methodology::add_node),
        ),
        route(
            "GET",
            "/monitoring/editions/{id}/nodes/{code}",
            STAFF,
            get(methodology::node),
        ),
        route(
            "POST",
            "/monitoring/editions/{id}/nodes/{code}",
            STAFF,
            post(methodology::save_node),
        ),
        route(
            "POST",
            "/monitoring/editions/{id}/nodes/{code}/delete",
            STAFF,
            post(methodology::remove_node),
        ),
        route(
            "POST",
            "/monitoring/editions/{id}/copy",
            STAFF,
            post(methodology::copy),
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
    ]);
    Capability {
        routes,
        nav: vec![
            NavEntry {
                href: "/monitoring",
                label: "nav-monitoring",
                access: Public,
                badge: None,
            },
            NavEntry {
                href: "/monitoring/campaigns",
                label: "nav-campaigns",
                access: CAMPAIGN_PEOPLE,
                badge: None,
            },
        ],
        templates: crate::templates!(
            "monitoring.html",
            "monitoring_edition.html",
            "monitoring_city.html",
            "monitoring_compare.html",
            "monitoring_trends.html",
            "monitoring_methodology.html",
            "methodology_editor.html",
            "methodology_node.html",
            "campaigns.html",
            "campaign.html",
            "campaign_city.html",
            "questionnaire.html",
            "assessment.html"
        ),
        locales: crate::locales!(),
        openapi: Some(openapi),
        jobs: vec![job::job()],
        ..Capability::named("monitoring")
    }
}
