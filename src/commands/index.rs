//! `megapolis index …`: the command line of the index engine (crate `megapolis-index`).
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Subcommand;
use megapolis_index::{analysis, io, pipeline, sensitivity};

/// Composite-index commands.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Build a composite index (COINr 1.1 semantics) and write scores.csv, ranks.csv,
    /// dset_<Name>.csv, weights.csv and the analysis files to --out; with an [analysis] section
    /// in the spec, also rank_stats.csv and sensitivity.csv.
    Build {
        /// iData.csv: uCode, uName, Time, then one column per indicator, denominator and group.
        #[arg(long, env = "MEGAPOLIS_INDEX_DATA")]
        data: PathBuf,
        /// iMeta.csv: Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent, Type.
        #[arg(long, env = "MEGAPOLIS_INDEX_META")]
        meta: PathBuf,
        /// build.toml: the [[step]] list and an optional [analysis].
        #[arg(long)]
        spec: PathBuf,
        /// Output directory (created if absent).
        #[arg(long)]
        out: PathBuf,
        /// Threads for the uncertainty/sensitivity analysis (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Skip the [analysis] section even if present.
        #[arg(long)]
        no_analysis: bool,
    },
    /// Validate iData/iMeta (and the spec, if given) without building; errors name file, row and column.
    Check {
        /// iData.csv.
        #[arg(long)]
        data: PathBuf,
        /// iMeta.csv.
        #[arg(long)]
        meta: PathBuf,
        /// build.toml to check too.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

/// Run an index command.
pub fn run(command: IndexCommand) -> anyhow::Result<()> {
    match command {
        IndexCommand::Check { data, meta, spec } => {
            let fw = io::load_meta(&meta)?;
            let d = io::load_data(&data, &fw)?;
            if let Some(s) = &spec {
                io::load_spec(s)?;
            }
            let n_ind = fw.nodes.iter().filter(|n| n.level == 1).count();
            println!(
                "ok: {} indicators, {} aggregates, {} levels; {} data rows{}",
                n_ind,
                fw.nodes.len() - n_ind,
                fw.max_level,
                d.ucode.len(),
                if spec.is_some() { "; spec ok" } else { "" }
            );
            Ok(())
        }
        IndexCommand::Build {
            data,
            meta,
            spec,
            out,
            threads,
            no_analysis,
        } => {
            let fw = io::load_meta(&meta)?;
            let d = io::load_data(&data, &fw)?;
            let spec = io::load_spec(&spec)?;
            let built = pipeline::build(&fw, &d, &spec)?;
            let res = pipeline::results(&fw, &built);
            let an = analysis::analyse(&fw, built.last(), 0.9);
            io::write_build(&out, &fw, &built, &res, Some(&an))
                .with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {} ({} units)", out.display(), res.units.len());
            if spec.analysis.is_some() && !no_analysis {
                let bar = progress_bar();
                let cb = |done: usize, total: usize| {
                    if let Some(b) = &bar {
                        b.set_length(total as u64);
                        b.set_position(done as u64);
                    }
                };
                let t0 = std::time::Instant::now();
                let sa = sensitivity::run(&fw, &d, &spec, &sensitivity::Options { threads }, &cb)?;
                if let Some(b) = &bar {
                    b.finish_and_clear();
                }
                io::write_sensitivity(&out, &sa)?;
                println!(
                    "analysis: {} runs in {:.2} s ({} failed)",
                    sa.outputs.len(),
                    t0.elapsed().as_secs_f64(),
                    sa.failed_runs
                );
            }
            Ok(())
        }
    }
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let b = indicatif::ProgressBar::new(0);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {eta} left")
    {
        b.set_style(style);
    }
    Some(b)
}
