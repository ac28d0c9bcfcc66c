//! Downloading a work list as CSV (issue 24): every case matching the list's filters, not
//! only the page, streamed a batch at a time so a list of 100,000 cases holds one batch in
//! memory (benches/list_export.rs measures it). Names are withheld exactly as on the list
//! (`db::work_lists` never names a confidential complainant), the document starts with a
//! byte-order mark so Excel keeps "£", and each download is audited before its first byte:
//! who, which list and filters, and how many rows.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use futures_util::stream;

use crate::auth::Permission;
use crate::cases::list_row;
use crate::csv_export::{Cell, SafeCsv};
use crate::db::audit::{self, AuditEntry};
use crate::db::work_lists::{self, CaseFilter, Flag, ListDates, WorkListRow};
use crate::rules::RagThresholds;
use crate::web::cases::list::{filters_in_words, parse_request, time_left};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Rows read (and written) per batch.
pub const BATCH: i64 = 500;

const HEADINGS: [&str; 12] = [
    "Reference",
    "Complainant",
    "Stage and step",
    "Service area",
    "Received",
    "Next deadline",
    "Due",
    "Time left",
    "Investigating manager",
    "Case officer",
    "Flags",
    "Status",
];

/// What the audit entry says about the list, in words: its name, filters and length, and
/// whether it was searched, never the search text (which can be a resident's name: the log
/// never holds what a resident told us).
fn audit_detail(filter: &CaseFilter, filters: &str, rows: i64) -> String {
    format!(
        "list: {}; filters: {}; searched: {}; rows: {rows}",
        filter.list.label(),
        if filters.is_empty() { "none" } else { filters },
        if filter.search.trim().is_empty() {
            "no"
        } else {
            "yes"
        },
    )
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One row as the list shows it, in spreadsheet form (dates as 2026-03-02).
fn record(csv: &mut SafeCsv, row: &WorkListRow, state: &AppState, today: NaiveDate) {
    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let time = match row.next_due_on {
        Some(due) if row.status.is_open() => {
            time_left(&state.calendar, today, due, &thresholds).map(|(_, words)| words)
        }
        _ => None,
    }
    .unwrap_or_default();
    let mut flags = Vec::new();
    if row.health_and_safety {
        flags.push(Flag::HealthAndSafety.label());
    }
    if row.safeguarding {
        flags.push(Flag::Safeguarding.label());
    }
    if row.adjustments {
        flags.push("Adjustments");
    }
    if row.interpreter {
        flags.push("Interpreter");
    }
    let step = list_row::stage_and_step(row, &state.policies).to_string();
    let deadline = list_row::next_deadline_name(row, &state.policies).unwrap_or_default();
    let (received, due) = (
        date(row.received_on),
        row.next_due_on.map(date).unwrap_or_default(),
    );
    let flags = flags.join(", ");
    let written = csv.record(&[
        Cell::Text(&row.reference),
        Cell::Text(&row.complainant),
        Cell::Text(&step),
        Cell::Text(row.service_area.as_deref().unwrap_or("")),
        Cell::Text(&received),
        Cell::Text(deadline),
        Cell::Text(&due),
        Cell::Text(&time),
        Cell::Text(row.assignee.as_deref().unwrap_or("Not yet assigned")),
        Cell::Text(row.case_officer.as_deref().unwrap_or("")),
        Cell::Text(&flags),
        Cell::Text(row.status.label()),
    ]);
    // Writing to memory fails only on a bug: the batch would go out short.
    debug_assert!(written.is_ok(), "{written:?}");
}

/// Where the download has got to.
struct Progress {
    csv: SafeCsv,
    /// The last case id written; `None` once the last batch is out.
    after: Option<i32>,
}

/// `GET /cases/export.csv?…`: the list the same query shows, every page of it.
pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    // A received date that is not a real date is left out, as the list leaves it out.
    let filter = parse_request(req.query_string(), user.role).filter;
    let today = state.clock.today();
    let dates = ListDates::new(&state.calendar, today)
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;

    let (who, query) = (user.clone(), filter.clone());
    state
        .db(move |conn| {
            let rows = work_lists::count(conn, &who.viewer(), &query, &dates)?;
            let filters = filters_in_words(conn, &query, who.role)?;
            audit::record(
                conn,
                &AuditEntry::new(
                    Some(who.id),
                    who.audit_label(),
                    "case_list_exported",
                    format!("work_list:{}", query.list.label()),
                    audit_detail(&query, &filters, rows),
                    Some(&client.0),
                ),
            )?;
            Ok(())
        })
        .await?;

    let mut csv = SafeCsv::new();
    csv.text_record(HEADINGS)
        .map_err(|e| AppError::Internal(e.into()))?;
    let name = format!(
        "cases-{}-{}.csv",
        filter.list.key().replace('_', "-"),
        today.format("%Y-%m-%d")
    );
    let start = Progress {
        csv,
        after: Some(0),
    };
    let body = stream::unfold(start, move |mut progress| {
        let (state, user, filter) = (state.clone(), user.clone(), filter.clone());
        async move {
            let after = progress.after?;
            let read = state
                .db(move |conn| {
                    Ok(work_lists::rows_after(
                        conn,
                        &user.viewer(),
                        &filter,
                        &dates,
                        after,
                        BATCH,
                    )?)
                })
                .await;
            let (rows, last) = match read {
                Ok(read) => read,
                Err(e) => {
                    tracing::error!(error = %e, "the list download stopped part way");
                    progress.after = None;
                    return Some((
                        Err(std::io::Error::other("the list could not be read")),
                        progress,
                    ));
                }
            };
            for row in &rows {
                record(&mut progress.csv, row, &state, today);
            }
            progress.after = last;
            match progress.csv.take() {
                Ok(bytes) => Some((Ok(web::Bytes::from(bytes)), progress)),
                Err(e) => Some((Err(std::io::Error::other(e)), progress)),
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .streaming(body))
}
