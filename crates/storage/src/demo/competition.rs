//! Demo competitions, **written for the demo** (no real city entered these solutions): last
//! year's, published (its winners and laureates are in the catalogue), this year's in
//! evaluation (entries eligible and scored or waiting, one ineligible with a reason, one
//! withdrawn; experts with a declared conflict and with automatic ones), and next year's call,
//! open (a draft and a submitted entry). The Board is the jury; its demo chair decides.
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_catalogue::competition::{
    CompetitionInput, CriterionInput, EntryInput, EntryStep, Step,
};
use megapolis_catalogue::evaluation::{Award, CriterionScore};
use megapolis_domain::Person;
use time::{Date, Duration};

const FILE: &str = "demo/competition.rs";

const NOMINATIONS: [&str; 3] = ["Умный транспорт", "Открытый город", "Электронные услуги"];

/// Demo experts beyond the two demo assessors (who have no city): each from a city, so the
/// conflict rules have something to find. (e-mail, name, city)
const EXPERTS: [(&str, &str, &str); 3] = [
    (
        "expert.astana@megapolis.example",
        "Айгерим Сапарова (демо)",
        "astana",
    ),
    (
        "expert.yerevan@megapolis.example",
        "Арам Петросян (демо)",
        "yerevan",
    ),
    (
        "expert.baku@megapolis.example",
        "Лейла Гасанова (демо)",
        "baku",
    ),
];

/// (nomination, city, title RU, title EN, summary RU, summary EN, results, technologies, used by)
type DemoEntry = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// Last year's entries: all eligible and scored; the first two of each nomination are awarded.
const PUBLISHED: &[DemoEntry] = &[
    (
        0,
        "minsk",
        "Адаптивное управление светофорами (демо)",
        "Adaptive traffic light control (demo)",
        "Светофоры на 40 перекрёстках подстраиваются под поток по данным детекторов.",
        "Lights at 40 junctions follow the traffic measured by detectors.",
        "Время в пути в час пик −18 %, задержка общественного транспорта −25 %.",
        &["Python", "PostgreSQL"],
        &["baku"],
    ),
    (
        0,
        "kazan",
        "Единый транспортный билет (демо)",
        "One transport ticket (demo)",
        "Одна карта и QR-код для метро, автобусов и пригородных поездов.",
        "One card and QR code for the metro, buses and suburban trains.",
        "1,2 млн поездок в день, 70 % оплат без наличных.",
        &["Java", "Kafka"],
        &[],
    ),
    (
        0,
        "astana",
        "Мониторинг загруженности парковок (демо)",
        "Parking occupancy monitoring (demo)",
        "Датчики на 5 000 мест и карта свободных парковок в приложении.",
        "Sensors on 5,000 spaces and a map of free parking in the app.",
        "Время поиска места −40 %.",
        &["LoRaWAN", "Go"],
        &[],
    ),
    (
        1,
        "moscow",
        "Портал открытых данных города (демо)",
        "City open data portal (demo)",
        "Более 800 наборов данных с API, обновляемых ежедневно.",
        "Over 800 datasets with an API, updated daily.",
        "3 500 приложений разработчиков используют данные.",
        &["CKAN", "PostgreSQL"],
        &["minsk", "yerevan"],
    ),
    (
        1,
        "yerevan",
        "Открытый бюджет для жителей (демо)",
        "Open budget for residents (demo)",
        "Бюджет города в понятных графиках с поиском по статьям.",
        "The city budget in plain charts with a search by item.",
        "120 000 посещений в год, 900 вопросов жителей с ответами.",
        &["React", "Python"],
        &[],
    ),
    (
        1,
        "bishkek",
        "Карта обращений жителей (демо)",
        "Map of residents' reports (demo)",
        "Жители отмечают ямы и свалки на карте, службы отвечают в срок.",
        "Residents mark potholes and dumps on a map; services answer on time.",
        "Срок ответа сократился с 14 до 5 дней.",
        &["PHP", "PostGIS"],
        &[],
    ),
    (
        2,
        "tashkent",
        "Запись к врачу через мессенджер (демо)",
        "Doctor booking in a messenger (demo)",
        "Чат-бот записывает к врачу и напоминает о приёме.",
        "A chat bot books a doctor and reminds of the visit.",
        "Неявки на приём −35 %.",
        &["Python", "Telegram Bot API"],
        &[],
    ),
    (
        2,
        "minsk",
        "Электронные справки за 5 минут (демо)",
        "Certificates online in 5 minutes (demo)",
        "Сорок видов справок выдаются онлайн с электронной подписью.",
        "Forty kinds of certificates issued online with an e-signature.",
        "2 млн справок в год без визита в учреждение.",
        &["C#", "MS SQL"],
        &["bishkek"],
    ),
    (
        2,
        "almaty",
        "Единое окно для бизнеса (демо)",
        "One window for business (demo)",
        "Разрешения для бизнеса подаются одним заявлением.",
        "Business permits are applied for with one application.",
        "Срок выдачи разрешений −50 %.",
        &["Java", "Camunda"],
        &[],
    ),
];

