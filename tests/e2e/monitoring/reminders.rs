//! Reminders of a monitoring campaign: the scheduler's `reminders` job reminds the
//! representatives of each invited city that has not submitted its answers when the due date is
//! near, and once more when it has passed — once per city and due date, however often it runs;
//! a city that submitted hears nothing. In the inbox (Russian and English) and in the mail, with
//! the link to the city's questionnaire.
use super::campaigns::{add_city, person, questionnaire, Someone, META, SPEC};
use crate::support::{unescape, TestApp};
use megapolis_domain::{CityCode, Person};
use megapolis_monitoring::{CheckedAnswer, EditionInput};
use megapolis_storage::monitoring::campaigns::{InvitedCity, NewCampaign};
use megapolis_storage::notices::Notice;
use megapolis_web::scheduler::{self, SchedulerConfig, TickReport};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Opens a campaign due in `days` (negative: past) for `cities`, with the two assessors.
async fn open(app: &TestApp, edition: i64, days: i64, cities: &[&str], assessors: [i64; 2]) -> i64 {
    let due = OffsetDateTime::now_utc().date() + time::Duration::days(days);
    app.store
        .campaigns()
        .open(
            "tests",
            &NewCampaign {
                edition_id: edition,
                due_date: due.to_string(),
                cities: cities
                    .iter()
                    .map(|c| InvitedCity {
                        city: CityCode::parse(c).expect("a city code"),
                        assessors,
                    })
                    .collect(),
            },
        )
        .await
        .expect("open a campaign")
}

async fn person_of(app: &TestApp, someone: &Someone) -> Person {
    app.store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.id == someone.id)
        .expect("the person")
}

fn answer(code: &str, value: &str) -> CheckedAnswer {
    CheckedAnswer {
        indicator: code.into(),
        value: Some(value.into()),
        evidence_url: String::new(),
        comment: String::new(),
    }
}

/// The campaign notices of `kind` in someone's inbox.
async fn notices(app: &TestApp, someone: &Someone, kind: &str) -> Vec<Notice> {
    app.store
        .notices()
        .inbox(someone.id, 100)
        .await
        .expect("inbox")
        .into_iter()
        .filter(|n| n.subject_kind == "campaign" && n.kind == kind)
        .collect()
}

