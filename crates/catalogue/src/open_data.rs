//! The catalogue as other programs read it: CSV, each solution as a `publiccode.yml` (the Italian
//! standard Developers Italia and Joinup read, version 0.4), and the whole catalogue as ADMS-AP
//! in RDF Turtle, so Joinup-style catalogues can harvest it; the catalogue as a workbook sheet
//! (the web layer writes it as XLSX).
use crate::solution::Solution;
use megapolis_documents::{Cell, Column, Row, Sheet};
use std::collections::BTreeMap;

/// The columns of the catalogue as a table (CSV and XLSX), in order.
const COLUMNS: [&str; 13] = [
    "id",
    "title_ru",
    "title_en",
    "summary_ru",
    "summary_en",
    "city",
    "nomination",
    "year",
    "technologies",
    "hardware",
    "licence",
    "url",
    "used_by",
];

/// A solution as the cells of [`COLUMNS`]; `used_by` maps a solution to the number of cities
/// using it.
fn table_row(s: &Solution, used_by: &BTreeMap<i64, usize>) -> [String; 13] {
    [
        s.id.to_string(),
        s.title_ru.clone(),
        s.title_en.clone(),
        s.summary_ru.clone(),
        s.summary_en.clone(),
        s.city.clone().unwrap_or_default(),
        s.nomination.clone(),
        s.year.to_string(),
        s.technologies.join("; "),
        s.hardware.join("; "),
        s.licence.clone(),
        s.url.clone(),
        used_by.get(&s.id).copied().unwrap_or_default().to_string(),
    ]
}

