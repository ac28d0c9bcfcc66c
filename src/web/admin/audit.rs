//! The audit viewer (issue 29): administrators search the log by who, what, which case
//! and when, see restricted-information views on their own, and export what they found
//! as CSV (the export is itself audited). Read-only: nothing here writes the log except
//! the export's own entry.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;

use crate::auth::Permission;
use crate::csv_export::{Cell, SafeCsv};
use crate::db::audit::{self, AuditEntry, AuditFilter, AuditRow};
use crate::db::users;
use crate::domain::date_input::DateField;
use crate::domain::UserId;
use crate::web::admin::audit_words::{self, Names};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::forms::{FormErrors, Opt, Query};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub const PAGE_SIZE: i64 = 50;
/// The most rows one export holds; narrow the filters for more.
pub const EXPORT_LIMIT: i64 = 100_000;
/// The "action" choice that means every restricted-information view.
const RESTRICTED: &str = "restricted_views";

const FROM: DateField = DateField {
    id: "from",
    label: "From date",
    missing: "Enter the from date",
};
const TO: DateField = DateField {
    id: "to",
    label: "To date",
    missing: "Enter the to date",
};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub from_day: String,
    #[serde(default)]
    pub from_month: String,
    #[serde(default)]
    pub from_year: String,
    #[serde(default)]
    pub to_day: String,
    #[serde(default)]
    pub to_month: String,
    #[serde(default)]
    pub to_year: String,
    #[serde(default)]
    pub page: String,
}

/// The UTC instant London's day `date` starts at (audit times are stored in UTC).
fn london_midnight(date: NaiveDate) -> NaiveDateTime {
    chrono_tz::Europe::London
        .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or_else(|| date.and_time(chrono::NaiveTime::MIN))
}

impl AuditQuery {
    /// The filter asked for, or the problems to show beside the fields.
    fn filter(&self) -> Result<AuditFilter, FormErrors> {
        let mut errors = FormErrors::new();
        let mut filter = AuditFilter::default();
        let user = self.user.trim();
        if !user.is_empty() {
            match user.parse::<i32>() {
                Ok(id) => filter.actor = Some(UserId(id)),
                Err(_) => errors.add("user", "Choose a member of staff from the list"),
            }
        }
        let action = self.action.trim();
        if action == RESTRICTED {
            filter.actions = audit::RESTRICTED_VIEWS
                .iter()
                .map(|a| a.to_string())
                .collect();
        } else if !action.is_empty() {
            filter.actions = vec![action.to_string()];
        }
        let case = self.case.trim().to_uppercase();
        if case.chars().count() > 40 {
            errors.add("case", "Case reference must be 40 characters or fewer");
        } else if !case.is_empty() {
            filter.target = Some(format!("case:{case}"));
        }
        let from = FROM.parse(&self.from_day, &self.from_month, &self.from_year, false);
        let to = TO.parse(&self.to_day, &self.to_month, &self.to_year, false);
        for problem in [&from, &to].into_iter().filter_map(|r| r.as_ref().err()) {
            errors.add(&problem.0, problem.1.clone());
        }
        if let (Ok(Some(from)), Ok(Some(to))) = (&from, &to) {
            if to < from {
                errors.add(
                    "to-day",
                    "The to date must be the same as or after the from date",
                );
            }
        }
        filter.from = from.ok().flatten().map(london_midnight);
        filter.before = to
            .ok()
            .flatten()
            .and_then(|d| d.succ_opt())
            .map(london_midnight);
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    fn page_number(&self) -> i64 {
        self.page
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }

    /// The query string of these filters (without the page), for links.
    fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                [
                    ("user", &self.user),
                    ("action", &self.action),
                    ("case", &self.case),
                    ("from_day", &self.from_day),
                    ("from_month", &self.from_month),
                    ("from_year", &self.from_year),
                    ("to_day", &self.to_day),
                    ("to_month", &self.to_month),
                    ("to_year", &self.to_year),
                ]
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty()),
            )
            .finish()
    }
}

/// One entry as the viewer shows it.
pub struct EntryView {
    /// London date and time, e.g. "3 December 2026" and "14:05:09".
    pub date: String,
    pub time: String,
    pub who: String,
    pub what: String,
    pub record: String,
    pub detail: String,
    pub ip: String,
}

fn london(at: NaiveDateTime) -> (String, String) {
    let local = at.and_utc().with_timezone(&chrono_tz::Europe::London);
    (
        local.format("%-d %B %Y").to_string(),
        local.format("%H:%M:%S").to_string(),
    )
}

fn view(row: &AuditRow, names: &Names) -> EntryView {
    let (date, time) = london(row.at);
    EntryView {
        date,
        time,
        who: audit_words::actor(row.actor_id, &row.actor_label, names),
        what: audit_words::action_label(&row.action),
        record: audit_words::target(&row.target, names),
        detail: audit_words::detail(&row.detail, names),
        ip: row.ip.clone().unwrap_or_default(),
    }
}

