//! One paragraph → a resolution (nothing), a recommendation or an assignment: executors, task,
//! deadline.
use std::sync::LazyLock;

use regex::Regex;
use time::Date;

use crate::deadline::{self, FoundDeadline};
use crate::directory::Directory;
use crate::lexicon::{self, is_infinitive_ru};
use crate::model::{Assignment, AssignmentFlag, AssignmentKind, Language};
use crate::text::{cut_out, fold_case, tidy, words};

/// What the analysis needs besides the paragraph.
pub struct Context<'a> {
    pub directory: &'a Directory,
    pub language: Language,
    pub date: Option<Date>,
}

/// A name found in an executor list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The canonical name (directory) or the name as found (nominative when clear).
    pub name: String,
    pub body: Option<String>,
}

/// Reads a paragraph of item `item`. `None` for a resolution or a statement.
pub fn analyse(paragraph: &str, item: &str, index: usize, cx: &Context<'_>) -> Option<Assignment> {
    let p = paragraph.trim();
    if p.is_empty() || crate::structure::is_control_clause(p) {
        return None;
    }
    let found = deadline::find(p, cx.language, cx.date);
    let parts = match cx.language {
        Language::Ru => russian(p, found.as_ref(), cx)?,
        Language::En => english(p, found.as_ref(), cx)?,
    };
    Some(finish(parts, found, item, index))
}

struct Parts {
    kind: AssignmentKind,
    executors: Vec<Named>,
    task: String,
}

fn finish(parts: Parts, found: Option<FoundDeadline>, item: &str, index: usize) -> Assignment {
    let mut flags = Vec::new();
    let mut executors = parts.executors.into_iter();
    let lead = executors.next();
    let co: Vec<Named> = executors.collect();
    match &lead {
        None => flags.push(AssignmentFlag::NoExecutor),
        Some(n) if n.body.is_none() => flags.push(AssignmentFlag::ExecutorNotInDirectory {
            name: n.name.clone(),
        }),
        Some(_) => {}
    }
    for c in co.iter().filter(|c| c.body.is_none()) {
        flags.push(AssignmentFlag::ExecutorNotInDirectory {
            name: c.name.clone(),
        });
    }
    let (deadline, recurrence, deadline_text) = match found {
        Some(f) => {
            if f.date.is_none() {
                flags.push(AssignmentFlag::DeadlineUnreadable {
                    text: f.text.clone(),
                });
            }
            (f.date, f.recurrence, Some(f.text))
        }
        None => (None, None, None),
    };
    Assignment {
        item: item.to_string(),
        kind: parts.kind,
        lead_id: lead.as_ref().and_then(|l| l.body.clone()),
        lead: lead.map(|l| l.name),
        co_executor_ids: co.iter().map(|c| c.body.clone()).collect(),
        co_executors: co.into_iter().map(|c| c.name).collect(),
        task: parts.task,
        deadline,
        recurrence,
        deadline_text,
        paragraph: index,
        flags,
    }
}

/// The text of `p[from..]` without the deadline phrase, tidied, without the final full stop.
fn task_text(p: &str, from: usize, found: Option<&FoundDeadline>) -> String {
    let slice = p.get(from..).unwrap_or("");
    let cut: Vec<(usize, usize)> = found
        .filter(|f| f.start >= from)
        .map(|f| (f.start - from, f.end - from))
        .into_iter()
        .collect();
    let t = cut_out(slice, &cut);
    strip_full_stop(&t)
}

fn strip_full_stop(s: &str) -> String {
    let s = s.trim_end();
    let s = s.strip_suffix('.').unwrap_or(s);
    let last = s.rsplit(' ').next().unwrap_or("");
    // Keep the point of an abbreviation («и т.д.», «г.»).
    if matches!(last, "т.д" | "т.п" | "г" | "гг" | "etc") {
        return format!("{s}.");
    }
    s.trim_end_matches([',', ';', ':', ' ']).to_string()
}

/// `p[a..b]` without the deadline phrase where it falls inside.
fn without_deadline(p: &str, a: usize, b: usize, found: Option<&FoundDeadline>) -> String {
    let slice = p.get(a..b).unwrap_or("");
    let cut: Vec<(usize, usize)> = found
        .filter(|f| f.start >= a && f.end <= b)
        .map(|f| (f.start - a, f.end - a))
        .into_iter()
        .collect();
    cut_out(slice, &cut)
}

