//! The assignment workflow through the real server, on the demo decisions: the lead reports with
//! a file, the controller accepts or returns, extensions, cancellation, recurring assignments,
//! and the refusals a user must understand. Runs on SQLite and, in CI, on PostgreSQL.
use crate::support::{csrf_of, element_text, spawn_app, TestApp};
use megapolis_assignments::workflow::AssignmentState;
use megapolis_assignments::Doubt;
use megapolis_storage::assignments::{AssignmentFilter, AssignmentRecord};
use serde_json::json;

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The open assignment of `item` in the demo decision of session `session` (in `language`).
pub(crate) async fn demo_assignment(
    app: &TestApp,
    session: i64,
    language: &str,
    item: &str,
) -> AssignmentRecord {
    let decisions = app
        .store
        .decisions()
        .list(false, today())
        .await
        .expect("register");
    let decision = decisions
        .iter()
        .find(|d| d.session.number == session && d.language == language)
        .unwrap_or_else(|| panic!("demo decision of session {session} ({language})"));
    let filter = AssignmentFilter {
        decision: Some(decision.id),
        ..AssignmentFilter::default()
    };
    app.store
        .assignments()
        .list(&filter, today())
        .await
        .expect("assignments")
        .into_iter()
        .find(|a| a.item == item && a.state.is_open())
        .unwrap_or_else(|| panic!("an open assignment in item {item}"))
}

async fn reload(app: &TestApp, id: i64) -> AssignmentRecord {
    app.store
        .assignments()
        .get(id, today())
        .await
        .expect("read")
        .expect("assignment")
}

/// Sends an action form of the assignment page as a browser would (multipart, with the page's
/// form token), optionally with a file.
async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    let page = app
        .get(client, &format!("/assignments/{id}"))
        .await
        .text()
        .await
        .expect("page");
    let mut form = reqwest::multipart::Form::new().text("_csrf", csrf_of(&page));
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(name.to_string())
            .mime_str("text/plain")
            .expect("mime");
        form = form.part("files", part);
    }
    client
        .post(app.url(&format!("/assignments/{id}/act")))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .expect("POST action")
}

#[tokio::test]
async fn the_lead_reports_with_a_file_and_the_controller_accepts() {
    let app = spawn_app().await;
    // 32nd session, item 1.2: the Secretariat leads, the Board controls; still new.
    let assignment = demo_assignment(&app, 32, "ru", "1.2").await;
    assert_eq!(assignment.state, AssignmentState::New);
    let secretariat = app.login_as("secretariat").await;
    let page = app
        .get(&secretariat, &format!("/assignments/{}", assignment.id))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("id=\"form-report\""),
        "the lead sees the report form"
    );
    assert!(!page.contains("id=\"do-accept\""), "the lead cannot accept");

    assert!(
        page.contains(
            "name=\"progress\" type=\"number\" min=\"0\" max=\"100\" required value=\"\""
        ),
        "no percentage is suggested"
    );
    // A report that leaves the percentage empty comes back with the message beside the field
    // and the text as typed.
    let response = act(
        &app,
        &secretariat,
        assignment.id,
        &[
            ("action", "report"),
            ("text", "Половина работы сделана."),
            ("progress", ""),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("page");
    assert!(
        element_text(&html, "e-report-progress").is_some(),
        "beside the field"
    );
    assert!(
        html.contains("href=\"#report-progress\""),
        "the summary links to it"
    );
    assert!(
        html.contains(">Половина работы сделана.</textarea>"),
        "the text is kept"
    );
    assert_eq!(
        reload(&app, assignment.id).await.state,
        AssignmentState::New,
        "nothing happened"
    );

    let board = app.login_as("body-member").await;
    let unread_before = board_unread(&app).await;
    let response = act(
        &app,
        &secretariat,
        assignment.id,
        &[
            ("action", "report"),
            ("text", "Вебинар проведён, 240 участников из 19 городов."),
            ("progress", "100"),
        ],
        Some((
            "программа вебинара.txt",
            "Программа: 10:00 открытие".as_bytes(),
        )),
    )
    .await;
    assert_eq!(response.status(), 303, "report accepted for review");
    assert!(crate::support::location(&response).contains("?done=saved#event-"));
    assert_eq!(
        reload(&app, assignment.id).await.state,
        AssignmentState::ReportSubmitted
    );
    assert_eq!(
        board_unread(&app).await,
        unread_before + 1,
        "the controller's member hears of the report"
    );

    // The Board chair (controlling body) sees the report and its file, and accepts.
    let page = app
        .get(&board, &format!("/assignments/{}", assignment.id))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("Вебинар проведён, 240 участников из 19 городов."));
    assert!(page.contains("программа вебинара.txt"));
    assert!(page.contains("id=\"do-accept\""));
    let file_link = page
        .split("href=\"/files/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the report's file");
    let file = app.get(&board, &format!("/files/{file_link}")).await;
    assert_eq!(file.status(), 200);
    assert_eq!(
        file.text().await.expect("file"),
        "Программа: 10:00 открытие"
    );
    let anonymous = crate::support::client();
    let hidden = app.get(&anonymous, &format!("/files/{file_link}")).await;
    assert_eq!(hidden.status(), 404, "a report's file is not public");

    let response = act(
        &app,
        &board,
        assignment.id,
        &[("action", "accept"), ("text", "")],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let accepted = reload(&app, assignment.id).await;
    assert_eq!(accepted.state, AssignmentState::Accepted);
    assert_eq!(accepted.progress, 100);

    let events = app
        .store
        .assignments()
        .events(assignment.id)
        .await
        .expect("timeline");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "reported", "accepted"]);
    let mut sql = app.sql().await;
    let audited = sql
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'assignment' AND entity_id = '{}' AND action IN ('reported', 'accepted')",
            assignment.id
        ))
        .await;
    assert_eq!(audited, 2, "both actions are in the audit log");
}

