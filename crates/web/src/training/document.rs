//! A certificate as a typeset PDF (`GET /certificates/{code}/certificate.pdf`, in Russian or
//! English by `?lang=` or the reader's language): the association, the person, the programme,
//! its hours and partner, the dates, issued and valid until, the verification code, and the QR
//! code of the verification page's address — the same address, from [`verification_url`], as
//! the page's own QR code. Public to whoever holds the code, like the page.
//!
//! A revoked certificate, or one whose stored credential no longer verifies, gets no PDF: the
//! request is refused with 410 and the verification page, which says why. A stamped PDF would
//! still be a printable paper that looks like a certificate; refusing leaves the verification
//! page as the only answer for it. An expired certificate is still a true record of training:
//! its PDF is given, and says that it has expired.
use super::api::assess;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_documents::{typst_str, Document};
use megapolis_domain::Lang;
use megapolis_storage::training::CertificateRecord;
use megapolis_training::credential::Status;
use serde::Deserialize;
use std::fmt::Write as _;
use time::OffsetDateTime;

/// The short address a certificate's QR code holds: its public verification page.
pub(crate) fn verification_url(state: &AppState, code: &str) -> String {
    state.absolute_url(&format!("/certificates/{code}"))
}

/// `?lang=ru|en`: the document's language, else the reader's.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub(crate) fn lang(&self, visitor: &Visitor) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(visitor.lang)
    }
}

/// What the certificate shows, gathered before typesetting; every text already in its language.
pub(crate) struct CertificateSheet {
    pub lang: Lang,
    pub association: String,
    pub title: String,
    pub awarded: String,
    pub recipient: String,
    pub completed: String,
    pub programme: String,
    /// (label, value) lines beside the QR code.
    pub facts: Vec<(String, String)>,
    pub code_label: String,
    pub code: String,
    pub url: String,
    pub qr_svg: String,
}

/// The typst markup of a certificate (A4 landscape) and its QR code as a file beside it.
pub(crate) fn certificate_document(sheet: &CertificateSheet) -> Document {
    let s = typst_str;
    let mut m = String::with_capacity(4096);
    let _ = writeln!(
        m,
        "#set document(title: {} + \" \" + {})",
        s(&sheet.title),
        s(&sheet.code)
    );
    m.push_str("#set page(paper: \"a4\", flipped: true, margin: 14mm)\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 12pt, lang: \"{}\")",
        sheet.lang.code()
    );
    m.push_str(
        "#rect(width: 100%, height: 100%, stroke: 1.6pt + rgb(\"#1f4e79\"), inset: 12mm)[\n",
    );
    let _ = writeln!(
        m,
        "#align(center)[#text(size: 13pt, {})\n#v(7mm)\n#text(size: 30pt, weight: \"bold\", fill: rgb(\"#1f4e79\"), {})\n#v(5mm)\n#text(fill: luma(80), {})\n#v(1mm)\n#text(size: 24pt, weight: \"bold\", {})\n#v(3mm)\n#text(fill: luma(80), {})\n#v(1mm)\n#text(size: 17pt, {})]",
        s(&sheet.association),
        s(&sheet.title),
        s(&sheet.awarded),
        s(&sheet.recipient),
        s(&sheet.completed),
        s(&sheet.programme)
    );
    m.push_str("#v(1fr)\n#grid(columns: (1fr, auto), column-gutter: 10mm, align: bottom,\n");
    m.push_str("  grid(columns: (auto, 1fr), column-gutter: 5mm, row-gutter: 2.4mm,\n");
    for (label, value) in &sheet.facts {
        let _ = writeln!(m, "    text(fill: luma(90), {}), {},", s(label), s(value));
    }
    let _ = writeln!(
        m,
        "    text(fill: luma(90), {}), text(font: \"DejaVu Sans Mono\", weight: \"bold\", {}),\n  ),",
        s(&sheet.code_label),
        s(&sheet.code)
    );
    let _ = writeln!(
        m,
        "  align(center, stack(spacing: 2mm, image(\"qr.svg\", width: 42mm), text(size: 8pt, {}))),\n)\n]",
        s(&sheet.url)
    );
    Document::new(m).with_file("qr.svg", sheet.qr_svg.clone().into_bytes())
}

