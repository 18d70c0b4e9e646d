//! Generalisation: the Expert Council merges submissions that ask for the same thing into one
//! generalised proposal (text in Russian and English, a topic), splits one, moves a submission
//! from one to another, or rejects a submission with a reason. Nothing is deleted: every
//! original keeps its author and points to where it went. Storage reads what these rules need
//! (each submission's consultation and fate) in the write's transaction and asks them.
use crate::model::{MAX_TEXT_CHARS, MAX_TOPIC_CHARS};
use megapolis_domain::field::FieldErrors;
use serde::{Deserialize, Serialize};

/// The longest reason for a rejection.
pub const MAX_REASON_CHARS: usize = 2_000;

/// The raw fields of a generalised proposal's text (form or JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GeneralisedInput {
    pub text_ru: String,
    pub text_en: String,
    pub topic: String,
}

/// A generalised proposal's text ready to save: at least one language is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneralisedText {
    pub text_ru: String,
    pub text_en: String,
    pub topic: Option<String>,
}

impl GeneralisedInput {
    pub fn parse(&self) -> Result<GeneralisedText, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (text_ru, text_en) = (self.text_ru.trim(), self.text_en.trim());
        if text_ru.is_empty() && text_en.is_empty() {
            errors.add("text_ru", "error-required");
            errors.add("text_en", "error-required");
        }
        for (field, text) in [("text_ru", text_ru), ("text_en", text_en)] {
            if text.chars().count() > MAX_TEXT_CHARS {
                errors.add(field, "error-too-long");
            }
        }
        let topic = self.topic.trim();
        if topic.chars().count() > MAX_TOPIC_CHARS {
            errors.add("topic", "error-too-long");
        }
        errors.into_result(|| GeneralisedText {
            text_ru: text_ru.into(),
            text_en: text_en.into(),
            topic: (!topic.is_empty()).then(|| topic.to_string()),
        })
    }
}

/// Submission ids as a form gives them: numbers separated by spaces, commas or «№».
pub fn parse_ids(raw: &str) -> Result<Vec<i64>, FieldErrors> {
    let mut ids = Vec::new();
    for part in raw
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '№')
        .filter(|p| !p.is_empty())
    {
        match part.parse::<i64>() {
            Ok(id) if id > 0 => ids.push(id),
            _ => {
                let mut errors = FieldErrors::default();
                errors.add("submissions", "consultations-error-ids");
                return Err(errors);
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A rejection's reason: required, at most [`MAX_REASON_CHARS`].
pub fn parse_reason(raw: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let reason =
        megapolis_domain::field::required_text(&mut errors, "reason", raw, MAX_REASON_CHARS);
    errors.into_result(|| reason)
}

/// What became of a submission so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Fate {
    /// Nobody has decided yet.
    Open,
    /// Part of this generalised proposal.
    Merged { generalised: i64 },
    /// Set aside, with the Council's reason.
    Rejected { reason: String },
}

/// A submission as the rules see it: its consultation and its fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: i64,
    pub consultation: i64,
    pub fate: Fate,
}

/// Why a step of generalisation is refused; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("choose at least one submission")]
    NothingChosen,
    #[error("there is no submission № {0}")]
    UnknownSubmission(i64),
    #[error("submission № {submission} belongs to consultation № {consultation}: a generalised proposal gathers the submissions of one consultation")]
    OtherConsultation { submission: i64, consultation: i64 },
    #[error("submission № {submission} is already in generalised proposal № {generalised}: move it instead")]
    AlreadyGeneralised { submission: i64, generalised: i64 },
    #[error("submission № {0} is not in this generalised proposal")]
    NotInThis(i64),
    #[error("a split must leave at least one submission where it was")]
    SplitsAll,
}

impl Refusal {
    /// A stable code for the API, and the translation key's tail on pages.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NothingChosen => "nothing_chosen",
            Refusal::UnknownSubmission(_) => "unknown_submission",
            Refusal::OtherConsultation { .. } => "other_consultation",
            Refusal::AlreadyGeneralised { .. } => "already_generalised",
            Refusal::NotInThis(_) => "not_in_this",
            Refusal::SplitsAll => "splits_all",
        }
    }

    /// The submission the refusal names, if any (pages show it beside the message).
    pub fn submission(&self) -> Option<i64> {
        match self {
            Refusal::UnknownSubmission(id) | Refusal::NotInThis(id) => Some(*id),
            Refusal::OtherConsultation { submission, .. }
            | Refusal::AlreadyGeneralised { submission, .. } => Some(*submission),
            Refusal::NothingChosen | Refusal::SplitsAll => None,
        }
    }
}

/// Every asked id was found, in `consultation`.
fn all_found_here<'a>(
    consultation: i64,
    asked: &[i64],
    found: &'a [Source],
) -> Result<Vec<&'a Source>, Refusal> {
    if asked.is_empty() {
        return Err(Refusal::NothingChosen);
    }
    asked
        .iter()
        .map(|id| {
            let source = found
                .iter()
                .find(|s| s.id == *id)
                .ok_or(Refusal::UnknownSubmission(*id))?;
            if source.consultation != consultation {
                return Err(Refusal::OtherConsultation {
                    submission: source.id,
                    consultation: source.consultation,
                });
            }
            Ok(source)
        })
        .collect()
}

/// A merge of `asked` into a new generalised proposal of `consultation`: each submission exists,
/// belongs to it, and is not in another generalised proposal yet (a rejected one may be
/// reconsidered).
pub fn check_merge(consultation: i64, asked: &[i64], found: &[Source]) -> Result<(), Refusal> {
    for source in all_found_here(consultation, asked, found)? {
        if let Fate::Merged { generalised } = source.fate {
            return Err(Refusal::AlreadyGeneralised {
                submission: source.id,
                generalised,
            });
        }
    }
    Ok(())
}

