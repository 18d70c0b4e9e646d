//! Reading iData/iMeta CSV, `build.toml`, weights files, and writing the output directory.
//! The only module of the crate that touches files; readers take any `Read` so that callers
//! (and the fuzz tests) can feed bytes from memory.
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::analysis::Analysis;
use crate::error::{IndexError, Result};
use crate::model::{Framework, MetaRow, MetaType, UnitData};
use crate::pipeline::{BuildResult, Results};
use crate::sensitivity::SensitivityResult;
use crate::spec::{BuildSpec, Step, WeightSource};

fn csv_reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(r)
}

fn csv_err(file: &str, e: csv::Error) -> IndexError {
    let row = e.position().map(|p| p.line() as usize);
    match row {
        Some(row) => IndexError::Input {
            file: file.into(),
            row,
            column: String::new(),
            message: e.to_string(),
        },
        None => IndexError::File {
            file: file.into(),
            message: e.to_string(),
        },
    }
}

/// Parse a cell: empty, `NA` or `NaN` is missing; otherwise a finite number.
pub fn parse_num(s: &str) -> std::result::Result<Option<f64>, String> {
    let t = s.trim();
    if t.is_empty() || t == "NA" || t == "NaN" {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("'{t}' is not a number")),
    }
}

fn headers<R: Read>(rd: &mut csv::Reader<R>, file: &str) -> Result<Vec<String>> {
    let h: Vec<String> = rd
        .headers()
        .map_err(|e| csv_err(file, e))?
        .iter()
        .map(|s| s.trim_start_matches('\u{feff}').to_string())
        .collect();
    for (i, a) in h.iter().enumerate() {
        if h[..i].contains(a) {
            return Err(IndexError::input(file, 1, a, "duplicate column"));
        }
    }
    Ok(h)
}

/// Read iMeta CSV into rows (not yet checked as a tree: see [`Framework::new`]).
pub fn read_meta_rows<R: Read>(r: R, file: &str) -> Result<Vec<MetaRow>> {
    let mut rd = csv_reader(r);
    let h = headers(&mut rd, file)?;
    let pos = |n: &str| h.iter().position(|c| c == n);
    let Some(ic) = pos("iCode") else {
        return Err(IndexError::input(file, 1, "iCode", "missing column iCode"));
    };
    let Some(tc) = pos("Type") else {
        return Err(IndexError::input(file, 1, "Type", "missing column Type"));
    };
    let mut rows = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| csv_err(file, e))?;
        let row = k + 2;
        let cell = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        let opt = |c: Option<usize>| Some(cell(c)).filter(|s| !s.is_empty() && s != "NA");
        let num = |name: &str| -> Result<Option<f64>> {
            parse_num(&cell(pos(name))).map_err(|m| IndexError::input(file, row, name, m))
        };
        let kind = match cell(Some(tc)).as_str() {
            "Indicator" => MetaType::Indicator,
            "Aggregate" => MetaType::Aggregate,
            "Group" => MetaType::Group,
            "Denominator" => MetaType::Denominator,
            "Other" => continue,
            t => {
                return Err(IndexError::input(
                    file,
                    row,
                    "Type",
                    format!(
                    "Type must be Indicator, Aggregate, Group, Denominator or Other, found '{t}'"
                ),
                ))
            }
        };
        let level = match num("Level")? {
            None => None,
            Some(l) if l >= 1.0 && l.fract() == 0.0 && l < 1000.0 => Some(l as u32),
            Some(l) => {
                return Err(IndexError::input(
                    file,
                    row,
                    "Level",
                    format!("bad level {l}"),
                ))
            }
        };
        rows.push(MetaRow {
            row,
            level,
            code: cell(Some(ic)),
            name: cell(pos("iName")),
            direction: num("Direction")?,
            weight: num("Weight")?,
            unit: cell(pos("Unit")),
            target: num("Target")?,
            denominator: opt(pos("Denominator")),
            parent: opt(pos("Parent")),
            kind,
        });
    }
    Ok(rows)
}

/// Read and check iMeta.
pub fn read_meta<R: Read>(r: R, file: &str) -> Result<Framework> {
    Framework::new(&read_meta_rows(r, file)?, file)
}

