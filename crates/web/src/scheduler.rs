//! The scheduler inside the server: on every tick it asks for a `reminders` job, which a job
//! worker runs to queue the reminders of assignments and of monitoring campaigns' cities due soon
//! or overdue (once per subject and deadline, in the store), and, when SMTP is configured, sends what waits in the outbox. A
//! message is marked sent only after the mail server accepted it; a failed one is tried again
//! later with a doubling delay, so nothing is lost while the mail server is down. A failed tick
//! is logged and the next one runs as usual.
use crate::i18n::Translations;
use fluent_bundle::FluentValue;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use megapolis_domain::Lang;
use megapolis_storage::notices::OutgoingMail;
use megapolis_storage::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How many outbox messages one tick sends at most.
const MAIL_BATCH: i64 = 50;

/// The longest delay between two attempts at one message.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(6 * 3600);

/// The mail server and the sender's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `smtp://host:port` (plain, for a relay on the same host or network; `user:password@` may
    /// precede the host), or with the `mail-tls` feature `smtps://host` and
    /// `smtp://host?tls=required` (lettre's URL format).
    pub url: String,
    /// `Megapolis <noreply@example.org>` or a bare address.
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// Time between two ticks; the first runs at start.
    pub interval: Duration,
    /// Remind this many days before a deadline.
    pub reminder_days: i64,
    /// `None`: notifications stay in the inbox and the outbox, no mail is sent.
    pub smtp: Option<SmtpConfig>,
    /// The portal's address as readers reach it, for links in mails (no trailing slash).
    pub public_url: String,
    /// The delay after a first failed delivery; it doubles with every attempt, up to six hours.
    pub retry_base: Duration,
    /// How long one conversation with the mail server may take.
    pub smtp_timeout: Duration,
}

impl SchedulerConfig {
    /// Ticks every five minutes, reminds seven days ahead, retries after a minute, no mail.
    pub fn new(public_url: impl Into<String>) -> SchedulerConfig {
        SchedulerConfig {
            interval: Duration::from_secs(300),
            reminder_days: 7,
            smtp: None,
            public_url: public_url.into(),
            retry_base: Duration::from_secs(60),
            smtp_timeout: Duration::from_secs(30),
        }
    }
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub reminders: usize,
    pub overdue: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Why the scheduler cannot start.
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("mail server URL {url:?}: {reason}")]
    SmtpUrl { url: String, reason: String },
    #[error("sender address {0:?} is not an e-mail address")]
    From(String),
}

/// The mail side: a transport and the sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &SmtpConfig, timeout: Duration) -> Result<Mailer, SchedulerError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|_| SchedulerError::From(config.from.clone()))?;
        Ok(Mailer {
            transport: transport(&config.url, timeout)?,
            from,
        })
    }
}

fn url_error(url: &str, reason: impl Into<String>) -> SchedulerError {
    SchedulerError::SmtpUrl {
        url: redact(url),
        reason: reason.into(),
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn wants_tls(url: &str) -> bool {
    url.starts_with("smtps://") || url.contains("tls=")
}

#[cfg(feature = "mail-tls")]
fn tls_transport(
    url: &str,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SchedulerError> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| url_error(url, e.to_string()))?
        .timeout(Some(timeout))
        .build())
}

#[cfg(not(feature = "mail-tls"))]
fn tls_transport(
    url: &str,
    _timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SchedulerError> {
    Err(url_error(
        url,
        "this build has no TLS for mail; rebuild with --features mail-tls, or relay through a local plain smtp://host:port",
    ))
}

/// A transport for the URL: plain SMTP to `smtp://[user:password@]host[:port]` (port 25 by
/// default), TLS through lettre's URL format when asked for.
fn transport(
    url: &str,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SchedulerError> {
    if wants_tls(url) {
        return tls_transport(url, timeout);
    }
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| url_error(url, "it must start with smtp:// or smtps://"))?;
    let rest = rest.trim_end_matches('/');
    let (credentials, host_port) = match rest.rsplit_once('@') {
        Some((userinfo, host_port)) => {
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            (
                Some(Credentials::new(user.to_string(), password.to_string())),
                host_port,
            )
        }
        None => (None, rest),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<u16>()
                .map_err(|_| url_error(url, format!("port {port:?} is not a number")))?,
        ),
        None => (host_port, 25),
    };
    if host.is_empty() || host.contains('/') || host.contains('?') {
        return Err(url_error(url, "no host name"));
    }
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(timeout));
    if let Some(credentials) = credentials {
        builder = builder.credentials(credentials);
    }
    Ok(builder.build())
}

