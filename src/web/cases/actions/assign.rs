//! Assigning a case to a service area and investigating manager (officers), and recording a
//! manager's declared involvement (officers for any manager; the assigned manager for
//! themself), which takes the case off that manager.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, load_for, perform, ActionHead, Gate, Outcome, Problem, Request, Seen};
use crate::cases::assign::{check_assignee, decide_assign, decide_involvement, involved_managers};
use crate::cases::available::CaseAction;
use crate::db::{service_areas, users, DbConnection};
use crate::domain::{Refusal, Role, ServiceAreaId, UserId};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub service_area: String,
    pub manager: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/assign.html")]
pub struct AssignPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: AssignForm,
    pub areas: Vec<Opt>,
    pub managers: Vec<Opt>,
    pub involved: Vec<String>,
}

pub struct ManagerChoices {
    pub areas: Vec<Opt>,
    pub managers: Vec<Opt>,
    /// Names of those who declared involvement (not offered).
    pub involved: Vec<String>,
}

/// Active managers and directors, labelled with their service areas; the involved ones
/// are left out of the choices and named separately.
fn manager_choices(
    conn: &mut DbConnection,
    involved: &[UserId],
    stage2: Option<&[UserId]>,
) -> Result<ManagerChoices, AppError> {
    let areas = service_areas::list_all(conn)?;
    let area_opts = areas
        .iter()
        .filter(|a| a.active)
        .map(|a| Opt::new(a.id.to_string(), a.name.clone()))
        .collect();
    let mut managers = Vec::new();
    let mut involved_names = Vec::new();
    // At stage 2 only directors who did not answer at stage 1 may review.
    let roles: &[Role] = if stage2.is_some() {
        &[Role::Director]
    } else {
        &[Role::Manager, Role::Director]
    };
    for &role in roles {
        for user in users::list_by_role(conn, role.as_str())? {
            if stage2.is_some_and(|responders| responders.contains(&user.id)) {
                continue;
            }
            if involved.contains(&user.id) {
                involved_names.push(user.display_name);
                continue;
            }
            let member_of: Vec<String> = users::service_area_ids(conn, user.id)?
                .iter()
                .filter_map(|id| areas.iter().find(|a| a.id == *id).map(|a| a.name.clone()))
                .collect();
            let label = if member_of.is_empty() {
                format!("{} ({})", user.display_name, role.label())
            } else {
                format!(
                    "{} ({}: {})",
                    user.display_name,
                    role.label(),
                    member_of.join(", ")
                )
            };
            managers.push(Opt::new(user.id.to_string(), label));
        }
    }
    Ok(ManagerChoices {
        areas: area_opts,
        managers,
        involved: involved_names,
    })
}

async fn assign_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<AssignForm>,
    problem: Problem,
) -> AppResult<AssignPage> {
    let (
        case,
        ManagerChoices {
            areas,
            managers,
            involved,
        },
    ) = load_for(state, user, reference, CaseAction::Assign, |conn, case| {
        let involved: Vec<UserId> = involved_managers(case).into_iter().collect();
        let responders = crate::cases::closure::stage1_responders(case);
        let stage2 = (case.state.stage == Some(crate::rules::Stage::Stage2))
            .then_some(responders.as_slice());
        manager_choices(conn, &involved, stage2)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "manager", |r| match r {
        Refusal::NotTriaged | Refusal::CaseClosed | Refusal::NotAComplaint => Some("service-area"),
        _ => None,
    });
    let form = form.unwrap_or_else(|| AssignForm {
        service_area: case
            .row
            .service_area_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        manager: case
            .row
            .assignee_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        ..AssignForm::default()
    });
    Ok(AssignPage {
        ctx: user.page(),
        head,
        errors,
        form,
        areas,
        managers,
        involved,
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<AssignPage> {
    assign_page(&state, &user, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<AssignForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::new();
    let area = form.service_area.parse::<i32>().ok().map(ServiceAreaId);
    let manager = form.manager.parse::<i32>().ok().map(UserId);
    if area.is_none() {
        errors.add("service-area", "Select a service area");
    }
    if manager.is_none() {
        errors.add("manager", "Select an investigating manager");
    }
    let (Some(area), Some(manager)) = (area, manager) else {
        return render_invalid(
            &assign_page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let links = state.links.clone();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::Assign.into(),
            seen,
        },
        move |conn| check_assignee(conn, area, manager),
        move |case, rules, assignee| decide_assign(case, area, manager, &assignee, rules, links),
        "Case assigned",
    )
    .await?;
    finish(outcome, &session, |failed| {
        assign_page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvolvementForm {
    pub manager: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/involvement.html")]
pub struct InvolvementPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: InvolvementForm,
    /// Empty for a manager declaring their own involvement.
    pub managers: Vec<Opt>,
}

async fn involvement_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<InvolvementForm>,
    problem: Problem,
) -> AppResult<InvolvementPage> {
    let officer = user.role == Role::Officer;
    let (case, managers) = load_for(state, user, reference, INVOLVEMENT, move |conn, case| {
        if !officer {
            return Ok(Vec::new());
        }
        let involved: Vec<UserId> = involved_managers(case).into_iter().collect();
        Ok(manager_choices(conn, &involved, None)?.managers)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "manager", |_| None);
    Ok(InvolvementPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_default(),
        managers,
    })
}

/// The involvement page serves officers recording a manager's involvement and the
/// assignee declaring their own.
const INVOLVEMENT: Gate = Gate::AnyOf(&[
    CaseAction::RecordInvolvement,
    CaseAction::DeclareOwnInvolvement,
]);

pub async fn involvement_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<InvolvementPage> {
    involvement_page(&state, &user, &path, None, Problem::None).await
}

pub async fn involvement_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<InvolvementForm>,
) -> AppResult<HttpResponse> {
    // Officers name the manager; a manager can only declare their own involvement.
    let manager = if user.role == Role::Officer {
        form.manager.parse::<i32>().ok().map(UserId)
    } else {
        Some(user.id)
    };
    let Some(manager) = manager else {
        let mut errors = FormErrors::new();
        errors.add("manager", "Select the manager who declared involvement");
        return render_invalid(
            &involvement_page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: INVOLVEMENT,
            seen,
        },
        |_| Ok(()),
        move |case, rules, ()| decide_involvement(case, manager, rules),
        "Involvement recorded: that manager cannot hold this case",
    )
    .await?;
    match outcome {
        // A manager who gave the case up can no longer see it: send them home.
        Outcome::Done { reference, message } if user.role != Role::Officer => {
            crate::web::session::set_flash(
                &session,
                &format!("{message}. {reference} has gone back to the complaints team"),
            );
            Ok(crate::web::responses::see_other("/"))
        }
        outcome => {
            finish(outcome, &session, |failed| {
                involvement_page(&state, &user, &path, Some(form), Problem::Outcome(failed))
            })
            .await
        }
    }
}