fn inside(found: Option<&FoundDeadline>, a: usize, b: usize) -> bool {
    found.is_some_and(|f| a >= f.start && b <= f.end)
}

fn russian(p: &str, found: Option<&FoundDeadline>, cx: &Context<'_>) -> Option<Parts> {
    let ws = words(p);
    let (fa, fb) = *ws.first()?;
    let first = fold_case(&p[fa..fb]);
    let second = ws.get(1).map(|(a, b)| fold_case(&p[*a..*b]));
    let (kind, explicit, rest) = if lexicon::RECOMMEND_VERBS_RU.contains(&first.as_str()) {
        (AssignmentKind::Recommendation, true, fb)
    } else if lexicon::INSTRUCT_VERBS_RU.contains(&first.as_str()) {
        (AssignmentKind::Assignment, true, fb)
    } else if lexicon::RESOLUTION_VERBS_RU.contains(&first.as_str())
        && !(first == "принять" && matches!(second.as_deref(), Some("меры" | "участие")))
    {
        return None;
    } else {
        (AssignmentKind::Assignment, false, 0)
    };
    // The task verb: the first infinitive after the head verb, outside the deadline phrase.
    let verb = ws
        .iter()
        .filter(|(a, b)| *a >= rest && !inside(found, *a, *b))
        .find(|(a, b)| is_infinitive_ru(&p[*a..*b]))
        .map(|(a, _)| *a);
    let Some(verb) = verb else {
        if !explicit {
            // No predicate at all: a statement, not a task.
            return None;
        }
        // «Поручить Секретариату МАГ подготовку доклада»: the named bodies, then the task.
        let spans = cx.directory.spans(&p[rest..]);
        let end = spans.last().map_or(rest, |s| rest + s.end);
        let executors = names(&without_deadline(p, rest, end, found), cx);
        return Some(Parts {
            kind,
            executors,
            task: task_text(p, end, found),
        });
    };
    let verb_word = ws
        .iter()
        .find(|(a, _)| *a == verb)
        .map(|(a, b)| fold_case(&p[*a..*b]))
        .unwrap_or_default();
    let pre = without_deadline(p, rest, verb, found);
    let pre_starts_with_body = cx
        .directory
        .spans(&pre)
        .first()
        .is_some_and(|s| s.start == 0);
    if !explicit
        && lexicon::RESOLUTION_VERBS_RU.contains(&verb_word.as_str())
        && !pre_starts_with_body
    {
        // «Информацию … принять к сведению».
        return None;
    }
    if pre.is_empty() {
        return Some(Parts {
            kind,
            executors: Vec::new(),
            task: task_text(p, verb, found),
        });
    }
    // Co-executors after «совместно с».
    let joint = find_word_phrase(&pre, lexicon::JOINT_MARKERS_RU);
    let (lead_part, co_part) = match joint {
        Some((a, b)) => (&pre[..a], &pre[b..]),
        None => (pre.as_str(), ""),
    };
    // An adverbial opening («По итогам конкурса …») is not an executor.
    let lead_words = words(lead_part);
    let opens_with_preposition = lead_words
        .first()
        .is_some_and(|(a, b)| lexicon::is_preposition_ru(&lead_part[*a..*b]));
    let lead_part = if opens_with_preposition {
        match cx.directory.spans(lead_part).first() {
            Some(s) => &lead_part[s.start..],
            None => "",
        }
    } else {
        lead_part
    };
    let mut executors = names(lead_part, cx);
    executors.extend(names(co_part, cx));
    if !explicit
        && !executors.is_empty()
        && executors.iter().all(|e| e.body.is_none())
        && !looks_dative(lead_part)
    {
        // «Проект плана доработать»: an object before the verb, not an executor.
        return Some(Parts {
            kind,
            executors: Vec::new(),
            task: task_text(p, 0, found),
        });
    }
    Some(Parts {
        kind,
        executors,
        task: task_text(p, verb, found),
    })
}

