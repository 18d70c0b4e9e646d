//! The build specification (`build.toml`): steps and the optional `[analysis]`.
use std::collections::HashMap;

use toml::{Table, Value};

use crate::error::{IndexError, Result};
use crate::ops::{AggMethod, ImputeMethod, NormMethod, TreatParams};

/// Where the aggregation weights come from.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightSource {
    /// iMeta's `Weight` column.
    Meta,
    /// Equal weights within each parent.
    Equal,
    /// PCA: loadings of the first principal component of each group of siblings (COINr `get_PCA`).
    Pca,
    /// A weights file not yet read (the core never reads files: [`crate::io`] resolves it).
    File(String),
    /// Weights given in memory, by iCode (codes not given keep iMeta's weight).
    Given(HashMap<String, f64>),
}

/// One build step.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Divide each indicator by its Denominator column.
    Denominate,
    /// Fill missing values.
    Impute(ImputeMethod),
    /// Drop units whose data availability is below `dat_thresh`.
    Screen {
        /// Minimum fraction of present indicator values.
        dat_thresh: f64,
    },
    /// COINr's default outlier treatment.
    Treat(TreatParams),
    /// Normalise every indicator.
    Normalise(NormMethod),
    /// Aggregate level by level.
    Aggregate {
        /// Aggregation function.
        method: AggMethod,
        /// Weights.
        weights: WeightSource,
        /// Optional minimum data availability among children (else the aggregate is missing).
        dat_thresh: Option<f64>,
    },
}

