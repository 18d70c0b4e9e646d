//! What readers get of a result: the rows of the results API (keys in a fixed order: `city`,
//! `rank`, `rank_low`, `rank_high`, then the aggregates top level first), the same as CSV, and
//! the bar of a rank interval drawn on the server (in `megapolis_monitoring::charts`).
use megapolis_monitoring::{RankedUnit, Ranking};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One unit of the results, serialised with its keys in the published order.
pub struct ResultRow<'a> {
    codes: &'a [String],
    unit: &'a RankedUnit,
}

impl Serialize for ResultRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4 + self.codes.len()))?;
        map.serialize_entry("city", &self.unit.code)?;
        map.serialize_entry("rank", &self.unit.rank)?;
        map.serialize_entry("rank_low", &self.unit.rank_low)?;
        map.serialize_entry("rank_high", &self.unit.rank_high)?;
        for (code, score) in self.codes.iter().zip(&self.unit.scores) {
            map.serialize_entry(code, score)?;
        }
        map.end()
    }
}

/// The results API's rows, in rank order.
pub fn rows(ranking: &Ranking) -> Vec<ResultRow<'_>> {
    ranking
        .units
        .iter()
        .map(|unit| ResultRow {
            codes: &ranking.codes,
            unit,
        })
        .collect()
}

/// The results as JSON bytes: the same result gives the same bytes.
pub fn results_json(ranking: &Ranking) -> Vec<u8> {
    // Strings, integers and finite numbers only: serialising cannot fail.
    serde_json::to_vec(&rows(ranking)).unwrap_or_default()
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv_int(value: Option<u32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The shortest text that reads back to the same number (as the engine's own CSV files).
fn csv_number(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

/// The results as CSV: `city,rank,rank_low,rank_high,<aggregates…>`; a missing value is empty.
pub fn results_csv(ranking: &Ranking) -> String {
    let mut header = vec![
        "city".to_string(),
        "rank".into(),
        "rank_low".into(),
        "rank_high".into(),
    ];
    header.extend(ranking.codes.iter().map(|c| csv_cell(c)));
    let mut out = header.join(",");
    out.push('\n');
    for unit in &ranking.units {
        let mut cells = vec![
            csv_cell(&unit.code),
            csv_int(unit.rank),
            csv_int(unit.rank_low),
            csv_int(unit.rank_high),
        ];
        cells.extend(unit.scores.iter().map(|s| csv_number(*s)));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The bar of a rank interval: the same SVG in the pages and the PDF report.
pub use megapolis_monitoring::charts::interval_bar;

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_monitoring::AnalysisInfo;

    fn ranking() -> Ranking {
        Ranking {
            codes: vec!["Index".into(), "Pillar, one".into()],
            units: vec![
                RankedUnit {
                    code: "B".into(),
                    name: String::new(),
                    rank: Some(1),
                    rank_low: Some(1),
                    rank_high: Some(2),
                    scores: vec![Some(70.25), Some(0.1)],
                    ranks: Vec::new(),
                    intervals: Vec::new(),
                },
                RankedUnit {
                    code: "A".into(),
                    name: String::new(),
                    rank: Some(2),
                    rank_low: Some(1),
                    rank_high: Some(2),
                    scores: vec![Some(60.0), None],
                    ranks: Vec::new(),
                    intervals: Vec::new(),
                },
            ],
            analysis: AnalysisInfo {
                kind: "uncertainty".into(),
                runs: 10,
                seed: 1,
                default: true,
                target: "Index".into(),
                failed_runs: 0,
                effects: Vec::new(),
            },
        }
    }

    #[test]
    fn rows_keep_their_keys_in_order() {
        let json = String::from_utf8(results_json(&ranking())).expect("utf-8");
        assert_eq!(
            json,
            r#"[{"city":"B","rank":1,"rank_low":1,"rank_high":2,"Index":70.25,"Pillar, one":0.1},{"city":"A","rank":2,"rank_low":1,"rank_high":2,"Index":60.0,"Pillar, one":null}]"#
        );
    }

    #[test]
    fn csv_has_the_same_columns() {
        assert_eq!(
            results_csv(&ranking()),
            "city,rank,rank_low,rank_high,Index,\"Pillar, one\"\nB,1,1,2,70.25,0.1\nA,2,1,2,60,\n"
        );
    }
}
