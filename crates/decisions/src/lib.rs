//! The decision parser: the plain text of a session decision → header, sections, items,
//! assignments with executors and deadlines, and the controller, as in
//! `shared/spec/decision-text.md`.
//!
//! No I/O: the text and the directory of bodies come in as values.
//!
//! ```
//! use megapolis_decisions::{default_bodies, parse};
//! let text = "РЕШЕНИЕ\nПервой сессии\n1 марта 2010 года\nМосква\n\
//!             1. О плане.\n1.1. Секретариату МАГ до 1 мая 2010 года подготовить план.\n\
//!             Контроль за выполнением настоящего решения возложить на Правление МАГ.";
//! let decision = parse(text, &default_bodies()).expect("a decision");
//! assert_eq!(decision.assignments[0].lead.as_deref(), Some("Секретариат МАГ"));
//! assert_eq!(decision.controller.as_deref(), Some("Правление МАГ"));
//! ```
mod assign;
mod bodies;
mod deadline;
mod directory;
pub mod docx;
pub mod draft;
pub mod encoding;
mod header;
mod lexicon;
mod model;
mod nominative;
mod record;
mod structure;
mod text;

use std::sync::LazyLock;

use regex::Regex;

pub use bodies::{
    default_bodies, parse_bodies_csv, read_bodies_csv, BodiesError, Body, DEFAULT_BODIES_CSV,
};
pub use directory::Directory;
pub use model::{
    format_date, written_date, Assignment, AssignmentFlag, AssignmentKind, Decision,
    DocumentWarning, Doubt, Item, Language, Recurrence, Section, Session,
};
pub use record::{
    directory_of, items_of, new_decision_from_parsed, DecisionItem, IncompleteDecision,
    NewAppendix, NewDecision, SessionInfo,
};

/// Why a text is not a decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the text is empty: a decision needs a header and numbered items (1., 1.1.)")]
    Empty,
    #[error(
        "no numbered items were found (lines starting with `1.`, `1.1.`, `1.2)`): this text is not a decision, or its items are not numbered"
    )]
    NoNumberedItems,
}

/// Parses a decision against a directory of bodies.
pub fn parse(text: &str, bodies: &[Body]) -> Result<Decision, ParseError> {
    parse_with(text, &Directory::new(bodies))
}

/// Parses a decision against a prepared directory (build it once for many documents).
pub fn parse_with(text: &str, directory: &Directory) -> Result<Decision, ParseError> {
    let lines = text::normalized_lines(text);
    if lines.iter().all(String::is_empty) {
        return Err(ParseError::Empty);
    }
    let layout = structure::layout(&lines);
    if layout.items.is_empty() {
        return Err(ParseError::NoNumberedItems);
    }
    let language = detect_language(text);
    let header = header::parse(&layout.header);
    let cx = assign::Context {
        directory,
        language,
        date: header.session.date,
    };

    let mut warnings = Vec::new();
    let mut assignments = Vec::new();
    let mut control = layout.control.clone();
    let mut sections = Vec::with_capacity(layout.items.len());
    for node in &layout.items {
        let is_heading = is_heading(node);
        let (heading, text_paragraphs) = match node.paragraphs.split_first() {
            Some((h, rest)) if is_heading => (h.clone(), rest),
            _ => (String::new(), node.paragraphs.as_slice()),
        };
        let number = node.number_text();
        collect(
            &number,
            text_paragraphs,
            usize::from(is_heading),
            &cx,
            &mut assignments,
            &mut control,
        );
        let mut items = Vec::with_capacity(node.children.len());
        for child in &node.children {
            items.push(item(child, &cx, &mut assignments, &mut control));
        }
        sections.push(Section {
            number,
            heading,
            text: text_paragraphs.join("\n"),
            items,
        });
    }

    let (controller, controller_id) = match control.as_deref().and_then(|c| controller_of(c, &cx)) {
        Some(named) => {
            if named.body.is_none() {
                warnings.push(DocumentWarning::ControllerNotInDirectory {
                    name: named.name.clone(),
                });
            }
            (Some(named.name), named.body)
        }
        None => {
            warnings.push(DocumentWarning::NoController);
            (None, None)
        }
    };
    if header.session.date.is_none() {
        warnings.push(DocumentWarning::NoSessionDate);
    }
    if !layout.after_control.is_empty() {
        warnings.push(DocumentWarning::TextAfterControlClause {
            text: layout.after_control.clone(),
        });
    }
    Ok(Decision {
        title: header.title,
        language,
        session: header.session,
        items: sections,
        assignments,
        controller,
        controller_id,
        warnings,
    })
}

fn item(
    node: &structure::Node,
    cx: &assign::Context<'_>,
    out: &mut Vec<Assignment>,
    control: &mut Option<String>,
) -> Item {
    let number = node.number_text();
    collect(&number, &node.paragraphs, 0, cx, out, control);
    let items = node
        .children
        .iter()
        .map(|c| item(c, cx, out, control))
        .collect();
    Item {
        number,
        text: node.paragraphs.join("\n"),
        items,
    }
}