/// A split of `asked` out of `generalised` (whose sources are `members`) into a new one: each is
/// in it, and at least one stays.
pub fn check_split(
    consultation: i64,
    generalised: i64,
    asked: &[i64],
    found: &[Source],
    members: usize,
) -> Result<(), Refusal> {
    let chosen = all_found_here(consultation, asked, found)?;
    if let Some(outside) = chosen
        .iter()
        .find(|s| s.fate != Fate::Merged { generalised })
    {
        return Err(Refusal::NotInThis(outside.id));
    }
    if chosen.len() >= members {
        return Err(Refusal::SplitsAll);
    }
    Ok(())
}

/// A move of one submission into `generalised` of `consultation`, from wherever it is (another
/// generalised proposal, nowhere, or rejected); `Ok(None)` when it is there already.
pub fn check_move(
    consultation: i64,
    generalised: i64,
    asked: i64,
    found: &[Source],
) -> Result<Option<Fate>, Refusal> {
    let source = all_found_here(consultation, &[asked], found)?[0];
    Ok((source.fate != Fate::Merged { generalised }).then(|| source.fate.clone()))
}

/// A rejection of one submission of `consultation`: it exists and belongs to it; returns where
/// it was.
pub fn check_reject(consultation: i64, asked: i64, found: &[Source]) -> Result<Fate, Refusal> {
    Ok(all_found_here(consultation, &[asked], found)?[0]
        .fate
        .clone())
}

/// The kinds of step a generalised proposal's history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Made from these submissions.
    Merged,
    /// Its text or topic changed.
    Edited,
    /// These submissions left it for the new one named.
    SplitOut,
    /// Made from these submissions of the one named.
    SplitFrom,
    /// This submission came from the one named (or from nowhere).
    MovedIn,
    /// This submission went to the one named.
    MovedOut,
    /// This submission was rejected and left it.
    Rejected,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Merged,
        Step::Edited,
        Step::SplitOut,
        Step::SplitFrom,
        Step::MovedIn,
        Step::MovedOut,
        Step::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Merged => "merged",
            Step::Edited => "edited",
            Step::SplitOut => "split-out",
            Step::SplitFrom => "split-from",
            Step::MovedIn => "moved-in",
            Step::MovedOut => "moved-out",
            Step::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: i64, consultation: i64, fate: Fate) -> Source {
        Source {
            id,
            consultation,
            fate,
        }
    }

    #[test]
    fn a_merge_takes_submissions_of_one_consultation_not_yet_generalised() {
        let found = [
            source(1, 7, Fate::Open),
            source(2, 7, Fate::Rejected { reason: "x".into() }),
            source(3, 8, Fate::Open),
            source(4, 7, Fate::Merged { generalised: 5 }),
        ];
        assert_eq!(check_merge(7, &[1, 2], &found), Ok(()));
        assert_eq!(check_merge(7, &[], &found), Err(Refusal::NothingChosen));
        assert_eq!(
            check_merge(7, &[1, 3], &found),
            Err(Refusal::OtherConsultation {
                submission: 3,
                consultation: 8
            })
        );
        assert_eq!(
            check_merge(7, &[1, 4], &found),
            Err(Refusal::AlreadyGeneralised {
                submission: 4,
                generalised: 5
            })
        );
        assert_eq!(
            check_merge(7, &[1, 9], &found),
            Err(Refusal::UnknownSubmission(9))
        );
    }

    #[test]
    fn a_split_leaves_someone_behind_and_takes_only_members() {
        let merged = Fate::Merged { generalised: 5 };
        let found = [
            source(1, 7, merged.clone()),
            source(2, 7, merged.clone()),
            source(3, 7, Fate::Open),
        ];
        assert_eq!(check_split(7, 5, &[2], &found, 2), Ok(()));
        assert_eq!(
            check_split(7, 5, &[1, 2], &found, 2),
            Err(Refusal::SplitsAll)
        );
        assert_eq!(
            check_split(7, 5, &[3], &found, 2),
            Err(Refusal::NotInThis(3))
        );
    }

    #[test]
    fn a_move_says_where_from_and_a_rejection_where_it_was() {
        let found = [
            source(1, 7, Fate::Merged { generalised: 5 }),
            source(2, 8, Fate::Open),
        ];
        assert_eq!(
            check_move(7, 6, 1, &found),
            Ok(Some(Fate::Merged { generalised: 5 }))
        );
        assert_eq!(check_move(7, 5, 1, &found), Ok(None));
        assert!(check_move(7, 5, 2, &found).is_err());
        assert_eq!(
            check_reject(7, 1, &found),
            Ok(Fate::Merged { generalised: 5 })
        );
    }

    #[test]
    fn texts_ids_and_reasons_are_parsed_by_field() {
        let errors = GeneralisedInput::default().parse().expect_err("empty");
        assert_eq!(errors.get("text_en"), Some("error-required"));
        let ok = GeneralisedInput {
            text_en: " Free Wi-Fi in the metro ".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(
            (ok.text_en.as_str(), ok.topic),
            ("Free Wi-Fi in the metro", None)
        );
        assert_eq!(parse_ids("№ 3, 1 3;2"), Ok(vec![1, 2, 3]));
        assert!(parse_ids("1, two").is_err());
        assert_eq!(
            parse_reason("  ").err().and_then(|e| e.get("reason")),
            Some("error-required")
        );
    }
}
