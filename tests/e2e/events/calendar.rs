//! The calendar feeds read back with a calendar library (`icalendar`'s parser): an event of an
//! approved plan keeps its UID through a move and a cancellation while its SEQUENCE grows, stays
//! in the feed as cancelled, has all-day dates (no time, so no zone to shift them) and UTC
//! stamps; the event's own .ics (the "add to calendar" link) says the same.
use super::{approve_amendment, approved_plan, president_token, proposal};
use crate::support::{api_post as post, spawn_app, token_of, unescape, TestApp};
use icalendar::{Calendar, Component, DatePerhapsTime, EventStatus};
use serde_json::json;

/// What a calendar program keeps of one event.
#[derive(Debug, PartialEq)]
struct Seen {
    sequence: u32,
    status: Option<EventStatus>,
    /// All-day dates as YYYY-MM-DD; `None` for a date-time (which a zone could shift).
    start: Option<String>,
    end: Option<String>,
    url: Option<String>,
    stamped_utc: bool,
}

/// The event `uid` in the calendar at `path`, parsed; `None` when the calendar lacks it.
async fn seen(app: &TestApp, path: &str, uid: &str) -> (usize, Option<Seen>) {
    let response = app.client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status(), 200, "{path}");
    let text = response.text().await.expect("text");
    let calendar: Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
    let count = calendar.events().count();
    let event = calendar
        .events()
        .find(|e| e.get_uid() == Some(uid))
        .map(|e| Seen {
            sequence: e.get_sequence().unwrap_or(0),
            status: e.get_status(),
            start: all_day(e.get_start()),
            end: all_day(e.get_end()),
            url: e.get_url().map(String::from),
            stamped_utc: e.get_timestamp().is_some() && e.get_last_modified().is_some(),
        });
    (count, event)
}

fn all_day(value: Option<DatePerhapsTime>) -> Option<String> {
    match value {
        Some(DatePerhapsTime::Date(date)) => Some(date.to_string()),
        _ => None,
    }
}

fn day(text: &str) -> Option<String> {
    Some(text.to_string())
}

