//! Plain benchmark harness (`cargo bench -p megapolis-index`): prints wall-clock figures for
//! the ASEM full build, the ASEM sensitivity analysis of the spec at N = 100 and N = 1000, and the
//! synthetic 2,000 units × 200 indicators × 4 levels build and sensitivity analysis at N = 10,000
//! (override with `INDEX_BENCH_LARGE_N`; skip it with `INDEX_BENCH_SKIP_LARGE=1`).
use std::path::Path;
use std::time::Instant;

use megapolis_index::model::{Framework, MetaRow, MetaType, UnitData};
use megapolis_index::spec::BuildSpec;
use megapolis_index::{analysis, io, pipeline, sensitivity};
use rand::{Rng, SeedableRng};

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn with_n(spec: &BuildSpec, n: usize) -> BuildSpec {
    let mut s = spec.clone();
    if let Some(a) = s.analysis.as_mut() {
        a.n = n;
    }
    s
}

/// Synthetic framework: `n_ind` indicators, pillars of 10, sub-indices of 5 pillars, one index.
pub fn synthetic(n_units: usize, n_ind: usize, seed: u64) -> (Framework, UnitData) {
    let mut rows = Vec::new();
    let n_pil = n_ind / 10;
    let n_sub = n_pil.div_ceil(5);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mk = |row, level, code: String, parent: Option<String>, kind, dir: f64| MetaRow {
        row,
        level: Some(level),
        name: code.clone(),
        code,
        direction: Some(dir),
        weight: Some(1.0),
        unit: String::new(),
        target: None,
        denominator: None,
        parent,
        kind,
    };
    for i in 0..n_ind {
        let dir = if i % 4 == 3 { -1.0 } else { 1.0 };
        rows.push(mk(
            rows.len() + 2,
            1,
            format!("I{i:03}"),
            Some(format!("P{:02}", i / 10)),
            MetaType::Indicator,
            dir,
        ));
    }
    for p in 0..n_pil {
        rows.push(mk(
            rows.len() + 2,
            2,
            format!("P{p:02}"),
            Some(format!("S{}", p / 5)),
            MetaType::Aggregate,
            1.0,
        ));
    }
    for s in 0..n_sub {
        rows.push(mk(
            rows.len() + 2,
            3,
            format!("S{s}"),
            Some("Index".into()),
            MetaType::Aggregate,
            1.0,
        ));
    }
    rows.push(mk(
        rows.len() + 2,
        4,
        "Index".into(),
        None,
        MetaType::Aggregate,
        1.0,
    ));
    rows.push(MetaRow {
        level: None,
        direction: None,
        weight: None,
        parent: None,
        ..mk(
            rows.len() + 2,
            1,
            "Region".into(),
            None,
            MetaType::Group,
            1.0,
        )
    });
    let fw = Framework::new(&rows, "synthetic").expect("framework");
    let mut d = UnitData {
        ucode: (0..n_units).map(|u| format!("U{u:04}")).collect(),
        uname: vec![String::new(); n_units],
        ..Default::default()
    };
    let latent: Vec<f64> = (0..n_units).map(|_| rng.random::<f64>()).collect();
    for i in 0..n_ind {
        let skewed = i % 5 == 0;
        let col: Vec<f64> = (0..n_units)
            .map(|u| {
                if rng.random::<f64>() < 0.03 {
                    return f64::NAN;
                }
                let v = 0.6 * latent[u] + 0.4 * rng.random::<f64>();
                if skewed {
                    (4.0 * v).exp()
                } else {
                    10.0 + 90.0 * v
                }
            })
            .collect();
        d.numeric.insert(format!("I{i:03}"), col);
    }
    d.groups.insert(
        "Region".into(),
        (0..n_units)
            .map(|u| Some(["A", "B", "C", "D"][u % 4].to_string()))
            .collect(),
    );
    (fw, d)
}

