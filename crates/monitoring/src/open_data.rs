//! All the data of a computed edition, recomputed from what the edition holds (iMeta, build.toml,
//! the verified iData) by the engine, which is deterministic: [`EditionTables`] has every data
//! set of the build (`Raw`, then one per step: `Imputed`, `Normalised`, `Aggregated`, …). It feeds
//! the city profiles and the open data: CSV ([`to_csv`], one line per value), JSON ([`to_json`])
//! and XLSX sheets ([`to_sheets`], the ranking and one sheet per data set).
//!
//! Evidence: a column `<iCode>_evidence` of iData (ignored by the engine) holds the link a city
//! gave for that indicator's value; only `http://` and `https://` links are kept.
use crate::compute::{ComputeError, Ranking};
use crate::edition::Edition;
use megapolis_documents::{Cell, Column, Row, Sheet};
use megapolis_index::model::{DataSet, Framework};
use megapolis_index::pipeline;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::HashMap;

/// The suffix of an iData column holding the evidence link of an indicator's value.
pub const EVIDENCE_SUFFIX: &str = "_evidence";

/// Every data set of an edition's build, with the framework they follow.
#[derive(Debug, Clone)]
pub struct EditionTables {
    pub framework: Framework,
    /// `Raw` first, then the data set of each step in build order; the last one (`Aggregated`
    /// when the build aggregates) holds the indicators as aggregated, then the aggregates.
    pub datasets: Vec<DataSet>,
    /// The Group columns of iData (COINr's `Group_…`, Type "Group" in iMeta), in iMeta order:
    /// the column's code and each unit's label.
    pub groups: Vec<(String, HashMap<String, String>)>,
    /// (unit, indicator) → evidence link.
    pub evidence: HashMap<(String, String), String>,
    /// The nodes' names in Russian and English.
    pub names: crate::meta_table::Names,
    /// Every indicator's ranks, made at the first profile and kept with the tables.
    indicator_ranks: std::sync::OnceLock<crate::profile::IndicatorRanks>,
}

impl EditionTables {
    /// Every indicator's ranks of every unit (made once).
    pub fn indicator_ranks(&self) -> &crate::profile::IndicatorRanks {
        self.indicator_ranks
            .get_or_init(|| crate::profile::indicator_ranks(self))
    }

    /// Builds the edition again (the engine gives the same numbers as when it was computed).
    pub fn build(edition: &Edition) -> Result<EditionTables, ComputeError> {
        let methodology = edition.methodology()?;
        let data = methodology.data.as_ref().ok_or(ComputeError::NoData)?;
        let fw = methodology.framework;
        let built = pipeline::build(&fw, data, &methodology.spec)
            .map_err(|e| ComputeError::Engine(e.to_string()))?;
        let groups = fw
            .groups
            .iter()
            .filter_map(|code| {
                let labels = data.groups.get(code)?;
                let by_unit = data
                    .ucode
                    .iter()
                    .zip(labels)
                    .filter_map(|(unit, label)| Some((unit.clone(), label.clone()?)))
                    .collect();
                Some((code.clone(), by_unit))
            })
            .collect();
        let evidence = edition.data().map(read_evidence).unwrap_or_default();
        Ok(EditionTables {
            framework: fw,
            datasets: built.datasets,
            groups,
            evidence,
            names: methodology.names,
            indicator_ranks: std::sync::OnceLock::new(),
        })
    }

    /// The values as given.
    pub fn raw(&self) -> &DataSet {
        &self.datasets[0]
    }

    /// The last data set: indicators as they entered the aggregation, then the aggregates.
    pub fn last(&self) -> &DataSet {
        &self.datasets[self.datasets.len() - 1]
    }

    /// The indicator codes in data set order.
    pub fn indicators(&self) -> &[String] {
        &self.raw().codes
    }

    /// A value of a data set, `None` when missing.
    pub fn value(dataset: &DataSet, unit: &str, code: &str) -> Option<f64> {
        let row = dataset.units.iter().position(|u| u == unit)?;
        dataset
            .col(code)
            .and_then(|col| col.get(row).copied())
            .filter(|v| v.is_finite())
    }
}

