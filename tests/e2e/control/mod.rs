//! The Board's control: the dashboard's figures and drill-down links (RU and EN) for data made
//! here, the execution report as XLSX and PDF, and the inbox.
use crate::support::{content_type, demo_login, element_text, location, spawn_app, TestApp};
use megapolis_assignments::workflow::Action;
use megapolis_assignments::{Executor, NewAssignment};
use megapolis_decisions::AssignmentKind;
use megapolis_decisions::{NewDecision, SessionInfo};
use megapolis_domain::body::BodyKind;
use megapolis_domain::{Body, BodyId, Person};
use time::{Date, Duration};

/// A body of our own, so its row on the dashboard counts only our assignments.
pub const BODY: &str = "control-test-commission";
const BODY_RU: &str = "Комиссия контроля исполнения";
const BODY_EN: &str = "Commission on Execution Control";
pub const TASK_OVERDUE: &str = "Подготовить сводку о просроченных поручениях «контроль»";
pub const TASK_SOON: &str = "Провести совещание по цифровым сервисам через три дня";
const TASK_LATER: &str = "Разработать программу обучения на следующий год";
const TASK_ACCEPTED: &str = "Представить отчёт Секретариата о работе за год";
const UNKNOWN_EXECUTOR: &str = "Городской центр контроля Ташкента";
const REPORT_TEXT: &str = "Отчёт подготовлен и направлен членам Правления.";

pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

fn executor(id: &str) -> Option<Executor> {
    Some(Executor {
        body_id: Some(BodyId::parse(id).expect("body id")),
        name: id.to_string(),
    })
}

fn assignment(
    item: &str,
    task: &str,
    lead: Option<Executor>,
    deadline: Option<Date>,
) -> NewAssignment {
    NewAssignment {
        item: item.into(),
        kind: AssignmentKind::Assignment,
        task: task.into(),
        lead,
        co_executors: vec![],
        deadline,
        deadline_text: None,
        recurrence: None,
        doubts: vec![],
    }
}

pub async fn person(app: &TestApp, role: &str) -> Person {
    let (email, _) = demo_login(role);
    app.store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.email.to_string() == email)
        .expect("demo person")
}

/// What [`seed`] made.
pub struct Seeded {
    pub decision_id: i64,
    /// Overdue, due in 3 days, due in 60 days (our body), accepted (Secretariat), unknown body.
    pub ids: Vec<i64>,
}

/// A decision of session 90 controlled by the Board: three assignments of our body (overdue, due
/// in 3 days, due in 60 days), one of the Secretariat reported and accepted, and one of an
/// executor not in the directory with no deadline.
pub async fn seed(app: &TestApp) -> Seeded {
    app.store
        .org()
        .save_bodies(
            "tests",
            &[Body {
                id: BodyId::parse(BODY).expect("id"),
                kind: BodyKind::Commission,
                name_ru: BODY_RU.into(),
                name_en: BODY_EN.into(),
                short_ru: "Комиссия контроля".into(),
                short_en: "Control Commission".into(),
            }],
        )
        .await
        .expect("body");
    let today = today();
    let decision = NewDecision {
        session: SessionInfo {
            number: 90,
            date: Some(today - Duration::days(100)),
            place: "Минск".into(),
        },
        title: "О контроле исполнения решений".into(),
        language: "ru".into(),
        source_text: "РЕШЕНИЕ\n1. О контроле.\n".into(),
        controller: executor("board"),
        published: true,
        items: vec![],
        appendices: vec![],
        assignments: vec![
            assignment(
                "1.1",
                TASK_OVERDUE,
                executor(BODY),
                Some(today - Duration::days(5)),
            ),
            assignment(
                "1.2",
                TASK_SOON,
                executor(BODY),
                Some(today + Duration::days(3)),
            ),
            assignment(
                "1.3",
                TASK_LATER,
                executor(BODY),
                Some(today + Duration::days(60)),
            ),
            assignment(
                "1.4",
                TASK_ACCEPTED,
                executor("secretariat"),
                Some(today + Duration::days(10)),
            ),
            assignment(
                "1.5",
                "Изучить опыт городов по открытым данным",
                Some(Executor {
                    body_id: None,
                    name: UNKNOWN_EXECUTOR.into(),
                }),
                None,
            ),
        ],
    };
    let decision_id = app
        .store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save decision");
    let ids: Vec<i64> = app
        .store
        .assignments()
        .list(
            &megapolis_storage::assignments::AssignmentFilter {
                decision: Some(decision_id),
                ..Default::default()
            },
            today,
        )
        .await
        .expect("assignments")
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids.len(), 5);
    // The Secretariat reports on 1.4 and the Board accepts it.
    let secretariat = person(app, "secretariat").await;
    let board = person(app, "body-member").await;
    app.store
        .assignments()
        .act(
            ids[3],
            &secretariat,
            &Action::Report {
                text: REPORT_TEXT.into(),
                progress: 100,
            },
            &[],
            today,
        )
        .await
        .expect("report");
    app.store
        .assignments()
        .act(
            ids[3],
            &board,
            &Action::Accept {
                comment: "Принято".into(),
            },
            &[],
            today,
        )
        .await
        .expect("accept");
    Seeded { decision_id, ids }
}

