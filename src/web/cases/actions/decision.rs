//! The stage decision: drafting (assigned manager), compensation approval (director),
//! sending (assigned manager) and recording compensation paid (officers).

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};

use super::{finish, load_for, perform, required_date, ActionHead, Problem, Request, Seen};
use crate::cases::access::Who;
use crate::cases::available::CaseAction;
use crate::cases::decide::{
    current_stage, decide_approval, decide_draft, decide_payment, decide_send, send_problems,
};
use crate::cases::transition::CaseError;
use crate::db::decisions::{self, Draft, NewAction, NewRemedy};
use crate::db::references::{self, Reference};
use crate::db::{complaint_points, users, DbConnection};
use crate::domain::case::{ContactMethod, Outcome, RemedyKind};
use crate::domain::date_input::DateField;
use crate::domain::{Money, Role, UserId};
use crate::rules::Stage;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, render_invalid, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub const REMEDY_ROWS: usize = 3;
pub const ACTION_ROWS: usize = 2;

/// The posted form as name → value; the draft form's fields are numbered per point and row.
pub struct Posted(HashMap<String, String>);

impl Posted {
    fn parse(body: &[u8]) -> Posted {
        Posted(crate::web::forms::clean_pairs(body).into_iter().collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|s| s.trim()).unwrap_or("")
    }

    fn int(&self, name: &str) -> i32 {
        self.get(name).parse().unwrap_or(0)
    }

    /// The version and newest event the form was shown with.
    fn seen(&self) -> Seen {
        Seen {
            version: self.int("version"),
            last_event: self.int("last_event"),
        }
    }
}

pub struct PointView {
    pub number: i32,
    pub text: String,
    pub finding: String,
    pub reasons: String,
}

/// One remedy or action row as typed.
pub struct RowView {
    pub i: usize,
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub due_day: String,
    pub due_month: String,
    pub due_year: String,
    pub amount: String,
}

