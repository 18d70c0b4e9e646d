//! The public side of monitoring: a city's profile, the comparison of two to four cities, the
//! trends across editions, the methodology with its sensitivity summary, and the open data (CSV,
//! JSON, XLSX). What a published edition holds (files and stored ranking) is rebuilt by the
//! engine into every data set ([`EditionTables`]); that work is done off the async workers and
//! kept per pin, which names everything it depends on, so a kept build is never stale.
use super::api::visible_edition;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::{page, PageResult};
use crate::state::AppState;
use axum::extract::{Path, Query, RawQuery, State};
use axum::Extension;
use megapolis_domain::Lang;
use megapolis_monitoring::charts::{self, RankPoint, ScoreBar, ScoreLegend};
use megapolis_monitoring::open_data::{self, EditionTables};
use megapolis_monitoring::profile::{self, PeerGroup, Profile};
use megapolis_monitoring::{Edition, MetaTable, Methodology, Names, RankedUnit, Ranking};
use megapolis_storage::monitoring::{EditionSummary, StoredResult};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// What is kept in memory by pin; the oldest is dropped past this many. A pin names exactly
/// one content, so what is kept under it never goes stale.
const KEPT_BY_PIN: usize = 8;

/// Values by pin, oldest first.
type ByPin<T> = Mutex<Vec<(String, Arc<T>)>>;

fn kept<T>(cache: &ByPin<T>, pin: &str) -> Option<Arc<T>> {
    let all = cache.lock().ok()?;
    all.iter().find(|(p, _)| p == pin).map(|(_, v)| v.clone())
}

fn keep<T>(cache: &ByPin<T>, pin: &str, value: Arc<T>) {
    if let Ok(mut all) = cache.lock() {
        all.retain(|(p, _)| p != pin);
        all.push((pin.to_string(), value));
        if all.len() > KEPT_BY_PIN {
            all.remove(0);
        }
    }
}

/// Every data set of an edition, rebuilt by the engine once per pin.
static BUILDS: LazyLock<ByPin<EditionTables>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// A computed edition as stored: its files and its result.
pub(crate) struct Stored {
    pub edition: Edition,
    pub result: StoredResult,
}

/// Stored editions: a page reads megabytes of iData and a ranking of thousands of units once
/// per pin, not on every view.
static STORED: LazyLock<ByPin<Stored>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// The stored edition `summary` names, from memory when its pin was read before.
async fn stored(state: &AppState, summary: &EditionSummary) -> Result<Arc<Stored>, AppError> {
    if let Some(found) = summary.pin.as_deref().and_then(|pin| kept(&STORED, pin)) {
        return Ok(found);
    }
    let monitoring = state.store.monitoring();
    let (Some(edition), Some(result)) = (
        monitoring.edition(summary.id).await?,
        monitoring.result(summary.id).await?,
    ) else {
        return Err(AppError::NotFound);
    };
    let found = Arc::new(Stored { edition, result });
    keep(&STORED, &found.result.pin, found.clone());
    Ok(found)
}

/// A computed edition the visitor may see, with its files, ranking and every data set.
pub(crate) struct Loaded {
    pub summary: EditionSummary,
    pub stored: Arc<Stored>,
    pub tables: Arc<EditionTables>,
}

impl Loaded {
    pub fn ranking(&self) -> &Ranking {
        &self.stored.result.ranking
    }

    pub fn title(&self, lang: Lang) -> String {
        lang.pick(&self.summary.title_ru, &self.summary.title_en)
            .to_string()
    }

    /// The methodology as the engine reads it (the edition was checked when saved).
    pub fn methodology(&self) -> Result<Methodology, AppError> {
        self.stored
            .edition
            .methodology()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a saved edition: {e}")))
    }
}

