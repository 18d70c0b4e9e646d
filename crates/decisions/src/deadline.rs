//! Deadline phrases and their dates, by the table of the spec. `D` is the decision's date.
use std::sync::LazyLock;

use regex::{Captures, Regex};
use time::{Date, Duration, Month};

use crate::model::{Language, Recurrence};

/// A deadline phrase found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDeadline {
    /// Byte range of the phrase in the paragraph.
    pub start: usize,
    pub end: usize,
    /// The phrase as written.
    pub text: String,
    /// The date, when it could be computed.
    pub date: Option<Date>,
    pub recurrence: Option<Recurrence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// `до 1 октября 2010 года`, `by 1 February 2011`, `до 1 марта` (next such day).
    DayMonth,
    /// `до 01.09.2011`.
    Numeric,
    /// `до конца года`, `до конца 2011 года`, `by the end of the year`.
    EndOfYear,
    /// `в III квартале 2010 года`, `до конца II квартала`, `in the third quarter of 2010`.
    Quarter,
    /// `в первом полугодии 2011 года`, `in the second half of 2011`.
    Half,
    /// `в течение 2010 года`, `в 2010 году`, `during 2010`, `в течение текущего года`.
    Year,
    /// `в месячный срок`, `в двухнедельный срок`, `в течение двух месяцев`, `within a month`.
    Period,
    /// `ежегодно`, `ежегодно, до 1 марта`, `annually, by 1 March`.
    Yearly,
    /// `в мае 2011 года`, `in May 2011`: the last day of that month.
    Month,
    /// `ежеквартально`, `quarterly`; `ежеквартально, до 10 числа месяца, следующего за
    /// отчетным` (the 10th of the month after D's quarter).
    Quarterly,
    /// `ежемесячно`, `monthly`.
    Monthly,
    /// A phrase that reads like a deadline but gives no date: kept as text and flagged.
    Unreadable,
}

struct Pattern {
    rule: Rule,
    re: Regex,
    /// The pattern can only match when the lower-cased paragraph contains one of these
    /// (`"0"` stands for any digit): a cheap test that spares most regex searches.
    needs: &'static [&'static str],
}

const MONTH_RU: &str = r"(?P<m>январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])\b";
const MONTH_EN: &str = r"(?P<m>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)";
/// «, до 5 числа месяца, следующего за отчетным (кварталом)» after a recurrence word.
const DAY_OF_MONTH_RU: &str = r"(?:\s*,?\s*(?:в\s+срок\s+)?(?:до|не\s+позднее)\s+(?P<n>\d{1,2})(?:\s*-?\s*го)?\s+числа(?P<next>\s+месяца,?\s+следующего\s+за\s+отч[её]тным(?:\s+(?:периодом|кварталом|месяцем))?)?)";
const MONTH_IN_RU: &str =
    r"(?P<m>январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)";
const YEAR_RU: &str = r"(?:\s+(?P<y>\d{4})(?:\s*(?:года\b|году\b|г\.|г\b))?)";
const BY_RU: &str = r"(?:в\s+срок\s+)?(?:до|не\s+позднее|не\s+позже|к)";
const BY_EN: &str = r"(?:by|not\s+later\s+than|no\s+later\s+than|before|until)";
const QUARTER_RU: &str =
    r"(?P<q>IV|I{1,3}|[1-4](?:\s*-?\s*(?:го|м))?|перв\w*|втор\w*|трет\w*|четв[её]рт\w*)";
const QUARTER_EN: &str = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|IV|I{1,3})";
const NUMBER_RU: &str = r"(?P<n>\d{1,3}|одного|одно|двух|тр[её]х|четыр[её]х|пяти|шести|семи|восьми|девяти|десяти|пятнадцати|двадцати|тридцати|сорока|шестидесяти|девяноста|полу)";
const NUMBER_EN: &str = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|sixty|ninety|half\s+a)";

