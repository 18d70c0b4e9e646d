//! Errors that belong to one field of a form or one cell of a file.
//!
//! The message is a translation key (see the web crate's `locales/`), so the same error reads in
//! the user's language beside the field it concerns.
use std::fmt;
use std::str::FromStr;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    /// Translation key of the message, e.g. `error-required`.
    pub key: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.0.push(FieldError { field, key });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.key)
    }

    /// `Ok(value)` when nothing was added, so a parser can end with `errors.into_result(value)`.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.key))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// A required text field: trimmed, non-empty, at most `max` characters.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(field, "error-too-long");
    }
    value.to_string()
}

/// An optional text field: trimmed, at most `max` characters.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, "error-too-long");
    }
    value.to_string()
}

/// A number as people write it: digit groups separated by spaces (`1 995 000`, also with
/// no-break or thin spaces, as the pages show them) and a decimal comma (`12,5`).
pub fn number_as_written<T: FromStr>(raw: &str) -> Option<T> {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let normal = if compact.contains('.') {
        compact
    } else {
        compact.replacen(',', ".", 1)
    };
    normal.parse().ok()
}

/// An optional number field: empty is `None`; text that is not a number adds `key` to the field.
pub fn optional_number<T: FromStr>(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    key: &'static str,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    let parsed = number_as_written(raw);
    if parsed.is_none() {
        errors.add(field, key);
    }
    parsed
}

/// A date as people write it: `2020-02-01` or, as the Russian pages show it, `01.02.2020`.
pub fn date_as_written(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let dotted =
        time::macros::format_description!("[day padding:none].[month padding:none].[year]");
    Date::parse(raw, iso)
        .or_else(|_| Date::parse(raw, dotted))
        .ok()
}

/// An optional date field: empty is `None`; anything but a date is an error on the field.
pub fn optional_date(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<Date> {
    if raw.trim().is_empty() {
        return None;
    }
    let parsed = date_as_written(raw);
    if parsed.is_none() {
        errors.add(field, "error-date");
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn numbers_are_read_as_the_pages_write_them() {
        assert_eq!(number_as_written::<i64>("1 995 000"), Some(1_995_000));
        assert_eq!(
            number_as_written::<i64>("1\u{a0}995\u{a0}000"),
            Some(1_995_000)
        );
        assert_eq!(number_as_written::<i64>(" 42 "), Some(42));
        assert_eq!(number_as_written::<f64>("12,5"), Some(12.5));
        assert_eq!(number_as_written::<f64>("-33.45"), Some(-33.45));
        assert_eq!(number_as_written::<i64>("many"), None);
        assert_eq!(number_as_written::<i64>("1,5"), None);
    }

    #[test]
    fn dates_are_read_in_both_written_forms() {
        assert_eq!(date_as_written("2020-02-01"), Some(date!(2020 - 02 - 01)));
        assert_eq!(date_as_written("01.02.2020"), Some(date!(2020 - 02 - 01)));
        assert_eq!(date_as_written("1.2.2020"), Some(date!(2020 - 02 - 01)));
        assert_eq!(date_as_written("31.02.2020"), None);
        assert_eq!(date_as_written("02/01/2020"), None);
        let mut errors = FieldErrors::default();
        assert_eq!(optional_date(&mut errors, "since", ""), None);
        assert!(errors.is_empty());
        assert_eq!(optional_date(&mut errors, "since", "soon"), None);
        assert_eq!(errors.get("since"), Some("error-date"));
    }
}
