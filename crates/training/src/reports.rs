//! The training reports, from aggregate figures only (counts per cohort and city, never a
//! person): per city, the staff trained by programme and year against the places its quotas
//! gave; per programme, how many completed of those whose result is known. The same lines
//! feed the page, the XLSX, the PDF and the open data (CSV and JSON).
use serde::Serialize;
use std::collections::BTreeMap;

/// What one city had and did in one cohort: the storage's answer, one per cohort and city
/// that had a quota or a nomination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortCityFigures {
    pub programme_id: i64,
    /// The year the cohort ended: the year its staff were trained.
    pub year: i32,
    pub city: String,
    /// Places the city's quota gave (0 when it had none).
    pub quota: u32,
    /// Nominations, whatever their state.
    pub nominated: u32,
    pub completed: u32,
    pub failed: u32,
    /// Nominations that ended otherwise without completing (withdrawn).
    pub withdrawn: u32,
}

/// A city's staff trained in one programme in one year, against its quotas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityLine {
    pub city: String,
    pub programme_id: i64,
    pub year: i32,
    pub quota: u32,
    pub nominated: u32,
    pub trained: u32,
    /// trained / quota; `None` without a quota.
    pub quota_used: Option<f64>,
}

/// A programme's completion over all its cohorts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeLine {
    pub programme_id: i64,
    pub nominated: u32,
    pub completed: u32,
    pub failed: u32,
    pub withdrawn: u32,
    /// completed / (completed + failed + withdrawn); `None` while no result is known.
    pub completion_rate: Option<f64>,
}

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// Per city, programme and year (in that order), the places, nominations and completions.
pub fn by_city(figures: &[CohortCityFigures]) -> Vec<CityLine> {
    let mut lines: BTreeMap<(&str, i64, i32), (u32, u32, u32)> = BTreeMap::new();
    for f in figures {
        let line = lines
            .entry((f.city.as_str(), f.programme_id, f.year))
            .or_default();
        line.0 += f.quota;
        line.1 += f.nominated;
        line.2 += f.completed;
    }
    lines
        .into_iter()
        .map(
            |((city, programme_id, year), (quota, nominated, trained))| CityLine {
                city: city.to_string(),
                programme_id,
                year,
                quota,
                nominated,
                trained,
                quota_used: share(trained, quota),
            },
        )
        .collect()
}

/// Per programme (by id), nominations and results with the completion rate.
pub fn by_programme(figures: &[CohortCityFigures]) -> Vec<ProgrammeLine> {
    let mut lines: BTreeMap<i64, [u32; 4]> = BTreeMap::new();
    for f in figures {
        let line = lines.entry(f.programme_id).or_default();
        line[0] += f.nominated;
        line[1] += f.completed;
        line[2] += f.failed;
        line[3] += f.withdrawn;
    }
    lines
        .into_iter()
        .map(
            |(programme_id, [nominated, completed, failed, withdrawn])| ProgrammeLine {
                programme_id,
                nominated,
                completed,
                failed,
                withdrawn,
                completion_rate: share(completed, completed + failed + withdrawn),
            },
        )
        .collect()
}

/// The open data as CSV: one line per city, programme and year
/// (`city,programme_id,programme,year,quota,nominated,trained`), then nothing personal.
/// `programme` names each programme id (its title), empty when unknown.
pub fn cities_csv(
    lines: &[CityLine],
    programme: impl Fn(i64) -> String,
) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "city",
        "programme_id",
        "programme",
        "year",
        "quota",
        "nominated",
        "trained",
    ])?;
    for l in lines {
        writer.write_record([
            l.city.clone(),
            l.programme_id.to_string(),
            programme(l.programme_id),
            l.year.to_string(),
            l.quota.to_string(),
            l.nominated.to_string(),
            l.trained.to_string(),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(programme_id: i64, year: i32, city: &str, counts: [u32; 5]) -> CohortCityFigures {
        CohortCityFigures {
            programme_id,
            year,
            city: city.into(),
            quota: counts[0],
            nominated: counts[1],
            completed: counts[2],
            failed: counts[3],
            withdrawn: counts[4],
        }
    }

    #[test]
    fn cohorts_of_one_programme_and_year_add_up_per_city() {
        let figures = [
            f(1, 2025, "minsk", [3, 3, 2, 1, 0]),
            f(1, 2025, "minsk", [2, 1, 1, 0, 0]),
            f(1, 2026, "minsk", [2, 0, 0, 0, 0]),
            f(1, 2025, "almaty", [1, 1, 0, 0, 1]),
        ];
        let lines = by_city(&figures);
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (lines[0].city.as_str(), lines[0].year, lines[0].trained),
            ("almaty", 2025, 0)
        );
        let minsk = &lines[1];
        assert_eq!((minsk.quota, minsk.nominated, minsk.trained), (5, 4, 3));
        assert_eq!(minsk.quota_used, Some(0.6));
        assert_eq!(lines[2].quota_used, Some(0.0));
    }

    #[test]
    fn the_completion_rate_counts_only_known_results() {
        let lines = by_programme(&[
            f(1, 2025, "minsk", [3, 3, 2, 1, 0]),
            f(1, 2025, "almaty", [1, 1, 0, 0, 1]),
            f(2, 2026, "minsk", [2, 2, 0, 0, 0]),
        ]);
        assert_eq!(lines[0].completion_rate, Some(0.5));
        assert_eq!((lines[0].nominated, lines[0].completed), (4, 2));
        assert_eq!(lines[1].completion_rate, None);
    }

    #[test]
    fn the_csv_quotes_a_title_with_a_comma() {
        let lines = by_city(&[f(1, 2025, "minsk", [3, 3, 2, 1, 0])]);
        let csv = cities_csv(&lines, |_| "Data, cities".into()).expect("csv");
        assert_eq!(
            csv,
            "city,programme_id,programme,year,quota,nominated,trained\nminsk,1,\"Data, cities\",2025,3,3,2\n"
        );
    }
}
