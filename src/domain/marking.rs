//! Markings a subject access review puts on a note or an evidence file (issue 30; UK GDPR
//! Article 15(4) and the Data Protection Act 2018 Schedule 2): information about other
//! people, and legal advice that is privileged. A subject access export withholds a marked
//! item and says that it did and why.

use std::fmt;
use std::str::FromStr;

/// Why an item is withheld from a subject access export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marking {
    /// It is mostly about someone else, who has not agreed to its release.
    ThirdParty,
    /// Legal advice, or material prepared for legal proceedings.
    LegallyPrivileged,
}

impl Marking {
    pub const ALL: [Marking; 2] = [Marking::ThirdParty, Marking::LegallyPrivileged];

    /// How it is stored.
    pub fn code(self) -> &'static str {
        match self {
            Marking::ThirdParty => "third_party",
            Marking::LegallyPrivileged => "legally_privileged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Marking::ThirdParty => "Third-party information",
            Marking::LegallyPrivileged => "Legally privileged",
        }
    }

    /// What the export's index says of a withheld item.
    pub fn withheld_because(self) -> &'static str {
        match self {
            Marking::ThirdParty => "it is information about another person",
            Marking::LegallyPrivileged => "it is legally privileged",
        }
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Marking {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Marking::ALL.into_iter().find(|m| m.code() == s).ok_or(())
    }
}

/// What a marking is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkedItem {
    /// A timeline entry with text (a note, a contact's summary).
    Note(super::CaseEventId),
    Attachment(super::AttachmentId),
}

impl MarkedItem {
    pub fn kind(self) -> &'static str {
        match self {
            MarkedItem::Note(_) => "note",
            MarkedItem::Attachment(_) => "attachment",
        }
    }

    pub fn id(self) -> i32 {
        match self {
            MarkedItem::Note(id) => id.0,
            MarkedItem::Attachment(id) => id.0,
        }
    }

    pub fn from_parts(kind: &str, id: i32) -> Option<MarkedItem> {
        match kind {
            "note" => Some(MarkedItem::Note(super::CaseEventId(id))),
            "attachment" => Some(MarkedItem::Attachment(super::AttachmentId(id))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markings_round_trip_through_their_codes() {
        for m in Marking::ALL {
            assert_eq!(m.code().parse::<Marking>(), Ok(m));
        }
        assert!("secret".parse::<Marking>().is_err());
    }

    #[test]
    fn items_round_trip_through_kind_and_id() {
        let note = MarkedItem::Note(super::super::CaseEventId(7));
        assert_eq!(MarkedItem::from_parts(note.kind(), note.id()), Some(note));
        assert_eq!(MarkedItem::from_parts("letter", 7), None);
    }
}