/// The evidence links of iData: columns `<iCode>_evidence`, http(s) links only.
fn read_evidence(data: &str) -> HashMap<(String, String), String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data.as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return HashMap::new();
    };
    let Some(unit) = headers.iter().position(|h| h == "uCode") else {
        return HashMap::new();
    };
    let columns: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter_map(|(k, h)| Some((k, h.strip_suffix(EVIDENCE_SUFFIX)?.to_string())))
        .collect();
    let mut links = HashMap::new();
    for record in reader.records().flatten() {
        let code = record.get(unit).unwrap_or_default().to_string();
        for (k, indicator) in &columns {
            let link = record.get(*k).unwrap_or_default();
            if link.starts_with("https://") || link.starts_with("http://") {
                links.insert((code.clone(), indicator.clone()), link.to_string());
            }
        }
    }
    links
}

/// The shortest text that reads back to the same number; empty when missing.
pub fn number_text(value: f64) -> String {
    if value.is_finite() {
        format!("{value}")
    } else {
        String::new()
    }
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// All data sets as CSV, one line per value: `dataset,city,code,value` (a missing value is
/// empty), data sets in build order, units and codes in each data set's order.
pub fn to_csv(tables: &EditionTables) -> String {
    let mut out = String::from("dataset,city,code,value\n");
    for dataset in &tables.datasets {
        for (i, unit) in dataset.units.iter().enumerate() {
            for (code, col) in dataset.codes.iter().zip(&dataset.cols) {
                out.push_str(&format!(
                    "{},{},{},{}\n",
                    csv_cell(&dataset.name),
                    csv_cell(unit),
                    csv_cell(code),
                    number_text(col[i])
                ));
            }
        }
    }
    out
}

/// One unit's row of a data set, serialised as `{"city": …, "<code>": value | null, …}` with
/// its keys in the data set's order.
struct DataSetRow<'a> {
    dataset: &'a DataSet,
    row: usize,
}

impl Serialize for DataSetRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.dataset.codes.len()))?;
        map.serialize_entry("city", &self.dataset.units[self.row])?;
        for (code, col) in self.dataset.codes.iter().zip(&self.dataset.cols) {
            let value = Some(col[self.row]).filter(|v| v.is_finite());
            map.serialize_entry(code, &value)?;
        }
        map.end()
    }
}

/// One unit of the ranking with every aggregate's score, rank and interval.
struct RankingRow<'a> {
    codes: &'a [String],
    unit: &'a crate::compute::RankedUnit,
}

impl Serialize for RankingRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let u = self.unit;
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("city", &u.code)?;
        map.serialize_entry("name", &u.name)?;
        map.serialize_entry("rank", &u.rank)?;
        map.serialize_entry("rank_low", &u.rank_low)?;
        map.serialize_entry("rank_high", &u.rank_high)?;
        map.serialize_entry("scores", &by_code(self.codes, &u.scores))?;
        map.serialize_entry("ranks", &by_code(self.codes, &u.ranks))?;
        map.serialize_entry("intervals", &by_code(self.codes, &u.intervals))?;
        map.end()
    }
}

/// A per-aggregate list as a JSON object keyed by aggregate code (codes order kept by the
/// serialiser of the map: serde_json's map is ordered by key, which is fine for a lookup object).
fn by_code<T: Serialize>(
    codes: &[String],
    values: &[T],
) -> serde_json::Map<String, serde_json::Value> {
    codes
        .iter()
        .zip(values)
        .map(|(code, v)| (code.clone(), serde_json::to_value(v).unwrap_or_default()))
        .collect()
}

/// What the JSON of an edition says about the edition itself.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditionHead<'a> {
    pub id: i64,
    pub year: i32,
    pub title_ru: &'a str,
    pub title_en: &'a str,
    pub pin: &'a str,
}