/// The text of the link to `href` (as written in the page, `&` as `&amp;`).
fn link_text(html: &str, href: &str) -> Option<String> {
    let marker = format!("href=\"{href}\"");
    let at = html.find(&marker)?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    Some(html[start..end].trim().to_string())
}

fn count_of(html: &str, href: &str) -> i64 {
    link_text(html, href)
        .unwrap_or_else(|| panic!("a link to {href}"))
        .parse()
        .unwrap_or_else(|_| panic!("a number at {href}"))
}

#[tokio::test]
async fn dashboard_counts_and_drill_downs_in_russian_and_english() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let expected = app
        .store
        .assignments()
        .dashboard(today(), 30)
        .await
        .expect("dashboard");
    let client = app.login_as("body-member").await;
    let response = app.get(&client, "/control").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    assert!(html.contains("Контроль исполнения"), "{html}");

    // Cards: the store's figures, each a link to its list.
    let card = |id: &str| -> i64 {
        element_text(&html, id)
            .unwrap_or_else(|| panic!("card {id}"))
            .parse()
            .expect("number")
    };
    assert_eq!(card("count-total"), expected.total.total);
    assert_eq!(card("count-overdue"), expected.total.overdue);
    assert_eq!(card("count-due"), expected.total.due_soon);
    assert!(expected.total.overdue >= 1 && expected.total.due_soon >= 2);
    for (state, n) in &expected.by_state {
        assert_eq!(card(&format!("count-state-{}", state.as_str())), *n);
        assert!(html.contains(&format!("href=\"/assignments?state={}\"", state.as_str())));
    }
    assert!(html.contains("href=\"/assignments?overdue=1\""));
    assert!(html.contains("href=\"/assignments?due=30\""));

    // Our body: 3 assignments, 3 open, 1 overdue, 1 due within 30 days, none accepted.
    let body = format!("/assignments?lead={BODY}");
    assert_eq!(link_text(&html, &body).as_deref(), Some(BODY_RU));
    assert_eq!(count_of(&html, &format!("{body}&amp;open=1")), 3);
    // Each count opens the list of exactly those assignments.
    for (query, rows) in [("&open=1", 3), ("&overdue=1", 1), ("&state=accepted", 0)] {
        let list = app
            .get(&client, &format!("{body}{query}"))
            .await
            .text()
            .await
            .expect("list");
        assert_eq!(
            list.matches("<td class=\"item-number\">").count(),
            rows,
            "{body}{query}"
        );
    }
    assert_eq!(count_of(&html, &format!("{body}&amp;overdue=1")), 1);
    assert_eq!(count_of(&html, &format!("{body}&amp;due=30")), 1);
    assert_eq!(count_of(&html, &format!("{body}&amp;state=accepted")), 0);
    // Our decision: 5 assignments, 1 accepted, 1 overdue, 1 open and due within 30 days (the
    // accepted one is due in 10 days but no longer open).
    let decision = format!("/assignments?decision={}", seeded.decision_id);
    assert_eq!(
        link_text(&html, &decision).as_deref(),
        Some("Сессия 90: О контроле исполнения решений")
    );
    assert_eq!(count_of(&html, &format!("{decision}&amp;overdue=1")), 1);
    assert_eq!(count_of(&html, &format!("{decision}&amp;due=30")), 1);
    assert_eq!(
        count_of(&html, &format!("{decision}&amp;state=accepted")),
        1
    );
    // The executor outside the directory is a row of its own, drilling into without_body.
    assert!(html.contains(UNKNOWN_EXECUTOR));
    assert!(html.contains("href=\"/assignments?without_body=1\""));
    // The downloads.
    assert!(html.contains("href=\"/control/report.pdf?lang=ru\""));
    assert!(html.contains("href=\"/control/report.xlsx?lang=ru\""));

    // The same page in English: the body's English name, the same figures.
    let response = app.get(&client, "/lang/en?back=/control").await;
    assert_eq!(response.status(), 303);
    let html = app
        .get(&client, "/control")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Control of execution"), "{html}");
    assert_eq!(link_text(&html, &body).as_deref(), Some(BODY_EN));
    assert_eq!(
        link_text(&html, &decision).as_deref(),
        Some("Session 90: О контроле исполнения решений")
    );
    assert_eq!(count_of(&html, &format!("{decision}&amp;due=30")), 1);
    assert!(html.contains("href=\"/control/report.xlsx?lang=en\""));
    for key in [">control-", "\"control-", ">assignment-state-", ">inbox-"] {
        assert!(!html.contains(key), "an untranslated key: {html}");
    }
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let app = spawn_app().await;
    let client = crate::support::client();
    for path in [
        "/control",
        "/control/report.xlsx",
        "/control/report.pdf",
        "/inbox",
    ] {
        let response = app.get(&client, path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(location(&response), format!("/login?next={path}"), "{path}");
    }
}

