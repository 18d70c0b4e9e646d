//! Lines → header, numbered items with their paragraphs, and the control clause.
use std::sync::LazyLock;

use regex::Regex;

use crate::text::{ends_sentence, starts_like_sentence};

/// A numbered item as read, before it becomes a [`crate::Section`] or [`crate::Item`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub number: Vec<u32>,
    /// Paragraphs: wrapped lines joined with one space.
    pub paragraphs: Vec<String>,
    pub children: Vec<Node>,
}

impl Node {
    pub fn number_text(&self) -> String {
        self.number
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The document split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    pub header: Vec<String>,
    pub items: Vec<Node>,
    /// The control clause as one paragraph, when there is one outside the items.
    pub control: Option<String>,
    /// Lines after the control clause (signatures…), joined.
    pub after_control: String,
}

static NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\d{1,4}(?:\.\d{1,4})*)(?P<t>[.)])?(?:\s+|$)(?P<rest>.*)$").ok()
});
static NUMBER_GLUED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\d{1,3}(?:\.\d{1,3})*)(?P<t>[.)])(?P<rest>\p{L}.*)$").ok()
});
static CONTROL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:контроль\s+(?:за|над)\b|control\s+(?:over|of)\b)").ok());

/// Does a paragraph open the control clause («Контроль за …», "Control over …")?
pub fn is_control_clause(paragraph: &str) -> bool {
    CONTROL.as_ref().is_some_and(|re| re.is_match(paragraph))
}

struct Candidate<'a> {
    number: Vec<u32>,
    terminated: bool,
    rest: &'a str,
}

fn candidate(line: &str) -> Option<Candidate<'_>> {
    let caps = NUMBER
        .as_ref()
        .and_then(|re| re.captures(line))
        .or_else(|| NUMBER_GLUED.as_ref().and_then(|re| re.captures(line)))?;
    let n = caps.name("n")?.as_str();
    let mut number = Vec::new();
    for part in n.split('.') {
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        let v: u32 = part.parse().ok()?;
        if v == 0 || v > 999 {
            return None;
        }
        number.push(v);
    }
    Some(Candidate {
        number,
        terminated: caps.name("t").is_some(),
        rest: caps.name("rest").map_or("", |m| m.as_str()),
    })
}

/// Is `n` the next number after `prev` (a child `.1`, the next sibling, or the next of an
/// ancestor)? With `gap`, a skipped number (a typo in the numbering) is tolerated.
fn follows(prev: &[u32], n: &[u32], gap: u32) -> bool {
    if n.len() == prev.len() + 1 && n[..prev.len()] == *prev {
        return n[prev.len()] <= 1 + gap;
    }
    if n.is_empty() || n.len() > prev.len() {
        return false;
    }
    let k = n.len();
    n[..k - 1] == prev[..k - 1] && n[k - 1] > prev[k - 1] && n[k - 1] <= prev[k - 1] + 1 + gap
}

/// Splits the document into header, items and control clause.
pub fn layout(lines: &[String]) -> Layout {
    let mut out = Layout::default();
    let mut flat: Vec<Node> = Vec::new();
    let mut prev: Option<Vec<u32>> = None;
    let mut prev_ended = true;
    let mut blank_before = false;
    let mut in_control = false;
    let mut after_control: Vec<&str> = Vec::new();
    let mut control = String::new();

    for line in lines {
        let line = line.as_str();
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        if in_control {
            // The clause may wrap; anything after it that starts a new paragraph is not part.
            if after_control.is_empty()
                && !(ends_sentence(&control) && starts_like_sentence(line))
                && !blank_before
            {
                control.push(' ');
                control.push_str(line);
            } else {
                after_control.push(line);
            }
            blank_before = false;
            continue;
        }
        if let Some(c) = candidate(line) {
            let rest_lower = c.rest.chars().next().is_some_and(char::is_lowercase);
            let accept = match &prev {
                None => c.terminated || c.number.len() >= 2,
                Some(p) => {
                    let sentence_break = prev_ended || blank_before || !rest_lower;
                    (follows(p, &c.number, 0) && (c.terminated || sentence_break))
                        || (follows(p, &c.number, 5) && c.terminated && sentence_break)
                }
            };
            if accept {
                flat.push(Node {
                    number: c.number.clone(),
                    paragraphs: if c.rest.is_empty() {
                        Vec::new()
                    } else {
                        vec![c.rest.to_string()]
                    },
                    children: Vec::new(),
                });
                prev = Some(c.number);
                prev_ended = c.rest.is_empty() || ends_sentence(c.rest);
                blank_before = false;
                continue;
            }
        }
        let Some(node) = flat.last_mut() else {
            out.header.push(line.to_string());
            continue;
        };
        let new_paragraph = node.paragraphs.is_empty()
            || (starts_like_sentence(line) && (prev_ended || blank_before));
        if new_paragraph && is_control_clause(line) {
            in_control = true;
            control = line.to_string();
            blank_before = false;
            continue;
        }
        if new_paragraph {
            node.paragraphs.push(line.to_string());
        } else if let Some(last) = node.paragraphs.last_mut() {
            last.push(' ');
            last.push_str(line);
        }
        prev_ended = ends_sentence(line);
        blank_before = false;
    }
    if in_control {
        out.control = Some(control);
    }
    out.after_control = after_control.join("\n");
    out.items = nest(flat);
    out
}

