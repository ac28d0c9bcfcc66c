//! The one-row `heartbeat` table `/health` writes to: a database that answers reads but
//! cannot commit a write (disk full, read-only file) is not healthy.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::heartbeat;
use super::DbConnection;

/// Commits `now` into the heartbeat row; true when the row was written.
pub fn beat(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
    let written = diesel::update(heartbeat::table.find(1))
        .set(heartbeat::beat_at.eq(now))
        .execute(conn)?;
    Ok(written == 1)
}
