//! The catalogue as open data a spreadsheet or a program opens: XLSX read back with calamine and
//! JSON, both with every published solution (never a draft) and the number of cities using it.
use super::filled_with_demo;
use crate::support::{api_get, api_post, client, content_type};
use calamine::{Data, Reader};
use serde_json::json;
use std::io::Cursor;

#[tokio::test]
async fn the_catalogue_reads_as_xlsx_and_json() {
    let (app, token, ids) = filled_with_demo().await;
    let body = json!({"city": "astana", "status": "in-operation", "date": "2025-01-01"});
    let path = format!("/api/v1/solutions/{}/adoptions", ids[0]);
    assert_eq!(api_post(&app, &token, &path, &body).await.0, 200);
    let published = app.store.catalogue().list(true).await.expect("list");

    let response = app.get(&client(), "/api/v1/catalogue.xlsx").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        content_type(&response),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.expect("xlsx").to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX");
    let sheet = workbook.worksheet_range("catalogue").expect("the sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(Data::to_string).as_deref() == Some("id"))
        .expect("a header row");
    let columns: Vec<String> = rows[header].iter().map(Data::to_string).collect();
    let column = |name: &str| columns.iter().position(|c| c == name).expect(name);
    let body: Vec<&[Data]> = rows[header + 1..].to_vec();
    assert_eq!(body.len(), published.len(), "every published solution");
    let lights = body
        .iter()
        .find(|r| r[0].to_string() == ids[0].to_string())
        .expect("the lights' row");
    assert_eq!(lights[column("title_ru")].to_string(), "Умные светофоры");
    assert_eq!(lights[column("year")], Data::Float(2024.0));
    assert_eq!(lights[column("used_by")], Data::Float(1.0));
    assert!(
        !body.iter().any(|r| r[0].to_string() == ids[3].to_string()),
        "not the draft"
    );

    let (status, catalogue) = api_get(&app, None, "/api/v1/catalogue.json").await;
    assert_eq!(status, 200);
    let solutions = catalogue["solutions"].as_array().expect("solutions");
    assert_eq!(solutions.len(), published.len());
    let lights = solutions
        .iter()
        .find(|s| s["id"] == ids[0])
        .expect("the lights");
    assert_eq!(lights["used_by"], 1);
    assert_eq!(lights["adoptions"][0]["city"], "astana");
    assert_eq!(lights["technologies"], json!(["Python", "PostgreSQL"]));
}