/// This year's entries, in evaluation: (entry, what happens to it).
const IN_EVALUATION: &[(DemoEntry, Fate)] = &[
    (
        (
            0,
            "minsk",
            "Умные остановки с табло прибытия (демо)",
            "Smart stops with arrival boards (demo)",
            "Табло показывают прибытие транспорта по данным GPS.",
            "Boards show arrivals from GPS data.",
            "300 остановок, точность прогноза 92 %.",
            &["Go", "Redis"],
            &[],
        ),
        Fate::Scored,
    ),
    (
        (
            0,
            "baku",
            "Велопрокат с единым аккаунтом (демо)",
            "Bike sharing with one account (demo)",
            "Велосипеды и самокаты по одному аккаунту городского портала.",
            "Bikes and scooters with the city portal's account.",
            "400 000 поездок за сезон.",
            &["Kotlin", "PostgreSQL"],
            &[],
        ),
        Fate::Scored,
    ),
    (
        (
            0,
            "moscow",
            "Прогноз пробок на сутки вперёд (демо)",
            "Traffic jam forecast a day ahead (demo)",
            "Модель предсказывает загруженность дорог по историческим данным.",
            "A model forecasts road load from history.",
            "Ошибка прогноза 11 %.",
            &["Python", "ClickHouse"],
            &[],
        ),
        Fate::Waiting,
    ),
    (
        (
            1,
            "astana",
            "Открытые данные о качестве воздуха (демо)",
            "Open air quality data (demo)",
            "Сеть датчиков публикует данные о воздухе каждые 10 минут.",
            "Sensors publish air data every 10 minutes.",
            "60 датчиков, 2 млн обращений к API в месяц.",
            &["Rust", "TimescaleDB"],
            &["minsk"],
        ),
        Fate::Scored,
    ),
    (
        (
            1,
            "kazan",
            "Голосование за благоустройство дворов (демо)",
            "Voting on courtyard improvements (demo)",
            "Жители выбирают проекты благоустройства онлайн.",
            "Residents choose improvement projects online.",
            "85 000 голосов, 140 дворов.",
            &["PHP", "MySQL"],
            &[],
        ),
        Fate::Waiting,
    ),
    (
        (
            1,
            "yerevan",
            "Реестр муниципального имущества (демо)",
            "Register of municipal property (demo)",
            "Открытый реестр зданий и земли города.",
            "An open register of the city's buildings and land.",
            "Данные о 12 000 объектах.",
            &["Python"],
            &[],
        ),
        Fate::Ineligible,
    ),
    (
        (
            2,
            "bishkek",
            "Электронная очередь в детские сады (демо)",
            "Electronic queue for kindergartens (demo)",
            "Прозрачная очередь с номером места в реальном времени.",
            "A transparent queue with the place number live.",
            "Жалобы на очередь −80 %.",
            &["Java"],
            &[],
        ),
        Fate::Scored,
    ),
    (
        (
            2,
            "tashkent",
            "Онлайн-приём в мэрии (демо)",
            "Online reception at the city hall (demo)",
            "Видеоприём жителей у руководителей управлений.",
            "Residents' video meetings with heads of departments.",
            "4 000 приёмов в год.",
            &["WebRTC", "Node.js"],
            &[],
        ),
        Fate::Withdrawn,
    ),
];

