//! Fills a database for the dashboard benchmark (`bench/dashboard.sh`) through the Store API:
//! the demo organisation, then decisions with N assignments in all (default 10,000) spread over
//! the directory's bodies and a few executors outside it, deadlines from 200 days ago to 200 days
//! ahead, and a share of them started, reported, accepted or cancelled by the demo people.
//!
//!   cargo run --example bench_data -- sqlite://bench.db 10000
use megapolis_assignments::workflow::{Action, AssignmentState};
use megapolis_assignments::{Executor, NewAssignment};
use megapolis_decisions::AssignmentKind;
use megapolis_decisions::{NewDecision, SessionInfo};
use megapolis_domain::Person;
use megapolis_storage::Store;
use std::time::Instant;

const PER_DECISION: usize = 100;
const UNKNOWN: [&str; 3] = [
    "Городской центр цифровой трансформации",
    "Дирекция программ развития городов",
    "Рабочая группа по открытым данным",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: bench_data DATABASE_URL [ASSIGNMENTS]"))?;
    let total: usize = match args.next() {
        Some(n) => n.parse()?,
        None => 10_000,
    };
    let started = Instant::now();
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    megapolis_storage::demo::load_demo(&store).await?;
    let bodies = store.org().bodies().await?;
    let people = store.accounts().people().await?;
    let person = |email: &str| -> anyhow::Result<Person> {
        people
            .iter()
            .find(|p| p.email.to_string() == email)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no demo person {email}"))
    };
    let secretariat = person("secretariat@megapolis.example")?;
    let board = person("board@megapolis.example")?;
    let council = person("council@megapolis.example")?;
    let today = time::OffsetDateTime::now_utc().date();
    let board_executor = bodies
        .iter()
        .find(|b| b.id.as_str() == "board")
        .map(|b| Executor {
            body_id: Some(b.id.clone()),
            name: b.name_ru.clone(),
        });

    let mut made = 0usize;
    let mut session = 1000i64;
    while made < total {
        let count = PER_DECISION.min(total - made);
        let assignments: Vec<NewAssignment> = (0..count)
            .map(|i| {
                let n = made + i;
                let lead = if n % 11 == 10 {
                    Executor {
                        body_id: None,
                        name: UNKNOWN[n % UNKNOWN.len()].to_string(),
                    }
                } else {
                    let body = &bodies[n % bodies.len()];
                    Executor {
                        body_id: Some(body.id.clone()),
                        name: body.name_ru.clone(),
                    }
                };
                let offset = i64::try_from(n % 401).unwrap_or(0) - 200;
                NewAssignment {
                    item: format!("{}.{}", i / 10 + 1, i % 10 + 1),
                    kind: AssignmentKind::Assignment,
                    task: format!(
                        "Подготовить материалы по направлению {n} и представить их в Секретариат МАГ"
                    ),
                    lead: Some(lead),
                    co_executors: vec![],
                    deadline: (!n.is_multiple_of(13)).then(|| today + time::Duration::days(offset)),
                    deadline_text: n.is_multiple_of(13).then(|| "до следующей сессии".to_string()),
                    recurrence: None,
                    doubts: vec![],
                }
            })
            .collect();
        let decision = NewDecision {
            session: SessionInfo {
                number: session,
                date: Some(today - time::Duration::days(300)),
                place: "Москва".into(),
            },
            title: format!("О работе по направлениям, часть {}", session - 999),
            language: "ru".into(),
            source_text: String::from("РЕШЕНИЕ\n"),
            controller: board_executor.clone(),
            published: session % 2 == 0,
            items: vec![],
            appendices: vec![],
            assignments,
        };
        store.decisions().save("bench", &decision).await?;
        made += count;
        session += 1;
    }
    eprintln!(
        "bench_data: {made} assignments saved in {:?}",
        started.elapsed()
    );

    // Move a share through the workflow, as the people of the lead bodies and the Board would.
    let all = store.assignments().list(&Default::default(), today).await?;
    let mut actions = 0usize;
    // Only the assignments made here (the demo's own are already in every state).
    for (i, a) in all
        .iter()
        .enumerate()
        .filter(|(_, a)| a.session_number >= 1000 && a.state == AssignmentState::New)
    {
        let lead = a
            .lead
            .as_ref()
            .and_then(|l| l.body_id.as_ref())
            .map(|b| b.as_str().to_string());
        let actor = match lead.as_deref() {
            Some("secretariat") => &secretariat,
            Some("board") => &board,
            Some("expert-council") => &council,
            _ => continue,
        };
        let steps: Vec<(&Person, Action)> = match i % 6 {
            0 => vec![(actor, Action::Start)],
            1 => vec![(
                actor,
                Action::Report {
                    text: format!("Материалы по направлению {i} подготовлены."),
                    progress: 80,
                },
            )],
            2 => vec![
                (
                    actor,
                    Action::Report {
                        text: format!("Работа по направлению {i} выполнена."),
                        progress: 100,
                    },
                ),
                (
                    &board,
                    Action::Accept {
                        comment: String::new(),
                    },
                ),
            ],
            3 if i % 12 == 3 => vec![(
                &secretariat,
                Action::Cancel {
                    reason: "Утратило актуальность".into(),
                },
            )],
            _ => vec![],
        };
        for (who, action) in steps {
            store
                .assignments()
                .act(a.id, who, &action, &[], today)
                .await?;
            actions += 1;
        }
    }
    // What the server's scheduler would do at its first tick, so the benchmark measures a
    // server in its steady state rather than one writing thousands of reminders.
    let queued = store.assignments().queue_reminders(today, 7).await?;
    eprintln!(
        "bench_data: reminders queued: {} due soon, {} overdue",
        queued.due_soon, queued.overdue
    );
    let dashboard = store.assignments().dashboard(today, 30).await?;
    eprintln!(
        "bench_data: {actions} workflow actions; total {}, open {}, overdue {}, due in 30 days {}, accepted {} ({:?})",
        dashboard.total.total,
        dashboard.total.open,
        dashboard.total.overdue,
        dashboard.total.due_soon,
        dashboard.total.accepted,
        started.elapsed()
    );
    store.close().await;
    Ok(())
}
