//! Demo monitoring: a methodology of our own, "information development of cities" (30 indicators
//! in 5 criteria: yes/no items in the manner of UN DESA's LOSI and numeric ones), and three
//! editions for the demo cities — 2025 (id 1, published), 2023 and 2024 (computed, not
//! published). **Every value is made up** (a fixed pseudo-random draw per city, indicator and
//! year, with a trend), and every title says so.
use super::DemoError;
use crate::monitoring::campaigns::{InvitedCity, NewCampaign};
use crate::Store;
use megapolis_domain::{CityCode, Person, Role};
use megapolis_monitoring::answers::number_text;
use megapolis_monitoring::{
    CheckedAnswer, CityState, Decision, EditionInput, QuestionSpec, Questionnaire,
};

/// Each indicator: code, criterion, direction, answer type, low and high of its made-up
/// values, names and questions (RU, EN).
struct Indicator {
    code: &'static str,
    criterion: &'static str,
    direction: i8,
    answer: &'static str,
    range: (f64, f64),
    name_en: &'static str,
    name_ru: &'static str,
    question_ru: &'static str,
    question_en: &'static str,
}

#[allow(clippy::too_many_arguments)] // one row of the table above, by position
const fn i(
    code: &'static str,
    criterion: &'static str,
    direction: i8,
    answer: &'static str,
    range: (f64, f64),
    name_en: &'static str,
    name_ru: &'static str,
    question_ru: &'static str,
    question_en: &'static str,
) -> Indicator {
    Indicator {
        code,
        criterion,
        direction,
        answer,
        range,
        name_en,
        name_ru,
        question_ru,
        question_en,
    }
}

const YES_NO: (f64, f64) = (0.0, 1.0);

