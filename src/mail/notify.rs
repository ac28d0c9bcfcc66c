//! Staff notifications, queued through the outbox like any email: to a manager when a case
//! is assigned to them, each member of staff's daily digest of due and overdue cases (at
//! `mail.digest_time`, London time, on working days), and an alert to the complaints team
//! when a deadline is missed. Each can be switched off per user on `/account`.
//!
//! The emails carry references, statuses and dates only: no resident's details.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{Connection, QueryResult};
use serde::Serialize;

use crate::config::Settings;
use crate::db::notifications::{self, DueCase};
use crate::db::{cases, users, DbConnection};
use crate::domain::ombudsman_access::reminded;
use crate::domain::{OutboxId, UserId};
use crate::mail::links::Links;
use crate::mail::{queue, Kind, NewMessage};
use crate::rules::{Calendar, Unit};

/// Working days ahead a digest looks (SPEC: due within 2 working days).
pub const DIGEST_WORKING_DAYS: u32 = 2;

/// Progress updates owed by each person, as (case reference, day due), soonest first.
pub type UpdatesByPerson = std::collections::BTreeMap<UserId, Vec<(String, NaiveDate)>>;

/// Works out the progress updates (Code 5.9, 6.6) due by `until` on every case, by the
/// people working each case, for their digests. `letters` knows how; it sends its letters
/// through this module, so it is handed in rather than called from here.
pub trait UpdatesOwed: Send + Sync {
    fn by_person(
        &self,
        conn: &mut DbConnection,
        calendar: &Calendar,
        today: NaiveDate,
        until: NaiveDate,
    ) -> QueryResult<UpdatesByPerson>;
}

fn switch_off(links: &Links) -> String {
    format!(
        "You can switch these emails off on your account page in Redress: {}",
        links.account()
    )
}

/// Queues "a case was assigned to you" to `manager`, unless they are inactive or have
/// switched it off. Call it inside the assignment's transaction.
pub fn case_assigned(
    conn: &mut DbConnection,
    links: &Links,
    reference: &str,
    manager: UserId,
    now: NaiveDateTime,
) -> QueryResult<Option<OutboxId>> {
    let Some(user) = users::find(conn, manager)?.filter(|u| u.active && u.notify_assignment) else {
        return Ok(None);
    };
    let Some(case) = cases::find_by_reference(conn, reference)? else {
        return Ok(None);
    };
    let due = case
        .next_due_on
        .map(|d| format!("Its next deadline is {}.\n\n", long_date(d)))
        .unwrap_or_default();
    let body = format!(
        "Hello {name},\n\nComplaint {reference} ({status}) has been assigned to you to \
         investigate.\n\n{due}Open it in Redress: {link}\n\n{switch_off}\n",
        name = user.display_name,
        status = case.status.label(),
        link = links.case(reference),
        switch_off = switch_off(links),
    );
    let subject = format!("Complaint {reference} has been assigned to you");
    queue(
        conn,
        NewMessage {
            case_id: Some(case.id),
            ..NewMessage::new(Kind::Notification, &user.email, &subject, &body, now)
        },
    )
    .map(Some)
}

/// Queues "you are (or are no longer) the case officer" to `officer`, unless they are
/// inactive or have switched assignment emails off. Call it inside the change's transaction.
pub fn case_officer_changed(
    conn: &mut DbConnection,
    links: &Links,
    reference: &str,
    officer: UserId,
    gained: bool,
    now: NaiveDateTime,
) -> QueryResult<Option<OutboxId>> {
    let Some(user) = users::find(conn, officer)?.filter(|u| u.active && u.notify_assignment) else {
        return Ok(None);
    };
    let Some(case) = cases::find_by_reference(conn, reference)? else {
        return Ok(None);
    };
    let (subject, what) = if gained {
        (
            format!("You are now the case officer for complaint {reference}"),
            format!(
                "You are now the case officer for complaint {reference} ({}).",
                case.status.label()
            ),
        )
    } else {
        (
            format!("You are no longer the case officer for complaint {reference}"),
            format!(
                "Complaint {reference} ({}) has moved to another case officer.",
                case.status.label()
            ),
        )
    };
    let body = format!(
        "Hello {name},\n\n{what}\n\nOpen it in Redress: {link}\n\n{switch_off}\n",
        name = user.display_name,
        link = links.case(reference),
        switch_off = switch_off(links),
    );
    queue(
        conn,
        NewMessage {
            case_id: Some(case.id),
            ..NewMessage::new(Kind::Notification, &user.email, &subject, &body, now)
        },
    )
    .map(Some)
}