/// Reads the paragraphs of one item into assignments, in order. A numbered control clause
/// («4. Контроль за … возложить на …») stays an item and names the controller.
fn collect(
    number: &str,
    paragraphs: &[String],
    first_index: usize,
    cx: &assign::Context<'_>,
    out: &mut Vec<Assignment>,
    control: &mut Option<String>,
) {
    for (i, p) in paragraphs.iter().enumerate() {
        if structure::is_control_clause(p) {
            if control.is_none() {
                *control = Some(p.clone());
            }
            continue;
        }
        for mut a in segments(p, cx) {
            a.item = number.to_string();
            a.paragraph = first_index + i;
            out.push(a);
        }
    }
}

/// The assignments of a paragraph, read part by part (their item and index are the caller's). A paragraph often agrees on something and
/// assigns the work in its next sentence («Одобрить план. Секретариату МАГ разослать его
/// городам.»): a sentence that names its executor (or recommends), or that follows a resolution,
/// starts a part of its own; any other sentence continues the part before it, so an assignment
/// spread over sentences («Секретариату подготовить доклад. Доклад представить на сессии.») stays
/// whole.
fn segments(paragraph: &str, cx: &assign::Context<'_>) -> Vec<Assignment> {
    let mut parts: Vec<(String, Option<Assignment>)> = Vec::new();
    for sentence in text::sentences(paragraph) {
        let alone = assign::analyse(sentence, "", 0, cx);
        let opens = alone.as_ref().is_some_and(|a| {
            a.kind == AssignmentKind::Recommendation
                || a.lead.as_deref().is_some_and(|lead| !is_pronoun(lead))
        });
        match parts.last_mut() {
            Some((text, reading)) if !opens && reading.is_some() => {
                text.push(' ');
                text.push_str(sentence);
                *reading = assign::analyse(text, "", 0, cx);
            }
            Some((text, None)) if alone.is_none() => {
                text.push(' ');
                text.push_str(sentence);
            }
            _ => parts.push((sentence.to_string(), alone)),
        }
    }
    parts
        .into_iter()
        .filter_map(|(_, reading)| reading)
        .collect()
}

/// «It shall be sent …», «Они …»: a sentence that goes on about the work before it, not a new
/// executor.
fn is_pronoun(name: &str) -> bool {
    const PRONOUNS: &[&str] = &[
        "it", "they", "this", "these", "that", "those", "he", "she", "we", "such", "он", "она",
        "оно", "они", "это", "ему", "ей", "им", "их",
    ];
    PRONOUNS.contains(&text::fold_case(name.trim()).as_str())
}

/// A top-level line is a heading when it reads «О …» / "On …", or when items follow it.
fn is_heading(node: &structure::Node) -> bool {
    let Some(first) = node.paragraphs.first() else {
        return false;
    };
    let w = first
        .split_whitespace()
        .next()
        .map(text::fold_case)
        .unwrap_or_default();
    matches!(
        w.as_str(),
        "о" | "об" | "обо" | "on" | "about" | "concerning" | "regarding"
    ) || !node.children.is_empty()
}

static CONTROLLER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\bвозл(?:ожить|агается|агаю|ожен[оа]?)\s+на\s+(?P<x>.+)$",
        r"(?i)\b(?:entrusted|assigned|vested|conferred)\s+(?:to|in|upon|on|with)\s+(?P<x>.+)$",
        r"(?i)\b(?:rests|lies|shall\s+rest|shall\s+lie)\s+with\s+(?P<x>.+)$",
    ]
    .iter()
    .filter_map(|s| Regex::new(s).ok())
    .collect()
});

fn controller_of(clause: &str, cx: &assign::Context<'_>) -> Option<assign::Named> {
    let x = CONTROLLER
        .iter()
        .find_map(|re| re.captures(clause).and_then(|c| c.name("x")))?
        .as_str();
    let x = text::trim_punct(x);
    // The controller is named in the accusative: resolve it; otherwise keep it as written.
    let names = assign::names(x, cx);
    let first = names.into_iter().next()?;
    if first.body.is_some() {
        return Some(first);
    }
    let raw = match cx.language {
        Language::En => lexicon::strip_article_en(x),
        Language::Ru => x,
    };
    Some(assign::Named {
        name: raw.to_string(),
        body: None,
    })
}

/// Russian when Cyrillic letters outnumber Latin ones.
fn detect_language(text: &str) -> Language {
    let (mut cyr, mut lat) = (0usize, 0usize);
    for c in text.chars() {
        if text::is_cyrillic(c) {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    if lat > cyr {
        Language::En
    } else {
        Language::Ru
    }
}
