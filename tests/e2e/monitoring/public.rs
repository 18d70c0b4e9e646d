//! The public side of monitoring on the ASEM pair posted through the API: every new route is
//! hidden (404) from anonymous visitors until the edition is published; then the city profile
//! shows the results' score and rank, strengths and weaknesses follow the documented rule
//! (recomputed here from the engine's data sets), the comparison shows the chosen units, the
//! ranking filters and sorts, the methodology shows the tree and the analysis, the open data
//! (CSV, JSON, XLSX) hold the engine's numbers and the PDF has one page per unit.
use super::{asem_spec, compute, edition_form, fixture, get, post_edition, secretariat};
use crate::support::{client, content_type, spawn_empty_app, TestApp};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use megapolis_index::model::DataSet;
use megapolis_index::{io, pipeline, spec::BuildSpec};
use serde_json::Value;
use std::collections::HashMap;

async fn get_en(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    client
        .get(app.url(path))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("GET")
}

/// The `data-code` attributes inside the element whose id is `id`, in order.
fn codes_in(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let tag = html[..start].rfind('<').expect("the element's tag");
    let name: String = html[tag + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let end = html[start..]
        .find(&format!("</{name}>"))
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("data-code=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("end")].to_string())
        .collect()
}

fn text_of(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id}"))
        + id.len()
        + 6;
    html[start..start + html[start..].find('<').expect("end")].to_string()
}

/// The rule of `megapolis_monitoring::profile`, written again from its documentation.
fn expected_strengths_and_weaknesses(
    raw: &DataSet,
    last: &DataSet,
    unit: &str,
    rank: u32,
    ranked: usize,
) -> (Vec<String>, Vec<String>) {
    let position = |r: usize, n: usize| {
        if n <= 1 {
            0.0
        } else {
            (r as f64 - 1.0) / (n as f64 - 1.0)
        }
    };
    let overall = position(rank as usize, ranked);
    let row = |d: &DataSet, u: &str| d.units.iter().position(|x| x == u).expect("unit");
    let mut counted: Vec<(usize, String, f64)> = Vec::new();
    for (k, code) in raw.codes.iter().enumerate() {
        let given: Vec<(String, f64)> = raw
            .units
            .iter()
            .filter(|u| raw.col(code).expect("col")[row(raw, u)].is_finite())
            .map(|u| (u.clone(), last.col(code).expect("col")[row(last, u)]))
            .collect();
        let Some(mine) = given.iter().find(|(u, _)| u == unit).map(|(_, v)| *v) else {
            continue;
        };
        if given.iter().all(|(_, v)| (v - given[0].1).abs() <= 1e-12) {
            continue;
        }
        let better = given.iter().filter(|(_, v)| *v > mine).count();
        counted.push((k, code.clone(), position(better + 1, given.len())));
    }
    let keep = ((counted.len() as f64 * 0.10).ceil() as usize).max(1);
    let mut strengths: Vec<_> = counted.iter().filter(|c| c.2 <= overall).collect();
    strengths.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
    let mut weaknesses: Vec<_> = counted.iter().filter(|c| c.2 > overall).collect();
    weaknesses.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let firsts =
        |v: Vec<&(usize, String, f64)>| v.into_iter().take(keep).map(|c| c.1.clone()).collect();
    (firsts(strengths), firsts(weaknesses))
}

/// The text of each page of a PDF by `pdftotext`, or `None` when it is not installed.
fn pdf_pages(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write");
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let mut pages: Vec<String> = text.split('\u{c}').map(String::from).collect();
            if pages.last().is_some_and(|p| p.trim().is_empty()) {
                pages.pop();
            }
            Some(pages)
        }
        _ => {
            eprintln!("SKIPPED: pdftotext is not installed; the PDF's pages are not counted");
            None
        }
    }
}

