//! Monitoring end to end: the ASEM pair and a COINr build posted through the API by the
//! Secretariat, computed by a background job, staff-only until published, then public with
//! exactly the engine's scores and ranks and rank intervals around them; bad files refused with
//! file, row and column and nothing saved; computing again gives the same bytes.
pub(crate) mod browser;
pub(crate) mod campaigns;
mod methodology;
mod reminders;

use crate::support::{content_type, spawn_empty_app, TestApp};
use megapolis_index::{io, pipeline, spec::BuildSpec};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

mod public;

pub(crate) fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/index/tests/fixtures/asem")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The COINr build of crates/index/tests/asem.rs (min-max on [0, 100], arithmetic mean), with a
/// small uncertainty analysis so the test is quick.
pub(crate) fn asem_spec() -> String {
    format!(
        "{}\n[analysis]\nkind = \"uncertainty\"\nn = 40\nseed = 3\n\n[[analysis.input]]\nname = \"Weights\"\nnoisy_weights = {{ levels = [2, 3], noise = 0.25, replications = 20 }}\n\n[[analysis.input]]\nname = \"Normalisation\"\nstep = \"normalise\"\nalternatives = [ {{ method = \"minmax\", l_u = [0, 100] }}, {{ method = \"zscore\", m_sd = [10, 2] }} ]\n",
        fixture("minmax_amean.toml")
    )
}

/// A small edition of our own for the role matrix: three indicators, two pillars, four cities.
pub const SMALL_META: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type,question_ru,question_en,answer_type\n\
1,portal,City portal,1,1,,,,Digital,Indicator,Есть ли портал?,Is there a portal?,yes_no\n\
1,speed,Broadband speed,1,1,Mbit/s,,,Digital,Indicator,Скорость?,Speed?,number\n\
1,waste,Waste per person,-1,1,kg,,,Green,Indicator,,,\n\
2,Digital,Digital,1,2,,,,Index,Aggregate,,,\n\
2,Green,Green,1,1,,,,Index,Aggregate,,,\n\
3,Index,Index,1,1,,,,,Aggregate,,,\n";
pub const SMALL_SPEC: &str = "[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n\n[analysis]\nn = 10\n[[analysis.input]]\nname = \"Weights\"\nnoisy_weights = { levels = [2], noise = 0.25, replications = 5 }\n";
pub const SMALL_DATA: &str = "uCode,uName,portal,speed,waste\nmoscow,Moscow,1,100,300\nminsk,Minsk,0,50,200\nbishkek,Bishkek,1,20,500\nastana,Astana,1,80,250\n";

/// The multipart form of an edition.
pub fn edition_form(
    meta: &str,
    spec: &str,
    data: Option<&str>,
    year: &str,
) -> reqwest::multipart::Form {
    let file = |name: &str, text: &str| {
        reqwest::multipart::Part::text(text.to_string())
            .file_name(name.to_string())
            .mime_str("text/csv")
            .expect("mime")
    };
    let mut form = reqwest::multipart::Form::new()
        .part("meta", file("iMeta.csv", meta))
        .part("spec", file("build.toml", spec))
        .text("year", year.to_string())
        .text("title_ru", "Мониторинг АСЕМ")
        .text("title_en", "ASEM monitoring");
    if let Some(data) = data {
        form = form.part("data", file("iData.csv", data));
    }
    form
}

/// A published, computed edition with id 1 for the role matrix and the browser tests.
pub async fn ensure_published_edition(app: &TestApp) {
    let monitoring = app.store.monitoring();
    if monitoring.summary(1).await.expect("read").is_none() {
        let edition = megapolis_monitoring::EditionInput {
            meta: SMALL_META.into(),
            spec: SMALL_SPEC.into(),
            data: Some(SMALL_DATA.into()),
            year: "2025".into(),
            title_ru: "Мониторинг 2025".into(),
            title_en: "Monitoring 2025".into(),
        }
        .parse()
        .expect("a valid edition");
        let id = monitoring.create("tests", &edition).await.expect("save");
        assert_eq!(id, 1, "the first edition of a fresh database");
        let computed = megapolis_monitoring::compute(&edition, &|_| {}).expect("computed");
        monitoring
            .save_result("tests", id, &computed)
            .await
            .expect("result");
    }
    monitoring.publish("tests", 1).await.expect("publish");
}

