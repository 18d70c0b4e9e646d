//! Merging duplicate proposals (issue 13, item 2): a duplicate flag offers "merge" on the
//! consolidation page; the Secretariat merges Minsk's forum into its own; the kept proposal
//! absorbs the other's organisers, the other is "merged into" it with the reason its proposer
//! sees; who may not, a missing reason and nothing to merge are refused with nothing saved.
use super::proposal;
use crate::support::{api_get as get, api_post as post, token_of, unescape};
use megapolis_storage::audit::AuditFilter;
use serde_json::json;

#[tokio::test]
async fn the_secretariat_merges_a_flagged_duplicate_and_its_proposer_sees_why() {
    let app = crate::support::spawn_app().await;
    let secretariat = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let minsk = token_of(&app, "minsk@megapolis.example", "demo-city-pass").await;
    let mut theirs = proposal(
        "forum",
        "Форум цифровых городов",
        "minsk",
        "minsk",
        "2031-06-10",
        "2031-06-12",
    );
    theirs["year"] = json!(2031);
    theirs["co_organisers"] = json!(["partner-x"]);
    let mut ours = theirs.clone();
    ours["organiser"] = json!("secretariat");
    ours["co_organisers"] = json!(["partner-y"]);
    let mut ids = Vec::new();
    for (token, body) in [(&minsk, &theirs), (&secretariat, &ours)] {
        let (status, created) = post(&app, token, "/api/v1/events/proposals", body).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().expect("id");
        let path = format!("/api/v1/events/proposals/{id}/submit");
        assert_eq!(post(&app, token, &path, &json!({})).await.0, 200);
        ids.push(id);
    }
    let (other, kept) = (ids[0], ids[1]);

    // Flagged as a duplicate, with a merge form on the consolidation page.
    let (_, clashes) = get(&app, Some(&secretariat), "/api/v1/events/clashes?year=2031").await;
    let duplicate = |clashes: &serde_json::Value| {
        clashes["clashes"].as_array().is_some_and(|list| {
            list.iter().any(|c| {
                c["kind"] == "duplicate"
                    && [c["a"].as_i64(), c["b"].as_i64()] == [Some(other), Some(kept)]
            })
        })
    };
    assert!(duplicate(&clashes), "{clashes}");
    let staff = app.login_as("secretariat").await;
    let page = unescape(
        &app.get(&staff, "/events/proposals")
            .await
            .text()
            .await
            .expect("html"),
    );
    assert!(
        page.contains(&format!("id=\"merge-{kept}-{other}\"")),
        "{page}"
    );

    // Refused, nothing saved: a city, no reason, nothing else to merge, an unknown proposal.
    let merge = format!("/api/v1/events/proposals/{kept}/merge");
    let refusals = [
        (
            &minsk,
            json!({ "others": [other], "reason": "Дубль" }),
            403,
            "not_consolidator",
        ),
        (
            &secretariat,
            json!({ "others": [other] }),
            422,
            "reason_required",
        ),
        (
            &secretariat,
            json!({ "others": [kept], "reason": "Дубль" }),
            422,
            "nothing_to_merge",
        ),
        (
            &secretariat,
            json!({ "others": "two", "reason": "Дубль" }),
            422,
            "invalid_fields",
        ),
        (
            &secretariat,
            json!({ "others": [999_999], "reason": "Дубль" }),
            404,
            "not_found",
        ),
    ];
    for (token, body, status, code) in refusals {
        let (got, answer) = post(&app, token, &merge, &body).await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
    }
    let (_, list) = get(&app, Some(&minsk), "/api/v1/events/proposals?year=2031").await;
    assert_eq!(list[0]["state"], "submitted", "nothing saved: {list}");

    // Merged from the page's form.
    let response = app
        .post_form(
            &staff,
            "/events/proposals",
            &format!("/events/proposals/{kept}/merge"),
            &[
                ("others", &other.to_string()),
                ("reason", "Тот же форум: проводим вместе"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, list) = get(
        &app,
        Some(&secretariat),
        "/api/v1/events/proposals?year=2031",
    )
    .await;
    let of = |id: i64| {
        list.as_array()
            .and_then(|l| l.iter().find(|p| p["id"] == id))
            .cloned()
            .expect("listed")
    };
    assert_eq!(
        of(kept)["co_organisers"],
        json!(["partner-y", "minsk", "partner-x"]),
        "the kept one absorbs the other's organisers"
    );
    assert_eq!(
        (
            of(other)["state"].as_str(),
            of(other)["merged_into"].as_i64()
        ),
        (Some("merged"), Some(kept))
    );
    // Minsk sees its proposal merged, into which, and why; the flag is gone.
    let (_, mine) = get(&app, Some(&minsk), "/api/v1/events/proposals?year=2031").await;
    assert_eq!(mine[0]["reason"], "Тот же форум: проводим вместе", "{mine}");
    let city = app.login_as("city-rep").await;
    let page = app
        .get(&city, "/events/proposals")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(&format!("href=\"#proposal-{kept}\"")),
        "{page}"
    );
    assert!(page.contains("Тот же форум: проводим вместе"), "{page}");
    let (_, clashes) = get(&app, Some(&secretariat), "/api/v1/events/clashes?year=2031").await;
    assert!(!duplicate(&clashes), "{clashes}");
    // Merged once: a merged proposal is not merged again.
    let (status, answer) = post(
        &app,
        &secretariat,
        &merge,
        &json!({ "others": [other], "reason": "Ещё раз" }),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("wrong_state")),
        "{answer}"
    );
    // The audit log keeps the merge of each.
    for id in [kept, other] {
        let records = app
            .store
            .audit()
            .records(&AuditFilter {
                entity: "event_proposal".into(),
                entity_id: id.to_string(),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("audit");
        assert!(
            records
                .iter()
                .any(|r| r.entry.action == "merge" || r.entry.action == "merged"),
            "{id}: {records:?}"
        );
    }
}
