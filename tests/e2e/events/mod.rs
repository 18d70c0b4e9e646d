//! The plan of events through HTTP with bearer tokens: a city's proposal submitted, accepted by
//! the Secretariat, put into a plan version that the President returns with remarks, then a
//! second version approved; the event in the calendar feed (parsed back) with a stable UID and a
//! SEQUENCE that grows on cancellation; the feed's filters; bad input refused by field with
//! nothing saved; only the President approves; a blocking clash refuses approval; the pages.
use crate::support::{api_get as get, api_post as post, location, spawn_app, token_of, TestApp};
use serde_json::{json, Value};

pub(crate) mod browser;
mod calendar;
mod held;
mod links;
mod merge;
mod plan;

/// `event` proposed by the Secretariat, accepted, put in a version the President approves: the
/// version's id and the event's.
async fn approved_plan(
    app: &TestApp,
    secretariat: &str,
    president: &str,
    event: Value,
) -> (i64, i64) {
    let year = event["year"].clone();
    let (status, body) = post(app, secretariat, "/api/v1/events/proposals", &event).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("id");
    for action in ["submit", "accept"] {
        let (status, body) = post(
            app,
            secretariat,
            &format!("/api/v1/events/proposals/{id}/{action}"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let (status, body) = post(
        app,
        secretariat,
        "/api/v1/events/plans",
        &json!({ "year": year }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let plan = body["id"].as_i64().expect("plan id");
    for (who, action) in [(secretariat, "submit"), (president, "approve")] {
        let (status, body) = post(
            app,
            who,
            &format!("/api/v1/events/plans/{plan}/{action}"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    (plan, id)
}

/// Submits the version of `year` an amendment opened and has the President approve it: its id.
async fn approve_amendment(app: &TestApp, secretariat: &str, president: &str, year: i32) -> i64 {
    let plans = app.store.events().plans().await.expect("plans");
    let draft = plans
        .iter()
        .find(|p| p.year == year && p.state.as_str() == "draft")
        .expect("the amendment opened a draft version");
    for (who, action) in [(secretariat, "submit"), (president, "approve")] {
        let (status, body) = post(
            app,
            who,
            &format!("/api/v1/events/plans/{}/{action}", draft.id),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    draft.id
}

/// The President: the chair of the demo body "president", created for the test.
async fn president_token(app: &TestApp) -> String {
    let email = "president@megapolis.test";
    let password = "a-president-password-2026";
    let draft = megapolis_domain::person::PersonInput {
        email: email.into(),
        name: "Президент МАГ".into(),
        role: "body-member".into(),
        body: "president".into(),
        position: "chair".into(),
        ..Default::default()
    }
    .parse()
    .expect("a person");
    let hash = megapolis_domain::password::hash_password(password).expect("hash");
    app.store
        .accounts()
        .create_person("tests", &draft, Some(&hash))
        .await
        .expect("save the President");
    token_of(app, email, password).await
}

/// The feed at `query`, its content type and its unfolded lines.
async fn feed(app: &TestApp, query: &str) -> (String, Vec<String>) {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/events.ics{query}")))
        .send()
        .await
        .expect("GET feed");
    assert_eq!(response.status(), 200);
    let content_type = crate::support::content_type(&response);
    let text = response.text().await.expect("text");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line over 75 octets: {line}");
    }
    let lines = text
        .replace("\r\n ", "")
        .split("\r\n")
        .map(String::from)
        .collect();
    (content_type, lines)
}

/// The VEVENTs of a feed as their properties by name.
fn vevents(lines: &[String]) -> Vec<std::collections::HashMap<String, String>> {
    let mut events = Vec::new();
    let mut current: Option<std::collections::HashMap<String, String>> = None;
    for line in lines {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(Default::default()),
            "END:VEVENT" => events.extend(current.take()),
            _ => {
                if let (Some(event), Some((name, value))) = (current.as_mut(), line.split_once(':'))
                {
                    event.insert(name.to_string(), value.to_string());
                }
            }
        }
    }
    events
}

/// The events of `ids` among a feed's (the demo has an approved plan of its own).
fn mine(
    events: Vec<std::collections::HashMap<String, String>>,
    ids: &[i64],
) -> Vec<std::collections::HashMap<String, String>> {
    let uids: Vec<String> = ids
        .iter()
        .map(|id| format!("event-{id}@megapolis"))
        .collect();
    events
        .into_iter()
        .filter(|e| uids.contains(&e["UID"]))
        .collect()
}

fn proposal(
    kind: &str,
    title: &str,
    city: &str,
    organiser: &str,
    starts: &str,
    ends: &str,
) -> Value {
    json!({
        "year": 2030, "kind": kind, "title_ru": title, "title_en": "",
        "starts_on": starts, "ends_on": ends, "city": city, "organiser": organiser,
        "co_organisers": [], "expected_participants": 120,
    })
}

#[tokio::test]
async fn a_city_proposal_goes_through_a_returned_version_to_the_approved_plan_and_its_feed() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    let president = president_token(&app).await;

    // Minsk proposes a forum in Minsk, and a seminar in a quarter.
    let (status, body) = post(
        &app,
        &minsk,
        "/api/v1/events/proposals",
        &proposal(
            "forum",
            "Форум «Умный город»",
            "minsk",
            "minsk",
            "2030-05-10",
            "2030-05-12",
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let forum = body["id"].as_i64().expect("id");
    let mut seminar_body = proposal(
        "seminar",
        "Семинар о цифровых двойниках",
        "minsk",
        "minsk",
        "",
        "",
    );
    seminar_body["quarter"] = json!(3);
    let (status, body) = post(&app, &minsk, "/api/v1/events/proposals", &seminar_body).await;
    assert_eq!(status, 201, "{body}");
    let seminar = body["id"].as_i64().expect("id");
    // Not for another city.
    let (status, body) = post(
        &app,
        &minsk,
        "/api/v1/events/proposals",
        &proposal(
            "forum",
            "Чужой форум",
            "moscow",
            "moscow",
            "2030-05-10",
            "2030-05-12",
        ),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_your_city")),
        "{body}"
    );

    for id in [forum, seminar] {
        let (status, body) = post(
            &app,
            &minsk,
            &format!("/api/v1/events/proposals/{id}/submit"),
            &json!({}),
        )
        .await;
        assert_eq!(
            (status, body["state"].as_str()),
            (200, Some("submitted")),
            "{body}"
        );
    }
    // A city representative does not accept; the Secretariat does.
    let (status, _) = post(
        &app,
        &minsk,
        &format!("/api/v1/events/proposals/{forum}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{forum}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("accepted")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{seminar}/decline"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("reason_required")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{seminar}/decline"),
        &json!({"reason": "Перенести на следующий год"}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("declined")),
        "{body}"
    );
    // The proposer sees the reason, among their own proposals only.
    let (status, list) = get(&app, Some(&minsk), "/api/v1/events/proposals?year=2030").await;
    assert_eq!(status, 200);
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .any(|p| p["reason"] == "Перенести на следующий год"));

    // Version 1: submitted, returned by the President with remarks.
    let (status, body) = post(
        &app,
        &secretariat,
        "/api/v1/events/plans",
        &json!({"year": 2030}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let v1 = body["id"].as_i64().expect("id");
    let (status, body) = post(
        &app,
        &secretariat,
        "/api/v1/events/plans",
        &json!({"year": 2030}),
    )
    .await;
    assert_eq!(status, 409, "one open version at a time: {body}");
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/plans/{v1}/submit"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("submitted")),
        "{body}"
    );
    // Anonymous readers do not see a plan before its approval.
    assert_eq!(
        get(&app, None, &format!("/api/v1/events/plans/{v1}"))
            .await
            .0,
        404
    );
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/plans/{v1}/approve"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_president")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &president,
        &format!("/api/v1/events/plans/{v1}/return"),
        &json!({"remarks": "Добавить семинар"}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str(), body["remarks"].as_str()),
        (200, Some("returned"), Some("Добавить семинар")),
        "{body}"
    );

    // Version 2 with the seminar proposed again and accepted: approved.
    let (status, body) = post(&app, &minsk, "/api/v1/events/proposals", &seminar_body).await;
    assert_eq!(status, 201, "{body}");
    let seminar2 = body["id"].as_i64().expect("id");
    post(
        &app,
        &minsk,
        &format!("/api/v1/events/proposals/{seminar2}/submit"),
        &json!({}),
    )
    .await;
    let (status, _) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{seminar2}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &app,
        &secretariat,
        "/api/v1/events/plans",
        &json!({"year": 2030}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let v2 = body["id"].as_i64().expect("id");
    post(
        &app,
        &secretariat,
        &format!("/api/v1/events/plans/{v2}/submit"),
        &json!({}),
    )
    .await;
    let (status, body) = post(
        &app,
        &president,
        &format!("/api/v1/events/plans/{v2}/approve"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str(), body["version"].as_i64()),
        (200, Some("approved"), Some(2)),
        "{body}"
    );
    assert_eq!(body["added"], json!([seminar2]), "{body}");
    let (status, body) = get(&app, None, &format!("/api/v1/events/plans/{v2}")).await;
    assert_eq!(
        (status, body["events"].as_array().map(Vec::len)),
        (200, Some(2)),
        "{body}"
    );

    // The feed: both events, all-day, with their UIDs, pages and SEQUENCE 0.
    let (content_type, lines) = feed(&app, "").await;
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    let events = mine(vevents(&lines), &[forum, seminar2]);
    assert_eq!(events.len(), 2, "{lines:?}");
    let forum_uid = format!("event-{forum}@megapolis");
    let forum_event = events
        .iter()
        .find(|e| e["UID"] == forum_uid)
        .expect("the forum");
    assert_eq!(forum_event["DTSTART;VALUE=DATE"], "20300510");
    assert_eq!(forum_event["DTEND;VALUE=DATE"], "20300513");
    assert_eq!(forum_event["SEQUENCE"], "0");
    assert_eq!(forum_event["STATUS"], "CONFIRMED");
    assert!(
        forum_event["URL"].ends_with(&format!("/events/{forum}")),
        "{forum_event:?}"
    );
    let seminar_event = events
        .iter()
        .find(|e| e["UID"] == format!("event-{seminar2}@megapolis"))
        .expect("the seminar");
    assert_eq!(
        (
            seminar_event["DTSTART;VALUE=DATE"].as_str(),
            seminar_event["DTEND;VALUE=DATE"].as_str()
        ),
        ("20300701", "20301001")
    );

    // Filters: by kind and by city.
    let ours = [forum, seminar2];
    assert_eq!(
        mine(vevents(&feed(&app, "?kind=seminar").await.1), &ours).len(),
        1
    );
    assert_eq!(
        mine(vevents(&feed(&app, "?city=moscow").await.1), &ours).len(),
        0
    );
    assert_eq!(
        mine(
            vevents(&feed(&app, "?city=minsk&kind=forum").await.1),
            &ours
        )
        .len(),
        1
    );
    assert_eq!(
        mine(vevents(&feed(&app, "?organiser=minsk").await.1), &ours).len(),
        2
    );
    // The filter holds for the demo's plan too: a seminar-only feed has only seminars.
    for event in vevents(&feed(&app, "?kind=seminar").await.1) {
        assert_eq!(event["CATEGORIES"], "SEMINAR");
    }
    let response = app
        .client
        .get(app.url("/api/v1/events.ics?kind=party"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 422);

    // Cancelled, in a new version approved by the President: the same UID, SEQUENCE one
    // higher, STATUS:CANCELLED; the version lists it as changed.
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{forum}/cancel"),
        &json!({"reason": "Перенесён"}),
    )
    .await;
    assert_eq!(
        (status, body["cancelled"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    let v3 = approve_amendment(&app, &secretariat, &president, 2030).await;
    let (_, body) = get(&app, None, &format!("/api/v1/events/plans/{v3}")).await;
    assert_eq!(
        (body["version"].as_i64(), &body["changed"], &body["added"]),
        (Some(3), &json!([forum]), &json!([])),
        "{body}"
    );
    let events = vevents(&feed(&app, "").await.1);
    let forum_event = events
        .iter()
        .find(|e| e["UID"] == forum_uid)
        .expect("the forum stays");
    assert_eq!(
        (
            forum_event["SEQUENCE"].as_str(),
            forum_event["STATUS"].as_str()
        ),
        ("1", "CANCELLED")
    );

    // The pages: the plan by month with the filtered feed's link, the event, the proposals.
    let html = app
        .client
        .get(app.url("/events?year=2030&kind=forum"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("html");
    assert!(html.contains(&format!("id=\"event-{forum}\"")), "{html}");
    assert!(!html.contains(&format!("id=\"event-{seminar2}\"")));
    assert!(
        crate::support::unescape(&html).contains("/api/v1/events.ics?kind=forum"),
        "{html}"
    );
    let response = app
        .client
        .get(app.url(&format!("/events/{forum}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    // A declined proposal has no public page.
    let response = app
        .client
        .get(app.url(&format!("/events/{seminar}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_a_blocking_clash_refuses_approval() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let president = president_token(&app).await;
    for (body, field) in [
        (
            proposal(
                "forum",
                "Форум",
                "minsk",
                "minsk",
                "2030-05-10",
                "2030-05-01",
            ),
            "ends_on",
        ),
        (
            proposal(
                "forum",
                "Форум",
                "minsk",
                "minsk",
                "2029-12-30",
                "2030-01-02",
            ),
            "starts_on",
        ),
        (
            proposal(
                "party",
                "Форум",
                "minsk",
                "minsk",
                "2030-05-10",
                "2030-05-11",
            ),
            "kind",
        ),
        (
            proposal("forum", "", "minsk", "minsk", "2030-05-10", "2030-05-11"),
            "title_ru",
        ),
    ] {
        let (status, answer) = post(&app, &secretariat, "/api/v1/events/proposals", &body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some("invalid_fields")),
            "{answer}"
        );
        assert_eq!(answer["fields"][0]["field"], field, "{answer}");
        assert_eq!(answer["status"], 422);
    }
    let (status, answer) = post(
        &app,
        &secretariat,
        "/api/v1/events/proposals",
        &proposal(
            "forum",
            "Форум",
            "atlantis",
            "secretariat",
            "2030-05-10",
            "2030-05-11",
        ),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("unknown_city")),
        "{answer}"
    );
    let (_, list) = get(
        &app,
        Some(&secretariat),
        "/api/v1/events/proposals?year=2030",
    )
    .await;
    assert_eq!(list, json!([]), "nothing saved");

    // A session and a conference in the same days, in different cities: the session blocks.
    let mut ids = Vec::new();
    for body in [
        proposal(
            "session",
            "Сессия МАГ",
            "moscow",
            "secretariat",
            "2030-06-01",
            "2030-06-02",
        ),
        proposal(
            "conference",
            "Конференция",
            "astana",
            "astana",
            "2030-06-02",
            "2030-06-02",
        ),
        proposal(
            "conference",
            "Конференция по транспорту",
            "astana",
            "astana",
            "2030-06-02",
            "2030-06-03",
        ),
    ] {
        let (status, answer) = post(&app, &secretariat, "/api/v1/events/proposals", &body).await;
        assert_eq!(status, 201, "{answer}");
        let id = answer["id"].as_i64().expect("id");
        post(
            &app,
            &secretariat,
            &format!("/api/v1/events/proposals/{id}/submit"),
            &json!({}),
        )
        .await;
        post(
            &app,
            &secretariat,
            &format!("/api/v1/events/proposals/{id}/accept"),
            &json!({}),
        )
        .await;
        ids.push(id);
    }
    let (status, answer) = get(&app, Some(&secretariat), "/api/v1/events/clashes?year=2030").await;
    assert_eq!(status, 200);
    let clashes = answer["clashes"].as_array().expect("clashes");
    assert!(
        clashes
            .contains(&json!({"a": ids[0], "b": ids[1], "kind": "session", "severity": "blocks"})),
        "{answer}"
    );
    assert!(
        clashes
            .contains(&json!({"a": ids[1], "b": ids[2], "kind": "same_city", "severity": "warns"})),
        "{answer}"
    );
    assert!(
        clashes
            .contains(&json!({"a": ids[1], "b": ids[2], "kind": "duplicate", "severity": "warns"})),
        "{answer}"
    );
    // A city representative does not see the clash list.
    let minsk = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    assert_eq!(
        get(&app, Some(&minsk), "/api/v1/events/clashes?year=2030")
            .await
            .0,
        403
    );

    let (_, plan) = post(
        &app,
        &secretariat,
        "/api/v1/events/plans",
        &json!({"year": 2030}),
    )
    .await;
    let plan = plan["id"].as_i64().expect("id");
    post(
        &app,
        &secretariat,
        &format!("/api/v1/events/plans/{plan}/submit"),
        &json!({}),
    )
    .await;
    let (status, answer) = post(
        &app,
        &president,
        &format!("/api/v1/events/plans/{plan}/approve"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("blocking_clashes")),
        "{answer}"
    );
    let message = answer["error"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("#{} and #{}", ids[0], ids[1])),
        "{message}"
    );
    let (_, plan_now) = get(
        &app,
        Some(&secretariat),
        &format!("/api/v1/events/plans/{plan}"),
    )
    .await;
    assert_eq!(plan_now["state"], "submitted", "nothing changed");
}

#[tokio::test]
async fn the_proposals_page_proposes_and_lists_ones_own() {
    let app = spawn_app().await;
    let client = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let response = app
        .post_form(
            &client,
            "/events/proposals",
            "/events/proposals",
            &[
                ("year", "2030"),
                ("kind", "seminar"),
                ("title_ru", "Семинар"),
                ("starts_on", "2030-03-01"),
                ("ends_on", "2030-02-01"),
                ("city", "minsk"),
                ("organiser", "minsk"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"e-ends_on\""), "{html}");
    let response = app
        .post_form(
            &client,
            "/events/proposals",
            "/events/proposals",
            &[
                ("year", "2030"),
                ("kind", "seminar"),
                ("title_ru", "Семинар"),
                ("starts_on", "2030-03-01"),
                ("ends_on", "2030-03-01"),
                ("city", "minsk"),
                ("organiser", "minsk"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = location(&response);
    let html = app.get(&client, &page).await.text().await.expect("html");
    assert!(html.contains("Семинар"), "{html}");
    let next_year = time::OffsetDateTime::now_utc().year() + 1;
    let html = app
        .get(&client, &format!("/events?year={next_year}"))
        .await
        .text()
        .await
        .expect("html");
    // The demo's approved plan for next year, by month; a proposal not accepted is not in it.
    assert!(html.contains("Сессия Ассоциации"), "{html}");
    assert!(!html.contains("Конференция по открытым данным"), "{html}");
}

#[tokio::test]
async fn the_demo_has_an_approved_second_version_and_flags_a_clash_and_a_duplicate() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let (status, answer) = get(
        &app,
        Some(&secretariat),
        &format!("/api/v1/events/clashes?year={year}"),
    )
    .await;
    assert_eq!(status, 200);
    let clashes = answer["clashes"].as_array().expect("clashes");
    let has = |kind: &str, severity: &str| {
        clashes
            .iter()
            .any(|c| c["kind"] == kind && c["severity"] == severity)
    };
    assert!(
        has("session", "blocks") && has("duplicate", "warns"),
        "{answer}"
    );
    // Version 1 returned with remarks, version 2 approved, readable by anyone.
    let (status, v1) = get(&app, Some(&secretariat), "/api/v1/events/plans/1").await;
    assert_eq!(
        (status, v1["state"].as_str(), v1["version"].as_i64()),
        (200, Some("returned"), Some(1)),
        "{v1}"
    );
    assert!(!v1["remarks"].as_str().unwrap_or_default().is_empty());
    let (status, v2) = get(&app, None, "/api/v1/events/plans/2").await;
    assert_eq!(
        (status, v2["state"].as_str()),
        (200, Some("approved")),
        "{v2}"
    );
    assert_eq!(v2["added"].as_array().map(Vec::len), Some(1), "{v2}");
    // The President of the demo signs in.
    token_of(
        &app,
        megapolis_storage::demo::PRESIDENT_EMAIL,
        megapolis_storage::demo::PRESIDENT_PASSWORD,
    )
    .await;
}

#[tokio::test]
async fn the_plan_versions_page_takes_a_version_to_the_president_and_back() {
    let app = spawn_app().await;
    let secretariat_token = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let mut seminar = proposal(
        "seminar",
        "Семинар страниц",
        "moscow",
        "secretariat",
        "2031-02-03",
        "2031-02-03",
    );
    seminar["year"] = json!(2031);
    let (status, body) = post(
        &app,
        &secretariat_token,
        "/api/v1/events/proposals",
        &seminar,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("id");
    for action in ["submit", "accept"] {
        post(
            &app,
            &secretariat_token,
            &format!("/api/v1/events/proposals/{id}/{action}"),
            &json!({}),
        )
        .await;
    }
    let secretariat = app.login_as("secretariat").await;
    let response = app
        .post_form(
            &secretariat,
            "/events/plans",
            "/events/plans",
            &[("year", "2031")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let plan = app
        .store
        .events()
        .plans()
        .await
        .expect("plans")
        .into_iter()
        .find(|p| p.year == 2031)
        .expect("the 2031 version");
    let act = format!("/events/plans/{}/act", plan.id);
    let response = app
        .post_form(&secretariat, "/events/plans", &act, &[("action", "submit")])
        .await;
    assert_eq!(response.status(), 303);
    // The Secretariat does not approve.
    let response = app
        .post_form(
            &secretariat,
            "/events/plans",
            &act,
            &[("action", "approve")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let president = app
        .login_with(
            megapolis_storage::demo::PRESIDENT_EMAIL,
            megapolis_storage::demo::PRESIDENT_PASSWORD,
        )
        .await;
    let response = app
        .post_form(
            &president,
            "/events/plans",
            &act,
            &[("action", "return"), ("remarks", "Уточнить даты")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = app
        .get(&president, "/events/plans")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Уточнить даты"), "{html}");
    // A city representative does not see the versions.
    let minsk = app.login_as("city-rep").await;
    assert_eq!(app.get(&minsk, "/events/plans").await.status(), 403);
}
