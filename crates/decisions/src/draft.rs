//! The draft of a decision under review: the parser's proposal as text fields a person corrects,
//! and the rules that turn the corrected draft into a [`NewDecision`] or say which fields are
//! wrong. The web import form is a view of a [`Draft`]; nothing here knows of HTTP.
use crate::record::{items_of, NewAppendix, NewDecision, SessionInfo};
use crate::{format_date, AssignmentFlag, Decision, Directory};
use megapolis_assignments::{AssignmentKind, Doubt, Executor, NewAssignment, Recurrence};
use megapolis_domain::file::NewFile;
use megapolis_domain::Body;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// How many appendix rows a draft offers.
pub const APPENDIX_SLOTS: usize = 3;
/// More assignment rows than this in one draft is not a real decision.
pub const MAX_ROWS: usize = 2000;

/// A decision's draft as text, exactly as shown for review and as sent back.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Draft {
    pub source: String,
    pub number: String,
    pub date: String,
    pub place: String,
    pub title: String,
    pub language: String,
    /// A body id, or "" with `controller_name` for a controller not in the directory.
    pub controller: String,
    pub controller_name: String,
    pub published: bool,
    pub assignments: Vec<DraftRow>,
    pub appendices: Vec<DraftAppendix>,
}

/// One assignment of a draft.
#[derive(Debug, Clone, Serialize, Default)]
pub struct DraftRow {
    pub item: String,
    pub kind: String,
    pub task: String,
    pub lead: String,
    pub lead_name: String,
    /// One per line.
    pub co_executors: String,
    pub deadline: String,
    pub deadline_text: String,
    pub recurrence: String,
    pub exclude: bool,
    /// What the parser (or the check of the corrected row) is unsure of.
    pub flags: Vec<AssignmentFlag>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DraftAppendix {
    pub title: String,
    pub link: String,
}

/// Field errors of a draft: field name (`number`, `a3_deadline`, `ap0_link`) → message key.
pub type DraftErrors = BTreeMap<String, &'static str>;

fn iso(date: Option<Date>) -> String {
    date.map(format_date).unwrap_or_default()
}

/// `YYYY-MM-DD`, nothing else.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() != 10 {
        return None;
    }
    Date::parse(text, format).ok()
}

/// A body's id, or a name as written in the directory's form of it.
fn split_executor(id: &Option<String>, name: &Option<String>) -> (String, String) {
    match (id, name) {
        (Some(id), _) => (id.clone(), String::new()),
        (None, Some(name)) => (String::new(), name.clone()),
        (None, None) => (String::new(), String::new()),
    }
}

impl Draft {
    /// The draft as the parser proposes it.
    pub fn of(parsed: &Decision, source: &str) -> Draft {
        let (controller, controller_name) =
            split_executor(&parsed.controller_id, &parsed.controller);
        Draft {
            source: source.to_string(),
            number: parsed
                .session
                .number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            date: iso(parsed.session.date),
            place: parsed.session.place.clone().unwrap_or_default(),
            title: parsed.title.clone(),
            language: parsed.language.as_str().to_string(),
            controller,
            controller_name,
            published: false,
            assignments: parsed
                .assignments
                .iter()
                .map(|a| {
                    let (lead, lead_name) = split_executor(&a.lead_id, &a.lead);
                    DraftRow {
                        item: a.item.clone(),
                        kind: a.kind.as_str().to_string(),
                        task: a.task.clone(),
                        lead,
                        lead_name,
                        co_executors: a.co_executors.join("\n"),
                        deadline: iso(a.deadline),
                        deadline_text: a.deadline_text.clone().unwrap_or_default(),
                        recurrence: a
                            .recurrence
                            .map(|r| r.as_str().to_string())
                            .unwrap_or_default(),
                        exclude: false,
                        flags: a.flags.clone(),
                    }
                })
                .collect(),
            appendices: vec![DraftAppendix::default(); APPENDIX_SLOTS],
        }
    }

