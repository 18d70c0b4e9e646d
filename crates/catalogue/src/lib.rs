//! # megapolis-catalogue — the catalogue of the cities' best software-hardware solutions
//!
//! [`solution`]: a solution and the checks of what a client sends; [`search`]: full-text search
//! in Russian and English with morphology, facets and similar solutions (an in-memory tantivy
//! index the web layer rebuilds from the database when the catalogue changes);
//! [`open_data`]: CSV, `publiccode.yml` and ADMS-AP Turtle; [`adoption`]: which cities adopted
//! a solution and how far they got; [`competition`]: the call (nominations, eligibility,
//! criteria with an anchored 1–5 scale, dates), its stages and the entries' states;
//! [`evaluation`]: conflicts of interest by organisation, scores, the weighted ranking with its
//! spread and z-scores, awards; [`promotion`]: the matrix of solutions × target cities with
//! checkable reasons and its ranking, and the concept drafted from it; [`book`]: the collection
//! («сборник») of a competition's results as typst markup with its QR codes and index of cities.
//! No HTTP, no SQL.
pub mod adoption;
pub mod book;
pub mod competition;
pub mod evaluation;
pub mod open_data;
pub mod promotion;
pub mod search;
pub mod solution;

pub use adoption::{
    Adoption, AdoptionChange, AdoptionError, AdoptionInput, AdoptionRecord, AdoptionStatus,
};
pub use search::{Hit, SearchError, SearchIndex, SearchQuery, SearchResults};
pub use solution::{Solution, SolutionError, SolutionInput};
