//! Who is asking: the session cookie (pages) or a bearer token (API), the form token that
//! protects every form, and the guard that checks a route's [`Access`].
use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequest;
use axum::extract::RawForm;
use axum::extract::Request;
use axum::http::header;
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A submitted form whose `_csrf` field matched the visitor's token. Every form handler takes
/// its input through this extractor, so none can forget the check.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
pub(crate) struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let expected = request
            .extensions()
            .get::<Visitor>()
            .map(|v| v.csrf.clone())
            .ok_or(AppError::Forbidden)?;
        let RawForm(bytes) = RawForm::from_request(request, state)
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        if field.csrf.is_empty() || field.csrf != expected {
            return Err(AppError::Forbidden);
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| AppError::BadRequest(e.to_string()))
    }
}

/// A file that came with a multipart form.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl UploadedFile {
    /// The file to store: its name without the sender's folders, and a content type.
    pub fn to_new_file(&self) -> megapolis_domain::file::NewFile {
        megapolis_domain::file::NewFile {
            name: self
                .name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string(),
            content_type: if self.content_type.is_empty() {
                "application/octet-stream".into()
            } else {
                self.content_type.clone()
            },
            content: self.bytes.clone(),
        }
    }
}

impl CsrfMultipart {
    /// The files sent in the input named `field`.
    pub fn files_of(&self, field: &str) -> Vec<megapolis_domain::file::NewFile> {
        self.files
            .iter()
            .filter(|f| f.field == field)
            .map(UploadedFile::to_new_file)
            .collect()
    }
}

/// A submitted form whose `_csrf` field matched the visitor's token: multipart (with file uploads,
/// from a browser) or urlencoded (a client without files). Text fields are kept in order; a file
/// input left empty is not a file.
pub struct CsrfMultipart {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

impl CsrfMultipart {
    fn checked(self, expected: &str) -> Result<CsrfMultipart, AppError> {
        let csrf = self.text("_csrf");
        if csrf.is_empty() || csrf != expected {
            return Err(AppError::Forbidden);
        }
        Ok(self)
    }

    /// The first value of a text field, or "".
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let expected = request
            .extensions()
            .get::<Visitor>()
            .map(|v| v.csrf.clone())
            .ok_or(AppError::Forbidden)?;
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let RawForm(bytes) =
                RawForm::from_request(request, state)
                    .await
                    .map_err(|e| AppError::Rejected {
                        status: e.status(),
                        message: e.body_text(),
                    })?;
            let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let form = CsrfMultipart {
                fields,
                files: Vec::new(),
            };
            return form.checked(&expected);
        }
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|e| AppError::Rejected {
                status: e.status(),
                message: e.body_text(),
            })?;
        let mut form = CsrfMultipart {
            fields: Vec::new(),
            files: Vec::new(),
        };
        let bad = |e: axum::extract::multipart::MultipartError| AppError::Rejected {
            status: e.status(),
            message: e.body_text(),
        };
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let content_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    let bytes = field.bytes().await.map_err(bad)?;
                    if !file_name.is_empty() || !bytes.is_empty() {
                        form.files.push(UploadedFile {
                            field: name,
                            name: file_name,
                            content_type,
                            bytes: bytes.to_vec(),
                        });
                    }
                }
                None => {
                    let value = field.text().await.map_err(bad)?;
                    form.fields.push((name, value));
                }
            }
        }
        form.checked(&expected)
    }
}
