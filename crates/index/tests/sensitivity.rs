//! The analysis of the spec's example on ASEM: runs, and gives identical output for 1 and 2 threads.
use std::path::Path;

use megapolis_index::{io, pipeline, sensitivity};

#[test]
fn asem_sensitivity_is_deterministic_across_thread_counts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asem");
    let fw = io::load_meta(&dir.join("ASEM_iMeta.csv")).expect("meta");
    let data = io::load_data(&dir.join("ASEM_iData.csv"), &fw).expect("data");
    let mut spec = io::load_spec(&dir.join("full_sensitivity.toml")).expect("spec");
    if let Some(a) = spec.analysis.as_mut() {
        a.n = 200;
    }
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let cb = |_: usize, _: usize| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let one = sensitivity::run(
        &fw,
        &data,
        &spec,
        &sensitivity::Options { threads: Some(1) },
        &cb,
    )
    .expect("1 thread");
    let two = sensitivity::run(
        &fw,
        &data,
        &spec,
        &sensitivity::Options { threads: Some(2) },
        &cb,
    )
    .expect("2 threads");
    assert!(calls.load(std::sync::atomic::Ordering::Relaxed) > 0);
    // bitwise identical, NaN included
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.outputs), bits(&two.outputs));
    assert_eq!(one.rank_stats, two.rank_stats);
    assert_eq!(format!("{:?}", one.indices), format!("{:?}", two.indices));
    assert_eq!(one.outputs.len(), 200 * (4 + 2));
    // nominal ranks are the build's ranks
    let built = pipeline::build(&fw, &data, &spec).expect("build");
    let res = pipeline::results(&fw, &built);
    for rs in &one.rank_stats {
        let i = res.units.iter().position(|u| *u == rs.unit).expect("unit");
        assert_eq!(rs.nominal, res.rank[i]);
        assert!(rs.q5 <= rs.median && rs.median <= rs.q95);
    }
    let si = one.indices.expect("indices");
    assert_eq!(si.len(), 4);
    for v in &si {
        assert!(v.sti.is_finite() && v.sti >= 0.0, "{v:?}");
        assert!(v.si_q5 <= v.si_q95 && v.sti_q5 <= v.sti_q95, "{v:?}");
    }
    // a different seed gives a different design
    let mut s2 = spec.clone();
    if let Some(a) = s2.analysis.as_mut() {
        a.seed = 2;
    }
    let other = sensitivity::run(
        &fw,
        &data,
        &s2,
        &sensitivity::Options::default(),
        &|_, _| {},
    )
    .expect("seed 2");
    assert_ne!(bits(&one.outputs), bits(&other.outputs));
}
