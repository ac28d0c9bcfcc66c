//! The identity gate (SPEC section 2): the one place that decides whether a viewer may see
//! who complained — the complainant's name and contact details, their address, the property's
//! address and their representative's details — and the one place that audits it.
//!
//! A confidential (or anonymous) complainant's identity is for the complaints team
//! (officers) only; every view of it is audited. Everyone else gets "Confidential
//! complainant" and text with the identity taken out ([`Redaction`]). The property's address
//! is part of the identity, except that officers may record that the resident agreed the
//! investigators may know it; those views are audited too.

use diesel::QueryResult;

use crate::cases::load::LoadedCase;
use crate::db::audit::{self, AuditEntry};
use crate::db::cases::CaseRow;
use crate::db::complainants::{self, ComplainantRow, RepresentativeRow};
use crate::db::DbConnection;
use crate::domain::{CaseId, Role, UserId};

pub use crate::domain::viewer::{may_see_identity as may_see, WITHHELD_NAME};
/// What replaces a confidential representative's name.
pub const WITHHELD_REPRESENTATIVE: &str = "Their representative";
/// What replaces any other identifying detail (address, postcode, email, telephone).
pub const WITHHELD: &str = "[withheld]";

/// The audit actions the gate writes.
pub use crate::db::audit::{IDENTITY_VIEWED, PROPERTY_VIEWED};
pub const VULNERABILITY_VIEWED: &str = crate::db::audit::VULNERABILITY_NOTES_VIEWED;

/// Who is looking: what the decision needs, and who the audit entry names.
#[derive(Debug, Clone)]
pub struct Reader {
    pub id: UserId,
    pub role: Role,
    pub label: String,
    pub ip: Option<String>,
}

fn record(
    conn: &mut DbConnection,
    reader: &Reader,
    action: &str,
    reference: &str,
    place: &str,
) -> QueryResult<()> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(reader.id),
            reader.label.clone(),
            action,
            format!("case:{reference}"),
            place,
            reader.ip.as_deref(),
        ),
    )
    .map(|_| ())
}

/// What a page may show of one case's identity.
pub enum Sight {
    /// The identity as it is (audited when the case is confidential).
    Shown,
    /// The identity taken out of anything shown.
    Withheld(Redaction),
}

impl Sight {
    pub fn shown(&self) -> bool {
        matches!(self, Sight::Shown)
    }

    /// `text` as this viewer may read it.
    pub fn text(&self, text: &str) -> String {
        match self {
            Sight::Shown => text.to_string(),
            Sight::Withheld(r) => r.text(text),
        }
    }

    /// `html` (askama-escaped) as this viewer may read it.
    pub fn html(&self, html: &str) -> String {
        match self {
            Sight::Shown => html.to_string(),
            Sight::Withheld(r) => r.html(html),
        }
    }
}

/// Decides what `reader` may see of `case`'s identity on `place` (the audit entry's detail,
/// e.g. "case page" or "letter 12"), auditing the view of a confidential one.
pub fn sight(
    conn: &mut DbConnection,
    reader: &Reader,
    case: &CaseRow,
    place: &str,
) -> QueryResult<Sight> {
    if !case.confidential {
        return Ok(Sight::Shown);
    }
    if may_see(reader.role, true) {
        record(conn, reader, IDENTITY_VIEWED, &case.reference, place)?;
        return Ok(Sight::Shown);
    }
    Ok(Sight::Withheld(Redaction::for_case(conn, case)?))
}

/// The complainant's vulnerability notes for `reader`: officers and the manager or director
/// assigned to `case` only (`may_read`, from [`crate::cases::access::can_see_vulnerability`]);
/// each view audited.
pub fn vulnerability_notes(
    conn: &mut DbConnection,
    reader: &Reader,
    case: &CaseRow,
    notes: Option<&str>,
    may_read: bool,
) -> QueryResult<Option<String>> {
    match notes {
        Some(notes) if may_read => {
            record(conn, reader, VULNERABILITY_VIEWED, &case.reference, "")?;
            Ok(Some(notes.to_string()))
        }
        _ => Ok(None),
    }
}

