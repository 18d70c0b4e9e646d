//! A competition in headless Chromium (issue 11, item 12): the Secretariat creates a call on
//! the page, assigns the experts of a nomination and opens it; a city's representative enters a
//! solution for their city and submits it; the Secretariat screens it eligible and starts the
//! evaluation; three experts declare no conflict and score it on the page (none sees another's
//! scores before sending their own), while a fourth, from the entry's own city, is kept from its
//! dossier by the conflict rule; the jury's chair reads the ranking and records the winner; the
//! Secretariat publishes, the catalogue's search finds the winner, the Secretariat makes the
//! collection (a job) and its PDF carries the winner, and the city next door records that it
//! pilots it.
use super::competition::{person, PASSWORD};
use crate::browser::{
    click, fill, follow_job, open_page, path_of, select, send, signed_in, text_of, ChromeDriver,
};
use crate::support::{client, content_type, demo_login, TestApp};
use crate::training::browser::set_date;
use crate::training::documents::pdf_text;
use fantoccini::{Client, Locator};
use serde_json::json;

const TITLE_EN: &str = "Adaptive traffic lights of Minsk";
const TITLE_RU: &str = "Адаптивные светофоры Минска";

/// A seeded person's e-mail, to sign in with.
async fn email_of(app: &TestApp, id: i64) -> String {
    app.store
        .accounts()
        .person(id)
        .await
        .expect("read")
        .expect("seeded")
        .email
        .to_string()
}

/// A browser signed in as `email`, reading the portal in English.
async fn english(
    driver: &ChromeDriver,
    app: &TestApp,
    email: &str,
    password: &str,
) -> (Client, tempfile::TempDir) {
    let (browser, profile) = signed_in(driver, app, email, password).await;
    open_page(&browser, app, "/lang/en?back=/").await;
    (browser, profile)
}

/// The number after `prefix` in the browser's path (`/competitions/7` → 7).
async fn id_in_path(browser: &Client, prefix: &str) -> i64 {
    let path = path_of(browser).await;
    path.strip_prefix(prefix)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a path {prefix}<id>, not {path}"))
}

