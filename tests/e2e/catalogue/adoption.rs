//! Replication through the real server: a city representative records their own city's
//! adoption of a solution (never another city's), the Secretariat any city's; a change of status
//! keeps the history on the page and in the audit log; "used by N cities" (dropped cities do not
//! count) shows on the page, in the search hits and facets, and in the solution's JSON.
use super::{filled_with_demo, search};
use crate::support::{api_get, api_post, client, unescape};
use serde_json::{json, Value};

#[tokio::test]
async fn cities_record_adoptions_and_the_catalogue_counts_the_cities_using_a_solution() {
    let (app, staff_token, ids) = filled_with_demo().await;
    let lights = ids[0];
    let path = format!("/api/v1/solutions/{lights}/adoptions");

    // The Minsk representative records Minsk on the page, then changes its status.
    let minsk = app.login_as("city-rep").await;
    let page = format!("/catalogue/{lights}");
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("{page}/adoptions"),
            &[
                ("status", "piloting"),
                ("date", "2025-03-01"),
                ("note", "Два перекрёстка"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("{page}/adoptions"),
            &[
                ("city", "minsk"),
                ("status", "in-operation"),
                ("date", "2025-09-01"),
                ("note", "Весь центр"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    // …but not for another city, through the page or the API.
    let response = app
        .post_form(
            &minsk,
            &page,
            &format!("{page}/adoptions"),
            &[
                ("city", "moscow"),
                ("status", "studying"),
                ("date", "2025-03-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    let rep_token = app.api_token(&minsk).await;
    let body = json!({"city": "astana", "status": "studying", "date": "2025-03-01"});
    assert_eq!(api_post(&app, &rep_token, &path, &body).await.0, 403);

    // The Secretariat records two more cities; one of them dropped the solution.
    for (city, status) in [("astana", "studying"), ("baku", "dropped")] {
        let body = json!({"city": city, "status": status, "date": "2025-05-01", "note": ""});
        let (status_code, record) = api_post(&app, &staff_token, &path, &body).await;
        assert_eq!(status_code, 200, "{record}");
        assert_eq!(record["status"], status);
    }

    // Bad input is refused by field, nothing saved.
    for (body, field) in [
        (
            json!({"city": "astana", "status": "adopted", "date": "2025-05-01"}),
            "status",
        ),
        (
            json!({"city": "astana", "status": "piloting", "date": "May 2025"}),
            "date",
        ),
        (
            json!({"city": "atlantis", "status": "piloting", "date": "2025-05-01"}),
            "city",
        ),
    ] {
        let (status, error) = api_post(&app, &staff_token, &path, &body).await;
        assert_eq!(status, 422, "{body}: {error}");
        assert!(
            error["error"].as_str().expect("message").contains(field),
            "{error}"
        );
    }
    let (status, _) = api_post(
        &app,
        &staff_token,
        "/api/v1/solutions/999999/adoptions",
        &json!({"city": "astana", "status": "piloting", "date": "2025-05-01"}),
    )
    .await;
    assert_eq!(status, 404);

    // The solution's JSON: three cities recorded, two use it; Minsk's history in order.
    let (_, solution) = api_get(&app, None, &format!("/api/v1/solutions/{lights}")).await;
    assert_eq!(solution["used_by"], 2, "{solution}");
    let adoptions = solution["adoptions"].as_array().expect("adoptions");
    let cities: Vec<&str> = adoptions
        .iter()
        .map(|a| a["city"].as_str().expect("city"))
        .collect();
    assert_eq!(cities, ["astana", "baku", "minsk"]);
    let minsk_record = &adoptions[2];
    assert_eq!(minsk_record["status"], "in-operation");
    let history: Vec<&Value> = minsk_record["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|c| &c["status"])
        .collect();
    assert_eq!(history, [&json!("piloting"), &json!("in-operation")]);

    // The page: the cities with their status and Minsk's earlier status, in both languages.
    let visitor = client();
    let html = unescape(&app.get(&visitor, &page).await.text().await.expect("page"));
    assert!(html.contains("Используется в 2 городах"), "{html}");
    assert!(html.contains("id=\"adoption-minsk\""));
    assert!(html.contains("в эксплуатации") && html.contains("Весь центр"));
    assert!(html.contains("пилотный проект"), "the earlier status stays");
    assert!(html.contains("отказались"));
    assert!(
        !html.contains("id=\"adoption-form\""),
        "the public records nothing"
    );
    let english = client();
    english
        .get(app.url("/lang/en"))
        .send()
        .await
        .expect("switch");
    let html = app.get(&english, &page).await.text().await.expect("page");
    assert!(html.contains("Used by 2 cities"), "{html}");
    assert!(html.contains("in operation"));
    // The representative's form names their city; the Secretariat's lets them choose.
    let html = app.get(&minsk, &page).await.text().await.expect("page");
    assert!(html.contains("id=\"adoption-form\""));
    assert!(html.contains("name=\"city\" value=\"minsk\""));

    // The search hits and facets carry "used by N cities".
    let (_, found) = search(&app, &[("q", "светофоров")]).await;
    assert_eq!(found["hits"][0]["id"], lights);
    assert_eq!(found["hits"][0]["used_by"], 2);
    assert_eq!(found["facets"]["used_by"]["2–4"], 1, "{found}");

    // Each change is in the audit log.
    let mut sql = app.sql().await;
    assert_eq!(
        sql.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'adoption' AND entity_id IN \
             (SELECT CAST(id AS TEXT) FROM catalogue_adoptions WHERE solution_id = {lights})"
        ))
        .await,
        4
    );
}
