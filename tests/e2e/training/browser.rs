//! Training in headless Chromium (issue 14, item 10): from a city's nomination through the
//! register of attendance to a certificate whose QR code opens the verification page. The
//! Secretariat seeds a programme and a cohort open for nominations with a quota for Minsk
//! through the API; Minsk's representative nominates a member of staff on the cohort page; the
//! Secretariat confirms the nomination, adds two sessions, marks the nominee present at both,
//! records the result with the attendance counted from the register and issues the
//! certificates (a background job, followed on /jobs); the certificate's PDF is downloaded, its
//! QR code read back, and its address opened by an anonymous visitor, who sees the name, the
//! programme and "valid".
use super::documents::qr_codes;
use crate::browser::{
    click, fill, follow_job, open_page, select, send, signed_in, text_of, value_of, wait_for_path,
    ChromeDriver,
};
use crate::support::{api_post, client, content_type, demo_login, TestApp};
use fantoccini::{Client, Locator};
use serde_json::json;

const PROGRAMME_EN: &str = "Open data for city services";
const PROGRAMME_RU: &str = "Открытые данные для городских служб";
const COHORT: &str = "Browser cohort";
const NOMINEE: &str = "Алина Браузерова";

/// The programme and the cohort, through the API as the Secretariat: the cohort runs today and
/// tomorrow and takes nominations today, two places for Minsk.
async fn seed_cohort(app: &TestApp) -> i64 {
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let (status, programme) = api_post(
        app,
        &token,
        "/api/v1/training/programmes",
        &json!({
            "title_ru": PROGRAMME_RU, "title_en": PROGRAMME_EN,
            "description": "Publishing a city's registers as open data.",
            "partner": "Университет", "hours": 24, "validity_years": 3
        }),
    )
    .await;
    assert_eq!(status, 201, "{programme}");
    let today = time::OffsetDateTime::now_utc().date();
    let tomorrow = today + time::Duration::days(1);
    let (status, cohort) = api_post(
        app,
        &token,
        "/api/v1/training/cohorts",
        &json!({
            "programme_id": programme["id"], "title": COHORT,
            "starts_on": today.to_string(), "ends_on": tomorrow.to_string(), "place": "Минск",
            "capacity": 10, "applications_open": today.to_string(),
            "applications_close": tomorrow.to_string(), "quotas": { "minsk": 2 }
        }),
    )
    .await;
    assert_eq!(status, 201, "{cohort}");
    cohort["id"].as_i64().expect("the cohort's id")
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id of the row of the participants' table that names `name` (`nomination-<id>`).
async fn nomination_of(browser: &Client, name: &str) -> i64 {
    text_of(browser, "#nominations").await;
    for row in browser
        .find_all(Locator::Css("#nominations tbody tr"))
        .await
        .expect("the participants' rows")
    {
        if row.text().await.expect("row text").contains(name) {
            let id = row.attr("id").await.expect("id").unwrap_or_default();
            return id
                .strip_prefix("nomination-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a row id nomination-<n>, not {id:?}"));
        }
    }
    panic!(
        "no participant {name}: {}",
        text_of(browser, "#nominations").await
    )
}

/// Sets a date field the way a date picker does (typing into one depends on the locale).
pub(crate) async fn set_date(browser: &Client, id: &str, day: time::Date) {
    browser
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![json!(id), json!(day.to_string())],
        )
        .await
        .expect("set the date");
}

/// The ids of the sessions' register forms on the cohort page, in the page's order.
async fn sessions_of(browser: &Client) -> Vec<i64> {
    let mut ids = Vec::new();
    for form in browser
        .find_all(Locator::Css("form.register"))
        .await
        .expect("the registers")
    {
        let id = form.attr("id").await.expect("id").unwrap_or_default();
        ids.push(
            id.strip_prefix("session-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a form id session-<n>, not {id:?}")),
        );
    }
    ids
}

