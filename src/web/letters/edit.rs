//! The draft editor: GET shows the stored draft (or a new one filled from the case) with a
//! preview and what the content check still misses; POST parses, then saves
//! (`letters::drafts`), previews or sends (`letters::send`), ending through the shared
//! runner: input to correct is a 400; a stale save or send a 409 with the typed values kept,
//! what changed listed and nothing overwritten; a letter already sent is frozen and refused
//! with 409.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::who_for;
use crate::cases::identity::{self, Reader};
use crate::cases::investigate::EXTENSION_REASONS;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{ActingUser, CaseError, Rules};
use crate::db::DbConnection;
use crate::domain::case::ExclusionReason;
use crate::letters::drafts::{self, DraftSave, NotOwed, SaveError};
use crate::letters::kind::Records;
use crate::letters::send::{self, SendCommand, SendError};
use crate::letters::view::{Context, Details};
use crate::letters::{LetterKind, Recipient};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, render_with, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::perform::changes_since;
use crate::web::runner::{
    done, load_for, ActionHead, CaseRequest, Outcome, Problem, STALE_MESSAGE,
};
use crate::web::state::AppState;

/// The longest body a letter may have.
const BODY_MAX: usize = 10_000;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LetterForm {
    pub body: String,
    pub points: String,
    pub outcome_sought: String,
    pub extension_length: String,
    pub extension_reason: String,
    pub extension_reason_other: String,
    pub exclusion_reasons: Vec<String>,
    pub exclusion_explanation: String,
    /// Progress update: what has happened since the last update.
    pub progress_news: String,
    /// `save`, `preview` or `send`.
    pub action: String,
    pub version: i32,
    pub last_event: i32,
    pub letter_version: i32,
}

impl LetterForm {
    fn from_stored(body: String, details: &Details, letter_version: i32) -> LetterForm {
        let (reason, other) = match EXTENSION_REASONS
            .iter()
            .find(|(_, label)| *label == details.extension_reason)
        {
            Some((key, _)) => (key.to_string(), String::new()),
            None if details.extension_reason.is_empty() => (String::new(), String::new()),
            None => ("other".to_string(), details.extension_reason.clone()),
        };
        LetterForm {
            body,
            points: details.points.clone(),
            outcome_sought: details.outcome_sought.clone(),
            extension_length: details
                .extension_length
                .map(|n| n.to_string())
                .unwrap_or_default(),
            extension_reason: reason,
            extension_reason_other: other,
            exclusion_reasons: details.exclusion_reasons.clone(),
            exclusion_explanation: details.exclusion_explanation.clone(),
            progress_news: details.progress_news.clone(),
            letter_version,
            ..LetterForm::default()
        }
    }

