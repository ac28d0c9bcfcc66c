//! The demo's Housing Ombudsman register (issue 27): a spread of contacts on the demo's
//! cases, recorded through the same use-cases officers use (so each is on its case's
//! timeline and in the audit log): evidence due and overdue, evidence sent, determinations
//! with orders outstanding, overdue and complied with, a complaint handling failure order, a
//! request to respond on an open complaint, a designated-person referral, and a closed one.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use crate::cases::transition::ActingUser;
use crate::db::cases::CaseRow;
use crate::db::ombudsman as table;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::mail::links::Links;
use crate::ombudsman::record::{
    self, ChfoInput, ComplianceInput, ContactInput, DeterminationInput, EvidenceDeadline,
    EvidenceRequestInput, EvidenceSentInput, FindingInput, OrderInput, RecommendationInput,
};
use crate::ombudsman::{ContactKind, Finding, OrderKind};
use crate::rules::Calendar;

/// How many contacts the demo has (fewer when it has fewer cases).
const CONTACTS: usize = 10;

/// Cases in `status`, spread across the demo (every `step`-th), at most `n`.
fn spread(conn: &mut DbConnection, status: &str, n: usize) -> QueryResult<Vec<CaseRow>> {
    let ids: Vec<crate::domain::CaseId> = cases::table
        .filter(cases::status.eq(status))
        .filter(cases::service_area_id.is_not_null())
        .order(cases::id.desc())
        .select(cases::id)
        .load(conn)?;
    let step = (ids.len() / n.max(1)).max(1);
    let mut rows = Vec::new();
    for id in ids.into_iter().step_by(step).take(n) {
        if let Some(row) = crate::db::cases::find(conn, id)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn finding(element: &str, finding: Finding) -> FindingInput {
    FindingInput {
        element: element.to_string(),
        finding,
        reasons: format!("The Ombudsman's reasons on {}", element.to_lowercase()),
    }
}

fn order(kind: OrderKind, details: &str, pounds: Option<i64>, due: NaiveDate) -> OrderInput {
    OrderInput {
        kind,
        details: details.to_string(),
        amount_pence: pounds.map(|p| p * 100),
        due_on: Some(due),
    }
}

/// Records the demo's contacts as `officer`; gives how many.
pub fn seed(
    conn: &mut DbConnection,
    calendar: &Calendar,
    today: NaiveDate,
    links: &Links,
    officer: &ActingUser<'_>,
) -> anyhow::Result<usize> {
    let now = super::cases::london(today, 9 * 60);
    let days = |n: i64| today - Duration::days(n);
    let closed = spread(conn, "closed", CONTACTS - 1)?;
    let open = spread(conn, "stage1_open", 1)?;
    let mut made = 0;
    for (n, case) in closed.iter().chain(open.iter()).enumerate() {
        let kind = match n {
            _ if n == closed.len() => ContactKind::RequestToRespond,
            7 => ContactKind::DesignatedPerson,
            _ => ContactKind::Referral,
        };
        let contacted = match n {
            0..=2 | 7 => days(6 + 9 * n as i64),
            _ => days(60 + 15 * n as i64),
        };
        let id = record::record_contact(
            conn,
            case,
            &ContactInput {
                kind,
                contacted_on: contacted,
                reference: format!("2026{:05}", 1207 + 37 * n),
                contact_name: ["Priya Shah", "Tom Okafor", "Cllr Jane Webb"][n % 3].to_string(),
                notes: "Asked for our final response and the case file.".to_string(),
            },
            officer,
            now,
        )?;
        made += 1;
        let version = |conn: &mut DbConnection| -> QueryResult<i32> {
            Ok(table::find_contact(conn, id)?.map_or(1, |c| c.version))
        };
        let asked = "The complaint file: correspondence, repair records and our responses";
        let request = |conn: &mut DbConnection, received: NaiveDate| -> anyhow::Result<i32> {
            let input = EvidenceRequestInput {
                received_on: received,
                deadline: EvidenceDeadline::WorkingDays(15),
                asked: asked.to_string(),
            };
            let (due, basis) = record::due_date(calendar, received, input.deadline)?;
            let v = version(conn)?;
            Ok(record::add_evidence_request(
                conn,
                id,
                v,
                &input,
                (due, &basis),
                officer,
                now,
            )?)
        };
        let send = |conn: &mut DbConnection, request: i32, on: NaiveDate| -> anyhow::Result<()> {
            let v = version(conn)?;
            record::record_evidence_sent(
                conn,
                id,
                v,
                &EvidenceSentInput {
                    request,
                    sent_on: on,
                    summary: "The evidence bundle and the repair records".to_string(),
                    attachments: Vec::new(),
                },
                officer,
                now,
            )?;
            Ok(())
        };
        match n {
            // Evidence due soon, and overdue.
            0 => {
                request(conn, days(2))?;
            }
            1 => {
                request(conn, days(30))?;
            }
            // Evidence sent: awaiting the determination.
            2 => {
                let r = request(conn, days(24))?;
                send(conn, r, days(12))?;
            }
            3..=6 => {
                let r = request(conn, contacted + Duration::days(2))?;
                send(conn, r, contacted + Duration::days(16))?;
                let on = contacted + Duration::days(45);
                let (findings, orders) = match n {
                    3 => (
                        vec![
                            finding("The damp and mould repairs", Finding::Maladministration),
                            finding("Our complaint handling", Finding::ReasonableRedress),
                        ],
                        vec![order(
                            OrderKind::Compensation,
                            "Pay the resident for the distress and inconvenience",
                            Some(350),
                            on + Duration::days(28),
                        )],
                    ),
                    4 => (
                        vec![
                            finding("The repair to the roof", Finding::ServiceFailure),
                            finding("Staff conduct", Finding::NoMaladministration),
                        ],
                        vec![order(
                            OrderKind::Apology,
                            "Apologise in writing",
                            None,
                            on + Duration::days(28),
                        )],
                    ),
                    5 => (
                        vec![
                            finding("The leak", Finding::SevereMaladministration),
                            finding("The service charge", Finding::OutsideJurisdiction),
                        ],
                        vec![order(
                            OrderKind::Works,
                            "Complete the works to the bathroom",
                            None,
                            today + Duration::days(20),
                        )],
                    ),
                    _ => (
                        vec![finding("Noise nuisance", Finding::NoMaladministration)],
                        Vec::new(),
                    ),
                };
                let v = version(conn)?;
                record::record_determination(
                    conn,
                    id,
                    v,
                    &DeterminationInput {
                        on,
                        summary: String::new(),
                        findings,
                        orders,
                        recommendations: vec![RecommendationInput {
                            details: "Review how repairs are followed up".to_string(),
                            accepted: n != 5,
                            reason: if n == 5 {
                                "Already covered by the new repairs policy".to_string()
                            } else {
                                String::new()
                            },
                        }],
                    },
                    links,
                    officer,
                    now,
                )?;
                if n == 5 {
                    let v = version(conn)?;
                    record::record_chfo(
                        conn,
                        id,
                        v,
                        &ChfoInput {
                            issued_on: on,
                            paragraph: "6.14".to_string(),
                            details: "Our stage 2 response was sent late".to_string(),
                            due_on: Some(on + Duration::days(42)),
                        },
                        links,
                        officer,
                        now,
                    )?;
                }
                if n == 4 {
                    let orders = table::orders_of(conn, &[id])?;
                    if let Some(o) = orders.iter().find(|o| o.kind == "apology") {
                        let v = version(conn)?;
                        record::record_compliance(
                            conn,
                            id,
                            v,
                            &ComplianceInput {
                                order: o.id,
                                completed_on: on + Duration::days(10),
                                evidence: "Apology letter sent".to_string(),
                                evidence_sent_on: Some(on + Duration::days(11)),
                            },
                            officer,
                            now,
                        )?;
                    }
                    let v = version(conn)?;
                    record::close(conn, id, v, on + Duration::days(12), officer, now)?;
                }
            }
            // A designated-person referral and a request to respond: the Ombudsman's move.
            _ => {}
        }
    }
    Ok(made)
}
