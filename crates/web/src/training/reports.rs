//! The training reports, public because they hold aggregate figures only (counts per city,
//! programme and year; never a name): per city, the staff trained by programme and year against
//! the places its quotas gave; per programme, the completion rate. One set of tables
//! ([`tables`]) feeds the page (`/training/reports`), the XLSX and the PDF; the open data
//! (`/api/v1/training/reports`, JSON, and `…/reports.csv`) are the same lines with codes and ids.
use super::document::{pdf_response, LangQuery};
use crate::api::{fail, ApiResult};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::{render, PageResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_documents::{render_xlsx, typst_str, Cell, Column, Document, Row, Sheet};
use megapolis_domain::Lang;
use megapolis_storage::training::ProgrammeRecord;
use megapolis_training::reports::{by_city, by_programme, cities_csv, CityLine, ProgrammeLine};
use minijinja::context;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use utoipa::ToSchema;

/// The figures and the names they need, read once per request.
struct Figures {
    cities: Vec<CityLine>,
    programmes: Vec<ProgrammeLine>,
    titles: BTreeMap<i64, ProgrammeRecord>,
    city_names: BTreeMap<String, megapolis_domain::City>,
}

async fn figures(state: &AppState) -> Result<Figures, AppError> {
    let training = state.store.training();
    let figures = training.figures().await?;
    Ok(Figures {
        cities: by_city(&figures),
        programmes: by_programme(&figures),
        titles: training
            .programmes()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect(),
        city_names: crate::org::pages::cities_by_code(state).await?,
    })
}

impl Figures {
    fn programme(&self, id: i64, lang: Lang) -> String {
        self.titles.get(&id).map_or_else(
            || format!("#{id}"),
            |p| {
                lang.pick(&p.programme.title_ru, &p.programme.title_en)
                    .to_string()
            },
        )
    }

    fn city(&self, code: &str, lang: Lang) -> String {
        self.city_names.get(code).map_or_else(
            || code.to_string(),
            |c| lang.pick(&c.name_ru, &c.name_en).to_string(),
        )
    }
}

/// A value of a report's cell.
#[derive(Serialize, Clone)]
#[serde(untagged)]
enum Value {
    Text(String),
    Count(u32),
    /// A share 0–1, shown in per cent; `None`: not applicable.
    Share(Option<f64>),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Count(n) => n.to_string(),
            Value::Share(Some(s)) => format!("{} %", (s * 100.0).round()),
            Value::Share(None) => "—".into(),
        }
    }

    fn cell(&self) -> Cell {
        match self {
            Value::Text(t) => Cell::Text(t.clone()),
            Value::Count(n) => Cell::Number(f64::from(*n)),
            Value::Share(Some(s)) => Cell::Percent(*s),
            Value::Share(None) => Cell::Empty,
        }
    }
}

/// One table of the report, in the reader's language.
#[derive(Serialize)]
struct Table {
    id: &'static str,
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    #[serde(skip)]
    values: Vec<Vec<Value>>,
}

impl Table {
    fn new(id: &'static str, title: String, columns: Vec<String>, values: Vec<Vec<Value>>) -> Self {
        let rows = values
            .iter()
            .map(|row| row.iter().map(Value::text).collect())
            .collect();
        Table {
            id,
            title,
            columns,
            rows,
            values,
        }
    }
}

/// The two tables: by city (programme, year) and by programme.
fn tables(state: &AppState, lang: Lang, f: &Figures) -> Vec<Table> {
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let cities = f
        .cities
        .iter()
        .map(|l| {
            vec![
                Value::Text(f.city(&l.city, lang)),
                Value::Text(f.programme(l.programme_id, lang)),
                Value::Text(l.year.to_string()),
                Value::Count(l.quota),
                Value::Count(l.nominated),
                Value::Count(l.trained),
                Value::Share(l.quota_used),
            ]
        })
        .collect();
    let programmes = f
        .programmes
        .iter()
        .map(|l| {
            vec![
                Value::Text(f.programme(l.programme_id, lang)),
                Value::Count(l.nominated),
                Value::Count(l.completed),
                Value::Count(l.failed),
                Value::Count(l.withdrawn),
                Value::Share(l.completion_rate),
            ]
        })
        .collect();
    vec![
        Table::new(
            "by-city",
            t("training-reports-by-city"),
            [
                "training-city",
                "training-programme",
                "training-reports-year",
                "training-places",
                "training-used",
                "training-reports-trained",
                "training-reports-quota-used",
            ]
            .iter()
            .map(|k| t(k))
            .collect(),
            cities,
        ),
        Table::new(
            "by-programme",
            t("training-reports-by-programme"),
            [
                "training-programme",
                "training-used",
                "training-reports-trained",
                "training-state-failed",
                "training-reports-withdrawn",
                "training-reports-completion-rate",
            ]
            .iter()
            .map(|k| t(k))
            .collect(),
            programmes,
        ),
    ]
}

/// `GET /training/reports`.
pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let f = figures(&state).await?;
    let tables = tables(&state, visitor.lang, &f);
    Ok(render(
        &state,
        &visitor,
        "training-reports.html",
        context! { tables => tables },
    )
    .await
    .into_response())
}

