//! The demo consultation's documents read back: the summary and the approved plan as PDF (through
//! pdftotext) and XLSX (through calamine), and its open data as CSV and JSON, without authors.
use crate::support::{api_get, client, content_type, TestApp};
use crate::training::documents::pdf_text;
use calamine::{open_workbook_from_rs, Reader, Xlsx};
use std::io::Cursor;

async fn bytes(app: &TestApp, client: &reqwest::Client, path: &str) -> (String, Vec<u8>) {
    let response = app.get(client, path).await;
    assert_eq!(response.status(), 200, "{path}");
    let kind = content_type(&response);
    (kind, response.bytes().await.expect("body").to_vec())
}

fn sheet_rows(xlsx: Vec<u8>, sheet: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("a workbook");
    let range = book.worksheet_range(sheet).expect("the sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn the_summary_and_the_plan_as_pdf_xlsx_and_open_data() {
    let app = crate::support::spawn_app().await;
    let anyone = client();
    // The summary: counts by topic and the generalised proposals with their sources.
    let (kind, pdf) = bytes(&app, &anyone, "/consultations/1/summary.pdf?lang=en").await;
    assert_eq!(kind, "application/pdf");
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Submissions by topic"), "{flat}");
        assert!(
            flat.contains("Wi-Fi 5 1"),
            "the Wi-Fi topic: 5 submissions, 1 proposal: {flat}"
        );
        assert!(
            flat.contains("Free Wi-Fi in the metro of the Association's cities"),
            "{flat}"
        );
        assert!(
            flat.contains("№ 2 · astana — Free Wi-Fi in every metro station."),
            "{flat}"
        );
        assert!(!flat.contains("Виктор Минский"), "no author in the summary");
    }
    let (_, xlsx) = bytes(&app, &anyone, "/consultations/1/summary.xlsx?lang=ru").await;
    let topics = sheet_rows(xlsx.clone(), "topics");
    assert!(
        topics.iter().any(|r| r[..] == ["Wi-Fi", "5", "1"]),
        "{topics:?}"
    );
    let sources = sheet_rows(xlsx, "sources");
    assert!(
        sources
            .iter()
            .any(|r| r.first().map(String::as_str) == Some("1")
                && r.get(1).map(String::as_str) == Some("3")),
        "{sources:?}"
    );

    // The approved plan (signed in): its items with their assignments.
    let board = app.login_as("body-member").await;
    let (_, pdf) = bytes(&app, &board, "/consultations/1/plans/1/plan.pdf?lang=ru").await;
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Подготовить типовые требования"), "{flat}");
        assert!(flat.contains("утверждён"), "{flat}");
    }
    let (_, xlsx) = bytes(&app, &board, "/consultations/1/plans/1/plan.xlsx?lang=en").await;
    let rows = sheet_rows(xlsx, "plan");
    let item = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("типовые требования")))
        .expect("the Wi-Fi item");
    assert!(
        item.iter().any(|c| c.starts_with("№ ")),
        "an assignment: {item:?}"
    );
    let response = app.get(&anyone, "/consultations/1/plans/1/plan.pdf").await;
    assert_eq!(
        response.status(),
        303,
        "the plan's documents need a sign-in"
    );

    // Open data: no author anywhere; the groups and the approved plan only.
    let (kind, csv) = bytes(&app, &anyone, "/api/v1/consultations/1/submissions.csv").await;
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(csv).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "id",
            "city",
            "lang",
            "kind",
            "topic",
            "text",
            "created_at",
            "state",
            "generalised"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 80);
    assert_eq!(&records[0][7], "merged");
    assert!(!csv.contains("@megapolis.example") && !csv.contains("Виктор"));
    let (status, groups) = api_get(&app, None, "/api/v1/consultations/1/generalised").await;
    assert_eq!(status, 200);
    assert_eq!(
        groups[0]["submissions"],
        serde_json::json!([1, 2, 3, 14, 15])
    );
    let (status, plans) = api_get(&app, None, "/api/v1/consultations/1/plans").await;
    assert_eq!(status, 200);
    assert_eq!(
        plans.as_array().map(Vec::len),
        Some(1),
        "the draft is not open data: {plans}"
    );
    assert!(plans[0]["items"][0]["assignment"].is_i64(), "{plans}");
    let (_, csv) = bytes(&app, &anyone, "/api/v1/consultations/1/plans.csv").await;
    assert_eq!(
        String::from_utf8(csv).expect("UTF-8").lines().count(),
        4,
        "a header and three items"
    );
}
