//! A demo consultation: proposals and remarks after a conference of our own, **written for the
//! demo** (no real city sent them), in Russian and English, so the suggested groups and the
//! similar submissions have something to show. The Secretariat enters what came by e-mail for
//! the cities; the Minsk representative and an Expert Council member write their own.
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_consultations::{ConsultationInput, SubmissionInput};

/// Who sends it (a demo login's e-mail), for which city, language, kind, text.
const SUBMISSIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Обеспечить бесплатный Wi-Fi на всех станциях метрополитена городов Ассоциации."),
    ("secretariat@megapolis.example", "astana", "en", "proposal", "Free Wi-Fi in every metro station."),
    ("minsk@megapolis.example", "minsk", "ru", "remark", "В метро до сих пор нет вайфая — это неудобно для пассажиров."),
    ("secretariat@megapolis.example", "tashkent", "ru", "proposal", "Публиковать расписания общественного транспорта как открытые данные в формате GTFS."),
    ("secretariat@megapolis.example", "baku", "en", "proposal", "Publish public transport timetables as open data (GTFS) so developers can build apps."),
    ("secretariat@megapolis.example", "yerevan", "ru", "remark", "На портале открытых данных невозможно найти нужный набор: поиск не работает."),
    ("council@megapolis.example", "", "en", "remark", "The search on the open data portal is useless; add filters by topic and format."),
    ("secretariat@megapolis.example", "bishkek", "ru", "proposal", "Провести обучение сотрудников администраций основам кибербезопасности и распознаванию фишинга."),
    ("secretariat@megapolis.example", "chisinau", "en", "proposal", "Train city staff to recognise phishing e-mails and follow basic cybersecurity rules."),
    ("secretariat@megapolis.example", "dushanbe", "ru", "proposal", "Создать единую учётную запись для всех электронных услуг города."),
    ("secretariat@megapolis.example", "tbilisi", "en", "proposal", "One login for all city e-services instead of a separate account on every site."),
    ("council@megapolis.example", "", "ru", "proposal", "Проводить регулярные семинары по обмену опытом цифровизации между городами."),
];

pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    let data = |row: usize, message: String| DemoError::Data {
        file: "demo/consultations.rs",
        row,
        message,
    };
    let consultation = ConsultationInput {
        title_ru: "Предложения по итогам конференции «Электронный город будущего» (демо)".into(),
        title_en: "Proposals after the “Electronic city of the future” conference (demo)".into(),
        topics: "Wi-Fi, открытые данные, электронные услуги, кибербезопасность, обучение кадров"
            .into(),
        ..Default::default()
    }
    .parse()
    .map_err(|e| data(0, e.to_string()))?;
    let consultations = store.consultations();
    let id = consultations.create(DEMO_ACTOR, &consultation).await?;
    let people = store.accounts().people().await?;
    for (row, (email, city, lang, kind, text)) in SUBMISSIONS.iter().enumerate() {
        let author = people
            .iter()
            .find(|p| p.email.as_str() == *email)
            .ok_or_else(|| data(row + 1, format!("no demo person {email}")))?;
        let submission = SubmissionInput {
            city: city.to_string(),
            lang: lang.to_string(),
            kind: kind.to_string(),
            text: text.to_string(),
            topic: String::new(),
        }
        .parse()
        .map_err(|e| data(row + 1, e.to_string()))?;
        consultations
            .submit(author, id, &submission)
            .await?
            .map_err(|refusal| data(row + 1, refusal.to_string()))?;
    }
    Ok(())
}
