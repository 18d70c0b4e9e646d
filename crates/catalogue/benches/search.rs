//! The catalogue search in process, without HTTP (BENCHMARKS.md, "Catalogue: search of 100,000
//! solutions"): indexes the corpus of `bench/catalogue_corpus.py` and times each of its queries
//! (the median and the slowest of 20 runs), to see which part of a search costs what.
//!
//! ```text
//! python3 bench/catalogue_corpus.py 100000 /tmp/corpus
//! SEARCH_CORPUS=/tmp/corpus cargo bench -p megapolis-catalogue --bench search
//! ```
use megapolis_catalogue::{SearchIndex, SearchQuery, Solution};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A line of the corpus: a solution as the API takes it.
#[derive(Deserialize)]
struct Line {
    title_ru: String,
    title_en: String,
    summary_ru: String,
    summary_en: String,
    city: String,
    nomination: String,
    year: i32,
    technologies: Vec<String>,
    licence: String,
    url: String,
}

#[derive(Deserialize)]
struct Query {
    q: String,
    lang: String,
}

fn main() {
    let Ok(folder) = std::env::var("SEARCH_CORPUS") else {
        eprintln!("SEARCH_CORPUS names the folder of bench/catalogue_corpus.py's output; skipped");
        return;
    };
    let read = |name: &str| {
        std::fs::read_to_string(format!("{folder}/{name}"))
            .unwrap_or_else(|e| panic!("{folder}/{name}: {e}"))
    };
    let solutions: Vec<Solution> = read("corpus.jsonl")
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let s: Line = serde_json::from_str(line).expect("a corpus line");
            Solution {
                id: n as i64 + 1,
                title_ru: s.title_ru,
                title_en: s.title_en,
                summary_ru: s.summary_ru,
                summary_en: s.summary_en,
                city: Some(s.city),
                nomination: s.nomination,
                year: s.year,
                technologies: s.technologies,
                hardware: Vec::new(),
                licence: s.licence,
                url: s.url,
                published: true,
            }
        })
        .collect();
    let queries: Vec<Query> = serde_json::from_str(&read("queries.json")).expect("queries");
    let count = solutions.len();
    let started = Instant::now();
    let index = SearchIndex::build(solutions, BTreeMap::new(), BTreeMap::new()).expect("index");
    println!("indexed {count} solutions in {:.2?}", started.elapsed());
    println!("| query | matches | all words | median | slowest |");
    println!("|---|---|---|---|---|");
    for query in queries {
        let search = SearchQuery {
            text: query.q.clone(),
            lang: query.lang,
            nomination: None,
            city: None,
            limit: 10,
        };
        let mut times: Vec<Duration> = Vec::new();
        let mut found = None;
        for _ in 0..20 {
            let started = Instant::now();
            found = Some(index.search(&search).expect("search"));
            times.push(started.elapsed());
        }
        times.sort();
        let found = found.expect("searched");
        println!(
            "| {} | {} | {} | {:.2?} | {:.2?} |",
            query.q,
            found.total,
            found.all_words,
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
