//! Whole flows against the real server on a random port: one test binary, so it links once.
mod architecture;
mod browser;
mod control;
mod decisions;
mod flows;
mod mail;
mod matrix;
mod operations;
mod support;
mod workflow;
