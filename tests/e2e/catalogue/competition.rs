//! A competition walked through the API on the real server, on both databases: the call, a
//! city's entry (its own city only, before the deadline), screening with a reason, experts of a
//! nomination with a conflict found by organisation, declarations before the dossier opens,
//! scores on the scale (final, others' hidden), the jury's ranking and decision, a waiver by the
//! chair, and the winner published into the catalogue where search finds it.
use crate::support::{api_get as get, api_post as post, spawn_app, TestApp};
use serde_json::{json, Value};

/// The password of the people [`person`] seeds.
pub(crate) const PASSWORD: &str = "a-seeded-password-2026";

/// A person with a role, a city and (when given) a position in a body; their API token.
pub(crate) async fn person(
    app: &TestApp,
    role: &str,
    city: &str,
    body: Option<(&str, &str)>,
) -> (i64, String) {
    let (id, client) = signed_in_person(app, role, city, body).await;
    (id, app.api_token(&client).await)
}

/// A person as [`person`] seeds them, signed in on the pages.
pub(crate) async fn signed_in_person(
    app: &TestApp,
    role: &str,
    city: &str,
    body: Option<(&str, &str)>,
) -> (i64, reqwest::Client) {
    let actor = "tests";
    if let Some((id, _)) = body {
        let body_id = megapolis_domain::BodyId::parse(id).expect("a body id");
        if app
            .store
            .org()
            .body(&body_id)
            .await
            .expect("read")
            .is_none()
        {
            let body = megapolis_domain::body::BodyInput {
                id: id.into(),
                kind: "council".into(),
                name_ru: "Жюри конкурса".into(),
                name_en: "Competition jury".into(),
                short_ru: "Жюри".into(),
                short_en: "Jury".into(),
            }
            .parse()
            .expect("a body");
            app.store
                .org()
                .save_bodies(actor, &[body])
                .await
                .expect("save the body");
        }
    }
    let email = format!("{role}-{}@megapolis.test", &megapolis_web::new_token()[..8]);
    let password = PASSWORD;
    let draft = megapolis_domain::person::PersonInput {
        email: email.clone(),
        name: format!("{role} of {city}"),
        role: role.into(),
        city: city.into(),
        body: body.map(|(b, _)| b).unwrap_or_default().into(),
        position: body.map(|(_, p)| p).unwrap_or_default().into(),
    }
    .parse()
    .expect("a person");
    let hash = megapolis_domain::password::hash_password(password).expect("hash");
    let id = app
        .store
        .accounts()
        .create_person(actor, &draft, Some(&hash))
        .await
        .expect("save the person");
    (id, app.login_with(&email, password).await)
}

fn call() -> Value {
    let anchors = |what: &str| -> Vec<String> { (1..=5).map(|i| format!("{what}: {i}")).collect() };
    json!({
        "title_ru": "Конкурс лучших решений 2026", "title_en": "Best solutions 2026", "year": 2026,
        "nominations": ["Умный транспорт", "Открытый город"],
        "eligibility": ["Решение работает в городе не меньше года"],
        "criteria": [
            {"name_ru": "Результаты", "name_en": "Results", "weight": 3, "anchors_ru": anchors("результаты")},
            {"name_ru": "Тиражируемость", "name_en": "Reuse", "weight": 1, "anchors_en": anchors("reuse")}
        ],
        "submission_deadline": "2100-03-01", "evaluation_deadline": "2100-04-01", "results_on": "2100-04-15",
        "jury_body": "jury-2026"
    })
}

fn an_entry(city: &str) -> Value {
    json!({
        "nomination": "Умный транспорт", "city": city,
        "title_ru": "Адаптивные светофоры на перекрёстках", "title_en": "Adaptive traffic lights",
        "summary_ru": "Светофоры подстраиваются под поток машин.", "summary_en": "Traffic lights follow the flow.",
        "problem": "Пробки в час пик", "results": "Время в пути −18 % на 40 перекрёстках",
        "technologies": ["Python", "PostgreSQL"], "hardware": ["детекторы"], "licence": "MIT",
        "url": "https://lights.example", "contacts": "ito@minsk.example", "used_by": ["baku"]
    })
}

