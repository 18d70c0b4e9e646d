//! Session decisions on the portal: the register, the public accountability page of a decision,
//! the import flow (text or file → proposed structure beside the text → confirm) and the download
//! of stored files. The parser proposes; a person corrects and confirms; storage saves the
//! decision with all its assignments in one transaction.
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
