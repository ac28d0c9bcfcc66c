//! Who asks about which case: the request context every case handler starts from, so a
//! handler is `(ctx, Form(form))` rather than six extractors.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::Deserialize;

use crate::domain::CaseReference;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppError;
use crate::web::state::AppState;

/// The signed-in user asking about the case named by the route's `{reference}`.
pub struct CaseRequest {
    pub state: web::Data<AppState>,
    pub user: CurrentUser,
    pub session: Session,
    pub client: ClientAddr,
    /// The case reference from the path, well formed (a malformed one is a 404).
    pub reference: String,
}

impl FromRequest for CaseRequest {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CaseRequest, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let session = req.get_session();
        let client = ClientAddr::from_request(req, payload).into_inner();
        let raw = req.match_info().get("reference").map(str::to_string);
        let user = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            // Signed in first: someone signed out is sent to sign in, whatever the address.
            let user = user.await?;
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let reference = CaseReference::parse(raw.as_deref().unwrap_or(""))
                .map_err(|_| AppError::NotFound)?
                .to_string();
            Ok(CaseRequest {
                state,
                user,
                session,
                client: client?,
                reference,
            })
        })
    }
}

/// The hidden fields every action form posts: the version of the case the user saw and the
/// newest timeline entry on it, to say what changed if it is stale.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Seen {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub last_event: i32,
}
