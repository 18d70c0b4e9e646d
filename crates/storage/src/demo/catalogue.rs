//! A demo catalogue: solutions **written for the demo** (no real city entered them), in Russian
//! and English, in a few nominations, so the catalogue's search, facets and similar solutions
//! have something to show at first start. One is left unpublished, as a draft the Secretariat
//! is still checking.
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_catalogue::{AdoptionInput, SolutionInput};

/// (title RU, title EN, summary RU, summary EN, city, nomination, year, technologies, licence,
/// published).
type DemoSolution = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    &'static str,
    bool,
);

const SOLUTIONS: &[DemoSolution] = &[
    (
        "Электронная очередь в поликлиники (демо)",
        "Electronic queue for city clinics (demo)",
        "Жители записываются к врачу через сайт и киоски в холле; очереди у регистратуры сократились втрое.",
        "Residents book a doctor on the web or at kiosks in the hall; queues at the reception fell threefold.",
        "minsk",
        "Электронные услуги",
        2024,
        &["Java", "PostgreSQL"],
        "Apache-2.0",
        true,
    ),
    (
        "Датчики наполнения мусорных контейнеров (демо)",
        "Fill-level sensors for waste containers (demo)",
        "Мусоровозы едут только к заполненным контейнерам; пробег машин снизился на 30 %.",
        "Refuse trucks go only to full containers; their mileage fell by 30 %.",
        "astana",
        "Умное городское хозяйство",
        2023,
        &["LoRaWAN", "Python"],
        "MIT",
        true,
    ),
    (
        "Мобильное приложение парковки (демо)",
        "Mobile parking app (demo)",
        "Оплата парковки по номеру машины и карта свободных мест в центре города.",
        "Pay for parking by plate number and see free spaces in the city centre.",
        "tashkent",
        "Умный транспорт",
        2024,
        &["Kotlin", "Swift"],
        "proprietary",
        true,
    ),
    (
        "Единая служба экстренных вызовов 112 (демо)",
        "Single emergency number 112 (demo)",
        "Вызовы полиции, пожарных и скорой принимает одна служба; время реагирования сократилось на четверть.",
        "Police, fire and ambulance calls go to one service; response time fell by a quarter.",
        "bishkek",
        "Безопасный город",
        2022,
        &["Asterisk", "PostgreSQL"],
        "GPL-3.0",
        true,
    ),
    (
        "Голосование жителей за проекты благоустройства (демо)",
        "Residents vote for improvement projects (demo)",
        "Жители выбирают, какие дворы и скверы благоустроить в следующем году; в голосовании участвовали 120 тысяч человек. На том же портале жители подают электронные петиции и обращения онлайн и следят за статусом обращения.",
        "Residents choose which yards and squares to improve next year; 120 thousand people voted. On the same portal they sign e-petitions, send online feedback and follow the status of a request online.",
        "moscow",
        "Электронное участие",
        2024,
        &["React", "Go"],
        "MIT",
        true,
    ),
    (
        "Электронный дневник школьника (демо)",
        "Electronic school diary (demo)",
        "Оценки, расписание уроков и домашние задания доступны родителям в телефоне.",
        "Marks, lesson schedules and homework are on the parents' phones.",
        "baku",
        "Электронные услуги",
        2023,
        &["PHP", "MySQL"],
        "AGPL-3.0",
        true,
    ),
    (
        "Учёт потребления тепла в муниципальных зданиях (демо)",
        "Heat metering in municipal buildings (demo)",
        "Счётчики передают показания каждый час; перерасход тепла виден сразу, экономия составила 12 %.",
        "Meters report every hour; overuse of heat shows at once, and savings reached 12 %.",
        "yerevan",
        "Умное городское хозяйство",
        2024,
        &["Modbus", "Grafana"],
        "Apache-2.0",
        true,
    ),
    (
        "Туристический путеводитель с маршрутами (демо)",
        "Tourist guide with routes (demo)",
        "Маршруты по городу на трёх языках с аудиогидом и картой музеев.",
        "City routes in three languages with an audio guide and a map of museums.",
        "tbilisi",
        "Открытый город",
        2022,
        &["Flutter"],
        "MIT",
        true,
    ),
    (
        "Реестр адресов и зданий в ГИС (демо, проект)",
        "Address and building register in GIS (demo, draft)",
        "Единый адресный реестр для всех служб города; проверяется Секретариатом.",
        "One address register for every city service; the Secretariat is checking it.",
        "chisinau",
        "Открытый город",
        2025,
        &["QGIS", "PostGIS"],
        "GPL-2.0",
        false,
    ),
];

/// Demo adoptions: (row of the solution above, city, status, since, note), in the order
/// recorded; a city listed twice for one solution changed its status, so the page shows history.
const ADOPTIONS: &[(usize, &str, &str, &str, &str)] = &[
    (
        0,
        "astana",
        "piloting",
        "2024-09-01",
        "Две поликлиники (демо)",
    ),
    (
        0,
        "astana",
        "in-operation",
        "2025-02-01",
        "Все поликлиники города (демо)",
    ),
    (0, "bishkek", "studying", "2025-04-15", ""),
    (0, "baku", "in-operation", "2025-01-10", ""),
    (
        1,
        "minsk",
        "in-operation",
        "2024-05-20",
        "Центральный район (демо)",
    ),
    (
        1,
        "tashkent",
        "dropped",
        "2024-11-01",
        "Датчики не пережили зиму (демо)",
    ),
    (2, "moscow", "piloting", "2025-03-01", ""),
];

pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    let mut ids = Vec::with_capacity(SOLUTIONS.len());
    for (row, solution) in SOLUTIONS.iter().enumerate() {
        let (
            title_ru,
            title_en,
            summary_ru,
            summary_en,
            city,
            nomination,
            year,
            technologies,
            licence,
            published,
        ) = *solution;
        let checked = SolutionInput {
            title_ru: title_ru.into(),
            title_en: title_en.into(),
            summary_ru: summary_ru.into(),
            summary_en: summary_en.into(),
            city: Some(city.into()),
            nomination: nomination.into(),
            year: Some(year),
            technologies: technologies.iter().map(|t| t.to_string()).collect(),
            hardware: Vec::new(),
            licence: licence.into(),
            url: String::new(),
            published,
        }
        .check()
        .map_err(|e| DemoError::Data {
            file: "demo/catalogue.rs",
            row: row + 1,
            message: e.to_string(),
        })?;
        ids.push(store.catalogue().create(DEMO_ACTOR, &checked).await?);
    }
    for (row, &(solution, city, status, date, note)) in ADOPTIONS.iter().enumerate() {
        let adoption = AdoptionInput {
            city: city.into(),
            status: status.into(),
            date: date.into(),
            note: note.into(),
        }
        .check()
        .map_err(|e| DemoError::Data {
            file: "demo/catalogue.rs (adoptions)",
            row: row + 1,
            message: e.to_string(),
        })?;
        store
            .catalogue()
            .record_adoption(DEMO_ACTOR, ids[solution], &adoption)
            .await?;
    }
    Ok(())
}
