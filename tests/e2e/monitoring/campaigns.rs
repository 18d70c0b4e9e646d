//! A whole monitoring campaign through HTTP: the Secretariat posts a small edition and opens a
//! campaign for two cities; a city fills one criterion in the web form and uploads the XLSX
//! template for the other, submits; one assessor accepts every answer, the other corrects one;
//! the mismatch is listed; the Secretariat returns it with a message; the city corrects it and
//! resubmits; the Secretariat settles it; the city is verified; the verified values feed the
//! edition, which is computed and published with the cities in its ranking. And the refusals:
//! an assessor from the city, a percentage over 100, text in a number, another city's template,
//! an unknown indicator, another city's representative — each naming where, nothing saved.
use crate::support::{location, spawn_empty_app, TestApp};
use megapolis_monitoring::{write_template, EditionInput, Questionnaire, TemplateKey};
use serde_json::{json, Value};
use std::io::Cursor;
use std::time::{Duration, Instant};

pub(crate) const META: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type,question_ru,question_en,answer_type,choices,min,max\n\
1,portal,City portal,1,1,,,,Digital,Indicator,Есть ли портал?,Is there a portal?,yes_no,,,\n\
1,online,Services online,1,1,%,,,Digital,Indicator,Доля услуг онлайн?,Share of services online?,percent,,,\n\
1,speed,Broadband speed,1,1,Mbit/s,,,Digital,Indicator,Скорость?,Speed?,number,,0,10000\n\
1,open,Open data,1,1,,,,Green,Indicator,Открытые данные?,Open data?,choice,none:0|partly:50|full:100,,\n\
1,waste,Waste per person,-1,1,kg,,,Green,Indicator,Отходы на жителя?,Waste per person?,number,,0,\n\
2,Digital,Digital,1,1,,,,Index,Aggregate,,,,,,\n\
2,Green,Green,1,1,,,,Index,Aggregate,,,,,,\n\
3,Index,Index,1,1,,,,,Aggregate,,,,,,\n";
pub(crate) const SPEC: &str = "[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n\n[analysis]\nn = 10\n[[analysis.input]]\nname = \"Weights\"\nnoisy_weights = { levels = [2], noise = 0.25, replications = 5 }\n";

pub(crate) struct Someone {
    pub(crate) client: reqwest::Client,
    pub(crate) id: i64,
    /// Signs in with [`PASSWORD`].
    pub(crate) email: String,
}

/// The password of everyone [`person`] makes.
pub(crate) const PASSWORD: &str = "a-seeded-password-2026";

pub(crate) async fn add_city(app: &TestApp, code: &str, name: &str) {
    let city = megapolis_domain::city::CityInput {
        code: code.into(),
        name_ru: format!("{name} (ру)"),
        name_en: name.into(),
        country_code: "KZ".into(),
        country_ru: "Казахстан".into(),
        country_en: "Kazakhstan".into(),
        status: "member".into(),
        ..Default::default()
    }
    .parse()
    .expect("a city");
    app.store
        .org()
        .save_city("tests", &city)
        .await
        .expect("save the city");
}

/// A signed-in person of `role`, representing `city` when given.
pub(crate) async fn person(app: &TestApp, role: &str, city: Option<&str>) -> Someone {
    let email = format!("{role}-{}@megapolis.test", &megapolis_web::new_token()[..8]);
    let password = PASSWORD;
    let draft = megapolis_domain::person::PersonInput {
        email: email.clone(),
        name: format!("{role} {}", city.unwrap_or("")),
        role: role.into(),
        city: city.unwrap_or_default().into(),
        ..Default::default()
    }
    .parse()
    .expect("a person");
    let hash = megapolis_domain::password::hash_password(password).expect("hash");
    app.store
        .accounts()
        .create_person("tests", &draft, Some(&hash))
        .await
        .expect("save the person");
    let id = app
        .store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.email.as_str() == email)
        .expect("the new person")
        .id;
    Someone {
        client: app.login_with(&email, password).await,
        id,
        email,
    }
}

pub(crate) async fn post(
    app: &TestApp,
    who: &Someone,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let response = app.post_form(&who.client, form_page, action, fields).await;
    let status = response.status().as_u16();
    let to = location(&response);
    (status, to, response.text().await.expect("body"))
}

