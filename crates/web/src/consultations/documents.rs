//! The consultation's documents and open data. The summary (counts by topic, the generalised
//! proposals with their sources) and a plan of joint actions as typeset PDF and XLSX; the
//! submissions (city, language, kind, topic, text: never the author), the generalised proposals
//! with their sources and the approved plans as CSV and JSON. One gathering per document feeds
//! its formats.
use super::api::{consultation, ApiResult};
use super::generalise::pick;
use crate::api::fail;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::PageResult;
use crate::state::AppState;
use crate::training::document::{pdf_response, LangQuery};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_consultations::generalise::Fate;
use megapolis_consultations::open_data::to_csv;
use megapolis_consultations::plan::PlanState;
use megapolis_documents::{render_xlsx, typst_str, Cell, Column, Document, Row, Sheet};
use megapolis_domain::Lang;
use megapolis_storage::consultations::{Consultation, Generalised, Plan, Submission};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use utoipa::ToSchema;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Everything the summary shows, read once.
struct Summary {
    consultation: Consultation,
    submissions: Vec<Submission>,
    fates: HashMap<i64, Fate>,
    generalised: Vec<Generalised>,
}

async fn summary(state: &AppState, id: &str) -> Result<Summary, AppError> {
    let consultation = consultation(state, id).await?;
    let store = state.store.consultations();
    Ok(Summary {
        submissions: store.submissions(consultation.id).await?,
        fates: store.fates(consultation.id).await?,
        generalised: store.generalised_list(consultation.id).await?,
        consultation,
    })
}

impl Summary {
    fn sources(&self, generalised: i64) -> Vec<&Submission> {
        self.submissions
            .iter()
            .filter(|s| self.fates.get(&s.id) == Some(&Fate::Merged { generalised }))
            .collect()
    }

    /// Per topic (a generalised proposal's, else the submission's own): submissions and
    /// generalised proposals.
    fn topics(&self, none: &str) -> BTreeMap<String, (usize, usize)> {
        let topic_of: HashMap<i64, &str> = self
            .generalised
            .iter()
            .map(|g| (g.id, g.topic.as_deref().unwrap_or(none)))
            .collect();
        let mut topics: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for s in &self.submissions {
            let topic = match self.fates.get(&s.id) {
                Some(Fate::Merged { generalised }) => topic_of.get(generalised).copied(),
                _ => None,
            }
            .or(s.topic.as_deref())
            .unwrap_or(none);
            topics.entry(topic.to_string()).or_default().0 += 1;
        }
        for topic in topic_of.values() {
            topics.entry(topic.to_string()).or_default().1 += 1;
        }
        topics
    }
}

/// A source as documents cite it: `№ 12 · minsk — text`.
fn source_line(s: &Submission) -> String {
    match &s.city {
        Some(city) => format!("№ {} · {city} — {}", s.id, s.text),
        None => format!("№ {} — {}", s.id, s.text),
    }
}

fn t(state: &AppState, lang: Lang, key: &str) -> String {
    state.i18n.get(lang, key, &[])
}

/// `GET /consultations/{id}/summary.pdf`.
pub async fn summary_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let s = summary(&state, &id).await?;
    let title = pick(lang, &s.consultation.title_ru, &s.consultation.title_en);
    let mut m = preamble(&title, lang);
    let _ = writeln!(
        m,
        "#text(size: 11pt, {})",
        typst_str(&t(&state, lang, "consultations-summary"))
    );
    let none = t(&state, lang, "consultations-plan-no-topic");
    let _ = writeln!(
        m,
        "#heading(level: 2, {})",
        typst_str(&t(&state, lang, "consultations-summary-topics"))
    );
    table(
        &mut m,
        &[
            t(&state, lang, "consultations-topic"),
            t(&state, lang, "consultations-submissions"),
            t(&state, lang, "consultations-generalised"),
        ],
        &["1fr", "auto", "auto"],
        s.topics(&none)
            .into_iter()
            .map(|(topic, (submissions, generalised))| {
                vec![topic, submissions.to_string(), generalised.to_string()]
            })
            .collect(),
    );
    let _ = writeln!(
        m,
        "#heading(level: 2, {})",
        typst_str(&t(&state, lang, "consultations-generalised"))
    );
    for g in &s.generalised {
        let head = format!(
            "№ {} · {}",
            g.id,
            g.topic.as_deref().unwrap_or(none.as_str())
        );
        let _ = writeln!(m, "#heading(level: 3, {})", typst_str(&head));
        for text in [&g.text_ru, &g.text_en] {
            if !text.is_empty() {
                let _ = writeln!(m, "#par({})", typst_str(text));
            }
        }
        let sources: Vec<String> = s
            .sources(g.id)
            .into_iter()
            .map(|source| {
                format!(
                    "list.item(text(size: 8pt, {}))",
                    typst_str(&source_line(source))
                )
            })
            .collect();
        if !sources.is_empty() {
            let _ = writeln!(m, "#list({})", sources.join(", "));
        }
    }
    let name = format!(
        "consultation-{}-summary-{}.pdf",
        s.consultation.id,
        lang.code()
    );
    pdf_response(&state, lang, Document::new(m), &name).await
}

