//! The competitions' pages over HTTP: a call refused by the row of its criterion with the form
//! kept, a refusal of the competition's rules said in the reader's language with its status,
//! the published results open to everyone, a city's draft edited on its entry's page, and files
//! attached there (refused by name, downloaded as sent).
use super::competition::{call_json, ensure_published_competition, person, signed_in_person};
use crate::support::{
    api_post as post, client, content_type, location, spawn_app, unescape, TestApp,
};
use serde_json::json;

#[tokio::test]
async fn the_pages_say_refusals_in_words_and_show_the_results() {
    let app = spawn_app().await;
    ensure_published_competition(&app).await;
    let staff = app.login_as("secretariat").await;
    app.get(&staff, "/lang/ru?back=/").await;

    let call = [
        ("title_ru", "Конкурс страницы"),
        ("year", "2026"),
        ("nominations", "Транспорт\nОткрытый город"),
        (
            "criteria",
            "2 | Результаты | 1 | 2 | 3 | 4 | 5\n1 | Тиражируемость | a | b | c | d",
        ),
        ("submission_deadline", "2100-03-01"),
        ("evaluation_deadline", "2100-04-01"),
        ("results_on", "2100-04-15"),
        ("jury_body", "board"),
    ];
    let response = app
        .post_form(&staff, "/competitions", "/competitions", &call)
        .await;
    assert_eq!(response.status(), 422);
    let html = unescape(&response.text().await.expect("page"));
    assert!(
        html.contains("строка 2: нужно пять описаний, по одному на каждый балл от 1 до 5"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Конкурс страницы\""),
        "the form is kept"
    );

    let response = app
        .post_form(
            &staff,
            "/competitions/1",
            "/competitions/1/step",
            &[("step", "open")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.expect("page");
    assert!(
        html.contains("На этом этапе конкурса это сделать нельзя."),
        "{html}"
    );

    // Anyone sees the winner, linked to its page in the catalogue.
    let anonymous = client();
    let response = app.get(&anonymous, "/competitions/1").await;
    assert_eq!(response.status(), 200);
    let html = unescape(&response.text().await.expect("page"));
    let solution = app
        .store
        .competitions()
        .entry(1)
        .await
        .expect("read")
        .and_then(|e| e.solution_id)
        .expect("published");
    assert!(
        html.contains(&format!("href=\"/catalogue/{solution}\"")),
        "{html}"
    );
}

/// A page as `client` reads it, with minijinja's escapes undone.
async fn page_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    unescape(&app.get(client, path).await.text().await.expect("page"))
}

/// A call opened by the Secretariat and Minsk's draft in it, entered on the page by the demo
/// city representative (reading English): their client and the entry's page.
async fn minsk_draft(app: &TestApp) -> (reqwest::Client, String) {
    let (_, secretariat) = person(app, "secretariat", "", None).await;
    let (status, body) = post(app, &secretariat, "/api/v1/competitions", &call_json()).await;
    assert_eq!(status, 201, "{body}");
    let call = body["id"].as_i64().expect("an id");
    let (status, body) = post(
        app,
        &secretariat,
        &format!("/api/v1/competitions/{call}/open"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let minsk = app.login_as("city-rep").await;
    app.get(&minsk, "/lang/en?back=/").await;
    let page = format!("/competitions/{call}");
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("/competitions/{call}/entries"),
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Первое название"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let created = location(&response);
    let entry_page = created.split('?').next().expect("a path").to_string();
    (minsk, entry_page)
}

#[tokio::test]
async fn a_city_edits_its_draft_entry_on_its_page() {
    let app = spawn_app().await;
    let (minsk, entry_page) = minsk_draft(&app).await;
    let edit = format!("{entry_page}/edit");

    let html = page_of(&app, &minsk, &entry_page).await;
    assert!(html.contains("id=\"edit-entry\""), "{html}");
    assert!(html.contains("value=\"Первое название\""), "{html}");

    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Новое название"),
                ("technologies", "Rust\nSQLite"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{entry_page}?done=saved"));
    let html = page_of(&app, &minsk, &entry_page).await;
    assert!(html.contains("<h1>Новое название</h1>"), "{html}");
    assert!(html.contains(">Rust\nSQLite</textarea>"), "{html}");

    // A bad address: refused by its field, the form kept, nothing saved.
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[
                ("nomination", "Умный транспорт"),
                ("title_ru", "Третье название"),
                ("url", "ftp://lights.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = unescape(&response.text().await.expect("page"));
    assert!(
        html.contains("an address starting with http:// or https://"),
        "{html}"
    );
    assert!(html.contains("id=\"f-url\" name=\"url\" type=\"url\" value=\"ftp://lights.example\" aria-invalid=\"true\""), "{html}");
    assert!(
        html.contains("value=\"Третье название\""),
        "the form is kept"
    );
    let html = page_of(&app, &minsk, &entry_page).await;
    assert!(html.contains("<h1>Новое название</h1>"), "nothing saved");

    // Another city's representative: not theirs, neither the form nor the write.
    let (_, baku) = signed_in_person(&app, "city-rep", "baku", None).await;
    let html = page_of(&app, &baku, &entry_page).await;
    assert!(!html.contains("id=\"edit-entry\""), "{html}");
    let response = app
        .post_form(
            &baku,
            &entry_page,
            &edit,
            &[("nomination", "Умный транспорт"), ("title_ru", "Чужое")],
        )
        .await;
    assert_eq!(response.status(), 403);

    // Once submitted, the form is gone and an edit is refused in words.
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &format!("{entry_page}/step"),
            &[("step", "submit")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page_of(&app, &minsk, &entry_page).await;
    assert!(!html.contains("id=\"edit-entry\""), "{html}");
    let response = app
        .post_form(
            &minsk,
            &entry_page,
            &edit,
            &[("nomination", "Умный транспорт"), ("title_ru", "Поздно")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let html = unescape(&response.text().await.expect("page"));
    assert!(html.contains("id=\"refusal\""), "{html}");
    assert!(html.contains("<h1>Новое название</h1>"), "nothing saved");
}

/// A real 1×1 PNG: the signature, IHDR, a zlib-compressed IDAT and IEND, each with its CRC.
fn png() -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // One scanline: no filter, one red pixel.
    zlib.write_all(&[0, 255, 0, 0]).expect("compress");
    let pixels = zlib.finish().expect("compress");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    // 1×1, 8 bits per channel, RGB, deflate, no filter method, not interlaced.
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    chunk(&mut out, b"IDAT", &pixels);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Sends the entry page's upload form with `file` and the form token `csrf` (none: a forged
/// form), as a browser would.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    entry_page: &str,
    csrf: Option<String>,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    if let Some(token) = csrf {
        form = form.text("_csrf", token);
    }
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    client
        .post(app.url(&format!("{entry_page}/attachments")))
        .header("Origin", app.url(""))
        .multipart(form.part("file", part))
        .send()
        .await
        .expect("upload")
}

/// The download links of the entry page's list of attachments.
fn attachment_links(html: &str, entry_page: &str) -> Vec<String> {
    let marker = format!("href=\"{entry_page}/attachments/");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let link = &html[at + "href=\"".len()..];
            link[..link.find('"').expect("a closing quote")].to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_city_attaches_files_to_its_entry_on_its_page() {
    let app = spawn_app().await;
    let (minsk, entry_page) = minsk_draft(&app).await;
    let token = || app.csrf(&minsk, &entry_page);
    let html = page_of(&app, &minsk, &entry_page).await;
    assert!(html.contains("id=\"attach-form\""), "{html}");
    assert!(
        html.contains("accept=\".pdf,.png,.jpeg,.jpg,.pptx,.odp\""),
        "{html}"
    );
    assert!(
        html.contains("PDF, PNG, JPEG, PPTX or ODP, up to 20 MB"),
        "{html}"
    );
    assert!(html.contains("No files are attached yet."), "{html}");

    // A real picture: back to the entry with the notice, listed with its kind and size, and
    // downloaded as it was sent.
    let picture = png();
    let response = upload(
        &app,
        &minsk,
        &entry_page,
        Some(token().await),
        "screen.png",
        picture.clone(),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{entry_page}?done=attached"));
    let html = page_of(&app, &minsk, &location(&response)).await;
    assert!(html.contains("The file is attached."), "{html}");
    assert!(
        html.contains(">screen.png</a> <small>PNG, 1 KB</small>"),
        "{html}"
    );
    let links = attachment_links(&html, &entry_page);
    assert_eq!(links.len(), 1, "{html}");
    let download = app.get(&minsk, &links[0]).await;
    assert_eq!(download.status(), 200);
    assert_eq!(content_type(&download), "image/png");
    assert_eq!(download.bytes().await.expect("file").to_vec(), picture);
    // The draft is its city's own: nobody else downloads its file.
    assert_eq!(app.get(&client(), &links[0]).await.status(), 404);

    // Refused by name, in the reader's language, nothing kept: a program renamed as a PDF, a
    // program as itself, and a file over 20 MB (not a bare 413: the page has the API's limit).
    let huge = [b"%PDF".as_slice(), &vec![0u8; 21 * 1024 * 1024]].concat();
    for (name, bytes, message) in [
        (
            "setup.pdf",
            b"MZ\x90\x00 a program".to_vec(),
            "“setup.pdf”: the file's contents do not match its extension",
        ),
        (
            "setup.exe",
            b"MZ\x90\x00 a program".to_vec(),
            "“setup.exe”: only PDF, PNG, JPEG, PPTX and ODP files may be attached.",
        ),
        ("huge.pdf", huge, "“huge.pdf” is over the limit of 20 MB."),
    ] {
        let response = upload(&app, &minsk, &entry_page, Some(token().await), name, bytes).await;
        assert_eq!(response.status(), 422, "{name}");
        let html = unescape(&response.text().await.expect("page"));
        assert!(html.contains(message), "{name}: {html}");
        assert!(
            html.contains("id=\"e-file\""),
            "said by the field too: {html}"
        );
        assert_eq!(attachment_links(&html, &entry_page).len(), 1, "{name}");
    }
    app.get(&minsk, "/lang/ru?back=/").await;
    let response = upload(
        &app,
        &minsk,
        &entry_page,
        Some(token().await),
        "setup.pdf",
        b"MZ".to_vec(),
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = unescape(&response.text().await.expect("page"));
    assert!(
        html.contains("«setup.pdf»: содержимое файла не соответствует его расширению"),
        "{html}"
    );

    // Another city's representative: neither the form nor the write; without the form's token,
    // refused too. Still one file.
    let (_, baku) = signed_in_person(&app, "city-rep", "baku", None).await;
    let response = app.get(&baku, &entry_page).await;
    assert_eq!(
        response.status(),
        404,
        "another city's draft is not theirs to see"
    );
    let baku_token = Some(app.csrf(&baku, "/profile").await);
    let response = upload(&app, &baku, &entry_page, baku_token, "screen.png", png()).await;
    assert_eq!(response.status(), 403);
    let response = upload(&app, &minsk, &entry_page, None, "screen.png", png()).await;
    assert_eq!(response.status(), 403);
    let html = page_of(&app, &minsk, &entry_page).await;
    assert_eq!(attachment_links(&html, &entry_page).len(), 1, "{html}");
}