async fn board_unread(app: &TestApp) -> i64 {
    let people = app.store.accounts().people().await.expect("people");
    let chair = people
        .iter()
        .find(|p| p.email.as_str() == crate::support::demo_login("body-member").0)
        .expect("board chair");
    app.store.notices().unread(chair.id).await.expect("unread")
}

#[tokio::test]
async fn only_the_controlling_body_accepts_and_a_cancelled_assignment_takes_no_report() {
    let app = spawn_app().await;
    // 31st session, item 1.3: the Secretariat's report waits for the Board.
    let submitted = demo_assignment(&app, 31, "ru", "1.3").await;
    assert_eq!(submitted.state, AssignmentState::ReportSubmitted);

    // The Expert Council's member is not the controller: refused with a message, nothing changes.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let response = act(&app, &council, submitted.id, &[("action", "accept")], None).await;
    assert_eq!(response.status(), 403);
    let html = response.text().await.expect("page");
    assert!(
        html.contains("Это может сделать только член контролирующего органа."),
        "the refusal says who may: {html}"
    );
    assert_eq!(
        reload(&app, submitted.id).await.state,
        AssignmentState::ReportSubmitted
    );

    // Returning needs a comment.
    let board = app.login_as("body-member").await;
    let response = act(
        &app,
        &board,
        submitted.id,
        &[("action", "return"), ("text", " ")],
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .expect("page")
        .contains("Заполните текст"));

    // The Secretariat cancels the Secretariat's own open assignment; its report is then refused.
    let open = demo_assignment(&app, 31, "ru", "2.1").await;
    let secretariat = app.login_as("secretariat").await;
    let response = act(
        &app,
        &secretariat,
        open.id,
        &[
            ("action", "cancel"),
            ("text", "Положение о конкурсе принято в другом решении."),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        reload(&app, open.id).await.state,
        AssignmentState::Cancelled
    );
    let response = act(
        &app,
        &secretariat,
        open.id,
        &[
            ("action", "report"),
            ("text", "Готово."),
            ("progress", "100"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 409);
    assert!(response
        .text()
        .await
        .expect("page")
        .contains("Поручение отменено: по нему больше ничего нельзя сделать."));

    // The same refusal through the API, in JSON with a stable code.
    let token = app.api_token(&council).await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/assignments/{}/actions", submitted.id)))
        .bearer_auth(&token)
        .json(&json!({"action": "accept"}))
        .send()
        .await
        .expect("API");
    assert_eq!(response.status(), 403);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["code"], "workflow-only-controller");
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("controlling body")));
}

