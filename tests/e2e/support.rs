//! `spawn_app()`: the real server on a random port of 127.0.0.1, on a fresh database of the
//! backend the environment names, with the demo organisation loaded, and a client that keeps
//! cookies. Set `MEGAPOLIS_TEST_DATABASE_URL=postgres://…` (a server where the user may create
//! databases) to run the same tests on PostgreSQL; without it they run on SQLite.
#![allow(dead_code)]

use megapolis_storage::demo::DEMO_LOGINS;
use megapolis_storage::Store;
use megapolis_web::jobs::WorkerConfig;
use megapolis_web::{Application, Settings};
use sqlx::Connection;

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub database_url: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fresh, empty database URL on the backend under test.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("MEGAPOLIS_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("megapolis_test_{}", &megapolis_web::new_token()[..16]);
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create a test database");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("URL with a database name");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

pub fn backend_under_test() -> &'static str {
    match std::env::var("MEGAPOLIS_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => "postgres",
        _ => "sqlite",
    }
}

/// The real application (`Application::build`, as `megapolis serve` builds it) on a fresh
/// database of the backend under test, with the whole demo organisation, on a random port: for
/// the smoke tests and the stories that walk the demo.
pub async fn spawn_app() -> TestApp {
    spawn(true, None).await
}

/// The real application on an empty database: a test seeds what it needs with
/// [`TestApp::seed_person`] and the store's own API.
pub async fn spawn_empty_app() -> TestApp {
    spawn(false, None).await
}

/// As [`spawn_empty_app`], with the consultations' embeddings endpoint at `url`.
pub async fn spawn_empty_app_with_embeddings(url: &str) -> TestApp {
    spawn(false, Some(url.to_string())).await
}

async fn spawn(demo: bool, embeddings_url: Option<String>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(dir.path()).await;
    let settings = Settings {
        database_url: database_url.clone(),
        address: "127.0.0.1:0".into(),
        demo,
        secure_cookies: false,
        public_url: None,
        issuer_key: None,
        embeddings_url,
        embeddings_model: "multilingual-e5-small".into(),
        // Workers look for work often, so tests do not wait for a job.
        workers: WorkerConfig {
            poll: std::time::Duration::from_millis(100),
            ..WorkerConfig::default()
        },
    };
    let app = Application::build(&settings)
        .await
        .expect("the application builds");
    let base = format!("http://{}", app.address());
    let store = app.store().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        store,
        database_url,
        client: client(),
        _dir: dir,
        shutdown: Some(tx),
    }
}

impl TestApp {
    /// A person of `role` (`admin`, `secretariat`, `body-member`, `city-rep`, `expert`), member of
    /// `body` when given (a body created on the fly, of kind `council`), signed in. Returns the
    /// client and the e-mail.
    pub async fn seed_person(&self, role: &str, body: Option<&str>) -> (reqwest::Client, String) {
        let actor = "tests";
        if let Some(id) = body {
            let id = megapolis_domain::BodyId::parse(id).expect("a body id");
            if self.store.org().body(&id).await.expect("read").is_none() {
                let body = megapolis_domain::body::BodyInput {
                    id: id.as_str().into(),
                    kind: "council".into(),
                    name_ru: format!("Орган {id}"),
                    name_en: format!("Body {id}"),
                    short_ru: String::new(),
                    short_en: String::new(),
                }
                .parse()
                .expect("a body");
                self.store
                    .org()
                    .save_bodies(actor, &[body])
                    .await
                    .expect("save the body");
            }
        }
        let email = format!("{role}-{}@megapolis.test", &megapolis_web::new_token()[..8]);
        let password = "a-seeded-password-2026";
        let draft = megapolis_domain::person::PersonInput {
            email: email.clone(),
            name: format!("Seeded {role}"),
            role: role.into(),
            body: body.unwrap_or_default().into(),
            position: if body.is_some() {
                "member".into()
            } else {
                String::new()
            },
            ..Default::default()
        }
        .parse()
        .expect("a person");
        let hash = megapolis_domain::password::hash_password(password).expect("hash");
        self.store
            .accounts()
            .create_person(actor, &draft, Some(&hash))
            .await
            .expect("save the person");
        (self.login_with(&email, password).await, email)
    }
}

