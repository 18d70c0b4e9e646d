//! Charts drawn on the server as SVG strings: the same markup goes into a page (inline) and into
//! the PDF report (an SVG file beside the typst markup). Every text is escaped; every chart has
//! `role="img"`, an `aria-label` and a `<title>` saying what it shows, and a fixed size in its
//! `viewBox` (pages scale it down with CSS).
//!
//! - [`interval_bar`]: a unit's rank interval on the scale of the ranking;
//! - [`score_bars`]: a unit's score per aggregate against the median of all units and of its
//!   peer group;
//! - [`rank_line`]: a unit's rank across editions (rank 1 at the top);
//! - [`comparison_bars`]: two to four units' scores per aggregate, side by side.
use std::fmt::Write as _;

/// Colours of the series (the site's accent first; contrast ≥ 3:1 on white).
pub const SERIES: [&str; 4] = ["#1d4f91", "#b5472d", "#2e7d4f", "#7a4f9e"];
const TRACK: &str = "#c5cad3";
const INTERVAL: &str = "#8fb3e0";
const MEDIAN_ALL: &str = "#1b2430";
const MEDIAN_GROUP: &str = "#b5472d";
const INK: &str = "#1b2430";
const MUTED: &str = "#4a5565";
/// Fonts for the page; typst falls back to its own embedded fonts in the PDF.
const FONT: &str = "font-family=\"Libertinus Serif, DejaVu Sans, sans-serif\"";

/// Text escaped for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn open(class: &str, width: f64, height: f64, label: &str) -> String {
    let label = escape(label);
    format!(
        "<svg class=\"{class}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>"
    )
}

/// Width of the interval bar, in SVG units.
const BAR_WIDTH: f64 = 160.0;

/// A rank interval on the scale 1…`units`: a track, the interval from `low` to `high` and a
/// mark at the rank. `label` is what a screen reader says of it.
pub fn interval_bar(rank: u32, low: u32, high: u32, units: usize, label: &str) -> String {
    let span = (units.max(2) - 1) as f64;
    let x = |r: u32| 4.0 + (f64::from(r.max(1)) - 1.0) / span * (BAR_WIDTH - 8.0);
    let (from, to, at) = (x(low), x(high), x(rank));
    let mut svg = open("rank-bar", BAR_WIDTH, 16.0, label);
    let _ = write!(
        svg,
        concat!(
            "<line x1=\"4\" y1=\"8\" x2=\"{end:.1}\" y2=\"8\" stroke=\"{track}\" stroke-width=\"2\"/>",
            "<rect x=\"{from:.1}\" y=\"3\" width=\"{len:.1}\" height=\"10\" rx=\"3\" fill=\"{interval}\"/>",
            "<circle cx=\"{at:.1}\" cy=\"8\" r=\"4\" fill=\"{mark}\"/>",
            "</svg>"
        ),
        end = BAR_WIDTH - 4.0,
        from = from - 2.0,
        len = (to - from) + 4.0,
        at = at,
        track = TRACK,
        interval = INTERVAL,
        mark = SERIES[0],
    );
    svg
}

/// One bar of [`score_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBar {
    pub label: String,
    pub score: Option<f64>,
    pub median_all: Option<f64>,
    pub median_group: Option<f64>,
    /// The score as the reader reads numbers ("61,3" or "61.3").
    pub score_text: String,
}

/// The scale of a set of values: from min(0, least) to max(greatest, least + 1).
fn scale(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = (0.0_f64, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        low = low.min(v);
        high = high.max(v);
    }
    if !high.is_finite() || high <= low {
        high = low + 1.0;
    }
    (low, high)
}

/// Legend texts of [`score_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLegend {
    pub score: String,
    pub median_all: String,
    pub median_group: String,
}

const LABEL_WIDTH: f64 = 190.0;
const PLOT_WIDTH: f64 = 300.0;
const VALUE_WIDTH: f64 = 60.0;
const ROW: f64 = 26.0;

