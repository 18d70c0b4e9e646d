//! Search morphology through the API: «ё» and «е» find each other in either direction, word forms
//! in both languages, and a 10 KB query is a clear refusal.
use super::{hit_ids, post, search};
use crate::support::spawn_app;
use serde_json::json;

#[tokio::test]
async fn yo_and_ye_find_each_other_and_a_huge_query_is_refused() {
    let app = spawn_app().await;
    let staff = app.login_as("secretariat").await;
    let token = app.api_token(&staff).await;
    let mut ids = Vec::new();
    for (title_ru, summary_en) in [
        (
            "Городская ёлка онлайн",
            "A webcam streams the city's fir tree square.",
        ),
        (
            "Елка желаний для детей",
            "Children send wishes to a charity fir tree.",
        ),
    ] {
        let body = json!({"title_ru": title_ru, "summary_en": summary_en, "nomination": "Праздники",
                          "year": 2025, "published": true});
        let response = post(&app, &token, &body).await;
        assert_eq!(response.status(), 201);
        let created: serde_json::Value = response.json().await.expect("JSON");
        ids.push(created["id"].as_i64().expect("id"));
    }
    // «ёлки» (with ё, another case) finds «елка»; «елке» (without) finds «ёлка».
    for query in ["ёлки", "елке", "ЁЛКОЙ"] {
        let (status, found) = search(&app, &[("q", query), ("nomination", "Праздники")]).await;
        assert_eq!(status, 200, "{query}: {found}");
        let mut found = hit_ids(&found);
        found.sort_unstable();
        assert_eq!(found, ids, "{query}");
    }
    // An English query in another form finds the English summary only.
    let (_, found) = search(&app, &[("q", "webcams streaming"), ("lang", "en")]).await;
    assert_eq!(hit_ids(&found), [ids[0]]);
    // A 10 KB query: a clear 422 naming the limit.
    let (status, refusal) = search(&app, &[("q", &"ёлка ".repeat(1_100))]).await;
    assert_eq!(status, 422);
    assert!(
        refusal["error"].as_str().expect("message").contains("500"),
        "{refusal}"
    );
}
