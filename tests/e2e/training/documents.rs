//! Certificates issued in bulk by a job, the certificate as a PDF (its text, and its QR code
//! read back from the rendered page), and the reports with the figures a test set up: the page,
//! the XLSX, the PDF and the open data.
use crate::support::{api_get, api_post, client, content_type, spawn_app, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Asks for a cohort's certificates and follows the job until it is done; returns its answer.
pub(crate) async fn issue_by_job(app: &TestApp, token: &str, cohort_id: i64) -> Value {
    let (status, queued) = api_post(
        app,
        token,
        &format!("/api/v1/training/cohorts/{cohort_id}/certificates"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 202, "{queued}");
    let job = queued["job"].as_i64().expect("a job id");
    let started = Instant::now();
    loop {
        let (status, answer) = api_get(app, Some(token), &format!("/api/v1/jobs/{job}")).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["kind"], "training-certificates");
        match answer["state"].as_str() {
            Some("done") => return answer,
            Some("failed") => panic!("issuing failed: {answer}"),
            _ => {}
        }
        assert!(answer["error"].is_null(), "an attempt failed: {answer}");
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "still {answer}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn run(program: &str, args: &[&str]) -> Option<Vec<u8>> {
    match std::process::Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Some(out.stdout),
        Ok(out) => panic!("{program} failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("SKIPPED: {program} is not installed (Debian poppler-utils)");
            None
        }
    }
}

/// The text of a PDF through `pdftotext`, when it is installed.
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).expect("write");
    let path = path.to_string_lossy().to_string();
    run("pdftotext", &["-layout", &path, "-"]).map(|t| String::from_utf8_lossy(&t).into_owned())
}

/// The QR codes found on a PDF's first page.
pub(crate) fn qr_codes(pdf: &[u8]) -> Option<Vec<String>> {
    qr_codes_on(pdf, 1)
}

/// The QR codes found on a PDF's page `page` (from 1), rendered in grey by `pdftoppm` (a PGM
/// image) and read by rqrr.
pub(crate) fn qr_codes_on(pdf: &[u8], page: usize) -> Option<Vec<String>> {
    let page = page.to_string();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).expect("write");
    let path = path.to_string_lossy().to_string();
    let pgm = run(
        "pdftoppm",
        &["-r", "110", "-gray", "-f", &page, "-l", &page, &path],
    )?;
    // P5 <width> <height> <max>, one whitespace, then a byte per pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "a binary greymap");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    let pixels = &pgm[at + 1..];
    assert_eq!(pixels.len(), width * height, "one byte per pixel");
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    Some(
        image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
            .collect(),
    )
}

/// The certificate's PDF in `lang`: a PDF, showing `name` and the code, its QR code holding the
/// verification page's address, which opens that page.
pub(crate) async fn assert_certificate_pdf(app: &TestApp, code: &str, name: &str, lang: &str) {
    let http = client();
    let response = http
        .get(app.url(&format!(
            "/certificates/{}/certificate.pdf?lang={lang}",
            code.to_lowercase()
        )))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/pdf");
    let pdf = response.bytes().await.expect("body").to_vec();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    if let Some(text) = pdf_text(&pdf) {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(name), "the name: {flat}");
        assert!(flat.contains(code), "the code: {flat}");
        let title = if lang == "en" {
            "CERTIFICATE"
        } else {
            "СЕРТИФИКАТ"
        };
        assert!(flat.contains(title), "in {lang}: {flat}");
    }
    if let Some(codes) = qr_codes(&pdf) {
        let expected = app.url(&format!("/certificates/{code}"));
        assert_eq!(codes, vec![expected.clone()], "the QR code's address");
        let page = http.get(&expected).send().await.expect("GET");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("page");
        assert!(html.contains(name), "the QR code opens the certificate");
    }
}

