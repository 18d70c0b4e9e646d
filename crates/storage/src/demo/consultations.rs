//! A demo consultation: 80 proposals and remarks after a conference of our own, **written for
//! the demo** (no real city sent them), in Russian and English, so the suggested groups and the
//! similar submissions have something to show; the Expert Council has merged some of them into
//! generalised proposals and rejected one, and there are two plans of joint actions: one
//! approved by the Board's chair (its items are assignments on the Board's dashboard) and a
//! draft. The Secretariat enters what came by e-mail for
//! the cities; the Minsk representative and an Expert Council member write their own.
use super::{DemoError, DEMO_ACTOR};
use crate::Store;
use megapolis_consultations::generalise::GeneralisedInput;
use megapolis_consultations::plan::{ItemInput, PlanAction, PlanInput};
use megapolis_consultations::priorities::{PriorityAction, PriorityInput};
use megapolis_consultations::{ConsultationInput, SubmissionInput};
use megapolis_domain::Person;
use time::{Duration, OffsetDateTime};

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
    ("secretariat@megapolis.example", "almaty", "ru", "proposal", "Установить точки доступа Wi-Fi в автобусах и троллейбусах, а не только в метро."),
    ("expert@megapolis.example", "", "en", "remark", "Metro Wi-Fi asks for a phone number and shows ads before every connection; make the login simple."),
    ("secretariat@megapolis.example", "kazan", "ru", "remark", "Авторизация в сети Wi-Fi метро через СМС занимает минуту — пассажир успевает проехать станцию."),
    ("secretariat@megapolis.example", "novosibirsk", "ru", "proposal", "Открыть бесплатный Wi-Fi в парках, на площадях и в библиотеках."),
    ("secretariat@megapolis.example", "baku", "en", "proposal", "Free public Wi-Fi in parks, squares and city libraries."),
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Выкладывать бюджет города в машиночитаемом виде с разбивкой по программам."),
    ("secretariat@megapolis.example", "astana", "en", "proposal", "Publish the city budget as open, machine-readable data broken down by programme."),
    ("council@megapolis.example", "", "ru", "remark", "Наборы открытых данных обновляются раз в год и быстро устаревают; нужен график обновления."),
    ("secretariat@megapolis.example", "yerevan", "en", "remark", "Open datasets are months out of date; each should state how often it is refreshed."),
    ("secretariat@megapolis.example", "minsk", "ru", "proposal", "Согласовать единый стандарт открытых данных для всех городов Ассоциации, чтобы их можно было сравнивать."),
    ("expert@megapolis.example", "", "en", "proposal", "Agree on a common open data standard across the Association so cities' data can be compared."),
    ("secretariat@megapolis.example", "tashkent", "ru", "proposal", "Перевести запись к врачу, в детский сад и в школу в один портал электронных услуг."),
    ("secretariat@megapolis.example", "bishkek", "en", "proposal", "Enrol children in kindergarten and school online through the city's e-services portal."),
    ("minsk@megapolis.example", "minsk", "ru", "remark", "Статус заявления на портале услуг не обновляется неделями, заявитель вынужден звонить."),
    ("secretariat@megapolis.example", "dushanbe", "en", "remark", "You apply online and then hear nothing: the status of an application is never updated."),
    ("secretariat@megapolis.example", "chisinau", "ru", "proposal", "Уведомлять заявителя о каждом шаге рассмотрения заявления по СМС и электронной почте."),
    ("secretariat@megapolis.example", "kazan", "en", "proposal", "Notify applicants by SMS and e-mail at every step of their application."),
    ("secretariat@megapolis.example", "tbilisi", "ru", "proposal", "Сделать портал электронных услуг удобным для людей с нарушениями зрения."),
    ("expert@megapolis.example", "", "en", "remark", "The e-services portal fails basic accessibility: screen readers cannot use its forms."),
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Создать общий центр реагирования на компьютерные инциденты для городов Ассоциации."),
    ("secretariat@megapolis.example", "almaty", "en", "proposal", "Set up a shared computer incident response team (CERT) for the member cities."),
    ("council@megapolis.example", "", "ru", "remark", "Города узнают об атаках друг на друга из новостей; нужен канал обмена сведениями об угрозах."),
    ("secretariat@megapolis.example", "yerevan", "ru", "proposal", "Ввести двухфакторную аутентификацию для всех сотрудников администраций."),
    ("secretariat@megapolis.example", "baku", "en", "proposal", "Require two-factor sign-in for every city official's account."),
    ("secretariat@megapolis.example", "novosibirsk", "ru", "proposal", "Регулярно проводить учения по отражению кибератак на городские информационные системы."),
    ("secretariat@megapolis.example", "bishkek", "ru", "proposal", "Организовать курсы повышения квалификации по анализу данных для муниципальных служащих."),
    ("secretariat@megapolis.example", "astana", "en", "proposal", "Data analysis courses for municipal staff, with a certificate recognised by all member cities."),
    ("minsk@megapolis.example", "minsk", "ru", "remark", "Обучение по цифровизации проходит только в столицах; сотрудникам районов добраться сложно — нужен дистанционный формат."),
    ("secretariat@megapolis.example", "dushanbe", "en", "remark", "Training is only held in person in the capitals; offer it online for staff of the districts."),
    ("secretariat@megapolis.example", "tbilisi", "en", "proposal", "Train heads of departments in managing digital projects, not only IT staff."),
    ("secretariat@megapolis.example", "kazan", "ru", "proposal", "Проводить для руководителей управлений курсы по управлению цифровыми проектами."),
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Показывать время прибытия автобусов в реальном времени на остановках и в приложении."),
    ("secretariat@megapolis.example", "tashkent", "en", "proposal", "Real-time arrival times for buses at stops and in a mobile app."),
    ("expert@megapolis.example", "", "ru", "remark", "Табло на остановках показывают расписание, а не реальное время прибытия, и вводят пассажиров в заблуждение."),
    ("secretariat@megapolis.example", "almaty", "ru", "proposal", "Ввести единый транспортный билет с оплатой банковской картой и телефоном."),
    ("secretariat@megapolis.example", "chisinau", "en", "proposal", "Pay for any bus, tram or metro ride with a bank card or phone: one ticket for all transport."),
    ("secretariat@megapolis.example", "novosibirsk", "en", "proposal", "Adaptive traffic lights that react to the traffic, to cut queues at junctions."),
    ("secretariat@megapolis.example", "baku", "ru", "proposal", "Внедрить адаптивное управление светофорами по данным о загрузке перекрёстков."),
    ("secretariat@megapolis.example", "yerevan", "ru", "proposal", "Запустить платформу, где жители предлагают и голосуют за проекты благоустройства."),
    ("secretariat@megapolis.example", "tbilisi", "en", "proposal", "A participatory budgeting platform where residents propose and vote for neighbourhood projects."),
    ("minsk@megapolis.example", "minsk", "ru", "proposal", "Дать жителям возможность сообщать о ямах и неработающих фонарях с фотографией и отметкой на карте."),
    ("secretariat@megapolis.example", "astana", "en", "proposal", "Let residents report potholes and broken street lights with a photo and a map pin."),
    ("expert@megapolis.example", "", "en", "remark", "Reports sent through the city app disappear: nobody answers and nothing is fixed."),
    ("secretariat@megapolis.example", "kazan", "ru", "remark", "Обращения жителей через приложение остаются без ответа, а заявка закрывается как выполненная."),
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Создать цифровой двойник города для планирования застройки и транспорта."),
    ("secretariat@megapolis.example", "almaty", "en", "proposal", "Build a digital twin of the city to plan construction and transport."),
    ("council@megapolis.example", "", "en", "proposal", "Share one base map and address register among city services instead of each keeping its own."),
    ("secretariat@megapolis.example", "bishkek", "ru", "proposal", "Вести единый адресный реестр и общую базовую карту для всех служб города."),
    ("secretariat@megapolis.example", "dushanbe", "ru", "proposal", "Перевести уличное освещение на светодиоды с дистанционным управлением."),
    ("secretariat@megapolis.example", "tashkent", "en", "proposal", "Smart LED street lighting that dims when streets are empty and is controlled remotely."),
    ("secretariat@megapolis.example", "chisinau", "ru", "remark", "Фонари горят днём и не горят ночью: нет учёта и контроля за работой освещения."),
    ("secretariat@megapolis.example", "yerevan", "en", "proposal", "Collect the member cities' digital solutions in a shared catalogue so others can reuse them."),
    ("secretariat@megapolis.example", "novosibirsk", "ru", "proposal", "Собрать цифровые решения городов в общий каталог, чтобы другие могли их перенять."),
    ("minsk@megapolis.example", "minsk", "ru", "proposal", "Организовать стажировки специалистов в городах, где решение уже работает."),
    ("secretariat@megapolis.example", "baku", "en", "proposal", "Study visits for specialists to cities where a solution already works."),
    ("expert@megapolis.example", "", "ru", "proposal", "Публиковать открытые данные о качестве воздуха с датчиков в реальном времени."),
    ("secretariat@megapolis.example", "astana", "en", "proposal", "Publish real-time air quality readings from city sensors as open data."),
    ("secretariat@megapolis.example", "tbilisi", "ru", "remark", "Датчики качества воздуха есть, но их данные доступны только в ведомстве."),
    ("secretariat@megapolis.example", "kazan", "en", "proposal", "Open the data of air quality sensors that today only the environment department sees."),
    ("secretariat@megapolis.example", "moscow", "ru", "proposal", "Разработать общие требования к защите персональных данных в городских информационных системах."),
    ("secretariat@megapolis.example", "almaty", "en", "proposal", "Common rules for protecting personal data in city information systems."),
    ("council@megapolis.example", "", "ru", "remark", "Отдельные городские сайты собирают больше персональных данных, чем нужно для услуги."),
    ("secretariat@megapolis.example", "bishkek", "en", "remark", "Some city websites ask for far more personal data than the service needs."),
    ("secretariat@megapolis.example", "tashkent", "ru", "proposal", "Подключить все школы и поликлиники к скоростному интернету."),
    ("secretariat@megapolis.example", "dushanbe", "en", "proposal", "Fast broadband for every school and clinic in the city."),
    ("expert@megapolis.example", "", "en", "remark", "The conference did not discuss rural suburbs at all, though they lag furthest behind."),
    ("secretariat@megapolis.example", "chisinau", "ru", "proposal", "Создать чат-бот городских услуг в популярных мессенджерах."),
    ("secretariat@megapolis.example", "novosibirsk", "en", "proposal", "A chatbot for city services in the messengers people already use."),
];

