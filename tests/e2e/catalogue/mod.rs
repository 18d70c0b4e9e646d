//! The catalogue through the real server: the Secretariat adds solutions through the API, the
//! public searches them in Russian and English word forms with facets and filters, reads each
//! one, its `publiccode.yml`, and the whole catalogue as CSV and Turtle. Bad input is refused by
//! field, and nothing unpublished shows.
mod adoption;
mod collection;
pub(crate) mod competition;
pub(crate) mod competition_browser;
mod competition_pages;
mod morphology;
mod open_data;
mod promotion;

use crate::support::{client, content_type, spawn_app, spawn_empty_app, TestApp};
use serde_json::{json, Value};

/// Solutions written for these tests (not demo data).
fn solutions() -> Vec<Value> {
    vec![
        json!({"title_ru": "Умные светофоры", "title_en": "Smart traffic lights",
               "summary_ru": "Светофоры подстраиваются под поток машин, ёмкость перекрёстков растёт на 20 %.",
               "summary_en": "Traffic lights adapt to the flow of cars.",
               "city": "minsk", "nomination": "Умный транспорт", "year": 2024,
               "technologies": ["Python", "PostgreSQL"], "hardware": ["детекторы транспорта"],
               "licence": "MIT", "url": "https://lights.example", "published": true}),
        json!({"title_ru": "Портал открытых данных", "title_en": "",
               "summary_ru": "Город публикует наборы данных о бюджете и транспорте.",
               "city": "moscow", "nomination": "Открытый город", "year": 2023,
               "technologies": ["CKAN"], "licence": "AGPL-3.0", "published": true}),
        json!({"title_ru": "Электронная запись в детские сады", "summary_ru": "Родители записывают детей в сады через портал.",
               "city": "minsk", "nomination": "Открытый город", "year": 2024, "published": true}),
        json!({"title_ru": "Черновик решения о светофорах", "summary_ru": "Ещё не опубликовано: светофоры.",
               "city": "minsk", "nomination": "Умный транспорт", "year": 2025, "published": false}),
    ]
}

/// A published solution with id 1, for the role × route matrix.
pub(crate) async fn ensure_published_solution(app: &TestApp) {
    if app.store.catalogue().get(1).await.expect("read").is_some() {
        return;
    }
    let input: megapolis_catalogue::SolutionInput =
        serde_json::from_value(solutions()[0].clone()).expect("input");
    let id = app
        .store
        .catalogue()
        .create("tests", &input.check().expect("valid"))
        .await
        .expect("saved");
    assert_eq!(id, 1, "the first solution");
}

async fn post(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/solutions"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST")
}

async fn search(app: &TestApp, query: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .get(app.url("/api/v1/solutions/search"))
        .query(query)
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

fn hit_ids(results: &Value) -> Vec<i64> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_i64().expect("id"))
        .collect()
}

/// The cities the test solutions name, with the countries the facets count.
async fn seed_cities(app: &TestApp) {
    for (code, name_ru, name_en, country, country_ru, country_en) in [
        ("minsk", "Минск", "Minsk", "BY", "Беларусь", "Belarus"),
        ("moscow", "Москва", "Moscow", "RU", "Россия", "Russia"),
    ] {
        let city = megapolis_domain::city::CityInput {
            code: code.into(),
            name_ru: name_ru.into(),
            name_en: name_en.into(),
            country_code: country.into(),
            country_ru: country_ru.into(),
            country_en: country_en.into(),
            population: "2000000".into(),
            status: "member".into(),
            member_since: "2000-01-01".into(),
            latitude: "53.9".into(),
            longitude: "27.5".into(),
        }
        .parse()
        .expect("a city");
        app.store
            .org()
            .save_city("tests", &city)
            .await
            .expect("save the city");
    }
}

/// A catalogue of the test solutions only (no demo data, so every figure is theirs); the
/// Secretariat's token and the solutions' ids in order.
async fn filled() -> (TestApp, String, Vec<i64>) {
    let app = spawn_empty_app().await;
    seed_cities(&app).await;
    let (staff, _) = app.seed_person("secretariat", None).await;
    let token = app.api_token(&staff).await;
    let ids = add_solutions(&app, &token).await;
    (app, token, ids)
}

