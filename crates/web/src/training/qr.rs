//! The QR codes of certificates' verification addresses, made once per address. Making one
//! (encoding, then scoring the eight mask patterns) took most of a verification page's time
//! under load (BENCHMARKS.md, Training); an address never changes its code, so the SVG is kept.
//! The cache holds at most [`KEPT`] addresses and starts afresh when full.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How many addresses' SVGs are kept (each about 8 KB).
const KEPT: usize = 4096;

type Cache = Mutex<HashMap<String, Arc<str>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The QR code of `text` as an inline SVG ([`megapolis_documents::qr_svg`]), made once.
pub(crate) fn svg(text: &str) -> Option<Arc<str>> {
    if let Some(kept) = cache().lock().ok()?.get(text) {
        return Some(kept.clone());
    }
    let made: Arc<str> = megapolis_documents::qr_svg(text)?.into();
    if let Ok(mut kept) = cache().lock() {
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(text.to_string(), made.clone());
    }
    Some(made)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_kept_svg_is_the_one_made() {
        let url = "https://megapolis.example/certificates/ABCD-EFGH-JKMN-PQRS";
        let first = super::svg(url).expect("a QR code");
        assert_eq!(
            &*first,
            megapolis_documents::qr_svg(url).expect("made").as_str()
        );
        let again = super::svg(url).expect("kept");
        assert!(std::sync::Arc::ptr_eq(&first, &again), "made once");
    }
}