#[tokio::test]
async fn a_job_issues_a_cohorts_certificates_once_and_the_reports_count_what_was_done() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let today = time::OffsetDateTime::now_utc().date();
    let year = today.year();
    let (status, programme) = api_post(
        &app,
        &token,
        "/api/v1/training/programmes",
        &json!({
            "title_ru": "Данные города", "title_en": "City data, in practice", "description": "",
            "partner": "Университет", "hours": 72, "validity_years": 3
        }),
    )
    .await;
    assert_eq!(status, 201, "{programme}");
    let programme_id = programme["id"].as_i64().expect("id");
    let (status, cohort) = api_post(
        &app,
        &token,
        "/api/v1/training/cohorts",
        &json!({
            "programme_id": programme_id, "title": "Поток отчётов", "starts_on": today.to_string(),
            "ends_on": today.to_string(), "place": "Минск", "capacity": 10,
            "applications_open": today.to_string(), "applications_close": today.to_string(),
            "quotas": { "minsk": 3, "moscow": 2 }
        }),
    )
    .await;
    assert_eq!(status, 201, "{cohort}");
    let cohort_id = cohort["id"].as_i64().expect("id");
    // Minsk: two complete, one fails; Moscow: one of its two places, completed.
    let people = [
        ("minsk", "Ольга Петрова", true),
        ("minsk", "Иван Сидоров", true),
        ("minsk", "Пётр Козлов", false),
        ("moscow", "Мария Смирнова", true),
    ];
    for (k, (city, name, passes)) in people.iter().enumerate() {
        let (status, nominated) = api_post(
            &app,
            &token,
            &format!("/api/v1/training/cohorts/{cohort_id}/nominations"),
            &json!({ "name": name, "position": "Аналитик", "department": "ИТ",
                    "email": format!("person{k}@{city}.example"), "city": city }),
        )
        .await;
        assert_eq!(status, 201, "{nominated}");
        let id = nominated["id"].as_i64().expect("id");
        let (status, outcome) = api_post(
            &app,
            &token,
            &format!("/api/v1/training/nominations/{id}/complete"),
            &json!({ "attendance": 0.95, "assessment_passed": passes }),
        )
        .await;
        assert_eq!(status, 200, "{outcome}");
    }

    // One job issues the three; a second issues nobody a second certificate.
    let done = issue_by_job(&app, &token, cohort_id).await;
    assert_eq!(done["result"]["issued"], 3, "{done}");
    assert_eq!(done["progress"], 100);
    let again = issue_by_job(&app, &token, cohort_id).await;
    assert_eq!(again["result"]["issued"], 0, "{again}");
    let (_, list) = api_get(
        &app,
        Some(&token),
        &format!("/api/v1/training/cohorts/{cohort_id}/nominations"),
    )
    .await;
    let mut codes: Vec<(String, String)> = list["nominations"]
        .as_array()
        .expect("nominations")
        .iter()
        .filter_map(|n| {
            Some((
                n["name"].as_str()?.to_string(),
                n["certificate"].as_str()?.to_string(),
            ))
        })
        .collect();
    codes.sort();
    assert_eq!(codes.len(), 3, "{list}");
    assert!(!codes.iter().any(|(name, _)| name == "Пётр Козлов"));
    let mut sql = app.sql().await;
    let stored = sql
        .count(&format!(
            "SELECT COUNT(*) FROM training_certificates c JOIN training_nominations n \
             ON n.id = c.nomination_id WHERE n.cohort_id = {cohort_id}"
        ))
        .await;
    assert_eq!(stored, 3);
    // An unknown cohort is refused at once, no job queued.
    let (status, _) = api_post(
        &app,
        &token,
        "/api/v1/training/cohorts/999999/certificates",
        &json!({}),
    )
    .await;
    assert_eq!(status, 404);

    // The certificate as a PDF, in both languages; its QR code opens its page.
    let (name, code) = &codes[0];
    assert_certificate_pdf(&app, code, name, "ru").await;
    assert_certificate_pdf(&app, code, name, "en").await;
    let page = client()
        .get(app.url(&format!("/certificates/{code}")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(
        page.contains(&format!("/certificates/{code}/certificate.pdf?lang=en")),
        "the page links its PDF"
    );
    // Revoked: no PDF, the verification page instead, saying why.
    let (status, _) = api_post(
        &app,
        &token,
        &format!("/api/v1/certificates/{code}/revoke"),
        &json!({ "reason": "ошибка в фамилии" }),
    )
    .await;
    assert_eq!(status, 200);
    let refused = client()
        .get(app.url(&format!("/certificates/{code}/certificate.pdf")))
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 410);
    let html = refused.text().await.expect("page");
    assert!(html.contains("data-status=\"revoked\""), "{html}");
    assert!(html.contains("ошибка в фамилии"));
    assert!(html.contains("id=\"no-pdf\""));
    let unknown = client()
        .get(app.url("/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/certificate.pdf"))
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), 404);

    // The open data: per city, programme and year against quotas; per programme the rate.
    let (status, report) = api_get(&app, None, "/api/v1/training/reports").await;
    assert_eq!(status, 200);
    let lines: Vec<&Value> = report["cities"]
        .as_array()
        .expect("cities")
        .iter()
        .filter(|l| l["programme_id"] == programme_id)
        .collect();
    assert_eq!(
        lines,
        vec![
            &json!({ "city": "minsk", "programme_id": programme_id, "year": year,
                     "quota": 3, "nominated": 3, "trained": 2 }),
            &json!({ "city": "moscow", "programme_id": programme_id, "year": year,
                     "quota": 2, "nominated": 1, "trained": 1 }),
        ]
    );
    let programme_line = report["programmes"]
        .as_array()
        .expect("programmes")
        .iter()
        .find(|l| l["programme_id"] == programme_id)
        .expect("the programme's line")
        .clone();
    assert_eq!(programme_line["nominated"], 4);
    assert_eq!(programme_line["completed"], 3);
    assert_eq!(programme_line["failed"], 1);
    assert_eq!(programme_line["completion_rate"], 0.75);
    assert!(
        !report.to_string().contains("Ольга"),
        "no personal data in the open data"
    );
    let csv = client()
        .get(app.url("/api/v1/training/reports.csv"))
        .send()
        .await
        .expect("GET");
    assert!(content_type(&csv).starts_with("text/csv"));
    let csv = csv.text().await.expect("CSV");
    assert!(csv.starts_with("city,programme_id,programme,year,quota,nominated,trained\n"));
    assert!(
        csv.contains(&format!(
            "minsk,{programme_id},\"City data, in practice\",{year},3,3,2\n"
        )),
        "{csv}"
    );

    // The page, the workbook and the PDF show the same figures.
    let html = client()
        .get(app.url("/training/reports"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(html.contains("Данные города"), "{html}");
    assert!(html.contains("75 %"), "the completion rate: {html}");
    let xlsx = client()
        .get(app.url("/training/reports.xlsx?lang=en"))
        .send()
        .await
        .expect("GET")
        .bytes()
        .await
        .expect("body")
        .to_vec();
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("a workbook");
    let range = workbook
        .worksheet_range("by-programme")
        .expect("the programmes' sheet");
    let row = range
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some("City data, in practice".into()))
        .expect("the programme's row");
    let figures: Vec<String> = row.iter().skip(1).map(|c| c.to_string()).collect();
    assert_eq!(figures, ["4", "3", "1", "0", "0.75"]);
    let pdf = client()
        .get(app.url("/training/reports.pdf?lang=en"))
        .send()
        .await
        .expect("GET");
    assert_eq!(content_type(&pdf), "application/pdf");
    let pdf = pdf.bytes().await.expect("body").to_vec();
    if let Some(text) = pdf_text(&pdf) {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("City data, in practice"), "{flat}");
        assert!(flat.contains("75 %"), "{flat}");
    }
}
