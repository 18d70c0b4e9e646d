//! Operations: the audit chain under tampering, backup and restore, the two schemas kept in
//! step, and the `megapolis` binary as an operator runs it.
use crate::support::{fresh_database_url, spawn_app, Sql, TestApp};
use megapolis_domain::ChainBreak;
use megapolis_storage::audit::ChainReport;
use megapolis_storage::{StorageError, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn code(text: &str) -> megapolis_domain::CityCode {
    megapolis_domain::CityCode::parse(text).expect("code")
}

/// Changes a city's population through the store, as any edit would.
async fn set_population(store: &Store, city: &str, population: i64) {
    let mut stored = store
        .org()
        .city(&code(city))
        .await
        .expect("read")
        .expect("city");
    stored.population = Some(population);
    store
        .org()
        .save_city("ops@example.org", &stored)
        .await
        .expect("save");
}

async fn population(store: &Store, city: &str) -> Option<i64> {
    store
        .org()
        .city(&code(city))
        .await
        .expect("read")
        .expect("city")
        .population
}

async fn intact_count(store: &Store) -> u64 {
    match store.audit().verify_chain().await.expect("verify") {
        ChainReport::Intact { records } => records,
        ChainReport::Broken(broken) => panic!("the audit chain is broken: {broken}"),
    }
}

async fn audit_count(app: &TestApp) -> i64 {
    app.sql()
        .await
        .count("SELECT COUNT(*) FROM audit_log")
        .await
}

/// Lifts the append-only protection, as someone with direct database access could.
async fn disable_audit_protection(sql: &mut Sql) {
    let statements: &[&str] = match sql {
        Sql::Sqlite(_) => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Sql::Postgres(_) => &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"],
    };
    for statement in statements {
        sql.execute(statement).await.expect("lift the protection");
    }
}

#[tokio::test]
async fn audit_verify_finds_an_altered_record() {
    let app = spawn_app().await;
    set_population(&app.store, "moscow", 13_200_000).await;
    set_population(&app.store, "minsk", 2_000_000).await;
    let records = intact_count(&app.store).await;
    assert!(
        records > 40,
        "demo data and the edits are recorded: {records}"
    );

    let mut sql = app.sql().await;
    disable_audit_protection(&mut sql).await;
    // Someone rewrites history: record 5 now says something else.
    let changed = sql
        .execute("UPDATE audit_log SET after_json = '{\"population\":1}' WHERE id = 5")
        .await
        .expect("tamper");
    assert_eq!(changed, 1);
    match app.store.audit().verify_chain().await.expect("verify") {
        ChainReport::Broken(ChainBreak::Altered { id }) => assert_eq!(id, 5),
        other => panic!("expected record 5 to be reported altered, got {other:?}"),
    }
}

#[tokio::test]
async fn audit_verify_finds_an_altered_actor_and_unparseable_json() {
    let app = spawn_app().await;
    let mut sql = app.sql().await;
    disable_audit_protection(&mut sql).await;
    sql.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 12")
        .await
        .expect("tamper");
    match app.store.audit().verify_chain().await.expect("verify") {
        ChainReport::Broken(ChainBreak::Altered { id }) => assert_eq!(id, 12),
        other => panic!("expected record 12 altered, got {other:?}"),
    }
    sql.execute("UPDATE audit_log SET before_json = 'not json' WHERE id = 3")
        .await
        .expect("tamper");
    match app.store.audit().verify_chain().await.expect("verify") {
        ChainReport::Broken(ChainBreak::Altered { id }) => {
            assert_eq!(id, 3, "the first broken record")
        }
        other => panic!("expected record 3 altered, got {other:?}"),
    }
}

#[tokio::test]
async fn audit_verify_finds_a_removed_record() {
    let app = spawn_app().await;
    set_population(&app.store, "baku", 2_400_000).await;
    intact_count(&app.store).await;
    let mut sql = app.sql().await;
    disable_audit_protection(&mut sql).await;
    assert_eq!(
        sql.execute("DELETE FROM audit_log WHERE id = 7")
            .await
            .expect("remove"),
        1
    );
    match app.store.audit().verify_chain().await.expect("verify") {
        ChainReport::Broken(ChainBreak::Missing { id, expected }) => {
            assert_eq!((id, expected), (8, 7));
        }
        ChainReport::Broken(ChainBreak::Unlinked { id }) => assert_eq!(id, 8),
        other => panic!("expected the removal of record 7 to be reported, got {other:?}"),
    }
}

#[tokio::test]
async fn the_audit_log_refuses_plain_updates_and_deletes() {
    let app = spawn_app().await;
    let mut sql = app.sql().await;
    let count = audit_count(&app).await;
    let error = sql
        .execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2")
        .await
        .expect_err("an UPDATE must be refused");
    assert!(error.contains("append-only"), "{error}");
    let error = sql
        .execute("DELETE FROM audit_log WHERE id = 2")
        .await
        .expect_err("a DELETE must be refused");
    assert!(error.contains("append-only"), "{error}");
    let error = sql
        .execute("DELETE FROM audit_log")
        .await
        .expect_err("a DELETE must be refused");
    assert!(error.contains("append-only"), "{error}");
    assert_eq!(audit_count(&app).await, count);
    intact_count(&app.store).await;
}

#[tokio::test]
async fn backup_and_restore_round_trip() {
    let app = spawn_app().await;
    set_population(&app.store, "yerevan", 1_100_000).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("megapolis.backup.json");
    let summary = app.store.backup(&file).await.expect("backup");
    let records = intact_count(&app.store).await;
    assert_eq!(summary.audit_records as u64, records);
    let people = app.store.accounts().people().await.expect("people").len();

    // Life goes on after the backup…
    set_population(&app.store, "yerevan", 1).await;
    let draft = megapolis_domain::person::PersonInput {
        email: "after.backup@example.org".into(),
        name: "После копии".into(),
        role: "expert".into(),
        ..Default::default()
    }
    .parse()
    .expect("person");
    app.store
        .accounts()
        .create_person("ops@example.org", &draft, None)
        .await
        .expect("person");
    assert!(intact_count(&app.store).await > records);

    // …and the restore brings back the moment of the backup.
    let restored = app.store.restore(&file).await.expect("restore");
    assert_eq!(restored.audit_records, summary.audit_records);
    assert_eq!(population(&app.store, "yerevan").await, Some(1_100_000));
    assert_eq!(
        app.store.accounts().people().await.expect("people").len(),
        people
    );
    assert!(!app
        .store
        .accounts()
        .people()
        .await
        .expect("people")
        .iter()
        .any(|p| p.email.to_string() == "after.backup@example.org"));
    assert_eq!(intact_count(&app.store).await, records);

    // The restored database keeps working: a new change chains on, demo logins still work.
    set_population(&app.store, "yerevan", 1_200_000).await;
    assert_eq!(intact_count(&app.store).await, records + 1);
    app.store
        .accounts()
        .create_person("ops@example.org", &draft, None)
        .await
        .expect("a new person after restore");
    app.login_as("admin").await;

    // A backup restores into a fresh, empty database too.
    let dir2 = tempfile::tempdir().expect("dir");
    let other = Store::connect(&fresh_database_url(dir2.path()).await)
        .await
        .expect("connect");
    other.migrate().await.expect("migrate");
    other
        .restore(&file)
        .await
        .expect("restore into an empty database");
    assert_eq!(population(&other, "yerevan").await, Some(1_100_000));
    assert_eq!(intact_count(&other).await, records);
    other.close().await;
}

/// Refusals of `restore`: the reason, and nothing changed.
#[tokio::test]
async fn a_corrupt_or_foreign_backup_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("dir");
    let good = dir.path().join("good.json");
    app.store.backup(&good).await.expect("backup");
    let text = std::fs::read_to_string(&good).expect("read");
    // After the backup, a change a bad restore must not undo.
    set_population(&app.store, "ashgabat", 42).await;
    let records = intact_count(&app.store).await;

    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text.as_bytes()[..text.len() / 2]).expect("write");
    let flipped = dir.path().join("flipped.json");
    assert!(text.contains("Ашхабад"));
    std::fs::write(&flipped, text.replacen("Ашхабад", "Ашхабан", 1)).expect("write");
    let foreign = dir.path().join("foreign.json");
    std::fs::write(
        &foreign,
        r#"{"name": "something else", "version": 3, "items": [1, 2, 3]}"#,
    )
    .expect("write");
    let other_format = dir.path().join("other-format.json");
    std::fs::write(
        &other_format,
        text.replacen("\"megapolis-backup\"", "\"other-backup\"", 1),
    )
    .expect("write");
    let newer = dir.path().join("newer.json");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["schema_version"] = serde_json::json!(999);
    std::fs::write(&newer, value.to_string()).expect("write");
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").expect("write");

    for (file, expected) in [
        (&truncated, "not a Megapolis backup"),
        (&flipped, "checksum"),
        (&foreign, "not a Megapolis backup"),
        (&other_format, "format"),
        (&newer, "schema version"),
        (&empty, "not a Megapolis backup"),
    ] {
        let error = app
            .store
            .restore(file)
            .await
            .expect_err("a bad backup must be refused");
        assert!(matches!(error, StorageError::BadBackup { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(expected), "{}: {message}", file.display());
        assert!(
            message.contains(&file.display().to_string()),
            "names the file: {message}"
        );
        assert_eq!(
            population(&app.store, "ashgabat").await,
            Some(42),
            "{}: nothing changed",
            file.display()
        );
        assert_eq!(intact_count(&app.store).await, records);
    }
    let missing = app
        .store
        .restore(&dir.path().join("no-such-file.json"))
        .await;
    assert!(missing.is_err());
    assert_eq!(population(&app.store, "ashgabat").await, Some(42));
    // The good file still restores.
    app.store.restore(&good).await.expect("restore");
    assert_ne!(population(&app.store, "ashgabat").await, Some(42));
}

/// `CREATE TABLE name (…)` statements of a migration folder: table → column names.
fn tables_of(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut tables = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no migrations in {}", dir.display());
    for file in files {
        let sql: String = std::fs::read_to_string(&file)
            .expect("read")
            .lines()
            .map(|l| l.split("--").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        // Statement by statement, in order: later migrations add columns and replace tables.
        for statement in sql.split(';') {
            let words: Vec<String> = statement
                .split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect();
            match words
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["alter", "table", table, "add", "column", column, ..] => {
                    let columns: &mut BTreeSet<String> = tables
                        .get_mut(*table)
                        .unwrap_or_else(|| panic!("ALTER TABLE {table}: no such table"));
                    assert!(
                        columns.insert(column.to_string()),
                        "{table}.{column} added twice"
                    );
                }
                ["alter", "table", table, "drop", "column", column, ..] => {
                    let columns: &mut BTreeSet<String> = tables
                        .get_mut(*table)
                        .unwrap_or_else(|| panic!("ALTER TABLE {table}: no such table"));
                    assert!(
                        columns.remove(*column),
                        "{table}.{column} dropped but not there"
                    );
                }
                ["drop", "table", table, ..] => {
                    assert!(
                        tables.remove(*table).is_some(),
                        "DROP TABLE {table}: no such table"
                    );
                }
                _ => {}
            }
            let mut rest = statement;
            while let Some(at) = rest.to_ascii_uppercase().find("CREATE TABLE") {
                rest = &rest[at + "CREATE TABLE".len()..];
                let open = rest.find('(').expect("(");
                let name = rest[..open]
                    .trim()
                    .trim_start_matches("IF NOT EXISTS")
                    .trim()
                    .to_ascii_lowercase();
                let mut depth = 0;
                let mut end = open;
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let body = &rest[open + 1..end];
                // Split at commas outside parentheses.
                let mut items = Vec::new();
                let (mut depth, mut start) = (0, 0);
                for (i, c) in body.char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth == 0 => {
                            items.push(&body[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                items.push(&body[start..]);
                let columns: BTreeSet<String> = items
                    .iter()
                    .filter_map(|item| item.split_whitespace().next())
                    .map(str::to_ascii_lowercase)
                    .filter(|w| {
                        !matches!(
                            w.as_str(),
                            "primary" | "foreign" | "unique" | "check" | "constraint"
                        )
                    })
                    .collect();
                assert!(
                    tables.insert(name.clone(), columns).is_none(),
                    "table {name} is created twice in {}",
                    dir.display()
                );
                rest = &rest[end..];
            }
        }
    }
    tables
}

#[test]
fn the_two_schemas_have_the_same_tables_and_columns_and_backups_cover_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/storage/migrations");
    let sqlite = tables_of(&root.join("sqlite"));
    let postgres = tables_of(&root.join("postgres"));
    assert!(
        sqlite.contains_key("cities") && sqlite["cities"].contains("population"),
        "the parser works: {sqlite:?}"
    );
    assert!(sqlite.contains_key("audit_log") && !sqlite["memberships"].contains("primary"));
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "the same tables on SQLite and PostgreSQL"
    );
    for (table, columns) in &sqlite {
        assert_eq!(
            columns, &postgres[table],
            "the columns of {table} on SQLite and PostgreSQL"
        );
    }

    let backed_up: BTreeMap<&str, Vec<&str>> = megapolis_storage::backup::backed_up_columns()
        .into_iter()
        .collect();
    let transient = megapolis_storage::backup::TRANSIENT_TABLES;
    for (table, columns) in &sqlite {
        match backed_up.get(table.as_str()) {
            Some(saved) => {
                let saved: BTreeSet<String> = saved.iter().map(|c| c.to_string()).collect();
                assert_eq!(
                    &saved, columns,
                    "a backup of {table} holds every column, and only those"
                );
            }
            None => assert!(
                transient.contains(&table.as_str()),
                "table {table} is neither backed up nor listed in TRANSIENT_TABLES"
            ),
        }
    }
    for table in backed_up.keys() {
        assert!(
            sqlite.contains_key(*table),
            "the backup names table {table}, which no migration creates"
        );
    }
    for table in transient {
        assert!(
            !backed_up.contains_key(table),
            "{table} is both transient and backed up"
        );
    }
}

// ---- The binary ----

fn megapolis() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_megapolis"));
    for var in [
        "MEGAPOLIS_DATABASE_URL",
        "MEGAPOLIS_ADDR",
        "MEGAPOLIS_DATA_DIR",
        "MEGAPOLIS_LOG_FORMAT",
    ] {
        command.env_remove(var);
    }
    command.stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run megapolis")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of stderr the program wrote itself (not log records).
fn error_lines(output: &Output) -> Vec<String> {
    text(&output.stderr)
        .lines()
        .filter(|l| l.starts_with("megapolis:"))
        .map(str::to_string)
        .collect()
}

/// The subcommands a `--help` lists.
fn subcommands(help: &str) -> Vec<String> {
    let Some(at) = help.find("Commands:") else {
        return Vec::new();
    };
    help[at..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_has_help() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = Vec::new();
    while let Some(path) = pending.pop() {
        let output = run(megapolis().args(&path).arg("--help"));
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "megapolis {} --help: {}",
            path.join(" "),
            text(&output.stderr)
        );
        assert!(
            stdout.contains("Usage:"),
            "megapolis {} --help: {stdout}",
            path.join(" ")
        );
        for name in subcommands(&stdout) {
            let mut next = path.clone();
            next.push(name);
            pending.push(next);
        }
        seen.push(path.join(" "));
    }
    for expected in [
        "serve",
        "migrate",
        "demo load",
        "user add",
        "backup",
        "restore",
        "audit verify",
        "audit checkpoint",
    ] {
        assert!(
            seen.iter().any(|s| s == expected),
            "megapolis {expected} is missing; have {seen:?}"
        );
    }
    let serve = text(&run(megapolis().args(["serve", "--help"])).stdout);
    for option in [
        "--demo",
        "--addr",
        "--database-url",
        "MEGAPOLIS_ADDR",
        "MEGAPOLIS_DATABASE_URL",
    ] {
        assert!(serve.contains(option), "serve --help mentions {option}");
    }
}

#[test]
fn serve_on_a_busy_port_exits_with_one_clear_line() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = busy.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("dir");
    let output = run(megapolis()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--addr", &addr]));
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "one line: {}", text(&output.stderr));
    assert!(
        lines[0].contains(&addr) && lines[0].contains("cannot listen"),
        "{}",
        lines[0]
    );
    assert!(!text(&output.stderr).contains("panicked"));
}

#[test]
fn an_unreachable_database_exits_with_one_clear_line() {
    let started = std::time::Instant::now();
    let output = run(megapolis().args([
        "--database-url",
        "postgres://nobody:secret@127.0.0.1:1/x",
        "migrate",
    ]));
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "one line: {}", text(&output.stderr));
    assert!(
        lines[0].contains("cannot reach the database"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("127.0.0.1:1"), "{}", lines[0]);
    assert!(
        !text(&output.stderr).contains("secret"),
        "the password is not printed"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));

    let output = run(megapolis().args(["--database-url", "mysql://x/y", "migrate"]));
    assert!(!output.status.success());
    assert_eq!(error_lines(&output).len(), 1, "{}", text(&output.stderr));
}

