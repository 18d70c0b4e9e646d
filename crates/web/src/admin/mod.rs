//! Administration of the organisation: cities, the bodies' directory, people and the audit log.
pub mod pages;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access;

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    const ADMIN: Access = Access::ADMIN;
    Capability {
        routes: vec![
            route("GET", "/admin/cities", STAFF, get(pages::admin_cities)),
            route("GET", "/admin/cities/new", STAFF, get(pages::new_city_form)),
            route("POST", "/admin/cities/new", STAFF, post(pages::create_city)),
            route(
                "GET",
                "/admin/cities/{code}/edit",
                STAFF,
                get(pages::edit_city_form),
            ),
            route(
                "POST",
                "/admin/cities/{code}/edit",
                STAFF,
                post(pages::update_city),
            ),
            route("GET", "/admin/bodies", STAFF, get(pages::admin_bodies)),
            route(
                "POST",
                "/admin/bodies/import",
                STAFF,
                post(pages::import_bodies),
            ),
            route("GET", "/admin/people", ADMIN, get(pages::admin_people)),
            route("POST", "/admin/people", ADMIN, post(pages::create_person)),
            route(
                "GET",
                "/admin/people/{id}/edit",
                ADMIN,
                get(pages::edit_person_form),
            ),
            route(
                "POST",
                "/admin/people/{id}/edit",
                ADMIN,
                post(pages::update_person),
            ),
            route(
                "POST",
                "/admin/people/{id}/active",
                ADMIN,
                post(pages::set_person_active),
            ),
            route("GET", "/admin/audit", ADMIN, get(pages::admin_audit)),
        ],
        nav: vec![NavEntry {
            href: "/admin/cities",
            label: "nav-admin",
            access: STAFF,
            badge: None,
        }],
        templates: crate::templates!(
            "admin_cities.html",
            "admin_city_form.html",
            "admin_bodies.html",
            "admin_people.html",
            "admin_person_form.html",
            "admin_person_fields.html",
            "admin_audit.html",
            "admin_tabs.html"
        ),
        ..Capability::named("admin")
    }
}
