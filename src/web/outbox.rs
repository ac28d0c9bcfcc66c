//! The officers' outbox page: queued, sent and failed mail with filters, and a retry for a
//! message that failed every attempt.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDateTime;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::Permission;
use crate::cases::identity;
use crate::db::audit::{self, AuditEntry};
use crate::db::outbox::{self, Filter, OutboxRow};
use crate::domain::OutboxId;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::filters;
use crate::web::forms::Query;
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// Rows shown at most (newest first).
const LIMIT: i64 = 200;

#[derive(Debug, Deserialize)]
pub struct OutboxQuery {
    pub status: Option<String>,
}

pub struct FilterLink {
    pub value: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

pub struct Row {
    pub id: OutboxId,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub tag_class: &'static str,
    pub attempts: i32,
    pub when: String,
    pub last_error: String,
    pub can_retry: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox/list.html")]
pub struct OutboxPage {
    pub ctx: PageCtx,
    pub filters: Vec<FilterLink>,
    pub rows: Vec<Row>,
    pub heading: &'static str,
}

const FILTERS: [(&str, &str, Filter); 4] = [
    ("queued", "Queued", Filter::Pending),
    ("sent", "Sent", Filter::Sent),
    ("failed", "Failed", Filter::Failed),
    ("all", "All", Filter::All),
];

fn when(at: Option<NaiveDateTime>) -> String {
    at.map(|t| {
        t.and_utc()
            .with_timezone(&chrono_tz::Europe::London)
            .format("%-d %b %Y %H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

fn row(r: OutboxRow) -> Row {
    let (tag_class, at) = match r.status.as_str() {
        outbox::SENT => ("govuk-tag--green", r.sent_at),
        outbox::FAILED => ("govuk-tag--red", None),
        outbox::SENDING => ("govuk-tag--yellow", r.lease_expires_at),
        _ => ("govuk-tag--blue", Some(r.next_attempt_at)),
    };
    Row {
        id: r.id,
        can_retry: r.status == outbox::FAILED,
        kind: r.kind,
        recipient: r.recipient,
        subject: r.subject,
        status: r.status,
        tag_class,
        attempts: r.attempts,
        when: when(at),
        last_error: r.last_error.unwrap_or_default(),
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    session: Session,
    query: Query<OutboxQuery>,
) -> AppResult<OutboxPage> {
    user.require(Permission::ManageCases)?;
    let wanted = query.status.as_deref().unwrap_or("queued");
    let (value, heading, filter) = FILTERS
        .iter()
        .copied()
        .find(|(v, _, _)| *v == wanted)
        .unwrap_or(FILTERS[0]);
    let reader = user.reader(&client);
    let (rows, counts) = state
        .db(move |conn| {
            let rows = outbox::list(conn, filter, LIMIT)?;
            // Letters to confidential complainants name them by their email address: the
            // officers' view of those is audited like any other.
            let ids: Vec<_> = rows.iter().filter_map(|r| r.case_id).collect();
            let confidential = crate::db::cases::confidential_among(conn, &ids)?;
            let references: Vec<&str> = confidential.iter().map(|(_, r)| r.as_str()).collect();
            identity::listed(conn, &reader, &references, "outbox")?;
            Ok((rows, outbox::count_by_status(conn)?))
        })
        .await?;
    let count = |statuses: &[&str]| -> i64 {
        counts
            .iter()
            .filter(|(s, _)| statuses.contains(&s.as_str()))
            .map(|(_, n)| n)
            .sum()
    };
    let filters = FILTERS
        .iter()
        .map(|(v, label, f)| FilterLink {
            value: v,
            label,
            count: match f {
                Filter::Pending => count(&[outbox::QUEUED, outbox::SENDING]),
                Filter::Sent => count(&[outbox::SENT]),
                Filter::Failed => count(&[outbox::FAILED]),
                Filter::All => counts.iter().map(|(_, n)| n).sum(),
            },
            current: *v == value,
        })
        .collect();
    Ok(OutboxPage {
        ctx: user.page().current("/outbox").with_flash(&session),
        filters,
        rows: rows.into_iter().map(row).collect(),
        heading,
    })
}

pub async fn retry(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let id = OutboxId(path.into_inner());
    let entry = AuditEntry::new(
        Some(user.id),
        user.audit_label(),
        "outbox_retry",
        format!("outbox:{id}"),
        "failed message queued to send again",
        Some(&client.0),
    );
    let requeued = state
        .db(move |conn| {
            Ok(conn.transaction(|conn| {
                let changed = outbox::requeue_failed(conn, id, clock.now_naive())?;
                if changed == 1 {
                    audit::record(conn, &entry)?;
                }
                diesel::QueryResult::Ok(changed == 1)
            })?)
        })
        .await?;
    session::set_flash(
        &session,
        if requeued {
            "The message is queued to send again"
        } else {
            "That message had not failed, so it was left as it was"
        },
    );
    Ok(see_other("/outbox?status=failed"))
}