pub(crate) async fn call_to_published_winner(driver: &ChromeDriver, app: &TestApp) {
    let (chair, _) = person(
        app,
        "body-member",
        "moscow",
        Some(("jury-browser", "chair")),
    )
    .await;
    let (rep, _) = person(app, "city-rep", "minsk", None).await;
    let mut experts = Vec::new();
    for city in ["astana", "moscow", "yerevan", "minsk"] {
        experts.push(person(app, "expert", city, None).await.0);
    }

    // The Secretariat: a call with a criterion whose scale has four points is refused by its
    // row, the form kept; corrected, it is created as a draft.
    let (email, password) = demo_login("secretariat");
    let (staff, _s) = english(driver, app, email, password).await;
    open_page(&staff, app, "/competitions").await;
    fill(&staff, "#f-title_ru", "Конкурс решений (браузер)").await;
    fill(&staff, "#f-title_en", "Best solutions (browser)").await;
    fill(&staff, "#f-year", "2026").await;
    fill(&staff, "#f-nominations", "Smart transport\nOpen city").await;
    fill(&staff, "#f-eligibility", "In operation for a year").await;
    fill(
        &staff,
        "#f-criteria",
        "3 | Results | none | some | clear | strong | outstanding\n1 | Reuse | a | b | c | d",
    )
    .await;
    let today = time::OffsetDateTime::now_utc().date();
    set_date(
        &staff,
        "f-submission_deadline",
        today + time::Duration::days(30),
    )
    .await;
    set_date(
        &staff,
        "f-evaluation_deadline",
        today + time::Duration::days(60),
    )
    .await;
    set_date(&staff, "f-results_on", today + time::Duration::days(70)).await;
    select(&staff, "#f-jury_body", "jury-browser").await;
    click(&staff, "#new-call button[type=submit]").await;
    assert_eq!(
        text_of(&staff, "#e-criteria").await,
        "row 2: five texts, one per point 1 to 5"
    );
    assert_eq!(
        staff
            .find(Locator::Css("#f-title_en"))
            .await
            .expect("the title")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Best solutions (browser)"),
        "the form is kept"
    );
    fill(
        &staff,
        "#f-criteria",
        "3 | Results | none | some | clear | strong | outstanding\n1 | Reuse | none | local | regional | several | many cities",
    )
    .await;
    set_date(
        &staff,
        "f-submission_deadline",
        today + time::Duration::days(30),
    )
    .await;
    set_date(
        &staff,
        "f-evaluation_deadline",
        today + time::Duration::days(60),
    )
    .await;
    set_date(&staff, "f-results_on", today + time::Duration::days(70)).await;
    assert_eq!(
        send(&staff, "#new-call button[type=submit]").await,
        "Created."
    );
    let call = id_in_path(&staff, "/competitions/").await;
    let call_page = format!("/competitions/{call}");
    assert_eq!(text_of(&staff, "#stage").await, "draft");
    assert!(text_of(&staff, "#criteria").await.contains("outstanding"));

    // The experts of the first nomination, then the call opens.
    let section = staff
        .find(Locator::Css("section[id^='nomination-']"))
        .await
        .expect("a nomination");
    let nomination = section
        .attr("id")
        .await
        .expect("id")
        .unwrap_or_default()
        .trim_start_matches("nomination-")
        .to_string();
    staff
        .execute(
            "const ids = arguments[1];
             for (const o of document.querySelectorAll('#f-experts-' + arguments[0] + ' option')) {
               o.selected = ids.includes(Number(o.value));
             }",
            vec![json!(nomination), json!(experts)],
        )
        .await
        .expect("choose the experts");
    assert_eq!(
        send(
            &staff,
            &format!("#experts-{nomination} button[type=submit]")
        )
        .await,
        "Saved."
    );
    assert_eq!(
        send(&staff, "#step-form button[type=submit]").await,
        "Saved."
    );
    assert_eq!(text_of(&staff, "#stage").await, "open for entries");

    // Minsk's representative enters a solution and submits it.
    let (city, _c) = english(driver, app, &email_of(app, rep).await, PASSWORD).await;
    open_page(&city, app, &call_page).await;
    select(&city, "#f-nomination", "Smart transport").await;
    fill(&city, "#f-title_en", TITLE_EN).await;
    fill(&city, "#f-title_ru", TITLE_RU).await;
    fill(
        &city,
        "#f-summary_en",
        "Traffic lights follow the flow of cars at 40 crossings.",
    )
    .await;
    fill(&city, "#f-problem", "Rush-hour jams").await;
    fill(&city, "#f-results", "Travel time −18 % at 40 crossings").await;
    fill(&city, "#f-technologies", "Python\nPostgreSQL").await;
    fill(&city, "#f-licence", "MIT").await;
    fill(&city, "#f-url", "https://lights.example").await;
    fill(&city, "#f-contacts", "ito@minsk.example").await;
    assert_eq!(
        send(&city, "#new-entry button[type=submit]").await,
        "Created."
    );
    let entry = id_in_path(&city, "/competitions/entries/").await;
    let entry_page = format!("/competitions/entries/{entry}");
    let row = format!("#entry-{entry}");
    assert_eq!(text_of(&city, "#entry-state").await, "draft");
    open_page(&city, app, &call_page).await;
    assert_eq!(
        send(&city, &format!("{row} form.submit button")).await,
        "Saved."
    );
    assert_eq!(
        text_of(&city, &format!("{row} .entry-state")).await,
        "submitted"
    );
    city.close().await.expect("close");

    // The Secretariat screens it eligible and starts the evaluation.
    open_page(&staff, app, &call_page).await;
    assert_eq!(
        send(&staff, &format!("{row} form.screen button")).await,
        "Saved."
    );
    assert_eq!(
        text_of(&staff, &format!("{row} .entry-state")).await,
        "eligible"
    );
    assert_eq!(
        send(&staff, "#step-form button[type=submit]").await,
        "Saved."
    );
    assert_eq!(text_of(&staff, "#stage").await, "evaluation");

    // Three experts declare no conflict and score; none sees another's scores before sending.
    for (k, expert) in experts[..3].iter().enumerate() {
        let (browser, _e) = english(driver, app, &email_of(app, *expert).await, PASSWORD).await;
        open_page(&browser, app, &call_page).await;
        assert_eq!(
            send(&browser, &format!("{row} form.declare button")).await,
            "Saved."
        );
        assert!(text_of(&browser, "#dossier")
            .await
            .contains("Rush-hour jams"));
        assert!(
            browser.find(Locator::Css("#reviews")).await.is_err(),
            "expert {k} sees no scores before sending theirs"
        );
        assert!(text_of(&browser, "#criterion-1")
            .await
            .contains("5 — outstanding"));
        for (criterion, score) in [(1, 4 + k % 2), (2, 3)] {
            click(
                &browser,
                &format!("input[name='score.{criterion}'][value='{score}']"),
            )
            .await;
            fill(
                &browser,
                &format!("#f-comment-{criterion}"),
                "Measured results",
            )
            .await;
        }
        assert_eq!(
            send(&browser, "#score-form button[type=submit]").await,
            "Submitted: the answers are locked and go to be checked."
        );
        let rows = browser
            .find_all(Locator::Css("#reviews tbody tr"))
            .await
            .expect("the reviews");
        assert_eq!(rows.len(), 1, "only their own review");
        browser.close().await.expect("close");
    }

    // The fourth, from Minsk itself, declares no conflict but is kept from the dossier.
    let (minsk, _m) = english(driver, app, &email_of(app, experts[3]).await, PASSWORD).await;
    open_page(&minsk, app, &call_page).await;
    assert_eq!(
        send(&minsk, &format!("{row} form.declare button")).await,
        "Saved."
    );
    assert!(text_of(&minsk, "#dossier-closed")
        .await
        .contains("You are from the entry's own city"));
    assert!(minsk.find(Locator::Css("#score-form")).await.is_err());
    assert!(minsk.find(Locator::Css("#dossier")).await.is_err());
    minsk.close().await.expect("close");

    // The chair reads the ranking and records the winner.
    let (jury, _j) = english(driver, app, &email_of(app, chair).await, PASSWORD).await;
    open_page(&jury, app, &call_page).await;
    let standing = text_of(&jury, &format!("#standing-{entry}")).await;
    assert!(standing.contains(TITLE_EN), "{standing}");
    // Weighted (3:1) means 3.75, 4.5, 3.75: the mean 4.0, the spread 0.75, three reviews.
    let score = text_of(&jury, &format!("#standing-{entry} .score")).await;
    assert_eq!(score.parse::<f64>().ok(), Some(4.0), "{score}");
    assert!(standing.contains("0.75"), "{standing}");
    open_page(&jury, app, &entry_page).await;
    assert_eq!(
        jury.find_all(Locator::Css("#reviews tbody tr"))
            .await
            .expect("reviews")
            .len(),
        3,
        "the jury sees every review"
    );
    assert!(text_of(&jury, "#excluded")
        .await
        .contains("from the entry's own city"));
    open_page(&jury, app, &call_page).await;
    select(&jury, &format!("#f-award-{entry}"), "winner").await;
    fill(&jury, "#f-decision", "Protocol 1: the adaptive lights win.").await;
    assert_eq!(
        send(&jury, "#decision-form button[type=submit]").await,
        "Saved."
    );
    assert_eq!(text_of(&jury, "#stage").await, "decided");
    jury.close().await.expect("close");

    // The Secretariat publishes; the winner links to its catalogue page, which search finds.
    open_page(&staff, app, &call_page).await;
    assert_eq!(
        send(&staff, "#step-form button[type=submit]").await,
        "Published: everyone can see it now."
    );
    assert!(text_of(&staff, "#results").await.contains(TITLE_EN));
    click(&staff, "#results a").await;
    assert_eq!(text_of(&staff, "h1").await, TITLE_EN);
    let solution = path_of(&staff).await;
    open_page(&staff, app, "/catalogue?q=traffic+light").await;
    let hit = staff
        .find(Locator::Css(&format!("#hits a[href='{solution}']")))
        .await;
    assert!(hit.is_ok(), "{}", text_of(&staff, "#hits").await);

    // The Secretariat makes the collection in English (a job, followed on /jobs); the call's
    // page then links the PDF, whose winner's page carries the title.
    open_page(&staff, app, &call_page).await;
    assert!(text_of(&staff, "#collections-none")
        .await
        .contains("not been made"));
    select(&staff, "#f-collection-lang", "en").await;
    click(&staff, "#collection-form button[type=submit]").await;
    follow_job(&staff, "catalogue-collection").await;
    open_page(&staff, app, &call_page).await;
    let href = staff
        .find(Locator::Css("#collections a[hreflang='en']"))
        .await
        .expect("the collection's link")
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    staff.close().await.expect("close");
    let response = client()
        .get(app.url(&href))
        .send()
        .await
        .expect("GET the collection");
    assert_eq!(response.status(), 200, "{href}");
    assert_eq!(content_type(&response), "application/pdf");
    let pdf = response.bytes().await.expect("the PDF");
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(TITLE_EN), "{flat}");
    }

    // The city next door records that it pilots the winner; the solution's page lists it.
    let (neighbour, _) = person(app, "city-rep", "astana", None).await;
    let (next_door, _n) = english(driver, app, &email_of(app, neighbour).await, PASSWORD).await;
    open_page(&next_door, app, &solution).await;
    select(&next_door, "#f-status", "piloting").await;
    set_date(&next_door, "f-date", today).await;
    fill(&next_door, "#f-note", "Ten crossings first").await;
    send(&next_door, "#adoption-form button[type=submit]").await;
    let adoption = text_of(&next_door, "#adoption-astana").await;
    assert!(
        adoption.contains("piloting") && adoption.contains("Ten crossings first"),
        "{adoption}"
    );
    next_door.close().await.expect("close");
}
