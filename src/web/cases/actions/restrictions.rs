//! Contact restrictions on a case: the proposal form (officers, or the manager the case is
//! assigned to) and the director's decision form (approve, or decline with a reason). Both
//! post the case version they showed; the decision also posts the proposal's id and version,
//! so a director never approves a proposal other than the one they read.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{done, load_for, perform, ActionHead, Outcome, Problem, Request, Seen, Who};
use crate::cases::restrictions::{
    decide_answer, decide_propose, latest_review, review_date_problem, Answer, Proposal,
    REASON_MAX, WHAT_MAX,
};
use crate::db::restrictions::{self, RestrictionRow};
use crate::db::users;
use crate::domain::date_input::DateField;
use crate::web::cases::show::long_date;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// A form shown again with its errors is a 400, so nothing mistakes it for a success.
fn render_form(page: &impl Template, errors: &FormErrors) -> AppResult<HttpResponse> {
    let mut response = if errors.is_empty() {
        HttpResponse::Ok()
    } else {
        HttpResponse::BadRequest()
    };
    Ok(response
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// `value` trimmed; an error on `field` when it is empty (`missing`) or longer than `max`.
fn required_text<'a>(
    errors: &mut FormErrors,
    field: &str,
    value: &'a str,
    max: usize,
    missing: &str,
    label: &str,
) -> &'a str {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, missing);
    } else if value.chars().count() > max {
        errors.add(field, format!("{label} must be {max} characters or fewer"));
    }
    value
}

// ---- Proposing -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    pub what: String,
    pub reason: String,
    pub review_day: String,
    pub review_month: String,
    pub review_year: String,
    pub version: i32,
    pub last_event: i32,
}

const REVIEW: DateField = DateField {
    id: "review",
    label: "The review date",
    missing: "Enter the date the restriction will be reviewed",
};

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/restriction.html")]
pub struct ProposePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: ProposeForm,
    /// The review date's hint, naming the latest date allowed.
    pub review_hint: String,
    /// The case's restriction already proposed or in force, which stops another.
    pub live: Option<String>,
}

async fn propose_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<ProposeForm>,
    problem: Problem,
) -> AppResult<ProposePage> {
    let clock = state.clock;
    let (case, live) = load_for(
        state,
        user,
        reference,
        Who::OfficersOrAssignedManager,
        |conn, case| Ok(restrictions::live_for(conn, case.row.id)?),
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "what", |_| None);
    Ok(ProposePage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_default(),
        review_hint: format!(
            "A date in the future, no later than {}. For example, 27 3 2027",
            long_date(latest_review(clock.today()))
        ),
        live: live.map(|r| {
            if r.is_approved() {
                format!(
                    "In force until review on {}: {}",
                    long_date(r.review_on),
                    r.what
                )
            } else {
                format!("Awaiting a director's approval: {}", r.what)
            }
        }),
    })
}

pub async fn propose_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<ProposePage> {
    propose_page(&state, &user, &path, None, Problem::None).await
}

fn read_proposal(form: &ProposeForm, today: chrono::NaiveDate) -> Result<Proposal, FormErrors> {
    let mut errors = FormErrors::new();
    let what = required_text(
        &mut errors,
        "what",
        &form.what,
        WHAT_MAX,
        "Enter what contact is restricted",
        "What is restricted",
    );
    let reason = required_text(
        &mut errors,
        "reason",
        &form.reason,
        REASON_MAX,
        "Enter the behaviour that led to the restriction",
        "The reason",
    );
    let review_on = match REVIEW.parse(
        &form.review_day,
        &form.review_month,
        &form.review_year,
        true,
    ) {
        Ok(Some(on)) => match review_date_problem(on, today) {
            Some(problem) => {
                errors.add("review-day", problem);
                None
            }
            None => Some(on),
        },
        Ok(None) => {
            errors.add("review-day", REVIEW.missing);
            None
        }
        Err((field, message)) => {
            errors.add(&field, message);
            None
        }
    };
    match review_on {
        Some(review_on) if errors.is_empty() => Ok(Proposal {
            what: what.to_string(),
            reason: reason.to_string(),
            review_on,
        }),
        _ => Err(errors),
    }
}

