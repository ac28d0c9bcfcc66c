//! Where each Ombudsman contact stands, from its facts: the register's state column, what is
//! overdue and what falls due next.

use chrono::NaiveDate;

use super::OrderKind;
use crate::db::ombudsman::{ContactRow, EvidenceRequestRow, OrderRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactState {
    /// The Ombudsman asked for evidence we have not yet sent.
    AwaitingEvidence,
    /// Everything asked for was sent; no determination yet.
    EvidenceSent,
    /// Nothing asked for yet and no determination: the Ombudsman has the next move.
    AwaitingDetermination,
    /// An order or complaint handling failure order is not yet complied with.
    OrdersOutstanding,
    /// Determined with orders, and every one complied with.
    Complied,
    /// Determined with nothing to comply with (no orders, or recommendations only).
    DeterminedNoOrders,
    Closed,
}

impl ContactState {
    pub const ALL: [ContactState; 7] = [
        ContactState::AwaitingEvidence,
        ContactState::EvidenceSent,
        ContactState::AwaitingDetermination,
        ContactState::OrdersOutstanding,
        ContactState::Complied,
        ContactState::DeterminedNoOrders,
        ContactState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactState::AwaitingEvidence => "awaiting-evidence",
            ContactState::EvidenceSent => "evidence-sent",
            ContactState::AwaitingDetermination => "awaiting-determination",
            ContactState::OrdersOutstanding => "orders-outstanding",
            ContactState::Complied => "complied",
            ContactState::DeterminedNoOrders => "determined-no-orders",
            ContactState::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactState::AwaitingEvidence => "Awaiting evidence",
            ContactState::EvidenceSent => "Evidence sent",
            ContactState::AwaitingDetermination => "Awaiting determination",
            ContactState::OrdersOutstanding => "Orders outstanding",
            ContactState::Complied => "Complied",
            ContactState::DeterminedNoOrders => "Determined, no orders",
            ContactState::Closed => "Closed",
        }
    }

    /// The GOV.UK tag colour.
    pub fn tag_class(self) -> &'static str {
        match self {
            ContactState::AwaitingEvidence => "govuk-tag--orange",
            ContactState::EvidenceSent => "govuk-tag--blue",
            ContactState::AwaitingDetermination => "govuk-tag--light-blue",
            ContactState::OrdersOutstanding => "govuk-tag--yellow",
            ContactState::Complied => "govuk-tag--green",
            ContactState::DeterminedNoOrders => "govuk-tag--turquoise",
            ContactState::Closed => "govuk-tag--grey",
        }
    }

    pub fn parse(raw: &str) -> Option<ContactState> {
        ContactState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// An order we must still comply with (a recommendation is answered, not complied with).
pub fn outstanding(order: &OrderRow) -> bool {
    order.completed_on.is_none()
        && OrderKind::parse(&order.kind).is_some_and(OrderKind::must_comply)
}

/// One contact's facts.
pub struct Facts<'a> {
    pub contact: &'a ContactRow,
    pub requests: Vec<&'a EvidenceRequestRow>,
    pub orders: Vec<&'a OrderRow>,
}

