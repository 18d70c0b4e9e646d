//! The demo organisation: real member cities, the bodies of the example decisions, and one
//! person for every role, so a newcomer sees everything at first start.
use crate::assignments::AssignmentFilter;
use crate::org::Association;
use crate::{StorageError, Store};
use megapolis_assignments::Action;
use megapolis_decisions::{directory_of, new_decision_from_parsed};
use megapolis_decisions::{written_date, Language};
use megapolis_domain::body::parse_bodies_csv;
use megapolis_domain::city::CityInput;
use megapolis_domain::password::hash_password;
use megapolis_domain::person::PersonInput;
use time::{Date, Duration, OffsetDateTime};

const CITIES_CSV: &str = include_str!("../../demo/cities.csv");
const BODIES_CSV: &str = include_str!("../../demo/bodies.csv");

/// A demo login, printed by `serve --demo`.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub role: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub body: &'static str,
    pub position: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        email: "admin@megapolis.example",
        password: "demo-admin-pass",
        role: "admin",
        name: "Анна Администратова",
        city: "",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "secretariat@megapolis.example",
        password: "demo-secretariat-pass",
        role: "secretariat",
        name: "Сергей Секретарёв",
        city: "",
        body: "secretariat",
        position: "secretary",
    },
    DemoLogin {
        email: "board@megapolis.example",
        password: "demo-board-pass",
        role: "body-member",
        name: "Борис Правлин",
        city: "",
        body: "board",
        position: "chair",
    },
    DemoLogin {
        email: "council@megapolis.example",
        password: "demo-council-pass",
        role: "body-member",
        name: "Елена Экспертова",
        city: "",
        body: "expert-council",
        position: "member",
    },
    DemoLogin {
        email: "minsk@megapolis.example",
        password: "demo-city-pass",
        role: "city-rep",
        name: "Виктор Минский",
        city: "minsk",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "expert@megapolis.example",
        password: "demo-expert-pass",
        role: "expert",
        name: "Ирина Оценщикова",
        city: "",
        body: "",
        position: "",
    },
];

