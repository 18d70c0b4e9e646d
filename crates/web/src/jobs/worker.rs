//! The workers. Each claims a job of a kind it knows for a lease, runs the kind's handler in a
//! task of its own, renews the lease while the handler runs and records the outcome. A failed
//! attempt is queued again after a delay that doubles with every attempt, until the job's
//! attempts are spent. A handler that panics fails its job, never its worker. A worker that dies
//! stops renewing its lease, and once the lease has run out another worker takes the job.
use crate::scheduler::retry_delay;
use crate::state::AppState;
use megapolis_storage::jobs::Job;
use megapolis_storage::{StorageError, Store};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::{JoinError, JoinHandle};

/// What one attempt of a handler comes to: the job's result, or why the attempt failed.
pub type Outcome = Result<Value, String>;

type Handler =
    Arc<dyn Fn(JobContext, Value) -> Pin<Box<dyn Future<Output = Outcome> + Send>> + Send + Sync>;

/// A kind of job and the handler that does one attempt of it. A capability lists its kinds in
/// `Capability::jobs`.
#[derive(Clone)]
pub struct JobKind {
    pub name: &'static str,
    handler: Handler,
}

impl JobKind {
    /// `handler(context, payload)`: `Ok(result)` finishes the job, `Err(reason)` fails the attempt.
    pub fn new<F, Fut>(name: &'static str, handler: F) -> JobKind
    where
        F: Fn(JobContext, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        JobKind {
            name,
            handler: Arc::new(move |context, payload| Box::pin(handler(context, payload))),
        }
    }
}

/// What a handler is given beside its payload: the store, the application's state when the
/// workers are the server's, and a way to report progress.
#[derive(Clone)]
pub struct JobContext {
    store: Store,
    app: Option<AppState>,
    id: i64,
    worker: Arc<str>,
    lease: Duration,
}

impl JobContext {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The server's state (its issuer key, its public address…), for the kinds that need more
    /// than the store; `None` for workers started on a bare store.
    pub(crate) fn app(&self) -> Option<&AppState> {
        self.app.as_ref()
    }

    pub fn job_id(&self) -> i64 {
        self.id
    }

    /// Records how far the job is, in percent, and renews the lease. `Err` when the job is no
    /// longer this worker's: the handler should stop (its worker cancels it anyway).
    pub async fn progress(&self, percent: u8) -> Result<(), String> {
        self.store
            .jobs()
            .progress(self.id, &self.worker, percent, self.lease)
            .await
            .map_err(|e| e.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How many jobs this server runs at once.
    pub workers: usize,
    /// How long a claim holds without renewal: a dead worker's job is taken again after it. A
    /// running job's lease is renewed every third of it.
    pub lease: Duration,
    /// How long an idle worker waits before it looks for work again.
    pub poll: Duration,
    /// The delay after a first failed attempt; it doubles with every attempt, up to six hours.
    pub retry_base: Duration,
}

impl Default for WorkerConfig {
    /// Two workers, a lease of a minute, a look for work every second, a retry after 30 s.
    fn default() -> WorkerConfig {
        WorkerConfig {
            workers: 2,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(30),
        }
    }
}

/// Starts `config.workers` workers for `kinds` on the current runtime. They run until the
/// runtime stops or their handles are aborted; aborting one also cancels the handler it runs.
pub fn spawn_workers(
    store: Store,
    kinds: Vec<JobKind>,
    config: WorkerConfig,
) -> Vec<JoinHandle<()>> {
    spawn(store, None, kinds, config)
}

/// The server's workers: as [`spawn_workers`], their handlers given the application's state.
pub(crate) fn spawn_app_workers(
    state: &AppState,
    kinds: Vec<JobKind>,
    config: WorkerConfig,
) -> Vec<JoinHandle<()>> {
    spawn(state.store.clone(), Some(state.clone()), kinds, config)
}

fn spawn(
    store: Store,
    app: Option<AppState>,
    kinds: Vec<JobKind>,
    config: WorkerConfig,
) -> Vec<JoinHandle<()>> {
    let kinds: Arc<HashMap<&'static str, JobKind>> =
        Arc::new(kinds.into_iter().map(|kind| (kind.name, kind)).collect());
    let config = Arc::new(config);
    // Distinct across servers and restarts, and short enough for the jobs page.
    let process = format!("{}-{}", std::process::id(), &crate::new_token()[..6]);
    (1..=config.workers)
        .map(|n| {
            let worker = Worker {
                store: store.clone(),
                app: app.clone(),
                kinds: kinds.clone(),
                config: config.clone(),
                name: Arc::from(format!("{process}-{n}")),
            };
            tokio::spawn(worker.run())
        })
        .collect()
}

/// How often [`wait_for`] looks at the job.
const WAIT_POLL: Duration = Duration::from_millis(100);

/// Waits up to `within` for job `id` to be done or failed. `None` when it is not by then, or
/// cannot be read.
pub async fn wait_for(store: &Store, id: i64, within: Duration) -> Option<Job> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match store.jobs().get(id).await {
            Ok(Some(job)) if job.state.is_final() => return Some(job),
            Ok(Some(_)) => {}
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!("jobs: reading job {id} failed: {e}");
                return None;
            }
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        tokio::time::sleep(WAIT_POLL.min(left)).await;
    }
}

struct Worker {
    store: Store,
    app: Option<AppState>,
    kinds: Arc<HashMap<&'static str, JobKind>>,
    config: Arc<WorkerConfig>,
    name: Arc<str>,
}

/// Aborts the handler's task when dropped: a handler stops with its worker, or when its worker
/// lost the lease.
struct Cancel(JoinHandle<Outcome>);

impl Drop for Cancel {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Worker {
    async fn run(self) {
        let kinds: Vec<&str> = self.kinds.keys().copied().collect();
        loop {
            match self
                .store
                .jobs()
                .claim(&self.name, &kinds, self.config.lease)
                .await
            {
                Ok(Some(job)) => self.attempt(job).await,
                Ok(None) => tokio::time::sleep(self.config.poll).await,
                Err(e) => {
                    tracing::error!("jobs: worker {} cannot claim: {e}", self.name);
                    tokio::time::sleep(self.config.poll).await;
                }
            }
        }
    }

