//! Directors' approvals (issue 22): `/approvals` lists every request waiting for a director
//! on cases the director may see — who asked, the case, what (the amount by remedy, or the
//! restriction), why, and the case's next deadline, oldest first — and each request's
//! decision form approves it, declines it (with a reason) or returns it with a comment.
//! A director's own requests are listed but not offered to them: another director decides.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::auth::Permission;
use crate::cases::access;
use crate::cases::approvals::{asked, decide_request, Answer, COMMENT_MAX};
use crate::db::approval_requests::{self as requests, RequestRow};
use crate::db::{cases, decisions, users, DbConnection};
use crate::domain::Money;
use crate::web::cases::show::long_date;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    load_for, perform, reshow, ActionHead, CaseRequest, Outcome, Problem, Seen, Who,
};
use crate::web::state::AppState;

/// One waiting request as the list and the decision form show it.
pub struct Waiting {
    pub id: i32,
    pub reference: String,
    /// "Compensation" or "Contact restriction", with the stage.
    pub kind: String,
    pub asked_by: String,
    pub asked_on: String,
    /// One line per remedy (or the restriction and its review date).
    pub what: Vec<String>,
    pub reason: String,
    /// The case's next deadline, in words ("None" when it has none).
    pub next_deadline: String,
    /// The viewer asked for it, so another director decides.
    pub own: bool,
}

fn waiting_view(
    conn: &mut DbConnection,
    request: &RequestRow,
    reference: &str,
    next_due: Option<chrono::NaiveDate>,
    viewer: crate::domain::UserId,
) -> diesel::QueryResult<Waiting> {
    let asked_by = users::find(conn, request.requested_by_id)?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let what = if request.what.trim().is_empty() {
        // Asked before requests were kept by remedy: the total.
        let total = Money::from_pence(request.amount_pence.unwrap_or(0).into());
        vec![format!("{total} in total")]
    } else {
        request.what.lines().map(str::to_string).collect()
    };
    Ok(Waiting {
        id: request.id,
        reference: reference.to_string(),
        kind: format!(
            "{} ({})",
            if request.is_compensation() {
                "Compensation"
            } else {
                "Contact restriction"
            },
            request.stage.label().to_lowercase()
        ),
        asked_by,
        asked_on: long_date(request.requested_at.date()),
        what,
        reason: request.reason.clone(),
        next_deadline: next_due.map(long_date).unwrap_or_else(|| "None".into()),
        own: request.requested_by_id == viewer,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "approvals.html")]
pub struct ApprovalsPage {
    pub ctx: PageCtx,
    pub waiting: Vec<Waiting>,
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: actix_session::Session,
) -> AppResult<ApprovalsPage> {
    user.require(Permission::Approve)?;
    let viewer_user = user.clone();
    let waiting = state
        .db(move |conn| {
            let viewer = viewer_user.viewer();
            let mut rows = Vec::new();
            for request in requests::waiting(conn)? {
                let Some(case) = cases::find(conn, request.case_id)? else {
                    continue;
                };
                if !access::can_view(&viewer, &case) {
                    continue;
                }
                rows.push(waiting_view(
                    conn,
                    &request,
                    &case.reference,
                    case.next_due_on,
                    viewer_user.id,
                )?);
            }
            Ok(rows)
        })
        .await?;
    Ok(ApprovalsPage {
        ctx: user.page().with_flash(&session).current("/approvals"),
        waiting,
    })
}

// ---- Deciding one request ----------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    /// `approve`, `decline` or `return`.
    pub decision: String,
    pub decline_reason: String,
    pub comment: String,
    pub request_version: i32,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "approval_decide.html")]
pub struct DecidePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: DecideForm,
    pub choices: Vec<Opt>,
    /// `None` when the request no longer waits.
    pub request: Option<Waiting>,
}

fn request_id(path: &web::Path<(String, String)>) -> AppResult<i32> {
    path.1.parse().map_err(|_| AppError::NotFound)
}

async fn decide_page(
    ctx: &CaseRequest,
    id: i32,
    form: Option<DecideForm>,
    problem: Problem,
) -> AppResult<DecidePage> {
    let viewer = ctx.user.id;
    let (case, found) = load_for(ctx, Who::Director, move |conn, case| {
        let Some(request) = requests::find(conn, id)?.filter(|r| r.case_id == case.row.id) else {
            return Err(AppError::NotFound);
        };
        let view = waiting_view(
            conn,
            &request,
            &case.row.reference,
            case.row.next_due_on,
            viewer,
        )?;
        Ok((request.is_waiting().then_some(view), request.version))
    })
    .await?;
    let (request, version) = found;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "decision", |_| None);
    let mut form = form.unwrap_or_default();
    // The form names the request shown: a director whose request changed has read it now.
    form.request_version = version;
    let mut choices = Vec::new();
    if !request.as_ref().is_some_and(|r| r.own) {
        choices.push(Opt::new("approve", "Approve it"));
    }
    choices.push(Opt::new("decline", "Decline it"));
    choices.push(Opt::new(
        "return",
        "Return it to the person who asked, with a comment",
    ));
    Ok(DecidePage {
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        choices,
        request,
    })
}

pub async fn decide_form(
    ctx: CaseRequest,
    path: web::Path<(String, String)>,
) -> AppResult<DecidePage> {
    decide_page(&ctx, request_id(&path)?, None, Problem::None).await
}