fn patterns(language: Language) -> &'static [Pattern] {
    static RU: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
        build(&[
            (
                Rule::Yearly,
                format!(r"\bежегодно(?:\s*,?\s*{BY_RU}\s+(?P<d>\d{{1,2}})\s+{MONTH_RU})?"),
            ),
            (Rule::Quarterly, format!(r"\bежеквартально\b{DAY_OF_MONTH_RU}?")),
            (Rule::Monthly, format!(r"\bежемесячно\b{DAY_OF_MONTH_RU}?")),
            (
                Rule::DayMonth,
                format!(r"\b{BY_RU}\s+(?P<d>\d{{1,2}})\s+{MONTH_RU}{YEAR_RU}?"),
            ),
            (
                Rule::Numeric,
                format!(
                    r"\b{BY_RU}\s+(?P<d>\d{{1,2}})\.(?P<mm>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}})\b(?:\s*(?:года\b|г\.|г\b))?"
                ),
            ),
            (
                Rule::EndOfYear,
                r"\bдо\s+конца\s+(?:(?:текущего|этого|настоящего|данного|сего)\s+)?(?:(?P<y>\d{4})\s+)?года\b"
                    .to_string(),
            ),
            (
                Rule::Quarter,
                format!(
                    r"\b(?:в|во|до\s+конца|до\s+окончания)\s+{QUARTER_RU}\s+квартал[еа](?:\s+(?P<y>\d{{4}})\s+года\b|\s+(?:текущего|этого|настоящего)\s+года\b)?"
                ),
            ),
            (
                Rule::Half,
                r"\b(?:в|во|до\s+конца)\s+(?P<h>перв\w*|втор\w*|1|2|I|II)(?:\s*-?\s*м)?\s+полугоди[ия](?:\s+(?P<y>\d{4})\s+года\b|\s+(?:текущего|этого|настоящего)\s+года\b)?"
                    .to_string(),
            ),
            (
                Rule::Year,
                r"\b(?:в\s+течение\s+(?P<y1>\d{4})\s+года\b|в\s+(?P<y2>\d{4})\s+году\b|в\s+течение\s+(?:текущего|этого|настоящего|сего)\s+года\b)"
                    .to_string(),
            ),
            (
                Rule::Period,
                format!(
                    r"\bв\s+(?:{NUMBER_RU}\s*-?\s*)?(?P<unit>дневный|недельный|месячный|годичный|годовой)\s+срок\b"
                ),
            ),
            (
                Rule::Period,
                format!(
                    r"\bв\s+течение\s+(?:{NUMBER_RU}\s+)?(?P<unit>дня|дней|недели|недель|месяца|месяцев|года|лет)\b"
                ),
            ),
            (
                Rule::Month,
                format!(r"\bв\s+{MONTH_IN_RU}\s+(?:(?P<y>\d{{4}})\s+года\b|(?:текущего|этого|настоящего)\s+года\b)"),
            ),
            (
                Rule::Unreadable,
                r"\b(?:в\s+срок\s+до|не\s+позднее|не\s+позже)\s+[^,.;:!?]+".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\bдо\s+(?:начала|конца|окончания|проведения|завершения)\s+[^,.;:!?]+".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\b(?:до|к)\s+\d{1,2}\s+[а-яё]+\s+\d{4}(?:\s*(?:года\b|г\.|г\b))?".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\bв\s+(?:кратчайший|установленный|короткий|сжатый|оперативный|разумный)\s+срок\b|\bв\s+(?:кратчайшие|установленные|короткие|сжатые|разумные)\s+сроки\b|\bв\s+[а-яё]+(?:дневный|недельный|месячный|годичный)\s+срок\b"
                    .to_string(),
            ),
        ], &[
            &["ежегод"],
            &["ежекварт"],
            &["ежемесяч"],
            &["0"],
            &["0"],
            &["конц"],
            &["квартал"],
            &["полугоди"],
            &["год"],
            &["срок"],
            &["течени"],
            &[" года"],
            &["срок", "поздн", "позж"],
            &["до "],
            &["0"],
            &["срок"],
        ])
    });
    static EN: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
        build(&[
            (
                Rule::Yearly,
                format!(
                    r"\b(?:annually|yearly|every\s+year|each\s+year)(?:\s*,?\s*{BY_EN}\s+(?:the\s+)?(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_EN}|{}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b))?",
                    MONTH_EN.replace("?P<m>", "?P<m2>")
                ),
            ),
            (
                Rule::Quarterly,
                r"\b(?:quarterly|every\s+quarter|each\s+quarter)\b".to_string(),
            ),
            (
                Rule::Monthly,
                r"\b(?:monthly|every\s+month|each\s+month)\b".to_string(),
            ),
            (
                Rule::DayMonth,
                format!(
                    r"\b{BY_EN}\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_EN}(?:,?\s+(?P<y>\d{{4}})\b)?"
                ),
            ),
            (
                Rule::DayMonth,
                format!(
                    r"\b{BY_EN}\s+{MONTH_EN}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"
                ),
            ),
            (
                Rule::Numeric,
                format!(r"\b{BY_EN}\s+(?P<d>\d{{1,2}})[./](?P<mm>\d{{1,2}})[./](?P<y>\d{{4}})\b"),
            ),
            (
                Rule::EndOfYear,
                r"\bby\s+the\s+end\s+of\s+(?:(?:the|this|the\s+current)\s+year\b|(?P<y>\d{4})\b)"
                    .to_string(),
            ),
            (
                Rule::Quarter,
                format!(
                    r"\b(?:in|during|by\s+the\s+end\s+of)\s+the\s+{QUARTER_EN}\s+quarter\b(?:\s+of\s+(?:(?P<y>\d{{4}})\b|the\s+(?:current\s+)?year\b))?"
                ),
            ),
            (
                Rule::Quarter,
                r"\b(?:in|during|by\s+the\s+end\s+of)\s+Q(?P<q>[1-4])\b(?:\s+(?P<y>\d{4})\b)?".to_string(),
            ),
            (
                Rule::Half,
                r"\b(?:in|during|by\s+the\s+end\s+of)\s+the\s+(?P<h>first|second|1st|2nd)\s+half\s+of\s+(?:(?P<y>\d{4})\b|the\s+(?:current\s+)?year\b)"
                    .to_string(),
            ),
            (
                Rule::Year,
                r"\b(?:(?:during|in\s+the\s+course\s+of|throughout)\s+(?:the\s+year\s+)?(?P<y1>\d{4})\b|(?:during|in\s+the\s+course\s+of|throughout)\s+(?:the\s+)?(?:current\s+|this\s+)year\b|in\s+(?P<y2>\d{4})\s*[.;]?\s*$)"
                    .to_string(),
            ),
            (
                Rule::Period,
                format!(
                    r"\bwithin\s+(?:{NUMBER_EN}\s+)?(?:calendar\s+|working\s+)?(?P<unit>days?|weeks?|months?|years?|fortnight)\b"
                ),
            ),
            (
                Rule::Month,
                r"\b(?:in|during)\s+(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<y>\d{4})\b".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\b(?:not|no)\s+later\s+than\s+[^,.;:!?]+".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\bby\s+the\s+(?:end|beginning|start|opening|close)\s+of\s+[^,.;:!?]+".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\b(?:by|before)\s+\d{1,2}\s+[A-Za-z]+(?:\s+\d{4})?\b".to_string(),
            ),
            (
                Rule::Unreadable,
                r"\b(?:as\s+soon\s+as\s+possible|without\s+delay|in\s+due\s+time|within\s+the\s+(?:shortest|agreed|established)\s+[a-z]+)\b"
                    .to_string(),
            ),
        ], &[
            &["annual", "year"],
            &["quarter"],
            &["month"],
            &["0"],
            &["0"],
            &["0"],
            &["end of"],
            &["quarter"],
            &["q"],
            &["half"],
            &["during", "course", "throughout", "0"],
            &["within"],
            &["0"],
            &["later than"],
            &["by the"],
            &["0"],
            &["soon", "delay", "due time", "within the"],
        ])
    });
    match language {
        Language::Ru => &RU,
        Language::En => &EN,
    }
}

