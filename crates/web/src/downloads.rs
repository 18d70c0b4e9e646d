//! Session decisions on the portal: the register, the public accountability page of a decision,
//! the import flow (text or file → proposed structure beside the text → confirm) and the download
//! of stored files. The parser proposes; a person corrects and confirms; storage saves the
//! decision with all its assignments in one transaction.
use axum::http::header;
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use axum::response::Response;

// ---- Files ----

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 and 5987).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as its download: its own content type (checked not to be sniffed), its name,
/// kept private to the reader's browser.
pub(crate) fn stored_file(file: megapolis_domain::file::StoredFile) -> Response {
    let content_type = HeaderValue::from_str(&file.info.content_type)
        .ok()
        .filter(|_| !file.info.content_type.is_empty())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&file.info.name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("private")),
        ],
        file.content,
    )
        .into_response()
}

pub(crate) fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cyrillic_file_names_are_encoded_for_the_header() {
        let header = content_disposition("План мероприятий 2027.pdf");
        assert!(header.starts_with("attachment; filename=\""));
        assert!(header.contains("filename*=UTF-8''%D0%9F%D0%BB%D0%B0%D0%BD%20"));
        assert!(header.ends_with("2027.pdf"));
        assert!(HeaderValue::from_str(&header).is_ok());
        let quoted = content_disposition("a\"b\\c.txt");
        assert!(quoted.contains("filename=\"a_b_c.txt\""));
    }
}
