//! The signed-in member of staff, as a handler argument. Missing or expired sessions
//! redirect to sign-in (never a 500); a deactivated user, or a session from an older
//! session generation (signed out, password changed, "sign out everywhere"), is out on
//! its next request.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::auth::second_factor::{self, Step};
use crate::auth::{permissions, Permission};
use crate::cases::identity::Reader;
use crate::db::audit::{self, AuditEntry, MEMBER_PAGE_VIEWED};
use crate::db::users;
use crate::domain::{Role, ServiceAreaId, UserId, Viewer};
use crate::web::error::AppError;
use crate::web::page::PageCtx;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub service_areas: Vec<ServiceAreaId>,
    pub must_change_password: bool,
    /// Their role needs a second factor they have not set up: only the set-up page is open.
    pub must_enrol: bool,
    pub csrf_token: String,
}

impl CurrentUser {
    /// The user as case scoping sees them.
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            id: self.id,
            role: self.role,
            service_areas: &self.service_areas,
        }
    }

    /// The one authorisation guard: every handler states what it needs.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if permissions::allows(self.role, permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn page(&self) -> PageCtx {
        PageCtx::for_user(self)
    }

    /// Label for the audit log.
    pub fn audit_label(&self) -> String {
        format!("{} ({})", self.email, self.role)
    }

    /// This user as the identity gate sees them, reading from `client`.
    pub fn reader(&self, client: &crate::web::client_addr::ClientAddr) -> Reader {
        Reader {
            id: self.id,
            role: self.role,
            label: self.audit_label(),
            ip: Some(client.0.clone()),
        }
    }
}

/// What a read-only member may post: their own account and signing out, nothing else.
const MEMBER_MAY_POST: [&str; 4] = [
    "/account",
    "/account/password",
    "/account/two-factor",
    "/logout",
];

/// The governing body's member reads and never writes: every write they try is refused here,
/// whatever the route, and every page they open is audited (Code section 9.6, SPEC section 1).
async fn member_guard(
    state: &AppState,
    user: &CurrentUser,
    method: &actix_web::http::Method,
    path: &str,
    query: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    if user.role.writes() {
        return Ok(());
    }
    if !method.is_safe() {
        return if MEMBER_MAY_POST.contains(&path) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        };
    }
    let target = if query.is_empty() {
        format!("page:{path}")
    } else {
        format!("page:{path}?{query}")
    };
    let entry = AuditEntry::new(
        Some(user.id),
        user.audit_label(),
        MEMBER_PAGE_VIEWED,
        target,
        "",
        ip.as_deref(),
    );
    state
        .db(move |conn| Ok(audit::record(conn, &entry).map(|_| ())?))
        .await
}

/// Paths a user who must change their password may still reach.
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 2] = ["/account/password", "/logout"];
/// Paths a user who must set up two-factor sign-in may still reach (the password change
/// comes first).
const ALLOWED_BEFORE_ENROLMENT: [&str; 3] = ["/account/password", "/account/two-factor", "/logout"];

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CurrentUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let path = req.path().to_string();
        let query = req.query_string().to_string();
        let method = req.method().clone();
        let ip = crate::web::client_addr::ClientAddr::from_request(req, &mut Payload::None)
            .into_inner()
            .ok()
            .map(|c| c.0);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let id = session::user_id(&session).ok_or(AppError::SignInRequired)?;
            let server = &state.settings.server;
            let idle = (server.session_idle_minutes * 60.0).round() as i64;
            let absolute = (server.session_absolute_hours * 3600.0).round() as i64;
            if !session::still_fresh(&session, idle, absolute, state.clock.now()) {
                session::sign_out(&session);
                return Err(AppError::SessionExpired);
            }
            let loaded = state
                .db(move |conn| Ok(users::find_with_areas(conn, id)?))
                .await?;
            let generation = session::generation(&session);
            let Some((row, service_areas)) =
                loaded.filter(|(row, _)| row.active && Some(row.session_generation) == generation)
            else {
                session::sign_out(&session);
                return Err(AppError::SignInRequired);
            };
            let role: Role = row
                .role
                .parse()
                .map_err(|e: crate::domain::role::UnknownRole| AppError::Internal(e.into()))?;
            if row.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&path.as_str())
            {
                return Err(AppError::PasswordChangeRequired);
            }
            let must_enrol =
                second_factor::step_after_password(&row, &state.settings.auth) == Step::Enrol;
            if must_enrol && !ALLOWED_BEFORE_ENROLMENT.contains(&path.as_str()) {
                return Err(AppError::SecondFactorEnrolmentRequired);
            }
            let user = CurrentUser {
                id: row.id,
                email: row.email,
                display_name: row.display_name,
                role,
                service_areas,
                must_change_password: row.must_change_password,
                must_enrol,
                csrf_token: session::csrf_token(&session),
            };
            member_guard(&state, &user, &method, &path, &query, ip).await?;
            Ok(user)
        })
    }
}