/// The catalogue as CSV (UTF-8, a header row; lists joined with "; ").
pub fn catalogue_csv(
    solutions: &[Solution],
    used_by: &BTreeMap<i64, usize>,
) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for s in solutions {
        writer.write_record(table_row(s, used_by))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The catalogue as one sheet of a workbook, the same columns as the CSV; the id, the year and
/// the number of cities are numbers.
pub fn catalogue_sheet(solutions: &[Solution], used_by: &BTreeMap<i64, usize>) -> Sheet {
    let numeric = |column: &str| matches!(column, "id" | "year" | "used_by");
    let mut sheet = Sheet::new("catalogue");
    sheet.columns = COLUMNS
        .iter()
        .map(|c| match *c {
            "summary_ru" | "summary_en" => Column::new(*c).width(60.0).wrap(),
            _ => Column::new(*c),
        })
        .collect();
    sheet.rows = solutions
        .iter()
        .map(|s| {
            Row::new(
                COLUMNS
                    .iter()
                    .zip(table_row(s, used_by))
                    .map(|(column, text)| match text.parse::<f64>() {
                        Ok(number) if numeric(column) => Cell::Number(number),
                        _ => Cell::Text(text),
                    })
                    .collect(),
            )
        })
        .collect();
    sheet
}

/// A YAML scalar: a JSON string is a valid YAML double-quoted scalar, escapes and all.
fn yaml(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// One solution as `publiccode.yml` (version 0.4); `page` is the solution's public page.
pub fn publiccode_yml(solution: &Solution, page: &str) -> String {
    let url = if solution.url.is_empty() {
        page
    } else {
        &solution.url
    };
    let mut out = String::new();
    out.push_str("publiccodeYmlVersion: \"0.4\"\n");
    out.push_str(&format!("name: {}\n", yaml(solution.title("en"))));
    out.push_str(&format!("url: {}\n", yaml(url)));
    out.push_str(&format!("landingURL: {}\n", yaml(page)));
    out.push_str(&format!("releaseDate: \"{}-01-01\"\n", solution.year));
    out.push_str("platforms:\n  - web\n");
    out.push_str("developmentStatus: stable\n");
    out.push_str("softwareType: standalone/other\n");
    out.push_str("description:\n");
    for (lang, title, summary) in [
        ("ru", &solution.title_ru, &solution.summary_ru),
        ("en", &solution.title_en, &solution.summary_en),
    ] {
        if title.is_empty() && summary.is_empty() {
            continue;
        }
        let short: String = if title.is_empty() { summary } else { title }
            .chars()
            .take(150)
            .collect();
        out.push_str(&format!("  {lang}:\n"));
        out.push_str(&format!("    shortDescription: {}\n", yaml(&short)));
        out.push_str(&format!(
            "    longDescription: {}\n",
            yaml(if summary.is_empty() { title } else { summary })
        ));
        out.push_str("    features:\n");
        let features: Vec<&String> = solution
            .technologies
            .iter()
            .chain(&solution.hardware)
            .collect();
        if features.is_empty() {
            out.push_str(&format!("      - {}\n", yaml(&solution.nomination)));
        }
        for feature in features {
            out.push_str(&format!("      - {}\n", yaml(feature)));
        }
    }
    out.push_str("legal:\n");
    out.push_str(&format!(
        "  license: {}\n",
        yaml(if solution.licence.is_empty() {
            "LicenseRef-unspecified"
        } else {
            &solution.licence
        })
    ));
    out.push_str("maintenance:\n  type: none\n");
    out.push_str("localisation:\n  localisationReady: true\n  availableLanguages:\n");
    for (lang, present) in [
        ("ru", !solution.title_ru.is_empty()),
        ("en", !solution.title_en.is_empty()),
    ] {
        if present {
            out.push_str(&format!("    - {lang}\n"));
        }
    }
    out
}

/// A Turtle string literal with its language tag.
fn literal(text: &str, lang: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    if !lang.is_empty() {
        out.push('@');
        out.push_str(lang);
    }
    out
}

/// An IRI in angle brackets, with the characters Turtle forbids in it percent-encoded.
fn iri(address: &str) -> String {
    let mut out = String::from("<");
    for c in address.chars() {
        if c.is_control() || " <>\"{}|^`\\".contains(c) {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// The catalogue as ADMS-AP in Turtle: a `dcat:Catalog` of `adms:Asset`s, each with its titles
/// and descriptions in both languages, year, keywords, licence, landing page and city.
/// `base` is the site's address (`https://…`, no trailing `/`).
pub fn catalogue_turtle(solutions: &[Solution], base: &str) -> String {
    let mut out = String::new();
    for prefix in [
        "adms: <http://www.w3.org/ns/adms#>",
        "dcat: <http://www.w3.org/ns/dcat#>",
        "dct: <http://purl.org/dc/terms/>",
        "rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
        "xsd: <http://www.w3.org/2001/XMLSchema#>",
    ] {
        out.push_str(&format!("@prefix {prefix} .\n"));
    }
    let catalogue = iri(&format!("{base}/catalogue"));
    out.push_str(&format!(
        "\n{catalogue} a dcat:Catalog ;\n    dct:title {} , {} ;\n    dct:description {}",
        literal("Каталог лучших программно-аппаратных решений городов", "ru"),
        literal(
            "Catalogue of the cities' best software-hardware solutions",
            "en"
        ),
        literal(
            "Solutions of the member cities: winners and laureates of the competitions",
            "en"
        ),
    ));
    for s in solutions {
        out.push_str(&format!(
            " ;\n    dcat:dataset {}",
            iri(&format!("{base}/catalogue/{}", s.id))
        ));
    }
    out.push_str(" .\n");
    for s in solutions {
        let page = format!("{base}/catalogue/{}", s.id);
        out.push_str(&format!("\n{} a adms:Asset", iri(&page)));
        let mut property = |name: &str, value: String| {
            out.push_str(&format!(" ;\n    {name} {value}"));
        };
        for (text, lang) in [(&s.title_ru, "ru"), (&s.title_en, "en")] {
            if !text.is_empty() {
                property("dct:title", literal(text, lang));
            }
        }
        for (text, lang) in [(&s.summary_ru, "ru"), (&s.summary_en, "en")] {
            if !text.is_empty() {
                property("dct:description", literal(text, lang));
            }
        }
        property(
            "dct:issued",
            format!("{}^^xsd:gYear", literal(&s.year.to_string(), "")),
        );
        property("dcat:landingPage", iri(&page));
        if !s.url.is_empty() {
            property("adms:sample", iri(&s.url));
        }
        for keyword in s.technologies.iter().chain(&s.hardware) {
            property("dcat:keyword", literal(keyword, ""));
        }
        property("dcat:theme", literal(&s.nomination, ""));
        if !s.licence.is_empty() {
            property(
                "dct:license",
                format!(
                    "[ a dct:LicenseDocument ; rdfs:label {} ]",
                    literal(&s.licence, "")
                ),
            );
        }
        if let Some(city) = &s.city {
            property("dct:spatial", iri(&format!("{base}/cities/{city}")));
        }
        out.push_str(" .\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solution() -> Solution {
        Solution {
            id: 7,
            title_ru: "Портал «Открытый город»".into(),
            title_en: "Open city \"portal\"".into(),
            summary_ru: "Наборы данных\nо бюджете".into(),
            summary_en: String::new(),
            city: Some("minsk".into()),
            nomination: "Открытый город".into(),
            year: 2024,
            technologies: vec!["PostgreSQL".into()],
            hardware: vec![],
            licence: "MIT".into(),
            url: "https://example.org/a b".into(),
            published: true,
        }
    }

    #[test]
    fn csv_reads_back_with_every_field() {
        let used_by = BTreeMap::from([(7, 3)]);
        let text = catalogue_csv(&[solution()], &used_by).expect("csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().expect("a row").expect("valid");
        assert_eq!(&row[0], "7");
        assert_eq!(&row[3], "Наборы данных\nо бюджете");
        assert_eq!(&row[8], "PostgreSQL");
        assert_eq!(&row[12], "3");
        let sheet = catalogue_sheet(&[solution()], &used_by);
        assert_eq!(sheet.columns.len(), row.len());
        assert_eq!(sheet.rows[0].cells[0], Cell::Number(7.0));
        assert_eq!(sheet.rows[0].cells[12], Cell::Number(3.0));
        assert_eq!(sheet.rows[0].cells[5], Cell::Text("minsk".into()));
    }

    #[test]
    fn publiccode_quotes_every_text() {
        let yml = publiccode_yml(&solution(), "https://site/catalogue/7");
        assert!(yml.starts_with("publiccodeYmlVersion: \"0.4\"\n"));
        assert!(
            yml.contains("name: \"Open city \\\"portal\\\"\"\n"),
            "{yml}"
        );
        assert!(yml.contains("    longDescription: \"Наборы данных\\nо бюджете\"\n"));
        assert!(yml.contains("  license: \"MIT\"\n"));
        assert!(!yml.contains("  en:\n    shortDescription: \"\""));
    }

    #[test]
    fn turtle_escapes_literals_and_addresses() {
        let ttl = catalogue_turtle(&[solution()], "https://site");
        assert!(ttl.contains("<https://site/catalogue/7> a adms:Asset"));
        assert!(ttl.contains("dct:title \"Open city \\\"portal\\\"\"@en"));
        assert!(ttl.contains("\"Наборы данных\\nо бюджете\"@ru"));
        assert!(ttl.contains("adms:sample <https://example.org/a%20b>"));
        assert!(ttl.contains("dct:issued \"2024\"^^xsd:gYear"));
        assert!(ttl.trim_end().ends_with(" ."));
    }
}
