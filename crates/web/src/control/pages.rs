//! The Board's control of execution: the dashboard (aggregates counted in SQL, every figure a
//! drill-down into `/assignments?…`), the execution report as XLSX and PDF, and the inbox of
//! notifications.
use crate::assignments::pages::ListQuery;
use crate::auth::Visitor;
use crate::downloads::download;
use crate::error::AppError;
use crate::i18n::Translations;
use crate::org::pages::bodies_by_id;
use crate::render::render;
use crate::render::PageResult;
use crate::state::today;
use crate::state::AppState;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Extension;
use fluent_bundle::FluentValue;
use megapolis_assignments::AssignmentState;
use megapolis_assignments::Executor;
use megapolis_domain::Body;
use megapolis_domain::Lang;
use megapolis_reports::ExecutionReport;
use megapolis_reports::Labels;
use megapolis_reports::ReportRow;
use megapolis_storage::assignments::AssignmentFilter;
use megapolis_storage::assignments::Dashboard;
use megapolis_storage::assignments::LeadOf;
use megapolis_storage::assignments::Load;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::Date;

/// "Due soon" on the dashboard: the next 30 days.
pub const DUE_SOON_DAYS: i64 = 30;

/// One row of a dashboard table, with its drill-down query and the widths of its bar.
#[derive(Serialize)]
pub(crate) struct LoadRow {
    label: String,
    /// E.g. `lead=board`, `lead_name=…`, `no_lead=1`, `decision=3`.
    query: String,
    load: Load,
    /// Width of the whole bar, percent of the largest row.
    bar: f64,
    /// Shares of the row's total, percent.
    accepted_pct: f64,
    overdue_pct: f64,
    open_pct: f64,
}

pub(crate) fn load_row(label: String, query: String, load: Load, max_total: i64) -> LoadRow {
    let share = |n: i64, of: i64| {
        if of > 0 {
            (n as f64 * 1000.0 / of as f64).round() / 10.0
        } else {
            0.0
        }
    };
    LoadRow {
        label,
        query,
        bar: share(load.total, max_total),
        accepted_pct: share(load.accepted, load.total),
        overdue_pct: share(load.overdue, load.total),
        open_pct: share((load.open - load.overdue).max(0), load.total),
        load,
    }
}

/// The executor's name: the body's name in `lang` when the directory knows it, else as written.
pub(crate) fn executor_name(
    executor: &Executor,
    bodies: &BTreeMap<String, Body>,
    lang: Lang,
) -> String {
    executor
        .body_id
        .as_ref()
        .and_then(|id| bodies.get(id.as_str()))
        .map_or_else(
            || executor.name.clone(),
            |b| lang.pick(&b.name_ru, &b.name_en).to_string(),
        )
}

/// The dashboard's figures with the stamp of the data they were counted from. The figures are
/// counted again when the stamp (newest assignment event, number of assignments and decisions)
/// or the day changes, and at least every [`CACHE_MAX_AGE`] (for edits that write no event, such
/// as a decision's title, or a restored backup).
#[derive(Default)]
pub struct DashboardCache {
    last: std::sync::Mutex<Option<CachedDashboard>>,
}

pub(crate) struct CachedDashboard {
    key: (Date, (i64, i64, i64)),
    at: std::time::Instant,
    dashboard: Arc<Dashboard>,
    /// "My work" counted for a set of bodies (their ids joined), on the same data.
    my_work: std::collections::HashMap<String, i64>,
}

pub(crate) const CACHE_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30);

pub(crate) async fn current_dashboard(
    state: &AppState,
    today: Date,
) -> Result<Arc<Dashboard>, AppError> {
    let key = (today, state.store.assignments().stamp().await?);
    if let Ok(last) = state.dashboard_cache.last.lock() {
        if let Some(cached) = last.as_ref() {
            if cached.key == key && cached.at.elapsed() < CACHE_MAX_AGE {
                return Ok(cached.dashboard.clone());
            }
        }
    }
    let dashboard = Arc::new(
        state
            .store
            .assignments()
            .dashboard(today, DUE_SOON_DAYS)
            .await?,
    );
    if let Ok(mut last) = state.dashboard_cache.last.lock() {
        *last = Some(CachedDashboard {
            key,
            at: std::time::Instant::now(),
            dashboard: dashboard.clone(),
            my_work: std::collections::HashMap::new(),
        });
    }
    Ok(dashboard)
}