/// What the Expert Council merged: the rows of [`SUBMISSIONS`] (from 1), texts, topic. The other
/// submissions wait, so the suggested groups still have work to show.
const GENERALISED: &[(&[usize], &str, &str, &str)] = &[
    (&[1, 2, 3, 14, 15], "Обеспечить бесплатный Wi-Fi в метро городов Ассоциации с простой авторизацией, без СМС и рекламы.", "Free Wi-Fi in the metro of the Association's cities, with a simple login and no SMS or ads.", "Wi-Fi"),
    (&[4, 5], "Публиковать расписания общественного транспорта как открытые данные в формате GTFS.", "Publish public transport timetables as open data in GTFS.", "открытые данные"),
    (&[8, 9], "Обучить сотрудников администраций кибергигиене и распознаванию фишинга.", "Train city staff in basic cybersecurity and recognising phishing.", "кибербезопасность"),
    (&[10, 11], "Единая учётная запись для всех электронных услуг города.", "One account for all of a city's e-services.", "электронные услуги"),
    (&[26, 27, 28, 29], "Сообщать заявителю о каждом шаге рассмотрения заявления и обновлять его статус на портале.", "Tell applicants about every step of their application and keep its status up to date.", "электронные услуги"),
    (&[32, 33, 34], "Создать общий центр реагирования на компьютерные инциденты и канал обмена сведениями об угрозах.", "A shared incident response team and a channel to share threat information among member cities.", "кибербезопасность"),
    (&[40, 41], "Проводить обучение по цифровизации дистанционно, для сотрудников всех районов.", "Offer digital skills training online, for staff of every district.", "обучение кадров"),
    (&[53, 54, 55, 56], "Сервис сообщений жителей о проблемах благоустройства с фотографией, картой и обязательным ответом.", "A service for residents' reports of street problems, with a photo, a map pin and a required answer.", "участие жителей"),
    (&[68, 69, 70, 71], "Публиковать данные датчиков качества воздуха как открытые данные в реальном времени.", "Publish air quality sensor readings as real-time open data.", "открытые данные"),
];