pub async fn propose_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<ProposeForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let reference = path.into_inner();
    let proposal = match read_proposal(&form, clock.today()) {
        Ok(p) => p,
        Err(errors) => {
            let page = propose_page(
                &state,
                &user,
                &reference,
                Some(form),
                Problem::Input(errors),
            )
            .await?;
            return render_form(&page, &page.errors);
        }
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let by = user.id;
    let lookup = reference.clone();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &reference,
            gate: Who::OfficersOrAssignedManager.into(),
            seen,
        },
        move |conn| live_of(conn, &lookup),
        move |case, rules, live| decide_propose(case, by, proposal, live, rules, clock.now_naive()),
        "Contact restriction proposed: a director must approve it before it applies",
    )
    .await?;
    match outcome {
        Outcome::Done { reference, message } => Ok(done(&session, &reference, &message)),
        failed => {
            let page = propose_page(
                &state,
                &user,
                &reference,
                Some(form),
                Problem::Outcome(failed),
            )
            .await?;
            render_form(&page, &page.errors)
        }
    }
}

fn live_of(
    conn: &mut crate::db::DbConnection,
    reference: &str,
) -> Result<Option<RestrictionRow>, crate::cases::transition::CaseError> {
    use crate::cases::transition::CaseError;
    let case = crate::db::cases::find_by_reference(conn, reference)?.ok_or(CaseError::NotFound)?;
    Ok(restrictions::live_for(conn, case.id)?)
}

// ---- Deciding ---------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    /// `approve` or `decline`.
    pub decision: String,
    pub decline_reason: String,
    pub restriction: i32,
    pub restriction_version: i32,
    pub version: i32,
    pub last_event: i32,
}

/// The proposal as the director reads it.
pub struct ProposalView {
    pub id: i32,
    pub version: i32,
    pub what: String,
    pub reason: String,
    pub review_on: String,
    pub proposed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/restriction_decide.html")]
pub struct DecidePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: DecideForm,
    pub choices: Vec<Opt>,
    /// `None` when nothing is waiting for a decision.
    pub proposal: Option<ProposalView>,
}

async fn decide_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<DecideForm>,
    problem: Problem,
) -> AppResult<DecidePage> {
    let (case, proposal) = load_for(state, user, reference, Who::Director, |conn, case| {
        let Some(r) = restrictions::live_for(conn, case.row.id)?.filter(|r| r.is_proposed()) else {
            return Ok(None);
        };
        let by = users::find(conn, r.proposed_by_id)?
            .map(|u| u.display_name)
            .unwrap_or_default();
        Ok(Some(ProposalView {
            id: r.id,
            version: r.version,
            what: r.what,
            reason: r.reason,
            review_on: long_date(r.review_on),
            proposed: format!("{by}, {}", long_date(r.proposed_at.date())),
        }))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "decision", |_| None);
    // The form always names the proposal shown on this page: a director whose proposal
    // changed has now read the current one.
    let mut form = form.unwrap_or_default();
    if let Some(p) = &proposal {
        form.restriction = p.id;
        form.restriction_version = p.version;
    }
    Ok(DecidePage {
        ctx: user.page(),
        head,
        errors,
        form,
        choices: vec![
            Opt::new("approve", "Approve the restriction"),
            Opt::new("decline", "Decline it"),
        ],
        proposal,
    })
}

pub async fn decide_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<DecidePage> {
    decide_page(&state, &user, &path, None, Problem::None).await
}

fn read_answer(form: &DecideForm) -> Result<Answer, FormErrors> {
    let mut errors = FormErrors::new();
    let answer = match form.decision.as_str() {
        "approve" => Some(Answer::Approve),
        "decline" => {
            let reason = required_text(
                &mut errors,
                "decline-reason",
                &form.decline_reason,
                REASON_MAX,
                "Enter why the restriction is declined",
                "The reason",
            );
            errors.is_empty().then(|| Answer::Decline {
                reason: reason.to_string(),
            })
        }
        _ => {
            errors.add(
                "decision",
                "Select whether to approve or decline the restriction",
            );
            None
        }
    };
    answer.ok_or(errors)
}

pub async fn decide_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<DecideForm>,
) -> AppResult<HttpResponse> {
    let reference = path.into_inner();
    let answer = match read_answer(&form) {
        Ok(a) => a,
        Err(errors) => {
            let page = decide_page(
                &state,
                &user,
                &reference,
                Some(form),
                Problem::Input(errors),
            )
            .await?;
            return render_form(&page, &page.errors);
        }
    };
    let message = match answer {
        Answer::Approve => {
            "Contact restriction approved: the resident is owed a letter explaining it"
        }
        Answer::Decline { .. } => "Contact restriction declined: the reason is recorded",
        Answer::End { .. } => "Contact restriction ended",
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let read = (form.restriction, form.restriction_version);
    let outcome = answer_as_director(
        &state, &user, &client, &reference, seen, read, answer, message,
    )
    .await?;
    match outcome {
        Outcome::Done { reference, message } => Ok(done(&session, &reference, &message)),
        failed => {
            let page = decide_page(
                &state,
                &user,
                &reference,
                Some(form),
                Problem::Outcome(failed),
            )
            .await?;
            render_form(&page, &page.errors)
        }
    }
}

/// A director's answer (approve, decline or end) to the restriction they read (`read`: its
/// id and version), through the shared action flow.
#[allow(clippy::too_many_arguments)]
async fn answer_as_director(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    reference: &str,
    seen: Seen,
    read: (i32, i32),
    answer: Answer,
    message: &'static str,
) -> AppResult<Outcome> {
    let clock = state.clock;
    let director = user.id;
    let lookup = reference.to_string();
    perform(
        Request {
            state,
            user,
            client,
            reference,
            gate: Who::Director.into(),
            seen,
        },
        move |conn| live_of(conn, &lookup),
        move |case, rules, live| {
            decide_answer(case, director, live, read, answer, rules, clock.now_naive())
        },
        message,
    )
    .await
}

// ---- Ending ------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndForm {
    pub reason: String,
    pub restriction: i32,
    pub restriction_version: i32,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/restriction_end.html")]
pub struct EndPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: EndForm,
    /// The restriction in force: what, and its review date. `None` when there is none.
    pub active: Option<(String, String)>,
}

