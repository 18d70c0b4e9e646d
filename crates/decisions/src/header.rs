//! The header of a decision: title, ordinal session number, date and place.
use std::sync::LazyLock;

use regex::Regex;
use time::Date;

use crate::deadline::month_from_word;
use crate::model::Session;
use crate::text::fold_case;

/// The parsed header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    pub title: String,
    pub session: Session,
}

static DATE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // 2 июня 2010 года · «30» ноября 2009 г. · 12 November 2010 · 12th of November, 2010
        r"(?i)[«“\x22]?\b(?P<d>\d{1,2})(?:st|nd|rd|th)?[»”\x22]?\s+(?:of\s+)?(?P<m>январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?,?\s+(?P<y>\d{4})\b(?:\s*(?:года\b|г\.|г\b))?",
        // November 12, 2010
        r"(?i)\b(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b",
        // 02.06.2010 · 2010-06-02
        r"\b(?P<d>\d{1,2})\.(?P<mm>\d{1,2})\.(?P<y>\d{4})\b(?:\s*(?:года\b|г\.|г\b))?",
        r"\b(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})\b",
    ]
    .iter()
    .filter_map(|s| Regex::new(s).ok())
    .collect()
});

/// Finds a date in a line: the date and the byte range it covers.
pub fn find_date(line: &str) -> Option<(Date, usize, usize)> {
    for re in DATE.iter() {
        for c in re.captures_iter(line) {
            let Some(m0) = c.get(0) else { continue };
            let day = c.name("d").and_then(|m| m.as_str().parse::<u8>().ok());
            let year = c.name("y").and_then(|m| m.as_str().parse::<i32>().ok());
            let month = c
                .name("m")
                .and_then(|m| month_from_word(m.as_str()))
                .or_else(|| {
                    c.name("mm")
                        .and_then(|m| m.as_str().parse::<u8>().ok())
                        .and_then(|n| time::Month::try_from(n).ok())
                });
            if let (Some(d), Some(m), Some(y)) = (day, month, year) {
                if let Ok(date) = Date::from_calendar_date(y, m, d) {
                    return Some((date, m0.start(), m0.end()));
                }
            }
        }
    }
    None
}

/// Words that mark a title line rather than a place.
const TITLE_WORDS: &[&str] = &[
    "решени",
    "сесси",
    "ассоциаци",
    "ассамбле",
    "decision",
    "session",
    "association",
    "assembly",
    "resolution",
    "постановлени",
    "протокол",
];

/// A short line that names a city: «Астана», «г. Москва», "Minsk".
fn place_of(line: &str) -> Option<String> {
    let s = crate::text::trim_punct(line);
    let s = s
        .strip_prefix("г. ")
        .or_else(|| {
            s.strip_prefix("г.")
                .filter(|r| r.starts_with(char::is_uppercase))
        })
        .or_else(|| s.strip_prefix("город "))
        .or_else(|| s.strip_prefix("City of "))
        .or_else(|| s.strip_prefix("city of "))
        .unwrap_or(s)
        .trim();
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    if s.chars()
        .any(|c| c.is_ascii_digit() || "«»\"“”()№#".contains(c))
    {
        return None;
    }
    if !s.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let lower = fold_case(s);
    if TITLE_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    // A title word in capitals (РЕШЕНИЕ) is not a place either; a place has lower-case letters.
    if !s.chars().any(char::is_lowercase) {
        return None;
    }
    Some(s.to_string())
}

