//! The speed of the lexical signal at 10,000 submissions (BENCHMARKS.md). Ignored in the normal
//! run; in release: `cargo test -p megapolis-consultations --release --test speed -- --ignored
//! --nocapture`. The submissions are synthetic: texts of the labelled set with a third of their
//! words dropped and a few words of a made-up vocabulary of 20,000 added (a fixed pseudo-random
//! draw), so the vocabulary has the long tail of real text and near-duplicates abound.
use megapolis_consultations::semantic::COMBINED_THRESHOLD;
use megapolis_consultations::{cluster, Document, Embedding, SimilarityIndex, DEFAULT_THRESHOLD};
use std::collections::HashMap;
use std::time::Instant;

/// A fixed pseudo-random sequence (SplitMix64), the same on every machine.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn made_up_word(draw: &mut Draw) -> String {
    const RU: &[&str] = &[
        "ка", "ро", "ми", "ст", "ва", "ле", "ни", "то", "гра", "пол", "ско", "дер",
    ];
    const EN: &[&str] = &[
        "ka", "ro", "mi", "st", "va", "le", "ni", "to", "gra", "pol", "sco", "der",
    ];
    let syllables = if draw.below(2) == 0 { RU } else { EN };
    (0..2 + draw.below(3))
        .map(|_| syllables[draw.below(syllables.len())])
        .collect()
}

/// A random unit-length direction of `dimensions` components.
fn direction(draw: &mut Draw, dimensions: usize) -> Vec<f32> {
    (0..dimensions)
        .map(|_| (draw.below(2001) as f32 - 1000.0) / 1000.0)
        .collect()
}

/// Embeddings of the shape a sentence encoder gives (384 components, all pairs at a high
/// cosine): a component shared by every text, one shared by the texts made from one seed, and
/// noise of each text's own.
fn synthetic_embeddings(count: usize, seeds: usize) -> HashMap<i64, Embedding> {
    const DIMENSIONS: usize = 384;
    let mut draw = Draw(384);
    let common = direction(&mut draw, DIMENSIONS);
    let topics: Vec<Vec<f32>> = (0..seeds)
        .map(|_| direction(&mut draw, DIMENSIONS))
        .collect();
    (0..count)
        .map(|i| {
            let topic = &topics[i % seeds];
            let noise = direction(&mut draw, DIMENSIONS);
            let vector = (0..DIMENSIONS)
                .map(|d| 2.0 * common[d] + 0.8 * topic[d] + 0.5 * noise[d])
                .collect();
            (i as i64 + 1, Embedding::new(vector).expect("a vector"))
        })
        .collect()
}

fn synthetic(count: usize) -> Vec<Document> {
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/submissions.csv"
    ))
    .expect("the labelled set");
    let seeds: Vec<String> = reader
        .records()
        .map(|r| r.expect("a row")[2].to_string())
        .collect();
    let mut draw = Draw(2026);
    let vocabulary: Vec<String> = (0..20_000).map(|_| made_up_word(&mut draw)).collect();
    (0..count)
        .map(|i| {
            let seed = &seeds[draw.below(seeds.len())];
            let mut words: Vec<String> = seed
                .split_whitespace()
                .filter(|_| draw.below(3) != 0)
                .map(String::from)
                .collect();
            for _ in 0..2 + draw.below(4) {
                let at = draw.below(words.len() + 1);
                words.insert(at, vocabulary[draw.below(vocabulary.len())].clone());
            }
            Document {
                id: i as i64 + 1,
                text: words.join(" "),
            }
        })
        .collect()
}

#[test]
#[ignore = "a benchmark: run in release with --ignored --nocapture"]
fn ten_thousand_submissions() {
    let documents = synthetic(10_000);
    println!("threads: {}", rayon::current_num_threads());

    let started = Instant::now();
    let index = SimilarityIndex::build(&documents);
    let build = started.elapsed();
    println!("index of {} submissions: {build:.2?}", index.len());

    let queries = synthetic(10_100).split_off(10_000);
    let mut times = Vec::new();
    for query in &queries {
        let started = Instant::now();
        let found = index.similar_to_text(&query.text, 5);
        times.push(started.elapsed());
        assert_eq!(found.len(), 5);
    }
    times.sort();
    let mean = times.iter().sum::<std::time::Duration>() / times.len() as u32;
    println!(
        "suggestions for a new submission among 10,000: mean {mean:.2?}, median {:.2?}, max {:.2?}",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    assert!(
        times[times.len() - 1].as_millis() < 50,
        "suggestions within 50 ms"
    );

    let started = Instant::now();
    for id in 1..=100 {
        index.similar(id, 5).expect("known");
    }
    println!(
        "similar(id, 5) of a stored one: mean {:.2?}",
        started.elapsed() / 100
    );

    let started = Instant::now();
    let groups = cluster(&index, DEFAULT_THRESHOLD);
    let clustering = started.elapsed();
    println!(
        "clustering 10,000 at {DEFAULT_THRESHOLD}: {clustering:.2?} ({} groups, {} of more than one)",
        groups.len(),
        groups.iter().filter(|g| g.len() > 1).count()
    );
    println!("index + clustering: {:.2?}", build + clustering);
    assert!(
        (build + clustering).as_secs() < 30,
        "clustering within 30 s"
    );
}

#[test]
#[ignore = "a benchmark: run in release with --ignored --nocapture"]
fn ten_thousand_submissions_with_embeddings() {
    let documents = synthetic(10_000);
    // 144 topics, as the labelled set has rows; not tied to the texts (speed does not depend on
    // which pairs meet, only on how many groups form).
    let embeddings = synthetic_embeddings(10_000, 144);
    println!("threads: {}", rayon::current_num_threads());

    let started = Instant::now();
    let index = SimilarityIndex::build(&documents).with_embeddings(&embeddings);
    let build = started.elapsed();
    println!(
        "index of {} submissions with embeddings: {build:.2?}",
        index.len()
    );

    let mut times = Vec::new();
    for id in (1..=10_000).step_by(100) {
        let started = Instant::now();
        let found = index.similar(id, 5).expect("known");
        times.push(started.elapsed());
        assert_eq!(found.len(), 5);
    }
    times.sort();
    println!(
        "suggestions for a stored submission among 10,000, both signals: median {:.2?}, max {:.2?}",
        times[times.len() / 2],
        times[times.len() - 1]
    );

    let started = Instant::now();
    let groups = cluster(&index, COMBINED_THRESHOLD);
    let clustering = started.elapsed();
    println!(
        "clustering 10,000 at {COMBINED_THRESHOLD}, both signals: {clustering:.2?} ({} groups, {} of more than one)",
        groups.len(),
        groups.iter().filter(|g| g.len() > 1).count()
    );
    println!("index + clustering: {:.2?}", build + clustering);
}
