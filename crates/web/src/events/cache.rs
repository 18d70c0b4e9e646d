//! What the public plan and its feeds answer, written once per state of the approved plans
//! ([`EventsStamp`]) and kept plain and gzipped: the approved versions never change, so an
//! answer stays right until another version is approved or attached, and a repeated request
//! costs one small query and a copy of the bytes instead of reading and writing every event.
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use flate2::Compression;
use megapolis_storage::events::EventsStamp;
use std::collections::HashMap;
use std::io::Write as _;

/// A body as written and gzipped.
#[derive(Clone)]
pub(crate) struct Written {
    plain: Bytes,
    gzip: Bytes,
}

impl Written {
    /// Gzips `plain` once, off the async workers (a whole-year feed is megabytes).
    pub(crate) async fn new(plain: Bytes) -> Written {
        let source = plain.clone();
        let gzip = tokio::task::spawn_blocking(move || {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(&source).and_then(|()| encoder.finish())
        })
        .await
        .ok()
        .and_then(Result::ok)
        .map(Bytes::from);
        match gzip {
            Some(gzip) => Written { plain, gzip },
            // Without a gzipped copy every client gets the plain one.
            None => Written {
                gzip: Bytes::new(),
                plain,
            },
        }
    }

    /// The answer of `content_type`: gzipped when the request accepts gzip.
    pub(crate) fn respond(&self, request: &HeaderMap, content_type: &'static str) -> Response {
        let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
        let kind = (header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if !self.gzip.is_empty() && accepts_gzip(request) {
            let encoding = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            ([kind, vary, encoding], self.gzip.clone()).into_response()
        } else {
            ([kind, vary], self.plain.clone()).into_response()
        }
    }
}

/// Whether `Accept-Encoding` admits gzip (`gzip` or `*`, its q not zero).
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// The answers written at one stamp of the plans, by key; a new stamp empties it.
#[derive(Default)]
pub(crate) struct StampCache {
    last: std::sync::Mutex<Option<(EventsStamp, HashMap<String, Written>)>>,
}

/// The most answers kept at once: the filters are free text, so the keys are unbounded.
const KEPT: usize = 64;

impl StampCache {
    pub(crate) fn get(&self, stamp: &EventsStamp, key: &str) -> Option<Written> {
        let last = self.last.lock().ok()?;
        match last.as_ref() {
            Some((at, kept)) if at == stamp => kept.get(key).cloned(),
            _ => None,
        }
    }

    pub(crate) fn put(&self, stamp: EventsStamp, key: String, written: Written) {
        if let Ok(mut last) = self.last.lock() {
            match last.as_mut() {
                Some((at, kept)) if *at == stamp => {
                    if kept.len() < KEPT {
                        kept.insert(key, written);
                    }
                }
                _ => *last = Some((stamp, HashMap::from([(key, written)]))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn gzip_is_sent_only_to_who_accepts_it() {
        assert!(accepts_gzip(&accepting("gzip, deflate, br")));
        assert!(accepts_gzip(&accepting("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accepting("*")));
        assert!(!accepts_gzip(&accepting("gzip;q=0, br")));
        assert!(!accepts_gzip(&accepting("br, deflate")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
