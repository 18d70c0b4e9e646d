//! The report read back: the XLSX through calamine, the PDF through `pdftotext` when present.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use megapolis_reports::{to_xlsx, ExecutionReport, Labels, ReportRow};
use time::macros::date;

/// A task whose text is full of typst and XML special characters.
const TRICKY_TASK: &str = "Подготовить «план» #set page(width: 1pt) *bold* _x_ $x$ [a] @ref <label> \\ \"q\" 'a' & < > ~ -- ---";
const RUSSIAN_TASK: &str = "Секретариату МАГ подготовить план мероприятий";
const ENGLISH_TASK: &str = "Prepare the annual plan of events";

fn row(item: &str, task: &str) -> ReportRow {
    ReportRow {
        decision: "Сессия 18, 2 июня 2010 г.".into(),
        item: item.into(),
        task: task.into(),
        lead: "Секретариат МАГ".into(),
        co_executors: "Москва, Санкт-Петербург".into(),
        deadline: Some(date!(2026 - 12 - 01)),
        deadline_text: String::new(),
        state: "В работе".into(),
        overdue: false,
        progress: 40,
        last_report: String::new(),
        returned: false,
    }
}

fn report() -> ExecutionReport {
    let mut overdue = row("2.1", TRICKY_TASK);
    overdue.overdue = true;
    overdue.deadline = Some(date!(2025 - 03 - 15));
    overdue.state = "Новое".into();
    overdue.progress = 0;
    overdue.last_report = "Отчёт от 01.10.2025: ведётся работа".into();
    let mut no_date = row("3", ENGLISH_TASK);
    no_date.deadline = None;
    no_date.deadline_text = "к следующей сессии".into();
    no_date.lead = String::new();
    no_date.co_executors = String::new();
    no_date.progress = 100;
    no_date.state = "Выполнено".into();
    ExecutionReport {
        title: "Исполнение решений сессий МАГ".into(),
        subtitle: "по состоянию на 25.11.2026".into(),
        labels: Labels::russian(),
        totals: vec![
            ("Новое".into(), 1),
            ("В работе".into(), 1),
            ("Выполнено".into(), 1),
        ],
        rows: vec![row("1.2", RUSSIAN_TASK), overdue, no_date],
    }
}

fn sheet(bytes: Vec<u8>) -> calamine::Range<Data> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), ["Report"]);
    workbook.worksheet_range("Report").unwrap()
}

fn text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

#[test]
fn xlsx_reads_back() {
    let report = report();
    let range = sheet(to_xlsx(&report).unwrap());
    // calamine starts the range at the first used cell: A1 holds the title.
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(text(&range, 0, 0), report.title);
    assert_eq!(text(&range, 1, 0), report.subtitle);

    let header = (0..range.height())
        .find(|&r| text(&range, r, 0) == report.labels.decision)
        .expect("a header row");
    let l = &report.labels;
    let expected = [
        &l.decision,
        &l.item,
        &l.task,
        &l.lead,
        &l.co_executors,
        &l.deadline,
        &l.state,
        &l.progress,
        &l.overdue,
        &l.last_report,
    ];
    for (col, label) in expected.iter().enumerate() {
        assert_eq!(&&text(&range, header, col), label, "header column {col}");
    }
    // The table is the header plus one line per row, and ends the sheet.
    assert_eq!(range.height() - header, report.rows.len() + 1);

    // Totals above the table, counts as numbers.
    let totals = (0..header)
        .find(|&r| text(&range, r, 0) == l.totals)
        .expect("a totals block");
    assert_eq!(text(&range, totals + 1, 0), "Новое");
    assert_eq!(range.get((totals + 1, 1)), Some(&Data::Float(1.0)));

    let first = header + 1;
    assert_eq!(text(&range, first, 2), RUSSIAN_TASK);
    assert_eq!(text(&range, first + 1, 2), TRICKY_TASK);
    assert_eq!(text(&range, first + 2, 2), ENGLISH_TASK);
    assert_eq!(text(&range, first, 1), "1.2");

    match range.get((first, 5)) {
        Some(Data::DateTime(d)) => {
            assert!(d.is_datetime());
            assert_eq!(d.to_ymd_hms_milli(), (2026, 12, 1, 0, 0, 0, 0));
        }
        other => panic!("the deadline is not a date cell: {other:?}"),
    }
    assert_eq!(text(&range, first + 2, 5), "к следующей сессии");
    assert_eq!(range.get((first, 7)), Some(&Data::Float(0.4)));
    assert_eq!(range.get((first + 2, 7)), Some(&Data::Float(1.0)));
    assert_eq!(range.get((first, 8)), Some(&Data::Bool(false)));
    assert_eq!(range.get((first + 1, 8)), Some(&Data::Bool(true)));
    assert_eq!(
        text(&range, first + 1, 9),
        "Отчёт от 01.10.2025: ведётся работа"
    );
}