fn build(list: &[(Rule, String)], needs: &[&'static [&'static str]]) -> Vec<Pattern> {
    list.iter()
        .zip(needs)
        .filter_map(|((rule, src), needs)| {
            // The patterns are constants checked by the unit tests; a bad one is skipped
            // rather than allowed to panic at run time.
            Regex::new(&format!("(?i){src}")).ok().map(|re| Pattern {
                rule: *rule,
                re,
                needs,
            })
        })
        .collect()
}

fn may_match(p: &Pattern, lower: &str, has_digit: bool) -> bool {
    p.needs.iter().any(|n| {
        if *n == "0" {
            has_digit
        } else {
            lower.contains(n)
        }
    })
}

/// Finds the first deadline phrase in a paragraph and computes its date from the decision's
/// date `d` (relative phrases give no date when `d` is unknown).
pub fn find(paragraph: &str, language: Language, d: Option<Date>) -> Option<FoundDeadline> {
    let mut best: Option<(usize, bool, usize, Rule, Captures<'_>)> = None;
    let lower = crate::text::fold_case(paragraph);
    let has_digit = paragraph.bytes().any(|b| b.is_ascii_digit());
    for p in patterns(language) {
        if !may_match(p, &lower, has_digit) {
            continue;
        }
        let Some(c) = p.re.captures(paragraph) else {
            continue;
        };
        let Some(m) = c.get(0) else { continue };
        let strict = p.rule != Rule::Unreadable;
        let key = (m.start(), !strict, usize::MAX - m.end());
        let better = match &best {
            None => true,
            Some((s, unreadable, neg_end, _, _)) => key < (*s, *unreadable, *neg_end),
        };
        if better {
            best = Some((key.0, key.1, key.2, p.rule, c));
        }
    }
    let (start, _, _, rule, caps) = best?;
    let mut end = caps.get(0).map_or(start, |m| m.end());
    if rule == Rule::Unreadable && language == Language::Ru {
        end = cut_before_infinitive(paragraph, start, end);
    }
    let raw = paragraph.get(start..end).unwrap_or("");
    let mut trimmed = raw.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    if rule == Rule::Year && language == Language::En {
        // "in 2011." at the end of a sentence: the full stop is not part of the phrase.
        trimmed = trimmed.trim_end_matches(|c: char| c.is_whitespace() || c == '.' || c == ';');
    }
    let end = start + trimmed.len();
    let (date, recurrence) = compute(rule, &caps, d);
    Some(FoundDeadline {
        start,
        end,
        text: trimmed.to_string(),
        date,
        recurrence,
    })
}

/// An unreadable Russian phrase ends before the infinitive that starts the task.
fn cut_before_infinitive(p: &str, start: usize, end: usize) -> usize {
    let Some(slice) = p.get(start..end) else {
        return end;
    };
    for (a, b) in crate::text::words(slice).into_iter().skip(1) {
        if crate::lexicon::is_infinitive_ru(&slice[a..b]) {
            return start + a;
        }
    }
    end
}

fn compute(rule: Rule, c: &Captures<'_>, d: Option<Date>) -> (Option<Date>, Option<Recurrence>) {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    let year = || num("y").or_else(|| num("y1")).or_else(|| num("y2"));
    let this_year = || year().or_else(|| d.map(|d| d.year()));
    match rule {
        Rule::DayMonth => {
            let day = num("d");
            let month = c.name("m").and_then(|m| month_from_word(m.as_str()));
            let date = match (day, month, year()) {
                (Some(day), Some(month), Some(y)) => ymd(y, month, day),
                (Some(day), Some(month), None) => {
                    d.and_then(|d| next_on_or_after(d, month, day, false))
                }
                _ => None,
            };
            (date, None)
        }
        Rule::Numeric => {
            let y = year().map(|y| if y < 100 { 2000 + y } else { y });
            let date = match (num("d"), num("mm").and_then(month_from_number), y) {
                (Some(day), Some(month), Some(y)) => ymd(y, month, day),
                _ => None,
            };
            (date, None)
        }
        Rule::EndOfYear => (this_year().and_then(|y| ymd(y, Month::December, 31)), None),
        Rule::Year => (this_year().and_then(|y| ymd(y, Month::December, 31)), None),
        Rule::Quarter => {
            let q = c.name("q").and_then(|m| ordinal_1_to_4(m.as_str()));
            (
                q.zip(this_year()).and_then(|(q, y)| quarter_end(y, q)),
                None,
            )
        }
        Rule::Half => {
            let h = c.name("h").and_then(|m| ordinal_1_to_4(m.as_str()));
            let date = match (h, this_year()) {
                (Some(1), Some(y)) => ymd(y, Month::June, 30),
                (Some(2), Some(y)) => ymd(y, Month::December, 31),
                _ => None,
            };
            (date, None)
        }
        Rule::Period => {
            let amount = period(
                c.name("n").map(|m| m.as_str()),
                c.name("unit").map(|m| m.as_str()),
            );
            (amount.zip(d).and_then(|(a, d)| a.add_to(d)), None)
        }
        Rule::Yearly => {
            let day = num("d").or_else(|| num("d2"));
            let month = c
                .name("m")
                .or_else(|| c.name("m2"))
                .and_then(|m| month_from_word(m.as_str()));
            let date = match (day, month, d) {
                (Some(day), Some(month), Some(d)) => next_on_or_after(d, month, day, true),
                (None, None, Some(d)) => ymd(d.year(), Month::December, 31),
                _ => None,
            };
            (date, Some(Recurrence::Yearly))
        }
        Rule::Month => {
            let month = c.name("m").and_then(|m| month_from_word(m.as_str()));
            let date = match (month, this_year()) {
                (Some(m), Some(y)) => ymd(y, m, i32::from(m.length(y))),
                _ => None,
            };
            (date, None)
        }
        Rule::Quarterly => {
            let end = d.and_then(|d| quarter_end(d.year(), (u8::from(d.month()) - 1) / 3 + 1));
            let date = match (num("n"), end) {
                // «до 10 числа месяца, следующего за отчетным»: in the month after the quarter.
                (Some(day), Some(end)) if c.name("next").is_some() => end
                    .next_day()
                    .and_then(|first| ymd(first.year(), first.month(), day)),
                (Some(day), Some(_)) => d.and_then(|d| next_day_of_month(d, day)),
                (None, end) => end,
                (Some(_), None) => None,
            };
            (date, Some(Recurrence::Quarterly))
        }
        Rule::Monthly => {
            let date = match num("n") {
                Some(day) => d.and_then(|d| next_day_of_month(d, day)),
                None => d.and_then(month_end),
            };
            (date, Some(Recurrence::Monthly))
        }
        Rule::Unreadable => (None, None),
    }
}

fn ymd(y: i32, m: Month, d: i32) -> Option<Date> {
    let day = u8::try_from(d).ok()?;
    Date::from_calendar_date(y, m, day).ok()
}

/// The first `day month` after `d` (or on it, unless `strictly`).
fn next_on_or_after(d: Date, month: Month, day: i32, strictly: bool) -> Option<Date> {
    for y in [d.year(), d.year() + 1] {
        if let Some(c) = ymd(y, month, day) {
            if c > d || (!strictly && c == d) {
                return Some(c);
            }
        }
    }
    // 29 February: look a few years ahead for the next leap year.
    (d.year() + 2..d.year() + 9).find_map(|y| ymd(y, month, day))
}

/// The first day `day` of a month strictly after `d`.
fn next_day_of_month(d: Date, day: i32) -> Option<Date> {
    let mut first = ymd(d.year(), d.month(), 1)?;
    for _ in 0..3 {
        if let Some(c) = ymd(first.year(), first.month(), day) {
            if c > d {
                return Some(c);
            }
        }
        first = add_months(first, 1)?;
    }
    None
}

fn quarter_end(y: i32, q: u8) -> Option<Date> {
    let month = Month::try_from(q.checked_mul(3)?).ok()?;
    ymd(y, month, i32::from(month.length(y)))
}

fn month_end(d: Date) -> Option<Date> {
    ymd(d.year(), d.month(), i32::from(d.month().length(d.year())))
}

fn month_from_number(n: i32) -> Option<Month> {
    Month::try_from(u8::try_from(n).ok()?).ok()
}

/// `октября`, `March`, `Sept.` → the month.
pub fn month_from_word(w: &str) -> Option<Month> {
    let w = crate::text::fold_case(w);
    const PREFIXES: [(&str, Month); 24] = [
        ("янв", Month::January),
        ("фев", Month::February),
        ("мар", Month::March),
        ("апр", Month::April),
        ("ма", Month::May),
        ("июн", Month::June),
        ("июл", Month::July),
        ("авг", Month::August),
        ("сен", Month::September),
        ("окт", Month::October),
        ("ноя", Month::November),
        ("дек", Month::December),
        ("jan", Month::January),
        ("feb", Month::February),
        ("mar", Month::March),
        ("apr", Month::April),
        ("may", Month::May),
        ("jun", Month::June),
        ("jul", Month::July),
        ("aug", Month::August),
        ("sep", Month::September),
        ("oct", Month::October),
        ("nov", Month::November),
        ("dec", Month::December),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| w.starts_with(p))
        .map(|(_, m)| *m)
}

/// `III`, `3`, `3-м`, `третьем`, `third`, `3rd` → 3.
fn ordinal_1_to_4(s: &str) -> Option<u8> {
    let w = crate::text::fold_case(s);
    let w = w.trim();
    match w {
        "i" => return Some(1),
        "ii" => return Some(2),
        "iii" => return Some(3),
        "iv" => return Some(4),
        _ => {}
    }
    if let Some(c) = w.chars().next().and_then(|c| c.to_digit(10)) {
        return u8::try_from(c).ok().filter(|n| (1..=4).contains(n));
    }
    for (prefix, n) in [
        ("перв", 1),
        ("втор", 2),
        ("трет", 3),
        ("четв", 4),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
    ] {
        if w.starts_with(prefix) {
            return Some(n);
        }
    }
    None
}

/// A span of time: months and days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amount {
    months: u32,
    days: i64,
}