impl Step {
    /// The operation name as in `build.toml`.
    pub fn op(&self) -> &'static str {
        match self {
            Step::Denominate => "denominate",
            Step::Impute(_) => "impute",
            Step::Screen { .. } => "screen",
            Step::Treat(_) => "treat",
            Step::Normalise(_) => "normalise",
            Step::Aggregate { .. } => "aggregate",
        }
    }
    /// The name of the data set the step makes.
    pub fn dataset_name(&self) -> &'static str {
        match self {
            Step::Denominate => "Denominated",
            Step::Impute(_) => "Imputed",
            Step::Screen { .. } => "Screened",
            Step::Treat(_) => "Treated",
            Step::Normalise(_) => "Normalised",
            Step::Aggregate { .. } => "Aggregated",
        }
    }

    /// Parse a step from its TOML table (`op` plus parameters). Unknown keys are errors.
    pub fn from_table(t: &Table) -> std::result::Result<Step, String> {
        let op = get_str(t, "op")?.ok_or("missing 'op'")?;
        let allowed: &[&str] = match op.as_str() {
            "denominate" => &["op"],
            "impute" => &["op", "method", "group"],
            "screen" => &["op", "dat_thresh"],
            "treat" => &["op", "winmax", "skew_thresh", "kurt_thresh"],
            "normalise" | "normalize" => &["op", "method", "l_u", "m_sd", "gposts", "scale"],
            "aggregate" => &["op", "method", "weights", "dat_thresh"],
            other => return Err(format!("unknown op '{other}'")),
        };
        if let Some(k) = t.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(format!("unknown key '{k}' for op '{op}'"));
        }
        Ok(match op.as_str() {
            "denominate" => Step::Denominate,
            "impute" => {
                let method = get_str(t, "method")?.unwrap_or_else(|| "mean".into());
                let group = get_str(t, "group")?;
                let need_group = || {
                    group
                        .clone()
                        .ok_or(format!("method '{method}' needs 'group'"))
                };
                Step::Impute(match method.as_str() {
                    "none" => ImputeMethod::None,
                    "mean" => ImputeMethod::Mean,
                    "median" => ImputeMethod::Median,
                    "mean_group" => ImputeMethod::MeanGroup(need_group()?),
                    "median_group" => ImputeMethod::MedianGroup(need_group()?),
                    "latest" | "panel" => ImputeMethod::Latest,
                    m => return Err(format!("unknown impute method '{m}'")),
                })
            }
            "screen" => {
                let d = get_num(t, "dat_thresh")?.ok_or("missing 'dat_thresh'")?;
                if !(0.0..=1.0).contains(&d) {
                    return Err(format!("dat_thresh must be in [0, 1], found {d}"));
                }
                Step::Screen { dat_thresh: d }
            }
            "treat" => {
                let d = TreatParams::default();
                let winmax = match get_num(t, "winmax")? {
                    None => d.winmax,
                    Some(w) if w >= 0.0 && w.fract() == 0.0 && w < 1e9 => w as usize,
                    Some(w) => {
                        return Err(format!("winmax must be a non-negative integer, found {w}"))
                    }
                };
                Step::Treat(TreatParams {
                    winmax,
                    skew_thresh: get_num(t, "skew_thresh")?.unwrap_or(d.skew_thresh),
                    kurt_thresh: get_num(t, "kurt_thresh")?.unwrap_or(d.kurt_thresh),
                })
            }
            "normalise" | "normalize" => {
                let method = get_str(t, "method")?.unwrap_or_else(|| "minmax".into());
                Step::Normalise(match method.as_str() {
                    "minmax" => {
                        let lu = get_arr(t, "l_u", 2)?.unwrap_or(vec![0.0, 100.0]);
                        if lu[0] == lu[1] {
                            return Err("l_u bounds must differ".into());
                        }
                        NormMethod::MinMax { l: lu[0], u: lu[1] }
                    }
                    "zscore" => {
                        let m = get_arr(t, "m_sd", 2)?.unwrap_or(vec![0.0, 1.0]);
                        if m[1] <= 0.0 {
                            return Err("m_sd standard deviation must be > 0".into());
                        }
                        NormMethod::ZScore { m: m[0], sd: m[1] }
                    }
                    "rank" => NormMethod::Rank,
                    "prank" => NormMethod::PRank,
                    "borda" => NormMethod::Borda,
                    "goalposts" => NormMethod::Goalposts {
                        gposts: get_arr(t, "gposts", 3)?.map(|g| [g[0], g[1], g[2]]),
                        scale: get_num(t, "scale")?.unwrap_or(100.0),
                    },
                    "dist2max" => NormMethod::Dist2Max,
                    "fracmax" => NormMethod::FracMax,
                    m => return Err(format!("unknown normalisation method '{m}'")),
                })
            }
            _ => {
                let method = get_str(t, "method")?.unwrap_or_else(|| "amean".into());
                let method = match method.as_str() {
                    "amean" => AggMethod::AMean,
                    "gmean" => AggMethod::GMean,
                    "hmean" => AggMethod::HMean,
                    "median" => AggMethod::Median,
                    "copeland" => AggMethod::Copeland,
                    m => return Err(format!("unknown aggregation method '{m}'")),
                };
                let weights = match get_str(t, "weights")?.as_deref() {
                    None | Some("meta") | Some("iMeta") => WeightSource::Meta,
                    Some("equal") => WeightSource::Equal,
                    Some("pca") | Some("PCA") => WeightSource::Pca,
                    Some(f) => WeightSource::File(f.to_string()),
                };
                let dat_thresh = get_num(t, "dat_thresh")?;
                if let Some(d) = dat_thresh {
                    if !(0.0..=1.0).contains(&d) {
                        return Err(format!("dat_thresh must be in [0, 1], found {d}"));
                    }
                }
                Step::Aggregate {
                    method,
                    weights,
                    dat_thresh,
                }
            }
        })
    }
}

fn get_str(t: &Table, k: &str) -> std::result::Result<Option<String>, String> {
    match t.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(format!("'{k}' must be a string, found {v}")),
    }
}