#[test]
fn xlsx_of_an_empty_report() {
    let report = ExecutionReport {
        title: "Execution of session decisions".into(),
        subtitle: String::new(),
        labels: Labels::english(),
        totals: Vec::new(),
        rows: Vec::new(),
    };
    let range = sheet(to_xlsx(&report).unwrap());
    let header = (0..range.height())
        .find(|&r| text(&range, r, 0) == "Decision")
        .expect("a header row");
    assert_eq!(range.height() - header, 1);
}

/// Two decisions whose rows come interleaved, a row with no lead executor and a returned report.
fn grouped_report() -> ExecutionReport {
    let mut report = report();
    let mut other = row("4.1", "Provide the figures of open data portals");
    other.decision = "Session 19: On open data".into();
    let mut returned = row("4.2", "Collect the cities' answers on the survey");
    returned.decision = other.decision.clone();
    returned.returned = true;
    returned.last_report = "Answers of 12 cities collected".into();
    report.rows.insert(1, other);
    report.rows.push(returned);
    report
}

#[test]
fn xlsx_labels_a_missing_lead_and_marks_a_returned_report() {
    let report = grouped_report();
    let range = sheet(to_xlsx(&report).unwrap());
    let header = (0..range.height())
        .find(|&r| text(&range, r, 0) == report.labels.decision)
        .expect("a header row");
    let row_of = |task: &str| {
        (header + 1..range.height())
            .find(|&r| text(&range, r, 2) == task)
            .unwrap_or_else(|| panic!("a row for {task}"))
    };
    // The decision stays a column, to filter by.
    assert_eq!(
        text(&range, row_of(RUSSIAN_TASK), 0),
        "Сессия 18, 2 июня 2010 г."
    );
    assert_eq!(
        text(&range, row_of(ENGLISH_TASK), 3),
        "Исполнитель не назван"
    );
    assert_eq!(text(&range, row_of(RUSSIAN_TASK), 3), "Секретариат МАГ");
    let returned = row_of("Collect the cities' answers on the survey");
    assert_eq!(text(&range, returned, 6), "В работе (Отчёт возвращён)");
    assert_eq!(text(&range, returned, 9), "Answers of 12 cities collected");
    assert_eq!(text(&range, row_of(RUSSIAN_TASK), 6), "В работе");
}

#[cfg(feature = "pdf")]
mod pdf {
    use std::process::Command;

    use megapolis_reports::to_pdf;

    use super::*;

