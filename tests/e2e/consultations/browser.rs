//! Consultations in headless Chromium (issue 12, item 11): submissions come in (Minsk's on the
//! page, one the Secretariat entered from an e-mail through the API), the Expert Council merges
//! the group the platform suggests, drafts a plan with an item from the generalised proposal and
//! sends it for review, the Board's chair approves it, the item becomes an assignment, and
//! Minsk's representative sees on "my submissions" what became of the proposal.
use crate::browser::{click, fill, open_page, select, send, signed_in, text_of, ChromeDriver};
use crate::support::{api_post, TestApp};
use fantoccini::Locator;
use serde_json::json;

const MINSK_TEXT: &str = "Установить бесплатный Wi-Fi во всех троллейбусах города";
const EMAIL_TEXT: &str = "Бесплатный Wi-Fi во всех троллейбусах города — нужно установить";

pub(crate) async fn from_submission_to_assignment(driver: &ChromeDriver, app: &TestApp) {
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let (status, created) = api_post(
        app,
        &token,
        "/api/v1/consultations",
        &json!({"title_ru": "Браузерная консультация", "title_en": "Browser consultation"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("an id");
    let page = format!("/consultations/{id}");

    // Minsk's representative sends a proposal on the page.
    let (minsk, _minsk_profile) =
        signed_in(driver, app, "minsk@megapolis.example", "demo-city-pass").await;
    open_page(&minsk, app, &page).await;
    fill(&minsk, "#f-text", MINSK_TEXT).await;
    send(&minsk, "#submission-form button[type=submit]").await;
    // The Secretariat enters one that came by e-mail for Astana.
    let (status, body) = api_post(
        app,
        &token,
        &format!("/api/v1/consultations/{id}/submissions"),
        &json!({"city": "astana", "kind": "proposal", "text": EMAIL_TEXT}),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // The Council merges the suggested group.
    let (council, _council_profile) = signed_in(
        driver,
        app,
        "council@megapolis.example",
        "demo-council-pass",
    )
    .await;
    open_page(&council, app, &page).await;
    click(&council, ".group details.merge summary").await;
    fill(
        &council,
        ".group textarea[name=text_ru]",
        "Бесплатный Wi-Fi в троллейбусах",
    )
    .await;
    fill(&council, ".group input[name=topic]", "Wi-Fi").await;
    send(&council, ".group .merge-form button[type=submit]").await;
    let sources = text_of(&council, "#sources").await;
    assert!(
        sources.contains(MINSK_TEXT) && sources.contains(EMAIL_TEXT),
        "{sources}"
    );

    // A plan on a decision of the register, approved by the Board; one item from it.
    open_page(&council, app, &page).await;
    click(&council, "#new-plan summary").await;
    fill(&council, "#p-title-ru", "План по троллейбусам").await;
    select(&council, "#p-approver", "board").await;
    send(&council, "#plan-form button[type=submit]").await;
    fill(
        &council,
        "#i-action",
        "Оснастить троллейбусы точками доступа Wi-Fi",
    )
    .await;
    select(&council, "#i-lead", "secretariat").await;
    council
        .execute(
            "document.querySelector('#i-deadline').value = arguments[0];",
            vec![json!("2027-06-30")],
        )
        .await
        .expect("set the deadline");
    fill(&council, "#i-result", "Wi-Fi в каждом троллейбусе").await;
    send(&council, "#item-form button[type=submit]").await;
    send(&council, "#review-button").await;
    let plan_path = council
        .current_url()
        .await
        .expect("the plan's address")
        .path()
        .to_string();

    // The Board's chair approves: the item becomes an assignment.
    let (board, _board_profile) =
        signed_in(driver, app, "board@megapolis.example", "demo-board-pass").await;
    open_page(&board, app, &plan_path).await;
    send(&board, "#approve-button").await;
    let assignment = board
        .find(Locator::Css(".assignment-link"))
        .await
        .expect("the item's assignment")
        .attr("href")
        .await
        .expect("its address")
        .expect("a link");
    open_page(&board, app, &assignment).await;
    let task = text_of(&board, "main").await;
    assert!(
        task.contains("Оснастить троллейбусы точками доступа Wi-Fi"),
        "{task}"
    );

    // Minsk sees what became of the proposal.
    open_page(&minsk, app, "/consultations/mine").await;
    let fate = text_of(&minsk, ".submission .fate[data-fate=merged]").await;
    assert!(fate.contains("Бесплатный Wi-Fi в троллейбусах"), "{fate}");
    let link = minsk
        .find(Locator::Css(".submission .fate a[href^='/assignments/']"))
        .await
        .expect("the assignment in the fate")
        .attr("href")
        .await
        .expect("its address");
    assert_eq!(link.as_deref(), Some(assignment.as_str()));
    for browser in [minsk, council, board] {
        browser.close().await.expect("close");
    }
}