pub const DEMO_ACTOR: &str = "system:demo";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data, {file} row {row}: {message}")]
    Data {
        file: &'static str,
        row: usize,
        message: String,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Loads the demo organisation into an empty database; a database that already has cities is
/// left as it is, so `serve --demo` can be restarted without duplicating anything.
pub async fn load_demo(store: &Store) -> Result<bool, DemoError> {
    if !store.org().cities().await?.is_empty() {
        return Ok(false);
    }
    store
        .org()
        .set_association(
            DEMO_ACTOR,
            &Association {
                name_ru: "Международная ассамблея столиц и крупных городов".into(),
                name_en: "International Assembly of Capitals and Major Cities".into(),
                short_ru: "МАГ".into(),
                short_en: "MAG".into(),
            },
        )
        .await?;
    let bodies = parse_bodies_csv("bodies.csv", BODIES_CSV).map_err(|e| DemoError::Data {
        file: "bodies.csv",
        row: 0,
        message: e.to_string(),
    })?;
    store.org().save_bodies(DEMO_ACTOR, &bodies).await?;
    let mut reader = csv::Reader::from_reader(CITIES_CSV.as_bytes());
    for (index, record) in reader.deserialize::<DemoCityRow>().enumerate() {
        let data_error = |message: String| DemoError::Data {
            file: "cities.csv",
            row: index + 2,
            message,
        };
        let row = record.map_err(|e| data_error(e.to_string()))?;
        let city = row
            .into_input()
            .parse()
            .map_err(|e| data_error(e.to_string()))?;
        store.org().save_city(DEMO_ACTOR, &city).await?;
    }
    for login in DEMO_LOGINS {
        let input = PersonInput {
            email: login.email.into(),
            name: login.name.into(),
            role: login.role.into(),
            city: login.city.into(),
            body: login.body.into(),
            position: login.position.into(),
        };
        let draft = input.parse().map_err(|e| DemoError::Data {
            file: "DEMO_LOGINS",
            row: 0,
            message: e.to_string(),
        })?;
        let hash = hash_password(login.password).map_err(|e| DemoError::Data {
            file: "DEMO_LOGINS",
            row: 0,
            message: e.to_string(),
        })?;
        store
            .accounts()
            .create_person(DEMO_ACTOR, &draft, Some(&hash))
            .await?;
    }
    load_demo_decisions(store, OffsetDateTime::now_utc().date()).await?;
    Ok(true)
}

/// The demo decisions: texts written for the demo in the conventions of a real decision, with
/// `{date:±N}` standing for the date N days from the day of loading, so the dashboard always
/// shows work that is overdue, due soon and done.
const DEMO_DECISIONS: &[(&str, &str)] = &[
    (
        "31-minsk.txt",
        include_str!("../../demo/decisions/31-minsk.txt"),
    ),
    (
        "32-moscow.txt",
        include_str!("../../demo/decisions/32-moscow.txt"),
    ),
    (
        "32-moscow-en.txt",
        include_str!("../../demo/decisions/32-moscow-en.txt"),
    ),
];

/// What demo people do to the demo assignments, in order: (file, item, who, action).
fn demo_actions(today: Date) -> Vec<(&'static str, &'static str, &'static str, Action)> {
    let text = |t: &str| t.to_string();
    vec![
        ("31-minsk.txt", "1.2", "council", Action::Start),
        (
            "31-minsk.txt",
            "1.2",
            "council",
            Action::RequestExtension {
                until: today + Duration::days(50),
                reason: text("Комиссия просит дополнительно обсудить показатели на осеннем семинаре."),
            },
        ),
        (
            "31-minsk.txt",
            "1.3",
            "secretariat",
            Action::Report {
                text: text("Анкеты и методические указания разосланы 36 городам – членам МАГ."),
                progress: 100,
            },
        ),
        ("31-minsk.txt", "2.1", "secretariat", Action::Start),
        (
            "31-minsk.txt",
            "2.2",
            "council",
            Action::Report {
                text: text("Предложения по составу жюри (9 экспертов из 7 городов) направлены в Правление."),
                progress: 100,
            },
        ),
        (
            "31-minsk.txt",
            "2.2",
            "board",
            Action::Accept {
                comment: text("Состав жюри утверждён на заседании Правления."),
            },
        ),
        (
            "31-minsk.txt",
            "3.1",
            "secretariat",
            Action::Report {
                text: text("Проект плана подготовлен, сроки трёх мероприятий согласуются с городами."),
                progress: 60,
            },
        ),
        (
            "31-minsk.txt",
            "3.1",
            "board",
            Action::Return {
                comment: text("Приложите согласования городов-организаторов по всем мероприятиям."),
            },
        ),
        (
            "32-moscow.txt",
            "1.3",
            "council",
            Action::Report {
                text: text("Обучение идёт по графику: 4 группы, 112 слушателей."),
                progress: 100,
            },
        ),
        (
            "32-moscow.txt",
            "1.3",
            "board",
            Action::Accept {
                comment: String::new(),
            },
        ),
        (
            "32-moscow.txt",
            "2.1",
            "secretariat",
            Action::Cancel {
                reason: text("Каталог размещается на новом портале МАГ по решению Правления."),
            },
        ),
        ("32-moscow-en.txt", "1.2", "council", Action::Start),
        (
            "32-moscow-en.txt",
            "1.2",
            "secretariat",
            Action::Input {
                text: text("The Secretariat collected the open data policies of Minsk, Astana and Moscow."),
            },
        ),
    ]
}

async fn load_demo_decisions(store: &Store, today: Date) -> Result<(), DemoError> {
    let bodies = store.org().bodies().await?;
    let directory = directory_of(&bodies);
    let people = store.accounts().people().await?;
    let mut saved = Vec::new();
    for (file, template) in DEMO_DECISIONS {
        let language = if file.ends_with("-en.txt") {
            Language::En
        } else {
            Language::Ru
        };
        let text = with_dates(template, today, language);
        let data_error = |message: String| DemoError::Data {
            file,
            row: 0,
            message,
        };
        let parsed = megapolis_decisions::parse_with(&text, &directory)
            .map_err(|e| data_error(e.to_string()))?;
        let decision = new_decision_from_parsed(&parsed, &text, true)
            .map_err(|e| data_error(e.to_string()))?;
        let id = store.decisions().save(DEMO_ACTOR, &decision).await?;
        saved.push((*file, id));
    }
    for (file, item, who, action) in demo_actions(today) {
        let data_error = |message: String| DemoError::Data {
            file,
            row: 0,
            message,
        };
        let decision = saved
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, id)| *id)
            .ok_or_else(|| data_error("no such demo decision".into()))?;
        let email = DEMO_LOGINS
            .iter()
            .find(|l| l.email.starts_with(&format!("{who}@")))
            .map(|l| l.email)
            .ok_or_else(|| data_error(format!("no demo person {who}")))?;
        let person = people
            .iter()
            .find(|p| p.email.as_str() == email)
            .ok_or_else(|| data_error(format!("no demo person {email}")))?;
        let filter = AssignmentFilter {
            decision: Some(decision),
            ..AssignmentFilter::default()
        };
        let assignment = store
            .assignments()
            .list(&filter, today)
            .await?
            .into_iter()
            .find(|a| a.item == item && a.state.is_open())
            .ok_or_else(|| data_error(format!("no open assignment in item {item}")))?;
        store
            .assignments()
            .act(assignment.id, person, &action, &[], today)
            .await?;
    }
    Ok(())
}

/// Replaces each `{date:±N}` with the date N days after `today`, written as in a decision.
fn with_dates(template: &str, today: Date, language: Language) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{date:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{date:".len()..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let days: i64 = after[..end].trim_start_matches('+').parse().unwrap_or(0);
        let date = today + Duration::days(days);
        out.push_str(&written_date(date, language));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[derive(serde::Deserialize)]
struct DemoCityRow {
    code: String,
    name_ru: String,
    name_en: String,
    country_code: String,
    country_ru: String,
    country_en: String,
    population: String,
    status: String,
    member_since: String,
    lat: String,
    lon: String,
}

impl DemoCityRow {
    fn into_input(self) -> CityInput {
        CityInput {
            code: self.code,
            name_ru: self.name_ru,
            name_en: self.name_en,
            country_code: self.country_code,
            country_ru: self.country_ru,
            country_en: self.country_en,
            population: self.population,
            status: self.status,
            member_since: self.member_since,
            latitude: self.lat,
            longitude: self.lon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn demo_dates_are_written_as_in_a_decision() {
        let today = date!(2026 - 11 - 25);
        assert_eq!(
            with_dates("до {date:+20} сделать", today, Language::Ru),
            "до 15 декабря 2026 года сделать"
        );
        assert_eq!(
            with_dates("by {date:-5}.", today, Language::En),
            "by 20 November 2026."
        );
    }
}
