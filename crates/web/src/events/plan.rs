//! A plan version as a document: its page (public once approved) with its events by month, the
//! same table typeset as a PDF (as the decision's appendix would be printed) and as XLSX, and its
//! attachment to a decision of the register, whose page then shows it.
use super::api::visible_plan;
use super::pages::{by_month, city_names, view, EventView};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{render, see_other, with_done, PageResult};
use crate::state::AppState;
use crate::training::document::{pdf_response, LangQuery};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use fluent_bundle::FluentValue;
use megapolis_documents::{render_xlsx, typst_str, Cell, Column, Document, Row, Sheet};
use megapolis_domain::Lang;
use megapolis_events::PlanState;
use megapolis_storage::events::Plan;
use megapolis_storage::StorageError;
use minijinja::context;
use serde::Deserialize;
use std::fmt::Write as _;

async fn views(state: &AppState, plan: &Plan, lang: Lang) -> Result<Vec<EventView>, AppError> {
    let cities = city_names(state, lang).await?;
    Ok(state
        .store
        .events()
        .plan_events(plan.id)
        .await?
        .iter()
        .map(|p| view(p, lang, &cities))
        .collect())
}

/// «Plan of main events for 2027, version 2» in `lang`.
fn title_of(lang: Lang, plan: &Plan) -> String {
    megapolis_events::plan_title(lang, plan.year, plan.version)
}

/// The plans attached to decision `decision_id`, each with its title, page and events by month,
/// for the decision's page.
pub(crate) async fn appendices(
    state: &AppState,
    decision_id: i64,
    lang: Lang,
) -> Result<Vec<minijinja::Value>, AppError> {
    let mut out = Vec::new();
    for plan in state.store.events().attached_to(decision_id).await? {
        let events = views(state, &plan, lang).await?;
        out.push(context! {
            id => plan.id,
            title => title_of(lang, &plan),
            months => by_month(&events),
        });
    }
    Ok(out)
}

/// `GET /events/plans/{id}`: the version's events by month, its documents and its decision.
pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    plan_page(&state, &visitor, &id, None).await
}

async fn plan_page(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    problem: Option<String>,
) -> PageResult {
    let plan = visible_plan(state, visitor, id).await?;
    let events = views(state, &plan, visitor.lang).await?;
    let decision = match plan.decision_id {
        Some(id) => state.store.decisions().get(id).await?.map(|d| {
            context! { id => d.id, title => d.title, session => d.session.number }
        }),
        None => None,
    };
    // The Secretariat attaches an approved version not yet attached to a published decision.
    let attachable =
        if visitor.is_staff() && plan.state == PlanState::Approved && plan.decision_id.is_none() {
            state
                .store
                .decisions()
                .list(true, crate::state::today())
                .await?
                .into_iter()
                .map(|d| context! { id => d.id, title => d.title, session => d.session.number })
                .collect()
        } else {
            Vec::new()
        };
    let status = if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        visitor,
        "event-plan.html",
        context! {
            plan => context! {
                id => plan.id, year => plan.year, version => plan.version,
                state => plan.state.as_str(), decided_at => plan.decided_at,
                title => title_of(visitor.lang, &plan),
            },
            months => by_month(&events), decision, attachable, problem,
        },
    )
    .await;
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
pub struct AttachInput {
    #[serde(default)]
    decision: String,
}

/// Attaches an approved version to a published decision as its appendix, titled in the
/// decision's language and linking the version's page: `Ok(false)`, nothing written, when there
/// is no published decision `decision_id`.
pub(crate) async fn attach_to(
    state: &AppState,
    actor: &str,
    plan_id: i64,
    decision_id: i64,
) -> Result<bool, StorageError> {
    let Some(plan) = state.store.events().plan(plan_id).await? else {
        return Err(StorageError::NotFound(format!("event plan {plan_id}")));
    };
    let decision = state.store.decisions().get(decision_id).await?;
    let Some(decision) = decision.filter(|d| d.published) else {
        return Ok(false);
    };
    let lang = Lang::from_tag(&decision.language).unwrap_or(Lang::Ru);
    state
        .store
        .events()
        .attach(
            actor,
            plan_id,
            decision_id,
            &title_of(lang, &plan),
            &format!("/events/plans/{plan_id}"),
        )
        .await?;
    Ok(true)
}