/// The start of every consultation PDF: page, fonts, language, the title.
fn preamble(title: &str, lang: Lang) -> String {
    let mut m = String::with_capacity(16 * 1024);
    let _ = writeln!(m, "#set document(title: {})", typst_str(title));
    m.push_str("#set page(paper: \"a4\", margin: 18mm)\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 10pt, lang: \"{}\")",
        lang.code()
    );
    m.push_str("#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3pt))\n");
    let _ = writeln!(
        m,
        "#text(size: 16pt, weight: \"bold\", {})\n",
        typst_str(title)
    );
    m
}

/// A table with a shaded header row and typst column `widths` (`auto`, `2fr`, …).
fn table(m: &mut String, header: &[String], widths: &[&str], rows: Vec<Vec<String>>) {
    let _ = write!(
        m,
        "#table(columns: ({},), fill: (x, y) => if y == 0 {{ luma(228) }},\n  table.header(",
        widths.join(", ")
    );
    for h in header {
        let _ = write!(m, "strong({}), ", typst_str(h));
    }
    m.push_str("),\n");
    for row in rows {
        m.push_str("  ");
        for cell in row {
            let _ = write!(m, "{}, ", typst_str(&cell));
        }
        m.push('\n');
    }
    m.push_str(")\n");
}

async fn xlsx_response(sheets: Vec<Sheet>, name: &str) -> PageResult {
    let bytes = tokio::task::spawn_blocking(move || render_xlsx(&sheets))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the workbook writer stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(bytes, XLSX, name))
}

fn sheet(name: &str, title: &str, columns: Vec<String>, rows: Vec<Vec<Cell>>) -> Sheet {
    let mut sheet = Sheet::new(name);
    sheet.title = Some(title.to_string());
    sheet.columns = columns.into_iter().map(|c| Column::new(c).wrap()).collect();
    sheet.rows = rows.into_iter().map(Row::new).collect();
    sheet
}

/// `GET /consultations/{id}/summary.xlsx`: topics, generalised proposals, their sources.
pub async fn summary_xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let s = summary(&state, &id).await?;
    let title = pick(lang, &s.consultation.title_ru, &s.consultation.title_en);
    let none = t(&state, lang, "consultations-plan-no-topic");
    let tt = |key: &str| t(&state, lang, key);
    let topics = sheet(
        "topics",
        &title,
        vec![
            tt("consultations-topic"),
            tt("consultations-submissions"),
            tt("consultations-generalised"),
        ],
        s.topics(&none)
            .into_iter()
            .map(|(topic, (n, g))| {
                vec![
                    Cell::from(topic),
                    Cell::from(n as f64),
                    Cell::from(g as f64),
                ]
            })
            .collect(),
    );
    let generalised = sheet(
        "generalised",
        &title,
        vec![
            "№".into(),
            tt("consultations-topic"),
            tt("consultations-field-text_ru"),
            tt("consultations-field-text_en"),
            tt("consultations-sources"),
        ],
        s.generalised
            .iter()
            .map(|g| {
                vec![
                    Cell::from(g.id as f64),
                    Cell::from(g.topic.clone().unwrap_or_default()),
                    Cell::from(g.text_ru.clone()),
                    Cell::from(g.text_en.clone()),
                    Cell::from(g.sources as f64),
                ]
            })
            .collect(),
    );
    let sources = sheet(
        "sources",
        &title,
        vec![
            tt("consultations-generalised-one"),
            "№".into(),
            tt("consultations-field-city"),
            tt("consultations-field-kind"),
            tt("consultations-field-text"),
        ],
        s.generalised
            .iter()
            .flat_map(|g| {
                s.sources(g.id).into_iter().map(move |source| {
                    vec![
                        Cell::from(g.id as f64),
                        Cell::from(source.id as f64),
                        Cell::from(
                            source
                                .city
                                .as_ref()
                                .map(|c| c.to_string())
                                .unwrap_or_default(),
                        ),
                        Cell::from(source.kind.as_str()),
                        Cell::from(source.text.clone()),
                    ]
                })
            })
            .collect(),
    );
    let name = format!(
        "consultation-{}-summary-{}.xlsx",
        s.consultation.id,
        lang.code()
    );
    xlsx_response(vec![topics, generalised, sources], &name).await
}