impl Amount {
    fn add_to(self, d: Date) -> Option<Date> {
        let d = add_months(d, self.months)?;
        d.checked_add(Duration::days(self.days))
    }
}

fn add_months(d: Date, months: u32) -> Option<Date> {
    let total = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + i64::from(months);
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = d.day().min(m.length(y));
    Date::from_calendar_date(y, m, day).ok()
}

fn period(n: Option<&str>, unit: Option<&str>) -> Option<Amount> {
    let unit = crate::text::fold_case(unit?);
    let n_word = n.map(crate::text::fold_case);
    let half = n_word
        .as_deref()
        .is_some_and(|w| w == "полу" || w.starts_with("half"));
    let count: u32 = match n_word.as_deref() {
        None => 1,
        Some(w) if half => {
            let _ = w;
            1
        }
        Some(w) => count_word(w)?,
    };
    let (months, days) = if unit.starts_with("дн")
        || unit.starts_with("дн")
        || unit.starts_with("day")
        || unit == "дня"
        || unit == "дней"
    {
        (0, i64::from(count))
    } else if unit.starts_with("недел") || unit.starts_with("week") {
        (0, i64::from(count) * 7)
    } else if unit == "fortnight" {
        (0, 14 * i64::from(count))
    } else if unit.starts_with("месяч") || unit.starts_with("месяц") || unit.starts_with("month")
    {
        if half {
            (0, 15)
        } else {
            (count, 0)
        }
    } else if unit.starts_with("год") || unit == "лет" || unit.starts_with("year") {
        if half {
            (6, 0)
        } else {
            (count * 12, 0)
        }
    } else {
        return None;
    };
    Some(Amount { months, days })
}

