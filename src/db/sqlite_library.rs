//! The bundled SQLite library's process-wide settings, made once before its first connection.
//!
//! Built as `libsqlite3-sys` builds it, SQLite counts every allocation it makes in global
//! statistics behind one process-wide mutex (`SQLITE_DEFAULT_MEMSTATUS=1`) and guards each
//! connection with a mutex of its own (`SQLITE_THREADSAFE=1`, "serialized"). With the server's
//! blocking threads each reading through its own connection, the threads queued on that one
//! mutex: a profile of the case page under load spent about 6% of the server's time waking and
//! waiting on glibc locks, and SQLite's size accounting showed in every free (docs/performance.md,
//! session 12). Neither is needed here: nothing reads SQLite's memory statistics or sets a soft
//! heap limit, and a Diesel connection is never used by two threads at once (it is `Send`, not
//! `Sync`; the pool hands each to one thread at a time), which is the "multi-thread" mode's one
//! condition.

use std::os::raw::c_int;
use std::sync::Once;

use diesel::{Connection, ConnectionResult, SqliteConnection};
use libsqlite3_sys as ffi;

/// Opens the SQLite database at `path` after [`configure`]: every SQLite connection in the
/// process is opened here, so the settings are made before any thread starts the library.
pub fn establish(path: &str) -> ConnectionResult<SqliteConnection> {
    configure();
    SqliteConnection::establish(path)
}

/// Applies the settings the first time it is called; later calls wait for the first. Call
/// it before opening a connection any other way than [`establish`].
pub(crate) fn configure() {
    static SETTINGS: Once = Once::new();
    SETTINGS.call_once(|| {
        // SAFETY: `sqlite3_config` may only be called before the library is initialised and
        // while no other thread uses it. Every connection is opened through `establish`, which
        // comes here first, and `Once` makes the other threads wait until this returns. Were
        // the library already initialised, each call would refuse with SQLITE_MISUSE and
        // change nothing, which is safe; the defaults then stay.
        let (threading, statistics) = unsafe {
            (
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MULTITHREAD),
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
            )
        };
        if threading != ffi::SQLITE_OK || statistics != ffi::SQLITE_OK {
            tracing::warn!(
                threading,
                statistics,
                "SQLite was started before its settings were made; it keeps its defaults"
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

    /// The settings took: the library keeps no memory statistics (the high-water mark stays
    /// 0 however much it allocates), so its allocations no longer queue on one mutex.
    #[test]
    fn sqlite_keeps_no_memory_statistics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.db");
        let mut conn = establish(&path.to_string_lossy()).unwrap();
        diesel::sql_query("CREATE TABLE t (x TEXT)")
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query("INSERT INTO t VALUES (hex(randomblob(100000)))")
            .execute(&mut conn)
            .unwrap();
        let (mut current, mut highest) = (0, 0);
        // SAFETY: reads two numbers into locals; the call has no other effect.
        let status = unsafe {
            ffi::sqlite3_status64(
                ffi::SQLITE_STATUS_MEMORY_USED,
                &mut current,
                &mut highest,
                0,
            )
        };
        assert_eq!(status, ffi::SQLITE_OK);
        assert_eq!(highest, 0, "SQLite still counts its memory");
    }
}