/// Does a Russian name begin with a word in the dative or instrumental (or an abbreviation)?
fn looks_dative(s: &str) -> bool {
    let Some((a, b)) = words(s).first().copied() else {
        return false;
    };
    let w = &s[a..b];
    if w.chars().all(|c| !c.is_lowercase()) {
        return true;
    }
    let w = fold_case(w);
    [
        "у", "ю", "е", "и", "ам", "ям", "ом", "ем", "ой", "ей", "ым", "им", "ами", "ями",
    ]
    .iter()
    .any(|e| w.ends_with(e))
}

/// Finds the earliest of some lower-case phrases at word boundaries in a text, ignoring case;
/// the byte range is in the original text (lower-casing may change byte lengths, so offsets are
/// mapped back).
fn find_word_phrase(text: &str, phrases: &[&str]) -> Option<(usize, usize)> {
    let mut lower = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    let mut buf = [0u8; 4];
    for (i, c) in text.char_indices() {
        let before = lower.len();
        if c.is_ascii() || matches!(c, 'А'..='я' | 'Ё' | 'ё') {
            lower.push_str(&fold_case(c.encode_utf8(&mut buf)));
        } else {
            lower.extend(c.to_lowercase());
        }
        origin.extend(std::iter::repeat_n(i, lower.len() - before));
    }
    origin.push(text.len());
    let mut best: Option<(usize, usize)> = None;
    for phrase in phrases {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|rest| rest.find(phrase)) {
            let at = from + i;
            let end = at + phrase.len();
            let before_ok = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !crate::text::is_word_char(c));
            let after_ok = lower[end..]
                .chars()
                .next()
                .is_none_or(|c| !crate::text::is_word_char(c));
            if before_ok && after_ok {
                if let (Some(&a), Some(&b)) = (origin.get(at), origin.get(end)) {
                    if text.is_char_boundary(a) && text.is_char_boundary(b) && a <= b {
                        if best.is_none_or(|(x, _)| a < x) {
                            best = Some((a, b));
                        }
                        break;
                    }
                }
            }
            from = end;
        }
    }
    best
}

static SEPARATOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[,;]\s*(?:(?:и|а\s+также|and|as\s+well\s+as)\s+)?|\s+(?:и|а\s+также|and|as\s+well\s+as|&)\s+").ok()
});

/// Splits an executor list into names and resolves each against the directory. Commas always
/// separate; «и» / "and" only when what follows is a body of the directory or starts with a
/// capital letter («Министерству экономики и финансов» stays one name).
pub fn names(part: &str, cx: &Context<'_>) -> Vec<Named> {
    let part = crate::text::trim_punct(part);
    if part.is_empty() {
        return Vec::new();
    }
    let spans = cx.directory.spans(part);
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    if let Some(re) = SEPARATOR.as_ref() {
        for m in re.find_iter(part) {
            if spans
                .iter()
                .any(|s| m.start() >= s.start && m.end() <= s.end)
            {
                continue;
            }
            let has_comma = m.as_str().contains([',', ';']);
            let next = lexicon::strip_article_en(&part[m.end()..]);
            let next_at = part.len() - next.len();
            let next_is_name = next.chars().next().is_some_and(char::is_uppercase)
                || spans.iter().any(|s| s.start == next_at);
            if has_comma || next_is_name {
                cuts.push((m.start(), m.end()));
            }
        }
    }
    let mut pieces = Vec::new();
    let mut pos = 0;
    for (a, b) in cuts {
        pieces.push((pos, a));
        pos = b;
    }
    pieces.push((pos, part.len()));
    pieces
        .into_iter()
        .filter_map(|(a, b)| {
            let raw = crate::text::trim_punct(part.get(a..b)?);
            if raw.is_empty() {
                return None;
            }
            // «…, до 5 числа,» or "…, in due course,": an adverbial piece, not a name.
            let first = raw.split_whitespace().next().unwrap_or("");
            let adverbial = match cx.language {
                Language::Ru => lexicon::is_preposition_ru(first),
                Language::En => lexicon::is_preposition_en(first),
            };
            if adverbial && cx.directory.resolve(raw).is_none() {
                return None;
            }
            Some(named(
                raw,
                a + (part[a..b].len() - part[a..b].trim_start().len()),
                &spans,
                cx,
            ))
        })
        .collect()
}