#[tokio::test]
async fn a_granted_extension_moves_the_deadline_and_a_returned_report_goes_back_to_work() {
    let app = spawn_app().await;
    // 31st session, item 1.2: the Expert Council asked for a later deadline.
    let pending = demo_assignment(&app, 31, "ru", "1.2").await;
    let asked = pending
        .extension
        .clone()
        .expect("a pending extension")
        .until;
    let board = app.login_as("body-member").await;
    let response = act(
        &app,
        &board,
        pending.id,
        &[("action", "grant_extension")],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let granted = reload(&app, pending.id).await;
    assert_eq!(granted.deadline, Some(asked));
    assert!(granted.extension.is_none());

    // The Council reports; the Board returns it with a comment; it is in progress again.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let response = act(
        &app,
        &council,
        pending.id,
        &[
            ("action", "report"),
            ("text", "Предложения готовы."),
            ("progress", "80"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = act(
        &app,
        &board,
        pending.id,
        &[
            ("action", "return"),
            ("text", "Добавьте расчёт по трём городам."),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let returned = reload(&app, pending.id).await;
    assert_eq!(returned.state, AssignmentState::InProgress);
    assert_eq!(returned.progress, 80);

    // A deadline earlier than the current one is refused.
    let response = act(
        &app,
        &council,
        pending.id,
        &[
            ("action", "request_extension"),
            ("until", "2001-01-01"),
            ("text", "Нужно время."),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    let response = act(
        &app,
        &council,
        pending.id,
        &[
            ("action", "request_extension"),
            ("until", "1 января"),
            ("text", "Нужно время."),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 422, "a date that is not YYYY-MM-DD");
}

#[tokio::test]
async fn accepting_a_recurring_assignment_opens_the_next_one_through_the_api() {
    let app = spawn_app().await;
    // 32nd session, item 1.3: monthly; its first occurrence was accepted in the demo and the
    // next one is open.
    let monthly = demo_assignment(&app, 32, "ru", "1.3").await;
    assert!(
        monthly.previous_id.is_some(),
        "the demo opened a next occurrence"
    );
    let deadline = monthly.deadline.expect("deadline");

    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let board = app.login_as("body-member").await;
    let council_token = app.api_token(&council).await;
    let board_token = app.api_token(&board).await;
    let post = |token: &str, body: serde_json::Value| {
        app.client
            .post(app.url(&format!("/api/v1/assignments/{}/actions", monthly.id)))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let response = post(
        &council_token,
        json!({"action": "report", "text": "Обучение за месяц: 2 группы.", "progress": "100"}),
    )
    .await
    .expect("report");
    assert_eq!(response.status(), 200);
    let response = post(&board_token, json!({"action": "accept"}))
        .await
        .expect("accept");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["state"], "accepted");
    let next_id = body["next_occurrence"]
        .as_i64()
        .expect("the next occurrence");
    let next = reload(&app, next_id).await;
    assert_eq!(next.state, AssignmentState::New);
    assert_eq!(next.previous_id, Some(monthly.id));
    assert_eq!(
        next.deadline,
        Some(megapolis_assignments::workflow::next_deadline(
            deadline,
            megapolis_decisions::Recurrence::Monthly
        ))
    );
    assert_eq!(next.task, monthly.task);

    // Anonymous readers of the API see the assignment of a published decision, without timeline.
    let response = app
        .client
        .get(app.url(&format!("/api/v1/assignments/{next_id}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["state"], "new");
    assert!(body.get("timeline").is_none());
}

#[tokio::test]
async fn the_list_filters_are_the_dashboard_drill_downs() {
    let app = spawn_app().await;
    let board = app.login_as("body-member").await;
    let overdue = app
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                overdue: true,
                ..AssignmentFilter::default()
            },
            today(),
        )
        .await
        .expect("overdue");
    assert!(!overdue.is_empty(), "the demo has overdue work");
    let html = app
        .get(&board, "/assignments?overdue=1")
        .await
        .text()
        .await
        .expect("list");
    for a in &overdue {
        assert!(html.contains(&format!("href=\"/assignments/{}\"", a.id)));
    }
    assert_eq!(
        html.matches("<tr class=\"row-overdue\"").count(),
        overdue.len(),
        "only overdue rows"
    );
    let response = app.get(&board, "/assignments?state=done").await;
    assert_eq!(response.status(), 400, "an unknown state is a clear error");
    let html = app
        .get(&board, "/assignments?body=expert-council&state=accepted")
        .await
        .text()
        .await
        .expect("list");
    assert!(html.contains("Экспертный совет МАГ"));
    assert!(html.contains("id=\"active-filters\""));
}

#[tokio::test]
async fn the_list_finds_words_in_any_case_sorts_and_filters_by_decision() {
    let app = spawn_app().await;
    let board = app.login_as("body-member").await;
    let published = AssignmentFilter {
        published_only: true,
        ..AssignmentFilter::default()
    };
    let all = app
        .store
        .assignments()
        .list(&published, today())
        .await
        .expect("assignments");
    // A word of a task, searched in capitals: every row holds it, in any case.
    let word = all
        .iter()
        .flat_map(|a| a.task.split_whitespace())
        .find(|w| w.chars().count() > 8 && w.chars().all(char::is_alphabetic))
        .expect("a long word in some task")
        .to_lowercase();
    let expected: Vec<i64> = all
        .iter()
        .filter(|a| {
            [a.task.as_str(), a.item.as_str(), a.decision_title.as_str()]
                .iter()
                .any(|t| t.to_lowercase().contains(&word))
                || a.lead
                    .as_ref()
                    .is_some_and(|l| l.name.to_lowercase().contains(&word))
        })
        .map(|a| a.id)
        .collect();
    let html = board
        .get(app.url("/assignments"))
        .query(&[("q", word.to_uppercase())])
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("list");
    let mut found = listed_ids(&html);
    found.sort_unstable();
    let mut wanted = expected.clone();
    wanted.sort_unstable();
    assert_eq!(found, wanted, "a search for {word:?} in capitals");
    assert!(found.len() < all.len(), "the search narrows the list");

    // By deadline: the nearest first, those without one last.
    let html = app
        .get(&board, "/assignments?sort=deadline")
        .await
        .text()
        .await
        .expect("list");
    let deadlines: Vec<Option<time::Date>> = listed_ids(&html)
        .iter()
        .map(|id| all.iter().find(|a| a.id == *id).expect("listed").deadline)
        .collect();
    assert_eq!(deadlines.len(), all.len());
    let key = |d: &Option<time::Date>| (d.is_none(), *d);
    assert!(
        deadlines.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
        "sorted by deadline, the undated last"
    );
    assert_eq!(
        app.get(&board, "/assignments?sort=colour").await.status(),
        400
    );

    // The decision filter offers the published decisions and narrows to one.
    let decision = all[0].decision_id;
    assert!(html.contains(&format!("<option value=\"{decision}\"")));
    let html = app
        .get(
            &board,
            &format!("/assignments?decision={decision}&sort=state"),
        )
        .await
        .text()
        .await
        .expect("list");
    let ids = listed_ids(&html);
    assert!(!ids.is_empty());
    assert!(ids
        .iter()
        .all(|id| all.iter().any(|a| a.id == *id && a.decision_id == decision)));

    // The language switch comes back to the same list, filters and all.
    let marker = "class=\"lang\" href=\"";
    let at = html.find(marker).expect("the language link") + marker.len();
    let link = crate::support::unescape(&html[at..at + html[at..].find('"').expect("href end")]);
    let response = app.get(&board, &link).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        crate::support::location(&response),
        format!("/assignments?decision={decision}&sort=state")
    );
}

#[tokio::test]
async fn the_secretariat_assigns_an_executor_to_a_task_that_had_none() {
    let app = spawn_app().await;
    // 32nd session, item 1.4: «Продолжить работу по …» names nobody.
    let orphan = demo_assignment(&app, 32, "ru", "1.4").await;
    assert!(orphan.lead.is_none());
    assert_eq!(orphan.doubts, [Doubt::NoExecutor]);
    let secretariat = app.login_as("secretariat").await;
    let page = app
        .get(&secretariat, &format!("/assignments/{}", orphan.id))
        .await
        .text()
        .await
        .expect("page");
    let token = csrf_of(&page);
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form = reqwest::multipart::Form::new().text("_csrf", token.clone());
        for (name, value) in fields {
            form = form.text(name, value);
        }
        secretariat
            .post(app.url(&format!("/assignments/{}/edit", orphan.id)))
            .header("Origin", &app.base)
            .multipart(form)
            .send()
    };
    let fields = |deadline: &str| {
        vec![
            ("task", orphan.task.clone()),
            ("lead", "expert-council".to_string()),
            ("lead_name", String::new()),
            (
                "co_executors",
                "Секретариат МАГ\nГородской совет по кадрам".to_string(),
            ),
            ("deadline", deadline.to_string()),
            ("deadline_text", String::new()),
            ("recurrence", String::new()),
        ]
    };
    let response = post(fields("2027-02-30")).await.expect("POST");
    assert_eq!(response.status(), 422, "an impossible date");
    assert!(
        reload(&app, orphan.id).await.lead.is_none(),
        "nothing changed"
    );

    let response = post(fields("2027-03-01")).await.expect("POST");
    assert_eq!(response.status(), 303);
    let edited = reload(&app, orphan.id).await;
    let lead = edited.lead.expect("a lead");
    assert_eq!(
        lead.body_id.map(|b| b.as_str().to_string()).as_deref(),
        Some("expert-council")
    );
    assert_eq!(lead.name, "Экспертный совет МАГ");
    let co: Vec<(Option<String>, String)> = edited
        .co_executors
        .iter()
        .map(|c| {
            (
                c.body_id.as_ref().map(|b| b.as_str().to_string()),
                c.name.clone(),
            )
        })
        .collect();
    assert_eq!(
        co,
        [
            (
                Some("secretariat".to_string()),
                "Секретариат МАГ".to_string()
            ),
            (None, "Городской совет по кадрам".to_string()),
        ],
        "a name not in the directory is kept as written"
    );
    assert_eq!(
        edited.deadline.map(|d| d.to_string()).as_deref(),
        Some("2027-03-01")
    );
    assert_eq!(
        edited.doubts,
        Vec::<Doubt>::new(),
        "the missing executor is settled"
    );
    let kinds: Vec<&str> = app
        .store
        .assignments()
        .events(orphan.id)
        .await
        .expect("timeline")
        .iter()
        .map(|e| e.kind.as_str())
        .collect();
    assert_eq!(kinds, ["created", "edited"]);

    // A body member may not edit.
    let board = app.login_as("body-member").await;
    let response = board
        .post(app.url(&format!("/assignments/{}/edit", orphan.id)))
        .header("Origin", &app.base)
        .form(&[("_csrf", "x"), ("task", "x")])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_second_decision_of_a_session_must_agree_on_its_date() {
    let app = spawn_app().await;
    let secretariat = app.login_as("secretariat").await;
    let token = app.api_token(&secretariat).await;
    let text = "РЕШЕНИЕ\nТридцать первой сессии Ассоциации\n1 января 2001 года\nМинск\n\
                1. О разном.\n1.1. Секретариату МАГ до 1 марта 2001 года подготовить справку.\n\
                Контроль за выполнением настоящего решения возложить на Правление МАГ.";
    let before = app
        .store
        .decisions()
        .list(false, today())
        .await
        .expect("register")
        .len();
    let response = app
        .client
        .post(app.url("/api/v1/decisions"))
        .bearer_auth(&token)
        .json(&json!({"text": text, "published": false}))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 409);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("session 31 is recorded as held on")),
        "{body}"
    );
    assert_eq!(
        app.store
            .decisions()
            .list(false, today())
            .await
            .expect("register")
            .len(),
        before,
        "nothing saved"
    );
}

#[tokio::test]
async fn sixty_four_concurrent_writers_all_succeed() {
    // Each action reads the assignment inside its own write transaction, so writers do not
    // wait for a second pool connection while holding the writer's lock (PostgreSQL stalled
    // with more than 16 before).
    let app = spawn_app().await;
    let today = time::OffsetDateTime::now_utc().date();
    let secretariat = app
        .store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.role == megapolis_domain::Role::Secretariat)
        .expect("a Secretariat person");
    let open: Vec<_> = app
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                open: true,
                ..AssignmentFilter::default()
            },
            today,
        )
        .await
        .expect("list")
        .into_iter()
        .filter(|a| a.lead.is_some())
        .collect();
    assert!(!open.is_empty());
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..64_usize {
        let store = app.store.clone();
        let person = secretariat.clone();
        let assignment = open[writer % open.len()].clone();
        writers.spawn(async move {
            for round in 0..3 {
                let edit = megapolis_storage::assignments::AssignmentEdit {
                    task: format!("{} ({writer}.{round})", assignment.task),
                    lead: assignment.lead.clone(),
                    co_executors: assignment.co_executors.clone(),
                    deadline: assignment.deadline,
                    deadline_text: assignment.deadline_text.clone(),
                    recurrence: assignment.recurrence,
                };
                store
                    .assignments()
                    .edit(assignment.id, &person, &edit, today)
                    .await?;
            }
            Ok::<_, megapolis_storage::StorageError>(())
        });
    }
    let mut failures = Vec::new();
    while let Some(done) = writers.join_next().await {
        if let Err(e) = done.expect("a writer") {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} writes failed: {failures:?}",
        failures.len()
    );
    let edits = app
        .sql()
        .await
        .count("SELECT COUNT(*) FROM assignment_events WHERE kind = 'edited'")
        .await;
    assert_eq!(edits, 64 * 3);
}

/// The ids of the assignments a list page shows, in order.
fn listed_ids(html: &str) -> Vec<i64> {
    html.split("<td><a href=\"/assignments/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The open assignments of published decisions on which `bodies` must act, as the rule says:
/// lead or co-executor; controller when a report or an extension request waits for it.
async fn work_of(app: &TestApp, bodies: &[&str]) -> Vec<i64> {
    let is =
        |id: Option<&megapolis_domain::BodyId>| id.is_some_and(|b| bodies.contains(&b.as_str()));
    app.store
        .assignments()
        .list(
            &AssignmentFilter {
                published_only: true,
                ..AssignmentFilter::default()
            },
            today(),
        )
        .await
        .expect("assignments")
        .into_iter()
        .filter(|a| a.state.is_open())
        .filter(|a| {
            is(a.lead.as_ref().and_then(|l| l.body_id.as_ref()))
                || a.co_executors.iter().any(|c| is(c.body_id.as_ref()))
                || (is(a.controller_body_id.as_ref())
                    && (a.state == AssignmentState::ReportSubmitted || a.extension.is_some()))
        })
        .map(|a| a.id)
        .collect()
}

#[tokio::test]
async fn my_work_lists_what_the_visitors_bodies_must_act_on() {
    let app = spawn_app().await;
    // The Expert Council leads the 31st session's 1.2 (an extension asked) and the English
    // decision's 1.2; its 2.2 of the 31st is accepted: nothing more to do.
    let council = app
        .login_with("council@megapolis.example", "demo-council-pass")
        .await;
    let expected = work_of(&app, &["expert-council"]).await;
    let indicators = demo_assignment(&app, 31, "ru", "1.2").await;
    let open_data = demo_assignment(&app, 32, "en", "1.2").await;
    assert!(expected.contains(&indicators.id) && expected.contains(&open_data.id));
    let list = app
        .get(&council, "/assignments")
        .await
        .text()
        .await
        .expect("list");
    assert!(
        list.contains("href=\"/assignments?mine=1\""),
        "a link to my work"
    );
    let html = app
        .get(&council, "/assignments?mine=1")
        .await
        .text()
        .await
        .expect("my work");
    assert_eq!(listed_ids(&html), expected);
    assert!(html.contains("id=\"mine-hint\""));
    assert!(html.contains("<span class=\"badge\">Моя работа</span>"));
    let all = listed_ids(&list);
    assert!(all.len() > expected.len(), "my work is not everything");

    // The Board controls: its work is the report submitted on the 31st's 1.3 and the extension
    // asked on its 1.2, not the Secretariat's work in progress on 2.1.
    let board = app.login_as("body-member").await;
    let expected = work_of(&app, &["board"]).await;
    let reported = app
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                state: Some(AssignmentState::ReportSubmitted),
                ..AssignmentFilter::default()
            },
            today(),
        )
        .await
        .expect("reported");
    assert!(!reported.is_empty());
    for a in &reported {
        assert!(expected.contains(&a.id), "a report waits for the Board");
    }
    assert!(
        expected.contains(&indicators.id),
        "an extension waits for the Board"
    );
    let plan = demo_assignment(&app, 31, "ru", "2.1").await;
    assert!(!expected.contains(&plan.id));
    let html = app
        .get(&board, "/assignments?mine=1")
        .await
        .text()
        .await
        .expect("my work");
    assert_eq!(listed_ids(&html), expected);
    // With a state narrowing it, and as the dashboard counts it.
    let html = app
        .get(&board, "/assignments?mine=1&state=report_submitted")
        .await
        .text()
        .await
        .expect("my work");
    assert_eq!(
        listed_ids(&html),
        reported.iter().map(|a| a.id).collect::<Vec<_>>()
    );
    let dashboard = app
        .get(&board, "/control")
        .await
        .text()
        .await
        .expect("dashboard");
    assert!(dashboard.contains("href=\"/assignments?mine=1\""));
    assert_eq!(
        crate::support::element_text(&dashboard, "count-mine"),
        Some(expected.len().to_string())
    );

    // Through the API, for the caller of the token; an anonymous caller has no work.
    let token = app.api_token(&board).await;
    let response = app
        .client
        .get(app.url("/api/v1/assignments?mine=1"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let body: Vec<serde_json::Value> = response.json().await.expect("JSON");
    let ids: Vec<i64> = body.iter().filter_map(|a| a["id"].as_i64()).collect();
    assert_eq!(ids, expected);
    let response = app
        .client
        .get(app.url("/api/v1/assignments?mine=1"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 400);

    // Someone of no body: no link, no card, nothing listed.
    let expert = app.login_as("expert").await;
    let list = app
        .get(&expert, "/assignments")
        .await
        .text()
        .await
        .expect("list");
    assert!(!list.contains("href=\"/assignments?mine=1\""));
    let html = app
        .get(&expert, "/assignments?mine=1")
        .await
        .text()
        .await
        .expect("my work");
    assert!(listed_ids(&html).is_empty());
    let dashboard = app
        .get(&expert, "/control")
        .await
        .text()
        .await
        .expect("dashboard");
    assert!(!dashboard.contains("id=\"count-mine\""));
}

#[tokio::test]
async fn an_overdue_assignment_says_why_in_words_in_both_languages() {
    use megapolis_assignments::{AssignmentKind, Executor, NewAssignment};
    use megapolis_decisions::{NewDecision, SessionInfo};
    let app = spawn_app().await;
    let today = today();
    let days_ago = [1_i64, 3, 5, 21, 0];
    let decision = NewDecision {
        session: SessionInfo {
            number: 92,
            date: Some(today - time::Duration::days(200)),
            place: "Минск".into(),
        },
        title: "О сроках".into(),
        language: "ru".into(),
        source_text: "РЕШЕНИЕ\n1. О сроках.\n".into(),
        controller: None,
        published: true,
        items: vec![],
        appendices: vec![],
        assignments: days_ago
            .iter()
            .enumerate()
            .map(|(i, days)| NewAssignment {
                item: format!("1.{}", i + 1),
                kind: AssignmentKind::Assignment,
                task: format!("Задача со сроком {days} дн. назад"),
                lead: Some(Executor {
                    body_id: Some(megapolis_domain::BodyId::parse("secretariat").expect("id")),
                    name: "Секретариату МАГ".into(),
                }),
                co_executors: vec![],
                deadline: Some(today - time::Duration::days(*days)),
                deadline_text: None,
                recurrence: None,
                doubts: vec![],
            })
            .collect(),
    };
    let decision_id = app
        .store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save");
    let ids: Vec<i64> = app
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                decision: Some(decision_id),
                ..AssignmentFilter::default()
            },
            today,
        )
        .await
        .expect("list")
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids.len(), days_ago.len());
    let board = app.login_as("body-member").await;
    let reason = |html: &str| crate::support::element_text(html, "overdue-reason");
    let ru = [
        "Срок истёк 1 день назад",
        "Срок истёк 3 дня назад",
        "Срок истёк 5 дней назад",
        "Срок истёк 21 день назад",
    ];
    for (i, expected) in ru.iter().enumerate() {
        let deadline = today - time::Duration::days(days_ago[i]);
        let html = app
            .get(&board, &format!("/assignments/{}", ids[i]))
            .await
            .text()
            .await
            .expect("page");
        assert_eq!(
            reason(&html),
            Some(format!(
                "{expected}: {:02}.{:02}.{}",
                deadline.day(),
                u8::from(deadline.month()),
                deadline.year()
            ))
        );
    }
    // Due today: not overdue, no reason.
    let html = app
        .get(&board, &format!("/assignments/{}", ids[4]))
        .await
        .text()
        .await
        .expect("page");
    assert_eq!(reason(&html), None);
    assert!(!html.contains("id=\"overdue\""));

    app.get(&board, "/lang/en?back=/assignments").await;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    for (i, expected) in [
        "Overdue by 1 day",
        "Overdue by 3 days",
        "Overdue by 5 days",
        "Overdue by 21 days",
    ]
    .iter()
    .enumerate()
    {
        let deadline = today - time::Duration::days(days_ago[i]);
        let html = app
            .get(&board, &format!("/assignments/{}", ids[i]))
            .await
            .text()
            .await
            .expect("page");
        assert_eq!(
            reason(&html),
            Some(format!(
                "{expected}: since {} {} {}",
                deadline.day(),
                MONTHS[usize::from(u8::from(deadline.month())) - 1],
                deadline.year()
            ))
        );
    }
}

#[tokio::test]
async fn city_representatives_act_on_what_is_addressed_to_the_member_cities() {
    let app = spawn_app().await;
    let open_to_cities = app
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                lead: Some(megapolis_domain::BodyId::parse("city-admins").expect("id")),
                open: true,
                published_only: true,
                ..AssignmentFilter::default()
            },
            today(),
        )
        .await
        .expect("list");
    let assignment = open_to_cities
        .iter()
        .find(|a| a.state != AssignmentState::ReportSubmitted)
        .expect("the demo addresses an open assignment to the member cities' administrations");
    // Minsk's representative is told, and may report.
    let minsk = app.login_as("city-rep").await;
    let inbox = app.get(&minsk, "/inbox").await.text().await.expect("inbox");
    assert!(
        inbox.contains(&format!("/assignments/{}", assignment.id)),
        "the city hears of it: {inbox}"
    );
    let page = app
        .get(&minsk, &format!("/assignments/{}", assignment.id))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("id=\"form-report\""), "{page}");
    let report = app
        .post_form(
            &minsk,
            &format!("/assignments/{}", assignment.id),
            &format!("/assignments/{}/act", assignment.id),
            &[
                ("action", "report"),
                ("text", "Минск: сведения направлены в Секретариат."),
                ("progress", "40"),
            ],
        )
        .await;
    assert_eq!(report.status(), 303);
    let after = app
        .store
        .assignments()
        .get(assignment.id, today())
        .await
        .expect("read")
        .expect("the assignment");
    assert_eq!(after.state, AssignmentState::ReportSubmitted);
    // The page keeps each city's part: Minsk's is given, the other members' are not yet.
    let page = app
        .get(&minsk, &format!("/assignments/{}", assignment.id))
        .await
        .text()
        .await
        .expect("page");
    let row = |code: &str| {
        let at = page
            .find(&format!("id=\"part-{code}\""))
            .unwrap_or_else(|| panic!("a row for {code}: {page}"));
        page[at..at + page[at..].find("</tr>").expect("row end")].to_string()
    };
    assert!(row("minsk").contains("href=\"#event-"), "{}", row("minsk"));
    assert!(
        !row("moscow").contains("href=\"#event-"),
        "{}",
        row("moscow")
    );
    // Someone with no part in it is told who may act instead of seeing no forms at all.
    let expert = app.login_as("expert").await;
    let other = open_to_cities
        .iter()
        .find(|a| a.id != assignment.id)
        .unwrap_or(assignment);
    let page = app
        .get(&expert, &format!("/assignments/{}", other.id))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("id=\"who-may-act\""), "{page}");
    assert!(!page.contains("id=\"form-report\""), "{page}");
}
