//! The whole application, built from its settings in one place: `megapolis serve` and every
//! integration test call [`Application::build`], so the tests run exactly what production runs.
use crate::jobs::{kinds, spawn_app_workers, WorkerConfig};
use crate::state::{AppState, WebConfig};
use megapolis_storage::demo::{load_demo, DemoError};
use megapolis_storage::{StorageError, Store};
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// What the portal needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://FILE` or `postgres://…`.
    pub database_url: String,
    /// The address to listen on; port 0 picks a free one.
    pub address: String,
    /// Load the demo organisation into an empty database.
    pub demo: bool,
    pub secure_cookies: bool,
    /// The portal's address as readers reach it, for the links it gives out (invitations,
    /// mails). Default: `http://` and the address it listens on.
    pub public_url: Option<String>,
    /// The workers of background jobs that run beside the server.
    pub workers: WorkerConfig,
    /// The certificates' issuer key (a 32-byte Ed25519 seed in hex); none: the one kept in the
    /// database, made at first start.
    pub issuer_key: Option<String>,
    /// The OpenAI-compatible embeddings endpoint of the consultations' semantic signal (its
    /// base URL, `/embeddings` is added) and the model to ask for; none: lexical signal only.
    pub embeddings_url: Option<String>,
    pub embeddings_model: String,
}

/// Why the application could not start, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error("issuing the demo certificates: {0}")]
    DemoCertificates(String),
    #[error("making the demo competition's collections: {0}")]
    DemoCollections(String),
    #[error("MEGAPOLIS_ISSUER_KEY must be 64 hexadecimal digits (a 32-byte Ed25519 seed)")]
    IssuerKey,
    #[error("cannot listen on {address} (is another server using this port?): {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// A store with its schema up to date, the listening socket and the state every handler shares.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
    workers: WorkerConfig,
}

impl Application {
    /// Connects and migrates the database, loads the demo when asked, binds the address.
    pub async fn build(settings: &Settings) -> Result<Application, BuildError> {
        let store = Store::connect(&settings.database_url).await?;
        store.migrate().await?;
        Application::build_on(store, settings).await
    }

    /// As [`Application::build`], on a store already connected and migrated.
    pub async fn build_on(store: Store, settings: &Settings) -> Result<Application, BuildError> {
        let demo_loaded = settings.demo && load_demo(&store).await?;
        let listener = TcpListener::bind(&settings.address)
            .await
            .map_err(|source| BuildError::Listen {
                address: settings.address.clone(),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| BuildError::Listen {
            address: settings.address.clone(),
            source,
        })?;
        let issuer_seed = crate::training::issuer_seed(&store, settings.issuer_key.as_deref())
            .await?
            .ok_or(BuildError::IssuerKey)?;
        let state = AppState::new(
            store,
            WebConfig {
                secure_cookies: settings.secure_cookies,
                demo: settings.demo,
                public_url: settings
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{address}"))
                    .trim_end_matches('/')
                    .to_string(),
                embeddings: settings.embeddings_url.as_deref().map(|url| {
                    crate::consultations::embeddings::Endpoint::new(url, &settings.embeddings_model)
                }),
            },
            crate::training::Issuer::new(issuer_seed),
        );
        if demo_loaded {
            crate::training::demo_certificates(&state)
                .await
                .map_err(|e| BuildError::DemoCertificates(e.to_string()))?;
            crate::catalogue::collection::make_demo(&state)
                .await
                .map_err(BuildError::DemoCollections)?;
        }
        crate::consultations::embeddings::queue_pending(&state).await?;
        Ok(Application {
            listener,
            address,
            state,
            workers: settings.workers.clone(),
        })
    }

    /// The address it listens on (with the port chosen when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Starts the job workers and serves until `shutdown` resolves, then finishes the requests
    /// in flight and stops the workers (a job they held is taken up again when its lease ends).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let workers = spawn_app_workers(&self.state, kinds(), self.workers);
        let served = crate::serve(self.listener, self.state, shutdown).await;
        for worker in workers {
            worker.abort();
        }
        served
    }
}
