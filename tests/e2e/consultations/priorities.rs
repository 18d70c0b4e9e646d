//! The priorities of the "Electronic city of the future": the demo's three published directions
//! with their evidence (generalised proposals, monitoring criteria, catalogue solutions, plan
//! items) and progress, on the public page and in the API; a new one proposed by the Council
//! (evidence required and checked), approved only by the Board's chair, published only by the
//! Secretariat, and seen by the public only then.
use crate::support::{api_get, client, location, spawn_app, unescape};

#[tokio::test]
async fn priorities_are_proposed_approved_published_with_their_evidence() {
    let app = spawn_app().await;
    let (status, list) = api_get(&app, None, "/api/v1/priorities").await;
    assert_eq!(status, 200);
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 3, "{list:?}");
    let kinds: Vec<&str> = list
        .iter()
        .flat_map(|p| p["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in ["generalised", "criterion", "solution", "plan-item"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(
        list[0]["progress"], 0,
        "its plan item's assignment has just started"
    );
    assert!(list[2]["progress"].is_null(), "no plan item, no progress");
    let anyone = client();
    let html = unescape(
        &app.get(&anyone, "/priorities")
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(html.contains("Кибербезопасность городов (демо)"), "{html}");
    assert!(
        html.contains("href=\"/consultations/1/generalised/1\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/monitoring/editions/1/methodology\""),
        "{html}"
    );

    // The Council proposes: evidence is required and must exist.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let propose = |fields: Vec<(&'static str, &'static str)>| {
        let (app, council) = (&app, &council);
        async move {
            app.post_form(council, "/priorities", "/priorities", &fields)
                .await
        }
    };
    let response = propose(vec![("title_ru", "Открытые данные")]).await;
    assert_eq!(response.status(), 422);
    let response = propose(vec![
        ("title_ru", "Открытые данные"),
        ("generalised-999999", "1"),
    ])
    .await;
    assert_eq!(response.status(), 409);
    let response = propose(vec![
        ("title_ru", "Открытые данные городов"),
        ("title_en", "Cities' open data"),
        ("generalised-2", "1"),
        ("generalised-9", "1"),
    ])
    .await;
    assert_eq!(response.status(), 303);
    let id: i64 = location(&response)
        .rsplit("priority-")
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the new direction");
    let html = unescape(
        &app.get(&anyone, "/priorities")
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(
        !html.contains("Открытые данные городов"),
        "not public while proposed"
    );

    // Only the Board's chair approves; only the Secretariat publishes.
    let act = format!("/priorities/{id}/act");
    let status = |r: reqwest::Response| r.status().as_u16();
    let board = app.login_as("body-member").await;
    let staff = app.login_as("secretariat").await;
    assert_eq!(
        status(
            app.post_form(&council, "/priorities", &act, &[("action", "approve")])
                .await
        ),
        403
    );
    assert_eq!(
        status(
            app.post_form(&staff, "/priorities", &act, &[("action", "publish")])
                .await
        ),
        409
    );
    assert_eq!(
        status(
            app.post_form(&board, "/priorities", &act, &[("action", "approve")])
                .await
        ),
        303
    );
    assert_eq!(
        status(
            app.post_form(&board, "/priorities", &act, &[("action", "publish")])
                .await
        ),
        403
    );
    assert_eq!(
        status(
            app.post_form(&staff, "/priorities", &act, &[("action", "publish")])
                .await
        ),
        303
    );
    let (_, list) = api_get(&app, None, "/api/v1/priorities").await;
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    let html = unescape(
        &app.get(&anyone, "/priorities")
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(html.contains("Открытые данные городов"));
}
