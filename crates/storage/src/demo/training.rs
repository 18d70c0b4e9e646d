//! Demo training, **written for the demo**: two programmes with the association's partner
//! university, a cohort finished last year (certificates expired by now), one finished this
//! season (certificates issued by the server at its start, one of them revoked), one in
//! progress with results partly recorded, and one open for nominations with quotas partly used
//! by several cities. Certificates need the issuer key, which the web layer holds, so
//! `megapolis_web` issues them after loading the demo (`training::demo_certificates`).
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_domain::CityCode;
use megapolis_training::{Attendance, CohortInput, NomineeInput, ProgrammeInput};
use time::{Date, Duration};

/// The titles of the demo's finished cohorts, for the web layer to issue their certificates.
pub const FINISHED_COHORTS: [&str; 2] = [
    "Кибербезопасность — зима (демо)",
    "Управление данными — весна (демо)",
];

/// Nominees per city: (city, name, position, e-mail); every one of them invented.
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    (
        "minsk",
        "Анна Ковалёва",
        "Ведущий аналитик",
        "a.kovaleva@minsk.demo",
    ),
    (
        "moscow",
        "Игорь Соколов",
        "Начальник отдела данных",
        "i.sokolov@moscow.demo",
    ),
    (
        "astana",
        "Айгерим Нурланова",
        "Главный специалист",
        "a.nurlanova@astana.demo",
    ),
    (
        "baku",
        "Рашад Алиев",
        "Инженер по безопасности",
        "r.aliev@baku.demo",
    ),
    (
        "yerevan",
        "Армен Петросян",
        "Руководитель ИТ-службы",
        "a.petrosyan@yerevan.demo",
    ),
    (
        "bishkek",
        "Айжан Осмонова",
        "Специалист",
        "a.osmonova@bishkek.demo",
    ),
];

/// A demo cohort: programme id, title, start in days from today, length in days, quotas.
type DemoCohort<'a> = (i64, &'a str, i64, i64, &'a [(&'a str, u32)]);

fn iso(date: Date) -> String {
    date.to_string()
}

