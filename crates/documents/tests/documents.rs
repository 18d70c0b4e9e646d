//! Documents read back: the XLSX through calamine; the PDF's header, and its text through
//! `pdftotext` when that tool is installed.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use megapolis_documents::{render_xlsx, Cell, Column, DocumentError, Row, Sheet};
use time::macros::date;

fn read_sheets(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn cities() -> Sheet {
    let mut sheet = Sheet::new("Города");
    sheet.title = Some("Города — члены МАГ".into());
    sheet.subtitle = Some("по состоянию на 25.11.2026".into());
    sheet.lines = vec![
        vec![Cell::Bold("Итого".into())],
        vec![Cell::from("Городов"), Cell::Number(2.0)],
    ];
    sheet.columns = vec![
        Column::new("Город").width(30.0).wrap(),
        Column::new("Население"),
        Column::new("Вступил"),
        Column::new("Доля"),
        Column::new("Столица"),
    ];
    sheet.rows = vec![
        Row::new(vec![
            Cell::from("Москва"),
            Cell::from(13_149_803.0),
            Cell::from(date!(2004 - 06 - 02)),
            Cell::Percent(0.75),
            Cell::from(true),
        ]),
        Row::new(vec![
            Cell::from("Санкт-Петербург «#*$»"),
            Cell::from(5_597_763.0),
            Cell::from(date!(1850 - 01 - 01)),
            Cell::Percent(0.25),
            Cell::from(false),
        ])
        .highlighted(),
        // A short row: the missing cells stay empty.
        Row::new(vec![Cell::from("Минск")]),
    ];
    sheet.landscape = true;
    sheet
}

#[test]
fn xlsx_reads_back_with_the_same_header_and_cells() {
    let mut plain = Sheet::new("Plain");
    plain.columns = vec![Column::new("A"), Column::new("B")];
    plain.rows = vec![Row::new(vec![Cell::from("x"), Cell::Number(1.5)])];

    let mut workbook = read_sheets(render_xlsx(&[cities(), plain]).unwrap());
    assert_eq!(workbook.sheet_names(), ["Города", "Plain"]);

    let range = workbook.worksheet_range("Города").unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(text(&range, 0, 0), "Города — члены МАГ");
    assert_eq!(text(&range, 1, 0), "по состоянию на 25.11.2026");
    // An empty row after the heading, then the lines, an empty row, the table.
    assert_eq!(text(&range, 2, 0), "");
    assert_eq!(text(&range, 3, 0), "Итого");
    assert_eq!(text(&range, 4, 0), "Городов");
    assert_eq!(range.get((4, 1)), Some(&Data::Float(2.0)));
    let header = 6;
    for (col, label) in ["Город", "Население", "Вступил", "Доля", "Столица"]
        .iter()
        .enumerate()
    {
        assert_eq!(&text(&range, header, col), label, "header column {col}");
    }
    assert_eq!(range.height() - header, 4);

    let first = header + 1;
    assert_eq!(text(&range, first, 0), "Москва");
    assert_eq!(range.get((first, 1)), Some(&Data::Float(13_149_803.0)));
    match range.get((first, 2)) {
        Some(Data::DateTime(d)) => assert_eq!(d.to_ymd_hms_milli(), (2004, 6, 2, 0, 0, 0, 0)),
        other => panic!("not a date cell: {other:?}"),
    }
    assert_eq!(range.get((first, 3)), Some(&Data::Float(0.75)));
    assert_eq!(range.get((first, 4)), Some(&Data::Bool(true)));
    assert_eq!(text(&range, first + 1, 0), "Санкт-Петербург «#*$»");
    // Before 1900 Excel has no dates: the date stays readable as text.
    assert_eq!(text(&range, first + 1, 2), "01.01.1850");
    assert_eq!(range.get((first + 1, 4)), Some(&Data::Bool(false)));
    assert_eq!(text(&range, first + 2, 0), "Минск");
    assert_eq!(text(&range, first + 2, 1), "");

    let range = workbook.worksheet_range("Plain").unwrap();
    // No heading: the header is the first row.
    assert_eq!(text(&range, 0, 0), "A");
    assert_eq!(text(&range, 0, 1), "B");
    assert_eq!(text(&range, 1, 0), "x");
    assert_eq!(range.get((1, 1)), Some(&Data::Float(1.5)));
}

#[test]
fn xlsx_of_a_sheet_without_a_table() {
    let mut sheet = Sheet::new("Note");
    sheet.title = Some("Only a title".into());
    let mut workbook = read_sheets(render_xlsx(&[sheet]).unwrap());
    let range = workbook.worksheet_range("Note").unwrap();
    assert_eq!(text(&range, 0, 0), "Only a title");
    assert_eq!(range.height(), 1);
}

#[test]
fn xlsx_errors_are_document_errors() {
    let err = render_xlsx(&[Sheet::new("same"), Sheet::new("same")]).unwrap_err();
    match err {
        DocumentError::Xlsx(message) => assert!(!message.is_empty()),
        other => panic!("{other:?}"),
    }
}

#[cfg(feature = "pdf")]
mod pdf {
    use std::process::Command;

    use megapolis_documents::{render_pdf, typst_str, Document, DocumentError};

    const CHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="10" y="40" width="40" height="60" fill="#4a78b5"/>
  <rect x="80" y="10" width="40" height="90" fill="#9c0006"/>
  <rect x="150" y="70" width="40" height="30" fill="#888888"/>
</svg>"##;

    fn markup(title: &str) -> String {
        format!(
            "#set text(lang: \"ru\", font: \"Libertinus Serif\")\n\
             #set page(paper: \"a4\")\n\
             = #{}\n\
             Исполнение решений сессий МАГ: #{}\n\
             #figure(image(\"chart.svg\", width: 60%), caption: [Диаграмма])\n",
            typst_str(title),
            typst_str("план «мероприятий» #set *жирный*"),
        )
    }

    /// The text of the PDF by `pdftotext`, or `None` (printed) when the tool is missing.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let path =
            std::env::temp_dir().join(format!("megapolis-documents-{}.pdf", std::process::id()));
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext").arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match out {
            Ok(out) => {
                assert!(out.status.success(), "pdftotext failed: {out:?}");
                Some(String::from_utf8(out.stdout).unwrap())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                println!("SKIPPED: pdftotext is not installed; text not checked");
                None
            }
            Err(e) => panic!("pdftotext: {e}"),
        }
    }

    #[test]
    fn pdf_of_cyrillic_markup_with_an_svg_chart() {
        let doc = Document::new(markup("Отчёт о мониторинге")).with_file("chart.svg", CHART);
        let pdf = render_pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        if let Some(text) = pdftotext(&pdf) {
            assert!(text.contains("Отчёт о мониторинге"), "{text}");
            assert!(text.contains("#set *жирный*"), "{text}");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = render_pdf(&Document::new(markup("Отчёт"))).unwrap_err();
        println!("{err}");
        let DocumentError::Typeset(messages) = &err else {
            panic!("{err:?}");
        };
        assert!(
            messages
                .iter()
                .any(|m| m.contains("main.typ:5:") && m.contains("chart.svg")),
            "{messages:?}"
        );
    }

    #[test]
    fn bad_markup_is_an_error_naming_the_problem() {
        let doc = Document::new("#set text(lang: \"ru\")\nПривет\n#no-such-function(1)\n");
        let err = render_pdf(&doc).unwrap_err();
        println!("{err}");
        let DocumentError::Typeset(messages) = &err else {
            panic!("{err:?}");
        };
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("main.typ:3:2: ") && m.contains("no-such-function")),
            "{messages:?}"
        );
        assert!(err.to_string().contains("no-such-function"), "{err}");

        // Unbalanced brackets: a syntax error, still a value.
        let err = render_pdf(&Document::new("#table(columns: 2, [a]")).unwrap_err();
        assert!(matches!(err, DocumentError::Typeset(_)), "{err:?}");
        // A typst panic in the markup.
        let err = render_pdf(&Document::new("#panic(\"stop\")")).unwrap_err();
        assert!(err.to_string().contains("stop"), "{err}");
    }

    #[test]
    fn packages_are_never_downloaded() {
        let doc = Document::new("#import \"@preview/cetz:0.3.4\": canvas\n");
        let err = render_pdf(&doc).unwrap_err();
        println!("{err}");
        assert!(
            err.to_string().contains("packages are not available"),
            "{err}"
        );
    }

    #[test]
    fn typ_files_can_be_imported() {
        let doc = Document::new("#import \"parts/head.typ\": head\n#head(\"Сертификат\")\n")
            .with_file(
                "parts/head.typ",
                "#let head(t) = text(size: 20pt, weight: \"bold\", t)",
            );
        let pdf = render_pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn bad_file_names_are_refused() {
        for name in ["../escape.svg", "main.typ"] {
            let doc = Document::new("x").with_file(name, CHART);
            let err = render_pdf(&doc).unwrap_err();
            assert!(matches!(err, DocumentError::FileName(_)), "{name}: {err:?}");
        }
    }
}