#[rustfmt::skip]
const INDICATORS: &[Indicator] = &[
    i("portal_official", "Portal", 1, "yes_no", YES_NO, "Official city portal", "Официальный портал города", "Есть ли у города официальный портал?", "Does the city have an official portal?"),
    i("portal_mobile", "Portal", 1, "yes_no", YES_NO, "Portal works on phones", "Портал работает на телефонах", "Удобен ли портал на телефоне?", "Does the portal work on phones?"),
    i("portal_languages", "Portal", 1, "yes_no", YES_NO, "Portal in two or more languages", "Портал на двух и более языках", "Доступен ли портал на двух и более языках?", "Is the portal in two or more languages?"),
    i("portal_search", "Portal", 1, "yes_no", YES_NO, "Site search", "Поиск по порталу", "Есть ли на портале поиск?", "Does the portal have a search?"),
    i("portal_accessible", "Portal", 1, "yes_no", YES_NO, "Accessibility (WCAG)", "Доступность (WCAG)", "Соответствует ли портал требованиям доступности?", "Does the portal meet accessibility requirements?"),
    i("portal_contacts", "Portal", 1, "yes_no", YES_NO, "Contacts of every department", "Контакты всех подразделений", "Опубликованы ли контакты всех подразделений?", "Are the contacts of every department published?"),
    i("svc_online_share", "Services", 1, "percent", (20.0, 95.0), "Services available online", "Услуги, доступные онлайн", "Какая доля муниципальных услуг доступна онлайн, %?", "What share of municipal services is available online, %?"),
    i("svc_count", "Services", 1, "number", (10.0, 400.0), "Number of e-services", "Число электронных услуг", "Сколько электронных услуг предоставляет город?", "How many e-services does the city provide?"),
    i("svc_payments", "Services", 1, "yes_no", YES_NO, "Online payments", "Оплата онлайн", "Можно ли оплатить услуги онлайн?", "Can services be paid for online?"),
    i("svc_appointments", "Services", 1, "yes_no", YES_NO, "Online appointments", "Запись на приём онлайн", "Можно ли записаться на приём онлайн?", "Can appointments be booked online?"),
    i("svc_tracking", "Services", 1, "yes_no", YES_NO, "Status of a request online", "Статус обращения онлайн", "Можно ли узнать статус обращения онлайн?", "Can the status of a request be followed online?"),
    i("svc_satisfaction", "Services", 1, "percent", (40.0, 95.0), "Satisfied users", "Довольные пользователи", "Какая доля пользователей довольна услугами, %?", "What share of users is satisfied with the services, %?"),
    i("od_portal", "OpenData", 1, "yes_no", YES_NO, "Open data portal", "Портал открытых данных", "Есть ли портал открытых данных?", "Is there an open data portal?"),
    i("od_datasets", "OpenData", 1, "number", (0.0, 600.0), "Open data sets", "Наборы открытых данных", "Сколько наборов открытых данных опубликовано?", "How many open data sets are published?"),
    i("od_machine_readable", "OpenData", 1, "percent", (10.0, 100.0), "Machine-readable data sets", "Машиночитаемые наборы", "Какая доля наборов в машиночитаемом виде, %?", "What share of data sets is machine-readable, %?"),
    i("od_api", "OpenData", 1, "yes_no", YES_NO, "Open data API", "API открытых данных", "Есть ли API открытых данных?", "Is there an open data API?"),
    i("od_budget", "OpenData", 1, "yes_no", YES_NO, "Open budget", "Открытый бюджет", "Публикуется ли бюджет в открытом виде?", "Is the budget published as open data?"),
    i("od_update_days", "OpenData", -1, "number", (1.0, 365.0), "Days between updates", "Дней между обновлениями", "Как часто обновляются данные, дней?", "How often are the data updated, days?"),
    i("ep_feedback", "Participation", 1, "yes_no", YES_NO, "Online feedback", "Обращения онлайн", "Можно ли направить обращение онлайн?", "Can residents send a request online?"),
    i("ep_petitions", "Participation", 1, "yes_no", YES_NO, "E-petitions", "Электронные петиции", "Есть ли электронные петиции?", "Are there e-petitions?"),
    i("ep_budget", "Participation", 1, "yes_no", YES_NO, "Participatory budget", "Инициативный бюджет", "Есть ли инициативное бюджетирование онлайн?", "Is there an online participatory budget?"),
    i("ep_consultations", "Participation", 1, "number", (0.0, 60.0), "Online consultations a year", "Онлайн-обсуждения за год", "Сколько онлайн-обсуждений проведено за год?", "How many online consultations were held in the year?"),
    i("ep_social", "Participation", 1, "yes_no", YES_NO, "Official social media", "Официальные соцсети", "Ведёт ли администрация официальные соцсети?", "Does the administration run official social media?"),
    i("ep_response_days", "Participation", -1, "number", (1.0, 30.0), "Days to answer a request", "Дней до ответа на обращение", "За сколько дней в среднем даётся ответ?", "How many days does an answer take on average?"),
    i("inf_broadband", "Infrastructure", 1, "percent", (40.0, 99.0), "Households with broadband", "Домохозяйства с широкополосным доступом", "Какая доля домохозяйств имеет широкополосный доступ, %?", "What share of households has broadband, %?"),
    i("inf_4g", "Infrastructure", 1, "percent", (60.0, 100.0), "4G coverage", "Покрытие 4G", "Какая доля территории покрыта 4G, %?", "What share of the territory has 4G coverage, %?"),
    i("inf_wifi", "Infrastructure", 1, "number", (0.0, 80.0), "Public Wi-Fi points per 100,000", "Точки Wi-Fi на 100 тыс. жителей", "Сколько точек общественного Wi-Fi на 100 тыс. жителей?", "How many public Wi-Fi points per 100,000 residents?"),
    i("inf_skills", "Infrastructure", 1, "percent", (30.0, 90.0), "Residents with digital skills", "Жители с цифровыми навыками", "Какая доля жителей владеет цифровыми навыками, %?", "What share of residents has digital skills, %?"),
    i("inf_transport", "Infrastructure", 1, "yes_no", YES_NO, "Smart transport information", "Онлайн-информация о транспорте", "Есть ли онлайн-информация о транспорте?", "Is there online public transport information?"),
    i("inf_datacentre", "Infrastructure", 1, "yes_no", YES_NO, "Municipal data centre", "Муниципальный ЦОД", "Есть ли муниципальный центр обработки данных?", "Is there a municipal data centre?"),
];

