//! # megapolis-index — the composite-index engine
//!
//! Builds composite indicators with the semantics of COINr 1.1 (EU JRC), analyses them, and runs
//! uncertainty and sensitivity analyses. The compute core (everything but [`io`]) does no I/O:
//! a caller (the CLI, the monitoring capability) builds from memory:
//!
//! ```
//! use megapolis_index::{model::*, spec::BuildSpec, pipeline};
//! let meta = megapolis_index::io::read_meta("ind,agg\n".as_bytes(), "x").err(); // files: see `io`
//! assert!(meta.is_some());
//! let rows = vec![
//!     MetaRow { row: 2, level: Some(1), code: "a".into(), name: "A".into(), direction: Some(1.0),
//!         weight: Some(1.0), unit: String::new(), target: None, denominator: None,
//!         parent: Some("Index".into()), kind: MetaType::Indicator },
//!     MetaRow { row: 3, level: Some(1), code: "b".into(), name: "B".into(), direction: Some(-1.0),
//!         weight: Some(1.0), unit: String::new(), target: None, denominator: None,
//!         parent: Some("Index".into()), kind: MetaType::Indicator },
//!     MetaRow { row: 4, level: Some(2), code: "Index".into(), name: "Index".into(), direction: Some(1.0),
//!         weight: Some(1.0), unit: String::new(), target: None, denominator: None,
//!         parent: None, kind: MetaType::Aggregate },
//! ];
//! let fw = Framework::new(&rows, "memory").unwrap();
//! let mut data = UnitData::default();
//! data.ucode = vec!["X".into(), "Y".into(), "Z".into()];
//! data.uname = vec![String::new(); 3];
//! data.numeric.insert("a".into(), vec![1.0, 2.0, 3.0]);
//! data.numeric.insert("b".into(), vec![3.0, 2.0, 1.0]);
//! let spec = BuildSpec::parse(r#"
//!     [[step]]
//!     op = "normalise"
//!     method = "minmax"
//!     [[step]]
//!     op = "aggregate"
//! "#).unwrap();
//! let built = pipeline::build(&fw, &data, &spec).unwrap();
//! let res = pipeline::results(&fw, &built);
//! assert_eq!(res.units[0], "Z");
//! assert_eq!(res.scores[0][0], 100.0);
//! ```
//!
//! Modules: [`model`] (framework tree, unit data, data sets), [`spec`] (build specification),
//! [`ops`] (normalisation, treatment, imputation, aggregation), [`pipeline`] (the build),
//! [`analysis`] (correlations, alpha, PCA, availability), [`sensitivity`] (uncertainty and
//! sensitivity analysis), [`io`] (CSV/TOML reading and output writing).
#![warn(missing_docs)]
// Numeric kernels index several parallel arrays by unit; tuples of results are local plumbing.
#![allow(clippy::needless_range_loop, clippy::type_complexity)]

pub mod analysis;
pub mod error;
pub mod io;
pub mod model;
pub mod ops;
pub mod pipeline;
pub mod sensitivity;
pub mod spec;
pub mod stats;

pub use error::{IndexError, Result};

/// The engine's version: part of a monitoring result's pin, since another version may compute
/// other numbers from the same files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
