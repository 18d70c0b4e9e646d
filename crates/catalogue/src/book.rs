//! The collection («сборник») of a competition's published results as typst markup: a title
//! page (association, competition, year), the contents by nomination with page numbers, one page
//! per awarded solution (its texts, figures, technologies, hardware, licence, owner city, the
//! cities using it, its address and a QR code of its public catalogue page) and an index of
//! cities (city → solutions, with page numbers). Every text is already in the book's language;
//! every user text enters the markup through [`typst_str`].
use megapolis_documents::{qr_svg, typst_str, Document};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The book's fixed words, in its language.
#[derive(Debug, Clone, Default)]
pub struct BookLabels {
    /// The subtitle of the title page, e.g. «Сборник лучших решений».
    pub collection: String,
    pub contents: String,
    pub index: String,
    pub problem: String,
    pub results: String,
    pub technologies: String,
    pub hardware: String,
    pub licence: String,
    pub owner: String,
    pub used_by: String,
    pub url: String,
    /// Beside a city's solution it uses but does not own, in the index.
    pub uses: String,
    /// For an empty list or field.
    pub none: String,
}

/// A book to typeset.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// `ru` or `en`: hyphenation and quotes follow it.
    pub lang: String,
    pub labels: BookLabels,
    pub association: String,
    pub title: String,
    pub year: i32,
    /// The nominations in the call's order, each with its awarded solutions.
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, Default)]
pub struct Chapter {
    pub nomination: String,
    pub solutions: Vec<BookSolution>,
}

/// One awarded solution's page.
#[derive(Debug, Clone, Default)]
pub struct BookSolution {
    pub title: String,
    /// «Победитель», «Лауреат».
    pub award: String,
    pub summary: String,
    pub problem: String,
    pub results: String,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    /// The owner city's name.
    pub owner: String,
    /// The names of the cities using it.
    pub used_by: Vec<String>,
    pub url: String,
    /// The absolute address of its public catalogue page, which its QR code holds.
    pub page_url: String,
}

/// Why a book cannot be put together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    #[error("no QR code can hold the address {0}")]
    Qr(String),
}

/// The solutions a city owns or uses: (its name, [(the solution's number in the book, uses)]),
/// by name with «ё» as «е», each city's solutions in book order.
pub fn city_index(book: &Book) -> Vec<(String, Vec<(usize, bool)>)> {
    let mut cities: BTreeMap<(String, String), Vec<(usize, bool)>> = BTreeMap::new();
    let solutions = book.chapters.iter().flat_map(|c| &c.solutions);
    for (n, solution) in solutions.enumerate() {
        let owner = std::iter::once((&solution.owner, false));
        let users = solution.used_by.iter().map(|city| (city, true));
        for (city, uses) in owner.chain(users) {
            if city.is_empty() {
                continue;
            }
            let key = (city.to_lowercase().replace('ё', "е"), city.to_string());
            let listed = cities.entry(key).or_default();
            if !listed.iter().any(|(m, _)| *m == n) {
                listed.push((n, uses));
            }
        }
    }
    cities
        .into_iter()
        .map(|((_, name), listed)| (name, listed))
        .collect()
}

