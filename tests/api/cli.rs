//! The `redress` binary: configuration layering and errors, `migrate`, `user add`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use redress::domain::Role;

use crate::helpers::{location, start, test_settings, Backend, PASSWORD};

pub(crate) fn redress(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run redress");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_unknown_setting_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/r.db", dir.path().display());
    let out = redress(
        &["migrate"],
        &[("DATABASE_URL", &db), ("REDRESS_SERVER__NO_SUCH_KEY", "1")],
        "",
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("no_such_key"), "{err}");
}

#[test]
fn a_bad_database_url_names_the_key() {
    let out = redress(&["migrate"], &[("DATABASE_URL", "mysql://x")], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("database.url"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn test_variables_and_single_underscore_names_are_not_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/r.db", dir.path().display());
    let out = redress(
        &["migrate"],
        &[
            ("DATABASE_URL", &db),
            ("TEST_CHROMIUM", "1"),
            ("REDRESS_SOMETHING", "x"),
            ("REDRESS_STORAGE__DATA_DIR", dir.path().to_str().unwrap()),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        dir.path().join("r.db").exists(),
        "DATABASE_URL wins over default.toml"
    );
}

#[test]
fn a_bad_region_names_the_key() {
    let out = redress(&["migrate"], &[("REDRESS_RULES__REGION", "wales")], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("rules.region"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn user_add_refuses_weak_passwords_and_adds_strong_ones() {
    let data_dir = tempfile::tempdir().unwrap();
    let (settings, pg) = test_settings(&Backend::Sqlite, data_dir.path());
    let env = [("DATABASE_URL", settings.database.url.as_str())];
    let args = [
        "user",
        "add",
        "--email",
        "Olu@Example.org",
        "--name",
        "Olu Officer",
        "--role",
        "officer",
    ];

    let weak = redress(&args, &env, "password123\n");
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        text(&weak.stderr).contains("12 characters"),
        "{}",
        text(&weak.stderr)
    );
    let guessable = redress(&args, &env, "password1234\n");
    assert!(text(&guessable.stderr).contains("too easy to guess"));

    let ok = redress(&args, &env, &format!("{PASSWORD}\n"));
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("olu@example.org"));
    let again = redress(&args, &env, &format!("{PASSWORD}\n"));
    assert!(text(&again.stderr).contains("already exists"));

    let bad_role = redress(
        &[
            "user", "add", "--email", "a@b.org", "--name", "A", "--role", "root",
        ],
        &env,
        "",
    );
    assert!(!bad_role.status.success());
    // The Member Responsible for Complaints can be added from the command line too.
    let member = redress(
        &[
            "user",
            "add",
            "--email",
            "cllr@example.org",
            "--name",
            "Cllr Ahmed",
            "--role",
            "member",
        ],
        &env,
        &format!("{PASSWORD}\n"),
    );
    assert!(member.status.success(), "{}", text(&member.stderr));

    let app = start("sqlite", settings, pg, data_dir).await;
    let response = app.sign_in("olu@example.org", PASSWORD).await;
    assert_eq!(
        location(&response),
        "/",
        "added users need no forced change"
    );
    let _ = Role::Officer;
}