fn sheet_text(range: &calamine::Range<calamine::Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(calamine::Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[tokio::test]
async fn execution_report_as_xlsx_and_pdf() {
    use calamine::Reader;
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let all = app
        .store
        .assignments()
        .list(&Default::default(), today())
        .await
        .expect("assignments")
        .len();
    let client = app.login_as("body-member").await;

    let response = app.get(&client, "/control/report.xlsx?lang=ru").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        content_type(&response),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"megapolis-execution-{}-ru.xlsx\"",
            today()
        )
    );
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX workbook");
    let range = workbook
        .worksheet_range("Report")
        .expect("the Report sheet");
    assert!(sheet_text(&range, 0, 0).starts_with("Исполнение решений"));
    let header = (0..range.height())
        .find(|&r| sheet_text(&range, r, 0) == "Решение")
        .expect("the header row");
    assert_eq!(sheet_text(&range, header, 2), "Поручение");
    assert_eq!(
        range.height() - header,
        all + 1,
        "header + one row per assignment"
    );
    let rows: Vec<usize> = (header + 1..range.height()).collect();
    let row_of = |task: &str| {
        rows.iter()
            .copied()
            .find(|&r| sheet_text(&range, r, 2) == task)
            .unwrap_or_else(|| panic!("a row for {task}"))
    };
    let accepted = row_of(TASK_ACCEPTED);
    assert_eq!(
        sheet_text(&range, accepted, 0),
        "Сессия 90: О контроле исполнения решений"
    );
    assert_eq!(sheet_text(&range, accepted, 6), "Принято");
    assert_eq!(sheet_text(&range, accepted, 9), REPORT_TEXT);
    let overdue = row_of(TASK_OVERDUE);
    assert_eq!(sheet_text(&range, overdue, 3), BODY_RU);
    assert_eq!(range.get((overdue, 8)), Some(&calamine::Data::Bool(true)));
    // Ordered by decision: our decision's rows are together.
    let ours: Vec<usize> = [TASK_OVERDUE, TASK_SOON, TASK_LATER, TASK_ACCEPTED]
        .into_iter()
        .map(row_of)
        .collect();
    assert_eq!(seeded.ids.len(), 5);
    assert_eq!(ours, (ours[0]..ours[0] + 4).collect::<Vec<_>>());

    // English on request.
    let response = app.get(&client, "/control/report.xlsx?lang=en").await;
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX workbook");
    let range = workbook
        .worksheet_range("Report")
        .expect("the Report sheet");
    assert!((0..range.height()).any(|r| sheet_text(&range, r, 0) == "Decision"));
    assert!((0..range.height()).any(|r| sheet_text(&range, r, 3) == BODY_EN));
    let response = app.get(&client, "/control/report.xlsx?lang=fr").await;
    assert_eq!(response.status(), 400);

    // The PDF.
    let response = app.get(&client, "/control/report.pdf?lang=ru").await;
    if cfg!(feature = "pdf") {
        assert_eq!(response.status(), 200);
        assert_eq!(content_type(&response), "application/pdf");
        let bytes = response.bytes().await.expect("body").to_vec();
        assert!(bytes.starts_with(b"%PDF"));
        match pdf_text(&bytes) {
            Some(text) => {
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(flat.contains("Разработать программу"), "{flat}");
            }
            None => eprintln!("SKIPPED: pdftotext is not installed"),
        }
    } else {
        assert_eq!(response.status(), 501);
    }
}