/// The edition `id` if the visitor may see it and it has a result; 404 otherwise (so nothing
/// tells an anonymous visitor that an unpublished edition exists).
pub(crate) async fn load(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
) -> Result<Loaded, AppError> {
    let summary = visible_edition(state, visitor, id).await?;
    let stored = stored(state, &summary).await?;
    let tables = tables_of(stored.clone()).await?;
    Ok(Loaded {
        summary,
        stored,
        tables,
    })
}

async fn tables_of(stored: Arc<Stored>) -> Result<Arc<EditionTables>, AppError> {
    let pin = stored.result.pin.clone();
    if let Some(found) = kept(&BUILDS, &pin) {
        return Ok(found);
    }
    let tables = tokio::task::spawn_blocking(move || EditionTables::build(&stored.edition))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("rebuilding an edition stopped: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("rebuilding an edition: {e}")))?;
    let tables = Arc::new(tables);
    keep(&BUILDS, &pin, tables.clone());
    Ok(tables)
}

/// What the directory says of the units that are its cities.
pub(crate) struct Directory {
    names: HashMap<String, String>,
    /// Country code → country name, per city code.
    countries: HashMap<String, (String, String)>,
    populations: HashMap<String, i64>,
}

impl Directory {
    pub async fn read(state: &AppState, lang: Lang) -> Result<Directory, AppError> {
        let mut directory = Directory {
            names: HashMap::new(),
            countries: HashMap::new(),
            populations: HashMap::new(),
        };
        for city in state.store.org().cities().await? {
            let code = city.code.as_str().to_string();
            directory.names.insert(
                code.clone(),
                lang.pick(&city.name_ru, &city.name_en).to_string(),
            );
            directory.countries.insert(
                code.clone(),
                (
                    city.country_code.clone(),
                    lang.pick(&city.country_ru, &city.country_en).to_string(),
                ),
            );
            if let Some(population) = city.population {
                directory.populations.insert(code, population);
            }
        }
        Ok(directory)
    }

    /// The unit's name: the directory's in the reader's language, else iData's uName, else its
    /// code.
    pub fn name(&self, unit: &RankedUnit) -> String {
        self.names
            .get(&unit.code)
            .cloned()
            .or_else(|| Some(unit.name.clone()).filter(|n| !n.is_empty()))
            .unwrap_or_else(|| unit.code.clone())
    }

    pub fn country(&self, code: &str) -> Option<&(String, String)> {
        self.countries.get(code)
    }

    /// Population by city code, for the peer groups.
    pub fn populations(&self) -> HashMap<String, i64> {
        self.populations.clone()
    }

    pub fn is_city(&self, code: &str) -> bool {
        self.names.contains_key(code)
    }
}

/// A number as the reader writes it: a decimal comma in Russian.
pub(crate) fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::Ru => text.replace('.', ",").replace('-', "−"),
        Lang::En => text.replace('-', "−"),
    }
}

pub(crate) fn score_text(value: Option<f64>, lang: Lang) -> String {
    value
        .map(|v| number(v, 1, lang))
        .unwrap_or_else(|| "—".into())
}

/// The name of a framework node (iName, else its code).
pub(crate) fn node_name(tables: &EditionTables, code: &str, lang: Lang) -> String {
    tables.names.name(code, lang).to_string()
}

/// The criteria of the newest published edition (every aggregate under its index, with its
/// name in `lang`), for what other capabilities link to them (the competences of a training
/// programme); `None` while nothing is published. The edition comes from the by-pin cache and
/// only its iMeta is read, not its data.
pub(crate) async fn published_criteria(
    state: &AppState,
    lang: Lang,
) -> Result<Option<(i64, Vec<(String, String)>)>, AppError> {
    let Some(newest) = state
        .store
        .monitoring()
        .list(true)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let stored = stored(state, &newest).await?;
    let table = MetaTable::read_csv(stored.edition.meta())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a published edition: {e}")))?;
    let names = Names::of_table(&table);
    let criteria = table
        .rows()
        .filter(|(_, row)| row.get("Type") == "Aggregate" && !row.get("Parent").is_empty())
        .map(|(_, row)| {
            let code = row.get("iCode");
            (code.to_string(), names.name(code, lang).to_string())
        })
        .collect();
    Ok(Some((newest.id, criteria)))
}