/// Queues "an email has arrived on your case" to the case officer and the assignee (issue
/// 28), unless they are inactive or have switched case emails off. The email says which
/// case, not who wrote or what: the resident's words stay in Redress. Call it inside the
/// transaction that files the email; gives the number queued.
pub fn email_received(
    conn: &mut DbConnection,
    links: &Links,
    case: &crate::db::cases::CaseRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut people: Vec<UserId> = [case.case_officer_id, case.assignee_id]
        .into_iter()
        .flatten()
        .collect();
    people.dedup();
    let mut queued = 0;
    for person in people {
        let Some(user) = users::find(conn, person)?.filter(|u| u.active && u.notify_assignment)
        else {
            continue;
        };
        let subject = format!("New email on complaint {}", case.reference);
        let body = format!(
            "Hello {name},\n\nAn email from the complaints mailbox has been added to the \
             timeline of complaint {reference} ({status}).\n\nRead it in Redress: {link}\n\n\
             {switch_off}\n",
            name = user.display_name,
            reference = case.reference,
            status = case.status.label(),
            link = links.case(&case.reference),
            switch_off = switch_off(links),
        );
        queue(
            conn,
            NewMessage {
                case_id: Some(case.id),
                ..NewMessage::new(Kind::Notification, &user.email, &subject, &body, now)
            },
        )?;
        queued += 1;
    }
    Ok(queued)
}

/// One line of a digest.
#[derive(Debug, Clone, Serialize)]
pub struct DigestLine {
    pub reference: String,
    /// The case's address in Redress.
    pub href: String,
    pub status: &'static str,
    pub due: String,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    name: &'a str,
    day: &'a str,
    account: &'a str,
    overdue: &'a [DigestLine],
    due_soon: &'a [DigestLine],
    updates: &'a [DigestLine],
    ombudsman: &'a [DigestLine],
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    name: &'a str,
    day: &'a str,
    account: &'a str,
    overdue: &'a [DigestLine],
    due_soon: &'a [DigestLine],
    updates: &'a [DigestLine],
    ombudsman: &'a [DigestLine],
}

/// What `user` owes the Housing Ombudsman by `until`, as digest lines: evidence not sent and
/// orders not complied with, on the contacts the register's access rule reminds them of
/// (officers all, directors their areas).
fn ombudsman_lines(
    conn: &mut DbConnection,
    links: &Links,
    user: &crate::db::users::UserRow,
    owed: &[crate::db::ombudsman::Owed],
    day: NaiveDate,
) -> QueryResult<Vec<DigestLine>> {
    let Ok(role) = user.role.parse::<crate::domain::Role>() else {
        return Ok(Vec::new());
    };
    let areas = users::service_area_ids(conn, user.id)?;
    let viewer = crate::domain::Viewer {
        id: user.id,
        role,
        service_areas: &areas,
    };
    Ok(owed
        .iter()
        .filter(|o| reminded(&viewer, o.assignee_id, o.service_area_id))
        .map(|o| DigestLine {
            reference: o.reference.clone(),
            href: links.ombudsman_contact(o.contact_id),
            status: if o.evidence {
                "evidence for the Housing Ombudsman"
            } else {
                "order of the Housing Ombudsman"
            },
            due: if o.due_on < day {
                format!("overdue, was due {}", long_date(o.due_on))
            } else {
                format!("due {}", long_date(o.due_on))
            },
        })
        .collect())
}

/// Queues today's digest for every active member of staff who wants one and has cases
/// overdue or due within [`DIGEST_WORKING_DAYS`] working days, progress updates to send by
/// then, or Ombudsman evidence or orders overdue or due within `amber_within` working days
/// (the register's amber); once per person per day. Gives the number queued.
pub fn queue_digests(
    conn: &mut DbConnection,
    calendar: &Calendar,
    links: &Links,
    amber_within: u32,
    updates_owed: &dyn UpdatesOwed,
    day: NaiveDate,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let until = calendar.add(day, DIGEST_WORKING_DAYS, Unit::WorkingDays)?;
    let mut updates_by_person = updates_owed.by_person(conn, calendar, day, until)?;
    let owed =
        crate::db::ombudsman::owed_by(conn, calendar.add(day, amber_within, Unit::WorkingDays)?)?;
    let mut queued = 0;
    for user in notifications::digest_recipients(conn)? {
        if notifications::digest_sent(conn, user.id, day)? {
            continue;
        }
        let cases = notifications::due_for(conn, user.id, until)?;
        let updates = update_lines(
            links,
            &updates_by_person.remove(&user.id).unwrap_or_default(),
            day,
        );
        let ombudsman = ombudsman_lines(conn, links, &user, &owed, day)?;
        if cases.is_empty() && updates.is_empty() && ombudsman.is_empty() {
            continue;
        }
        let (overdue, due_soon): (Vec<DueCase>, Vec<DueCase>) =
            cases.into_iter().partition(|c| c.due_on < day);
        let (overdue, due_soon) = (lines(links, &overdue), lines(links, &due_soon));
        let account = links.account();
        let day_text = long_date(day);
        let (text, html) = (
            DigestText {
                name: &user.display_name,
                day: &day_text,
                account: &account,
                overdue: &overdue,
                due_soon: &due_soon,
                updates: &updates,
                ombudsman: &ombudsman,
            }
            .render()?,
            DigestHtml {
                name: &user.display_name,
                day: &day_text,
                account: &account,
                overdue: &overdue,
                due_soon: &due_soon,
                updates: &updates,
                ombudsman: &ombudsman,
            }
            .render()?,
        );
        let mut subject = format!(
            "Your complaints for {day_text}: {} overdue, {} due soon",
            overdue.len(),
            due_soon.len()
        );
        if !updates.is_empty() {
            subject.push_str(&format!(", {} progress updates", updates.len()));
        }
        if !ombudsman.is_empty() {
            subject.push_str(&format!(", {} for the Housing Ombudsman", ombudsman.len()));
        }
        let done = once(conn, |conn| {
            notifications::mark_digest_sent(conn, user.id, day, now)?;
            queue(
                conn,
                NewMessage {
                    body_html: Some(&html),
                    ..NewMessage::new(Kind::Digest, &user.email, &subject, &text, now)
                },
            )
        })?;
        queued += usize::from(done);
    }
    Ok(queued)
}