/// The text of a PDF through `pdftotext`, when it is installed.
fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, bytes).ok()?;
    let output = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test]
async fn inbox_shows_notifications_and_marks_them_read() {
    let app = spawn_app().await;
    let board = person(&app, "body-member").await;
    let client = app.login_as("body-member").await;
    let before = app.store.notices().unread(board.id).await.expect("unread");
    // The Secretariat reports on an assignment the Board controls: the Board hears of it.
    let seeded = seed(&app).await;
    let after = app.store.notices().unread(board.id).await.expect("unread");
    assert!(after > before, "the report reached the Board's inbox");

    let html = app
        .get(&client, "/inbox")
        .await
        .text()
        .await
        .expect("inbox");
    assert!(html.contains("Входящие"));
    let accepted = seeded.ids[3];
    let reported = app
        .store
        .notices()
        .inbox(board.id, 500)
        .await
        .expect("inbox")
        .into_iter()
        .find(|n| {
            n.kind == "reported"
                && n.subject_kind == "assignment"
                && n.subject_id == accepted.to_string()
        })
        .expect("the report's notification");
    let item_at = html
        .find(&format!("id=\"notification-{}\"", reported.id))
        .expect("the notification on the page");
    let item = &html[item_at..item_at + html[item_at..].find("</li>").expect("end")];
    assert!(item.contains("Представлен отчёт"), "{item}");
    assert!(item.contains(TASK_ACCEPTED), "{item}");
    assert!(item.contains(REPORT_TEXT), "{item}");
    assert!(
        item.contains(&format!("href=\"/assignments/{accepted}\"")),
        "{item}"
    );
    assert!(item.contains("unread-mark"), "{item}");

    // One read.
    let response = app
        .post_form(
            &client,
            "/inbox",
            "/inbox/read",
            &[("id", &reported.id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/inbox");
    let unread = app.store.notices().unread(board.id).await.expect("unread");
    assert_eq!(unread, after - 1);
    let html = app
        .get(&client, "/inbox")
        .await
        .text()
        .await
        .expect("inbox");
    let item_at = html
        .find(&format!("id=\"notification-{}\"", reported.id))
        .expect("still listed");
    let item = &html[item_at..item_at + html[item_at..].find("</li>").expect("end")];
    assert!(!item.contains("unread-mark"), "{item}");

    // All read; a foreign form token is refused.
    let response = client
        .post(app.url("/inbox/read"))
        .header("Origin", &app.base)
        .form(&[("_csrf", "0".repeat(64))])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 403);
    let response = app.post_form(&client, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.store.notices().unread(board.id).await.expect("unread"),
        0
    );
    let html = app
        .get(&client, "/inbox")
        .await
        .text()
        .await
        .expect("inbox");
    assert!(!html.contains("unread-mark"));
    let response = app
        .post_form(&client, "/inbox", "/inbox/read", &[("id", "x")])
        .await;
    assert_eq!(response.status(), 400);
}
