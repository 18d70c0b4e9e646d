//! Full-text search of the catalogue: an in-memory tantivy index built from the solutions, with
//! the Snowball stemmers of Russian and English (after dropping each language's stop words and
//! folding «ё» to «е», at indexing and at query time), relevance ranking (BM25, titles weigh double), highlighted snippets, facets with
//! counts over every match, and "similar solutions".
//!
//! The index is rebuilt from the database whenever the catalogue changes; it is built by one
//! writer thread in one commit, so the same solutions give the same index and the same order of
//! results on SQLite and PostgreSQL; equal scores are ordered by id.
mod facets;

use crate::solution::Solution;
use facets::FacetTable;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::mem;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{
    doc, DocId, Index, IndexReader, IndexWriter, Score, SegmentOrdinal, SegmentReader,
    TantivyError, Term,
};

/// The shortest query searched: one letter would match half the catalogue.
pub const MIN_QUERY_CHARS: usize = 2;
/// The longest query searched.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most hits one search returns.
pub const MAX_LIMIT: usize = 100;

/// Why a search cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query needs at least {MIN_QUERY_CHARS} letters or digits")]
    TooShort,
    #[error("the query is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("lang must be ru or en, not {0:?}")]
    Lang(String),
    #[error("limit must be from 1 to {MAX_LIMIT}, not {0}")]
    Limit(usize),
    #[error("the search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// A search as a reader asks it.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    /// `ru` or `en`: the language of the titles and snippets of the hits.
    pub lang: String,
    /// Only solutions of this nomination (its name).
    pub nomination: Option<String>,
    /// Only solutions of this city (its code).
    pub city: Option<String>,
    pub limit: usize,
}

/// One hit, most relevant first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    /// An HTML fragment of the summary with the matched words in `<b>`; the rest escaped.
    pub snippet: String,
    pub score: f32,
    /// How many cities use the solution (dropped adoptions do not count).
    pub used_by: usize,
}

/// The hits and, for every facet, the number of matching solutions with each value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// The number of matching solutions (the hits are the first `limit` of them).
    pub total: usize,
    /// Whether the matches have every word of the query; when none has, they have any of them.
    pub all_words: bool,
    pub facets: BTreeMap<&'static str, BTreeMap<String, usize>>,
}

/// The search fields of the index.
#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title_ru: Field,
    summary_ru: Field,
    title_en: Field,
    summary_en: Field,
    tags: Field,
    nomination: Field,
    city: Field,
}

/// The catalogue's search index over the solutions it was built from.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The solutions in id order; a match is known by its position here.
    solutions: Vec<Solution>,
    /// For each segment of the index, each document's position in `solutions`.
    positions: Vec<Arc<[u32]>>,
    facets: FacetTable,
    /// How many cities use each solution; a solution absent here is used by none.
    used_by: BTreeMap<i64, usize>,
}

const RU: &str = "ru_stem";
const EN: &str = "en_stem";
const PLAIN: &str = "plain";

fn analyzer(stem: Option<Language>) -> TextAnalyzer {
    // Both languages' stop words in every field («на», «для», "the", "for"): they would match
    // nearly every solution, and a query's word is looked for in every field, so one field
    // keeping it would make "every word" require it there.
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(stop_words(Language::Russian))
        .filter(stop_words(Language::English))
        .filter(YoFolder);
    match stem {
        Some(language) => base.filter(Stemmer::new(language)).build(),
        None => base.build(),
    }
}

fn stop_words(language: Language) -> StopWordFilter {
    StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
}

