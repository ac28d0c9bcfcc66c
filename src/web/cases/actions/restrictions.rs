//! Contact restrictions on a case: the proposal form (officers, or the manager the case is
//! assigned to) and the director's decision form (approve, or decline with a reason). Both
//! post the case version they showed; the decision also posts the proposal's id and version,
//! so a director never approves a proposal other than the one they read.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::load::LoadedCase;
use crate::cases::restrictions::{
    decide_answer, decide_propose, latest_review, review_date_problem, Answer, Proposal,
    REASON_MAX, WHAT_MAX,
};
use crate::db::restrictions::{self, RestrictionRow};
use crate::db::users;
use crate::domain::date_input::DateField;
use crate::web::cases::show::long_date;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Outcome, Problem, Seen, Who,
};

/// `value` trimmed; an error on `field` when it is empty (`missing`) or longer than `max`.
fn required_text<'a>(
    errors: &mut FieldErrors,
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
    pub errors: FieldErrors,
    pub form: ProposeForm,
    /// The review date's hint, naming the latest date allowed.
    pub review_hint: String,
    /// The case's restriction already proposed or in force, which stops another.
    pub live: Option<String>,
}

async fn propose_page(
    ctx: &CaseRequest,
    form: Option<ProposeForm>,
    problem: Problem,
) -> AppResult<ProposePage> {
    let clock = ctx.state.clock;
    let (case, live) = load_for(ctx, Who::OfficersOrAssignedManager, |conn, case| {
        if case.anonymised() {
            return Err(crate::web::error::AppError::NotNow(
                crate::cases::restrictions::ANONYMISED.into(),
            ));
        }
        Ok(restrictions::live_for(conn, case.row.id)?)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "what", |_| None);
    Ok(ProposePage {
        ctx: ctx.user.page(),
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

pub async fn propose_form(ctx: CaseRequest) -> AppResult<ProposePage> {
    propose_page(&ctx, None, Problem::None).await
}

fn read_proposal(form: &ProposeForm, today: chrono::NaiveDate) -> Result<Proposal, FieldErrors> {
    let mut errors = FieldErrors::new();
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
    ctx: CaseRequest,
    Form(form): Form<ProposeForm>,
) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let proposal = match read_proposal(&form, clock.today()) {
        Ok(p) => p,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| {
                propose_page(&ctx, Some(form), p)
            })
            .await;
        }
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let by = ctx.user.id;
    let links = ctx.state.links.clone();
    let outcome = perform(
        &ctx,
        Who::OfficersOrAssignedManager,
        seen,
        live_of,
        move |case, rules, live| {
            // The area's directors are emailed that it waits for them (issue 22).
            let now = clock.now_naive();
            decide_propose(case, by, proposal, live, rules, now)
                .map(|d| crate::cases::approvals::ask_for_restriction(d, case, by, links, now))
        },
        "Contact restriction proposed: a director must approve it before it applies",
    )
    .await?;
    finish(outcome, &ctx.session, |p| propose_page(&ctx, Some(form), p)).await
}

/// The case's restriction proposed or in force, read in the action's transaction.
fn live_of(
    conn: &mut crate::db::DbConnection,
    case: &LoadedCase,
) -> Result<Option<RestrictionRow>, crate::cases::transition::CaseError> {
    Ok(restrictions::live_for(conn, case.row.id)?)
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
    pub errors: FieldErrors,
    pub form: DecideForm,
    pub choices: Vec<Opt>,
    /// `None` when nothing is waiting for a decision.
    pub proposal: Option<ProposalView>,
}

async fn decide_page(
    ctx: &CaseRequest,
    form: Option<DecideForm>,
    problem: Problem,
) -> AppResult<DecidePage> {
    let (case, proposal) = load_for(ctx, Who::Director, |conn, case| {
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
        ctx: ctx.user.page(),
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

pub async fn decide_form(ctx: CaseRequest) -> AppResult<DecidePage> {
    decide_page(&ctx, None, Problem::None).await
}

fn read_answer(form: &DecideForm) -> Result<Answer, FieldErrors> {
    let mut errors = FieldErrors::new();
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
    ctx: CaseRequest,
    Form(form): Form<DecideForm>,
) -> AppResult<HttpResponse> {
    let answer = match read_answer(&form) {
        Ok(a) => a,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| decide_page(&ctx, Some(form), p)).await;
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
    let outcome = answer_as_director(&ctx, seen, read, answer, message).await?;
    finish(outcome, &ctx.session, |p| decide_page(&ctx, Some(form), p)).await
}

/// A director's answer (approve, decline or end) to the restriction they read (`read`: its
/// id and version), through the shared action flow.
async fn answer_as_director(
    ctx: &CaseRequest,
    seen: Seen,
    read: (i32, i32),
    answer: Answer,
    message: &'static str,
) -> AppResult<Outcome> {
    let clock = ctx.state.clock;
    let director = ctx.user.id;
    perform(
        ctx,
        Who::Director,
        seen,
        live_of,
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
    pub errors: FieldErrors,
    pub form: EndForm,
    /// The restriction in force: what, and its review date. `None` when there is none.
    pub active: Option<(String, String)>,
}

async fn end_page(
    ctx: &CaseRequest,
    form: Option<EndForm>,
    problem: Problem,
) -> AppResult<EndPage> {
    let (case, active) = load_for(ctx, Who::Director, |conn, case| {
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
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        active: active.map(|r| (r.what, long_date(r.review_on))),
    })
}

pub async fn end_form(ctx: CaseRequest) -> AppResult<EndPage> {
    end_page(&ctx, None, Problem::None).await
}

pub async fn end_submit(ctx: CaseRequest, Form(form): Form<EndForm>) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
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
        return reshow(Problem::Input(errors), |p| end_page(&ctx, Some(form), p)).await;
    }
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let read = (form.restriction, form.restriction_version);
    let outcome = answer_as_director(
        &ctx,
        seen,
        read,
        Answer::End { reason },
        "Contact restriction ended",
    )
    .await?;
    finish(outcome, &ctx.session, |p| end_page(&ctx, Some(form), p)).await
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
    // Nothing more is done on a case whose personal data has been removed.
    let may = |who| !case.anonymised() && crate::web::runner::allowed(user, case, who).is_ok();
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
