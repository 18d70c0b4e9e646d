//! The data model: the framework tree (from iMeta) and the unit data (from iData).
//!
//! Both can be built from memory ([`MetaRow`], [`UnitData::new`]) or read from CSV by [`crate::io`].
use std::collections::HashMap;

use crate::error::{IndexError, Result};

/// The `Type` of an iMeta row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaType {
    /// A level-1 indicator with a data column.
    Indicator,
    /// An aggregate (level ≥ 2) computed from its children.
    Aggregate,
    /// A grouping column of iData (text).
    Group,
    /// A denominator column of iData (numeric).
    Denominator,
}

/// One row of iMeta, as given (the `row` is the 1-based line used in error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct MetaRow {
    /// 1-based line number in the source (header = 1).
    pub row: usize,
    /// `Level` (1 for indicators).
    pub level: Option<u32>,
    /// `iCode`.
    pub code: String,
    /// `iName`.
    pub name: String,
    /// `Direction` (1 or −1).
    pub direction: Option<f64>,
    /// `Weight`, relative among the children of one parent.
    pub weight: Option<f64>,
    /// `Unit`.
    pub unit: String,
    /// `Target` (used by goalpost normalisation).
    pub target: Option<f64>,
    /// `Denominator`: the iData column the indicator is divided by when denominating.
    pub denominator: Option<String>,
    /// `Parent` iCode.
    pub parent: Option<String>,
    /// `Type`.
    pub kind: MetaType,
}

/// A node of the framework: an indicator or an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// iCode.
    pub code: String,
    /// iName.
    pub name: String,
    /// Level (1 = indicator).
    pub level: u32,
    /// Index of the parent node, `None` for the root(s).
    pub parent: Option<usize>,
    /// Indices of the children (iMeta order).
    pub children: Vec<usize>,
    /// Weight relative to its siblings.
    pub weight: f64,
    /// Direction, 1 or −1.
    pub direction: f64,
    /// Target, if any.
    pub target: Option<f64>,
    /// Denominator column, if any.
    pub denominator: Option<String>,
    /// Unit of measure.
    pub unit: String,
}

impl Node {
    /// Is this node an indicator (level 1)?
    pub fn is_indicator(&self) -> bool {
        self.level == 1
    }
}

/// The framework tree: indicators → aggregates → index, any depth.
#[derive(Debug, Clone)]
pub struct Framework {
    /// Indicators and aggregates in iMeta order.
    pub nodes: Vec<Node>,
    /// Codes of `Group` rows.
    pub groups: Vec<String>,
    /// Codes of `Denominator` rows.
    pub denominators: Vec<String>,
    /// Highest level.
    pub max_level: u32,
    /// Indicator node indices in COINr's lineage order (sorted by ancestors from the top, then code).
    pub indicator_order: Vec<usize>,
    index: HashMap<String, usize>,
}

/// Compare two codes as R does in a typical (en_US) locale: case-insensitive first, lower case first on ties.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| b.cmp(a))
}

