//! End-to-end flows in headless Chromium (Debian's `chromium` and `chromium-driver`) driven over
//! WebDriver with fantoccini: signing in as every demo role, switching the language, editing a
//! city as administrator and finding the change in the audit log, and a malformed form.
//!
//! One chromedriver process and one server serve the whole module; each scenario opens its own
//! browser session with a fresh profile, so cookies never leak between scenarios. Without
//! Chromium the module skips loudly, unless `CI` is set: then it fails, because CI must install
//! them (the test script does).
use crate::support::{demo_login, spawn_app, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use megapolis_storage::demo::DEMO_LOGINS;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const WAIT: Duration = Duration::from_secs(15);

fn chromium_path() -> PathBuf {
    std::env::var_os("MEGAPOLIS_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn chromedriver_path() -> PathBuf {
    std::env::var_os("MEGAPOLIS_CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from)
}

/// True when the browser tools are installed. When they are not: a failure under CI, a loud
/// skip line elsewhere.
fn browser_available() -> bool {
    let missing: Vec<String> = [chromium_path(), chromedriver_path()]
        .into_iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "browser tests need Debian's chromium and chromium-driver; missing: {}",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message} (CI is set, so this is a failure: install them with `apt-get install -y chromium chromium-driver`)");
    }
    eprintln!("\n**********************************************************************");
    eprintln!("SKIPPED: {message}");
    eprintln!("**********************************************************************\n");
    false
}

/// A chromedriver on a free port of 127.0.0.1, killed when dropped.
pub(crate) struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(chromedriver_path())
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start chromedriver");
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let status = format!("{}/status", driver.url);
        let http = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(response) = http.get(&status).send().await {
                if response.status().is_success() {
                    return driver;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {status} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new browser session: headless Chromium with a fresh profile, asking for English pages.
    pub(crate) async fn session(&self, profile: &Path) -> Client {
        let options = serde_json::json!({
            "binary": chromium_path(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", format!("--user-data-dir={}", profile.display()),
                "--window-size=1280,900", "--lang=en-US",
            ],
            "prefs": { "intl.accept_languages": "en-US,en" },
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The page's text under a CSS selector, waiting for it to appear.
pub(crate) async fn text_of(browser: &Client, css: &str) -> String {
    match browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element.text().await.expect("element text"),
        Err(e) => {
            let url = browser
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let html = browser.source().await.unwrap_or_default();
            panic!("no `{css}` on {url}: {e}\n{html}")
        }
    }
}

pub(crate) async fn path_of(browser: &Client) -> String {
    browser
        .current_url()
        .await
        .expect("current URL")
        .path()
        .to_string()
}

/// Waits until the browser is on `path` (after a click that navigates).
pub(crate) async fn wait_for_path(browser: &Client, path: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = path_of(browser).await;
        if now == path {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected to reach {path}, still on {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn click(browser: &Client, css: &str) {
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("nothing to click at `{css}`: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
}

pub(crate) async fn fill(browser: &Client, css: &str, value: &str) {
    let input = browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field `{css}`: {e}"));
    input.clear().await.expect("clear field");
    input.send_keys(value).await.expect("type into field");
}

pub(crate) async fn value_of(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field `{css}`: {e}"))
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// The English label of a role, from the translation file the portal uses.
fn english_role(role: &str) -> String {
    let key = format!("role-{role} = ");
    include_str!("../../crates/web/locales/en.ftl")
        .lines()
        .find_map(|line| line.strip_prefix(&key))
        .unwrap_or_else(|| panic!("no {key} in en.ftl"))
        .trim()
        .to_string()
}

/// Signs in through the login form and lands on the profile.
pub(crate) async fn sign_in(browser: &Client, app: &TestApp, email: &str, password: &str) {
    browser
        .goto(&app.url("/login?next=/profile"))
        .await
        .expect("open /login");
    fill(browser, "#f-email", email).await;
    fill(browser, "#f-password", password).await;
    click(browser, "form[action='/login'] button[type=submit]").await;
    wait_for_path(browser, "/profile").await;
}

/// Chooses `value` in the list at `css`.
pub(crate) async fn select(browser: &Client, css: &str, value: &str) {
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no list `{css}`: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in `{css}`: {e}"));
}

/// Clicks a form's button and waits for the page it leads to; returns what that page says was
/// done.
pub(crate) async fn send(browser: &Client, button: &str) -> String {
    // The page the form is on, which goes stale once the next one replaces it (that one may have
    // the same address and message: a second save).
    let before = browser
        .find(Locator::Css("html"))
        .await
        .expect("the page of the form");
    click(browser, button).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let url = browser.current_url().await.expect("current URL");
        let left = before.tag_name().await.is_err();
        if left && url.query().is_some_and(|q| q.contains("done=")) {
            return text_of(browser, "#done").await;
        }
        let refused = left && browser.find(Locator::Css("#error-summary")).await.is_ok();
        assert!(
            !refused && Instant::now() < deadline,
            "`{button}` did not lead to a done page, still on {url}: {}",
            browser.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn open_page(browser: &Client, app: &TestApp, path: &str) {
    browser
        .goto(&app.url(path))
        .await
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
}

/// A new browser session with a fresh profile, signed in; keep the profile while it is used.
pub(crate) async fn signed_in(
    driver: &ChromeDriver,
    app: &TestApp,
    email: &str,
    password: &str,
) -> (Client, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = driver.session(profile.path()).await;
    sign_in(&browser, app, email, password).await;
    (browser, profile)
}

/// Scenario (a): every demo role signs in, sees its role on the profile and signs out.
async fn every_role_signs_in_and_out(driver: &ChromeDriver, app: &TestApp) {
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = driver.session(profile.path()).await;
    for login in DEMO_LOGINS {
        sign_in(&browser, app, login.email, login.password).await;
        let role = text_of(&browser, "#profile-role").await;
        assert_eq!(
            role,
            english_role(login.role),
            "role shown for {}",
            login.email
        );
        assert_eq!(
            text_of(&browser, "#profile-link").await,
            login.name,
            "name in the header for {}",
            login.email
        );
        click(&browser, "form[action='/logout'] button[type=submit]").await;
        wait_for_path(&browser, "/").await;
        text_of(&browser, "#login-link").await;
        // Signed out for real: the profile now asks to sign in.
        browser
            .goto(&app.url("/profile"))
            .await
            .expect("open /profile");
        wait_for_path(&browser, "/login").await;
    }
    browser.close().await.expect("close the browser");
}

/// Scenario (b): the header link switches to Russian and back, and the choice is remembered.
async fn language_switch_is_remembered(driver: &ChromeDriver, app: &TestApp) {
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = driver.session(profile.path()).await;
    browser.goto(&app.url("/")).await.expect("open /");
    assert_eq!(
        text_of(&browser, "h1").await,
        "International Assembly of Capitals and Major Cities"
    );
    assert_eq!(text_of(&browser, "header a.lang").await, "Русский");
    std::fs::write(
        "/tmp/megapolis-home.png",
        browser.screenshot().await.expect("screenshot"),
    )
    .expect("save screenshot");

    click(&browser, "header a.lang").await;
    wait_for_path(&browser, "/").await;
    let deadline = Instant::now() + WAIT;
    while text_of(&browser, "h1").await != "Международная ассамблея столиц и крупных городов"
    {
        assert!(
            Instant::now() < deadline,
            "the home page did not turn Russian"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(text_of(&browser, "header a.lang").await, "English");
    let html_lang = browser
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("lang");
    assert_eq!(html_lang.as_deref(), Some("ru"));

    // The next page, reached by a plain link, is still in Russian.
    click(&browser, "header nav a[href='/cities']").await;
    wait_for_path(&browser, "/cities").await;
    assert_eq!(text_of(&browser, "h1").await, "Города-участники");
    assert!(text_of(&browser, "main").await.contains("Москва"));

    // And back to English, staying on the same page.
    click(&browser, "header a.lang").await;
    wait_for_path(&browser, "/cities").await;
    let deadline = Instant::now() + WAIT;
    while text_of(&browser, "h1").await != "Member cities" {
        assert!(
            Instant::now() < deadline,
            "the cities page did not turn English"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(text_of(&browser, "main").await.contains("Moscow"));
    std::fs::write(
        "/tmp/megapolis-cities.png",
        browser.screenshot().await.expect("screenshot"),
    )
    .expect("save screenshot");
    browser.close().await.expect("close the browser");
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Scenarios (c) and (d): the administrator edits Moscow's population, sees it on the city page
/// and in the audit log; then a malformed form comes back with the error beside the field and
/// what was typed, in English and in Russian.
async fn admin_edits_a_city(driver: &ChromeDriver, app: &TestApp) {
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = driver.session(profile.path()).await;
    let (email, password) = demo_login("admin");
    sign_in(&browser, app, email, password).await;

    browser
        .goto(&app.url("/admin/cities"))
        .await
        .expect("open /admin/cities");
    click(&browser, "a[href='/admin/cities/moscow/edit']").await;
    wait_for_path(&browser, "/admin/cities/moscow/edit").await;
    let old: i64 = value_of(&browser, "#f-population")
        .await
        .parse()
        .expect("population is a number");
    let new = old + 4321;
    fill(&browser, "#f-population", &new.to_string()).await;
    click(&browser, "form.form button[type=submit]").await;
    wait_for_path(&browser, "/cities/moscow").await;
    assert_eq!(text_of(&browser, "h1").await, "Moscow");
    let shown = text_of(&browser, "dl.facts dd").await;
    assert_eq!(
        digits(&shown),
        new.to_string(),
        "population on the city page: {shown:?}"
    );
    let facts = browser
        .find_all(Locator::Css("dl.facts dd"))
        .await
        .expect("facts");
    let since = facts[2].text().await.expect("member since");
    let iso = since.len() == 10
        && since.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    assert!(iso, "membership date shown as YYYY-MM-DD, not {since:?}");

    browser
        .goto(&app.url("/admin/audit?entity=city&entity_id=moscow"))
        .await
        .expect("open the audit log");
    let rows = text_of(&browser, "table.audit tbody").await;
    let latest = text_of(&browser, "table.audit tbody tr").await;
    assert!(
        latest.contains(email),
        "the latest city change is by {email}: {latest}"
    );
    assert!(
        latest.contains("population") && latest.contains(&format!("{old} → {new}")),
        "the latest audit row holds the value before ({old}) and after ({new}): {rows}"
    );

    // (d) A malformed population: the form comes back with the message beside the field, the
    // typed text kept, and the other fields as they were.
    browser
        .goto(&app.url("/admin/cities/moscow/edit"))
        .await
        .expect("open the edit form");
    fill(&browser, "#f-population", "lots of people").await;
    fill(&browser, "#f-name_en", "Moscow (typed)").await;
    click(&browser, "form.form button[type=submit]").await;
    assert_eq!(
        text_of(&browser, ".field.invalid #e-population").await,
        "Enter a whole number."
    );
    assert_eq!(path_of(&browser).await, "/admin/cities/moscow/edit");
    assert_eq!(value_of(&browser, "#f-population").await, "lots of people");
    assert_eq!(value_of(&browser, "#f-name_en").await, "Moscow (typed)");
    let described = browser
        .find(Locator::Css("#f-population"))
        .await
        .expect("population field")
        .attr("aria-describedby")
        .await
        .expect("attribute");
    assert_eq!(
        described.as_deref(),
        Some("e-population"),
        "the error is tied to its field"
    );
    // The summary at the top links to the field in error.
    click(&browser, "#error-summary a[href='#f-population']").await;
    let url = browser.current_url().await.expect("url");
    assert_eq!(
        url.fragment(),
        Some("f-population"),
        "the summary's link leads to the field"
    );

    // The same in Russian.
    click(&browser, "header a.lang").await;
    wait_for_path(&browser, "/admin/cities/moscow/edit").await;
    text_of(&browser, "html[lang=ru] #f-population").await;
    fill(&browser, "#f-population", "много").await;
    click(&browser, "form.form button[type=submit]").await;
    assert_eq!(
        text_of(&browser, ".field.invalid #e-population").await,
        "Введите целое число."
    );
    assert_eq!(value_of(&browser, "#f-population").await, "много");

    // Nothing malformed was saved.
    browser
        .goto(&app.url("/cities/moscow"))
        .await
        .expect("open the city page");
    assert_eq!(
        digits(&text_of(&browser, "dl.facts dd").await),
        new.to_string()
    );
    browser.close().await.expect("close the browser");
}

/// A decision of our own for the browser flow: the Secretariat leads item 1.1, the Board controls.
/// Indented with spaces: a tab typed into a page moves the focus out of the text area.
const FLOW_DECISION: &str = "РЕШЕНИЕ
Сороковой сессии Ассоциации
«Международная Ассамблея столиц и крупных городов» (МАГ)

    10 ноября 2026 года
    Алматы

1. О цифровых сервисах городов.
1.1. Секретариату МАГ до 1 декабря 2027 года подготовить обзор цифровых сервисов городов – членов МАГ.
1.2. Одобрить перечень приоритетных сервисов.
Контроль за выполнением настоящего решения возложить на Правление МАГ.";

/// Follows a background job after its button was clicked: the button leads to the job's row
/// on /jobs (`/jobs#job-N`), which is reloaded until the job of `kind` is done.
pub(crate) async fn follow_job(browser: &Client, kind: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if path_of(browser).await == "/jobs" {
            break;
        }
        assert!(Instant::now() < deadline, "the button led nowhere");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fragment = browser
        .current_url()
        .await
        .expect("URL")
        .fragment()
        .map(str::to_string)
        .expect("the job's row in the address");
    let job = format!("#{fragment}");
    assert!(text_of(browser, &job).await.contains(kind));
    loop {
        let state = text_of(browser, &format!("{job} .job-state")).await;
        if state == "done" {
            break;
        }
        assert_ne!(state, "failed", "{}", text_of(browser, &job).await);
        assert!(Instant::now() < deadline, "the job is still {state}");
        tokio::time::sleep(Duration::from_millis(250)).await;
        browser.refresh().await.expect("reload /jobs");
    }
    assert!(text_of(browser, &format!("{job} .job-progress"))
        .await
        .contains("100 %"));
}

/// Waits until the text under `css` is `expected`: after a form is sent, the old page (which
/// has the same element) may still be showing for a moment.
pub(crate) async fn wait_for_text(browser: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        // The element may belong to the page being left: read it afresh each time.
        let now = match browser.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected `{css}` to read {expected:?}, still {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The number of a dashboard card (`<span class="count" id="…">N</span>`).
async fn dashboard_count(browser: &Client, app: &TestApp, css: &str) -> i64 {
    browser
        .goto(&app.url("/control"))
        .await
        .expect("open /control");
    let text = text_of(browser, css).await;
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("a count in {css}: {text:?}"))
}

/// Scenario (d), the whole control of execution: the Secretariat imports a decision and confirms
/// it; the Secretariat (the lead body) reports; the Board (the controlling body) accepts; the
/// dashboard and the public page follow.
async fn a_decision_from_text_to_accepted_report(driver: &ChromeDriver, app: &TestApp) {
    let profile = tempfile::tempdir().expect("profile dir");
    let secretariat = driver.session(profile.path()).await;
    let (email, password) = demo_login("secretariat");
    sign_in(&secretariat, app, email, password).await;
    let accepted_before = dashboard_count(&secretariat, app, "#count-state-accepted").await;

    secretariat
        .goto(&app.url("/decisions/import"))
        .await
        .expect("open the import page");
    fill(&secretariat, "#f-text", FLOW_DECISION).await;
    click(
        &secretariat,
        "form[action='/decisions/import'] button[type=submit]",
    )
    .await;
    // The review: the proposed structure beside the text, then confirm as proposed (published).
    text_of(&secretariat, "#confirm-button").await;
    assert_eq!(value_of(&secretariat, "#f-number").await, "40");
    let published = secretariat
        .find(Locator::Css("input[name='published']"))
        .await
        .expect("the publish checkbox");
    if published.prop("checked").await.expect("checked").as_deref() != Some("true") {
        published.click().await.expect("tick publish");
    }
    click(&secretariat, "#confirm-button").await;
    // The review page is /decisions/import; the saved decision is /decisions/<id>.
    let deadline = Instant::now() + WAIT;
    let decision_path = loop {
        let path = path_of(&secretariat).await;
        let saved = path
            .strip_prefix("/decisions/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        if saved {
            break path;
        }
        assert!(
            Instant::now() < deadline,
            "the confirm did not reach the decision page, still on {path}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let public_row = "tr.assignment .state";
    wait_for_text(&secretariat, public_row, "New").await;

    // The lead body's member reports on the assignment page.
    click(&secretariat, "tr.assignment a[href^='/assignments/']").await;
    fill(
        &secretariat,
        "#report-text",
        "Обзор подготовлен: 42 сервиса 19 городов.",
    )
    .await;
    fill(&secretariat, "#report-progress", "100").await;
    click(&secretariat, "#form-report button[type=submit]").await;
    wait_for_text(&secretariat, "#state", "Report submitted").await;
    let assignment_path = path_of(&secretariat).await;

    // The Board's member accepts.
    let board_profile = tempfile::tempdir().expect("profile dir");
    let board = driver.session(board_profile.path()).await;
    let (email, password) = demo_login("body-member");
    sign_in(&board, app, email, password).await;
    board
        .goto(&app.url(&assignment_path))
        .await
        .expect("open the assignment");
    assert!(text_of(&board, ".timeline")
        .await
        .contains("Обзор подготовлен: 42 сервиса 19 городов."));
    click(&board, "#do-accept").await;
    wait_for_text(&board, "#state", "Accepted").await;

    // The dashboard counts one more accepted assignment; the public page shows it, without
    // the report's text.
    assert_eq!(
        dashboard_count(&board, app, "#count-state-accepted").await,
        accepted_before + 1
    );
    let anonymous_profile = tempfile::tempdir().expect("profile dir");
    let anonymous = driver.session(anonymous_profile.path()).await;
    anonymous
        .goto(&app.url(&decision_path))
        .await
        .expect("open the public page");
    wait_for_text(&anonymous, public_row, "Accepted").await;
    let page = anonymous.source().await.expect("page source");
    assert!(
        !page.contains("Обзор подготовлен"),
        "the report stays internal"
    );
    for browser in [secretariat, board, anonymous] {
        browser.close().await.expect("close the browser");
    }
}

/// The blocks laid side by side (action forms, form columns, filters) that overlap one another,
/// or whose fields stick out of them: what a reader sees as boxes drawn over each other.
const OVERLAPS_JS: &str = "
const bad = [];
for (const parent of document.querySelectorAll('.actions, .cols, .form.filters')) {
  const kids = [...parent.children].filter(k => k.offsetParent !== null);
  const rects = kids.map(k => k.getBoundingClientRect());
  const name = k => k.id || k.className || k.tagName;
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
          && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) {
        bad.push(name(kids[i]) + ' overlaps ' + name(kids[j]));
      }
    }
    for (const d of kids[i].querySelectorAll('input, textarea, select, button, fieldset')) {
      const r = d.getBoundingClientRect();
      if (r.width > 0 && r.right > rects[i].right + 1) {
        bad.push((d.id || d.tagName) + ' sticks out of ' + name(kids[i]));
      }
    }
  }
}
return bad;";

/// Every page, signed in as the Secretariat (who sees the most), fits a phone (390 px) and a
/// laptop (1366 px) without a horizontal scroll bar or boxes drawn over each other, in both
/// languages.
async fn every_page_fits_phone_and_laptop_widths(driver: &ChromeDriver, app: &TestApp) {
    let profile = tempfile::tempdir().expect("profile");
    let browser = driver.session(profile.path()).await;
    let (email, password) = crate::support::demo_login("secretariat");
    sign_in(&browser, app, email, password).await;
    // An assignment the Secretariat leads and corrects: the page with the most action forms.
    let led = crate::assignments::demo_assignment(app, 32, "ru", "1.2").await;
    let led_page = format!("/assignments/{}", led.id);
    let pages = [
        led_page.as_str(),
        "/",
        "/cities",
        "/cities/moscow",
        "/bodies",
        "/bodies/board",
        "/decisions",
        "/decisions/1",
        "/decisions/import",
        "/assignments",
        "/assignments/1",
        "/control",
        "/inbox",
        "/profile",
        "/jobs",
        "/monitoring",
        "/monitoring/editions/1",
        "/monitoring/editions/1?sort=Services",
        "/monitoring/editions/1/cities/moscow",
        "/monitoring/editions/1/compare?cities=moscow,minsk,bishkek,astana",
        "/monitoring/editions/1/methodology",
        "/monitoring/editions/1/edit",
        "/monitoring/editions/1/nodes/Index",
        "/monitoring/campaigns",
        "/monitoring/campaigns/1",
        "/monitoring/campaigns/1/cities/minsk",
        "/monitoring/trends?cities=moscow,minsk",
        "/consultations",
        "/consultations/1",
        "/consultations/1/generalised/1",
        "/consultations/1/plans/1",
        "/consultations/1/plans/2",
        "/consultations/mine",
        "/priorities",
        "/admin/cities",
        "/admin/cities/new",
        "/admin/bodies",
        "/catalogue",
        "/catalogue/1",
        "/catalogue/promotion",
        "/catalogue/promotion/concepts/1",
        "/competitions",
        "/competitions/1",
        "/competitions/entries/1",
        // An open call's draft: its edit and upload forms.
        "/competitions/entries/19",
        "/training",
        "/training/cohorts/3",
        "/training/reports",
        "/events",
        "/events/proposals",
        "/events/plans",
        "/events/plans/2",
        "/events/7",
        "/events/cities/minsk",
        "/decisions/2",
    ];
    let mut too_wide = Vec::new();
    for lang in ["ru", "en"] {
        browser
            .goto(&app.url(&format!("/lang/{lang}?back=/")))
            .await
            .expect("switch language");
        for (width, height) in [(390, 844), (1366, 900)] {
            browser
                .set_window_size(width, height)
                .await
                .expect("window size");
            for page in &pages {
                browser.goto(&app.url(page)).await.expect("open page");
                let sizes = browser
                    .execute(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                        vec![],
                    )
                    .await
                    .expect("measure");
                let scroll = sizes[0].as_f64().unwrap_or(0.0);
                let client = sizes[1].as_f64().unwrap_or(0.0);
                if scroll > client + 1.0 {
                    too_wide.push(format!("{page} ({lang}, {width} px): {scroll} > {client}"));
                }
                let overlaps = browser
                    .execute(OVERLAPS_JS, vec![])
                    .await
                    .expect("measure boxes");
                for overlap in overlaps.as_array().into_iter().flatten() {
                    too_wide.push(format!(
                        "{page} ({lang}, {width} px): {}",
                        overlap.as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    browser.close().await.expect("close");
    assert!(
        too_wide.is_empty(),
        "pages wider than the screen: {too_wide:#?}"
    );
}

/// axe-core from its npm package (`scripts/test.sh` installs it); `None` when it is not installed
/// and the test command did not ask for it.
fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var_os("MEGAPOLIS_REQUIRE_AXE").is_none() => {
            eprintln!(
                "axe-core is not installed ({}); accessibility checks skipped",
                path.display()
            );
            None
        }
        Err(e) => panic!("axe-core is required: {}: {e}", path.display()),
    }
}

/// Every page in both languages, anonymous and as the Secretariat, has no serious or critical
/// accessibility violation that axe-core finds (WCAG 2 A and AA rules).
async fn every_page_passes_axe(driver: &ChromeDriver, app: &TestApp) {
    let Some(axe) = axe_source() else {
        return;
    };
    let profile = tempfile::tempdir().expect("profile");
    let browser = driver.session(profile.path()).await;
    let public = [
        "/",
        "/cities",
        "/cities/moscow",
        "/bodies",
        "/bodies/board",
        "/decisions",
        "/decisions/1",
        "/monitoring",
        "/monitoring/editions/1",
        "/monitoring/editions/1/cities/moscow",
        "/monitoring/editions/1/compare?cities=moscow,minsk",
        "/monitoring/editions/1/methodology",
        "/monitoring/trends?cities=moscow",
        "/consultations",
        "/consultations/1",
        "/consultations/1/generalised/1",
        "/priorities",
        "/training/reports",
        "/catalogue/1",
        "/competitions",
        "/competitions/1",
        "/competitions/entries/1",
        "/events",
        "/events/plans/2",
        "/events/7",
        "/events/cities/minsk",
        "/decisions/2",
        "/login",
    ];
    let staff = [
        "/assignments",
        "/assignments/1",
        "/control",
        "/inbox",
        "/profile",
        "/jobs",
        "/decisions/import",
        "/monitoring",
        "/monitoring/editions/1",
        "/monitoring/editions/1/cities/moscow",
        "/monitoring/editions/1/edit",
        "/monitoring/editions/1/nodes/Index",
        "/monitoring/campaigns",
        "/monitoring/campaigns/1",
        "/monitoring/campaigns/1/cities/minsk",
        "/consultations",
        "/consultations/1",
        "/consultations/1/generalised/1",
        "/consultations/1/plans/1",
        "/consultations/1/plans/2",
        "/consultations/mine",
        "/priorities",
        "/training",
        "/training/cohorts/3",
        "/catalogue/1",
        "/catalogue/promotion",
        "/catalogue/promotion/concepts/1",
        "/competitions",
        "/competitions/1",
        "/competitions/entries/1",
        // An open call's draft: its edit and upload forms.
        "/competitions/entries/19",
        "/events/proposals",
        "/events/plans",
        "/events/plans/2",
        "/events/7",
        "/admin/cities",
        "/admin/cities/new",
        "/admin/bodies",
        "/admin/people",
        "/admin/people/1/edit",
        "/admin/audit",
    ];
    let mut violations = Vec::new();
    for signed_in in [false, true] {
        if signed_in {
            let (email, password) = crate::support::demo_login("admin");
            sign_in(&browser, app, email, password).await;
        }
        let pages: Vec<&str> = if signed_in {
            staff.to_vec()
        } else {
            public.to_vec()
        };
        for lang in ["ru", "en"] {
            browser
                .goto(&app.url(&format!("/lang/{lang}?back=/")))
                .await
                .expect("switch language");
            for page in &pages {
                browser.goto(&app.url(page)).await.expect("open page");
                browser
                    .execute(&axe, vec![])
                    .await
                    .expect("inject axe-core");
                let found = browser
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then(r => done(
                           r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                             .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))));",
                        vec![],
                    )
                    .await
                    .expect("run axe-core");
                for violation in found.as_array().into_iter().flatten() {
                    violations.push(format!(
                        "{page} ({lang}): {}",
                        violation.as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    browser.close().await.expect("close");
    assert!(
        violations.is_empty(),
        "accessibility violations: {violations:#?}"
    );
}

/// The whole browser module in one test: one chromedriver, one server, scenarios in sequence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_flows() {
    if !browser_available() {
        return;
    }
    let started = Instant::now();
    let driver = ChromeDriver::start().await;
    let app = spawn_app().await;
    crate::monitoring::ensure_published_edition(&app).await;
    every_role_signs_in_and_out(&driver, &app).await;
    language_switch_is_remembered(&driver, &app).await;
    admin_edits_a_city(&driver, &app).await;
    a_decision_from_text_to_accepted_report(&driver, &app).await;
    crate::monitoring::browser::a_whole_campaign(&driver, &app).await;
    crate::training::browser::nomination_to_verified_certificate(&driver, &app).await;
    crate::catalogue::competition_browser::call_to_published_winner(&driver, &app).await;
    crate::consultations::browser::from_submission_to_assignment(&driver, &app).await;
    crate::events::browser::proposal_to_approved_plan_in_the_feed(&driver, &app).await;
    every_page_fits_phone_and_laptop_widths(&driver, &app).await;
    every_page_passes_axe(&driver, &app).await;
    eprintln!(
        "browser flows passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
