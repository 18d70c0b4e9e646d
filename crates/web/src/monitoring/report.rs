//! The report of a published edition as a typeset PDF: the methodology (framework, build steps,
//! the analysis and which assumption moves the ranks most), the ranking with rank intervals, then
//! one profile page per unit — the same profile and the same SVG charts as the pages
//! ([`public::profile_view`]). Typeset by megapolis-documents off the async workers; every text
//! goes into the markup through `typst_str`.
use super::public::{self, Directory, Loaded, ProfileView, TreeNode};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Extension;
use megapolis_documents::typst_str;
use megapolis_domain::Lang;
use megapolis_monitoring::charts;
use megapolis_monitoring::profile;
use std::fmt::Write as _;

/// The labels of the report in the reader's language.
struct Labels {
    methodology: String,
    framework: String,
    code: String,
    name: String,
    weight: String,
    direction: String,
    unit: String,
    steps: String,
    analysis: String,
    ranking: String,
    rank: String,
    city: String,
    score: String,
    interval: String,
    median_all: String,
    median_group: String,
    strengths: String,
    weaknesses: String,
    availability: String,
    country: String,
    group: String,
    pin: String,
    none: String,
}

fn labels(state: &AppState, lang: Lang) -> Labels {
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    Labels {
        methodology: t("monitoring-methodology"),
        framework: t("monitoring-framework"),
        code: t("monitoring-code"),
        name: t("monitoring-name"),
        weight: t("monitoring-weight"),
        direction: t("monitoring-direction"),
        unit: t("monitoring-unit"),
        steps: t("monitoring-steps"),
        analysis: t("monitoring-analysis"),
        ranking: t("monitoring-ranking"),
        rank: t("monitoring-rank"),
        city: t("monitoring-city"),
        score: t("monitoring-score"),
        interval: t("monitoring-interval"),
        median_all: t("monitoring-median-all"),
        median_group: t("monitoring-median-group"),
        strengths: t("monitoring-strengths"),
        weaknesses: t("monitoring-weaknesses"),
        availability: t("monitoring-availability"),
        country: t("monitoring-country"),
        group: t("monitoring-peer-group"),
        pin: t("monitoring-pin"),
        none: t("monitoring-none-found"),
    }
}

/// What the report shows, gathered before typesetting.
struct Report {
    lang: Lang,
    title: String,
    pin: String,
    labels: Labels,
    tree: Vec<TreeNode>,
    steps: Vec<(String, String)>,
    analysis: String,
    ranking: Vec<RankingLine>,
    profiles: Vec<ProfileView>,
}

struct RankingLine {
    rank: String,
    name: String,
    score: String,
    interval: String,
    bar: String,
}

const PREAMBLE: &str = r##"#set page(paper: "a4", margin: (x: 15mm, top: 14mm, bottom: 16mm),
  footer: context align(right, text(size: 8pt, counter(page).display("1 / 1", both: true))))
#set par(justify: false)
#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 2.5pt), align: left + horizon)
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 12pt)
"##;

