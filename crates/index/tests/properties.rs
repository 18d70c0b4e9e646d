//! Property tests of the build.
use megapolis_index::model::{Framework, MetaRow, MetaType, UnitData};
use megapolis_index::{pipeline, spec::BuildSpec, stats};
use proptest::prelude::*;

fn framework(weights: &[f64; 4]) -> Framework {
    let ind = |k: usize, parent: &str| MetaRow {
        row: k + 2,
        level: Some(1),
        code: format!("i{k}"),
        name: String::new(),
        direction: Some(if k == 2 { -1.0 } else { 1.0 }),
        weight: Some(weights[k]),
        unit: String::new(),
        target: None,
        denominator: None,
        parent: Some(parent.into()),
        kind: MetaType::Indicator,
    };
    let agg = |row: usize, code: &str, level: u32, parent: Option<&str>, w: f64| MetaRow {
        row,
        level: Some(level),
        code: code.into(),
        name: String::new(),
        direction: Some(1.0),
        weight: Some(w),
        unit: String::new(),
        target: None,
        denominator: None,
        parent: parent.map(String::from),
        kind: MetaType::Aggregate,
    };
    let rows = vec![
        ind(0, "P1"),
        ind(1, "P1"),
        ind(2, "P2"),
        ind(3, "P2"),
        agg(6, "P1", 2, Some("Index"), 2.0 * weights[0]),
        agg(7, "P2", 2, Some("Index"), weights[1]),
        agg(8, "Index", 3, None, 1.0),
    ];
    Framework::new(&rows, "memory").expect("framework")
}

fn data(cols: &[Vec<f64>]) -> UnitData {
    let n = cols[0].len();
    let mut d = UnitData {
        ucode: (0..n).map(|i| format!("U{i}")).collect(),
        uname: vec![String::new(); n],
        ..Default::default()
    };
    for (k, c) in cols.iter().enumerate() {
        d.numeric.insert(format!("i{k}"), c.clone());
    }
    d
}

fn index_ranks(fw: &Framework, d: &UnitData, norm: &str, agg: &str) -> Vec<f64> {
    let spec = BuildSpec::parse(&format!(
        "[[step]]\nop = \"normalise\"\n{norm}\n[[step]]\nop = \"aggregate\"\nmethod = \"{agg}\"\n"
    ))
    .expect("spec");
    let b = pipeline::build(fw, d, &spec).expect("build");
    stats::rank_desc_min(b.last().col("Index").expect("Index"))
}

fn cols_strategy() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (3usize..25)
        .prop_flat_map(|n| proptest::collection::vec(proptest::collection::vec(-1e3f64..1e3, n), 4))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A strictly increasing transform of one indicator never changes the ranking under rank normalisation.
    #[test]
    fn monotone_transform_keeps_rank_normalised_ranking(cols in cols_strategy(), which in 0usize..4) {
        let fw = framework(&[1.0, 1.0, 1.0, 1.0]);
        let before = index_ranks(&fw, &data(&cols), "method = \"rank\"", "amean");
        let mut t = cols.clone();
        t[which] = t[which].iter().map(|x| (x / 100.0).exp() * 3.0 + x.powi(3)).collect();
        let after = index_ranks(&fw, &data(&t), "method = \"rank\"", "amean");
        prop_assert_eq!(before, after);
    }

    /// Multiplying all weights by the same factor changes nothing.
    #[test]
    fn scaling_weights_changes_nothing(cols in cols_strategy(), k in 0.01f64..100.0, w in proptest::array::uniform4(0.1f64..5.0)) {
        let d = data(&cols);
        let spec = BuildSpec::parse("[[step]]\nop = \"normalise\"\nl_u = [1, 100]\n[[step]]\nop = \"aggregate\"\n").expect("spec");
        let a = pipeline::build(&framework(&w), &d, &spec).expect("build");
        let ws = [w[0] * k, w[1] * k, w[2] * k, w[3] * k];
        let b = pipeline::build(&framework(&ws), &d, &spec).expect("build");
        let (x, y) = (a.last().col("Index").expect("i"), b.last().col("Index").expect("i"));
        for (p, q) in x.iter().zip(y) {
            prop_assert!((p - q).abs() <= 1e-9 * p.abs().max(1.0), "{} vs {}", p, q);
        }
    }

    /// All-equal data gives all units tied (rank 1) under every aggregation.
    #[test]
    fn all_equal_data_gives_ties(n in 2usize..30, v in 1.0f64..100.0, agg in prop::sample::select(vec!["amean", "gmean", "hmean", "median", "copeland"])) {
        let fw = framework(&[1.0, 2.0, 3.0, 4.0]);
        let cols = vec![vec![v; n]; 4];
        // ranks of equal values are all 1 (minmax of a constant is undefined, so use rank + 1)
        let spec = BuildSpec::parse(&format!("[[step]]\nop = \"aggregate\"\nmethod = \"{agg}\"\n")).expect("spec");
        let b = pipeline::build(&fw, &data(&cols), &spec).expect("build");
        let r = stats::rank_desc_min(b.last().col("Index").expect("Index"));
        prop_assert!(r.iter().all(|x| *x == 1.0), "{:?}", r);
        let r2 = index_ranks(&fw, &data(&cols), "method = \"rank\"", agg);
        prop_assert!(r2.iter().all(|x| *x == 1.0));
    }
}
