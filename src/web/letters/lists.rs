//! A case's letters, a sent letter and its print view, the print queue and the "letters
//! owed" work list.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;

use crate::auth::Permission;
use crate::cases::identity::{self, Sight};
use crate::cases::load;
use crate::db::audit::{self, AuditEntry};
use crate::db::letters::{self as table, LetterRow};
use crate::domain::{CaseReference, Status};
use crate::letters::owed::{self, Owed};
use crate::letters::progress;
use crate::letters::view::long_date;
use crate::letters::LetterKind;
use crate::web::cases::actions::{self, Who};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// A letter as listed.
pub struct LetterLine {
    pub id: i32,
    pub reference: String,
    pub kind: String,
    pub recipient: String,
    pub channel: String,
    pub sent_on: String,
    pub posted_on: String,
    pub large_print: bool,
    /// Sent outside Redress and recorded with a copy: how ("telephone"); empty otherwise.
    pub elsewhere: String,
    /// The uploaded copy of a letter sent elsewhere.
    pub copy_attachment: Option<i32>,
}

impl PrintPage {
    /// The print stylesheet's URL (the page has no layout, so no `ctx`).
    pub fn stylesheet(&self) -> String {
        crate::web::assets::url("letters-print.css")
    }
}

fn kind_label(kind: &str) -> String {
    kind.parse::<LetterKind>()
        .map(|k| k.label().to_string())
        .unwrap_or_else(|_| kind.to_string())
}

/// A letter as listed, its recipient as `sight` lets the viewer read it.
fn line(row: &LetterRow, reference: &str, sight: &Sight) -> LetterLine {
    LetterLine {
        id: row.id,
        reference: reference.to_string(),
        kind: kind_label(&row.kind),
        recipient: sight.text(row.recipient_name.as_deref().unwrap_or_default()),
        channel: match row.channel.as_deref() {
            Some(table::EMAIL) => "Email".into(),
            Some(table::POST) => "Post".into(),
            _ => String::new(),
        },
        sent_on: row.sent_on.map(long_date).unwrap_or_default(),
        posted_on: row.posted_on.map(long_date).unwrap_or_default(),
        large_print: row.large_print,
        elsewhere: row
            .elsewhere_method
            .as_deref()
            .and_then(|m| m.parse::<crate::domain::case::ContactMethod>().ok())
            .map(|m| match m {
                crate::domain::case::ContactMethod::Phone => "telephone".to_string(),
                other => other.label().to_lowercase(),
            })
            .unwrap_or_default(),
        copy_attachment: row.copy_attachment_id,
    }
}

/// A letter owed, as listed.
pub struct OwedLine {
    pub reference: String,
    pub kind_key: &'static str,
    pub kind: &'static str,
    pub due: String,
    pub drafted: bool,
    /// The case is confidential and the viewer not an officer: only an officer fills in the
    /// address and sends it.
    pub officer_sends: bool,
    /// Who writes the letter, when it is not the viewer's to open (then it is not a link).
    pub written_by: Option<String>,
    /// Its deadline has passed.
    pub overdue: bool,
}

fn owed_line(
    reference: &str,
    owed: &Owed,
    officer_sends: bool,
    today: chrono::NaiveDate,
) -> OwedLine {
    OwedLine {
        officer_sends,
        written_by: None,
        overdue: owed.due.is_some_and(|due| due < today),
        reference: reference.to_string(),
        kind_key: owed.kind.as_str(),
        kind: owed.kind.label(),
        due: owed
            .due
            .map(long_date)
            .unwrap_or_else(|| "No deadline".into()),
        drafted: owed.drafted,
    }
}

/// Progress updates on a case (Code 5.9), as its letters section says them.
pub struct ProgressLine {
    /// "Every 10 working days, as agreed with the resident", or that none is agreed.
    pub interval: String,
    /// Why updates are owed now and when the next is due, when they are.
    pub plan: Option<String>,
    /// The next update is due today or was due before.
    pub due: bool,
    /// Updates are owed now, so one may be sent (early, if not yet due).
    pub can_send: bool,
}