/// A plan's items as documents show them, by topic; body names in the language asked.
async fn plan_rows(
    state: &AppState,
    lang: Lang,
    plan: &Plan,
) -> Result<Vec<Vec<String>>, AppError> {
    let (_, bodies) = super::plan::choices(state, lang).await?;
    let names: HashMap<String, String> = bodies.into_iter().collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut items: Vec<&megapolis_storage::consultations::PlanItem> = plan.items.iter().collect();
    items.sort_by(|a, b| a.topic.cmp(&b.topic).then(a.number.cmp(&b.number)));
    Ok(items
        .into_iter()
        .map(|i| {
            vec![
                i.number.to_string(),
                i.topic.clone(),
                i.action.clone(),
                name(i.lead.as_str()),
                i.co_executors
                    .iter()
                    .map(|c| name(c.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                i.deadline
                    .map(megapolis_documents::format_date)
                    .unwrap_or_default(),
                i.expected_result.clone(),
                format!("№ {}", i.generalised_id),
                i.assignment_id
                    .map(|a| format!("№ {a}"))
                    .unwrap_or_default(),
            ]
        })
        .collect())
}

fn plan_header(state: &AppState, lang: Lang) -> Vec<String> {
    [
        "consultations-plan-number",
        "consultations-topic",
        "consultations-field-action",
        "consultations-field-lead",
        "consultations-field-co_executors",
        "consultations-field-deadline",
        "consultations-field-expected_result",
        "consultations-generalised-one",
        "consultations-fate-assignment",
    ]
    .iter()
    .map(|k| t(state, lang, k))
    .collect()
}

/// Plan `pid` of consultation `id`, as its page finds it.
async fn plan_of(state: &AppState, id: &str, pid: &str) -> Result<(Consultation, Plan), AppError> {
    let found = consultation(state, id).await?;
    let pid: i64 = pid.trim().parse().map_err(|_| AppError::NotFound)?;
    let plan = state
        .store
        .consultations()
        .plan(pid)
        .await?
        .filter(|p| p.consultation_id == found.id)
        .ok_or(AppError::NotFound)?;
    Ok((found, plan))
}

/// `GET /consultations/{id}/plans/{pid}/plan.pdf`: landscape, the items by topic.
pub async fn plan_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, pid)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let (_, plan) = plan_of(&state, &id, &pid).await?;
    let title = pick(lang, &plan.title_ru, &plan.title_en);
    let mut m = preamble(&title, lang).replacen(
        "#set page(paper: \"a4\", margin: 18mm)",
        "#set page(paper: \"a4\", flipped: true, margin: 15mm)",
        1,
    );
    let mut facts = vec![
        format!(
            "{}: {}",
            t(&state, lang, "consultations-state"),
            t(
                &state,
                lang,
                &format!("consultations-plan-state-{}", plan.state.as_str())
            )
        ),
        format!(
            "{}: {}",
            t(&state, lang, "consultations-field-decision"),
            plan.decision_title
        ),
    ];
    if let (Some(at), Some(by)) = (&plan.approved_at, &plan.approved_by) {
        facts.push(format!(
            "{}, {}",
            state.i18n.get(
                lang,
                "consultations-plan-approved-by",
                &[("name", by.clone().into())]
            ),
            crate::dates::moment(at, lang)
        ));
    }
    for fact in facts {
        let _ = writeln!(m, "#par({})", typst_str(&fact));
    }
    // The texts share the room the numbers and dates leave.
    table(
        &mut m,
        &plan_header(&state, lang),
        &[
            "auto", "1fr", "3fr", "1.5fr", "1.5fr", "auto", "2fr", "auto", "auto",
        ],
        plan_rows(&state, lang, &plan).await?,
    );
    let name = format!("plan-{}-{}.pdf", plan.id, lang.code());
    pdf_response(&state, lang, Document::new(m), &name).await
}

