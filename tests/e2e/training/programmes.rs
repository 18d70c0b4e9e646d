//! A programme with its courses, learning outcomes and competences: the competences are
//! criteria of the published monitoring methodology (an unknown code is refused, nothing
//! saved), the courses may not take more hours than the programme, and the training page lists
//! the courses and links each competence to the methodology under its name in the reader's
//! language.
use super::json_of;
use crate::support::{client, spawn_app};
use serde_json::json;

#[tokio::test]
async fn a_programme_has_courses_outcomes_and_competences_from_the_methodology() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let http = client();
    let post = |body: serde_json::Value| {
        http.post(app.url("/api/v1/training/programmes"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let programme = |competences: serde_json::Value, hours: u32| {
        json!({
            "title_ru": "Открытые данные города", "title_en": "City open data", "hours": hours,
            "outcomes": ["Публикует наборы открытых данных"],
            "competences": competences,
            "courses": [
                { "title_ru": "Наборы данных", "title_en": "Data sets", "hours": 8 },
                { "title_ru": "API", "title_en": "", "hours": 8 }
            ]
        })
    };
    let before = json_of(
        http.get(app.url("/api/v1/training/programmes"))
            .send()
            .await
            .expect("GET"),
        200,
        "programmes",
    )
    .await["programmes"]
        .as_array()
        .map_or(0, Vec::len);
    // The demo's published methodology has the criterion OpenData, not "Nowhere".
    let unknown = json_of(
        post(programme(json!(["Nowhere"]), 16)).await.expect("POST"),
        422,
        "unknown",
    )
    .await;
    assert_eq!(unknown["fields"][0]["field"], "competences", "{unknown}");
    let too_long = json_of(
        post(programme(json!(["OpenData"]), 12))
            .await
            .expect("POST"),
        422,
        "hours",
    )
    .await;
    assert_eq!(too_long["fields"][0]["field"], "courses", "{too_long}");
    let created = json_of(
        post(programme(json!(["OpenData"]), 16))
            .await
            .expect("POST"),
        201,
        "programme",
    )
    .await;
    let list = json_of(
        http.get(app.url("/api/v1/training/programmes"))
            .send()
            .await
            .expect("GET"),
        200,
        "programmes",
    )
    .await;
    let programmes = list["programmes"].as_array().expect("programmes");
    assert_eq!(programmes.len(), before + 1, "the refusals saved nothing");
    let saved = programmes
        .iter()
        .find(|p| p["id"] == created["id"])
        .expect("the programme");
    assert_eq!(saved["competences"], json!(["OpenData"]));
    assert_eq!(saved["courses"][1]["title_ru"], "API");
    assert_eq!(
        saved["outcomes"],
        json!(["Публикует наборы открытых данных"])
    );

    let page = http
        .get(app.url("/training"))
        .header("Accept-Language", "ru")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(page.contains("Наборы данных") && page.contains("Публикует наборы открытых данных"));
    let competences = page
        .split("class=\"competences\"")
        .find(|part| part.contains("Открытые данные</a>"))
        .map(|part| crate::support::unescape(&part[..part.find("</p>").unwrap_or(part.len())]))
        .unwrap_or_else(|| panic!("no competence named in Russian: {page}"));
    assert!(
        competences.contains("/methodology\">Открытые данные</a>"),
        "the competence links to the methodology: {competences}"
    );
}