/// The flow, on the browser module's server and chromedriver.
pub(crate) async fn nomination_to_verified_certificate(driver: &ChromeDriver, app: &TestApp) {
    let cohort = seed_cohort(app).await;
    let cohort_page = format!("/training/cohorts/{cohort}");

    // Minsk's representative finds the cohort open, with two places left, and nominates.
    let (email, password) = demo_login("city-rep");
    let (city, _c) = signed_in(driver, app, email, password).await;
    open_page(&city, app, "/training").await;
    click(&city, &format!("a[href='{cohort_page}']")).await;
    wait_for_path(&city, &cohort_page).await;
    assert_eq!(text_of(&city, "h1").await, COHORT);
    assert_eq!(
        text_of(&city, "dl.facts .badge").await,
        "open for nominations"
    );
    assert_eq!(
        text_of(&city, "#remaining").await,
        "Your city has 2 places left."
    );
    fill(&city, "#f-name", NOMINEE).await;
    fill(&city, "#f-position", "Data analyst").await;
    fill(&city, "#f-department", "IT department").await;
    fill(&city, "#f-email", "alina@minsk.example").await;
    assert_eq!(
        send(&city, "#nominate button[type=submit]").await,
        "Created."
    );
    let nomination = nomination_of(&city, NOMINEE).await;
    let row = format!("#nomination-{nomination}");
    assert_eq!(text_of(&city, &format!("{row} .badge")).await, "nominated");
    assert_eq!(
        text_of(&city, "#remaining").await,
        "Your city has one place left."
    );
    assert_eq!(
        words(&text_of(&city, "#quotas tbody").await),
        "Minsk 2 1 1",
        "the quota: places, used, remaining"
    );
    assert!(
        text_of(&city, &row).await.contains("Minsk"),
        "the city by its name"
    );
    city.close().await.expect("close the browser");

    // The Secretariat confirms the nomination.
    let (email, password) = demo_login("secretariat");
    let (staff, _s) = signed_in(driver, app, email, password).await;
    open_page(&staff, app, &cohort_page).await;
    assert!(text_of(&staff, &row).await.contains("alina@minsk.example"));
    select(&staff, &format!("#f-decision-{nomination}"), "confirm").await;
    let apply = format!("{row} form.decide button[type=submit]");
    assert_eq!(send(&staff, &apply).await, "Saved.");
    assert_eq!(text_of(&staff, &format!("{row} .badge")).await, "confirmed");

    // Two sessions, one a day.
    assert!(text_of(&staff, "#no-sessions")
        .await
        .contains("No sessions"));
    let today = time::OffsetDateTime::now_utc().date();
    for (day, topic) in [
        (today, "Registers and their owners"),
        (today + time::Duration::days(1), "Publishing a data set"),
    ] {
        set_date(&staff, "f-day", day).await;
        fill(&staff, "#f-topic", topic).await;
        assert_eq!(
            send(&staff, "#add-session button[type=submit]").await,
            "Created."
        );
        let legends = staff
            .find_all(Locator::Css("form.register legend"))
            .await
            .expect("the registers");
        let last = legends.last().expect("a register").text().await;
        assert!(last.expect("legend").contains(topic), "the new session");
    }
    let sessions = sessions_of(&staff).await;
    assert_eq!(sessions.len(), 2, "two registers");
    let share = format!("{row} .register-share");

    // The register: present at the first session (half attended), then at the second.
    for (k, session) in sessions.iter().enumerate() {
        click(
            &staff,
            &format!("#session-{session} input[name='present'][value='{nomination}']"),
        )
        .await;
        assert_eq!(
            send(&staff, &format!("#session-{session} button[type=submit]")).await,
            "Saved."
        );
        let expected = if k == 0 { "50 %" } else { "100 %" };
        let shown = text_of(&staff, &share).await;
        assert!(
            shown.starts_with(expected) && shown.contains("register"),
            "after {} session(s): {shown}",
            k + 1
        );
    }
    for session in &sessions {
        let ticked = staff
            .find(Locator::Css(&format!(
                "#session-{session} input[name='present'][value='{nomination}']"
            )))
            .await
            .expect("the box")
            .prop("checked")
            .await
            .expect("checked");
        assert_eq!(
            ticked.as_deref(),
            Some("true"),
            "present at session {session}"
        );
    }

    // The result: the attendance left empty (counted from the register), the assessment passed.
    let result = format!("form[action='/training/nominations/{nomination}/complete']");
    let attendance = format!("#f-attendance-{nomination}");
    assert_eq!(value_of(&staff, &attendance).await, "");
    let hint = staff
        .find(Locator::Css(&attendance))
        .await
        .expect("the attendance field")
        .attr("placeholder")
        .await
        .expect("placeholder");
    assert_eq!(
        hint.as_deref(),
        Some("100"),
        "the register's share as a hint"
    );
    click(&staff, &format!("{result} input[name='assessment_passed']")).await;
    assert_eq!(
        send(&staff, &format!("{result} button[type=submit]")).await,
        "Saved."
    );
    assert_eq!(text_of(&staff, &format!("{row} .badge")).await, "completed");
    assert!(text_of(&staff, &share).await.starts_with("100 %"));

    // Issuing is a job: the button leads to it on /jobs, which is followed until it is done.
    click(&staff, "#issue button[type=submit]").await;
    follow_job(&staff, "training-certificates").await;

    // The certificate, from the cohort page.
    open_page(&staff, app, &cohort_page).await;
    let link = format!("{row} a.certificate");
    let code = text_of(&staff, &link).await;
    assert_eq!(code.len(), 19, "a code XXXX-XXXX-XXXX-XXXX: {code}");
    assert!(
        staff.find(Locator::Css(&result)).await.is_err(),
        "no results form once the certificate is issued"
    );
    click(&staff, &link).await;
    let certificate_page = format!("/certificates/{code}");
    wait_for_path(&staff, &certificate_page).await;
    assert_eq!(text_of(&staff, "#recipient").await, NOMINEE);
    assert_eq!(text_of(&staff, "#status").await, "Valid");

    // The PDF, from the page's link; its QR code holds the page's address.
    let href = staff
        .find(Locator::Css("#pdf a[href$='lang=en']"))
        .await
        .expect("the PDF's link")
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    staff.close().await.expect("close the browser");
    let response = client()
        .get(app.url(&href))
        .send()
        .await
        .expect("GET the PDF");
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/pdf");
    let pdf = response.bytes().await.expect("the PDF").to_vec();
    let Some(codes) = qr_codes(&pdf) else {
        return;
    };
    let expected = app.url(&certificate_page);
    assert_eq!(codes, vec![expected.clone()], "the QR code's address");

    // Anyone holding the code opens it: the name, the programme, valid.
    let profile = tempfile::tempdir().expect("profile dir");
    let visitor = driver.session(profile.path()).await;
    visitor.goto(&codes[0]).await.expect("open the QR address");
    wait_for_path(&visitor, &certificate_page).await;
    assert!(
        visitor.find(Locator::Css("#login-link")).await.is_ok(),
        "an anonymous visitor"
    );
    assert_eq!(text_of(&visitor, "#recipient").await, NOMINEE);
    let achievement = text_of(&visitor, "#achievement").await;
    assert!(
        achievement.contains(PROGRAMME_EN) && achievement.contains(PROGRAMME_RU),
        "{achievement}"
    );
    assert_eq!(text_of(&visitor, "#status").await, "Valid");
    let status = visitor
        .find(Locator::Css("#status"))
        .await
        .expect("status")
        .attr("data-status")
        .await
        .expect("data-status");
    assert_eq!(status.as_deref(), Some("valid"));
    assert!(text_of(&visitor, "#verified")
        .await
        .starts_with("The signature (Ed25519, eddsa-jcs-2022) was checked"));
    visitor.close().await.expect("close the browser");
}
