//! The consultation's open data as CSV: one writer for every table (submissions without their
//! authors, generalised proposals with their sources, approved plans' items), so each file is
//! RFC 4180 with a header row, whatever the text holds.

/// A CSV file of `header` and `rows`, each row as many cells as the header.
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on a record of another length, which callers do not build.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_commas_quotes_and_newlines_are_quoted() {
        let csv = to_csv(
            &["id", "text"],
            &[vec!["1".into(), "Wi-Fi, \"везде\"\nсразу".into()]],
        );
        assert_eq!(csv, "id,text\n1,\"Wi-Fi, \"\"везде\"\"\nсразу\"\n");
    }
}