fn text_field(analyzer: &str) -> TextOptions {
    TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

impl SearchIndex {
    /// Indexes `solutions` (the published ones are what the public searches; the caller chooses);
    /// `countries` maps a city code to its country code, `used_by` a solution's id to the number
    /// of cities using it.
    pub fn build(
        solutions: Vec<Solution>,
        countries: BTreeMap<String, String>,
        used_by: BTreeMap<i64, usize>,
    ) -> Result<SearchIndex, SearchError> {
        let mut builder = Schema::builder();
        let fields = Fields {
            id: builder.add_i64_field("id", INDEXED | STORED | FAST),
            title_ru: builder.add_text_field("title_ru", text_field(RU)),
            summary_ru: builder.add_text_field("summary_ru", text_field(RU)),
            title_en: builder.add_text_field("title_en", text_field(EN)),
            summary_en: builder.add_text_field("summary_en", text_field(EN)),
            tags: builder.add_text_field("tags", text_field(PLAIN)),
            nomination: builder.add_text_field("nomination", STRING),
            city: builder.add_text_field("city", STRING),
        };
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register(RU, analyzer(Some(Language::Russian)));
        index
            .tokenizers()
            .register(EN, analyzer(Some(Language::English)));
        index.tokenizers().register(PLAIN, analyzer(None));
        // One thread, one commit: one segment, documents in id order, the same index every time.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 20_000_000)?;
        let mut solutions = solutions;
        solutions.sort_by_key(|solution| solution.id);
        solutions.dedup_by_key(|solution| solution.id);
        for solution in &solutions {
            let tags = [
                solution.technologies.join(" "),
                solution.hardware.join(" "),
                solution.licence.clone(),
                solution.nomination.clone(),
            ]
            .join(" ");
            writer.add_document(doc!(
                fields.id => solution.id,
                fields.title_ru => solution.title_ru.as_str(),
                fields.summary_ru => solution.summary_ru.as_str(),
                fields.title_en => solution.title_en.as_str(),
                fields.summary_en => solution.summary_en.as_str(),
                fields.tags => tags,
                fields.nomination => solution.nomination.as_str(),
                fields.city => solution.city.clone().unwrap_or_default(),
            ))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let positions = positions(&reader.searcher(), &solutions)?;
        let facets = FacetTable::build(&solutions, &countries, &used_by);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            solutions,
            positions,
            facets,
            used_by,
        })
    }

    /// The solutions indexed.
    pub fn len(&self) -> usize {
        self.solutions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.solutions.is_empty()
    }

    /// Searches; hits in relevance order (ties by id), facets over every match.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let text = query.text.trim();
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        if text.chars().filter(|c| c.is_alphanumeric()).count() < MIN_QUERY_CHARS {
            return Err(SearchError::TooShort);
        }
        if !matches!(query.lang.as_str(), "ru" | "en") {
            return Err(SearchError::Lang(query.lang.clone()));
        }
        if !(1..=MAX_LIMIT).contains(&query.limit) {
            return Err(SearchError::Limit(query.limit));
        }
        let f = self.fields;
        // A reader's words, not query syntax: quotes, colons and brackets are just separators.
        let words: String = text
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        // Solutions with every word first, as a reader expects of a catalogue (and the facets
        // then count what the words describe); only when none has them all, any of the words.
        let searcher = self.reader.searcher();
        let (full, found) = self.matching(&searcher, &words, query, true)?;
        let (full, found, all_words) = if found.is_empty() {
            let (any, found) = self.matching(&searcher, &words, query, false)?;
            (any, found, false)
        } else {
            (full, found, true)
        };
        let facets = self
            .facets
            .count(found.iter().map(|(_, position)| *position));
        let (summary_field, other_field) = match query.lang.as_str() {
            "en" => (f.summary_en, f.summary_ru),
            _ => (f.summary_ru, f.summary_en),
        };
        let mut snippets = SnippetGenerator::create(&searcher, &full, summary_field)?;
        snippets.set_max_num_chars(200);
        let mut other_snippets = SnippetGenerator::create(&searcher, &full, other_field)?;
        other_snippets.set_max_num_chars(200);
        let total = found.len();
        let hits = best(found, query.limit)
            .into_iter()
            .filter_map(|(score, position)| {
                let solution = self.solutions.get(position as usize)?;
                let id = solution.id;
                let own = match query.lang.as_str() {
                    "en" => &solution.summary_en,
                    _ => &solution.summary_ru,
                };
                let snippet = if own.is_empty() {
                    other_snippets.snippet(solution.summary(&query.lang))
                } else {
                    snippets.snippet(own)
                };
                let html = snippet.to_html();
                Some(Hit {
                    id,
                    title: solution.title(&query.lang).to_string(),
                    snippet: if html.is_empty() {
                        escape_start(solution.summary(&query.lang), 200)
                    } else {
                        html
                    },
                    score,
                    used_by: self.used_by_of(id),
                })
            })
            .collect();
        Ok(SearchResults {
            hits,
            total,
            all_words,
            facets,
        })
    }

    /// Up to `limit` published solutions most like solution `id` (by its words), most similar
    /// first; never the solution itself.
    pub fn similar(&self, id: i64, limit: usize) -> Result<Vec<(i64, f32)>, SearchError> {
        let searcher = self.reader.searcher();
        let own = TermQuery::new(
            Term::from_field_i64(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let Some((_, address)) = searcher
            .search(&own, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_document(address);
        // The solution itself is usually the first: one more than asked.
        let found = searcher.search(&like, &TopDocs::with_limit(limit + 1).order_by_score())?;
        let found = found.into_iter().filter_map(|(score, address)| {
            let position = self.positions.get(address.segment_ord as usize)?;
            Some((score, *position.get(address.doc_id as usize)?))
        });
        let found = found.filter(|(_, position)| {
            self.solutions
                .get(*position as usize)
                .is_some_and(|solution| solution.id != id)
        });
        Ok(best(found.collect(), limit)
            .into_iter()
            .filter_map(|(score, position)| {
                Some((self.solutions.get(position as usize)?.id, score))
            })
            .collect())
    }

    /// The query of `words` (every word required, or any) within the query's filters, and the
    /// solutions it matches (their positions) with their scores, in no order.
    fn matching(
        &self,
        searcher: &tantivy::Searcher,
        words: &str,
        query: &SearchQuery,
        all_words: bool,
    ) -> Result<(BooleanQuery, Vec<(f32, u32)>), SearchError> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title_ru, f.summary_ru, f.title_en, f.summary_en, f.tags],
        );
        parser.set_field_boost(f.title_ru, 2.0);
        parser.set_field_boost(f.title_en, 2.0);
        if all_words {
            parser.set_conjunction_by_default();
        }
        let (matched, _) = parser.parse_query_lenient(words);
        // Words that are all stop words leave no term, and an empty query would match everything.
        let mut any_term = false;
        matched.query_terms(&mut |_, _| any_term = true);
        if !any_term {
            return Ok((BooleanQuery::new(Vec::new()), Vec::new()));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matched)];
        for (field, value) in [(f.nomination, &query.nomination), (f.city, &query.city)] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, value),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let full = BooleanQuery::new(clauses);
        let found = searcher.search(&full, &EveryMatch(&self.positions))?;
        Ok((full, found))
    }

    /// How many cities use solution `id`.
    pub fn used_by_of(&self, id: i64) -> usize {
        self.used_by.get(&id).copied().unwrap_or_default()
    }
}

