//! The audit viewer and the log's protection (issue 29), on both backends: an administrator
//! answers "who looked at this resident's vulnerability notes" with the filters, pages
//! through many entries, exports CSV (itself audited); no one can change or delete an entry,
//! not even with SQL.

use chrono::Duration;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use redress::db::audit::{self, AuditEntry};
use redress::db::schema::audit_log;
use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::triage::{log_case, team, today};

/// How many rows of the results table name `what`.
fn rows_saying(html: &str, what: &str) -> usize {
    let Some(start) = html.find("<tbody") else {
        return 0;
    };
    let end = html[start..].find("</tbody>").unwrap() + start;
    html[start..end].matches(what).count()
}

fn date_query(prefix: &str, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{prefix}_day={}&{prefix}_month={}&{prefix}_year={}",
        date.day(),
        date.month(),
        date.year()
    )
}

#[tokio::test]
async fn an_administrator_finds_who_viewed_a_residents_vulnerability_notes() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(
            &t.officer,
            today(),
            &[("vulnerability_notes", "Recently bereaved")],
        )
        .await;
        let other = log_case(&t.officer, today(), &[("vulnerability_notes", "Deaf")]).await;
        // Two officers look at the first case's notes, one at the second's.
        t.officer.get_html(&format!("/cases/{reference}")).await;
        let olive_id = app.create_user("olive@example.org", "Olive Officer", Role::Officer, &[]);
        let olive = app.with_new_client();
        olive.sign_in("olive@example.org", PASSWORD).await;
        assert!(olive
            .get_html(&format!("/cases/{reference}"))
            .await
            .contains("Recently bereaved"));
        olive.get_html(&format!("/cases/{other}")).await;
        assert_eq!(app.audit_count("vulnerability_notes_viewed"), 3);

        let admin = app.signed_in_as(Role::Admin).await;
        let viewed = "Viewed vulnerability notes";
        let all = admin.get_html("/admin/audit").await;
        assert_eq!(rows_saying(&all, viewed), 3, "{all}");
        assert_eq!(rows_saying(&all, "_viewed"), 0, "words, not codes");

        // Which case: the reference, typed in lower case.
        let for_case = admin
            .get_html(&format!("/admin/audit?case={}", reference.to_lowercase()))
            .await;
        assert_eq!(rows_saying(&for_case, viewed), 2, "{for_case}");
        assert_eq!(rows_saying(&for_case, "Olive Officer"), 1);
        assert_eq!(
            rows_saying(&for_case, "Test Complaints officer"),
            2,
            "viewed and logged"
        );
        // Who: Olive's entries only.
        let by_olive = admin
            .get_html(&format!(
                "/admin/audit?user={olive_id}&action=vulnerability_notes_viewed"
            ))
            .await;
        assert_eq!(rows_saying(&by_olive, viewed), 2);
        assert_eq!(rows_saying(&by_olive, "Test Complaints officer"), 0);
        // Restricted-information views, this month.
        let month = format!(
            "/admin/audit?action=restricted_views&case={reference}&{}&{}",
            date_query("from", today() - Duration::days(30)),
            date_query("to", today())
        );
        let restricted = admin.get_html(&month).await;
        assert_eq!(rows_saying(&restricted, viewed), 2, "{restricted}");
        assert_eq!(rows_saying(&restricted, "Logged a complaint"), 0);
        // Nothing from tomorrow on.
        let tomorrow = admin
            .get_html(&format!(
                "/admin/audit?{}",
                date_query("from", today() + Duration::days(1))
            ))
            .await;
        assert!(tomorrow.contains("0 entries"), "{tomorrow}");

        // A date that does not exist: the error beside the field, what was typed kept, 400.
        let bad = admin
            .get("/admin/audit?from_day=31&from_month=2&from_year=2026&case=CMP-X")
            .await;
        assert_eq!(bad.status(), 400);
        let html = bad.text().await.unwrap();
        assert!(html.contains("From date must be a real date"), "{html}");
        assert!(html.contains("value=\"CMP-X\""));

        // The CSV of the restricted views: names and words; the export is audited.
        let csv = admin
            .get(&month.replace("/admin/audit?", "/admin/audit.csv?"))
            .await;
        assert_eq!(csv.status(), 200);
        assert!(csv
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let body = csv.text().await.unwrap();
        // Every CSV starts with UTF-8's byte-order mark, so Excel keeps "£" (issue 24).
        let body = body.strip_prefix('\u{feff}').expect("a byte-order mark");
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines[0], "When,Who,What,Record,Detail,IP address");
        assert_eq!(lines.len(), 3, "{body}");
        assert!(body.contains("Olive Officer,Viewed vulnerability notes,Case "));
        assert!(body.contains(&reference));
        assert_eq!(app.audit_count("audit_exported"), 1);
        let export = audit::latest(&mut app.conn(), 1).unwrap().remove(0);
        assert_eq!(export.action, "audit_exported");
        assert!(export.detail.contains("2 entries"), "{}", export.detail);
        let after = admin.get_html("/admin/audit").await;
        assert_eq!(rows_saying(&after, "Exported the audit log"), 1);
    })
    .await;
}

