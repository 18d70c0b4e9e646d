//! The collection («сборник») of a competition's results through the real server, on both
//! databases: refused before the results are published (409), in an unknown language (422) and
//! to a city (403); then made by its job, downloaded as the stored PDF and read back as a reader
//! would — the title, the contents by nomination with page numbers, each awarded solution (and
//! not the entry without an award), the index of cities, and a solution page's QR code, which
//! opens that solution's public page. The demo's collection is there at its first start.
use super::competition::person;
use super::seed_cities;
use crate::support::{api_get, api_post, client, content_type, spawn_app, spawn_empty_app};
use crate::support::{unescape, TestApp};
use crate::training::documents::{pdf_text, qr_codes_on};
use megapolis_catalogue::competition::{CompetitionInput, EntryInput, EntryStep, Step};
use megapolis_catalogue::evaluation::Award;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// (nomination, city, title RU, title EN, used by, award)
type TestEntry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<Award>,
);

const ENTRIES: [TestEntry; 4] = [
    (
        "Умный транспорт",
        "minsk",
        "Адаптивные светофоры",
        "Adaptive traffic lights",
        &["moscow"],
        Some(Award::Winner),
    ),
    (
        "Умный транспорт",
        "moscow",
        "Парковки по расписанию",
        "Scheduled parking",
        &[],
        Some(Award::Laureate),
    ),
    (
        "Открытый город",
        "minsk",
        "Бюджет для граждан",
        "Budget for citizens",
        &[],
        Some(Award::Laureate),
    ),
    (
        "Открытый город",
        "moscow",
        "Реестр без награды",
        "A register without an award",
        &[],
        None,
    ),
];

fn entry(&(nomination, city, title_ru, title_en, used_by, _): &TestEntry) -> EntryInput {
    serde_json::from_value(json!({
        "nomination": nomination, "city": city, "title_ru": title_ru, "title_en": title_en,
        "summary_ru": format!("{title_ru}: краткое описание."), "summary_en": format!("{title_en}: a summary."),
        "problem": "Пробки в час пик", "results": "Время в пути −18 % на 40 перекрёстках",
        "technologies": ["Python", "PostgreSQL"], "hardware": ["детекторы"], "licence": "MIT",
        "url": "https://solution.example", "contacts": "ito@city.example", "used_by": used_by
    }))
    .expect("an entry")
}

/// A competition decided by its jury (not yet published): its id and its entries' ids.
async fn decided(app: &TestApp) -> (i64, Vec<i64>) {
    seed_cities(app).await;
    let (_chair, _) = person(app, "body-member", "", Some(("jury-2026", "chair"))).await;
    let mut experts = Vec::new();
    for _ in 0..3 {
        experts.push(person(app, "expert", "", None).await.0);
    }
    let store = app.store.competitions();
    let call: CompetitionInput = serde_json::from_value(json!({
        "title_ru": "Конкурс лучших решений 2026", "title_en": "Best solutions 2026", "year": 2026,
        "nominations": ["Умный транспорт", "Открытый город"],
        "criteria": [{"name_ru": "Результаты", "name_en": "Results", "weight": 1,
                      "anchors_ru": ["1", "2", "3", "4", "5"]}],
        "submission_deadline": "2100-03-01", "evaluation_deadline": "2100-04-01", "results_on": "2100-04-15",
        "jury_body": "jury-2026"
    }))
    .expect("a call");
    let id = store
        .create("tests", &call.check().expect("valid"))
        .await
        .expect("saved");
    let competition = store.get(id).await.expect("read").expect("saved");
    for nomination in &competition.nominations {
        store
            .assign_experts("tests", id, nomination.id, &experts)
            .await
            .expect("experts");
    }
    store.step("tests", id, Step::Open).await.expect("open");
    // The Secretariat enters and screens every entry.
    let (secretariat, _) = person(app, "secretariat", "", None).await;
    let staff = app
        .store
        .accounts()
        .person(secretariat)
        .await
        .expect("read")
        .expect("a person");
    let today = time::OffsetDateTime::now_utc().date();
    let mut ids = Vec::new();
    let mut awards = Vec::new();
    for listed in &ENTRIES {
        let draft = entry(listed).check().expect("valid");
        let entry = store
            .save_entry(&staff, id, None, &draft)
            .await
            .expect("entry");
        for step in [EntryStep::Submit, EntryStep::Screen { eligible: true }] {
            store
                .entry_step(&staff, entry, step, "", today)
                .await
                .expect("a step");
        }
        if let Some(award) = listed.5 {
            awards.push((entry, award));
        }
        ids.push(entry);
    }
    store
        .step("tests", id, Step::StartEvaluation)
        .await
        .expect("evaluation");
    store
        .decide("tests", id, &awards, "Протокол жюри")
        .await
        .expect("decided");
    (id, ids)
}

