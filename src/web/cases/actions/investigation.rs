//! Notes and contacts (anyone working the case) and extensions.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;
use chrono::NaiveDate;
use serde::Deserialize;

use super::required_date;
use crate::cases::available::CaseAction;
use crate::cases::investigate::{
    decide_contact, decide_extension, decide_note, extension_outlook, ExtendCommand,
    ExtensionOutlook, EXTENSION_REASONS,
};
use crate::cases::load::LoadedCase;
use crate::cases::step_route;
use crate::domain::case::{ContactKind, ContactMethod};
use crate::domain::date_input::DateField;
use crate::domain::Role;
use crate::letters::extension;
use crate::web::error::AppResult;
use crate::web::forms::{check_length, limits, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Outcome, Problem, Seen,
};

fn today_parts(t: NaiveDate) -> (String, String, String) {
    (
        t.day().to_string(),
        t.month().to_string(),
        t.year().to_string(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    /// `note`, or a contact kind.
    pub kind: String,
    pub text: String,
    pub on_day: String,
    pub on_month: String,
    pub on_year: String,
    /// `true` when only officers and the assignee may read the note.
    pub sensitive: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/note.html")]
pub struct NotePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: NoteForm,
    pub kinds: Vec<Opt>,
}

async fn note_page(
    ctx: &CaseRequest,
    form: Option<NoteForm>,
    problem: Problem,
) -> AppResult<NotePage> {
    let clock = ctx.state.clock;
    let (case, ()) = load_for(ctx, CaseAction::AddNote, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "text", |_| None);
    let (day, month, year) = today_parts(clock.today());
    let mut kinds = vec![Opt::new("note", "A note on the investigation")];
    kinds.extend(ContactKind::ALL.iter().map(|k| {
        Opt::new(
            k.as_str(),
            format!("Contact with the resident: {}", k.label().to_lowercase()),
        )
    }));
    Ok(NotePage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or(NoteForm {
            kind: "note".into(),
            on_day: day,
            on_month: month,
            on_year: year,
            ..NoteForm::default()
        }),
        kinds,
    })
}

pub async fn note_form(ctx: CaseRequest) -> AppResult<NotePage> {
    note_page(&ctx, None, Problem::None).await
}

const CONTACT_ON: DateField = DateField {
    id: "on",
    label: "The date of the contact",
    missing: "Enter the date of the contact",
};

pub async fn note_submit(ctx: CaseRequest, Form(form): Form<NoteForm>) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let mut errors = FieldErrors::new();
    let contact = match form.kind.as_str() {
        "note" => None,
        other => match other.parse::<ContactKind>() {
            Ok(kind) => required_date(
                clock.today(),
                &CONTACT_ON,
                (&form.on_day, &form.on_month, &form.on_year),
                &mut errors,
            )
            .map(|on| (kind, on)),
            Err(_) => {
                errors.add("kind", "Select a note or the kind of contact");
                None
            }
        },
    };
    if form.text.trim().is_empty() {
        errors.add("text", "Enter the note");
    }
    if !errors.is_empty() {
        return reshow(Problem::Input(errors), |p| note_page(&ctx, Some(form), p)).await;
    }
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let text = form.text.clone();
    let sensitive = form.sensitive == "true";
    let outcome = perform(
        &ctx,
        CaseAction::AddNote,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| match contact {
            Some((kind, on)) => decide_contact(case, kind, on, &text, rules),
            None => decide_note(case, &text, sensitive, rules),
        },
        "Added to the timeline",
    )
    .await?;
    finish(outcome, &ctx.session, |p| note_page(&ctx, Some(form), p)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExtendForm {
    pub length: String,
    pub reason: String,
    pub reason_other: String,
    pub granted_day: String,
    pub granted_month: String,
    pub granted_year: String,
    pub notified_day: String,
    pub notified_month: String,
    pub notified_year: String,
    pub notified_method: String,
    pub past_cap_approved: bool,
    pub resident_agreed: bool,
    /// Set by the "Preview the new date" button: show the form again with the preview
    /// rather than record (the way to preview without JavaScript).
    pub preview: String,
    pub version: i32,
    pub last_event: i32,
}

/// The extension as typed, in words: the current due date, the date it would set and what
/// is left of the policy's cap (all from the rules engine).
#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/extend_preview.html")]
pub struct ExtendPreview {
    pub current_due: Option<NaiveDate>,
    pub new_due: Option<NaiveDate>,
    /// What is left of the cap before a director must agree, and what this one uses.
    pub cap: String,
    /// Why the extension as typed could not be granted (or the date not worked out).
    pub problem: Option<String>,
}

mod filters {
    pub use crate::web::filters::*;
}

/// A length as the form takes it: a whole number of days, 1 to 365.
fn extension_length(raw: &str) -> Option<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=365).contains(n))
}

