//! The role × route matrix: every route of the product's route table, tried by every demo role
//! and by an anonymous visitor, against the table below, written here independently of the
//! product's own. A route added to the product without a line here fails the test.
use crate::support::{content_type, location, spawn_app, TestApp};
use megapolis_domain::city::CityInput;
use megapolis_domain::CityCode;
use serde_json::json;

/// The columns of `who`: anonymous, then the demo roles.
const VISITORS: [&str; 6] = [
    "anonymous",
    "admin",
    "secretariat",
    "body-member",
    "city-rep",
    "expert",
];

/// One line of the expected matrix.
struct Expect {
    method: &'static str,
    /// The route as the product's table spells it.
    route: &'static str,
    /// A concrete path to request (`{invitation}` is replaced by a live invitation token).
    path: &'static str,
    /// Who may use it, one character per column of [`VISITORS`]: `a` anonymous, `A` admin,
    /// `S` secretariat, `B` body member, `C` city representative, `E` expert; `.` denied.
    who: &'static str,
    /// The status an allowed visitor gets for the request this test sends.
    ok: u16,
}

const fn e(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    who: &'static str,
    ok: u16,
) -> Expect {
    Expect {
        method,
        route,
        path,
        who,
        ok,
    }
}

const ALL: &str = "aASBCE";
const SIGNED_IN: &str = ".ASBCE";
const STAFF: &str = ".AS...";
const ADMIN: &str = ".A....";
const CAMPAIGN: &str = ".AS.CE";
const CITY_REP: &str = "....C.";
const EXPERT: &str = ".....E";
const NOMINATORS: &str = ".AS.C.";