/// The book's markup, with one QR code file (`qr/<n>.svg`) per solution beside it.
pub fn book_document(book: &Book) -> Result<Document, BookError> {
    let s = typst_str;
    let l = &book.labels;
    let mut m = String::with_capacity(4096 + 3072 * book.chapters.len());
    let mut files = Vec::new();
    let _ = writeln!(m, "#set document(title: {})", s(&book.title));
    m.push_str("#set page(paper: \"a4\", margin: (x: 20mm, top: 18mm, bottom: 20mm))\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 10.5pt, lang: \"{}\")",
        book.lang
    );
    m.push_str(concat!(
        "#show heading.where(level: 1): set text(size: 18pt, fill: rgb(\"#1f4e79\"))\n",
        "#show heading.where(level: 2): set text(size: 15pt)\n",
        "#let accent = rgb(\"#1f4e79\")\n",
        "#let fact(label, body) = block(above: 3.2mm, below: 0mm, breakable: true)[#text(weight: \"bold\", fill: accent, label) #linebreak() #body]\n",
        "#let pg(l) = context counter(page).at(l).first()\n",
    ));
    // The title page, without a page number.
    let _ = writeln!(
        m,
        "#page(numbering: none, align(center + horizon)[#text(size: 14pt, {})\n#v(16mm)\n#text(size: 26pt, weight: \"bold\", fill: accent, {})\n#v(8mm)\n#text(size: 16pt, {})\n#v(4mm)\n#text(size: 14pt, {})])",
        s(&book.association),
        s(&book.title),
        s(&l.collection),
        s(&book.year.to_string()),
    );
    m.push_str("#set page(numbering: \"1\")\n#set par(justify: true)\n");
    let _ = writeln!(m, "#outline(title: {}, depth: 2)", s(&l.contents));
    let list = |items: &[String]| {
        if items.is_empty() {
            l.none.clone()
        } else {
            items.join(", ")
        }
    };
    let or_none = |text: &str| {
        if text.trim().is_empty() {
            l.none.clone()
        } else {
            text.to_string()
        }
    };
    let mut n = 0usize;
    for chapter in &book.chapters {
        let _ = writeln!(
            m,
            "#pagebreak(weak: true)\n#heading(level: 1, {})",
            s(&chapter.nomination)
        );
        for (i, solution) in chapter.solutions.iter().enumerate() {
            if i > 0 {
                m.push_str("#pagebreak()\n");
            }
            let qr = qr_svg(&solution.page_url)
                .ok_or_else(|| BookError::Qr(solution.page_url.clone()))?;
            let file = format!("qr/{n}.svg");
            let _ = writeln!(m, "#heading(level: 2, {}) <sol-{n}>", s(&solution.title));
            let _ = writeln!(
                m,
                "#text(fill: luma(80), {} + \" · \" + {})",
                s(&solution.award),
                s(&solution.owner)
            );
            let _ = writeln!(
                m,
                "#grid(columns: (1fr, 36mm), column-gutter: 8mm, {}, align(center, stack(spacing: 1.5mm, image({}, width: 34mm), text(size: 7pt, {}))))",
                s(&or_none(&solution.summary)),
                s(&file),
                s(&solution.page_url)
            );
            let facts = [
                (&l.problem, or_none(&solution.problem)),
                (&l.results, or_none(&solution.results)),
                (&l.technologies, list(&solution.technologies)),
                (&l.hardware, list(&solution.hardware)),
                (&l.licence, or_none(&solution.licence)),
                (&l.owner, or_none(&solution.owner)),
                (&l.used_by, list(&solution.used_by)),
                (&l.url, or_none(&solution.url)),
            ];
            for (label, value) in facts {
                let _ = writeln!(m, "#fact({}, {})", s(label), s(&value));
            }
            files.push((file, qr.into_bytes()));
            n += 1;
        }
    }
    let _ = writeln!(
        m,
        "#pagebreak(weak: true)\n#heading(level: 1, {})\n#columns(2)[#set par(justify: false, hanging-indent: 4mm)\n#set text(size: 9.5pt)",
        s(&l.index)
    );
    let titles: Vec<&str> = book
        .chapters
        .iter()
        .flat_map(|c| &c.solutions)
        .map(|sol| sol.title.as_str())
        .collect();
    for (city, listed) in city_index(book) {
        let _ = writeln!(m, "#block(above: 4mm, below: 1.6mm, strong({}))", s(&city));
        for (n, uses) in listed {
            let mark = if uses {
                format!(" + \" (\" + {} + \")\"", s(&l.uses))
            } else {
                String::new()
            };
            let _ = writeln!(
                m,
                "#block(above: 1.6mm, below: 1.6mm)[#({}{mark}) #box(width: 1fr, repeat[.]) #pg(<sol-{n}>)]",
                s(titles.get(n).copied().unwrap_or_default()),
            );
        }
    }
    m.push_str("]\n");
    let mut document = Document::new(m);
    document.files = files;
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solution(title: &str, owner: &str, used_by: &[&str]) -> BookSolution {
        BookSolution {
            title: title.into(),
            award: "Winner".into(),
            owner: owner.into(),
            used_by: used_by.iter().map(|c| c.to_string()).collect(),
            page_url: format!("https://megapolis.example/catalogue/{}", title.len()),
            ..Default::default()
        }
    }

    fn book() -> Book {
        Book {
            lang: "ru".into(),
            title: "Конкурс #1 *жирный*".into(),
            year: 2026,
            chapters: vec![
                Chapter {
                    nomination: "Транспорт".into(),
                    solutions: vec![
                        solution("Светофоры", "Минск", &["Ереван", "Баку"]),
                        solution("Парковки", "Ереван", &[]),
                    ],
                },
                Chapter {
                    nomination: "Услуги".into(),
                    solutions: vec![solution("Ёлка онлайн", "Баку", &["Минск", "Минск"])],
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn the_index_lists_owners_and_users_by_name_once_each() {
        let index = city_index(&book());
        assert_eq!(
            index,
            vec![
                ("Баку".to_string(), vec![(0, true), (2, false)]),
                ("Ереван".to_string(), vec![(0, true), (1, false)]),
                ("Минск".to_string(), vec![(0, false), (2, true)]),
            ]
        );
    }

    #[test]
    fn each_solution_has_its_qr_code_and_user_text_stays_text() {
        let document = book_document(&book()).expect("a document");
        let names: Vec<&str> = document.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["qr/0.svg", "qr/1.svg", "qr/2.svg"]);
        assert!(document.markup.contains("\"Конкурс #1 *жирный*\""));
        assert!(document.markup.contains("#pg(<sol-2>)"));
    }

    #[test]
    fn an_address_too_long_for_a_qr_code_is_refused_by_name() {
        let mut book = book();
        book.chapters[0].solutions[0].page_url = "x".repeat(8000);
        assert!(matches!(book_document(&book), Err(BookError::Qr(_))));
    }

    #[test]
    fn the_book_typesets() {
        let pdf = megapolis_documents::render_pdf(&book_document(&book()).expect("markup"))
            .expect("a PDF");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
