//! The demo decisions and what demo people did on their assignments.
use super::{DemoError, DEMO_ACTOR, DEMO_LOGINS};
use crate::assignments::AssignmentFilter;
use crate::Store;
use megapolis_assignments::Action;
use megapolis_decisions::{directory_of, new_decision_from_parsed};
use megapolis_decisions::{written_date, Language};
use time::{Date, Duration};

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

pub(super) async fn load(store: &Store, today: Date) -> Result<(), DemoError> {
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