/// Reads the header lines (white space already folded; blank lines allowed).
pub fn parse(lines: &[String]) -> Header {
    let lines: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    let mut date = None;
    let mut place = None;
    let mut skip = vec![false; lines.len()];
    if let Some((i, (d, a, b))) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| find_date(l).map(|x| (i, x)))
    {
        date = Some(d);
        let line = lines[i];
        let rest = format!("{} {}", &line[..a], &line[b..]);
        let rest = crate::text::trim_punct(rest.trim());
        if rest.is_empty() {
            skip[i] = true;
        } else if let Some(p) = place_of(rest) {
            place = Some(p);
            skip[i] = true;
        }
        if place.is_none() {
            // The place is on the line after the date, or just before it (not the first line).
            if let Some(p) = lines.get(i + 1).and_then(|l| place_of(l)) {
                place = Some(p);
                skip[i + 1] = true;
            } else if i >= 2 {
                if let Some(p) = place_of(lines[i - 1]) {
                    place = Some(p);
                    skip[i - 1] = true;
                }
            }
        }
    } else if let Some(i) = (1..lines.len())
        .rev()
        .find(|&i| place_of(lines[i]).is_some())
    {
        // No date: a lone city line after the title is still the place.
        place = place_of(lines[i]);
        skip[i] = true;
    }
    let title = lines
        .iter()
        .zip(&skip)
        .filter(|(_, s)| !**s)
        .map(|(l, _)| *l)
        .collect::<Vec<_>>()
        .join(" ");
    let number = session_number(&title);
    Header {
        title,
        session: Session {
            number,
            date,
            place,
        },
    }
}

/// The number of the session from the ordinal before «сессии» / "Session":
/// «Восемнадцатой», «Двадцать первой», «XVIII», «18-й», "Nineteenth", "Twenty-First", "19th".
pub fn session_number(title: &str) -> Option<u32> {
    let words: Vec<String> = title
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(fold_case)
        .collect();
    let at = words
        .iter()
        .position(|w| w.starts_with("сесси") || w.starts_with("session"))?;
    let before: Vec<&str> = words[..at].iter().map(String::as_str).collect();
    // "Session No. 18" / «сессии № 18» after the word.
    let after = words.get(at + 1..).unwrap_or(&[]);
    let last = before.last().copied();
    let prev = if before.len() >= 2 {
        before.get(before.len() - 2).copied()
    } else {
        None
    };
    if let Some(w) = last {
        if let Some(n) = ordinal_word(w, prev) {
            return Some(n);
        }
    }
    let mut it = after.iter().map(String::as_str);
    match it.next() {
        Some("№" | "no." | "no" | "number") => it
            .next()
            .and_then(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok()),
        Some(w) if w.starts_with('№') => w.trim_start_matches('№').parse().ok(),
        _ => None,
    }
}

fn ordinal_word(w: &str, prev: Option<&str>) -> Option<u32> {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    // 18-й, 18th, 18
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    if let Some(n) = roman(w) {
        return Some(n);
    }
    // twenty-first
    if let Some((tens, unit)) = w.split_once('-') {
        return Some(tens_word(tens)? + unit_ordinal(unit)?);
    }
    if let Some(u) = unit_ordinal(w) {
        // «двадцать первой», "twenty first"
        if let Some(t) = prev.and_then(tens_word) {
            if u < 10 {
                return Some(t + u);
            }
        }
        return Some(u);
    }
    None
}

