//! A demo plan of main events for next year, **written for the demo**: proposals from the
//! Secretariat and Minsk, a first version returned by the President with remarks and a second
//! one approved, and two later proposals still to consolidate, one clashing with the session
//! (blocks) and one a likely duplicate of a seminar (warns). The President, the chair of the body
//! "president", is a demo person created here (after the decisions, whose notices they miss).
//! The seminars link a solution of the catalogue and the forum a training course (both loaded
//! before).
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_domain::Person;
use megapolis_events::{PlanAction, ProposalAction, ProposalInput};
use time::OffsetDateTime;

/// The President's demo sign-in.
pub const PRESIDENT_EMAIL: &str = "president@megapolis.example";
pub const PRESIDENT_PASSWORD: &str = "demo-president-pass";

/// Who proposes (a demo e-mail), kind, titles, dates (`MM-DD..MM-DD`, `month N`, `quarter N`),
/// city, organiser, in which version it enters (1, 2, or 0: proposed later, not yet decided).
type DemoProposal = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u8,
);

const PROPOSALS: &[DemoProposal] = &[
    (
        "secretariat",
        "session",
        "Сессия Ассоциации",
        "Session of the Association",
        "06-16..06-17",
        "moscow",
        "secretariat",
        1,
    ),
    (
        "minsk",
        "forum",
        "Форум «Цифровой город»",
        "Digital City Forum",
        "quarter 3",
        "minsk",
        "minsk",
        1,
    ),
    (
        "secretariat",
        "seminar",
        "Семинар «Умный транспорт»",
        "Smart transport seminar",
        "month 4",
        "astana",
        "commission-info",
        1,
    ),
    (
        "secretariat",
        "exhibition",
        "Выставка городских решений",
        "Exhibition of city solutions",
        "10-05..10-08",
        "tashkent",
        "secretariat",
        2,
    ),
    (
        "secretariat",
        "conference",
        "Конференция по открытым данным",
        "Open data conference",
        "06-17..06-18",
        "baku",
        "baku",
        0,
    ),
    (
        "secretariat",
        "seminar",
        "Семинар «Умный транспорт» для городов",
        "Smart transport seminar for cities",
        "04-21..04-22",
        "bishkek",
        "bishkek",
        0,
    ),
];

fn input(year: i32, row: &DemoProposal) -> ProposalInput {
    let (_, kind, title_ru, title_en, dates, city, organiser, _) = *row;
    let mut input = ProposalInput {
        year: year.to_string(),
        kind: kind.into(),
        title_ru: title_ru.into(),
        title_en: title_en.into(),
        city: city.into(),
        organiser: organiser.into(),
        expected_participants: "150".into(),
        ..Default::default()
    };
    if let Some(month) = dates.strip_prefix("month ") {
        input.month = month.into();
    } else if let Some(quarter) = dates.strip_prefix("quarter ") {
        input.quarter = quarter.into();
    } else if let Some((start, end)) = dates.split_once("..") {
        input.starts_on = format!("{year}-{start}");
        input.ends_on = format!("{year}-{end}");
    }
    input
}

pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    let data = |row: usize, message: String| DemoError::Data {
        file: "demo/events.rs",
        row,
        message,
    };
    let president = megapolis_domain::person::PersonInput {
        email: PRESIDENT_EMAIL.into(),
        name: "Президент МАГ (демо)".into(),
        role: "body-member".into(),
        body: "president".into(),
        position: "chair".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| data(0, e.to_string()))?;
    let hash = megapolis_domain::password::hash_password(PRESIDENT_PASSWORD)
        .map_err(|e| data(0, e.to_string()))?;
    store
        .accounts()
        .create_person(DEMO_ACTOR, &president, Some(&hash))
        .await?;
    let people = store.accounts().people().await?;
    let person = |row: usize, email: &str| -> Result<Person, DemoError> {
        people
            .iter()
            .find(|p| p.email.as_str() == email)
            .cloned()
            .ok_or_else(|| data(row, format!("no demo person {email}")))
    };
    let president = person(0, PRESIDENT_EMAIL)?;
    let secretariat = person(0, "secretariat@megapolis.example")?;
    let year = OffsetDateTime::now_utc().year() + 1;
    let events = store.events();
    // Seminars present the first published solution of the catalogue; the forum holds the first
    // training course.
    let solution = store.catalogue().list(true).await?.first().map(|s| s.id);
    let course = store.training().programmes().await?.first().map(|p| p.id);
    let mut ids = Vec::new();
    for (row, proposal) in PROPOSALS.iter().enumerate() {
        let author = person(row + 1, &format!("{}@megapolis.example", proposal.0))?;
        let mut typed = input(year, proposal);
        let link = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        match proposal.1 {
            "seminar" => typed.solutions = link(solution),
            "forum" => typed.courses = link(course),
            _ => {}
        }
        let parsed = typed.parse().map_err(|e| data(row + 1, e.to_string()))?;
        let id = events
            .propose(&author, &parsed)
            .await?
            .map_err(|r| data(row + 1, r.to_string()))?;
        events
            .act(&author, id, ProposalAction::Submit, "")
            .await?
            .map_err(|r| data(row + 1, r.to_string()))?;
        ids.push((id, proposal.7));
    }
    let accept = |version: u8| {
        ids.iter()
            .filter(move |(_, v)| *v == version)
            .map(|(id, _)| *id)
    };
    for (version, remarks) in [(1, "Добавить выставку городских решений"), (2, "")]
    {
        for id in accept(version) {
            events
                .act(&secretariat, id, ProposalAction::Accept, "")
                .await?
                .map_err(|r| data(0, r.to_string()))?;
        }
        let plan = events.create_plan(DEMO_ACTOR, year).await?;
        events
            .act_plan(&secretariat, plan, PlanAction::Submit, "")
            .await?
            .map_err(|r| data(0, r.to_string()))?;
        let action = if remarks.is_empty() {
            PlanAction::Approve
        } else {
            PlanAction::Return
        };
        events
            .act_plan(&president, plan, action, remarks)
            .await?
            .map_err(|r| data(0, r.to_string()))?;
        if action == PlanAction::Approve {
            attach(store, plan, year).await?;
        }
    }
    held(
        store,
        &secretariat,
        &president,
        &person(0, "minsk@megapolis.example")?,
    )
    .await
}

