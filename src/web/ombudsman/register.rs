//! `/ombudsman`: every contact the viewer may read with its state, filters, overdue first,
//! and its CSV; `/ombudsman/figures`: a year's determinations, the maladministration rate,
//! orders complied with on time and complaint handling failure orders; and the dashboard
//! tile's counts.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;
use serde::Deserialize;

use super::contact::long;
use crate::csv_export::{Cell, SafeCsv};
use crate::db::audit::{self, AuditEntry};
use crate::db::DbConnection;
use crate::domain::Viewer;
use crate::ombudsman::access::RegisterAction;
use crate::ombudsman::figures::{self, YearFigures, RATE_FORMULA};
use crate::ombudsman::register::{self, Filter, RegisterRow, Tile};
use crate::ombudsman::state::ContactState;
use crate::ombudsman::ContactKind;
use crate::rules::RagThresholds;
use crate::web::cases::show::rag_tag;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::forms::{Opt, Query};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    pub state: String,
    pub kind: String,
    pub overdue: String,
    pub q: String,
}

impl RegisterQuery {
    fn filter(&self) -> Filter {
        Filter {
            state: ContactState::parse(&self.state),
            kind: ContactKind::parse(&self.kind),
            overdue_only: self.overdue == "yes",
            search: self.q.chars().take(100).collect(),
        }
    }

    /// The query string that asks for the same rows.
    fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("state", self.state.as_str()),
                ("kind", self.kind.as_str()),
                ("overdue", self.overdue.as_str()),
                ("q", self.q.as_str()),
            ])
            .finish()
    }
}

pub struct RowView {
    pub contact: i32,
    pub reference: String,
    pub kind: &'static str,
    pub contacted_on: String,
    pub ombudsman_reference: String,
    pub state: ContactState,
    pub next_due: String,
    pub rag: Option<(&'static str, &'static str)>,
    /// "2 evidence requests overdue", "1 order overdue".
    pub overdue: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn view(row: &RegisterRow) -> RowView {
    let mut overdue = Vec::new();
    if row.evidence_overdue > 0 {
        overdue.push(plural(
            row.evidence_overdue,
            "evidence request overdue",
            "evidence requests overdue",
        ));
    }
    if row.orders_overdue > 0 {
        overdue.push(plural(
            row.orders_overdue,
            "order overdue",
            "orders overdue",
        ));
    }
    RowView {
        contact: row.contact,
        reference: row.reference.clone(),
        kind: row.kind.map(|k| k.label()).unwrap_or("Contact"),
        contacted_on: long(row.contacted_on),
        ombudsman_reference: row.ombudsman_reference.clone(),
        state: row.state,
        next_due: row.next_due.map(long).unwrap_or_default(),
        rag: row.rag.map(rag_tag),
        overdue: overdue.join(", "),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "ombudsman/register.html")]
pub struct RegisterPage {
    pub ctx: PageCtx,
    pub rows: Vec<RowView>,
    pub total: usize,
    pub states: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub query: RegisterQuery,
    pub csv_href: String,
    pub tile: Tile,
}

fn rows_for(
    state: &AppState,
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &Filter,
) -> diesel::QueryResult<(Vec<RegisterRow>, usize, Tile)> {
    let today = state.clock.today();
    let loaded = register::load(conn, viewer)?;
    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let rows = register::rows(&loaded, filter, today, &state.calendar, &thresholds);
    Ok((rows, loaded.facts.len(), register::tile(&loaded, today)))
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<RegisterQuery>,
) -> AppResult<RegisterPage> {
    super::require(&user, RegisterAction::Read)?;
    let query = query.0;
    let filter = query.filter();
    let (app, viewer_user) = (state.clone(), user.clone());
    let (rows, total, tile) = state
        .db(move |conn| Ok(rows_for(&app, conn, &viewer_user.viewer(), &filter)?))
        .await?;
    Ok(RegisterPage {
        ctx: user.page().current("/ombudsman"),
        rows: rows.iter().map(view).collect(),
        total,
        states: ContactState::ALL
            .into_iter()
            .map(|s| Opt::new(s.as_str(), s.label()))
            .collect(),
        kinds: ContactKind::ALL
            .into_iter()
            .map(|k| Opt::new(k.as_str(), k.label()))
            .collect(),
        csv_href: format!("/ombudsman.csv?{}", query.encoded()),
        query,
        tile,
    })
}

/// The register's rows as CSV (with a byte-order mark, so spreadsheets read it as UTF-8);
/// audited.
pub async fn csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    query: Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    super::require(&user, RegisterAction::Read)?;
    let filter = query.filter();
    let (app, viewer_user, ip) = (state.clone(), user.clone(), client.0.clone());
    let rows = state
        .db(move |conn| {
            let (rows, _, _) = rows_for(&app, conn, &viewer_user.viewer(), &filter)?;
            audit::record(
                conn,
                &AuditEntry::new(
                    Some(viewer_user.id),
                    viewer_user.audit_label(),
                    "ombudsman_register_exported",
                    "ombudsman_register",
                    format!("rows={}", rows.len()),
                    Some(&ip),
                ),
            )?;
            Ok(rows)
        })
        .await?;
    let mut csv = SafeCsv::new();
    let write = |csv: &mut SafeCsv| -> Result<(), csv::Error> {
        csv.text_record([
            "Case",
            "Kind",
            "Date of the contact",
            "Ombudsman's reference",
            "Category",
            "State",
            "Next due",
            "Overdue",
        ])?;
        for row in &rows {
            let next = row.next_due.map(|d| d.to_string()).unwrap_or_default();
            csv.record(&[
                Cell::Text(&row.reference),
                Cell::Text(row.kind.map(|k| k.label()).unwrap_or("")),
                Cell::Text(&row.contacted_on.to_string()),
                Cell::Text(&row.ombudsman_reference),
                Cell::Text(row.category.as_deref().unwrap_or("")),
                Cell::Text(row.state.label()),
                Cell::Text(&next),
                Cell::Text(if row.overdue { "Yes" } else { "No" }),
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
            format!("attachment; filename=\"ombudsman-register-{today}.csv\""),
        ))
        .body(format!("\u{feff}{body}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FiguresQuery {
    pub year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ombudsman/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub years: Vec<i32>,
    pub figures: YearFigures,
    pub formula: &'static str,
}

pub async fn figures(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<FiguresQuery>,
) -> AppResult<FiguresPage> {
    super::require(&user, RegisterAction::Read)?;
    let this_year = state.clock.today().year();
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year);
    let figures = state
        .db(move |conn| Ok(figures::for_year(conn, year)?))
        .await?;
    Ok(FiguresPage {
        ctx: user.page().current("/ombudsman"),
        year,
        years: (this_year - 4..=this_year).rev().collect(),
        figures,
        formula: RATE_FORMULA,
    })
}

/// The dashboard tile for `viewer`, if they may read the register.
pub fn tile_for(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<Option<Tile>> {
    if !crate::ombudsman::access::may_open(viewer, RegisterAction::Read) {
        return Ok(None);
    }
    let loaded = register::load(conn, viewer)?;
    Ok(Some(register::tile(&loaded, today)))
}
