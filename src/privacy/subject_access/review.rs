//! The request's page: the cases whose complainant is (or may be) the person, and the notes
//! and files on them to review before export.

use diesel::QueryResult;

use super::gather::CaseFile;
use super::matching::{self, Identifiers, Match};
use crate::db::subject_access::{self as table, Candidate, RequestRow};
use crate::db::DbConnection;
use crate::domain::marking::{MarkedItem, Marking};

/// A case that may be the person's, and why.
pub struct Found {
    pub case: Candidate,
    pub matched: Match,
}

/// What identifies the person who made `request`.
pub fn identifiers(request: &RequestRow) -> Identifiers {
    Identifiers {
        name_words: matching::name_words(&request.person_name),
        email: request.email.clone(),
        phone: request.telephone.clone(),
        postcode: request.postcode.clone(),
    }
}

/// The cases whose complainant is the person, sure matches first, then by reference.
pub fn find_person(conn: &mut DbConnection, request: &RequestRow) -> QueryResult<Vec<Found>> {
    let ids = identifiers(request);
    let candidates = table::candidates(
        conn,
        ids.email.as_deref(),
        ids.phone.as_deref(),
        ids.postcode.as_deref(),
        matching::longest_word(&ids.name_words),
    )?;
    let mut found: Vec<Found> = candidates
        .into_iter()
        .filter_map(|case| matching::assess(&ids, &case).map(|matched| Found { case, matched }))
        .collect();
    found.sort_by(|a, b| {
        b.matched
            .sure
            .cmp(&a.matched.sure)
            .then_with(|| a.case.reference.cmp(&b.case.reference))
    });
    Ok(found)
}

/// A note or file to review.
pub struct ReviewItem {
    pub item: MarkedItem,
    /// "Note, 3 March 2026" or "File".
    pub what: String,
    /// The note's first words, or the file's name.
    pub excerpt: String,
    pub marking: Option<Marking>,
}

/// The longest excerpt of a note shown for review, in characters.
const EXCERPT: usize = 140;

/// Every note with text and every file of a case, in timeline order then files.
pub fn items(file: &CaseFile) -> Vec<ReviewItem> {
    let marking = |item: MarkedItem| file.markings.get(&item).and_then(|m| m.marking());
    let mut entries: Vec<_> = file
        .page
        .timeline
        .iter()
        .filter(|e| e.text.as_ref().is_some_and(|t| !t.trim().is_empty()))
        .collect();
    entries.sort_by_key(|e| (e.on, e.id.0));
    let mut items: Vec<ReviewItem> = entries
        .into_iter()
        .map(|e| {
            let text = e.text.as_deref().unwrap_or_default().trim();
            let mut excerpt: String = text.chars().take(EXCERPT).collect();
            if text.chars().count() > EXCERPT {
                excerpt.push('…');
            }
            ReviewItem {
                item: MarkedItem::Note(e.id),
                what: format!("{}, {}", e.title, e.on.format("%-d %B %Y")),
                excerpt,
                marking: marking(MarkedItem::Note(e.id)),
            }
        })
        .collect();
    items.extend(file.page.evidence.iter().map(|(row, _)| ReviewItem {
        item: MarkedItem::Attachment(row.id),
        what: "File".to_string(),
        excerpt: row.file_name.clone(),
        marking: marking(MarkedItem::Attachment(row.id)),
    }));
    items
}
