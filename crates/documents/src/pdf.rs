//! A [`Document`] as PDF: an in-process typst with a minimal [`World`] that serves the main
//! markup, the document's extra files and the fonts embedded by typst-assets. Nothing is read
//! from disk or downloaded; packages (`@preview/…`) are refused with a diagnostic.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::{Document, DocumentError};

/// The path of the main markup.
const MAIN: &str = "/main.typ";

/// Typesets the document and exports it as PDF.
///
/// Errors: [`DocumentError::Typeset`] when the markup does not compile (each message names the
/// file, line and column), [`DocumentError::PdfExport`] when the export fails,
/// [`DocumentError::FileName`] when an extra file's name is not a relative path.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let world = DocumentWorld::new(doc)?;
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = compiled
        .map_err(|diags| DocumentError::Typeset(messages(&world, &diags)))
        .and_then(|document| {
            let options = PdfOptions {
                creator: Smart::Custom(Some("Megapolis".to_string())),
                ..PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options)
                .map_err(|diags| DocumentError::PdfExport(messages(&world, &diags)))
        });
    // typst memoises across compilations in a global cache: drop what older runs left.
    typst::comemo::evict(2);
    result
}

/// One readable line per error: `file:line:column: message (hint: …)`.
fn messages(world: &DocumentWorld, diags: &[SourceDiagnostic]) -> Vec<String> {
    let errors: Vec<&SourceDiagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    // Should typst ever fail with warnings only, keep them rather than say nothing.
    let shown = if errors.is_empty() {
        diags.iter().collect()
    } else {
        errors
    };
    shown
        .into_iter()
        .map(|d| {
            let mut m = String::new();
            if let Some(place) = place(world, d.span) {
                let _ = write!(m, "{place}: ");
            }
            m.push_str(&d.message);
            for hint in &d.hints {
                let _ = write!(m, " (hint: {})", hint.v);
            }
            m
        })
        .collect()
}

/// `main.typ:3:5` (line and column from 1) for a span in a source file.
fn place(world: &DocumentWorld, span: DiagSpan) -> Option<String> {
    let id = span.id()?;
    let name = id.vpath().get_without_slash().to_string();
    let position = world.range(span).and_then(|range| {
        let source = world.source(id).ok()?;
        source.lines().byte_to_line_column(range.start)
    });
    Some(match position {
        Some((line, column)) => format!("{name}:{}:{}", line + 1, column + 1),
        None => name,
    })
}

/// The fonts bundled with typst (Libertinus Serif, New Computer Modern, DejaVu Sans Mono, …),
/// parsed once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// The main source and the document's extra files; no other file exists.
struct DocumentWorld {
    main: Source,
    /// Extra `.typ` files, parsed.
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
}

impl DocumentWorld {
    fn new(doc: &Document) -> Result<Self, DocumentError> {
        let main = Source::new(file_id(MAIN)?, doc.markup.clone());
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        for (name, contents) in &doc.files {
            // Relative to the main file, which lies at the root.
            let id = file_id(&format!("/{}", name.trim_start_matches('/')))?;
            if id == main.id() {
                return Err(DocumentError::FileName(format!(
                    "{name:?} is the main markup's own name"
                )));
            }
            if id.vpath().extension() == Some("typ") {
                if let Ok(text) = std::str::from_utf8(contents) {
                    sources.insert(id, Source::new(id, text.to_string()));
                }
            }
            files.insert(id, Bytes::new(contents.clone()));
        }
        Ok(Self {
            main,
            sources,
            files,
        })
    }
}

fn file_id(path: &str) -> Result<FileId, DocumentError> {
    let vpath =
        VirtualPath::new(path).map_err(|e| DocumentError::FileName(format!("{path:?}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

fn missing(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(_) => FileError::Package(PackageError::Other(Some(
            "packages are not available: documents use typst's built-in library only".into(),
        ))),
        VirtualRoot::Project => FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())),
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if let Some(source) = self.sources.get(&id) {
            Ok(source.clone())
        } else if self.files.contains_key(&id) {
            Err(if id.vpath().extension() == Some("typ") {
                FileError::InvalidUtf8
            } else {
                FileError::NotSource
            })
        } else {
            Err(missing(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            self.files.get(&id).cloned().ok_or_else(|| missing(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
