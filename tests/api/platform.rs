//! Start-up, migrations on both backends, /health, the first administrator, headers.

use std::collections::BTreeSet;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use redress::db::DbConnection;
use redress::domain::Role;

use crate::helpers::{
    for_each_backend, location, postgres_url, spawn_app, start, test_settings, Backend,
};

#[tokio::test]
async fn health_is_ok_when_the_database_answers() {
    for_each_backend(|app| async move {
        let response = app.get("/health").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
    })
    .await;
}

#[tokio::test]
async fn health_is_503_when_the_sqlite_database_is_broken() {
    let app = spawn_app(Backend::Sqlite).await;
    app.conn()
        .batch_execute("PRAGMA foreign_keys = OFF; DROP TABLE audit_log; DROP TABLE user_service_areas; DROP TABLE service_areas; DROP TABLE users; DROP TABLE heartbeat;")
        .unwrap();
    let response = app.get("/health").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "degraded", "database": "error"})
    );
}

#[tokio::test]
async fn health_is_503_when_postgres_refuses_connections() {
    let Some(admin_url) = postgres_url() else {
        eprintln!("NOTE: TEST_POSTGRES_URL is not set: skipping the PostgreSQL outage test");
        return;
    };
    let app = spawn_app(Backend::Postgres(admin_url.clone())).await;
    let name = app.pg.as_ref().unwrap().name.clone();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
        ))
        .unwrap();
    let response = app.get("/health").await;
    assert_eq!(response.status(), 503);
    admin
        .batch_execute(&format!(
            "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true"
        ))
        .unwrap();
}

#[tokio::test]
async fn the_first_administrator_is_created_once() {
    for backend in crate::helpers::backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let (settings, pg) = test_settings(&backend, data_dir.path());
        let first = redress::startup::build(settings.clone()).await.unwrap();
        let password = first
            .bootstrap_password
            .clone()
            .expect("first start creates the admin");
        let second = redress::startup::build(settings.clone()).await.unwrap();
        assert!(
            second.bootstrap_password.is_none(),
            "second start creates nobody"
        );
        drop(second);
        drop(first);
        let app = start(backend.name(), settings, pg, data_dir).await;
        let admins: i64 = redress::db::schema::users::table
            .filter(redress::db::schema::users::role.eq("admin"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(admins, 1);
        let response = app
            .sign_in(redress::startup::BOOTSTRAP_ADMIN_EMAIL, &password)
            .await;
        assert_eq!(
            location(&response),
            "/account/password",
            "must change at first sign-in"
        );
    }
}

#[derive(QueryableByName, Debug)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Ordinary tables only. `pragma_table_list` (unlike `sqlite_master`) tells an FTS5 virtual
/// table (`virtual`) and the tables FTS5 keeps it in (`shadow`) from ordinary ones: the
/// SQLite-only search index `case_search` (migration `2026-11-24-000002_case_search`; its
/// PostgreSQL counterpart is GIN indexes, not a table) is no part of the shared schema, nor
/// are the columns PostgreSQL's triggers keep for its search in their stead
/// (`POSTGRES_ONLY_COLUMNS`, which the application reads through SQL text only).
fn columns(conn: &mut DbConnection) -> BTreeSet<(String, String)> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name FROM pragma_table_list m \
             JOIN pragma_table_info(m.name) p WHERE m.schema = 'main' AND m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'"
        }
        DbConnection::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name NOT LIKE '__diesel%'"
        }
    };
    diesel::sql_query(query)
        .load::<ColumnRow>(conn)
        .unwrap()
        .into_iter()
        .map(|r| (r.table_name, r.column_name))
        .filter(|(table, column)| {
            !redress::db::name_words::POSTGRES_ONLY_COLUMNS.contains(&(table, column))
        })
        .collect()
}

#[tokio::test]
async fn migrations_leave_both_backends_with_the_same_tables_and_columns() {
    let sqlite = spawn_app(Backend::Sqlite).await;
    let sqlite_columns = columns(&mut sqlite.conn());
    assert!(sqlite_columns.contains(&("users".into(), "password_hash".into())));
    assert!(sqlite_columns.contains(&("audit_log".into(), "actor_id".into())));
    let Some(url) = postgres_url() else {
        eprintln!(
            "NOTE: TEST_POSTGRES_URL is not set: skipping the SQLite/PostgreSQL schema comparison"
        );
        return;
    };
    let pg = spawn_app(Backend::Postgres(url)).await;
    assert_eq!(sqlite_columns, columns(&mut pg.conn()));
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/login").await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(header("content-security-policy").contains("default-src 'self'"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert!(!header("content-security-policy").contains("unsafe-inline"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    assert_eq!(header("cache-control"), "no-store");
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("style=\""), "no inline style");
}

