//! What the Secretariat brings in and what participants change: a batch from CSV or XLSX saved
//! all or nothing (each refused cell named by row and column), and an author's edit of their own
//! submission, refused for someone else's, a closed consultation, one the Council already merged,
//! an empty or a 1 MB text.
use crate::support::{api_get, api_post, spawn_app, token_of, unescape, TestApp};
use serde_json::json;

async fn count(app: &TestApp, id: i64) -> i64 {
    let (status, body) = api_get(app, None, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body["submission_count"].as_i64().expect("a count")
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let token = app.csrf(client, "/profile").await;
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let response = client
        .post(app.url(&format!("/consultations/{id}/import")))
        .header("Origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    (
        response.status().as_u16(),
        unescape(&response.text().await.expect("body")),
    )
}

fn xlsx(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

#[tokio::test]
async fn a_batch_from_csv_or_xlsx_is_saved_all_or_nothing() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let (status, body) = api_post(
        &app,
        &secretariat,
        "/api/v1/consultations",
        &json!({"title_ru": "Импорт"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("id");
    let staff = app.login_as("secretariat").await;

    // Bad cells: every one named by row and column, nothing saved.
    let bad = "city,kind,text\nminsk,proposal,Хорошая строка\nastana,wish,Текст\nbaku,remark,\n";
    let (status, html) = upload(&app, &staff, id, "batch.csv", bad.into()).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("Строка 3, Вид") && html.contains("Строка 4, Текст"),
        "{html}"
    );
    // A city the directory does not know: refused by row after the good rows were tried.
    let unknown = "город;вид;текст\nminsk;proposal;Первая\natlantis;remark;Вторая\n";
    let (status, html) = upload(&app, &staff, id, "batch.csv", unknown.into()).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Строка 3, Город"), "{html}");
    let (status, html) = upload(&app, &staff, id, "batch.txt", b"\xff\xfe not text".to_vec()).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(count(&app, id).await, 0, "nothing half-saved");

    // Good CSV and XLSX tables.
    let good = "city,lang,kind,text,topic\nminsk,ru,proposal,Wi-Fi в метро,Wi-Fi\nastana,en,remark,\"No Wi-Fi, again\",Wi-Fi\n";
    let (status, html) = upload(&app, &staff, id, "batch.csv", good.into()).await;
    assert_eq!(status, 303, "{html}");
    let book = xlsx(&[
        ["Город", "Вид", "Текст"],
        ["baku", "proposal", "Открытые данные о транспорте"],
    ]);
    let (status, html) = upload(&app, &staff, id, "batch.xlsx", book).await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(count(&app, id).await, 3);
    let (_, body) = api_get(&app, None, &format!("/api/v1/consultations/{id}")).await;
    let texts: Vec<&str> = body["submissions"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    assert_eq!(
        texts,
        vec![
            "Wi-Fi в метро",
            "No Wi-Fi, again",
            "Открытые данные о транспорте"
        ]
    );

    // Only staff import; not into a closed consultation.
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let (status, _) = upload(&app, &minsk, id, "batch.csv", good.into()).await;
    assert_eq!(status, 403);
    let (status, _) = api_post(
        &app,
        &secretariat,
        &format!("/api/v1/consultations/{id}/close"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, html) = upload(&app, &staff, id, "batch.csv", good.into()).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(count(&app, id).await, 3);
}

#[tokio::test]
async fn authors_change_their_own_submissions_while_open_and_unconsidered() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk_token = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    let (_, body) = api_post(
        &app,
        &secretariat,
        "/api/v1/consultations",
        &json!({"title_ru": "Правки"}),
    )
    .await;
    let id = body["id"].as_i64().expect("id");
    let submit = |text: &'static str| {
        let (app, token) = (&app, &minsk_token);
        async move {
            let (status, body) = api_post(
                app,
                token,
                &format!("/api/v1/consultations/{id}/submissions"),
                &json!({"kind": "proposal", "text": text}),
            )
            .await;
            assert_eq!(status, 201, "{body}");
            body["id"].as_i64().expect("id")
        }
    };
    let first = submit("Wi-Fi в метро").await;
    let second = submit("Открытые данные").await;
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let edit = |sid: i64| format!("/consultations/{id}/submissions/{sid}/edit");
    let text_of = |sid: i64| {
        let app = &app;
        async move {
            let (_, body) = api_get(app, None, &format!("/api/v1/consultations/{id}")).await;
            body["submissions"]
                .as_array()
                .expect("list")
                .iter()
                .find(|s| s["id"] == sid)
                .and_then(|s| s["text"].as_str())
                .map(String::from)
                .expect("text")
        }
    };

    // The author changes it; the page "my submissions" offers the form.
    let html = app
        .get(&minsk, "/consultations/mine")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains(&format!("id=\"edit-{first}\"")), "{html}");
    let response = app
        .post_form(
            &minsk,
            "/consultations/mine",
            &edit(first),
            &[("kind", "remark"), ("text", "Wi-Fi во всех вагонах метро")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(text_of(first).await, "Wi-Fi во всех вагонах метро");
    // Empty and 1 MB texts are refused by field; nothing changes.
    let huge = "a".repeat(1024 * 1024);
    for text in [" ", huge.as_str()] {
        let response = app
            .post_form(
                &minsk,
                "/consultations/mine",
                &edit(first),
                &[("kind", "proposal"), ("text", text)],
            )
            .await;
        assert_eq!(response.status(), 422);
    }
    assert_eq!(text_of(first).await, "Wi-Fi во всех вагонах метро");
    // Someone else's: refused.
    let staff = app.login_as("secretariat").await;
    let response = app
        .post_form(
            &staff,
            "/profile",
            &edit(first),
            &[("kind", "proposal"), ("text", "Чужая правка")],
        )
        .await;
    assert_eq!(response.status(), 403);
    // Once the Council merged it: refused.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let response = app
        .post_form(
            &council,
            &format!("/consultations/{id}"),
            &format!("/consultations/{id}/generalised"),
            &[
                ("submissions", &first.to_string()),
                ("text_ru", "Wi-Fi в метро"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = app
        .post_form(
            &minsk,
            "/consultations/mine",
            &edit(first),
            &[("kind", "proposal"), ("text", "Поздняя правка")],
        )
        .await;
    assert_eq!(response.status(), 409);
    // Once closed: refused, and the form is gone.
    let (status, _) = api_post(
        &app,
        &secretariat,
        &format!("/api/v1/consultations/{id}/close"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let response = app
        .post_form(
            &minsk,
            "/profile",
            &edit(second),
            &[("kind", "proposal"), ("text", "Поздняя правка")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let html = unescape(
        &app.get(&minsk, "/consultations/mine")
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(!html.contains(&format!("id=\"edit-{second}\"")));
    assert_eq!(text_of(second).await, "Открытые данные");
}