fn markup(report: &Report) -> (String, Vec<(String, Vec<u8>)>) {
    let l = &report.labels;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut m = String::with_capacity(16_384 + report.profiles.len() * 4096);
    let _ = writeln!(m, "#set document(title: {})", typst_str(&report.title));
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 9pt, lang: \"{}\", hyphenate: true)",
        report.lang.code()
    );
    m.push_str(PREAMBLE);
    let _ = writeln!(
        m,
        "#block(below: 0.6em, text(size: 18pt, weight: \"bold\", {}))",
        typst_str(&report.title)
    );
    let _ = writeln!(
        m,
        "#text(size: 8pt, {} + \": \" + {})\n",
        typst_str(&l.pin),
        typst_str(&report.pin)
    );
    // Methodology: the framework as a table (indented by depth), the steps, the analysis.
    let _ = writeln!(m, "#heading(level: 1, {})", typst_str(&l.methodology));
    let _ = writeln!(m, "#heading(level: 2, {})", typst_str(&l.framework));
    m.push_str("#table(columns: (auto, 1fr, auto, auto, auto), fill: (x, y) => if y == 0 { luma(228) },\n  table.header(");
    for h in [&l.code, &l.name, &l.weight, &l.direction, &l.unit] {
        let _ = write!(m, "strong({}), ", typst_str(h));
    }
    m.push_str("),\n");
    fn rows(m: &mut String, nodes: &[TreeNode], depth: usize) {
        for n in nodes {
            let text = |s: &str| typst_str(s);
            let name = if depth == 0 || !n.children.is_empty() {
                format!("strong({})", text(&n.name))
            } else {
                text(&n.name)
            };
            let _ = writeln!(
                m,
                "  {}, pad(left: {}em, {}), {}, {}, {},",
                text(&n.code),
                depth,
                name,
                text(&n.weight),
                text(if n.direction < 0 { "−1" } else { "+1" }),
                text(&n.unit)
            );
            rows(m, &n.children, depth + 1);
        }
    }
    rows(&mut m, &report.tree, 0);
    m.push_str(")\n");
    let _ = writeln!(m, "#heading(level: 2, {})", typst_str(&l.steps));
    m.push_str("#enum(\n");
    for (name, params) in &report.steps {
        let _ = writeln!(
            m,
            "  [#strong({}) #text(font: \"DejaVu Sans Mono\", size: 7.5pt, {})],",
            typst_str(name),
            typst_str(params)
        );
    }
    m.push_str(")\n");
    let _ = writeln!(m, "#heading(level: 2, {})", typst_str(&l.analysis));
    let _ = writeln!(m, "#par({})", typst_str(&report.analysis));
    // The ranking with each unit's interval bar.
    let _ = writeln!(
        m,
        "#pagebreak()\n#heading(level: 1, {})",
        typst_str(&l.ranking)
    );
    m.push_str("#table(columns: (auto, 1fr, auto, auto, auto), fill: (x, y) => if y == 0 { luma(228) },\n  table.header(");
    for h in [&l.rank, &l.city, &l.score, &l.interval, &String::new()] {
        let _ = write!(m, "strong({}), ", typst_str(h));
    }
    m.push_str("),\n");
    for (k, line) in report.ranking.iter().enumerate() {
        let bar = format!("bar-{k}.svg");
        let _ = writeln!(
            m,
            "  {}, {}, {}, {}, image({}, width: 3.2cm),",
            typst_str(&line.rank),
            typst_str(&line.name),
            typst_str(&line.score),
            typst_str(&line.interval),
            typst_str(&bar)
        );
        files.push((bar, line.bar.clone().into_bytes()));
    }
    m.push_str(")\n");
    // One page per unit.
    for (k, p) in report.profiles.iter().enumerate() {
        profile_page(&mut m, &mut files, k, p, l);
    }
    (m, files)
}

fn profile_page(
    m: &mut String,
    files: &mut Vec<(String, Vec<u8>)>,
    k: usize,
    p: &ProfileView,
    l: &Labels,
) {
    let _ = writeln!(
        m,
        "#pagebreak()\n#heading(level: 1, {})",
        typst_str(&p.name)
    );
    let mut facts = vec![
        (l.score.clone(), p.score.clone()),
        (l.rank.clone(), format!("{} / {}", p.rank, p.units)),
        (
            l.availability.clone(),
            format!(
                "{} % ({}/{})",
                p.availability, p.with_data, p.indicator_count
            ),
        ),
    ];
    if let Some(country) = &p.country {
        facts.push((l.country.clone(), country.clone()));
    }
    if let Some(group) = &p.group {
        facts.push((l.group.clone(), group.clone()));
    }
    m.push_str("#grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.45em,\n");
    for (label, value) in &facts {
        let _ = writeln!(
            m,
            "  text(fill: luma(90), {}), {},",
            typst_str(label),
            typst_str(value)
        );
    }
    m.push_str(")\n");
    if !p.chart.is_empty() {
        let chart = format!("profile-{k}.svg");
        let _ = writeln!(
            m,
            "#block(above: 0.8em, below: 0.8em, image({}, width: 85%))",
            typst_str(&chart)
        );
        files.push((chart, p.chart.clone().into_bytes()));
    }
    m.push_str("#table(columns: (1fr, auto, auto, auto, auto), fill: (x, y) => if y == 0 { luma(228) },\n  table.header(");
    for h in [&l.name, &l.score, &l.rank, &l.median_all, &l.median_group] {
        let _ = write!(m, "strong({}), ", typst_str(h));
    }
    m.push_str("),\n");
    for a in &p.aggregates {
        let _ = writeln!(
            m,
            "  {}, {}, {}, {}, {},",
            typst_str(&a.name),
            typst_str(&a.score),
            typst_str(&a.rank),
            typst_str(&a.median_all),
            typst_str(&a.median_group)
        );
    }
    m.push_str(")\n");
    let list = |title: &str, items: &[public::IndicatorRow]| -> String {
        let body = if items.is_empty() {
            format!("emph({})", typst_str(&l.none))
        } else {
            let entries: Vec<String> = items
                .iter()
                .map(|i| format!("{} + \" — \" + {}", typst_str(&i.name), typst_str(&i.rank)))
                .collect();
            format!("list({})", entries.join(", "))
        };
        format!("[#strong({}) #{body}]", typst_str(title))
    };
    let _ = writeln!(
        m,
        "#grid(columns: (1fr, 1fr), column-gutter: 1.2em, {}, {})",
        list(&l.strengths, &p.strengths),
        list(&l.weaknesses, &p.weaknesses)
    );
}

