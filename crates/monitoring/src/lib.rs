//! # megapolis-monitoring — the monitoring of the information development of member cities
//!
//! An **edition** of the methodology is an iMeta CSV in COINr's conventions (optionally with the
//! columns `question_ru`, `question_en`, `answer_type`), the engine's `build.toml` and, once
//! verified, the iData CSV of the cities' values. [`EditionInput::parse`] reads them all through
//! `megapolis-index`, so what is accepted computes; [`compute()`] runs the build and an
//! uncertainty analysis and gives every unit its scores, rank and rank interval; [`pin()`]
//! identifies a result by everything it depends on. [`EditionState`] is the edition's life.
//!
//! The public side: [`open_data::EditionTables`] rebuilds every data set of a computed edition
//! (for the open data files and the profiles), [`profile`] makes a unit's profile (medians, peer
//! groups, strengths and weaknesses by a documented rule, rank history) and [`charts`] draws the
//! SVG charts shared by the pages and the PDF report.
//!
//! Pure: no I/O, no runtime; the storage and the web call it.
pub mod agreement;
pub mod answers;
pub mod campaign;
pub mod charts;
pub mod compute;
pub mod edition;
pub mod meta_table;
pub mod open_data;
pub mod profile;
pub mod state;
pub mod template;

pub use agreement::{cohens_kappa, is_ambiguous, resolve, Decision, Resolution, AMBIGUOUS_BELOW};
pub use answers::{
    AnswerError, AnswerInput, CellPlace, CheckedAnswer, Criterion, Problem, QuestionSpec,
    Questionnaire, VerifiedCity,
};
pub use campaign::{
    check_assessors, AnswerStage, AssessorInfo, CampaignError, Capacity, CityAction, CityState,
};
pub use compute::{
    compute, default_analysis, pin, AnalysisInfo, ComputeError, Computed, InputEffect, RankedUnit,
    Ranking, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WEIGHT_NOISE,
};
pub use edition::{
    AnswerType, Edition, EditionInput, InputError, InputPart, Methodology, Question,
};
pub use meta_table::{
    rename_data_column, EditError, MetaNode, MetaRow, MetaTable, Names, EDITABLE_COLUMNS,
};
pub use state::{EditionState, StateError};
pub use template::{read_template, write_template, TemplateKey};