/// "3 (2–5)": a rank with its interval.
pub(crate) fn rank_text(rank: Option<u32>, interval: Option<(u32, u32)>) -> String {
    match (rank, interval) {
        (Some(rank), Some((low, high))) if low != high => format!("{rank} ({low}–{high})"),
        (Some(rank), _) => rank.to_string(),
        _ => "—".into(),
    }
}

/// The label of a peer group in the reader's language.
pub(crate) fn group_label(state: &AppState, lang: Lang, group: &PeerGroup) -> String {
    match group {
        PeerGroup::Data { column, label } => format!("{column}: {label}"),
        PeerGroup::Population(band) => {
            state
                .i18n
                .get(lang, &format!("monitoring-group-{}", band.key()), &[])
        }
    }
}

fn t(state: &AppState, lang: Lang, key: &str) -> String {
    state.i18n.get(lang, key, &[])
}

/// A unit's profile with everything a page or the PDF shows of it.
#[derive(Serialize)]
pub(crate) struct ProfileView {
    pub code: String,
    pub name: String,
    pub country: Option<String>,
    pub group: Option<String>,
    pub score: String,
    pub rank: String,
    pub units: usize,
    pub interval_bar: String,
    pub chart: String,
    pub aggregates: Vec<AggregateRow>,
    pub strengths: Vec<IndicatorRow>,
    pub weaknesses: Vec<IndicatorRow>,
    pub indicators: Vec<IndicatorRow>,
    pub availability: String,
    pub with_data: usize,
    pub indicator_count: usize,
}

#[derive(Serialize, Clone)]
pub(crate) struct AggregateRow {
    pub code: String,
    pub name: String,
    pub level: u32,
    pub score: String,
    pub rank: String,
    pub median_all: String,
    pub median_group: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub raw: String,
    pub normalised: String,
    pub rank: String,
    pub evidence: Option<String>,
}