/// A label cut to fit the label column (the full text is in the table beside the chart).
fn short(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_string()
    } else {
        let cut: String = label.chars().take(chars - 1).collect();
        format!("{cut}…")
    }
}

/// A unit's scores per aggregate as horizontal bars, with a mark for the median of all units
/// (a dark line) and of its peer group (a dashed line).
pub fn score_bars(bars: &[ScoreBar], legend: &ScoreLegend, label: &str) -> String {
    let (low, high) = scale(bars.iter().flat_map(|b| {
        [b.score, b.median_all, b.median_group]
            .into_iter()
            .flatten()
    }));
    let x = |v: f64| LABEL_WIDTH + (v - low) / (high - low) * PLOT_WIDTH;
    let width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
    let height = 30.0 + ROW * bars.len() as f64;
    let mut svg = open("chart score-bars", width, height, label);
    let _ = write!(
        svg,
        "<g {FONT} font-size=\"12\" fill=\"{INK}\"><rect x=\"{LABEL_WIDTH}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0}\" y=\"15\">{}</text><line x1=\"{:.0}\" y1=\"4\" x2=\"{:.0}\" y2=\"18\" stroke=\"{MEDIAN_ALL}\" stroke-width=\"2\"/><text x=\"{:.0}\" y=\"15\">{}</text><line x1=\"{:.0}\" y1=\"4\" x2=\"{:.0}\" y2=\"18\" stroke=\"{MEDIAN_GROUP}\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/><text x=\"{:.0}\" y=\"15\">{}</text></g>",
        SERIES[0],
        LABEL_WIDTH + 14.0,
        escape(&short(&legend.score, 14)),
        LABEL_WIDTH + 110.0,
        LABEL_WIDTH + 110.0,
        LABEL_WIDTH + 116.0,
        escape(&short(&legend.median_all, 14)),
        LABEL_WIDTH + 220.0,
        LABEL_WIDTH + 220.0,
        LABEL_WIDTH + 226.0,
        escape(&short(&legend.median_group, 14)),
    );
    for (k, bar) in bars.iter().enumerate() {
        let top = 26.0 + ROW * k as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.0}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"{INK}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL_WIDTH}\" y=\"{:.1}\" width=\"{PLOT_WIDTH}\" height=\"14\" fill=\"#eef1f5\"/>",
            LABEL_WIDTH - 6.0,
            top + 12.0,
            escape(&short(&bar.label, 28)),
            top + 2.0,
        );
        if let Some(score) = bar.score {
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"/><text x=\"{:.0}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
                x(low.max(0.0).min(score)),
                top + 2.0,
                (x(score) - x(low.max(0.0))).abs().max(1.0),
                SERIES[0],
                LABEL_WIDTH + PLOT_WIDTH + 6.0,
                top + 13.0,
                escape(&bar.score_text),
            );
        }
        for (median, colour, dash) in [
            (bar.median_all, MEDIAN_ALL, ""),
            (bar.median_group, MEDIAN_GROUP, " stroke-dasharray=\"3 2\""),
        ] {
            if let Some(m) = median {
                let _ = write!(
                    svg,
                    "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                    top,
                    top + 18.0,
                    x = x(m),
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One edition of [`rank_line`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankPoint {
    /// The edition's label on the axis (its year).
    pub label: String,
    pub rank: u32,
    pub low: u32,
    pub high: u32,
}

/// Ranks across editions as a line, rank 1 at the top, each point with its interval as a
/// vertical band; `worst` is the lowest rank the scale shows. Several series (one per unit) share
/// the axes; each series is (name, points aligned with `labels`).
pub fn rank_line(
    labels: &[String],
    series: &[(String, Vec<Option<RankPoint>>)],
    worst: u32,
    label: &str,
) -> String {
    let (left, right, top, bottom) = (44.0, 16.0, 24.0, 30.0);
    let width = 520.0;
    let plot_h = 180.0;
    let legend_rows = if series.len() > 1 { series.len() } else { 0 };
    let height = top + plot_h + bottom + 18.0 * legend_rows as f64;
    let worst = worst.max(2);
    let step = if labels.len() > 1 {
        (width - left - right) / (labels.len() - 1) as f64
    } else {
        0.0
    };
    let x = |k: usize| {
        if labels.len() > 1 {
            left + step * k as f64
        } else {
            left + (width - left - right) / 2.0
        }
    };
    let y = |rank: u32| top + (f64::from(rank.max(1)) - 1.0) / f64::from(worst - 1) * plot_h;
    let mut svg = open("chart rank-line", width, height, label);
    let _ = write!(svg, "<g {FONT} font-size=\"12\" fill=\"{MUTED}\">");
    for rank in [1, worst.div_ceil(2), worst] {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.0}\" y2=\"{yy:.1}\" stroke=\"#e1e5eb\"/><text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{rank}</text>",
            width - right,
            left - 6.0,
            y(rank) + 4.0,
            yy = y(rank),
        );
    }
    for (k, text) in labels.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text>",
            x(k),
            top + plot_h + 18.0,
            escape(text)
        );
    }
    svg.push_str("</g>");
    for (s, (name, points)) in series.iter().enumerate() {
        let colour = SERIES[s % SERIES.len()];
        let mut path = String::new();
        for (k, point) in points.iter().enumerate() {
            let Some(p) = point else { continue };
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.25\"/><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\"/>",
                x(k) - 3.0 + s as f64 * 2.0,
                y(p.low),
                (y(p.high) - y(p.low)).max(1.0),
                x(k),
                y(p.rank),
            );
            let _ = write!(
                path,
                "{}{:.1} {:.1}",
                if path.is_empty() { "M" } else { " L" },
                x(k),
                y(p.rank)
            );
        }
        if path.contains('L') {
            let _ = write!(
                svg,
                "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"
            );
        }
        if series.len() > 1 {
            let ly = top + plot_h + bottom + 18.0 * s as f64;
            let _ = write!(
                svg,
                "<rect x=\"{left}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{:.0}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
                ly + 2.0,
                left + 14.0,
                ly + 11.0,
                escape(&short(name, 40))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Scores of several units per aggregate, as groups of horizontal bars, one colour per unit
/// (in the order of `units`), with a legend.
pub fn comparison_bars(
    aggregates: &[String],
    units: &[(String, Vec<Option<f64>>)],
    label: &str,
) -> String {
    let (low, high) = scale(units.iter().flat_map(|(_, v)| v.iter().flatten().copied()));
    let x = |v: f64| LABEL_WIDTH + (v - low) / (high - low) * PLOT_WIDTH;
    let bar = 10.0;
    let group = bar * units.len() as f64 + 10.0;
    let legend = 18.0 * units.len() as f64 + 6.0;
    let width = LABEL_WIDTH + PLOT_WIDTH + 20.0;
    let height = legend + group * aggregates.len() as f64 + 6.0;
    let mut svg = open("chart comparison-bars", width, height, label);
    for (s, (name, _)) in units.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"{LABEL_WIDTH}\" y=\"{:.0}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0}\" y=\"{:.0}\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
            4.0 + 18.0 * s as f64,
            SERIES[s % SERIES.len()],
            LABEL_WIDTH + 14.0,
            13.0 + 18.0 * s as f64,
            escape(&short(name, 40)),
        );
    }
    for (a, code) in aggregates.iter().enumerate() {
        let top = legend + group * a as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.0}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"{INK}\" text-anchor=\"end\">{}</text>",
            LABEL_WIDTH - 6.0,
            top + group / 2.0 + 2.0,
            escape(&short(code, 28)),
        );
        for (s, (_, scores)) in units.iter().enumerate() {
            if let Some(score) = scores.get(a).copied().flatten() {
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.0}\" fill=\"{}\"/>",
                    x(low.max(0.0).min(score)),
                    top + bar * s as f64,
                    (x(score) - x(low.max(0.0))).abs().max(1.0),
                    bar - 1.0,
                    SERIES[s % SERIES.len()],
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Well-formed: every element opened is closed, in order, and attributes are quoted; checked
    /// with a small tag scanner (the charts use no comments, CDATA or processing instructions).
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            assert!(!text.contains('>'), "a stray '>' in text: {text}");
            let end = rest[start..].find('>').expect("a tag ends") + start;
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "a '<' inside a tag: {tag}");
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().expect("a name").to_string();
                stack.push(name);
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    #[test]
    fn the_interval_bar_spans_the_interval() {
        let svg = interval_bar(2, 1, 3, 5, "Rank 2, 1–3");
        assert_well_formed(&svg);
        assert!(svg.contains("aria-label=\"Rank 2, 1–3\""));
        // Rank 2 of 5: a quarter of the way along the 152 units between the ends.
        assert!(svg.contains("<circle cx=\"42.0\""), "{svg}");
    }

    #[test]
    fn score_bars_escape_text_and_mark_medians() {
        let bars = vec![
            ScoreBar {
                label: "Open <data> & \"more\"".into(),
                score: Some(60.0),
                median_all: Some(50.0),
                median_group: Some(40.0),
                score_text: "60,0".into(),
            },
            ScoreBar {
                label: "Missing".into(),
                score: None,
                median_all: None,
                median_group: None,
                score_text: String::new(),
            },
        ];
        let legend = ScoreLegend {
            score: "Score".into(),
            median_all: "Median".into(),
            median_group: "Peers".into(),
        };
        let svg = score_bars(&bars, &legend, "Scores of <x>");
        assert_well_formed(&svg);
        assert!(svg.contains("Open &lt;data&gt; &amp; &quot;more&quot;"));
        assert!(svg.contains("aria-label=\"Scores of &lt;x&gt;\""));
        assert_eq!(
            svg.matches("stroke-dasharray").count(),
            2,
            "legend and one bar"
        );
        // The score 60 on 0…60: the bar fills the plot.
        assert!(
            svg.contains(&format!(
                "width=\"{PLOT_WIDTH:.1}\" height=\"14\" fill=\"{}\"",
                SERIES[0]
            )),
            "{svg}"
        );
    }

    #[test]
    fn a_rank_line_puts_rank_one_on_top_and_skips_missing_editions() {
        let labels = vec!["2023".to_string(), "2024".into(), "2025".into()];
        let point = |rank, low, high| {
            Some(RankPoint {
                label: String::new(),
                rank,
                low,
                high,
            })
        };
        let series = vec![
            (
                "A & B".to_string(),
                vec![point(1, 1, 2), None, point(3, 2, 4)],
            ),
            (
                "C".to_string(),
                vec![point(5, 4, 5), point(4, 3, 5), point(2, 1, 3)],
            ),
        ];
        let svg = rank_line(&labels, &series, 5, "Ranks");
        assert_well_formed(&svg);
        assert!(svg.contains("A &amp; B"));
        // Rank 1 at the top of the plot (y = 24), rank 5 at its bottom (24 + 180).
        assert!(
            svg.contains("cy=\"24.0\"") && svg.contains("cy=\"204.0\""),
            "{svg}"
        );
        assert_eq!(svg.matches("<path").count(), 2);
        let one = rank_line(
            &labels[..1],
            &[("A".to_string(), vec![point(1, 1, 1)])],
            1,
            "One",
        );
        assert_well_formed(&one);
        assert!(!one.contains("<path"), "one point, no line");
    }

    #[test]
    fn comparison_bars_have_one_colour_per_unit() {
        let svg = comparison_bars(
            &["Index".to_string(), "Portal".to_string()],
            &[
                ("Moscow".to_string(), vec![Some(70.0), Some(-5.0)]),
                ("Minsk".to_string(), vec![Some(50.0), None]),
            ],
            "Compared",
        );
        assert_well_formed(&svg);
        assert_eq!(svg.matches(SERIES[0]).count(), 3, "legend and two bars");
        assert_eq!(svg.matches(SERIES[1]).count(), 2, "legend and one bar");
    }
}
