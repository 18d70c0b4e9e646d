//! A participant changes their own submission: only its author, only while the consultation is
//! open, and only before the Expert Council has merged or rejected it (what the Council merged
//! must stay what its sources said).
use crate::generalise::Fate;

/// Why an edit is refused; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefusal {
    #[error("only its author may change a submission")]
    NotYours,
    #[error("the consultation is closed: submissions no longer change")]
    Closed,
    #[error("the Expert Council has already considered this submission")]
    Considered,
}

impl EditRefusal {
    /// A stable code for the API, and the translation key's tail on pages.
    pub fn code(&self) -> &'static str {
        match self {
            EditRefusal::NotYours => "not_yours",
            EditRefusal::Closed => "consultation_closed",
            EditRefusal::Considered => "considered",
        }
    }
}

/// Whether person `editor` may change a submission by `author` in a consultation that is `open`,
/// whose fate is `fate`.
pub fn check_edit(editor: i64, author: i64, open: bool, fate: &Fate) -> Result<(), EditRefusal> {
    if editor != author {
        Err(EditRefusal::NotYours)
    } else if !open {
        Err(EditRefusal::Closed)
    } else if *fate != Fate::Open {
        Err(EditRefusal::Considered)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_author_while_open_and_before_the_council() {
        assert_eq!(check_edit(1, 1, true, &Fate::Open), Ok(()));
        assert_eq!(
            check_edit(2, 1, true, &Fate::Open),
            Err(EditRefusal::NotYours)
        );
        assert_eq!(
            check_edit(1, 1, false, &Fate::Open),
            Err(EditRefusal::Closed)
        );
        assert_eq!(
            check_edit(1, 1, true, &Fate::Merged { generalised: 3 }),
            Err(EditRefusal::Considered)
        );
    }
}
