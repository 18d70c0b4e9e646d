//! The text of a plain-text decision, whatever code page it was saved in: UTF-8 (with or without
//! a byte order mark), UTF-16 with a byte order mark, or one of the Cyrillic code pages that
//! older Word and Notepad installations still write (Windows-1251 above all, KOI8-R, CP866).
use encoding_rs::{Encoding, IBM866, KOI8_R, UTF_8, WINDOWS_1251};

/// The code pages a person may choose from when the guess is wrong, by the names the import
/// form offers.
pub const CHOICES: &[&str] = &["utf-8", "windows-1251", "koi8-r", "ibm866"];

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown encoding {0:?}; one of utf-8, windows-1251, koi8-r, ibm866")]
    Unknown(String),
    #[error("the text is not valid {0}")]
    Malformed(&'static str),
}

/// The text of `bytes` and the name of the encoding it was read in. `chosen` is the encoding a
/// person picked (`None` or `"auto"`: a byte order mark, else UTF-8 if the bytes are valid
/// UTF-8, else the Cyrillic code page in which the text reads most like Russian).
pub fn decode(bytes: &[u8], chosen: Option<&str>) -> Result<(String, &'static str), DecodeError> {
    let encoding = match chosen
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "auto")
    {
        Some(label) => Some(
            Encoding::for_label(label.as_bytes())
                .filter(|e| {
                    CHOICES
                        .iter()
                        .any(|c| Encoding::for_label(c.as_bytes()) == Some(e))
                })
                .ok_or_else(|| DecodeError::Unknown(label.to_string()))?,
        ),
        None => None,
    };
    let encoding = match encoding {
        Some(encoding) => encoding,
        None => match Encoding::for_bom(bytes) {
            Some((encoding, _)) => encoding,
            None if std::str::from_utf8(bytes).is_ok() => UTF_8,
            None => most_russian(bytes),
        },
    };
    // `decode` drops a byte order mark of the encoding it was given.
    let (text, used, malformed) = encoding.decode(bytes);
    if malformed {
        return Err(DecodeError::Malformed(used.name()));
    }
    Ok((text.into_owned(), used.name()))
}

/// Of the single-byte Cyrillic code pages, the one whose reading has the most of the commonest
/// lowercase Russian letters: a wrong code page turns running text into capitals and symbols.
fn most_russian(bytes: &[u8]) -> &'static Encoding {
    const COMMON: &str = "оеаинтсрвлкмдпу";
    let score = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        text.chars().filter(|c| COMMON.contains(*c)).count()
    };
    [WINDOWS_1251, KOI8_R, IBM866]
        .into_iter()
        .max_by_key(|encoding| score(encoding))
        .unwrap_or(WINDOWS_1251)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "РЕШЕНИЕ\nГенеральной ассамблеи о плане мероприятий на год\n1. Поручить Секретариату подготовить доклад до 1 марта.";

    fn encoded(encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(TEXT).0.into_owned()
    }

    #[test]
    fn the_code_page_is_found_for_russian_text() {
        assert_eq!(decode(TEXT.as_bytes(), None), Ok((TEXT.into(), "UTF-8")));
        assert_eq!(
            decode(&encoded(WINDOWS_1251), None),
            Ok((TEXT.into(), "windows-1251"))
        );
        assert_eq!(
            decode(&encoded(KOI8_R), Some("auto")),
            Ok((TEXT.into(), "KOI8-R"))
        );
        assert_eq!(decode(&encoded(IBM866), None), Ok((TEXT.into(), "IBM866")));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&bom, None), Ok((TEXT.into(), "UTF-8")));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(TEXT.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, None), Ok((TEXT.into(), "UTF-16LE")));
    }

    #[test]
    fn a_chosen_code_page_is_used_as_it_is() {
        let bytes = encoded(WINDOWS_1251);
        assert_eq!(
            decode(&bytes, Some("windows-1251")),
            Ok((TEXT.into(), "windows-1251"))
        );
        // Chosen wrongly, it reads as something else, which the review shows.
        let (koi, _) = decode(&bytes, Some("koi8-r")).expect("any byte is KOI8-R");
        assert_ne!(koi, TEXT);
        assert_eq!(
            decode(&bytes, Some("utf-8")),
            Err(DecodeError::Malformed("UTF-8"))
        );
        assert_eq!(
            decode(&bytes, Some("latin-9")),
            Err(DecodeError::Unknown("latin-9".into()))
        );
    }
}
