//! Who may pass a case route: the one check every case route makes, asking
//! `cases::access` (the rules live there, below the web layer).

pub use crate::cases::access::Who;
use crate::cases::access::{self, Denied, Viewer};
use crate::cases::available::CaseAction;
use crate::cases::load::LoadedCase;
use crate::domain::{ServiceAreaId, UserId};
use crate::web::current_user::CurrentUser;
use crate::web::error::AppError;

/// What a route needs of the user: an action's rule (role, scope and the case's state), one
/// of several actions' (a route serving more than one), or only who may act (the parts of a
/// case that are not actions in their own right: letters, evidence, restrictions).
#[derive(Debug, Clone, Copy)]
pub enum Gate {
    Action(CaseAction),
    AnyOf(&'static [CaseAction]),
    Who(Who),
}

impl From<CaseAction> for Gate {
    fn from(action: CaseAction) -> Gate {
        Gate::Action(action)
    }
}

impl From<Who> for Gate {
    fn from(who: Who) -> Gate {
        Gate::Who(who)
    }
}

fn viewer(user: &CurrentUser) -> Viewer<'_> {
    Viewer {
        id: user.id,
        role: user.role,
        service_areas: &user.service_areas,
    }
}

/// May `user` pass `gate` on `case`? 403 when the user may not, 409 with the reason when
/// the case as it stands does not allow it.
pub fn allowed(
    user: &CurrentUser,
    case: &LoadedCase,
    gate: impl Into<Gate>,
) -> Result<(), AppError> {
    let viewer = viewer(user);
    let denied = |d: Denied| match d {
        Denied::NotPermitted => AppError::Forbidden,
        Denied::NotNow(why) => AppError::NotNow(why.to_string()),
    };
    match gate.into() {
        Gate::Action(action) => access::may(&viewer, case, action).map_err(denied),
        Gate::AnyOf(actions) => {
            let tried: Vec<_> = actions
                .iter()
                .map(|a| access::may(&viewer, case, *a))
                .collect();
            if tried.iter().any(Result::is_ok) {
                return Ok(());
            }
            // Not now, if the user could ever take one of them; otherwise not theirs.
            let reason = tried.into_iter().find_map(|t| match t {
                Err(Denied::NotNow(why)) => Some(why),
                _ => None,
            });
            Err(denied(reason.map_or(Denied::NotPermitted, Denied::NotNow)))
        }
        Gate::Who(who) if access::permits(&viewer, &case.row, who) => Ok(()),
        Gate::Who(_) => Err(AppError::Forbidden),
    }
}

/// [`allowed`] for who may act on a case known only by its assignee and service area (a
/// list's row).
pub fn allowed_on(
    user: &CurrentUser,
    assignee: Option<UserId>,
    area: Option<ServiceAreaId>,
    who: Who,
) -> Result<(), AppError> {
    if access::permits_on(&viewer(user), assignee, area, who) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