/// Puts every node under the nearest earlier node whose number is a prefix of its own.
fn nest(flat: Vec<Node>) -> Vec<Node> {
    let mut roots: Vec<Node> = Vec::new();
    let mut stack: Vec<Node> = Vec::new();
    for node in flat {
        while let Some(top) = stack.last() {
            if node.number.len() > top.number.len() && node.number.starts_with(&top.number) {
                break;
            }
            if let Some(done) = stack.pop() {
                attach(&mut stack, &mut roots, done);
            }
        }
        stack.push(node);
    }
    while let Some(done) = stack.pop() {
        attach(&mut stack, &mut roots, done);
    }
    roots
}

fn attach(stack: &mut [Node], roots: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => roots.push(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(s: &str) -> Layout {
        layout(&crate::text::normalized_lines(s))
    }

    #[test]
    fn numbering_styles_and_nesting() {
        let l = lay("РЕШЕНИЕ\n1. О плане.\n1.1. Первый.\n1.2 Второй.\n1.3) Третий.\n1.3.1. Глубже.\n2. О другом.\n2.1. Текст.");
        assert_eq!(l.header, vec!["РЕШЕНИЕ"]);
        assert_eq!(l.items.len(), 2);
        let n: Vec<String> = l.items[0].children.iter().map(Node::number_text).collect();
        assert_eq!(n, vec!["1.1", "1.2", "1.3"]);
        assert_eq!(l.items[0].children[2].children[0].number_text(), "1.3.1");
    }

    #[test]
    fn header_dates_are_not_items() {
        let l = lay("РЕШЕНИЕ\n2 июня 2010 года\n02.06.2010\n1. О плане.\n1.1. Текст.");
        assert_eq!(l.header.len(), 3);
        assert_eq!(l.items.len(), 1);
    }

    #[test]
    fn wrapped_lines_and_paragraphs() {
        let l = lay("1. О плане.\n1.1. Информацию Секретариата о ходе\nВосемнадцатой сессии принять к сведению.\nСекретариату подготовить\n1.5 млн экземпляров.");
        let p = &l.items[0].children[0].paragraphs;
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0],
            "Информацию Секретариата о ходе Восемнадцатой сессии принять к сведению."
        );
        assert_eq!(p[1], "Секретариату подготовить 1.5 млн экземпляров.");
    }

    #[test]
    fn control_clause_is_cut_off() {
        let l = lay("1. О плане.\n1.1. Текст.\nКонтроль за выполнением решения возложить на\nПравление МАГ.\n\nПрезидент МАГ    Ю.М. Лужков");
        assert_eq!(l.items[0].children[0].paragraphs, vec!["Текст."]);
        assert_eq!(
            l.control.as_deref(),
            Some("Контроль за выполнением решения возложить на Правление МАГ.")
        );
        assert_eq!(l.after_control, "Президент МАГ Ю.М. Лужков");
    }

    #[test]
    fn a_skipped_number_is_tolerated_with_a_dot() {
        let l = lay("1. О плане.\n1.1. Текст.\n1.3. Ещё.");
        assert_eq!(l.items[0].children.len(), 2);
    }
}
