//! Session decisions on the portal: the register, the public accountability page of a decision,
//! the import flow (text or file → proposed structure beside the text → confirm) and the download
//! of stored files. The parser proposes; a person corrects and confirms; storage saves the
//! decision with all its assignments in one transaction.
use crate::auth::Visitor;
use crate::forms::CsrfMultipart;
use crate::forms::UploadedFile;
use crate::render::message;
use crate::render::page;
use crate::render::render;
use crate::render::see_other;
use crate::render::with_done;
use crate::render::Message;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_decisions::directory_of;
use megapolis_decisions::docx;
use megapolis_decisions::draft::Draft;
use megapolis_decisions::draft::DraftAppendix;
use megapolis_decisions::draft::DraftErrors;
use megapolis_decisions::draft::DraftRow;
use megapolis_decisions::draft::APPENDIX_SLOTS;
use megapolis_decisions::draft::MAX_ROWS;
use megapolis_decisions::parse_with;
use megapolis_decisions::AssignmentFlag;
use megapolis_decisions::Decision;
use megapolis_decisions::DocumentWarning;
use megapolis_decisions::ParseError;
use megapolis_domain::file::NewFile;
use megapolis_domain::Body;
use minijinja::context;
use serde::Serialize;
use std::collections::BTreeMap;

pub(crate) fn flag_message(flag: &AssignmentFlag) -> Message {
    match flag {
        AssignmentFlag::ExecutorNotInDirectory { name } => {
            message("decisions-flag-executor", name.as_str())
        }
        AssignmentFlag::DeadlineUnreadable { text } => {
            message("decisions-flag-deadline", text.as_str())
        }
        AssignmentFlag::NoExecutor => message("decisions-flag-no-executor", ""),
    }
}

pub(crate) fn warning_message(warning: &DocumentWarning) -> Message {
    match warning {
        DocumentWarning::NoController => message("decisions-warning-no-controller", ""),
        DocumentWarning::ControllerNotInDirectory { name } => {
            message("decisions-warning-controller-unknown", name.as_str())
        }
        DocumentWarning::NoSessionDate => message("decisions-warning-no-date", ""),
        DocumentWarning::TextAfterControlClause { text } => {
            message("decisions-warning-text-after-control", text.as_str())
        }
    }
}

pub(crate) fn parse_error_message(error: &ParseError) -> Message {
    match error {
        ParseError::Empty => message("decisions-error-empty", ""),
        ParseError::NoNumberedItems => message("decisions-error-no-items", ""),
    }
}

pub(crate) async fn unprocessable(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    ctx: minijinja::Value,
) -> PageResult {
    let html = render(state, visitor, template, ctx).await;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

// ---- Import ----

pub async fn import_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    page(&state, &visitor, "decisions_import.html", context! {}).await
}

/// The text of an uploaded file: .txt in the code page chosen, or found (see
/// `megapolis_decisions::encoding`), .docx through the Word reader; anything else is refused
/// with a message naming the file.
pub fn text_of_file(file: &UploadedFile, encoding: Option<&str>) -> Result<String, Message> {
    let name = file.name.to_lowercase();
    if name.ends_with(".txt") {
        megapolis_decisions::encoding::decode(&file.bytes, encoding)
            .map(|(text, _)| text)
            .map_err(|_| message("decisions-error-encoding", file.name.as_str()))
    } else if name.ends_with(".docx") {
        docx::plain_text(&file.bytes).map_err(|e| {
            let key = match e {
                docx::DocxError::NotZip(_) | docx::DocxError::NotWordDocument => {
                    "decisions-error-docx-not-word"
                }
                docx::DocxError::TooLarge { .. } => "decisions-error-docx-too-large",
                _ => "decisions-error-docx-damaged",
            };
            message(key, file.name.as_str())
        })
    } else {
        Err(message("decisions-error-file-type", file.name.as_str()))
    }
}

