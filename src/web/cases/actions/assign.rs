//! Assigning a case to a service area and investigating manager (officers), and recording a
//! manager's declared involvement (officers for any manager; the assigned manager for
//! themself), which takes the case off that manager.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::assign::{check_assignee, decide_assign, decide_involvement, involved_managers};
use crate::cases::available::CaseAction;
use crate::db::{service_areas, users, DbConnection};
use crate::domain::{Refusal, Role, ServiceAreaId, UserId};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Gate, Outcome, Problem, Seen,
};

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
    pub errors: FieldErrors,
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
    ctx: &CaseRequest,
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
    ) = load_for(ctx, CaseAction::Assign, |conn, case| {
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
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        areas,
        managers,
        involved,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<AssignPage> {
    assign_page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<AssignForm>) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let area = form.service_area.parse::<i32>().ok().map(ServiceAreaId);
    let manager = form.manager.parse::<i32>().ok().map(UserId);
    if area.is_none() {
        errors.add("service-area", "Select a service area");
    }
    if manager.is_none() {
        errors.add("manager", "Select an investigating manager");
    }
    let (Some(area), Some(manager)) = (area, manager) else {
        return reshow(Problem::Input(errors), |p| assign_page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let links = ctx.state.links.clone();
    let outcome = perform(
        &ctx,
        CaseAction::Assign,
        seen,
        move |conn, _| check_assignee(conn, area, manager),
        move |case, rules, assignee| decide_assign(case, area, manager, &assignee, rules, links),
        "Case assigned",
    )
    .await?;
    finish(outcome, &ctx.session, |p| assign_page(&ctx, Some(form), p)).await
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
    pub errors: FieldErrors,
    pub form: InvolvementForm,
    /// Empty for a manager declaring their own involvement.
    pub managers: Vec<Opt>,
}

async fn involvement_page(
    ctx: &CaseRequest,
    form: Option<InvolvementForm>,
    problem: Problem,
) -> AppResult<InvolvementPage> {
    let officer = ctx.user.role == Role::Officer;
    let (case, managers) = load_for(ctx, INVOLVEMENT, move |conn, case| {
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
        ctx: ctx.user.page(),
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

pub async fn involvement_form(ctx: CaseRequest) -> AppResult<InvolvementPage> {
    involvement_page(&ctx, None, Problem::None).await
}

pub async fn involvement_submit(
    ctx: CaseRequest,
    Form(form): Form<InvolvementForm>,
) -> AppResult<HttpResponse> {
    // Officers name the manager; a manager can only declare their own involvement.
    let manager = if ctx.user.role == Role::Officer {
        form.manager.parse::<i32>().ok().map(UserId)
    } else {
        Some(ctx.user.id)
    };
    let Some(manager) = manager else {
        let mut errors = FieldErrors::new();
        errors.add("manager", "Select the manager who declared involvement");
        return reshow(Problem::Input(errors), |p| {
            involvement_page(&ctx, Some(form), p)
        })
        .await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let outcome = perform(
        &ctx,
        INVOLVEMENT,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| decide_involvement(case, manager, rules),
        "Involvement recorded: that manager cannot hold this case",
    )
    .await?;
    match outcome {
        // A manager who gave the case up can no longer see it: send them home.
        Outcome::Done { reference, message } if ctx.user.role != Role::Officer => {
            crate::web::session::set_flash(
                &ctx.session,
                &format!("{message}. {reference} has gone back to the complaints team"),
            );
            Ok(crate::web::responses::see_other("/"))
        }
        outcome => {
            finish(outcome, &ctx.session, |p| {
                involvement_page(&ctx, Some(form), p)
            })
            .await
        }
    }
}
