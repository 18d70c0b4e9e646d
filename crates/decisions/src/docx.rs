//! Plain text of a Word document (.docx), to feed the decision parser.
//!
//! Bytes in, text out: no file I/O. Only `word/document.xml` is read (the body; headers,
//! footers, footnotes and comments are left out). Each paragraph (`<w:p>`) becomes one line,
//! its text runs (`<w:t>`) concatenated; `<w:tab/>` becomes `'\t'`, `<w:br/>` and `<w:cr/>`
//! become `'\n'`; table cells' paragraphs each become a line, in reading order. Deleted text
//! of tracked changes (`<w:delText>`) and field codes (`<w:instrText>`) are skipped.
//!
//! **Numbering that Word generates automatically (list numbers such as «1.», «1.1.» set through
//! `<w:numPr>`) is lost**: it is not in the text of the document. Decisions whose items are
//! numbered that way need their numbers typed, or must be saved as text from Word.
//!
//! ```
//! # use megapolis_decisions::docx::{plain_text, DocxError};
//! assert!(matches!(plain_text(b"not a zip"), Err(DocxError::NotZip(_))));
//! ```

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use zip::result::ZipError;
use zip::ZipArchive;

/// The largest uncompressed `word/document.xml` accepted (20 MiB): a guard against zip bombs.
pub const MAX_DOCUMENT_XML: u64 = 20 * 1024 * 1024;

const DOCUMENT_XML: &str = "word/document.xml";
/// WordprocessingML, transitional and strict.
const W_NS: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility: `mc:Fallback` repeats the content of `mc:Choice`.
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Why no text could be read from the bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// The bytes are not a zip archive, so not a .docx.
    #[error("the file is not a .docx document (not a zip archive): {0}")]
    NotZip(String),
    /// A zip archive without `word/document.xml`.
    #[error("the archive has no word/document.xml: it is not a Word document")]
    NotWordDocument,
    /// The archive could be opened but `word/document.xml` could not be unpacked.
    #[error("the Word document is damaged: {0}")]
    Damaged(String),
    /// `word/document.xml` is not well-formed XML (or not UTF-8).
    #[error("the Word document is damaged: word/document.xml is not well-formed XML: {0}")]
    MalformedXml(String),
    /// `word/document.xml` is larger than the limit when unpacked.
    #[error("the Word document is too large: its text part exceeds {limit} bytes unpacked")]
    TooLarge { limit: u64 },
}

/// The text of a .docx: one line per paragraph (see the module documentation).
pub fn plain_text(bytes: &[u8]) -> Result<String, DocxError> {
    plain_text_limited(bytes, MAX_DOCUMENT_XML)
}

fn plain_text_limited(bytes: &[u8], limit: u64) -> Result<String, DocxError> {
    let xml = document_xml(bytes, limit)?;
    text_of_document_xml(&xml)
}

/// Unpacks `word/document.xml`, refusing it when its declared or actual size exceeds `limit`.
fn document_xml(bytes: &[u8], limit: u64) -> Result<Vec<u8>, DocxError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            DocxError::NotZip(
                "this is an old .doc or a password-protected document; save it as .docx".into(),
            )
        } else {
            DocxError::NotZip(e.to_string())
        }
    })?;
    let file = match archive.by_name(DOCUMENT_XML) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Err(DocxError::NotWordDocument),
        Err(e) => return Err(DocxError::Damaged(e.to_string())),
    };
    if file.size() > limit {
        return Err(DocxError::TooLarge { limit });
    }
    let capacity = usize::try_from(file.size()).unwrap_or(0);
    read_limited(file, limit, capacity)
}

/// Reads at most `limit` bytes; more is [`DocxError::TooLarge`] (the declared size may lie).
fn read_limited(reader: impl Read, limit: u64, capacity: usize) -> Result<Vec<u8>, DocxError> {
    let mut out = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DocxError::Damaged(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(DocxError::TooLarge { limit });
    }
    Ok(out)
}

/// Where the reader is inside the document.
#[derive(Default)]
struct State {
    /// Open paragraphs: a text box inside a paragraph holds paragraphs of its own.
    paragraphs: Vec<String>,
    lines: Vec<String>,
    /// Open `<w:t>` elements.
    in_text: usize,
    /// Open `<w:r>` elements (a `<w:tab>` outside a run is a tab stop definition).
    in_run: usize,
    /// Depth of the `mc:Fallback` being skipped, if any.
    skip_from: Option<usize>,
    depth: usize,
}