fn named(raw: &str, offset: usize, spans: &[crate::directory::Span], cx: &Context<'_>) -> Named {
    let directory = cx.directory;
    let body = directory.resolve(raw).or_else(|| {
        // A body followed by an adverbial tail («Секретариату МАГ в установленном порядке»).
        let bare = lexicon::strip_article_en(raw);
        let lead_at = offset + (raw.len() - bare.len());
        spans.iter().find(|s| s.start == lead_at).map(|s| s.body)
    });
    if let Some(b) = body {
        if let Some(name) = directory.name(b, cx.language) {
            return Named {
                name: name.to_string(),
                body: directory.body(b).map(|b| b.id.clone()),
            };
        }
    }
    let name = match cx.language {
        Language::En => lexicon::strip_article_en(raw).to_string(),
        Language::Ru => {
            let trimmed = cut_adverbial_tail(raw);
            crate::nominative::to_nominative_ru(trimmed).unwrap_or_else(|| trimmed.to_string())
        }
    };
    Named {
        name: tidy(&name),
        body: None,
    }
}

/// Drops an adverbial tail from an unknown Russian name: «… в установленном порядке».
fn cut_adverbial_tail(s: &str) -> &str {
    let ws = words(s);
    for w in ws.windows(2).skip(1) {
        let (a, b) = w[0];
        let (na, _) = w[1];
        let word = fold_case(&s[a..b]);
        let next_lower = s[na..].chars().next().is_some_and(char::is_lowercase);
        if matches!(word.as_str(), "в" | "во" | "при" | "на" | "до") && next_lower {
            return s[..a].trim_end();
        }
    }
    s
}

static EN_MARKER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let alternatives: Vec<String> = lexicon::SUBJECT_MARKERS_EN
        .iter()
        .map(|(m, _)| m.replace(' ', r"\s+"))
        .collect();
    Regex::new(&format!(r"(?i)\b(?:{})\b", alternatives.join("|"))).ok()
});
static EN_TO: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)(?:^|[\s,])to\s+").ok());
static EN_WITH: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|[\s,])with\s+").ok());

fn english(p: &str, found: Option<&FoundDeadline>, cx: &Context<'_>) -> Option<Parts> {
    let ws = words(p);
    let (fa, fb) = *ws.first()?;
    let first = fold_case(&p[fa..fb]);
    let recommend = lexicon::RECOMMEND_VERBS_EN.contains(&first.as_str());
    let instruct = lexicon::INSTRUCT_VERBS_EN.contains(&first.as_str());
    if recommend || instruct {
        let kind = if recommend {
            AssignmentKind::Recommendation
        } else {
            AssignmentKind::Assignment
        };
        let mut rest = fb;
        // "Call upon X to …", "Recommend that X shall …"
        if let Some((a, b)) = ws.get(1) {
            let w = fold_case(&p[*a..*b]);
            if matches!(w.as_str(), "upon" | "on") {
                rest = *b;
            }
            if w == "that" {
                if let Some(mut parts) = english_subject(p, *b, found, cx) {
                    parts.kind = kind;
                    return Some(parts);
                }
                // "Recommend that the Board review …": the named body, then the task.
                let after = &p[*b..];
                let lead = lexicon::strip_article_en(after.trim_start());
                let at = *b + (after.len() - lead.len());
                let spans = cx.directory.spans(&p[at..]);
                let end = spans
                    .first()
                    .filter(|s| s.start == 0)
                    .map_or(at, |s| at + s.end);
                return Some(Parts {
                    kind,
                    executors: names(&without_deadline(p, at, end, found), cx),
                    task: task_text(p, end, found),
                });
            }
        }
        let spans = cx.directory.spans(&p[rest..]);
        // "Charge X with …" names the task after "with"; the others after "to".
        let to_re = if first == "charge" { &EN_WITH } else { &EN_TO };
        let to = to_re.as_ref().and_then(|re| {
            re.find_iter(&p[rest..])
                .find(|m| {
                    !spans
                        .iter()
                        .any(|s| m.start() >= s.start && m.start() < s.end)
                })
                .filter(|m| !inside(found, rest + m.start(), rest + m.end()))
        });
        let Some(to) = to else {
            return Some(Parts {
                kind,
                executors: Vec::new(),
                task: task_text(p, rest, found),
            });
        };
        let subject = without_deadline(p, rest, rest + to.start(), found);
        return Some(Parts {
            kind,
            executors: subject_names(&subject, cx),
            task: task_text(p, rest + to.end(), found),
        });
    }
    if lexicon::RESOLUTION_VERBS_EN.contains(&first.as_str()) {
        return None;
    }
    if let Some(parts) = english_subject(p, 0, found, cx) {
        return Some(parts);
    }
    if matches!(
        first.as_str(),
        "the" | "a" | "an" | "this" | "these" | "it" | "there" | "mag" | "session" | "all"
    ) || lexicon::is_preposition_en(&first) && !has_verb_after_comma(p)
    {
        return None;
    }
    // "Continue the monitoring …": a task with no executor.
    Some(Parts {
        kind: AssignmentKind::Assignment,
        executors: Vec::new(),
        task: task_text(p, 0, found),
    })
}