/// How many assignments wait for the visitor's bodies, counted as the "my work" list counts
/// them, and kept beside the dashboard's figures for the same data: every member of a body asks
/// the same question.
async fn my_work_count(
    state: &AppState,
    visitor: &Visitor,
    today: Date,
) -> Result<Option<i64>, AppError> {
    let Some(person) = visitor
        .person
        .as_ref()
        .filter(|p| !p.memberships.is_empty())
    else {
        return Ok(None);
    };
    let bodies = person
        .memberships
        .iter()
        .map(|m| m.body.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let cached = state
        .dashboard_cache
        .last
        .lock()
        .ok()
        .and_then(|last| last.as_ref().and_then(|c| c.my_work.get(&bodies).copied()));
    if let Some(count) = cached {
        return Ok(Some(count));
    }
    let mine = ListQuery {
        mine: Some("1".into()),
        ..ListQuery::default()
    };
    let count = state
        .store
        .assignments()
        .count(&mine.filter_for(visitor)?, today)
        .await?;
    if let Ok(mut last) = state.dashboard_cache.last.lock() {
        if let Some(cached) = last.as_mut() {
            cached.my_work.insert(bodies, count);
        }
    }
    Ok(Some(count))
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let today = today();
    let dashboard = current_dashboard(&state, today).await?;
    let bodies = bodies_by_id(&state).await?;
    let lang = visitor.lang;
    let max_body = dashboard
        .by_body
        .iter()
        .map(|b| b.load.total)
        .max()
        .unwrap_or(0);
    // Each row drills down to exactly its own assignments: a body, a name as written, nobody.
    let by_body: Vec<LoadRow> = dashboard
        .by_body
        .iter()
        .map(|row| {
            let (label, query) = match &row.lead {
                LeadOf::Body(id) => (
                    executor_name(
                        &Executor {
                            body_id: Some(id.clone()),
                            name: row.name.clone(),
                        },
                        &bodies,
                        lang,
                    ),
                    format!("lead={}", crate::forms::urlencode(id.as_str())),
                ),
                LeadOf::Named(name) => (
                    name.clone(),
                    format!("lead_name={}", crate::forms::urlencode(name)),
                ),
                LeadOf::Nobody => (
                    state.i18n.get(lang, "assignments-no-lead", &[]),
                    String::from("no_lead=1"),
                ),
            };
            load_row(label, query, row.load.clone(), max_body)
        })
        .collect();
    let max_decision = dashboard
        .by_decision
        .iter()
        .map(|d| d.load.total)
        .max()
        .unwrap_or(0);
    let by_decision: Vec<LoadRow> = dashboard
        .by_decision
        .iter()
        .map(|d| {
            let label = state.i18n.get(
                lang,
                "control-decision-label",
                &[
                    ("number", FluentValue::from(d.session_number)),
                    ("title", FluentValue::from(d.title.as_str())),
                ],
            );
            load_row(
                label,
                format!("decision={}", d.decision_id),
                d.load.clone(),
                max_decision,
            )
        })
        .collect();
    let by_state: Vec<_> = dashboard
        .by_state
        .iter()
        .map(|(s, n)| context! { code => s.as_str(), count => n })
        .collect();
    let extension_requests: Vec<_> = dashboard
        .extension_requests
        .iter()
        .map(|a| {
            context! {
                id => a.id,
                item => a.item,
                task => a.task,
                lead => a.lead.as_ref().map(|l| executor_name(l, &bodies, lang)),
                deadline => a.deadline.map(|d| crate::dates::short_date(d, lang)),
                until => a.extension.as_ref().map(|e| crate::dates::short_date(e.until, lang)),
            }
        })
        .collect();
    let my_work = my_work_count(&state, &visitor, today).await?;
    Ok(render(
        &state,
        &visitor,
        "control.html",
        context! {
            today => today.to_string(),
            today_text => crate::dates::human_date(Some(today), lang),
            due_days => DUE_SOON_DAYS,
            total => dashboard.total.clone(),
            by_state => by_state,
            by_body => by_body,
            by_decision => by_decision,
            extensions_waiting => dashboard.extensions_waiting,
            extension_requests => extension_requests,
            my_work => my_work,
        },
    )
    .await
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    lang: Option<String>,
}

pub(crate) fn report_lang(query: &ReportQuery, visitor: &Visitor) -> Result<Lang, AppError> {
    match query.lang.as_deref().filter(|l| !l.is_empty()) {
        None => Ok(visitor.lang),
        Some(tag) => match tag {
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            other => Err(AppError::BadRequest(format!(
                "lang must be ru or en, not {other:?}"
            ))),
        },
    }
}

pub(crate) fn date_text(date: Date) -> String {
    format!(
        "{:02}.{:02}.{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// The execution report on `today` in `lang`: every assignment by decision, with its last report.
pub(crate) async fn execution_report(
    state: &AppState,
    lang: Lang,
    today: Date,
) -> Result<ExecutionReport, AppError> {
    let records = state
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                published_only: true,
                ..AssignmentFilter::default()
            },
            today,
        )
        .await?;
    let mut last_reports = state.store.assignments().last_reports().await?;
    let returned = state.store.assignments().returned_reports().await?;
    let bodies = bodies_by_id(state).await?;
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let state_label = |s: AssignmentState| t(&format!("assignment-state-{}", s.as_str()));
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut overdue = 0u64;
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        *counts.entry(record.state.as_str()).or_default() += 1;
        overdue += u64::from(record.overdue);
        let decision = state.i18n.get(
            lang,
            "control-decision-label",
            &[
                ("number", FluentValue::from(record.session_number)),
                ("title", FluentValue::from(record.decision_title.as_str())),
            ],
        );
        rows.push(ReportRow {
            decision,
            item: record.item.clone(),
            task: record.task.clone(),
            lead: record
                .lead
                .as_ref()
                .map(|l| executor_name(l, &bodies, lang))
                .unwrap_or_default(),
            co_executors: record
                .co_executors
                .iter()
                .map(|c| executor_name(c, &bodies, lang))
                .collect::<Vec<_>>()
                .join(", "),
            deadline: record.deadline,
            deadline_text: record.deadline_text.clone().unwrap_or_default(),
            state: state_label(record.state),
            overdue: record.overdue,
            progress: u8::try_from(record.progress.clamp(0, 100)).unwrap_or(0),
            last_report: last_reports.remove(&record.id).unwrap_or_default(),
            returned: returned.contains(&record.id),
        });
    }
    let mut totals: Vec<(String, u64)> = AssignmentState::ALL
        .into_iter()
        .map(|s| (state_label(s), counts.get(s.as_str()).copied().unwrap_or(0)))
        .collect();
    totals.push((t("assignment-overdue"), overdue));
    totals.push((t("control-total"), rows.len() as u64));
    // The association's name as the directory keeps it, the same in every document.
    let association = state
        .store
        .org()
        .association()
        .await?
        .map(|a| lang.pick(&a.name_ru, &a.name_en).to_string())
        .unwrap_or_default();
    Ok(ExecutionReport {
        title: state.i18n.get(
            lang,
            "control-report-title",
            &[("association", FluentValue::from(association))],
        ),
        subtitle: state.i18n.get(
            lang,
            "control-report-as-of",
            &[("date", FluentValue::from(date_text(today)))],
        ),
        labels: labels(&state.i18n, lang),
        totals,
        rows,
    })
}

pub(crate) fn labels(i18n: &Translations, lang: Lang) -> Labels {
    let t = |key: &str| i18n.get(lang, key, &[]);
    Labels {
        decision: t("control-col-decision"),
        item: t("control-col-item"),
        task: t("control-col-task"),
        lead: t("control-col-lead"),
        co_executors: t("control-col-co-executors"),
        deadline: t("control-col-deadline"),
        state: t("control-col-state"),
        progress: t("control-col-progress"),
        overdue: t("assignment-overdue"),
        totals: t("control-col-totals"),
        last_report: t("control-col-last-report"),
        no_lead: t("assignments-no-lead"),
        returned: t("control-report-returned"),
    }
}

pub(crate) fn file_name(today: Date, lang: Lang, extension: &str) -> String {
    format!("megapolis-execution-{today}-{}.{extension}", lang.code())
}

/// Runs a CPU-bound renderer off the async threads.
pub(crate) async fn render_off_thread<F>(work: F) -> Result<Vec<u8>, AppError>
where
    F: FnOnce() -> Result<Vec<u8>, megapolis_reports::ReportError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("report renderer stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))
}

/// Builds the execution report in the visitor's (or the asked) language and renders it off the
/// async threads as a download.
pub(crate) async fn report_download(
    state: &AppState,
    visitor: &Visitor,
    query: &ReportQuery,
    render: fn(&ExecutionReport) -> Result<Vec<u8>, megapolis_reports::ReportError>,
    content_type: &'static str,
    extension: &str,
) -> PageResult {
    let lang = report_lang(query, visitor)?;
    let today = today();
    let report = execution_report(state, lang, today).await?;
    let bytes = render_off_thread(move || render(&report)).await?;
    Ok(download(
        bytes,
        content_type,
        &file_name(today, lang, extension),
    ))
}

pub async fn report_xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ReportQuery>,
) -> PageResult {
    report_download(
        &state,
        &visitor,
        &query,
        megapolis_reports::to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )
    .await
}

#[cfg(feature = "pdf")]
pub async fn report_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ReportQuery>,
) -> PageResult {
    report_download(
        &state,
        &visitor,
        &query,
        megapolis_reports::to_pdf,
        "application/pdf",
        "pdf",
    )
    .await
}

/// Built without the `pdf` feature: say so instead of pretending.
#[cfg(not(feature = "pdf"))]
pub async fn report_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ReportQuery>,
) -> PageResult {
    let lang = report_lang(&query, &visitor)?;
    Ok((
        axum::http::StatusCode::NOT_IMPLEMENTED,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        state.i18n.get(lang, "control-pdf-unavailable", &[]),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_shares_add_up_and_survive_empty_rows() {
        let load = Load {
            total: 4,
            open: 3,
            overdue: 1,
            due_soon: 1,
            accepted: 1,
        };
        let row = load_row("x".into(), "decision=1".into(), load, 8);
        assert_eq!(row.bar, 50.0);
        assert_eq!(row.accepted_pct, 25.0);
        assert_eq!(row.overdue_pct, 25.0);
        assert_eq!(row.open_pct, 50.0);
        let empty = load_row("y".into(), String::new(), Load::default(), 0);
        assert_eq!(empty.bar, 0.0);
    }
}
