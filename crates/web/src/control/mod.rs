//! Control of execution: the Board's dashboard and the execution report (XLSX, PDF).
pub mod pages;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::get;
use megapolis_domain::role::Access::SignedIn;

pub use pages::DashboardCache;

pub fn capability() -> Capability {
    Capability {
        routes: vec![
            route("GET", "/control", SignedIn, get(pages::dashboard)),
            route(
                "GET",
                "/control/report.xlsx",
                SignedIn,
                get(pages::report_xlsx),
            ),
            route(
                "GET",
                "/control/report.pdf",
                SignedIn,
                get(pages::report_pdf),
            ),
        ],
        nav: vec![NavEntry {
            href: "/control",
            label: "nav-control",
            access: SignedIn,
            badge: None,
        }],
        templates: crate::templates!("control.html", "control_macros.html"),
        locales: crate::locales!(),
        ..Capability::named("control")
    }
}