impl State {
    fn push(&mut self, s: &str) {
        if self.in_text == 0 {
            return;
        }
        if let Some(p) = self.paragraphs.last_mut() {
            // Word shows a line end inside <w:t> as a space.
            p.extend(
                s.chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
        }
    }

    fn push_char(&mut self, c: char) {
        if self.in_run == 0 {
            return;
        }
        if let Some(p) = self.paragraphs.last_mut() {
            p.push(c);
        }
    }

    fn start(&mut self, w: bool, mc: bool, local: &str) {
        self.depth += 1;
        if self.skip_from.is_some() {
            return;
        }
        if mc && local == "Fallback" {
            self.skip_from = Some(self.depth);
            return;
        }
        if !w {
            return;
        }
        match local {
            "p" => self.paragraphs.push(String::new()),
            "t" => self.in_text += 1,
            "r" => self.in_run += 1,
            _ => self.empty(true, local),
        }
    }

    fn end(&mut self, w: bool, local: &str) {
        if let Some(from) = self.skip_from {
            if from == self.depth {
                self.skip_from = None;
            }
            self.depth = self.depth.saturating_sub(1);
            return;
        }
        self.depth = self.depth.saturating_sub(1);
        if !w {
            return;
        }
        match local {
            "p" => {
                if let Some(p) = self.paragraphs.pop() {
                    self.lines.push(p);
                }
            }
            "t" => self.in_text = self.in_text.saturating_sub(1),
            "r" => self.in_run = self.in_run.saturating_sub(1),
            _ => {}
        }
    }

    /// An element without content (`<w:tab/>`), or the start of one that has none to us.
    fn empty(&mut self, w: bool, local: &str) {
        if self.skip_from.is_some() || !w {
            return;
        }
        match local {
            "p" => self.lines.push(String::new()),
            "tab" | "ptab" => self.push_char('\t'),
            "br" | "cr" => self.push_char('\n'),
            "noBreakHyphen" => self.push_char('-'),
            _ => {}
        }
    }
}

/// The text of `word/document.xml`, one line per paragraph.
fn text_of_document_xml(xml: &[u8]) -> Result<String, DocxError> {
    let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
    let xml =
        std::str::from_utf8(xml).map_err(|e| DocxError::MalformedXml(format!("not UTF-8: {e}")))?;
    let mut reader = NsReader::from_str(xml);
    let mut state = State::default();
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| DocxError::MalformedXml(e.to_string()))?;
        let (w, mc) = match ns {
            ResolveResult::Bound(ns) => (W_NS.contains(&ns.0), ns.0 == MC_NS),
            _ => (false, false),
        };
        match event {
            Event::Start(e) => state.start(w, mc, e.local_name().as_ref()),
            Event::Empty(e) => state.empty(w, e.local_name().as_ref()),
            Event::End(e) => state.end(w, e.local_name().as_ref()),
            Event::Text(t) => {
                let text = t.xml10_content();
                state.push(&text);
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                state.push(&text);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&r.xml10_content()).ok_or_else(|| {
                        DocxError::MalformedXml(format!("unknown entity &{};", r.xml10_content()))
                    })?,
                    Err(e) => return Err(DocxError::MalformedXml(e.to_string())),
                };
                state.push(c.encode_utf8(&mut [0; 4]));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if state.depth != 0 {
        return Err(DocxError::MalformedXml(
            "the document ends before its elements are closed".into(),
        ));
    }
    Ok(state.lines.join("\n"))
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;
    use zip::write::SimpleFileOptions;
    use zip::ZipWriter;