impl Framework {
    /// Build and check the framework from iMeta rows. `source` names the file in errors.
    ///
    /// Checks: duplicate codes, Direction ±1, unknown parent, parent not an aggregate, a cycle,
    /// levels increasing towards the root, aggregates without children, unknown denominators.
    pub fn new(rows: &[MetaRow], source: &str) -> Result<Framework> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for r in rows {
            if r.code.trim().is_empty() {
                return Err(IndexError::input(source, r.row, "iCode", "empty iCode"));
            }
            if let Some(prev) = seen.insert(r.code.as_str(), r.row) {
                return Err(IndexError::input(
                    source,
                    r.row,
                    "iCode",
                    format!("duplicate code '{}' (first at row {prev})", r.code),
                ));
            }
        }
        let kinds: HashMap<&str, (MetaType, usize)> = rows
            .iter()
            .map(|r| (r.code.as_str(), (r.kind, r.row)))
            .collect();
        let mut nodes = Vec::new();
        let mut meta_rows = Vec::new();
        let mut groups = Vec::new();
        let mut denominators = Vec::new();
        for r in rows {
            match r.kind {
                MetaType::Group => groups.push(r.code.clone()),
                MetaType::Denominator => denominators.push(r.code.clone()),
                MetaType::Indicator | MetaType::Aggregate => {
                    let level = match (r.kind, r.level) {
                        (MetaType::Indicator, None | Some(1)) => 1,
                        (MetaType::Indicator, Some(l)) => {
                            return Err(IndexError::input(
                                source,
                                r.row,
                                "Level",
                                format!("an Indicator must have Level 1, found {l}"),
                            ))
                        }
                        (_, Some(l)) if l >= 2 => l,
                        (_, l) => {
                            return Err(IndexError::input(
                                source,
                                r.row,
                                "Level",
                                format!("an Aggregate must have Level >= 2, found {l:?}"),
                            ))
                        }
                    };
                    let direction = match (r.kind, r.direction) {
                        (_, Some(d)) if d == 1.0 || d == -1.0 => d,
                        (MetaType::Aggregate, None) => 1.0,
                        (_, d) => {
                            return Err(IndexError::input(
                                source,
                                r.row,
                                "Direction",
                                format!("Direction must be 1 or -1, found {d:?}"),
                            ))
                        }
                    };
                    let weight = match r.weight {
                        Some(w) if w.is_finite() => w,
                        Some(w) => {
                            return Err(IndexError::input(
                                source,
                                r.row,
                                "Weight",
                                format!("weight must be finite, found {w}"),
                            ))
                        }
                        None if r.parent.is_none() => 1.0,
                        None => {
                            return Err(IndexError::input(
                                source,
                                r.row,
                                "Weight",
                                "missing weight",
                            ))
                        }
                    };
                    if let Some(d) = &r.denominator {
                        match kinds.get(d.as_str()) {
                            Some((MetaType::Denominator, _)) => {}
                            _ => {
                                return Err(IndexError::input(
                                    source,
                                    r.row,
                                    "Denominator",
                                    format!("'{d}' is not a row of Type Denominator"),
                                ))
                            }
                        }
                    }
                    nodes.push(Node {
                        code: r.code.clone(),
                        name: r.name.clone(),
                        level,
                        parent: None,
                        children: Vec::new(),
                        weight,
                        direction,
                        target: r.target,
                        denominator: r.denominator.clone(),
                        unit: r.unit.clone(),
                    });
                    meta_rows.push(r);
                }
            }
        }
        let index: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.code.clone(), i))
            .collect();
        for (i, r) in meta_rows.iter().enumerate() {
            if let Some(p) = &r.parent {
                let Some(&pi) = index.get(p) else {
                    return Err(IndexError::input(
                        source,
                        r.row,
                        "Parent",
                        format!("unknown parent '{p}'"),
                    ));
                };
                if nodes[pi].level == 1 {
                    return Err(IndexError::input(
                        source,
                        r.row,
                        "Parent",
                        format!("parent '{p}' is an Indicator, not an Aggregate"),
                    ));
                }
                nodes[i].parent = Some(pi);
            } else if nodes[i].level == 1 {
                return Err(IndexError::input(
                    source,
                    r.row,
                    "Parent",
                    "an Indicator needs a Parent",
                ));
            }
        }
        // cycles
        for (i, r) in meta_rows.iter().enumerate() {
            let mut cur = nodes[i].parent;
            let mut steps = 0;
            while let Some(c) = cur {
                steps += 1;
                if steps > nodes.len() {
                    break; // not on the cycle itself: a node of the cycle reports it
                }
                if c == i {
                    return Err(IndexError::input(
                        source,
                        r.row,
                        "Parent",
                        format!("cycle in the framework through '{}'", r.code),
                    ));
                }
                cur = nodes[c].parent;
            }
        }
        for (i, r) in meta_rows.iter().enumerate() {
            if let Some(p) = nodes[i].parent {
                if nodes[p].level <= nodes[i].level {
                    return Err(IndexError::input(
                        source,
                        r.row,
                        "Level",
                        format!(
                            "level {} is not below its parent '{}' (level {})",
                            nodes[i].level, nodes[p].code, nodes[p].level
                        ),
                    ));
                }
                nodes[p].children.push(i);
            }
        }
        for (i, r) in meta_rows.iter().enumerate() {
            if nodes[i].level > 1 && nodes[i].children.is_empty() {
                return Err(IndexError::input(
                    source,
                    r.row,
                    "iCode",
                    format!("aggregate '{}' has no children", r.code),
                ));
            }
        }
        if !nodes.iter().any(|n| n.level == 1) {
            return Err(IndexError::File {
                file: source.to_string(),
                message: "no Indicator rows".into(),
            });
        }
        let max_level = nodes.iter().map(|n| n.level).max().unwrap_or(1);
        // lineage order
        let mut indicator_order: Vec<usize> =
            (0..nodes.len()).filter(|&i| nodes[i].level == 1).collect();
        let lineage = |i: usize| {
            let mut v = vec![nodes[i].code.clone()];
            let mut cur = nodes[i].parent;
            while let Some(c) = cur {
                v.push(nodes[c].code.clone());
                cur = nodes[c].parent;
            }
            v.reverse();
            v
        };
        indicator_order.sort_by(|&a, &b| {
            let (la, lb) = (lineage(a), lineage(b));
            for (x, y) in la.iter().zip(&lb) {
                let o = collate(x, y);
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            la.len().cmp(&lb.len())
        });
        Ok(Framework {
            nodes,
            groups,
            denominators,
            max_level,
            indicator_order,
            index,
        })
    }

    /// Node index of a code.
    pub fn find(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// Codes of the indicators in lineage order.
    pub fn indicator_codes(&self) -> Vec<String> {
        self.indicator_order
            .iter()
            .map(|&i| self.nodes[i].code.clone())
            .collect()
    }

    /// Aggregate node indices of a level, in iMeta order.
    pub fn aggregates_at(&self, level: u32) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].level == level)
            .collect()
    }

    /// Effective weight of every node: the product of its weight, normalised among its siblings,
    /// and of those of its ancestors (COINr's `get_eff_weights`). Roots get 1.
    pub fn effective_weights(&self, weights: &[f64]) -> Vec<f64> {
        let mut out = vec![f64::NAN; self.nodes.len()];
        for i in 0..self.nodes.len() {
            let mut w = 1.0;
            let mut cur = i;
            while let Some(p) = self.nodes[cur].parent {
                let sum: f64 = self.nodes[p].children.iter().map(|&c| weights[c]).sum();
                w *= weights[cur] / sum;
                cur = p;
            }
            out[i] = w;
        }
        out
    }
}