/// `GET /training/reports.xlsx`: a sheet per table.
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let f = figures(&state).await?;
    let title = state.i18n.get(lang, "training-reports-title", &[]);
    let sheets: Vec<Sheet> = tables(&state, lang, &f)
        .into_iter()
        .map(|table| {
            let mut sheet = Sheet::new(table.id);
            sheet.title = Some(title.clone());
            sheet.subtitle = Some(table.title);
            sheet.columns = table.columns.into_iter().map(Column::new).collect();
            sheet.rows = table
                .values
                .iter()
                .map(|row| Row::new(row.iter().map(Value::cell).collect()))
                .collect();
            sheet
        })
        .collect();
    let bytes = tokio::task::spawn_blocking(move || render_xlsx(&sheets))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the workbook writer stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("training-reports-{}.xlsx", lang.code()),
    ))
}

/// `GET /training/reports.pdf`: the tables typeset.
pub async fn pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let f = figures(&state).await?;
    let title = state.i18n.get(lang, "training-reports-title", &[]);
    let mut m = String::with_capacity(8192);
    let _ = writeln!(m, "#set document(title: {})", typst_str(&title));
    m.push_str("#set page(paper: \"a4\", flipped: true, margin: 15mm)\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 9pt, lang: \"{}\")",
        lang.code()
    );
    m.push_str("#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 2.5pt))\n");
    let _ = writeln!(
        m,
        "#text(size: 16pt, weight: \"bold\", {})",
        typst_str(&title)
    );
    for table in tables(&state, lang, &f) {
        let _ = writeln!(m, "#heading(level: 2, {})", typst_str(&table.title));
        let _ = write!(
            m,
            "#table(columns: (1fr,{}), fill: (x, y) => if y == 0 {{ luma(228) }},\n  table.header(",
            " auto,".repeat(table.columns.len().saturating_sub(1))
        );
        for h in &table.columns {
            let _ = write!(m, "strong({}), ", typst_str(h));
        }
        m.push_str("),\n");
        for row in &table.rows {
            m.push_str("  ");
            for cell in row {
                let _ = write!(m, "{}, ", typst_str(cell));
            }
            m.push('\n');
        }
        m.push_str(")\n");
    }
    let name = format!("training-reports-{}.pdf", lang.code());
    pdf_response(&state, lang, Document::new(m), &name).await
}

/// A city's staff trained in a programme in a year (open data: codes and counts only).
#[derive(Serialize, ToSchema)]
pub struct ApiCityLine {
    /// The city's code.
    pub city: String,
    pub programme_id: i64,
    /// The year the cohorts ended.
    pub year: i32,
    /// Places the city's quotas gave.
    pub quota: u32,
    pub nominated: u32,
    /// Nominees who completed.
    pub trained: u32,
}

/// A programme's completion over all its cohorts.
#[derive(Serialize, ToSchema)]
pub struct ApiProgrammeLine {
    pub programme_id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub nominated: u32,
    pub completed: u32,
    pub failed: u32,
    pub withdrawn: u32,
    /// completed / (completed + failed + withdrawn); null while no result is known.
    pub completion_rate: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiTrainingReport {
    pub cities: Vec<ApiCityLine>,
    pub programmes: Vec<ApiProgrammeLine>,
}

#[utoipa::path(get, path = "/api/v1/training/reports", tag = "training",
    responses((status = 200, description = "Open data: staff trained per city, programme and year against quotas, and each programme's completion rate; aggregate counts only", body = ApiTrainingReport)))]
pub async fn open_data(State(state): State<AppState>) -> ApiResult {
    let f = figures(&state).await.map_err(fail)?;
    let title = |id: i64, lang: Lang| f.programme(id, lang);
    Ok(Json(ApiTrainingReport {
        cities: f
            .cities
            .iter()
            .map(|l| ApiCityLine {
                city: l.city.clone(),
                programme_id: l.programme_id,
                year: l.year,
                quota: l.quota,
                nominated: l.nominated,
                trained: l.trained,
            })
            .collect(),
        programmes: f
            .programmes
            .iter()
            .map(|l| ApiProgrammeLine {
                programme_id: l.programme_id,
                title_ru: title(l.programme_id, Lang::Ru),
                title_en: title(l.programme_id, Lang::En),
                nominated: l.nominated,
                completed: l.completed,
                failed: l.failed,
                withdrawn: l.withdrawn,
                completion_rate: l.completion_rate,
            })
            .collect(),
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/v1/training/reports.csv", tag = "training",
    responses((status = 200, description = "Open data as CSV: city,programme_id,programme,year,quota,nominated,trained (the programme's English title)", content_type = "text/csv")))]
pub async fn open_data_csv(State(state): State<AppState>) -> ApiResult {
    let f = figures(&state).await.map_err(fail)?;
    let body = cities_csv(&f.cities, |id| f.programme(id, Lang::En))
        .map_err(|e| fail(anyhow::anyhow!("writing the training figures as CSV: {e}")))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        body,
    )
        .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(open_data, open_data_csv),
    components(schemas(ApiTrainingReport, ApiCityLine, ApiProgrammeLine))
)]
pub(crate) struct Api;
