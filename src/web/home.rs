//! The signed-in home page: who you are, where you can go and, for staff who work cases,
//! the dashboard (`crate::reports::dashboard`) for the cases they may see — officers and
//! directors the whole organisation, managers their own cases and service areas.

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
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub dashboard: Option<Dashboard>,
    /// Whose cases the figures cover.
    pub scope_label: &'static str,
    /// Issue 27: evidence due and orders overdue at the Housing Ombudsman.
    pub ombudsman: Option<crate::ombudsman::register::Tile>,
    /// Issue 30: subject access requests open and overdue, for the complaints team.
    pub subject_access: Option<(usize, usize)>,
}

/// Directors see the organisation's figures on their dashboard (as in the reports they may
/// read); managers the cases they may open.
fn dashboard_scope(user: &CurrentUser) -> Option<(Scope, &'static str)> {
    match user.role {
        Role::Officer | Role::Director | Role::Member => Some((Scope::All, "all cases")),
        Role::Manager => Some((
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
    let clock = state.clock;
    let (dashboard, scope_label) =
        match dashboard_scope(&user).filter(|_| !user.must_change_password) {
            Some((scope, label)) => {
                let calendar = state.calendar.clone();
                let rag = RagThresholds {
                    amber_within: state.settings.rules.amber_within,
                };
                let built = state
                    .db(move |conn| {
                        dashboard::build(conn, &scope, &calendar, &rag, clock.today())
                            .map_err(|e| crate::web::error::AppError::Internal(e.into()))
                    })
                    .await?;
                (Some(built), label)
            }
            None => (None, ""),
        };
    let ombudsman = if user.must_change_password {
        None
    } else {
        let viewer_user = user.clone();
        state
            .db(move |conn| {
                let today = clock.today();
                Ok(crate::web::ombudsman::register::tile_for(
                    conn,
                    &viewer_user.viewer(),
                    today,
                )?)
            })
            .await?
    };
    let subject_access = if user.must_change_password
        || !crate::privacy::access::may_handle_subject_access(&user.viewer())
    {
        None
    } else {
        let today = clock.today();
        state
            .db(move |conn| {
                let open = crate::db::subject_access::open(conn)?;
                let overdue = open.iter().filter(|r| r.due_on < today).count();
                Ok(Some((open.len(), overdue)))
            })
            .await?
    };
    Ok(HomePage {
        ctx: user.page().with_flash(&session).current("/"),
        subject_access,
        dashboard,
        scope_label,
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