pub(super) async fn load(store: &Store, today: Date) -> Result<(), DemoError> {
    let data = |row: usize, message: String| DemoError::Data {
        file: "demo/training.rs",
        row,
        message,
    };
    let training = store.training();
    let course = |ru: &str, en: &str, hours| megapolis_training::Course {
        title_ru: ru.into(),
        title_en: en.into(),
        hours,
    };
    let partner = "Университет — партнёр Ассоциации (демо)";
    let data_programme = ProgrammeInput {
        title_ru: "Управление данными в городской администрации".into(),
        title_en: "Data management in city administrations".into(),
        description: "Открытые данные, реестры, качество и защита данных.".into(),
        partner: partner.into(),
        hours: 72,
        format: "mixed".into(),
        validity_years: Some(3),
        min_attendance: Some(0.8),
        outcomes: vec![
            "Публикует наборы открытых данных в машиночитаемом виде".into(),
            "Ведёт реестры и следит за качеством данных".into(),
        ],
        // The criteria of the demo methodology this programme builds.
        competences: vec!["OpenData".into(), "Services".into()],
        courses: vec![
            course("Открытые данные", "Open data", 24),
            course(
                "Реестры и качество данных",
                "Registers and data quality",
                32,
            ),
            course("Защита персональных данных", "Personal data protection", 16),
        ],
    }
    .parse()
    .map_err(|e| data(1, e.to_string()))?;
    let cyber_programme = ProgrammeInput {
        title_ru: "Кибербезопасность городских систем".into(),
        title_en: "Cybersecurity of city systems".into(),
        description: "Фишинг, управление инцидентами, безопасная разработка.".into(),
        partner: partner.into(),
        hours: 48,
        format: "online".into(),
        validity_years: Some(1),
        min_attendance: Some(0.75),
        outcomes: vec!["Распознаёт атаки и реагирует на инциденты".into()],
        competences: vec!["Infrastructure".into()],
        courses: vec![
            course("Угрозы и фишинг", "Threats and phishing", 16),
            course("Управление инцидентами", "Incident management", 32),
        ],
    }
    .parse()
    .map_err(|e| data(2, e.to_string()))?;
    let data_id = training
        .create_programme(DEMO_ACTOR, &data_programme)
        .await?;
    let cyber_id = training
        .create_programme(DEMO_ACTOR, &cyber_programme)
        .await?;

    let cohorts: [DemoCohort<'_>; 4] = [
        (
            cyber_id,
            FINISHED_COHORTS[0],
            -430,
            20,
            &[("baku", 2), ("yerevan", 2)],
        ),
        (
            data_id,
            FINISHED_COHORTS[1],
            -60,
            20,
            &[("minsk", 2), ("moscow", 2), ("astana", 1)],
        ),
        (
            cyber_id,
            "Кибербезопасность — осень (демо)",
            -5,
            25,
            &[("minsk", 1), ("bishkek", 2), ("moscow", 1)],
        ),
        (
            data_id,
            "Управление данными — набор открыт (демо)",
            40,
            20,
            &[("minsk", 2), ("moscow", 2), ("astana", 2), ("baku", 1)],
        ),
    ];
    for (row, (programme_id, title, start, length, quotas)) in cohorts.into_iter().enumerate() {
        let starts_on = today + Duration::days(start);
        // Nominations close a week before the start; the open cohort takes them now.
        let (opens, closes) = if start > 0 {
            (today - Duration::days(10), starts_on - Duration::days(7))
        } else {
            (
                starts_on - Duration::days(40),
                starts_on - Duration::days(7),
            )
        };
        let cohort = CohortInput {
            programme_id,
            title: title.into(),
            starts_on: iso(starts_on),
            ends_on: iso(starts_on + Duration::days(length)),
            place: "Москва".into(),
            teachers: "Е. Смирнова, А. Ким".into(),
            teacher_accounts: Vec::new(),
            capacity: 10,
            applications_open: iso(opens),
            applications_close: iso(closes),
            quotas: quotas.iter().map(|(c, n)| (c.to_string(), *n)).collect(),
        }
        .parse()
        .map_err(|e| data(10 + row, e.to_string()))?;
        let cohort_id = training.create_cohort(DEMO_ACTOR, &cohort).await?;
        let mut participants = Vec::new();
        // Each city of the quotas has nominated one person (two for the first city).
        for (i, (city, _)) in quotas.iter().enumerate() {
            let Some((_, name, position, email)) = PEOPLE.iter().find(|p| p.0 == *city) else {
                continue;
            };
            let code = CityCode::parse(city).map_err(|e| data(20 + row, e.0))?;
            let finished = start + length < 0;
            let in_progress = !finished && start <= 0;
            let attendance = Attendance::parse(if i == 0 { 1.0 } else { 0.9 })
                .map_err(|e| data(30 + row, e.to_string()))?;
            let result = if finished {
                let rule = if programme_id == data_id {
                    &data_programme.rule
                } else {
                    &cyber_programme.rule
                };
                Some((attendance, true, rule.outcome(attendance, true)))
            } else if in_progress && i == 0 {
                // Results recorded so far: one participant failed the assessment.
                Some((attendance, false, megapolis_training::Outcome::Failed))
            } else {
                None
            };
            let nominee = NomineeInput {
                name: (*name).into(),
                position: (*position).into(),
                email: email.replace('@', &format!("+{row}@")),
                ..Default::default()
            }
            .parse()
            .map_err(|e| data(40 + row, e.to_string()))?;
            participants.push(
                training
                    .record_past_nomination(cohort_id, &code, &nominee, result)
                    .await?,
            );
        }
        // The cohort in progress keeps a register: a session a day so far, one absence.
        if start <= 0 && start + length >= 0 {
            for (day, topic) in SESSION_TOPICS.iter().enumerate() {
                let on = starts_on + Duration::days(day as i64);
                if on >= today {
                    break;
                }
                let session = training
                    .add_session(DEMO_ACTOR, cohort_id, on, topic)
                    .await?;
                let present: Vec<i64> = participants
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !(day == 1 && *k == 1))
                    .map(|(_, id)| *id)
                    .collect();
                training
                    .mark_attendance(DEMO_ACTOR, session, &present)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The topics of the demo register's sessions, one a day.
const SESSION_TOPICS: [&str; 4] = [
    "Угрозы городским информационным системам",
    "Управление инцидентами",
    "Защита персональных данных",
    "Учения: реагирование на атаку",
];
