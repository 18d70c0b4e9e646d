//! The quality of the lexical grouping on the labelled set `fixtures/submissions.csv` (written
//! for this test: short proposals and remarks in Russian and English about city digital
//! services, grouped by what they ask for, with paraphrases, both languages in one group and
//! hard negatives that share words with a group but ask for something else).
//!
//! Prints the figures at the default threshold and over a curve of thresholds; fails when they
//! fall under what was measured (BENCHMARKS.md) less a small margin, so a change that makes the
//! grouping worse is seen.
use megapolis_consultations::quality::{grouping_scores, partner_in_top, GroupingScores};
use megapolis_consultations::{cluster, Document, SimilarityIndex, DEFAULT_THRESHOLD};
use std::collections::HashMap;

/// What was measured on the set (BENCHMARKS.md), less this, is the floor.
const MARGIN: f64 = 0.02;
const MEASURED_PAIR_F1: f64 = 0.545;
const MEASURED_BCUBED_F1: f64 = 0.725;
const MEASURED_PARTNER_IN_TOP5: f64 = 0.938;

pub struct Labelled {
    pub documents: Vec<Document>,
    pub gold: HashMap<i64, String>,
    pub langs: HashMap<i64, String>,
}

pub fn labelled_set() -> Labelled {
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/submissions.csv"
    ))
    .expect("the labelled set");
    let mut set = Labelled {
        documents: Vec::new(),
        gold: HashMap::new(),
        langs: HashMap::new(),
    };
    for (i, row) in reader.records().enumerate() {
        let row = row.expect("a row of group,lang,text");
        let id = i as i64 + 1;
        set.gold.insert(id, row[0].to_string());
        set.langs.insert(id, row[1].to_string());
        set.documents.push(Document {
            id,
            text: row[2].to_string(),
        });
    }
    set
}

fn line(threshold: f64, s: &GroupingScores, groups: usize) -> String {
    format!(
        "{threshold:>9.2} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3} | {groups:>6}",
        s.pair_precision,
        s.pair_recall,
        s.pair_f1,
        s.bcubed_precision,
        s.bcubed_recall,
        s.bcubed_f1
    )
}

#[test]
fn the_lexical_grouping_keeps_its_measured_quality() {
    let set = labelled_set();
    let index = SimilarityIndex::build(&set.documents);
    let gold_groups = {
        let mut labels: Vec<&String> = set.gold.values().collect();
        labels.sort();
        labels.dedup();
        labels.len()
    };
    println!(
        "labelled set: {} submissions ({} ru, {} en), {gold_groups} true groups",
        set.documents.len(),
        set.langs.values().filter(|l| *l == "ru").count(),
        set.langs.values().filter(|l| *l == "en").count()
    );
    println!("threshold | pair P    R      F1    | B³ P     R      F1    | groups");
    for step in 1..=12 {
        let threshold = f64::from(step) * 0.05;
        let groups = cluster(&index, threshold);
        println!(
            "{}",
            line(
                threshold,
                &grouping_scores(&set.gold, &groups),
                groups.len()
            )
        );
    }
    let groups = cluster(&index, DEFAULT_THRESHOLD);
    let scores = grouping_scores(&set.gold, &groups);
    let top5 = partner_in_top(&index, &set.gold, 5);
    let top1 = partner_in_top(&index, &set.gold, 1);
    println!("default {}", line(DEFAULT_THRESHOLD, &scores, groups.len()));
    println!("a true partner among the top 5 suggestions: {top5:.3}; first suggestion: {top1:.3}");
    for group in groups.iter().filter(|g| g.len() > 1) {
        let labels: Vec<&str> = group.iter().map(|id| set.gold[id].as_str()).collect();
        println!("  {group:?} {labels:?}");
    }
    assert!(
        scores.pair_f1 >= MEASURED_PAIR_F1 - MARGIN,
        "pairwise F1 {}",
        scores.pair_f1
    );
    assert!(
        scores.bcubed_f1 >= MEASURED_BCUBED_F1 - MARGIN,
        "B-cubed F1 {}",
        scores.bcubed_f1
    );
    assert!(
        top5 >= MEASURED_PARTNER_IN_TOP5 - MARGIN,
        "partner in top 5 {top5}"
    );
}
