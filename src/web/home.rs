//! The signed-in home page: who you are, where you can go and, for staff who work cases,
//! the dashboard (`crate::reports::dashboard`) for the cases they may see — officers the
//! whole organisation, managers and directors their own cases and service areas.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::domain::Role;
use crate::domain::Scope;
use crate::reports::dashboard::{self, Dashboard};
use crate::rules::RagThresholds;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::filters;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub dashboard: Option<Dashboard>,
    /// Whose cases the figures cover.
    pub scope_label: &'static str,
    /// The figures are not the whole organisation's, and the reader may read those in the
    /// reports (directors).
    pub organisation_in_reports: bool,
    /// Issue 27: evidence due and orders overdue at the Housing Ombudsman.
    pub ombudsman: Option<crate::ombudsman::register::Tile>,
    /// Issue 30: subject access requests open and overdue, for the complaints team.
    pub subject_access: Option<(usize, usize)>,
}

/// Every figure opens the list of its cases, so a dashboard counts the cases its reader may
/// open: officers all of them; managers and directors those assigned to them or in their
/// service areas (a director counted the whole organisation until session 15, and "9 overdue"
/// opened a list of none). Directors find the organisation's figures in the reports.
fn dashboard_scope(user: &CurrentUser) -> Option<(Scope, &'static str)> {
    match user.role {
        Role::Officer | Role::Member => Some((Scope::All, "all cases")),
        Role::Manager | Role::Director => Some((
            user.viewer().scope(),
            "cases assigned to you or in your service areas",
        )),
        Role::Admin => None,
    }
}

pub async fn home(
    user: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
) -> AppResult<HomePage> {
    let today = state.clock.today();
    let settled = !user.must_change_password;
    let scope = dashboard_scope(&user).filter(|_| settled);
    let scope_label = scope.as_ref().map_or("", |(_, label)| *label);
    // Figures short of the whole organisation, for someone who may read its reports.
    let organisation_in_reports = scope
        .as_ref()
        .is_some_and(|(scope, _)| *scope != Scope::All)
        && crate::auth::permissions::allows(user.role, crate::auth::Permission::ViewReports);
    let sees_subject_access =
        settled && crate::privacy::access::may_handle_subject_access(&user.viewer());
    let calendar = state.calendar.clone();
    let rag = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let kept = state.open_cases.clone();
    let viewer_user = user.clone();
    // The page's three parts in one trip to the database.
    let (dashboard, ombudsman, subject_access) = state
        .db(move |conn| {
            let dashboard = match scope {
                Some((scope, _)) => Some(
                    dashboard::build(conn, &scope, &kept, &calendar, &rag, today)
                        .map_err(|e| crate::web::error::AppError::Internal(e.into()))?,
                ),
                None => None,
            };
            let ombudsman = if settled {
                crate::web::ombudsman::register::tile_for(conn, &viewer_user.viewer(), today)?
            } else {
                None
            };
            let subject_access = if sees_subject_access {
                let open = crate::db::subject_access::open(conn)?;
                let overdue = open.iter().filter(|r| r.due_on < today).count();
                Some((open.len(), overdue))
            } else {
                None
            };
            Ok((dashboard, ombudsman, subject_access))
        })
        .await?;
    Ok(HomePage {
        ctx: user.page().with_flash(&session).current("/"),
        subject_access,
        dashboard,
        scope_label,
        organisation_in_reports,
        ombudsman,
    })
}

/// The lists behind a row of the dashboard's "open cases by stage" table: its overdue cases
/// and all its open cases, so each linked list's count is the figure (tests/api/list_actions.rs).
pub fn stage_links(stage: &str) -> (&'static str, &'static str) {
    match stage {
        "Stage 0" => (
            "/cases?list=overdue&stage=stage0",
            "/cases?list=open&stage=stage0",
        ),
        "Stage 1" => (
            "/cases?list=overdue&stage=stage1",
            "/cases?list=open&stage=stage1",
        ),
        "Stage 2" => (
            "/cases?list=overdue&stage=stage2",
            "/cases?list=open&stage=stage2",
        ),
        _ => ("/cases?list=overdue&status=received", "/cases?list=triage"),
    }
}