#[rustfmt::skip]
const EXPECTED: &[Expect] = &[
    // Public pages.
    e("GET",  "/",                              "/",                              ALL,       200),
    e("GET",  "/cities",                        "/cities",                        ALL,       200),
    e("GET",  "/cities/{code}",                 "/cities/moscow",                 ALL,       200),
    e("GET",  "/bodies",                        "/bodies",                        ALL,       200),
    e("GET",  "/bodies/{id}",                   "/bodies/board",                  ALL,       200),
    e("GET",  "/lang/{code}",                   "/lang/en?back=/cities",          ALL,       303),
    e("GET",  "/login",                         "/login",                         ALL,       200),
    e("POST", "/login",                         "/login",                         ALL,       303),
    e("GET",  "/invitation/{token}",            "/invitation/{invitation}",       ALL,       200),
    // A mismatched confirmation: the form comes back, the invitation stays unused.
    e("POST", "/invitation/{token}",            "/invitation/{invitation}",       ALL,       422),
    e("GET",  "/healthz",                       "/healthz",                       ALL,       200),
    e("GET",  "/assets/style.css",              "/assets/style.css",              ALL,       200),
    // Anyone signed in.
    e("POST", "/logout",                        "/logout",                        SIGNED_IN, 303),
    e("GET",  "/profile",                       "/profile",                       SIGNED_IN, 200),
    // A wrong current password: the form comes back with the error, nothing changes.
    e("POST", "/profile/password",              "/profile/password",              SIGNED_IN, 422),
    e("POST", "/profile/tokens",                "/profile/tokens",                SIGNED_IN, 200),
    e("POST", "/profile/tokens/revoke",         "/profile/tokens/revoke",         SIGNED_IN, 200),
    // Administration of the organisation: administrators and the Secretariat.
    e("GET",  "/admin/cities",                  "/admin/cities",                  STAFF,     200),
    e("GET",  "/admin/cities/new",              "/admin/cities/new",              STAFF,     200),
    e("POST", "/admin/cities/new",              "/admin/cities/new",              STAFF,     303),
    e("GET",  "/admin/cities/{code}/edit",      "/admin/cities/bishkek/edit",     STAFF,     200),
    e("POST", "/admin/cities/{code}/edit",      "/admin/cities/bishkek/edit",     STAFF,     303),
    e("GET",  "/admin/bodies",                  "/admin/bodies",                  STAFF,     200),
    e("POST", "/admin/bodies/import",           "/admin/bodies/import",           STAFF,     200),
    // People and the audit log: administrators only.
    e("GET",  "/admin/people",                  "/admin/people",                  ADMIN,     200),
    e("POST", "/admin/people",                  "/admin/people",                  ADMIN,     200),
    e("GET",  "/admin/people/{id}/edit",        "/admin/people/1/edit",           ADMIN,     200),
    // No such person: refused alike, after the role check.
    e("POST", "/admin/people/{id}/edit",        "/admin/people/999999/edit",      ADMIN,     404),
    e("POST", "/admin/people/{id}/active",      "/admin/people/999999/active",    ADMIN,     404),
    e("GET",  "/admin/audit",                   "/admin/audit",                   ADMIN,     200),
    // The API: public reads, staff writes.
    e("GET",  "/api/v1/openapi.json",           "/api/v1/openapi.json",           ALL,       200),
    e("GET",  "/api/v1/cities",                 "/api/v1/cities",                 ALL,       200),
    e("POST", "/api/v1/cities",                 "/api/v1/cities",                 STAFF,     201),
    e("GET",  "/api/v1/cities/{code}",          "/api/v1/cities/minsk",           ALL,       200),
    e("PUT",  "/api/v1/cities/{code}",          "/api/v1/cities/minsk",           STAFF,     200),
    e("GET",  "/api/v1/bodies",                 "/api/v1/bodies",                 ALL,       200),
    e("POST", "/api/v1/bodies",                 "/api/v1/bodies",                 STAFF,     200),
    e("GET",  "/api/v1/bodies/{id}",            "/api/v1/bodies/board",           ALL,       200),
    // Session decisions: a public register and pages; staff import, publish and write via the API.
    e("GET",  "/decisions",                     "/decisions",                     ALL,       200),
    e("GET",  "/decisions/import",              "/decisions/import",              STAFF,     200),
    // Empty forms: the import page comes back asking for a text; nothing is saved.
    e("POST", "/decisions/import",              "/decisions/import",              STAFF,     422),
    e("POST", "/decisions/import/confirm",      "/decisions/import/confirm",      STAFF,     422),
    e("GET",  "/decisions/{id}",                "/decisions/1",                   ALL,       200),
    e("POST", "/decisions/{id}/publish",        "/decisions/1/publish",           STAFF,     303),
    e("POST", "/decisions/{id}/delete",         "/decisions/999999/delete",       STAFF,     404),
    // No such file, for everybody alike (who may download which file: tests/e2e/decisions.rs).
    e("GET",  "/files/{id}",                    "/files/999999",                  ALL,       404),
    e("GET",  "/api/v1/decisions",              "/api/v1/decisions",              ALL,       200),
    e("POST", "/api/v1/decisions",              "/api/v1/decisions",              STAFF,     201),
    e("POST", "/api/v1/decisions/parse",        "/api/v1/decisions/parse",        STAFF,     200),
    e("GET",  "/api/v1/decisions/{id}",         "/api/v1/decisions/1",            ALL,       200),
    // The Board's control and the inbox: anyone signed in (figures only, no internal texts
    // beyond what the assignment pages show them).
    e("GET",  "/control",                       "/control",                       SIGNED_IN, 200),
    e("GET",  "/control/report.xlsx",           "/control/report.xlsx",           SIGNED_IN, 200),
    e("GET",  "/control/report.pdf",            "/control/report.pdf?lang=en",    SIGNED_IN, if cfg!(feature = "pdf") { 200 } else { 501 }),
    e("GET",  "/inbox",                         "/inbox",                         SIGNED_IN, 200),
    e("POST", "/inbox/read",                    "/inbox/read",                    SIGNED_IN, 303),
    // Assignments: signed-in pages; the workflow itself decides who may act (tests/e2e/workflow.rs),
    // so an unknown action is refused alike for everyone signed in.
    e("GET",  "/assignments",                   "/assignments?overdue=1",         SIGNED_IN, 200),
    e("GET",  "/assignments/{id}",              "/assignments/1",                 SIGNED_IN, 200),
    e("POST", "/assignments/{id}/act",          "/assignments/1/act",             SIGNED_IN, 422),
    // The Secretariat corrects assignments; an empty task is refused.
    e("POST", "/assignments/{id}/edit",         "/assignments/1/edit",            STAFF,     422),
    e("GET",  "/api/v1/assignments",            "/api/v1/assignments",            ALL,       200),
    e("GET",  "/api/v1/assignments/{id}",       "/api/v1/assignments/1",          ALL,       200),
    e("POST", "/api/v1/assignments/{id}/actions", "/api/v1/assignments/1/actions", SIGNED_IN, 422),
    // Monitoring: published editions and their results for everybody; staff post, compute and
    // publish (edition 1 is published; an empty upload form comes back refused).
    e("GET",  "/monitoring",                    "/monitoring",                    ALL,       200),
    e("POST", "/monitoring/editions",           "/monitoring/editions",           STAFF,     422),
    e("GET",  "/monitoring/editions/{id}",      "/monitoring/editions/1",         ALL,       200),
    e("POST", "/monitoring/editions/{id}/compute", "/monitoring/editions/1/compute", STAFF,  303),
    e("POST", "/monitoring/editions/{id}/publish", "/monitoring/editions/1/publish", STAFF,  303),
    e("GET",  "/monitoring/editions/{id}/cities/{code}", "/monitoring/editions/1/cities/moscow", ALL, 200),
    e("GET",  "/monitoring/editions/{id}/compare", "/monitoring/editions/1/compare?cities=moscow,minsk", ALL, 200),
    e("GET",  "/monitoring/editions/{id}/methodology", "/monitoring/editions/1/methodology", ALL, 200),
    e("GET",  "/monitoring/editions/{id}/report.pdf", "/monitoring/editions/1/report.pdf", ALL,  200),
    // The methodology editor: staff only; edition 1 is published, so its methodology is frozen
    // (409, nothing saved), and a copy without a year is refused.
    e("GET",  "/monitoring/editions/{id}/edit", "/monitoring/editions/1/edit",    STAFF,     200),
    e("POST", "/monitoring/editions/{id}/edit", "/monitoring/editions/1/edit",    STAFF,     409),
    e("GET",  "/monitoring/editions/{id}/new-node", "/monitoring/editions/1/new-node", STAFF, 200),
    e("POST", "/monitoring/editions/{id}/nodes", "/monitoring/editions/1/nodes",  STAFF,     409),
    e("GET",  "/monitoring/editions/{id}/nodes/{code}", "/monitoring/editions/1/nodes/Index", STAFF, 200),
    e("POST", "/monitoring/editions/{id}/nodes/{code}", "/monitoring/editions/1/nodes/Index", STAFF, 409),
    e("POST", "/monitoring/editions/{id}/nodes/{code}/delete", "/monitoring/editions/1/nodes/Index/delete", STAFF, 409),
    e("POST", "/monitoring/editions/{id}/copy", "/monitoring/editions/1/copy",    STAFF,     422),
    e("GET",  "/monitoring/trends",             "/monitoring/trends?cities=moscow", ALL,      200),
    e("GET",  "/api/v1/monitoring/editions/{id}/data.csv", "/api/v1/monitoring/editions/1/data.csv", ALL, 200),
    e("GET",  "/api/v1/monitoring/editions/{id}/data.json", "/api/v1/monitoring/editions/1/data.json", ALL, 200),
    e("GET",  "/api/v1/monitoring/editions/{id}/data.xlsx", "/api/v1/monitoring/editions/1/data.xlsx", ALL, 200),
    e("GET",  "/api/v1/monitoring/editions",    "/api/v1/monitoring/editions",    ALL,       200),
    e("POST", "/api/v1/monitoring/editions",    "/api/v1/monitoring/editions",    STAFF,     201),
    e("POST", "/api/v1/monitoring/editions/{id}/compute", "/api/v1/monitoring/editions/1/compute", STAFF, 202),
    e("POST", "/api/v1/monitoring/editions/{id}/publish", "/api/v1/monitoring/editions/1/publish", STAFF, 200),
    e("GET",  "/api/v1/monitoring/editions/{id}/results", "/api/v1/monitoring/editions/1/results", ALL, 200),
    e("GET",  "/api/v1/monitoring/editions/{id}/results.csv", "/api/v1/monitoring/editions/1/results.csv", ALL, 200),
    // The catalogue: public reads of what is published, the Secretariat adds.
    e("GET",  "/catalogue",                     "/catalogue?q=lights",            ALL,       200),
    e("GET",  "/catalogue/{id}",                "/catalogue/1",                   ALL,       200),
    e("POST", "/api/v1/solutions",              "/api/v1/solutions",              STAFF,     201),
    e("GET",  "/api/v1/solutions/search",       "/api/v1/solutions/search?q=lights", ALL,    200),
    e("GET",  "/api/v1/solutions/{id}",         "/api/v1/solutions/1",            ALL,       200),
    e("GET",  "/api/v1/solutions/{id}/publiccode.yml", "/api/v1/solutions/1/publiccode.yml", ALL, 200),
    e("GET",  "/api/v1/catalogue.ttl",          "/api/v1/catalogue.ttl",          ALL,       200),
    e("GET",  "/api/v1/catalogue.csv",          "/api/v1/catalogue.csv",          ALL,       200),
    e("GET",  "/api/v1/catalogue.xlsx",         "/api/v1/catalogue.xlsx",         ALL,       200),
    e("GET",  "/api/v1/catalogue.json",         "/api/v1/catalogue.json",         ALL,       200),
    // Adoptions: the Secretariat for any city, a representative for their own (Minsk here).
    e("POST", "/catalogue/{id}/adoptions",      "/catalogue/1/adoptions",         NOMINATORS, 303),
    e("POST", "/api/v1/solutions/{id}/adoptions", "/api/v1/solutions/1/adoptions", NOMINATORS, 200),
    // The promotion concept: the Secretariat's alone (concept 1 is the demo's draft; a bad
    // period is refused, an unknown concept is not found, proposing again creates nothing).
    e("GET",  "/catalogue/promotion",           "/catalogue/promotion",           STAFF,     200),
    e("POST", "/catalogue/promotion/concepts",  "/catalogue/promotion/concepts",  STAFF,     303),
    e("GET",  "/catalogue/promotion/concepts/{id}", "/catalogue/promotion/concepts/1", STAFF, 200),
    e("POST", "/catalogue/promotion/concepts/{id}/presentations", "/catalogue/promotion/concepts/1/presentations", STAFF, 422),
    e("POST", "/catalogue/promotion/concepts/{id}/final", "/catalogue/promotion/concepts/999999/final", STAFF, 404),
    e("POST", "/catalogue/promotion/concepts/{id}/proposals", "/catalogue/promotion/concepts/1/proposals", STAFF, 303),
    e("GET",  "/catalogue/promotion/concepts/{id}/concept.pdf", "/catalogue/promotion/concepts/1/concept.pdf", STAFF, 200),
    e("GET",  "/api/v1/promotion/matrix",       "/api/v1/promotion/matrix?limit=5", STAFF,   200),
    // Competitions (number 1 is published, its entry 1 won; the demo expert is one of its
    // experts): writes answer 409 to whoever may make them; the handlers deny the rest by role,
    // city, assignment or the jury's chair.
    e("GET",  "/api/v1/competitions",           "/api/v1/competitions",           ALL,       200),
    e("POST", "/api/v1/competitions",           "/api/v1/competitions",           STAFF,     201),
    e("GET",  "/api/v1/competitions/{id}",      "/api/v1/competitions/1",         ALL,       200),
    e("POST", "/api/v1/competitions/{id}/{step}", "/api/v1/competitions/1/open",  STAFF,     409),
    e("POST", "/api/v1/competitions/{id}/nominations/{nomination}/experts", "/api/v1/competitions/1/nominations/1/experts", STAFF, 409),
    e("GET",  "/api/v1/competitions/{id}/entries", "/api/v1/competitions/1/entries", ALL,    200),
    e("POST", "/api/v1/competitions/{id}/entries", "/api/v1/competitions/1/entries", NOMINATORS, 409),
    e("GET",  "/api/v1/competitions/{id}/ranking", "/api/v1/competitions/1/ranking", ".ASB..", 200),
    e("POST", "/api/v1/competitions/{id}/decision", "/api/v1/competitions/1/decision", "...B..", 409),
    e("POST", "/api/v1/competitions/{id}/publish", "/api/v1/competitions/1/publish", STAFF,  409),
    // The demo's competition 1 is published: the Secretariat queues its collection (202); an
    // unknown language is refused to everyone alike (the download's 200 waits on the job).
    e("POST", "/api/v1/competitions/{id}/collection", "/api/v1/competitions/1/collection", STAFF, 202),
    e("GET",  "/api/v1/competitions/{id}/collection.pdf", "/api/v1/competitions/1/collection.pdf?lang=xx", ALL, 422),
    e("GET",  "/api/v1/entries/{id}",           "/api/v1/entries/1",              ALL,       200),
    e("PUT",  "/api/v1/entries/{id}",           "/api/v1/entries/1",              NOMINATORS, 409),
    e("POST", "/api/v1/entries/{id}/declaration", "/api/v1/entries/1/declaration", EXPERT, 409),
    e("POST", "/api/v1/entries/{id}/waivers",   "/api/v1/entries/1/waivers",      "......",  403),
    e("POST", "/api/v1/entries/{id}/scores",    "/api/v1/entries/1/scores",       EXPERT,    409),
    e("POST", "/api/v1/entries/{id}/{step}",    "/api/v1/entries/1/withdraw",     NOMINATORS, 409),
    e("POST", "/api/v1/entries/{id}/attachments", "/api/v1/entries/1/attachments", NOMINATORS, 409),
    // Entry 1 has no file 999: its dossier is public (it won), the file is not one of its own.
    e("GET",  "/api/v1/entries/{id}/attachments/{file}", "/api/v1/entries/1/attachments/999", ALL, 404),
    // Competitions' pages: the same rules as the API's lines above; a 403 refusal is the 403
    // page, a 409 the competition's page with the refusal in words.
    e("GET",  "/competitions",                  "/competitions",                  ALL,       200),
    e("POST", "/competitions",                  "/competitions",                  STAFF,     303),
    e("GET",  "/competitions/{id}",             "/competitions/1",                ALL,       200),
    e("POST", "/competitions/{id}/step",        "/competitions/1/step",           STAFF,     409),
    e("POST", "/competitions/{id}/experts",     "/competitions/1/experts",        STAFF,     409),
    e("POST", "/competitions/{id}/collection",  "/competitions/1/collection",     STAFF,     303),
    e("POST", "/competitions/{id}/entries",     "/competitions/1/entries",        CITY_REP,  409),
    e("POST", "/competitions/{id}/decision",    "/competitions/1/decision",       "...B..",  409),
    e("GET",  "/competitions/entries/{id}",     "/competitions/entries/1",        ALL,       200),
    e("POST", "/competitions/entries/{id}/edit", "/competitions/entries/1/edit",  NOMINATORS, 409),
    // No file sent: the entry's page again, the file asked for.
    e("POST", "/competitions/entries/{id}/attachments", "/competitions/entries/1/attachments", NOMINATORS, 422),
    e("GET",  "/competitions/entries/{id}/attachments/{file}", "/competitions/entries/1/attachments/999", ALL, 404),
    e("POST", "/competitions/entries/{id}/step", "/competitions/entries/1/step",  NOMINATORS, 409),
    e("POST", "/competitions/entries/{id}/declaration", "/competitions/entries/1/declaration", EXPERT, 409),
    e("POST", "/competitions/entries/{id}/scores", "/competitions/entries/1/scores", EXPERT, 409),
    e("POST", "/competitions/entries/{id}/waiver", "/competitions/entries/1/waiver", "......", 403),
    // Training: public programmes, cohorts and certificates (by code); city representatives
    // nominate their city's staff, the Secretariat any city's; staff record results, issue and
    // revoke. Writes aim at no such cohort, nomination or code, so the walk changes nothing.
    e("GET",  "/training",                      "/training",                      ALL,       200),
    e("POST", "/training/programmes",           "/training/programmes",           STAFF,     303),
    // A cohort of no such programme: the form comes back refused.
    e("POST", "/training/cohorts",              "/training/cohorts",              STAFF,     422),
    e("GET",  "/training/cohorts/{id}",         "/training/cohorts/1",            ALL,       200),
    e("POST", "/training/cohorts/{id}/nominations", "/training/cohorts/999999/nominations", NOMINATORS, 404),
    // Results and the register: the Secretariat and the cohort's teachers (any signed-in role
    // reaches the check; teachers are tested in tests/e2e/training).
    e("POST", "/training/nominations/{id}/complete", "/training/nominations/999999/complete", SIGNED_IN, 404),
    e("POST", "/training/cohorts/{id}/certificates", "/training/cohorts/999999/certificates", STAFF, 404),
    e("GET",  "/certificates/{code}",           "/certificates/MTRX-0000-0000-0001", ALL,    200),
    // The matrix's certificate holds a placeholder credential, which does not verify: its PDF
    // is refused (410) to everyone alike.
    e("GET",  "/certificates/{code}/certificate.pdf", "/certificates/MTRX-0000-0000-0001/certificate.pdf", ALL, 410),
    // The reports hold aggregate figures only: public.
    e("GET",  "/training/reports",              "/training/reports",              ALL,       200),
    e("GET",  "/training/reports.xlsx",         "/training/reports.xlsx",         ALL,       200),
    e("GET",  "/training/reports.pdf",          "/training/reports.pdf",          ALL,       200),
    e("GET",  "/api/v1/training/reports",       "/api/v1/training/reports",       ALL,       200),
    e("GET",  "/api/v1/training/reports.csv",   "/api/v1/training/reports.csv",   ALL,       200),
    e("GET",  "/api/v1/training/programmes",    "/api/v1/training/programmes",    ALL,       200),
    e("POST", "/api/v1/training/programmes",    "/api/v1/training/programmes",    STAFF,     201),
    e("GET",  "/api/v1/training/cohorts",       "/api/v1/training/cohorts",       ALL,       200),
    e("POST", "/api/v1/training/cohorts",       "/api/v1/training/cohorts",       STAFF,     201),
    e("GET",  "/api/v1/training/cohorts/{id}",  "/api/v1/training/cohorts/1",     ALL,       200),
    e("GET",  "/api/v1/training/cohorts/{id}/nominations", "/api/v1/training/cohorts/1/nominations", NOMINATORS, 200),
    e("POST", "/api/v1/training/cohorts/{id}/nominations", "/api/v1/training/cohorts/999999/nominations", NOMINATORS, 404),
    e("POST", "/api/v1/training/nominations/{id}/complete", "/api/v1/training/nominations/999999/complete", SIGNED_IN, 404),
    e("POST", "/api/v1/training/cohorts/{id}/certificates", "/api/v1/training/cohorts/999999/certificates", STAFF, 404),
    // Decisions on nominations and the register of sessions: staff only (no such nomination,
    // cohort or session here; the workflow is in tests/e2e/training).
    e("POST", "/training/nominations/{id}/certificate", "/training/nominations/999999/certificate", STAFF, 404),
    e("POST", "/api/v1/training/nominations/{id}/certificate", "/api/v1/training/nominations/999999/certificate", STAFF, 404),
    e("POST", "/training/nominations/{id}/decision", "/training/nominations/999999/decision", STAFF, 404),
    e("POST", "/training/nominations/{id}/move", "/training/nominations/999999/move", STAFF, 404),
    e("POST", "/training/cohorts/{id}/sessions", "/training/cohorts/999999/sessions", STAFF, 404),
    e("POST", "/training/sessions/{id}/attendance", "/training/sessions/999999/attendance", SIGNED_IN, 404),
    e("POST", "/api/v1/training/nominations/{id}/decision", "/api/v1/training/nominations/999999/decision", STAFF, 404),
    e("POST", "/api/v1/training/nominations/{id}/move", "/api/v1/training/nominations/999999/move", STAFF, 404),
    e("GET",  "/api/v1/training/cohorts/{id}/sessions", "/api/v1/training/cohorts/1/sessions", STAFF, 200),
    e("POST", "/api/v1/training/cohorts/{id}/sessions", "/api/v1/training/cohorts/999999/sessions", STAFF, 404),
    e("PUT",  "/api/v1/training/sessions/{id}/attendance", "/api/v1/training/sessions/999999/attendance", SIGNED_IN, 404),
    e("GET",  "/api/v1/training/issuer",        "/api/v1/training/issuer",        ALL,       200),
    e("GET",  "/api/v1/certificates",           "/api/v1/certificates",           STAFF,     200),
    e("GET",  "/api/v1/certificates/{code}",    "/api/v1/certificates/MTRX-0000-0000-0001", ALL, 200),
    e("GET",  "/api/v1/certificates/{code}/status", "/api/v1/certificates/MTRX-0000-0000-0001/status", ALL, 200),
    e("POST", "/api/v1/certificates/{code}/revoke", "/api/v1/certificates/NO-SUCH-CODE/revoke", STAFF, 404),
    // Monitoring campaigns (demo campaign 1): the Secretariat, city representatives and
    // experts take part, each seeing only their own (the handlers narrow it: tests/e2e/
    // monitoring/campaigns.rs); the public sees none of it. Writes to no such campaign are
    // refused alike after the role check; an empty opening form comes back refused.
    e("GET",  "/monitoring/campaigns",          "/monitoring/campaigns",          CAMPAIGN,  200),
    e("POST", "/monitoring/campaigns",          "/monitoring/campaigns",          STAFF,     422),
    e("GET",  "/monitoring/campaigns/{id}",     "/monitoring/campaigns/1",        CAMPAIGN,  200),
    e("POST", "/monitoring/campaigns/{id}/feed", "/monitoring/campaigns/999999/feed", STAFF, 404),
    e("GET",  "/monitoring/campaigns/{id}/cities/{code}", "/monitoring/campaigns/1/cities/minsk", CAMPAIGN, 200),
    e("GET",  "/monitoring/campaigns/{id}/cities/{code}/criteria/{criterion}", "/monitoring/campaigns/1/cities/minsk/criteria/Portal", CITY_REP, 200),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/criteria/{criterion}", "/monitoring/campaigns/999999/cities/minsk/criteria/Portal", CITY_REP, 404),
    e("GET",  "/monitoring/campaigns/{id}/cities/{code}/template.xlsx", "/monitoring/campaigns/1/cities/minsk/template.xlsx", CITY_REP, 200),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/upload", "/monitoring/campaigns/999999/cities/minsk/upload", CITY_REP, 404),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/submit", "/monitoring/campaigns/999999/cities/minsk/submit", CITY_REP, 404),
    e("GET",  "/monitoring/campaigns/{id}/cities/{code}/assessment", "/monitoring/campaigns/1/cities/minsk/assessment", EXPERT, 200),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/assessment", "/monitoring/campaigns/999999/cities/minsk/assessment", EXPERT, 404),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/adjudicate", "/monitoring/campaigns/999999/cities/minsk/adjudicate", STAFF, 404),
    e("POST", "/monitoring/campaigns/{id}/cities/{code}/return", "/monitoring/campaigns/999999/cities/minsk/return", STAFF, 404),
    e("GET",  "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers", "/api/v1/monitoring/campaigns/1/cities/minsk/answers", CAMPAIGN, 200),
    e("PUT",  "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers", "/api/v1/monitoring/campaigns/999999/cities/minsk/answers", CITY_REP, 404),
    e("POST", "/api/v1/monitoring/campaigns/{id}/cities/{code}/submit", "/api/v1/monitoring/campaigns/999999/cities/minsk/submit", CITY_REP, 404),
    // Consultations: public list and pages; staff open and close (no such consultation here, so
    // the demo one stays open); anyone signed in submits (a participant for no city, a
    // representative for their own). Groups and similar submissions: staff and the Expert
    // Council — the demo body member sits on the Board, so the handler refuses them.
    e("GET",  "/consultations",                 "/consultations",                 ALL,       200),
    e("POST", "/consultations",                 "/consultations",                 STAFF,     303),
    e("GET",  "/consultations/{id}",            "/consultations/1",               ALL,       200),
    e("POST", "/consultations/{id}/submissions", "/consultations/1/submissions",  SIGNED_IN, 303),
    e("POST", "/consultations/{id}/close",      "/consultations/999999/close",    STAFF,     404),
    e("GET",  "/api/v1/consultations",          "/api/v1/consultations",          ALL,       200),
    e("POST", "/api/v1/consultations",          "/api/v1/consultations",          STAFF,     201),
    e("GET",  "/api/v1/consultations/{id}",     "/api/v1/consultations/1",        ALL,       200),
    e("POST", "/api/v1/consultations/{id}/close", "/api/v1/consultations/999999/close", STAFF, 404),
    e("POST", "/api/v1/consultations/{id}/submissions", "/api/v1/consultations/1/submissions", SIGNED_IN, 201),
    e("GET",  "/api/v1/consultations/{id}/clusters", "/api/v1/consultations/1/clusters?threshold=0.3", STAFF, 200),
    e("GET",  "/api/v1/consultations/{id}/submissions/{sid}/similar", "/api/v1/consultations/1/submissions/1/similar?limit=3", STAFF, 200),
    // Generalisation and plans: the Council and staff work (the demo body member sits on the
    // Board, not the Council: refused by the handler); empty forms are refused by field (422),
    // a missing generalised proposal or plan is 404; anyone sees a generalised proposal and
    // their own submissions, anyone signed in a plan; the approver (a Board chair) acts.
    e("GET",  "/consultations/mine",            "/consultations/mine",            SIGNED_IN, 200),
    e("GET",  "/consultations/{id}/summary.pdf", "/consultations/1/summary.pdf",  ALL,       200),
    e("GET",  "/consultations/{id}/summary.xlsx", "/consultations/1/summary.xlsx", ALL,      200),
    e("GET",  "/consultations/{id}/plans/{pid}/plan.pdf", "/consultations/1/plans/1/plan.pdf", SIGNED_IN, 200),
    e("GET",  "/consultations/{id}/plans/{pid}/plan.xlsx", "/consultations/1/plans/1/plan.xlsx", SIGNED_IN, 200),
    e("GET",  "/api/v1/consultations/{id}/submissions.csv", "/api/v1/consultations/1/submissions.csv", ALL, 200),
    e("GET",  "/api/v1/consultations/{id}/generalised", "/api/v1/consultations/1/generalised", ALL, 200),
    e("GET",  "/api/v1/consultations/{id}/generalised.csv", "/api/v1/consultations/1/generalised.csv", ALL, 200),
    e("GET",  "/api/v1/consultations/{id}/plans", "/api/v1/consultations/1/plans", ALL,   200),
    e("GET",  "/api/v1/consultations/{id}/plans.csv", "/api/v1/consultations/1/plans.csv", ALL, 200),
    e("GET",  "/priorities",                    "/priorities",                    ALL,       200),
    e("POST", "/priorities",                    "/priorities",                    STAFF,     422),
    e("POST", "/priorities/{id}/act",           "/priorities/999999/act",         ".ASB..",  404),
    e("GET",  "/api/v1/priorities",             "/api/v1/priorities",             ALL,       200),
    e("POST", "/consultations/{id}/import",     "/consultations/1/import",        STAFF,     422),
    e("POST", "/consultations/{id}/submissions/{sid}/edit", "/consultations/1/submissions/999999/edit", SIGNED_IN, 404),
    e("POST", "/consultations/{id}/generalised", "/consultations/1/generalised",  STAFF,     422),
    e("GET",  "/consultations/{id}/generalised/{gid}", "/consultations/1/generalised/1", ALL, 200),
    e("POST", "/consultations/{id}/generalised/{gid}/edit", "/consultations/1/generalised/999999/edit", STAFF, 404),
    e("POST", "/consultations/{id}/generalised/{gid}/split", "/consultations/1/generalised/999999/split", STAFF, 404),
    e("POST", "/consultations/{id}/generalised/{gid}/move", "/consultations/1/generalised/999999/move", STAFF, 404),
    e("POST", "/consultations/{id}/reject",     "/consultations/1/reject",        STAFF,     422),
    e("POST", "/consultations/{id}/plans",      "/consultations/1/plans",         STAFF,     422),
    e("GET",  "/consultations/{id}/plans/{pid}", "/consultations/1/plans/1",      SIGNED_IN, 200),
    e("POST", "/consultations/{id}/plans/{pid}/items", "/consultations/1/plans/999999/items", STAFF, 404),
    e("POST", "/consultations/{id}/plans/{pid}/act", "/consultations/1/plans/999999/act", ".ASB..", 404),
    // The plan of events: public plan, event pages and feed; anyone signed in proposes (for
    // their own city or body: the demo body member sits on the Board, the expert proposes
    // nothing) and sees their proposals; staff open plan versions and see the clashes; only the
    // President approves (no such plan here, so everyone signed in learns it is missing).
    e("GET",  "/events",                        "/events",                        ALL,       200),
    e("GET",  "/events/proposals",              "/events/proposals",              SIGNED_IN, 200),
    e("POST", "/events/proposals",              "/events/proposals",              ".AS.C.",  303),
    e("POST", "/events/proposals/{id}/act",     "/events/proposals/999999/act",   SIGNED_IN, 404),
    e("POST", "/events/proposals/{id}/merge",   "/events/proposals/999999/merge", SIGNED_IN, 404),
    e("GET",  "/events/plans",                  "/events/plans",                  STAFF,     200),
    e("POST", "/events/plans",                  "/events/plans",                  STAFF,     303),
    e("POST", "/events/plans/{id}/act",         "/events/plans/999999/act",       SIGNED_IN, 404),
    e("GET",  "/events/{id}",                   "/events/999999",                 ALL,       404),
    e("GET",  "/events/plans/{id}",             "/events/plans/999999",           ALL,       404),
    e("GET",  "/events/plans/{id}/plan.pdf",    "/events/plans/999999/plan.pdf",  ALL,       404),
    e("GET",  "/events/plans/{id}/plan.xlsx",   "/events/plans/999999/plan.xlsx", ALL,       404),
    e("POST", "/events/plans/{id}/attach",      "/events/plans/999999/attach",    STAFF,     404),
    e("GET",  "/events/{id}/calendar.ics",      "/events/999999/calendar.ics",    ALL,       404),
    e("POST", "/events/{id}/register",          "/events/999999/register",        SIGNED_IN, 404),
    e("POST", "/events/{id}/unregister",        "/events/999999/unregister",      SIGNED_IN, 404),
    e("POST", "/events/{id}/attendance",        "/events/999999/attendance",      SIGNED_IN, 404),
    e("POST", "/events/{id}/capacity",          "/events/999999/capacity",        SIGNED_IN, 404),
    e("POST", "/events/{id}/talks",             "/events/999999/talks",           SIGNED_IN, 404),
    e("POST", "/events/{id}/materials",         "/events/999999/materials",       SIGNED_IN, 404),
    e("POST", "/events/{id}/report",            "/events/999999/report",          SIGNED_IN, 404),
    e("GET",  "/events/cities/{code}",          "/events/cities/minsk",           ALL,       200),
    e("GET",  "/api/v1/events.ics",             "/api/v1/events.ics?kind=forum",  ALL,       200),
    e("GET",  "/api/v1/events/proposals",       "/api/v1/events/proposals?year=2027", SIGNED_IN, 200),
    e("POST", "/api/v1/events/proposals",       "/api/v1/events/proposals",       ".AS.C.",  201),
    e("POST", "/api/v1/events/proposals/{id}/amend", "/api/v1/events/proposals/999999/amend", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/submit", "/api/v1/events/proposals/999999/submit", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/withdraw", "/api/v1/events/proposals/999999/withdraw", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/accept", "/api/v1/events/proposals/999999/accept", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/decline", "/api/v1/events/proposals/999999/decline", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/merge", "/api/v1/events/proposals/999999/merge", SIGNED_IN, 404),
    e("POST", "/api/v1/events/proposals/{id}/cancel", "/api/v1/events/proposals/999999/cancel", STAFF, 404),
    e("GET",  "/api/v1/events/clashes",         "/api/v1/events/clashes?year=2027", STAFF,   200),
    e("POST", "/api/v1/events/plans",           "/api/v1/events/plans",           STAFF,     201),
    e("GET",  "/api/v1/events/plans/{id}",      "/api/v1/events/plans/999999",    ALL,       404),
    e("POST", "/api/v1/events/plans/{id}/submit", "/api/v1/events/plans/999999/submit", STAFF, 404),
    e("POST", "/api/v1/events/plans/{id}/approve", "/api/v1/events/plans/999999/approve", SIGNED_IN, 404),
    e("POST", "/api/v1/events/plans/{id}/return", "/api/v1/events/plans/999999/return", SIGNED_IN, 404),
    e("POST", "/api/v1/events/plans/{id}/attach", "/api/v1/events/plans/999999/attach", STAFF, 404),
    // Background jobs: staff only. No such job here, which staff alone may learn (a job's own
    // answer: tests/e2e/jobs).
    e("GET",  "/jobs",                          "/jobs",                          STAFF,     200),
    e("GET",  "/api/v1/jobs/{id}",              "/api/v1/jobs/999999",            STAFF,     404),
];

