//! "Record a letter sent elsewhere" on a clock-stopping step (acknowledgement, response):
//! GET shows the form — the date, how it went (only the ways the case's policy allows), the
//! copy kept (typed text or note of the call, and/or an uploaded file) and, for an
//! acknowledgement, the complaint definition; POST takes it as `multipart/form-data` (the
//! browser's form, with a file; its CSRF token rides in the action URL, see `web::csrf`) or
//! url-encoded (typed copy only), and records it through `letters::elsewhere`. The file goes
//! through the evidence upload's checks and is removed again if the record is refused.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::edit::{after_sending, on_letter, refused};
use crate::attachments::store;
use crate::cases::acknowledge::{point_lines, MAX_POINTS, POINT_MAX};
use crate::cases::decide;
use crate::cases::transition::{ActingUser, CaseError, Rules};
use crate::domain::case::ContactMethod;
use crate::domain::date_input::DateField;
use crate::letters::elsewhere::{self, ElsewhereCommand, ElsewhereError, KeptFile, COPY_MAX};
use crate::letters::kind::Records;
use crate::letters::view::{default_details, Details};
use crate::letters::LetterKind;
use crate::web::cases::actions::assign::after_acknowledging;
use crate::web::cases::actions::required_date;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_with, FieldErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::perform::changes_since;
use crate::web::runner::{ActionHead, CaseRequest, Outcome, Problem, STALE_MESSAGE};
use crate::web::uploads;

/// The file field of the form.
const FILE_FIELD: &str = "copy_file";
/// The longest text field read from a multipart form, in bytes.
const FIELD_MAX_BYTES: usize = 128 * 1024;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ElsewhereForm {
    pub sent_day: String,
    pub sent_month: String,
    pub sent_year: String,
    pub method: String,
    pub copy_text: String,
    /// Acknowledgement: one complaint point per line.
    pub points: String,
    pub outcome_sought: String,
    /// Acknowledgement on the case page: the investigator to assign the case to once it is
    /// recorded (issue 21), unless "Record without assigning" was pressed.
    pub service_area: String,
    pub manager: String,
    pub assign_later: String,
    pub version: i32,
    pub last_event: i32,
}

