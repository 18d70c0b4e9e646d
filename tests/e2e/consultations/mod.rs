//! Consultations through HTTP with bearer tokens: who may open one and submit for which city,
//! bad input refused by field with nothing saved, the suggested groups (every submission once,
//! paraphrases together, a hard negative apart), the most similar submissions, who may see them,
//! and the pages.
mod semantic;

use crate::support::{api_get as get, api_post as post, location, spawn_app, token_of, TestApp};
use serde_json::{json, Value};

/// A demo person's bearer token.
async fn submission_count(app: &TestApp, id: i64) -> i64 {
    let (status, body) = get(app, None, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body["submission_count"].as_i64().expect("a count")
}

struct Tokens {
    secretariat: String,
    council: String,
    board: String,
    minsk: String,
}

async fn tokens(app: &TestApp) -> Tokens {
    Tokens {
        secretariat: token_of(
            app,
            "secretariat@megapolis.example",
            "demo-secretariat-pass",
        )
        .await,
        council: token_of(app, "council@megapolis.example", "demo-council-pass").await,
        board: token_of(app, "board@megapolis.example", "demo-board-pass").await,
        minsk: token_of(app, "minsk@megapolis.example", "demo-city-pass").await,
    }
}

async fn new_consultation(app: &TestApp, token: &str) -> i64 {
    let (status, body) = post(
        app,
        token,
        "/api/v1/consultations",
        &json!({"title_ru": "Итоги форума", "title_en": "After the forum", "topics": ["Wi-Fi", "open data"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

fn submission(city: &str, lang: &str, kind: &str, text: &str) -> Value {
    json!({"city": city, "lang": lang, "kind": kind, "text": text})
}

#[tokio::test]
async fn submissions_are_taken_by_role_and_refused_by_field() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    // Only staff open consultations.
    let (status, body) = post(
        &app,
        &t.minsk,
        "/api/v1/consultations",
        &json!({"title_ru": "x", "title_en": "x"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let id = new_consultation(&app, &t.secretariat).await;
    let path = format!("/api/v1/consultations/{id}/submissions");

    // A city representative for their own city, and by default for it.
    let (status, body) = post(
        &app,
        &t.minsk,
        &path,
        &submission("minsk", "ru", "proposal", "Wi-Fi в метро"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post(
        &app,
        &t.minsk,
        &path,
        &json!({"lang": "ru", "kind": "remark", "text": "Нет вайфая"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // Not for another city: the site's JSON error.
    let (status, body) = post(
        &app,
        &t.minsk,
        &path,
        &submission("astana", "ru", "proposal", "Wi-Fi в метро"),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["status"], 403);
    assert_eq!(body["code"], "not_your_city");
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("city")),
        "{body}"
    );
    // The Secretariat for any city (what came by e-mail).
    let (status, body) = post(
        &app,
        &t.secretariat,
        &path,
        &submission("astana", "en", "proposal", "Free Wi-Fi in the metro"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(submission_count(&app, id).await, 3);

    // Bad input: 422 naming the field, nothing saved.
    let huge = "а".repeat(1024 * 1024);
    let bad = [
        (submission("atlantis", "ru", "proposal", "Текст"), "city"),
        (submission("astana", "ru", "proposal", "   "), "text"),
        (submission("astana", "ru", "proposal", &huge), "text"),
        (submission("astana", "ru", "wish", "Текст"), "kind"),
        (submission("astana", "de", "proposal", "Текст"), "lang"),
        (
            json!({"city": "astana", "kind": "proposal", "text": 42}),
            "text",
        ),
    ];
    for (body, field) in &bad {
        let (status, answer) = post(&app, &t.secretariat, &path, body).await;
        assert_eq!(status, 422, "{field}: {answer}");
        assert!(
            answer["error"].as_str().is_some_and(|e| e.contains(field)),
            "{field}: {answer}"
        );
        assert_eq!(answer["status"], 422);
    }
    // Not JSON at all.
    let response = app
        .client
        .post(app.url(&path))
        .bearer_auth(&t.secretariat)
        .body("text=1")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 400);
    assert_eq!(submission_count(&app, id).await, 3, "nothing half-saved");

    // Anonymous callers are not signed in.
    let response = app
        .client
        .post(app.url(&path))
        .json(&submission("", "ru", "proposal", "x"))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 401);
    // No such consultation.
    let (status, _) = post(
        &app,
        &t.secretariat,
        "/api/v1/consultations/999999/submissions",
        &submission("", "ru", "proposal", "x"),
    )
    .await;
    assert_eq!(status, 404);

    // A closed consultation takes nothing more.
    let (status, body) = post(
        &app,
        &t.secretariat,
        &format!("/api/v1/consultations/{id}/close"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("closed")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &t.minsk,
        &path,
        &submission("minsk", "ru", "proposal", "Ещё одно"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "consultation_closed");
    assert_eq!(submission_count(&app, id).await, 3);

    // The list and the consultation are public, without authors.
    let (status, list) = get(&app, None, "/api/v1/consultations").await;
    assert_eq!(status, 200);
    assert!(list
        .as_array()
        .is_some_and(|l| l.iter().any(|c| c["id"] == id)));
    let (_, one) = get(&app, None, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(one["topics"], json!(["Wi-Fi", "open data"]));
    assert_eq!(one["submissions"][0]["city"], "minsk");
    assert!(one["submissions"][0].get("author").is_none());
}

/// Paraphrases of three requests (both languages) and a hard negative.
const TEXTS: &[(&str, &str)] = &[
    ("wifi", "Обеспечить бесплатный Wi-Fi на всех станциях метрополитена."),
    ("budget", "Публиковать сведения об исполнении городского бюджета в машиночитаемом формате."),
    ("wifi", "Free Wi-Fi in every metro station, please."),
    ("training", "Провести обучение сотрудников администрации основам кибербезопасности и распознаванию фишинга."),
    ("budget", "The city budget and how it is spent should be published as machine-readable open data."),
    ("wifi", "Нужен вайфай в метро!"),
    ("training", "Train city staff to recognise phishing e-mails and follow basic cybersecurity rules."),
    // The same words as the budget group, asking for something else.
    ("negative", "Переделать дизайн портала открытых данных, он устарел."),
];

#[tokio::test]
async fn the_council_sees_groups_and_similar_submissions() {
    let app = spawn_app().await;
    let t = tokens(&app).await;
    let id = new_consultation(&app, &t.secretariat).await;
    let mut ids = Vec::new();
    for (_, text) in TEXTS {
        let (status, body) = post(
            &app,
            &t.secretariat,
            &format!("/api/v1/consultations/{id}/submissions"),
            &json!({"kind": "proposal", "text": text}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_i64().expect("id"));
    }
    let clusters_path = format!("/api/v1/consultations/{id}/clusters");
    for token in [&t.council, &t.secretariat] {
        let (status, body) = get(&app, Some(token), &clusters_path).await;
        assert_eq!(status, 200, "{body}");
        let threshold = body["threshold"].as_f64().expect("the default threshold");
        assert!((0.0..=1.0).contains(&threshold));
        let groups: Vec<Vec<i64>> = body["clusters"]
            .as_array()
            .expect("clusters")
            .iter()
            .map(|c| {
                c["submissions"]
                    .as_array()
                    .expect("ids")
                    .iter()
                    .filter_map(Value::as_i64)
                    .collect()
            })
            .collect();
        let mut all: Vec<i64> = groups.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, ids, "every submission in exactly one group: {body}");
        let group_of = |i: usize| groups.iter().position(|g| g.contains(&ids[i]));
        assert_eq!(group_of(0), group_of(2), "{groups:?}");
        assert_eq!(group_of(0), group_of(5), "{groups:?}");
        assert_eq!(group_of(1), group_of(4), "{groups:?}");
        assert_eq!(group_of(3), group_of(6), "{groups:?}");
        assert_ne!(
            group_of(7),
            group_of(1),
            "the hard negative stays apart: {groups:?}"
        );
    }
    // At 1 every submission stands alone; out of range is refused.
    let (status, body) = get(
        &app,
        Some(&t.council),
        &format!("{clusters_path}?threshold=1"),
    )
    .await;
    assert_eq!(
        (status, body["clusters"].as_array().map(Vec::len)),
        (200, Some(TEXTS.len())),
        "{body}"
    );
    for bad in ["1.5", "-0.2", "many"] {
        let (status, body) = get(
            &app,
            Some(&t.council),
            &format!("{clusters_path}?threshold={bad}"),
        )
        .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("threshold")),
            "{body}"
        );
    }

    // The most similar: never itself, sorted, limited.
    let similar_path = |sid: i64, query: &str| {
        format!("/api/v1/consultations/{id}/submissions/{sid}/similar{query}")
    };
    let (status, body) = get(&app, Some(&t.council), &similar_path(ids[0], "")).await;
    assert_eq!(status, 200, "{body}");
    let similar = body["similar"].as_array().expect("a list");
    assert_eq!(similar.len(), 5, "the default limit");
    assert!(similar.iter().all(|n| n["id"] != ids[0]));
    let scores: Vec<f64> = similar.iter().filter_map(|n| n["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    let top: Vec<i64> = similar
        .iter()
        .take(2)
        .filter_map(|n| n["id"].as_i64())
        .collect();
    assert!(top.contains(&ids[2]) && top.contains(&ids[5]), "{body}");
    let (_, body) = get(&app, Some(&t.council), &similar_path(ids[0], "?limit=100")).await;
    assert_eq!(
        body["similar"].as_array().map(Vec::len),
        Some(TEXTS.len() - 1)
    );
    let (status, _) = get(&app, Some(&t.council), &similar_path(ids[0], "?limit=x")).await;
    assert_eq!(status, 422);
    let (status, _) = get(&app, Some(&t.council), &similar_path(999_999, "")).await;
    assert_eq!(status, 404);

    // A city representative, a Board member (not on the Council) and anonymous callers do not.
    for token in [Some(&t.minsk), Some(&t.board)] {
        let (status, body) = get(&app, token.map(String::as_str), &clusters_path).await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = get(&app, token.map(String::as_str), &similar_path(ids[0], "")).await;
        assert_eq!(status, 403);
    }
    let (status, _) = get(&app, None, &clusters_path).await;
    assert_eq!(status, 401);

    // The page: the Council sees the groups with the threshold form; a representative submits.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let html = app
        .get(&council, &format!("/consultations/{id}?threshold=0.2"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        html.contains("id=\"threshold-form\"") && html.contains("class=\"group\""),
        "{html}"
    );
    let minsk = app
        .login_with("minsk@megapolis.example", "demo-city-pass")
        .await;
    let html = app
        .get(&minsk, &format!("/consultations/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(!html.contains("id=\"threshold-form\""));
    let page = format!("/consultations/{id}");
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("/consultations/{id}/submissions"),
            &[
                ("kind", "proposal"),
                ("lang", "ru"),
                ("text", "Wi-Fi в вагонах метро"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        location(&response).starts_with(&format!("/consultations/{id}?done=created#submission-"))
    );
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("/consultations/{id}/submissions"),
            &[("kind", "proposal"), ("text", " ")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(submission_count(&app, id).await, TEXTS.len() as i64 + 1);
}
pub(crate) mod browser;
mod documents;
mod generalise;
mod import;
mod priorities;
