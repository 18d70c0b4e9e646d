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