fn as_num(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

fn get_num(t: &Table, k: &str) -> std::result::Result<Option<f64>, String> {
    match t.get(k) {
        None => Ok(None),
        Some(v) => as_num(v)
            .map(Some)
            .ok_or(format!("'{k}' must be a finite number, found {v}")),
    }
}

fn get_arr(t: &Table, k: &str, len: usize) -> std::result::Result<Option<Vec<f64>>, String> {
    match t.get(k) {
        None => Ok(None),
        Some(Value::Array(a)) if a.len() == len => {
            let v: Option<Vec<f64>> = a.iter().map(as_num).collect();
            v.map(Some)
                .ok_or(format!("'{k}' must hold {len} finite numbers"))
        }
        Some(v) => Err(format!(
            "'{k}' must be an array of {len} numbers, found {v}"
        )),
    }
}

/// Kind of analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisKind {
    /// `N` random runs.
    Uncertainty,
    /// Saltelli design, `N·(d+2)` runs.
    Sensitivity,
}

/// How an uncertain input varies.
#[derive(Debug, Clone, PartialEq)]
pub enum InputKind {
    /// One parameter of a step takes one of `values` (discrete uniform).
    Values {
        /// Index of the step in the build.
        step: usize,
        /// Parameter key.
        param: String,
        /// Alternatives.
        values: Vec<Value>,
    },
    /// One parameter of a step is uniform on `[lo, hi]`.
    Continuous {
        /// Index of the step.
        step: usize,
        /// Parameter key.
        param: String,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// The step's parameters are replaced by one of the alternatives (its `op` is kept).
    Alternatives {
        /// Index of the step.
        step: usize,
        /// Alternative parameter tables.
        alternatives: Vec<Table>,
    },
    /// One of `replications` noisy copies of the weights (COINr `get_noisy_weights`).
    NoisyWeights {
        /// Levels whose weights get noise (1 = indicators).
        levels: Vec<u32>,
        /// Relative noise: `w·(1 + (2u − 1)·noise)`.
        noise: f64,
        /// Number of replications.
        replications: usize,
    },
}

/// One uncertain input.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Name (reported in `sensitivity.csv`).
    pub name: String,
    /// How it varies.
    pub kind: InputKind,
}

/// The `[analysis]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisSpec {
    /// Uncertainty or sensitivity.
    pub kind: AnalysisKind,
    /// `N`.
    pub n: usize,
    /// Seed of the random design.
    pub seed: u64,
    /// Target iCode (an aggregate or indicator of the last data set).
    pub target: String,
    /// Bootstrap samples for the confidence intervals of Si and STi (0 = none).
    pub bootstrap: usize,
    /// Uncertain inputs.
    pub inputs: Vec<Input>,
}

/// A parsed build specification.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildSpec {
    /// Optional names of levels (indicator first).
    pub level_names: Option<Vec<String>>,
    /// Step tables as written (kept for the analysis, which patches them).
    pub step_tables: Vec<Table>,
    /// Parsed steps.
    pub steps: Vec<Step>,
    /// Time to build for panel data (default: the latest).
    pub time: Option<i64>,
    /// Optional analysis.
    pub analysis: Option<AnalysisSpec>,
}

impl BuildSpec {
    /// Parse `build.toml` text.
    pub fn parse(text: &str) -> Result<BuildSpec> {
        let root: Table = text
            .parse()
            .map_err(|e: toml::de::Error| IndexError::Spec(e.to_string()))?;
        Self::from_table(&root)
    }

    /// Build from a list of steps in memory (no analysis).
    pub fn from_steps(steps: Vec<Table>) -> Result<BuildSpec> {
        let mut t = Table::new();
        t.insert(
            "step".into(),
            Value::Array(steps.into_iter().map(Value::Table).collect()),
        );
        Self::from_table(&t)
    }