fn read_answer(form: &DecideForm) -> Result<Answer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut text = |field: &str, value: &str, missing: &str| {
        let value = value.trim();
        if value.is_empty() {
            errors.add(field, missing);
        } else if value.chars().count() > COMMENT_MAX {
            errors.add(
                field,
                format!("This must be {COMMENT_MAX} characters or fewer"),
            );
        }
        value.to_string()
    };
    let answer = match form.decision.as_str() {
        "approve" => Answer::Approve,
        "decline" => Answer::Decline {
            reason: text(
                "decline-reason",
                &form.decline_reason,
                "Enter why you decline it",
            ),
        },
        "return" => Answer::Return {
            comment: text(
                "comment",
                &form.comment,
                "Enter a comment for the person who asked",
            ),
        },
        _ => {
            errors.add(
                "decision",
                "Select whether to approve, decline or return it",
            );
            Answer::Approve
        }
    };
    if errors.is_empty() {
        Ok(answer)
    } else {
        Err(errors)
    }
}

pub async fn decide_submit(
    ctx: CaseRequest,
    path: web::Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> AppResult<HttpResponse> {
    let id = request_id(&path)?;
    let answer = match read_answer(&form) {
        Ok(a) => a,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| {
                decide_page(&ctx, id, Some(form), p)
            })
            .await;
        }
    };
    let message = match answer {
        Answer::Approve => "Approved: the person who asked has been told",
        Answer::Decline { .. } => "Declined: the person who asked has been told why",
        Answer::Return { .. } => "Returned with your comment: the person who asked has been told",
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let (director, links, clock) = (ctx.user.id, ctx.state.links.clone(), ctx.state.clock);
    let request_version = form.request_version;
    let outcome = perform(
        &ctx,
        Who::Director,
        seen,
        move |conn, case| Ok(asked(conn, case, id)?),
        move |case, rules, found| {
            decide_request(
                case,
                director,
                found,
                request_version,
                answer,
                rules,
                links,
                clock.now_naive(),
            )
        },
        message,
    )
    .await?;
    match outcome {
        // Back to the list: a director usually has more than one to decide.
        Outcome::Done { message, .. } => {
            crate::web::session::set_flash(&ctx.session, &message);
            Ok(crate::web::responses::see_other("/approvals"))
        }
        failed => {
            reshow(Problem::Outcome(failed), |p| {
                decide_page(&ctx, id, Some(form), p)
            })
            .await
        }
    }
}

// ---- On the case page -------------------------------------------------------------------

/// What the case page says about approvals and the response check: a request waiting, or
/// the director's (or the complaints team's) answer the drafter has still to act on.
pub struct Notice {
    pub title: String,
    pub text: Option<String>,
    pub next: &'static str,
    /// For a director who may decide it: the request's decision form.
    pub decide: Option<String>,
}

/// The notices for `case` as it stands; `director` is the viewer when they are a director,
/// who is offered the decision form of a request they did not make.
pub fn notices(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
    director: Option<crate::domain::UserId>,
) -> Result<Vec<Notice>, AppError> {
    let mut out = Vec::new();
    let all = requests::for_case(conn, case.row.id)?;
    let stage_decision = match crate::cases::decide::current_stage(case) {
        Ok(stage) => decisions::find(conn, case.row.id, stage)?,
        Err(_) => None,
    };
    for kind in [requests::COMPENSATION, requests::RESTRICTION] {
        // Newest first: the latest request of each kind is the one that counts.
        let Some(latest) = all.iter().find(|r| r.kind == kind) else {
            continue;
        };
        let subject = latest.subject();
        if latest.is_waiting() {
            out.push(Notice {
                title: format!(
                    "Waiting for a director: {subject}, asked for on {}",
                    long_date(latest.requested_at.date())
                ),
                text: None,
                next: "The area's directors have been emailed.",
                decide: director
                    .filter(|d| *d != latest.requested_by_id)
                    .map(|_| format!("/cases/{}/approval/{}", case.row.reference, latest.id)),
            });
            continue;
        }
        let still_to_act = if latest.is_compensation() {
            stage_decision.as_ref().is_some_and(|d| {
                d.id == latest.decision_id.unwrap_or(-1)
                    && d.compensation_status == crate::domain::case::CompensationStatus::Returned
            })
        } else {
            latest.state == requests::RETURNED
                && crate::db::restrictions::live_for(conn, case.row.id)?.is_none()
        };
        if !still_to_act || latest.state == requests::APPROVED {
            continue;
        }
        let director = match latest.decided_by_id {
            Some(id) => users::find(conn, id)?.map(|u| u.display_name),
            None => None,
        }
        .unwrap_or_else(|| "A director".into());
        let (verb, next) = match (latest.state.as_str(), latest.is_compensation()) {
            (requests::DECLINED, true) => (
                "declined",
                "Change the offer on the decision and save it: that asks for approval again.",
            ),
            (_, true) => (
                "returned",
                "Change the offer on the decision and save it: that asks for approval again.",
            ),
            _ => ("returned", "You may propose a changed restriction."),
        };
        out.push(Notice {
            title: format!(
                "{director} {verb} {subject} on {}",
                latest
                    .decided_at
                    .map(|t| long_date(t.date()))
                    .unwrap_or_default()
            ),
            text: latest.comment.clone(),
            next,
            decide: None,
        });
    }
    if let Some(d) = stage_decision.filter(|d| d.sent_on.is_none()) {
        match d.check_state.as_deref() {
            Some(crate::cases::response_check::RETURNED) => out.push(Notice {
                title: "The complaints team returned the response with comments".into(),
                text: d.check_comment.clone(),
                next: "Change the decision and save it: that asks for a check again.",
                decide: None,
            }),
            Some(crate::cases::response_check::WAITING) => out.push(Notice {
                title: "The response is waiting for the complaints team to check it".into(),
                text: None,
                next: "It can be sent once an officer passes it.",
                decide: None,
            }),
            _ => {}
        }
    }
    Ok(out)
}