    use super::*;

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in files {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", &document(body)),
        ])
    }

    const BODY: &str = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>РЕШЕНИЕ</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">1.1. Секретариату МАГ </w:t></w:r><w:r><w:t>до 1 мая 2010 года</w:t></w:r><w:r><w:tab/><w:t>подготовить план &amp; смету &lt;проект&gt; &#171;итог&#187;.</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:t>Строка</w:t><w:br/><w:t>вторая</w:t></w:r><w:r><w:delText>удалено</w:delText></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ячейка 1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Ячейка 2</w:t></w:r></w:p><w:p><w:r><w:t>Ячейка 2, абзац 2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>выбор</w:t></mc:Choice><mc:Fallback><w:t>запасной</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;

    #[test]
    fn paragraphs_tabs_breaks_and_tables() {
        let text = plain_text(&docx(BODY)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "РЕШЕНИЕ",
                "1.1. Секретариату МАГ до 1 мая 2010 года\tподготовить план & смету <проект> «итог».",
                "",
                "Строка",
                "вторая",
                "Ячейка 1",
                "Ячейка 2",
                "Ячейка 2, абзац 2",
                "выбор",
            ]
        );
    }

    #[test]
    fn the_text_feeds_the_parser() {
        let body = "<w:p><w:r><w:t>РЕШЕНИЕ</w:t></w:r></w:p>\
            <w:p><w:r><w:t>Первой сессии</w:t></w:r></w:p>\
            <w:p><w:r><w:t>1 марта 2010 года</w:t></w:r></w:p>\
            <w:p><w:r><w:t>1. О плане.</w:t></w:r></w:p>\
            <w:p><w:r><w:t>1.1. Секретариату МАГ до 1 мая 2010 года подготовить план.</w:t></w:r></w:p>";
        let text = plain_text(&docx(body)).unwrap();
        let decision = crate::parse(&text, &crate::default_bodies()).unwrap();
        assert_eq!(
            decision.assignments[0].lead.as_deref(),
            Some("Секретариат МАГ")
        );
    }

    #[test]
    fn random_bytes_are_not_a_zip() {
        assert!(matches!(
            plain_text(b"\x00\x01garbage\xff"),
            Err(DocxError::NotZip(_))
        ));
        assert!(matches!(plain_text(b""), Err(DocxError::NotZip(_))));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        match plain_text(&ole) {
            Err(DocxError::NotZip(reason)) => assert!(reason.contains(".doc")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zip_without_document_xml_is_not_a_word_document() {
        let bytes = zip_of(&[("[Content_Types].xml", CONTENT_TYPES), ("a.txt", "hello")]);
        assert_eq!(plain_text(&bytes), Err(DocxError::NotWordDocument));
    }

    #[test]
    fn malformed_xml_is_reported() {
        for xml in [
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p></w:body></w:document>",
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:t>&nbsp;</w:t></w:document>",
        ] {
            let bytes = zip_of(&[("word/document.xml", xml)]);
            assert!(
                matches!(plain_text(&bytes), Err(DocxError::MalformedXml(_))),
                "{xml}"
            );
        }
        let bytes = zip_of(&[("word/document.xml", "\u{feff}")]);
        assert_eq!(plain_text(&bytes), Ok(String::new()));
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<a>\xff\xfe</a>").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(matches!(
            plain_text(&bytes),
            Err(DocxError::MalformedXml(_))
        ));
    }

    #[test]
    fn too_large_documents_are_refused() {
        let bytes = docx(&"<w:p><w:r><w:t>слово</w:t></w:r></w:p>".repeat(100));
        assert!(plain_text(&bytes).is_ok());
        assert_eq!(
            plain_text_limited(&bytes, 1024),
            Err(DocxError::TooLarge { limit: 1024 })
        );
        // The declared size may lie: reading stops at the limit all the same.
        let data = vec![b'x'; 2000];
        assert_eq!(
            read_limited(Cursor::new(&data), 1000, 10),
            Err(DocxError::TooLarge { limit: 1000 })
        );
        assert_eq!(
            read_limited(Cursor::new(&data), 2000, 0).unwrap().len(),
            2000
        );
    }

    #[test]
    fn a_damaged_entry_is_reported() {
        let mut bytes = docx(&"<w:p><w:r><w:t>слово слово</w:t></w:r></w:p>".repeat(50));
        // Corrupt the compressed data of word/document.xml, leaving the directory intact.
        let name = b"word/document.xml";
        let at = bytes.windows(name.len()).position(|w| w == name).unwrap() + name.len() + 8;
        for b in &mut bytes[at..at + 40] {
            *b ^= 0x5A;
        }
        assert!(matches!(
            plain_text(&bytes),
            Err(DocxError::Damaged(_) | DocxError::MalformedXml(_))
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = plain_text(&bytes);
        }

        #[test]
        fn damaged_docx_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut bytes = docx(BODY);
            let len = bytes.len();
            for (at, x) in flips {
                bytes[at % len] ^= x;
            }
            let _ = plain_text(&bytes);
        }

        #[test]
        fn arbitrary_xml_text_never_panics(xml in "[<>/a-z:=\"&;# \\-\u{0430}-\u{044f}]{0,200}") {
            let _ = text_of_document_xml(xml.as_bytes());
        }
    }
}
