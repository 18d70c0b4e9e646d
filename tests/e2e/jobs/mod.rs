//! Background jobs on the backend under test: the queue and its leases in the store, the
//! workers (retries with a doubling delay, panics, a worker that dies), the staff page and API,
//! and the reminders, which the scheduler now asks of a worker.
use crate::support::{spawn_app, unescape, TestApp};
use megapolis_assignments::{Executor, NewAssignment};
use megapolis_decisions::{AssignmentKind, NewDecision, SessionInfo};
use megapolis_domain::BodyId;
use megapolis_storage::jobs::{JobState, MAX_ATTEMPTS};
use megapolis_storage::StorageError;
use megapolis_web::jobs::{spawn_workers, wait_for, JobContext, JobKind, WorkerConfig};
use megapolis_web::scheduler::{self, SchedulerConfig, TickReport};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const LEASE: Duration = Duration::from_secs(60);

/// Workers that look for work often and retry soon, for tests.
fn quick(workers: usize, lease: Duration) -> WorkerConfig {
    WorkerConfig {
        workers,
        lease,
        poll: Duration::from_millis(20),
        retry_base: Duration::from_millis(200),
    }
}

fn lost(result: Result<impl std::fmt::Debug, StorageError>) -> bool {
    matches!(result, Err(StorageError::LeaseLost { .. }))
}

fn parse_time(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("time {text:?}: {e}"))
}