impl RowView {
    fn of(form: &Posted, prefix: &str, i: usize) -> RowView {
        let f = |name: &str| form.get(&format!("{prefix}_{name}_{i}")).to_string();
        let due = |part: &str| form.get(&format!("{prefix}_due_{i}_{part}")).to_string();
        RowView {
            i,
            kind: f("kind"),
            description: f("description"),
            owner: f("owner"),
            due_day: due("day"),
            due_month: due("month"),
            due_year: due("year"),
            amount: f("amount"),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/decision.html")]
pub struct DraftPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub outcome: String,
    pub summary: String,
    pub lesson: String,
    pub points: Vec<PointView>,
    pub findings: Vec<Opt>,
    pub outcomes: Vec<Opt>,
    pub remedy_kinds: Vec<Opt>,
    pub staff: Vec<Opt>,
    pub remedies: Vec<RowView>,
    pub actions: Vec<RowView>,
    pub stage_two: Option<crate::cases::page::StageTwoContext>,
}

fn staff_options(conn: &mut DbConnection) -> Result<Vec<Opt>, AppError> {
    let mut staff = Vec::new();
    for role in [Role::Officer, Role::Manager, Role::Director] {
        for u in users::list_by_role(conn, role.as_str())? {
            staff.push(Opt::new(
                u.id.to_string(),
                format!("{} ({})", u.display_name, role.label()),
            ));
        }
    }
    Ok(staff)
}

/// The saved draft as form values, so redrafting starts from it.
fn saved_values(
    conn: &mut DbConnection,
    case: crate::domain::CaseId,
    stage: Stage,
) -> Result<HashMap<String, String>, AppError> {
    let mut values = HashMap::new();
    let Some(d) = decisions::find(conn, case, stage)? else {
        return Ok(values);
    };
    values.insert("outcome".into(), d.outcome.clone().unwrap_or_default());
    values.insert("summary".into(), d.summary.clone());
    for (n, finding, reasons) in decisions::findings_of(conn, d.id)? {
        values.insert(format!("finding_{n}"), finding);
        values.insert(format!("reasons_{n}"), reasons);
    }
    for (i, r) in decisions::remedies_of(conn, d.id)?
        .into_iter()
        .enumerate()
        .take(REMEDY_ROWS)
    {
        let i = i + 1;
        values.insert(format!("remedy_kind_{i}"), r.kind.as_str().to_string());
        values.insert(format!("remedy_description_{i}"), r.description);
        values.insert(
            format!("remedy_owner_{i}"),
            r.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        );
        if let Some(due) = r.due_on {
            values.insert(format!("remedy_due_{i}_day"), due.day().to_string());
            values.insert(format!("remedy_due_{i}_month"), due.month().to_string());
            values.insert(format!("remedy_due_{i}_year"), due.year().to_string());
        }
        if let Some(p) = r.amount_pence {
            values.insert(
                format!("remedy_amount_{i}"),
                Money::from_pence(p.into()).decimal(),
            );
        }
    }
    if let Some((lesson, actions)) = decisions::learning_of(conn, d.id)?.into_iter().next() {
        values.insert("lesson".into(), lesson);
        for (i, (_, _, description, owner, due, _)) in
            actions.into_iter().enumerate().take(ACTION_ROWS)
        {
            let i = i + 1;
            values.insert(format!("action_description_{i}"), description);
            values.insert(
                format!("action_owner_{i}"),
                owner.map(|o| o.to_string()).unwrap_or_default(),
            );
            if let Some(due) = due {
                values.insert(format!("action_due_{i}_day"), due.day().to_string());
                values.insert(format!("action_due_{i}_month"), due.month().to_string());
                values.insert(format!("action_due_{i}_year"), due.year().to_string());
            }
        }
    }
    Ok(values)
}

async fn draft_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<Posted>,
    problem: Problem,
) -> AppResult<DraftPage> {
    let (case, (points, staff, saved)) = load_for(
        state,
        user,
        reference,
        CaseAction::DraftDecision,
        |conn, case| {
            let stage = current_stage(case).map_err(|e| AppError::BadRequest(e.to_string()))?;
            let points = complaint_points::for_case(conn, case.row.id)?
                .into_iter()
                .filter(|(s, _, _)| *s == stage.key())
                .map(|(_, number, text)| (number, text))
                .collect::<Vec<_>>();
            Ok((
                points,
                staff_options(conn)?,
                saved_values(conn, case.row.id, stage)?,
            ))
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "outcome", |_| None);
    let form = form.unwrap_or(Posted(saved));
    Ok(DraftPage {
        ctx: user.page(),
        head,
        errors,
        outcome: form.get("outcome").to_string(),
        summary: form.get("summary").to_string(),
        lesson: form.get("lesson").to_string(),
        points: points
            .into_iter()
            .map(|(number, text)| PointView {
                number,
                text,
                finding: form.get(&format!("finding_{number}")).to_string(),
                reasons: form.get(&format!("reasons_{number}")).to_string(),
            })
            .collect(),
        findings: [Outcome::Upheld, Outcome::PartlyUpheld, Outcome::NotUpheld]
            .iter()
            .map(|o| Opt::new(o.as_str(), o.label()))
            .collect(),
        outcomes: Outcome::ALL
            .iter()
            .filter(|o| **o != Outcome::Withdrawn)
            .map(|o| Opt::new(o.as_str(), o.label()))
            .collect(),
        remedy_kinds: RemedyKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), k.label()))
            .collect(),
        staff,
        remedies: (1..=REMEDY_ROWS)
            .map(|i| RowView::of(&form, "remedy", i))
            .collect(),
        actions: (1..=ACTION_ROWS)
            .map(|i| RowView::of(&form, "action", i))
            .collect(),
        stage_two: super::super::stage_two::load(state, user, reference, "decision form").await?,
    })
}

pub async fn draft_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<DraftPage> {
    draft_page(&state, &user, &path, None, Problem::None).await
}

/// Pence as the database stores them (32-bit), from an amount as typed: "£1,234.50", "50".
fn pence(text: &str) -> Option<i32> {
    Money::parse(text)
        .ok()
        .and_then(|m| i32::try_from(m.pence()).ok())
}

fn optional_date(
    form: &Posted,
    id: &'static str,
    name: &str,
    label: &'static str,
    errors: &mut FormErrors,
) -> Option<NaiveDate> {
    let field = DateField {
        id,
        label,
        missing: "",
    };
    match field.parse(
        form.get(&format!("{name}_day")),
        form.get(&format!("{name}_month")),
        form.get(&format!("{name}_year")),
        false,
    ) {
        Ok(date) => date,
        Err((field, message)) => {
            errors.add(&field, message);
            None
        }
    }
}