/// Rejected by the Council, with the reason the author reads.
const REJECTED: &[(usize, &str)] = &[(
    78,
    "Не относится к повестке консультации: вопрос передан в профильную комиссию.",
)];

/// The plans: titles, the body whose chair approves, approved or left as a draft, and items as
/// (generalised proposal from 1, action, lead, co-executors, days to the deadline, result).
type DemoItem = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
);
const PLANS: &[(&str, &str, bool, &[DemoItem])] = &[
    (
        "План совместных действий по итогам конференции «Электронный город будущего» (демо)",
        "Plan of joint actions after the “Electronic city of the future” conference (demo)",
        true,
        &[
            (1, "Подготовить типовые требования к бесплатному Wi-Fi в метро с авторизацией без СМС и рекламы", "secretariat", "moscow-it", 120, "Типовые требования разосланы городам"),
            (3, "Провести дистанционный курс по кибергигиене и распознаванию фишинга для сотрудников администраций", "mguu", "expert-council", 90, "Курс прошли не менее 300 сотрудников"),
            (6, "Разработать положение о сети обмена сведениями о компьютерных инцидентах городов", "expert-council", "secretariat commission-info", 180, "Положение утверждено Правлением"),
        ],
    ),
    (
        "План совместных действий: электронные услуги и участие жителей (проект, демо)",
        "Plan of joint actions: e-services and residents' participation (draft, demo)",
        false,
        &[
            (5, "Подготовить рекомендации по уведомлению заявителей о ходе рассмотрения заявлений", "commission-info", "secretariat", 150, "Рекомендации одобрены Экспертным советом"),
            (8, "Собрать опыт городов по сервисам сообщений жителей и выбрать лучшие практики", "expert-council", "", 200, "Обзор практик опубликован в каталоге решений"),
        ],
    ),
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
    let mut ids = Vec::with_capacity(SUBMISSIONS.len());
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
        let saved = consultations
            .submit(author, id, &submission)
            .await?
            .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        ids.push(saved);
    }
    let person = |email: &str| -> Result<&Person, DemoError> {
        people
            .iter()
            .find(|p| p.email.as_str() == email)
            .ok_or_else(|| data(0, format!("no demo person {email}")))
    };
    let council = person("council@megapolis.example")?;
    let board = person("board@megapolis.example")?;
    let actor = council.email.to_string();
    let submission_id = |row: usize| {
        ids.get(row.wrapping_sub(1))
            .copied()
            .ok_or_else(|| data(row, "no such demo submission".into()))
    };
    let mut generalised = Vec::new();
    for (row, (rows, text_ru, text_en, topic)) in GENERALISED.iter().enumerate() {
        let text = GeneralisedInput {
            text_ru: text_ru.to_string(),
            text_en: text_en.to_string(),
            topic: topic.to_string(),
        }
        .parse()
        .map_err(|e| data(row + 1, e.to_string()))?;
        let members = rows
            .iter()
            .map(|r| submission_id(*r))
            .collect::<Result<Vec<_>, _>>()?;
        let new = consultations
            .merge(&actor, id, &members, &text)
            .await?
            .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        generalised.push(new);
    }
    for (row, reason) in REJECTED {
        consultations
            .reject(&actor, id, submission_id(*row)?, reason)
            .await?
            .map_err(|refusal| data(*row, refusal.to_string()))?;
    }
    let today = OffsetDateTime::now_utc().date();
    let decision = store
        .decisions()
        .list(false, today)
        .await?
        .first()
        .map(|d| d.id)
        .ok_or_else(|| data(0, "no demo decision for the plans".into()))?;
    for (row, (title_ru, title_en, approved, items)) in PLANS.iter().enumerate() {
        let plan = PlanInput {
            title_ru: title_ru.to_string(),
            title_en: title_en.to_string(),
            decision: decision.to_string(),
            approver: "board".into(),
        }
        .parse()
        .map_err(|e| data(row + 1, e.to_string()))?;
        let plan_id = consultations
            .create_plan(&actor, id, &plan)
            .await?
            .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        for (g, action, lead, co, days, result) in *items {
            let item = ItemInput {
                generalised: generalised
                    .get(g.wrapping_sub(1))
                    .ok_or_else(|| data(row + 1, format!("no generalised proposal {g}")))?
                    .to_string(),
                action: action.to_string(),
                lead: lead.to_string(),
                co_executors: co.to_string(),
                deadline: (today + Duration::days(*days)).to_string(),
                expected_result: result.to_string(),
            }
            .parse()
            .map_err(|e| data(row + 1, e.to_string()))?;
            consultations
                .add_item(&actor, plan_id, &item)
                .await?
                .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        }
        if *approved {
            for (who, action) in [(council, PlanAction::Review), (board, PlanAction::Approve)] {
                consultations
                    .act_on_plan(who, plan_id, action, "")
                    .await?
                    .map_err(|refusal| data(row + 1, refusal.to_string()))?;
            }
        }
    }
    Ok(())
}