/// The criteria: code, English name, Russian name, weight.
const CRITERIA: &[(&str, &str, &str, u32)] = &[
    ("Portal", "Official portal", "Официальный портал", 1),
    ("Services", "E-services", "Электронные услуги", 2),
    ("OpenData", "Open data", "Открытые данные", 1),
    ("Participation", "E-participation", "Электронное участие", 1),
    (
        "Infrastructure",
        "Digital infrastructure",
        "Цифровая инфраструктура",
        1,
    ),
];

const SPEC: &str = "# Demo methodology: mean imputation, min-max normalisation, arithmetic mean.\n\
# No [analysis]: the default uncertainty analysis gives the rank intervals.\n\
[[step]]\nop = \"impute\"\nmethod = \"mean\"\n\n[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\nl_u = [0, 100]\n\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n";

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// iMeta of the demo methodology, with the question columns and the names in both languages.
fn meta() -> String {
    let mut out = String::from(
        "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type,question_ru,question_en,answer_type,name_ru,name_en\n",
    );
    for ind in INDICATORS {
        let unit = match ind.answer {
            "percent" => "%",
            "yes_no" => "yes/no",
            _ => "",
        };
        out.push_str(&format!(
            "1,{},{},{},1,{},,,{},Indicator,{},{},{},{},{}\n",
            ind.code,
            csv_cell(ind.name_en),
            ind.direction,
            unit,
            ind.criterion,
            csv_cell(ind.question_ru),
            csv_cell(ind.question_en),
            ind.answer,
            csv_cell(ind.name_ru),
            csv_cell(ind.name_en)
        ));
    }
    for (code, name_en, name_ru, weight) in CRITERIA {
        out.push_str(&format!(
            "2,{code},{},1,{weight},Score,,,Index,Aggregate,,,,{},{}\n",
            csv_cell(name_en),
            csv_cell(name_ru),
            csv_cell(name_en)
        ));
    }
    out.push_str("3,Index,\"Information development index\",1,1,Score,,,,Aggregate,,,,\"Индекс информационного развития\",\"Information development index\"\n");
    out
}

/// A fixed pseudo-random number in [0, 1) for (a, b, c): SplitMix64 of their mix.
fn draw(a: u64, b: u64, c: u64) -> f64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(c.wrapping_mul(0x94D0_49BB_1331_11EB));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// iData of one year: each city has a made-up level of development that grows a little every
/// year; every value is drawn around it. About one value in forty is missing.
fn data(cities: &[(String, String)], year: i32) -> String {
    let mut out = String::from("uCode,uName");
    for ind in INDICATORS {
        out.push(',');
        out.push_str(ind.code);
    }
    out.push('\n');
    let years = f64::from(year - 2023);
    for (k, (code, name)) in cities.iter().enumerate() {
        let k = k as u64;
        let level = (0.25 + 0.6 * draw(k, 0, 0) + 0.04 * years).min(0.98);
        out.push_str(&format!("{code},{}", csv_cell(name)));
        for (j, ind) in INDICATORS.iter().enumerate() {
            let j = j as u64 + 1;
            let y = year as u64;
            out.push(',');
            if draw(k, j, y * 7 + 1) < 0.025 {
                continue;
            }
            let u = (level + 0.35 * (draw(k, j, y) - 0.5)).clamp(0.0, 1.0);
            let good = if ind.direction > 0 { u } else { 1.0 - u };
            let (low, high) = ind.range;
            let value = if ind.answer == "yes_no" {
                if draw(k, j, y * 3 + 2) < u {
                    1.0
                } else {
                    0.0
                }
            } else {
                (low + good * (high - low)).round()
            };
            out.push_str(&format!("{value}"));
        }
        out.push('\n');
    }
    out
}

pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    let mut cities: Vec<(String, String)> = store
        .org()
        .cities()
        .await?
        .into_iter()
        .map(|c| (c.code.as_str().to_string(), c.name_en))
        .collect();
    cities.sort();
    let monitoring = store.monitoring();
    // 2025 first, so the published edition is edition 1.
    for (year, publish) in [(2025, true), (2023, false), (2024, false)] {
        let edition = EditionInput {
            meta: meta(),
            spec: SPEC.into(),
            data: Some(data(&cities, year)),
            year: year.to_string(),
            title_ru: format!(
                "Индекс информационного развития городов {year} (демонстрационные данные)"
            ),
            title_en: format!("Information development of cities {year} (demo data)"),
        }
        .parse()
        .map_err(|e| DemoError::Data {
            file: "monitoring",
            row: e.row.unwrap_or(0),
            message: e.to_string(),
        })?;
        let id = monitoring.create(super::DEMO_ACTOR, &edition).await?;
        let computed =
            megapolis_monitoring::compute(&edition, &|_| {}).map_err(|e| DemoError::Data {
                file: "monitoring",
                row: 0,
                message: e.to_string(),
            })?;
        monitoring
            .save_result(super::DEMO_ACTOR, id, &computed)
            .await?;
        if publish {
            monitoring.publish(super::DEMO_ACTOR, id).await?;
        }
    }
    campaign(store, &cities).await
}

fn demo_error(message: impl std::fmt::Display) -> DemoError {
    DemoError::Data {
        file: "monitoring campaign",
        row: 0,
        message: message.to_string(),
    }
}

/// A made-up answer of city `k` to question `j`.
fn answer(question: &QuestionSpec, k: u64, j: u64) -> CheckedAnswer {
    let indicator = INDICATORS.iter().find(|i| i.code == question.code);
    let (low, high) = indicator.map_or((0.0, 100.0), |i| i.range);
    let u = draw(k, j, 2026);
    let value = match question.answer_type {
        megapolis_monitoring::AnswerType::YesNo => if u < 0.6 { "yes" } else { "no" }.to_string(),
        _ => number_text((low + u * (high - low)).round()),
    };
    CheckedAnswer {
        indicator: question.code.clone(),
        value: Some(value),
        evidence_url: format!("https://example.org/demo/{}", question.code),
        comment: String::new(),
    }
}