/// Typesets `document` off the async workers and answers it as a PDF download named `name`;
/// without the `pdf` feature, a 501 that says so. Shared by the certificate and the reports.
pub(crate) async fn pdf_response(
    state: &AppState,
    lang: Lang,
    document: Document,
    name: &str,
) -> PageResult {
    #[cfg(feature = "pdf")]
    {
        let _ = (state, lang);
        let bytes = tokio::task::spawn_blocking(move || megapolis_documents::render_pdf(&document))
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the PDF typesetter stopped: {e}")))?
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
        Ok(crate::downloads::download(bytes, "application/pdf", name))
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (document, name);
        Ok((
            StatusCode::NOT_IMPLEMENTED,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            state.i18n.get(lang, "control-pdf-unavailable", &[]),
        )
            .into_response())
    }
}

/// The date of a stored moment (`2026-03-01T…`), as the pages write a date.
fn day_of(at: &str, lang: Lang) -> String {
    crate::dates::moment(at.get(..10).unwrap_or(at), lang)
}

/// Gathers the certificate's sheet: the programme in the language asked for, the rest as
/// stored with the certificate.
async fn sheet_of(
    state: &AppState,
    lang: Lang,
    record: &CertificateRecord,
    status: Status,
) -> Result<CertificateSheet, AppError> {
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let training = state.store.training();
    let cohort = training
        .cohort(record.cohort_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let programme = training
        .programmes()
        .await?
        .into_iter()
        .find(|p| p.id == cohort.cohort.programme_id)
        .ok_or(AppError::NotFound)?
        .programme;
    let association = match state.store.org().association().await? {
        Some(a) => lang.pick(&a.name_ru, &a.name_en).to_string(),
        None => "Megapolis".to_string(),
    };
    let url = verification_url(state, &record.code);
    let qr = super::qr::svg(&url)
        .map(|svg| svg.to_string())
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("no QR code for the address {url}")))?;
    let dates = format!(
        "{} – {}",
        crate::dates::short_date(cohort.cohort.starts_on, lang),
        crate::dates::short_date(cohort.cohort.ends_on, lang)
    );
    let mut facts = vec![
        (
            t("certificate-pdf-hours"),
            state.i18n.get(
                lang,
                "training-hours",
                &[("count", i64::from(programme.hours).into())],
            ),
        ),
        (t("training-partner"), programme.partner.clone()),
        (t("training-dates"), dates),
        (t("certificate-issued"), day_of(&record.issued_at, lang)),
    ];
    if let Some(until) = &record.valid_until {
        facts.push((t("certificate-valid-until"), day_of(until, lang)));
    }
    if status == Status::Expired {
        facts.push((t("certificate-pdf-status"), t("certificate-status-expired")));
    }
    Ok(CertificateSheet {
        lang,
        association,
        title: t("certificate-pdf-title"),
        awarded: t("certificate-pdf-awarded"),
        recipient: record.recipient_name.clone(),
        completed: t("certificate-pdf-completed"),
        programme: lang
            .pick(&cohort.programme_title_ru, &cohort.programme_title_en)
            .to_string(),
        facts,
        code_label: t("certificate-pdf-code"),
        code: record.code.clone(),
        url,
        qr_svg: qr,
    })
}

/// `GET /certificates/{code}/certificate.pdf`.
pub async fn certificate_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let lang = query.lang(&visitor);
    let normalised = code.trim().to_uppercase();
    let record = state.store.training().certificate(&normalised).await?;
    let status = record
        .as_ref()
        .map(|r| assess(&state, r, OffsetDateTime::now_utc()).status);
    let (Some(record), Some(Status::Valid | Status::Expired)) = (record, status) else {
        // Unknown (404), revoked or not verifying (410): the verification page says which.
        let mut page = super::pages::certificate(State(state), Extension(visitor), Path(code))
            .await?
            .into_response();
        if page.status() == StatusCode::OK {
            *page.status_mut() = StatusCode::GONE;
        }
        return Ok(page);
    };
    let sheet = sheet_of(&state, lang, &record, status.unwrap_or(Status::Valid)).await?;
    let name = format!("certificate-{}-{}.pdf", record.code, lang.code());
    pdf_response(&state, lang, certificate_document(&sheet), &name).await
}