/// Next year's call, open: (entry, submitted or still a draft).
const OPEN: &[(DemoEntry, bool)] = &[
    (
        (
            0,
            "minsk",
            "Диспетчеризация снегоуборочной техники (демо)",
            "Dispatching of snow ploughs (demo)",
            "Маршруты снегоуборочных машин на карте в реальном времени.",
            "Snow plough routes on a live map.",
            "Пилот на 120 машинах.",
            &["Go"],
            &[],
        ),
        true,
    ),
    (
        (
            2,
            "almaty",
            "Личный кабинет жителя (демо)",
            "Resident's personal account (demo)",
            "Все услуги и обращения жителя в одном кабинете.",
            "All of a resident's services and requests in one account.",
            "Пилот: 30 000 пользователей.",
            &["TypeScript"],
            &[],
        ),
        false,
    ),
];

/// What becomes of an entry of this year's competition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Scored,
    Waiting,
    Ineligible,
    Withdrawn,
}

fn data(row: usize, message: impl ToString) -> DemoError {
    DemoError::Data {
        file: FILE,
        row,
        message: message.to_string(),
    }
}

fn call(title_ru: &str, title_en: &str, year: i32, deadline: Date) -> CompetitionInput {
    let anchors = |texts: [&str; 5]| texts.iter().map(|t| t.to_string()).collect();
    CompetitionInput {
        title_ru: title_ru.into(),
        title_en: title_en.into(),
        year: Some(i64::from(year)),
        nominations: NOMINATIONS.iter().map(|n| n.to_string()).collect(),
        eligibility: vec![
            "Решение работает в городе-участнике не меньше года.".into(),
            "Заявка описывает достигнутые результаты в цифрах.".into(),
        ],
        criteria: vec![
            CriterionInput {
                name_ru: "Результаты".into(),
                name_en: "Results".into(),
                weight: Some(3.0),
                anchors_ru: anchors([
                    "Результатов нет",
                    "Единичные улучшения",
                    "Заметный эффект в части города",
                    "Измеримый эффект во всём городе",
                    "Измеримый эффект, подтверждённый независимо",
                ]),
                anchors_en: anchors([
                    "No results",
                    "Isolated improvements",
                    "A visible effect in part of the city",
                    "A measured effect city-wide",
                    "A measured effect, independently confirmed",
                ]),
            },
            CriterionInput {
                name_ru: "Тиражируемость".into(),
                name_en: "Reusability".into(),
                weight: Some(2.0),
                anchors_ru: anchors([
                    "Только для своего города",
                    "Нужна переработка",
                    "Переносится с доработкой",
                    "Переносится с настройкой",
                    "Уже используется в других городах",
                ]),
                anchors_en: anchors([
                    "For its own city only",
                    "Needs rework",
                    "Moves with some changes",
                    "Moves with configuration",
                    "Already used in other cities",
                ]),
            },
            CriterionInput {
                name_ru: "Открытость".into(),
                name_en: "Openness".into(),
                weight: Some(1.0),
                anchors_ru: anchors([
                    "Закрытый код и данные",
                    "Закрытый код, открытые данные",
                    "Открытый API",
                    "Открытый код",
                    "Открытый код, данные и документация",
                ]),
                anchors_en: anchors([
                    "Closed code and data",
                    "Closed code, open data",
                    "An open API",
                    "Open source",
                    "Open source, data and documentation",
                ]),
            },
        ],
        submission_deadline: deadline.to_string(),
        evaluation_deadline: (deadline + Duration::days(30)).to_string(),
        results_on: (deadline + Duration::days(45)).to_string(),
        jury_body: "board".into(),
    }
}