/// This year's plan with a seminar held a month ago (or on the 1st of January): places, two
/// registrations, Minsk's representative attended, a talk presenting the first published
/// solution of the catalogue, slides and a report.
async fn held(
    store: &Store,
    secretariat: &Person,
    president: &Person,
    minsk: &Person,
) -> Result<(), DemoError> {
    let data = |message: String| DemoError::Data {
        file: "demo/events.rs",
        row: 0,
        message,
    };
    let today = OffsetDateTime::now_utc().date();
    let first = time::Date::from_calendar_date(today.year(), time::Month::January, 1)
        .map_err(|e| data(e.to_string()))?;
    let day = (today - time::Duration::days(30)).max(first);
    let parsed = ProposalInput {
        year: today.year().to_string(),
        kind: "seminar".into(),
        title_ru: "Семинар «Решения для умного города»".into(),
        title_en: "Smart city solutions seminar".into(),
        description_ru: "Города представляют решения из каталога.".into(),
        description_en: "Cities present solutions of the catalogue.".into(),
        starts_on: megapolis_events::format_date(day),
        city: "minsk".into(),
        venue: "Минский городской исполнительный комитет".into(),
        organiser: "secretariat".into(),
        expected_participants: "40".into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| data(e.to_string()))?;
    let events = store.events();
    let refused = |r: megapolis_events::Refusal| data(r.to_string());
    let id = events
        .propose(secretariat, &parsed)
        .await?
        .map_err(refused)?;
    for action in [ProposalAction::Submit, ProposalAction::Accept] {
        events
            .act(secretariat, id, action, "")
            .await?
            .map_err(refused)?;
    }
    let plan = events.create_plan(DEMO_ACTOR, today.year()).await?;
    events
        .act_plan(secretariat, plan, PlanAction::Submit, "")
        .await?
        .map_err(refused)?;
    events
        .act_plan(president, plan, PlanAction::Approve, "")
        .await?
        .map_err(refused)?;
    events
        .set_capacity(secretariat, id, Some(30))
        .await?
        .map_err(refused)?;
    for who in [minsk, secretariat] {
        events.register(who, id).await?.map_err(refused)?;
    }
    events
        .mark_attendance(secretariat, id, minsk.id, true, today)
        .await?
        .map_err(refused)?;
    if let Some(solution) = store.catalogue().list(true).await?.first() {
        let talk = megapolis_events::held::NewTalk {
            title: "Опыт внедрения".into(),
            speaker: "Представитель города".into(),
            solution_id: Some(solution.id),
        };
        events
            .add_talk(secretariat, id, &talk)
            .await?
            .map_err(refused)?;
    }
    let slides = megapolis_events::held::NewMaterial {
        title: "Слайды семинара".into(),
        link: "https://example.org/megapolis/seminar-slides.pdf".into(),
    };
    events
        .add_material(secretariat, id, &slides)
        .await?
        .map_err(refused)?;
    events
        .set_report(
            secretariat,
            id,
            "Города обменялись опытом внедрения решений из каталога.",
            today,
        )
        .await?
        .map_err(refused)?;
    Ok(())
}

/// The approved version becomes the appendix of the newest published Russian demo decision.
async fn attach(store: &Store, plan: i64, year: i32) -> Result<(), DemoError> {
    let decisions = store
        .decisions()
        .list(true, OffsetDateTime::now_utc().date())
        .await?;
    let decision = decisions
        .iter()
        .find(|d| d.language == "ru")
        .ok_or_else(|| DemoError::Data {
            file: "demo/events.rs",
            row: 0,
            message: "no published Russian decision to attach the plan to".into(),
        })?;
    let version = store.events().plan(plan).await?.map_or(1, |p| p.version);
    store
        .events()
        .attach(
            DEMO_ACTOR,
            plan,
            decision.id,
            &megapolis_events::plan_title(megapolis_domain::Lang::Ru, year, version),
            &format!("/events/plans/{plan}"),
        )
        .await?;
    Ok(())
}
