//! Triage form (officers).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::form_context::{complaint_summary, ComplaintSummary};
use crate::cases::triage::{self, TimeLimit, TriageCommand};
use crate::db::{categories, contractors};
use crate::domain::case::{ContactMethod, ExclusionReason, TriageDecision};
use crate::domain::date_input::DateField;
use crate::domain::{CategoryId, ContractorId, Refusal};
use crate::web::error::AppResult;
use crate::web::forms::{check_length, limits, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TriageForm {
    pub decision: String,
    pub referred_to: String,
    pub exclusion_reasons: Vec<String>,
    pub exclusion_explanation: String,
    pub decline_sent_day: String,
    pub decline_sent_month: String,
    pub decline_sent_year: String,
    pub decline_method: String,
    pub category_id: String,
    pub contractor_id: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/triage.html")]
pub struct TriagePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: TriageForm,
    pub decisions: Vec<Opt>,
    pub reasons: Vec<(Opt, &'static str)>,
    pub methods: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub contractors: Vec<Opt>,
    pub ask_category: bool,
    pub ask_contractor: bool,
    /// The complaint being triaged.
    pub complaint: ComplaintSummary,
    /// Beside "the problem happened too long ago": whether the policy's time limit is past.
    pub time_limit_hint: Option<String>,
}

mod filters {
    pub use crate::web::filters::*;
}

/// Where the case stands against the policy's time limit, in words.
fn time_limit_hint(limit: &TimeLimit) -> String {
    let date = |d: &chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    match limit {
        TimeLimit::Counted {
            months,
            from,
            from_awareness,
            ends,
            received,
        } => {
            let counted_from = if *from_awareness {
                "the resident became aware of it"
            } else {
                "it happened"
            };
            let verdict = if limit.passed() {
                "so this reason can apply"
            } else {
                "within the limit, so this reason does not apply"
            };
            format!(
                "Only if received after {} ({} after {counted_from} on {}). It was received on {}, {verdict}.",
                date(ends),
                crate::cases::page::timeline::plural(i64::from(*months), "month"),
                date(from),
                date(received),
            )
        }
        TimeLimit::NoLimit { .. } => "This policy sets no time limit.".into(),
        TimeLimit::OccurredUnknown => "The date it happened is not recorded.".into(),
        TimeLimit::Urgent => "Not for a health and safety or safeguarding complaint.".into(),
    }
}

struct Choices {
    has_stage0: bool,
    categories: Vec<Opt>,
    contractors: Vec<Opt>,
    complaint: ComplaintSummary,
    time_limit: Option<TimeLimit>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<TriageForm>,
    problem: Problem,
) -> AppResult<TriagePage> {
    let policies = ctx.state.policies.clone();
    let reader = ctx.user.reader(&ctx.client);
    let (case, choices) = load_for(ctx, CaseAction::Triage, move |conn, case| {
        let profile = policies.get(&case.row.policy);
        Ok(Choices {
            has_stage0: profile.is_some_and(|p| p.has_stage0()),
            complaint: complaint_summary(conn, &reader, case, "triage form")?,
            time_limit: profile.map(|p| triage::time_limit(p, &case.row)),
            categories: categories::list_active(conn)?
                .into_iter()
                .map(|c| Opt::new(c.id.to_string(), c.name))
                .collect(),
            contractors: contractors::list_active(conn)?
                .into_iter()
                .map(|c| Opt::new(c.id.to_string(), c.name))
                .collect(),
        })
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "decision", |r| match r {
        Refusal::ReferralTeamRequired => Some("referred-to"),
        Refusal::ExclusionReasonRequired
        | Refusal::TimeLimitNotForUrgent
        | Refusal::NoTimeLimit { .. }
        | Refusal::OccurredDateUnknown
        | Refusal::WithinTimeLimit { .. } => Some("exclusion-reasons"),
        Refusal::ExclusionExplanationRequired => Some("exclusion-explanation"),
        _ => None,
    });
    let mut decisions = vec![Opt::new("stage1", "Stage 1 complaint")];
    if choices.has_stage0 {
        decisions.push(Opt::new(
            "stage0",
            "Stage 0: informal, first point of contact",
        ));
    }
    decisions.extend([
        Opt::new(
            "service_request",
            "Service request: not a complaint, refer to a team",
        ),
        Opt::new(
            "excluded",
            "Excluded: decline to consider it as a complaint",
        ),
        Opt::new("compliment", "Compliment"),
        Opt::new("comment", "Comment"),
    ]);
    Ok(TriagePage {
        ctx: ctx.user.page(),
        errors,
        form: form.unwrap_or_default(),
        decisions,
        reasons: ExclusionReason::ALL
            .iter()
            .map(|r| (Opt::new(r.as_str(), r.label()), r.explanation()))
            .collect(),
        methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
        ask_category: case.row.category_id.is_none(),
        ask_contractor: case.row.contractor_id.is_none(),
        categories: choices.categories,
        contractors: choices.contractors,
        complaint: choices.complaint,
        time_limit_hint: choices.time_limit.as_ref().map(time_limit_hint),
        head,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<TriagePage> {
    page(&ctx, None, Problem::None).await
}

const DECLINE_SENT: DateField = DateField {
    id: "decline-sent",
    label: "Date the decline was sent",
    missing: "Enter the date the decline was sent",
};

pub async fn submit(ctx: CaseRequest, Form(form): Form<TriageForm>) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let today = clock.today();
    let mut errors = FieldErrors::new();
    let decision = match form.decision.as_str() {
        "stage1" => Some(TriageDecision::Stage1),
        "stage0" => Some(TriageDecision::Stage0),
        "service_request" => Some(TriageDecision::ServiceRequest {
            referred_to: form.referred_to.clone(),
        }),
        "compliment" => Some(TriageDecision::Compliment),
        "comment" => Some(TriageDecision::Comment),
        "excluded" => Some(TriageDecision::Excluded {
            reasons: form
                .exclusion_reasons
                .iter()
                .filter_map(|r| r.parse::<ExclusionReason>().ok())
                .collect(),
            explanation: form.exclusion_explanation.clone(),
        }),
        _ => {
            errors.add("decision", "Select what this contact is");
            None
        }
    };
    let mut decline_sent = None;
    if form.decision == "excluded" {
        let on = DECLINE_SENT.parse_not_future(
            &form.decline_sent_day,
            &form.decline_sent_month,
            &form.decline_sent_year,
            true,
            today,
        );
        let method = form.decline_method.parse::<ContactMethod>();
        match (on, method) {
            (Ok(Some(on)), Ok(method)) => decline_sent = Some((on, method)),
            (Err((field, message)), _) => errors.add(&field, message),
            (_, Err(_)) => errors.add("decline-method", "Select how the decline was sent"),
            (Ok(None), _) => errors.add("decline-sent-day", DECLINE_SENT.missing),
        }
    }
    check_length(
        &mut errors,
        "referred-to",
        "The team it was referred to",
        &form.referred_to,
        limits::LINE,
    );
    check_length(
        &mut errors,
        "exclusion-explanation",
        "The explanation",
        &form.exclusion_explanation,
        limits::LONG,
    );
    let category = form.category_id.parse::<i32>().ok().map(CategoryId);
    let contractor = form.contractor_id.parse::<i32>().ok().map(ContractorId);
    let (Some(decision), true) = (decision, errors.is_empty()) else {
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let command = TriageCommand {
        decision,
        category,
        contractor,
        decline_sent,
    };
    let outcome = run(&ctx, seen, command).await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}

/// Triages the case as `command` says, against the version the officer saw.
async fn run(
    ctx: &CaseRequest,
    seen: Seen,
    command: TriageCommand,
) -> AppResult<crate::web::runner::Outcome> {
    let officer = ctx.user.id;
    let (category, contractor) = (command.category, command.contractor);
    perform(
        ctx,
        CaseAction::Triage,
        seen,
        move |conn, _| triage::check_choices(conn, category, contractor),
        move |case, rules, ()| triage::decide(case, officer, rules, command),
        "Case triaged",
    )
    .await
}

/// Triage to stage 1 straight after logging, when the officer logging the complaint ticked
/// "Triage it now" (issue 21): the same gate, decision and audit as this form's, against the
/// case as just logged.
pub async fn stage1_now(ctx: &CaseRequest) -> AppResult<crate::web::runner::Outcome> {
    let (case, ()) = load_for(ctx, CaseAction::Triage, |_, _| Ok(())).await?;
    let head = ActionHead::of(&case);
    let seen = Seen {
        version: head.version,
        last_event: head.last_event,
    };
    let command = TriageCommand {
        decision: TriageDecision::Stage1,
        category: None,
        contractor: None,
        decline_sent: None,
    };
    run(ctx, seen, command).await
}
