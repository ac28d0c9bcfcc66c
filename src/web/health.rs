//! `GET /health`: 200 when the database commits a heartbeat write, 503 `degraded` when it
//! cannot be reached or cannot be written (issue 17, finding 6: a read-only or full
//! database used to pass a read-only check while every sign-in failed).

use actix_web::{web, HttpResponse};

use crate::db::heartbeat;
use crate::web::state::AppState;

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let clock = state.clock;
    let pool = state.pool.clone();
    let ok = web::block(move || {
        pool.get_timeout(std::time::Duration::from_secs(2))
            .ok()
            .is_some_and(|mut conn| heartbeat::beat(&mut conn, clock.now_naive()).unwrap_or(false))
    })
    .await
    .unwrap_or(false);
    if ok {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "degraded", "database": "error"}))
    }
}