#[test]
fn audit_verify_on_a_fresh_data_directory_is_intact() {
    let dir = tempfile::tempdir().expect("dir");
    let output = run(megapolis()
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["audit", "verify"]));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("audit log intact: 0 records"),
        "{}",
        text(&output.stdout)
    );
    assert!(
        dir.path().join("data/megapolis.db").exists(),
        "the default SQLite file"
    );
}

#[tokio::test]
async fn the_cli_adds_people_backs_up_and_restores() {
    let dir = tempfile::tempdir().expect("dir");
    let url = fresh_database_url(dir.path()).await;
    let cli = |args: &[&str]| {
        let mut command = megapolis();
        command.arg("--database-url").arg(&url).args(args);
        command
    };

    let output = run(&mut cli(&["demo", "load"]));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = run(&mut cli(&[
        "user",
        "add",
        "--email",
        "first@example.org",
        "--name",
        "First",
        "--role",
        "expert",
    ]));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("/invitation/"),
        "{}",
        text(&output.stdout)
    );

    let mut child = cli(&[
        "user",
        "add",
        "--email",
        "rep@example.org",
        "--name",
        "Rep",
        "--role",
        "city-rep",
        "--city",
        "minsk",
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"a-strong-password\n").expect("write");
    }
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("/invitation/"));

    // A bad person is refused with the reason.
    let output = run(&mut cli(&[
        "user",
        "add",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "city-rep",
    ]));
    assert!(!output.status.success());
    assert_eq!(error_lines(&output).len(), 1, "{}", text(&output.stderr));

    let file = dir.path().join("cli-backup.json");
    let output = run(cli(&["backup"]).arg(&file));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("backup written"),
        "{}",
        text(&output.stdout)
    );

    let output = run(&mut cli(&[
        "user",
        "add",
        "--email",
        "later@example.org",
        "--name",
        "Later",
        "--role",
        "admin",
    ]));
    assert!(output.status.success(), "{}", text(&output.stderr));

    let foreign = dir.path().join("foreign.json");
    std::fs::write(&foreign, "{\"hello\": \"world\"}").expect("write");
    let output = run(cli(&["restore"]).arg(&foreign));
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "{}", text(&output.stderr));
    assert!(lines[0].contains("not a Megapolis backup"), "{}", lines[0]);

    let output = run(cli(&["restore"]).arg(&file));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("restored"),
        "{}",
        text(&output.stdout)
    );

    let store = Store::connect(&url).await.expect("connect");
    let emails: Vec<String> = store
        .accounts()
        .people()
        .await
        .expect("people")
        .iter()
        .map(|p| p.email.to_string())
        .collect();
    assert!(emails.contains(&"first@example.org".to_string()));
    assert!(emails.contains(&"rep@example.org".to_string()));
    assert!(
        !emails.contains(&"later@example.org".to_string()),
        "added after the backup: gone"
    );
    store.close().await;

    let output = run(&mut cli(&["audit", "verify"]));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("intact"),
        "{}",
        text(&output.stdout)
    );
    // The person added with a password kept it through the backup and restore.
    let store = Store::connect(&url).await.expect("connect");
    let email = megapolis_domain::Email::parse("rep@example.org").expect("email");
    let (person, hash) = store
        .accounts()
        .login_candidate(&email)
        .await
        .expect("read")
        .expect("person");
    assert_eq!(person.city.map(|c| c.to_string()).as_deref(), Some("minsk"));
    assert!(megapolis_domain::password::verify_password(
        "a-strong-password",
        &hash.expect("a password")
    ));
    store.close().await;
}

