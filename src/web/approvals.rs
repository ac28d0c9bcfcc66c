//! Directors' approval queue, for cases the director may see: compensation offered in draft
//! decisions that needs a director's approval before the decision can be sent, and proposed
//! contact restrictions.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::Permission;
use crate::cases::access;
use crate::db::{cases, decisions, restrictions};
use crate::domain::Money;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub struct Awaiting {
    pub reference: String,
    pub stage: String,
    pub amount: String,
    pub since: String,
}

/// A proposed contact restriction waiting for a director.
pub struct RestrictionAwaiting {
    pub reference: String,
    pub what: String,
    pub review_on: String,
    pub since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "approvals.html")]
pub struct ApprovalsPage {
    pub ctx: PageCtx,
    pub awaiting: Vec<Awaiting>,
    pub restrictions: Vec<RestrictionAwaiting>,
}

pub async fn page(state: web::Data<AppState>, user: CurrentUser) -> AppResult<ApprovalsPage> {
    user.require(Permission::Approve)?;
    let viewer_user = user.clone();
    let (awaiting, restrictions) = state
        .db(move |conn| {
            let viewer = viewer_user.viewer();
            let mut rows = Vec::new();
            for d in decisions::awaiting_approval(conn)? {
                let Some(case) = cases::find(conn, d.case_id)? else {
                    continue;
                };
                if !access::can_view(&viewer, &case) {
                    continue;
                }
                rows.push(Awaiting {
                    reference: case.reference,
                    stage: d.stage.label().to_string(),
                    amount: Money::from_pence(d.compensation_pence.into()).to_string(),
                    since: crate::web::cases::show::long_date(d.updated_at.date()),
                });
            }
            let mut proposed = Vec::new();
            for r in restrictions::awaiting_approval(conn)? {
                let Some(case) = cases::find(conn, r.case_id)? else {
                    continue;
                };
                if !access::can_view(&viewer, &case) {
                    continue;
                }
                proposed.push(RestrictionAwaiting {
                    reference: case.reference,
                    what: r.what,
                    review_on: crate::web::cases::show::long_date(r.review_on),
                    since: crate::web::cases::show::long_date(r.proposed_at.date()),
                });
            }
            Ok((rows, proposed))
        })
        .await?;
    Ok(ApprovalsPage {
        ctx: user.page().current("/approvals"),
        awaiting,
        restrictions,
    })
}
