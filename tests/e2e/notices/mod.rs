//! Reminders and e-mail: the scheduler inside the server queues a reminder before a deadline and
//! delivers it through the outbox to a local SMTP sink written here — exactly once however many
//! ticks run, and only after the mail server is back when it was down.
use crate::support::{spawn_app, TestApp};
use megapolis_assignments::{Executor, NewAssignment};
use megapolis_decisions::AssignmentKind;
use megapolis_decisions::{NewDecision, SessionInfo};
use megapolis_domain::BodyId;
use megapolis_web::scheduler::{self, SchedulerConfig, SmtpConfig};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const BOARD_EMAIL: &str = "board@megapolis.example";

/// A message the sink accepted.
#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

impl Received {
    /// The `Subject:` header, unfolded and with its encoded words decoded.
    fn subject(&self) -> String {
        let headers = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", " ");
        let line = unfolded
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("subject:"))
            .unwrap_or_default();
        decode_words(line["subject:".len().min(line.len())..].trim())
    }

    /// The body, decoded from base64 or quoted-printable.
    fn body(&self) -> String {
        let (headers, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", ""));
        let headers = headers.to_ascii_lowercase();
        if headers.contains("content-transfer-encoding: base64") {
            String::from_utf8_lossy(&base64(&body.replace("\r\n", ""))).into_owned()
        } else if headers.contains("content-transfer-encoding: quoted-printable") {
            String::from_utf8_lossy(&quoted_printable(body)).into_owned()
        } else {
            body.to_string()
        }
    }
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Decodes RFC 2047 words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`); the space between two encoded
/// words is dropped.
fn decode_words(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.starts_with("=?utf-8?") && word.ends_with("?=") {
            let inner = &word[8..word.len() - 2];
            let (encoding, payload) = inner.split_once('?').unwrap_or(("", ""));
            let bytes = match encoding {
                "b" | "B" => base64(payload),
                _ => quoted_printable(&payload.replace('_', " ")),
            };
            Some(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            None
        };
        match decoded {
            Some(d) => out.push_str(&d),
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    out
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A local SMTP sink: just enough of the protocol for a client to deliver, recording each
/// message. It runs until the test ends.
async fn smtp_sink(listener: TcpListener) -> Inbox {
    let inbox: Inbox = Arc::default();
    let recorded = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(smtp_session(socket, recorded.clone()));
        }
    });
    inbox
}

async fn smtp_session(socket: tokio::net::TcpStream, inbox: Inbox) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut current = Received {
        from: String::new(),
        to: vec![],
        data: String::new(),
    };
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if let Some(from) = upper.strip_prefix("MAIL FROM:") {
            current.from = command[command.len() - from.len()..].to_string();
            b"250 OK\r\n"
        } else if let Some(to) = upper.strip_prefix("RCPT TO:") {
            let to = &command[command.len() - to.len()..];
            current.to.push(
                to.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string(),
            );
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let text = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(text);
            }
            current.data = data;
            inbox.lock().expect("sink inbox").push(std::mem::replace(
                &mut current,
                Received {
                    from: String::new(),
                    to: vec![],
                    data: String::new(),
                },
            ));
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// A decision whose one assignment, led by the Board, is due in `days` days. Returns its id.
async fn board_assignment(app: &TestApp, session: i64, task: &str, days: i64) -> i64 {
    let today = time::OffsetDateTime::now_utc().date();
    let board = Some(Executor {
        body_id: Some(BodyId::parse("board").expect("id")),
        name: "Правление МАГ".into(),
    });
    let decision = NewDecision {
        session: SessionInfo {
            number: session,
            date: Some(today - time::Duration::days(30)),
            place: "Астана".into(),
        },
        title: format!("Решение для проверки почты {session}"),
        language: "ru".into(),
        source_text: "РЕШЕНИЕ\n".into(),
        controller: board.clone(),
        published: false,
        items: vec![],
        appendices: vec![],
        assignments: vec![NewAssignment {
            item: "1.1".into(),
            kind: AssignmentKind::Assignment,
            task: task.into(),
            lead: board,
            co_executors: vec![],
            deadline: Some(today + time::Duration::days(days)),
            deadline_text: None,
            recurrence: None,
            doubts: vec![],
        }],
    };
    let decision_id = app
        .store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save decision");
    app.store
        .assignments()
        .list(
            &megapolis_storage::assignments::AssignmentFilter {
                decision: Some(decision_id),
                ..Default::default()
            },
            today,
        )
        .await
        .expect("assignments")[0]
        .id
}

fn config(port: u16) -> SchedulerConfig {
    let mut config = SchedulerConfig::new("http://portal.test");
    config.interval = Duration::from_millis(300);
    config.reminder_days = 7;
    config.retry_base = Duration::from_millis(200);
    config.smtp_timeout = Duration::from_secs(5);
    config.smtp = Some(SmtpConfig {
        url: format!("smtp://127.0.0.1:{port}"),
        from: "Megapolis <noreply@megapolis.test>".into(),
    });
    config
}

fn reminders_for(inbox: &Inbox, task: &str) -> Vec<Received> {
    inbox
        .lock()
        .expect("sink inbox")
        .iter()
        .filter(|m| m.subject().contains(task))
        .filter(|m| m.subject().starts_with("Напоминание"))
        .cloned()
        .collect()
}

/// Polls `check` every 100 ms for up to `seconds`.
async fn eventually<F: FnMut() -> bool>(seconds: u64, mut check: F) -> bool {
    for _ in 0..seconds * 10 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check()
}

#[tokio::test]
async fn a_reminder_reaches_the_mail_server_exactly_once() {
    let app = spawn_app().await;
    let task = "Проверить доставку напоминаний за три дня до срока";
    let id = board_assignment(&app, 91, task, 3).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let inbox = smtp_sink(listener).await;
    let translations = Arc::new(megapolis_web::Translations::load());
    let handle =
        scheduler::spawn(app.store.clone(), translations, config(port)).expect("scheduler");

    assert!(
        eventually(20, || !reminders_for(&inbox, task).is_empty()).await,
        "the reminder reached the sink"
    );
    // Several more ticks: nothing is queued or sent twice.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    handle.abort();
    let reminders = reminders_for(&inbox, task);
    assert_eq!(reminders.len(), 1, "exactly one reminder: {reminders:?}");
    let mail = &reminders[0];
    assert_eq!(mail.to, vec![BOARD_EMAIL.to_string()]);
    assert!(
        mail.from.contains("noreply@megapolis.test"),
        "{}",
        mail.from
    );
    assert_eq!(
        mail.subject(),
        format!("Напоминание: срок приближается: {task}")
    );
    let body = mail.body();
    let link = format!("http://portal.test/assignments/{id}");
    assert!(body.contains(&link), "{body}");
    let (ru, en) = (
        body.find("Поручение:").expect("Russian"),
        body.find("Assignment:").expect("English"),
    );
    assert!(ru < en, "Russian first: {body}");

    // The outbox says sent; the timeline has one reminder.
    let mut sql = app.sql().await;
    let unsent = sql
        .count(&format!(
            "SELECT COUNT(*) FROM notice_outbox o JOIN notices n ON n.id = o.notice_id \
             WHERE n.kind = 'reminder' AND n.subject_kind = 'assignment' AND n.subject_id = '{id}' AND o.sent_at IS NULL"
        ))
        .await;
    assert_eq!(unsent, 0);
    let events = app.store.assignments().events(id).await.expect("timeline");
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind.as_str() == "reminder")
            .count(),
        1
    );
}

#[tokio::test]
async fn mail_waits_in_the_outbox_while_the_server_is_down() {
    let app = spawn_app().await;
    let task = "Проверить повторную отправку письма после сбоя почтового сервера";
    let id = board_assignment(&app, 92, task, 2).await;
    // A port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let translations = Arc::new(megapolis_web::Translations::load());
    let handle =
        scheduler::spawn(app.store.clone(), translations, config(port)).expect("scheduler");
    let row = format!(
        "FROM notice_outbox o JOIN notices n ON n.id = o.notice_id \
         WHERE n.kind = 'reminder' AND n.subject_kind = 'assignment' AND n.subject_id = '{id}'"
    );
    let mut sql = app.sql().await;
    let mut failed = false;
    for _ in 0..200 {
        let attempts = sql
            .count(&format!(
                "SELECT COALESCE(MAX(o.attempts), 0) {row} AND o.sent_at IS NULL"
            ))
            .await;
        if attempts >= 1 {
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(failed, "a failed attempt was recorded");
    assert_eq!(
        sql.count(&format!("SELECT COUNT(*) {row} AND o.sent_at IS NOT NULL"))
            .await,
        0,
        "nothing is marked sent while the server is down"
    );
    let error = sql
        .text(&format!("SELECT o.last_error {row}"))
        .await
        .unwrap_or_default();
    assert!(!error.is_empty(), "the error is kept");

    // The mail server comes back on the same port: the message goes out.
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind the same port");
    let inbox = smtp_sink(listener).await;
    assert!(
        eventually(30, || !reminders_for(&inbox, task).is_empty()).await,
        "delivered once the server is back"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    handle.abort();
    assert_eq!(reminders_for(&inbox, task).len(), 1);
    let mut sql = app.sql().await;
    assert_eq!(
        sql.count(&format!("SELECT COUNT(*) {row} AND o.sent_at IS NOT NULL"))
            .await,
        1
    );
}

#[tokio::test]
async fn a_notice_is_mailed_in_the_language_its_reader_chose_and_links_to_its_subject() {
    let app = spawn_app().await;
    // The Board member reads in English: the language switch remembers it for mail too.
    let board = app.login_with(BOARD_EMAIL, "demo-board-pass").await;
    let switched = app.get(&board, "/lang/en?back=/inbox").await;
    assert!(switched.status().is_redirection() || switched.status().is_success());
    let task = "Check that notices follow the language of their reader";
    let id = board_assignment(&app, 92, task, 3).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let inbox = smtp_sink(listener).await;
    let translations = Arc::new(megapolis_web::Translations::load());
    let handle =
        scheduler::spawn(app.store.clone(), translations, config(port)).expect("scheduler");
    let reminder = |inbox: &Inbox| {
        inbox
            .lock()
            .expect("sink inbox")
            .iter()
            .find(|m| {
                m.subject().starts_with("Reminder")
                    && m.subject().contains(task)
                    && m.to == vec![BOARD_EMAIL.to_string()]
            })
            .cloned()
    };
    assert!(
        eventually(20, || reminder(&inbox).is_some()).await,
        "the reminder reached the sink"
    );
    handle.abort();
    let mail = reminder(&inbox).expect("the reminder");
    assert_eq!(
        mail.subject(),
        format!("Reminder: the deadline is near: {task}")
    );
    let body = mail.body();
    let (en, ru) = (
        body.find("Assignment:").expect("English"),
        body.find("Поручение:").expect("Russian"),
    );
    assert!(en < ru, "the reader's language first: {body}");
    assert!(body.contains(&format!("http://portal.test/assignments/{id}")));

    // The inbox line names the subject and links to its page, in the reader's language.
    let page = app.get(&board, "/inbox").await.text().await.expect("page");
    assert!(page.contains("Reminder: the deadline is near"), "{page}");
    assert!(
        page.contains(&format!("<a href=\"/assignments/{id}\">{task}</a>")),
        "{page}"
    );
}
