//! The directory of bodies as the parser sees it: every name and short name, Russian and English,
//! as a sequence of stems, so that any grammatical case of a name finds its body
//! («Экспертному совету МАГ», «Экспертным советом МАГ» → «Экспертный совет МАГ»).
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::bodies::Body;
use crate::model::Language;
use crate::text::{fold_case, is_cyrillic, words};

static RU: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// A word of a text reduced to its stem, with its byte span in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

/// Words of a text as stems; English articles are left out, so "the Board" matches "Board".
pub fn tokens(s: &str) -> Vec<Token> {
    words(s)
        .into_iter()
        .filter_map(|(a, b)| {
            let w = fold_case(s.get(a..b)?);
            if matches!(w.as_str(), "the" | "a" | "an") {
                return None;
            }
            Some(Token {
                stem: stem(&w),
                start: a,
                end: b,
            })
        })
        .collect()
}

/// The stem of one lower-case word: Snowball Russian for Cyrillic, Snowball English for Latin.
pub fn stem(word: &str) -> String {
    if word.chars().any(is_cyrillic) {
        RU.stem(word).into_owned()
    } else if word.chars().all(|c| c.is_ascii_digit()) {
        word.to_string()
    } else {
        EN.stem(word).into_owned()
    }
}

#[derive(Debug, Clone)]
struct Variant {
    body: usize,
    stems: Vec<String>,
}

/// A directory prepared for matching. Build it once and reuse it for many documents.
#[derive(Debug, Clone)]
pub struct Directory {
    bodies: Vec<Body>,
    variants: Vec<Variant>,
    longest: usize,
}

/// A body found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub body: usize,
    /// Byte range in the text searched.
    pub start: usize,
    pub end: usize,
}

impl Directory {
    pub fn new(bodies: &[Body]) -> Self {
        let mut variants = Vec::new();
        for (i, b) in bodies.iter().enumerate() {
            let names = [
                Some(b.name_ru.as_str()),
                Some(b.name_en.as_str()),
                b.short_ru.as_deref(),
                b.short_en.as_deref(),
            ];
            for name in names.into_iter().flatten() {
                let stems: Vec<String> = tokens(name).into_iter().map(|t| t.stem).collect();
                if !stems.is_empty()
                    && !variants
                        .iter()
                        .any(|v: &Variant| v.body == i && v.stems == stems)
                {
                    variants.push(Variant { body: i, stems });
                }
            }
        }
        let longest = variants.iter().map(|v| v.stems.len()).max().unwrap_or(0);
        Directory {
            bodies: bodies.to_vec(),
            variants,
            longest,
        }
    }

    pub fn bodies(&self) -> &[Body] {
        &self.bodies
    }

    pub fn body(&self, i: usize) -> Option<&Body> {
        self.bodies.get(i)
    }

    /// The longest name that starts at token `i`: (body, number of tokens).
    fn longest_at(&self, toks: &[Token], i: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for v in &self.variants {
            let n = v.stems.len();
            if n > self.longest || i + n > toks.len() {
                continue;
            }
            if best.is_some_and(|(_, len)| len >= n) {
                continue;
            }
            if toks[i..i + n]
                .iter()
                .zip(&v.stems)
                .all(|(t, s)| &t.stem == s)
            {
                best = Some((v.body, n));
            }
        }
        best
    }

    /// Every body named in a text, left to right, longest name first.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let toks = tokens(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some((body, n)) = self.longest_at(&toks, i) {
                out.push(Span {
                    body,
                    start: toks[i].start,
                    end: toks[i + n - 1].end,
                });
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The body a whole phrase names, in any case form, or `None`.
    pub fn resolve(&self, phrase: &str) -> Option<usize> {
        let toks = tokens(phrase);
        if toks.is_empty() {
            return None;
        }
        match self.longest_at(&toks, 0) {
            Some((body, n)) if n == toks.len() => Some(body),
            _ => None,
        }
    }

    /// The canonical name of a body in a language.
    pub fn name(&self, body: usize, language: Language) -> Option<&str> {
        self.bodies.get(body).map(|b| b.name(language))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodies::default_bodies;

    fn dir() -> Directory {
        Directory::new(&default_bodies())
    }

    fn resolved(phrase: &str) -> Option<String> {
        let d = dir();
        d.resolve(phrase).map(|b| d.bodies()[b].id.clone())
    }

    #[test]
    fn case_forms_resolve() {
        assert_eq!(
            resolved("Экспертному совету МАГ").as_deref(),
            Some("expert-council")
        );
        assert_eq!(
            resolved("Экспертным советом МАГ").as_deref(),
            Some("expert-council")
        );
        assert_eq!(
            resolved("Постоянной комиссией МАГ по информационной политике и PR-проектам")
                .as_deref(),
            Some("commission-info")
        );
        assert_eq!(
            resolved("Администрациям городов – членов МАГ").as_deref(),
            Some("city-admins")
        );
        assert_eq!(resolved("Президента МАГ").as_deref(), Some("president"));
        assert_eq!(
            resolved("the Secretariat of MAG").as_deref(),
            Some("secretariat")
        );
        assert_eq!(resolved("Секретариату").as_deref(), Some("secretariat"));
        assert_eq!(resolved("Минкомсвязи России").as_deref(), Some("minsvyaz"));
        assert_eq!(resolved("the host cities"), None);
        assert_eq!(resolved(""), None);
    }

    #[test]
    fn spans_find_longest_names() {
        let d = dir();
        let text = "Экспертному совету МАГ, Постоянной комиссии МАГ по информационной политике и PR-проектам";
        let spans = d.spans(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(
            &text[spans[1].start..spans[1].end],
            "Постоянной комиссии МАГ по информационной политике и PR-проектам"
        );
    }
}
