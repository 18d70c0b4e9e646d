//! A whole monitoring campaign in headless Chromium (issue 10, item 12): the Secretariat opens it
//! for two cities; a city fills one criterion in the questionnaire, uploads the XLSX template for
//! the other and submits; two assessors disagree on one answer; the Secretariat finds the
//! mismatch and returns the answer with a message; the city reads it, corrects and resubmits; the
//! Secretariat settles it, feeds the verified values to the edition, computes and publishes; the
//! public ranking lists both cities with their rank intervals and the city profile shows the
//! result. The other city answers through the API, as a machine client would.
use super::campaigns::{
    add_city, filled, person, post, put_answers, Someone, META, PASSWORD, SPEC,
};
use crate::browser::{
    click, fill, open_page, path_of, select, send, signed_in, text_of, wait_for_path, ChromeDriver,
    WAIT,
};
use crate::support::{demo_login, TestApp};
use fantoccini::Locator;
use megapolis_monitoring::TemplateKey;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CODES: [&str; 5] = ["portal", "online", "speed", "open", "waste"];
const RETURN_MESSAGE: &str = "The portal lists 70 % of the services online: please check";

/// Beta answers and submits through the API; its two assessors accept everything.
async fn beta_through_the_api(
    app: &TestApp,
    campaign: i64,
    rep: &Someone,
    assessors: &[Someone; 2],
) {
    let token = app.api_token(&rep.client).await;
    let (status, body) = put_answers(
        app,
        &token,
        campaign,
        "beta",
        json!([
            {"indicator": "portal", "value": false}, {"indicator": "online", "value": 40},
            {"indicator": "speed", "value": 20, "evidence_url": "https://beta.example/net"},
            {"indicator": "open", "value": "full"}, {"indicator": "waste", "value": "250"},
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/monitoring/campaigns/{campaign}/cities/beta/submit"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .expect("submit");
    assert_eq!(response.status(), 200);
    let fields: Vec<(String, &str)> = CODES
        .iter()
        .map(|c| (format!("decision.{c}"), "accept"))
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let path = format!("/monitoring/campaigns/{campaign}/cities/beta/assessment");
    for assessor in assessors {
        let (status, _, html) = post(app, assessor, &path, &path, &fields).await;
        assert_eq!(status, 303, "{html}");
    }
}

/// The flow, on the browser module's server and chromedriver.
pub(crate) async fn a_whole_campaign(driver: &ChromeDriver, app: &TestApp) {
    add_city(app, "alpha", "Alpha").await;
    add_city(app, "beta", "Beta").await;
    let rep_alpha = person(app, "city-rep", Some("alpha")).await;
    let rep_beta = person(app, "city-rep", Some("beta")).await;
    let assessors = [
        person(app, "expert", None).await,
        person(app, "expert", None).await,
    ];
    // The edition, posted through the API (no data yet: the campaign gives it).
    let staff = super::secretariat(app).await;
    let form = reqwest::multipart::Form::new()
        .text("meta", META)
        .text("spec", SPEC)
        .text("year", "2027")
        .text("title_ru", "Мониторинг 2027 (проверка)")
        .text("title_en", "Monitoring 2027 (test)");
    let response = super::post_edition(app, &staff, form).await;
    assert_eq!(response.status(), 201);
    let edition = response.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");

    // The Secretariat opens the campaign: the edition, the due date, two cities, their assessors.
    let (email, password) = demo_login("secretariat");
    let (secretariat, _s) = signed_in(driver, app, email, password).await;
    open_page(&secretariat, app, "/monitoring/campaigns").await;
    select(&secretariat, "#f-edition", &edition.to_string()).await;
    let due = time::OffsetDateTime::now_utc().date() + time::Duration::days(30);
    secretariat
        .execute(
            "document.getElementById('f-due_date').value = arguments[0];",
            vec![json!(due.to_string())],
        )
        .await
        .expect("set the due date");
    let [a, b] = [assessors[0].id.to_string(), assessors[1].id.to_string()];
    // Every member city is ticked at first: this campaign invites two.
    secretariat
        .execute(
            "document.querySelectorAll(\"input[name='city']\").forEach(c => { c.checked = false; });",
            vec![],
        )
        .await
        .expect("untick the cities");
    for city in ["alpha", "beta"] {
        click(&secretariat, &format!("input[name='city'][value='{city}']")).await;
        select(&secretariat, &format!("#f-a-{city}"), &a).await;
        select(&secretariat, &format!("#f-b-{city}"), &b).await;
    }
    click(&secretariat, "#open-form button[type=submit]").await;
    let deadline = Instant::now() + WAIT;
    let campaign: i64 = loop {
        let path = path_of(&secretariat).await;
        if let Some(id) = path
            .strip_prefix("/monitoring/campaigns/")
            .and_then(|id| id.parse().ok())
        {
            break id;
        }
        assert!(
            Instant::now() < deadline,
            "the campaign did not open, still on {path}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let campaign_page = format!("/monitoring/campaigns/{campaign}");
    assert!(text_of(&secretariat, "#city-alpha")
        .await
        .contains("not started"));
    assert_eq!(text_of(&secretariat, "#due-date").await, due.to_string());

    // The city: the Digital criterion in the questionnaire, with progress.
    let (city, _c) = signed_in(driver, app, &rep_alpha.email, PASSWORD).await;
    let alpha = format!("/monitoring/campaigns/{campaign}/cities/alpha");
    open_page(&city, app, &alpha).await;
    assert_eq!(text_of(&city, "#progress").await, "0 of 5 answered");
    assert_eq!(text_of(&city, "#city-state").await, "not started");
    click(&city, "#criteria a[href$='/criteria/Digital']").await;
    let digital = format!("{alpha}/criteria/Digital");
    wait_for_path(&city, &digital).await;
    assert!(text_of(&city, "#q-online")
        .await
        .contains("Share of services online?"));
    click(&city, "input[name='value.portal'][value='yes']").await;
    fill(&city, "#f-online-value", "80").await;
    fill(
        &city,
        "#f-online-evidence_url",
        "https://alpha.example/services",
    )
    .await;
    fill(&city, "#f-speed-value", "100").await;
    assert_eq!(send(&city, "#save-button").await, "Saved.");
    assert_eq!(text_of(&city, "#progress").await, "3 of 5 answered");

    // The Green criterion through the XLSX template, then submit.
    open_page(&city, app, &alpha).await;
    text_of(&city, "#template-link").await;
    let key = TemplateKey {
        campaign,
        edition,
        city: "alpha".into(),
    };
    let files = tempfile::tempdir().expect("a folder for the upload");
    let xlsx = files.path().join("alpha-answers.xlsx");
    std::fs::write(&xlsx, filled(&key, &[("open", "partly"), ("waste", "200")]))
        .expect("write the template");
    city.find(Locator::Css("#f-file"))
        .await
        .expect("the file field")
        .send_keys(&xlsx.display().to_string())
        .await
        .expect("choose the file");
    send(&city, "#upload-form button[type=submit]").await;
    assert_eq!(text_of(&city, "#progress").await, "5 of 5 answered");
    let done = send(&city, "#submit-form button[type=submit]").await;
    assert!(done.starts_with("Submitted"), "{done}");
    assert_eq!(text_of(&city, "#city-state").await, "submitted");
    assert!(text_of(&city, "#locked")
        .await
        .contains("submitted and locked"));

    // The other city answers through the API, both assessors accept.
    beta_through_the_api(app, campaign, &rep_beta, &assessors).await;

    // The assessors check alpha blind to each other: the second corrects one answer.
    for (k, assessor) in assessors.iter().enumerate() {
        let (browser, _p) = signed_in(driver, app, &assessor.email, PASSWORD).await;
        open_page(&browser, app, &format!("{alpha}/assessment")).await;
        for code in CODES {
            if k == 1 && code == "online" {
                click(&browser, "input[name='decision.online'][value='correct']").await;
                fill(&browser, "#f-online-value", "70").await;
                fill(&browser, "#f-online-reason", "the portal lists 70 %").await;
            } else {
                click(
                    &browser,
                    &format!("input[name='decision.{code}'][value='accept']"),
                )
                .await;
            }
        }
        send(&browser, "#assess-button").await;
        browser.close().await.expect("close the browser");
    }

    // The Secretariat sees the mismatch and returns the answer with a message.
    open_page(&secretariat, app, &campaign_page).await;
    assert!(text_of(&secretariat, "#city-alpha")
        .await
        .contains("under assessment"));
    assert!(text_of(&secretariat, "#city-beta")
        .await
        .contains("verified"));
    let mismatches = text_of(&secretariat, "#mismatches").await;
    assert!(
        mismatches.contains("Alpha — Share of services online?")
            && mismatches.contains("assessors disagree")
            && !mismatches.contains("Beta"),
        "{mismatches}"
    );
    click(&secretariat, "#mismatches a[href$='#answer-online']").await;
    wait_for_path(&secretariat, &alpha).await;
    let row = text_of(&secretariat, "#answer-online").await;
    assert!(
        row.contains("→ 70") && row.contains("the portal lists 70 %"),
        "{row}"
    );
    fill(&secretariat, "#f-online-message", RETURN_MESSAGE).await;
    let done = send(&secretariat, "#return-form button[type=submit]").await;
    assert!(done.starts_with("Sent back to the city"), "{done}");
    assert_eq!(
        text_of(&secretariat, "#city-state").await,
        "returned to the city"
    );

    // The city reads the message beside the answer, corrects it and resubmits.
    open_page(&city, app, &alpha).await;
    assert_eq!(text_of(&city, "#city-state").await, "returned to the city");
    assert!(text_of(&city, "#criteria").await.contains("1 returned"));
    click(&city, "#criteria a[href$='/criteria/Digital']").await;
    wait_for_path(&city, &digital).await;
    assert!(text_of(&city, "#returned-online")
        .await
        .contains(RETURN_MESSAGE));
    fill(&city, "#f-online-value", "70").await;
    send(&city, "#save-button").await;
    open_page(&city, app, &alpha).await;
    send(&city, "#submit-form button[type=submit]").await;
    assert_eq!(text_of(&city, "#city-state").await, "under assessment");

    // The Secretariat settles the corrected answer: the city is verified.
    open_page(&secretariat, app, &alpha).await;
    fill(
        &secretariat,
        "#f-online-adj-reason",
        "corrected by the city as returned",
    )
    .await;
    let done = send(&secretariat, "#adjudicate-online button[type=submit]").await;
    assert!(done.starts_with("Settled"), "{done}");
    assert_eq!(text_of(&secretariat, "#city-state").await, "verified");
    open_page(&secretariat, app, &campaign_page).await;
    assert!(text_of(&secretariat, "#city-alpha")
        .await
        .contains("verified"));

    // The verified values feed the edition, which the Secretariat computes and publishes.
    click(&secretariat, "#feed-form input[name='close']").await;
    send(&secretariat, "#feed-form button[type=submit]").await;
    let edition_page = format!("/monitoring/editions/{edition}");
    wait_for_path(&secretariat, &edition_page).await;
    click(&secretariat, "#compute-button").await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        open_page(&secretariat, app, &edition_page).await;
        if secretariat
            .find(Locator::Css("#publish-button"))
            .await
            .is_ok()
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edition was not computed in time"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(text_of(&secretariat, "#edition-state").await, "computed");
    click(&secretariat, "#publish-button").await;
    let deadline = Instant::now() + WAIT;
    while secretariat
        .find(Locator::Css("#publish-button"))
        .await
        .is_ok()
    {
        assert!(Instant::now() < deadline, "the edition was not published");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(text_of(&secretariat, "#edition-state").await, "published");

    // The public ranking lists both cities with their rank intervals; the profile shows alpha.
    let profile = tempfile::tempdir().expect("profile dir");
    let public = driver.session(profile.path()).await;
    open_page(&public, app, &edition_page).await;
    let first = text_of(&public, "#unit-1").await;
    let second = text_of(&public, "#unit-2").await;
    assert!(first.starts_with('1') && first.contains("Alpha"), "{first}");
    assert!(
        second.starts_with('2') && second.contains("Beta"),
        "{second}"
    );
    for row in ["#unit-1", "#unit-2"] {
        let interval = text_of(&public, &format!("{row} .interval span")).await;
        assert!(
            interval.chars().any(|c| c.is_ascii_digit()),
            "a rank interval in {row}: {interval:?}"
        );
    }
    click(&public, "#unit-1 a").await;
    wait_for_path(&public, &format!("{edition_page}/cities/alpha")).await;
    assert_eq!(text_of(&public, "#city-name").await, "Alpha");
    assert_eq!(text_of(&public, "#city-rank").await, "1");
    assert!(!text_of(&public, "#city-score").await.is_empty());
    let indicators = text_of(&public, "#indicators").await;
    assert!(indicators.contains("70"), "the settled value: {indicators}");
    for browser in [secretariat, city, public] {
        browser.close().await.expect("close the browser");
    }
}