/// All data as JSON: `{"edition": {…}, "aggregates": [codes], "ranking": [{city, name, rank,
/// rank_low, rank_high, scores, ranks, intervals}], "datasets": [{"name", "rows": [{"city",
/// "<code>": value…}]}]}`; a missing value is null.
pub fn to_json(head: &EditionHead<'_>, tables: &EditionTables, ranking: &Ranking) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct DataSetJson<'a> {
        name: &'a str,
        rows: Vec<DataSetRow<'a>>,
    }
    #[derive(serde::Serialize)]
    struct All<'a> {
        edition: &'a EditionHead<'a>,
        aggregates: &'a [String],
        ranking: Vec<RankingRow<'a>>,
        datasets: Vec<DataSetJson<'a>>,
    }
    let all = All {
        edition: head,
        aggregates: &ranking.codes,
        ranking: ranking
            .units
            .iter()
            .map(|unit| RankingRow {
                codes: &ranking.codes,
                unit,
            })
            .collect(),
        datasets: tables
            .datasets
            .iter()
            .map(|dataset| DataSetJson {
                name: &dataset.name,
                rows: (0..dataset.units.len())
                    .map(|row| DataSetRow { dataset, row })
                    .collect(),
            })
            .collect(),
    };
    // Strings, integers and finite numbers only: serialising cannot fail.
    serde_json::to_vec(&all).unwrap_or_default()
}

/// The headers of the ranking sheet, in the reader's language.
#[derive(Debug, Clone)]
pub struct SheetLabels {
    pub ranking: String,
    pub city: String,
    pub name: String,
    pub rank: String,
    pub rank_low: String,
    pub rank_high: String,
}

fn number_cell(value: f64) -> Cell {
    if value.is_finite() {
        Cell::Number(value)
    } else {
        Cell::Empty
    }
}

/// The workbook's sheets: the ranking (rank, interval and every aggregate's score), then one
/// sheet per data set of the build, named after it (`Raw`, `Normalised`, `Aggregated`, …).
pub fn to_sheets(
    title: &str,
    tables: &EditionTables,
    ranking: &Ranking,
    labels: &SheetLabels,
) -> Vec<Sheet> {
    let mut first = Sheet::new(sheet_name(&labels.ranking));
    first.title = Some(title.to_string());
    first.columns = [
        &labels.city,
        &labels.name,
        &labels.rank,
        &labels.rank_low,
        &labels.rank_high,
    ]
    .into_iter()
    .map(|h| Column::new(h.clone()))
    .chain(ranking.codes.iter().map(|c| Column::new(c.clone())))
    .collect();
    first.rows = ranking
        .units
        .iter()
        .map(|u| {
            let whole = |v: Option<u32>| v.map_or(Cell::Empty, |v| Cell::Number(f64::from(v)));
            let mut cells = vec![
                Cell::from(u.code.as_str()),
                Cell::from(u.name.as_str()),
                whole(u.rank),
                whole(u.rank_low),
                whole(u.rank_high),
            ];
            cells.extend(u.scores.iter().map(|s| s.map_or(Cell::Empty, number_cell)));
            Row::new(cells)
        })
        .collect();
    let mut sheets = vec![first];
    for dataset in &tables.datasets {
        let mut sheet = Sheet::new(sheet_name(&dataset.name));
        sheet.title = Some(format!("{title}: {}", dataset.name));
        sheet.columns = std::iter::once(Column::new(labels.city.clone()))
            .chain(dataset.codes.iter().map(|c| Column::new(c.clone())))
            .collect();
        sheet.rows = dataset
            .units
            .iter()
            .enumerate()
            .map(|(i, unit)| {
                let mut cells = vec![Cell::from(unit.as_str())];
                cells.extend(dataset.cols.iter().map(|col| number_cell(col[i])));
                Row::new(cells)
            })
            .collect();
        sheets.push(sheet);
    }
    sheets
}