fn unit_words(unit: crate::rules::Unit) -> &'static str {
    match unit {
        crate::rules::Unit::CalendarDays => "calendar days",
        _ => "working days",
    }
}

impl ExtendPreview {
    fn of(outlook: Result<ExtensionOutlook, String>) -> ExtendPreview {
        let outlook = match outlook {
            Ok(outlook) => outlook,
            Err(problem) => {
                return ExtendPreview {
                    current_due: None,
                    new_due: None,
                    cap: String::new(),
                    problem: Some(problem),
                }
            }
        };
        let standing = outlook.standing;
        let unit = unit_words(standing.unit);
        let left_now = match standing.cap_left() {
            Some(left) => format!(
                "The policy allows {left} more {unit} at this stage before a director must agree."
            ),
            None => "This policy sets no cap on extensions.".into(),
        };
        let (new_due, cap, problem) = match outlook.proposed {
            None => (None, left_now, None),
            Some(Err(problem)) => (None, left_now, Some(problem)),
            Some(Ok(p)) => {
                let cap = match (p.past_cap(), p.cap_left_after(), p.before.cap) {
                    (true, _, Some((cap, _))) => format!(
                        "This takes the stage to {} {unit}, past the policy's cap of {cap}: a director must approve it and the resident agree.",
                        p.total
                    ),
                    (_, Some(after), _) => format!(
                        "{left_now} This extension leaves {after} {unit}."
                    ),
                    _ => left_now,
                };
                (Some(p.new_due), cap, None)
            }
        };
        ExtendPreview {
            current_due: Some(standing.current_due),
            new_due,
            cap,
            problem,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/extend.html")]
pub struct ExtendPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: ExtendForm,
    pub reasons: Vec<Opt>,
    pub methods: Vec<Opt>,
    pub unit: &'static str,
    pub preview: ExtendPreview,
    /// The hint of "How the resident was told": how the extension letter will go.
    pub method_hint: String,
    pub is_director: bool,
}

async fn extend_page(
    ctx: &CaseRequest,
    form: Option<ExtendForm>,
    problem: Problem,
) -> AppResult<ExtendPage> {
    let clock = ctx.state.clock;
    let today = clock.today();
    let (length, granted_on) = form
        .as_ref()
        .map(|f| typed_extension(f, today))
        .unwrap_or((None, today));
    let state = ctx.state.clone();
    let (case, (outlook, letter_by)) = load_for(ctx, CaseAction::Extend, move |conn, case| {
        let outlook = extension_outlook(case, &state.policies, &state.calendar, length, granted_on);
        // The resident is told by the extension letter drafted next, which goes by email or
        // by post as their letters do: that is the answer to "how" unless they were told
        // another way.
        let letter_by = crate::letters::recipient::for_case(conn, case)?
            .channel
            .method();
        Ok((outlook, letter_by))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "length", |_| None);
    let unit = outlook
        .as_ref()
        .map_or("working days", |o| unit_words(o.standing.unit));
    let (day, month, year) = today_parts(clock.today());
    Ok(ExtendPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or(ExtendForm {
            granted_day: day.clone(),
            granted_month: month.clone(),
            granted_year: year.clone(),
            notified_day: day,
            notified_month: month,
            notified_year: year,
            notified_method: letter_by.as_str().to_string(),
            ..ExtendForm::default()
        }),
        reasons: EXTENSION_REASONS
            .iter()
            .map(|(v, l)| Opt::new(*v, *l))
            .collect(),
        methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
        unit,
        preview: ExtendPreview::of(outlook),
        method_hint: format!(
            "The extension letter comes next and goes by {}. Change this if you told the resident another way.",
            match letter_by {
                ContactMethod::Email => "email",
                _ => "post",
            }
        ),
        is_director: ctx.user.role == Role::Director,
    })
}

pub async fn extend_form(ctx: CaseRequest) -> AppResult<ExtendPage> {
    extend_page(&ctx, None, Problem::None).await
}

/// The case, and the outlook for extending it by `length` granted on `granted_on`.
async fn load_outlook(
    ctx: &CaseRequest,
    length: Option<u32>,
    granted_on: NaiveDate,
) -> AppResult<(LoadedCase, Result<ExtensionOutlook, String>)> {
    let state = ctx.state.clone();
    load_for(ctx, CaseAction::Extend, move |_, case| {
        Ok(extension_outlook(
            case,
            &state.policies,
            &state.calendar,
            length,
            granted_on,
        ))
    })
    .await
}

/// The length and grant date as typed, for the preview (today when the date is not valid).
fn typed_extension(form: &ExtendForm, today: NaiveDate) -> (Option<u32>, NaiveDate) {
    let granted = GRANTED
        .parse(
            &form.granted_day,
            &form.granted_month,
            &form.granted_year,
            false,
        )
        .ok()
        .flatten()
        .unwrap_or(today);
    (extension_length(&form.length), granted)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreviewQuery {
    pub length: String,
    pub granted_day: String,
    pub granted_month: String,
    pub granted_year: String,
}

/// The preview alone, for htmx as the length is typed.
pub async fn extend_preview(
    ctx: CaseRequest,
    query: actix_web::web::Query<PreviewQuery>,
) -> AppResult<ExtendPreview> {
    let q = query.into_inner();
    let typed = ExtendForm {
        length: q.length,
        granted_day: q.granted_day,
        granted_month: q.granted_month,
        granted_year: q.granted_year,
        ..ExtendForm::default()
    };
    let (length, granted_on) = typed_extension(&typed, ctx.state.clock.today());
    let (_, outlook) = load_outlook(&ctx, length, granted_on).await?;
    Ok(ExtendPreview::of(outlook))
}

const GRANTED: DateField = DateField {
    id: "granted",
    label: "The date the extension was granted",
    missing: "Enter the date the extension was granted",
};
const NOTIFIED: DateField = DateField {
    id: "notified",
    label: "The date the resident was told",
    missing: "Enter the date the resident was told the new date",
};

pub async fn extend_submit(
    ctx: CaseRequest,
    Form(form): Form<ExtendForm>,
) -> AppResult<HttpResponse> {
    if !form.preview.is_empty() {
        return reshow(Problem::None, |p| extend_page(&ctx, Some(form), p)).await;
    }
    let clock = ctx.state.clock;
    let mut errors = FieldErrors::new();
    let length = extension_length(&form.length);
    if length.is_none() {
        errors.add(
            "length",
            "Enter the extension as a whole number of days, like 10",
        );
    }
    check_length(
        &mut errors,
        "other-reason",
        "The reason",
        &form.reason_other,
        limits::LINE,
    );
    let reason = match (form.reason.as_str(), form.reason_other.trim()) {
        ("other", "") => {
            // Not `reason-other`: that is the id of the "Other" radio, and the summary's link
            // must lead to the text box.
            errors.add("other-reason", "Enter the reason for the extension");
            None
        }
        ("other", text) => Some(text.to_string()),
        (key, _) => match EXTENSION_REASONS.iter().find(|(v, _)| *v == key) {
            Some((_, label)) => Some(label.to_string()),
            None => {
                errors.add("reason", "Select the reason for the extension");
                None
            }
        },
    };
    let granted = required_date(
        clock.today(),
        &GRANTED,
        (&form.granted_day, &form.granted_month, &form.granted_year),
        &mut errors,
    );
    let notified = required_date(
        clock.today(),
        &NOTIFIED,
        (
            &form.notified_day,
            &form.notified_month,
            &form.notified_year,
        ),
        &mut errors,
    );
    let method = form.notified_method.parse::<ContactMethod>().ok();
    if method.is_none() {
        errors.add("notified-method", "Select how the resident was told");
    }
    let (Some(length), Some(reason), Some(granted_on), Some(notified_on), Some(method), true) =
        (length, reason, granted, notified, method, errors.is_empty())
    else {
        return reshow(Problem::Input(errors), |p| extend_page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let command = ExtendCommand {
        length,
        reason,
        granted_on,
        notified: (notified_on, method),
        past_cap_approved: form.past_cap_approved,
        resident_agreed: form.resident_agreed,
    };
    let (role, by, now) = (ctx.user.role, ctx.user.id, clock.now_naive());
    let (length, reason) = (command.length, command.reason.clone());
    let outcome = perform(
        &ctx,
        CaseAction::Extend,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| {
            let decided = decide_extension(case, role, command, rules)?;
            Ok(extension::with_letter_drafted(
                decided, case, length, &reason, by, now,
            ))
        },
        "Extension recorded: now send the letter telling the resident",
    )
    .await?;
    // One route per job: the resident is told in writing (Code 6.5) by the letter drafted with
    // the extension, so the case team lands in it.
    if let Outcome::Done { reference, message } = &outcome {
        crate::web::session::set_flash(&ctx.session, message);
        return Ok(see_other(&step_route::extension_letter(reference)));
    }
    finish(outcome, &ctx.session, |p| extend_page(&ctx, Some(form), p)).await
}
