//! A small glossary of the consultations' subject (city digital services): words of both
//! languages and their usual synonyms, mapped to one concept token each, so that "Wi-Fi in the
//! metro" and «беспроводной интернет в метрополитене» share features. It is a bridge for the
//! lexical signal, not a thesaurus: a word is listed only where its sense in this subject is
//! clear (Russian «карта» is a card or a map, so it is not listed). Words are written as
//! people write them; each is folded and stemmed by its script when the table is built.
use crate::analysis::{fold, stem};
use std::collections::HashMap;
use std::sync::OnceLock;

/// concept → the words that name it (any form; several forms where stems differ).
const GLOSSARY: &[(&str, &str)] = &[
    ("wifi", "wifi вайфай вай-фай беспроводной беспроводная беспроводные беспроводного wireless hotspot hotspots хотспот"),
    ("internet", "интернет интернета internet broadband"),
    ("network", "сеть сети сетевой network networks"),
    ("coverage", "покрытие покрытия coverage"),
    ("mobilenet", "5g 4g lte сотовой сотовая cellular"),
    ("metro", "метро метрополитен метрополитена subway underground metro"),
    ("transport", "транспорт транспорта транспортный автобус автобусы автобусов трамвай трамваи троллейбус transport transit bus buses tram trams trolleybus"),
    ("station", "станция станции станциях станций station stations"),
    ("stop", "остановка остановки остановках остановок stop stops"),
    ("schedule", "расписание расписания schedule schedules timetable timetables"),
    ("arrival", "прибытие прибытия прибывает arrival arrivals arrive"),
    ("realtime", "реальном реальное реального real realtime"),
    ("parking", "парковка парковки парковок парковочный парковочных parking park"),
    ("payment", "оплата оплаты оплачивать оплатить платеж платежи платежей payment payments pay paying"),
    ("ticket", "билет билеты билета проездной ticket tickets"),
    ("card", "card cards"),
    ("open", "открытый открытые открытых открытость open openness transparency transparent прозрачность прозрачный"),
    ("data", "данные данных data dataset datasets датасет датасеты"),
    ("portal", "портал портала порталы сайт сайта сайты веб-сайт portal portals site sites website websites"),
    ("app", "приложение приложения приложений app apps application applications"),
    ("mobile", "мобильный мобильное мобильного смартфон смартфона телефон mobile smartphone smartphones phone phones"),
    ("service", "услуга услуги услуг сервис сервисы сервисов госуслуги госуслуг service services"),
    ("digital", "электронный электронные электронных цифровой цифровые цифровых онлайн дистанционно дистанционный удаленно digital electronic online remote remotely"),
    ("security", "безопасность безопасности безопаснее безопасный защита защиты защищенность security protection protect safety safe safer"),
    ("cybersecurity", "кибербезопасность кибербезопасности киберзащита кибер cybersecurity cyber"),
    ("attack", "атака атаки атак кибератака кибератаки хакер хакеры хакерских взлом взлома attack attacks cyberattack cyberattacks hacker hackers hacking breach breaches"),
    ("phishing", "фишинг фишинга фишинговых phishing"),
    ("incident", "инцидент инциденты инцидентов incident incidents"),
    ("password", "пароль пароли паролей password passwords"),
    ("backup", "резервное резервного резервные backup backups"),
    ("training", "обучение обучения обучать обучить курсы курсов курс квалификации квалификация переподготовка переподготовки навыки навыков тренинг тренинги training train trained course courses retraining upskilling skills skill qualification"),
    ("staff", "сотрудники сотрудников сотрудникам персонал персонала служащие служащих чиновники чиновников кадры кадров специалисты специалистов employees employee staff officials servants workers personnel specialists"),
    ("budget", "бюджет бюджета бюджетный бюджетных бюджетирование budget budgets budgeting"),
    ("funding", "финансирование финансирования гранты грантов субсидии funding fund funds grants grant subsidies"),
    ("publish", "публиковать опубликовать публикация публикацию публикации размещать разместить размещение выкладывать publish published publishing publication"),
    ("complaint", "обращение обращения обращений жалоба жалобы жалоб appeal appeals complaint complaints petition petitions"),
    ("feedback", "отзыв отзывы отзывов feedback"),
    ("accessibility", "доступность доступности доступный доступные accessibility accessible"),
    ("disability", "инвалид инвалиды инвалидов инвалидностью маломобильных слабовидящих незрячих disabled disability disabilities blind visually impaired"),
    ("ai", "искусственный искусственного интеллект интеллекта нейросеть нейросети нейросетей ai artificial intelligence neural"),
    ("chatbot", "чат бот чатбот боты чат-бот chatbot chatbots bot bots chat"),
    ("camera", "камера камеры камер видеонаблюдение видеонаблюдения видеокамеры видео camera cameras cctv surveillance video"),
    ("recognition", "распознавание распознавания recognition"),
    ("privacy", "персональные персональных персональными приватность конфиденциальность конфиденциальности privacy personal confidentiality"),
    ("lighting", "освещение освещения фонари фонарей lighting streetlights streetlight lights"),
    ("traffic", "пробки пробок заторы заторов движение движения трафик traffic congestion jams"),
    ("trafficlight", "светофор светофоры светофоров светофорами"),
    ("road", "дорога дороги дорог дорожный улица улицы улиц road roads street streets"),
    ("pothole", "ямы ям ямах выбоины pothole potholes"),
    ("waste", "мусор мусора отходы отходов вывоз вывоза waste garbage trash rubbish refuse"),
    ("bin", "контейнер контейнеры контейнеров урны урн bin bins container containers"),
    ("utilities", "жкх коммунальные коммунальных коммунальными utilities utility housing"),
    ("meter", "счетчик счетчики счетчиков показания meter meters metering readings"),
    ("energy", "энергия энергии электроэнергия электроэнергии энергосбережение energy electricity"),
    ("school", "школа школы школ школьники школьников образование образования school schools pupils education"),
    ("health", "поликлиника поликлиники больница больницы медицинский медицинской медицинских врач врачу врача здравоохранение hospital hospitals clinic clinics healthcare medical doctor doctors health"),
    ("queue", "очередь очереди очередей очередях queue queues waiting"),
    ("document", "документ документы документов справка справки справок document documents certificates paperwork"),
    ("login", "авторизация авторизации вход входа логин аутентификация аутентификации есиа login logins authentication sign"),
    ("account", "учетная учетной учетные аккаунт account accounts"),
    ("format", "формат формате форматы форматах format formats"),
    ("machinereadable", "машиночитаемый машиночитаемые машиночитаемых машиночитаемом readable"),
    ("update", "обновление обновления обновлять обновлять обновлять обновляются актуальность актуальный актуальные актуальных устаревший устаревшие устаревших update updated updates updating outdated obsolete stale"),
    ("search", "поиск поиска искать search searching"),
    ("interface", "интерфейс интерфейса удобство удобный удобная удобным навигация навигации дизайн interface interfaces usability convenient navigation design"),
    ("english", "английский английском английской английская english"),
    ("translation", "перевод перевода переведены translation translations translate translated"),
    ("version", "версия версии версию version versions"),
    ("centre", "центр центра центров center centre centres centers"),
    ("situation", "ситуационный ситуационного situation"),
    ("smart", "умный умного умные умных интеллектуальная интеллектуальной интеллектуальные smart"),
    ("sensor", "датчик датчики датчиков сенсоры iot sensor sensors"),
    ("air", "воздух воздуха air"),
    ("pollution", "загрязнение загрязнения pollution polluted"),
    ("environment", "экология экологии экологический экологической environment environmental ecology"),
    ("tourism", "туризм туризма туристы туристов туристический tourism tourist tourists visitors"),
    ("elderly", "пожилые пожилых пожилым пенсионеры пенсионеров старшего elderly pensioners seniors older"),
    ("literacy", "грамотность грамотности literacy"),
    ("vote", "голосование голосования голосовать vote votes voting"),
    ("survey", "опрос опросы опросов анкетирование survey surveys poll polls questionnaire"),
    ("procurement", "закупки закупок тендеры тендеров procurement tenders tender purchasing"),
    ("standard", "стандарт стандарты стандартов стандартизация standard standards standardisation standardization"),
    ("integration", "интеграция интеграции интегрировать совместимость взаимодействие integration integrate integrated interoperability interoperable compatible"),
    ("exchange", "обмен обмена обмениваться exchange exchanging sharing share"),
    ("cloud", "облако облачный облачные облачных облака cloud"),
    ("datacentre", "цод цода дата-центр датацентр datacenter datacentre"),
    ("software", "программное программного программы софт software"),
    ("opensource", "исходный исходным исходного source"),
    ("practice", "практики практик практика опыт опыта опытом practice practices experience"),
    ("event", "конференция конференции форум форума семинар семинары семинаров вебинар вебинары conference conferences forum forums seminar seminars webinar webinars"),
    ("platform", "платформа платформы платформе платформу platform platforms"),
    ("registry", "реестр реестра реестры registry register registers"),
    ("catalogue", "каталог каталога каталоги catalogue catalog catalogues catalogs"),
    ("indicator", "показатели показателей метрики метрик статистика статистики indicators indicator metrics statistics kpi"),
    ("emergency", "экстренный экстренных экстренные чрезвычайных чрезвычайные emergency emergencies"),
    ("notify", "оповещение оповещения уведомление уведомления уведомлять оповещать alert alerts notification notifications notify warnings"),
    ("snow", "снег снега снегопад снегоуборка snow snowfall"),
    ("bike", "велосипед велосипеды велосипедов велодорожки велодорожек велопрокат bicycle bicycles bike bikes cycling"),
    ("scooter", "самокат самокаты самокатов электросамокаты scooter scooters"),
    ("taxi", "такси taxi taxis"),
    ("carsharing", "каршеринг каршеринга carsharing"),
    ("charging", "зарядка зарядки зарядные зарядных электрозаправки charging charger chargers"),
    ("pedestrian", "пешеход пешеходы пешеходов пешеходный pedestrian pedestrians"),
    ("accident", "дтп авария аварии аварий accident accidents crash crashes"),
    ("fine", "штраф штрафы штрафов fine fines penalty penalties"),
    ("tax", "налог налоги налогов tax taxes"),
    ("permit", "разрешение разрешения разрешений лицензия лицензии permit permits license licence licenses"),
    ("construction", "строительство строительства стройка construction"),
    ("map", "гис геоинформационная геоинформационной геопортал геопортала gis geoportal geospatial map maps"),
    ("speed", "скорость скорости быстрый быстрее медленный медленно speed fast faster slow slowly"),
    ("free", "бесплатный бесплатного бесплатно бесплатные free"),
    ("allday", "круглосуточно круглосуточный круглосуточная clock"),
    ("youth", "молодежь молодежи youth young"),
    ("library", "библиотека библиотеки библиотек library libraries"),
    ("museum", "музей музеи музеев museum museums"),
    ("noise", "шум шума шумы noise noisy"),
    ("water", "вода воды водоснабжение водоснабжения water"),
    ("heating", "отопление отопления теплоснабжение heating"),
];

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for (concept, words) in GLOSSARY {
            for word in words.split_whitespace() {
                let word: String = fold(word).chars().filter(|c| *c != '-').collect();
                // The first concept to claim a stem keeps it, so the table is the same each time.
                map.entry(stem(&word)).or_insert(*concept);
            }
        }
        map
    })
}

/// A stem at least this long also names the concept of a longer stem it begins with: the
/// Snowball stemmer leaves some case endings on (`метрополитене` → `метрополитен`, while the
/// glossary's `метрополитена` → `метрополит`); shorter prefixes would match unrelated words.
const PREFIX_CHARS: usize = 6;

/// The concept a stem names, if the glossary lists it or the longest listed stem it begins with.
pub fn concept_of(stem: &str) -> Option<&'static str> {
    let table = table();
    if let Some(concept) = table.get(stem) {
        return Some(concept);
    }
    let ends: Vec<usize> = stem
        .char_indices()
        .map(|(i, _)| i)
        .skip(PREFIX_CHARS)
        .collect();
    ends.iter()
        .rev()
        .find_map(|end| table.get(&stem[..*end]).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_stem_is_claimed_by_two_concepts() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut clashes = Vec::new();
        for (concept, words) in GLOSSARY {
            for word in words.split_whitespace() {
                let word: String = fold(word).chars().filter(|c| *c != '-').collect();
                let stem = stem(&word);
                if let Some(other) = seen.insert(stem.clone(), concept) {
                    if other != *concept {
                        clashes.push(format!("{word} ({stem}): {other} and {concept}"));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }
}