#[tokio::test]
async fn overlapping_edits_of_one_city_keep_each_audit_before_equal_to_the_previous_after() {
    let app = crate::support::spawn_app().await;
    let code = megapolis_domain::CityCode::parse("moscow").expect("code");
    let original = app
        .store
        .org()
        .city(&code)
        .await
        .expect("read")
        .expect("the demo has Moscow");
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..8_i64 {
        let store = app.store.clone();
        let original = original.clone();
        writers.spawn(async move {
            for edit in 0..12_i64 {
                let mut city = original.clone();
                city.population = Some(10_000_000 + writer * 1000 + edit);
                store
                    .org()
                    .save_city(&format!("writer-{writer}"), &city)
                    .await
                    .expect("save");
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.expect("a writer");
    }
    let mut records = app
        .store
        .audit()
        .records(&megapolis_storage::audit::AuditFilter {
            entity: "city".into(),
            entity_id: "moscow".into(),
            actor: String::new(),
            limit: 1000,
            before_id: None,
        })
        .await
        .expect("audit");
    records.sort_by_key(|r| r.id);
    let edits: Vec<_> = records
        .iter()
        .filter(|r| r.entry.actor.starts_with("writer-"))
        .collect();
    assert_eq!(edits.len(), 96);
    for pair in edits.windows(2) {
        assert_eq!(
            pair[1].entry.before, pair[0].entry.after,
            "record {} starts from what record {} left",
            pair[1].id, pair[0].id
        );
    }
}

#[tokio::test]
async fn a_checkpoint_notices_the_newest_audit_records_removed() {
    let app = spawn_app().await;
    set_population(&app.store, "moscow", 13_300_000).await;
    // The CLI prints the head of the chain; someone keeps it elsewhere.
    let checkpoint = run(megapolis()
        .args(["--database-url", &app.database_url])
        .args(["audit", "checkpoint"]));
    assert!(checkpoint.status.success(), "{}", text(&checkpoint.stderr));
    let checkpoint = text(&checkpoint.stdout).trim().to_string();
    let (count, hash) = checkpoint.split_once(':').expect("COUNT:HASH");
    let count: i64 = count.parse().expect("a count");
    assert_eq!(hash.len(), 64);
    let verify = |checkpoint: &str| {
        run(megapolis()
            .args(["--database-url", &app.database_url])
            .args(["audit", "verify", "--checkpoint", checkpoint]))
    };
    let intact = verify(&checkpoint);
    assert!(intact.status.success(), "{}", text(&intact.stderr));

    // The two newest records are removed: the chain that is left is intact in itself...
    let mut sql = app.sql().await;
    disable_audit_protection(&mut sql).await;
    let removed = sql
        .execute(&format!("DELETE FROM audit_log WHERE id > {}", count - 2))
        .await
        .expect("remove");
    assert_eq!(removed, 2);
    assert!(matches!(
        app.store.audit().verify_chain().await.expect("verify"),
        ChainReport::Intact { .. }
    ));
    // ...but not to the checkpoint.
    let broken = verify(&checkpoint);
    assert!(!broken.status.success());
    let message = text(&broken.stderr);
    assert!(
        message.contains(&format!(
            "the checkpoint names {count} records, but only {} are left",
            count - 2
        )),
        "{message}"
    );
    let bad = verify("twelve");
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("COUNT:HASH"),
        "{}",
        text(&bad.stderr)
    );
}

/// The server as its own process, killed with SIGKILL when dropped.
struct ServerProcess {
    child: std::process::Child,
    base: String,
}

impl ServerProcess {
    async fn start(database_url: &str) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("addr")
            .port();
        // Held by the struct at once, so that every way out (a panic too) kills and reaps it.
        let server = ServerProcess {
            child: megapolis()
                .args(["--database-url", database_url])
                .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the server"),
            base: format!("http://127.0.0.1:{port}"),
        };
        let base = server.base.clone();
        for _ in 0..200 {
            if let Ok(response) = reqwest::get(format!("{base}/healthz")).await {
                if response.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the server did not answer on {base}");
    }

    fn kill(&mut self) {
        // SIGKILL: no shutdown, no flush, like a power cut of the application server.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_a_kill_of_the_server() {
    let dir = tempfile::tempdir().expect("dir");
    let database_url = fresh_database_url(dir.path()).await;
    let mut server = ServerProcess::start(&database_url).await;
    // A Secretariat token for the API.
    let browser = crate::support::client();
    let login_page = browser
        .get(format!("{}/login", server.base))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    let (email, password) = crate::support::demo_login("secretariat");
    let response = browser
        .post(format!("{}/login", server.base))
        .header("Origin", &server.base)
        .form(&[
            ("email", email),
            ("password", password),
            ("_csrf", &crate::support::csrf_of(&login_page)),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 303);
    let profile = browser
        .get(format!("{}/profile", server.base))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    let created = browser
        .post(format!("{}/profile/tokens", server.base))
        .header("Origin", &server.base)
        .form(&[
            ("name", "durability"),
            ("_csrf", &crate::support::csrf_of(&profile)),
        ])
        .send()
        .await
        .expect("token")
        .text()
        .await
        .expect("page");
    let token = crate::support::element_text(&created, "new-token").expect("a token");

    // Eight writers, one city each, count up until the server dies; each remembers the last
    // value the server acknowledged.
    let cities = [
        "moscow", "minsk", "astana", "baku", "yerevan", "bishkek", "dushanbe", "tashkent",
    ];
    let api = reqwest::Client::new();
    let mut writers = tokio::task::JoinSet::new();
    for code in cities {
        let (api, token, base) = (api.clone(), token.clone(), server.base.clone());
        writers.spawn(async move {
            let mut city: serde_json::Value = api
                .get(format!("{base}/api/v1/cities/{code}"))
                .send()
                .await
                .expect("GET")
                .json()
                .await
                .expect("JSON");
            let mut acknowledged = None;
            for n in 1..100_000_i64 {
                city["population"] = serde_json::json!(1_000_000 + n);
                let sent = api
                    .put(format!("{base}/api/v1/cities/{code}"))
                    .bearer_auth(&token)
                    .json(&city)
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => {
                        acknowledged = Some(1_000_000 + n)
                    }
                    Ok(response) => panic!("{code}: {}", response.status()),
                    Err(_) => break,
                }
            }
            (code, acknowledged)
        });
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    server.kill();
    let mut acknowledged = Vec::new();
    while let Some(done) = writers.join_next().await {
        acknowledged.push(done.expect("a writer"));
    }

    // Restarted on the same database: every acknowledged write is there, the chain intact.
    let server = ServerProcess::start(&database_url).await;
    for (code, last) in acknowledged {
        let last = last.unwrap_or_else(|| panic!("{code}: no write was acknowledged"));
        let city: serde_json::Value = reqwest::get(format!("{}/api/v1/cities/{code}", server.base))
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON");
        let population = city["population"].as_i64().expect("a population");
        assert!(
            population == last || population == last + 1,
            "{code}: acknowledged {last}, found {population}"
        );
    }
    let verify = run(megapolis()
        .args(["--database-url", &database_url])
        .args(["audit", "verify"]));
    assert!(verify.status.success(), "{}", text(&verify.stderr));
}