/// Posts a file as the multipart field `file` with a bearer token: the status and the answer.
async fn upload(
    app: &TestApp,
    token: &str,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn status_of(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_competition_goes_from_the_call_to_the_catalogue() {
    let app = spawn_app().await;
    let (_, secretariat) = person(&app, "secretariat", "", None).await;
    let (minsk_rep, minsk) = person(&app, "city-rep", "minsk", None).await;
    let (_, chair) = person(&app, "body-member", "moscow", Some(("jury-2026", "chair"))).await;
    let (_, juror) = person(
        &app,
        "body-member",
        "yerevan",
        Some(("jury-2026", "member")),
    )
    .await;
    let (astana_id, astana) = person(&app, "expert", "astana", None).await;
    let (moscow_id, moscow) = person(&app, "expert", "moscow", None).await;
    let (yerevan_id, yerevan) = person(&app, "expert", "yerevan", None).await;
    let (minsk_expert_id, minsk_expert) = person(&app, "expert", "minsk", None).await;
    let (baku_expert_id, _) = person(&app, "expert", "baku", None).await;

    // A criterion with four anchors is refused by its row; nothing is saved.
    let mut bad = call();
    bad["criteria"][1]["anchors_en"] = json!(["a", "b", "c", "d"]);
    let (status, body) = post(&app, &secretariat, "/api/v1/competitions", &bad).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["fields"][0]["field"], "criteria.anchors_en[2]",
        "{body}"
    );
    let (status, body) = post(&app, &minsk, "/api/v1/competitions", &call()).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(&app, &secretariat, "/api/v1/competitions", &call()).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("an id");
    let base = format!("/api/v1/competitions/{id}");

    // A draft call is not public; entries wait for the call to open.
    let (status, _) = get(&app, None, &base).await;
    assert_eq!(status, 404);
    let (status, body) = post(&app, &minsk, &format!("{base}/entries"), &an_entry("minsk")).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = get(&app, Some(&secretariat), &base).await;
    assert_eq!(status, 200, "{body}");
    let transport = body["nominations"][0]["id"].as_i64().expect("a nomination");
    assert_eq!(body["criteria"][0]["anchors_ru"][4], "результаты: 5");
    let experts =
        json!({"experts": [astana_id, moscow_id, yerevan_id, minsk_expert_id, baku_expert_id]});
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("{base}/nominations/{transport}/experts"),
        &experts,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = post(&app, &secretariat, &format!("{base}/open"), &json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stage"], "open");
    let inbox = app
        .store
        .notices()
        .inbox(minsk_rep, 10)
        .await
        .expect("inbox");
    assert!(
        inbox
            .iter()
            .any(|n| n.link == format!("/competitions/{id}")),
        "Minsk's representative hears of the call"
    );

    // Minsk enters for Minsk only, as a draft, then submits.
    let (status, body) = post(
        &app,
        &minsk,
        &format!("{base}/entries"),
        &an_entry("moscow"),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(&app, &minsk, &format!("{base}/entries"), &an_entry("minsk")).await;
    assert_eq!(status, 201, "{body}");
    let entry = body["id"].as_i64().expect("an entry");
    let (status, body) = post(
        &app,
        &minsk,
        &format!("{base}/entries"),
        &json!({"nomination": "Нет такой", "city": "minsk", "title_ru": "x"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // Attachments: a presentation as PDF; a program, a fake picture and an oversized file are
    // refused by name, and nothing is kept of them.
    let attach = format!("/api/v1/entries/{entry}/attachments");
    let pdf = b"%PDF-1.4 a presentation of the adaptive lights".to_vec();
    let (status, body) = upload(&app, &minsk, &attach, "slides.pdf", pdf.clone()).await;
    assert_eq!(status, 201, "{body}");
    let slides = body["id"].as_i64().expect("a file");
    for (name, bytes) in [
        ("setup.exe", b"MZ a program".to_vec()),
        ("screen.png", b"MZ not a picture".to_vec()),
        (
            "huge.pdf",
            [b"%PDF".as_slice(), &vec![0u8; 21 * 1024 * 1024]].concat(),
        ),
    ] {
        let (status, body) = upload(&app, &minsk, &attach, name, bytes).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert!(
            body["error"].as_str().unwrap_or_default().contains(name),
            "{body}"
        );
    }
    let (_, body) = get(&app, Some(&minsk), &format!("/api/v1/entries/{entry}")).await;
    assert_eq!(
        body["dossier"]["attachments"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );
    // A draft is its city's own: the jury does not see it.
    let (status, _) = get(&app, Some(&juror), &format!("/api/v1/entries/{entry}")).await;
    assert_eq!(status, 404);

    let (status, body) = post(
        &app,
        &minsk,
        &format!("/api/v1/entries/{entry}/submit"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stage"], "submitted");

    // Screening: not eligible needs a reason; eligible does not.
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/entries/{entry}/screen"),
        &json!({"eligible": false}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = post(
        &app,
        &minsk,
        &format!("/api/v1/entries/{entry}/screen"),
        &json!({"eligible": true}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/entries/{entry}/screen"),
        &json!({"eligible": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stage"], "eligible");
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("{base}/evaluation"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Before declaring, an expert sees the entry's name, city and users, not its dossier, and
    // cannot score.
    let entry_path = format!("/api/v1/entries/{entry}");
    let (status, body) = get(&app, Some(&astana), &entry_path).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["dossier"].is_null(), "{body}");
    assert_eq!(body["used_by"], json!(["baku"]));
    let slides_path = format!("{entry_path}/attachments/{slides}");
    let download = |token: String| {
        let request = app.client.get(app.url(&slides_path)).bearer_auth(token);
        async move { request.send().await.expect("download") }
    };
    assert_eq!(
        download(astana.clone()).await.status(),
        404,
        "the slides stay closed"
    );
    let scores = json!({"scores": [{"score": 5, "comment": "сильные результаты"}, {"score": 3}]});
    let (status, body) = post(&app, &astana, &format!("{entry_path}/scores"), &scores).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(status_of(&body), "conflict_not_declared");
    let (status, body) = post(
        &app,
        &astana,
        &format!("{entry_path}/declaration"),
        &json!({"conflict": false}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, body) = get(&app, Some(&astana), &entry_path).await;
    assert_eq!(
        body["dossier"]["results"],
        "Время в пути −18 % на 40 перекрёстках"
    );
    let slides_file = download(astana.clone()).await;
    assert_eq!(slides_file.status(), 200);
    assert_eq!(slides_file.bytes().await.expect("bytes").to_vec(), pdf);

    // A score outside the scale is refused by criterion; a good one is final.
    let (status, body) = post(
        &app,
        &astana,
        &format!("{entry_path}/scores"),
        &json!({"scores": [{"score": 6}, {"score": 3}]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("scores[1]"),
        "{body}"
    );
    let (status, body) = post(&app, &astana, &format!("{entry_path}/scores"), &scores).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = post(&app, &astana, &format!("{entry_path}/scores"), &scores).await;
    assert_eq!(status, 409, "{body}");

    // The Minsk expert is excluded by organisation, whatever they declare.
    let (status, _) = post(
        &app,
        &minsk_expert,
        &format!("{entry_path}/declaration"),
        &json!({"conflict": false}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, body) = get(&app, Some(&minsk_expert), &entry_path).await;
    assert!(body["dossier"].is_null(), "{body}");
    let (status, body) = post(
        &app,
        &minsk_expert,
        &format!("{entry_path}/scores"),
        &scores,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(status_of(&body), "conflict_of_interest");
    // An expert may declare a conflict of their own (with a reason).
    let (status, _) = post(
        &app,
        &moscow,
        &format!("{entry_path}/declaration"),
        &json!({"conflict": true}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post(
        &app,
        &moscow,
        &format!("{entry_path}/declaration"),
        &json!({"conflict": true, "reason": "консультировал авторов"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(&app, &moscow, &format!("{entry_path}/scores"), &scores).await;
    assert_eq!(status, 403);

    // Only the jury and the Secretariat read the ranking.
    let (status, _) = get(&app, Some(&astana), &format!("{base}/ranking")).await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &yerevan,
        &format!("{entry_path}/declaration"),
        &json!({"conflict": false}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &app,
        &yerevan,
        &format!("{entry_path}/scores"),
        &json!({"scores": [{"score": 3}, {"score": 3}]}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = get(&app, Some(&juror), &format!("{base}/ranking")).await;
    assert_eq!(status, 200, "{body}");
    let standing = &body[0]["standings"][0];
    // (5·3 + 3·1)/4 = 4.5 and (3·3 + 3·1)/4 = 3.0: mean 3.75, spread 1.5.
    assert_eq!(standing["entry"].as_i64(), Some(entry));
    assert_eq!(standing["score"].as_f64(), Some(3.75), "{body}");
    assert_eq!(standing["spread"].as_f64(), Some(1.5), "{body}");
    assert_eq!(standing["reviews"].as_i64(), Some(2));

    // The chair waives the Minsk expert's conflict with a reason; then they score.
    let waiver =
        json!({"expert": minsk_expert_id, "reason": "единственный специалист по детекторам"});
    let (status, _) = post(&app, &juror, &format!("{entry_path}/waivers"), &waiver).await;
    assert_eq!(status, 403, "a member is not the chair");
    let (status, body) = post(&app, &chair, &format!("{entry_path}/waivers"), &waiver).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = post(
        &app,
        &minsk_expert,
        &format!("{entry_path}/scores"),
        &json!({"scores": [{"score": 4}, {"score": 4}]}),
    )
    .await;
    assert_eq!(status, 204, "{body}");

    // The chair records the decision; the Secretariat publishes; search finds the winner.
    let decision =
        json!({"awards": [{"entry": entry, "award": "winner"}], "decision": "Протокол жюри № 1"});
    let (status, _) = post(&app, &juror, &format!("{base}/decision"), &decision).await;
    assert_eq!(status, 403);
    let (status, body) = post(&app, &chair, &format!("{base}/decision"), &decision).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = post(&app, &secretariat, &format!("{base}/publish"), &json!({})).await;
    assert_eq!(status, 200, "{body}");
    let solution = body["solutions"][0].as_i64().expect("a solution");
    let (status, body) = get(&app, None, &format!("/api/v1/solutions/{solution}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["nomination"], "Умный транспорт");
    assert_eq!(body["year"], 2026);
    let (status, body) = get(&app, None, "/api/v1/solutions/search?q=светофор").await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .any(|h| h["id"].as_i64() == Some(solution)),
        "{body}"
    );
    let (status, body) = get(&app, None, &entry_path).await;
    assert_eq!(status, 200, "the public sees a published winner: {body}");
    assert_eq!(body["award"], "winner");
}

/// A published competition with id 1 (jury: the Board, whose chair is the demo body member)
/// whose entry 1, Minsk's, won: for the role × route matrix.
pub(crate) async fn ensure_published_competition(app: &TestApp) {
    use megapolis_catalogue::competition::{CompetitionInput, EntryInput, EntryStep, Step};
    use megapolis_catalogue::evaluation::Award;
    let store = app.store.competitions();
    if store.get(1).await.expect("read").is_some() {
        return;
    }
    let mut input: CompetitionInput = serde_json::from_value(call()).expect("a call");
    input.jury_body = "board".into();
    let id = store
        .create("tests", &input.check().expect("valid"))
        .await
        .expect("saved");
    let mut experts = Vec::new();
    for city in ["astana", "moscow", "yerevan"] {
        experts.push(person(app, "expert", city, None).await.0);
    }
    let competition = store.get(id).await.expect("read").expect("saved");
    let transport = competition.nominations[0].id;
    store
        .assign_experts("tests", id, transport, &experts)
        .await
        .expect("experts");
    store.step("tests", id, Step::Open).await.expect("open");
    let minsk = app
        .store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.email.to_string() == "minsk@megapolis.example")
        .expect("the demo Minsk representative");
    let draft: EntryInput = serde_json::from_value(an_entry("minsk")).expect("an entry");
    let entry = store
        .save_entry(&minsk, id, None, &draft.check().expect("valid"))
        .await
        .expect("entry");
    let today = time::OffsetDateTime::now_utc().date();
    store
        .entry_step(&minsk, entry, EntryStep::Submit, "", today)
        .await
        .expect("submitted");
    store
        .entry_step(
            &minsk,
            entry,
            EntryStep::Screen { eligible: true },
            "",
            today,
        )
        .await
        .expect("screened");
    store
        .step("tests", id, Step::StartEvaluation)
        .await
        .expect("evaluation");
    store
        .decide("tests", id, &[(entry, Award::Winner)], "Протокол")
        .await
        .expect("decided");
    store.publish("tests", id).await.expect("published");
    assert_eq!(
        (id, entry),
        (1, 1),
        "the matrix's paths name competition 1 and entry 1"
    );
}

/// A valid entry's JSON, for the matrix's requests.
pub(crate) fn entry_json() -> Value {
    an_entry("minsk")
}

/// A valid call's JSON, for the matrix's requests.
pub(crate) fn call_json() -> Value {
    let mut body = call();
    body["jury_body"] = json!("board");
    body
}

#[tokio::test]
async fn an_entry_is_refused_after_the_submission_deadline_and_nothing_changes() {
    let app = spawn_app().await;
    let (_, secretariat) = person(&app, "secretariat", "", None).await;
    let (_, minsk) = person(&app, "city-rep", "minsk", None).await;
    let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
    let mut late = call_json();
    late["submission_deadline"] = json!(yesterday.to_string());
    late["evaluation_deadline"] = json!("2100-04-01");
    let (status, body) = post(&app, &secretariat, "/api/v1/competitions", &late).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("an id");
    let (status, _) = post(
        &app,
        &secretariat,
        &format!("/api/v1/competitions/{id}/open"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &app,
        &minsk,
        &format!("/api/v1/competitions/{id}/entries"),
        &an_entry("minsk"),
    )
    .await;
    assert_eq!(status, 201, "a draft may still be written: {body}");
    let entry = body["id"].as_i64().expect("an entry");
    let (status, body) = post(
        &app,
        &minsk,
        &format!("/api/v1/entries/{entry}/submit"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(status_of(&body), "past_deadline");
    let (_, body) = get(&app, Some(&minsk), &format!("/api/v1/entries/{entry}")).await;
    assert_eq!(body["state"], "draft", "nothing changed: {body}");
}
