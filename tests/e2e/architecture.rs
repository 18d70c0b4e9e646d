//! The dependency rules of ARCHITECTURE.md, checked against `cargo metadata`, and the OpenAPI
//! document against its snapshot, so an API change is always a visible diff.
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

/// The pure crates: model, rules, state machines, documents. No async runtime, no HTTP, no SQL.
const DOMAIN_CRATES: &[&str] = &[
    "megapolis-domain",
    "megapolis-assignments",
    "megapolis-decisions",
    "megapolis-index",
    "megapolis-documents",
    "megapolis-reports",
    "megapolis-monitoring",
    "megapolis-catalogue",
    "megapolis-consultations",
    "megapolis-events",
    "megapolis-training",
];
const RUNTIME_HTTP_SQL: &[&str] = &[
    "tokio",
    "axum",
    "tower",
    "tower-http",
    "hyper",
    "reqwest",
    "sqlx",
    "lettre",
    "minijinja",
];
const LAYERS: &[&str] = &["megapolis-storage", "megapolis-web", "megapolis"];

/// Each workspace crate with the names of its normal (non-dev) dependencies.
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| {
            let deps = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].is_null())
                .filter_map(|d| d["name"].as_str().map(str::to_string))
                .collect();
            (
                package["name"].as_str().unwrap_or_default().to_string(),
                deps,
            )
        })
        .collect()
}

#[test]
fn domain_crates_depend_on_no_runtime_http_or_sql_and_no_layer() {
    let all = dependencies();
    for name in DOMAIN_CRATES {
        let deps = all
            .get(*name)
            .unwrap_or_else(|| panic!("{name} is a workspace crate"));
        for dep in deps {
            assert!(
                !RUNTIME_HTTP_SQL.contains(&dep.as_str()) && !LAYERS.contains(&dep.as_str()),
                "{name} depends on {dep}: domain crates stay free of runtime, HTTP, SQL and the layers above them"
            );
        }
    }
    let listed: Vec<&String> = all
        .keys()
        .filter(|k| !DOMAIN_CRATES.contains(&k.as_str()) && !LAYERS.contains(&k.as_str()))
        .collect();
    assert!(
        listed.is_empty(),
        "crates with no rule in ARCHITECTURE.md: {listed:?}"
    );
}

#[test]
fn only_storage_speaks_sql_and_web_reaches_it_through_storage() {
    for (name, deps) in dependencies() {
        if name != "megapolis-storage" {
            assert!(!deps.iter().any(|d| d == "sqlx"), "{name} depends on sqlx");
        }
    }
    let all = dependencies();
    assert!(all["megapolis-web"]
        .iter()
        .any(|d| d == "megapolis-storage"));
    assert!(!all["megapolis-storage"]
        .iter()
        .any(|d| d == "megapolis-web"));
}

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/e2e/snapshots/openapi.json"
    );
    let current = serde_json::to_string_pretty(&megapolis_web::openapi_document())
        .expect("the document serialises")
        + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &current).expect("the snapshot is written");
        return;
    }
    let recorded = std::fs::read_to_string(path).unwrap_or_default();
    if recorded != current {
        let first_difference = recorded
            .lines()
            .zip(current.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(line, (a, b))| format!("line {}: recorded {a:?}, now {b:?}", line + 1))
            .unwrap_or_else(|| "one document is longer".into());
        panic!(
            "the API changed ({first_difference}); review the change and record it with \
             UPDATE_SNAPSHOTS=1 cargo test --test e2e architecture"
        );
    }
}