/// `GET /consultations/{id}/plans/{pid}/plan.xlsx`.
pub async fn plan_xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, pid)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let (_, plan) = plan_of(&state, &id, &pid).await?;
    let title = pick(lang, &plan.title_ru, &plan.title_en);
    let rows = plan_rows(&state, lang, &plan)
        .await?
        .into_iter()
        .map(|row| row.into_iter().map(Cell::from).collect())
        .collect();
    let name = format!("plan-{}-{}.xlsx", plan.id, lang.code());
    xlsx_response(
        vec![sheet("plan", &title, plan_header(&state, lang), rows)],
        &name,
    )
    .await
}

fn csv_response(body: String, name: &str) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                crate::downloads::content_disposition(name),
            ),
        ],
        body,
    )
        .into_response()
}

/// What became of a submission, in one word: open | merged | rejected.
fn fate_word(fate: Option<&Fate>) -> (&'static str, Option<i64>) {
    match fate {
        Some(Fate::Merged { generalised }) => ("merged", Some(*generalised)),
        Some(Fate::Rejected { .. }) => ("rejected", None),
        Some(Fate::Open) | None => ("open", None),
    }
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/submissions.csv", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "Every submission without its author: id, city, lang, kind, topic, text, created_at, state (open | merged | rejected), generalised", content_type = "text/csv"),
        (status = 404, body = crate::api::ApiError)))]
pub async fn submissions_csv(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let s = summary(&state, &id).await.map_err(fail)?;
    let rows = s
        .submissions
        .iter()
        .map(|x| {
            let (word, generalised) = fate_word(s.fates.get(&x.id));
            vec![
                x.id.to_string(),
                x.city.as_ref().map(|c| c.to_string()).unwrap_or_default(),
                x.lang.code().to_string(),
                x.kind.as_str().to_string(),
                x.topic.clone().unwrap_or_default(),
                x.text.clone(),
                x.created_at.clone(),
                word.to_string(),
                generalised.map(|g| g.to_string()).unwrap_or_default(),
            ]
        })
        .collect::<Vec<_>>();
    let header = [
        "id",
        "city",
        "lang",
        "kind",
        "topic",
        "text",
        "created_at",
        "state",
        "generalised",
    ];
    Ok(csv_response(
        to_csv(&header, &rows),
        &format!("consultation-{}-submissions.csv", s.consultation.id),
    ))
}

/// A generalised proposal and the submissions it gathers.
#[derive(Serialize, ToSchema)]
pub struct ApiGeneralised {
    pub id: i64,
    pub text_ru: String,
    pub text_en: String,
    pub topic: Option<String>,
    /// Submission ids, ascending.
    pub submissions: Vec<i64>,
}

fn api_generalised(s: &Summary) -> Vec<ApiGeneralised> {
    s.generalised
        .iter()
        .map(|g| ApiGeneralised {
            id: g.id,
            text_ru: g.text_ru.clone(),
            text_en: g.text_en.clone(),
            topic: g.topic.clone(),
            submissions: s.sources(g.id).iter().map(|x| x.id).collect(),
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/generalised", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "The generalised proposals with their sources, by id", body = Vec<ApiGeneralised>),
        (status = 404, body = crate::api::ApiError)))]
pub async fn generalised_json(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let s = summary(&state, &id).await.map_err(fail)?;
    Ok(Json(api_generalised(&s)).into_response())
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/generalised.csv", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "id, topic, text_ru, text_en, submissions (ids separated by spaces)", content_type = "text/csv"),
        (status = 404, body = crate::api::ApiError)))]