fn allowed(who: &str, column: usize) -> bool {
    assert_eq!(who.len(), VISITORS.len(), "pattern {who:?}");
    who.as_bytes()[column] != b'.'
}

#[test]
fn the_expected_table_covers_every_route_exactly_once() {
    let routes = megapolis_web::route_table();
    for route in &routes {
        let lines = EXPECTED
            .iter()
            .filter(|x| x.method == route.method && x.route == route.path)
            .count();
        assert_eq!(
            lines, 1,
            "route {} {} has {lines} lines in the expected matrix; add exactly one",
            route.method, route.path
        );
    }
    for line in EXPECTED {
        assert!(
            routes
                .iter()
                .any(|r| r.method == line.method && r.path == line.route),
            "the expected matrix has {} {}, which the product no longer serves",
            line.method,
            line.route
        );
    }
}

/// One visitor: a session for pages and, when signed in, a bearer token for the API.
struct Visitor {
    name: &'static str,
    client: Option<reqwest::Client>,
    token: Option<String>,
}

fn city_fields(input: &CityInput) -> Vec<(&'static str, String)> {
    vec![
        ("code", input.code.clone()),
        ("name_ru", input.name_ru.clone()),
        ("name_en", input.name_en.clone()),
        ("country_code", input.country_code.clone()),
        ("country_ru", input.country_ru.clone()),
        ("country_en", input.country_en.clone()),
        ("population", input.population.clone()),
        ("status", input.status.clone()),
        ("member_since", input.member_since.clone()),
        ("latitude", input.latitude.clone()),
        ("longitude", input.longitude.clone()),
    ]
}