/// The analysis in one sentence or two, as the methodology page says it.
fn analysis_text(state: &AppState, lang: Lang, loaded: &Loaded) -> String {
    let a = &loaded.ranking().analysis;
    let mut text = state.i18n.get(
        lang,
        "monitoring-interval-note",
        &[("runs", (a.runs as i64).into())],
    );
    let moved = a
        .effects
        .iter()
        .map(|e| (e, e.sti.or(e.mean_shift).unwrap_or(f64::NEG_INFINITY)))
        .max_by(|x, y| x.1.total_cmp(&y.1));
    if let Some((effect, value)) = moved.filter(|(_, v)| v.is_finite()) {
        text.push(' ');
        text.push_str(&state.i18n.get(
            lang,
            "monitoring-moves-most",
            &[
                ("input", effect.input.clone().into()),
                ("value", public::number(value, 2, lang).into()),
            ],
        ));
    }
    text
}

#[cfg(feature = "pdf")]
fn typeset(report: Report) -> Result<Vec<u8>, megapolis_documents::DocumentError> {
    let (markup, files) = markup(&report);
    let mut document = megapolis_documents::Document::new(markup);
    for (name, contents) in files {
        document = document.with_file(name, contents);
    }
    megapolis_documents::render_pdf(&document)
}

/// `GET /monitoring/editions/{id}/report.pdf`: the report in the reader's language.
pub async fn report_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let lang = visitor.lang;
    let loaded = public::load(&state, &visitor, &id).await?;
    let directory = Directory::read(&state, lang).await?;
    let groups = profile::peer_groups(&loaded.tables, &directory.populations());
    let ranking = loaded.ranking();
    let methodology = loaded.methodology()?;
    let units = ranking.units.len();
    let lines = ranking
        .units
        .iter()
        .map(|u| {
            let interval = public::rank_text(u.rank, u.rank_low.zip(u.rank_high));
            RankingLine {
                rank: u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
                name: directory.name(u),
                score: public::score_text(u.scores.first().copied().flatten(), lang),
                bar: match (u.rank, u.rank_low, u.rank_high) {
                    (Some(rank), Some(low), Some(high)) => {
                        charts::interval_bar(rank, low, high, units, &interval)
                    }
                    _ => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>"
                        .into(),
                },
                interval: match (u.rank_low, u.rank_high) {
                    (Some(low), Some(high)) => format!("{low}–{high}"),
                    _ => "—".into(),
                },
            }
        })
        .collect();
    let profiles = ranking
        .units
        .iter()
        .map(|u| public::profile_view(&state, lang, &loaded, &directory, &groups, &u.code))
        .collect::<Result<Vec<_>, AppError>>()?;
    let report = Report {
        lang,
        title: loaded.title(lang),
        pin: loaded.stored.result.pin.clone(),
        labels: labels(&state, lang),
        tree: public::tree(&state, lang, &methodology),
        steps: public::steps(&state, lang, &methodology),
        analysis: analysis_text(&state, lang, &loaded),
        ranking: lines,
        profiles,
    };
    let name = format!(
        "monitoring-{}-{}-{}.pdf",
        loaded.summary.id,
        loaded.summary.year,
        lang.code()
    );
    render(&state, lang, report, &name).await
}

#[cfg(feature = "pdf")]
async fn render(_state: &AppState, _lang: Lang, report: Report, name: &str) -> PageResult {
    let bytes = tokio::task::spawn_blocking(move || typeset(report))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the PDF typesetter stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(bytes, "application/pdf", name))
}

/// Built without the `pdf` feature: say so instead of pretending.
#[cfg(not(feature = "pdf"))]
async fn render(state: &AppState, lang: Lang, report: Report, _name: &str) -> PageResult {
    use axum::response::IntoResponse;
    let _ = markup(&report);
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