/// Pages link to fingerprinted names, cached for good; the plain names revalidate; text
/// comes precompressed as the browser accepts (src/web/assets).
#[tokio::test]
async fn static_files_are_fingerprinted_cached_and_precompressed() {
    use std::io::Read;
    let app = spawn_app(Backend::Sqlite).await;
    let login = app.get_html("/login").await;
    // `/static/app.<ten hex digits>.css`: the prefix, a fingerprint, the extension.
    let named = |prefix: &str, extension: &str| -> String {
        login
            .match_indices(prefix)
            .map(|(start, _)| &login[start..])
            .find_map(|rest| {
                let tail = &rest[prefix.len()..];
                let hash = tail.get(..10)?;
                (hash.bytes().all(|b| b.is_ascii_hexdigit()) && tail[10..].starts_with(extension))
                    .then(|| format!("{prefix}{hash}{extension}"))
            })
            .unwrap_or_else(|| panic!("{prefix}…{extension} not linked"))
    };
    let css_url = named("/static/app.", ".css");
    let hash = css_url
        .trim_start_matches("/static/app.")
        .trim_end_matches(".css");
    assert_eq!(hash.len(), 10, "{css_url}");
    assert!(login.contains("/static/govuk/govuk-frontend-6.6.0.min."));
    assert!(
        !login.contains("\"/static/app.css\""),
        "the plain name is not linked"
    );

    let on_disk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/app.css")).unwrap();
    let fetch = |url: String, encoding: &'static str| {
        let request = app.client.get(app.url(&url));
        let request = if encoding.is_empty() {
            request
        } else {
            request.header("accept-encoding", encoding)
        };
        async move { request.send().await.unwrap() }
    };

    let plain = fetch(css_url.clone(), "").await;
    assert_eq!(plain.status(), 200);
    assert_eq!(
        plain.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), on_disk.as_slice());

    let brotli = fetch(css_url.clone(), "gzip, deflate, br").await;
    assert_eq!(brotli.headers()["content-encoding"], "br");
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(brotli.bytes().await.unwrap().as_ref(), 4096)
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, on_disk);

    let gzip = fetch(css_url.clone(), "gzip").await;
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(gzip.bytes().await.unwrap().as_ref())
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, on_disk);

    // The plain name answers too, but must be revalidated: a 304 while unchanged.
    let by_name = fetch("/static/app.css".into(), "").await;
    assert_eq!(by_name.headers()["cache-control"], "no-cache");
    let etag = by_name.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(app.url("/static/app.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // The module script imports GOV.UK Frontend by its fingerprinted name too.
    let script = fetch(named("/static/app.", ".js"), "")
        .await
        .text()
        .await
        .unwrap();
    assert!(script.contains("from './govuk/govuk-frontend-6.6.0.min."));
    assert!(!script.contains("from './govuk/govuk-frontend-6.6.0.min.js'"));

    assert_eq!(app.get("/static/nope.js").await.status(), 404);
    assert_eq!(app.get("/static/app.0000000000.css").await.status(), 404);
    assert_eq!(app.get("/static/../Cargo.toml").await.status(), 404);
}

#[tokio::test]
async fn unknown_pages_get_a_404_page() {
    let app = spawn_app(Backend::Sqlite).await;
    let officer = app.signed_in_as(Role::Officer).await;
    let response = officer.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[derive(QueryableByName, Debug)]
struct TypedColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    not_null: i32,
}

/// What `diesel print-schema` writes for a SQLite column (the subset our migrations use).
fn diesel_type(declared: &str, not_null: bool) -> String {
    let base = match declared.to_ascii_uppercase().as_str() {
        "INTEGER" => "Integer",
        "BIGINT" => "BigInt",
        "TEXT" => "Text",
        "BOOLEAN" => "Bool",
        "TIMESTAMP" => "Timestamp",
        "DATE" => "Date",
        other => panic!("no mapping for SQLite type {other}"),
    };
    if not_null {
        base.to_string()
    } else {
        format!("Nullable<{base}>")
    }
}

/// `src/db/schema.rs` is generated by `diesel print-schema` from the SQLite migrations and
/// never edited by hand; this fails when a migration changes without regenerating it. The
/// FTS5 search table and its shadow tables are left out on both sides: `diesel.toml` keeps
/// them out of print-schema's output (they are queried through SQL text only) and the query
/// below lists ordinary tables only (see `columns`).
#[tokio::test]
async fn the_committed_schema_matches_the_migrations() {
    let app = spawn_app(Backend::Sqlite).await;
    let migrated: BTreeSet<(String, String, String)> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS declared, p.\"notnull\" AS not_null \
         FROM pragma_table_list m JOIN pragma_table_info(m.name) p \
         WHERE m.schema = 'main' AND m.type = 'table' \
         AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'",
    )
    .load::<TypedColumn>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|c| (c.table_name, c.column_name, diesel_type(&c.declared, c.not_null == 1)))
    .collect();

    let source = include_str!("../../src/db/schema.rs");
    let mut committed = BTreeSet::new();
    let mut table = String::new();
    for line in source.lines().map(str::trim) {
        if let Some(head) = line.strip_suffix('{').filter(|h| h.contains('(')) {
            table = head.split_whitespace().next().unwrap().to_string();
        } else if let Some((column, ty)) = line.strip_suffix(',').and_then(|l| l.split_once(" -> "))
        {
            committed.insert((table.clone(), column.to_string(), ty.to_string()));
        }
    }
    assert_eq!(
        committed, migrated,
        "regenerate src/db/schema.rs with diesel print-schema"
    );
}