pub(crate) struct Staff {
    pub client: reqwest::Client,
    pub token: String,
}

pub(crate) async fn secretariat(app: &TestApp) -> Staff {
    let (client, _) = app.seed_person("secretariat", None).await;
    let token = app.api_token(&client).await;
    Staff { client, token }
}

pub(crate) async fn post_edition(
    app: &TestApp,
    staff: &Staff,
    form: reqwest::multipart::Form,
) -> reqwest::Response {
    staff
        .client
        .post(app.url("/api/v1/monitoring/editions"))
        .bearer_auth(&staff.token)
        .multipart(form)
        .send()
        .await
        .expect("post an edition")
}

async fn staff_editions(app: &TestApp, staff: &Staff) -> Vec<Value> {
    let list: Value = staff
        .client
        .get(app.url("/api/v1/monitoring/editions"))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    list.as_array().expect("a bare array").clone()
}

/// Asks for a computation and follows its job until it is done; returns the job's last answer.
pub(crate) async fn compute(app: &TestApp, staff: &Staff, id: i64) -> Value {
    let response = staff
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{id}/compute")))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("compute");
    assert_eq!(response.status(), 202);
    let queued: Value = response.json().await.expect("JSON");
    let job = queued["job"].as_i64().expect("a job id");
    let started = Instant::now();
    loop {
        let answer: Value = staff
            .client
            .get(app.url(&format!("/api/v1/jobs/{job}")))
            .bearer_auth(&staff.token)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("JSON");
        let state = answer["state"].as_str().expect("a state").to_string();
        assert!(
            ["queued", "running", "done", "failed"].contains(&state.as_str()),
            "{answer}"
        );
        assert!(
            answer["progress"].as_u64().is_some_and(|p| p <= 100),
            "{answer}"
        );
        assert!(answer.get("error").is_some(), "{answer}");
        match state.as_str() {
            "done" => return answer,
            "failed" => panic!("the computation failed: {answer}"),
            _ => {}
        }
        assert!(answer["error"].is_null(), "an attempt failed: {answer}");
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "still {answer}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn get(
    app: &TestApp,
    client: &reqwest::Client,
    token: Option<&str>,
    path: &str,
) -> reqwest::Response {
    let mut request = client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("GET")
}

/// The keys of the first object of a JSON array, in the order they are written.
fn first_object_keys(body: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Value>();
    assert!(stream.next().is_some_and(|v| v.is_ok()), "valid JSON");
    // Scan the first object: a key is a string followed by ':' at depth 1.
    let object = &body[1..body.find('}').expect("an object")];
    let mut rest = object;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let end = after.find('"').expect("end of key");
        let key = &after[..end];
        let tail = &after[end + 1..];
        if tail.starts_with(':') {
            keys.push(key.to_string());
        }
        // Skip the value: up to the next comma at this depth (values here hold no commas).
        match tail.find(',') {
            Some(comma) => rest = &tail[comma + 1..],
            None => break,
        }
    }
    keys
}