fn has_verb_after_comma(p: &str) -> bool {
    p.contains(',')
}

/// "X[, jointly with Y,] shall …" from byte `from`.
fn english_subject(
    p: &str,
    from: usize,
    found: Option<&FoundDeadline>,
    cx: &Context<'_>,
) -> Option<Parts> {
    let slice = p.get(from..)?;
    let m = EN_MARKER.as_ref()?.find_iter(slice).find(|m| {
        !inside(found, from + m.start(), from + m.end()) && !slice[..m.start()].trim().is_empty()
    })?;
    let marker = fold_case(m.as_str())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let recommendation = lexicon::SUBJECT_MARKERS_EN
        .iter()
        .any(|(k, r)| *k == marker && *r);
    let subject = without_deadline(p, from, from + m.start(), found);
    let first = words(&subject)
        .first()
        .map(|(a, b)| fold_case(&subject[*a..*b]))
        .unwrap_or_default();
    if lexicon::is_preposition_en(&first) || matches!(first.as_str(), "it" | "this" | "there") {
        return None;
    }
    Some(Parts {
        kind: if recommendation {
            AssignmentKind::Recommendation
        } else {
            AssignmentKind::Assignment
        },
        executors: subject_names(&subject, cx),
        task: task_text(p, from + m.end(), found),
    })
}

/// The lead list and the co-executors after "jointly with" / "together with".
fn subject_names(subject: &str, cx: &Context<'_>) -> Vec<Named> {
    let joint = find_word_phrase(subject, lexicon::JOINT_MARKERS_EN);
    let (lead, co) = match joint {
        Some((a, b)) => (&subject[..a], &subject[b..]),
        None => (subject, ""),
    };
    let mut out = names(lead, cx);
    out.extend(names(co, cx));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodies::default_bodies;
    use time::macros::date;

    fn run(p: &str, language: Language) -> Option<Assignment> {
        let d = Directory::new(&default_bodies());
        let cx = Context {
            directory: &d,
            language,
            date: Some(date!(2010 - 06 - 02)),
        };
        analyse(p, "1.1", 0, &cx)
    }

    #[test]
    fn object_before_verb_is_not_an_executor() {
        let a = run("Проект плана доработать с учетом замечаний.", Language::Ru).expect("task");
        assert_eq!(a.lead, None);
        assert_eq!(a.task, "Проект плана доработать с учетом замечаний");
    }

    #[test]
    fn adverbial_opening_is_dropped_from_executors() {
        let a = run(
            "По итогам конкурса Секретариату МАГ издать сборник.",
            Language::Ru,
        )
        .expect("task");
        assert_eq!(a.lead.as_deref(), Some("Секретариат МАГ"));
        assert_eq!(a.task, "издать сборник");
        let a = run(
            "По итогам конкурса издать сборник лучших работ.",
            Language::Ru,
        )
        .expect("task");
        assert_eq!(a.lead, None);
        assert_eq!(a.task, "издать сборник лучших работ");
        assert_eq!(a.flags, vec![AssignmentFlag::NoExecutor]);
    }

    #[test]
    fn and_inside_unknown_name_does_not_split() {
        let a = run(
            "Министерству экономики и финансов подготовить отчет.",
            Language::Ru,
        )
        .expect("task");
        assert_eq!(a.lead.as_deref(), Some("Министерство экономики и финансов"));
        assert!(a.co_executors.is_empty());
    }

    #[test]
    fn statements_are_not_assignments() {
        assert_eq!(
            run("Сессия отмечает рост числа участников.", Language::Ru),
            None
        );
        assert_eq!(run("The session notes the growth.", Language::En), None);
    }
}