fn new_city(code: &str) -> CityInput {
    CityInput {
        code: code.into(),
        name_ru: "Город матрицы".into(),
        name_en: "Matrix City".into(),
        country_code: "KZ".into(),
        country_ru: "Казахстан".into(),
        country_en: "Kazakhstan".into(),
        population: "1000".into(),
        status: "observer".into(),
        member_since: "2020-01-01".into(),
        latitude: "43.2".into(),
        longitude: "76.9".into(),
    }
}

/// A slug of the visitor for unique codes and addresses.
fn slug(name: &str) -> String {
    name.replace('-', "")
}

/// Sends the request of `line` as `visitor`: a browser's form (with its form token) for pages,
/// a JSON client with the visitor's bearer token for the API.
async fn send(
    app: &TestApp,
    line: &Expect,
    visitor: &Visitor,
    invitation: &str,
) -> reqwest::Response {
    let path = line.path.replace("{invitation}", invitation);
    let fresh;
    let client = match &visitor.client {
        Some(client) => client,
        None => {
            // Anonymous: a new browser each time, so nothing carries over between requests.
            fresh = crate::support::client();
            &fresh
        }
    };
    let me = slug(visitor.name);
    if path.starts_with("/api/") {
        let mut request = match line.method {
            "GET" => app.client.get(app.url(&path)),
            "POST" => app.client.post(app.url(&path)),
            "PUT" => app.client.put(app.url(&path)),
            other => panic!("unexpected API method {other}"),
        };
        if let Some(token) = &visitor.token {
            request = request.bearer_auth(token);
        }
        if (line.method, line.route) == ("POST", "/api/v1/monitoring/editions") {
            use crate::monitoring::{edition_form, SMALL_DATA, SMALL_META, SMALL_SPEC};
            let form = edition_form(SMALL_META, SMALL_SPEC, Some(SMALL_DATA), "2024");
            return request.multipart(form).send().await.expect("API request");
        }
        if (line.method, line.route) == ("POST", "/api/v1/entries/{id}/attachments") {
            let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 matrix".to_vec())
                .file_name("matrix.pdf");
            let form = reqwest::multipart::Form::new().part("file", part);
            return request.multipart(form).send().await.expect("API request");
        }
        let body = match (line.method, line.route) {
            ("POST", "/api/v1/cities") => Some(api_city(&new_city(&format!("api-{me}")))),
            ("PUT", "/api/v1/cities/{code}") => {
                let mut input = stored_city(app, "minsk").await;
                input.population = format!("{}", 2_000_000 + me.len());
                Some(api_city(&input))
            }
            ("POST", "/api/v1/bodies") => Some(json!({
                "id": format!("matrix-{me}"), "kind": "commission",
                "name_ru": "Комиссия матрицы", "name_en": "Matrix Commission",
                "short_ru": "Матрица", "short_en": "Matrix"
            })),
            ("POST", "/api/v1/assignments/{id}/actions") => Some(json!({ "action": "bogus" })),
            ("POST", "/api/v1/solutions") => Some(json!({
                "title_en": format!("Matrix solution {me}"), "nomination": "Matrix", "year": 2025,
                "published": false
            })),
            ("POST", "/api/v1/solutions/{id}/adoptions") => Some(json!({
                "city": "minsk", "status": "studying", "date": "2025-01-01"
            })),
            ("POST", "/api/v1/competitions") => Some(crate::catalogue::competition::call_json()),
            ("POST", "/api/v1/competitions/{id}/nominations/{nomination}/experts") => {
                Some(json!({ "experts": [] }))
            }
            ("POST" | "PUT", "/api/v1/competitions/{id}/entries" | "/api/v1/entries/{id}") => {
                Some(crate::catalogue::competition::entry_json())
            }
            ("POST", "/api/v1/competitions/{id}/decision") => {
                Some(json!({ "awards": [], "decision": "matrix" }))
            }
            ("POST", "/api/v1/competitions/{id}/collection") => Some(json!({ "lang": "en" })),
            ("POST", "/api/v1/entries/{id}/declaration") => Some(json!({ "conflict": false })),
            ("POST", "/api/v1/entries/{id}/waivers") => {
                Some(json!({ "expert": 1, "reason": "matrix" }))
            }
            ("POST", "/api/v1/entries/{id}/scores") => {
                Some(json!({ "scores": [{ "score": 3 }, { "score": 3 }, { "score": 3 }] }))
            }
            ("POST", "/api/v1/training/programmes") => Some(json!({
                "title_ru": format!("Программа {me}"), "title_en": format!("Programme {me}"), "hours": 36
            })),
            ("POST", "/api/v1/training/cohorts") => Some(json!({
                "programme_id": 1, "title": format!("Cohort {me}"), "starts_on": "2026-03-01",
                "ends_on": "2026-03-10", "capacity": 10, "applications_open": "2026-01-01",
                "applications_close": "2026-02-01", "quotas": {"minsk": 2}
            })),
            ("POST", "/api/v1/training/cohorts/{id}/nominations") => Some(json!({
                "name": "Matrix Nominee", "position": "Analyst", "email": format!("{me}@example.org")
            })),
            ("POST", "/api/v1/training/nominations/{id}/complete") => Some(json!({
                "attendance": 1.0, "assessment_passed": true
            })),
            ("POST", "/api/v1/training/nominations/{id}/decision") => {
                Some(json!({ "decision": "confirm" }))
            }
            ("POST", "/api/v1/training/nominations/{id}/move") => {
                Some(json!({ "cohort": 1, "reason": "matrix" }))
            }
            ("POST", "/api/v1/training/cohorts/{id}/sessions") => {
                Some(json!({ "day": "2026-03-02", "topic": "Matrix" }))
            }
            ("PUT", "/api/v1/training/sessions/{id}/attendance") => Some(json!({ "present": [] })),
            ("POST", "/api/v1/certificates/{code}/revoke") => Some(json!({ "reason": "matrix" })),
            ("POST", "/api/v1/consultations") => Some(json!({
                "title_ru": format!("Консультация {me}"), "title_en": format!("Consultation {me}")
            })),
            ("POST", "/api/v1/consultations/{id}/submissions") => Some(json!({
                "kind": "proposal", "text": format!("Предложение из матрицы: Wi-Fi в метро ({me})")
            })),
            ("POST", "/api/v1/events/proposals" | "/api/v1/events/proposals/{id}/amend") => {
                Some(json!({
                    "year": 2027, "kind": "seminar", "title_ru": format!("Семинар матрицы {me}"),
                    "month": 4, "city": "minsk", "organiser": "secretariat"
                }))
            }
            ("POST", "/api/v1/events/plans/{id}/attach") => Some(json!({ "decision_id": 1 })),
            ("POST", "/api/v1/events/proposals/{id}/merge") => {
                Some(json!({ "others": [1], "reason": "Matrix" }))
            }
            // A year of its own per visitor: one open plan version per year.
            ("POST", "/api/v1/events/plans") => Some(json!({ "year": 2040 + me.len() })),
            ("POST", "/api/v1/decisions" | "/api/v1/decisions/parse") => {
                Some(json!({ "text": crate::decisions::DECISION }))
            }
            _ => None,
        };
        if let Some(body) = body {
            request = request.json(&body);
        }
        return request.send().await.expect("API request");
    }
    match line.method {
        "GET" => app.get(client, &path).await,
        "POST" => {
            let owned: Vec<(&str, String)> = match line.route {
                "/login" => {
                    let role = if visitor.name == "anonymous" { "admin" } else { visitor.name };
                    let (email, password) = crate::support::demo_login(role);
                    vec![("email", email.into()), ("password", password.into()), ("next", "/profile".into())]
                }
                "/invitation/{token}" => vec![("new", "a-long-new-password".into()), ("confirm", "something-else-1".into())],
                "/logout" => vec![],
                "/profile/password" => vec![
                    ("current", "not-my-password".into()),
                    ("new", "a-long-new-password".into()),
                    ("confirm", "a-long-new-password".into()),
                ],
                "/profile/tokens" => vec![("name", format!("matrix {me}"))],
                // A hash no token has: revoking it leaves the role's own token for the API rows.
                "/profile/tokens/revoke" => vec![("token", "0".repeat(64))],
                "/admin/cities/new" => city_fields(&new_city(&format!("matrix-{me}"))),
                "/admin/cities/{code}/edit" => {
                    let mut input = stored_city(app, "bishkek").await;
                    input.population = format!("{}", 1_100_000 + me.len());
                    city_fields(&input)
                }
                "/admin/bodies/import" => vec![(
                    "csv",
                    format!("id,kind,name_ru,name_en,short_ru,short_en\nimport-{me},partner,Партнёр {me},Partner {me},П,P\n"),
                )],
                "/admin/people" => vec![
                    ("name", format!("Matrix {me}")),
                    ("email", format!("matrix-{me}@example.org")),
                    ("role", "expert".into()),
                    ("city", String::new()),
                    ("body", String::new()),
                    ("position", "member".into()),
                ],
                "/admin/people/{id}/edit" => vec![],
                "/admin/people/{id}/active" => vec![("active", "0".into())],
                "/decisions/import" | "/decisions/import/confirm" => vec![],
                "/decisions/{id}/publish" => vec![("published", "1".into())],
                "/decisions/{id}/delete" => vec![("confirm", "1".into())],
                "/monitoring/editions"
                | "/monitoring/editions/{id}/compute"
                | "/monitoring/editions/{id}/publish"
                | "/monitoring/editions/{id}/edit"
                | "/monitoring/editions/{id}/nodes"
                | "/monitoring/editions/{id}/nodes/{code}"
                | "/monitoring/editions/{id}/nodes/{code}/delete"
                | "/monitoring/editions/{id}/copy" => vec![],
                "/inbox/read" => vec![],
                "/monitoring/campaigns"
                | "/monitoring/campaigns/{id}/feed"
                | "/monitoring/campaigns/{id}/cities/{code}/criteria/{criterion}"
                | "/monitoring/campaigns/{id}/cities/{code}/upload"
                | "/monitoring/campaigns/{id}/cities/{code}/submit"
                | "/monitoring/campaigns/{id}/cities/{code}/assessment"
                | "/monitoring/campaigns/{id}/cities/{code}/adjudicate"
                | "/monitoring/campaigns/{id}/cities/{code}/return" => vec![],
                "/consultations" => vec![
                    ("title_ru", format!("Консультация матрицы {me}")),
                    ("title_en", format!("Matrix consultation {me}")),
                ],
                "/consultations/{id}/submissions" => vec![
                    ("kind", "remark".into()),
                    ("text", format!("Замечание из матрицы ({me})")),
                ],
                "/consultations/{id}/close" => vec![],
                "/consultations/{id}/generalised"
                | "/consultations/{id}/generalised/{gid}/edit"
                | "/consultations/{id}/generalised/{gid}/split"
                | "/consultations/{id}/generalised/{gid}/move"
                | "/consultations/{id}/reject"
                | "/consultations/{id}/plans"
                | "/consultations/{id}/plans/{pid}/items" => vec![],
                "/consultations/{id}/plans/{pid}/act" => vec![("action", "review".into())],
                "/consultations/{id}/import" | "/priorities" => vec![],
                "/priorities/{id}/act" => vec![("action", "approve".into())],
                "/consultations/{id}/submissions/{sid}/edit" => {
                    vec![("kind", "proposal".into()), ("text", "Правка из матрицы".into())]
                }
                "/events/proposals" => vec![
                    ("year", "2027".into()),
                    ("kind", "forum".into()),
                    ("title_ru", format!("Форум матрицы {me}")),
                    ("quarter", "2".into()),
                    ("city", "minsk".into()),
                    ("organiser", "secretariat".into()),
                ],
                "/events/proposals/{id}/act" => vec![("action", "submit".into())],
                "/events/proposals/{id}/merge" => {
                    vec![("others", "1".into()), ("reason", "Matrix".into())]
                }
                // A year of its own per visitor: one open plan version per year.
                "/events/plans" => vec![("year", format!("{}", 2060 + me.len()))],
                "/events/plans/{id}/act" => vec![("action", "submit".into())],
                "/events/plans/{id}/attach" => vec![("decision", "1".into())],
                "/events/{id}/register" | "/events/{id}/unregister" => vec![],
                "/events/{id}/attendance" => {
                    vec![("person", "1".into()), ("attended", "yes".into())]
                }
                "/events/{id}/capacity" => vec![("capacity", "10".into())],
                "/events/{id}/talks" => vec![("title", "Matrix".into()), ("speaker", "Matrix".into())],
                "/events/{id}/materials" => {
                    vec![("title", "Matrix".into()), ("link", "https://example.org/m".into())]
                }
                "/events/{id}/report" => vec![("report", "Matrix".into())],
                "/training/cohorts/{id}/nominations" => vec![
                    ("name", "Matrix Nominee".into()),
                    ("position", "Analyst".into()),
                    ("email", format!("{me}@example.org")),
                ],
                "/training/nominations/{id}/complete" => vec![("attendance", "100".into())],
                "/training/cohorts/{id}/certificates" => vec![],
                "/training/nominations/{id}/certificate" => vec![],
                "/training/nominations/{id}/decision" => vec![("cohort", "1".into()), ("decision", "confirm".into())],
                "/training/nominations/{id}/move" => vec![("cohort", "1".into()), ("to", "1".into())],
                "/training/cohorts/{id}/sessions" => vec![("day", "2026-03-02".into()), ("topic", "Matrix".into())],
                "/training/sessions/{id}/attendance" => vec![("cohort", "1".into())],
                "/training/programmes" => vec![
                    ("title_ru", format!("Программа {me}")),
                    ("title_en", format!("Programme {me}")),
                    ("hours", "36".into()),
                    ("format", "online".into()),
                ],
                "/training/cohorts" => vec![
                    ("programme_id", "999999".into()),
                    ("title", format!("Cohort {me}")),
                    ("starts_on", "2026-03-01".into()),
                    ("ends_on", "2026-03-10".into()),
                    ("capacity", "5".into()),
                    ("applications_open", "2026-01-01".into()),
                    ("applications_close", "2026-02-01".into()),
                    ("quotas", "minsk=1".into()),
                ],
                "/catalogue/promotion/concepts" => vec![
                    ("title_ru", format!("Концепция {me}")),
                    ("year", "2031".into()),
                ],
                "/catalogue/promotion/concepts/{id}/final"
                | "/catalogue/promotion/concepts/{id}/proposals" => vec![],
                "/catalogue/promotion/concepts/{id}/presentations" => vec![
                    ("solution", "1".into()),
                    ("city", "minsk".into()),
                    ("period", "1999-01".into()),
                ],
                "/catalogue/{id}/adoptions" => vec![
                    ("city", "minsk".into()),
                    ("status", "piloting".into()),
                    ("date", "2025-01-01".into()),
                ],
                "/competitions" => vec![
                    ("title_ru", format!("Конкурс матрицы {me}")),
                    ("year", "2026".into()),
                    ("nominations", "Матрица".into()),
                    ("criteria", "1 | Результаты | 1 | 2 | 3 | 4 | 5".into()),
                    ("submission_deadline", "2100-03-01".into()),
                    ("evaluation_deadline", "2100-04-01".into()),
                    ("results_on", "2100-04-15".into()),
                    ("jury_body", "board".into()),
                ],
                "/competitions/{id}/step" => vec![("step", "open".into())],
                "/competitions/{id}/experts" => vec![("nomination", "1".into())],
                "/competitions/{id}/collection" => vec![("lang", "en".into())],
                "/competitions/{id}/entries" => vec![
                    ("nomination", "Умный транспорт".into()),
                    ("title_ru", format!("Заявка матрицы {me}")),
                ],
                "/competitions/{id}/decision" => vec![("decision", "matrix".into())],
                "/competitions/entries/{id}/edit" => vec![
                    ("nomination", "Умный транспорт".into()),
                    ("title_ru", format!("Правка матрицы {me}")),
                ],
                "/competitions/entries/{id}/attachments" => vec![],
                "/competitions/entries/{id}/step" => vec![("step", "withdraw".into())],
                "/competitions/entries/{id}/declaration" => vec![("conflict", "0".into())],
                "/competitions/entries/{id}/scores" => {
                    vec![("score.1", "3".into()), ("score.2", "3".into()), ("score.3", "3".into())]
                }
                "/competitions/entries/{id}/waiver" => {
                    vec![("expert", "1".into()), ("reason", "matrix".into())]
                }
                "/assignments/{id}/act" => vec![("action", "bogus".into())],
                "/assignments/{id}/edit" => vec![("task", " ".into())],
                other => panic!("no form for POST {other}; add one to the matrix test"),
            };
            let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(client, "/login", &path, &fields).await
        }
        other => panic!("unexpected page method {other}"),
    }
}