/// A tab name Excel accepts: at most 31 characters, none of `[ ] : * ? / \`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;
    use crate::edition::tests::{input, DATA};
    use crate::edition::EditionInput;

    fn tables() -> (EditionTables, Ranking) {
        let edition = input().parse().expect("valid");
        let ranking = compute(&edition, &|_| {}).expect("computed").ranking;
        (EditionTables::build(&edition).expect("built"), ranking)
    }

    #[test]
    fn the_tables_are_the_engines_data_sets() {
        let (t, _) = tables();
        let names: Vec<&str> = t.datasets.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Raw", "Normalised", "Aggregated"]);
        assert_eq!(EditionTables::value(t.raw(), "AAA", "speed"), Some(100.0));
        assert_eq!(EditionTables::value(t.last(), "AAA", "speed"), Some(100.0));
        assert_eq!(EditionTables::value(t.last(), "CCC", "speed"), Some(0.0));
        assert!(t.groups.is_empty() && t.evidence.is_empty());
    }

    #[test]
    fn csv_has_one_line_per_value() {
        let (t, _) = tables();
        let csv = to_csv(&t);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "dataset,city,code,value");
        assert!(lines.contains(&"Raw,BBB,waste,200"));
        // Raw 4×3, Normalised 4×3, Aggregated 4×(3 + 3).
        assert_eq!(lines.len(), 1 + 12 + 12 + 24);
    }

    #[test]
    fn json_keeps_the_order_of_codes_and_nulls_for_missing() {
        let edition = EditionInput {
            data: Some(DATA.replace("BBB,Beta,0,50,200", "BBB,Beta,0,,200")),
            spec: "[[step]]\nop = \"impute\"\nmethod = \"mean\"\n[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n".into(),
            ..input()
        }
        .parse()
        .expect("valid");
        let ranking = compute(&edition, &|_| {}).expect("computed").ranking;
        let t = EditionTables::build(&edition).expect("built");
        let head = EditionHead {
            id: 7,
            year: 2025,
            title_ru: "т",
            title_en: "t",
            pin: "p",
        };
        let text = String::from_utf8(to_json(&head, &t, &ranking)).expect("utf-8");
        assert!(
            text.contains(r#"{"city":"BBB","portal":0.0,"speed":null,"waste":200.0}"#),
            "{text}"
        );
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["edition"]["id"], 7);
        assert_eq!(value["datasets"][1]["name"], "Imputed");
        assert_eq!(
            value["ranking"][0]["scores"]["Index"],
            ranking.units[0].scores[0].expect("s")
        );
    }

    #[test]
    fn evidence_links_come_from_evidence_columns_and_must_be_web_links() {
        let data = "uCode,uName,portal,portal_evidence,speed,waste\nAAA,Alpha,1,https://a.example/portal,100,300\nBBB,Beta,0,javascript:alert(1),50,200\nCCC,Gamma,1,,20,500\nDDD,Delta,1,,80,250\n";
        let edition = EditionInput {
            data: Some(data.into()),
            ..input()
        }
        .parse()
        .expect("valid");
        let t = EditionTables::build(&edition).expect("built");
        assert_eq!(t.evidence.len(), 1);
        assert_eq!(
            t.evidence
                .get(&("AAA".to_string(), "portal".to_string()))
                .map(String::as_str),
            Some("https://a.example/portal")
        );
    }

    #[test]
    fn sheets_are_the_ranking_then_each_data_set() {
        let (t, ranking) = tables();
        let labels = SheetLabels {
            ranking: "Ranking".into(),
            city: "City".into(),
            name: "Name".into(),
            rank: "Rank".into(),
            rank_low: "Low".into(),
            rank_high: "High".into(),
        };
        let sheets = to_sheets("Monitoring", &t, &ranking, &labels);
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ranking", "Raw", "Normalised", "Aggregated"]);
        assert_eq!(sheets[0].rows.len(), 4);
        assert!(megapolis_documents::render_xlsx(&sheets).is_ok());
        assert_eq!(sheet_name("a/b:c[d]*?\\"), "a_b_c_d____");
    }
}
