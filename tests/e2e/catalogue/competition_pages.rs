//! The competitions' pages over HTTP: a call refused by the row of its criterion with the form
//! kept, a refusal of the competition's rules said in the reader's language with its status,
//! and the published results open to everyone.
use super::competition::ensure_published_competition;
use crate::support::{client, spawn_app, unescape};

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