/// The priority directions: titles, descriptions, evidence as the proposal form names it, with
/// `g<N>` the demo's N-th generalised proposal, `item-<N>` the approved plan's N-th item and
/// `solution-<title in English>` a catalogue solution; criteria are those of the published
/// monitoring edition.
type DemoPriority = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);
const PRIORITIES: &[DemoPriority] = &[
    (
        "Цифровая инфраструктура: связь в транспорте и общественных местах (демо)",
        "Digital infrastructure: connectivity in transport and public places (demo)",
        "Бесплатный Wi-Fi в метро, наземном транспорте и общественных местах городов Ассоциации.",
        "Free Wi-Fi in the metro, surface transport and public places of the Association's cities.",
        &["g1", "criterion-Infrastructure", "item-1"],
    ),
    (
        "Кибербезопасность городов (демо)",
        "Cybersecurity of the cities (demo)",
        "Общий центр реагирования на инциденты, обмен сведениями об угрозах и обучение сотрудников.",
        "A shared incident response team, threat information sharing and staff training.",
        &["g3", "g6", "item-2", "item-3"],
    ),
    (
        "Электронные услуги и участие жителей (демо)",
        "E-services and residents' participation (demo)",
        "Единая учётная запись, прозрачный статус заявлений и сервисы обратной связи с жителями.",
        "One account, a transparent status of applications, and services for residents' feedback.",
        &[
            "g4",
            "g5",
            "g8",
            "criterion-Services",
            "criterion-Participation",
            "solution-Electronic queue for city clinics (demo)",
            "solution-Residents vote for improvement projects (demo)",
        ],
    ),
];