/// Starts the scheduler on the current runtime. It runs until the runtime stops.
pub fn spawn(
    store: Store,
    translations: Arc<Translations>,
    config: SchedulerConfig,
) -> Result<JoinHandle<()>, SchedulerError> {
    let mailer = match &config.smtp {
        Some(smtp) => Some(Arc::new(Mailer::new(smtp, config.smtp_timeout)?)),
        None => None,
    };
    let config = Arc::new(config);
    Ok(tokio::spawn(async move {
        let mut interval = tokio::time::interval(config.interval);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            // Each tick in its own task: even a panic in one is logged and the loop goes on.
            let tick_run = tokio::spawn(tick(
                store.clone(),
                translations.clone(),
                mailer.clone(),
                config.clone(),
            ));
            match tick_run.await {
                Ok(report) if report != TickReport::default() => {
                    tracing::info!(
                        reminders = report.reminders,
                        overdue = report.overdue,
                        sent = report.sent,
                        failed = report.failed,
                        "scheduler tick"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::error!("scheduler tick stopped: {e}"),
            }
        }
    }))
}

/// One pass: queue reminders, then send what the outbox holds. Errors are logged, not returned:
/// a database or mail server that is down now may be back at the next tick.
///
/// The reminders are a job, asked for only when none is pending, so that servers sharing a
/// database queue them once. The tick waits for it (at most one interval, the delay the outbox
/// would have anyway) so that its reminders go out in this pass.
pub async fn tick(
    store: Store,
    translations: Arc<Translations>,
    mailer: Option<Arc<Mailer>>,
    config: Arc<SchedulerConfig>,
) -> TickReport {
    let mut report = TickReport::default();
    let today = crate::state::today();
    match crate::assignments::reminders::request(
        &store,
        today,
        config.reminder_days,
        config.interval,
    )
    .await
    {
        Ok(Some(queued)) => {
            report.reminders = queued.due_soon;
            report.overdue = queued.overdue;
        }
        Ok(None) => {}
        Err(e) => tracing::error!("scheduler: asking for reminders failed: {e}"),
    }
    let Some(mailer) = mailer else {
        return report;
    };
    let due = match store.notices().mail_due(MAIL_BATCH).await {
        Ok(due) => due,
        Err(e) => {
            tracing::error!("scheduler: reading the outbox failed: {e}");
            return report;
        }
    };
    for mail in due {
        let result = match compose(&mail, &mailer.from, &translations, &config.public_url) {
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let recorded = match &result {
            Ok(()) => {
                report.sent += 1;
                store.notices().mail_sent(mail.id).await
            }
            Err(error) => {
                report.failed += 1;
                let delay = retry_delay(config.retry_base, mail.attempts);
                tracing::warn!(
                    "scheduler: mail {} to {} failed (attempt {}), next try in {} s: {error}",
                    mail.id,
                    mail.to_address,
                    mail.attempts + 1,
                    delay.as_secs()
                );
                store
                    .notices()
                    .mail_failed(
                        mail.id,
                        error,
                        time::Duration::try_from(delay).unwrap_or(time::Duration::HOUR),
                    )
                    .await
            }
        };
        if let Err(e) = recorded {
            tracing::error!("scheduler: recording mail {} failed: {e}", mail.id);
        }
    }
    report
}

/// `base × 2^attempts`, at most six hours.
pub fn retry_delay(base: Duration, attempts: i64) -> Duration {
    let factor = 1u32 << u32::try_from(attempts.clamp(0, 16)).unwrap_or(16);
    base.saturating_mul(factor).min(MAX_RETRY_DELAY)
}

/// The subject and body of a notice's mail: in the recipient's language, then again in the
/// other one (a mail may be forwarded to a colleague who reads the other language).
pub fn mail_text(
    mail: &OutgoingMail,
    translations: &Translations,
    public_url: &str,
) -> (String, String) {
    let n = &mail.notice;
    let title = n.title.trim();
    let short_title: String = {
        let first_line = title.lines().next().unwrap_or_default();
        if first_line.chars().count() > 80 {
            format!(
                "{}…",
                first_line.chars().take(80).collect::<String>().trim_end()
            )
        } else {
            first_line.to_string()
        }
    };
    let message = crate::notices::pages::notice_message(&n.subject_kind, &n.kind);
    let event = |lang: Lang| translations.get(lang, &message, &[]);
    let first = mail.language;
    let subject = translations.get(
        first,
        "mail-subject",
        &[
            ("event", FluentValue::from(event(first))),
            ("task", FluentValue::from(short_title.as_str())),
        ],
    );
    let link =
        (!n.link.is_empty()).then(|| format!("{}{}", public_url.trim_end_matches('/'), n.link));
    let mut body = String::new();
    for lang in [first, first.other()] {
        let t = |key: &str| translations.get(lang, key, &[]);
        body.push_str(&event(lang));
        body.push_str("\n\n");
        if !title.is_empty() {
            let about = t(&format!("mail-about-{}", n.subject_kind));
            body.push_str(&format!("{about}: {title}\n"));
        }
        if !n.text.trim().is_empty() {
            body.push_str(&format!("{}: {}\n", t("mail-comment"), n.text.trim()));
        }
        if let Some(link) = &link {
            body.push_str(&format!("{}: {link}\n", t("mail-open")));
        }
        body.push('\n');
        body.push_str(&t("mail-footer"));
        body.push('\n');
        if lang == first {
            body.push_str("\n----------------------------------------\n\n");
        }
    }
    (subject, body)
}

fn compose(
    mail: &OutgoingMail,
    from: &Mailbox,
    translations: &Translations,
    public_url: &str,
) -> Result<Message, String> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.to_address))?;
    let (subject, body) = mail_text(mail, translations, public_url);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_storage::notices::Notice;

    #[test]
    fn retry_delay_doubles_up_to_six_hours() {
        let base = Duration::from_secs(60);
        assert_eq!(retry_delay(base, 0), Duration::from_secs(60));
        assert_eq!(retry_delay(base, 3), Duration::from_secs(480));
        assert_eq!(retry_delay(base, 40), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(base, -1), base);
    }

    #[test]
    fn smtp_urls() {
        let timeout = Duration::from_secs(1);
        assert!(transport("smtp://127.0.0.1:2525", timeout).is_ok());
        assert!(transport("smtp://user:secret@relay.example", timeout).is_ok());
        assert!(transport("http://relay.example", timeout).is_err());
        assert!(transport("smtp://relay.example:port", timeout).is_err());
        assert!(transport("smtp://", timeout).is_err());
        let message = transport("smtp://u:secret@relay:x", timeout)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!message.contains("secret"), "{message}");
        #[cfg(not(feature = "mail-tls"))]
        assert!(transport("smtps://relay.example", timeout).is_err());
    }

    #[test]
    fn mail_is_in_russian_then_english_with_the_link() {
        let translations = Translations::load();
        let mail = OutgoingMail {
            id: 1,
            to_address: "board@megapolis.example".into(),
            attempts: 0,
            language: Lang::Ru,
            notice: Notice {
                id: 7,
                at: "2026-11-25T09:00:00Z".into(),
                subject_kind: "assignment".into(),
                subject_id: "42".into(),
                kind: "reminder".into(),
                title: "Подготовить обзор цифровых сервисов".into(),
                text: String::new(),
                link: "/assignments/42".into(),
                read: false,
            },
        };
        let (subject, body) = mail_text(&mail, &translations, "https://megapolis.example/");
        assert!(subject.contains("Подготовить обзор"), "{subject}");
        assert!(!subject.contains("assignment-event"), "{subject}");
        let ru = body.find("Поручение:").expect("Russian part");
        let en = body.find("Assignment:").expect("English part");
        assert!(ru < en);
        assert_eq!(
            body.matches("https://megapolis.example/assignments/42")
                .count(),
            2
        );
    }
}
