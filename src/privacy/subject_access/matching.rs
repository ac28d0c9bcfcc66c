//! Which complainants are the person asking (pure). An email address or telephone number
//! that is theirs is enough; a name is enough only with their postcode, since two residents
//! may share a name; a postcode alone is a neighbour. A name alone is offered for the
//! officer to check, not ticked.

use crate::db::subject_access::Candidate;

/// What identifies the person, as stored (email lower case, telephone as national digits,
/// postcode with its space), and their name's words in lower case.
#[derive(Debug, Clone, Default)]
pub struct Identifiers {
    pub name_words: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
}

/// Why a case's complainant looks like the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// "same email address", "same name and postcode", …
    pub because: Vec<&'static str>,
    /// Sure enough to include without a second look.
    pub sure: bool,
}

/// A name's words in lower case, letters and digits only, sorted (order never matters:
/// "Patel, Ella" is "Ella Patel").
pub fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The longest word of the name: the one the database narrows candidates by.
pub fn longest_word(words: &[String]) -> Option<&str> {
    words
        .iter()
        .max_by_key(|w| w.chars().count())
        .map(String::as_str)
}

/// Whether `candidate` is the person `ids` describe, and why.
pub fn assess(ids: &Identifiers, candidate: &Candidate) -> Option<Match> {
    let same = |ours: &Option<String>, theirs: &Option<String>| matches!((ours, theirs), (Some(a), Some(b)) if a == b);
    let same_name = !ids.name_words.is_empty() && name_words(&candidate.name) == ids.name_words;
    let mut because = Vec::new();
    if same(&ids.email, &candidate.email) {
        because.push("same email address");
    }
    if same(&ids.phone, &candidate.phone) {
        because.push("same telephone number");
    }
    let same_postcode = same(&ids.postcode, &candidate.postcode);
    if same_name && same_postcode {
        because.push("same name and postcode");
    }
    if !because.is_empty() {
        return Some(Match {
            because,
            sure: true,
        });
    }
    same_name.then(|| Match {
        because: vec!["same name only: check it is them"],
        sure: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CaseId, Status};
    use chrono::NaiveDate;

    fn candidate(
        name: &str,
        email: Option<&str>,
        phone: Option<&str>,
        postcode: Option<&str>,
    ) -> Candidate {
        Candidate {
            case_id: CaseId(1),
            reference: "CMP-2026-000001".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            status: Status::Closed,
            confidential: false,
            name: name.into(),
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            postcode: postcode.map(Into::into),
        }
    }

    fn ella() -> Identifiers {
        Identifiers {
            name_words: name_words("Ella Patel"),
            email: Some("ella@example.org".into()),
            phone: None,
            postcode: Some("LS1 4AB".into()),
        }
    }

    #[test]
    fn an_email_address_is_enough() {
        let m = assess(
            &ella(),
            &candidate("E. Patel", Some("ella@example.org"), None, None),
        );
        assert_eq!(m.map(|m| m.sure), Some(true));
    }

    #[test]
    fn a_name_needs_the_postcode_to_be_sure_and_order_does_not_matter() {
        let sure = assess(
            &ella(),
            &candidate("Patel, Ella", None, None, Some("LS1 4AB")),
        );
        assert_eq!(
            sure.map(|m| m.because),
            Some(vec!["same name and postcode"])
        );
        let unsure = assess(
            &ella(),
            &candidate("ELLA PATEL", None, None, Some("M1 1AA")),
        );
        assert_eq!(unsure.map(|m| m.sure), Some(false));
    }

    #[test]
    fn a_neighbour_or_a_namesake_with_other_details_is_not_them() {
        assert_eq!(
            assess(
                &ella(),
                &candidate("Sam Jones", None, None, Some("LS1 4AB"))
            ),
            None
        );
        assert_eq!(
            assess(
                &ella(),
                &candidate("Ella Patelson", None, None, Some("LS1 4AB"))
            ),
            None
        );
    }
}
