//! The nominative of a Russian name that is not in the directory, when its form is clear.
//!
//! Executors are named in the dative («другим заинтересованным организациям») or, after
//! «совместно с», in the instrumental («другими заинтересованными организациями»). The name of a
//! body is a head noun with its adjectives in front and a tail in the genitive that does not
//! change («органам исполнительной власти субъектов РФ»). The leading adjectives and the head
//! noun are put into the nominative by their endings; when an ending admits two readings
//! (a masculine adjective in «-скому»: «Московскому» or «Городскому»?), the name is left as
//! written. This is general morphology, not a list of bodies.

/// Masculine nouns whose nominative plural is in stressed «-а» (the common ones in names of
/// bodies); others take «-ы»/«-и».
const PLURAL_IN_A: &[&str] = &["город", "округ", "директор", "дом", "адрес", "профессор"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Plural,
    Feminine,
    Masculine,
    Neuter,
}

/// The nominative of a dative or instrumental Russian name, or `None` when it is unclear.
pub fn to_nominative_ru(phrase: &str) -> Option<String> {
    // An apposition after a dash declines too: «городам – членам МАГ» → «города – члены МАГ».
    for dash in [" – ", " — ", " - "] {
        if let Some((a, b)) = phrase.split_once(dash) {
            return Some(format!("{}{dash}{}", one_name(a)?, to_nominative_ru(b)?));
        }
    }
    one_name(phrase)
}

fn one_name(phrase: &str) -> Option<String> {
    let words: Vec<&str> = phrase.split(' ').collect();
    let first = *words.first()?;
    // An abbreviation or a Latin name does not decline.
    if first
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase() || c.is_ascii())
    {
        return Some(phrase.to_string());
    }
    // Leading adjectives, then the head noun.
    let mut head = None;
    for (i, w) in words.iter().enumerate() {
        if !is_russian_word(w) {
            return None;
        }
        let next_is_word = words.get(i + 1).is_some_and(|n| is_russian_word(n));
        if next_is_word && adjective_ending(w).is_some() {
            continue;
        }
        head = Some(i);
        break;
    }
    // The instrumental of a feminine noun ends like an adjective («палатой Москвы»): when the
    // first reading fails, try the head one word earlier.
    let head = head?;
    with_head(&words, head).or_else(|| {
        (0..head)
            .rev()
            .filter(|&h| {
                let w = words[h].to_lowercase();
                w.ends_with("ой") || w.ends_with("ей")
            })
            .find_map(|h| with_head(&words, h))
    })
}

fn with_head(words: &[&str], head: usize) -> Option<String> {
    let (noun, class) = noun_nominative(words[head])?;
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in &words[..head] {
        out.push(adjective_nominative(w, class)?);
    }
    out.push(noun);
    out.extend(words[head + 1..].iter().map(|w| (*w).to_string()));
    Some(out.join(" "))
}

fn is_russian_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| crate::text::is_cyrillic(c) || c == '-')
}

const ADJ_ENDINGS: &[&str] = &["ыми", "ими", "ому", "ему", "ой", "ей", "ым", "им"];

fn adjective_ending(w: &str) -> Option<&'static str> {
    let lower = w.to_lowercase();
    ADJ_ENDINGS.iter().copied().find(|e| lower.ends_with(e))
}

fn replace_end(w: &str, old_len_chars: usize, new: &str) -> String {
    let keep: String = w
        .chars()
        .take(w.chars().count().saturating_sub(old_len_chars))
        .collect();
    format!("{keep}{new}")
}