#[tokio::test]
async fn an_asem_edition_publishes_exactly_what_the_engine_gives() {
    let app = spawn_empty_app().await;
    let staff = secretariat(&app).await;
    let (meta, data, spec) = (
        fixture("ASEM_iMeta.csv"),
        fixture("ASEM_iData.csv"),
        asem_spec(),
    );
    let response = post_edition(
        &app,
        &staff,
        edition_form(&meta, &spec, Some(&data), "2018"),
    )
    .await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("an id");
    let results = format!("/api/v1/monitoring/editions/{id}/results");
    let csv_path = format!("{results}.csv");

    // Not computed yet: a clear 409 for staff; nothing for anybody else.
    let early = get(&app, &staff.client, Some(&staff.token), &results).await;
    assert_eq!(early.status(), 409);
    let body: Value = early.json().await.expect("JSON error");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("not been computed")),
        "{body}"
    );
    let publish = format!("/api/v1/monitoring/editions/{id}/publish");
    let refused = staff
        .client
        .post(app.url(&publish))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("publish");
    assert_eq!(refused.status(), 409, "publishing needs a result");

    let job = compute(&app, &staff, id).await;
    assert_eq!(job["progress"], 100);
    assert_eq!(job["kind"], "monitoring-compute");

    // Staff only until published.
    let anonymous = crate::support::client();
    let (expert, _) = app.seed_person("expert", None).await;
    for (who, client) in [("anonymous", &anonymous), ("expert", &expert)] {
        for path in [&results, &csv_path] {
            let response = get(&app, client, None, path).await;
            assert_eq!(response.status(), 404, "{path} as {who} before publishing");
        }
        let listed: Value = get(&app, client, None, "/api/v1/monitoring/editions")
            .await
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            listed,
            serde_json::json!([]),
            "{who} sees no unpublished edition"
        );
        let page = get(&app, client, None, &format!("/monitoring/editions/{id}")).await;
        assert_eq!(page.status(), 404, "the page as {who}");
    }
    let staff_view = get(&app, &staff.client, Some(&staff.token), &results).await;
    assert_eq!(staff_view.status(), 200);
    let staff_body = staff_view.bytes().await.expect("body");

    let published = staff
        .client
        .post(app.url(&publish))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status(), 200);
    let edition: Value = published.json().await.expect("JSON");
    assert_eq!(edition["state"], "published");
    let pin = edition["pin"].as_str().expect("a pin").to_string();
    assert_eq!(pin.len(), 64);

    // The public result: the engine's numbers, called directly here.
    let public = get(&app, &anonymous, None, &results).await;
    assert_eq!(public.status(), 200);
    assert!(content_type(&public).starts_with("application/json"));
    let text = public.text().await.expect("body");
    assert_eq!(
        text.as_bytes(),
        &staff_body[..],
        "the same result for everybody"
    );
    let rows: Vec<Value> = serde_json::from_str(&text).expect("a bare array");

    let fw = io::read_meta(meta.as_bytes(), "meta").expect("meta");
    let unit_data = io::read_data(data.as_bytes(), "data", &fw).expect("data");
    let build = BuildSpec::parse(&spec).expect("spec");
    let built = pipeline::build(&fw, &unit_data, &build).expect("build");
    let engine = pipeline::results(&fw, &built);
    let aggregates: Vec<(usize, &String)> = engine
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| fw.find(c).is_some_and(|i| fw.nodes[i].level > 1))
        .collect();
    assert_eq!(aggregates[0].1, "Index", "the top level first");
    let mut expected_keys = vec!["city", "rank", "rank_low", "rank_high"];
    expected_keys.extend(aggregates.iter().map(|(_, c)| c.as_str()));
    assert_eq!(first_object_keys(&text), expected_keys, "keys in order");
    assert_eq!(rows.len(), engine.units.len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["city"], engine.units[i].as_str(), "rank order");
        let rank = row["rank"].as_f64().expect("a rank");
        assert_eq!(rank, engine.rank[i], "{}", engine.units[i]);
        let low = row["rank_low"].as_f64().expect("low");
        let high = row["rank_high"].as_f64().expect("high");
        assert!(low <= rank && rank <= high, "{row}");
        assert!(low >= 1.0 && high <= engine.units.len() as f64, "{row}");
        for (j, code) in &aggregates {
            let score = row[code.as_str()].as_f64().expect("a score");
            assert_eq!(score, engine.scores[*j][i], "{} {code}", engine.units[i]);
        }
    }
    // And so COINr's: the Index of its expected results, to the precision of its file.
    let expected = fixture("expected_minmax_amean_scores.csv");
    let mut reader = csv::Reader::from_reader(expected.as_bytes());
    let header = reader.headers().expect("header").clone();
    let index = header
        .iter()
        .position(|h| h == "Index")
        .expect("Index column");
    for record in reader.records() {
        let record = record.expect("record");
        let coinr: f64 = record[index].parse().expect("number");
        let row = rows
            .iter()
            .find(|r| r["city"] == record[0])
            .unwrap_or_else(|| panic!("unit {}", &record[0]));
        let ours = row["Index"].as_f64().expect("score");
        assert!(
            (ours - coinr).abs() <= 1e-9 * coinr.abs().max(1.0),
            "{}: {ours} vs {coinr}",
            &record[0]
        );
    }

    // The CSV: the same columns and numbers.
    let csv_response = get(&app, &anonymous, None, &csv_path).await;
    assert_eq!(csv_response.status(), 200);
    assert_eq!(content_type(&csv_response), "text/csv; charset=utf-8");
    let csv_text = csv_response.text().await.expect("CSV");
    let mut lines = csv_text.lines();
    assert_eq!(lines.next(), Some(expected_keys.join(",").as_str()));
    for (line, row) in lines.zip(&rows) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], row["city"].as_str().expect("city"));
        assert_eq!(cells[1].parse::<f64>().ok(), row["rank"].as_f64());
        assert_eq!(cells[2].parse::<f64>().ok(), row["rank_low"].as_f64());
        assert_eq!(cells[3].parse::<f64>().ok(), row["rank_high"].as_f64());
        for (k, (_, code)) in aggregates.iter().enumerate() {
            assert_eq!(
                cells[4 + k].parse::<f64>().ok(),
                row[code.as_str()].as_f64(),
                "{code}"
            );
        }
    }

    // The public pages show it.
    let list = get(&app, &anonymous, None, "/monitoring")
        .await
        .text()
        .await
        .expect("page");
    assert!(
        list.contains(&format!("/monitoring/editions/{id}")),
        "listed"
    );
    let page = get(
        &app,
        &anonymous,
        None,
        &format!("/monitoring/editions/{id}"),
    )
    .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("page");
    assert!(html.contains("id=\"ranking\"") && html.contains("<svg class=\"rank-bar\""));
    assert!(html.contains(engine.units[0].as_str()));

    // Computing the same pin again gives the same bytes.
    compute(&app, &staff, id).await;
    let again = get(&app, &anonymous, None, &results)
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(again, text, "byte-identical results");
    let listed = staff_editions(&app, &staff).await;
    let edition = listed.iter().find(|e| e["id"] == id).expect("listed");
    assert_eq!(edition["pin"], pin.as_str());
    assert_eq!(edition["state"], "published", "still published");
}