fn entry_input(e: &DemoEntry) -> EntryInput {
    let (nomination, city, title_ru, title_en, summary_ru, summary_en, results, tech, used_by) = *e;
    EntryInput {
        nomination: NOMINATIONS[nomination].into(),
        city: city.into(),
        title_ru: title_ru.into(),
        title_en: title_en.into(),
        summary_ru: summary_ru.into(),
        summary_en: summary_en.into(),
        problem: summary_ru.into(),
        results: results.into(),
        technologies: tech.iter().map(|t| t.to_string()).collect(),
        hardware: Vec::new(),
        licence: "MIT".into(),
        url: format!("https://{city}.example/solution"),
        contacts: format!("it@{city}.example"),
        used_by: used_by.iter().map(|c| c.to_string()).collect(),
    }
}

/// The scores expert `k` gives entry `i`: a fixed, varied pattern on the 1–5 scale.
fn scores(i: usize, k: usize) -> Vec<CriterionScore> {
    (0..3)
        .map(|c| CriterionScore {
            score: u8::try_from(1 + (i * 7 + k * 3 + c * 2 + 4) % 5).unwrap_or(3),
            comment: if c == 0 {
                "Результаты подтверждены цифрами (демо).".into()
            } else {
                String::new()
            },
        })
        .collect()
}

struct Cast {
    secretariat: Person,
    experts: Vec<Person>,
}

/// Saves and submits one entry as its city's author (the Secretariat, who may enter for any
/// city) on `day`; returns its id.
async fn enter(
    store: &Store,
    cast: &Cast,
    competition: i64,
    row: usize,
    e: &DemoEntry,
    submit_on: Option<Date>,
) -> Result<i64, DemoError> {
    let checked = entry_input(e).check().map_err(|err| data(row, err))?;
    let id = store
        .competitions()
        .save_entry(&cast.secretariat, competition, None, &checked)
        .await?;
    if let Some(day) = submit_on {
        store
            .competitions()
            .entry_step(&cast.secretariat, id, EntryStep::Submit, "", day)
            .await?;
    }
    Ok(id)
}

/// Every demo expert of the nomination declares on `entry` (one declares a conflict of their
/// own on the first entry) and those who may score do.
async fn evaluate(store: &Store, cast: &Cast, row: usize, entry: i64) -> Result<(), DemoError> {
    let found = store
        .competitions()
        .entry(entry)
        .await?
        .ok_or_else(|| data(row, "the entry just saved"))?;
    for (k, expert) in cast.experts.iter().enumerate() {
        let own = megapolis_catalogue::evaluation::automatic_conflict(
            expert.city.as_ref(),
            &found.city,
            &found.used_by,
        );
        let declared =
            (row == 0 && k == 0).then_some("Консультировал разработчиков решения (демо)");
        store
            .competitions()
            .declare(expert, entry, declared)
            .await?;
        if own.is_none() && declared.is_none() {
            store
                .competitions()
                .score(expert, entry, &scores(row, k))
                .await?;
        }
    }
    Ok(())
}

/// Saves a call with `experts` in every nomination and opens it; returns its id.
async fn prepare(
    store: &Store,
    input: CompetitionInput,
    experts: &[i64],
) -> Result<i64, DemoError> {
    let competitions = store.competitions();
    let checked = input.check().map_err(|e| data(0, e))?;
    let id = competitions.create(DEMO_ACTOR, &checked).await?;
    let saved = competitions
        .get(id)
        .await?
        .ok_or_else(|| data(0, "the call just saved"))?;
    for nomination in &saved.nominations {
        competitions
            .assign_experts(DEMO_ACTOR, id, nomination.id, experts)
            .await?;
    }
    competitions.step(DEMO_ACTOR, id, Step::Open).await?;
    Ok(id)
}