#[tokio::test]
async fn a_job_is_claimed_reports_progress_and_finishes() {
    let app = spawn_app().await;
    let jobs = app.store.jobs();
    let id = jobs
        .enqueue("test-echo", &json!({ "n": 1 }), "tests")
        .await
        .expect("enqueue");
    let queued = jobs.get(id).await.expect("get").expect("the job");
    assert_eq!(
        (queued.state, queued.attempts, queued.progress),
        (JobState::Queued, 0, 0)
    );
    assert_eq!(queued.payload, json!({ "n": 1 }));
    assert_eq!(queued.created_by, "tests");
    let audit = app
        .store
        .audit()
        .records(&megapolis_storage::audit::AuditFilter {
            entity: "job".into(),
            entity_id: id.to_string(),
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1, "enqueueing is audited");
    assert_eq!(
        (
            audit[0].entry.actor.as_str(),
            audit[0].entry.action.as_str()
        ),
        ("tests", "enqueue")
    );

    assert!(
        jobs.claim("w1", &["test-other"], LEASE)
            .await
            .expect("claim")
            .is_none(),
        "a worker gets only the kinds it knows"
    );
    let before = OffsetDateTime::now_utc();
    let job = jobs
        .claim("w1", &["test-other", "test-echo"], LEASE)
        .await
        .expect("claim")
        .expect("the job");
    assert_eq!(job.id, id);
    assert_eq!(job.state, JobState::Running);
    assert_eq!((job.attempts, job.worker.as_deref()), (1, Some("w1")));
    let lease_until = parse_time(job.lease_until.as_deref().expect("a lease"));
    assert!(
        lease_until >= before + time::Duration::seconds(59),
        "{lease_until}"
    );
    assert!(
        jobs.claim("w2", &["test-echo"], LEASE)
            .await
            .expect("claim")
            .is_none(),
        "a held job is nobody else's"
    );

    jobs.progress(id, "w1", 40, LEASE).await.expect("progress");
    assert_eq!(jobs.get(id).await.expect("get").expect("job").progress, 40);
    assert!(
        lost(jobs.progress(id, "w2", 50, LEASE).await),
        "another worker cannot report on it"
    );

    jobs.finish(id, "w1", &json!({ "echo": 1 }))
        .await
        .expect("finish");
    let done = jobs.get(id).await.expect("get").expect("job");
    assert_eq!(
        (done.state, done.progress, done.result),
        (JobState::Done, 100, Some(json!({ "echo": 1 })))
    );
    assert!(done.lease_until.is_none());
    assert!(
        lost(jobs.finish(id, "w1", &json!(null)).await),
        "a done job stays done"
    );
    assert!(jobs
        .claim("w1", &["test-echo"], LEASE)
        .await
        .expect("claim")
        .is_none());
    assert_eq!(jobs.recent(10).await.expect("recent")[0].id, id);
}

#[tokio::test]
async fn a_failed_attempt_waits_its_delay_and_the_last_one_leaves_the_job_failed() {
    let app = spawn_app().await;
    let jobs = app.store.jobs();
    let id = jobs
        .enqueue("test-fail", &json!({}), "tests")
        .await
        .expect("enqueue");
    let delay = Duration::from_millis(300);
    for attempt in 1..=MAX_ATTEMPTS {
        let started = Instant::now();
        let job = loop {
            if let Some(job) = jobs
                .claim("w1", &["test-fail"], LEASE)
                .await
                .expect("claim")
            {
                break job;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "attempt {attempt} never came"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(job.attempts, attempt);
        let failed_at = OffsetDateTime::now_utc();
        let state = jobs
            .fail(id, "w1", &format!("boom {attempt}"), delay)
            .await
            .expect("fail");
        let job = jobs.get(id).await.expect("get").expect("job");
        assert_eq!(
            job.error.as_deref(),
            Some(format!("boom {attempt}").as_str())
        );
        if attempt < MAX_ATTEMPTS {
            assert_eq!(state, JobState::Queued, "attempt {attempt} is retried");
            assert!(
                parse_time(&job.run_after) >= failed_at + time::Duration::milliseconds(290),
                "attempt {attempt}: run after {}",
                job.run_after
            );
            assert!(
                jobs.claim("w1", &["test-fail"], LEASE)
                    .await
                    .expect("claim")
                    .is_none(),
                "attempt {attempt}: not before its delay"
            );
        } else {
            assert_eq!(state, JobState::Failed, "the attempts are spent");
        }
    }
    let failed = jobs.get(id).await.expect("get").expect("job");
    assert_eq!(failed.state, JobState::Failed);
    assert_eq!(failed.attempts, MAX_ATTEMPTS);
    assert_eq!(failed.error.as_deref(), Some("boom 5"));
    tokio::time::sleep(delay).await;
    assert!(
        jobs.claim("w1", &["test-fail"], LEASE)
            .await
            .expect("claim")
            .is_none(),
        "a failed job is not tried again"
    );
}

#[tokio::test]
async fn workers_retry_with_a_doubling_delay_and_a_panic_fails_only_its_job() {
    let app = spawn_app().await;
    let attempts: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let seen = attempts.clone();
    let flaky = JobKind::new("test-flaky", move |_context, payload: Value| {
        let seen = seen.clone();
        async move {
            let count = {
                let mut seen = seen.lock().expect("attempts");
                seen.push(Instant::now());
                seen.len()
            };
            if count < 3 {
                Err(format!("not yet ({count})"))
            } else {
                Ok(json!({ "attempts": count, "payload": payload }))
            }
        }
    });
    let panics = JobKind::new("test-panic", broken);
    let workers = spawn_workers(
        app.store.clone(),
        vec![flaky, panics],
        quick(2, Duration::from_secs(5)),
    );

    let jobs = app.store.jobs();
    let id = jobs
        .enqueue("test-flaky", &json!({ "x": 1 }), "tests")
        .await
        .expect("enqueue");
    let job = wait_for(&app.store, id, Duration::from_secs(20))
        .await
        .expect("the job ended");
    assert_eq!(job.state, JobState::Done, "{job:?}");
    assert_eq!(job.attempts, 3);
    assert_eq!(job.error, None, "done: the earlier errors are gone");
    assert_eq!(
        job.result,
        Some(json!({ "attempts": 3, "payload": { "x": 1 } }))
    );
    let times = attempts.lock().expect("attempts").clone();
    let (first, second) = (times[1] - times[0], times[2] - times[1]);
    assert!(first >= Duration::from_millis(200), "first delay {first:?}");
    assert!(
        second >= Duration::from_millis(400),
        "the delay doubles: {second:?}"
    );

    let broken = jobs
        .enqueue("test-panic", &json!({}), "tests")
        .await
        .expect("enqueue");
    let job = wait_for(&app.store, broken, Duration::from_secs(30))
        .await
        .expect("the job ended");
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(job.attempts, MAX_ATTEMPTS);
    assert_eq!(
        job.error.as_deref(),
        Some("the handler panicked: the handler broke")
    );
    assert!(
        workers.iter().all(|w| !w.is_finished()),
        "the workers survived"
    );
    // And still work.
    attempts.lock().expect("attempts").clear();
    let again = jobs
        .enqueue("test-flaky", &json!({ "x": 2 }), "tests")
        .await
        .expect("enqueue");
    let job = wait_for(&app.store, again, Duration::from_secs(20))
        .await
        .expect("the job ended");
    assert_eq!(job.state, JobState::Done);
    for worker in workers {
        worker.abort();
    }
}

async fn broken(_context: JobContext, _payload: Value) -> Result<Value, String> {
    panic!("the handler broke")
}

#[tokio::test]
async fn concurrent_claimers_never_get_the_same_job() {
    let app = spawn_app().await;
    let mut ids = BTreeSet::new();
    for n in 0..20 {
        ids.insert(
            app.store
                .jobs()
                .enqueue("test-race", &json!({ "n": n }), "tests")
                .await
                .expect("enqueue"),
        );
    }
    let claimers: Vec<_> = (0..8)
        .map(|n| {
            let store = app.store.clone();
            tokio::spawn(async move {
                let worker = format!("claimer-{n}");
                let mut mine = Vec::new();
                while let Some(job) = store
                    .jobs()
                    .claim(&worker, &["test-race"], LEASE)
                    .await
                    .expect("claim")
                {
                    store
                        .jobs()
                        .finish(job.id, &worker, &json!({ "by": worker }))
                        .await
                        .expect("finish");
                    mine.push(job.id);
                }
                mine
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for claimer in claimers {
        claimed.extend(claimer.await.expect("claimer"));
    }
    assert_eq!(claimed.len(), 20, "every job once: {claimed:?}");
    assert_eq!(claimed.iter().copied().collect::<BTreeSet<_>>(), ids);
    for id in ids {
        let job = app.store.jobs().get(id).await.expect("get").expect("job");
        assert_eq!((job.state, job.attempts), (JobState::Done, 1));
    }
}

#[tokio::test]
async fn a_job_whose_worker_died_is_taken_up_again_when_its_lease_runs_out() {
    let app = spawn_app().await;
    let lease = Duration::from_secs(1);
    // The first worker reports progress, then hangs until it dies.
    let stuck = JobKind::new("test-long", |context, _payload| async move {
        context.progress(30).await?;
        std::future::pending::<Result<Value, String>>().await
    });
    let first = spawn_workers(app.store.clone(), vec![stuck], quick(1, lease));
    let id = app
        .store
        .jobs()
        .enqueue("test-long", &json!({}), "tests")
        .await
        .expect("enqueue");
    let started = Instant::now();
    let running = loop {
        let job = app.store.jobs().get(id).await.expect("get").expect("job");
        if job.progress == 30 {
            break job;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{job:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(running.state, JobState::Running);
    let dead = running.worker.clone().expect("its worker");
    // Alive, the worker renews its lease: after more than a lease the job is still its own.
    tokio::time::sleep(lease + Duration::from_millis(500)).await;
    let held = app.store.jobs().get(id).await.expect("get").expect("job");
    assert_eq!(
        (held.state, held.worker.as_deref(), held.attempts),
        (JobState::Running, Some(dead.as_str()), 1)
    );

    // The worker dies: no more renewals, its handler is gone with it.
    for worker in first {
        worker.abort();
    }
    let last_lease = parse_time(
        &app.store
            .jobs()
            .get(id)
            .await
            .expect("get")
            .expect("job")
            .lease_until
            .expect("a lease"),
    );
    let taken_at: Arc<Mutex<Option<OffsetDateTime>>> = Arc::default();
    let taken = taken_at.clone();
    let finishes = JobKind::new("test-long", move |context, _payload| {
        let taken = taken.clone();
        async move {
            *taken.lock().expect("taken") = Some(OffsetDateTime::now_utc());
            context.progress(60).await?;
            Ok(json!({ "finished": context.job_id() }))
        }
    });
    let second = spawn_workers(app.store.clone(), vec![finishes], quick(1, lease));
    let job = wait_for(&app.store, id, Duration::from_secs(15))
        .await
        .expect("the job was taken up again and ended");
    assert_eq!(job.state, JobState::Done, "{job:?}");
    assert_eq!(job.attempts, 2);
    assert_eq!(job.result, Some(json!({ "finished": id })));
    let successor = job.worker.expect("the second worker");
    assert_ne!(successor, dead);
    let taken_at = taken_at
        .lock()
        .expect("taken")
        .expect("the second attempt ran");
    assert!(
        taken_at >= last_lease,
        "taken up at {taken_at}, not before the lease ran out at {last_lease}"
    );
    assert!(
        lost(
            app.store
                .jobs()
                .finish(id, &dead, &json!({ "late": true }))
                .await
        ),
        "the dead worker's late answer is refused"
    );
    for worker in second {
        worker.abort();
    }
}

#[tokio::test]
async fn a_job_whose_workers_keep_dying_fails_when_its_attempts_are_spent() {
    let app = spawn_app().await;
    let jobs = app.store.jobs();
    let id = jobs
        .enqueue("test-crash", &json!({}), "tests")
        .await
        .expect("enqueue");
    let lease = Duration::from_millis(50);
    for attempt in 1..=MAX_ATTEMPTS {
        let job = jobs
            .claim(&format!("w{attempt}"), &["test-crash"], lease)
            .await
            .expect("claim")
            .unwrap_or_else(|| panic!("attempt {attempt} is claimed once the lease ran out"));
        assert_eq!(job.attempts, attempt);
        tokio::time::sleep(lease + Duration::from_millis(30)).await;
    }
    assert!(jobs
        .claim("w9", &["test-crash"], lease)
        .await
        .expect("claim")
        .is_none());
    let job = jobs.get(id).await.expect("get").expect("job");
    assert_eq!(job.state, JobState::Failed);
    assert!(
        job.error
            .as_deref()
            .unwrap_or_default()
            .contains("lease ran out"),
        "{job:?}"
    );
}

#[tokio::test]
async fn periodic_work_is_queued_once_while_pending() {
    let app = spawn_app().await;
    // Eight servers' timers at once: one job.
    let askers: Vec<_> = (0..8)
        .map(|_| {
            let store = app.store.clone();
            tokio::spawn(async move {
                store
                    .jobs()
                    .enqueue_unless_pending("test-periodic", &json!({}), "tests")
                    .await
                    .expect("enqueue")
            })
        })
        .collect();
    let mut queued = Vec::new();
    for asker in askers {
        queued.extend(asker.await.expect("asker"));
    }
    assert_eq!(queued.len(), 1, "{queued:?}");
    let jobs = app.store.jobs();
    jobs.claim("w1", &["test-periodic"], LEASE)
        .await
        .expect("claim")
        .expect("the job");
    assert_eq!(
        jobs.enqueue_unless_pending("test-periodic", &json!({}), "tests")
            .await
            .expect("enqueue"),
        None,
        "not while it runs"
    );
    jobs.finish(queued[0], "w1", &json!({}))
        .await
        .expect("finish");
    assert!(jobs
        .enqueue_unless_pending("test-periodic", &json!({}), "tests")
        .await
        .expect("enqueue")
        .is_some());
}

#[tokio::test]
async fn staff_see_a_job_in_the_api_and_on_the_jobs_page_and_nobody_else_does() {
    let app = spawn_app().await;
    let jobs = app.store.jobs();
    let id = jobs
        .enqueue("test-api", &json!({ "book": 7 }), "tests")
        .await
        .expect("enqueue");
    jobs.claim("w1", &["test-api"], LEASE)
        .await
        .expect("claim")
        .expect("the job");
    jobs.progress(id, "w1", 40, LEASE).await.expect("progress");

    let secretariat = app.login_as("secretariat").await;
    let token = app.api_token(&secretariat).await;
    let get = |path: String, token: Option<String>| {
        let request = app.client.get(app.url(&path));
        async move {
            match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            }
            .send()
            .await
            .expect("GET")
        }
    };
    let path = format!("/api/v1/jobs/{id}");
    let response = get(path.clone(), Some(token.clone())).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body,
        json!({ "id": id, "kind": "test-api", "state": "running", "progress": 40, "error": null, "result": null })
    );

    let admin = app.login_as("admin").await;
    let admin_token = app.api_token(&admin).await;
    assert_eq!(get(path.clone(), Some(admin_token)).await.status(), 200);
    let anonymous = get(path.clone(), None).await;
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.json::<Value>().await.expect("JSON")["error"].is_string());
    for role in ["body-member", "city-rep", "expert"] {
        let client = app.login_as(role).await;
        let their_token = app.api_token(&client).await;
        let response = get(path.clone(), Some(their_token)).await;
        assert_eq!(response.status(), 403, "{role}");
        let body: Value = response.json().await.expect("JSON");
        assert!(body["error"].is_string(), "{role}: {body}");
        assert_eq!(
            app.get(&client, "/jobs").await.status(),
            403,
            "{role}: the page"
        );
        let profile = page(&app, &client, "/profile").await;
        assert!(!profile.contains("href=\"/jobs\""), "{role}: no link");
    }
    for missing in ["/api/v1/jobs/999999", "/api/v1/jobs/abc"] {
        let response = get(missing.into(), Some(token.clone())).await;
        assert_eq!(response.status(), 404, "{missing}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["status"], 404, "{missing}: {body}");
    }

    // A failed attempt: queued again, with its error.
    jobs.fail(
        id,
        "w1",
        "the printer is out of paper",
        Duration::from_secs(600),
    )
    .await
    .expect("fail");
    let body: Value = get(path.clone(), Some(token.clone()))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["state"], "queued");
    assert_eq!(body["error"], "the printer is out of paper");

    // The page, in Russian and then in English, with the navigation link.
    let html = page(&app, &secretariat, "/jobs").await;
    assert!(html.contains("href=\"/jobs\""), "the navigation links it");
    assert!(html.contains("Фоновые задания"), "{html}");
    let row = job_row(&html, id);
    assert!(row.contains("test-api"), "{row}");
    assert!(row.contains("в очереди"), "{row}");
    assert!(row.contains("1 из 5"), "{row}");
    assert!(row.contains("the printer is out of paper"), "{row}");
    assert!(row.contains("value=\"40\""), "{row}");
    assert!(row.contains("w1"), "{row}");
    app.get(&secretariat, "/lang/en?back=/jobs").await;
    let html = page(&app, &secretariat, "/jobs").await;
    assert!(html.contains("Background jobs"), "{html}");
    let row = job_row(&html, id);
    assert!(row.contains(">queued<"), "{row}");
    assert!(row.contains("1 of 5"), "{row}");
}

/// A page's text, unescaped.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    unescape(&app.get(client, path).await.text().await.expect("page"))
}

/// The table row of job `id` on the jobs page.
fn job_row(html: &str, id: i64) -> String {
    let start = html
        .find(&format!("<tr id=\"job-{id}\""))
        .unwrap_or_else(|| panic!("job {id} is listed: {html}"));
    let end = start + html[start..].find("</tr>").expect("the row ends");
    html[start..end].to_string()
}

fn task(days: i64) -> String {
    format!("Поручение со сроком через {days} дн.")
}

/// A decision led by the Board whose assignments are due in these numbers of days (negative:
/// overdue), the same in every database it is saved to.
async fn deadlines(app: &TestApp, days: &[i64]) {
    let today = OffsetDateTime::now_utc().date();
    let board = Some(Executor {
        body_id: Some(BodyId::parse("board").expect("id")),
        name: "Правление МАГ".into(),
    });
    let decision = NewDecision {
        session: SessionInfo {
            number: 77,
            date: Some(today - time::Duration::days(60)),
            place: "Минск".into(),
        },
        title: "Решение для проверки напоминаний".into(),
        language: "ru".into(),
        source_text: "РЕШЕНИЕ\n".into(),
        controller: board.clone(),
        published: false,
        items: vec![],
        appendices: vec![],
        assignments: days
            .iter()
            .enumerate()
            .map(|(n, days)| NewAssignment {
                item: format!("1.{}", n + 1),
                kind: AssignmentKind::Assignment,
                task: task(*days),
                lead: board.clone(),
                co_executors: vec![],
                deadline: Some(today + time::Duration::days(*days)),
                deadline_text: None,
                recurrence: None,
                doubts: vec![],
            })
            .collect(),
    };
    app.store
        .decisions()
        .save("tests", &decision)
        .await
        .expect("save decision");
}

/// The reminders in the timelines and the record of what was sent: (task, kind).
async fn reminders_of(app: &TestApp) -> Vec<(String, String)> {
    let mut sql = app.sql().await;
    let rows = sql
        .count(
            "SELECT COUNT(*) FROM reminders_sent r JOIN assignment_events e \
             ON r.subject_kind = 'assignment' AND r.subject_id = CAST(e.assignment_id AS TEXT) AND e.kind = r.kind",
        )
        .await;
    let mut reminders = Vec::new();
    let list = app
        .store
        .assignments()
        .list(&Default::default(), OffsetDateTime::now_utc().date())
        .await
        .expect("assignments");
    for assignment in list {
        for event in app
            .store
            .assignments()
            .events(assignment.id)
            .await
            .expect("timeline")
        {
            if matches!(event.kind.as_str(), "reminder" | "overdue") {
                reminders.push((assignment.task.clone(), event.kind.as_str().to_string()));
            }
        }
    }
    reminders.sort();
    assert_eq!(
        usize::try_from(rows).expect("count"),
        reminders.len(),
        "each reminder in a timeline is recorded as sent"
    );
    reminders
}

#[tokio::test]
async fn the_reminders_job_queues_the_reminders_the_scheduler_queued_itself() {
    let days = [3, -2, 30];
    // Before: the scheduler queued them itself.
    let before = spawn_app().await;
    deadlines(&before, &days).await;
    let today = OffsetDateTime::now_utc().date();
    let direct = before
        .store
        .assignments()
        .queue_reminders(today, 7)
        .await
        .expect("reminders");
    let expected = reminders_of(&before).await;
    assert_eq!(expected.len(), direct.due_soon + direct.overdue);
    // Beside the demo organisation's, the one due in three days and the overdue one.
    for (days, kind) in [(3, "reminder"), (-2, "overdue")] {
        assert!(
            expected.contains(&(task(days), kind.to_string())),
            "{days}: {expected:?}"
        );
    }
    assert!(
        !expected.iter().any(|(t, _)| *t == task(30)),
        "{expected:?}"
    );

    // Now: a tick asks for a job, the server's workers run it, the tick reports what it queued.
    let app = spawn_app().await;
    deadlines(&app, &days).await;
    let mut config = SchedulerConfig::new("http://portal.test");
    config.reminder_days = 7;
    config.interval = Duration::from_secs(20);
    let config = Arc::new(config);
    let translations = Arc::new(megapolis_web::Translations::load());
    let report = scheduler::tick(
        app.store.clone(),
        translations.clone(),
        None,
        config.clone(),
    )
    .await;
    assert_eq!(
        report,
        TickReport {
            reminders: direct.due_soon,
            overdue: direct.overdue,
            sent: 0,
            failed: 0
        }
    );
    assert_eq!(reminders_of(&app).await, expected);
    let job = &app.store.jobs().recent(1).await.expect("recent")[0];
    assert_eq!(
        (job.kind.as_str(), job.state),
        ("reminders", JobState::Done)
    );
    assert_eq!(job.created_by, "system:scheduler");
    assert_eq!(
        job.payload,
        json!({ "today": today.to_string(), "days": 7 })
    );
    assert_eq!(
        job.result,
        Some(json!({ "due_soon": direct.due_soon, "overdue": direct.overdue }))
    );

    // The next tick finds nothing new: another job, nothing queued twice.
    let report = scheduler::tick(app.store.clone(), translations, None, config).await;
    assert_eq!(report, TickReport::default());
    assert_eq!(reminders_of(&app).await, expected);
    let kinds: Vec<String> = app
        .store
        .jobs()
        .recent(10)
        .await
        .expect("recent")
        .into_iter()
        .map(|j| j.kind)
        .collect();
    assert_eq!(kinds, ["reminders", "reminders"]);
}

/// The binary, with none of its settings from this environment.
fn megapolis() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_megapolis"));
    for var in [
        "MEGAPOLIS_DATABASE_URL",
        "MEGAPOLIS_ADDR",
        "MEGAPOLIS_DATA_DIR",
        "MEGAPOLIS_WORKERS",
        "MEGAPOLIS_JOB_LEASE_SECONDS",
        "MEGAPOLIS_SCHEDULER_SECONDS",
        "MEGAPOLIS_SMTP_URL",
    ] {
        command.env_remove(var);
    }
    command.stdin(std::process::Stdio::null());
    command
}

#[test]
fn serve_documents_its_workers_and_refuses_none() {
    let help = megapolis().args(["serve", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    for option in [
        "--workers <WORKERS>",
        "MEGAPOLIS_WORKERS",
        "--job-lease-seconds",
    ] {
        assert!(text.contains(option), "{option} in: {text}");
    }
    let refused = megapolis()
        .args(["serve", "--workers", "0"])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("--workers"), "{error}");
}

/// A `megapolis serve` process, stopped when the test ends however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_server_runs_the_reminders_of_its_scheduler_as_jobs() {
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::support::fresh_database_url(dir.path()).await;
    let server = Server(
        megapolis()
            .args(["--database-url", &url, "serve", "--addr", "127.0.0.1:0"])
            .args(["--demo", "--scheduler-seconds", "1", "--workers", "1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    let prefix = format!("{}-", server.0.id());
    let started = Instant::now();
    let job = loop {
        // The server creates and migrates the database first.
        if let Ok(store) = megapolis_storage::Store::connect(&url).await {
            let recent = store.jobs().recent(10).await.unwrap_or_default();
            if let Some(job) = recent.into_iter().find(|j| j.state == JobState::Done) {
                break job;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no reminders job done"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        (job.kind.as_str(), job.created_by.as_str()),
        ("reminders", "system:scheduler")
    );
    let worker = job.worker.unwrap_or_default();
    assert!(worker.starts_with(&prefix), "{worker}: the server's worker");
    let result = job.result.expect("a result");
    assert!(
        result["due_soon"].is_u64() && result["overdue"].is_u64(),
        "{result}"
    );
}

#[tokio::test]
async fn backups_leave_jobs_out_and_a_restore_clears_them() {
    let app = spawn_app().await;
    app.store
        .jobs()
        .enqueue("test-backup", &json!({}), "tests")
        .await
        .expect("enqueue");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("backup.json");
    app.store.backup(&file).await.expect("backup");
    let backup: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("JSON");
    assert!(backup["tables"]["audit_log"].is_array(), "a backup");
    assert!(backup["tables"].get("jobs").is_none(), "without jobs");
    app.store
        .jobs()
        .enqueue("test-backup", &json!({ "after": true }), "tests")
        .await
        .expect("enqueue");
    app.store.restore(&file).await.expect("restore");
    assert_eq!(app.store.jobs().recent(10).await.expect("recent"), vec![]);
}