async fn page(app: &TestApp, who: &Someone, path: &str) -> (u16, String) {
    let response = app.get(&who.client, path).await;
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

async fn answers(app: &TestApp, token: &str, campaign: i64, city: &str) -> Vec<Value> {
    let response = app
        .client
        .get(app.url(&format!(
            "/api/v1/monitoring/campaigns/{campaign}/cities/{city}/answers"
        )))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET answers");
    assert_eq!(response.status(), 200);
    response.json::<Vec<Value>>().await.expect("JSON")
}

pub(crate) async fn put_answers(
    app: &TestApp,
    token: &str,
    campaign: i64,
    city: &str,
    body: Value,
) -> (u16, Value) {
    let response = app
        .client
        .put(app.url(&format!(
            "/api/v1/monitoring/campaigns/{campaign}/cities/{city}/answers"
        )))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("PUT answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn city_state(app: &TestApp, campaign: i64, city: &str) -> String {
    app.store
        .campaigns()
        .city(campaign, city)
        .await
        .expect("read")
        .expect("invited")
        .state
        .as_str()
        .to_string()
}

pub(crate) fn questionnaire() -> Questionnaire {
    let edition = EditionInput {
        meta: META.into(),
        spec: SPEC.into(),
        data: None,
        year: "2026".into(),
        title_ru: "т".into(),
        title_en: "t".into(),
    }
    .parse()
    .expect("valid");
    Questionnaire::of(&edition).expect("questionnaire")
}

/// A filled template as a city would upload it: the `values` (code, value) for `key`.
pub(crate) fn filled(key: &TemplateKey, values: &[(&str, &str)]) -> Vec<u8> {
    let prefill = |code: &str| {
        values.iter().find(|(c, _)| *c == code).map(|(_, v)| {
            (
                v.to_string(),
                "https://city.example/evidence".to_string(),
                String::new(),
            )
        })
    };
    write_template(&questionnaire(), key, false, &prefill).expect("xlsx")
}

async fn upload(
    app: &TestApp,
    who: &Someone,
    campaign: i64,
    city: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let base = format!("/monitoring/campaigns/{campaign}/cities/{city}");
    let token = app.csrf(&who.client, &base).await;
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(bytes)
            .file_name("answers.xlsx")
            .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .expect("mime"),
    );
    let response = who
        .client
        .post(app.url(&format!("{base}/upload")))
        .header("Origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

#[tokio::test]
async fn a_whole_campaign_from_questionnaire_to_ranking() {
    let app = spawn_empty_app().await;
    add_city(&app, "alpha", "Alpha").await;
    add_city(&app, "beta", "Beta").await;
    let secretariat = person(&app, "secretariat", None).await;
    let staff_token = app.api_token(&secretariat.client).await;
    let rep_alpha = person(&app, "city-rep", Some("alpha")).await;
    let rep_beta = person(&app, "city-rep", Some("beta")).await;
    let beta_token = app.api_token(&rep_beta.client).await;
    let assessor_a = person(&app, "expert", None).await;
    let assessor_b = person(&app, "expert", None).await;
    let expert_of_alpha = person(&app, "expert", Some("alpha")).await;

    // The Secretariat posts the edition (no data yet: the campaign will give it).
    let form = reqwest::multipart::Form::new()
        .text("meta", META)
        .text("spec", SPEC)
        .text("year", "2026")
        .text("title_ru", "Мониторинг 2026")
        .text("title_en", "Monitoring 2026");
    let response = secretariat
        .client
        .post(app.url("/api/v1/monitoring/editions"))
        .bearer_auth(&staff_token)
        .multipart(form)
        .send()
        .await
        .expect("post an edition");
    assert_eq!(response.status(), 201);
    let edition = response.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    let edition_text = edition.to_string();
    let (a, b, x) = (
        assessor_a.id.to_string(),
        assessor_b.id.to_string(),
        expert_of_alpha.id.to_string(),
    );

    // The opening form lists the cities and the experts.
    let (status, html) = page(&app, &secretariat, "/monitoring/campaigns").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"open-form\"") && html.contains("name=\"a.alpha\""),
        "{html}"
    );

    // An assessor from the city is refused, by name; nothing is opened.
    let mut fields = vec![
        ("edition", edition_text.as_str()),
        ("due_date", "2026-06-30"),
        ("city", "alpha"),
        ("city", "beta"),
        ("a.alpha", x.as_str()),
        ("b.alpha", b.as_str()),
        ("a.beta", a.as_str()),
        ("b.beta", b.as_str()),
    ];
    let (status, _, html) = post(
        &app,
        &secretariat,
        "/monitoring/campaigns",
        "/monitoring/campaigns",
        &fields,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("error-summary") && html.contains("expert alpha (alpha)"),
        "{html}"
    );
    assert!(app.store.campaigns().list().await.expect("list").is_empty());

    fields[4] = ("a.alpha", a.as_str());
    let (status, to, _) = post(
        &app,
        &secretariat,
        "/monitoring/campaigns",
        "/monitoring/campaigns",
        &fields,
    )
    .await;
    assert_eq!(status, 303);
    let campaign: i64 = to
        .trim_start_matches("/monitoring/campaigns/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the campaign's page");
    assert!(app
        .store
        .campaigns()
        .edition_in_use(edition)
        .await
        .expect("read"));
    // The city's representatives and the assessors hear of it.
    let inbox = page(&app, &rep_alpha, "/inbox").await.1;
    assert!(inbox.contains("Monitoring 2026"), "{inbox}");
    let inbox = page(&app, &assessor_a, "/inbox").await.1;
    assert!(inbox.contains("Monitoring 2026"), "{inbox}");

    // Nobody else sees the city's answers: the other city's representative, the public.
    let alpha = format!("/monitoring/campaigns/{campaign}/cities/alpha");
    assert_eq!(page(&app, &rep_beta, &alpha).await.0, 403);
    assert_eq!(
        page(&app, &rep_beta, &format!("{alpha}/criteria/Digital"))
            .await
            .0,
        403
    );
    let (status, _) = put_answers(
        &app,
        &beta_token,
        campaign,
        "alpha",
        json!([{"indicator": "portal", "value": "yes"}]),
    )
    .await;
    assert_eq!(status, 403);
    let anonymous = crate::support::client();
    let response = anonymous.get(app.url(&alpha)).send().await.expect("GET");
    assert_eq!(response.status(), 303, "the public is sent to sign in");

    // The city fills the Digital criterion in the form: a percentage over 100 and text in a
    // number are refused beside their fields, and nothing is saved.
    let digital = format!("{alpha}/criteria/Digital");
    let (status, html) = page(&app, &rep_alpha, &digital).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Share of services online?") || html.contains("Доля услуг онлайн?"),
        "{html}"
    );
    let (status, _, html) = post(
        &app,
        &rep_alpha,
        &digital,
        &digital,
        &[
            ("value.portal", "yes"),
            ("value.online", "101"),
            ("value.speed", "fast"),
            ("then", "stay"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("error-summary")
            && html.contains("f-online-value")
            && html.contains("f-speed-value"),
        "{html}"
    );
    assert!(
        app.store
            .campaigns()
            .answers(campaign, "alpha")
            .await
            .expect("read")
            .is_empty(),
        "nothing half-saved"
    );
    let (status, to, _) = post(
        &app,
        &rep_alpha,
        &digital,
        &digital,
        &[
            ("value.portal", "yes"),
            ("value.online", "80"),
            ("value.speed", "100"),
            ("evidence_url.online", "https://alpha.example/services"),
            ("comment.online", "from the registry"),
            ("then", "stay"),
        ],
    )
    .await;
    assert_eq!(status, 303, "saved");
    assert!(to.contains("done=saved"));
    assert_eq!(city_state(&app, campaign, "alpha").await, "draft");

    // The template: one sheet per criterion and the hidden key sheet.
    let response = rep_alpha
        .client
        .get(app.url(&format!("{alpha}/template.xlsx")))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("xlsx").to_vec();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX");
    assert_eq!(workbook.sheet_names(), ["Digital", "Green", "megapolis"]);
    let key_sheet = workbook
        .worksheet_range("megapolis")
        .expect("the key sheet");
    let key = TemplateKey {
        campaign: key_sheet
            .get_value((0, 1))
            .map(|v| v.to_string())
            .and_then(|v| v.parse().ok())
            .expect("campaign"),
        edition: key_sheet
            .get_value((1, 1))
            .map(|v| v.to_string())
            .and_then(|v| v.parse().ok())
            .expect("edition"),
        city: key_sheet
            .get_value((2, 1))
            .map(|v| v.to_string())
            .expect("city"),
    };
    assert_eq!(
        (key.campaign, key.edition, key.city.as_str()),
        (campaign, edition, "alpha")
    );

    // Another city's template and a wrong value are refused, naming sheet, row and column.
    let other = TemplateKey {
        city: "beta".into(),
        ..key.clone()
    };
    let (status, html) = upload(
        &app,
        &rep_alpha,
        campaign,
        "alpha",
        filled(&other, &[("open", "full")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("beta"), "{html}");
    let (status, html) = upload(
        &app,
        &rep_alpha,
        campaign,
        "alpha",
        filled(&key, &[("open", "full"), ("waste", "-5")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Green") && html.contains("D (value)"),
        "{html}"
    );
    assert_eq!(
        app.store
            .campaigns()
            .answers(campaign, "alpha")
            .await
            .expect("read")
            .len(),
        3,
        "nothing half-saved"
    );
    // The Green criterion through the template.
    let (status, html) = upload(
        &app,
        &rep_alpha,
        campaign,
        "alpha",
        filled(&key, &[("open", "partly"), ("waste", "300")]),
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(
        app.store
            .campaigns()
            .answers(campaign, "alpha")
            .await
            .expect("read")
            .len(),
        5
    );

    // Submitting locks the answers.
    let (status, _, _) = post(&app, &rep_alpha, &alpha, &format!("{alpha}/submit"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(city_state(&app, campaign, "alpha").await, "submitted");
    let alpha_token = app.api_token(&rep_alpha.client).await;
    let (status, body) = put_answers(
        &app,
        &alpha_token,
        campaign,
        "alpha",
        json!([{"indicator": "speed", "value": 5}]),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    // Beta answers through the API: an unknown indicator and a percentage over 100 are refused
    // (nothing saved), then every answer, then submit.
    let (status, body) = put_answers(&app, &beta_token, campaign, "beta", json!([
        {"indicator": "portal", "value": false}, {"indicator": "nowhere", "value": 1}, {"indicator": "online", "value": 101},
    ])).await;
    assert_eq!(status, 422, "{body}");
    let refused: Vec<&str> = body["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|e| e["indicator"].as_str())
        .collect();
    assert_eq!(refused, ["nowhere", "online"]);
    assert!(answers(&app, &beta_token, campaign, "beta")
        .await
        .is_empty());
    let (status, body) = put_answers(
        &app,
        &beta_token,
        campaign,
        "beta",
        json!([
            {"indicator": "portal", "value": false}, {"indicator": "online", "value": 40},
            {"indicator": "speed", "value": 20, "evidence_url": "https://beta.example/net"},
            {"indicator": "open", "value": "full"}, {"indicator": "waste", "value": "250"},
        ]),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("draft")),
        "{body}"
    );
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/monitoring/campaigns/{campaign}/cities/beta/submit"
        )))
        .bearer_auth(&beta_token)
        .send()
        .await
        .expect("submit");
    assert_eq!(response.status(), 200);
    assert_eq!(city_state(&app, campaign, "beta").await, "submitted");

    // Assessors: each only their cities; A accepts everything, B corrects one answer of alpha.
    assert_eq!(
        page(&app, &expert_of_alpha, &format!("{alpha}/assessment"))
            .await
            .0,
        403
    );
    let accept_all = [
        ("decision.portal", "accept"),
        ("decision.online", "accept"),
        ("decision.speed", "accept"),
        ("decision.open", "accept"),
        ("decision.waste", "accept"),
    ];
    for city in ["alpha", "beta"] {
        let path = format!("/monitoring/campaigns/{campaign}/cities/{city}/assessment");
        let (status, _, html) = post(&app, &assessor_a, &path, &path, &accept_all).await;
        assert_eq!(status, 303, "{html}");
    }
    let path = format!("{alpha}/assessment");
    // A correction needs a reason.
    let (status, _, html) = post(
        &app,
        &assessor_b,
        &path,
        &path,
        &[("decision.online", "correct"), ("value.online", "70")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    let mut decisions = accept_all.to_vec();
    decisions[1] = ("decision.online", "correct");
    decisions.push(("value.online", "70"));
    decisions.push(("reason.online", "the portal lists 70 %"));
    let (status, _, _) = post(&app, &assessor_b, &path, &path, &decisions).await;
    assert_eq!(status, 303);
    let path = format!("/monitoring/campaigns/{campaign}/cities/beta/assessment");
    let (status, _, _) = post(&app, &assessor_b, &path, &path, &accept_all).await;
    assert_eq!(status, 303);
    assert_eq!(
        city_state(&app, campaign, "beta").await,
        "verified",
        "both accepted everything"
    );
    assert_eq!(
        city_state(&app, campaign, "alpha").await,
        "under_assessment"
    );

    // The mismatch is listed for the Secretariat, with κ per indicator.
    let (status, html) = page(
        &app,
        &secretariat,
        &format!("/monitoring/campaigns/{campaign}"),
    )
    .await;
    assert_eq!(status, 200);
    let at = html.find("id=\"mismatches\"").expect("the mismatch list");
    let mismatches = &html[at..at + html[at..].find("</ul>").expect("its end")];
    assert!(
        mismatches.contains("cities/alpha#answer-online") && !mismatches.contains("beta"),
        "{mismatches}"
    );
    assert!(html.contains("id=\"kappa-online\""), "{html}");

    // Returned to the city with a message; the city corrects only that answer and resubmits.
    let (status, _, _) = post(
        &app,
        &secretariat,
        &alpha,
        &format!("{alpha}/return"),
        &[("message.online", "The portal says 70 %: please check")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(city_state(&app, campaign, "alpha").await, "returned");
    let (_, html) = page(&app, &rep_alpha, &digital).await;
    assert!(
        html.contains("The portal says 70 %: please check"),
        "{html}"
    );
    let (status, _, html) = post(
        &app,
        &rep_alpha,
        &digital,
        &digital,
        &[("value.online", "70"), ("then", "stay")],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    let (status, body) = put_answers(
        &app,
        &alpha_token,
        campaign,
        "alpha",
        json!([{"indicator": "speed", "value": 5}]),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("not_returned")),
        "{body}"
    );
    let (status, _, _) = post(&app, &rep_alpha, &alpha, &format!("{alpha}/submit"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(
        city_state(&app, campaign, "alpha").await,
        "under_assessment"
    );

    // The Secretariat settles it; the city is verified.
    let (status, _, html) = post(
        &app,
        &secretariat,
        &alpha,
        &format!("{alpha}/adjudicate"),
        &[
            ("indicator", "online"),
            ("value", "70"),
            ("reason", "the city corrected it as returned"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(city_state(&app, campaign, "alpha").await, "verified");
    let history: Vec<String> = app
        .store
        .campaigns()
        .versions(campaign, "alpha")
        .await
        .expect("versions")
        .into_iter()
        .filter(|v| v.indicator == "online")
        .map(|v| v.kind)
        .collect();
    assert_eq!(
        history,
        [
            "answer",
            "accepted",
            "corrected",
            "returned",
            "answer",
            "adjudicated"
        ]
    );
    let (_, html) = page(&app, &secretariat, &alpha).await;
    assert!(
        html.contains("the city corrected it as returned"),
        "the history is shown"
    );

    // The verified values feed the edition, which computes and publishes with both cities.
    let (status, to, _) = post(
        &app,
        &secretariat,
        &format!("/monitoring/campaigns/{campaign}"),
        &format!("/monitoring/campaigns/{campaign}/feed"),
        &[("close", "1")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(to.starts_with(&format!("/monitoring/editions/{edition}")));
    let stored = app
        .store
        .monitoring()
        .edition(edition)
        .await
        .expect("read")
        .expect("edition");
    let data = stored.data().expect("data").to_string();
    assert!(
        data.starts_with("uCode,uName,portal,online,speed,open,waste\n"),
        "{data}"
    );
    assert!(
        data.contains("alpha,Alpha,1,70,100,50,300\n")
            && data.contains("beta,Beta,0,40,20,100,250\n"),
        "{data}"
    );
    let response = app
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{edition}/compute")))
        .bearer_auth(&staff_token)
        .send()
        .await
        .expect("compute");
    assert_eq!(response.status(), 202);
    let job = response.json::<Value>().await.expect("JSON")["job"]
        .as_i64()
        .expect("job");
    let started = Instant::now();
    loop {
        let answer: Value = app
            .client
            .get(app.url(&format!("/api/v1/jobs/{job}")))
            .bearer_auth(&staff_token)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("JSON");
        match answer["state"].as_str() {
            Some("done") => break,
            Some("failed") => panic!("{answer}"),
            _ => {}
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let response = app
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{edition}/publish")))
        .bearer_auth(&staff_token)
        .send()
        .await
        .expect("publish");
    assert_eq!(response.status(), 200);
    let html = crate::support::unescape(
        &app.get(&anonymous, &format!("/monitoring/editions/{edition}"))
            .await
            .text()
            .await
            .expect("page"),
    );
    assert!(
        html.contains(&format!(
            "href=\"/monitoring/editions/{edition}/cities/alpha\""
        )) && html.contains(&format!(
            "href=\"/monitoring/editions/{edition}/cities/beta\""
        )),
        "{html}"
    );
    // The campaign is closed: nothing more changes.
    let (status, _, _) = post(&app, &rep_alpha, &alpha, &format!("{alpha}/submit"), &[]).await;
    assert_eq!(status, 409);
}
