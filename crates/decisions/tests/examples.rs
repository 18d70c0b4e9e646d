//! The shared examples: each `*.txt` parses to its `*.expected.json` (as JSON values).
use std::path::{Path, PathBuf};

use megapolis_decisions::{default_bodies, parse, parse_bodies_csv, Body};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn check_folder(dir: &Path, bodies: &[Body]) -> usize {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the examples folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    for txt in &entries {
        let text = std::fs::read_to_string(txt).expect("read example");
        let expected_path = txt.with_extension("expected.json");
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path).expect("read expected JSON"),
        )
        .expect("expected JSON parses");
        let decision = parse(&text, bodies).expect("example parses");
        let actual = decision.to_spec_json();
        if actual != expected {
            failures.push(format!(
                "{}\n{}",
                txt.display(),
                differences(&expected, &actual, "")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    entries.len()
}

#[test]
fn fixture_examples_match_expected_json() {
    let n = check_folder(&fixtures(), &default_bodies());
    assert_eq!(n, 3);
}

/// The shared folder of the repository, when it is there: every example in it must pass,
/// including ones added after this crate was written.
#[test]
fn shared_examples_match_expected_json() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/examples/decisions");
    if !shared.is_dir() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let csv = std::fs::read_to_string(shared.join("bodies.csv")).expect("read bodies.csv");
    let bodies = parse_bodies_csv(&csv).expect("bodies.csv is valid");
    check_folder(&shared, &bodies);
}

/// The paths where two JSON values differ, with both sides.
fn differences(expected: &serde_json::Value, actual: &serde_json::Value, path: &str) -> String {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .map(|k| {
                    differences(
                        e.get(k).unwrap_or(&Value::Null),
                        a.get(k).unwrap_or(&Value::Null),
                        &format!("{path}.{k}"),
                    )
                })
                .collect()
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .map(|(i, (e, a))| differences(e, a, &format!("{path}[{i}]")))
            .collect(),
        _ if expected == actual => String::new(),
        _ => format!("  {path}\n    expected: {expected}\n    actual:   {actual}\n"),
    }
}