#[tokio::test]
async fn the_viewer_pages_through_many_entries() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        for n in 0..60 {
            audit::record(
                &mut app.conn(),
                &AuditEntry::new(
                    None,
                    "system",
                    "outbox_retry",
                    format!("outbox:{n}"),
                    "",
                    None,
                ),
            )
            .unwrap();
        }
        let first = admin.get_html("/admin/audit?action=outbox_retry").await;
        assert!(first.contains("60 entries"));
        assert_eq!(rows_saying(&first, "Queued a failed email"), 50);
        assert!(first.contains("rel=\"next\""));
        let second = admin
            .get_html("/admin/audit?action=outbox_retry&page=2")
            .await;
        assert_eq!(rows_saying(&second, "Queued a failed email"), 10);
        assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
        // The newest first: entry 59 leads page 1, entry 0 ends page 2.
        assert!(rows_saying(&first, "Email 59 in the outbox") == 1);
        assert!(rows_saying(&second, "Email 0 in the outbox") == 1);
    })
    .await;
}

fn entry() -> AuditEntry {
    AuditEntry::new(
        None,
        "system",
        "demo_data_seeded",
        "database",
        "cases=1",
        None,
    )
}

#[tokio::test]
async fn audit_entries_cannot_be_changed_or_deleted_on_either_backend() {
    for_each_backend(|app: TestApp| async move {
        let mut conn = app.conn();
        audit::record(&mut conn, &entry()).unwrap();
        let id: i32 = audit_log::table
            .select(audit_log::id)
            .order(audit_log::id.desc())
            .first(&mut conn)
            .unwrap();
        let changed = diesel::update(audit_log::table.find(id))
            .set(audit_log::detail.eq("rewritten"))
            .execute(&mut conn);
        let message = changed.expect_err("an update is refused").to_string();
        assert!(message.contains("append-only"), "{message}");
        let deleted = diesel::delete(audit_log::table.find(id)).execute(&mut conn);
        assert!(deleted.is_err(), "a delete is refused on {}", app.backend);
        let everything = diesel::delete(audit_log::table).execute(&mut conn);
        assert!(everything.is_err(), "deleting every row is refused");
        let raw = conn.batch_execute("UPDATE audit_log SET actor_label = 'someone else'");
        assert!(raw.is_err(), "plain SQL is refused too");
        if app.backend == "postgres" {
            assert!(conn.batch_execute("TRUNCATE audit_log").is_err());
        }
        let detail: String = audit_log::table
            .find(id)
            .select(audit_log::detail)
            .first(&mut conn)
            .unwrap();
        assert_eq!(detail, "cases=1");
        // Appending still works.
        audit::record(&mut conn, &entry()).unwrap();
    })
    .await;
}