/// The test solutions beside the demo's (its cities and people), for the stories that need
/// them; the demo Secretariat's token and the solutions' ids in order.
async fn filled_with_demo() -> (TestApp, String, Vec<i64>) {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let ids = add_solutions(&app, &token).await;
    (app, token, ids)
}

/// Adds the test solutions through the API; their ids in order.
async fn add_solutions(app: &TestApp, token: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for solution in solutions() {
        let response = post(app, token, &solution).await;
        assert_eq!(response.status(), 201, "{solution}");
        let body: Value = response.json().await.expect("JSON");
        ids.push(body["id"].as_i64().expect("id"));
    }
    ids
}

#[tokio::test]
async fn the_public_finds_solutions_by_word_forms_with_facets() {
    let (app, _, ids) = filled().await;
    // «светофоров» (genitive plural) finds «светофоры»; the unpublished draft never shows.
    let (status, found) = search(&app, &[("q", "светофоров")]).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(hit_ids(&found), [ids[0]]);
    assert_eq!(found["hits"][0]["title"], "Умные светофоры");
    assert!(
        found["hits"][0]["snippet"]
            .as_str()
            .expect("snippet")
            .contains("<b>Светофоры</b>"),
        "{found}"
    );
    // «емкость» without the dots finds «ёмкость»; English word forms find the English text.
    assert_eq!(
        hit_ids(&search(&app, &[("q", "емкость")]).await.1),
        [ids[0]]
    );
    let (_, english) = search(&app, &[("q", "adapting lights"), ("lang", "en")]).await;
    assert_eq!(hit_ids(&english), [ids[0]]);
    assert_eq!(english["hits"][0]["title"], "Smart traffic lights");

    // Every word first: «портал данных» is the open-data portal alone.
    let (_, both) = search(&app, &[("q", "портал данных")]).await;
    assert_eq!(hit_ids(&both), [ids[1]], "{both}");
    assert_eq!(both["all_words"], true);
    // When no solution has every word, the solutions with any of them, and the answer says so.
    let (_, either) = search(&app, &[("q", "сады светофоры")]).await;
    assert_eq!(either["all_words"], false, "{either}");
    let mut found = hit_ids(&either);
    found.sort();
    assert_eq!(found, [ids[0], ids[2]]);

    // Facets count every match; the nomination filter takes the nomination's name.
    let (_, portal) = search(&app, &[("q", "портал")]).await;
    assert_eq!(
        portal["facets"]["nomination"]["Открытый город"], 2,
        "{portal}"
    );
    assert_eq!(portal["facets"]["city"]["minsk"], 1);
    assert_eq!(portal["facets"]["country"]["RU"], 1);
    let (_, narrowed) = search(
        &app,
        &[
            ("q", "портал данных"),
            ("nomination", "Открытый город"),
            ("city", "minsk"),
        ],
    )
    .await;
    assert_eq!(hit_ids(&narrowed), [ids[2]]);
    let (_, other) = search(&app, &[("q", "портал"), ("nomination", "Умный транспорт")]).await;
    assert!(hit_ids(&other).is_empty());
    // The same question gives the same order every time.
    assert_eq!(
        hit_ids(&search(&app, &[("q", "портал")]).await.1),
        hit_ids(&portal)
    );
}