/// The demo's priority directions, proposed by the Council, approved by the Board's chair and
/// published by the Secretariat. Loaded after the catalogue, whose solutions they cite.
pub(super) async fn load_priorities(store: &Store) -> Result<(), DemoError> {
    let data = |row: usize, message: String| DemoError::Data {
        file: "demo/consultations.rs",
        row,
        message,
    };
    let people = store.accounts().people().await?;
    let person = |email: &str| -> Result<&Person, DemoError> {
        people
            .iter()
            .find(|p| p.email.as_str() == email)
            .ok_or_else(|| data(0, format!("no demo person {email}")))
    };
    let consultations = store.consultations();
    let id = consultations
        .list()
        .await?
        .last()
        .map(|c| c.id)
        .ok_or_else(|| data(0, "no demo consultation".into()))?;
    let generalised: Vec<i64> = consultations
        .generalised_list(id)
        .await?
        .iter()
        .map(|g| g.id)
        .collect();
    let plan = consultations.plans(id).await?.first().map(|p| p.id);
    let items: Vec<i64> = match plan {
        Some(plan) => consultations
            .plan(plan)
            .await?
            .map(|p| p.items.iter().map(|i| i.id).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let edition = store
        .monitoring()
        .list(true)
        .await?
        .first()
        .map(|e| e.id)
        .ok_or_else(|| data(0, "no published monitoring edition".into()))?;
    let solutions = store.catalogue().list(true).await?;
    for (row, (title_ru, title_en, description_ru, description_en, evidence)) in
        PRIORITIES.iter().enumerate()
    {
        let nth = |list: &[i64], raw: &str| {
            raw.parse::<usize>()
                .ok()
                .and_then(|n| list.get(n.wrapping_sub(1)))
                .copied()
                .ok_or_else(|| data(row + 1, format!("no demo evidence {raw}")))
        };
        let mut keys = Vec::new();
        for raw in *evidence {
            let key = if let Some(n) = raw.strip_prefix("item-") {
                format!("plan-item-{}", nth(&items, n)?)
            } else if let Some(n) = raw.strip_prefix('g') {
                format!("generalised-{}", nth(&generalised, n)?)
            } else if let Some(code) = raw.strip_prefix("criterion-") {
                format!("criterion-{edition}:{code}")
            } else if let Some(title) = raw.strip_prefix("solution-") {
                let found = solutions
                    .iter()
                    .find(|s| s.title_en == title)
                    .ok_or_else(|| data(row + 1, format!("no demo solution {title}")))?;
                format!("solution-{}", found.id)
            } else {
                return Err(data(row + 1, format!("unknown evidence {raw}")));
            };
            keys.push(key);
        }
        let priority = PriorityInput {
            title_ru: title_ru.to_string(),
            title_en: title_en.to_string(),
            description_ru: description_ru.to_string(),
            description_en: description_en.to_string(),
        }
        .parse(keys.iter().map(String::as_str))
        .map_err(|e| data(row + 1, e.to_string()))?;
        let new = consultations
            .propose_priority(person("council@megapolis.example")?, &priority)
            .await?
            .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        for (who, action) in [
            ("board@megapolis.example", PriorityAction::Approve),
            ("secretariat@megapolis.example", PriorityAction::Publish),
        ] {
            consultations
                .act_on_priority(person(who)?, new, action)
                .await?
                .map_err(|refusal| data(row + 1, refusal.to_string()))?;
        }
    }
    Ok(())
}
