//! From a submission's text to the features the similarity compares.
//!
//! - **Words**: folded to lower case with «ё» → «е»; hyphenated abbreviations joined
//!   (`Wi-Fi` → `wifi`, `e-mail` → `email`), other compounds split (`онлайн-сервис`); numbers
//!   dropped; stop words (function words of both languages) and the framing every request
//!   shares («предлагаем», «необходимо», "we propose", "should") removed; each word stemmed
//!   with the Snowball algorithm of its own script (Cyrillic → Russian, Latin → English), so a
//!   Russian text quoting "open data" is read correctly.
//! - **Concepts**: a stem that the [`crate::glossary`] knows becomes the concept's token
//!   instead (`вайфа`, `беспроводн`, `wifi`, `wireless` → `#wifi`), so synonyms and the two
//!   languages meet.
//! - **Character n-grams**: 3- to 5-grams inside each kept word, padded with `_` at its ends,
//!   of the word transliterated to Latin letters, so word forms the stemmer leaves apart
//!   (`цифровизация`/`цифровой`) and international words in the other script
//!   (`портал`/`portal`, `мониторинг`/`monitoring`) still overlap.
use crate::glossary;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The features of one text, before weighting: each word feature (stem or concept) and each
/// character n-gram with its count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub words: HashMap<String, u32>,
    pub grams: HashMap<String, u32>,
}

/// The smallest and largest character n-grams taken inside a word.
pub const GRAM_SIZES: std::ops::RangeInclusive<usize> = 3..=5;

/// Lower case, «ё» → «е».
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Cyrillic,
    Latin,
}

pub(crate) fn script_of(word: &str) -> Script {
    let cyrillic = word.chars().filter(|c| is_cyrillic(*c)).count();
    if cyrillic * 2 >= word.chars().count() {
        Script::Cyrillic
    } else {
        Script::Latin
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// The words of a folded text: runs of letters and digits; a hyphenated word is one word when
/// a part is at most two letters (`wi-fi`, `e-mail`, `4g-сеть` stays split only when both parts
/// are long), otherwise its parts. Pure numbers are dropped.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    for chunk in folded.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let parts: Vec<&str> = chunk.split('-').filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            continue;
        }
        let short = parts.len() > 1 && parts.iter().any(|p| p.chars().count() <= 2);
        if short {
            out.push(parts.concat());
        } else {
            out.extend(parts.iter().map(|p| p.to_string()));
        }
    }
    out.retain(|w| !w.chars().all(|c| c.is_ascii_digit()));
    out
}

fn stemmer(script: Script) -> &'static Stemmer {
    static RUSSIAN: OnceLock<Stemmer> = OnceLock::new();
    static ENGLISH: OnceLock<Stemmer> = OnceLock::new();
    match script {
        Script::Cyrillic => RUSSIAN.get_or_init(|| Stemmer::create(Algorithm::Russian)),
        Script::Latin => ENGLISH.get_or_init(|| Stemmer::create(Algorithm::English)),
    }
}

/// The Snowball stem of a folded word, in the algorithm of its script.
pub fn stem(word: &str) -> String {
    stemmer(script_of(word)).stem(word).into_owned()
}

/// Function words of both languages, matched as written (after folding).
const STOP_WORDS: &str = "
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
для до его ее ей ему если есть еще же за здесь и из или им их к как какой когда кто ли либо
между меня мне можно мы на над наш наша наше наши не него нее нет ни них но ну о об однако он
она они оно от очень по под после при про с со так также такой там те тем то того тоже той
только том ту тут у уже хотя чего чей чем что чтобы чье эта эти это этого этой этом этот я
всем своих свой своя свое свои сам сама само сами себя себе нам нами ими ней нём который
которая которое которые которых котором которой каждый каждого каждой любой иной другой
других чаще реже ряд ряда ряде путем путём счет счёт целях рамках части числе
a about above after again all also am an and any are as at be been before being below between
both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she so some such than that the
their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your via per etc its them
every everything everyone many much lot lots also already still even let us get got
";

/// The framing every request shares, matched by stem: they say that something is asked, not
/// what is asked.
const FRAMING_WORDS: &str = "
предлагаем предлагается предлагаю предложить предложение предложения просим прошу просить
необходимо необходимый необходимость нужно нужен нужна нужны надо следует целесообразно
рассмотреть рассмотрение вопрос вопроса обеспечить обеспечение организовать организация
осуществить осуществление провести проведение реализовать реализация создать создание
сделать срочно очень пожалуйста давайте хотим хотелось считаем полагаем рекомендуем
рекомендовать рекомендуется город города городов городе городской городских городским
муниципальный муниципальных администрация администрации мэрия мэрии жители жителей
горожане горожан граждане граждан член членов ассоциация ассоциации
please propose proposal proposals proposed suggest suggestion suggested recommend
recommended recommendation need needs needed should must ensure provide providing make
request requested urge urgently city cities municipal municipality administration
residents citizens people member members association consider introduce introducing
";