async fn stored_city(app: &TestApp, code: &str) -> CityInput {
    let code = CityCode::parse(code).expect("code");
    let city = app
        .store
        .org()
        .city(&code)
        .await
        .expect("read city")
        .expect("demo city");
    CityInput::from(&city)
}

fn api_city(input: &CityInput) -> serde_json::Value {
    let number = |s: &str| s.parse::<f64>().ok();
    json!({
        "code": input.code, "name_ru": input.name_ru, "name_en": input.name_en,
        "country_code": input.country_code, "country_ru": input.country_ru, "country_en": input.country_en,
        "population": input.population.parse::<i64>().ok(), "status": input.status,
        "member_since": if input.member_since.is_empty() { None } else { Some(input.member_since.clone()) },
        "latitude": number(&input.latitude), "longitude": number(&input.longitude),
    })
}

/// Checks one denied response: a redirect to the login page for an anonymous page visitor,
/// the 403 page for a signed-in one, JSON 401/403 for the API.
async fn assert_denied(line: &Expect, visitor: &str, path: &str, response: reqwest::Response) {
    let what = format!("{} {path} as {visitor}", line.method);
    let status = response.status().as_u16();
    let api = path.starts_with("/api/");
    match (api, visitor == "anonymous") {
        (false, true) => {
            assert_eq!(
                status, 303,
                "{what}: an anonymous visitor is sent to sign in"
            );
            // The sign-in comes back to the same page, query and all.
            let next = path
                .replace('?', "%3F")
                .replace('=', "%3D")
                .replace('&', "%26");
            assert_eq!(location(&response), format!("/login?next={next}"), "{what}");
        }
        (false, false) => {
            assert_eq!(status, 403, "{what}: refused");
            assert!(
                content_type(&response).starts_with("text/html"),
                "{what}: an HTML page"
            );
            let html = response.text().await.expect("body");
            assert!(
                html.contains("<h1>403</h1>"),
                "{what}: the 403 page, got {html}"
            );
            // The visitor chose English on /lang/en earlier in the walk; anonymous ones did not.
            let message = if html.contains("<html lang=\"en\"") {
                "You have no access to this page."
            } else {
                "У вас нет доступа к этой странице."
            };
            assert!(html.contains(message), "{what}: the 403 message: {html}");
        }
        (true, anonymous) => {
            assert_eq!(status, if anonymous { 401 } else { 403 }, "{what}");
            assert!(
                content_type(&response).starts_with("application/json"),
                "{what}: JSON"
            );
            let body: serde_json::Value = response.json().await.expect("JSON error");
            assert!(
                body["error"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn every_route_with_every_role() {
    let app = spawn_app().await;

    // A live invitation, so its pages have something to show.
    let invitation = megapolis_web::new_token();
    let draft = megapolis_domain::person::PersonInput {
        email: "matrix-invitee@example.org".into(),
        name: "Приглашённый".into(),
        role: "expert".into(),
        ..Default::default()
    }
    .parse()
    .expect("person");
    let id = app
        .store
        .accounts()
        .create_person("tests", &draft, None)
        .await
        .expect("person");
    app.store
        .accounts()
        .create_invitation(
            "tests",
            id,
            &megapolis_web::token_hash(&invitation),
            time::Duration::days(1),
        )
        .await
        .expect("invitation");
    // A published decision with id 1 for the decision routes.
    crate::decisions::ensure_published_decision(&app).await;
    // A published edition with id 1 for the monitoring routes.
    crate::monitoring::ensure_published_edition(&app).await;
    // A published solution with id 1 for the catalogue routes.
    crate::catalogue::ensure_published_solution(&app).await;
    // A published competition with id 1 whose entry 1 won, for the competition routes.
    crate::catalogue::competition::ensure_published_competition(&app).await;
    // A cohort with id 1 and a certificate of a known code for the training routes.
    crate::training::ensure_cohort_and_certificate(&app, "MTRX-0000-0000-0001").await;

    let mut visitors = vec![Visitor {
        name: "anonymous",
        client: None,
        token: None,
    }];
    for role in &VISITORS[1..] {
        let client = app.login_as(role).await;
        let token = app.api_token(&client).await;
        visitors.push(Visitor {
            name: role,
            client: Some(client),
            token: Some(token),
        });
    }

    let routes = megapolis_web::route_table();
    let mut failures = Vec::new();
    for route in &routes {
        let line = EXPECTED
            .iter()
            .find(|x| x.method == route.method && x.route == route.path)
            .unwrap_or_else(|| {
                panic!(
                    "{} {} is not in the expected matrix",
                    route.method, route.path
                )
            });
        for (column, visitor) in visitors.iter().enumerate() {
            // Signing out ends the session, so it gets a session of its own.
            let own;
            let visitor = if line.route == "/logout" && visitor.client.is_some() {
                own = Visitor {
                    name: visitor.name,
                    client: Some(app.login_as(visitor.name).await),
                    token: None,
                };
                &own
            } else {
                visitor
            };
            let path = line.path.replace("{invitation}", &invitation);
            let response = send(&app, line, visitor, &invitation).await;
            let status = response.status().as_u16();
            if allowed(line.who, column) {
                if status != line.ok {
                    let body = response.text().await.unwrap_or_default();
                    failures.push(format!(
                        "{} {path} as {}: expected {} (allowed), got {status}: {}",
                        line.method,
                        visitor.name,
                        line.ok,
                        body.chars().take(300).collect::<String>()
                    ));
                }
            } else {
                assert_denied(line, visitor.name, &path, response).await;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "allowed requests that failed:\n{}",
        failures.join("\n")
    );

    // Refused writes changed nothing; allowed ones did.
    for (column, visitor) in VISITORS.iter().enumerate() {
        let me = slug(visitor);
        let staff = allowed(STAFF, column);
        for code in [format!("matrix-{me}"), format!("api-{me}")] {
            let found = app
                .store
                .org()
                .city(&CityCode::parse(&code).expect("code"))
                .await
                .expect("read");
            assert_eq!(found.is_some(), staff, "city {code} created by {visitor}");
        }
        let body = megapolis_domain::BodyId::parse(&format!("import-{me}")).expect("id");
        assert_eq!(
            app.store.org().body(&body).await.expect("read").is_some(),
            staff,
            "body imported by {visitor}"
        );
        let person = app
            .store
            .accounts()
            .people()
            .await
            .expect("people")
            .iter()
            .any(|p| p.email.to_string() == format!("matrix-{me}@example.org"));
        assert_eq!(
            person,
            allowed(ADMIN, column),
            "person invited by {visitor}"
        );
    }
    // The invitation survived every attempt with a mismatched confirmation.
    assert!(app
        .store
        .accounts()
        .invitation(&megapolis_web::token_hash(&invitation))
        .await
        .expect("read")
        .is_some());
}
