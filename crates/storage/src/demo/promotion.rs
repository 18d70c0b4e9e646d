//! A demo promotion concept for next year, **written for the demo**: a draft with three
//! presentations of catalogue solutions to cities whose peers (same population band) use them,
//! the first already turned into an event proposal of the plan of events.
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_catalogue::promotion::{ConceptInput, PresentationInput};
use time::OffsetDateTime;

/// (title of a demo solution in Russian, target city, month `MM` or quarter `Qn`, note).
const PRESENTATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "Электронная очередь в поликлиники (демо)",
        "kazan",
        "Q1",
        "Опыт Астаны и Баку: доклад на семинаре по здравоохранению (демо)",
    ),
    (
        "Мобильное приложение парковки (демо)",
        "saint-petersburg",
        "04",
        "Пилот в Москве (демо)",
    ),
    (
        "Датчики наполнения мусорных контейнеров (демо)",
        "yerevan",
        "Q2",
        "",
    ),
];

pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    let data = |row: usize, message: String| DemoError::Data {
        file: "demo/promotion.rs",
        row,
        message,
    };
    let year = OffsetDateTime::now_utc().year() + 1;
    let concept = ConceptInput {
        title_ru: format!("Концепция продвижения лучших решений на {year} год (демо)"),
        title_en: format!("Concept for promoting the best solutions in {year} (demo)"),
        year: year.to_string(),
    }
    .check()
    .map_err(|e| data(0, e.to_string()))?;
    let promotion = store.promotion();
    let id = promotion.create(DEMO_ACTOR, &concept).await?;
    let solutions = store.catalogue().list(true).await?;
    let secretariat = store
        .accounts()
        .people()
        .await?
        .into_iter()
        .find(|p| p.email.as_str() == "secretariat@megapolis.example")
        .ok_or_else(|| data(0, "no demo Secretariat".into()))?;
    for (row, &(title, city, when, note)) in PRESENTATIONS.iter().enumerate() {
        let solution = solutions
            .iter()
            .find(|s| s.title_ru == title)
            .ok_or_else(|| data(row + 1, format!("no published solution {title:?}")))?;
        let presentation = PresentationInput {
            solution: solution.id.to_string(),
            city: city.into(),
            period: format!("{year}-{when}"),
            note: note.into(),
        }
        .check(year)
        .map_err(|e| data(row + 1, e.to_string()))?;
        promotion
            .add(DEMO_ACTOR, id, &presentation)
            .await?
            .map_err(|e| data(row + 1, e.to_string()))?;
        // Only the first becomes an event proposal; the others wait for the Secretariat.
        if row == 0 {
            promotion.to_proposals(&secretariat, id).await?;
        }
    }
    Ok(())
}