struct StopLists {
    words: HashSet<String>,
    framing_stems: HashSet<String>,
}

fn stop_lists() -> &'static StopLists {
    static LISTS: OnceLock<StopLists> = OnceLock::new();
    LISTS.get_or_init(|| StopLists {
        words: STOP_WORDS.split_whitespace().map(fold).collect(),
        framing_stems: FRAMING_WORDS
            .split_whitespace()
            .map(|w| stem(&fold(w)))
            .collect(),
    })
}

/// Whether a folded word says nothing of what is asked.
pub fn is_stop_word(word: &str) -> bool {
    let lists = stop_lists();
    word.chars().count() < 2 || lists.words.contains(word)
}

/// The word features (stems, or the glossary's concepts) of a text, in order.
pub fn terms(text: &str) -> Vec<String> {
    analyse_words(text)
        .into_iter()
        .map(|(_, term)| term)
        .collect()
}

/// Each kept word with its term (the concept when the glossary knows its stem).
fn analyse_words(text: &str) -> Vec<(String, String)> {
    let lists = stop_lists();
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .filter_map(|w| {
            let stem = stem(&w);
            if lists.framing_stems.contains(&stem) {
                return None;
            }
            let term = match glossary::concept_of(&stem) {
                Some(concept) => format!("#{concept}"),
                None => stem,
            };
            Some((w, term))
        })
        .collect()
}

/// Every feature of a text with its count.
pub fn features(text: &str) -> Features {
    let mut out = Features::default();
    for (word, term) in analyse_words(text) {
        *out.words.entry(term).or_default() += 1;
        let padded: Vec<char> = std::iter::once('_')
            .chain(transliterate(&word).chars())
            .chain(std::iter::once('_'))
            .collect();
        for n in GRAM_SIZES {
            for gram in padded.windows(n) {
                *out.grams.entry(gram.iter().collect()).or_default() += 1;
            }
        }
    }
    out
}

/// Cyrillic letters in Latin ones (a simple phonetic table), so n-grams of the two scripts can
/// meet; other characters are kept.
pub fn transliterate(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yo_is_folded_and_case_lowered() {
        assert_eq!(fold("ЁЛКА Ещё"), "елка еще");
        assert_eq!(stem(&fold("Учёт")), stem("учет"));
    }

    #[test]
    fn words_join_short_hyphenated_parts_and_drop_numbers() {
        assert_eq!(
            words("Wi-Fi в 2025 году, онлайн-сервис и e-mail!"),
            vec!["wifi", "в", "году", "онлайн", "сервис", "и", "email"]
        );
    }

    #[test]
    fn stop_words_and_framing_are_removed() {
        let ru = terms("Предлагаем, чтобы в городе было больше парковок");
        assert!(!ru.iter().any(|t| t.starts_with("предлаг")), "{ru:?}");
        assert!(!ru.contains(&"в".to_string()));
        assert!(ru.contains(&"#parking".to_string()), "{ru:?}");
        let en = terms("We propose that the city should publish the budget");
        assert_eq!(en, vec!["#publish", "#budget"]);
    }

    #[test]
    fn each_word_is_stemmed_by_its_own_script() {
        // A Russian sentence quoting English words: the English stemmer reads "services".
        let mixed = terms("Каталог services портала");
        assert_eq!(mixed, vec!["#catalogue", "#service", "#portal"]);
        // Word forms meet.
        assert_eq!(terms_of("транспортной"), terms_of("транспорт"));
        assert_eq!(terms_of("transports"), terms_of("transport"));
    }

    fn terms_of(word: &str) -> Vec<String> {
        terms(word)
    }

    #[test]
    fn the_glossary_bridges_languages_and_synonyms() {
        assert_eq!(terms("Wi-Fi"), terms("беспроводной интернет")[..1].to_vec());
        assert_eq!(terms("метро"), terms("subway"));
        assert_eq!(terms("кибербезопасность"), terms("cybersecurity"));
    }

    #[test]
    fn grams_cross_scripts_through_transliteration() {
        assert_eq!(transliterate("портал"), "portal");
        let ru = features("мониторинг");
        let en = features("monitoring");
        assert!(ru.grams.keys().any(|g| en.grams.contains_key(g)));
        assert!(ru.grams.contains_key("_mon"));
    }
}
