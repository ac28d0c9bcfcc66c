//! The register's rows: every contact the viewer may read, with its state, what is due next
//! and whether anything is overdue, overdue first; and the dashboard tile's counts.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::QueryResult;

use super::access::{self, RegisterAction};
use super::state::{ContactState, Facts};
use super::ContactKind;
use crate::db::ombudsman::{self as table, EvidenceRequestRow, OrderRow, RegisterFact};
use crate::db::DbConnection;
use crate::domain::Viewer;
use crate::rules::{rag_for, Calendar, Rag, RagThresholds};

/// What to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<ContactState>,
    pub kind: Option<ContactKind>,
    pub overdue_only: bool,
    /// A case reference or the Ombudsman's reference, or part of one.
    pub search: String,
}

#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub contact: i32,
    pub reference: String,
    pub kind: Option<ContactKind>,
    pub contacted_on: NaiveDate,
    pub ombudsman_reference: String,
    pub category: Option<String>,
    pub state: ContactState,
    pub next_due: Option<NaiveDate>,
    /// The next due date's rating, as any deadline (none when nothing is owed or the date
    /// is outside the calendar).
    pub rag: Option<Rag>,
    pub overdue: bool,
    pub evidence_overdue: usize,
    pub orders_overdue: usize,
}

/// The facts of every contact `viewer` may read.
pub struct Loaded {
    pub facts: Vec<RegisterFact>,
    pub requests: HashMap<i32, Vec<EvidenceRequestRow>>,
    pub orders: HashMap<i32, Vec<OrderRow>>,
}

impl Loaded {
    pub fn facts_of<'a>(&'a self, fact: &'a RegisterFact) -> Facts<'a> {
        let id = fact.contact.id;
        Facts {
            contact: &fact.contact,
            requests: self.requests.get(&id).into_iter().flatten().collect(),
            orders: self.orders.get(&id).into_iter().flatten().collect(),
        }
    }
}

pub fn load(conn: &mut DbConnection, viewer: &Viewer<'_>) -> QueryResult<Loaded> {
    let facts: Vec<RegisterFact> = table::register(conn)?
        .into_iter()
        .filter(|f| {
            access::may(
                viewer,
                f.assignee_id,
                f.service_area_id,
                RegisterAction::Read,
            )
        })
        .collect();
    let ids: Vec<i32> = facts.iter().map(|f| f.contact.id).collect();
    let mut requests: HashMap<i32, Vec<EvidenceRequestRow>> = HashMap::new();
    for r in table::requests_of(conn, &ids)? {
        requests.entry(r.contact_id).or_default().push(r);
    }
    let mut orders: HashMap<i32, Vec<OrderRow>> = HashMap::new();
    for o in table::orders_of(conn, &ids)? {
        orders.entry(o.contact_id).or_default().push(o);
    }
    Ok(Loaded {
        facts,
        requests,
        orders,
    })
}

/// The rows `filter` shows: overdue first, then by the next date due (nothing due last),
/// newest contact first among equals.
pub fn rows(
    loaded: &Loaded,
    filter: &Filter,
    today: NaiveDate,
    calendar: &Calendar,
    thresholds: &RagThresholds,
) -> Vec<RegisterRow> {
    let search = filter.search.trim().to_lowercase();
    let mut rows: Vec<RegisterRow> = loaded
        .facts
        .iter()
        .map(|fact| {
            let facts = loaded.facts_of(fact);
            let next_due = facts.next_due();
            RegisterRow {
                contact: fact.contact.id,
                reference: fact.reference.clone(),
                kind: ContactKind::parse(&fact.contact.kind),
                contacted_on: fact.contact.contacted_on,
                ombudsman_reference: fact.contact.ombudsman_reference.clone(),
                category: fact.category.clone(),
                state: facts.state(),
                next_due,
                rag: next_due
                    .and_then(|due| rag_for(calendar, today, due, thresholds).ok().map(|r| r.1)),
                overdue: facts.overdue(today),
                evidence_overdue: facts.evidence_overdue(today),
                orders_overdue: facts.orders_overdue(today),
            }
        })
        .filter(|r| filter.state.is_none_or(|s| r.state == s))
        .filter(|r| filter.kind.is_none_or(|k| r.kind == Some(k)))
        .filter(|r| !filter.overdue_only || r.overdue)
        .filter(|r| {
            search.is_empty()
                || r.reference.to_lowercase().contains(&search)
                || r.ombudsman_reference.to_lowercase().contains(&search)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.next_due, b.next_due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| b.contact.cmp(&a.contact))
    });
    rows
}

/// The dashboard tile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tile {
    /// Evidence requests not yet answered.
    pub evidence_due: usize,
    /// Of those, past their date.
    pub evidence_overdue: usize,
    /// Orders not complied with by their date.
    pub orders_overdue: usize,
}

pub fn tile(loaded: &Loaded, today: NaiveDate) -> Tile {
    let mut tile = Tile::default();
    for fact in &loaded.facts {
        let facts = loaded.facts_of(fact);
        if fact.contact.closed_on.is_some() {
            continue;
        }
        tile.evidence_due += facts
            .requests
            .iter()
            .filter(|r| r.sent_on.is_none())
            .count();
        tile.evidence_overdue += facts.evidence_overdue(today);
        tile.orders_overdue += facts.orders_overdue(today);
    }
    tile
}