/// Asks for the collection in `lang` and follows its job until it is done.
async fn make(app: &TestApp, token: &str, competition: i64, lang: &str) -> Value {
    let path = format!("/api/v1/competitions/{competition}/collection");
    let (status, queued) = api_post(app, token, &path, &json!({ "lang": lang })).await;
    assert_eq!(status, 202, "{queued}");
    let job = queued["job"].as_i64().expect("a job id");
    assert_eq!(queued["url"], format!("/api/v1/jobs/{job}"));
    let started = Instant::now();
    loop {
        let (status, answer) = api_get(app, Some(token), &format!("/api/v1/jobs/{job}")).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["kind"], "catalogue-collection");
        match answer["state"].as_str() {
            Some("done") => return answer,
            Some("failed") => panic!("the collection failed: {answer}"),
            _ => {}
        }
        assert!(answer["error"].is_null(), "an attempt failed: {answer}");
        assert!(started.elapsed() < Duration::from_secs(120), "{answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn download(app: &TestApp, competition: i64, lang: &str) -> reqwest::Response {
    client()
        .get(app.url(&format!(
            "/api/v1/competitions/{competition}/collection.pdf?lang={lang}"
        )))
        .send()
        .await
        .expect("GET")
}

/// The text with its runs of spaces made one, as a reader reads it.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_collection_is_made_by_a_job_stored_and_read_back_with_its_qr_codes() {
    let app = spawn_empty_app().await;
    let (id, entries) = decided(&app).await;
    let (_, token) = person(&app, "secretariat", "", None).await;
    let path = format!("/api/v1/competitions/{id}/collection");

    // Refusals: results not published, a language it is not made in, a city's representative.
    let (status, body) = api_post(&app, &token, &path, &json!({ "lang": "ru" })).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "wrong_stage");
    app.store
        .competitions()
        .publish("tests", id)
        .await
        .expect("published");
    for lang in ["de", ""] {
        let (status, body) = api_post(&app, &token, &path, &json!({ "lang": lang })).await;
        assert_eq!(status, 422, "{lang:?}: {body}");
        assert!(body["error"].as_str().expect("a message").contains("lang"));
    }
    let (_, city_token) = person(&app, "city-rep", "minsk", None).await;
    let (status, _) = api_post(&app, &city_token, &path, &json!({ "lang": "ru" })).await;
    assert_eq!(status, 403);
    let missing = download(&app, id, "ru").await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.expect("JSON");
    assert_eq!(body["code"], "not_made", "{body}");
    assert!(body["error"]
        .as_str()
        .expect("a message")
        .contains("not been made"));

    // Made by its job and stored.
    let done = make(&app, &token, id, "ru").await;
    assert_eq!(done["result"]["solutions"], 3, "{done}");
    let response = download(&app, id, "ru").await;
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/pdf");
    let pdf = response.bytes().await.expect("body").to_vec();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(
        done["result"]["size"].as_u64(),
        Some(pdf.len() as u64),
        "the download is the stored PDF"
    );
    if let Some(text) = pdf_text(&pdf) {
        let read = flat(&text);
        for expected in [
            "Конкурс лучших решений 2026",
            "2026",
            "Содержание",
            "Умный транспорт",
            "Открытый город",
            "Адаптивные светофоры",
            "Парковки по расписанию",
            "Бюджет для граждан",
            "Победитель",
            "Лауреат",
            "Указатель городов",
            "Минск",
            "Москва",
            "Время в пути −18 % на 40 перекрёстках",
        ] {
            assert!(read.contains(expected), "{expected:?} in: {read}");
        }
        assert!(
            !read.contains("Реестр без награды"),
            "no award, not in the book"
        );
        // The contents and the index give page numbers: the winner opens page 3.
        let numbered = text
            .lines()
            .filter(|l| l.contains("Адаптивные светофоры"))
            .filter(|l| l.trim_end().ends_with(" 3") || l.trim_end().ends_with(".3"))
            .count();
        assert!(numbered >= 2, "contents and index name page 3: {text}");
        let index = &read[read.rfind("Указатель городов").expect("the index")..];
        let moscow = &index[index.find("Москва").expect("Moscow in the index")..];
        assert!(
            moscow.contains("Адаптивные светофоры (использует)"),
            "Moscow uses Minsk's winner: {index}"
        );
    }
    // The winner's page (3: after the title page and the contents) holds its page's address.
    if let Some(codes) = qr_codes_on(&pdf, 3) {
        let solution = app
            .store
            .competitions()
            .entry(entries[0])
            .await
            .expect("read")
            .and_then(|e| e.solution_id)
            .expect("published as a solution");
        let expected = app.url(&format!("/catalogue/{solution}"));
        assert_eq!(codes, vec![expected.clone()], "the QR code's address");
        let page = client().get(&expected).send().await.expect("GET");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("page");
        assert!(
            html.contains("Адаптивные светофоры"),
            "the QR code opens it"
        );
    }

    // In English, and both are offered on the competition's page.
    make(&app, &token, id, "en").await;
    let english = download(&app, id, "en").await;
    assert_eq!(english.status(), 200);
    let pdf = english.bytes().await.expect("body").to_vec();
    if let Some(text) = pdf_text(&pdf) {
        let read = flat(&text);
        for expected in [
            "Best solutions 2026",
            "Contents",
            "Adaptive traffic lights",
            "Index of cities",
            "Moscow",
        ] {
            assert!(read.contains(expected), "{expected:?} in: {read}");
        }
    }
    let page = client()
        .get(app.url(&format!("/competitions/{id}")))
        .send()
        .await
        .expect("GET");
    let html = unescape(&page.text().await.expect("page"));
    for lang in ["ru", "en"] {
        assert!(
            html.contains(&format!(
                "/api/v1/competitions/{id}/collection.pdf?lang={lang}"
            )),
            "{lang} offered"
        );
    }
    assert!(
        !html.contains("id=\"collection-form\""),
        "the public makes none"
    );

    // Making it again replaces the stored one, and the audit log says so.
    make(&app, &token, id, "ru").await;
    assert_eq!(
        app.store
            .competitions()
            .collections(id)
            .await
            .expect("read")
            .len(),
        2
    );
    let filter = megapolis_storage::audit::AuditFilter {
        entity: "competition".into(),
        entity_id: id.to_string(),
        limit: 100,
        ..Default::default()
    };
    let replaced = app
        .store
        .audit()
        .records(&filter)
        .await
        .expect("the audit log")
        .into_iter()
        .filter(|r| r.entry.action == "replace-collection")
        .count();
    assert_eq!(replaced, 1);
}

#[tokio::test]
async fn the_demo_collection_is_made_at_first_start() {
    let app = spawn_app().await;
    for lang in ["ru", "en"] {
        let response = download(&app, 1, lang).await;
        assert_eq!(response.status(), 200, "the demo's collection in {lang}");
        let pdf = response.bytes().await.expect("body");
        assert!(pdf.starts_with(b"%PDF"));
    }
    let staff = app.login_as("secretariat").await;
    let html = unescape(
        &app.get(&staff, "/competitions/1")
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(
        html.contains("id=\"collection-form\""),
        "the Secretariat may make it again"
    );
    assert!(html.contains("/api/v1/competitions/1/collection.pdf?lang=en"));
}