/// Queues an alert for every open case whose deadline has passed, once per case per
/// deadline, to the case's own people (`alerts::missed_deadline_recipients`: its case
/// officer and assignee). Gives the number of cases alerted.
pub fn queue_missed_deadline_alerts(
    conn: &mut DbConnection,
    links: &Links,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut alerted = 0;
    for case in notifications::past_due(conn, today)? {
        if notifications::alert_sent(conn, case.id, case.due_on)? {
            continue;
        }
        let Some(row) = cases::find(conn, case.id)? else {
            continue;
        };
        let recipients = crate::mail::alerts::missed_deadline_recipients(conn, &row)?;
        let subject = format!("Deadline missed: complaint {}", case.reference);
        let done = once(conn, |conn| {
            notifications::mark_alert_sent(conn, case.id, case.due_on, now)?;
            for officer in &recipients {
                let body = format!(
                    "Hello {name},\n\nComplaint {reference} ({status}) was due on {due} and \
                     is now overdue.\n\nOpen it in Redress: {link}\n\n{switch_off}\n",
                    link = links.case(&case.reference),
                    switch_off = switch_off(links),
                    name = officer.display_name,
                    reference = case.reference,
                    status = case.status.label(),
                    due = long_date(case.due_on),
                );
                queue(
                    conn,
                    NewMessage {
                        case_id: Some(case.id),
                        ..NewMessage::new(Kind::Alert, &officer.email, &subject, &body, now)
                    },
                )?;
            }
            Ok(())
        })?;
        alerted += usize::from(done);
    }
    Ok(alerted)
}

/// What one scheduling pass queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Scheduled {
    pub digests: usize,
    pub missed_deadline_alerts: usize,
    /// Cases escalated to their head of service (issue 22).
    pub head_of_service_alerts: usize,
    /// Directors' digests of approvals waiting and overdue cases (issue 22).
    pub director_digests: usize,
}

/// The scheduled notifications due at `now` (UTC): digests once it is past
/// `mail.digest_time` in London on a working day, and missed-deadline alerts.
pub fn queue_scheduled(
    conn: &mut DbConnection,
    settings: &Settings,
    calendar: &Calendar,
    updates_owed: &dyn UpdatesOwed,
    now: NaiveDateTime,
) -> anyhow::Result<Scheduled> {
    let london = now.and_utc().with_timezone(&chrono_tz::Europe::London);
    let today = london.date_naive();
    let digest_at = settings
        .mail
        .digest_at()
        .ok_or_else(|| anyhow::anyhow!("configuration error in `mail.digest_time`"))?;
    let links = Links::from_settings(settings);
    let mut scheduled = Scheduled::default();
    let time = london.time().with_nanosecond(0).unwrap_or(london.time());
    if time >= digest_at && calendar.is_working_day(today)? {
        scheduled.digests = queue_digests(
            conn,
            calendar,
            &links,
            settings.rules.amber_within,
            updates_owed,
            today,
            now,
        )?;
        scheduled.director_digests =
            crate::mail::alerts::queue_director_digests(conn, &links, today, now)?;
    }
    scheduled.missed_deadline_alerts = queue_missed_deadline_alerts(conn, &links, today, now)?;
    scheduled.head_of_service_alerts = crate::mail::alerts::queue_head_of_service_alerts(
        conn,
        calendar,
        &links,
        settings.alerts.head_of_service_after_working_days,
        today,
        now,
    )?;
    Ok(scheduled)
}

/// Runs `work` in a transaction; `false` when its marker row already existed (another
/// instance queued it first), so nothing is queued twice.
fn once<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<bool> {
    match conn.transaction(work) {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn lines(links: &Links, cases: &[DueCase]) -> Vec<DigestLine> {
    cases
        .iter()
        .map(|c| DigestLine {
            href: links.case(&c.reference),
            reference: c.reference.clone(),
            status: c.status.label(),
            due: long_date(c.due_on),
        })
        .collect()
}

/// The progress updates a person owes, each linked to the letter that records one.
fn update_lines(links: &Links, owed: &[(String, NaiveDate)], day: NaiveDate) -> Vec<DigestLine> {
    owed.iter()
        .map(|(reference, due_on)| DigestLine {
            href: format!("{}/letters/progress_update", links.case(reference)),
            reference: reference.clone(),
            status: if *due_on < day {
                "progress update overdue"
            } else {
                "progress update"
            },
            due: long_date(*due_on),
        })
        .collect()
}

fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}
