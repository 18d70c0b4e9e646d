//! The approved plan as a document: the demo's approved version is its decision's appendix (the
//! decision's page shows its events), it prints as a PDF table by month and as XLSX, read back;
//! attaching refuses a version not approved, one already attached and who is not the Secretariat.
use super::{approved_plan, president_token, proposal};
use crate::support::{api_post as post, spawn_app, token_of, unescape};
use crate::training::documents::pdf_text;
use serde_json::json;

#[tokio::test]
async fn the_demo_plan_is_its_decisions_appendix_and_prints_as_pdf_and_xlsx() {
    let app = spawn_app().await;
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let plan = app
        .store
        .events()
        .in_force()
        .await
        .expect("plans")
        .into_iter()
        .find(|p| p.year == year)
        .expect("the demo's approved plan");
    let decision = plan.decision_id.expect("attached to a demo decision");
    let title = format!("План основных мероприятий на {year} год, версия 2");
    let anonymous = crate::support::client();

    // The decision's page lists the appendix, linking the plan, and shows its events by month.
    let html = unescape(
        &app.get(&anonymous, &format!("/decisions/{decision}"))
            .await
            .text()
            .await
            .expect("html"),
    );
    assert!(html.contains(&title), "{html}");
    assert!(
        html.contains(&format!("href=\"/events/plans/{}\"", plan.id)),
        "{html}"
    );
    assert!(html.contains("Сессия Ассоциации"), "{html}");
    assert!(html.contains("Выставка городских решений"), "{html}");

    // The plan's page names its decision and its documents; a returned version is not public.
    let html = unescape(
        &app.get(&anonymous, &format!("/events/plans/{}", plan.id))
            .await
            .text()
            .await
            .expect("html"),
    );
    assert!(
        html.contains(&format!("href=\"/decisions/{decision}\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("/events/plans/{}/plan.pdf", plan.id)),
        "{html}"
    );
    assert_eq!(app.get(&anonymous, "/events/plans/1").await.status(), 404);
    assert_eq!(
        app.get(&anonymous, "/events/plans/1/plan.pdf")
            .await
            .status(),
        404
    );
    // The public plan links the documents of the plan in force.
    let html = unescape(
        &app.get(&anonymous, "/events")
            .await
            .text()
            .await
            .expect("html"),
    );
    assert!(
        html.contains(&format!("/events/plans/{}/plan.xlsx", plan.id)),
        "{html}"
    );

    // The PDF: the title, the months as headings of the table, the events in them.
    let response = app
        .get(&anonymous, &format!("/events/plans/{}/plan.pdf", plan.id))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(crate::support::content_type(&response), "application/pdf");
    let pdf = response.bytes().await.expect("pdf");
    match pdf_text(&pdf) {
        Some(text) => {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&title), "{flat}");
            let june = flat.find(&format!("Июнь {year}")).expect("June's heading");
            let session = flat.find("Сессия Ассоциации").expect("the session");
            let october = flat
                .find(&format!("Октябрь {year}"))
                .expect("October's heading");
            let exhibition = flat
                .find("Выставка городских решений")
                .expect("the exhibition");
            assert!(
                june < session && session < october && october < exhibition,
                "{flat}"
            );
            assert!(flat.contains("Утверждён Президентом"), "{flat}");
        }
        None => eprintln!("SKIPPED: pdftotext is not installed; PDF text not checked"),
    }

    // The XLSX in English: a month column before the five of the table.
    let response = app
        .get(
            &anonymous,
            &format!("/events/plans/{}/plan.xlsx?lang=en", plan.id),
        )
        .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("xlsx");
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).expect("the sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        rows.iter().any(|r| r.first().map(String::as_str)
            == Some(&format!("Plan of main events for {year}, version 2"))),
        "{rows:?}"
    );
    let session = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "Session of the Association"))
        .expect("the session's row");
    assert_eq!(session[0], format!("June {year}"), "{session:?}");
    assert_eq!(session[3], "Session", "{session:?}");
}

#[tokio::test]
async fn only_the_secretariat_attaches_an_approved_version_once_to_a_published_decision() {
    let app = spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    let president = president_token(&app).await;
    let (plan, _) = approved_plan(
        &app,
        &secretariat,
        &president,
        proposal(
            "forum",
            "Форум приложений",
            "moscow",
            "secretariat",
            "2030-03-03",
            "2030-03-04",
        ),
    )
    .await;
    let decisions = app
        .store
        .decisions()
        .list(true, time::OffsetDateTime::now_utc().date())
        .await
        .expect("decisions");
    let decision = decisions.last().expect("a published decision").id;
    let attach = format!("/api/v1/events/plans/{plan}/attach");

    // A city representative may not; an unknown decision is named; a returned version is refused.
    let (status, _) = post(&app, &minsk, &attach, &json!({ "decision_id": decision })).await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &app,
        &secretariat,
        &attach,
        &json!({ "decision_id": 999_999 }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "decision_id", "{body}");
    let (status, body) = post(
        &app,
        &secretariat,
        "/api/v1/events/plans/1/attach",
        &json!({ "decision_id": decision }),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    // Attached once: the decision's page shows it; again is refused and adds no appendix.
    let (status, body) = post(
        &app,
        &secretariat,
        &attach,
        &json!({ "decision_id": decision }),
    )
    .await;
    assert_eq!(
        (status, body["decision_id"].as_i64()),
        (200, Some(decision)),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &secretariat,
        &attach,
        &json!({ "decision_id": decision }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let record = app
        .store
        .decisions()
        .get(decision)
        .await
        .expect("get")
        .expect("decision");
    let links: Vec<_> = record
        .appendices
        .iter()
        .filter(|a| a.link.as_deref() == Some(format!("/events/plans/{plan}").as_str()))
        .collect();
    assert_eq!(links.len(), 1, "{:?}", record.appendices);
    let html = app
        .get(&crate::support::client(), &format!("/decisions/{decision}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Форум приложений"), "{html}");
}