const DUE_IDS: [&str; 3] = ["remedy-1-due", "remedy-2-due", "remedy-3-due"];
const ACTION_DUE_IDS: [&str; 2] = ["action-1-due", "action-2-due"];

/// Reads the draft, with a message per field problem.
fn read_draft(form: &Posted, points: &[i32], stage: Stage, by: UserId) -> (Draft, FormErrors) {
    let mut errors = FormErrors::new();
    let mut findings = Vec::new();
    for n in points {
        let finding = form.get(&format!("finding_{n}"));
        let reasons = form.get(&format!("reasons_{n}"));
        if finding.is_empty() && reasons.is_empty() {
            continue; // unanswered points are allowed in a draft; sending checks them
        }
        if finding.parse::<Outcome>().is_err() {
            errors.add(
                &format!("finding-{n}"),
                format!("Select a finding for complaint point {n}"),
            );
        }
        if reasons.is_empty() {
            errors.add(
                &format!("reasons-{n}"),
                format!("Enter the reasons for the finding on complaint point {n}"),
            );
        }
        check_length(
            &mut errors,
            &format!("reasons-{n}"),
            &format!("The reasons for complaint point {n}"),
            reasons,
            limits::LONG,
        );
        findings.push((*n, finding.to_string(), reasons.to_string()));
    }
    let outcome = match form.get("outcome") {
        "" => None,
        o if o.parse::<Outcome>().is_ok_and(|o| o != Outcome::Withdrawn) => Some(o.to_string()),
        _ => {
            errors.add("outcome", "Select the overall outcome");
            None
        }
    };
    let mut remedies = Vec::new();
    for i in 1..=REMEDY_ROWS {
        let kind = form.get(&format!("remedy_kind_{i}"));
        let description = form.get(&format!("remedy_description_{i}"));
        let amount = form.get(&format!("remedy_amount_{i}"));
        if kind.is_empty() && description.is_empty() && amount.is_empty() {
            continue;
        }
        let known_kind = kind.parse::<RemedyKind>().ok();
        if known_kind.is_none() {
            errors.add(
                &format!("remedy-{i}-kind"),
                format!("Select the kind of remedy {i}"),
            );
        }
        if description.is_empty() {
            errors.add(
                &format!("remedy-{i}-description"),
                format!("Describe remedy {i}"),
            );
        }
        check_length(
            &mut errors,
            &format!("remedy-{i}-description"),
            &format!("Remedy {i}"),
            description,
            limits::LONG,
        );
        let amount_pence = if amount.is_empty() {
            None
        } else {
            match pence(amount) {
                Some(p) => Some(p),
                None => {
                    errors.add(
                        &format!("remedy-{i}-amount"),
                        "Enter an amount in pounds, like 50 or 125.50",
                    );
                    None
                }
            }
        };
        if known_kind == Some(RemedyKind::Compensation)
            && amount_pence.unwrap_or(0) == 0
            && !errors.has(&format!("remedy-{i}-amount"))
        {
            errors.add(
                &format!("remedy-{i}-amount"),
                "Enter the amount of compensation",
            );
        }
        let due_on = optional_date(
            form,
            DUE_IDS[i - 1],
            &format!("remedy_due_{i}"),
            "The due date",
            &mut errors,
        );
        // A row of unknown kind is already an error, so the draft is not saved.
        let Some(kind) = known_kind else { continue };
        remedies.push(NewRemedy {
            kind,
            description: description.to_string(),
            owner_id: form
                .get(&format!("remedy_owner_{i}"))
                .parse()
                .ok()
                .map(UserId),
            due_on,
            amount_pence,
        });
    }
    let lesson = Some(form.get("lesson").to_string()).filter(|l| !l.is_empty());
    check_length(
        &mut errors,
        "lesson",
        "The lesson learned",
        form.get("lesson"),
        limits::LONG,
    );
    check_length(
        &mut errors,
        "summary",
        "The summary",
        form.get("summary"),
        limits::LONG,
    );
    let mut actions = Vec::new();
    for i in 1..=ACTION_ROWS {
        let description = form.get(&format!("action_description_{i}"));
        if description.is_empty() {
            continue;
        }
        check_length(
            &mut errors,
            &format!("action-{i}-description"),
            &format!("Improvement action {i}"),
            description,
            limits::LONG,
        );
        if lesson.is_none() {
            errors.add(
                "lesson",
                "Enter the lesson learned that the improvement actions follow from",
            );
        }
        actions.push(NewAction {
            description: description.to_string(),
            owner_id: form
                .get(&format!("action_owner_{i}"))
                .parse()
                .ok()
                .map(UserId),
            due_on: optional_date(
                form,
                ACTION_DUE_IDS[i - 1],
                &format!("action_due_{i}"),
                "The due date",
                &mut errors,
            ),
        });
    }
    (
        Draft {
            stage,
            outcome,
            summary: form.get("summary").to_string(),
            findings,
            remedies,
            lesson,
            actions,
            drafted_by: by,
        },
        errors,
    )
}

