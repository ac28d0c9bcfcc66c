//! Everything held about a person on one of their cases, read once for the review on the
//! request's page and for the export: the case page's read model with the whole timeline (so
//! a confidential identity passes through the identity gate, which audits it), letters as
//! sent, emails filed to the case, who viewed the restricted data, and the markings.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::cases::page::{self, CasePage, Looking, PageError, PageRules, TimelineFilter};
use crate::db::audit::{self, IDENTITY_VIEWED, PROPERTY_VIEWED, RESTRICTED_VIEWS};
use crate::db::markings::{self, MarkingRow};
use crate::db::ombudsman::{emails_of_case, CaseEmail};
use crate::db::{letters, staff, DbConnection};
use crate::domain::marking::MarkedItem;
use crate::domain::UserId;

/// Someone who saw the data only some may see.
pub struct RestrictedView {
    pub at: NaiveDateTime,
    pub who: String,
    /// In the resident's words: "Saw your name and contact details".
    pub what: &'static str,
    /// Where: "case page", "subject access export", …
    pub place: String,
}

pub struct CaseFile {
    pub page: CasePage,
    pub letters: Vec<letters::LetterRow>,
    pub emails: Vec<CaseEmail>,
    pub views: Vec<RestrictedView>,
    pub markings: HashMap<MarkedItem, MarkingRow>,
}

fn view_words(action: &str) -> &'static str {
    match action {
        IDENTITY_VIEWED => "Saw your name and contact details",
        PROPERTY_VIEWED => "Saw your property's address",
        _ => "Read your vulnerability notes",
    }
}

/// Reads case `reference`'s file as `looking` may see it.
pub fn gather(
    conn: &mut DbConnection,
    looking: &Looking<'_>,
    rules: &PageRules<'_>,
    reference: &str,
) -> Result<CaseFile, PageError> {
    let page = page::load(conn, looking, reference, rules, TimelineFilter::All)?;
    let case_id = page.loaded.row.id;
    let letters = letters::for_case(conn, case_id)?
        .into_iter()
        .filter(|l| l.is_sent())
        .collect();
    let emails = emails_of_case(conn, case_id)?;
    let views = restricted_views(conn, reference)?;
    let markings = markings::of_case(conn, case_id)?
        .into_iter()
        .filter_map(|m| m.item().map(|item| (item, m)))
        .collect();
    Ok(CaseFile {
        page,
        letters,
        emails,
        views,
        markings,
    })
}

fn restricted_views(conn: &mut DbConnection, reference: &str) -> QueryResult<Vec<RestrictedView>> {
    let rows: Vec<_> = audit::for_target(conn, &format!("case:{reference}"))?
        .into_iter()
        .filter(|r| RESTRICTED_VIEWS.contains(&r.action.as_str()))
        .collect();
    let ids: Vec<UserId> = rows.iter().filter_map(|r| r.actor_id).collect();
    let names = staff::named(conn, &ids)?;
    let mut views: Vec<RestrictedView> = rows
        .into_iter()
        .map(|r| RestrictedView {
            at: r.at,
            who: r
                .actor_id
                .and_then(|id| names.get(&id))
                .map(|m| m.with_role())
                .unwrap_or_else(|| "Redress".to_string()),
            what: view_words(&r.action),
            place: r.detail,
        })
        .collect();
    views.sort_by_key(|v| v.at);
    Ok(views)
}
