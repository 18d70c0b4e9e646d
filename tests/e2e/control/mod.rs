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
    // The executor outside the directory is a row of its own, drilling into exactly its name.
    let unknown = format!("/assignments?lead_name={}", query_text(UNKNOWN_EXECUTOR));
    assert_eq!(
        link_text(&html, &unknown).as_deref(),
        Some(UNKNOWN_EXECUTOR)
    );
    assert_eq!(count_of(&html, &format!("{unknown}&amp;open=1")), 1);
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
    // The association is named as its directory entry says, not by a second spelling.
    let association = app
        .store
        .org()
        .association()
        .await
        .expect("read")
        .expect("the demo association");
    assert!(
        sheet_text(&range, 0, 0).ends_with(&association.name_ru),
        "{}",
        sheet_text(&range, 0, 0)
    );
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

/// `text` percent-encoded as the pages write a query value.
fn query_text(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of some HTML without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every link of a page to a list of assignments that shows a figure (the whole text of the link,
/// or its `<span class="count">`): (the address as a browser asks for it, the figure).
fn count_links(html: &str) -> Vec<(String, i64)> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<a ") {
        rest = &rest[at..];
        let tag_end = rest.find('>').expect("the end of a tag");
        let close = rest.find("</a>").expect("</a>");
        let (tag, inner) = (&rest[..tag_end], &rest[tag_end + 1..close]);
        rest = &rest[close..];
        let Some(href) = tag
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
        else {
            continue;
        };
        let href = crate::support::unescape(href);
        if href != "/assignments" && !href.starts_with("/assignments?") {
            continue;
        }
        let figure = match inner.find("class=\"count\"") {
            Some(at) => {
                let span = &inner[at..];
                let start = span.find('>').expect("a span") + 1;
                let end = span.find('<').expect("the end of the span");
                span[start..end].trim().parse().ok()
            }
            None => strip_tags(inner).trim().parse().ok(),
        };
        if let Some(n) = figure {
            links.push((href, n));
        }
    }
    links
}

/// The rows of a list of assignments.
fn list_rows(html: &str) -> usize {
    html.matches("<td class=\"item-number\">").count()
}

/// The rows of the table by lead executor: (the address of the row's list, its label).
fn executor_rows(html: &str) -> Vec<(String, String)> {
    let start = html
        .find("<table id=\"by-body\"")
        .expect("the table by executor");
    let table = &html[start..start + html[start..].find("</table>").expect("its end")];
    table
        .split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .map(|row| {
            let href = row.split('"').next().expect("an address");
            let label = row
                .split_once('>')
                .and_then(|(_, rest)| rest.split('<').next())
                .expect("a label");
            (
                crate::support::unescape(href),
                crate::support::unescape(label.trim()),
            )
        })
        .collect()
}

/// Opens every figure of the dashboard that links to a list and checks the list has exactly that
/// many rows; returns the figures by address.
async fn check_every_figure(
    app: &TestApp,
    client: &reqwest::Client,
    html: &str,
) -> std::collections::BTreeMap<String, i64> {
    let mut figures = std::collections::BTreeMap::new();
    for (href, n) in count_links(html) {
        if let Some(seen) = figures.insert(href.clone(), n) {
            assert_eq!(seen, n, "two figures for {href}");
        }
    }
    assert!(figures.len() > 20, "the dashboard's figures: {figures:?}");
    for (href, n) in &figures {
        let response = app.get(client, href).await;
        assert_eq!(response.status(), 200, "{href}");
        let list = response.text().await.expect("list");
        assert_eq!(list_rows(&list) as i64, *n, "the list behind {href}");
    }
    figures
}