pub async fn generalised_csv(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let s = summary(&state, &id).await.map_err(fail)?;
    let rows = api_generalised(&s)
        .into_iter()
        .map(|g| {
            let ids: Vec<String> = g.submissions.iter().map(i64::to_string).collect();
            vec![
                g.id.to_string(),
                g.topic.unwrap_or_default(),
                g.text_ru,
                g.text_en,
                ids.join(" "),
            ]
        })
        .collect::<Vec<_>>();
    Ok(csv_response(
        to_csv(&["id", "topic", "text_ru", "text_en", "submissions"], &rows),
        &format!("consultation-{}-generalised.csv", s.consultation.id),
    ))
}

/// An item of an approved plan.
#[derive(Serialize, ToSchema)]
pub struct ApiPlanItem {
    pub number: usize,
    pub topic: String,
    pub action: String,
    /// Body ids of the directory.
    pub lead: String,
    pub co_executors: Vec<String>,
    /// YYYY-MM-DD.
    pub deadline: Option<String>,
    pub expected_result: String,
    pub generalised: i64,
    /// The assignment in the control of execution.
    pub assignment: Option<i64>,
}

/// An approved plan of joint actions.
#[derive(Serialize, ToSchema)]
pub struct ApiPlan {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub decision: i64,
    /// The body whose chair approved it.
    pub approver: String,
    pub approved_at: Option<String>,
    pub items: Vec<ApiPlanItem>,
}

/// The approved plans of consultation `id`, with their items (drafts are not open data).
async fn approved_plans(
    state: &AppState,
    id: &str,
) -> Result<(Consultation, Vec<ApiPlan>), AppError> {
    let found = consultation(state, id).await?;
    let store = state.store.consultations();
    let mut plans = Vec::new();
    for summary in store.plans(found.id).await? {
        if summary.state != PlanState::Approved {
            continue;
        }
        let Some(plan) = store.plan(summary.id).await? else {
            continue;
        };
        plans.push(ApiPlan {
            id: plan.id,
            title_ru: plan.title_ru,
            title_en: plan.title_en,
            decision: plan.decision_id,
            approver: plan.approver.to_string(),
            approved_at: plan.approved_at,
            items: plan
                .items
                .into_iter()
                .map(|i| ApiPlanItem {
                    number: i.number,
                    topic: i.topic,
                    action: i.action,
                    lead: i.lead.to_string(),
                    co_executors: i.co_executors.iter().map(|c| c.to_string()).collect(),
                    deadline: i.deadline.map(|d| d.to_string()),
                    expected_result: i.expected_result,
                    generalised: i.generalised_id,
                    assignment: i.assignment_id,
                })
                .collect(),
        });
    }
    Ok((found, plans))
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/plans", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "The approved plans of joint actions with their items", body = Vec<ApiPlan>),
        (status = 404, body = crate::api::ApiError)))]
pub async fn plans_json(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let (_, plans) = approved_plans(&state, &id).await.map_err(fail)?;
    Ok(Json(plans).into_response())
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/plans.csv", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "The approved plans' items: plan, number, topic, action, lead, co_executors, deadline, expected_result, generalised, assignment", content_type = "text/csv"),
        (status = 404, body = crate::api::ApiError)))]
pub async fn plans_csv(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let (found, plans) = approved_plans(&state, &id).await.map_err(fail)?;
    let rows = plans
        .iter()
        .flat_map(|p| {
            p.items.iter().map(move |i| {
                vec![
                    p.id.to_string(),
                    i.number.to_string(),
                    i.topic.clone(),
                    i.action.clone(),
                    i.lead.clone(),
                    i.co_executors.join(" "),
                    i.deadline.clone().unwrap_or_default(),
                    i.expected_result.clone(),
                    i.generalised.to_string(),
                    i.assignment.map(|a| a.to_string()).unwrap_or_default(),
                ]
            })
        })
        .collect::<Vec<_>>();
    let header = [
        "plan",
        "number",
        "topic",
        "action",
        "lead",
        "co_executors",
        "deadline",
        "expected_result",
        "generalised",
        "assignment",
    ];
    Ok(csv_response(
        to_csv(&header, &rows),
        &format!("consultation-{}-plans.csv", found.id),
    ))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        submissions_csv,
        generalised_json,
        generalised_csv,
        plans_json,
        plans_csv
    ),
    components(schemas(ApiGeneralised, ApiPlan, ApiPlanItem))
)]
pub(crate) struct OpenData;