/// Read iData against a framework (numeric cells checked, group columns kept as text) and validate.
pub fn read_data<R: Read>(r: R, file: &str, fw: &Framework) -> Result<UnitData> {
    let mut rd = csv_reader(r);
    let h = headers(&mut rd, file)?;
    let Some(uc) = h.iter().position(|c| c == "uCode") else {
        return Err(IndexError::input(file, 1, "uCode", "missing column uCode"));
    };
    let un = h.iter().position(|c| c == "uName");
    let tc = h.iter().position(|c| c == "Time");
    let numeric: Vec<(usize, &String)> = h
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            fw.find(c).is_some_and(|i| fw.nodes[i].level == 1) || fw.denominators.contains(c)
        })
        .collect();
    let groups: Vec<(usize, &String)> = h
        .iter()
        .enumerate()
        .filter(|(_, c)| fw.groups.contains(c))
        .collect();
    let mut d = UnitData::default();
    let mut times = Vec::new();
    let mut num_cols: Vec<Vec<f64>> = vec![Vec::new(); numeric.len()];
    let mut grp_cols: Vec<Vec<Option<String>>> = vec![Vec::new(); groups.len()];
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| csv_err(file, e))?;
        let row = k + 2;
        d.ucode.push(rec.get(uc).unwrap_or("").to_string());
        d.uname
            .push(un.and_then(|c| rec.get(c)).unwrap_or("").to_string());
        if let Some(tc) = tc {
            let t = rec.get(tc).unwrap_or("");
            let v: i64 = t.parse().map_err(|_| {
                IndexError::input(file, row, "Time", format!("'{t}' is not an integer year"))
            })?;
            times.push(v);
        }
        for (j, (c, name)) in numeric.iter().enumerate() {
            let v = parse_num(rec.get(*c).unwrap_or(""))
                .map_err(|m| IndexError::input(file, row, name, m))?;
            num_cols[j].push(v.unwrap_or(f64::NAN));
        }
        for (j, (c, _)) in groups.iter().enumerate() {
            let s = rec.get(*c).unwrap_or("");
            grp_cols[j].push(Some(s.to_string()).filter(|s| !s.is_empty() && s != "NA"));
        }
    }
    if tc.is_some() {
        d.time = Some(times);
    }
    for ((_, name), v) in numeric.iter().zip(num_cols) {
        d.numeric.insert((*name).clone(), v);
    }
    for ((_, name), v) in groups.iter().zip(grp_cols) {
        d.groups.insert((*name).clone(), v);
    }
    d.validate(fw, file)?;
    Ok(d)
}

/// Read a weights file `iCode, Weight` (a `Level` column is allowed and ignored).
pub fn read_weights<R: Read>(r: R, file: &str) -> Result<HashMap<String, f64>> {
    let mut rd = csv_reader(r);
    let h = headers(&mut rd, file)?;
    let (Some(ic), Some(wc)) = (
        h.iter().position(|c| c == "iCode"),
        h.iter().position(|c| c == "Weight"),
    ) else {
        return Err(IndexError::input(
            file,
            1,
            "iCode",
            "weights need columns iCode and Weight",
        ));
    };
    let mut m = HashMap::new();
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| csv_err(file, e))?;
        let row = k + 2;
        let code = rec.get(ic).unwrap_or("").to_string();
        let w = parse_num(rec.get(wc).unwrap_or(""))
            .map_err(|m| IndexError::input(file, row, "Weight", m))?
            .ok_or_else(|| IndexError::input(file, row, "Weight", "missing weight"))?;
        if m.insert(code.clone(), w).is_some() {
            return Err(IndexError::input(
                file,
                row,
                "iCode",
                format!("duplicate code '{code}'"),
            ));
        }
    }
    Ok(m)
}

fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|source| IndexError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Read a framework from an iMeta file.
pub fn load_meta(path: &Path) -> Result<Framework> {
    read_meta(open(path)?, &path.display().to_string())
}

/// Read unit data from an iData file.
pub fn load_data(path: &Path, fw: &Framework) -> Result<UnitData> {
    read_data(open(path)?, &path.display().to_string(), fw)
}