#[tokio::test]
async fn the_public_side_of_an_asem_edition() {
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
    compute(&app, &staff, id).await;

    let routes = [
        format!("/monitoring/editions/{id}/cities/AUT"),
        format!("/monitoring/editions/{id}/compare?cities=AUT,BEL"),
        format!("/monitoring/editions/{id}/methodology"),
        format!("/monitoring/editions/{id}/report.pdf"),
        format!("/api/v1/monitoring/editions/{id}/data.csv"),
        format!("/api/v1/monitoring/editions/{id}/data.json"),
        format!("/api/v1/monitoring/editions/{id}/data.xlsx"),
    ];
    let anonymous = client();
    for path in &routes {
        let response = get(&app, &anonymous, None, path).await;
        assert_eq!(response.status(), 404, "{path} before publishing");
    }
    let trends = get_en(&app, &anonymous, "/monitoring/trends")
        .await
        .text()
        .await
        .expect("page");
    assert!(
        !trends.contains(&format!("/monitoring/editions/{id}\"")),
        "an unpublished edition in the trends"
    );
    let early = get(&app, &staff.client, Some(&staff.token), &routes[4]).await;
    assert_eq!(early.status(), 200, "staff see the data before publishing");

    let published = staff
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{id}/publish")))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status(), 200);
    let rows: Vec<Value> = get(
        &app,
        &anonymous,
        None,
        &format!("/api/v1/monitoring/editions/{id}/results"),
    )
    .await
    .json()
    .await
    .expect("results");

    // The engine, called directly.
    let fw = io::read_meta(meta.as_bytes(), "meta").expect("meta");
    let unit_data = io::read_data(data.as_bytes(), "data", &fw).expect("data");
    let built =
        pipeline::build(&fw, &unit_data, &BuildSpec::parse(&spec).expect("spec")).expect("build");
    let (raw, last) = (&built.datasets[0], built.last());

    // The city profile: the results' score and rank; strengths and weaknesses by the rule.
    for row in [&rows[0], &rows[2], &rows[rows.len() - 1]] {
        let unit = row["city"].as_str().expect("city");
        let page = get_en(
            &app,
            &anonymous,
            &format!("/monitoring/editions/{id}/cities/{unit}"),
        )
        .await;
        assert_eq!(page.status(), 200, "{unit}");
        let html = page.text().await.expect("page");
        let score = row["Index"].as_f64().expect("score");
        assert_eq!(
            text_of(&html, "city-score"),
            format!("{score:.1}"),
            "{unit}"
        );
        let (rank, low, high) = (
            row["rank"].as_u64().expect("rank"),
            row["rank_low"].as_u64().expect("low"),
            row["rank_high"].as_u64().expect("high"),
        );
        let rank_text = if low == high {
            rank.to_string()
        } else {
            format!("{rank} ({low}–{high})")
        };
        assert_eq!(text_of(&html, "city-rank"), rank_text, "{unit}");
        let (strengths, weaknesses) =
            expected_strengths_and_weaknesses(raw, last, unit, rank as u32, rows.len());
        let shown = |id: &str| {
            if html.contains(&format!("id=\"{id}\"")) {
                codes_in(&html, id)
            } else {
                Vec::new()
            }
        };
        assert_eq!(shown("strengths"), strengths, "strengths of {unit}");
        assert_eq!(shown("weaknesses"), weaknesses, "weaknesses of {unit}");
        assert!(
            html.contains("class=\"chart score-bars\"")
                && html.contains("class=\"chart rank-line\"")
        );
        assert_eq!(codes_in(&html, "indicators").len(), raw.codes.len());
        // The peer group: ASEM's first Group column.
        assert!(
            text_of(&html, "city-group").starts_with("GDP_group: "),
            "{unit}"
        );
    }
    let missing = get(
        &app,
        &anonymous,
        None,
        &format!("/monitoring/editions/{id}/cities/NOWHERE"),
    )
    .await;
    assert_eq!(missing.status(), 404);

    // The ranking links each row to its profile; filters and sort by query parameters.
    let ranking = get_en(&app, &anonymous, &format!("/monitoring/editions/{id}"))
        .await
        .text()
        .await
        .expect("page");
    // minijinja writes '/' in attributes as "&#x2f;".
    assert!(ranking.replace("&#x2f;", "/").contains(&format!(
        "/monitoring/editions/{id}/cities/{}",
        rows[0]["city"].as_str().expect("c")
    )));
    let order: Vec<String> = rows
        .iter()
        .map(|r| r["city"].as_str().expect("c").to_string())
        .collect();
    assert_eq!(codes_in(&ranking, "ranking"), order);
    let large: Vec<String> = order
        .iter()
        .filter(|u| {
            let i = unit_data.ucode.iter().position(|c| c == *u).expect("unit");
            unit_data.groups["GDP_group"][i].as_deref() == Some("L")
        })
        .cloned()
        .collect();
    assert!(!large.is_empty());
    let filtered = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}?group=group-L"),
    )
    .await
    .text()
    .await
    .expect("page");
    assert_eq!(codes_in(&filtered, "ranking"), large);
    let mut by_conn: Vec<(String, f64)> = rows
        .iter()
        .map(|r| {
            (
                r["city"].as_str().expect("c").to_string(),
                r["Conn"].as_f64().expect("Conn"),
            )
        })
        .collect();
    by_conn.sort_by(|a, b| b.1.total_cmp(&a.1));
    let sorted = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}?sort=Conn"),
    )
    .await
    .text()
    .await
    .expect("page");
    assert_eq!(
        codes_in(&sorted, "ranking"),
        by_conn.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>()
    );

    // The comparison shows the chosen units, in order.
    let compared = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}/compare?cities=CHN,AUT,BEL"),
    )
    .await;
    assert_eq!(compared.status(), 200);
    let html = compared.text().await.expect("page");
    let table = &html[html.find("id=\"comparison\"").expect("the table")..];
    let head = &table[..table.find("</thead>").expect("head")];
    assert_eq!(
        head.split("data-code=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').expect("end")])
            .collect::<Vec<_>>(),
        ["CHN", "AUT", "BEL"]
    );
    assert!(html.contains("class=\"chart comparison-bars\""));
    let one = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}/compare?cities=AUT"),
    )
    .await
    .text()
    .await
    .expect("page");
    assert!(
        one.contains("id=\"compare-empty\""),
        "one city is not a comparison"
    );

    // The methodology: the tree, the steps and which input moves the ranks most.
    let methodology = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}/methodology"),
    )
    .await
    .text()
    .await
    .expect("page");
    // The tree nests lists: everything between it and the steps.
    let tree_html = &methodology[methodology.find("id=\"framework\"").expect("tree")
        ..methodology.find("id=\"steps\"").expect("steps")];
    let tree: Vec<&str> = tree_html
        .split("data-code=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').expect("end")])
        .collect();
    assert_eq!(tree.len(), fw.nodes.len(), "{tree:?}");
    assert!(
        methodology.contains("id=\"effects\"")
            && methodology.contains("Weights")
            && methodology.contains("Normalisation")
    );
    assert!(methodology.contains("class=\"moves-most\""));

    // Open data: the engine's numbers, every data set.
    let csv = get(
        &app,
        &anonymous,
        None,
        &format!("/api/v1/monitoring/editions/{id}/data.csv"),
    )
    .await;
    assert_eq!(csv.status(), 200);
    assert_eq!(content_type(&csv), "text/csv; charset=utf-8");
    let csv = csv.text().await.expect("CSV");
    let sets: HashMap<&str, &DataSet> = built
        .datasets
        .iter()
        .map(|d| (d.name.as_str(), d))
        .collect();
    let mut lines = 0;
    for record in csv::Reader::from_reader(csv.as_bytes()).records() {
        let record = record.expect("record");
        let dataset = sets[&record[0]];
        let i = dataset
            .units
            .iter()
            .position(|u| *u == record[1])
            .expect("unit");
        let engine = dataset.col(&record[2]).expect("code")[i];
        match record[3].parse::<f64>() {
            Ok(v) => assert_eq!(v, engine, "{record:?}"),
            Err(_) => assert!(record[3].is_empty() && engine.is_nan(), "{record:?}"),
        }
        lines += 1;
    }
    let values: usize = built
        .datasets
        .iter()
        .map(|d| d.units.len() * d.codes.len())
        .sum();
    assert_eq!(lines, values, "one line per value");

    let json: Value = get(
        &app,
        &anonymous,
        None,
        &format!("/api/v1/monitoring/editions/{id}/data.json"),
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(json["edition"]["id"], id);
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(json["ranking"][k]["city"], row["city"]);
        assert_eq!(json["ranking"][k]["scores"]["Index"], row["Index"]);
        assert_eq!(json["ranking"][k]["rank_low"], row["rank_low"]);
    }
    for (k, dataset) in built.datasets.iter().enumerate() {
        let shown = &json["datasets"][k];
        assert_eq!(shown["name"], dataset.name.as_str());
        for (i, unit) in dataset.units.iter().enumerate() {
            assert_eq!(shown["rows"][i]["city"], unit.as_str());
            for (code, col) in dataset.codes.iter().zip(&dataset.cols) {
                assert_eq!(
                    shown["rows"][i][code].as_f64(),
                    Some(col[i]).filter(|v| v.is_finite()),
                    "{} {unit} {code}",
                    dataset.name
                );
            }
        }
    }

    let xlsx = get_en(
        &app,
        &anonymous,
        &format!("/api/v1/monitoring/editions/{id}/data.xlsx"),
    )
    .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("XLSX").to_vec();
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
    let mut names = vec!["Ranking".to_string()];
    names.extend(built.datasets.iter().map(|d| d.name.clone()));
    assert_eq!(workbook.sheet_names(), names);
    for dataset in &built.datasets {
        let range = workbook.worksheet_range(&dataset.name).expect("sheet");
        let header = (0..range.height())
            .find(|&r| matches!(range.get((r, 0)), Some(Data::String(s)) if s == "Code"))
            .expect("the header row");
        for (i, unit) in dataset.units.iter().enumerate() {
            assert_eq!(
                range.get((header + 1 + i, 0)),
                Some(&Data::String(unit.clone()))
            );
            for (j, col) in dataset.cols.iter().enumerate() {
                match range.get((header + 1 + i, 1 + j)) {
                    Some(Data::Float(v)) => assert_eq!(*v, col[i], "{} {unit}", dataset.name),
                    other => assert!(col[i].is_nan(), "{} {unit}: {other:?}", dataset.name),
                }
            }
        }
    }

    // The PDF: front matter, then one page per unit in rank order.
    let pdf = get_en(
        &app,
        &anonymous,
        &format!("/monitoring/editions/{id}/report.pdf"),
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(content_type(&pdf), "application/pdf");
    let pdf = pdf.bytes().await.expect("PDF").to_vec();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    if let Some(pages) = pdf_pages(&pdf) {
        let names: HashMap<&str, &str> = unit_data
            .ucode
            .iter()
            .zip(&unit_data.uname)
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .collect();
        assert!(
            pages.len() > rows.len(),
            "front matter and {} profiles: {} pages",
            rows.len(),
            pages.len()
        );
        let profiles = &pages[pages.len() - rows.len()..];
        for (page, row) in profiles.iter().zip(&rows) {
            let name = names[row["city"].as_str().expect("city")];
            assert!(
                page.trim_start().starts_with(name),
                "page of {name}: {page}"
            );
        }
        let front = pages[..pages.len() - rows.len()].join("\n");
        assert!(
            front.contains("Methodology") && front.contains("Ranking"),
            "{front}"
        );
    }
}