    /// Checks the corrected draft and builds the decision to save. Every row's flags are
    /// recomputed from the corrected values (shown again when the draft comes back) and saved
    /// with the assignment as doubts: an executor not in the directory is kept as named.
    /// `appendix_files[i]` is the file chosen for appendix row `i`, if any.
    pub fn confirm(
        &mut self,
        parsed: &Decision,
        bodies: &[Body],
        directory: &Directory,
        appendix_files: &[Option<NewFile>],
    ) -> Result<NewDecision, DraftErrors> {
        let mut errors = DraftErrors::new();
        let number = match self.number.parse::<i64>() {
            Ok(n) if n > 0 => n,
            _ => {
                errors.insert("number".into(), "decisions-error-session-number");
                0
            }
        };
        let date = optional_date(&self.date, "date".into(), &mut errors);
        if self.place.is_empty() {
            errors.insert("place".into(), "error-required");
        }
        if self.title.is_empty() {
            errors.insert("title".into(), "error-required");
        }
        if !matches!(self.language.as_str(), "ru" | "en") {
            errors.insert("language".into(), "error-choice");
        }
        let resolver = Resolver::new(bodies, directory, &self.language);
        let controller = resolver.chosen(
            &self.controller,
            &self.controller_name,
            "controller".into(),
            &mut errors,
        );
        let mut assignments = Vec::new();
        for (i, row) in self.assignments.iter_mut().enumerate() {
            if let Some(assignment) = row.confirm(i, &resolver, &mut errors) {
                assignments.push(assignment);
            }
        }
        let mut appendices = Vec::new();
        for (i, appendix) in self.appendices.iter().enumerate() {
            let file = appendix_files.get(i).cloned().flatten();
            if let Some(appendix) = appendix.confirm(i, file, &mut errors) {
                appendices.push(appendix);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewDecision {
            session: SessionInfo {
                number,
                date,
                place: self.place.clone(),
            },
            title: self.title.clone(),
            language: self.language.clone(),
            source_text: self.source.clone(),
            controller,
            published: self.published,
            items: items_of(parsed),
            appendices,
            assignments,
        })
    }
}

fn optional_date(text: &str, field: String, errors: &mut DraftErrors) -> Option<Date> {
    if text.is_empty() {
        return None;
    }
    let date = parse_iso_date(text);
    if date.is_none() {
        errors.insert(field, "error-date");
    }
    date
}

impl DraftRow {
    /// The row as an assignment (None when excluded), its flags recomputed; errors are added
    /// under `a{index}_{field}`.
    fn confirm(
        &mut self,
        index: usize,
        resolver: &Resolver<'_>,
        errors: &mut DraftErrors,
    ) -> Option<NewAssignment> {
        self.flags.clear();
        if self.exclude {
            return None;
        }
        let field = |name: &str| format!("a{index}_{name}");
        if self.item.is_empty() {
            errors.insert(field("item"), "error-required");
        }
        if self.task.is_empty() {
            errors.insert(field("task"), "error-required");
        }
        let kind = self.kind.parse::<AssignmentKind>().unwrap_or_else(|_| {
            errors.insert(field("kind"), "error-choice");
            AssignmentKind::Assignment
        });
        let lead = resolver.chosen(&self.lead, &self.lead_name, field("lead"), errors);
        if self.lead.is_empty() && self.lead_name.is_empty() {
            self.flags.push(AssignmentFlag::NoExecutor);
        }
        let co_executors: Vec<Executor> = self
            .co_executors
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| resolver.named(l))
            .collect();
        for executor in lead.iter().chain(co_executors.iter()) {
            if executor.body_id.is_none() {
                self.flags.push(AssignmentFlag::ExecutorNotInDirectory {
                    name: executor.name.clone(),
                });
            }
        }
        let deadline = optional_date(&self.deadline, field("deadline"), errors);
        if deadline.is_none() && !self.deadline_text.is_empty() {
            self.flags.push(AssignmentFlag::DeadlineUnreadable {
                text: self.deadline_text.clone(),
            });
        }
        let recurrence = if self.recurrence.is_empty() {
            None
        } else {
            self.recurrence
                .parse::<Recurrence>()
                .map_err(|_| errors.insert(field("recurrence"), "error-choice"))
                .ok()
        };
        let mut doubts: Vec<Doubt> = self.flags.iter().map(AssignmentFlag::doubt).collect();
        doubts.dedup();
        Some(NewAssignment {
            item: self.item.clone(),
            kind,
            task: self.task.clone(),
            lead,
            co_executors,
            deadline,
            deadline_text: Some(self.deadline_text.clone()).filter(|t| !t.is_empty()),
            recurrence,
            doubts,
        })
    }
}