#[tokio::test]
async fn cities_yet_to_submit_are_reminded_once_before_and_after_the_due_date() {
    let app = crate::support::spawn_empty_app().await;
    add_city(&app, "alpha", "Alpha").await;
    add_city(&app, "beta", "Beta").await;
    let alpha_reps = [
        person(&app, "city-rep", Some("alpha")).await,
        person(&app, "city-rep", Some("alpha")).await,
    ];
    let beta_rep = person(&app, "city-rep", Some("beta")).await;
    let assessors = [
        person(&app, "expert", None).await.id,
        person(&app, "expert", None).await.id,
    ];
    let edition = EditionInput {
        meta: META.into(),
        spec: SPEC.into(),
        data: None,
        year: "2026".into(),
        title_ru: "Мониторинг 2026".into(),
        title_en: "Monitoring 2026".into(),
    }
    .parse()
    .expect("a valid edition");
    let edition = app
        .store
        .monitoring()
        .create("tests", &edition)
        .await
        .expect("save the edition");

    // Due in three days: alpha has a draft, beta has submitted.
    let soon = open(&app, edition, 3, &["alpha", "beta"], assessors).await;
    // Past due: beta has not started. Far off: alpha has not started.
    let late = open(&app, edition, -2, &["beta"], assessors).await;
    let _later = open(&app, edition, 30, &["alpha"], assessors).await;
    let campaigns = app.store.campaigns();
    let alpha = person_of(&app, &alpha_reps[0]).await;
    campaigns
        .save_answers(
            "tests",
            &alpha,
            soon,
            "alpha",
            &[answer("portal", "yes")],
            None,
        )
        .await
        .expect("alpha saves a draft");
    let beta = person_of(&app, &beta_rep).await;
    let all: Vec<String> = questionnaire()
        .questions()
        .map(|q| q.code.clone())
        .collect();
    let answers = [
        answer("portal", "no"),
        answer("online", "40"),
        answer("speed", "20"),
        answer("open", "full"),
        answer("waste", "250"),
    ];
    campaigns
        .save_answers("tests", &beta, soon, "beta", &answers, Some(&all))
        .await
        .expect("beta submits");

    // The scheduler's tick asks for the reminders job, a worker runs it.
    let mut config = SchedulerConfig::new("http://portal.test");
    config.reminder_days = 7;
    config.interval = Duration::from_secs(20);
    let config = Arc::new(config);
    let translations = Arc::new(megapolis_web::Translations::load());
    let tick = || {
        scheduler::tick(
            app.store.clone(),
            translations.clone(),
            None,
            config.clone(),
        )
    };
    assert_eq!(
        tick().await,
        TickReport {
            reminders: 1,
            overdue: 1,
            sent: 0,
            failed: 0
        },
        "one city due soon (alpha), one overdue (beta)"
    );

    // Each representative of alpha has one reminder, linked to the city's questionnaire.
    let alpha_page = format!("/monitoring/campaigns/{soon}/cities/alpha");
    for rep in &alpha_reps {
        let reminders = notices(&app, rep, "reminder").await;
        assert_eq!(reminders.len(), 1, "{reminders:?}");
        assert_eq!(reminders[0].link, alpha_page);
        assert!(
            reminders[0].title.contains("Monitoring 2026"),
            "{reminders:?}"
        );
        assert!(notices(&app, rep, "overdue").await.is_empty());
    }
    // Beta submitted in that campaign: no reminder; the campaign past due reminds it once.
    assert!(notices(&app, &beta_rep, "reminder").await.is_empty());
    let overdue = notices(&app, &beta_rep, "overdue").await;
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(
        overdue[0].link,
        format!("/monitoring/campaigns/{late}/cities/beta")
    );

    // Running again reminds nobody a second time.
    assert_eq!(tick().await, TickReport::default());
    for rep in &alpha_reps {
        assert_eq!(notices(&app, rep, "reminder").await.len(), 1);
    }
    assert_eq!(notices(&app, &beta_rep, "overdue").await.len(), 1);
    assert!(notices(&app, &beta_rep, "reminder").await.is_empty());

    // The inbox says it in the reader's language; the mail in both, with the full link.
    let inbox = |client: reqwest::Client| {
        let app = &app;
        async move {
            unescape(
                &app.get(&client, "/inbox")
                    .await
                    .text()
                    .await
                    .expect("inbox"),
            )
        }
    };
    let html = inbox(alpha_reps[0].client.clone()).await;
    assert!(
        html.contains("Срок кампании мониторинга близок") && html.contains(&alpha_page),
        "{html}"
    );
    app.get(&alpha_reps[0].client, "/lang/en?back=/inbox").await;
    let html = inbox(alpha_reps[0].client.clone()).await;
    assert!(
        html.contains("The due date of a monitoring campaign is near"),
        "{html}"
    );
    let mails = app.store.notices().mail_due(100).await.expect("outbox");
    let reminder_mails: Vec<_> = mails
        .iter()
        .filter(|m| m.notice.subject_kind == "campaign" && m.notice.kind == "reminder")
        .collect();
    assert_eq!(
        reminder_mails.len(),
        2,
        "one mail per representative of alpha"
    );
    let (subject, body) =
        scheduler::mail_text(reminder_mails[0], &translations, "http://portal.test");
    assert!(subject.contains("Monitoring 2026"), "{subject}");
    assert!(
        body.contains("Срок кампании мониторинга близок")
            && body.contains("The due date of a monitoring campaign is near")
            && body.contains(&format!("http://portal.test{alpha_page}")),
        "{body}"
    );
}
