//! Emails about approvals (issue 22), queued through the outbox inside the transaction that
//! asks or answers: to the directors of the case's service area when something waits for
//! them, and to the person who asked when a director answers. They carry the reference,
//! what is asked and the answer's comment; nothing about the resident.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::approval_requests::{self as requests, RequestRow};
use crate::db::cases::CaseRow;
use crate::db::{users, DbConnection};
use crate::mail::links::Links;
use crate::mail::{queue, Kind, NewMessage};

fn kind_words(request: &RequestRow) -> &'static str {
    if request.is_compensation() {
        "Compensation"
    } else {
        "A contact restriction"
    }
}

/// Emails each active director of the case's area that `request` waits for them (all but
/// whoever asked, who may not approve it). Gives the number queued.
pub fn waiting(
    conn: &mut DbConnection,
    links: &Links,
    case: &CaseRow,
    reference: &str,
    request: &RequestRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(area) = case.service_area_id else {
        return Ok(0);
    };
    let asked_by = users::find(conn, request.requested_by_id)?
        .map(|u| u.display_name)
        .unwrap_or_else(|| "A colleague".into());
    let subject = format!("Approval needed: complaint {reference}");
    let mut queued = 0;
    for director in requests::directors_of(conn, area)? {
        if director.id == request.requested_by_id {
            continue;
        }
        let body = format!(
            "Hello {name},\n\n{kind} on complaint {reference} is waiting for your approval.\n\n\
             Asked for by: {asked_by}\nWhat: {what}\n\nReason:\n{reason}\n\n\
             Approve, decline or return it with a comment: {decide}\n\n\
             Everything waiting for approval: {list}\n\nOpen the case: {case}\n",
            name = director.display_name,
            kind = kind_words(request),
            what = request.what,
            reason = request.reason,
            decide = links.approval(reference, request.id),
            list = links.approvals(),
            case = links.case(reference),
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

/// Emails the person who asked how a director answered `request`.
pub fn answered(
    conn: &mut DbConnection,
    links: &Links,
    case: &CaseRow,
    reference: &str,
    request: &RequestRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(asker) = users::find(conn, request.requested_by_id)?.filter(|u| u.active) else {
        return Ok(0);
    };
    let director = match request.decided_by_id {
        Some(id) => users::find(conn, id)?.map(|u| u.display_name),
        None => None,
    }
    .unwrap_or_else(|| "A director".into());
    let answer = match request.state.as_str() {
        requests::APPROVED => "approved",
        requests::DECLINED => "declined",
        _ => "returned for changes",
    };
    let next = match request.state.as_str() {
        requests::APPROVED if request.is_compensation() => {
            "The response can now be sent.".to_string()
        }
        requests::APPROVED => {
            "The restriction now applies; the resident is owed a letter explaining it.".to_string()
        }
        _ if request.is_compensation() => {
            "Change the offer on the decision and save it to ask for approval again.".to_string()
        }
        _ => "You may propose a changed restriction.".to_string(),
    };
    let comment = request
        .comment
        .as_deref()
        .map(|c| format!("Their comment:\n{c}\n\n"))
        .unwrap_or_default();
    let subject = format!("{} {answer}: complaint {reference}", kind_words(request));
    let body = format!(
        "Hello {name},\n\n{director} {answer} {subject_words} on complaint {reference}.\n\n\
         {comment}{next}\n\nOpen the case: {link}\n",
        name = asker.display_name,
        subject_words = request.subject(),
        link = links.case(reference),
    );
    queue(
        conn,
        NewMessage {
            case_id: Some(case.id),
            ..NewMessage::new(Kind::Notification, &asker.email, &subject, &body, now)
        },
    )
    .map(|_| 1)
}

/// Emails the person who drafted a response how the complaints team checked it.
#[allow(clippy::too_many_arguments)]
pub fn response_checked(
    conn: &mut DbConnection,
    links: &Links,
    case: &CaseRow,
    stage: crate::rules::Stage,
    drafter: crate::domain::UserId,
    passed: bool,
    comment: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(drafter) = users::find(conn, drafter)?.filter(|u| u.active) else {
        return Ok(0);
    };
    let reference = &case.reference;
    let (subject, what) = if passed {
        (
            format!("Response checked: complaint {reference}"),
            format!("The complaints team checked your {} response on complaint {reference} and passed it: it can now be sent.", stage.label().to_lowercase()),
        )
    } else {
        (
            format!("Response returned with comments: complaint {reference}"),
            format!("The complaints team returned your {} response on complaint {reference} with comments. Change it and save the decision to ask for a check again.", stage.label().to_lowercase()),
        )
    };
    let comment = if comment.is_empty() {
        String::new()
    } else {
        format!("Their comments:\n{comment}\n\n")
    };
    let body = format!(
        "Hello {name},\n\n{what}\n\n{comment}Open the case: {link}\n",
        name = drafter.display_name,
        link = links.case(reference),
    );
    queue(
        conn,
        NewMessage {
            case_id: Some(case.id),
            ..NewMessage::new(Kind::Notification, &drafter.email, &subject, &body, now)
        },
    )
    .map(|_| 1)
}