/// Read `build.toml`, resolving weights files relative to its folder.
pub fn load_spec(path: &Path) -> Result<BuildSpec> {
    let text = std::fs::read_to_string(path).map_err(|source| IndexError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut spec = BuildSpec::parse(&text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    resolve_weight_files(&mut spec, dir)?;
    Ok(spec)
}

/// Replace `WeightSource::File` by the weights read from the file (relative to `dir`).
pub fn resolve_weight_files(spec: &mut BuildSpec, dir: &Path) -> Result<()> {
    for s in spec.steps.iter_mut() {
        if let Step::Aggregate { weights, .. } = s {
            if let WeightSource::File(f) = weights {
                let p = dir.join(f.as_str());
                let m = read_weights(open(&p)?, &p.display().to_string())?;
                *weights = WeightSource::Given(m);
            }
        }
    }
    Ok(())
}

/// Format a number for output: shortest round-trip representation (full precision, ≥ 15
/// significant digits where the value needs them); missing is an empty cell.
pub fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

fn writer(path: &Path) -> Result<csv::Writer<std::fs::File>> {
    let f = std::fs::File::create(path).map_err(|source| IndexError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(csv::Writer::from_writer(f))
}

fn werr(path: &Path, e: impl std::fmt::Display) -> IndexError {
    IndexError::File {
        file: path.display().to_string(),
        message: e.to_string(),
    }
}

fn write_rows(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    let mut w = writer(path)?;
    w.write_record(header).map_err(|e| werr(path, e))?;
    for r in rows {
        w.write_record(&r).map_err(|e| werr(path, e))?;
    }
    w.flush().map_err(|e| werr(path, e))
}

/// Write the build outputs of the spec: `scores.csv`, `ranks.csv`, `dset_<Name>.csv`, `weights.csv`,
/// and, when given, the analysis files.
pub fn write_build(
    dir: &Path,
    fw: &Framework,
    b: &BuildResult,
    r: &Results,
    a: Option<&Analysis>,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut header = vec!["uCode".to_string(), "Rank".to_string()];
    header.extend(r.codes.iter().cloned());
    for (name, table) in [("scores.csv", &r.scores), ("ranks.csv", &r.ranks)] {
        write_rows(
            &dir.join(name),
            &header,
            (0..r.units.len()).map(|i| {
                let mut row = vec![r.units[i].clone(), fmt_num(r.rank[i])];
                row.extend(table.iter().map(|c| fmt_num(c[i])));
                row
            }),
        )?;
    }
    for d in &b.datasets {
        let mut h = vec!["uCode".to_string()];
        h.extend(d.codes.iter().cloned());
        write_rows(
            &dir.join(format!("dset_{}.csv", d.name)),
            &h,
            (0..d.units.len()).map(|i| {
                let mut row = vec![d.units[i].clone()];
                row.extend(d.cols.iter().map(|c| fmt_num(c[i])));
                row
            }),
        )?;
    }
    write_rows(
        &dir.join("weights.csv"),
        &["iCode".into(), "Level".into(), "Weight".into()],
        fw.nodes
            .iter()
            .zip(&b.weights)
            .map(|(n, w)| vec![n.code.clone(), n.level.to_string(), fmt_num(*w)]),
    )?;
    let eff = fw.effective_weights(&b.weights);
    write_rows(
        &dir.join("effective_weights.csv"),
        &["iCode".into(), "Level".into(), "EffectiveWeight".into()],
        fw.nodes
            .iter()
            .zip(&eff)
            .map(|(n, w)| vec![n.code.clone(), n.level.to_string(), fmt_num(*w)]),
    )?;
    if let Some(a) = a {
        write_analysis(dir, a)?;
    }
    Ok(())
}

/// Write the analysis files: `correlations.csv`, `cronbach.csv`, `pca.csv`, `availability.csv`, `flags.csv`.
pub fn write_analysis(dir: &Path, a: &Analysis) -> Result<()> {
    let s = |x: &str| x.to_string();
    write_rows(
        &dir.join("correlations.csv"),
        &[
            s("Var1"),
            s("Var2"),
            s("Relation"),
            s("Pearson"),
            s("Spearman"),
        ],
        a.correlations.iter().map(|c| {
            vec![
                c.a.clone(),
                c.b.clone(),
                c.relation.into(),
                fmt_num(c.pearson),
                fmt_num(c.spearman),
            ]
        }),
    )?;
    write_rows(
        &dir.join("cronbach.csv"),
        &[s("iCode"), s("Alpha")],
        a.alpha.iter().map(|(c, v)| vec![c.clone(), fmt_num(*v)]),
    )?;
    write_rows(
        &dir.join("pca.csv"),
        &[s("iCode"), s("Component"), s("Eigenvalue"), s("Loadings")],
        a.pca.iter().flat_map(|(c, p)| {
            p.eigenvalues.iter().enumerate().map(move |(k, e)| {
                vec![
                    c.clone(),
                    (k + 1).to_string(),
                    fmt_num(*e),
                    p.loadings[k]
                        .iter()
                        .map(|x| fmt_num(*x))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
        }),
    )?;
    write_rows(
        &dir.join("availability.csv"),
        &[s("Kind"), s("Code"), s("Availability")],
        a.availability_units
            .iter()
            .map(|(c, v)| vec![s("unit"), c.clone(), fmt_num(*v)])
            .chain(
                a.availability_indicators
                    .iter()
                    .map(|(c, v)| vec![s("indicator"), c.clone(), fmt_num(*v)]),
            ),
    )?;
    write_rows(
        &dir.join("flags.csv"),
        &[s("Code"), s("Flag"), s("Detail")],
        a.flags
            .iter()
            .map(|f| vec![f.code.clone(), f.kind.into(), f.detail.clone()]),
    )
}

/// Write `rank_stats.csv` and, for a sensitivity analysis, `sensitivity.csv`.
pub fn write_sensitivity(dir: &Path, s: &SensitivityResult) -> Result<()> {
    let h = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    write_rows(
        &dir.join("rank_stats.csv"),
        &h(&["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"]),
        s.rank_stats.iter().map(|r| {
            vec![
                r.unit.clone(),
                fmt_num(r.nominal),
                fmt_num(r.mean),
                fmt_num(r.median),
                fmt_num(r.q5),
                fmt_num(r.q95),
            ]
        }),
    )?;
    if let Some(si) = &s.indices {
        write_rows(
            &dir.join("sensitivity.csv"),
            &h(&[
                "Variable", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95",
            ]),
            si.iter().map(|v| {
                vec![
                    v.variable.clone(),
                    fmt_num(v.si),
                    fmt_num(v.sti),
                    fmt_num(v.si_q5),
                    fmt_num(v.si_q95),
                    fmt_num(v.sti_q5),
                    fmt_num(v.sti_q95),
                ]
            }),
        )?;
    }
    Ok(())
}