/// Makes the database refuse every write for the app: each of its pooled connections (all
/// held at once, so none is missed) is switched to read-only, as a read-only file or
/// volume would leave it. Real refusals from the real database, not a stub.
fn make_the_database_read_only(app: &crate::helpers::TestApp) {
    let held: Vec<_> = (0..app.settings.database.pool_size)
        .map(|_| app.conn())
        .collect();
    for mut conn in held {
        let sql = match &mut *conn {
            DbConnection::Sqlite(_) => "PRAGMA query_only = ON",
            DbConnection::Pg(_) => "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
        };
        conn.batch_execute(sql).unwrap();
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn assert_security_headers(response: &reqwest::Response, what: &str) {
    assert!(
        header(response, "content-security-policy").contains("default-src 'self'"),
        "{what}"
    );
    assert_eq!(
        header(response, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(response, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(response, "cache-control"), "no-store", "{what}");
}

#[tokio::test]
async fn health_commits_a_heartbeat_and_is_degraded_when_the_database_cannot_be_written() {
    for_each_backend(|app| async move {
        assert_eq!(app.get("/health").await.status(), 200, "{}", app.backend);
        make_the_database_read_only(&app);
        let response = app.get("/health").await;
        assert_eq!(response.status(), 503, "{}", app.backend);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "degraded");
    })
    .await;
}

#[tokio::test]
async fn sign_in_says_the_service_is_unavailable_when_the_database_cannot_be_written() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        make_the_database_read_only(&app);
        let response = app
            .sign_in("jo@example.org", crate::helpers::PASSWORD)
            .await;
        assert_eq!(response.status(), 503, "{}", app.backend);
        assert_security_headers(&response, "503 page");
        let page = response.text().await.unwrap();
        assert!(page.contains("Sorry, the service is unavailable"), "{page}");
        assert!(page.contains("Try again in a few minutes"));
        assert!(page.contains("govuk-heading-l"), "a GOV.UK page");
    })
    .await;
}

#[tokio::test]
async fn head_is_answered_like_get_without_a_body() {
    let app = spawn_app(Backend::Sqlite).await;
    let login = app.client.head(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    assert!(header(&login, "content-type").starts_with("text/html"));
    assert_security_headers(&login, "HEAD /login");
    assert!(login.bytes().await.unwrap().is_empty(), "no body");

    let home_get = app.get("/").await;
    let home_head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(home_head.status(), home_get.status());
    assert_eq!(location(&home_head), location(&home_get));
    assert!(home_head.bytes().await.unwrap().is_empty());

    let health = app.client.head(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_413_page_with_the_security_headers() {
    let app = spawn_app(Backend::Sqlite).await;
    let token = app.csrf().await;
    let huge = "x".repeat(300 * 1024);
    let response = app
        .post_raw(
            "/complain",
            &[("description", huge.as_str()), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_security_headers(&response, "413");
    assert!(header(&response, "content-type").starts_with("text/html"));
    let page = response.text().await.unwrap();
    assert!(page.contains("What you sent is too large"), "{page}");
    assert!(page.contains("govuk-heading-l"));
}

#[tokio::test]
async fn framework_errors_are_gov_uk_pages_with_the_security_headers() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.signed_in_as(Role::Admin).await;
    // A path that does not parse as the handler's id.
    let response = admin.get("/admin/users/not-a-number").await;
    assert_eq!(response.status(), 404);
    assert_security_headers(&response, "path error");
    assert!(response.text().await.unwrap().contains("Page not found"));
    // An unknown route, signed out.
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert_security_headers(&response, "router 404");
}