/// The case's progress updates, or `None` when none are owed and no interval is agreed.
fn progress_line(
    conn: &mut crate::db::DbConnection,
    app: &AppState,
    case: &load::LoadedCase,
) -> Result<(Option<ProgressLine>, Option<progress::Plan>), AppError> {
    let today = app.clock.today();
    let interval = progress::interval(case, &app.policies);
    let reasons = progress::reasons(conn, case, today)?;
    let plan = progress::plan(conn, case, &app.policies, &app.calendar, today)?;
    if interval.is_none() && reasons.is_empty() {
        return Ok((None, plan));
    }
    let line = ProgressLine {
        interval: match interval {
            Some(i) => format!(
                "Every {}, {}",
                match i.every_working_days {
                    1 => "working day".to_string(),
                    n => format!("{n} working days"),
                },
                if i.agreed_on_case {
                    "as agreed with the resident"
                } else {
                    "the policy's default"
                }
            ),
            None => "No interval agreed with the resident yet".into(),
        },
        plan: plan.as_ref().map(super::progress::plan_words),
        due: plan.is_some_and(|p| p.due),
        can_send: !reasons.is_empty(),
    };
    Ok((Some(line), plan))
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/case.html")]
pub struct CaseLettersPage {
    pub ctx: PageCtx,
    pub reference: String,
    pub owed: Vec<OwedLine>,
    pub drafts: Vec<LetterLine>,
    pub sent: Vec<LetterLine>,
    /// A decline letter can be started (awaiting triage; officers).
    pub can_decline: bool,
    pub progress: Option<ProgressLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/case.html", block = "section")]
pub struct CaseLettersSection {
    pub reference: String,
    pub owed: Vec<OwedLine>,
    pub drafts: Vec<LetterLine>,
    pub sent: Vec<LetterLine>,
    pub can_decline: bool,
    pub progress: Option<ProgressLine>,
}

fn parse_reference(raw: &str) -> Result<String, AppError> {
    CaseReference::parse(raw)
        .map(|r| r.to_string())
        .map_err(|_| AppError::NotFound)
}

/// The letters section of a case: a full page, or the section alone for htmx (the case page
/// loads it into itself).
pub async fn for_case(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    request: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let reference = parse_reference(&path)?;
    let viewer = user.clone();
    let reader = user.reader(&client);
    let app = state.get_ref().clone();
    let page = state
        .db(move |conn| {
            let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            actions::allowed(&viewer, &case, Who::CaseTeam)?;
            let letters = table::for_case(conn, case.row.id)?;
            // Only sent letters name their recipient here.
            let sight = if letters.iter().any(|l| l.recipient_name.is_some()) {
                identity::sight(conn, &reader, &case.row, "letters of the case")?
            } else {
                Sight::Shown
            };
            let drafts: Vec<(String, String)> = letters
                .iter()
                .filter(|l| !l.is_sent())
                .map(|l| (l.kind.clone(), l.stage.clone()))
                .collect();
            let mut owed = owed::for_case(&case.state, case.row.next_due_on, &drafts);
            owed.extend(owed::restriction_owed(conn, case.row.id, &drafts)?);
            let (progress, plan) = progress_line(conn, &app, &case)?;
            owed.extend(owed::notices_owed(conn, &case, &drafts, plan.as_ref())?);
            let withheld = !identity::may_see(viewer.role, case.row.confidential);
            let today = app.clock.today();
            let owed = owed
                .iter()
                .map(|o| owed_line(&case.row.reference, o, withheld, today))
                .collect();
            let officer = viewer.role == crate::domain::Role::Officer;
            Ok(CaseLettersPage {
                ctx: viewer.page(),
                owed,
                drafts: letters
                    .iter()
                    .filter(|l| !l.is_sent())
                    .map(|l| line(l, &case.row.reference, &sight))
                    .collect(),
                sent: letters
                    .iter()
                    .filter(|l| l.is_sent())
                    .map(|l| line(l, &case.row.reference, &sight))
                    .collect(),
                can_decline: officer && case.state.status == Status::Received,
                progress,
                reference: case.row.reference,
            })
        })
        .await?;
    let body = if crate::web::htmx::wants_partial(request.headers()) {
        CaseLettersSection {
            reference: page.reference,
            owed: page.owed,
            drafts: page.drafts,
            sent: page.sent,
            can_decline: page.can_decline,
            progress: page.progress,
        }
        .render()?
    } else {
        page.render()?
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::VARY, crate::web::htmx::VARY))
        .body(body))
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/show.html")]
pub struct SentLetterPage {
    pub ctx: PageCtx,
    pub letter: LetterLine,
    pub html: String,
    pub text: String,
    pub recipient_address: String,
    pub recipient_email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/print.html")]
pub struct PrintPage {
    pub reference: String,
    pub html: String,
    pub large_print: bool,
}

/// A sent letter the user may see (through its case), with the case's reference and what
/// the user may read of its recipient.
struct Visible {
    letter: LetterRow,
    reference: String,
    sight: Sight,
}

/// Loads a letter the user may see; `place` names the view in the identity audit.
async fn visible_letter(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    id: &str,
    place: &'static str,
) -> AppResult<Visible> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let (user, reader) = (user.clone(), user.reader(client));
    state
        .db(move |conn| {
            let letter = table::find(conn, id)?.ok_or(AppError::NotFound)?;
            let case = load::by_id(conn, letter.case_id)?.ok_or(AppError::NotFound)?;
            actions::allowed(&user, &case, Who::CaseTeam)?;
            let sight = if letter.is_sent() {
                identity::sight(conn, &reader, &case.row, &format!("{place} {id}"))?
            } else {
                Sight::Shown
            };
            Ok(Visible {
                letter,
                reference: case.row.reference,
                sight,
            })
        })
        .await
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let Visible {
        letter,
        reference,
        sight,
    } = visible_letter(&state, &user, &client, &path, "letter").await?;
    if !letter.is_sent() {
        // A draft lives in its editor.
        return Ok(see_other(&format!(
            "/cases/{reference}/letters/{}",
            letter.kind
        )));
    }
    let page = SentLetterPage {
        ctx: user.page(),
        letter: line(&letter, &reference, &sight),
        html: crate::letters::render::within_page(
            &sight.html(letter.frozen_html.as_deref().unwrap_or_default()),
        ),
        text: sight.text(letter.frozen_text.as_deref().unwrap_or_default()),
        recipient_address: sight.text(
            &letter
                .recipient_address
                .clone()
                .unwrap_or_default()
                .replace('\n', ", "),
        ),
        recipient_email: sight.text(letter.recipient_email.as_deref().unwrap_or_default()),
    };
    crate::web::forms::render_page(&page)
}

/// The print view: complete for officers (who print and post), redacted for anyone else on a
/// confidential case.
pub async fn print(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let Visible {
        letter,
        reference,
        sight,
    } = visible_letter(&state, &user, &client, &path, "print view of letter").await?;
    // A letter sent elsewhere has no Redress rendering to print: its copy is on its page.
    if !letter.is_sent() || letter.elsewhere_method.is_some() {
        return Err(AppError::NotFound);
    }
    crate::web::forms::render_page(&PrintPage {
        reference,
        html: sight.html(letter.frozen_html.as_deref().unwrap_or_default()),
        large_print: letter.large_print,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/print_queue.html")]
pub struct PrintQueuePage {
    pub ctx: PageCtx,
    pub letters: Vec<LetterLine>,
}

pub async fn print_queue(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    session: Session,
) -> AppResult<PrintQueuePage> {
    user.require(Permission::ManageCases)?;
    let reader = user.reader(&client);
    let letters = state
        .db(move |conn| {
            let waiting = table::to_post(conn)?;
            let confidential: Vec<&str> = waiting
                .iter()
                .filter(|w| w.confidential)
                .map(|w| w.reference.as_str())
                .collect();
            // Officers only: their view of the confidential recipients is audited.
            let shown = identity::listed(conn, &reader, &confidential, "print queue")?;
            Ok(waiting
                .iter()
                .map(|w| {
                    let sight = if w.confidential && !shown {
                        Sight::Withheld(identity::Redaction::for_case_id(conn, w.letter.case_id)?)
                    } else {
                        Sight::Shown
                    };
                    Ok(line(&w.letter, &w.reference, &sight))
                })
                .collect::<Result<Vec<_>, diesel::result::Error>>()?)
        })
        .await?;
    Ok(PrintQueuePage {
        ctx: user
            .page()
            .with_flash(&session)
            .current("/letters/print-queue"),
        letters,
    })
}

pub async fn mark_posted(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let id: i32 = path.parse().map_err(|_| AppError::NotFound)?;
    let (by, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let marked = state
        .db(move |conn| {
            let letter = table::find(conn, id)?.ok_or(AppError::NotFound)?;
            let reference = crate::db::cases::find(conn, letter.case_id)?
                .map(|c| c.reference)
                .unwrap_or_default();
            let now = clock.now_naive();
            let today = clock.today();
            conn.transaction(|conn| {
                if !table::mark_posted(conn, id, today, by, now)? {
                    return Ok(false);
                }
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(by),
                        label,
                        "letter_posted",
                        format!("case:{reference}"),
                        format!("letter {id} ({}) posted", letter.kind),
                        Some(&ip),
                    ),
                )?;
                Ok::<_, diesel::result::Error>(true)
            })
            .map_err(AppError::from)
        })
        .await?;
    if !marked {
        return Ok(HttpResponse::build(StatusCode::CONFLICT)
            .content_type("text/html; charset=utf-8")
            .body(
                super::edit::RefusedPage {
                    ctx: user.page(),
                    reference: String::new(),
                    title: "This letter is not waiting to be posted".into(),
                    message: "It has already been marked as posted, or it was sent by email."
                        .into(),
                }
                .render()?,
            ));
    }
    session::set_flash(&session, "Letter marked as posted");
    Ok(see_other("/letters/print-queue"))
}

/// A case whose resident is owed progress updates, as the "Progress updates due" list
/// shows it.
pub struct UpdateLine {
    pub reference: String,
    pub next_due: String,
    pub due: bool,
    pub why: &'static str,
    pub every: u32,
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/owed.html")]
pub struct OwedPage {
    pub ctx: PageCtx,
    pub rows: Vec<OwedLine>,
    pub updates: Vec<UpdateLine>,
}

/// Who writes a letter that `who` may write, for someone who may not: the complaints team,
/// or the case's investigating manager (or director) by name.
fn written_by(
    who: Who,
    assignee: Option<crate::domain::UserId>,
    names: &[(crate::domain::UserId, String)],
) -> String {
    let assignee_name = assignee.and_then(|id| {
        names
            .iter()
            .find(|(user, _)| *user == id)
            .map(|(_, name)| name.clone())
    });
    match (who, assignee_name) {
        (Who::Officers, _) | (_, None) => "The complaints team sends it".to_string(),
        (_, Some(name)) => format!("{name} writes it"),
    }
}

pub async fn owed(state: web::Data<AppState>, user: CurrentUser) -> AppResult<OwedPage> {
    user.require(Permission::ViewCases)?;
    let scope = user.viewer().scope();
    let role = user.role;
    let user_for_rows = user.clone();
    let app = state.get_ref().clone();
    let (rows, updates) = state
        .db(move |conn| {
            let today = app.clock.today();
            let updates: Vec<UpdateLine> =
                owed::updates_due(conn, &scope, &app.policies, &app.calendar, today)?
                    .into_iter()
                    .filter(|r| {
                        let who = super::who_for(LetterKind::ProgressUpdate);
                        crate::web::runner::allowed_on(&user_for_rows, r.assignee, r.area, who)
                            .is_ok()
                    })
                    .map(|r| UpdateLine {
                        reference: r.reference,
                        next_due: long_date(r.plan.next_due),
                        due: r.plan.due,
                        why: r.plan.because.words(),
                        every: r.plan.interval.every_working_days,
                    })
                    .collect();
            // Every letter owed on the cases the user may see, as the dashboard counts them;
            // those the letter editor's own rule keeps from them say who writes them instead
            // of linking to a page that would refuse them.
            let owed = owed::list(conn, &scope)?;
            let names = crate::db::reports::user_names(conn)?;
            let ids: Vec<_> = owed.iter().map(|r| r.case_id).collect();
            let confidential = if identity::may_see(role, true) {
                Vec::new()
            } else {
                crate::db::cases::confidential_among(conn, &ids)?
            };
            let rows = owed
                .iter()
                .map(|r| {
                    let secret = confidential.iter().any(|(id, _)| *id == r.case_id);
                    let mut line = owed_line(&r.reference, &r.owed, secret, today);
                    let who = super::who_for(r.owed.kind);
                    if crate::web::runner::allowed_on(&user_for_rows, r.assignee, r.area, who)
                        .is_err()
                    {
                        line.written_by = Some(written_by(who, r.assignee, &names));
                    }
                    line
                })
                .collect();
            Ok((rows, updates))
        })
        .await?;
    Ok(OwedPage {
        ctx: user.page().current("/letters/owed"),
        rows,
        updates,
    })
}
