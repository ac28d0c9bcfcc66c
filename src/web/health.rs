//! `GET /health`: 200 when the database answers, 503 when it does not.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::web::state::AppState;

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let ok = web::block(move || {
        pool.get_timeout(std::time::Duration::from_secs(2))
            .ok()
            .is_some_and(|mut conn| conn.batch_execute("SELECT 1 FROM users LIMIT 1").is_ok())
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