pub struct PageLinks {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub number: i64,
    pub of: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
    pub query: AuditQuery,
    pub staff: Vec<Opt>,
    pub actions: Vec<Opt>,
    pub entries: Vec<EntryView>,
    pub total: i64,
    pub pages: Option<PageLinks>,
    pub csv_href: String,
}

fn staff_names(conn: &mut crate::db::DbConnection) -> diesel::QueryResult<Names> {
    Ok(users::list_all(conn)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// `GET /admin/audit`.
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let query = query.0;
    let filter = query.filter();
    let page = query.page_number();
    let wanted = filter.clone().ok();
    let (names, staff, actions, found) = state
        .db(move |conn| {
            let names = staff_names(conn)?;
            let staff: Vec<Opt> = users::list_all(conn)?
                .into_iter()
                .map(|u| Opt::new(u.id.0.to_string(), u.display_name))
                .collect();
            let mut actions = vec![Opt::new(RESTRICTED, "Restricted-information views")];
            let mut known: Vec<Opt> = audit::distinct_actions(conn)?
                .into_iter()
                .map(|a| {
                    let label = audit_words::action_label(&a);
                    Opt::new(a, label)
                })
                .collect();
            known.sort_by(|a, b| a.label.cmp(&b.label));
            actions.extend(known);
            let found = match &wanted {
                Some(filter) => Some(audit::search(
                    conn,
                    filter,
                    (page - 1) * PAGE_SIZE,
                    PAGE_SIZE,
                )?),
                None => None,
            };
            Ok((names, staff, actions, found))
        })
        .await?;
    let (rows, total) = found.unwrap_or_default();
    let entries = rows.iter().map(|r| view(r, &names)).collect();
    let of = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let filters = query.query_string();
    let link = |p: i64| {
        if filters.is_empty() {
            format!("/admin/audit?page={p}")
        } else {
            format!("/admin/audit?{filters}&page={p}")
        }
    };
    let pages = (of > 1).then(|| PageLinks {
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < of).then(|| link(page + 1)),
        number: page,
        of,
    });
    let errors = filter.err().unwrap_or_default();
    let page = AuditPage {
        ctx: user.page().current("/admin/audit"),
        csv_href: format!("/admin/audit.csv?{filters}"),
        errors,
        query,
        staff,
        actions,
        entries,
        total,
        pages,
    };
    let body = page.render()?;
    let status = if page.errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// What an export asked for, for its own audit entry: ids and field names only.
fn describe(filter: &AuditFilter, rows: usize) -> String {
    let mut parts = Vec::new();
    if let Some(actor) = filter.actor {
        parts.push(format!("user {actor}"));
    }
    if !filter.actions.is_empty() {
        parts.push(format!("actions {}", filter.actions.join(", ")));
    }
    if let Some(target) = &filter.target {
        parts.push(target.clone());
    }
    if let Some(from) = filter.from {
        parts.push(format!("from {from}"));
    }
    if let Some(before) = filter.before {
        parts.push(format!("before {before}"));
    }
    let filters = if parts.is_empty() {
        "no filters".to_string()
    } else {
        parts.join("; ")
    };
    format!("{filters}; {rows} entries")
}

/// `GET /admin/audit.csv`: the entries the filters find, as CSV; audited.
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    query: Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    // A download has no form to show errors beside: a plain 400 naming the problems.
    let filter = query.filter().map_err(|errors| {
        let messages: Vec<&str> = errors.list().iter().map(|e| e.message.as_str()).collect();
        AppError::BadRequest(messages.join(". "))
    })?;
    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let (names, rows) = state
        .db(move |conn| {
            let names = staff_names(conn)?;
            let (rows, _) = audit::search(conn, &filter, 0, EXPORT_LIMIT)?;
            audit::record(
                conn,
                &AuditEntry::new(
                    Some(id),
                    label,
                    "audit_exported",
                    "audit_log",
                    describe(&filter, rows.len()),
                    Some(&ip),
                ),
            )?;
            Ok((names, rows))
        })
        .await?;
    let mut csv = SafeCsv::new();
    let write = |csv: &mut SafeCsv| -> Result<(), csv::Error> {
        csv.text_record(["When", "Who", "What", "Record", "Detail", "IP address"])?;
        for row in &rows {
            let entry = view(row, &names);
            csv.record(&[
                Cell::Text(&row.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
                Cell::Text(&entry.who),
                Cell::Text(&entry.what),
                Cell::Text(&entry.record),
                Cell::Text(&entry.detail),
                Cell::Text(&entry.ip),
            ])?;
        }
        Ok(())
    };
    write(&mut csv).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let body = csv
        .finish()
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let today = state.clock.today();
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"redress-audit-log-{today}.csv\""),
        ))
        .body(body))
}