/// The 2026 edition (a draft without data) and a campaign on it in progress, with cities in
/// every state: Minsk (the demo city representative's) in draft, then one city each submitted,
/// under assessment with a mismatch, returned, verified; the others not started. Answers of
/// cities without a demo representative are given in the name of a representative of theirs.
async fn campaign(store: &Store, cities: &[(String, String)]) -> Result<(), DemoError> {
    let actor = super::DEMO_ACTOR;
    let edition = EditionInput {
        meta: meta(),
        spec: SPEC.into(),
        data: None,
        year: "2026".into(),
        title_ru: "Индекс информационного развития городов 2026 (демонстрационные данные)".into(),
        title_en: "Information development of cities 2026 (demo data)".into(),
    }
    .parse()
    .map_err(demo_error)?;
    let questionnaire = Questionnaire::of(&edition).map_err(demo_error)?;
    let edition_id = store.monitoring().create(actor, &edition).await?;
    let people = store.accounts().people().await?;
    let experts: Vec<i64> = people
        .iter()
        .filter(|p| p.role == Role::Expert)
        .map(|p| p.id)
        .collect();
    let [first, second] = [experts.first(), experts.get(1)].map(|e| e.copied());
    let (Some(first), Some(second)) = (first, second) else {
        return Err(demo_error("the demo campaign needs two experts"));
    };
    // Minsk first, so the demo city representative has a draft to continue.
    let mut order: Vec<&(String, String)> = cities.iter().filter(|(c, _)| c == "minsk").collect();
    order.extend(cities.iter().filter(|(c, _)| c != "minsk"));
    let invited = order
        .iter()
        .map(|(code, _)| {
            Ok(InvitedCity {
                city: CityCode::parse(code).map_err(demo_error)?,
                assessors: [first, second],
            })
        })
        .collect::<Result<Vec<_>, DemoError>>()?;
    let due = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let campaigns = store.campaigns();
    let id = campaigns
        .open(
            actor,
            &NewCampaign {
                edition_id,
                due_date: due,
                cities: invited,
            },
        )
        .await?;
    let all: Vec<String> = questionnaire.questions().map(|q| q.code.clone()).collect();
    let states = [
        CityState::Draft,
        CityState::Submitted,
        CityState::UnderAssessment,
        CityState::Returned,
        CityState::Verified,
    ];
    let placeholder = megapolis_domain::person::Email::parse("representative@example.org")
        .ok_or_else(|| demo_error("the placeholder address"))?;
    for (k, ((code, _), state)) in order.iter().zip(states).enumerate() {
        let representative = people
            .iter()
            .find(|p| {
                p.role == Role::CityRep && p.city.as_ref().map(CityCode::as_str) == Some(code)
            })
            .cloned()
            .unwrap_or_else(|| Person {
                id: 0,
                email: placeholder.clone(),
                name: format!("Representative of {code}"),
                role: Role::CityRep,
                city: CityCode::parse(code).ok(),
                memberships: Vec::new(),
                active: true,
            });
        let questions: Vec<&QuestionSpec> = if state == CityState::Draft {
            questionnaire
                .criteria
                .first()
                .map(|c| c.questions.iter().collect())
                .unwrap_or_default()
        } else {
            questionnaire.questions().collect()
        };
        let answers: Vec<CheckedAnswer> = questions
            .iter()
            .enumerate()
            .map(|(j, q)| answer(q, k as u64 + 1, j as u64 + 1))
            .collect();
        let submit = (state != CityState::Draft).then_some(all.as_slice());
        campaigns
            .save_answers(actor, &representative, id, code, &answers, submit)
            .await?;
        if matches!(
            state,
            CityState::UnderAssessment | CityState::Returned | CityState::Verified
        ) {
            let accept: Vec<(String, Decision)> =
                all.iter().map(|c| (c.clone(), Decision::Accept)).collect();
            campaigns.assess(actor, first, id, code, &accept).await?;
            let mut second_view = accept.clone();
            if state != CityState::Verified {
                // The second assessor finds the number of e-services lower than reported.
                if let Some(item) = second_view.iter_mut().find(|(c, _)| c == "svc_count") {
                    item.1 = Decision::Correct {
                        value: "42".into(),
                        reason: "The e-services catalogue lists 42 services (demo)".into(),
                    };
                }
            }
            campaigns
                .assess(actor, second, id, code, &second_view)
                .await?;
        }
        if state == CityState::Returned {
            campaigns
                .return_answers(
                    actor,
                    id,
                    code,
                    &[(
                        "svc_count".into(),
                        "Please count only the services that can be completed online (demo)".into(),
                    )],
                )
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_methodology_has_thirty_indicators_in_five_criteria_and_computes() {
        assert_eq!(INDICATORS.len(), 30);
        for (criterion, _, _, _) in CRITERIA {
            assert_eq!(
                INDICATORS
                    .iter()
                    .filter(|i| i.criterion == *criterion)
                    .count(),
                6
            );
        }
        let cities: Vec<(String, String)> = (0..12)
            .map(|k| (format!("city{k}"), format!("City, {k}")))
            .collect();
        let edition = EditionInput {
            meta: meta(),
            spec: SPEC.into(),
            data: Some(data(&cities, 2024)),
            year: "2024".into(),
            title_ru: "демо".into(),
            title_en: "demo".into(),
        }
        .parse()
        .expect("the demo edition is valid");
        let methodology = edition.methodology().expect("methodology");
        assert_eq!(methodology.questions.len(), 30);
        let computed = megapolis_monitoring::compute(&edition, &|_| {}).expect("computes");
        assert_eq!(computed.ranking.units.len(), 12);
        assert_eq!(computed.ranking.codes[0], "Index");
    }
}
