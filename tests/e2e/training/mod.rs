//! Training through the real server: staff create a programme and a cohort with a quota for
//! Minsk; Minsk's representative nominates within it (and is refused beyond it), another city's
//! representative cannot nominate for Minsk; staff record the results and issue certificates;
//! the public reads the signed credential and its status, and this test verifies the proof on
//! its own (its own JCS, ed25519-dalek), sees one changed character break it, and revocation
//! and tampering change the status.
pub(crate) mod browser;
pub(crate) mod documents;
mod nominations;
mod programmes;

use crate::support::{client, spawn_app, TestApp};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use megapolis_domain::{Email, Person, Role};
use megapolis_storage::training::NewCertificate;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub(crate) fn iso(date: time::Date) -> String {
    date.to_string()
}

/// A cohort (id 1 on a fresh database) with a completed participant and a certificate of
/// `code`, for the role × route matrix. Its credential is a placeholder: the matrix checks
/// access, not proofs.
pub(crate) async fn ensure_cohort_and_certificate(app: &TestApp, code: &str) {
    let training = app.store.training();
    if training.certificate(code).await.expect("read").is_some() {
        return;
    }
    let programme = megapolis_training::ProgrammeInput {
        title_ru: "Цифровой город".into(),
        title_en: "Digital city".into(),
        hours: 36,
        ..Default::default()
    }
    .parse()
    .expect("programme");
    let programme_id = training
        .create_programme("tests", &programme)
        .await
        .expect("programme saved");
    let today = time::OffsetDateTime::now_utc().date();
    let cohort = megapolis_training::CohortInput {
        programme_id,
        title: "Matrix cohort".into(),
        starts_on: iso(today),
        ends_on: iso(today),
        capacity: 5,
        applications_open: iso(today),
        applications_close: iso(today),
        quotas: [("minsk".to_string(), 2)].into_iter().collect(),
        ..Default::default()
    }
    .parse()
    .expect("cohort");
    let cohort_id = training
        .create_cohort("tests", &cohort)
        .await
        .expect("cohort saved");
    let secretariat = Person {
        id: 0,
        email: Email::parse("tests@megapolis.test").expect("email"),
        name: "Tests".into(),
        role: Role::Secretariat,
        city: None,
        memberships: Vec::new(),
        active: true,
    };
    let nominee = megapolis_training::NomineeInput {
        name: "Matrix Participant".into(),
        position: "Analyst".into(),
        email: "participant@minsk.example".into(),
        ..Default::default()
    }
    .parse()
    .expect("nominee");
    let minsk = megapolis_domain::CityCode::parse("minsk").expect("code");
    let nomination = training
        .nominate(&secretariat, cohort_id, Some(&minsk), &nominee, today)
        .await
        .expect("nominated");
    training
        .record_result(
            "tests",
            nomination,
            Some(megapolis_training::Attendance::parse(1.0).expect("share")),
            true,
        )
        .await
        .expect("result");
    let issued = training
        .issue_certificates("tests", cohort_id, |_| {
            Ok(NewCertificate {
                code: code.to_string(),
                credential: json!({ "placeholder": true }),
                issued_at: "2026-01-01T00:00:00Z".into(),
                valid_until: None,
            })
        })
        .await
        .expect("issued");
    assert_eq!(issued, vec![code.to_string()]);
}

