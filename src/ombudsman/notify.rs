//! Directors hear about determinations and orders in their areas: an email through the
//! outbox to each active director of the case's service area, in the transaction that
//! records it. The email says which case and what the Ombudsman decided; the resident's
//! details stay in Redress.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::cases::CaseRow;
use crate::db::{users, DbConnection};
use crate::domain::Role;
use crate::mail::links::Links;
use crate::mail::{queue, Kind, NewMessage};

/// Queues `what` to every active director of `case`'s service area; gives the number queued.
pub fn determination(
    conn: &mut DbConnection,
    links: &Links,
    case: &CaseRow,
    what: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(area) = case.service_area_id else {
        return Ok(0);
    };
    let mut queued = 0;
    for director in users::list_by_role(conn, Role::Director.as_str())? {
        if !director.active || !users::service_area_ids(conn, director.id)?.contains(&area) {
            continue;
        }
        let reference = &case.reference;
        let subject = format!("Housing Ombudsman decision on complaint {reference}");
        let body = format!(
            "Hello {name},\n\nThe Housing Ombudsman has made a decision on complaint \
             {reference}, in your service area.\n\n{what}\n\nOpen it in Redress: {link}\n",
            name = director.display_name,
            link = links.case(reference),
        );
        queue(
            conn,
            NewMessage {
                case_id: Some(case.id),
                ..NewMessage::new(Kind::Notification, &director.email, &subject, &body, now)
            },
        )?;
        queued += 1;
    }
    Ok(queued)
}
