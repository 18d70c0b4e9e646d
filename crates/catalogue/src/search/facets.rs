//! The facets of a search, counted over every match. Each solution's facet values are numbered
//! once, when the index is built, so counting the matches of a broad query (tens of thousands)
//! is one increment per value instead of a lookup by name.
use crate::adoption::used_by_bucket;
use crate::solution::Solution;
use std::collections::{BTreeMap, HashMap};

/// The facet values of every solution, by the solution's position in the index.
pub(super) struct FacetTable {
    /// The facet and value each number stands for.
    values: Vec<(&'static str, String)>,
    /// The numbers of solution `p`'s values are `numbers[starts[p]..starts[p + 1]]`.
    starts: Vec<usize>,
    numbers: Vec<u32>,
}

/// A solution's facet values (empty ones are not counted).
fn values_of<'a>(
    solution: &'a Solution,
    country: Option<&str>,
    used_by: usize,
) -> impl Iterator<Item = (&'static str, String)> + 'a {
    [
        ("year", solution.year.to_string()),
        ("nomination", solution.nomination.clone()),
        ("licence", solution.licence.clone()),
        ("used_by", used_by_bucket(used_by).to_string()),
        ("city", solution.city.clone().unwrap_or_default()),
        ("country", country.unwrap_or_default().to_string()),
    ]
    .into_iter()
    .chain(
        solution
            .technologies
            .iter()
            .map(|technology| ("technology", technology.clone())),
    )
    .filter(|(_, value)| !value.is_empty())
}

impl FacetTable {
    /// Numbers the facet values of `solutions` (in the index's order); `countries` maps a city
    /// code to its country code, `used_by` a solution's id to the number of cities using it.
    pub(super) fn build(
        solutions: &[Solution],
        countries: &BTreeMap<String, String>,
        used_by: &BTreeMap<i64, usize>,
    ) -> FacetTable {
        let mut numbered: HashMap<(&'static str, String), u32> = HashMap::new();
        let mut values = Vec::new();
        let mut starts = vec![0];
        let mut numbers = Vec::new();
        for solution in solutions {
            let country = solution
                .city
                .as_ref()
                .and_then(|city| countries.get(city))
                .map(String::as_str);
            let uses = used_by.get(&solution.id).copied().unwrap_or_default();
            for value in values_of(solution, country, uses) {
                let number = *numbered.entry(value).or_insert_with_key(|value| {
                    values.push(value.clone());
                    (values.len() - 1) as u32
                });
                numbers.push(number);
            }
            starts.push(numbers.len());
        }
        FacetTable {
            values,
            starts,
            numbers,
        }
    }

    /// For every facet, the number of the solutions at `positions` with each value.
    pub(super) fn count(
        &self,
        positions: impl Iterator<Item = u32>,
    ) -> BTreeMap<&'static str, BTreeMap<String, usize>> {
        let mut counts = vec![0usize; self.values.len()];
        for position in positions {
            let position = position as usize;
            let (Some(&start), Some(&end)) =
                (self.starts.get(position), self.starts.get(position + 1))
            else {
                continue;
            };
            for &number in &self.numbers[start..end] {
                counts[number as usize] += 1;
            }
        }
        let mut facets: BTreeMap<&'static str, BTreeMap<String, usize>> = BTreeMap::new();
        for ((facet, value), count) in self.values.iter().zip(counts) {
            if count > 0 {
                facets
                    .entry(facet)
                    .or_default()
                    .insert(value.clone(), count);
            }
        }
        facets
    }
}