    /// Runs one attempt of `job` and records how it ended.
    async fn attempt(&self, job: Job) {
        let outcome = match self.kinds.get(job.kind.as_str()) {
            Some(kind) => match self.supervise(kind, &job).await {
                Some(outcome) => outcome,
                None => return,
            },
            None => Err(format!("no handler for jobs of kind {:?}", job.kind)),
        };
        let jobs = self.store.jobs();
        let recorded = match outcome {
            Ok(result) => jobs.finish(job.id, &self.name, &result).await,
            Err(error) => {
                let delay = retry_delay(self.config.retry_base, job.attempts - 1);
                jobs.fail(job.id, &self.name, &error, delay)
                    .await
                    .map(|state| {
                        tracing::warn!(
                            "jobs: job {} ({}) attempt {} of {} failed, now {}: {error}",
                            job.id,
                            job.kind,
                            job.attempts,
                            job.max_attempts,
                            state.as_str()
                        );
                    })
            }
        };
        if let Err(e) = recorded {
            tracing::error!("jobs: recording how job {} ended failed: {e}", job.id);
        }
    }

    /// Runs the handler in a task of its own, so that a panic stays there, and renews the lease
    /// while it runs. `None` when the lease was lost: the job is another worker's now, and the
    /// handler is cancelled.
    async fn supervise(&self, kind: &JobKind, job: &Job) -> Option<Outcome> {
        let context = JobContext {
            store: self.store.clone(),
            app: self.app.clone(),
            id: job.id,
            worker: self.name.clone(),
            lease: self.config.lease,
        };
        let mut handler = Cancel(tokio::spawn((kind.handler)(context, job.payload.clone())));
        let every = (self.config.lease / 3).max(Duration::from_millis(10));
        let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                joined = &mut handler.0 => return Some(joined.unwrap_or_else(|e| Err(stopped(e)))),
                _ = heartbeat.tick() => match self.store.jobs().heartbeat(job.id, &self.name, self.config.lease).await {
                    Ok(()) => {}
                    Err(e @ StorageError::LeaseLost { .. }) => {
                        tracing::warn!("jobs: {e}; its handler is cancelled");
                        return None;
                    }
                    // The database may answer again before the lease runs out.
                    Err(e) => tracing::warn!("jobs: renewing the lease on job {} failed: {e}", job.id),
                },
            }
        }
    }
}

/// Why a handler's task ended without an outcome.
fn stopped(error: JoinError) -> String {
    if !error.is_panic() {
        return "the handler was cancelled".into();
    }
    let panic = error.into_panic();
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("the handler panicked: {message}")
}
