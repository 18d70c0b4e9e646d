//! A proposal's linked catalogue solutions and training courses (issue 13, item 1): proposed
//! with links through the API and the form's multi-selects, read back; an unknown or unpublished
//! solution, an unknown course and a bad id refused by field with nothing saved; the approved
//! version keeps the links it approved when the event is amended later; a merge absorbs them.
use super::{approved_plan, president_token, proposal};
use crate::support::{api_get as get, api_post as post, spawn_app, token_of, unescape, TestApp};
use serde_json::{json, Value};

/// Published solutions (id, Russian title) and courses (id, Russian title) of the demo.
async fn demo_links(app: &TestApp) -> (Vec<(i64, String)>, Vec<(i64, String)>) {
    let solutions = app.store.catalogue().list(true).await.expect("solutions");
    let courses = app.store.training().programmes().await.expect("courses");
    assert!(
        solutions.len() >= 2 && !courses.is_empty(),
        "the demo links"
    );
    (
        solutions
            .iter()
            .map(|s| (s.id, s.title_ru.clone()))
            .collect(),
        courses
            .iter()
            .map(|c| (c.id, c.programme.title_ru.clone()))
            .collect(),
    )
}

async fn proposals_of(app: &TestApp, token: &str, year: i32) -> Vec<Value> {
    let (status, list) = get(
        app,
        Some(token),
        &format!("/api/v1/events/proposals?year={year}"),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().expect("a list").clone()
}

#[tokio::test]
async fn links_are_read_back_refused_by_field_and_kept_by_the_approved_version() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let president = president_token(&app).await;
    let (solutions, courses) = demo_links(&app).await;
    let (solution, course) = (&solutions[0], &courses[0]);
    let mut event = proposal(
        "seminar",
        "Семинар о связанных решениях",
        "minsk",
        "secretariat",
        "2032-03-10",
        "2032-03-10",
    );
    event["year"] = json!(2032);

    // Refused by field, nothing saved: an unknown solution, an unknown course, a bad id.
    let unpublished = app
        .store
        .catalogue()
        .list(false)
        .await
        .expect("all solutions")
        .into_iter()
        .find(|s| !s.published)
        .map_or(999_999, |s| s.id);
    for (field, value, code) in [
        ("solutions", json!([unpublished]), "unknown_solution"),
        ("solutions", json!([999_999]), "unknown_solution"),
        ("courses", json!([999_999]), "unknown_course"),
        ("courses", json!(["intro"]), "invalid_fields"),
    ] {
        let mut bad = event.clone();
        bad[field] = value;
        let (status, body) = post(&app, &secretariat, "/api/v1/events/proposals", &bad).await;
        assert_eq!((status, body["code"].as_str()), (422, Some(code)), "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(field)),
            "{body}"
        );
    }
    assert!(proposals_of(&app, &secretariat, 2032).await.is_empty());

    // Proposed with links, read back, approved: the event page links them.
    event["solutions"] = json!([solution.0]);
    event["courses"] = json!([course.0]);
    let (_, id) = approved_plan(&app, &secretariat, &president, event.clone()).await;
    let read = proposals_of(&app, &secretariat, 2032).await;
    assert_eq!(read.len(), 1);
    assert_eq!(read[0]["solutions"], json!([solution.0]), "{read:?}");
    assert_eq!(read[0]["courses"], json!([course.0]), "{read:?}");
    let page = |app: &TestApp| {
        let client = crate::support::client();
        let url = app.url(&format!("/events/{id}"));
        async move {
            unescape(
                &client
                    .get(url)
                    .header("Accept-Language", "ru")
                    .send()
                    .await
                    .expect("GET")
                    .text()
                    .await
                    .expect("html"),
            )
        }
    };
    let html = page(&app).await;
    assert!(
        html.contains(&format!(
            "href=\"/catalogue/{}\">{}",
            solution.0, solution.1
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "href=\"/training#programme-{}\">{}",
            course.0, course.1
        )),
        "{html}"
    );

    // Amended to another solution and no course: the approved version still shows what it
    // approved until the President approves the change.
    event["solutions"] = json!([solutions[1].0]);
    event["courses"] = json!([]);
    let (status, amended) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{id}/amend"),
        &event,
    )
    .await;
    assert_eq!(status, 200, "{amended}");
    assert_eq!(amended["solutions"], json!([solutions[1].0]));
    assert_eq!(amended["courses"], json!([]));
    let html = page(&app).await;
    assert!(
        html.contains(&format!("/catalogue/{}\"", solution.0)),
        "{html}"
    );
    assert!(
        !html.contains(&format!("/catalogue/{}\"", solutions[1].0)),
        "{html}"
    );
    super::approve_amendment(&app, &secretariat, &president, 2032).await;
    let html = page(&app).await;
    assert!(
        html.contains(&format!("/catalogue/{}\"", solutions[1].0)),
        "{html}"
    );
    assert!(!html.contains("id=\"event-courses\""), "{html}");
}