impl Facts<'_> {
    pub fn state(&self) -> ContactState {
        if self.contact.closed_on.is_some() {
            ContactState::Closed
        } else if self.requests.iter().any(|r| r.sent_on.is_none()) {
            ContactState::AwaitingEvidence
        } else if self.orders.iter().any(|o| outstanding(o)) {
            ContactState::OrdersOutstanding
        } else if self.contact.determined_on.is_some() {
            let ordered = self
                .orders
                .iter()
                .any(|o| OrderKind::parse(&o.kind).is_some_and(OrderKind::must_comply));
            if ordered {
                ContactState::Complied
            } else {
                ContactState::DeterminedNoOrders
            }
        } else if !self.requests.is_empty() {
            ContactState::EvidenceSent
        } else {
            ContactState::AwaitingDetermination
        }
    }

    /// The dates we still owe something by: unsent evidence and outstanding orders.
    fn owed(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let open = self.contact.closed_on.is_none();
        let evidence = self
            .requests
            .iter()
            .filter(|r| r.sent_on.is_none())
            .map(|r| r.due_on);
        let orders = self
            .orders
            .iter()
            .filter(|o| outstanding(o))
            .filter_map(|o| o.due_on);
        evidence.chain(orders).filter(move |_| open)
    }

    /// The earliest date we owe something by.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.owed().min()
    }

    /// Evidence or an order past its date on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.owed().any(|due| due < today)
    }

    pub fn evidence_overdue(&self, today: NaiveDate) -> usize {
        self.requests
            .iter()
            .filter(|r| r.sent_on.is_none() && r.due_on < today)
            .count()
    }

    pub fn orders_overdue(&self, today: NaiveDate) -> usize {
        self.orders
            .iter()
            .filter(|o| outstanding(o) && o.due_on.is_some_and(|d| d < today))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn contact() -> ContactRow {
        ContactRow {
            id: 1,
            case_id: crate::domain::CaseId(1),
            kind: "referral".into(),
            contacted_on: d(1),
            ombudsman_reference: "202612345".into(),
            contact_name: "A Caseworker".into(),
            notes: String::new(),
            determined_on: None,
            determination_summary: None,
            review_requested_on: None,
            review_outcome: None,
            closed_on: None,
            version: 1,
            recorded_by: None,
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
        }
    }

    fn request(due: u32, sent: Option<u32>) -> EvidenceRequestRow {
        EvidenceRequestRow {
            id: 1,
            contact_id: 1,
            received_on: d(2),
            due_on: d(due),
            due_basis: "10 working days".into(),
            asked: "The case file".into(),
            sent_on: sent.map(d),
            sent_summary: None,
            sent_attachments: String::new(),
            bundle_sha256: None,
            bundle_at: None,
            created_at: NaiveDateTime::default(),
        }
    }

    fn order(kind: &str, due: u32, done: bool) -> OrderRow {
        OrderRow {
            id: 1,
            contact_id: 1,
            kind: kind.into(),
            details: "Pay £100".into(),
            amount_pence: None,
            issued_on: d(3),
            due_on: Some(d(due)),
            accepted: None,
            response_reason: None,
            code_paragraph: None,
            completed_on: done.then(|| d(10)),
            completion_evidence: None,
            evidence_sent_on: None,
        }
    }

    #[test]
    fn each_state_follows_from_the_facts() {
        let mut c = contact();
        let (open, sent) = (request(16, None), request(16, Some(12)));
        let (due, done, rec) = (
            order("compensation", 20, false),
            order("apology", 20, true),
            order("recommendation", 20, false),
        );
        fn facts<'a>(
            contact: &'a ContactRow,
            requests: Vec<&'a EvidenceRequestRow>,
            orders: Vec<&'a OrderRow>,
        ) -> Facts<'a> {
            Facts {
                contact,
                requests,
                orders,
            }
        }
        assert_eq!(
            facts(&c, vec![], vec![]).state(),
            ContactState::AwaitingDetermination
        );
        assert_eq!(
            facts(&c, vec![&open], vec![]).state(),
            ContactState::AwaitingEvidence
        );
        assert_eq!(
            facts(&c, vec![&sent], vec![]).state(),
            ContactState::EvidenceSent
        );
        c.determined_on = Some(d(18));
        assert_eq!(
            facts(&c, vec![&sent], vec![&due, &rec]).state(),
            ContactState::OrdersOutstanding
        );
        assert_eq!(
            facts(&c, vec![&sent], vec![&done, &rec]).state(),
            ContactState::Complied
        );
        // Determined with nothing ordered: not "complied", which would claim orders were met.
        assert_eq!(
            facts(&c, vec![&sent], vec![]).state(),
            ContactState::DeterminedNoOrders
        );
        assert_eq!(
            facts(&c, vec![&sent], vec![&rec]).state(),
            ContactState::DeterminedNoOrders,
            "a recommendation is not an order"
        );
        assert_eq!(
            ContactState::DeterminedNoOrders.label(),
            "Determined, no orders"
        );
        let f = facts(&c, vec![&open], vec![&due]);
        assert!(f.overdue(d(21)) && !f.overdue(d(16)));
        assert_eq!(f.next_due(), Some(d(16)));
        assert_eq!((f.evidence_overdue(d(17)), f.orders_overdue(d(17))), (1, 0));
        c.closed_on = Some(d(25));
        let f = facts(&c, vec![&open], vec![&due]);
        assert_eq!(f.state(), ContactState::Closed);
        assert!(!f.overdue(d(28)), "a closed contact owes nothing");
    }
}