/// The owner selects of the remedy and action rows in use, by the id each error goes beside.
fn chosen_owners(form: &Posted) -> Vec<(String, Option<Reference>)> {
    let rows = (1..=REMEDY_ROWS)
        .filter(|i| !form.get(&format!("remedy_kind_{i}")).is_empty())
        .map(|i| ("remedy", i));
    let actions = (1..=ACTION_ROWS)
        .filter(|i| !form.get(&format!("action_description_{i}")).is_empty())
        .map(|i| ("action", i));
    rows.chain(actions)
        .map(|(prefix, i)| {
            let owner = form.get(&format!("{prefix}_owner_{i}")).parse().ok();
            (
                format!("{prefix}-{i}-owner"),
                owner.map(|id| Reference::User(UserId(id))),
            )
        })
        .collect()
}

pub async fn draft_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let form = Posted::parse(&body);
    let (case, stage_points) = load_for(
        &state,
        &user,
        &path,
        CaseAction::DraftDecision,
        |conn, case| {
            let stage = current_stage(case).map_err(|e| AppError::BadRequest(e.to_string()))?;
            let points: Vec<i32> = complaint_points::for_case(conn, case.row.id)?
                .into_iter()
                .filter(|(s, _, _)| *s == stage.key())
                .map(|(_, n, _)| n)
                .collect();
            Ok((stage, points))
        },
    )
    .await?;
    let (stage, points) = stage_points;
    let (draft, errors) = read_draft(&form, &points, stage, user.id);
    if !errors.is_empty() {
        return render_invalid(
            &draft_page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    }
    let seen = form.seen();
    let _ = case;
    let owners = chosen_owners(&form);
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::DraftDecision.into(),
            seen,
        },
        move |conn| references::require_known(conn, &owners),
        move |case, rules, ()| decide_draft(case, draft, rules, clock.now_naive()),
        "Decision saved",
    )
    .await?;
    finish(outcome, &session, |failed| {
        draft_page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/send.html")]
pub struct SendPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: Posted,
    pub problems: Vec<String>,
    pub methods: Vec<Opt>,
}

async fn send_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<Posted>,
    problem: Problem,
) -> AppResult<SendPage> {
    let clock = state.clock;
    let (case, problems) = load_for(
        state,
        user,
        reference,
        CaseAction::SendDecision,
        |conn, case| {
            let stage = current_stage(case).map_err(|e| AppError::BadRequest(e.to_string()))?;
            send_problems(conn, case, stage).map_err(|e| AppError::Internal(e.into()))
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let today = clock.today();
    let errors = problem.into_errors(&mut head, "sent-day", |_| None);
    let defaults: HashMap<String, String> = [
        ("sent_day", today.day().to_string()),
        ("sent_month", today.month().to_string()),
        ("sent_year", today.year().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(SendPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or(Posted(defaults)),
        problems,
        methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
    })
}

pub async fn send_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<SendPage> {
    send_page(&state, &user, &path, None, Problem::None).await
}

const SENT: DateField = DateField {
    id: "sent",
    label: "The date the decision was sent",
    missing: "Enter the date the decision was sent",
};

pub async fn send_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let form = Posted::parse(&body);
    let mut errors = FormErrors::new();
    let on = required_date(
        clock.today(),
        &SENT,
        (
            form.get("sent_day"),
            form.get("sent_month"),
            form.get("sent_year"),
        ),
        &mut errors,
    );
    let method = form.get("method").parse::<ContactMethod>().ok();
    if method.is_none() {
        errors.add("method", "Select how the decision was sent");
    }
    let (Some(on), Some(method), true) = (on, method, errors.is_empty()) else {
        return render_invalid(
            &send_page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let seen = form.seen();
    let reference = path.to_string();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::SendDecision.into(),
            seen,
        },
        move |conn| {
            let case =
                crate::cases::load::by_reference(conn, &reference)?.ok_or(CaseError::NotFound)?;
            let stage = current_stage(&case)?;
            let problems = send_problems(conn, &case, stage)?;
            if let Some(first) = problems.first() {
                return Err(CaseError::Invalid(first.clone()));
            }
            decisions::find(conn, case.row.id, stage)?.ok_or(CaseError::NotFound)
        },
        move |case, rules, decision| {
            decide_send(case, decision, on, method, rules, clock.now_naive())
        },
        "Decision sent: the stage is closed",
    )
    .await?;
    finish(outcome, &session, |failed| {
        send_page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}

/// A director approves the compensation offered (from the case page).
pub async fn approve(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let form = Posted::parse(&body);
    let seen = form.seen();
    let reference = path.to_string();
    let director = user.id;
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: Who::Director.into(),
            seen,
        },
        move |conn| {
            let case =
                crate::cases::load::by_reference(conn, &reference)?.ok_or(CaseError::NotFound)?;
            let stage = current_stage(&case)?;
            decisions::find(conn, case.row.id, stage)?
                .ok_or_else(|| CaseError::Invalid("There is no decision to approve".into()))
        },
        move |case, rules, decision| {
            decide_approval(case, director, decision, rules, clock.now_naive())
        },
        "Compensation approved",
    )
    .await?;
    match outcome {
        super::Outcome::Done { reference, message } => {
            Ok(super::done(&session, &reference, &message))
        }
        super::Outcome::Refused { message, .. } => Err(AppError::BadRequest(message)),
        super::Outcome::Stale(_) => Err(AppError::Conflict(
            "The case changed before your approval was saved".into(),
        )),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/paid.html")]
pub struct PaidPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: Posted,
}

async fn paid_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<Posted>,
    problem: Problem,
) -> AppResult<PaidPage> {
    let (case, ()) = load_for(
        state,
        user,
        reference,
        CaseAction::RecordCompensationPaid,
        |_, _| Ok(()),
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "amount", |_| None);
    Ok(PaidPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or(Posted(HashMap::new())),
    })
}

pub async fn paid_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<PaidPage> {
    paid_page(&state, &user, &path, None, Problem::None).await
}

const PAID: DateField = DateField {
    id: "paid",
    label: "The date it was paid",
    missing: "Enter the date the compensation was paid",
};

pub async fn paid_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let form = Posted::parse(&body);
    let mut errors = FormErrors::new();
    let amount = pence(form.get("amount")).filter(|p| *p > 0);
    if amount.is_none() {
        errors.add(
            "amount",
            "Enter the amount paid in pounds, like 50 or 125.50",
        );
    }
    let on = required_date(
        clock.today(),
        &PAID,
        (
            form.get("paid_day"),
            form.get("paid_month"),
            form.get("paid_year"),
        ),
        &mut errors,
    );
    let (Some(amount), Some(on), true) = (amount, on, errors.is_empty()) else {
        return render_invalid(
            &paid_page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let seen = form.seen();
    let officer = user.id;
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::RecordCompensationPaid.into(),
            seen,
        },
        |_| Ok(()),
        move |case, _rules, ()| Ok(decide_payment(case, amount, on, officer, clock.now_naive())),
        "Compensation payment recorded",
    )
    .await?;
    finish(outcome, &session, |failed| {
        paid_page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::pence;

    #[test]
    fn amounts_in_pounds_become_pence() {
        assert_eq!(pence("50"), Some(5000));
        assert_eq!(pence("£1,250.5"), Some(125_050));
        assert_eq!(pence("0.99"), Some(99));
        assert_eq!(pence("12.345"), None);
        assert_eq!(pence("-5"), None);
        assert_eq!(pence("abc"), None);
    }
}