#[tokio::test]
async fn bad_searches_and_bad_solutions_are_refused_by_field() {
    let (app, token, _) = filled().await;
    let held = app.store.catalogue().list(false).await.expect("list").len();
    for query in ["я", "", "  ", &"слово ".repeat(2_000)] {
        let (status, body) = search(&app, &[("q", query)]).await;
        assert_eq!(status, 422, "{query:?}: {body}");
        assert_eq!(body["code"], "invalid_query");
    }
    let (status, _) = search(&app, &[("q", "портал"), ("lang", "de")]).await;
    assert_eq!(status, 422);
    let (status, _) = search(&app, &[("q", "портал"), ("limit", "1000")]).await;
    assert_eq!(status, 422);

    let good = solutions()[0].clone();
    for (change, field) in [
        (json!({"title_ru": "", "title_en": ""}), "title_ru"),
        (json!({"year": 1800}), "year"),
        (json!({"nomination": " "}), "nomination"),
        (json!({"city": "atlantis"}), "city"),
        (json!({"url": "ftp://x"}), "url"),
    ] {
        let mut body = good.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = post(&app, &token, &body).await;
        assert_eq!(response.status(), 422, "{change}");
        let error: Value = response.json().await.expect("JSON");
        assert_eq!(error["fields"][0]["field"], field, "{error}");
    }
    // Nothing half-saved: the catalogue holds what it held.
    assert_eq!(
        app.store.catalogue().list(false).await.expect("list").len(),
        held
    );
    // Anonymous callers and other roles may not add solutions.
    let response = app
        .client
        .post(app.url("/api/v1/solutions"))
        .json(&good)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_solution_reads_as_json_publiccode_and_the_catalogue_as_csv_and_turtle() {
    let (app, token, ids) = filled().await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/solutions/{}", ids[0])))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let solution: Value = response.json().await.expect("JSON");
    assert_eq!(solution["nomination"], "Умный транспорт");
    assert_eq!(solution["technologies"], json!(["Python", "PostgreSQL"]));
    // The draft is the Secretariat's only.
    let draft = format!("/api/v1/solutions/{}", ids[3]);
    assert_eq!(app.get(&client(), &draft).await.status(), 404);
    let staff = app
        .client
        .get(app.url(&draft))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(staff.status(), 200);

    let yml = app
        .get(
            &client(),
            &format!("/api/v1/solutions/{}/publiccode.yml", ids[0]),
        )
        .await;
    assert!(content_type(&yml).starts_with("text/yaml"));
    let yml = yml.text().await.expect("yml");
    assert!(yml.contains("publiccodeYmlVersion: \"0.4\""));
    assert!(yml.contains("name: \"Smart traffic lights\""));
    assert!(yml.contains("  license: \"MIT\""));

    let csv = app.get(&client(), "/api/v1/catalogue.csv").await;
    assert!(content_type(&csv).starts_with("text/csv"));
    let text = csv.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let published = app.store.catalogue().list(true).await.expect("list");
    assert_eq!(rows.len(), published.len(), "every published solution");
    assert!(!published.iter().any(|s| s.id == ids[3]), "not the draft");
    let row = rows
        .iter()
        .find(|r| r[0] == ids[0].to_string())
        .expect("the lights' row");
    assert_eq!(&row[1], "Умные светофоры");

    let ttl = app.get(&client(), "/api/v1/catalogue.ttl").await;
    assert!(content_type(&ttl).starts_with("text/turtle"));
    let ttl = ttl.text().await.expect("ttl");
    assert!(ttl.contains("a dcat:Catalog"));
    assert_eq!(ttl.matches(" a adms:Asset").count(), published.len());
    assert!(ttl.contains("dct:title \"Умные светофоры\"@ru"));
}

#[tokio::test]
async fn the_catalogue_pages_search_and_show_similar_solutions() {
    let (app, _, ids) = filled().await;
    let visitor = client();
    let html = app
        .get(&visitor, "/catalogue")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("Портал открытых данных"));
    assert!(!html.contains("Черновик решения"), "drafts are not listed");
    let response = visitor
        .get(app.url("/catalogue"))
        .query(&[("q", "светофоров")])
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    assert!(html.contains(&format!("href=\"/catalogue/{}\"", ids[0])));
    let response = visitor
        .get(app.url("/catalogue"))
        .query(&[("q", "я")])
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 422, "a one-letter search says why");
    let page = app
        .get(&visitor, &format!("/catalogue/{}", ids[2]))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("Электронная запись в детские сады"), "{page}");
    assert!(page.contains("id=\"similar\""), "{page}");
    assert_eq!(
        app.get(&visitor, &format!("/catalogue/{}", ids[3]))
            .await
            .status(),
        404
    );
}
