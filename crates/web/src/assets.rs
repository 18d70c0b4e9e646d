//! The stylesheet, embedded: no request leaves the machine.
use axum::http::header;
use axum::response::IntoResponse;

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/style.css"),
    )
}
