//! What every handler shares: the store, the templates and the translations.
use crate::i18n::Translations;
use megapolis_storage::Store;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind HTTPS in production).
    pub secure_cookies: bool,
    /// Shown on pages whose figures are demo values.
    pub demo: bool,
    /// The portal's address as readers reach it, without a trailing `/`.
    pub public_url: String,
    /// Where the consultations' semantic signal gets its embeddings; none: lexical only.
    pub embeddings: Option<crate::consultations::embeddings::Endpoint>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub(crate) templates: Arc<minijinja::Environment<'static>>,
    /// The interface strings, for texts made in Rust (report labels, e-mails).
    pub i18n: Arc<Translations>,
    /// The last dashboard figures, reused while the data has not changed.
    pub(crate) dashboard_cache: Arc<crate::control::DashboardCache>,
    /// The search index of the published catalogue, rebuilt when the catalogue changes.
    pub(crate) catalogue_search: Arc<crate::catalogue::index::SearchCache>,
    /// The similarity index of each consultation, rebuilt when its submissions change.
    pub(crate) similarity_cache: Arc<crate::consultations::index::IndexCache>,
    /// The calendar feeds of the plan of events, kept while the approved plans have not changed.
    pub(crate) events_feeds: Arc<crate::events::cache::StampCache>,
    /// The public plan pages for visitors not signed in, kept likewise.
    pub(crate) events_pages: Arc<crate::events::cache::StampCache>,
    /// The association's key that signs certificates.
    pub(crate) issuer: Arc<crate::training::Issuer>,
    /// The navigation entries every capability registered.
    pub(crate) nav: Arc<Vec<crate::capability::NavEntry>>,
}

impl AppState {
    pub(crate) fn new(
        store: Store,
        config: WebConfig,
        issuer: crate::training::Issuer,
    ) -> AppState {
        let i18n = Arc::new(Translations::load());
        AppState {
            store,
            config: Arc::new(config),
            templates: Arc::new(crate::templates::environment(i18n.clone())),
            i18n,
            dashboard_cache: Arc::default(),
            catalogue_search: Arc::default(),
            similarity_cache: Arc::default(),
            events_feeds: Arc::default(),
            events_pages: Arc::default(),
            issuer: Arc::new(issuer),
            nav: Arc::new(
                crate::capabilities()
                    .into_iter()
                    .flat_map(|c| c.nav)
                    .collect(),
            ),
        }
    }
}

impl AppState {
    /// `path` as a full address to hand to someone outside the site.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{path}", self.config.public_url)
    }
}

/// The day (UTC) from which deadlines count as overdue or due soon, for every page and the
/// scheduler alike.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
