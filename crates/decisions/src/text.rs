//! White space and word helpers.

/// Folds every run of white space (tabs, non-breaking and other Unicode spaces) into one space,
/// drops zero-width characters and trims both ends.
pub fn fold_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if is_zero_width(c) {
            continue;
        }
        if c.is_whitespace() || c == '\u{a0}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// Splits a text into lines (`\n`, `\r\n`, `\r`, and the Unicode line/paragraph separators),
/// each with white space folded.
pub fn normalized_lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{0b}', '\u{0c}'])
        .map(fold_spaces)
        .collect()
}

/// Words after which a full stop does not end a sentence (lower case, inner dots kept):
/// «г.» of a year, «т.е.», «им.», "No.", "e.g." …
const ABBREVIATIONS: &[&str] = &[
    "г", "гг", "т.е", "т.к", "т.д", "т.п", "т.ч", "др", "пр", "им", "ул", "стр", "см", "рф", "млн",
    "млрд", "тыс", "руб", "п", "пп", "ст", "№", "no", "nos", "mr", "mrs", "ms", "dr", "st", "e.g",
    "i.e", "etc", "vs", "cf", "art", "para", "p", "pp",
];

/// The sentences of a paragraph, trimmed, in order. A sentence ends at «.», «!» or «?» followed
/// by white space and a capital letter, except after an abbreviation (`ABBREVIATIONS`), after an
/// initial («И. И. Иванову») and inside brackets or quotes.
pub fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut in_straight_quotes = false;
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' | '«' | '„' | '“' => depth += 1,
            ')' | ']' | '»' | '”' => depth = (depth - 1).max(0),
            '"' => in_straight_quotes = !in_straight_quotes,
            '.' | '!' | '?' if depth == 0 && !in_straight_quotes => {
                let after = &chars[k + 1..];
                let spaced = after.first().is_some_and(|(_, c)| c.is_whitespace());
                let next_is_capital = after
                    .iter()
                    .map(|(_, c)| *c)
                    .find(|c| !c.is_whitespace())
                    .is_some_and(char::is_uppercase);
                if spaced
                    && next_is_capital
                    && (c != '.' || !abbreviation_before(&paragraph[start..at]))
                {
                    let end = at + c.len_utf8();
                    out.push(paragraph[start..end].trim());
                    start = end;
                }
            }
            _ => {}
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether the word that ends `text` (just before a full stop) is an abbreviation or an initial.
fn abbreviation_before(text: &str) -> bool {
    let word = text
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '«' | '"' | ','))
        .next()
        .unwrap_or_default();
    let initial = {
        let mut letters = word.chars();
        matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase())
    };
    initial || ABBREVIATIONS.contains(&fold_case(word).as_str())
}

/// Lower case with `ё` read as `е`.
pub fn fold_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => out.push(c),
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            'а'..='я' => out.push(c),
            'Ё' | 'ё' => out.push('е'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A letter or a digit; Latin and Cyrillic are answered without the Unicode tables.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if matches!(c, 'А'..='я' | 'Ё' | 'ё') {
        true
    } else {
        c.is_alphanumeric()
    }
}

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04ff}')
}

/// Does the text begin (after opening quotes and brackets) with an upper-case letter or a digit?
pub fn starts_like_sentence(s: &str) -> bool {
    let s = s.trim_start_matches(['«', '"', '“', '„', '(', '\'', '‘', '[', '-', '–', '—', ' ']);
    match s.chars().next() {
        Some(c) => c.is_uppercase() || c.is_ascii_digit(),
        None => false,
    }
}

/// Does the line end a sentence (`.`, `;`, `:`, `!`, `?`, possibly inside closing quotes)?
pub fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['»', '"', '”', ')', '\'', '’', ' ']);
    s.ends_with(['.', ';', ':', '!', '?', '…'])
}

/// Trims spaces and the punctuation that may be left around a phrase that was cut out.
pub fn trim_punct(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.'))
}

