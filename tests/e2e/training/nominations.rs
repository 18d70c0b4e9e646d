//! After nominations arrive: the Secretariat puts one on the waiting list (its place frees for
//! another nominee of the city), declines one with a reason the city's representative is told, confirms from the waiting list only when a place is free, moves a
//! nominee to another cohort (the original kept, linked), keeps a register of sessions from
//! which attendance is counted, and results are refused for a nomination that holds no place.
use super::{iso, json_of};
use crate::support::{client, spawn_app};
use serde_json::{json, Value};

/// The id of what a POST created (201).
async fn id_of(response: reqwest::Response, what: &str) -> i64 {
    json_of(response, 201, what).await["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{what}: no id"))
}

#[tokio::test]
async fn the_secretariat_decides_moves_and_keeps_the_register() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let staff_token = app.api_token(&staff).await;
    let minsk_rep = app.login_as("city-rep").await;
    let minsk_token = app.api_token(&minsk_rep).await;
    let http = client();
    let send = |method: reqwest::Method, token: &str, path: &str, body: Value| {
        http.request(method, app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let post =
        |token: &str, path: &str, body: Value| send(reqwest::Method::POST, token, path, body);
    let programme = json_of(
        post(
            &staff_token,
            "/api/v1/training/programmes",
            json!({
                "title_ru": "Кибербезопасность города", "title_en": "City cyber security",
                "hours": 24, "min_attendance": 0.5
            }),
        )
        .await
        .expect("POST"),
        201,
        "programme",
    )
    .await;
    let today = time::OffsetDateTime::now_utc().date();
    // A teacher with an account (the demo's expert) marks the register of the spring cohort.
    let (teacher_email, _) = crate::support::demo_login("expert");
    let teacher = app.login_as("expert").await;
    let teacher_token = app.api_token(&teacher).await;
    let cohort = |title: &str| {
        json!({
            "programme_id": programme["id"], "title": title, "teachers": "И. Петров",
            "teacher_accounts": if title == "Весна" { vec![teacher_email] } else { Vec::new() },
            "starts_on": iso(today), "ends_on": iso(today + time::Duration::days(10)),
            "capacity": 2, "applications_open": iso(today - time::Duration::days(1)),
            "applications_close": iso(today + time::Duration::days(1)),
            "quotas": {"minsk": 2}
        })
    };
    let spring = id_of(
        post(&staff_token, "/api/v1/training/cohorts", cohort("Весна"))
            .await
            .expect("POST"),
        "cohort",
    )
    .await;
    let autumn = id_of(
        post(&staff_token, "/api/v1/training/cohorts", cohort("Осень"))
            .await
            .expect("POST"),
        "cohort",
    )
    .await;
    let nominate = |name: &str, email: &str| {
        post(
            &minsk_token,
            &format!("/api/v1/training/cohorts/{spring}/nominations"),
            json!({ "name": name, "position": "Инженер", "email": email }),
        )
    };
    let first = id_of(
        nominate("Анна", "anna@minsk.example").await.expect("POST"),
        "first",
    )
    .await;
    let second = id_of(
        nominate("Борис", "boris@minsk.example")
            .await
            .expect("POST"),
        "second",
    )
    .await;
    let full = json_of(
        nominate("Вера", "vera@minsk.example").await.expect("POST"),
        409,
        "full",
    )
    .await;
    assert_eq!(full["code"], "quota_used");

    let decide = |id: i64, decision: &str, reason: &str| {
        post(
            &staff_token,
            &format!("/api/v1/training/nominations/{id}/decision"),
            json!({ "decision": decision, "reason": reason }),
        )
    };
    // The waiting list frees a place: Vera can be nominated now.
    let waiting = json_of(
        decide(second, "waitlist", "").await.expect("POST"),
        200,
        "waitlist",
    )
    .await;
    assert_eq!(waiting["state"], "waitlisted");
    let third = id_of(
        nominate("Вера", "vera@minsk.example").await.expect("POST"),
        "third",
    )
    .await;
    // Off the waiting list only with a free place.
    let no_place = json_of(
        decide(second, "confirm", "").await.expect("POST"),
        409,
        "no place",
    )
    .await;
    assert_eq!(no_place["code"], "quota_used", "{no_place}");
    // Declining needs a reason, and the city's representative is told it.
    let no_reason = json_of(
        decide(third, "decline", " ").await.expect("POST"),
        422,
        "no reason",
    )
    .await;
    assert_eq!(no_reason["code"], "no_reason");
    let declined = json_of(
        decide(third, "decline", "Нет бюджета на командировку")
            .await
            .expect("POST"),
        200,
        "decline",
    )
    .await;
    assert_eq!(declined["state"], "declined");
    let inbox = app
        .get(&minsk_rep, "/inbox")
        .await
        .text()
        .await
        .expect("inbox");
    assert!(inbox.contains("Нет бюджета на командировку"), "{inbox}");
    // The nominee has no account: the decision reaches her by e-mail, once.
    let mails = app.store.notices().mail_due(1000).await.expect("outbox");
    let to_vera: Vec<_> = mails
        .iter()
        .filter(|m| m.to_address == "vera@minsk.example")
        .collect();
    assert_eq!(to_vera.len(), 1, "one e-mail to the nominee");
    assert_eq!(to_vera[0].notice.kind, "declined");
    assert!(to_vera[0].notice.text.contains("Нет бюджета"));
    let again = json_of(
        decide(third, "confirm", "").await.expect("POST"),
        409,
        "settled",
    )
    .await;
    assert_eq!(again["code"], "not_now");
    // Now Boris comes off the waiting list; Anna is confirmed.
    let confirmed = json_of(
        decide(second, "confirm", "").await.expect("POST"),
        200,
        "confirm",
    )
    .await;
    assert_eq!(confirmed["state"], "confirmed");
    json_of(
        decide(first, "confirm", "").await.expect("POST"),
        200,
        "confirm",
    )
    .await;

    // Boris moves to the autumn cohort: a new nomination there, the original kept and linked.
    let moved = json_of(
        post(
            &staff_token,
            &format!("/api/v1/training/nominations/{second}/move"),
            json!({ "cohort": autumn, "reason": "Просил перенести" }),
        )
        .await
        .expect("POST"),
        201,
        "move",
    )
    .await;
    assert_eq!(moved["cohort"], autumn);
    let list = |cohort: i64| {
        http.get(app.url(&format!("/api/v1/training/cohorts/{cohort}/nominations")))
            .bearer_auth(&staff_token)
            .send()
    };
    let spring_list = json_of(list(spring).await.expect("GET"), 200, "spring").await;
    let by_id = |list: &Value, id: i64| -> Value {
        list["nominations"]
            .as_array()
            .expect("nominations")
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {list}"))
    };
    assert_eq!(by_id(&spring_list, second)["state"], "moved");
    assert_eq!(
        by_id(&spring_list, third)["state"],
        "declined",
        "nothing is deleted"
    );
    let autumn_list = json_of(list(autumn).await.expect("GET"), 200, "autumn").await;
    assert_eq!(autumn_list["nominations"][0]["name"], "Борис");

    // The register: two sessions; Anna attends one of them.
    let sessions = format!("/api/v1/training/cohorts/{spring}/sessions");
    let mut session_ids = Vec::new();
    for (day, topic) in [
        (today, "Угрозы"),
        (today + time::Duration::days(1), "Реагирование"),
    ] {
        let created = json_of(
            post(
                &staff_token,
                &sessions,
                json!({ "day": iso(day), "topic": topic }),
            )
            .await
            .expect("POST"),
            201,
            "session",
        )
        .await;
        session_ids.push(created["id"].as_i64().expect("id"));
    }
    let outside = json_of(
        post(
            &staff_token,
            &sessions,
            json!({ "day": iso(today + time::Duration::days(40)), "topic": "Поздно" }),
        )
        .await
        .expect("POST"),
        409,
        "outside the dates",
    )
    .await;
    assert_eq!(outside["status"], 409);
    let mark = |session: i64, present: Value| {
        send(
            reqwest::Method::PUT,
            &staff_token,
            &format!("/api/v1/training/sessions/{session}/attendance"),
            json!({ "present": present }),
        )
    };
    // Only the Secretariat and the cohort's teachers keep the register.
    let by_rep = send(
        reqwest::Method::PUT,
        &minsk_token,
        &format!("/api/v1/training/sessions/{}/attendance", session_ids[0]),
        json!({ "present": [first] }),
    )
    .await
    .expect("PUT");
    assert_eq!(by_rep.status(), 403, "a city representative");
    let by_teacher = send(
        reqwest::Method::PUT,
        &teacher_token,
        &format!("/api/v1/training/sessions/{}/attendance", session_ids[0]),
        json!({ "present": [first] }),
    )
    .await
    .expect("PUT");
    assert_eq!(by_teacher.status(), 200, "the cohort's teacher");
    let autumn_session = id_of(
        post(
            &staff_token,
            &format!("/api/v1/training/cohorts/{autumn}/sessions"),
            json!({ "day": iso(today), "topic": "Осень" }),
        )
        .await
        .expect("POST"),
        "autumn session",
    )
    .await;
    let elsewhere = send(
        reqwest::Method::PUT,
        &teacher_token,
        &format!("/api/v1/training/sessions/{autumn_session}/attendance"),
        json!({ "present": [] }),
    )
    .await
    .expect("PUT");
    assert_eq!(
        elsewhere.status(),
        403,
        "not a teacher of the autumn cohort"
    );
    json_of(
        mark(session_ids[0], json!([first])).await.expect("PUT"),
        200,
        "register",
    )
    .await;
    json_of(
        mark(session_ids[1], json!([])).await.expect("PUT"),
        200,
        "register",
    )
    .await;
    let stranger = json_of(
        mark(session_ids[1], json!([second])).await.expect("PUT"),
        409,
        "moved away",
    )
    .await;
    assert_eq!(stranger["status"], 409);
    let register = json_of(
        http.get(app.url(&sessions))
            .bearer_auth(&staff_token)
            .send()
            .await
            .expect("GET"),
        200,
        "sessions",
    )
    .await;
    assert_eq!(register["sessions"][0]["present"], json!([first]));
    assert_eq!(register["sessions"][1]["present"], json!([]));

    // Results without attendance are counted from the register: 1 of 2 sessions = 50 %, which
    // the programme's rule of 50 % accepts.
    let complete = |id: i64| {
        post(
            &staff_token,
            &format!("/api/v1/training/nominations/{id}/complete"),
            json!({ "assessment_passed": true }),
        )
    };
    let outcome = json_of(complete(first).await.expect("POST"), 200, "complete").await;
    assert_eq!(outcome["state"], "completed");
    let anna = by_id(
        &json_of(list(spring).await.expect("GET"), 200, "spring").await,
        first,
    );
    assert_eq!(anna["attendance"], 0.5);
    // One certificate, issued on its own; not twice, and not to who did not complete.
    let issue_one = |id: i64| {
        post(
            &staff_token,
            &format!("/api/v1/training/nominations/{id}/certificate"),
            json!({}),
        )
    };
    let certificate = json_of(issue_one(first).await.expect("POST"), 201, "issue one").await;
    let code = certificate["code"].as_str().expect("code").to_string();
    let status = json_of(
        http.get(app.url(&format!("/api/v1/certificates/{code}/status")))
            .send()
            .await
            .expect("GET"),
        200,
        "status",
    )
    .await;
    assert_eq!(status["status"], "valid");
    let twice = json_of(issue_one(first).await.expect("POST"), 409, "twice").await;
    assert!(
        twice["error"].as_str().is_some_and(|e| e.contains(&code)),
        "{twice}"
    );
    let not_completed = json_of(issue_one(third).await.expect("POST"), 409, "declined").await;
    assert!(
        not_completed["error"]
            .as_str()
            .is_some_and(|e| e.contains("completed")),
        "{not_completed}"
    );
    // A declined nomination takes no results.
    let refused = json_of(complete(third).await.expect("POST"), 409, "declined").await;
    assert_eq!(refused["status"], 409);

    // The cohort page shows the staff the register, the states and the reasons.
    let page = app
        .get(&staff, &format!("/training/cohorts/{spring}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("id=\"add-session\"") && page.contains("Реагирование"));
    assert!(page.contains("Нет бюджета на командировку"));
    assert!(page.contains("И. Петров"), "the teachers");
}
