//! The draft editor: GET shows the stored draft (or a new one filled from the case) with a
//! preview and what the content check still misses; POST saves, previews or sends. A stale
//! save or send is shown again with the typed values kept and nothing overwritten; a letter
//! already sent is frozen and refused with 409.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use super::who_for;
use crate::cases::identity::{self, Reader};
use crate::cases::investigate::EXTENSION_REASONS;
use crate::cases::load::{self, LoadedCase};
use crate::cases::transition::{ActingUser, CaseError, Rules};
use crate::db::audit::{self, AuditEntry};
use crate::db::letters::{self as table, DraftEdit, LetterWriteError};
use crate::db::DbConnection;
use crate::domain::case::ExclusionReason;
use crate::domain::{CaseReference, Status};
use crate::letters::kind::Records;
use crate::letters::owed::stage_key;
use crate::letters::send::{self, SendCommand, SendError};
use crate::letters::view::{default_body, default_details, Context, Details};
use crate::letters::{LetterKind, Recipient};
use crate::web::cases::actions::{self, ActionHead, STALE_MESSAGE};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, render_page, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
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
            letter_version,
            ..LetterForm::default()
        }
    }

    /// The details as typed; input problems go into `errors` beside their fields.
    fn details(&self, kind: LetterKind, errors: &mut FormErrors) -> Details {
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
                    "extension-reason-other",
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
            Records::Decline => {
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
    pub errors: FormErrors,
    pub form: LetterForm,
    pub kind_key: &'static str,
    pub kind_label: &'static str,
    pub records: &'static str,
    /// The rendered letter (askama-escaped HTML), as it would be sent now.
    pub preview: String,
    /// What the content check still misses.
    pub missing: Vec<String>,
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

fn parse_reference(raw: &str) -> Result<String, AppError> {
    CaseReference::parse(raw)
        .map(|r| r.to_string())
        .map_err(|_| AppError::NotFound)
}

/// Why a letter of `kind` cannot be drafted on `case` now, if it cannot. A letter of a kind
/// sent once per stage that was sent is frozen.
fn not_applicable(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
) -> Result<Option<(String, String)>, AppError> {
    let key = stage_key(kind, case.state.stage);
    // A restriction notice is owed again for each restriction approved, so "sent" is judged
    // against the restriction in force, below.
    if !matches!(kind, LetterKind::Extension | LetterKind::RestrictionNotice) {
        if let Some(sent) = table::for_case(conn, case.row.id)?
            .into_iter()
            .find(|l| l.is_sent() && l.kind == kind.as_str() && l.stage == key)
        {
            return Ok(Some((
                "This letter has been sent".into(),
                format!(
                    "The {} letter was sent on {}. A sent letter is frozen: it cannot be edited or sent again.",
                    kind.label().to_lowercase(),
                    sent.sent_on
                        .map(crate::letters::view::long_date)
                        .unwrap_or_default()
                ),
            )));
        }
    }
    let state = &case.state;
    let open_stage = matches!(
        state.status,
        Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
    );
    let ok = match kind.records() {
        Records::Acknowledgement => {
            open_stage
                && state.stage == kind.fixed_stage()
                && state
                    .stage
                    .is_some_and(|s| state.acknowledged.get(s).is_none())
        }
        Records::Response => open_stage && state.stage == kind.fixed_stage(),
        Records::ExtensionNotified => open_stage,
        Records::Decline => state.status == Status::Received,
        Records::RestrictionNotice => {
            crate::letters::owed::restriction_notice(conn, case.row.id)?.is_some()
        }
    };
    Ok((!ok).then(|| {
        (
            "This letter is not owed".into(),
            format!(
                "A {} letter cannot be written on this case as it stands ({}).",
                kind.label().to_lowercase(),
                state.status.label().to_lowercase()
            ),
        )
    }))
}

fn refused(
    user: &CurrentUser,
    reference: &str,
    (title, message): (String, String),
) -> AppResult<HttpResponse> {
    let page = RefusedPage {
        ctx: user.page(),
        reference: reference.to_string(),
        title,
        message,
    };
    Ok(HttpResponse::build(StatusCode::CONFLICT)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// Builds the page on `conn`: the stored draft (or a new one), or what was typed.
#[allow(clippy::too_many_arguments)]
fn build_page(
    conn: &mut DbConnection,
    app: &AppState,
    user: &CurrentUser,
    reader: &Reader,
    case: &LoadedCase,
    kind: LetterKind,
    typed: Option<LetterForm>,
    errors: FormErrors,
    notice: Option<String>,
    changed_since: Vec<String>,
) -> Result<EditPage, AppError> {
    let key = stage_key(kind, case.state.stage);
    let mut form = match typed {
        Some(form) => form,
        None => match table::draft_of(conn, case.row.id, kind.as_str(), &key)? {
            Some(draft) => {
                LetterForm::from_stored(draft.body, &Details::parse(&draft.details), draft.version)
            }
            None => LetterForm::from_stored(
                default_body(kind, ""),
                &default_details(conn, case, kind)?,
                0,
            ),
        },
    };
    let mut ignored = FormErrors::new();
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
    head.changed_since = changed_since;
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
        },
        preview: crate::letters::render::within_page(&preview),
        missing: prepared.missing,
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
    })
}

/// What a form submission or a first showing leads to.
enum Shown {
    Page(Box<EditPage>),
    Refused((String, String)),
    Sent { reference: String, message: String },
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (raw_reference, raw_kind) = path.into_inner();
    let reference = parse_reference(&raw_reference)?;
    let kind = parse_kind(&raw_kind)?;
    let app = state.get_ref().clone();
    let reader = user.reader(&client);
    let shown = state
        .db({
            let user = user.clone();
            move |conn| {
                let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
                actions::allowed(&user, &case, who_for(kind))?;
                if let Some(why) = not_applicable(conn, &case, kind)? {
                    return Ok(Shown::Refused(why));
                }
                build_page(
                    conn,
                    &app,
                    &user,
                    &reader,
                    &case,
                    kind,
                    None,
                    FormErrors::new(),
                    None,
                    Vec::new(),
                )
                .map(|p| Shown::Page(Box::new(p)))
            }
        })
        .await?;
    match shown {
        Shown::Page(page) => render_page(page.as_ref()),
        Shown::Refused(why) => refused(&user, &raw_reference, why),
        Shown::Sent { .. } => unreachable!("a GET sends nothing"),
    }
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<(String, String)>,
    Form(form): Form<LetterForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let (raw_reference, raw_kind) = path.into_inner();
    let reference = parse_reference(&raw_reference)?;
    let kind = parse_kind(&raw_kind)?;
    let app = state.get_ref().clone();
    let ip = client.0.clone();
    let reader = user.reader(&client);
    let shown = state
        .db({
            let user = user.clone();
            move |conn| {
                let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
                actions::allowed(&user, &case, who_for(kind))?;
                if let Some(why) = not_applicable(conn, &case, kind)? {
                    return Ok(Shown::Refused(why));
                }
                let mut errors = FormErrors::new();
                let details = form.details(kind, &mut errors);
                let again = |conn: &mut DbConnection,
                             form: LetterForm,
                             errors: FormErrors,
                             notice: Option<String>,
                             changed: Vec<String>| {
                    let case = load::by_id(conn, case.row.id)?.ok_or(AppError::NotFound)?;
                    build_page(conn, &app, &user, &reader, &case, kind, Some(form), errors, notice, changed)
                        .map(|p| Shown::Page(Box::new(p)))
                };
                if !errors.is_empty() {
                    return again(conn, form, errors, None, Vec::new());
                }
                let label = user.audit_label();
                let now = clock.now_naive();
                match form.action.as_str() {
                    "save" => {
                        let key = stage_key(kind, case.state.stage);
                        let details_json = details.to_json();
                        let saved = conn.transaction(|conn| {
                            let version = table::save_draft(
                                conn,
                                &DraftEdit {
                                    case_id: case.row.id,
                                    kind: kind.as_str(),
                                    stage: &key,
                                    body: form.body.trim(),
                                    details: &details_json,
                                    seen_version: form.letter_version,
                                    by: user.id,
                                    now,
                                },
                            )?;
                            audit::record(
                                conn,
                                &AuditEntry::new(
                                    Some(user.id),
                                    label.clone(),
                                    "letter_draft_saved",
                                    format!("case:{}", case.row.reference),
                                    format!("{} draft, version {version}", kind.as_str()),
                                    Some(&ip),
                                ),
                            )?;
                            Ok::<_, LetterWriteError>(version)
                        });
                        match saved {
                            Ok(version) => {
                                let mut form = form;
                                form.letter_version = version;
                                again(conn, form, FormErrors::new(), Some("Draft saved".into()), Vec::new())
                            }
                            Err(LetterWriteError::Stale) => {
                                let mut errors = FormErrors::new();
                                errors.add("body", "This letter was changed by someone else after you opened it. Nothing has been saved. Your text is below: compare it with the saved draft (open the letter again in a new tab), then save again");
                                // Keep what they typed, but against the stored version so a
                                // second save is a deliberate overwrite of what they have seen.
                                let mut form = form;
                                form.letter_version = table::draft_of(conn, case.row.id, kind.as_str(), &key)?
                                    .map(|d| d.version)
                                    .unwrap_or(0);
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(LetterWriteError::Database(e)) => Err(e.into()),
                        }
                    }
                    "send" => {
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
                        let actor = ActingUser {
                            id: user.id,
                            label: &label,
                            ip: Some(&ip),
                        };
                        let result = send::send(
                            conn,
                            &case,
                            SendCommand {
                                kind,
                                body: form.body.trim().to_string(),
                                details,
                                seen_letter_version: form.letter_version,
                                seen_case_version: form.version,
                                role: user.role,
                            },
                            &actor,
                            &rules,
                            &cx,
                            now,
                        );
                        let mut errors = FormErrors::new();
                        match result {
                            Ok(_) => {
                                Ok(Shown::Sent {
                                    reference: case.row.reference.clone(),
                                    message: format!("{} letter sent", kind.label()),
                                })
                            }
                            Err(SendError::Missing(items)) => {
                                for item in items {
                                    errors.add(field_for(kind, &item), format!("Missing: {item}"));
                                }
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(SendError::OfficerSends) => {
                                errors.add("body", SendError::OfficerSends.to_string());
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(SendError::StaleLetter) => {
                                errors.add("body", "This letter was changed by someone else after you opened it. Nothing has been sent. Check the letter below, then send again");
                                let key = stage_key(kind, case.state.stage);
                                let mut form = form;
                                form.letter_version = table::draft_of(conn, case.row.id, kind.as_str(), &key)?
                                    .map(|d| d.version)
                                    .unwrap_or(0);
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(SendError::Case(CaseError::Stale)) => {
                                let now_case = load::by_id(conn, case.row.id)?.ok_or(AppError::NotFound)?;
                                let changed = now_case
                                    .events
                                    .iter()
                                    .filter(|e| e.id.0 > form.last_event)
                                    .map(|e| format!("{} ({})", e.summary, e.actor_label))
                                    .collect();
                                errors.add("body", STALE_MESSAGE);
                                again(conn, form, errors, None, changed)
                            }
                            Err(SendError::Case(CaseError::Refused(r))) => {
                                errors.add("body", r.to_string());
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(SendError::Case(CaseError::Invalid(message))) => {
                                errors.add("body", message);
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(SendError::Case(CaseError::NotFound)) => Err(AppError::NotFound),
                            // The rules could not date the event (e.g. a profile without the
                            // stage): a refusal to show, not a failure of the service.
                            Err(SendError::Case(CaseError::Deadlines(e))) => {
                                errors.add(
                                    "body",
                                    format!("The deadlines for this case could not be worked out, so nothing has been sent: {e}"),
                                );
                                again(conn, form, errors, None, Vec::new())
                            }
                            Err(e) => Err(AppError::Internal(anyhow::anyhow!("{e}"))),
                        }
                    }
                    // Preview (and anything else): show the letter as typed; nothing saved.
                    _ => again(conn, form, FormErrors::new(), None, Vec::new()),
                }
            }
        })
        .await?;
    match shown {
        Shown::Page(page) => render_page(page.as_ref()),
        Shown::Refused(why) => refused(&user, &raw_reference, why),
        Shown::Sent { reference, message } => Ok(actions::done(&session, &reference, &message)),
    }
}

/// The field a missing element belongs beside.
fn field_for(kind: LetterKind, item: &str) -> &'static str {
    let lower = item.to_lowercase();
    match kind.records() {
        Records::Acknowledgement if lower.contains("complaint points") => "points",
        Records::Acknowledgement if lower.contains("outcome the resident") => "outcome-sought",
        Records::ExtensionNotified if lower.contains("reason") => "extension-reason",
        Records::ExtensionNotified if lower.contains("new response date") => "extension-length",
        Records::Decline if lower.contains("exclusion reason") => "exclusion-reasons",
        Records::Decline if lower.contains("why the complaint") => "exclusion-explanation",
        _ => "body",
    }
}