/// The profile of `code` in the loaded edition, or 404.
pub(crate) fn profile_view(
    state: &AppState,
    lang: Lang,
    loaded: &Loaded,
    directory: &Directory,
    groups: &HashMap<String, PeerGroup>,
    code: &str,
) -> Result<ProfileView, AppError> {
    let ranking = loaded.ranking();
    let tables = &loaded.tables;
    let p: Profile = profile::profile(tables, ranking, groups, code).ok_or(AppError::NotFound)?;
    let unit = ranking
        .units
        .iter()
        .find(|u| u.code == code)
        .ok_or(AppError::NotFound)?;
    let name = directory.name(unit);
    let level = |c: &str| {
        tables
            .framework
            .find(c)
            .map_or(0, |i| tables.framework.nodes[i].level)
    };
    let aggregates: Vec<AggregateRow> = p
        .aggregates
        .iter()
        .map(|a| AggregateRow {
            code: a.code.clone(),
            name: node_name(tables, &a.code, lang),
            level: level(&a.code),
            score: score_text(a.score, lang),
            rank: rank_text(a.rank, a.interval),
            median_all: score_text(a.median_all, lang),
            median_group: score_text(a.median_group, lang),
        })
        .collect();
    let bars: Vec<ScoreBar> = p
        .aggregates
        .iter()
        .skip(1)
        .map(|a| ScoreBar {
            label: node_name(tables, &a.code, lang),
            score: a.score,
            median_all: a.median_all,
            median_group: a.median_group,
            score_text: score_text(a.score, lang),
        })
        .collect();
    let chart = charts::score_bars(
        &bars,
        &ScoreLegend {
            score: name.clone(),
            median_all: t(state, lang, "monitoring-median-all"),
            median_group: t(state, lang, "monitoring-median-group"),
        },
        &state.i18n.get(
            lang,
            "monitoring-chart-scores",
            &[("city", name.clone().into())],
        ),
    );
    let value = |v: Option<f64>| v.map(|v| number(v, 2, lang)).unwrap_or_else(|| "—".into());
    let indicators: Vec<IndicatorRow> = p
        .indicators
        .iter()
        .map(|i| IndicatorRow {
            code: i.code.clone(),
            name: node_name(tables, &i.code, lang),
            raw: value(i.raw),
            normalised: value(i.normalised),
            rank: match i.rank {
                Some(rank) => format!("{rank} / {}", i.of),
                None => "—".into(),
            },
            evidence: i.evidence.clone(),
        })
        .collect();
    let pick = |ks: &[usize]| ks.iter().map(|&k| indicators[k].clone()).collect();
    let interval_bar = match (unit.rank, unit.rank_low, unit.rank_high) {
        (Some(rank), Some(low), Some(high)) => charts::interval_bar(
            rank,
            low,
            high,
            ranking.units.len(),
            &state.i18n.get(
                lang,
                "monitoring-rank-of",
                &[
                    (
                        "rank",
                        rank_text(unit.rank, unit.rank_low.zip(unit.rank_high)).into(),
                    ),
                    ("units", ranking.units.len().to_string().into()),
                ],
            ),
        ),
        _ => String::new(),
    };
    Ok(ProfileView {
        code: code.to_string(),
        country: directory.country(code).map(|(_, name)| name.clone()),
        group: p.peer_group.as_ref().map(|g| group_label(state, lang, g)),
        score: score_text(unit.scores.first().copied().flatten(), lang),
        rank: rank_text(unit.rank, unit.rank_low.zip(unit.rank_high)),
        units: ranking.units.len(),
        interval_bar,
        chart,
        aggregates,
        strengths: pick(&p.strengths),
        weaknesses: pick(&p.weaknesses),
        availability: number(p.availability() * 100.0, 0, lang),
        with_data: p.with_data,
        indicator_count: p.indicators.len(),
        indicators,
        name,
    })
}

/// The published editions as stored, oldest year first.
async fn published_rankings(
    state: &AppState,
) -> Result<Vec<(EditionSummary, Arc<Stored>)>, AppError> {
    let mut out = Vec::new();
    for summary in state.store.monitoring().list(true).await? {
        if summary.pin.is_some() {
            let found = stored(state, &summary).await?;
            out.push((summary, found));
        }
    }
    out.sort_by_key(|(s, _)| (s.year, s.id));
    Ok(out)
}

/// A unit's rank line across the published editions.
fn history_chart(
    state: &AppState,
    lang: Lang,
    editions: &[(EditionSummary, Arc<Stored>)],
    units: &[(String, String)],
) -> (String, Vec<HistoryRow>) {
    let labels: Vec<String> = editions.iter().map(|(s, _)| s.year.to_string()).collect();
    let mut worst = 2;
    let mut rows = Vec::new();
    let series: Vec<(String, Vec<Option<RankPoint>>)> = units
        .iter()
        .map(|(code, name)| {
            let points = editions
                .iter()
                .map(|(summary, stored)| {
                    let ranking = &stored.result.ranking;
                    let u = ranking.units.iter().find(|u| &u.code == code)?;
                    worst = worst.max(ranking.units.len() as u32);
                    rows.push(HistoryRow {
                        edition: summary.id,
                        year: summary.year,
                        title: lang.pick(&summary.title_ru, &summary.title_en).to_string(),
                        code: code.clone(),
                        name: name.clone(),
                        score: score_text(u.scores.first().copied().flatten(), lang),
                        rank: rank_text(u.rank, u.rank_low.zip(u.rank_high)),
                        units: ranking.units.len(),
                    });
                    Some(RankPoint {
                        label: summary.year.to_string(),
                        rank: u.rank?,
                        low: u.rank_low.or(u.rank)?,
                        high: u.rank_high.or(u.rank)?,
                    })
                })
                .collect();
            (name.clone(), points)
        })
        .collect();
    let names: Vec<&str> = units.iter().map(|(_, n)| n.as_str()).collect();
    let chart = charts::rank_line(
        &labels,
        &series,
        worst,
        &state.i18n.get(
            lang,
            "monitoring-chart-history",
            &[("cities", names.join(", ").into())],
        ),
    );
    (chart, rows)
}