async fn end_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<EndForm>,
    problem: Problem,
) -> AppResult<EndPage> {
    let (case, active) = load_for(state, user, reference, Who::Director, |conn, case| {
        Ok(restrictions::approved_for(conn, case.row.id)?)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "reason", |_| None);
    // As on the decision form: the form names the restriction shown.
    let mut form = form.unwrap_or_default();
    if let Some(r) = &active {
        form.restriction = r.id;
        form.restriction_version = r.version;
    }
    Ok(EndPage {
        ctx: user.page(),
        head,
        errors,
        form,
        active: active.map(|r| (r.what, long_date(r.review_on))),
    })
}

pub async fn end_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<EndPage> {
    end_page(&state, &user, &path, None, Problem::None).await
}

pub async fn end_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<EndForm>,
) -> AppResult<HttpResponse> {
    let reference = path.into_inner();
    let mut errors = FormErrors::new();
    let reason = required_text(
        &mut errors,
        "reason",
        &form.reason,
        REASON_MAX,
        "Enter why the restriction ends",
        "The reason",
    )
    .to_string();
    if !errors.is_empty() {
        let page = end_page(
            &state,
            &user,
            &reference,
            Some(form),
            Problem::Input(errors),
        )
        .await?;
        return render_form(&page, &page.errors);
    }
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let read = (form.restriction, form.restriction_version);
    let outcome = answer_as_director(
        &state,
        &user,
        &client,
        &reference,
        seen,
        read,
        Answer::End { reason },
        "Contact restriction ended",
    )
    .await?;
    match outcome {
        Outcome::Done { reference, message } => Ok(done(&session, &reference, &message)),
        failed => {
            let page = end_page(
                &state,
                &user,
                &reference,
                Some(form),
                Problem::Outcome(failed),
            )
            .await?;
            render_form(&page, &page.errors)
        }
    }
}

// ---- On the case page -------------------------------------------------------------------

/// What the case page shows about contact restrictions.
pub struct RestrictionPanel {
    /// The approved restriction: what is restricted, and until when it stands.
    pub active: Option<(String, String)>,
    /// A review date that has passed: the restriction stands until a director ends it.
    pub review_overdue: bool,
    /// The proposal waiting for a director: what, review date.
    pub pending: Option<(String, String)>,
    /// May this viewer propose one now (nothing proposed or in force)?
    pub may_propose: bool,
    /// May this viewer approve or decline the pending proposal?
    pub may_decide: bool,
    /// May this viewer end the restriction in force?
    pub may_end: bool,
}

/// The case page's restriction panel for `user`.
pub fn panel(
    conn: &mut crate::db::DbConnection,
    user: &CurrentUser,
    case: &crate::cases::load::LoadedCase,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<RestrictionPanel> {
    let live = restrictions::live_for(conn, case.row.id)?;
    let may = |who| super::allowed(user, case, who).is_ok();
    Ok(RestrictionPanel {
        active: live
            .as_ref()
            .filter(|r| r.is_approved())
            .map(|r| (r.what.clone(), long_date(r.review_on))),
        review_overdue: live
            .as_ref()
            .is_some_and(|r| r.is_approved() && r.review_on < today),
        pending: live
            .as_ref()
            .filter(|r| r.is_proposed())
            .map(|r| (r.what.clone(), long_date(r.review_on))),
        may_propose: live.is_none() && may(Who::OfficersOrAssignedManager),
        may_decide: live.as_ref().is_some_and(RestrictionRow::is_proposed) && may(Who::Director),
        may_end: live.as_ref().is_some_and(RestrictionRow::is_approved) && may(Who::Director),
    })
}