/// May `reader` see the address of the property `case` is about? On a confidential case only
/// officers may, or others once an officer recorded the resident's agreement; that view is
/// audited (an officer's is audited as the identity it is part of).
pub fn property_shown(
    conn: &mut DbConnection,
    reader: &Reader,
    case: &LoadedCase,
    place: &str,
) -> QueryResult<bool> {
    if !case.row.confidential || may_see(reader.role, true) {
        return Ok(true);
    }
    let agreed = case.state.property_address_shared.is_some();
    if agreed {
        record(conn, reader, PROPERTY_VIEWED, &case.row.reference, place)?;
    }
    Ok(agreed)
}

/// A list showing the complainants of several cases (work list, print queue, outbox): may
/// `reader` see the confidential ones' names? When they may, one audit entry per confidential
/// case listed (`references`) records the view.
pub fn listed(
    conn: &mut DbConnection,
    reader: &Reader,
    references: &[&str],
    place: &str,
) -> QueryResult<bool> {
    if !may_see(reader.role, true) {
        return Ok(false);
    }
    for reference in references {
        record(conn, reader, IDENTITY_VIEWED, reference, place)?;
    }
    Ok(true)
}

/// A confidential case's identifying details, to take out of text shown to someone who may
/// not see them: names become "Confidential complainant" or "Their representative", and
/// addresses, postcodes, emails and telephone numbers "\[withheld\]". Whole names, their
/// words (as whole words, so "Mrs Patel" is caught as well as "Ella Patel") and each address
/// line are matched ignoring ASCII case.
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    /// `(what to find, what to put instead, whole words only)`, longest first.
    terms: Vec<(String, &'static str, bool)>,
}

/// Words that are part of how a name is written but identify no one.
const TITLES: [&str; 9] = ["mr", "mrs", "ms", "miss", "mx", "dr", "cllr", "rev", "prof"];

impl Redaction {
    /// The redaction for `case`: its complainant, representative and property.
    pub fn for_case(conn: &mut DbConnection, case: &CaseRow) -> QueryResult<Redaction> {
        let complainant = complainants::find(conn, case.complainant_id)?;
        let representative = complainants::representative_of(conn, case.id)?;
        let property = match case.property_id {
            Some(id) => complainants::find_property(conn, id)?,
            None => None,
        };
        Ok(Redaction::of(
            complainant.as_ref(),
            representative.as_ref(),
            property
                .as_ref()
                .map(|p| (p.address.as_str(), p.postcode.as_str())),
        ))
    }

    /// The redaction for the case `id` (none when there is no such case).
    pub fn for_case_id(conn: &mut DbConnection, id: CaseId) -> QueryResult<Redaction> {
        match crate::db::cases::find(conn, id)? {
            Some(case) => Redaction::for_case(conn, &case),
            None => Ok(Redaction::default()),
        }
    }

    pub fn of(
        complainant: Option<&ComplainantRow>,
        representative: Option<&RepresentativeRow>,
        property: Option<(&str, &str)>,
    ) -> Redaction {
        let mut r = Redaction::default();
        if let Some(c) = complainant {
            r.name(&c.name, WITHHELD_NAME);
            r.detail(c.email.as_deref());
            r.detail(c.phone.as_deref());
            r.address(c.address.as_deref());
            r.detail(c.postcode.as_deref());
        }
        if let Some(rep) = representative {
            r.name(&rep.name, WITHHELD_REPRESENTATIVE);
            r.detail(rep.email.as_deref());
            r.detail(rep.phone.as_deref());
            r.address(rep.address.as_deref());
        }
        if let Some((address, postcode)) = property {
            r.address(Some(address));
            r.detail(Some(postcode));
        }
        // Longest first, so a whole name or address line goes before its parts.
        r.terms
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        r.terms.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
        r
    }

    fn push(&mut self, term: &str, with: &'static str, whole_word: bool) {
        let term = term.trim();
        if term.chars().count() >= 2 {
            self.terms.push((term.to_string(), with, whole_word));
        }
    }

    /// The whole name, each word as written ("O'Brien-Patel") and each part of it ("Patel"),
    /// titles aside.
    fn name(&mut self, name: &str, with: &'static str) {
        self.push(name, with, false);
        let words = name.split_whitespace().flat_map(|word| {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            std::iter::once(word).chain(word.split(|c: char| !c.is_alphanumeric()))
        });
        for word in words {
            if !TITLES.contains(&word.to_ascii_lowercase().as_str()) {
                self.push(word, with, true);
            }
        }
    }

    fn detail(&mut self, value: Option<&str>) {
        if let Some(value) = value {
            self.push(value, WITHHELD, false);
            // A postcode written without its space, or a number without its spaces.
            let squashed: String = value.split_whitespace().collect();
            if squashed != value.trim() {
                self.push(&squashed, WITHHELD, false);
            }
        }
    }

