//! The plan of events in headless Chromium (issue 13, item 10): Minsk's representative proposes
//! a forum on the proposals page and submits it; the Secretariat accepts it, opens the year's
//! plan version and submits it to the President; the President approves it; the forum is then
//! in the calendar feed (its UID and summary) and on the public plan page.
use crate::browser::{
    click, fill, open_page, select, send, signed_in, text_of, wait_for_path, ChromeDriver,
};
use crate::support::{demo_login, TestApp};

const YEAR: i32 = 2032;
const TITLE: &str = "Браузерный форум городов";

/// The flow, on the browser module's server and chromedriver.
pub(crate) async fn proposal_to_approved_plan_in_the_feed(driver: &ChromeDriver, app: &TestApp) {
    // Minsk proposes a forum in May, its dates not yet fixed, and submits it.
    let (email, password) = demo_login("city-rep");
    let (city, _c) = signed_in(driver, app, email, password).await;
    open_page(&city, app, "/events/proposals").await;
    fill(&city, "#f-year", &YEAR.to_string()).await;
    select(&city, "#f-kind", "forum").await;
    fill(&city, "#f-title_ru", TITLE).await;
    fill(&city, "#f-title_en", "Browser forum of cities").await;
    fill(&city, "#f-month", "5").await;
    select(&city, "#f-city", "minsk").await;
    fill(&city, "#f-organiser", "minsk").await;
    assert_eq!(
        send(&city, "#proposal-form button[type=submit]").await,
        "Created."
    );
    let id = app
        .store
        .events()
        .proposals(Some(YEAR), None)
        .await
        .expect("proposals")
        .into_iter()
        .find(|p| p.event.title_ru == TITLE)
        .expect("Minsk's proposal")
        .id;
    let row = format!("#proposal-{id}");
    assert_eq!(
        text_of(&city, &format!("{row} td:nth-child(3)")).await,
        "Draft"
    );
    assert_eq!(
        send(&city, &format!("{row} button[type=submit]")).await,
        "Saved."
    );
    assert_eq!(
        text_of(&city, &format!("{row} td:nth-child(3)")).await,
        "Submitted"
    );
    city.close().await.expect("close");

    // The Secretariat accepts it, opens the year's version and submits it to the President.
    let (email, password) = demo_login("secretariat");
    let (staff, _s) = signed_in(driver, app, email, password).await;
    open_page(&staff, app, "/events/proposals").await;
    fill(&staff, &format!("#reason-{id}"), "В план").await;
    assert_eq!(
        send(&staff, &format!("{row} button[value=accept]")).await,
        "Saved."
    );
    click(&staff, "#plans-link").await;
    wait_for_path(&staff, "/events/plans").await;
    fill(&staff, "#f-year", &YEAR.to_string()).await;
    assert_eq!(
        send(&staff, "#plan-form button[type=submit]").await,
        "Created."
    );
    let plan = app
        .store
        .events()
        .plans()
        .await
        .expect("plans")
        .into_iter()
        .find(|p| p.year == YEAR)
        .expect("the version");
    let section = format!("#plan-{}", plan.id);
    assert!(text_of(&staff, &section).await.contains(TITLE));
    assert_eq!(
        send(&staff, &format!("{section} button[value=submit]")).await,
        "Saved."
    );
    assert!(text_of(&staff, &format!("{section} h2"))
        .await
        .ends_with("with the President"));
    staff.close().await.expect("close");

    // The President approves it.
    let (president, _p) = signed_in(
        driver,
        app,
        megapolis_storage::demo::PRESIDENT_EMAIL,
        megapolis_storage::demo::PRESIDENT_PASSWORD,
    )
    .await;
    open_page(&president, app, "/events/plans").await;
    assert_eq!(
        send(&president, &format!("{section} button[value=approve]")).await,
        "Saved."
    );
    assert!(text_of(&president, &format!("{section} h2"))
        .await
        .ends_with("approved"));

    // The forum is in Minsk's feed, and on the public plan filtered by Minsk.
    let feed = crate::support::client()
        .get(app.url("/api/v1/events.ics?city=minsk"))
        .send()
        .await
        .expect("the feed")
        .text()
        .await
        .expect("text")
        .replace("\r\n ", "");
    assert!(
        feed.contains(&format!("\r\nUID:event-{id}@megapolis\r\n")),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "\r\nSUMMARY:{TITLE} / Browser forum of cities\r\n"
        )),
        "{feed}"
    );
    open_page(&president, app, &format!("/events?year={YEAR}&city=minsk")).await;
    let listed = text_of(&president, &format!("#event-{id}")).await;
    assert!(listed.contains("Browser forum of cities"), "{listed}");
    president.close().await.expect("close");
}