#[derive(Serialize)]
pub(crate) struct HistoryRow {
    edition: i64,
    year: i32,
    title: String,
    code: String,
    name: String,
    score: String,
    rank: String,
    units: usize,
}

pub(crate) fn edition_context(loaded: &Loaded, lang: Lang) -> minijinja::Value {
    context! {
        id => loaded.summary.id,
        year => loaded.summary.year,
        title => loaded.title(lang),
        published => loaded.summary.state.is_public(),
        state => loaded.summary.state.as_str(),
    }
}

pub async fn city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> PageResult {
    let lang = visitor.lang;
    let loaded = load(&state, &visitor, &id).await?;
    let directory = Directory::read(&state, lang).await?;
    let groups = profile::peer_groups(&loaded.tables, &directory.populations());
    let view = profile_view(&state, lang, &loaded, &directory, &groups, &code)?;
    let editions = published_rankings(&state).await?;
    let (history, history_rows) = history_chart(
        &state,
        lang,
        &editions,
        &[(code.clone(), view.name.clone())],
    );
    page(
        &state,
        &visitor,
        "monitoring_city.html",
        context! {
            edition => edition_context(&loaded, lang),
            city => view,
            directory_page => directory.is_city(&code).then(|| format!("/cities/{code}")),
            history => history,
            history_rows => history_rows,
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    cities: String,
    /// The form's pickers, one city each.
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    c: String,
    #[serde(default)]
    d: String,
}

impl CompareQuery {
    /// The chosen codes, in order, without repeats or blanks, at most four.
    fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        let listed = self.cities.split(',');
        let picked = [&self.a, &self.b, &self.c, &self.d]
            .into_iter()
            .map(String::as_str);
        for code in listed.chain(picked).map(str::trim) {
            if !code.is_empty() && !codes.iter().any(|c| c == code) && codes.len() < 4 {
                codes.push(code.to_string());
            }
        }
        codes
    }
}

#[derive(Serialize)]
struct CompareRow {
    code: String,
    name: String,
    level: u32,
    scores: Vec<String>,
}

pub async fn compare(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> PageResult {
    let lang = visitor.lang;
    let loaded = load(&state, &visitor, &id).await?;
    let directory = Directory::read(&state, lang).await?;
    let ranking = loaded.ranking();
    let chosen: Vec<&RankedUnit> = query
        .codes()
        .iter()
        .filter_map(|code| ranking.units.iter().find(|u| &u.code == code))
        .collect();
    let mut options: Vec<(String, String)> = ranking
        .units
        .iter()
        .map(|u| (u.code.clone(), directory.name(u)))
        .collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    let names: Vec<String> = chosen.iter().map(|u| directory.name(u)).collect();
    let (chart, rows) = if chosen.len() >= 2 {
        let labels: Vec<String> = ranking
            .codes
            .iter()
            .map(|c| node_name(&loaded.tables, c, lang))
            .collect();
        let series: Vec<(String, Vec<Option<f64>>)> = chosen
            .iter()
            .zip(&names)
            .map(|(u, name)| (name.clone(), u.scores.clone()))
            .collect();
        let chart = charts::comparison_bars(
            &labels,
            &series,
            &state.i18n.get(
                lang,
                "monitoring-chart-compare",
                &[("cities", names.join(", ").into())],
            ),
        );
        let fw = &loaded.tables.framework;
        let rows: Vec<CompareRow> = ranking
            .codes
            .iter()
            .enumerate()
            .map(|(k, code)| CompareRow {
                code: code.clone(),
                name: labels[k].clone(),
                level: fw.find(code).map_or(0, |i| fw.nodes[i].level),
                scores: chosen
                    .iter()
                    .map(|u| {
                        let score = score_text(u.scores.get(k).copied().flatten(), lang);
                        match (
                            u.ranks.get(k).copied().flatten(),
                            u.intervals.get(k).copied().flatten(),
                        ) {
                            (Some(rank), interval) => {
                                format!("{score} · {}", rank_text(Some(rank), interval))
                            }
                            _ => score,
                        }
                    })
                    .collect(),
            })
            .collect();
        (chart, rows)
    } else {
        (String::new(), Vec::new())
    };
    let picked: Vec<String> = (0..4)
        .map(|k| chosen.get(k).map(|u| u.code.clone()).unwrap_or_default())
        .collect();
    page(
        &state,
        &visitor,
        "monitoring_compare.html",
        context! {
            edition => edition_context(&loaded, lang),
            options => options,
            picked => picked,
            chosen => chosen.iter().zip(&names).map(|(u, n)| context! { code => u.code, name => n, rank => rank_text(u.rank, u.rank_low.zip(u.rank_high)) }).collect::<Vec<_>>(),
            chart => chart,
            rows => rows,
        },
    )
    .await
}

/// The cities of the trends chart: `cities=a,b` (links) or one `pick=` per ticked box (the
/// form), at most four.
fn trend_picks(query: Option<&str>) -> Vec<String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
    pairs
        .into_iter()
        .filter(|(key, _)| key == "cities" || key == "pick")
        .flat_map(|(_, value)| {
            value
                .split(',')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

pub async fn trends(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let lang = visitor.lang;
    let directory = Directory::read(&state, lang).await?;
    let editions = published_rankings(&state).await?;
    // Every unit of any published edition, by name.
    let mut units: Vec<(String, String)> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (_, stored) in editions.iter().rev() {
        for u in &stored.result.ranking.units {
            if seen.insert(u.code.as_str()) {
                units.push((u.code.clone(), directory.name(u)));
            }
        }
    }
    // Each edition's units by code, for the table's cells.
    let by_code: Vec<HashMap<&str, &megapolis_monitoring::RankedUnit>> = editions
        .iter()
        .map(|(_, stored)| {
            stored
                .result
                .ranking
                .units
                .iter()
                .map(|u| (u.code.as_str(), u))
                .collect()
        })
        .collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    let mut chosen: Vec<(String, String)> = Vec::new();
    for code in trend_picks(query.as_deref()) {
        if let Some(unit) = units.iter().find(|(c, _)| *c == code) {
            if !chosen.contains(unit) && chosen.len() < 4 {
                chosen.push(unit.clone());
            }
        }
    }
    // The table: every unit's rank in every edition.
    let table: Vec<minijinja::Value> = units
        .iter()
        .map(|(code, name)| {
            let cells: Vec<String> = by_code
                .iter()
                .map(|units| {
                    units
                        .get(code.as_str())
                        .map(|u| {
                            format!(
                                "{} · {}",
                                rank_text(u.rank, u.rank_low.zip(u.rank_high)),
                                score_text(u.scores.first().copied().flatten(), lang)
                            )
                        })
                        .unwrap_or_else(|| "—".into())
                })
                .collect();
            context! { code => code, name => name, cells => cells }
        })
        .collect();
    let chart = if chosen.is_empty() {
        String::new()
    } else {
        history_chart(&state, lang, &editions, &chosen).0
    };
    let chosen_codes: Vec<&str> = chosen.iter().map(|(c, _)| c.as_str()).collect();
    page(
        &state,
        &visitor,
        "monitoring_trends.html",
        context! {
            editions => editions.iter().map(|(s, _)| context! { id => s.id, year => s.year, title => lang.pick(&s.title_ru, &s.title_en) }).collect::<Vec<_>>(),
            units => units.iter().map(|(c, n)| context! { code => c, name => n, chosen => chosen_codes.contains(&c.as_str()) }).collect::<Vec<_>>(),
            table => table,
            chart => chart,
            chosen => chosen.iter().map(|(c, n)| context! { code => c, name => n }).collect::<Vec<_>>(),
        },
    )
    .await
}

/// A node of the framework tree as the methodology page shows it.
#[derive(Serialize)]
pub(crate) struct TreeNode {
    pub code: String,
    pub name: String,
    pub level: u32,
    pub weight: String,
    /// The node's share of its parent, in percent.
    pub share: String,
    pub direction: i8,
    pub unit: String,
    pub target: Option<String>,
    pub question: String,
    pub answer_type: Option<String>,
    pub children: Vec<TreeNode>,
}

/// The framework from its roots down.
pub(crate) fn tree(state: &AppState, lang: Lang, methodology: &Methodology) -> Vec<TreeNode> {
    let fw = &methodology.framework;
    fw.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none() && n.level > 1)
        .map(|(i, _)| tree_node(state, lang, methodology, i))
        .collect()
}

fn tree_node(state: &AppState, lang: Lang, methodology: &Methodology, i: usize) -> TreeNode {
    let fw = &methodology.framework;
    let n = &fw.nodes[i];
    let siblings: f64 = match n.parent {
        Some(p) => fw.nodes[p]
            .children
            .iter()
            .map(|&c| fw.nodes[c].weight)
            .sum(),
        None => n.weight,
    };
    let question = methodology.questions.iter().find(|q| q.code == n.code);
    TreeNode {
        code: n.code.clone(),
        name: methodology.names.name(&n.code, lang).to_string(),
        level: n.level,
        weight: number(n.weight, 2, lang),
        share: if siblings > 0.0 {
            number(n.weight / siblings * 100.0, 1, lang)
        } else {
            "—".into()
        },
        direction: if n.direction < 0.0 { -1 } else { 1 },
        unit: n.unit.clone(),
        target: n.target.map(|t| number(t, 2, lang)),
        question: question
            .map(|q| lang.pick(&q.question_ru, &q.question_en).to_string())
            .unwrap_or_default(),
        answer_type: question
            .and_then(|q| q.answer_type)
            .map(|a| t(state, lang, &format!("monitoring-answer-{}", a.as_str()))),
        children: n
            .children
            .iter()
            .map(|&c| tree_node(state, lang, methodology, c))
            .collect(),
    }
}

/// The build's steps in words: the step's name in the reader's language and its parameters as
/// build.toml writes them.
pub(crate) fn steps(
    state: &AppState,
    lang: Lang,
    methodology: &Methodology,
) -> Vec<(String, String)> {
    methodology
        .spec
        .steps
        .iter()
        .zip(&methodology.spec.step_tables)
        .map(|(step, table)| {
            let params: Vec<String> = table
                .iter()
                .filter(|(k, _)| k.as_str() != "op")
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            (
                t(state, lang, &format!("monitoring-step-{}", step.op())),
                params.join(", "),
            )
        })
        .collect()
}

#[derive(Serialize)]
struct EffectView {
    input: String,
    mean_shift: Option<String>,
    si: Option<String>,
    sti: Option<String>,
    top: bool,
}

pub async fn methodology(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let lang = visitor.lang;
    let loaded = load(&state, &visitor, &id).await?;
    let methodology = loaded.methodology()?;
    let analysis = &loaded.ranking().analysis;
    // The input that moves the ranks most: the largest total index, or the largest mean shift.
    let weight =
        |e: &megapolis_monitoring::InputEffect| e.sti.or(e.mean_shift).unwrap_or(f64::NEG_INFINITY);
    let top = analysis
        .effects
        .iter()
        .map(weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let effects: Vec<EffectView> = analysis
        .effects
        .iter()
        .map(|e| EffectView {
            input: e.input.clone(),
            mean_shift: e.mean_shift.map(|v| number(v, 2, lang)),
            si: e.si.map(|v| number(v, 3, lang)),
            sti: e.sti.map(|v| number(v, 3, lang)),
            top: top.is_finite() && weight(e) == top,
        })
        .collect();
    page(
        &state,
        &visitor,
        "monitoring_methodology.html",
        context! {
            edition => edition_context(&loaded, lang),
            tree => tree(&state, lang, &methodology),
            steps => steps(&state, lang, &methodology).into_iter().map(|(name, params)| context! { name => name, params => params }).collect::<Vec<_>>(),
            analysis => context! {
                kind => analysis.kind,
                runs => analysis.runs,
                seed => analysis.seed,
                default => analysis.default,
                failed_runs => analysis.failed_runs,
            },
            effects => effects,
            indicators => methodology.framework.nodes.iter().filter(|n| n.level == 1).count(),
        },
    )
    .await
}

// ---- Open data ----

fn data_name(loaded: &Loaded, extension: &str) -> String {
    format!(
        "monitoring-{}-{}-data.{extension}",
        loaded.summary.id, loaded.summary.year
    )
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions/{id}/data.csv", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    responses((status = 200, description = "Every data set of the build (Raw, then one per step: Imputed, Normalised, Aggregated…), one line per value: dataset,city,code,value; a missing value is empty", content_type = "text/csv", body = String),
        (status = 404, description = "No such edition, not computed, or not published and the caller is not staff", body = crate::api::ApiError)))]
pub async fn data_csv(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let loaded = load(&state, &visitor, &id).await?;
    let csv = open_data::to_csv(&loaded.tables);
    Ok(crate::downloads::download(
        csv.into_bytes(),
        "text/csv; charset=utf-8",
        &data_name(&loaded, "csv"),
    ))
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions/{id}/data.json", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    responses((status = 200, description = "{edition: {id, year, title_ru, title_en, pin}, aggregates: [codes], ranking: [{city, name, rank, rank_low, rank_high, scores, ranks, intervals}], datasets: [{name, rows: [{city, <code>: value | null…}]}]}", content_type = "application/json", body = Object),
        (status = 404, description = "No such edition, not computed, or not published and the caller is not staff", body = crate::api::ApiError)))]