/// Line breaks as the browser sends them (CRLF) back to `\n`.
pub(crate) fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub async fn import(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    form: CsrfMultipart,
) -> PageResult {
    let pasted = unix_lines(form.text("text"));
    let upload = form.files.iter().find(|f| f.field == "file");
    let text = match upload {
        Some(file) => text_of_file(file, Some(form.text("encoding"))),
        None if pasted.trim().is_empty() => Err(message("decisions-error-no-text", "")),
        None => Ok(pasted.clone()),
    };
    let text = match text {
        Ok(text) => unix_lines(&text),
        Err(error) => {
            return unprocessable(
                &state,
                &visitor,
                "decisions_import.html",
                context! { text => pasted, error => error, encoding => form.text("encoding") },
            )
            .await
        }
    };
    let bodies = state.store.org().bodies().await?;
    let directory = directory_of(&bodies);
    match parse_with(&text, &directory) {
        Ok(parsed) => {
            let review = Draft::of(&parsed, &text);
            review_page(
                &state,
                &visitor,
                &review,
                &parsed,
                &bodies,
                &BTreeMap::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(error) => {
            unprocessable(
                &state,
                &visitor,
                "decisions_import.html",
                context! { text => text, error => parse_error_message(&error) },
            )
            .await
        }
    }
}

/// The form as it was submitted.
pub fn review_from_form(form: &CsrfMultipart) -> Draft {
    let text = |name: &str| form.text(name).trim().to_string();
    let count = form
        .text("count")
        .trim()
        .parse::<usize>()
        .unwrap_or(0)
        .min(MAX_ROWS);
    Draft {
        source: unix_lines(form.text("source")),
        number: text("number"),
        date: text("date"),
        place: text("place"),
        title: text("title"),
        language: text("language"),
        controller: text("controller"),
        controller_name: text("controller_name"),
        published: form.text("published") == "1",
        assignments: (0..count)
            .map(|i| {
                let f = |name: &str| text(&format!("a{i}_{name}"));
                DraftRow {
                    item: f("item"),
                    kind: f("kind"),
                    task: f("task"),
                    lead: f("lead"),
                    lead_name: f("lead_name"),
                    co_executors: unix_lines(&f("co_executors")),
                    deadline: f("deadline"),
                    deadline_text: f("deadline_text"),
                    recurrence: f("recurrence"),
                    exclude: f("exclude") == "1",
                    flags: Vec::new(),
                }
            })
            .collect(),
        appendices: (0..APPENDIX_SLOTS)
            .map(|i| DraftAppendix {
                title: text(&format!("ap{i}_title")),
                link: text(&format!("ap{i}_link")),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct BodyOption {
    id: String,
    name_ru: String,
    name_en: String,
}

pub(crate) async fn review_page(
    state: &AppState,
    visitor: &Visitor,
    review: &Draft,
    parsed: &Decision,
    bodies: &[Body],
    errors: &DraftErrors,
    status: StatusCode,
) -> PageResult {
    let options: Vec<BodyOption> = bodies
        .iter()
        .map(|b| BodyOption {
            id: b.id.as_str().to_string(),
            name_ru: b.name_ru.clone(),
            name_en: b.name_en.clone(),
        })
        .collect();
    let warnings: Vec<Message> = parsed.warnings.iter().map(warning_message).collect();
    // The same text imported before: most likely a second click, or the wrong file.
    let existing = state
        .store
        .decisions()
        .with_source(&review.source)
        .await?
        .map(|(id, title)| context! { id => id, title => title });
    let flagged = review
        .assignments
        .iter()
        .filter(|a| !a.flags.is_empty())
        .count();
    let html = render(
        state,
        visitor,
        "decision_review.html",
        context! {
            review => review,
            flags => review.assignments.iter().map(|row| row.flags.iter().map(flag_message).collect::<Vec<_>>()).collect::<Vec<_>>(),
            bodies => options,
            warnings => warnings,
            flagged => flagged,
            errors => errors,
            existing => existing,
            recurrences => ["monthly", "quarterly", "yearly"],
        },
    ).await;
    Ok((status, html).into_response())
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    form: CsrfMultipart,
) -> PageResult {
    let mut review = review_from_form(&form);
    let bodies = state.store.org().bodies().await?;
    let directory = directory_of(&bodies);
    let parsed = match parse_with(&review.source, &directory) {
        Ok(parsed) => parsed,
        Err(error) => {
            return unprocessable(
                &state,
                &visitor,
                "decisions_import.html",
                context! { text => review.source, error => parse_error_message(&error) },
            )
            .await
        }
    };
    let appendix_files: Vec<Option<NewFile>> = (0..APPENDIX_SLOTS)
        .map(|i| form.files_of(&format!("ap{i}_file")).into_iter().next())
        .collect();
    match review.confirm(&parsed, &bodies, &directory, &appendix_files) {
        Ok(decision) => {
            match state
                .store
                .decisions()
                .save(&visitor.actor(), &decision)
                .await
            {
                Ok(id) => Ok(see_other(&with_done(
                    &format!("/decisions/{id}"),
                    "created",
                ))),
                // The session is already recorded with another date: say so beside the date.
                Err(megapolis_storage::StorageError::Conflict(_)) => {
                    let errors = DraftErrors::from([(
                        "date".to_string(),
                        "decisions-error-session-date-conflict",
                    )]);
                    review_page(
                        &state,
                        &visitor,
                        &review,
                        &parsed,
                        &bodies,
                        &errors,
                        StatusCode::CONFLICT,
                    )
                    .await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => {
            review_page(
                &state,
                &visitor,
                &review,
                &parsed,
                &bodies,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_are_read_in_their_code_page_and_other_files_refused() {
        let file = |name: &str, bytes: &[u8]| UploadedFile {
            field: "file".into(),
            name: name.into(),
            content_type: "text/plain".into(),
            bytes: bytes.to_vec(),
        };
        let text = text_of_file(&file("d.txt", "\u{feff}РЕШЕНИЕ".as_bytes()), None);
        assert_eq!(text, Ok("РЕШЕНИЕ".to_string()));
        // «РЕШЕНИЕ о плане» in Windows-1251.
        let cp1251 = [
            0xD0, 0xC5, 0xD8, 0xC5, 0xCD, 0xC8, 0xC5, 0x20, 0xEE, 0x20, 0xEF, 0xEB, 0xE0, 0xED,
            0xE5,
        ];
        assert_eq!(
            text_of_file(&file("решение.TXT", &cp1251), Some("auto")),
            Ok("РЕШЕНИЕ о плане".to_string())
        );
        assert_eq!(
            text_of_file(&file("решение.txt", &cp1251), Some("utf-8")),
            Err(message("decisions-error-encoding", "решение.txt"))
        );
        let pdf = text_of_file(&file("d.pdf", b"%PDF"), None);
        assert_eq!(pdf, Err(message("decisions-error-file-type", "d.pdf")));
        let fake = text_of_file(&file("d.docx", b"not a zip"), None);
        assert_eq!(
            fake,
            Err(message("decisions-error-docx-not-word", "d.docx"))
        );
    }
}