#[tokio::test]
async fn the_demo_seminars_link_a_solution_and_the_forum_a_course() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let (solutions, courses) = demo_links(&app).await;
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let next = proposals_of(&app, &secretariat, year).await;
    let of_kind = |kind: &'static str| next.iter().filter(move |p| p["kind"] == kind);
    assert!(of_kind("seminar").count() >= 2);
    assert!(of_kind("seminar").all(|p| p["solutions"] == json!([solutions[0].0])));
    assert!(of_kind("forum").all(|p| p["courses"] == json!([courses[0].0])));
}

#[tokio::test]
async fn the_form_proposes_with_links_and_a_merge_absorbs_them() {
    let app = spawn_app().await;
    let (solutions, courses) = demo_links(&app).await;
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    // The form offers the published solutions and the courses by title.
    let html = unescape(
        &app.get(&minsk, "/events/proposals")
            .await
            .text()
            .await
            .expect("html"),
    );
    assert!(
        html.contains("<select id=\"f-solutions\" name=\"solutions\" multiple"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<option value=\"{}\">{}</option>",
            courses[0].0, courses[0].1
        )),
        "{html}"
    );
    let (first, second) = (solutions[0].0.to_string(), solutions[1].0.to_string());
    let course = courses[0].0.to_string();
    let fields = |solutions: Vec<(&'static str, String)>| {
        let mut all: Vec<(&'static str, String)> = [
            ("year", "2033"),
            ("kind", "forum"),
            ("title_ru", "Форум связанных решений"),
            ("starts_on", "2033-05-10"),
            ("ends_on", "2033-05-11"),
            ("city", "minsk"),
            ("organiser", "minsk"),
        ]
        .map(|(k, v)| (k, v.to_string()))
        .to_vec();
        all.extend(solutions);
        all
    };
    let post_form = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let minsk = &minsk;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(minsk, "/events/proposals", "/events/proposals", &pairs)
                .await
        }
    };
    // An unknown course comes back refused, nothing saved.
    let response = post_form(fields(vec![("courses", "999999".into())])).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"events-problem\""), "{html}");
    let minsk_token = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    assert!(proposals_of(&app, &minsk_token, 2033).await.is_empty());

    let response = post_form(fields(vec![
        ("solutions", first.clone()),
        ("solutions", second.clone()),
    ]))
    .await;
    assert_eq!(response.status(), 303);
    let theirs = proposals_of(&app, &minsk_token, 2033).await;
    assert_eq!(
        theirs[0]["solutions"],
        json!([solutions[0].0, solutions[1].0])
    );
    let other = theirs[0]["id"].as_i64().expect("id");

    // The Secretariat's duplicate links the second solution and a course; merged, it has all.
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let mut ours = proposal(
        "forum",
        "Форум связанных решений",
        "minsk",
        "secretariat",
        "2033-05-10",
        "2033-05-11",
    );
    ours["year"] = json!(2033);
    ours["solutions"] = json!([solutions[1].0]);
    ours["courses"] = json!([courses[0].0]);
    let (status, created) = post(&app, &secretariat, "/api/v1/events/proposals", &ours).await;
    assert_eq!(status, 201, "{created}");
    let kept = created["id"].as_i64().expect("id");
    for (token, id) in [(&minsk_token, other), (&secretariat, kept)] {
        let path = format!("/api/v1/events/proposals/{id}/submit");
        assert_eq!(post(&app, token, &path, &json!({})).await.0, 200);
    }
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{kept}/merge"),
        &json!({ "others": [other], "reason": "Дубль" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let all = proposals_of(&app, &secretariat, 2033).await;
    let merged = all.iter().find(|p| p["id"] == kept).expect("kept");
    assert_eq!(
        merged["solutions"],
        json!([solutions[1].0, solutions[0].0]),
        "{merged}"
    );
    assert_eq!(
        merged["courses"],
        json!([course.parse::<i64>().expect("id")])
    );
}