/// Words: maximal runs of letters and digits (a hyphen inside a word splits it), with byte spans.
pub fn words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push((st, i));
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// Removes the byte ranges from a text and tidies the seams: doubled spaces, a space before a
/// comma, doubled commas and commas left at either end.
pub fn cut_out(s: &str, ranges: &[(usize, usize)]) -> String {
    let mut ranges: Vec<(usize, usize)> = ranges.to_vec();
    ranges.sort_unstable();
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    for (a, b) in ranges {
        if a < pos || b > s.len() || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
            continue;
        }
        out.push_str(&s[pos..a]);
        out.push(' ');
        pos = b;
    }
    out.push_str(&s[pos.min(s.len())..]);
    tidy(&out)
}

/// Folds spaces, removes spaces before punctuation, doubled commas and edge punctuation.
pub fn tidy(s: &str) -> String {
    let folded = fold_spaces(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, ',' | '.' | ';' | ':') && out.ends_with(' ') {
            out.pop();
        }
        if c == ',' && (out.ends_with(',') || out.is_empty()) {
            continue;
        }
        if c == ' ' && out.ends_with(',') && out.len() == 1 {
            continue;
        }
        out.push(c);
    }
    // A comma right before the end or before a full stop is a seam.
    let out = out.replace(",.", ".");
    trim_punct(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_splits_into_its_sentences() {
        assert_eq!(
            sentences("Одобрить план (приложение № 2). Секретариату МАГ до 1 марта 2013 г. разослать его городам."),
            ["Одобрить план (приложение № 2).", "Секретариату МАГ до 1 марта 2013 г. разослать его городам."]
        );
        // Not after «г.», initials, «т.е.», or inside quotes and brackets.
        assert_eq!(
            sentences("Принять к сведению доклад за 2012 г. Предложения учесть.").len(),
            1
        );
        assert_eq!(
            sentences("Поручить И. И. Иванову подготовить доклад.").len(),
            1
        );
        assert_eq!(
            sentences("Учесть замечания, т.е. Новые сроки не вводить.").len(),
            1
        );
        assert_eq!(
            sentences("Одобрить «Концепцию. Вторая редакция» в целом.").len(),
            1
        );
        assert_eq!(
            sentences("Одобрить план (см. Приложение. Оно прилагается).").len(),
            1
        );
        // A lower-case word after the stop does not start a sentence; ! and ? do end one.
        assert_eq!(sentences("Утвердить план. и далее.").len(), 1);
        assert_eq!(
            sentences("Approve the plan! The Secretariat shall send it. Done?").len(),
            3
        );
        assert_eq!(
            sentences("Approve the plan, e.g. Annex 2. The Secretariat shall send it."),
            [
                "Approve the plan, e.g. Annex 2.",
                "The Secretariat shall send it."
            ]
        );
        assert_eq!(sentences(""), Vec::<&str>::new());
    }

    #[test]
    fn folds_tabs_nbsp_and_runs() {
        assert_eq!(
            fold_spaces("\t 2\u{a0}\u{a0}июня  2010\tгода  "),
            "2 июня 2010 года"
        );
        assert_eq!(fold_spaces("\u{feff}РЕШЕНИЕ"), "РЕШЕНИЕ");
    }

    #[test]
    fn case_folding() {
        assert_eq!(fold_case("ЁЛКА Ёж АЯ Straße ΣΑ"), "елка еж ая straße σα");
    }

    #[test]
    fn lines_split_on_any_break() {
        assert_eq!(normalized_lines("a\r\nb\rc"), vec!["a", "b", "c"]);
    }

    #[test]
    fn cut_out_tidies_commas() {
        let s = "Администрациям ежегодно, до 1 марта, представлять";
        let a = s.find("ежегодно").unwrap_or(0);
        let b = s.find(", представлять").unwrap_or(0) + 1;
        assert_eq!(cut_out(s, &[(a, b)]), "Администрациям представлять");
        assert_eq!(tidy(" , shall, , submit ,"), "shall, submit");
    }

    #[test]
    fn sentence_edges() {
        assert!(ends_sentence("технологий."));
        assert!(ends_sentence("«Город».  "));
        assert!(!ends_sentence("решения"));
        assert!(starts_like_sentence("«Международная"));
        assert!(!starts_like_sentence("городов»"));
    }
}