    fn address(&mut self, address: Option<&str>) {
        if let Some(address) = address {
            self.push(address, WITHHELD, false);
            for line in address.split(['\n', ',']) {
                self.push(line, WITHHELD, true);
            }
        }
    }

    /// `text` with every identifying term replaced.
    pub fn text(&self, text: &str) -> String {
        self.terms
            .iter()
            .fold(text.to_string(), |acc, (term, with, whole)| {
                replace_ignoring_case(&acc, term, with, *whole)
            })
    }

    /// `html` (escaped as askama escapes it) with every identifying term replaced.
    pub fn html(&self, html: &str) -> String {
        self.terms
            .iter()
            .fold(html.to_string(), |acc, (term, with, whole)| {
                escaped_forms(term).iter().fold(acc, |acc, form| {
                    replace_ignoring_case(&acc, form, with, *whole)
                })
            })
    }
}

/// The ways an HTML escaper may write `term` (quotes have two common spellings each).
fn escaped_forms(term: &str) -> Vec<String> {
    let base = term
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut forms = vec![
        term.to_string(),
        base.replace('"', "&quot;").replace('\'', "&#x27;"),
        base.replace('"', "&#34;").replace('\'', "&#39;"),
    ];
    forms.sort();
    forms.dedup();
    forms
}

/// Replaces `term` in `haystack` ignoring ASCII case; with `whole_word`, only where it is
/// not part of a longer word. ASCII lower-casing keeps byte offsets, so matches found in
/// the lowered copies are at the same places in the original.
fn replace_ignoring_case(haystack: &str, term: &str, with: &str, whole_word: bool) -> String {
    let lower = haystack.to_ascii_lowercase();
    let needle = term.to_ascii_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(haystack.len());
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let bounded = !whole_word
            || (!is_word(haystack[..start].chars().next_back())
                && !is_word(haystack[end..].chars().next()));
        if bounded {
            out.push_str(&haystack[from..start]);
            out.push_str(with);
        } else {
            out.push_str(&haystack[from..end]);
        }
        from = end;
    }
    out.push_str(&haystack[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redaction() -> Redaction {
        let mut r = Redaction::default();
        r.name("Mrs Ella O'Brien-Patel", WITHHELD_NAME);
        r.detail(Some("ella@example.org"));
        r.detail(Some("07700 900123"));
        r.address(Some("12 Umbrella Road\nLeeds"));
        r.detail(Some("LS1 4AB"));
        r.name("Cllr Grace Hopper", WITHHELD_REPRESENTATIVE);
        r.terms
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        r
    }

    #[test]
    fn names_and_their_words_are_withheld_whole_words_only() {
        let r = redaction();
        assert_eq!(
            r.text("Dear Mrs Ella O'Brien-Patel, about your umbrella"),
            "Dear Confidential complainant, about your umbrella"
        );
        assert_eq!(
            r.text("Dear Ms O'BRIEN-PATEL"),
            "Dear Ms Confidential complainant"
        );
        assert_eq!(r.text("Ella called"), "Confidential complainant called");
        assert_eq!(r.text("Dear Mr Patel"), "Dear Mr Confidential complainant");
        assert_eq!(
            r.text("Cllr Grace Hopper wrote"),
            "Their representative wrote"
        );
    }

    #[test]
    fn contact_details_and_address_lines_are_withheld() {
        let r = redaction();
        let text = r.text("12 Umbrella Road, Leeds LS1 4AB; ls14ab; 07700900123; ELLA@example.org");
        for gone in [
            "Umbrella Road",
            "Leeds",
            "LS1 4AB",
            "ls14ab",
            "07700900123",
            "ELLA@",
        ] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
    }

    #[test]
    fn escaped_html_is_redacted_too() {
        let r = redaction();
        let html = "<p>Dear Mrs Ella O&#39;Brien-Patel,</p><p>O&#x27;Brien-Patel</p>";
        let out = r.html(html);
        assert!(!out.contains("Brien"), "{out}");
        assert!(out.starts_with("<p>Dear Confidential complainant,</p>"));
    }

    #[test]
    fn only_officers_see_a_confidential_identity() {
        for role in Role::ALL {
            assert!(may_see(role, false));
            assert_eq!(may_see(role, true), role == Role::Officer);
        }
    }
}