/// Unit data (iData): one row per unit and, for panel data, per `Time`.
#[derive(Debug, Clone, Default)]
pub struct UnitData {
    /// `uCode` per row.
    pub ucode: Vec<String>,
    /// `uName` per row (may be empty).
    pub uname: Vec<String>,
    /// `Time` per row, if the data is a panel.
    pub time: Option<Vec<i64>>,
    /// Numeric columns (indicators, denominators): code → values (`NaN` = missing).
    pub numeric: HashMap<String, Vec<f64>>,
    /// Group columns: code → labels.
    pub groups: HashMap<String, Vec<Option<String>>>,
}

impl UnitData {
    /// Check the data against the framework: every indicator, denominator and group has a column,
    /// uCodes are unique per Time, columns have the right length.
    pub fn validate(&self, fw: &Framework, source: &str) -> Result<()> {
        let n = self.ucode.len();
        for n_ in fw.nodes.iter().filter(|n| n.level == 1) {
            if !self.numeric.contains_key(&n_.code) {
                return Err(IndexError::input(
                    source,
                    1,
                    &n_.code,
                    format!("indicator '{}' has no data column", n_.code),
                ));
            }
        }
        for d in &fw.denominators {
            if !self.numeric.contains_key(d) {
                return Err(IndexError::input(
                    source,
                    1,
                    d,
                    format!("denominator '{d}' has no data column"),
                ));
            }
        }
        for g in &fw.groups {
            if !self.groups.contains_key(g) {
                return Err(IndexError::input(
                    source,
                    1,
                    g,
                    format!("group '{g}' has no data column"),
                ));
            }
        }
        for (c, v) in &self.numeric {
            if v.len() != n {
                return Err(IndexError::input(
                    source,
                    1,
                    c,
                    "column length differs from uCode",
                ));
            }
        }
        let mut seen: HashMap<(&str, i64), usize> = HashMap::new();
        for i in 0..n {
            let t = self.time.as_ref().map_or(0, |t| t[i]);
            if self.ucode[i].trim().is_empty() {
                return Err(IndexError::input(source, i + 2, "uCode", "empty uCode"));
            }
            if let Some(prev) = seen.insert((self.ucode[i].as_str(), t), i + 2) {
                return Err(IndexError::input(
                    source,
                    i + 2,
                    "uCode",
                    format!("duplicate uCode '{}' (first at row {prev})", self.ucode[i]),
                ));
            }
        }
        Ok(())
    }

    /// Distinct times, ascending (empty if not a panel).
    pub fn times(&self) -> Vec<i64> {
        let mut t: Vec<i64> = self.time.clone().unwrap_or_default();
        t.sort_unstable();
        t.dedup();
        t
    }
}

/// A data set: units × indicator (and, once aggregated, aggregate) columns. Missing = `NaN`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    /// Name (`Raw`, `Denominated`, `Imputed`, …).
    pub name: String,
    /// Unit codes (rows).
    pub units: Vec<String>,
    /// Column codes.
    pub codes: Vec<String>,
    /// Column-major values: `cols[j][i]` is unit `i`, column `j`.
    pub cols: Vec<Vec<f64>>,
}

impl DataSet {
    /// Column by code.
    pub fn col(&self, code: &str) -> Option<&[f64]> {
        self.codes
            .iter()
            .position(|c| c == code)
            .map(|j| self.cols[j].as_slice())
    }
    /// A copy renamed.
    pub fn renamed(&self, name: &str) -> DataSet {
        DataSet {
            name: name.to_string(),
            ..self.clone()
        }
    }
    /// Keep only the given rows.
    pub fn select_rows(&self, keep: &[usize]) -> DataSet {
        DataSet {
            name: self.name.clone(),
            units: keep.iter().map(|&i| self.units[i].clone()).collect(),
            codes: self.codes.clone(),
            cols: self
                .cols
                .iter()
                .map(|c| keep.iter().map(|&i| c[i]).collect())
                .collect(),
        }
    }
}