    /// Parse from a TOML table.
    pub fn from_table(root: &Table) -> Result<BuildSpec> {
        let spec_err = |m: String| IndexError::Spec(m);
        for k in root.keys() {
            if !["level_names", "step", "analysis", "time"].contains(&k.as_str()) {
                return Err(spec_err(format!("unknown key '{k}'")));
            }
        }
        let level_names = match root.get("level_names") {
            None => None,
            Some(Value::Array(a)) => Some(
                a.iter()
                    .map(|v| v.as_str().map(String::from))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| spec_err("level_names must be strings".into()))?,
            ),
            Some(_) => return Err(spec_err("level_names must be an array".into())),
        };
        let time = match root.get("time") {
            None => None,
            Some(Value::Integer(i)) => Some(*i),
            Some(_) => return Err(spec_err("time must be an integer".into())),
        };
        let step_tables: Vec<Table> = match root.get("step") {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_table().cloned())
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| spec_err("[[step]] entries must be tables".into()))?,
            Some(_) => {
                return Err(spec_err(
                    "'step' must be an array of tables ([[step]])".into(),
                ))
            }
        };
        let mut steps = Vec::new();
        for (i, t) in step_tables.iter().enumerate() {
            steps.push(Step::from_table(t).map_err(|m| spec_err(format!("step {}: {m}", i + 1)))?);
        }
        if let Some(p) = steps
            .iter()
            .position(|s| matches!(s, Step::Aggregate { .. }))
        {
            if p + 1 != steps.len() {
                return Err(spec_err("'aggregate' must be the last step".into()));
            }
        }
        let analysis = match root.get("analysis") {
            None => None,
            Some(Value::Table(a)) => Some(parse_analysis(a, &steps)?),
            Some(_) => return Err(spec_err("[analysis] must be a table".into())),
        };
        Ok(BuildSpec {
            level_names,
            step_tables,
            steps,
            time,
            analysis,
        })
    }
}