impl DraftAppendix {
    fn confirm(
        &self,
        index: usize,
        file: Option<NewFile>,
        errors: &mut DraftErrors,
    ) -> Option<NewAppendix> {
        let link = Some(self.link.clone()).filter(|l| !l.is_empty());
        if self.title.is_empty() {
            if link.is_some() || file.is_some() {
                errors.insert(format!("ap{index}_title"), "error-required");
            }
            return None;
        }
        if let Some(link) = &link {
            let local = link.starts_with('/') && !link.starts_with("//");
            let web = link.starts_with("https://") || link.starts_with("http://");
            if !local && !web {
                errors.insert(format!("ap{index}_link"), "decisions-error-link");
            }
        }
        if link.is_none() && file.is_none() {
            errors.insert(format!("ap{index}_link"), "decisions-error-appendix-empty");
        }
        Some(NewAppendix {
            title: self.title.clone(),
            link,
            file,
        })
    }
}

/// Finds bodies by id, or by a name in any language and (through the parser's directory) in any
/// grammatical case.
pub struct Resolver<'a> {
    bodies: &'a [Body],
    directory: &'a Directory,
    english: bool,
}

fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['«', '»', '"', '“', '”'], "")
        .to_lowercase()
}

impl<'a> Resolver<'a> {
    pub fn new(bodies: &'a [Body], directory: &'a Directory, language: &str) -> Self {
        Resolver {
            bodies,
            directory,
            english: language == "en",
        }
    }

    pub fn by_id(&self, id: &str) -> Option<&'a Body> {
        self.bodies.iter().find(|b| b.id.as_str() == id)
    }

    pub fn by_name(&self, name: &str) -> Option<&'a Body> {
        if let Some(body) = self.by_id(name.trim()) {
            return Some(body);
        }
        let wanted = folded(name);
        if wanted.is_empty() {
            return None;
        }
        self.bodies
            .iter()
            .find(|b| {
                [&b.name_ru, &b.name_en, &b.short_ru, &b.short_en]
                    .iter()
                    .any(|n| !n.is_empty() && folded(n) == wanted)
            })
            .or_else(|| {
                let found = self.directory.resolve(name)?;
                let id = &self.directory.body(found)?.id;
                self.by_id(id)
            })
    }

    /// A body as an executor, named in the document's language.
    pub fn executor(&self, body: &Body) -> Executor {
        Executor {
            body_id: Some(body.id.clone()),
            name: if self.english {
                body.name_en.clone()
            } else {
                body.name_ru.clone()
            },
        }
    }

    /// A name as written: a body when it names one, else kept as named.
    pub fn named(&self, name: &str) -> Executor {
        match self.by_name(name) {
            Some(body) => self.executor(body),
            None => Executor {
                body_id: None,
                name: name.trim().to_string(),
            },
        }
    }

    /// The executor a form chose: a body by `id` (an unknown id is an error under `field`), or
    /// else `name` as written, or nobody.
    pub fn chosen(
        &self,
        id: &str,
        name: &str,
        field: String,
        errors: &mut DraftErrors,
    ) -> Option<Executor> {
        if !id.is_empty() {
            let body = self.by_id(id);
            if body.is_none() {
                errors.insert(field, "decisions-error-unknown-body");
            }
            body.map(|b| self.executor(b))
        } else if !name.is_empty() {
            Some(self.named(name))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(parse_iso_date("2026-02-28").is_some());
        assert!(parse_iso_date("2026-02-31").is_none());
        assert!(parse_iso_date("2026-2-3").is_none());
        assert!(parse_iso_date("31.12.2026").is_none());
    }
}