#[tokio::test]
async fn every_dashboard_figure_opens_a_list_of_exactly_that_many_assignments() {
    let app = spawn_app().await;
    seed(&app).await;
    // An English decision names the same executor outside the directory, our body, and nobody.
    let today = today();
    let decision = NewDecision {
        session: SessionInfo {
            number: 91,
            date: Some(today - Duration::days(50)),
            place: "Astana".into(),
        },
        title: "On the control of execution".into(),
        language: "en".into(),
        source_text: "DECISION\n1. On control.\n".into(),
        controller: executor("board"),
        published: true,
        items: vec![],
        appendices: vec![],
        assignments: vec![
            assignment(
                "1.1",
                "Study the open data of the member cities",
                Some(Executor {
                    body_id: None,
                    name: UNKNOWN_EXECUTOR.into(),
                }),
                Some(today - Duration::days(2)),
            ),
            assignment(
                "1.2",
                "Prepare the calendar of the training",
                executor(BODY),
                Some(today + Duration::days(20)),
            ),
            assignment("1.3", "Endorse the principles of open data", None, None),
        ],
    };
    app.store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save the English decision");
    let client = app.login_as("body-member").await;
    let html = app
        .get(&client, "/control")
        .await
        .text()
        .await
        .expect("dashboard");

    // Every row of the table by executor has a filter of its own: a body, a name as written, or
    // nobody named; none shares its list with another.
    let rows = executor_rows(&html);
    let hrefs: std::collections::BTreeSet<&str> = rows.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(hrefs.len(), rows.len(), "each row its own list: {rows:?}");
    assert!(
        !hrefs.iter().any(|h| h.contains("without_body")),
        "{rows:?}"
    );
    let unknown = format!("/assignments?lead_name={}", query_text(UNKNOWN_EXECUTOR));
    assert!(
        rows.contains(&(unknown.clone(), UNKNOWN_EXECUTOR.to_string())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(
            "/assignments?no_lead=1".to_string(),
            "Исполнитель не назван".to_string()
        )),
        "{rows:?}"
    );
    assert!(rows.contains(&(format!("/assignments?lead={BODY}"), BODY_RU.to_string())));

    // Every figure that links to a list (cards, rows, decisions, extension requests, my work)
    // opens a list of exactly that many assignments.
    let figures = check_every_figure(&app, &client, &html).await;
    // The name written in the Russian and the English decision is one row of both, and so are
    // our body's assignments in both.
    assert_eq!(figures.get(&unknown), Some(&2));
    assert_eq!(figures.get(&format!("/assignments?lead={BODY}")), Some(&4));
    let nobody = app
        .store
        .assignments()
        .count(
            &megapolis_storage::assignments::AssignmentFilter {
                no_lead: true,
                published_only: true,
                ..Default::default()
            },
            today,
        )
        .await
        .expect("count");
    assert!(nobody >= 2, "the demo's and ours");
    assert_eq!(figures.get("/assignments?no_lead=1"), Some(&nobody));
    // The rows add up to the total.
    let total: i64 = rows.iter().map(|(h, _)| figures[h.as_str()]).sum();
    assert_eq!(Some(&total), figures.get("/assignments"), "{figures:?}");

    // In English: the same rows and figures, the row of nobody translated.
    app.get(&client, "/lang/en?back=/control").await;
    let html = app
        .get(&client, "/control")
        .await
        .text()
        .await
        .expect("dashboard");
    assert!(html.contains("<html lang=\"en\""));
    let rows_en = executor_rows(&html);
    assert!(rows_en.contains(&(
        "/assignments?no_lead=1".to_string(),
        "No executor named".to_string()
    )));
    assert_eq!(rows_en.len(), rows.len());
    let figures_en: std::collections::BTreeMap<String, i64> =
        count_links(&html).into_iter().collect();
    assert_eq!(figures_en, figures);
}

#[tokio::test]
async fn waiting_extension_requests_are_counted_and_listed_on_the_dashboard() {
    let app = spawn_app().await;
    let today = today();
    // The demo waits on one (31st session, 1.2); the Secretariat asks for another (32nd, 1.2).
    let webinar = crate::assignments::demo_assignment(&app, 32, "ru", "1.2").await;
    let until = today + Duration::days(90);
    let secretariat = person(&app, "secretariat").await;
    app.store
        .assignments()
        .act(
            webinar.id,
            &secretariat,
            &Action::RequestExtension {
                until,
                reason: "Лектор из Москвы сможет выступить только в следующем квартале.".into(),
            },
            &[],
            today,
        )
        .await
        .expect("request an extension");
    let waiting = megapolis_storage::assignments::AssignmentFilter {
        extension: true,
        ..Default::default()
    };
    let expected = app
        .store
        .assignments()
        .list(&waiting, today)
        .await
        .expect("waiting requests");
    assert_eq!(expected.len(), 2, "the demo's and ours");

    let board = app.login_as("body-member").await;
    let html = app
        .get(&board, "/control")
        .await
        .text()
        .await
        .expect("dashboard");
    assert_eq!(
        element_text(&html, "count-extensions").as_deref(),
        Some("2")
    );
    assert_eq!(
        count_links(&html)
            .iter()
            .filter(|(h, n)| h == "/assignments?extension=1" && *n == 2)
            .count(),
        1
    );
    let list = app
        .get(&board, "/assignments?extension=1")
        .await
        .text()
        .await
        .expect("list");
    assert_eq!(list_rows(&list), 2);
    for a in &expected {
        assert!(list.contains(&format!("href=\"/assignments/{}\"", a.id)));
    }
    // The dashboard lists them, each a link to its assignment, with the deadline asked for.
    let at = html
        .find("id=\"extension-requests\"")
        .expect("the list of waiting requests");
    let section = &html[at..at + html[at..].find("</section>").expect("its end")];
    for a in &expected {
        assert!(
            section.contains(&format!("href=\"/assignments/{}\"", a.id)),
            "{section}"
        );
    }
    assert!(
        section.contains(&format!(
            "{:02}.{:02}.{}",
            until.day(),
            u8::from(until.month()),
            until.year()
        )),
        "{section}"
    );
    assert!(section.contains("Секретариат МАГ"), "{section}");

    // The Board grants ours: one waits.
    let board_person = person(&app, "body-member").await;
    app.store
        .assignments()
        .act(
            webinar.id,
            &board_person,
            &Action::GrantExtension {
                comment: String::new(),
            },
            &[],
            today,
        )
        .await
        .expect("grant");
    let html = app
        .get(&board, "/control")
        .await
        .text()
        .await
        .expect("dashboard");
    assert_eq!(
        element_text(&html, "count-extensions").as_deref(),
        Some("1")
    );
    let list = app
        .get(&board, "/assignments?extension=1")
        .await
        .text()
        .await
        .expect("list");
    assert_eq!(list_rows(&list), 1);
    assert!(!list.contains(&format!("href=\"/assignments/{}\"", webinar.id)));
}