const LARGE_SPEC: &str = r#"
[[step]]
op = "impute"
method = "mean_group"
group = "Region"
[[step]]
op = "screen"
dat_thresh = 0.9
[[step]]
op = "treat"
winmax = 5
[[step]]
op = "normalise"
method = "minmax"
l_u = [0, 100]
[[step]]
op = "aggregate"
method = "amean"
[analysis]
kind = "sensitivity"
n = 10000
seed = 1
target = "Index"
bootstrap = 100
[[analysis.input]]
name = "Winmax"
step = "treat"
param = "winmax"
values = [1, 2, 3, 4, 5]
[[analysis.input]]
name = "Normalisation"
step = "normalise"
alternatives = [ { method = "minmax", l_u = [1, 100] }, { method = "zscore", m_sd = [100, 10] } ]
[[analysis.input]]
name = "Weights"
noisy_weights = { levels = [2, 3], noise = 0.25, replications = 100 }
[[analysis.input]]
name = "Aggregation"
step = "aggregate"
alternatives = [ { method = "amean" }, { method = "gmean" } ]
"#;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asem");
    let quiet = |_: usize, _: usize| {};
    let t = Instant::now();
    let fw = io::load_meta(&dir.join("ASEM_iMeta.csv")).expect("meta");
    let data = io::load_data(&dir.join("ASEM_iData.csv"), &fw).expect("data");
    let spec = io::load_spec(&dir.join("full_sensitivity.toml")).expect("spec");
    let t_load = t.elapsed();
    let reps = 50;
    let t = Instant::now();
    for _ in 0..reps {
        let b = pipeline::build(&fw, &data, &spec).expect("build");
        std::hint::black_box(pipeline::results(&fw, &b));
    }
    let t_build = t.elapsed() / reps;
    let t = Instant::now();
    let b = pipeline::build(&fw, &data, &spec).expect("build");
    std::hint::black_box(analysis::analyse(&fw, b.last(), 0.9));
    let t_an = t.elapsed();
    println!(
        "ASEM load (iMeta+iData+spec): {:.2} ms",
        t_load.as_secs_f64() * 1e3
    );
    println!("ASEM full build (denominate, impute, screen, treat, normalise, aggregate + results): {:.3} ms (mean of {reps})", t_build.as_secs_f64() * 1e3);
    println!(
        "ASEM analysis (correlations, alpha, PCA, availability): {:.2} ms",
        t_an.as_secs_f64() * 1e3
    );
    for n in [100, 1000] {
        let s = with_n(&spec, n);
        let t = Instant::now();
        let r =
            sensitivity::run(&fw, &data, &s, &sensitivity::Options::default(), &quiet).expect("sa");
        let el = t.elapsed().as_secs_f64();
        let coinr = if n == 100 { 81.0 } else { 1140.0 };
        println!(
            "ASEM sensitivity N={n}: {} runs in {:.3} s ({:.1} µs/run, {} failed) — COINr {coinr} s, {:.0}x",
            r.outputs.len(),
            el,
            el * 1e6 / r.outputs.len() as f64,
            r.failed_runs,
            coinr / el
        );
        let t1 = Instant::now();
        sensitivity::run(
            &fw,
            &data,
            &s,
            &sensitivity::Options { threads: Some(1) },
            &quiet,
        )
        .expect("sa");
        println!(
            "ASEM sensitivity N={n} on 1 thread: {:.3} s",
            t1.elapsed().as_secs_f64()
        );
    }
    if std::env::var("INDEX_BENCH_SKIP_LARGE").is_ok() {
        return;
    }
    let n_large: usize = std::env::var("INDEX_BENCH_LARGE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let t = Instant::now();
    let (fw, data) = synthetic(2000, 200, 7);
    println!(
        "synthetic data generation: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let spec = with_n(&BuildSpec::parse(LARGE_SPEC).expect("spec"), n_large);
    let t = Instant::now();
    let b = pipeline::build(&fw, &data, &spec).expect("build");
    std::hint::black_box(pipeline::results(&fw, &b));
    println!(
        "synthetic 2000x200x4 build: {:.3} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let r =
        sensitivity::run(&fw, &data, &spec, &sensitivity::Options::default(), &quiet).expect("sa");
    let el = t.elapsed().as_secs_f64();
    println!(
        "synthetic sensitivity N={n_large}: {} runs in {:.2} s ({:.1} µs/run, {} failed); peak RSS {:.0} MiB",
        r.outputs.len(),
        el,
        el * 1e6 / r.outputs.len() as f64,
        r.failed_runs,
        peak_rss_mib()
    );
}