/// For each segment of the index, each document's position in `solutions` (in id order), read
/// from the id column.
fn positions(
    searcher: &tantivy::Searcher,
    solutions: &[Solution],
) -> Result<Vec<Arc<[u32]>>, SearchError> {
    let position_of: HashMap<i64, u32> = solutions
        .iter()
        .enumerate()
        .map(|(position, solution)| (solution.id, position as u32))
        .collect();
    searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            let ids = segment.fast_fields().i64("id")?;
            (0..segment.max_doc())
                .map(|doc| {
                    ids.first(doc)
                        .and_then(|id| position_of.get(&id).copied())
                        .ok_or_else(|| {
                            SearchError::Index(TantivyError::InternalError(format!(
                                "document {doc} has no solution id"
                            )))
                        })
                })
                .collect()
        })
        .collect()
}

/// The first `limit` of `found`, best first, equal scores by position (that is, by id).
fn best(mut found: Vec<(f32, u32)>, limit: usize) -> Vec<(f32, u32)> {
    let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if limit == 0 {
        return Vec::new();
    }
    if found.len() > limit {
        found.select_nth_unstable_by(limit - 1, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
    found
}

/// Every match of a query as (score, the solution's position). A broad query matches tens of
/// thousands; a top-N collector as large as the catalogue would heap and sort them all, when
/// only the facets need them all and the hits need the first few.
struct EveryMatch<'a>(&'a [Arc<[u32]>]);

struct SegmentMatches {
    positions: Arc<[u32]>,
    found: Vec<(f32, u32)>,
}

impl Collector for EveryMatch<'_> {
    type Fruit = Vec<(f32, u32)>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let positions = self.0.get(segment as usize).cloned().ok_or_else(|| {
            TantivyError::InternalError(format!("segment {segment} is not in the index"))
        })?;
        Ok(SegmentMatches {
            positions,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, found: Vec<Vec<(f32, u32)>>) -> tantivy::Result<Vec<(f32, u32)>> {
        Ok(found.concat())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<(f32, u32)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(&position) = self.positions.get(doc as usize) {
            self.found.push((score, position));
        }
    }

    fn harvest(self) -> Vec<(f32, u32)> {
        self.found
    }
}

/// The start of a text, HTML-escaped, cut on a character boundary.
fn escape_start(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    let mut out = String::with_capacity(cut.len());
    for c in cut.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// A token filter that reads «ё» as «е» (the Russian stemmer expects it folded), after the
/// lower-caser.
#[derive(Clone)]
struct YoFolder;

impl TokenFilter for YoFolder {
    type Tokenizer<T: Tokenizer> = YoFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> YoFolderFilter<T> {
        YoFolderFilter { tokenizer }
    }
}

#[derive(Clone)]
struct YoFolderFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for YoFolderFilter<T> {
    type TokenStream<'a> = YoFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        YoFolderStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

struct YoFolderStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for YoFolderStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.contains(['ё', 'Ё']) {
            let folded = token.text.replace(['ё', 'Ё'], "е");
            let _ = mem::replace(&mut token.text, folded);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solution(id: i64, title_ru: &str, summary_ru: &str, title_en: &str) -> Solution {
        Solution {
            id,
            title_ru: title_ru.into(),
            title_en: title_en.into(),
            summary_ru: summary_ru.into(),
            summary_en: String::new(),
            city: Some(if id % 2 == 0 { "minsk" } else { "moscow" }.into()),
            nomination: if id < 3 {
                "Открытый город"
            } else {
                "Транспорт"
            }
            .into(),
            year: 2024,
            technologies: vec!["PostgreSQL".into()],
            hardware: vec![],
            licence: "MIT".into(),
            url: String::new(),
            published: true,
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::build(
            vec![
                solution(
                    1,
                    "Портал открытых данных",
                    "Городской портал публикует наборы данных о бюджете.",
                    "Open data portal",
                ),
                solution(
                    2,
                    "Электронная очередь в детские сады",
                    "Запись детей в сады через портал госуслуг.",
                    "Kindergarten queue",
                ),
                solution(
                    3,
                    "Умные светофоры",
                    "Светофоры подстраиваются под поток машин; ёмкость перекрёстков растёт.",
                    "Smart traffic lights",
                ),
                solution(
                    4,
                    "Мобильное приложение общественного транспорта",
                    "Расписание автобусов и трамваев в телефоне.",
                    "",
                ),
            ],
            BTreeMap::from([
                ("minsk".to_string(), "BY".to_string()),
                ("moscow".to_string(), "RU".to_string()),
            ]),
            BTreeMap::from([(1, 2)]),
        )
        .expect("index")
    }

    fn query(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            lang: "ru".into(),
            nomination: None,
            city: None,
            limit: 10,
        }
    }

    fn ids(results: &SearchResults) -> Vec<i64> {
        results.hits.iter().map(|h| h.id).collect()
    }

    #[test]
    fn every_word_first_then_any_word() {
        let index = index();
        let both = index.search(&query("портал бюджета")).expect("search");
        assert_eq!(ids(&both), vec![1]);
        assert!(both.all_words);
        // No solution speaks of both kindergartens and traffic lights: those with either.
        let either = index.search(&query("садов светофорами")).expect("search");
        assert_eq!(either.total, 2);
        assert!(!either.all_words);
        let mut found = ids(&either);
        found.sort();
        assert_eq!(found, vec![2, 3]);
    }

    #[test]
    fn stop_words_match_nothing() {
        let index = index();
        // «в» and «через» are in solution 2's summary; «портал» only in 1's and 2's.
        let found = index.search(&query("портал в через")).expect("search");
        assert_eq!(ids(&found), vec![1, 2]);
        assert_eq!(found.total, 2);
        let nothing = index.search(&query("в через под")).expect("search");
        assert_eq!(nothing.total, 0);
    }

    #[test]
    fn russian_word_forms_and_yo_are_found() {
        let index = index();
        // «светофоров», «садами» → the stems of «светофоры», «сады».
        assert_eq!(
            ids(&index.search(&query("светофоров")).expect("search")),
            [3]
        );
        assert_eq!(ids(&index.search(&query("садами")).expect("search")), [2]);
        // The title weighs more than the summary.
        assert_eq!(
            ids(&index.search(&query("портал")).expect("search")),
            [1, 2]
        );
        // «емкость» without the dots finds «ёмкость».
        assert_eq!(ids(&index.search(&query("емкости")).expect("search")), [3]);
        // English word forms through the English fields.
        let mut english = query("lights");
        english.lang = "en".into();
        let found = index.search(&english).expect("search");
        assert_eq!(ids(&found), [3]);
        assert_eq!(found.hits[0].title, "Smart traffic lights");
    }

    #[test]
    fn snippets_highlight_and_facets_count_every_match() {
        let index = index();
        let found = index.search(&query("портал")).expect("search");
        assert!(
            found.hits[0].snippet.contains("<b>портал</b>"),
            "{:?}",
            found.hits[0].snippet
        );
        assert_eq!(found.facets["nomination"]["Открытый город"], 2);
        assert_eq!(found.facets["country"]["BY"], 1);
        assert_eq!(found.facets["country"]["RU"], 1);
        // "Used by N cities" on each hit and as a facet.
        assert_eq!(found.hits[0].used_by, 2);
        assert_eq!(found.facets["used_by"]["2–4"], 1);
        assert_eq!(found.facets["used_by"]["0"], 1);
        let mut narrowed = query("портал");
        narrowed.city = Some("minsk".into());
        assert_eq!(ids(&index.search(&narrowed).expect("search")), [2]);
        narrowed.city = None;
        narrowed.nomination = Some("Транспорт".into());
        assert!(index.search(&narrowed).expect("search").hits.is_empty());
    }

    #[test]
    fn bad_queries_are_refused() {
        let index = index();
        assert!(matches!(
            index.search(&query("я")),
            Err(SearchError::TooShort)
        ));
        assert!(matches!(
            index.search(&query("  ")),
            Err(SearchError::TooShort)
        ));
        assert!(matches!(
            index.search(&query(&"слово ".repeat(2_000))),
            Err(SearchError::TooLong)
        ));
        let mut bad = query("портал");
        bad.lang = "de".into();
        assert!(matches!(index.search(&bad), Err(SearchError::Lang(_))));
        bad.lang = "ru".into();
        bad.limit = 0;
        assert!(matches!(index.search(&bad), Err(SearchError::Limit(0))));
        // Query syntax is read as words.
        assert_eq!(
            ids(&index.search(&query("title_ru:(портал")).expect("search")),
            [1, 2]
        );
    }

    #[test]
    fn similar_solutions_exclude_the_solution_itself() {
        let index = index();
        let similar = index.similar(4, 5).expect("similar");
        assert!(similar.iter().all(|(id, _)| *id != 4));
        assert!(index.similar(99, 5).expect("none").is_empty());
    }
}
