//! Missed deadlines reach the right people (issue 22): the case officer and the manager or
//! director the case is assigned to — not every officer — and, once the case is overdue by
//! more than `[alerts] head_of_service_after_working_days` working days, the head of
//! service of its area. And each director's daily digest of approvals waiting and overdue
//! cases in their areas. Everything goes through the outbox, once (marker rows), on the
//! injectable clock's day.
//!
//! The head of service of an area is the director named on the service area in Admin
//! (`service_areas.head_of_service_id`); an area without one escalates to its directors.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::approval_requests as requests;
use crate::db::cases::CaseRow;
use crate::db::notifications::{self, DueCase};
use crate::db::schema::{cases, director_digests_sent, head_of_service_alerts, users};
use crate::db::users::UserRow;
use crate::db::{service_areas, DbConnection};
use crate::domain::{CaseId, Role, Status, UserId};
use crate::mail::links::Links;
use crate::mail::{queue, Kind, NewMessage};
use crate::rules::Calendar;

/// Who hears that `case` missed a deadline: its case officer and its assignee, if active
/// and they want alerts. A case with no case officer yet alerts the complaints team (every
/// officer who wants alerts), since nobody else would notice it.
pub fn missed_deadline_recipients(
    conn: &mut DbConnection,
    case: &CaseRow,
) -> QueryResult<Vec<UserRow>> {
    let wants = |u: &UserRow| u.active && u.notify_missed;
    let mut people = Vec::new();
    if case.case_officer_id.is_none() {
        people = notifications::missed_deadline_recipients(conn)?;
    }
    for id in [case.case_officer_id, case.assignee_id]
        .into_iter()
        .flatten()
    {
        if let Some(user) = crate::db::users::find(conn, id)?.filter(wants) {
            if !people.iter().any(|p| p.id == user.id) {
                people.push(user);
            }
        }
    }
    Ok(people)
}

/// The head of service of `case`'s area (or, with none named, its directors).
pub fn heads_of_service(conn: &mut DbConnection, case: &CaseRow) -> QueryResult<Vec<UserRow>> {
    let Some(area) = case.service_area_id else {
        return Ok(Vec::new());
    };
    let head = match service_areas::find(conn, area)?.and_then(|a| a.head_of_service_id) {
        Some(id) => crate::db::users::find(conn, id)?.filter(|u| u.active),
        None => None,
    };
    match head {
        Some(head) => Ok(vec![head]),
        None => requests::directors_of(conn, area),
    }
}

/// Escalates each open case overdue by more than `after` working days to the head of
/// service of its area, once per case per deadline. Gives the number of cases escalated.
pub fn queue_head_of_service_alerts(
    conn: &mut DbConnection,
    calendar: &Calendar,
    links: &Links,
    after: u32,
    today: NaiveDate,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let mut escalated = 0;
    for due in notifications::past_due(conn, today)? {
        let overdue_by = calendar.between(due.due_on, today)?;
        if overdue_by <= i64::from(after) || escalated_already(conn, due.id, due.due_on)? {
            continue;
        }
        let Some(case) = crate::db::cases::find(conn, due.id)? else {
            continue;
        };
        let heads = heads_of_service(conn, &case)?;
        let subject = format!(
            "Overdue by {overdue_by} working days: complaint {}",
            due.reference
        );
        let done = once(conn, |conn| {
            diesel::insert_into(head_of_service_alerts::table)
                .values((
                    head_of_service_alerts::case_id.eq(due.id),
                    head_of_service_alerts::due_on.eq(due.due_on),
                    head_of_service_alerts::queued_at.eq(now),
                ))
                .execute(conn)?;
            for head in &heads {
                let body = format!(
                    "Hello {name},\n\nComplaint {reference} ({status}) in your service area was \
                     due on {due} and is now overdue by {overdue_by} working days. As head of \
                     service you are told once a case is overdue by more than {after} working \
                     days.\n\nOpen it in Redress: {link}\n",
                    name = head.display_name,
                    reference = due.reference,
                    status = due.status.label(),
                    due = long_date(due.due_on),
                    link = links.case(&due.reference),
                );
                queue(
                    conn,
                    NewMessage {
                        case_id: Some(due.id),
                        ..NewMessage::new(Kind::Alert, &head.email, &subject, &body, now)
                    },
                )?;
            }
            Ok(())
        })?;
        escalated += usize::from(done);
    }
    Ok(escalated)
}

