//! Dates as the pages write them, in the visitor's language.
use megapolis_domain::Lang;
use time::Date;

/// `2 июня 2010 года` / `2 June 2010`.
pub fn human_date(date: Option<Date>, lang: Lang) -> String {
    let language = match lang {
        Lang::Ru => megapolis_decisions::Language::Ru,
        Lang::En => megapolis_decisions::Language::En,
    };
    date.map(|d| megapolis_decisions::written_date(d, language))
        .unwrap_or_default()
}

/// `01.12.2026` / `1 Dec 2026`: a date in a sentence.
pub fn short_date(date: Date, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!(
            "{:02}.{:02}.{:04}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = MONTHS[usize::from(u8::from(date.month())) - 1];
            format!("{} {month} {}", date.day(), date.year())
        }
    }
}

/// `29.11.2026 09:30 UTC` / `29 Nov 2026 09:30 UTC`: a stored moment (RFC 3339 or `YYYY-MM-DD
/// HH:MM…`) as the pages write it; a date alone as [`short_date`]; anything else as it is.
pub fn moment(at: &str, lang: Lang) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let Some(date) = at.get(..10).and_then(|day| Date::parse(day, &format).ok()) else {
        return at.to_string();
    };
    match at.get(11..16) {
        Some(clock) => format!("{} {clock} UTC", short_date(date, lang)),
        None => short_date(date, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn short_dates_in_both_languages() {
        assert_eq!(short_date(date!(2026 - 12 - 01), Lang::Ru), "01.12.2026");
        assert_eq!(short_date(date!(2026 - 12 - 01), Lang::En), "1 Dec 2026");
        assert_eq!(short_date(date!(2027 - 05 - 31), Lang::En), "31 May 2027");
    }

    #[test]
    fn moments_in_both_languages() {
        assert_eq!(
            moment("2026-11-25T09:30:12Z", Lang::Ru),
            "25.11.2026 09:30 UTC"
        );
        assert_eq!(
            moment("2026-11-25 09:30:12", Lang::En),
            "25 Nov 2026 09:30 UTC"
        );
        assert_eq!(moment("2026-11-25", Lang::Ru), "25.11.2026");
        assert_eq!(moment("soon", Lang::En), "soon");
    }
}
