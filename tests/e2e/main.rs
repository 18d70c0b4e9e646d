//! Whole flows against the real server on a random port: one test binary, so it links once.
//! One folder per capability, beside the cross-cutting suites (architecture, matrix, browser,
//! flows, operations) and the shared `support`.
mod architecture;
mod browser;
mod flows;
mod matrix;
mod operations;
mod support;

mod assignments;
mod catalogue;
mod consultations;
mod control;
mod decisions;
mod events;
mod jobs;
mod monitoring;
mod notices;
mod training;
