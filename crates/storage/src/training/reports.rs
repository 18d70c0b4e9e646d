//! The aggregate figures of training, per cohort and city: places, nominations and results
//! counted, never a person's row. `megapolis_training::reports` makes the reports of them.
use super::{corrupt, count, Training};
use crate::db::on_pool;
use crate::StorageError;
use megapolis_training::reports::CohortCityFigures;
use megapolis_training::NominationState;
use std::collections::BTreeMap;

impl Training<'_> {
    /// One line per cohort and city that had a quota or a nomination, by cohort and city.
    pub async fn figures(&self) -> Result<Vec<CohortCityFigures>, StorageError> {
        let cohorts: Vec<(i64, i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, programme_id, ends_on FROM training_cohorts",
        )
        .fetch_all(pool)
        .await?);
        let quotas: Vec<(i64, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT cohort_id, city, places FROM training_quotas",
        )
        .fetch_all(pool)
        .await?);
        let counts: Vec<(i64, String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT cohort_id, city, state, COUNT(*) FROM training_nominations \
             GROUP BY cohort_id, city, state",
        )
        .fetch_all(pool)
        .await?);
        let mut cohort_of = BTreeMap::new();
        for (id, programme_id, ends_on) in cohorts {
            let year = ends_on
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .ok_or_else(|| corrupt(&format!("cohort {id}"), &ends_on))?;
            cohort_of.insert(id, (programme_id, year));
        }
        let mut lines: BTreeMap<(i64, String), CohortCityFigures> = BTreeMap::new();
        for (cohort, city, places) in quotas {
            line(&mut lines, &cohort_of, cohort, city)?.quota += count(places);
        }
        for (cohort, city, state, n) in counts {
            let figures = line(&mut lines, &cohort_of, cohort, city)?;
            let n = count(n);
            let state = NominationState::parse(&state)
                .ok_or_else(|| corrupt(&format!("a nomination of cohort {cohort}"), &state))?;
            // Nominated: who took a place (and who withdrew from one); a declined, waiting or
            // moved nomination took none here (a moved one counts in its new cohort).
            if state.holds_place() || state == NominationState::Withdrawn {
                figures.nominated += n;
            }
            match state {
                NominationState::Completed => figures.completed += n,
                NominationState::Failed => figures.failed += n,
                NominationState::Withdrawn => figures.withdrawn += n,
                _ => {}
            }
        }
        Ok(lines.into_values().collect())
    }
}

/// The line of `cohort` and `city`, made empty on first use.
fn line<'a>(
    lines: &'a mut BTreeMap<(i64, String), CohortCityFigures>,
    cohort_of: &BTreeMap<i64, (i64, i32)>,
    cohort: i64,
    city: String,
) -> Result<&'a mut CohortCityFigures, StorageError> {
    let (programme_id, year) = *cohort_of
        .get(&cohort)
        .ok_or_else(|| corrupt("training figures", format!("cohort {cohort}")))?;
    Ok(lines
        .entry((cohort, city.clone()))
        .or_insert_with(|| CohortCityFigures {
            programme_id,
            year,
            city,
            quota: 0,
            nominated: 0,
            completed: 0,
            failed: 0,
            withdrawn: 0,
        }))
}
