//! A held seminar: a place up to the capacity, then the waiting list, and a cancellation gives
//! the place to the first waiting; who runs the event keeps its programme (a talk presenting a
//! catalogue solution, linked), materials, attendance and report, anyone else is refused; the
//! city's record shows the event its staff attended; bad input is named and nothing is saved.
use super::{approved_plan, president_token, proposal};
use crate::support::{spawn_app, token_of, unescape, TestApp};

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    unescape(&app.get(client, path).await.text().await.expect("html"))
}

#[tokio::test]
async fn a_seminar_fills_its_places_keeps_a_waiting_list_and_records_who_attended() {
    let app = spawn_app().await;
    let secretariat_token = token_of(
        &app,
        "secretariat@megapolis.example",
        "demo-secretariat-pass",
    )
    .await;
    let president = president_token(&app).await;
    let today = time::OffsetDateTime::now_utc().date();
    let day = today.to_string();
    let mut seminar = proposal(
        "seminar",
        "Семинар о городских данных",
        "moscow",
        "secretariat",
        &day,
        &day,
    );
    seminar["year"] = serde_json::json!(today.year());
    let (_, id) = approved_plan(&app, &secretariat_token, &president, seminar).await;
    let event = format!("/events/{id}");
    let secretariat = app.login_as("secretariat").await;
    let board = app.login_as("body-member").await;
    let minsk = app.login_as("city-rep").await;
    let minsk_id = app
        .store
        .accounts()
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.email.as_str() == "minsk@megapolis.example")
        .expect("minsk")
        .id;

    // One place: the Board takes it, Minsk waits.
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/capacity"),
            &[("capacity", "0")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(page(&app, &secretariat, &event)
        .await
        .contains("f-capacity"));
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/capacity"),
            &[("capacity", "1")],
        )
        .await;
    assert_eq!(response.status(), 303);
    for client in [&board, &minsk] {
        let response = app
            .post_form(client, &event, &format!("{event}/register"), &[])
            .await;
        assert_eq!(response.status(), 303);
    }
    let states = |list: Vec<megapolis_storage::events::RegistrationRow>| {
        list.into_iter()
            .map(|r| (r.person_id == minsk_id, r.state.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        states(app.store.events().registrations(id).await.expect("list")),
        vec![(false, "registered"), (true, "waiting")]
    );
    assert!(page(&app, &minsk, &event)
        .await
        .contains("id=\"my-registration\""));
    // The Board cancels: Minsk has the place.
    let response = app
        .post_form(&board, &event, &format!("{event}/unregister"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        states(app.store.events().registrations(id).await.expect("list")),
        vec![(true, "registered")]
    );

    // Minsk does not run the event: no talk, no attendance of its own.
    let response = app
        .post_form(
            &minsk,
            &event,
            &format!("{event}/talks"),
            &[("title", "Доклад"), ("speaker", "Минск")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let minsk_person = minsk_id.to_string();
    let response = app
        .post_form(
            &minsk,
            &event,
            &format!("{event}/attendance"),
            &[("person", &minsk_person), ("attended", "yes")],
        )
        .await;
    assert_eq!(response.status(), 403);

    // The programme: an unknown solution and a talk without a speaker are named, nothing saved;
    // then a talk presenting a published solution, linked to its page.
    let solution = app
        .store
        .catalogue()
        .list(true)
        .await
        .expect("solutions")
        .into_iter()
        .next()
        .expect("a published demo solution");
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/talks"),
            &[
                ("title", "Доклад"),
                ("speaker", "Казань"),
                ("solution", "999999"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/talks"),
            &[("title", "Доклад"), ("speaker", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("html");
    assert!(html.contains("Докладчик"), "the field is named: {html}");
    assert!(app
        .store
        .events()
        .talks(id)
        .await
        .expect("talks")
        .is_empty());
    let solution_id = solution.id.to_string();
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/talks"),
            &[
                ("title", "Умный транспорт"),
                ("speaker", "И. Петров"),
                ("solution", &solution_id),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    // Materials: a link that is not http(s) is refused; a good one is shown.
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/materials"),
            &[("title", "Слайды"), ("link", "javascript:alert(1)")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/materials"),
            &[
                ("title", "Слайды"),
                ("link", "https://example.org/slides.pdf"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    // Attendance and the report, the event having started today.
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/attendance"),
            &[("person", &minsk_person), ("attended", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = app
        .post_form(
            &secretariat,
            &event,
            &format!("{event}/report"),
            &[("report", "Обсудили открытые данные городов.")],
        )
        .await;
    assert_eq!(response.status(), 303);

    let html = page(&app, &crate::support::client(), &event).await;
    assert!(
        html.contains(&format!("href=\"/catalogue/{}\"", solution.id)),
        "{html}"
    );
    assert!(html.contains("https://example.org/slides.pdf"), "{html}");
    assert!(html.contains("Обсудили открытые данные городов."), "{html}");
    assert!(html.contains("href=\"/events/cities/minsk\""), "{html}");
    assert!(
        !html.contains("id=\"registrations\""),
        "names only for who runs it"
    );
    // Minsk's record: the seminar its staff attended.
    let html = page(&app, &crate::support::client(), "/events/cities/minsk").await;
    assert!(html.contains("Семинар о городских данных"), "{html}");
    assert_eq!(
        app.get(&crate::support::client(), "/events/cities/atlantis")
            .await
            .status(),
        404
    );

    // A future event takes no report; an event in no approved plan takes no registration.
    let future = app
        .store
        .events()
        .published(&Default::default(), None)
        .await
        .expect("published")
        .into_iter()
        .find(|p| p.event.period.start > today)
        .expect("a future event of the demo");
    let path = format!("/events/{}", future.id);
    let response = app
        .post_form(
            &secretariat,
            &path,
            &format!("{path}/report"),
            &[("report", "Рано")],
        )
        .await;
    assert_eq!(response.status(), 409);
    let draft = app
        .store
        .events()
        .proposals(None, None)
        .await
        .expect("all")
        .into_iter()
        .find(|p| p.state.as_str() != "accepted")
        .expect("a proposal not accepted");
    let path = format!("/events/{}", draft.id);
    let response = app
        .post_form(&secretariat, &path, &format!("{path}/register"), &[])
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn the_demo_has_a_seminar_held_this_year_with_a_solution_presented_and_minsk_attending() {
    let app = spawn_app().await;
    let anonymous = crate::support::client();
    let html = page(&app, &anonymous, "/events/cities/minsk").await;
    assert!(
        html.contains("Семинар «Решения для умного города»"),
        "{html}"
    );
    let seminar = app
        .store
        .events()
        .attended_by_city("minsk")
        .await
        .expect("attended")
        .into_iter()
        .next()
        .expect("the demo seminar");
    assert_eq!(seminar.people, 1);
    let html = page(&app, &anonymous, &format!("/events/{}", seminar.event.id)).await;
    assert!(
        html.contains("href=\"/catalogue/"),
        "a solution presented: {html}"
    );
    assert!(html.contains("Слайды семинара"), "{html}");
    assert!(html.contains("Города обменялись опытом"), "{html}");
}