pub async fn data_json(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let loaded = load(&state, &visitor, &id).await?;
    let head = open_data::EditionHead {
        id: loaded.summary.id,
        year: loaded.summary.year,
        title_ru: &loaded.summary.title_ru,
        title_en: &loaded.summary.title_en,
        pin: &loaded.stored.result.pin,
    };
    let json = open_data::to_json(&head, &loaded.tables, loaded.ranking());
    Ok(axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )))
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions/{id}/data.xlsx", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    responses((status = 200, description = "A workbook: the ranking, then one sheet per data set of the build", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "No such edition, not computed, or not published and the caller is not staff", body = crate::api::ApiError)))]
pub async fn data_xlsx(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let lang = visitor.lang;
    let loaded = load(&state, &visitor, &id).await?;
    let labels = open_data::SheetLabels {
        ranking: t(&state, lang, "monitoring-ranking"),
        city: t(&state, lang, "monitoring-city-code"),
        name: t(&state, lang, "monitoring-city"),
        rank: t(&state, lang, "monitoring-rank"),
        rank_low: t(&state, lang, "monitoring-rank-low"),
        rank_high: t(&state, lang, "monitoring-rank-high"),
    };
    let title = loaded.title(lang);
    let name = data_name(&loaded, "xlsx");
    let tables = loaded.tables.clone();
    let ranking = loaded.stored.result.ranking.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        megapolis_documents::render_xlsx(&open_data::to_sheets(&title, &tables, &ranking, &labels))
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the workbook writer stopped: {e}")))?
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
    ))
}