    /// The text of the PDF by `pdftotext -layout`, or `None` (printed) when the tool is missing.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let dir = std::env::temp_dir().join(format!("megapolis-reports-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{:x}.pdf", pdf.len()));
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext").arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match out {
            Ok(out) => {
                assert!(out.status.success(), "pdftotext failed: {out:?}");
                Some(String::from_utf8(out.stdout).unwrap())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                println!(
                    "SKIPPED: pdftotext is not installed (Debian poppler-utils); text not checked"
                );
                None
            }
            Err(e) => panic!("pdftotext: {e}"),
        }
    }

    /// pdftotext may break lines inside a table cell and adds hyphenation: compare words only.
    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn contains_words(haystack: &str, needle: &str) -> bool {
        let hay: String = haystack
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
            .collect();
        let needle: String = needle
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        hay.contains(&needle)
    }

    /// How often `needle` occurs, spaces and hyphenation aside.
    fn count_words(haystack: &str, needle: &str) -> usize {
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
                .collect()
        };
        squeeze(haystack).matches(&squeeze(needle)).count()
    }

    #[test]
    fn pdf_renders_russian_english_and_special_characters() {
        let report = report();
        let pdf = to_pdf(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        let Some(text) = pdftotext(&pdf) else {
            return;
        };
        let flat = words(&text);
        assert!(flat.contains("Исполнение решений сессий МАГ"), "{flat}");
        assert!(contains_words(&text, RUSSIAN_TASK), "{flat}");
        assert!(contains_words(&text, ENGLISH_TASK), "{flat}");
        // Typst markup in the task is shown literally, not interpreted.
        for piece in [
            "#set page(width: 1pt)",
            "*bold*",
            "_x_",
            "$x$",
            "[a]",
            "@ref",
            "<label>",
            "\\",
            "\"q\"",
        ] {
            assert!(contains_words(&text, piece), "{piece} missing in {flat}");
        }
        assert!(contains_words(&text, "Просрочено"), "{flat}");
        assert!(contains_words(&text, "01.12.2026"), "{flat}");
        assert!(contains_words(&text, "к следующей сессии"), "{flat}");
    }

    #[test]
    fn pdf_in_english_and_of_an_empty_report() {
        let mut report = report();
        report.title = "Execution of session decisions".into();
        report.labels = Labels::english();
        let pdf = to_pdf(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"));

        report.rows.clear();
        report.totals.clear();
        let pdf = to_pdf(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn pdf_survives_hostile_text_everywhere() {
        let hostile = "#panic(\"x\") ] ) } \" \\ $ ` ``` /* // <a> @b = - + 1. \u{0} \u{7} \r\n\t";
        let mut report = report();
        report.title = hostile.into();
        report.subtitle = hostile.into();
        report.labels.totals = hostile.into();
        report.labels.overdue = hostile.into();
        report.totals = vec![(hostile.into(), u64::MAX)];
        for row in &mut report.rows {
            row.decision = hostile.into();
            row.item = hostile.into();
            row.task = hostile.into();
            row.lead = hostile.into();
            row.state = hostile.into();
            row.deadline_text = hostile.into();
            row.deadline = None;
            row.last_report = hostile.into();
            row.progress = 255;
            row.overdue = true;
        }
        let pdf = to_pdf(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let xlsx = to_xlsx(&report).unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }

    #[test]
    fn pdf_with_many_rows_repeats_the_header() {
        let mut report = report();
        let base = report.rows[0].clone();
        report.rows = (0..120)
            .map(|i| ReportRow {
                item: format!("{}.{}", i / 10 + 1, i % 10 + 1),
                ..base.clone()
            })
            .collect();
        let pdf = to_pdf(&report).unwrap();
        let Some(text) = pdftotext(&pdf) else {
            return;
        };
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() > 1, "expected several pages");
        for page in pages {
            assert!(
                page.contains(&report.labels.task),
                "header missing on a page"
            );
        }
    }

    #[test]
    fn pdf_names_each_decision_once_labels_a_missing_lead_and_marks_a_returned_report() {
        let report = grouped_report();
        let pdf = to_pdf(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let Some(text) = pdftotext(&pdf) else {
            return;
        };
        let flat = words(&text);
        for decision in ["Сессия 18, 2 июня 2010 г.", "Session 19: On open data"] {
            assert_eq!(count_words(&text, decision), 1, "{decision} in {flat}");
        }
        // The first decision's rows come under its heading, the interleaved row moved after them.
        let first = flat.find("Сессия 18").unwrap();
        let second = flat.find("Session 19").unwrap();
        assert!(first < second, "{flat}");
        assert!(
            flat.find("Prepare the annual plan").unwrap() < second,
            "{flat}"
        );
        assert!(contains_words(&text, "Исполнитель не назван"), "{flat}");
        assert_eq!(count_words(&text, "Отчёт возвращён"), 1, "{flat}");
    }
}
