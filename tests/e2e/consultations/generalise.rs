//! Generalisation and the plan of joint actions through the pages: the Expert Council merges
//! submissions into a generalised proposal (a merge across consultations or of a submission
//! already merged is refused with nothing saved), splits, moves, rejects with a reason, each step
//! in the history and the audit log; a plan drafted from the generalised proposals goes through
//! review and the Board chair's approval, its items become assignments, and the participant sees
//! what became of their proposal.
use crate::support::{api_post as post, location, spawn_app, token_of, unescape, TestApp};
use serde_json::json;

async fn consultation(app: &TestApp, token: &str, title: &str) -> i64 {
    let (status, body) = post(
        app,
        token,
        "/api/v1/consultations",
        &json!({"title_ru": title, "title_en": title}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

async fn submit(app: &TestApp, token: &str, id: i64, city: &str, text: &str) -> i64 {
    let (status, body) = post(
        app,
        token,
        &format!("/api/v1/consultations/{id}/submissions"),
        &json!({"city": city, "kind": "proposal", "text": text}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = app.get(client, path).await;
    let status = response.status().as_u16();
    (status, unescape(&response.text().await.expect("page")))
}

/// The id at the end of a redirect such as `/consultations/1/generalised/4?done=created`.
fn id_in(location: &str, after: &str) -> i64 {
    let start = location.find(after).expect(location) + after.len();
    location[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .expect("an id")
}

/// What the Council set up: a consultation with Minsk's proposal and the Secretariat's, merged.
struct Merged {
    consultation: i64,
    other: i64,
    minsk_wifi: i64,
    astana_wifi: i64,
    tashkent: i64,
    elsewhere: i64,
    generalised: i64,
}

async fn merged(app: &TestApp, council: &reqwest::Client) -> Merged {
    let secretariat = token_of(
        app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk = token_of(app, "minsk@megapolis.example", "demo-city-pass").await;
    let id = consultation(app, &secretariat, "Итоги форума").await;
    let other = consultation(app, &secretariat, "Другая консультация").await;
    let minsk_wifi = submit(app, &minsk, id, "minsk", "Wi-Fi во всех вагонах метро").await;
    let astana_wifi = submit(app, &secretariat, id, "astana", "Free Wi-Fi in the metro").await;
    let tashkent = submit(
        app,
        &secretariat,
        id,
        "tashkent",
        "Расписания как открытые данные",
    )
    .await;
    let elsewhere = submit(app, &secretariat, other, "baku", "Wi-Fi in buses").await;
    let page = format!("/consultations/{id}");
    let response = app
        .post_form(
            council,
            &page,
            &format!("/consultations/{id}/generalised"),
            &[
                ("submissions", &format!("{minsk_wifi}, {astana_wifi}")),
                ("text_ru", "Бесплатный Wi-Fi в метро городов Ассоциации"),
                (
                    "text_en",
                    "Free Wi-Fi in the metro of the Association's cities",
                ),
                ("topic", "Wi-Fi"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    Merged {
        consultation: id,
        other,
        minsk_wifi,
        astana_wifi,
        tashkent,
        elsewhere,
        generalised: id_in(&to, "/generalised/"),
    }
}

#[tokio::test]
async fn the_council_merges_splits_moves_and_rejects_keeping_every_original() {
    let app = spawn_app().await;
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let m = merged(&app, &council).await;
    let id = m.consultation;
    let g_path = format!("/consultations/{id}/generalised/{}", m.generalised);
    let mut sql = app.sql().await;
    let count =
        format!("SELECT COUNT(*) FROM consultation_generalised WHERE consultation_id = {id}");
    let count = count.as_str();
    assert_eq!(sql.count(count).await, 1);

    // The generalised proposal keeps both originals with their authors, and its history.
    let (status, html) = page(&app, &council, &g_path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Free Wi-Fi in the metro of the Association"),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"source-{}\"", m.minsk_wifi)));
    assert!(html.contains(&format!("id=\"source-{}\"", m.astana_wifi)));
    assert!(
        html.contains("Виктор Минский"),
        "the author is kept: {html}"
    );
    assert!(html.contains("data-step=\"merged\""));
    // The consultation's page links each original to it.
    let (_, html) = page(&app, &council, &format!("/consultations/{id}")).await;
    assert!(html.contains(&format!(
        "/generalised/{}\">№ {}",
        m.generalised, m.generalised
    )));

    // Refused, nothing saved: another consultation's submission, one already merged, no text.
    let merge = format!("/consultations/{id}/generalised");
    let from = format!("/consultations/{id}");
    let tries: [(String, &str, u16, &str); 3] = [
        (
            format!("{}, {}", m.tashkent, m.elsewhere),
            "Text",
            409,
            "относится к другой консультации",
        ),
        (
            format!("{} {}", m.tashkent, m.minsk_wifi),
            "Text",
            409,
            "уже входит в обобщённое предложение",
        ),
        (m.tashkent.to_string(), "", 422, "Текст на английском"),
    ];
    for (ids, text, expected, says) in tries {
        let response = app
            .post_form(
                &council,
                &from,
                &merge,
                &[("submissions", &ids), ("text_en", text)],
            )
            .await;
        assert_eq!(response.status().as_u16(), expected, "{ids}");
        let html = unescape(&response.text().await.expect("page"));
        assert!(html.contains(says), "{says}: {html}");
    }
    assert_eq!(sql.count(count).await, 1, "nothing half-saved");
    // A city representative does not generalise.
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let response = app
        .post_form(
            &minsk,
            &from,
            &merge,
            &[("submissions", &m.tashkent.to_string()), ("text_en", "x")],
        )
        .await;
    assert_eq!(response.status(), 403);

    // Split Astana's out into a new one; then move it back; both histories say so.
    let response = app
        .post_form(
            &council,
            &g_path,
            &format!("{g_path}/split"),
            &[
                ("submissions", &m.astana_wifi.to_string()),
                ("text_en", "Wi-Fi in Astana's metro"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let split = id_in(&location(&response), "/generalised/");
    let response = app
        .post_form(
            &council,
            &g_path,
            &format!("{g_path}/split"),
            &[
                ("submissions", &m.minsk_wifi.to_string()),
                ("text_en", "All of it"),
            ],
        )
        .await;
    assert_eq!(response.status(), 409, "a split leaves one behind");
    let response = app
        .post_form(
            &council,
            &g_path,
            &format!("{g_path}/move"),
            &[("submission", &m.astana_wifi.to_string())],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = page(&app, &council, &g_path).await;
    assert!(html.contains("data-step=\"split-out\"") && html.contains("data-step=\"moved-in\""));
    assert!(html.contains(&format!("id=\"source-{}\"", m.astana_wifi)));
    let (_, html) = page(
        &app,
        &council,
        &format!("/consultations/{id}/generalised/{split}"),
    )
    .await;
    assert!(html.contains("data-step=\"split-from\"") && html.contains("data-step=\"moved-out\""));
    assert!(!html.contains(&format!("id=\"source-{}\"", m.astana_wifi)));

    // Reject with a reason (none: refused by field).
    let reject = format!("/consultations/{id}/reject");
    let response = app
        .post_form(
            &council,
            &from,
            &reject,
            &[("submission", &m.tashkent.to_string()), ("reason", " ")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_form(
            &council,
            &from,
            &reject,
            &[
                ("submission", &m.tashkent.to_string()),
                ("reason", "Уже сделано: данные опубликованы"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = app
        .post_form(
            &council,
            &from,
            &reject,
            &[("submission", &m.elsewhere.to_string()), ("reason", "x")],
        )
        .await;
    assert_eq!(response.status(), 409, "another consultation's submission");

    // Every step is in the audit log; nothing was deleted.
    let audited = sql
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity IN ('consultation_generalised', 'consultation_submission') \
             AND action IN ('merged', 'split-from', 'moved-in', 'rejected') AND after_json LIKE '%\"consultation\":{id},%'"
        ))
        .await;
    assert_eq!(audited, 4);
    assert_eq!(sql.count(count).await, 2);
    let _ = m.other;
}

#[tokio::test]
async fn an_approved_plan_makes_assignments_and_the_participant_sees_the_fate() {
    let app = spawn_app().await;
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let m = merged(&app, &council).await;
    let id = m.consultation;
    let mut sql = app.sql().await;
    let decision = sql.count("SELECT MIN(id) FROM decisions").await;
    let from = format!("/consultations/{id}");

    // The Council drafts a plan on a decision of the register, approved by the Board.
    let response = app
        .post_form(
            &council,
            &from,
            &format!("/consultations/{id}/plans"),
            &[
                ("title_ru", "План совместных действий"),
                ("title_en", "Plan of joint actions"),
                ("decision", &decision.to_string()),
                ("approver", "board"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let plan_path = location(&response)
        .split('?')
        .next()
        .expect("path")
        .to_string();
    let plan = id_in(&plan_path, "/plans/");
    let (status_code, html) = page(&app, &council, &plan_path).await;
    assert_eq!(status_code, 200, "{html}");
    assert!(html.contains("id=\"item-form\""), "{html}");
    let item = |action: &'static str, generalised: i64| {
        vec![
            ("generalised", generalised.to_string()),
            ("action", action.to_string()),
            ("lead", "secretariat".to_string()),
            ("co-expert-council", "1".to_string()),
            ("deadline", "2027-06-30".to_string()),
            ("expected_result", "Wi-Fi at every station".to_string()),
        ]
    };
    let post_item = |fields: Vec<(&'static str, String)>| {
        let (app, council, plan_path) = (&app, &council, &plan_path);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(council, plan_path, &format!("{plan_path}/items"), &fields)
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        post_item(item("", m.generalised)).await,
        422,
        "an action is required"
    );
    // A generalised proposal of another consultation is refused.
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let other_wifi = submit(&app, &secretariat, m.other, "baku", "Wi-Fi in trams").await;
    let response = app
        .post_form(
            &council,
            &format!("/consultations/{}", m.other),
            &format!("/consultations/{}/generalised", m.other),
            &[
                ("submissions", &format!("{other_wifi}, {}", m.elsewhere)),
                ("text_en", "Wi-Fi in transport"),
            ],
        )
        .await;
    let foreign = id_in(&location(&response), "/generalised/");
    assert_eq!(post_item(item("Wi-Fi", foreign)).await, 409);
    assert_eq!(
        post_item(item(
            "Equip every metro station with free Wi-Fi",
            m.generalised
        ))
        .await,
        303
    );

    // Draft: the Board cannot approve yet; the Council sends it for review; only the chair of
    // the Board approves.
    let board = app.login_as("body-member").await;
    let act = format!("{plan_path}/act");
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            app.post_form(&board, "/profile", &act, &[("action", "approve")])
                .await
        ),
        409
    );
    assert_eq!(
        status(
            app.post_form(&council, &plan_path, &act, &[("action", "review")])
                .await
        ),
        303
    );
    assert_eq!(
        status(
            app.post_form(&council, &plan_path, &act, &[("action", "approve")])
                .await
        ),
        403
    );
    assert_eq!(sql.count(&format!("SELECT COUNT(*) FROM consultation_plan_items WHERE plan_id = {plan} AND assignment_id IS NOT NULL")).await, 0);
    assert_eq!(
        status(
            app.post_form(&board, "/profile", &act, &[("action", "approve")])
                .await
        ),
        303
    );

    // The item is an assignment of the decision: lead, co-executor, deadline, controller.
    let assignment = sql
        .count(&format!(
            "SELECT assignment_id FROM consultation_plan_items WHERE plan_id = {plan}"
        ))
        .await;
    let lead = sql
        .text(&format!("SELECT lead_body_id || ' ' || deadline || ' ' || decision_id FROM assignments WHERE id = {assignment}"))
        .await;
    assert_eq!(
        lead.as_deref(),
        Some(format!("secretariat 2027-06-30 {decision}").as_str())
    );
    let co = sql
        .text(&format!(
            "SELECT body_id FROM assignment_co_executors WHERE assignment_id = {assignment}"
        ))
        .await;
    assert_eq!(co.as_deref(), Some("expert-council"));
    let (status_code, html) = page(&app, &board, &plan_path).await;
    assert_eq!(status_code, 200);
    assert!(
        html.contains(&format!("href=\"/assignments/{assignment}\"")),
        "{html}"
    );
    assert!(
        html.contains("id=\"plan-state\">approved") || html.contains("id=\"plan-state\">утверждён")
    );
    let (status_code, html) = page(&app, &board, &format!("/assignments/{assignment}")).await;
    assert_eq!(status_code, 200);
    assert!(html.contains("Equip every metro station with free Wi-Fi"));

    // Minsk sees what became of its proposal: merged, in the plan as item 1, an assignment.
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let (status_code, html) = page(&app, &minsk, "/consultations/mine").await;
    assert_eq!(status_code, 200);
    let card = &html[html
        .find(&format!("id=\"mine-{}\"", m.minsk_wifi))
        .expect("my submission")..];
    let card = &card[..card.find("</article>").expect("its end")];
    assert!(
        card.contains(&format!("/generalised/{}", m.generalised)),
        "{card}"
    );
    assert!(
        card.contains(&format!("/plans/{plan}"))
            && card.contains(&format!("/assignments/{assignment}")),
        "{card}"
    );
}
