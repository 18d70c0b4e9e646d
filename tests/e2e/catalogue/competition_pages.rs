//! The competitions' pages over HTTP: a call refused by the row of its criterion with the form
//! kept, a refusal of the competition's rules said in the reader's language with its status,
//! the published results open to everyone, and a city's draft edited on its entry's page.
use super::competition::{call_json, ensure_published_competition, person, signed_in_person};
use crate::support::{api_post as post, client, location, spawn_app, unescape};
use serde_json::json;

#[tokio::test]
async fn the_pages_say_refusals_in_words_and_show_the_results() {
    let app = spawn_app().await;
    ensure_published_competition(&app).await;
    let staff = app.login_as("secretariat").await;
    app.get(&staff, "/lang/ru?back=/").await;

    let call = [
        ("title_ru", "Конкурс страницы"),
        ("year", "2026"),
        ("nominations", "Транспорт\nОткрытый город"),
        (
            "criteria",
            "2 | Результаты | 1 | 2 | 3 | 4 | 5\n1 | Тиражируемость | a | b | c | d",
        ),
        ("submission_deadline", "2100-03-01"),
        ("evaluation_deadline", "2100-04-01"),
        ("results_on", "2100-04-15"),
        ("jury_body", "board"),
    ];
    let response = app
        .post_form(&staff, "/competitions", "/competitions", &call)
        .await;
    assert_eq!(response.status(), 422);
    let html = unescape(&response.text().await.expect("page"));
    assert!(
        html.contains("строка 2: нужно пять описаний, по одному на каждый балл от 1 до 5"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Конкурс страницы\""),
        "the form is kept"
    );

    let response = app
        .post_form(
            &staff,
            "/competitions/1",
            "/competitions/1/step",
            &[("step", "open")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.expect("page");
    assert!(
        html.contains("На этом этапе конкурса это сделать нельзя."),
        "{html}"
    );

    // Anyone sees the winner, linked to its page in the catalogue.
    let anonymous = client();
    let response = app.get(&anonymous, "/competitions/1").await;
    assert_eq!(response.status(), 200);
    let html = unescape(&response.text().await.expect("page"));
    let solution = app
        .store
        .competitions()
        .entry(1)
        .await
        .expect("read")
        .and_then(|e| e.solution_id)
        .expect("published");
    assert!(
        html.contains(&format!("href=\"/catalogue/{solution}\"")),
        "{html}"
    );
}

#[tokio::test]
async fn a_city_edits_its_draft_entry_on_its_page() {
    let app = spawn_app().await;
    let (_, secretariat) = person(&app, "secretariat", "", None).await;
    let (status, body) = post(&app, &secretariat, "/api/v1/competitions", &call_json()).await;
    assert_eq!(status, 201, "{body}");
    let call = body["id"].as_i64().expect("an id");
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/competitions/{call}/open"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let minsk = app.login_as("city-rep").await;
    app.get(&minsk, "/lang/en?back=/").await;
    let page = format!("/competitions/{call}");
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("/competitions/{call}/entries"),
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Первое название"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let created = location(&response);
    let entry_page = created.split('?').next().expect("a path").to_string();
    let edit = format!("{entry_page}/edit");

    let html = unescape(
        &app.get(&minsk, &entry_page)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(html.contains("id=\"edit-entry\""), "{html}");
    assert!(html.contains("value=\"Первое название\""), "{html}");

    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Новое название"),
                ("technologies", "Rust\nSQLite"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{entry_page}?done=saved"));
    let html = unescape(
        &app.get(&minsk, &entry_page)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(html.contains("<h1>Новое название</h1>"), "{html}");
    assert!(html.contains(">Rust\nSQLite</textarea>"), "{html}");

    // A bad address: refused by its field, the form kept, nothing saved.
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Третье название"),
                ("url", "ftp://lights.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = unescape(&response.text().await.expect("page"));
    assert!(
        html.contains("an address starting with http:// or https://"),
        "{html}"
    );
    assert!(html.contains("id=\"f-url\" name=\"url\" type=\"url\" value=\"ftp://lights.example\" aria-invalid=\"true\""), "{html}");
    assert!(
        html.contains("value=\"Третье название\""),
        "the form is kept"
    );
    let html = unescape(
        &app.get(&minsk, &entry_page)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(html.contains("<h1>Новое название</h1>"), "nothing saved");

    // Another city's representative: not theirs, neither the form nor the write.
    let (_, baku) = signed_in_person(&app, "city-rep", "baku", None).await;
    let html = unescape(
        &app.get(&baku, &entry_page)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(!html.contains("id=\"edit-entry\""), "{html}");
    let response = app
        .post_form(
            &baku,
            &entry_page,
            &edit,
            &[("nomination", "Умный транспорт"), ("title_ru", "Чужое")],
        )
        .await;
    assert_eq!(response.status(), 403);

    // Once submitted, the form is gone and an edit is refused in words.
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &format!("{entry_page}/step"),
            &[("step", "submit")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = unescape(
        &app.get(&minsk, &entry_page)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(!html.contains("id=\"edit-entry\""), "{html}");
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[("nomination", "Умный транспорт"), ("title_ru", "Поздно")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let html = unescape(&response.text().await.expect("page"));
    assert!(html.contains("id=\"refusal\""), "{html}");
    assert!(html.contains("<h1>Новое название</h1>"), "nothing saved");
}
