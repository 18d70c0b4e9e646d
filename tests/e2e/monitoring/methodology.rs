//! The methodology editor, end to end: an iMeta posted as an XLSX workbook through the API is
//! the methodology its CSV would be; the Secretariat names nodes in both languages, renames a
//! criterion and an indicator (the children and the data column follow), and the public pages
//! show the names in the reader's language once computed and published; a cycle or a broken
//! build is refused with its row and nothing changes; a published edition and one a campaign
//! uses are frozen (409, nothing saved); a copy starts a new draft edition with the same
//! methodology and no data, where an indicator can be added and removed again.
use super::{compute, post_edition, secretariat, Staff, SMALL_DATA, SMALL_META, SMALL_SPEC};
use crate::support::{location, spawn_app, TestApp};
use megapolis_monitoring::{MetaNode, MetaTable};

/// The workbook of a CSV table: one sheet `iMeta`, numbers as numbers.
fn workbook_of(csv: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("iMeta").expect("name");
    for (r, line) in csv.lines().enumerate() {
        for (c, value) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            if let Ok(n) = value.parse::<f64>() {
                sheet.write_number(r, c, n).expect("number");
            } else if !value.is_empty() {
                sheet.write_string(r, c, value).expect("text");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

async fn stored_meta(app: &TestApp, id: i64) -> MetaTable {
    let edition = app
        .store
        .monitoring()
        .edition(id)
        .await
        .expect("read")
        .expect("the edition");
    MetaTable::read_csv(edition.meta()).expect("a stored iMeta")
}

/// Every field of a node's form as the page fills it, with `changes` applied.
fn node_fields(node: &MetaNode, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    node.cells
        .iter()
        .map(|(column, value)| {
            let value = changes
                .iter()
                .find(|(c, _)| c == column)
                .map_or(value.as_str(), |(_, v)| v);
            (column.to_string(), value.to_string())
        })
        .collect()
}

async fn post_node(
    app: &TestApp,
    staff: &Staff,
    id: i64,
    form_page: &str,
    action: &str,
    fields: &[(String, String)],
) -> (u16, String, String) {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = app
        .post_form(
            &staff.client,
            &format!("/monitoring/editions/{id}{form_page}"),
            &format!("/monitoring/editions/{id}{action}"),
            &fields,
        )
        .await;
    let status = response.status().as_u16();
    let to = location(&response);
    (status, to, response.text().await.expect("body"))
}

async fn page(app: &TestApp, staff: &Staff, path: &str, lang: &str) -> (u16, String) {
    let response = staff
        .client
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .expect("GET");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

#[tokio::test]
async fn the_secretariat_edits_a_methodology_until_it_is_frozen_and_copies_it() {
    let app = spawn_app().await;
    let staff = secretariat(&app).await;

    // iMeta as a workbook: the same methodology as its CSV.
    let form = reqwest::multipart::Form::new()
        .part(
            "meta",
            reqwest::multipart::Part::bytes(workbook_of(SMALL_META))
                .file_name("iMeta.xlsx")
                .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .expect("mime"),
        )
        .text("spec", SMALL_SPEC)
        .text("data", SMALL_DATA)
        .text("year", "2027")
        .text("title_ru", "Мониторинг АСЕМ")
        .text("title_en", "ASEM monitoring");
    let response = post_edition(&app, &staff, form).await;
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let id = response.json::<serde_json::Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(stored_meta(&app, id).await.to_csv(), SMALL_META);

    let (status, html) = page(
        &app,
        &staff,
        &format!("/monitoring/editions/{id}/edit"),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"node-portal\"") && html.contains("id=\"node-Index\""));
    assert!(!html.contains("id=\"methodology-frozen\""));

    // Names in both languages and a weight.
    let table = stored_meta(&app, id).await;
    let waste = table.node("waste").expect("waste");
    let fields = node_fields(
        &waste,
        &[
            ("name_ru", "Отходы на жителя"),
            ("name_en", "Household waste"),
            ("Weight", "2"),
        ],
    );
    let (status, to, _) =
        post_node(&app, &staff, id, "/nodes/waste", "/nodes/waste", &fields).await;
    assert_eq!(
        (status, to.as_str()),
        (303, &*format!("/monitoring/editions/{id}/edit?done=saved"))
    );
    let table = stored_meta(&app, id).await;
    let waste = table.node("waste").expect("waste");
    assert_eq!(
        (
            waste.get("name_ru"),
            waste.get("name_en"),
            waste.get("Weight")
        ),
        ("Отходы на жителя", "Household waste", "2")
    );

    // A renamed criterion takes its indicators along; a renamed indicator its data column.
    let digital = table.node("Digital").expect("Digital");
    let (status, _, _) = post_node(
        &app,
        &staff,
        id,
        "/nodes/Digital",
        "/nodes/Digital",
        &node_fields(&digital, &[("iCode", "Online")]),
    )
    .await;
    assert_eq!(status, 303);
    let speed = stored_meta(&app, id).await.node("speed").expect("speed");
    assert_eq!(speed.get("Parent"), "Online");
    let (status, _, _) = post_node(
        &app,
        &staff,
        id,
        "/nodes/speed",
        "/nodes/speed",
        &node_fields(&speed, &[("iCode", "bandwidth")]),
    )
    .await;
    assert_eq!(status, 303);
    let data = app
        .store
        .monitoring()
        .edition(id)
        .await
        .expect("read")
        .expect("edition")
        .data()
        .expect("data")
        .to_string();
    assert!(
        data.starts_with("uCode,uName,portal,bandwidth,waste"),
        "{data}"
    );

    // A cycle and a broken build are refused with their place; nothing changes.
    let before = stored_meta(&app, id).await;
    let index = before.node("Index").expect("Index");
    let (status, _, html) = post_node(
        &app,
        &staff,
        id,
        "/nodes/Index",
        "/nodes/Index",
        &node_fields(&index, &[("Parent", "Online")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"methodology-refused\""), "{html}");
    assert_eq!(stored_meta(&app, id).await, before);
    let (status, _, html) = post_node(
        &app,
        &staff,
        id,
        "/edit",
        "/edit",
        &[
            ("year".into(), "2027".into()),
            ("title_en".into(), "Edited".into()),
            (
                "spec".into(),
                "[[step]]\nop = \"normalise\"\nmethod = \"cubic\"\n".into(),
            ),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"methodology-refused\"") && html.contains("cubic"),
        "{html}"
    );
    let summary = app
        .store
        .monitoring()
        .summary(id)
        .await
        .expect("read")
        .expect("summary");
    assert_eq!(summary.title_en, "ASEM monitoring", "nothing saved");

    // Computed and published: the names in the reader's language, and the methodology frozen.
    let job = compute(&app, &staff, id).await;
    assert_eq!(job["state"], "done", "{job}");
    let response = staff
        .client
        .post(app.url(&format!("/api/v1/monitoring/editions/{id}/publish")))
        .bearer_auth(&staff.token)
        .send()
        .await
        .expect("publish");
    assert!(response.status().is_success());
    let methodology = format!("/monitoring/editions/{id}/methodology");
    let (_, ru) = page(&app, &staff, &methodology, "ru").await;
    let (_, en) = page(&app, &staff, &methodology, "en").await;
    assert!(ru.contains("Отходы на жителя") && !ru.contains("Household waste"));
    assert!(en.contains("Household waste") && !en.contains("Отходы на жителя"));
    let (_, html) = page(
        &app,
        &staff,
        &format!("/monitoring/editions/{id}/edit"),
        "en",
    )
    .await;
    assert!(html.contains("id=\"methodology-frozen\""));
    let before = stored_meta(&app, id).await;
    let waste = before.node("waste").expect("waste");
    let (status, _, _) = post_node(
        &app,
        &staff,
        id,
        "/nodes/waste",
        "/nodes/waste",
        &node_fields(&waste, &[("Weight", "5")]),
    )
    .await;
    assert_eq!(status, 409, "a published methodology is frozen");
    assert_eq!(stored_meta(&app, id).await, before);

    // A copy: a new draft with the methodology and no data, editable.
    let (status, to, _) = post_node(
        &app,
        &staff,
        id,
        "/edit",
        "/copy",
        &[
            ("year".into(), "2028".into()),
            ("title_ru".into(), "Мониторинг 2028".into()),
            ("title_en".into(), "Monitoring 2028".into()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let copy: i64 = to
        .trim_start_matches("/monitoring/editions/")
        .split('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{to}"));
    let copied = app
        .store
        .monitoring()
        .summary(copy)
        .await
        .expect("read")
        .expect("copy");
    assert_eq!((copied.year, copied.has_data), (2028, false));
    assert_eq!(stored_meta(&app, copy).await, stored_meta(&app, id).await);
    let new = node_fields(
        &stored_meta(&app, copy).await.node("waste").expect("waste"),
        &[
            ("iCode", "water"),
            ("iName", "Water losses"),
            ("name_ru", ""),
            ("name_en", ""),
        ],
    );
    let (status, _, _) = post_node(&app, &staff, copy, "/new-node", "/nodes", &new).await;
    assert_eq!(status, 303);
    assert!(stored_meta(&app, copy).await.node("water").is_some());
    let (status, _, html) = post_node(
        &app,
        &staff,
        copy,
        "/nodes/Green",
        "/nodes/Green/delete",
        &[],
    )
    .await;
    assert_eq!(status, 422, "an aggregate with indicators under it stays");
    assert!(html.contains("water"), "the page names what is under it");
    let (status, _, _) = post_node(
        &app,
        &staff,
        copy,
        "/nodes/water",
        "/nodes/water/delete",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    assert!(stored_meta(&app, copy).await.node("water").is_none());

    // The demo campaign's edition is frozen while the campaign uses it.
    let campaigns = app.store.campaigns().list().await.expect("campaigns");
    let used = campaigns.first().expect("the demo campaign").edition_id;
    let summary = app
        .store
        .monitoring()
        .summary(used)
        .await
        .expect("read")
        .expect("edition");
    assert!(
        !summary.state.is_public(),
        "the demo campaign runs on an unpublished edition"
    );
    let (_, html) = page(
        &app,
        &staff,
        &format!("/monitoring/editions/{used}/edit"),
        "en",
    )
    .await;
    assert!(html.contains("A campaign uses this edition"), "{html}");
    let before = stored_meta(&app, used).await;
    let first = before.nodes().into_iter().next().expect("a node");
    let code = first.code().to_string();
    let (status, _, _) = post_node(
        &app,
        &staff,
        used,
        &format!("/nodes/{code}"),
        &format!("/nodes/{code}"),
        &node_fields(&first, &[("Weight", "7")]),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(stored_meta(&app, used).await, before);
}