impl ElsewhereForm {
    /// The area and person to assign the case to once the acknowledgement is recorded.
    pub fn assign_next(&self) -> Option<(String, String)> {
        (!self.manager.is_empty() && self.assign_later.is_empty())
            .then(|| (self.service_area.clone(), self.manager.clone()))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/elsewhere.html")]
pub struct ElsewherePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: ElsewhereForm,
    pub kind_key: &'static str,
    /// "Stage 1 acknowledgement".
    pub kind_label: &'static str,
    pub acknowledgement: bool,
    pub methods: Vec<Opt>,
    /// What the policy allows, in words ("A stage 1 response is in writing: letter or email").
    pub methods_hint: String,
    pub phone_allowed: bool,
    /// Why a response cannot be recorded yet (the decision is incomplete).
    pub problems: Vec<String>,
    pub max_upload: String,
}

fn parse_kind(raw: &str) -> Result<LetterKind, AppError> {
    let kind: LetterKind = raw.parse().map_err(|_| AppError::NotFound)?;
    // Only the steps that are completed by reaching the resident have this form.
    if !elsewhere::recordable(kind) {
        return Err(AppError::NotFound);
    }
    Ok(kind)
}

async fn show(
    ctx: &CaseRequest,
    kind: LetterKind,
    typed: Option<ElsewhereForm>,
    problem: Problem,
) -> AppResult<HttpResponse> {
    let status = problem.status();
    let (app, user) = (ctx.state.get_ref().clone(), ctx.user.clone());
    let today = app.clock.today();
    let max_upload = crate::attachments::human_size(app.settings.storage.max_upload_bytes);
    let page = on_letter(ctx, kind, move |conn, case| {
        let form = match typed {
            Some(form) => form,
            None => {
                let details = default_details(conn, case, kind)?;
                ElsewhereForm {
                    sent_day: today.day().to_string(),
                    sent_month: today.month().to_string(),
                    sent_year: today.year().to_string(),
                    points: details.points,
                    outcome_sought: details.outcome_sought,
                    ..ElsewhereForm::default()
                }
            }
        };
        let problems = match (kind.records(), decide::current_stage(case)) {
            (Records::Response, Ok(stage)) => decide::send_problems(conn, case, stage)
                .map_err(|e| AppError::Internal(e.into()))?,
            _ => Vec::new(),
        };
        let allowed = elsewhere::methods(&app.policies, &case.row.policy, case.state.stage, kind);
        let mut head = ActionHead::of(case);
        let errors = problem.into_errors(&mut head, "sent-day", |_| None);
        let mut form = form;
        form.version = head.version;
        form.last_event = head.last_event;
        let words: Vec<String> = allowed.iter().map(|m| m.label().to_lowercase()).collect();
        let phone_allowed = allowed.contains(&ContactMethod::Phone);
        let methods_hint = if phone_allowed {
            format!("The policy allows: {}.", words.join(", "))
        } else {
            format!(
                "A {} is in writing: {}.",
                kind.label().to_lowercase(),
                words.join(" or ")
            )
        };
        Ok(ElsewherePage {
            ctx: user.page(),
            head,
            errors,
            form,
            kind_key: kind.as_str(),
            kind_label: kind.label(),
            acknowledgement: kind.records() == Records::Acknowledgement,
            methods: allowed
                .iter()
                .map(|m| Opt::new(m.as_str(), m.label()))
                .collect(),
            methods_hint,
            phone_allowed,
            problems,
            max_upload,
        })
    })
    .await?;
    match page {
        Ok(page) => render_with(status, &page),
        Err(why) => refused(&ctx.user, &ctx.reference, why),
    }
}

pub async fn form(ctx: CaseRequest, path: web::Path<(String, String)>) -> AppResult<HttpResponse> {
    let kind = parse_kind(&path.1)?;
    show(&ctx, kind, None, Problem::None).await
}

const SENT: DateField = DateField {
    id: "sent",
    label: "The date it was sent",
    missing: "Enter the date it was sent",
};

/// What the form brought: the fields, and the file kept (or why it was refused).
struct Submitted {
    form: ElsewhereForm,
    file: Option<Result<KeptFile, String>>,
}

pub async fn submit(
    ctx: CaseRequest,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let kind = parse_kind(&path.1)?;
    // Who may record it is settled before a byte of a file is read.
    if let Err(why) = on_letter(&ctx, kind, |_, _| Ok(())).await? {
        return refused(&ctx.user, &ctx.reference, why);
    }
    let Submitted { form, file } = read(&ctx, &request, payload).await?;
    let kept = match file {
        Some(Ok(file)) => Some(file),
        Some(Err(message)) => {
            let mut errors = FieldErrors::new();
            errors.add("copy-file", message);
            return show(&ctx, kind, Some(form), Problem::Input(errors)).await;
        }
        None => None,
    };
    let key = kept.as_ref().map(|k| k.stored.storage_key.clone());
    let response = record(&ctx, kind, form, kept).await;
    // A file kept for a record that was refused is not kept.
    let recorded = matches!(&response, Ok(r) if r.status().is_redirection());
    if let (false, Some(key)) = (recorded, key) {
        let data_dir = ctx.state.settings.storage.data_dir.clone();
        let _ = web::block(move || store::remove(&data_dir, &key)).await;
    }
    response
}

/// Checks the input, then records the letter.
async fn record(
    ctx: &CaseRequest,
    kind: LetterKind,
    form: ElsewhereForm,
    file: Option<KeptFile>,
) -> AppResult<HttpResponse> {
    let today = ctx.state.clock.today();
    let mut errors = FieldErrors::new();
    let (on, method, details) = check(&form, kind, today, &mut errors);
    let (Some(on), Some(method), true) = (on, method, errors.is_empty()) else {
        return show(ctx, kind, Some(form), Problem::Input(errors)).await;
    };
    let command = ElsewhereCommand {
        kind,
        on,
        method,
        copy_text: form.copy_text.clone(),
        copy_file: file,
        details,
        seen_case_version: form.version,
    };
    let last_event = form.last_event;
    let app = ctx.state.get_ref().clone();
    let (user, ip) = (ctx.user.clone(), ctx.client.0.clone());
    let ended = on_letter(ctx, kind, move |conn, case| {
        let clock = app.clock;
        let rules = Rules {
            calendar: &app.calendar,
            policies: &app.policies,
            today: clock.today(),
            now: clock.now_naive(),
        };
        let label = user.audit_label();
        let actor = ActingUser {
            id: user.id,
            label: &label,
            ip: Some(&ip),
        };
        Ok(
            match elsewhere::record(conn, case, command, &actor, &rules, clock.now_naive()) {
                Ok(_) => Ok(Outcome::Done {
                    reference: case.row.reference.clone(),
                    message: format!("{} recorded as sent", kind.label()),
                }),
                Err(ElsewhereError::Field(field, message)) => {
                    let mut errors = FieldErrors::new();
                    errors.add(field, message);
                    Err(errors)
                }
                Err(ElsewhereError::Case(CaseError::Stale)) => Ok(Outcome::Stale {
                    message: STALE_MESSAGE,
                    changes: changes_since(conn, case.row.id, last_event)?,
                }),
                Err(ElsewhereError::Case(CaseError::Deadlines(e))) => Ok(Outcome::Refused {
                    message: format!(
                        "The deadlines for this case could not be worked out, so nothing has been recorded: {e}"
                    ),
                    refusal: None,
                }),
                Err(ElsewhereError::Case(e)) => Ok(Outcome::from_error(e)?),
            },
        )
    })
    .await?;
    match ended {
        Err(why) => refused(&ctx.user, &ctx.reference, why),
        Ok(Ok(Outcome::Done { reference, message })) => match form.assign_next() {
            Some((area, manager)) if kind.records() == Records::Acknowledgement => {
                after_acknowledging(ctx, area, manager, &message).await
            }
            _ => after_sending(ctx, kind, &reference, &message).await,
        },
        Ok(Ok(failed)) => show(ctx, kind, Some(form), Problem::Outcome(failed)).await,
        Ok(Err(errors)) => show(ctx, kind, Some(form), Problem::Input(errors)).await,
    }
}

/// The date, method and (acknowledgement) complaint definition as typed; problems go into
/// `errors` beside their fields.
fn check(
    form: &ElsewhereForm,
    kind: LetterKind,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> (Option<NaiveDate>, Option<ContactMethod>, Details) {
    let on = required_date(
        today,
        &SENT,
        (&form.sent_day, &form.sent_month, &form.sent_year),
        errors,
    );
    let method = form.method.trim().parse::<ContactMethod>().ok();
    if method.is_none() {
        errors.add("method", "Select how it was sent");
    }
    if form.copy_text.chars().count() > COPY_MAX {
        errors.add(
            "copy-text",
            "The copy must be 20,000 characters or fewer: upload it as a file instead",
        );
    }
    let mut details = Details::default();
    if kind.records() == Records::Acknowledgement {
        let points = point_lines(&form.points);
        if points.is_empty() {
            errors.add("points", "Enter the complaint points, one per line");
        } else if points.len() > MAX_POINTS {
            errors.add(
                "points",
                format!("Enter {MAX_POINTS} complaint points or fewer"),
            );
        } else if points.iter().any(|p| p.chars().count() > POINT_MAX) {
            errors.add(
                "points",
                "Each complaint point must be 1,000 characters or fewer",
            );
        }
        if form.outcome_sought.chars().count() > 2_000 {
            errors.add(
                "outcome-sought",
                "Outcome sought must be 2,000 characters or fewer",
            );
        }
        details.points = form.points.trim().to_string();
        details.outcome_sought = form.outcome_sought.trim().to_string();
    }
    (on, method, details)
}

/// Reads the form: multipart (fields, and the file streamed to storage through the upload's
/// checks) or url-encoded.
async fn read(
    ctx: &CaseRequest,
    request: &HttpRequest,
    payload: web::Payload,
) -> AppResult<Submitted> {
    let data_dir = ctx.state.settings.storage.data_dir.clone();
    let limit = ctx.state.settings.storage.max_upload_bytes;
    let limits = uploads::Limits {
        field: FIELD_MAX_BYTES,
        total: 4 * FIELD_MAX_BYTES,
    };
    let posted = uploads::read(request, payload, &data_dir, limit, limits, |name| {
        name == FILE_FIELD
    })
    .await?;
    let form = match posted.parse() {
        Ok(form) => form,
        Err(e) => {
            uploads::discard(data_dir, posted.kept()).await;
            return Err(e);
        }
    };
    Ok(Submitted {
        form,
        file: posted.files.into_iter().next().map(|(_, file)| file),
    })
}
