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
}
