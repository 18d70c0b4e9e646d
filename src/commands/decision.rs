//! `megapolis decision …`: the command line of the decision parser (crate `megapolis-decisions`).
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use megapolis_decisions::{format_date, parse, read_bodies_csv, Decision, Section};

/// Decision commands.
#[derive(Debug, Subcommand)]
pub enum DecisionCommand {
    /// Parse the plain text of a session decision into its header, sections, items, assignments
    /// (executors, task, deadline, recurrence) and controller.
    ///
    /// `--format json` prints exactly the JSON of shared/spec/decision-text.md; `--format text`
    /// prints a readable summary with what the parser was unsure of. A text with no numbered
    /// items is refused with an error.
    Parse {
        /// The decision as a UTF-8 plain-text file (`-` reads standard input).
        file: PathBuf,
        /// Directory of bodies as CSV (id,kind,name_ru,name_en,short_ru,short_en); default: the
        /// directory built into megapolis (a copy of shared/examples/decisions/bodies.csv).
        #[arg(long, env = "MEGAPOLIS_BODIES")]
        bodies: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

/// How `decision parse` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The spec's JSON, pretty-printed.
    Json,
    /// A readable summary, with the parser's doubts.
    Text,
}

/// Run a decision command.
pub fn run(command: DecisionCommand) -> anyhow::Result<()> {
    match command {
        DecisionCommand::Parse {
            file,
            bodies,
            format,
        } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("reading standard input")?
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?
            };
            let bodies = match &bodies {
                Some(path) => {
                    let f = std::fs::File::open(path)
                        .with_context(|| format!("opening {}", path.display()))?;
                    read_bodies_csv(f).with_context(|| format!("in {}", path.display()))?
                }
                None => megapolis_decisions::default_bodies(),
            };
            let decision =
                parse(&text, &bodies).with_context(|| format!("parsing {}", file.display()))?;
            match format {
                Format::Json => println!("{}", decision.to_spec_json_pretty()),
                Format::Text => print!("{}", summary(&decision)),
            }
            Ok(())
        }
    }
}

/// A readable summary of a parsed decision.
pub fn summary(d: &Decision) -> String {
    let mut s = String::new();
    let none = "—";
    let _ = writeln!(s, "{}", d.title);
    let _ = writeln!(
        s,
        "Session: {} · {} · {} · language {}",
        d.session
            .number
            .map_or_else(|| none.to_string(), |n| format!("No. {n}")),
        d.session.date.map_or_else(|| none.to_string(), format_date),
        d.session.place.as_deref().unwrap_or(none),
        d.language.as_str()
    );
    let _ = writeln!(s, "Controller: {}", d.controller.as_deref().unwrap_or(none));
    let _ = writeln!(s, "\nItems:");
    for section in &d.items {
        section_summary(&mut s, section);
    }
    let _ = writeln!(s, "\nAssignments ({}):", d.assignments.len());
    for a in &d.assignments {
        let _ = writeln!(s, "  [{}] {} — {}", a.item, a.kind.as_str(), a.task);
        let _ = writeln!(s, "      lead: {}", a.lead.as_deref().unwrap_or(none));
        if !a.co_executors.is_empty() {
            let _ = writeln!(s, "      with: {}", a.co_executors.join("; "));
        }
        if a.deadline_text.is_some() || a.recurrence.is_some() {
            let _ = writeln!(
                s,
                "      deadline: {} ({}){}",
                a.deadline.map_or_else(|| none.to_string(), format_date),
                a.deadline_text.as_deref().unwrap_or(none),
                a.recurrence
                    .map(|r| format!(", {}", r.as_str()))
                    .unwrap_or_default()
            );
        }
        for f in &a.flags {
            let _ = writeln!(s, "      ! {}", f.code());
        }
    }
    if !d.warnings.is_empty() {
        let _ = writeln!(s, "\nWarnings:");
        for w in &d.warnings {
            let _ = writeln!(s, "  ! {w:?}");
        }
    }
    s
}

fn section_summary(s: &mut String, section: &Section) {
    let head = if section.heading.is_empty() {
        &section.text
    } else {
        &section.heading
    };
    let _ = writeln!(s, "  {}. {}", section.number, head);
    for item in &section.items {
        item_summary(s, item, 2);
    }
}

fn item_summary(s: &mut String, item: &megapolis_decisions::Item, depth: usize) {
    let first_line = item.text.lines().next().unwrap_or("");
    let _ = writeln!(s, "{}{} {}", "  ".repeat(depth), item.number, first_line);
    for child in &item.items {
        item_summary(s, child, depth + 1);
    }
}
