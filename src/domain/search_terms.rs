//! What the work lists' one search box was given, read every way it can be (issue 23): a
//! case reference or part of its number, a postcode, a telephone number, an email address,
//! words of a name in any order, and always the text itself (a reference's start, or three
//! characters or more inside a name or description).
//!
//! Postcodes, telephone numbers and email addresses are stored in the form their domain
//! types give them (`Postcode`, `PhoneNumber`, `Email`: every write path parses through
//! them), so the search reads the typed text through the same types and compares equal
//! values, which a plain index answers.

use super::contact::{PhoneNumber, Postcode};
use super::email::Email;

/// A case number asked for without its prefix: `490`, `000490`, `2026-490`, `2026-000490`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceNumber {
    /// The year, when it was given.
    pub year: Option<i32>,
    pub sequence: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchTerms {
    /// The text as typed, trimmed.
    pub text: String,
    pub number: Option<ReferenceNumber>,
    /// `SW1A 1AA`, as stored.
    pub postcode: Option<String>,
    /// National digits (`07700900982`), as stored.
    pub phone: Option<String>,
    /// Lower case, as stored.
    pub email: Option<String>,
    /// Two or more words, lower case: a name containing every one of them, in any order.
    pub name_words: Vec<String>,
}

impl SearchTerms {
    pub fn read(input: &str) -> SearchTerms {
        let text = input.trim().to_string();
        let name_words: Vec<String> = text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>();
        let name_words = if name_words.len() >= 2 && name_words.iter().all(|w| is_name_word(w)) {
            name_words
        } else {
            Vec::new()
        };
        SearchTerms {
            number: reference_number(&text),
            postcode: Postcode::parse(&text).ok().map(|p| p.as_str().to_string()),
            // A bare case number (six digits or fewer) is never read as a telephone number.
            phone: PhoneNumber::parse(&text)
                .ok()
                .map(|p| p.as_str().to_string()),
            email: text
                .contains('@')
                .then(|| Email::parse(&text).ok())
                .flatten()
                .map(|e| e.as_str().to_string()),
            name_words,
            text,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether anything but the text itself is looked for.
    pub fn has_structured(&self) -> bool {
        self.number.is_some()
            || self.postcode.is_some()
            || self.phone.is_some()
            || self.email.is_some()
            || !self.name_words.is_empty()
    }
}

/// Letters, with the apostrophes and hyphens names have (O'Neill, Smith-Jones).
fn is_name_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '’'))
}

fn digits(text: &str, max: usize) -> Option<u32> {
    if (1..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok().filter(|n| *n > 0)
    } else {
        None
    }
}

/// `490`, `000490`, `2026-490`, `2026-000490`, `CMP-2026-000490` (any case).
fn reference_number(text: &str) -> Option<ReferenceNumber> {
    let upper = text.to_ascii_uppercase();
    let rest = upper.strip_prefix("CMP-").unwrap_or(&upper);
    match rest.split_once('-') {
        None => digits(rest, 6).map(|sequence| ReferenceNumber {
            year: None,
            sequence,
        }),
        Some((year, number)) => {
            let year = (year.len() == 4).then(|| digits(year, 4)).flatten()?;
            digits(number, 6).map(|sequence| ReferenceNumber {
                year: Some(year as i32),
                sequence,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(year: Option<i32>, sequence: u32) -> Option<ReferenceNumber> {
        Some(ReferenceNumber { year, sequence })
    }

    #[test]
    fn a_reference_is_found_from_any_part_of_its_number() {
        for text in ["490", "000490", " 490 "] {
            assert_eq!(SearchTerms::read(text).number, number(None, 490), "{text}");
        }
        for text in [
            "2026-000490",
            "2026-490",
            "CMP-2026-000490",
            "cmp-2026-000490",
        ] {
            assert_eq!(
                SearchTerms::read(text).number,
                number(Some(2026), 490),
                "{text}"
            );
        }
        for text in ["0", "1234567", "26-490", "CMP-2026-", "4 90", "damp"] {
            assert_eq!(SearchTerms::read(text).number, None, "{text}");
        }
    }

    #[test]
    fn postcodes_phones_and_emails_read_as_stored() {
        assert_eq!(
            SearchTerms::read("ls62ab").postcode.as_deref(),
            Some("LS6 2AB")
        );
        assert_eq!(
            SearchTerms::read("LS6 2AB").postcode.as_deref(),
            Some("LS6 2AB")
        );
        assert_eq!(
            SearchTerms::read("+44 7700 900 123").phone.as_deref(),
            Some("07700900123")
        );
        assert_eq!(
            SearchTerms::read("07700-900123").phone.as_deref(),
            Some("07700900123")
        );
        assert_eq!(SearchTerms::read("490").phone, None);
        assert_eq!(
            SearchTerms::read("Ella.Patel@Example.COM").email.as_deref(),
            Some("ella.patel@example.com")
        );
        assert_eq!(SearchTerms::read("ella.patel").email, None);
    }

    #[test]
    fn two_or_more_words_are_a_name_in_any_order() {
        assert_eq!(
            SearchTerms::read("patel  Ella").name_words,
            ["patel", "ella"]
        );
        assert_eq!(
            SearchTerms::read("Mary O'Neill-Jones").name_words,
            ["mary", "o'neill-jones"]
        );
        assert!(SearchTerms::read("patel").name_words.is_empty());
        assert!(SearchTerms::read("flat 4").name_words.is_empty());
    }
}