    /// The details as typed; input problems go into `errors` beside their fields.
    fn details(&self, kind: LetterKind, errors: &mut FieldErrors) -> Details {
        let mut d = Details::default();
        match kind.records() {
            Records::Acknowledgement => {
                d.points = self.points.trim().to_string();
                d.outcome_sought = self.outcome_sought.trim().to_string();
                if d.outcome_sought.chars().count() > 2_000 {
                    errors.add(
                        "outcome-sought",
                        "Outcome sought must be 2,000 characters or fewer",
                    );
                }
            }
            Records::ExtensionNotified => {
                let length = self.extension_length.trim();
                if !length.is_empty() {
                    match length.parse::<u32>() {
                        Ok(n) if (1..=365).contains(&n) => d.extension_length = Some(n),
                        _ => errors.add(
                            "extension-length",
                            "Enter the extension as a whole number of days, like 10",
                        ),
                    }
                }
                check_length(
                    errors,
                    "extension-reason-detail",
                    "The reason",
                    &self.extension_reason_other,
                    limits::LINE,
                );
                d.extension_reason = match self.extension_reason.as_str() {
                    "other" => self.extension_reason_other.trim().to_string(),
                    key => EXTENSION_REASONS
                        .iter()
                        .find(|(v, _)| *v == key)
                        .map(|(_, label)| label.to_string())
                        .unwrap_or_default(),
                };
            }
            Records::Decline | Records::Notice => {
                d.progress_news = self.progress_news.trim().to_string();
                check_length(
                    errors,
                    "progress-news",
                    "What has happened",
                    &d.progress_news,
                    limits::LONG,
                );
                d.exclusion_reasons = self
                    .exclusion_reasons
                    .iter()
                    .filter(|r| r.parse::<ExclusionReason>().is_ok())
                    .cloned()
                    .collect();
                d.exclusion_explanation = self.exclusion_explanation.trim().to_string();
                check_length(
                    errors,
                    "exclusion-explanation",
                    "The explanation",
                    &d.exclusion_explanation,
                    limits::LONG,
                );
            }
            Records::Response | Records::RestrictionNotice => {}
        }
        if self.body.chars().count() > BODY_MAX {
            errors.add("body", "The letter must be 10,000 characters or fewer");
        }
        d
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/edit.html")]
pub struct EditPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: LetterForm,
    pub kind_key: &'static str,
    pub kind_label: &'static str,
    pub records: &'static str,
    /// The rendered letter (askama-escaped HTML), as it would be sent now.
    pub preview: String,
    /// What the content check still misses: each stops the letter being sent.
    pub missing: Vec<String>,
    /// What it found that does not stop sending.
    pub warnings: Vec<String>,
    pub recipient: Recipient,
    pub channel_label: &'static str,
    pub extension_reasons: Vec<Opt>,
    pub exclusion_reasons: Vec<Opt>,
    pub extension_unit: &'static str,
    /// "Draft saved" and the like.
    pub notice: Option<String>,
    /// The complainant is confidential and the user is not an officer: they draft, an
    /// officer adds the address and sends.
    pub officer_sends: bool,
    pub stage_two: Option<crate::cases::page::StageTwoContext>,
    /// The letter completes a step that may also be recorded as sent outside Redress.
    pub sent_elsewhere: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/refused.html")]
pub struct RefusedPage {
    pub ctx: PageCtx,
    pub reference: String,
    pub title: String,
    pub message: String,
}

fn parse_kind(raw: &str) -> Result<LetterKind, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

const LETTER_CHANGED: &str = "This letter was changed by someone else after you opened it. Nothing has been saved. Your text is below: compare it with the saved draft (open the letter again in a new tab), then save again";
const LETTER_CHANGED_UNSENT: &str = "This letter was changed by someone else after you opened it. Nothing has been sent. Check the letter below, then send again";

/// Where the case team goes once a letter has been sent or recorded as sent elsewhere: after
/// an acknowledgement, on to assigning an investigator when the case has none and the user
/// may assign it (the task list's next step, one page fewer); otherwise the case page.
pub(super) async fn after_sending(
    ctx: &CaseRequest,
    kind: LetterKind,
    reference: &str,
    message: &str,
) -> AppResult<HttpResponse> {
    if kind.records() == Records::Acknowledgement {
        let user = ctx.user.clone();
        let found = reference.to_string();
        let assign_next = ctx
            .state
            .db(move |conn| {
                Ok::<_, AppError>(crate::cases::load::by_reference(conn, &found)?.is_some_and(
                    |case| {
                        case.state.assigned_manager.is_none()
                            && crate::web::runner::allowed(
                                &user,
                                &case,
                                crate::cases::available::CaseAction::Assign,
                            )
                            .is_ok()
                    },
                ))
            })
            .await?;
        if assign_next {
            crate::web::session::set_flash(
                &ctx.session,
                &format!("{message}: now assign an investigator"),
            );
            return Ok(crate::web::responses::see_other(&format!(
                "/cases/{reference}/assign"
            )));
        }
    }
    Ok(done(&ctx.session, reference, message))
}

/// A letter that is not owed: 409, with why.
pub(super) fn refused(
    user: &CurrentUser,
    reference: &str,
    why: NotOwed,
) -> AppResult<HttpResponse> {
    let page = RefusedPage {
        ctx: user.page(),
        reference: reference.to_string(),
        title: why.title,
        message: why.message,
    };
    render_with(StatusCode::CONFLICT, &page)
}

/// Loads the case for the letter of `kind`, checks the user may write it and that it is
/// owed, then runs `work` on the same connection.
pub(super) async fn on_letter<T, F>(
    ctx: &CaseRequest,
    kind: LetterKind,
    work: F,
) -> AppResult<Result<T, NotOwed>>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &LoadedCase) -> Result<T, AppError> + Send + 'static,
{
    let today = ctx.state.clock.today();
    let (_, result) = load_for(
        ctx,
        who_for(kind),
        move |conn, case| match drafts::not_owed(conn, case, kind, today)? {
            Some(why) => Ok(Err(why)),
            None => work(conn, case).map(Ok),
        },
    )
    .await?;
    Ok(result)
}

/// The editor: the stored draft (or a new one), or what was typed, with `problem` on it;
/// 200, 400 or 409 as the problem calls for, or the 409 page when the letter is not owed.
async fn show(
    ctx: &CaseRequest,
    kind: LetterKind,
    typed: Option<LetterForm>,
    problem: Problem,
    notice: Option<String>,
) -> AppResult<HttpResponse> {
    let status = problem.status();
    let app = ctx.state.get_ref().clone();
    let (user, reader) = (ctx.user.clone(), ctx.user.reader(&ctx.client));
    let page = on_letter(ctx, kind, move |conn, case| {
        let mut typed = typed;
        // After a stale save, what they typed is kept but against the stored version, so
        // a second save is a deliberate overwrite of what they have now seen.
        if let (Some(form), Problem::Outcome(Outcome::Stale { .. })) = (&mut typed, &problem) {
            form.letter_version = drafts::stored_version(conn, case, kind)?;
        }
        let shown = Shown {
            typed,
            problem,
            notice,
        };
        build_page(conn, &app, (&user, &reader), case, kind, shown)
    })
    .await?;
    match page {
        Ok(page) => render_with(status, &page),
        Err(why) => refused(&ctx.user, &ctx.reference, why),
    }
}

pub async fn form(ctx: CaseRequest, path: web::Path<(String, String)>) -> AppResult<HttpResponse> {
    let kind = parse_kind(&path.1)?;
    show(&ctx, kind, None, Problem::None, None).await
}

pub async fn submit(
    ctx: CaseRequest,
    path: web::Path<(String, String)>,
    Form(form): Form<LetterForm>,
) -> AppResult<HttpResponse> {
    let kind = parse_kind(&path.1)?;
    let mut errors = FieldErrors::new();
    let details = form.details(kind, &mut errors);
    if !errors.is_empty() {
        return show(&ctx, kind, Some(form), Problem::Input(errors), None).await;
    }
    let ended = match form.action.as_str() {
        "save" => save(&ctx, kind, &form, details).await?,
        "send" => send(&ctx, kind, &form, details).await?,
        // Preview (and anything else): the letter as typed; nothing saved.
        _ => Ended::Preview,
    };
    let mut form = form;
    match ended {
        Ended::Outcome(Outcome::Done { reference, message }) => {
            after_sending(&ctx, kind, &reference, &message).await
        }
        Ended::Outcome(failed) => {
            show(&ctx, kind, Some(form), Problem::Outcome(failed), None).await
        }
        Ended::Saved(version) => {
            form.letter_version = version;
            let notice = Some("Draft saved".to_string());
            show(&ctx, kind, Some(form), Problem::None, notice).await
        }
        Ended::Preview => show(&ctx, kind, Some(form), Problem::None, None).await,
        Ended::Missing(errors) => show(&ctx, kind, Some(form), Problem::Input(errors), None).await,
        Ended::NotOwed(why) => refused(&ctx.user, &ctx.reference, why),
    }
}

/// How a save, send or preview ended.
enum Ended {
    /// Sent, refused, or stale.
    Outcome(Outcome),
    /// Saved: the draft's new version.
    Saved(i32),
    Preview,
    /// The content check failed: what is missing, beside the fields.
    Missing(FieldErrors),
    NotOwed(NotOwed),
}

/// Saves the draft through `letters::drafts`; the saved version goes back into `form`.
async fn save(
    ctx: &CaseRequest,
    kind: LetterKind,
    form: &LetterForm,
    details: Details,
) -> AppResult<Ended> {
    let (body, seen_version) = (form.body.clone(), form.letter_version);
    let (user, ip, now) = (
        ctx.user.clone(),
        ctx.client.0.clone(),
        ctx.state.clock.now_naive(),
    );
    let saved = on_letter(ctx, kind, move |conn, case| {
        let label = user.audit_label();
        let actor = ActingUser {
            id: user.id,
            label: &label,
            ip: Some(&ip),
        };
        let draft = DraftSave {
            kind,
            body: &body,
            details: &details,
            seen_version,
        };
        match drafts::save(conn, case, &draft, &actor, now) {
            Ok(version) => Ok(Ended::Saved(version)),
            Err(SaveError::Stale) => Ok(Ended::Outcome(Outcome::Stale {
                message: LETTER_CHANGED,
                changes: drafts::saved_since(conn, case, kind, seen_version)?,
            })),
            Err(SaveError::Database(e)) => Err(e.into()),
        }
    })
    .await?;
    Ok(saved.unwrap_or_else(Ended::NotOwed))
}

/// Sends the letter through `letters::send`, which freezes it and records what it stands
/// for in the case's transaction.
async fn send(
    ctx: &CaseRequest,
    kind: LetterKind,
    form: &LetterForm,
    details: Details,
) -> AppResult<Ended> {
    let command = SendCommand {
        kind,
        body: form.body.trim().to_string(),
        details,
        seen_letter_version: form.letter_version,
        seen_case_version: form.version,
        role: ctx.user.role,
    };
    let (seen_letter, last_event) = (form.letter_version, form.last_event);
    let app = ctx.state.get_ref().clone();
    let (user, ip) = (ctx.user.clone(), ctx.client.0.clone());
    let sent = on_letter(ctx, kind, move |conn, case| {
        let clock = app.clock;
        let rules = Rules {
            calendar: &app.calendar,
            policies: &app.policies,
            today: clock.today(),
            now: clock.now_naive(),
        };
        let cx = Context {
            landlord: &app.settings.landlord,
            policies: &app.policies,
            calendar: &app.calendar,
            date: rules.today,
        };
        let label = user.audit_label();
        let actor = ActingUser { id: user.id, label: &label, ip: Some(&ip) };
        let result = send::send(conn, case, command, &actor, &rules, &cx, clock.now_naive());
        let outcome = match result {
            Ok(_) => Outcome::Done {
                reference: case.row.reference.clone(),
                message: format!("{} letter sent", kind.label()),
            },
            // What the officer puts right in the letter goes beside its field; the rest
            // (the case, the decision, the configuration) stays in the warning above the
            // letter, which lists every gap.
            Err(SendError::Missing(gaps)) => {
                let mut errors = FieldErrors::new();
                for gap in gaps {
                    if let Some(field) = gap.field {
                        errors.add(field, format!("Missing: {}", gap.text));
                    }
                }
                return Ok(Ended::Missing(errors));
            }
            Err(SendError::StaleLetter) => Outcome::Stale {
                message: LETTER_CHANGED_UNSENT,
                changes: drafts::saved_since(conn, case, kind, seen_letter)?,
            },
            Err(SendError::Case(CaseError::Stale)) => Outcome::Stale {
                message: STALE_MESSAGE,
                changes: changes_since(conn, case.row.id, last_event)?,
            },
            // The rules could not date the event (e.g. a profile without the stage): a
            // refusal to show, not a failure of the service.
            Err(SendError::Case(CaseError::Deadlines(e))) => Outcome::Refused {
                message: format!("The deadlines for this case could not be worked out, so nothing has been sent: {e}"),
                refusal: None,
            },
            Err(SendError::Case(e)) => Outcome::from_error(e)?,
            Err(e @ SendError::OfficerSends) => Outcome::Refused {
                message: e.to_string(),
                refusal: None,
            },
            Err(e) => return Err(AppError::Internal(anyhow::anyhow!("{e}"))),
        };
        Ok(Ended::Outcome(outcome))
    })
    .await?;
    Ok(sent.unwrap_or_else(Ended::NotOwed))
}

/// What the editor shows beside the letter.
struct Shown {
    /// What was typed; `None` for the stored draft (or a new one).
    typed: Option<LetterForm>,
    problem: Problem,
    /// "Draft saved" and the like.
    notice: Option<String>,
}

/// Builds the page on `conn` for `user`, who reads the case as `reader`.
fn build_page(
    conn: &mut DbConnection,
    app: &AppState,
    (user, reader): (&CurrentUser, &Reader),
    case: &LoadedCase,
    kind: LetterKind,
    Shown {
        typed,
        problem,
        notice,
    }: Shown,
) -> Result<EditPage, AppError> {
    let mut form = match typed {
        Some(form) => form,
        None => {
            let (body, details, version) = drafts::stored_or_standard(conn, case, kind)?;
            LetterForm::from_stored(body, &details, version)
        }
    };
    let mut ignored = FieldErrors::new();
    let details = form.details(kind, &mut ignored);
    let cx = Context {
        landlord: &app.settings.landlord,
        policies: &app.policies,
        calendar: &app.calendar,
        date: app.clock.today(),
    };
    let prepared = send::prepare(conn, case, kind, &form.body, &details, &cx)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    // Someone who may not know a confidential complainant sees the letter without them: a
    // placeholder for who and where, and the identity taken out of the text.
    let place = format!("{} letter editor", kind.label().to_lowercase());
    let sight = identity::sight(conn, reader, &case.row, &place)?;
    let (preview, recipient) = if sight.shown() {
        (prepared.rendered.html, prepared.view.recipient)
    } else {
        let mut view = prepared.view;
        view.recipient = view.recipient.withheld();
        view.complainant_name = identity::WITHHELD_NAME.to_string();
        let html = crate::letters::render::render(&view)?.html;
        (sight.html(&html), view.recipient)
    };
    let mut head = ActionHead::of(case);
    let errors = problem.into_errors(&mut head, "body", |_| None);
    form.version = head.version;
    form.last_event = head.last_event;
    let extension_unit = match app
        .policies
        .get(&case.row.policy)
        .zip(case.state.stage)
        .map(|(p, s)| p.extension_unit(s))
    {
        Some(crate::rules::Unit::CalendarDays) => "calendar days",
        _ => "working days",
    };
    Ok(EditPage {
        ctx: user.page(),
        head,
        errors,
        form,
        kind_key: kind.as_str(),
        kind_label: kind.label(),
        records: match kind.records() {
            Records::Acknowledgement => "the acknowledgement (it stops the acknowledgement clock)",
            Records::ExtensionNotified => "the extension, with the resident told today",
            Records::Response => "the decision as sent (it closes the stage)",
            Records::Decline => "the exclusion at triage, with the decline sent",
            Records::RestrictionNotice => "that the resident was told of the contact restriction",
            Records::Notice => match kind {
                LetterKind::EscalationRefusal => "that the refusal was explained to the resident",
                LetterKind::ProgressUpdate => {
                    "a progress update; the next one falls due from today"
                }
                _ => "that the resident was told the actions listed are complete",
            },
        },
        preview: crate::letters::render::within_page(&preview),
        missing: prepared
            .gaps
            .iter()
            .filter(|g| g.blocks)
            .map(|g| g.text.clone())
            .collect(),
        warnings: prepared
            .gaps
            .iter()
            .filter(|g| !g.blocks)
            .map(|g| g.text.clone())
            .collect(),
        channel_label: match recipient.channel {
            crate::letters::Channel::Email => "Email",
            crate::letters::Channel::Post => "Post (print queue)",
        },
        recipient,
        officer_sends: !sight.shown(),
        stage_two: crate::cases::page::stage_two_context(conn, reader, case, &place)?,
        extension_reasons: EXTENSION_REASONS
            .iter()
            .map(|(v, l)| Opt::new(*v, *l))
            .collect(),
        exclusion_reasons: ExclusionReason::ALL
            .iter()
            .map(|r| Opt::new(r.as_str(), r.label()))
            .collect(),
        extension_unit,
        notice,
        sent_elsewhere: crate::letters::elsewhere::recordable(kind),
    })
}