fn count_word(w: &str) -> Option<u32> {
    if let Ok(n) = w.parse::<u32>() {
        return Some(n);
    }
    let w = w.replace('ё', "е");
    let table: &[(&str, u32)] = &[
        ("одного", 1),
        ("одно", 1),
        ("a", 1),
        ("an", 1),
        ("one", 1),
        ("двух", 2),
        ("two", 2),
        ("трех", 3),
        ("three", 3),
        ("четырех", 4),
        ("four", 4),
        ("пяти", 5),
        ("five", 5),
        ("шести", 6),
        ("six", 6),
        ("семи", 7),
        ("seven", 7),
        ("восьми", 8),
        ("eight", 8),
        ("девяти", 9),
        ("nine", 9),
        ("десяти", 10),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("пятнадцати", 15),
        ("fifteen", 15),
        ("двадцати", 20),
        ("twenty", 20),
        ("тридцати", 30),
        ("thirty", 30),
        ("сорока", 40),
        ("forty", 40),
        ("шестидесяти", 60),
        ("sixty", 60),
        ("девяноста", 90),
        ("ninety", 90),
    ];
    table.iter().find(|(k, _)| *k == w).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const D: Date = date!(2010 - 06 - 02);

    fn ru(p: &str) -> (String, Option<String>, Option<Recurrence>) {
        at(p, Language::Ru, D)
    }
    fn en(p: &str) -> (String, Option<String>, Option<Recurrence>) {
        at(p, Language::En, D)
    }
    fn at(p: &str, l: Language, d: Date) -> (String, Option<String>, Option<Recurrence>) {
        let f = find(p, l, Some(d)).expect("a deadline");
        (f.text, f.date.map(crate::model::format_date), f.recurrence)
    }
    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn all_patterns_compile() {
        assert_eq!(patterns(Language::Ru).len(), 16);
        assert_eq!(patterns(Language::En).len(), 17);
    }

    #[test]
    fn day_month_year_ru() {
        assert_eq!(
            ru("Совету до 1 октября 2010 года подготовить"),
            ("до 1 октября 2010 года".into(), s("2010-10-01"), None)
        );
        assert_eq!(ru("в срок до 01.09.2011 внести").1, s("2011-09-01"));
        assert_eq!(
            ru("не позднее 15 марта 2011 г. представить").1,
            s("2011-03-15")
        );
        assert_eq!(ru("к 1 сентября подготовить").1, s("2010-09-01"));
        assert_eq!(ru("до 1 марта представить").1, s("2011-03-01"));
    }

    #[test]
    fn day_month_year_en() {
        assert_eq!(
            en("shall, by 1 February 2011, submit"),
            ("by 1 February 2011".into(), s("2011-02-01"), None)
        );
        assert_eq!(en("submit by March 15, 2011.").1, s("2011-03-15"));
        assert_eq!(en("submit no later than 1 October 2010").1, s("2010-10-01"));
    }

    #[test]
    fn end_of_year() {
        assert_eq!(ru("до конца года подготовить").1, s("2010-12-31"));
        assert_eq!(ru("до конца 2011 года подготовить").1, s("2011-12-31"));
        assert_eq!(en("prepare by the end of the year.").1, s("2010-12-31"));
    }

    #[test]
    fn quarters() {
        assert_eq!(ru("в III квартале 2010 года обеспечить").1, s("2010-09-30"));
        assert_eq!(ru("во II квартале 2011 года").1, s("2011-06-30"));
        assert_eq!(ru("в 4 квартале 2010 года").1, s("2010-12-31"));
        assert_eq!(ru("в первом квартале 2011 года").1, s("2011-03-31"));
        assert_eq!(en("in the third quarter of 2010").1, s("2010-09-30"));
        assert_eq!(en("in Q1 2011").1, s("2011-03-31"));
        assert_eq!(ru("в первом полугодии 2011 года").1, s("2011-06-30"));
    }

    #[test]
    fn whole_year() {
        assert_eq!(ru("в течение 2010 года организовать").1, s("2010-12-31"));
        assert_eq!(ru("Продолжить мониторинг в 2010 году.").1, s("2010-12-31"));
        assert_eq!(en("during 2010").1, s("2010-12-31"));
        assert_eq!(
            en("Continue the monitoring in 2011."),
            ("in 2011".into(), s("2011-12-31"), None)
        );
    }

    #[test]
    fn periods() {
        let d = date!(2011 - 05 - 20);
        assert_eq!(
            at("в месячный срок подготовить", Language::Ru, d).1,
            s("2011-06-20")
        );
        assert_eq!(
            at("в двухнедельный срок", Language::Ru, d).1,
            s("2011-06-03")
        );
        assert_eq!(
            at("в трехмесячный срок", Language::Ru, d).1,
            s("2011-08-20")
        );
        assert_eq!(
            at("в трёхмесячный срок", Language::Ru, d).1,
            s("2011-08-20")
        );
        assert_eq!(at("в 10-дневный срок", Language::Ru, d).1, s("2011-05-30"));
        assert_eq!(
            at("в течение двух месяцев", Language::Ru, d).1,
            s("2011-07-20")
        );
        assert_eq!(at("within a month", Language::En, d).1, s("2011-06-20"));
        assert_eq!(at("within two weeks", Language::En, d).1, s("2011-06-03"));
        assert_eq!(
            at("within three months", Language::En, d).1,
            s("2011-08-20")
        );
        // The end of a short month.
        let jan31 = date!(2011 - 01 - 31);
        assert_eq!(
            at("в месячный срок", Language::Ru, jan31).1,
            s("2011-02-28")
        );
    }

    #[test]
    fn recurrences() {
        assert_eq!(
            ru("ежегодно, до 1 марта, представлять"),
            (
                "ежегодно, до 1 марта".into(),
                s("2011-03-01"),
                Some(Recurrence::Yearly)
            )
        );
        assert_eq!(
            en("annually, by 1 March, submit"),
            (
                "annually, by 1 March".into(),
                s("2011-03-01"),
                Some(Recurrence::Yearly)
            )
        );
        assert_eq!(en("annually by March 1").1, s("2011-03-01"));
        assert_eq!(
            ru("ежеквартально информировать"),
            (
                "ежеквартально".into(),
                s("2010-06-30"),
                Some(Recurrence::Quarterly)
            )
        );
        assert_eq!(en("report quarterly to").2, Some(Recurrence::Quarterly));
        assert_eq!(
            ru("ежемесячно представлять"),
            (
                "ежемесячно".into(),
                s("2010-06-30"),
                Some(Recurrence::Monthly)
            )
        );
        assert_eq!(en("report monthly").1, s("2010-06-30"));
    }

    #[test]
    fn recurrence_with_a_day_of_month() {
        assert_eq!(
            ru("ежемесячно, до 5 числа, информировать"),
            (
                "ежемесячно, до 5 числа".into(),
                s("2010-06-05"),
                Some(Recurrence::Monthly)
            )
        );
        assert_eq!(
            ru("ежеквартально, до 10 числа месяца, следующего за отчетным кварталом, представлять")
                .1,
            s("2010-07-10")
        );
    }

    #[test]
    fn a_month_of_a_year() {
        assert_eq!(
            ru("провести сессию в мае 2011 года в Москве").1,
            s("2011-05-31")
        );
        assert_eq!(
            en("hold the session in May 2011 in Moscow").1,
            s("2011-05-31")
        );
    }

    #[test]
    fn unreadable_phrases_are_kept() {
        let f = find(
            "в срок до начала следующей сессии подготовить доклад",
            Language::Ru,
            Some(D),
        )
        .expect("phrase");
        assert_eq!(f.text, "в срок до начала следующей сессии");
        assert_eq!(f.date, None);
        let f = find("до 1 сентяря 2011 года внести", Language::Ru, Some(D)).expect("phrase");
        assert_eq!(f.text, "до 1 сентяря 2011 года");
        assert_eq!(f.date, None);
        let f = find("до 31.02.2011 внести", Language::Ru, Some(D)).expect("phrase");
        assert_eq!(f.date, None);
        let f = find(
            "submit by the end of the next session.",
            Language::En,
            Some(D),
        )
        .expect("p");
        assert_eq!(f.text, "by the end of the next session");
        assert_eq!(f.date, None);
    }

    #[test]
    fn relative_without_date_gives_none() {
        let f = find("в месячный срок", Language::Ru, None).expect("phrase");
        assert_eq!(f.date, None);
    }

    #[test]
    fn not_deadlines() {
        assert_eq!(
            find("within the dates set in it", Language::En, Some(D)),
            None
        );
        assert_eq!(
            find("обучение не менее 100 специалистов", Language::Ru, Some(D)),
            None
        );
        assert_eq!(find("мониторинга за 2009 год", Language::Ru, Some(D)), None);
        assert_eq!(
            find("seminars for 2011, and more", Language::En, Some(D)),
            None
        );
    }
}