/// RFC 8785 canonical JSON, written here apart from the product's: object members sorted by
/// UTF-16 code units, no whitespace, serde_json's string escapes (those of ECMAScript).
fn jcs(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("[{}]", items.iter().map(jcs).collect::<Vec<_>>().join(",")),
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort_by_key(|name| name.encode_utf16().collect::<Vec<u16>>());
            let parts: Vec<String> = names
                .into_iter()
                .map(|name| format!("{}:{}", Value::String(name.clone()), jcs(&members[name])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// Verifies an `eddsa-jcs-2022` proof independently: the key from the did:key of the
/// verification method, hash data SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document)).
fn verify_independently(credential: &Value) -> Result<(), String> {
    let mut document = credential.clone();
    let proof = document
        .as_object_mut()
        .and_then(|o| o.remove("proof"))
        .ok_or("no proof")?;
    if proof["cryptosuite"] != "eddsa-jcs-2022" || proof["type"] != "DataIntegrityProof" {
        return Err("not eddsa-jcs-2022".into());
    }
    let method = proof["verificationMethod"].as_str().ok_or("no method")?;
    let did = method.split('#').next().ok_or("no did")?;
    if credential["issuer"]["id"].as_str() != Some(did) {
        return Err("the issuer is not the key".into());
    }
    let multikey = bs58::decode(did.strip_prefix("did:key:z").ok_or("not did:key")?)
        .into_vec()
        .map_err(|e| e.to_string())?;
    let (prefix, key) = multikey.split_at(2);
    if prefix != [0xed, 0x01] {
        return Err("not an Ed25519 key".into());
    }
    let key = VerifyingKey::from_bytes(key.try_into().map_err(|_| "key length")?)
        .map_err(|e| e.to_string())?;
    let mut config = proof.clone();
    let config_object = config.as_object_mut().ok_or("proof")?;
    let value = config_object
        .remove("proofValue")
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or("no proof value")?;
    config_object.insert("@context".into(), document["@context"].clone());
    let signature = bs58::decode(value.strip_prefix('z').ok_or("not base58btc")?)
        .into_vec()
        .map_err(|e| e.to_string())?;
    let signature = Signature::from_bytes(&signature.try_into().map_err(|_| "signature length")?);
    let mut data = Sha256::digest(jcs(&config).as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(jcs(&document).as_bytes()));
    key.verify(&data, &signature).map_err(|e| e.to_string())
}

pub(crate) async fn json_of(response: reqwest::Response, expected: u16, what: &str) -> Value {
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    assert_eq!(status, expected, "{what}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {body}"))
}

#[tokio::test]
async fn training_from_nomination_to_a_verifiable_certificate() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let staff_token = app.api_token(&staff).await;
    let minsk_rep = app.login_as("city-rep").await;
    let minsk_token = app.api_token(&minsk_rep).await;
    // A representative of another city.
    let draft = megapolis_domain::person::PersonInput {
        email: "moscow-rep@megapolis.test".into(),
        name: "Московский представитель".into(),
        role: "city-rep".into(),
        city: "moscow".into(),
        ..Default::default()
    }
    .parse()
    .expect("person");
    let hash = megapolis_domain::password::hash_password("moscow-rep-password").expect("hash");
    app.store
        .accounts()
        .create_person("tests", &draft, Some(&hash))
        .await
        .expect("person");
    let moscow_rep = app
        .login_with("moscow-rep@megapolis.test", "moscow-rep-password")
        .await;
    let moscow_token = app.api_token(&moscow_rep).await;
    let http = client();
    let post = |token: &str, path: &str, body: Value| {
        http.post(app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
    };

    // Staff create a programme and a cohort with one place for Minsk.
    let programme = json_of(
        post(&staff_token, "/api/v1/training/programmes", json!({
            "title_ru": "Управление данными города", "title_en": "City data management",
            "description": "Открытые данные, реестры, качество данных.", "partner": "Университет",
            "hours": 72, "format": "mixed", "validity_years": 3, "min_attendance": 0.8
        }))
        .await
        .expect("POST"),
        201,
        "programme",
    )
    .await;
    let today = time::OffsetDateTime::now_utc().date();
    let cohort = json_of(
        post(
            &staff_token,
            "/api/v1/training/cohorts",
            json!({
                "programme_id": programme["id"], "title": "Весна", "place": "Москва",
                "starts_on": iso(today), "ends_on": iso(today + time::Duration::days(10)),
                "capacity": 5, "applications_open": iso(today - time::Duration::days(1)),
                "applications_close": iso(today + time::Duration::days(1)),
                "quotas": {"minsk": 1, "moscow": 1}
            }),
        )
        .await
        .expect("POST"),
        201,
        "cohort",
    )
    .await;
    let cohort_id = cohort["id"].as_i64().expect("cohort id");
    let nominations = format!("/api/v1/training/cohorts/{cohort_id}/nominations");

    // Minsk nominates one; a second is over the quota; Moscow may not nominate for Minsk.
    let first = json_of(
        post(
            &minsk_token,
            &nominations,
            json!({
                "name": "Анна Иванова", "position": "Аналитик", "department": "ИТ",
                "email": "anna@minsk.example"
            }),
        )
        .await
        .expect("POST"),
        201,
        "the first nomination",
    )
    .await;
    let refused = json_of(
        post(
            &minsk_token,
            &nominations,
            json!({
                "name": "Пётр Петров", "position": "Инженер", "email": "petr@minsk.example"
            }),
        )
        .await
        .expect("POST"),
        409,
        "over the quota",
    )
    .await;
    assert_eq!(refused["code"], "quota_used", "{refused}");
    assert_eq!(refused["status"], 409);
    let foreign = json_of(
        post(
            &moscow_token,
            &nominations,
            json!({
                "name": "Чужой", "position": "Инженер", "email": "x@minsk.example", "city": "minsk"
            }),
        )
        .await
        .expect("POST"),
        403,
        "another city's representative",
    )
    .await;
    assert_eq!(foreign["code"], "not_your_city");
    let cohort_now = json_of(
        http.get(app.url(&format!("/api/v1/training/cohorts/{cohort_id}")))
            .send()
            .await
            .expect("GET"),
        200,
        "cohort",
    )
    .await;
    assert_eq!(
        cohort_now["quotas"]["minsk"]["used"], 1,
        "nothing saved: {cohort_now}"
    );
    assert_eq!(cohort_now["quotas"]["moscow"]["used"], 0);
    // A representative reads only their city's nominees.
    let moscow_list = json_of(
        http.get(app.url(&nominations))
            .bearer_auth(&moscow_token)
            .send()
            .await
            .expect("GET"),
        200,
        "Moscow's nominations",
    )
    .await;
    assert_eq!(moscow_list["nominations"], json!([]));

    // The representative's page shows the form with no place left.
    let page = app
        .get(&minsk_rep, &format!("/training/cohorts/{cohort_id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("id=\"nominate\""), "{page}");
    assert!(page.contains("Анна Иванова"));

    // Staff record the results; the programme's rule decides.
    let nomination_id = first["id"].as_i64().expect("id");
    let outcome = json_of(
        post(
            &staff_token,
            &format!("/api/v1/training/nominations/{nomination_id}/complete"),
            json!({ "attendance": 0.9, "assessment_passed": true }),
        )
        .await
        .expect("POST"),
        200,
        "complete",
    )
    .await;
    assert_eq!(outcome["state"], "completed");
    // A city representative may not.
    let denied = post(
        &minsk_token,
        &format!("/api/v1/training/nominations/{nomination_id}/complete"),
        json!({ "attendance": 1.0, "assessment_passed": true }),
    )
    .await
    .expect("POST");
    assert_eq!(denied.status(), 403);

    // Issue, as a job: one certificate; issuing again issues none.
    let issued = documents::issue_by_job(&app, &staff_token, cohort_id).await;
    assert_eq!(issued["result"]["issued"], 1, "{issued}");
    let again = documents::issue_by_job(&app, &staff_token, cohort_id).await;
    assert_eq!(again["result"]["issued"], 0, "{again}");
    let listed = json_of(
        http.get(app.url(&nominations))
            .bearer_auth(&staff_token)
            .send()
            .await
            .expect("GET"),
        200,
        "nominations",
    )
    .await;
    let code = listed["nominations"]
        .as_array()
        .expect("nominations")
        .iter()
        .find_map(|n| n["certificate"].as_str())
        .expect("a certificate's code")
        .to_string();

    // The public reads the credential and verifies it here, independently.
    let anonymous = client();
    let credential = json_of(
        anonymous
            .get(app.url(&format!("/api/v1/certificates/{code}")))
            .send()
            .await
            .expect("GET"),
        200,
        "credential",
    )
    .await;
    assert_eq!(
        credential["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(
        credential["@context"][0],
        "https://www.w3.org/ns/credentials/v2"
    );
    assert_eq!(
        credential["credentialSubject"]["achievement"]["type"],
        json!(["Achievement"])
    );
    assert!(credential["validUntil"].is_string(), "{credential}");
    assert!(
        !credential.to_string().contains("anna@minsk.example"),
        "no e-mail in a credential"
    );
    verify_independently(&credential).expect("the credential verifies");
    let issuer = json_of(
        anonymous
            .get(app.url("/api/v1/training/issuer"))
            .send()
            .await
            .expect("GET"),
        200,
        "issuer",
    )
    .await;
    assert_eq!(
        issuer["id"], credential["issuer"]["id"],
        "the published key signed it"
    );
    let mut altered = credential.clone();
    altered["credentialSubject"]["identifier"][0]["identityHash"] =
        Value::String("Анна Иванове".into());
    assert!(
        verify_independently(&altered).is_err(),
        "one changed character"
    );
    let mut altered = credential.clone();
    altered["validUntil"] = Value::String("2099-01-01T00:00:00Z".into());
    assert!(verify_independently(&altered).is_err(), "a later expiry");

    let status_path = format!("/api/v1/certificates/{code}/status");
    let status = json_of(
        anonymous
            .get(app.url(&status_path))
            .send()
            .await
            .expect("GET"),
        200,
        "status",
    )
    .await;
    assert_eq!(status["status"], "valid", "{status}");
    assert_eq!(status["verified"], true);

    // The verification page: who, what, the status and a QR code of its address.
    let page = anonymous
        .get(app.url(&format!("/certificates/{code}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("page");
    assert!(html.contains("Анна Иванова"), "{html}");
    assert!(html.contains("data-status=\"valid\""));
    assert!(html.contains("<svg"), "a QR code");
    documents::assert_certificate_pdf(&app, &code, "Анна Иванова", "ru").await;
    let unknown = anonymous
        .get(app.url("/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ"))
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), 404);
    let unknown = anonymous
        .get(app.url("/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/status"))
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), 404);

    // The Secretariat's list; the public has none.
    let list = json_of(
        http.get(app.url("/api/v1/certificates"))
            .bearer_auth(&staff_token)
            .send()
            .await
            .expect("GET"),
        200,
        "list",
    )
    .await;
    assert_eq!(list["certificates"][0]["code"], code.as_str());
    assert_eq!(list["certificates"][0]["status"], "valid");
    let hidden = anonymous
        .get(app.url("/api/v1/certificates"))
        .send()
        .await
        .expect("GET");
    assert_eq!(hidden.status(), 401);

    // Revoke with a reason.
    let revoked = json_of(
        post(
            &staff_token,
            &format!("/api/v1/certificates/{code}/revoke"),
            json!({ "reason": "issued by mistake" }),
        )
        .await
        .expect("POST"),
        200,
        "revoke",
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    let status = json_of(
        anonymous
            .get(app.url(&status_path))
            .send()
            .await
            .expect("GET"),
        200,
        "status",
    )
    .await;
    assert_eq!(status["status"], "revoked");
    assert_eq!(status["reason"], "issued by mistake");

    // A credential altered in the database no longer verifies: the status says so.
    let mut sql = app.sql().await;
    let stored = sql
        .text(&format!(
            "SELECT credential FROM training_certificates WHERE code = '{code}'"
        ))
        .await
        .expect("stored credential");
    let tampered = stored.replacen("Анна Иванова", "Анна Иванову", 1);
    assert_ne!(stored, tampered);
    sql.execute(&format!(
        "UPDATE training_certificates SET credential = '{}' WHERE code = '{code}'",
        tampered.replace('\'', "''")
    ))
    .await
    .expect("tamper");
    let status = json_of(
        anonymous
            .get(app.url(&status_path))
            .send()
            .await
            .expect("GET"),
        200,
        "status",
    )
    .await;
    assert_eq!(status["status"], "invalid", "{status}");
    assert_eq!(status["verified"], false);
}

#[tokio::test]
async fn the_pages_create_a_cohort_and_take_a_citys_nomination_within_its_quota() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let created = app
        .post_form(
            &staff,
            "/training",
            "/training/programmes",
            &[
                ("title_ru", "Кибербезопасность"),
                ("title_en", "Cybersecurity"),
                ("hours", "36"),
                ("format", "online"),
                ("min_attendance", "75"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let programmes = app.store.training().programmes().await.expect("read");
    let programme = programmes.last().expect("a programme");
    assert_eq!(programme.programme.rule.min_attendance, 0.75);
    let today = time::OffsetDateTime::now_utc().date();
    let programme_id = programme.id.to_string();
    let (open, close) = (iso(today), iso(today + time::Duration::days(3)));
    let refused = app
        .post_form(
            &staff,
            "/training",
            "/training/cohorts",
            &[
                ("programme_id", programme_id.as_str()),
                ("title", "Осень"),
                ("starts_on", close.as_str()),
                ("ends_on", close.as_str()),
                ("capacity", "2"),
                ("applications_open", open.as_str()),
                ("applications_close", close.as_str()),
                ("quotas", "minsk=2, moscow=1"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422, "quotas over the capacity");
    let created = app
        .post_form(
            &staff,
            "/training",
            "/training/cohorts",
            &[
                ("programme_id", programme_id.as_str()),
                ("title", "Осень"),
                ("starts_on", close.as_str()),
                ("ends_on", close.as_str()),
                ("capacity", "2"),
                ("applications_open", open.as_str()),
                ("applications_close", close.as_str()),
                ("quotas", "minsk=1, moscow=1"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let cohort_page = crate::support::location(&created);
    let cohort_page = cohort_page.split('?').next().expect("path").to_string();

    let minsk = app.login_as("city-rep").await;
    let html = app
        .get(&minsk, &cohort_page)
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("id=\"remaining\""), "{html}");
    let action = format!("{cohort_page}/nominations");
    let nominated = app
        .post_form(
            &minsk,
            &cohort_page,
            &action,
            &[
                ("name", "Ольга Смирнова"),
                ("position", "Инженер"),
                ("email", "olga@minsk.example"),
            ],
        )
        .await;
    assert_eq!(nominated.status(), 303);
    let over = app
        .post_form(
            &minsk,
            &cohort_page,
            &action,
            &[
                ("name", "Иван Козлов"),
                ("position", "Инженер"),
                ("email", "ivan@minsk.example"),
            ],
        )
        .await;
    assert_eq!(over.status(), 409);
    let html = over.text().await.expect("page");
    assert!(html.contains("Квота вашего города"), "{html}");
    assert!(html.contains("Иван Козлов"), "what was typed comes back");
}

#[tokio::test]
async fn the_demo_has_expired_revoked_and_valid_certificates_that_verify() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let list = json_of(
        client()
            .get(app.url("/api/v1/certificates"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET"),
        200,
        "list",
    )
    .await;
    let statuses: Vec<&str> = list["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    for status in ["valid", "expired", "revoked"] {
        assert!(statuses.contains(&status), "{status} in {statuses:?}");
    }
    assert!(!statuses.contains(&"invalid"), "{statuses:?}");
    let code = list["certificates"][0]["code"].as_str().expect("code");
    let credential = json_of(
        client()
            .get(app.url(&format!("/api/v1/certificates/{code}")))
            .send()
            .await
            .expect("GET"),
        200,
        "credential",
    )
    .await;
    verify_independently(&credential).expect("a demo credential verifies");
    let page = app
        .get(&client(), "/training")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("набор открыт"), "{page}");
}