#[tokio::test]
async fn a_calendar_reads_the_feeds_with_a_stable_uid_and_a_growing_sequence() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    let president = president_token(&app).await;
    let forum = proposal(
        "forum",
        "Форум календарей",
        "moscow",
        "secretariat",
        "2030-03-03",
        "2030-03-04",
    );
    let (_, id) = approved_plan(&app, &secretariat, &president, forum.clone()).await;
    let uid = format!("event-{id}@megapolis");
    let feed = "/api/v1/events.ics";
    let own = format!("/events/{id}/calendar.ics");

    let (_, first) = seen(&app, feed, &uid).await;
    let first = first.expect("the event in the feed");
    assert_eq!(first.sequence, 0);
    assert_eq!(first.status, Some(EventStatus::Confirmed));
    // All-day: DTEND is the day after the last, as RFC 5545 wants.
    assert_eq!(
        (first.start.clone(), first.end.clone()),
        (day("2030-03-03"), day("2030-03-05"))
    );
    assert!(first.stamped_utc, "{first:?}");
    assert!(
        first
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with(&format!("/events/{id}"))),
        "{first:?}"
    );
    // The event's own calendar: that one event, the same UID and SEQUENCE; linked from its page.
    let (count, alone) = seen(&app, &own, &uid).await;
    assert_eq!((count, alone.as_ref()), (1, Some(&first)));
    let page = unescape(
        &app.client
            .get(app.url(&format!("/events/{id}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html"),
    );
    assert!(page.contains(&format!("href=\"{own}\"")), "{page}");

    // A move of its dates: refused to a city and outside the plan year, then done by the
    // Secretariat in a new draft version: the feed keeps the approved days until the President
    // approves that version; then the same UID, SEQUENCE 1, the new days.
    let amend = format!("/api/v1/events/proposals/{id}/amend");
    let mut moved = forum.clone();
    moved["starts_on"] = json!("2030-03-10");
    moved["ends_on"] = json!("2030-03-11");
    let (status, _) = post(&app, &minsk, &amend, &moved).await;
    assert_eq!(status, 403);
    let mut other_year = moved.clone();
    other_year["year"] = json!(2031);
    other_year["starts_on"] = json!("2031-03-10");
    other_year["ends_on"] = json!("2031-03-11");
    let (status, body) = post(&app, &secretariat, &amend, &other_year).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("other_year")),
        "{body}"
    );
    let mut backwards = moved.clone();
    backwards["ends_on"] = json!("2030-03-01");
    let (status, body) = post(&app, &secretariat, &amend, &backwards).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "ends_on", "{body}");
    let (_, unchanged) = seen(&app, feed, &uid).await;
    assert_eq!(
        unchanged.as_ref().map(|s| s.sequence),
        Some(0),
        "nothing saved"
    );
    let (status, body) = post(&app, &secretariat, &amend, &moved).await;
    assert_eq!(
        (status, body["sequence"].as_i64()),
        (200, Some(1)),
        "{body}"
    );
    for path in [feed, own.as_str()] {
        let (_, waiting) = seen(&app, path, &uid).await;
        assert_eq!(
            waiting.as_ref(),
            Some(&first),
            "{path}: not before the approval"
        );
    }
    let public = app
        .client
        .get(app.url(&format!("/events/{id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(public.contains("2030-03-03"), "the approved days: {public}");
    let plan_page = || async {
        app.client
            .get(app.url("/events?year=2030"))
            .send()
            .await
            .expect("plan")
            .text()
            .await
            .expect("html")
    };
    let before = plan_page().await;
    assert!(
        before.contains("2030-03-03") && !before.contains("2030-03-10"),
        "{before}"
    );
    // While the new version is with the President, the event does not change again.
    let plans = app.store.events().plans().await.expect("plans");
    let draft = plans
        .iter()
        .find(|p| p.year == 2030 && p.state.as_str() == "draft")
        .expect("a draft version for the amendment");
    let (status, _) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/plans/{}/submit", draft.id),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(&app, &secretariat, &amend, &moved).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("with_president")),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &president,
        &format!("/api/v1/events/plans/{}/approve", draft.id),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let after = plan_page().await;
    assert!(
        after.contains("2030-03-10") && !after.contains("2030-03-03"),
        "the plan page follows the approval: {after}"
    );
    let (_, second) = seen(&app, feed, &uid).await;
    let second = second.expect("still in the feed");
    assert_eq!(second.sequence, 1);
    assert_eq!(
        (second.start.clone(), second.end.clone()),
        (day("2030-03-10"), day("2030-03-12"))
    );

    // Cancelled: it stays, with STATUS:CANCELLED and SEQUENCE 2, in the feed and its own file.
    let (status, body) = post(
        &app,
        &secretariat,
        &format!("/api/v1/events/proposals/{id}/cancel"),
        &json!({ "reason": "Перенос на следующий год" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, waiting) = seen(&app, feed, &uid).await;
    assert_eq!(
        waiting.map(|w| (w.sequence, w.status)),
        Some((1, Some(EventStatus::Confirmed))),
        "not before the approval"
    );
    approve_amendment(&app, &secretariat, &president, 2030).await;
    for path in [feed, own.as_str()] {
        let (_, third) = seen(&app, path, &uid).await;
        let third = third.expect("a cancelled event stays");
        assert_eq!(
            (third.sequence, third.status),
            (2, Some(EventStatus::Cancelled)),
            "{path}"
        );
    }

    // An event in no approved plan has no calendar file.
    let (status, body) = post(
        &app,
        &secretariat,
        "/api/v1/events/proposals",
        &proposal(
            "seminar",
            "Черновик",
            "moscow",
            "secretariat",
            "2030-05-05",
            "2030-05-05",
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let draft = body["id"].as_i64().expect("id");
    let response = app
        .client
        .get(app.url(&format!("/events/{draft}/calendar.ics")))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
}

/// The answer at `path`, asking for gzip or not: its `Content-Encoding` and its body unzipped.
async fn fetched(app: &TestApp, path: &str, gzip: bool) -> (Option<String>, String) {
    let mut request = app.client.get(app.url(path));
    if gzip {
        request = request.header("Accept-Encoding", "gzip, deflate");
    }
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), 200, "{path}");
    let encoding = response
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let bytes = response.bytes().await.expect("body");
    let mut text = String::new();
    if encoding.as_deref() == Some("gzip") {
        use std::io::Read as _;
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("gzip");
    } else {
        text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    }
    (encoding, text)
}

#[tokio::test]
async fn the_feed_and_the_plan_page_go_gzipped_to_who_accepts_it_and_plain_to_others() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/events.ics",
        "/api/v1/events.ics?kind=seminar",
        "/events",
    ] {
        let (plain_encoding, plain) = fetched(&app, path, false).await;
        let (encoding, unzipped) = fetched(&app, path, true).await;
        assert_eq!(
            (plain_encoding.as_deref(), encoding.as_deref()),
            (None, Some("gzip")),
            "{path}"
        );
        assert_eq!(unzipped, plain, "{path}: the same answer");
        assert!(
            plain.contains("BEGIN:VEVENT") || plain.contains("id=\"event-"),
            "{path}: the demo's plan: {plain}"
        );
    }
}