/// `POST /events/plans/{id}/attach` (the Secretariat).
pub async fn attach(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<AttachInput>,
) -> PageResult {
    let plan_id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let decision_id: i64 = input.decision.trim().parse().map_err(|_| {
        AppError::Unprocessable("decision: choose a decision of the register".into())
    })?;
    match attach_to(&state, &visitor.actor(), plan_id, decision_id).await {
        Ok(true) => Ok(see_other(&with_done(
            &format!("/events/plans/{plan_id}"),
            "saved",
        ))),
        Ok(false) => Err(AppError::Unprocessable(
            "decision: no published decision of the register".into(),
        )),
        Err(StorageError::Conflict(message)) => {
            plan_page(&state, &visitor, &id, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The table of a version as printed: headers, then each month with its rows of five cells.
struct Printed {
    title: String,
    subtitle: String,
    headers: [String; 5],
    months: Vec<(String, Vec<[String; 5]>)>,
}

async fn printed(state: &AppState, plan: &Plan, lang: Lang) -> Result<Printed, AppError> {
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let events = views(state, plan, lang).await?;
    let mut months: Vec<(String, Vec<[String; 5]>)> = Vec::new();
    let mut current = None;
    for e in &events {
        if current != Some((e.year, e.month)) {
            current = Some((e.year, e.month));
            months.push((
                format!("{} {}", t(&format!("events-month-{}", e.month)), e.year),
                Vec::new(),
            ));
        }
        let mut dates = if e.ends_on == e.starts_on {
            e.starts_on.clone()
        } else {
            format!("{} – {}", e.starts_on, e.ends_on)
        };
        if e.precision != "exact" {
            dates = format!(
                "{}: {dates}",
                t(&format!("events-precision-{}", e.precision))
            );
        }
        let mut title = e.title.clone();
        if e.cancelled {
            let _ = write!(title, " ({})", t("events-cancelled"));
        }
        let place = if e.venue.is_empty() {
            e.city.clone()
        } else {
            format!("{}, {}", e.city, e.venue)
        };
        if let Some((_, rows)) = months.last_mut() {
            rows.push([
                dates,
                title,
                t(&format!("events-kind-{}", e.kind)),
                place,
                e.organisers.join(", "),
            ]);
        }
    }
    let subtitle = match (&plan.state, &plan.decided_at) {
        (PlanState::Approved, Some(at)) => state.i18n.get(
            lang,
            "events-plan-approved-on",
            &[("date", FluentValue::from(at.get(..10).unwrap_or(at)))],
        ),
        _ => t(&format!("events-plan-state-{}", plan.state.as_str())),
    };
    Ok(Printed {
        title: title_of(lang, plan),
        subtitle,
        headers: [
            t("events-dates"),
            t("events-event"),
            t("events-kind"),
            t("events-city"),
            t("events-organiser"),
        ],
        months,
    })
}

/// `GET /events/plans/{id}/plan.pdf`: the table by month, A4 landscape.
pub async fn pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let plan = visible_plan(&state, &visitor, &id).await?;
    let lang = query.lang(&visitor);
    let p = printed(&state, &plan, lang).await?;
    let s = typst_str;
    let mut m = String::with_capacity(8192);
    let _ = writeln!(m, "#set document(title: {})", s(&p.title));
    m.push_str("#set page(paper: \"a4\", flipped: true, margin: 15mm)\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 9pt, lang: \"{}\")",
        lang.code()
    );
    m.push_str("#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3pt))\n");
    let _ = writeln!(m, "#text(size: 15pt, weight: \"bold\", {})\n", s(&p.title));
    let _ = writeln!(m, "#emph({})\n", s(&p.subtitle));
    m.push_str("#table(columns: (auto, 1fr, auto, auto, auto),\n  table.header(");
    for h in &p.headers {
        let _ = write!(m, "strong({}), ", s(h));
    }
    m.push_str("),\n");
    for (month, rows) in &p.months {
        let _ = writeln!(
            m,
            "  table.cell(colspan: 5, fill: luma(235), strong({})),",
            s(month)
        );
        for row in rows {
            m.push_str("  ");
            for cell in row {
                let _ = write!(m, "{}, ", s(cell));
            }
            m.push('\n');
        }
    }
    m.push_str(")\n");
    let name = format!("plan-{}-v{}-{}.pdf", plan.year, plan.version, lang.code());
    pdf_response(&state, lang, Document::new(m), &name).await
}

/// `GET /events/plans/{id}/plan.xlsx`: one sheet, a month column before the five.
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let plan = visible_plan(&state, &visitor, &id).await?;
    let lang = query.lang(&visitor);
    let p = printed(&state, &plan, lang).await?;
    let mut sheet = Sheet::new(format!("{} v{}", plan.year, plan.version));
    sheet.title = Some(p.title);
    sheet.subtitle = Some(p.subtitle);
    sheet.landscape = true;
    sheet.columns = std::iter::once(state.i18n.get(lang, "events-plan-month", &[]))
        .chain(p.headers)
        .map(|h| Column::new(h).wrap())
        .collect();
    sheet.rows = p
        .months
        .iter()
        .flat_map(|(month, rows)| {
            rows.iter().map(move |row| {
                Row::new(
                    std::iter::once(Cell::Bold(month.clone()))
                        .chain(row.iter().map(|c| Cell::Text(c.clone())))
                        .collect(),
                )
            })
        })
        .collect();
    let bytes = tokio::task::spawn_blocking(move || render_xlsx(&[sheet]))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the workbook writer stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("plan-{}-v{}-{}.xlsx", plan.year, plan.version, lang.code()),
    ))
}