/// The inside of the first link to `href` (written as is, or HTML-escaped as the navigation
/// writes it).
fn link_inner(html: &str, href: &str) -> String {
    let escaped = href.replace('/', "&#x2f;");
    let at = html
        .find(&format!("href=\"{href}\""))
        .or_else(|| html.find(&format!("href=\"{escaped}\"")))
        .unwrap_or_else(|| panic!("a link to {href}"));
    let start = at + html[at..].find('>').expect("the end of the tag") + 1;
    let end = start + html[start..].find("</a>").expect("</a>");
    html[start..end].to_string()
}

#[tokio::test]
async fn the_inbox_entry_shows_the_unread_count_until_it_is_read() {
    let app = spawn_app().await;
    let today = today();
    let board = app.login_as("body-member").await;
    // Everything the demo told the Board read: no figure beside "Inbox".
    let response = app.post_form(&board, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(response.status(), 303);
    let html = app
        .get(&board, "/control")
        .await
        .text()
        .await
        .expect("page");
    assert_eq!(strip_tags(&link_inner(&html, "/inbox")).trim(), "Входящие");
    assert!(!html.contains("nav-badge"));

    // The Secretariat reports on an assignment the Board controls: one unread.
    let webinar = crate::assignments::demo_assignment(&app, 32, "ru", "1.2").await;
    let secretariat = person(&app, "secretariat").await;
    app.store
        .assignments()
        .act(
            webinar.id,
            &secretariat,
            &Action::Report {
                text: "Вебинар проведён.".into(),
                progress: 100,
            },
            &[],
            today,
        )
        .await
        .expect("report");
    let html = app
        .get(&board, "/assignments")
        .await
        .text()
        .await
        .expect("page");
    let inbox = link_inner(&html, "/inbox");
    assert!(
        inbox.contains("<span class=\"nav-badge\" aria-hidden=\"true\">1</span>"),
        "{inbox}"
    );
    assert!(
        inbox.contains("<span class=\"sr-only\"> (1 непрочитанное)</span>"),
        "{inbox}"
    );
    assert_eq!(
        strip_tags(&inbox)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "Входящие 1 (1 непрочитанное)"
    );

    // And asks for more time on another: two, also in English, on every page.
    let plan = crate::assignments::demo_assignment(&app, 31, "ru", "2.1").await;
    app.store
        .assignments()
        .act(
            plan.id,
            &secretariat,
            &Action::RequestExtension {
                until: plan.deadline.expect("a deadline") + Duration::days(30),
                reason: "Ждём согласования Управления информатизации.".into(),
            },
            &[],
            today,
        )
        .await
        .expect("request an extension");
    app.get(&board, "/lang/en?back=/inbox").await;
    for path in ["/inbox", "/cities", "/no-such-page"] {
        let html = app.get(&board, path).await.text().await.expect("page");
        let inbox = link_inner(&html, "/inbox");
        assert!(
            inbox.contains("<span class=\"nav-badge\" aria-hidden=\"true\">2</span>"),
            "{path}: {inbox}"
        );
        assert!(inbox.contains("(2 unread)"), "{path}: {inbox}");
    }
    // Someone else has nothing unread of it; an anonymous visitor sees no inbox at all.
    let (someone_else, _) = app.seed_person("secretariat", None).await;
    let html = app
        .get(&someone_else, "/cities")
        .await
        .text()
        .await
        .expect("page");
    assert!(!html.contains("nav-badge"));
    let html = app
        .get(&crate::support::client(), "/cities")
        .await
        .text()
        .await
        .expect("page");
    assert!(!html.contains("href=\"&#x2f;inbox\"") && !html.contains("href=\"/inbox\""));

    // All read: the figure is gone.
    let response = app.post_form(&board, "/inbox", "/inbox/read", &[]).await;
    assert_eq!(response.status(), 303);
    let html = app.get(&board, "/inbox").await.text().await.expect("page");
    assert!(!html.contains("nav-badge"), "{html}");
    assert_eq!(strip_tags(&link_inner(&html, "/inbox")).trim(), "Inbox");
}

/// Hardening of the execution report: a decision's title heads its rows once in the PDF, an
/// assignment with no lead executor says so, and a report the Board returned is marked, in the
/// PDF (read through `pdftotext` when installed) and in the XLSX.
#[tokio::test]
async fn execution_report_groups_by_decision_labels_no_lead_and_marks_returned_reports() {
    use calamine::Reader;
    const TASK_NO_LEAD: &str = "Обобщить предложения городов по единому порталу";
    const TASK_RETURNED: &str = "Подготовить обзор практик открытых данных городов";
    let app = spawn_app().await;
    seed(&app).await;
    let today = today();
    let decision = NewDecision {
        session: SessionInfo {
            number: 91,
            date: Some(today - Duration::days(40)),
            place: "Астана".into(),
        },
        title: "Об открытых данных городов".into(),
        language: "ru".into(),
        source_text: "РЕШЕНИЕ\n1. Об открытых данных.\n".into(),
        controller: executor("board"),
        published: true,
        items: vec![],
        appendices: vec![],
        assignments: vec![
            assignment("1.1", TASK_NO_LEAD, None, Some(today + Duration::days(20))),
            assignment(
                "1.2",
                TASK_RETURNED,
                executor("secretariat"),
                Some(today + Duration::days(30)),
            ),
        ],
    };
    let decision_id = app
        .store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save decision");
    let returned = app
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
        .find(|a| a.task == TASK_RETURNED)
        .expect("the assignment to return")
        .id;
    let secretariat = person(&app, "secretariat").await;
    let board = person(&app, "body-member").await;
    for (who, action) in [
        (
            &secretariat,
            Action::Report {
                text: "Обзор подготовлен.".into(),
                progress: 80,
            },
        ),
        (
            &board,
            Action::Return {
                comment: "Дополнить примерами.".into(),
            },
        ),
    ] {
        app.store
            .assignments()
            .act(returned, who, &action, &[], today)
            .await
            .expect("act");
    }
    let client = app.login_as("body-member").await;

    // The XLSX keeps the decision column, labels the missing lead and marks the returned report.
    for (lang, no_lead, returned_state) in [
        ("ru", "Исполнитель не назван", "В работе (Отчёт возвращён)"),
        ("en", "No executor named", "In progress (Report returned)"),
    ] {
        let response = app
            .get(&client, &format!("/control/report.xlsx?lang={lang}"))
            .await;
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.expect("body").to_vec();
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX workbook");
        let range = workbook
            .worksheet_range("Report")
            .expect("the Report sheet");
        let row_of = |task: &str| {
            (0..range.height())
                .find(|&r| sheet_text(&range, r, 2) == task)
                .unwrap_or_else(|| panic!("a row for {task}"))
        };
        assert_eq!(sheet_text(&range, row_of(TASK_NO_LEAD), 3), no_lead);
        assert_eq!(sheet_text(&range, row_of(TASK_RETURNED), 6), returned_state);
        // A report that was accepted is not marked.
        assert!(!sheet_text(&range, row_of(TASK_ACCEPTED), 6).contains('('));
    }

    // The PDF: each decision's title once, above its rows.
    let response = app.get(&client, "/control/report.pdf?lang=ru").await;
    if !cfg!(feature = "pdf") {
        assert_eq!(response.status(), 501);
        return;
    }
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body").to_vec();
    assert!(bytes.starts_with(b"%PDF"));
    let Some(text) = pdf_text(&bytes) else {
        eprintln!(
            "SKIPPED: pdftotext is not installed (Debian poppler-utils); PDF text not checked"
        );
        return;
    };
    // pdftotext breaks lines and hyphenates inside cells: compare without spaces and hyphens.
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
            .collect()
    };
    let flat = squeeze(&text);
    let count = |needle: &str| flat.matches(&squeeze(needle)).count();
    for title in [
        "Сессия 90: О контроле исполнения решений",
        "Сессия 91: Об открытых данных городов",
    ] {
        assert_eq!(count(title), 1, "{title} once in {text}");
    }
    assert!(
        flat.find(&squeeze("Сессия 91")) < flat.find(&squeeze(TASK_NO_LEAD)),
        "the heading above its rows: {text}"
    );
    assert!(count("Исполнитель не назван") >= 1, "{text}");
    assert!(count("Отчёт возвращён") >= 1, "{text}");
}
