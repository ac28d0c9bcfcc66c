//! Today's date as a handler argument, from the app's injectable clock (`crate::clock`).

use std::future::{ready, Ready};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::NaiveDate;

use crate::web::state::AppState;

/// Today's London date, from the app's clock, as a handler argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today(pub NaiveDate);

impl FromRequest for Today {
    type Error = actix_web::Error;
    type Future = Ready<Result<Today, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let clock = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.clock)
            .unwrap_or_default();
        ready(Ok(Today(clock.today())))
    }
}