fn noun_nominative(w: &str) -> Option<(String, Class)> {
    let lower = w.to_lowercase();
    if w.chars().all(|c| !c.is_lowercase()) {
        return None;
    }
    let ends = |e: &str| lower.ends_with(e);
    let stem_of = |n: usize| -> String {
        lower
            .chars()
            .take(lower.chars().count().saturating_sub(n))
            .collect()
    };
    // Plural: -ам/-ям (dative), -ами/-ями (instrumental).
    for (suffix, len) in [("иями", 4), ("иям", 3)] {
        if ends(suffix) {
            let stem = stem_of(len);
            let new = if stem.ends_with('н') || stem.ends_with('т') {
                "ия"
            } else {
                "ии"
            };
            return Some((replace_end(w, len, new), Class::Plural));
        }
    }
    for (suffix, len) in [("ями", 3), ("ям", 2)] {
        if ends(suffix) {
            return Some((replace_end(w, len, "и"), Class::Plural));
        }
    }
    for (suffix, len) in [("ами", 3), ("ам", 2)] {
        if ends(suffix) {
            let stem = stem_of(len);
            let new = if stem.ends_with("ств") || PLURAL_IN_A.contains(&stem.as_str()) {
                "а"
            } else if stem.ends_with(['г', 'к', 'х', 'ж', 'ш', 'щ', 'ч']) {
                "и"
            } else {
                "ы"
            };
            return Some((replace_end(w, len, new), Class::Plural));
        }
    }
    // Singular.
    let singular: &[(&str, usize, &str, Class)] = &[
        ("ией", 3, "ия", Class::Feminine),
        ("ии", 2, "ия", Class::Feminine),
        ("ию", 2, "ие", Class::Neuter),
        ("ием", 3, "ие", Class::Neuter),
        ("ству", 1, "о", Class::Neuter),
        ("ством", 2, "о", Class::Neuter),
        ("телю", 1, "ь", Class::Masculine),
        ("телем", 2, "ь", Class::Masculine),
        ("у", 1, "", Class::Masculine),
        ("ом", 2, "", Class::Masculine),
        ("ой", 2, "а", Class::Feminine),
        ("е", 1, "а", Class::Feminine),
    ];
    for (suffix, len, new, class) in singular {
        if ends(suffix) {
            return Some((replace_end(w, *len, new), *class));
        }
    }
    None
}

fn adjective_nominative(w: &str, class: Class) -> Option<String> {
    let lower = w.to_lowercase();
    let ending = adjective_ending(w)?;
    let stem: String = lower
        .chars()
        .take(lower.chars().count() - ending.chars().count())
        .collect();
    let soft_or_velar = stem.ends_with(['г', 'к', 'х', 'ж', 'ш', 'щ', 'ч']);
    let new = match (class, ending) {
        (Class::Plural, "ым" | "ыми") => "ые",
        (Class::Plural, "им" | "ими") => "ие",
        (Class::Feminine, "ой") => "ая",
        (Class::Feminine, "ей") => {
            if stem.ends_with(['ж', 'ш', 'щ', 'ч']) {
                "ая"
            } else {
                "яя"
            }
        }
        (Class::Masculine, "ому" | "ым") => {
            // «-скому»/«-цкому» may be «-ский» or stressed «-ской»: unclear.
            if stem.ends_with("ск") || stem.ends_with("цк") {
                return None;
            }
            if soft_or_velar {
                "ий"
            } else {
                "ый"
            }
        }
        (Class::Masculine, "ему" | "им") => "ий",
        (Class::Neuter, "ому" | "ым") => "ое",
        (Class::Neuter, "ему" | "им") => "ее",
        _ => return None,
    };
    Some(replace_end(w, ending.chars().count(), new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        to_nominative_ru(s)
    }

    #[test]
    fn plural_dative_and_instrumental() {
        assert_eq!(
            n("другими заинтересованными организациями").as_deref(),
            Some("другие заинтересованные организации")
        );
        assert_eq!(
            n("другим заинтересованным организациям").as_deref(),
            Some("другие заинтересованные организации")
        );
        assert_eq!(
            n("органам исполнительной власти субъектов РФ").as_deref(),
            Some("органы исполнительной власти субъектов РФ")
        );
        assert_eq!(
            n("городам – членам МАГ").as_deref(),
            Some("города – члены МАГ")
        );
        assert_eq!(
            n("высшим учебным заведениям").as_deref(),
            Some("высшие учебные заведения")
        );
        assert_eq!(
            n("государственным учреждениям").as_deref(),
            Some("государственные учреждения")
        );
    }

    #[test]
    fn singular() {
        assert_eq!(
            n("Министерству финансов РФ").as_deref(),
            Some("Министерство финансов РФ")
        );
        assert_eq!(
            n("Общественной палате Москвы").as_deref(),
            Some("Общественная палата Москвы")
        );
        assert_eq!(
            n("Общественной палатой Москвы").as_deref(),
            Some("Общественная палата Москвы")
        );
        assert_eq!(
            n("Научному совету МАГ").as_deref(),
            Some("Научный совет МАГ")
        );
        assert_eq!(
            n("Избирательной комиссии").as_deref(),
            Some("Избирательная комиссия")
        );
        assert_eq!(
            n("Правительству Москвы").as_deref(),
            Some("Правительство Москвы")
        );
        assert_eq!(
            n("председателю Правления").as_deref(),
            Some("председатель Правления")
        );
    }

    #[test]
    fn unclear_is_none() {
        assert_eq!(n("Городскому совету"), None);
        assert_eq!(n("Мэр"), None);
    }

    #[test]
    fn abbreviations_stay() {
        assert_eq!(n("МГУУ").as_deref(), Some("МГУУ"));
    }
}