#[tokio::test]
async fn bad_files_are_refused_by_file_row_and_column_and_nothing_is_saved() {
    let app = spawn_empty_app().await;
    let staff = secretariat(&app).await;
    let (meta, data, spec) = (
        fixture("ASEM_iMeta.csv"),
        fixture("ASEM_iData.csv"),
        asem_spec(),
    );
    let before = staff_editions(&app, &staff).await.len();

    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 422);
        assert!(content_type(&response).starts_with("application/json"));
        let body: Value = response.json().await.expect("JSON error");
        assert_eq!(body["status"], 422, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
        assert!(body["code"].as_str().is_some(), "{body}");
        body
    };

    // A broken row: a direction that is not a number on the third line.
    let mut lines: Vec<String> = meta.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(",1,1,", ",up,1,", 1);
    let broken = lines.join("\n");
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&broken, &spec, Some(&data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(
        (body["file"].as_str(), body["row"].as_u64()),
        (Some("meta"), Some(3)),
        "{body}"
    );
    assert_eq!(body["column"], "Direction", "{body}");

    // A row with a cell too many.
    let mut lines: Vec<String> = meta.lines().map(String::from).collect();
    lines[4].push_str(",extra");
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&lines.join("\n"), &spec, Some(&data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(
        (body["file"].as_str(), body["row"].as_u64()),
        (Some("meta"), Some(5)),
        "{body}"
    );

    // An unknown parent.
    let unknown = meta.replacen("\"Physical\",\"Indicator\"", "\"Nowhere\",\"Indicator\"", 1);
    assert_ne!(unknown, meta);
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&unknown, &spec, Some(&data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(body["file"], "meta", "{body}");
    assert!(body["row"].as_u64().is_some(), "{body}");

    // A cycle: Conn under Sust and Sust under Conn.
    let cycle = meta
        .replace(
            "3,\"Conn\",\"Connectivity\",1,1,\"Score\",,,\"Index\"",
            "3,\"Conn\",\"Connectivity\",1,1,\"Score\",,,\"Sust\"",
        )
        .replace(
            "3,\"Sust\",\"Sustainability\",1,1,\"Score\",,,\"Index\"",
            "3,\"Sust\",\"Sustainability\",1,1,\"Score\",,,\"Conn\"",
        );
    assert_ne!(cycle, meta);
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&cycle, &spec, Some(&data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(body["file"], "meta", "{body}");

    // Text in a numeric cell of the data; an unknown step in the spec; no year.
    let bad_data = data.replacen(",4.097985,", ",four,", 1);
    assert_ne!(bad_data, data);
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&meta, &spec, Some(&bad_data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(
        (
            body["file"].as_str(),
            body["row"].as_u64(),
            body["column"].as_str()
        ),
        (Some("data"), Some(2), Some("LPI")),
        "{body}"
    );
    let bad_spec = spec.replace("op = \"normalise\"", "op = \"normalize-twice\"");
    let body = refused(
        post_edition(
            &app,
            &staff,
            edition_form(&meta, &bad_spec, Some(&data), "2018"),
        )
        .await,
    )
    .await;
    assert_eq!(body["file"], "spec", "{body}");
    let body =
        refused(post_edition(&app, &staff, edition_form(&meta, &spec, Some(&data), "")).await)
            .await;
    assert!(body["file"].is_null(), "{body}");
    assert_eq!(body["fields"][0]["field"], "year", "{body}");

    assert_eq!(
        staff_editions(&app, &staff).await.len(),
        before,
        "nothing was saved"
    );

    // An edition without data is kept, but there is nothing to compute yet.
    let response = post_edition(&app, &staff, edition_form(&meta, &spec, None, "2019")).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    let response = staff
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{id}/compute")))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("compute");
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn a_long_ranking_comes_in_pages_of_a_hundred() {
    let app = spawn_empty_app().await;
    let staff = secretariat(&app).await;
    let meta = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n\
                1,a,A,1,1,,,,Index,Indicator\n1,b,B,1,1,,,,Index,Indicator\n\
                2,Index,Index,1,1,,,,,Aggregate\n";
    let mut data = String::from("uName,uCode,a,b\n");
    for unit in 0..150 {
        data.push_str(&format!(
            "Unit {unit},u{unit:03},{unit},{}\n",
            150 - unit / 2
        ));
    }
    let spec = "[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\nl_u = [0, 100]\n\n\
                [[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n\n\
                [analysis]\nkind = \"uncertainty\"\nn = 20\nseed = 1\ntarget = \"Index\"\n\
                [[analysis.input]]\nname = \"Weights\"\nnoisy_weights = { levels = [1], noise = 0.25, replications = 10 }\n";
    let response = post_edition(&app, &staff, edition_form(meta, spec, Some(&data), "2026")).await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let id = response.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    compute(&app, &staff, id).await;
    let rows = |html: &str| html.matches("<tr id=\"unit-").count();
    let first = get(
        &app,
        &staff.client,
        None,
        &format!("/monitoring/editions/{id}"),
    )
    .await
    .text()
    .await
    .expect("page");
    assert_eq!(rows(&first), 100, "the first hundred");
    assert!(
        first.contains("id=\"next-page\""),
        "a link to the next page"
    );
    let second = get(
        &app,
        &staff.client,
        None,
        &format!("/monitoring/editions/{id}?page=2"),
    )
    .await
    .text()
    .await
    .expect("page");
    assert_eq!(rows(&second), 50, "the other fifty");
    assert!(!second.contains("id=\"next-page\""));
    assert!(second.contains(">101</td>"), "ranks go on from 101");
}