/// A client that keeps cookies and does not follow redirects, so tests see them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The demo login of a role.
pub fn demo_login(role: &str) -> (&'static str, &'static str) {
    let login = DEMO_LOGINS
        .iter()
        .find(|l| l.role == role)
        .unwrap_or_else(|| panic!("no demo login for {role}"));
    (login.email, login.password)
}

/// The `_csrf` value of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a form with _csrf") + marker.len();
    html[start..start + 64].to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn csrf(&self, client: &reqwest::Client, page: &str) -> String {
        let html = self.get(client, page).await.text().await.expect("page");
        csrf_of(&html)
    }

    /// Posts a form with the page's form token, as a browser on this site would.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(client, form_page).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("_csrf", &token));
        client
            .post(self.url(action))
            .header("Origin", &self.base)
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// A new client signed in as the demo person of `role`.
    pub async fn login_as(&self, role: &str) -> reqwest::Client {
        let client = client();
        let (email, password) = demo_login(role);
        let response = self
            .post_form(
                &client,
                "/login",
                "/login",
                &[
                    ("email", email),
                    ("password", password),
                    ("next", "/profile"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "login as {role}");
        client
    }
}

// ---- Helpers of the matrix, flow and operations tests ----

/// The text inside the first element with `id="…"`, e.g. `<code id="new-token">…</code>`.
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker)?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    Some(unescape(html[start..end].trim()))
}

/// Undoes the HTML escaping of a text (`&#x2f;` → `/`, `&amp;` → `&`, …).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `Location` header of a response, or "".
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The `Content-Type` header of a response, or "".
pub fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

impl TestApp {
    /// A new API token of the person signed in on `client`, made on the profile page.
    pub async fn api_token(&self, client: &reqwest::Client) -> String {
        let response = self
            .post_form(client, "/profile", "/profile/tokens", &[("name", "tests")])
            .await;
        assert_eq!(response.status(), 200, "creating an API token");
        let html = response.text().await.expect("profile page");
        let token = element_text(&html, "new-token").expect("the new token on the profile page");
        assert_eq!(token.len(), 64, "token {token:?}");
        token
    }

    /// A new client signed in with these credentials (asserts the login succeeds).
    pub async fn login_with(&self, email: &str, password: &str) -> reqwest::Client {
        let client = client();
        let response = self
            .post_form(
                &client,
                "/login",
                "/login",
                &[
                    ("email", email),
                    ("password", password),
                    ("next", "/profile"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "login as {email}");
        client
    }

    /// Opens a connection of its own to the database under test.
    pub async fn sql(&self) -> Sql {
        Sql::connect(&self.database_url).await
    }
}

/// A direct connection to the test database, for what only a person with database access can do.
pub enum Sql {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Sql {
    pub async fn connect(url: &str) -> Sql {
        if url.starts_with("postgres") {
            Sql::Postgres(
                sqlx::PgConnection::connect(url)
                    .await
                    .expect("connect to PostgreSQL"),
            )
        } else {
            Sql::Sqlite(
                sqlx::SqliteConnection::connect(url)
                    .await
                    .expect("connect to SQLite"),
            )
        }
    }

    /// Runs one statement; `Err` carries the database's message.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, String> {
        match self {
            Sql::Sqlite(c) => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()),
            Sql::Postgres(c) => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()),
        }
        .map_err(|e| e.to_string())
    }

    /// The first column of the first row, as text.
    pub async fn text(&mut self, sql: &str) -> Option<String> {
        match self {
            Sql::Sqlite(c) => sqlx::query_scalar(sql).fetch_optional(c).await,
            Sql::Postgres(c) => sqlx::query_scalar(sql).fetch_optional(c).await,
        }
        .expect("query")
    }

    pub async fn count(&mut self, sql: &str) -> i64 {
        match self {
            Sql::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Sql::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
        .expect("count")
    }
}

/// Posts JSON with a bearer token; the status and the JSON answer (null when there is none).
pub async fn api_post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Gets JSON, with a bearer token when given; the status and the JSON answer.
pub async fn api_get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, serde_json::Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("GET");
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// A new API token of the person who signs in with these credentials.
pub async fn token_of(app: &TestApp, email: &str, password: &str) -> String {
    let client = app.login_with(email, password).await;
    app.api_token(&client).await
}
