//! Small closed word classes of the decision genre: the infinitive test, prepositions, the verbs
//! that open a resolution, a recommendation or an instruction. Nothing here names a body.
use crate::text::fold_case;

/// Nouns, numerals and adverbs that end like a Russian infinitive (vowel + `ть`).
const NOT_INFINITIVE_RU: &[&str] = &[
    "сеть",
    "путь",
    "суть",
    "мать",
    "пять",
    "девять",
    "десять",
    "двадцать",
    "тридцать",
    "треть",
    "ртуть",
    "память",
    "печать",
    "кровать",
    "опять",
    "вспять",
    "благодать",
    "рать",
    "зять",
    "плоть",
    "плеть",
    "муть",
    "жуть",
    "нить",
    "речь",
    "ночь",
    "дочь",
    "желчь",
    "вести",
];

/// Is a Russian word an infinitive (`подготовить`, `обеспечиться`, `внести`, `помочь`)?
pub fn is_infinitive_ru(word: &str) -> bool {
    let w = fold_case(word);
    if w.chars().count() < 4 || !w.chars().all(crate::text::is_cyrillic) {
        return false;
    }
    if NOT_INFINITIVE_RU.contains(&w.as_str()) {
        return false;
    }
    if w.ends_with("ться") || w.ends_with("тись") || w.ends_with("чься") || w.ends_with("чь")
    {
        return true;
    }
    if w.ends_with("ести") || w.ends_with("йти") || w.ends_with("зти") || w.ends_with("честь")
    {
        return true;
    }
    if let Some(stem) = w.strip_suffix("ть") {
        return stem.chars().last().is_some_and(|c| "аеиоуыэюя".contains(c));
    }
    false
}

/// Russian prepositions (and the first words of compound ones) that open an adverbial phrase.
pub const PREPOSITIONS_RU: &[&str] = &[
    "по",
    "в",
    "во",
    "на",
    "с",
    "со",
    "до",
    "для",
    "за",
    "к",
    "ко",
    "о",
    "об",
    "от",
    "при",
    "после",
    "согласно",
    "из",
    "через",
    "между",
    "перед",
    "под",
    "над",
    "без",
    "ввиду",
    "вследствие",
    "с целью",
    "в целях",
    "в рамках",
    "в связи",
    "на основании",
    "по итогам",
    "по результатам",
];

/// English prepositions and adverbial openers.
pub const PREPOSITIONS_EN: &[&str] = &[
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "within",
    "during",
    "following",
    "after",
    "before",
    "upon",
    "under",
    "according",
    "pursuant",
    "based",
    "as",
    "to",
    "from",
    "based",
];

pub fn is_preposition_ru(word: &str) -> bool {
    PREPOSITIONS_RU.contains(&fold_case(word).as_str())
}

pub fn is_preposition_en(word: &str) -> bool {
    PREPOSITIONS_EN.contains(&fold_case(word).as_str())
}

/// Verbs (infinitive) that adopt, approve or acknowledge: a paragraph led by one of them, or
/// whose only predicate is one of them («Информацию … принять к сведению»), is a resolution.
pub const RESOLUTION_VERBS_RU: &[&str] = &[
    "одобрить",
    "утвердить",
    "принять",
    "согласиться",
    "поддержать",
    "признать",
    "отметить",
    "считать",
    "приветствовать",
    "выразить",
    "избрать",
    "наградить",
    "отклонить",
    "объявить",
    "заслушать",
    "констатировать",
    "согласовать",
    "определить",
    "установить",
    "решить",
    "провозгласить",
    "подтвердить",
    "назначить",
    "включить",
    "исключить",
    "освободить",
];

/// Russian verbs that open an instruction to the executors named after them (dative).
pub const INSTRUCT_VERBS_RU: &[&str] = &["поручить", "обязать"];

/// Russian verbs that open a recommendation or a request to the bodies named after them.
pub const RECOMMEND_VERBS_RU: &[&str] = &["рекомендовать", "просить", "предложить"];

/// English verbs that open a resolution.
pub const RESOLUTION_VERBS_EN: &[&str] = &[
    "approve",
    "adopt",
    "take",
    "note",
    "agree",
    "endorse",
    "support",
    "welcome",
    "recognise",
    "recognize",
    "accept",
    "consider",
    "express",
    "elect",
    "acknowledge",
    "confirm",
    "decide",
    "thank",
    "declare",
    "appoint",
    "establish",
    "determine",
    "hear",
    "reject",
    "commend",
];

/// English verbs that open an instruction: "Instruct X to …".
pub const INSTRUCT_VERBS_EN: &[&str] =
    &["instruct", "charge", "direct", "task", "mandate", "order"];

/// English verbs that open a recommendation or a request: "Recommend X to …".
pub const RECOMMEND_VERBS_EN: &[&str] = &[
    "recommend",
    "request",
    "invite",
    "ask",
    "urge",
    "encourage",
    "call",
];

/// Markers after the subject of an English instruction: "X shall …", "X is instructed to …".
/// The bool says whether the marker makes a recommendation.
pub const SUBJECT_MARKERS_EN: &[(&str, bool)] = &[
    ("is recommended to", true),
    ("are recommended to", true),
    ("is requested to", true),
    ("are requested to", true),
    ("is invited to", true),
    ("are invited to", true),
    ("is encouraged to", true),
    ("are encouraged to", true),
    ("should", true),
    ("is instructed to", false),
    ("are instructed to", false),
    ("is charged with", false),
    ("are charged with", false),
    ("is to", false),
    ("are to", false),
    ("shall", false),
    ("must", false),
    ("will", false),
];

/// Markers that put co-executors after the lead.
pub const JOINT_MARKERS_RU: &[&str] = &[
    "совместно с",
    "совместно со",
    "во взаимодействии с",
    "во взаимодействии со",
];
pub const JOINT_MARKERS_EN: &[&str] = &[
    "jointly with",
    "together with",
    "in cooperation with",
    "in co-operation with",
    "in collaboration with",
    "in conjunction with",
];

/// Leading articles dropped from English names.
pub fn strip_article_en(s: &str) -> &str {
    for a in ["the ", "The ", "THE ", "a ", "an ", "A ", "An "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest.trim_start();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infinitives() {
        for w in [
            "подготовить",
            "Продолжить",
            "обеспечить",
            "представлять",
            "внести",
            "организовать",
            "помочь",
            "учесть",
            "заниматься",
            "провести",
            "использовать",
            "найти",
        ] {
            assert!(is_infinitive_ru(w), "{w}");
        }
        for w in [
            "власти",
            "области",
            "часть",
            "деятельность",
            "сеть",
            "десять",
            "совету",
            "МАГ",
            "путь",
            "память",
            "PR",
            "года",
        ] {
            assert!(!is_infinitive_ru(w), "{w}");
        }
    }
}