fn parse_analysis(a: &Table, steps: &[Step]) -> Result<AnalysisSpec> {
    let e = |m: String| IndexError::Spec(format!("[analysis]: {m}"));
    for k in a.keys() {
        if !["kind", "n", "seed", "target", "bootstrap", "input"].contains(&k.as_str()) {
            return Err(e(format!("unknown key '{k}'")));
        }
    }
    let kind = match get_str(a, "kind").map_err(e)?.as_deref() {
        Some("sensitivity") => AnalysisKind::Sensitivity,
        Some("uncertainty") | None => AnalysisKind::Uncertainty,
        Some(k) => return Err(e(format!("unknown kind '{k}'"))),
    };
    let int = |k: &str, def: i64| -> Result<i64> {
        match a.get(k) {
            None => Ok(def),
            Some(Value::Integer(i)) if *i >= 0 => Ok(*i),
            Some(v) => Err(e(format!(
                "'{k}' must be a non-negative integer, found {v}"
            ))),
        }
    };
    let n = int("n", 100)? as usize;
    if n < 3 {
        return Err(e("n must be at least 3".into()));
    }
    let seed = int("seed", 1)? as u64;
    let bootstrap = int("bootstrap", 0)? as usize;
    let target = get_str(a, "target")
        .map_err(e)?
        .unwrap_or_else(|| "Index".into());
    let mut inputs = Vec::new();
    let arr = match a.get("input") {
        None => Vec::new(),
        Some(Value::Array(v)) => v.clone(),
        Some(_) => return Err(e("'input' must be [[analysis.input]] tables".into())),
    };
    for (i, v) in arr.iter().enumerate() {
        let t = v
            .as_table()
            .ok_or_else(|| e(format!("input {} is not a table", i + 1)))?;
        let ie = |m: String| e(format!("input {}: {m}", i + 1));
        for k in t.keys() {
            if ![
                "name",
                "step",
                "param",
                "values",
                "distribution",
                "alternatives",
                "noisy_weights",
            ]
            .contains(&k.as_str())
            {
                return Err(ie(format!("unknown key '{k}'")));
            }
        }
        let name = get_str(t, "name")
            .map_err(ie)?
            .unwrap_or_else(|| format!("V{}", i + 1));
        let step_idx = || -> Result<usize> {
            let op = get_str(t, "step")
                .map_err(ie)?
                .ok_or_else(|| ie("missing 'step'".into()))?;
            let op = if op == "normalize" {
                "normalise".to_string()
            } else {
                op
            };
            steps
                .iter()
                .position(|s| s.op() == op)
                .ok_or_else(|| ie(format!("the build has no '{op}' step")))
        };
        let kind = if let Some(nw) = t.get("noisy_weights") {
            let nw = nw
                .as_table()
                .ok_or_else(|| ie("noisy_weights must be a table".into()))?;
            let levels = match nw.get("levels") {
                Some(Value::Array(l)) => l
                    .iter()
                    .map(|x| {
                        x.as_integer()
                            .filter(|i| *i >= 1 && *i < 1000)
                            .map(|i| i as u32)
                    })
                    .collect::<Option<Vec<u32>>>()
                    .ok_or_else(|| ie("levels must be positive integers".into()))?,
                _ => return Err(ie("noisy_weights needs 'levels'".into())),
            };
            let noise = get_num(nw, "noise").map_err(ie)?.unwrap_or(0.25);
            let replications = match nw.get("replications") {
                None => 100,
                Some(Value::Integer(r)) if *r >= 1 && *r <= 1_000_000 => *r as usize,
                Some(v) => {
                    return Err(ie(format!(
                        "replications must be in 1..=1000000, found {v}"
                    )))
                }
            };
            if !steps.iter().any(|s| matches!(s, Step::Aggregate { .. })) {
                return Err(ie("noisy weights need an 'aggregate' step".into()));
            }
            InputKind::NoisyWeights {
                levels,
                noise,
                replications,
            }
        } else if let Some(alts) = t.get("alternatives") {
            let alts = alts
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|v| v.as_table().cloned())
                        .collect::<Option<Vec<_>>>()
                })
                .filter(|a| !a.is_empty())
                .ok_or_else(|| ie("alternatives must be a non-empty array of tables".into()))?;
            let step = step_idx()?;
            for alt in &alts {
                let mut full = alt.clone();
                full.insert("op".into(), Value::String(steps[step].op().into()));
                Step::from_table(&full).map_err(|m| ie(format!("alternative: {m}")))?;
            }
            InputKind::Alternatives {
                step,
                alternatives: alts,
            }
        } else {
            let step = step_idx()?;
            let param = get_str(t, "param")
                .map_err(ie)?
                .ok_or_else(|| ie("missing 'param'".into()))?;
            if let Some(vals) = t.get("values") {
                let values = vals
                    .as_array()
                    .filter(|a| !a.is_empty())
                    .cloned()
                    .ok_or_else(|| ie("values must be a non-empty array".into()))?;
                InputKind::Values {
                    step,
                    param,
                    values,
                }
            } else if let Some(d) = t.get("distribution") {
                let lohi = d
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((as_num(&a[0])?, as_num(&a[1])?)))
                    .filter(|(lo, hi)| hi > lo)
                    .ok_or_else(|| ie("distribution must be [lo, hi] with hi > lo".into()))?;
                InputKind::Continuous {
                    step,
                    param,
                    lo: lohi.0,
                    hi: lohi.1,
                }
            } else {
                return Err(ie(
                    "give 'values', 'distribution', 'alternatives' or 'noisy_weights'".into(),
                ));
            }
        };
        inputs.push(Input { name, kind });
    }
    if inputs.is_empty() {
        return Err(e("no [[analysis.input]]".into()));
    }
    if kind == AnalysisKind::Sensitivity && inputs.len() < 2 {
        return Err(e("a sensitivity analysis needs at least two inputs".into()));
    }
    Ok(AnalysisSpec {
        kind,
        n,
        seed,
        target,
        bootstrap,
        inputs,
    })
}