fn roman(w: &str) -> Option<u32> {
    if w.is_empty() || !w.chars().all(|c| "ivxlc".contains(c)) {
        return None;
    }
    let value = |c: char| match c {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        'l' => 50,
        _ => 100,
    };
    let chars: Vec<u32> = w.chars().map(value).collect();
    let mut total = 0;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|n| n > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// Cardinal tens that open a compound ordinal: «двадцать», "twenty".
fn tens_word(w: &str) -> Option<u32> {
    const TENS: &[(&str, u32)] = &[
        ("двадцать", 20),
        ("тридцать", 30),
        ("сорок", 40),
        ("пятьдесят", 50),
        ("шестьдесят", 60),
        ("семьдесят", 70),
        ("восемьдесят", 80),
        ("девяносто", 90),
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
    ];
    TENS.iter().find(|(k, _)| *k == w).map(|(_, n)| *n)
}

/// An ordinal word in any case form (by its stem): «восемнадцатой» → 18, "nineteenth" → 19.
fn unit_ordinal(w: &str) -> Option<u32> {
    // Longest stems first so that «семнадцат» is not read as «сем…».
    const STEMS: &[(&str, u32)] = &[
        ("одиннадцат", 11),
        ("двенадцат", 12),
        ("тринадцат", 13),
        ("четырнадцат", 14),
        ("пятнадцат", 15),
        ("шестнадцат", 16),
        ("семнадцат", 17),
        ("восемнадцат", 18),
        ("девятнадцат", 19),
        ("двадцат", 20),
        ("тридцат", 30),
        ("сороков", 40),
        ("пятидесят", 50),
        ("шестидесят", 60),
        ("семидесят", 70),
        ("восьмидесят", 80),
        ("девяност", 90),
        ("сот", 100),
        ("перв", 1),
        ("втор", 2),
        ("трет", 3),
        ("четверт", 4),
        ("пят", 5),
        ("шест", 6),
        ("седьм", 7),
        ("восьм", 8),
        ("девят", 9),
        ("десят", 10),
        ("eleventh", 11),
        ("twelfth", 12),
        ("thirteenth", 13),
        ("fourteenth", 14),
        ("fifteenth", 15),
        ("sixteenth", 16),
        ("seventeenth", 17),
        ("eighteenth", 18),
        ("nineteenth", 19),
        ("twentieth", 20),
        ("thirtieth", 30),
        ("fortieth", 40),
        ("fiftieth", 50),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
    ];
    let w = w.replace('ё', "е");
    STEMS
        .iter()
        .find(|(stem, _)| w.starts_with(stem) && (w.len() - stem.len()) <= 8)
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        crate::text::normalized_lines(s)
    }

    #[test]
    fn ordinals() {
        assert_eq!(session_number("РЕШЕНИЕ Восемнадцатой сессии"), Some(18));
        assert_eq!(session_number("Двадцать первой сессии"), Some(21));
        assert_eq!(session_number("Третьей сессии"), Some(3));
        assert_eq!(session_number("Семнадцатой сессии"), Some(17));
        assert_eq!(session_number("XVIII сессии"), Some(18));
        assert_eq!(session_number("18-й сессии"), Some(18));
        assert_eq!(
            session_number("DECISION of the Nineteenth Session"),
            Some(19)
        );
        assert_eq!(session_number("of the Twenty-First Session"), Some(21));
        assert_eq!(session_number("of the 22nd Session"), Some(22));
        assert_eq!(session_number("сессии № 5"), Some(5));
        assert_eq!(session_number("РЕШЕНИЕ Правления"), None);
    }

    #[test]
    fn date_and_place_in_either_order() {
        let h = parse(&lines(
            "РЕШЕНИЕ\nВосемнадцатой сессии\n\n\t2 июня 2010 года\n\tАстана",
        ));
        assert_eq!(h.title, "РЕШЕНИЕ Восемнадцатой сессии");
        assert_eq!(h.session.place.as_deref(), Some("Астана"));
        assert_eq!(
            h.session.date.map(crate::model::format_date).as_deref(),
            Some("2010-06-02")
        );
        let h = parse(&lines("РЕШЕНИЕ сессии\nг. Москва\n«30» ноября 2009 г."));
        assert_eq!(h.session.place.as_deref(), Some("Москва"));
        assert_eq!(
            h.session.date.map(crate::model::format_date).as_deref(),
            Some("2009-11-30")
        );
        let h = parse(&lines("РЕШЕНИЕ сессии\nМосква, 20 мая 2011 г."));
        assert_eq!(h.session.place.as_deref(), Some("Москва"));
        let h = parse(&lines("DECISION of the Session\nNovember 12, 2010\nMinsk"));
        assert_eq!(h.session.place.as_deref(), Some("Minsk"));
        assert_eq!(h.title, "DECISION of the Session");
    }

    #[test]
    fn missing_parts_are_none() {
        let h = parse(&lines("РЕШЕНИЕ"));
        assert_eq!(h.session, Session::default());
        assert_eq!(h.title, "РЕШЕНИЕ");
    }
}
