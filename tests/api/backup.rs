//! `redress backup` and `redress restore` (issue 17): a backup taken with the real binary
//! while another thread keeps logging cases is consistent, restores into a fresh data
//! folder, and the app serves from it.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::SqliteConnection;
use redress::cases::log::{log_complaint, Logger};
use redress::config::Settings;
use redress::domain::case::{validate_public, RawComplaint};
use redress::domain::Role;

use crate::helpers::{calendar, start, test_settings, Backend, PASSWORD};
use crate::intake::public_fields;

/// Runs the real binary with the app's database and data folder.
async fn redress(args: Vec<String>, settings: &Settings) -> Output {
    let env = [
        ("DATABASE_URL", settings.database.url.clone()),
        (
            "REDRESS_STORAGE__DATA_DIR",
            settings.storage.data_dir.display().to_string(),
        ),
    ];
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_redress"))
            .args(&args)
            .envs(env)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run redress")
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// What a consistent copy must agree on, read from the file itself.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    cases: i64,
    events: i64,
    users: i64,
    cases_without_events: i64,
}

fn snapshot(file: &std::path::Path) -> Snapshot {
    let mut conn = redress::db::sqlite_library::establish(&file.to_string_lossy()).unwrap();
    Snapshot {
        cases: count(&mut conn, "SELECT COUNT(*) AS n FROM cases"),
        events: count(&mut conn, "SELECT COUNT(*) AS n FROM case_events"),
        users: count(&mut conn, "SELECT COUNT(*) AS n FROM users"),
        cases_without_events: count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM cases c WHERE NOT EXISTS \
             (SELECT 1 FROM case_events e WHERE e.case_id = c.id)",
        ),
    }
}

fn database_file(settings: &Settings) -> std::path::PathBuf {
    settings
        .database
        .url
        .strip_prefix("sqlite://")
        .unwrap()
        .into()
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_consistently_and_serves() {
    let data_dir = tempfile::tempdir().unwrap();
    let (settings, _) = test_settings(&Backend::Sqlite, data_dir.path());
    let app = start("sqlite", settings.clone(), None, data_dir).await;
    app.create_user("jo@example.org", "Jo Officer", Role::Officer, &[]);
    let attachments = settings.storage.data_dir.join("attachments");
    std::fs::create_dir_all(&attachments).unwrap();
    std::fs::write(attachments.join("evidence-key"), b"photo bytes").unwrap();

    // Another thread logs cases, one transaction each, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (pool, stop) = (app.pool.clone(), stop.clone());
        let profile = redress::rules::PolicySet::load_dir(&settings.rules.policies_dir)
            .unwrap()
            .get("hoc-2024")
            .unwrap()
            .clone();
        let raw: RawComplaint =
            serde_html_form::from_str(&serde_html_form::to_string(public_fields()).unwrap())
                .unwrap();
        let (complaint, _) =
            validate_public(&raw, &profile, redress::cases::london_today()).unwrap();
        let calendar = calendar();
        std::thread::spawn(move || {
            let mut written = 0;
            while !stop.load(Ordering::SeqCst) || written < 20 {
                let logger = Logger {
                    user: None,
                    label: "load",
                    ip: None,
                };
                let now = chrono::Utc::now().naive_utc();
                log_complaint(
                    &mut pool.get().unwrap(),
                    &complaint,
                    &profile,
                    &calendar,
                    &logger,
                    now,
                )
                .unwrap();
                written += 1;
            }
            written
        })
    };

    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("backup");
    let out = redress(
        vec!["backup".into(), target.display().to_string()],
        &settings,
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().unwrap();
    eprintln!("backup under load: {written} cases written in all");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Backed up"),
        "{}",
        text(&out.stdout)
    );

    // The copy is one moment of the database: every case it holds has its events.
    let backed_up = snapshot(&target.join("redress.db"));
    eprintln!("backup under load: the copy holds {backed_up:?}");
    assert_eq!(backed_up.cases_without_events, 0, "{backed_up:?}");
    assert!(backed_up.cases <= written, "{backed_up:?} of {written}");
    assert!(backed_up.events >= backed_up.cases);
    assert_eq!(backed_up.users, 2, "the first administrator and Jo");
    assert_eq!(
        std::fs::read(target.join("attachments/evidence-key")).unwrap(),
        b"photo bytes"
    );
    assert_eq!(
        std::fs::read(target.join("session.key")).unwrap(),
        std::fs::read(settings.storage.data_dir.join("session.key")).unwrap()
    );
    // Never over an existing backup.
    let again = redress(
        vec!["backup".into(), target.display().to_string()],
        &settings,
    )
    .await;
    assert_eq!(again.status.code(), Some(2));

    // Restore into a fresh data folder.
    let fresh_dir = tempfile::tempdir().unwrap();
    let (fresh, _) = test_settings(&Backend::Sqlite, fresh_dir.path());
    let restore = |force: bool| {
        let mut args = vec!["restore".to_string(), target.display().to_string()];
        if force {
            args.push("--force".into());
        }
        redress(args, &fresh)
    };
    let restored = restore(false).await;
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert_eq!(snapshot(&database_file(&fresh)), backed_up);
    // Now the database is not empty: a second restore needs --force.
    let refused = restore(false).await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("--force"),
        "{}",
        text(&refused.stderr)
    );
    let forced = restore(true).await;
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(snapshot(&database_file(&fresh)), backed_up);
    assert_eq!(
        std::fs::read(fresh_dir.path().join("attachments/evidence-key")).unwrap(),
        b"photo bytes"
    );

    // The app serves from the restored copy.
    let reference: String = {
        use redress::db::schema::cases;
        let mut conn =
            redress::db::sqlite_library::establish(&database_file(&fresh).to_string_lossy())
                .unwrap();
        cases::table
            .select(cases::reference)
            .order(cases::id.desc())
            .first(&mut conn)
            .unwrap()
    };
    let served = start("sqlite", fresh, None, fresh_dir).await;
    assert_eq!(
        served.sign_in("jo@example.org", PASSWORD).await.status(),
        303
    );
    let page = served.get(&format!("/cases/{reference}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&reference));
}

#[tokio::test]
async fn on_postgresql_backup_and_restore_point_to_pg_dump_and_pg_restore() {
    let data_dir = tempfile::tempdir().unwrap();
    let (mut settings, _) = test_settings(&Backend::Sqlite, data_dir.path());
    settings.database.url = "postgres://redress@db.invalid/redress".into();
    let backup = redress(vec!["backup".into(), "/tmp/unused".into()], &settings).await;
    assert_eq!(backup.status.code(), Some(2));
    assert!(
        text(&backup.stderr).contains("pg_dump"),
        "{}",
        text(&backup.stderr)
    );
    let restore = redress(vec!["restore".into(), "/tmp/unused".into()], &settings).await;
    assert_eq!(restore.status.code(), Some(2));
    assert!(text(&restore.stderr).contains("pg_restore"));
}