fn escalated_already(
    conn: &mut DbConnection,
    case: CaseId,
    due_on: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        head_of_service_alerts::table
            .filter(head_of_service_alerts::case_id.eq(case))
            .filter(head_of_service_alerts::due_on.eq(due_on)),
    ))
    .get_result(conn)
}

/// Queues today's digest for each active director who wants digests and has approvals
/// waiting (others', on cases they may see) or overdue open cases in their areas; once per
/// director per day. Gives the number queued.
pub fn queue_director_digests(
    conn: &mut DbConnection,
    links: &Links,
    day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let directors: Vec<UserRow> = users::table
        .filter(users::active.eq(true))
        .filter(users::notify_digest.eq(true))
        .filter(users::role.eq(Role::Director.as_str()))
        .order(users::id)
        .select(UserRow::as_select())
        .load(conn)?;
    let open: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    let mut queued = 0;
    for director in directors {
        let sent: bool = diesel::select(diesel::dsl::exists(
            director_digests_sent::table
                .filter(director_digests_sent::user_id.eq(director.id))
                .filter(director_digests_sent::day.eq(day)),
        ))
        .get_result(conn)?;
        if sent {
            continue;
        }
        let areas = crate::db::users::service_area_ids(conn, director.id)?;
        let mut waiting = Vec::new();
        for request in requests::waiting(conn)? {
            if request.requested_by_id == director.id {
                continue;
            }
            let Some(case) = crate::db::cases::find(conn, request.case_id)? else {
                continue;
            };
            let theirs = case.assignee_id == Some(director.id)
                || case.service_area_id.is_some_and(|a| areas.contains(&a));
            if theirs {
                waiting.push(format!(
                    "- {}: {} (asked for on {})\n  {}",
                    case.reference,
                    request.subject(),
                    long_date(request.requested_at.date()),
                    links.case(&case.reference)
                ));
            }
        }
        let overdue: Vec<DueCase> = cases::table
            .filter(cases::status.eq_any(&open))
            .filter(cases::next_due_on.lt(day))
            .filter(cases::service_area_id.eq_any(&areas))
            .order((cases::next_due_on.asc(), cases::reference.asc()))
            .select((
                cases::id,
                cases::reference,
                cases::status,
                cases::next_due_on.assume_not_null(),
            ))
            .load(conn)?;
        if waiting.is_empty() && overdue.is_empty() {
            continue;
        }
        let overdue_lines: Vec<String> = overdue
            .iter()
            .map(|c| {
                format!(
                    "- {}, {}: was due {}\n  {}",
                    c.reference,
                    c.status.label(),
                    long_date(c.due_on),
                    links.case(&c.reference)
                )
            })
            .collect();
        let subject = format!(
            "For your approval and attention, {}: {} waiting, {} overdue",
            long_date(day),
            waiting.len(),
            overdue.len()
        );
        let body = format!(
            "Hello {name},\n\nWaiting for your approval ({w}):\n{waiting}\n\nDecide them: {list}\n\n\
             Overdue in your service areas ({o}):\n{overdue}\n\nYou can switch these emails off on your account page in Redress: {account}\n",
            name = director.display_name,
            w = waiting.len(),
            waiting = if waiting.is_empty() { "None".to_string() } else { waiting.join("\n") },
            list = links.approvals(),
            o = overdue.len(),
            overdue = if overdue_lines.is_empty() { "None".to_string() } else { overdue_lines.join("\n") },
            account = links.account(),
        );
        let id: UserId = director.id;
        let done = once(conn, |conn| {
            diesel::insert_into(director_digests_sent::table)
                .values((
                    director_digests_sent::user_id.eq(id),
                    director_digests_sent::day.eq(day),
                    director_digests_sent::queued_at.eq(now),
                ))
                .execute(conn)?;
            queue(
                conn,
                NewMessage::new(Kind::Digest, &director.email, &subject, &body, now),
            )
        })?;
        queued += usize::from(done);
    }
    Ok(queued)
}

/// Runs `work` in a transaction; `false` when its marker row already existed (another
/// instance queued it first), so nothing is queued twice.
fn once<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<bool> {
    use diesel::result::{DatabaseErrorKind, Error};
    match conn.transaction(work) {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}