pub(super) async fn load(store: &Store, today: Date) -> Result<(), DemoError> {
    let people = store.accounts().people().await?;
    let find = |email: &str| {
        people
            .iter()
            .find(|p| p.email.as_str() == email)
            .cloned()
            .ok_or_else(|| data(0, format!("no demo person {email}")))
    };
    let secretariat = find("secretariat@megapolis.example")?;
    let mut experts = vec![
        find("expert@megapolis.example")?,
        find("expert2@megapolis.example")?,
    ];
    for (row, (email, name, city)) in EXPERTS.iter().enumerate() {
        let draft = megapolis_domain::person::PersonInput {
            email: (*email).into(),
            name: (*name).into(),
            role: "expert".into(),
            city: (*city).into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| data(row, e))?;
        let id = store
            .accounts()
            .create_person(DEMO_ACTOR, &draft, None)
            .await?;
        experts.push(
            store
                .accounts()
                .person(id)
                .await?
                .ok_or_else(|| data(row, "the expert just saved"))?,
        );
    }
    let cast = Cast {
        secretariat,
        experts,
    };
    let competitions = store.competitions();
    let expert_ids: Vec<i64> = cast.experts.iter().map(|p| p.id).collect();

    // Last year's: scored, decided by the Board's chair, published into the catalogue.
    let year = today.year();
    let past_deadline = today - Duration::days(300);
    let last = prepare(
        store,
        call(
            "Конкурс лучших решений (демо)",
            "Best solutions contest (demo)",
            year - 1,
            past_deadline,
        ),
        &expert_ids,
    )
    .await?;
    let mut awarded = Vec::new();
    for (row, e) in PUBLISHED.iter().enumerate() {
        let id = enter(store, &cast, last, row, e, Some(past_deadline)).await?;
        competitions
            .entry_step(
                &cast.secretariat,
                id,
                EntryStep::Screen { eligible: true },
                "",
                past_deadline,
            )
            .await?;
        awarded.push(id);
    }
    competitions
        .step(DEMO_ACTOR, last, Step::StartEvaluation)
        .await?;
    for (row, id) in awarded.iter().enumerate() {
        evaluate(store, &cast, row, *id).await?;
    }
    let awards: Vec<(i64, Award)> = awarded
        .iter()
        .enumerate()
        .filter(|(row, _)| row % 3 != 2)
        .map(|(row, id)| {
            (
                *id,
                if row % 3 == 0 {
                    Award::Winner
                } else {
                    Award::Laureate
                },
            )
        })
        .collect();
    let board_chair = find("board@megapolis.example")?;
    competitions
        .decide(
            &board_chair.email.to_string(),
            last,
            &awards,
            "Протокол заседания жюри (демо): победители и лауреаты по номинациям.",
        )
        .await?;
    competitions.publish(DEMO_ACTOR, last).await?;

    // This year's: in evaluation.
    let deadline = today - Duration::days(10);
    let current = prepare(
        store,
        call(
            "Конкурс цифровых решений (демо)",
            "Digital solutions contest (demo)",
            year,
            deadline,
        ),
        &expert_ids,
    )
    .await?;
    let mut scored = Vec::new();
    for (row, (e, fate)) in IN_EVALUATION.iter().enumerate() {
        let id = enter(store, &cast, current, row, e, Some(deadline)).await?;
        match fate {
            Fate::Withdrawn => {
                competitions
                    .entry_step(&cast.secretariat, id, EntryStep::Withdraw, "", deadline)
                    .await?;
            }
            Fate::Ineligible => {
                competitions
                    .entry_step(
                        &cast.secretariat,
                        id,
                        EntryStep::Screen { eligible: false },
                        "Решение работает меньше года (демо).",
                        deadline,
                    )
                    .await?;
            }
            Fate::Scored | Fate::Waiting => {
                competitions
                    .entry_step(
                        &cast.secretariat,
                        id,
                        EntryStep::Screen { eligible: true },
                        "",
                        deadline,
                    )
                    .await?;
                if *fate == Fate::Scored {
                    scored.push((row, id));
                }
            }
        }
    }
    competitions
        .step(DEMO_ACTOR, current, Step::StartEvaluation)
        .await?;
    for (row, id) in scored {
        evaluate(store, &cast, row, id).await?;
    }

    // Next year's call: open.
    let next = prepare(
        store,
        call(
            "Конкурс решений следующего года (демо)",
            "Next year's solutions contest (demo)",
            year + 1,
            today + Duration::days(90),
        ),
        &expert_ids,
    )
    .await?;
    for (row, (e, submitted)) in OPEN.iter().enumerate() {
        enter(store, &cast, next, row, e, submitted.then_some(today)).await?;
    }
    Ok(())
}
