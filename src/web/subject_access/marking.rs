//! Marking a note or file for a subject access export: include it, or withhold it as
//! third-party information or legally privileged, with the reason.

use actix_session::Session;
use actix_web::{web, HttpResponse};

use super::{acting, load};
use crate::db::cases as case_rows;
use crate::db::subject_access::RequestRow;
use crate::db::{markings, DbConnection};
use crate::domain::marking::{MarkedItem, Marking};
use crate::domain::CaseReference;
use crate::privacy::markings::{self as use_case, MarkingError};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form, Opt};
use crate::web::ombudsman::form::{Field, FormPage, Typed};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// The longest reason.
const REASON_MAX: usize = 1_000;

/// The form's version field carries the marking it showed (0 none, then 1 + its place in
/// `Marking::ALL`), so a marking someone changed meanwhile is refused, not overwritten.
fn token(marking: Option<Marking>) -> i32 {
    marking
        .and_then(|m| Marking::ALL.iter().position(|x| *x == m))
        .map(|i| i as i32 + 1)
        .unwrap_or(0)
}

fn from_token(token: i32) -> Option<Marking> {
    usize::try_from(token - 1)
        .ok()
        .and_then(|i| Marking::ALL.get(i).copied())
}

/// The item `path` names, on a case of the request: the case's id and reference, what the
/// item is (for the form), and its marking now.
struct Target {
    case_id: crate::domain::CaseId,
    reference: String,
    item: MarkedItem,
    describe: String,
    marking: Option<Marking>,
    reason: String,
}

fn find_target(
    conn: &mut DbConnection,
    reference: &str,
    item: MarkedItem,
) -> Result<Target, AppError> {
    let case = case_rows::find_by_reference(conn, reference)?.ok_or(AppError::NotFound)?;
    if !use_case::belongs(conn, case.id, item)? {
        return Err(AppError::NotFound);
    }
    let describe = match item {
        MarkedItem::Note(id) => crate::db::case_events::for_case(conn, case.id)?
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| format!("The timeline entry \"{}\"", e.summary))
            .unwrap_or_default(),
        MarkedItem::Attachment(id) => crate::db::attachments::find_on_case(conn, case.id, id)?
            .map(|a| format!("The file {}", a.file_name))
            .unwrap_or_default(),
    };
    let current = markings::of_item(conn, item)?;
    Ok(Target {
        case_id: case.id,
        reference: case.reference,
        item,
        describe,
        marking: current.as_ref().and_then(|m| m.marking()),
        reason: current.map(|m| m.reason).unwrap_or_default(),
    })
}

async fn target(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    path: (i32, String, String, i32),
) -> AppResult<(RequestRow, Target)> {
    let (id, reference, kind, item) = path;
    let request = load(state, user, id).await?;
    let reference = CaseReference::parse(&reference)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let item = MarkedItem::from_parts(&kind, item).ok_or(AppError::NotFound)?;
    let target = state
        .db(move |conn| find_target(conn, &reference, item))
        .await?;
    Ok((request, target))
}

fn page(
    ctx: PageCtx,
    request: &RequestRow,
    target: &Target,
    typed: &Typed,
    errors: FieldErrors,
) -> FormPage {
    let mut options = vec![Opt::new("none", "Include it in the export")];
    options.extend(Marking::ALL.iter().map(|m| {
        Opt::new(
            m.code(),
            format!("Withhold it: {}", m.label().to_lowercase()),
        )
    }));
    FormPage {
        ctx,
        title: "Include or withhold this item".into(),
        caption: format!("Complaint {}", target.reference),
        intro: vec![
            format!("{}.", target.describe),
            "Withhold what is mostly about someone else who has not agreed to its release, and legal advice. The export tells the person what was withheld and why.".into(),
        ],
        back_href: format!("/subject-access/{}", request.id),
        back_label: "Back to the request".into(),
        action: format!(
            "/subject-access/{}/cases/{}/{}/{}/marking",
            request.id,
            target.reference,
            target.item.kind(),
            target.item.id()
        ),
        version: token(target.marking),
        fields: vec![
            Field::radios(typed, "marking", "Should the person get this?", "", options),
            Field::area(
                typed,
                "reason",
                "Why it is withheld (if it is)",
                "For example, the neighbour's account of the incident. Not shown to the person.",
                3,
            ),
        ],
        submit: "Save".into(),
        errors,
    }
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, String, String, i32)>,
) -> AppResult<FormPage> {
    let (request, target) = target(&state, &user, path.into_inner()).await?;
    let mut typed = Typed::default();
    typed.set(
        "marking",
        target.marking.map(Marking::code).unwrap_or("none"),
    );
    typed.set("reason", target.reason.clone());
    Ok(page(
        user.page().current("/"),
        &request,
        &target,
        &typed,
        FieldErrors::new(),
    ))
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<(i32, String, String, i32)>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (request, target) = target(&state, &user, path.into_inner()).await?;
    let was = from_token(typed.version());
    let mut errors = FieldErrors::new();
    let to = match typed.get("marking") {
        "none" => Some(None),
        code => match code.parse::<Marking>() {
            Ok(m) => Some(Some(m)),
            Err(()) => {
                errors.add("marking", "Select whether the person should get this");
                None
            }
        },
    };
    let reason = typed.text(
        &mut errors,
        "reason",
        "reason",
        "The reason",
        None,
        REASON_MAX,
    );
    if matches!(to, Some(Some(_))) && reason.is_empty() {
        errors.add("reason", "Enter why it is withheld");
    }
    let (Some(to), true) = (to, errors.is_empty()) else {
        return render_invalid(&page(
            user.page().current("/"),
            &request,
            &target,
            &typed,
            errors,
        ));
    };
    let (ip, now) = (client.0.clone(), state.clock.now_naive());
    let acting_user = user.clone();
    let (case_id, reference, item) = (target.case_id, target.reference.clone(), target.item);
    let changed = state
        .db(move |conn| {
            Ok(acting(&acting_user, &ip, |by| {
                use_case::change(conn, case_id, &reference, item, was, to, &reason, by, now)
            }))
        })
        .await?;
    match changed {
        Ok(()) => {
            session::set_flash(
                &session,
                if to.is_some() {
                    "Item withheld from the export"
                } else {
                    "Item included in the export"
                },
            );
            Ok(see_other(&format!(
                "/subject-access/{}#case-{}",
                request.id, target.reference
            )))
        }
        Err(MarkingError::Stale) => Err(AppError::Conflict(
            "Someone else changed this item's marking while you were on the form: look at it again"
                .into(),
        )),
        Err(MarkingError::NotFound) => Err(AppError::NotFound),
        Err(MarkingError::Database(e)) => Err(e.into()),
    }
}
