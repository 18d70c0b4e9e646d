//! THE acceptance test: the ASEM pair with normalise(minmax, [0,100]) then aggregate(amean)
//! reproduces COINr's scores and ranks to 1e-9.
use std::path::{Path, PathBuf};

use megapolis_index::{io, pipeline};

fn fixture_dirs() -> Vec<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = vec![here.join("tests/fixtures/asem")];
    // the shared copy, when the repository sits next to ../shared
    for up in [
        here.join("../../../shared/examples/index/asem"),
        PathBuf::from("/work/shared/examples/index/asem"),
    ] {
        if up.join("ASEM_iData.csv").exists()
            && !v
                .iter()
                .any(|p| p.canonicalize().ok() == up.canonicalize().ok())
        {
            v.push(up);
        }
    }
    v
}

fn read_table(p: &Path) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let mut rd = csv::Reader::from_path(p).expect("read expected");
    let h: Vec<String> = rd
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    let rows = rd
        .records()
        .map(|r| {
            let r = r.expect("record");
            (
                r[0].to_string(),
                r.iter().skip(1).map(String::from).collect(),
            )
        })
        .collect();
    (h, rows)
}

fn check(dir: &Path, out: &Path) {
    let fw = io::load_meta(&dir.join("ASEM_iMeta.csv")).expect("meta");
    let data = io::load_data(&dir.join("ASEM_iData.csv"), &fw).expect("data");
    let spec = io::load_spec(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/asem/minmax_amean.toml"),
    )
    .expect("spec");
    let built = pipeline::build(&fw, &data, &spec).expect("build");
    let res = pipeline::results(&fw, &built);
    io::write_build(out, &fw, &built, &res, None).expect("write");
    for (name, tol) in [("scores", 1e-9), ("ranks", 0.0)] {
        let (eh, erows) = read_table(&dir.join(format!("expected_minmax_amean_{name}.csv")));
        let (gh, grows) = read_table(&out.join(format!("{name}.csv")));
        // our files carry a Rank column in both; compare by column name
        let eh_cols: Vec<&String> = eh.iter().skip(1).collect();
        let gh_cols: Vec<&String> = gh.iter().skip(1).collect();
        for c in &eh_cols {
            assert!(gh_cols.contains(c), "{name}: column {c} missing");
        }
        assert_eq!(
            gh_cols.iter().filter(|c| **c != "Rank").collect::<Vec<_>>(),
            eh_cols.iter().filter(|c| **c != "Rank").collect::<Vec<_>>(),
            "{name}: column order"
        );
        assert_eq!(erows.len(), grows.len());
        for (u, ev) in &erows {
            let (_, gv) = grows
                .iter()
                .find(|(g, _)| g == u)
                .unwrap_or_else(|| panic!("unit {u} missing"));
            for (k, c) in eh_cols.iter().enumerate() {
                let gk = gh_cols.iter().position(|x| x == c).expect("col");
                let (e, g) = (&ev[k], &gv[gk]);
                if e.is_empty() || e == "NA" {
                    assert!(g.is_empty(), "{name} {u} {c}: expected missing, got {g}");
                    continue;
                }
                let (e, g): (f64, f64) = (e.parse().expect("num"), g.parse().unwrap_or(f64::NAN));
                if name == "ranks" && e != g {
                    // A tie to 1e-9 in the scores that COINr broke on digits beyond the 15 the CSV
                    // carries (one case in ASEM: GRC/BGR/CZE on TolMin, all 5.1 in iData.csv).
                    // Accept the expected rank only if it lies inside our tie group.
                    let (sh, srows) = read_table(&dir.join("expected_minmax_amean_scores.csv"));
                    let j = sh.iter().skip(1).position(|x| x == *c).expect("score col");
                    let score = |row: &Vec<String>| row[j].parse::<f64>().unwrap_or(f64::NAN);
                    let su = score(&srows.iter().find(|r| &r.0 == u).expect("unit").1);
                    let group = srows
                        .iter()
                        .filter(|r| (score(&r.1) - su).abs() <= 1e-9 * su.abs().max(1.0))
                        .count();
                    assert!(
                        g <= e && e <= g + group as f64 - 1.0,
                        "{name} {u} {c}: expected {e}, got {g} (tie group of {group})"
                    );
                    eprintln!("note: {u} {c}: COINr rank {e} within our tie group starting at {g} (size {group})");
                    continue;
                }
                assert!(
                    (e - g).abs() <= tol * e.abs().max(1.0),
                    "{name} {u} {c}: expected {e}, got {g}"
                );
            }
        }
        // row order: sorted by Index, descending, as the expected file
        let eu: Vec<&String> = erows.iter().map(|r| &r.0).collect();
        let gu: Vec<&String> = grows.iter().map(|r| &r.0).collect();
        assert_eq!(eu, gu, "{name}: row order");
    }
}

#[test]
fn asem_minmax_amean_reproduces_coinr() {
    for (k, dir) in fixture_dirs().iter().enumerate() {
        let out =
            std::env::temp_dir().join(format!("megapolis-index-asem-{}-{k}", std::process::id()));
        check(dir, &out);
        let _ = std::fs::remove_dir_all(&out);
    }
}
