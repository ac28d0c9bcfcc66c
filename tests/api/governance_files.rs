//! Evidence files of the self-assessment and the annual report (issue 26): uploaded beside
//! a requirement or a part of the report with the page's own form (the answers or text
//! typed are saved with them), listed, downloaded byte for byte and audited, removed (the
//! row kept, marked), refused with a message beside the field when bad, fixed once the
//! year's report is published, and only read by the Member Responsible for Complaints.

use diesel::prelude::*;
use redress::db::schema::{governance_documents as docs, self_assessments};
use redress::domain::Role;

use crate::attachments::{sha256_hex, PDF};
use crate::helpers::{backends, for_each_backend, location, spawn_app_with, TestApp, PASSWORD};
use crate::triage::team;

const SA: &str = "/reports/self-assessment";
const NARRATIVE: &str = "/reports/annual/narrative";
const BOUNDARY: &str = "redress-governance-boundary-9d2e";

/// A file posted: `(field, file name, bytes)`.
type File<'a> = (&'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body as a browser sends the page's form: the text fields, then
/// the files as `(field, file name, bytes)`.
fn multipart(fields: &[(&str, &str)], files: &[File]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The form's action on `page` (`{path}?csrf_token=…`), as the browser posts it.
pub(crate) async fn action(client: &TestApp, page: &str, path: &str) -> String {
    let html = client.get_html(page).await;
    let marker = format!("action=\"{path}?csrf_token=");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no upload form on {page}"))
        + 8;
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

pub(crate) async fn post(
    client: &TestApp,
    action: &str,
    fields: &[(&str, &str)],
    files: &[File<'_>],
) -> reqwest::Response {
    let (content_type, body) = multipart(fields, files);
    client
        .client
        .post(client.url(action))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST")
}

/// `(id, year, part, requirement, file name, content type, size, sha256, removed)`.
type Row = (
    i32,
    i32,
    String,
    Option<String>,
    String,
    String,
    i32,
    String,
    bool,
);

fn rows(app: &TestApp) -> Vec<Row> {
    docs::table
        .order(docs::id.asc())
        .select((
            docs::id,
            docs::year,
            docs::part,
            docs::requirement,
            docs::file_name,
            docs::content_type,
            docs::size_bytes,
            docs::sha256,
            docs::removed_at.is_not_null(),
        ))
        .load(&mut app.conn())
        .unwrap()
}

fn files_on_disk(app: &TestApp) -> usize {
    crate::attachments::files_on_disk(app).len()
}

/// A PDF uploaded by `officer` for 6.3 of 2025's self-assessment: its id.
pub(crate) async fn uploaded(app: &TestApp, officer: &TestApp) -> i32 {
    let to = action(officer, &format!("{SA}?year=2025"), SA).await;
    let response = post(
        officer,
        &to,
        &[("year", "2025"), ("version", "0"), ("upload", "6.3")],
        &[("file-6-3", "policy.pdf", PDF)],
    )
    .await;
    assert_eq!(response.status(), 303);
    rows(app).last().expect("a file kept").0
}

async fn member(app: &TestApp) -> TestApp {
    app.create_user(
        "cllr.ahmed@example.org",
        "Councillor Ahmed",
        Role::Member,
        &[],
    );
    let client = app.with_new_client();
    assert_eq!(
        client
            .sign_in("cllr.ahmed@example.org", PASSWORD)
            .await
            .status(),
        303
    );
    client
}

/// A PDF different from [`PDF`] (so checksums tell them apart).
fn other_pdf() -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.extend_from_slice(b"% the board's minutes\n");
    bytes
}

#[tokio::test]
async fn self_assessment_evidence_is_uploaded_listed_downloaded_and_removed() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let officer = &t.officer;
        let page = format!("{SA}?year=2025");
        let to = action(officer, &page, SA).await;
        // Answers typed and a file chosen for 6.3: "Upload file" saves both.
        let response = post(
            officer,
            &to,
            &[
                ("year", "2025"),
                ("version", "0"),
                ("compliance-6-3", "partly"),
                ("commentary-6-3", "Two late in March"),
                ("upload", "6.3"),
            ],
            &[("file-6-3", "Complaints policy.pdf", PDF)],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(
            location(&response),
            format!("{page}#requirement-compliance-6-3")
        );
        let stored = rows(&app);
        assert_eq!(stored.len(), 1);
        let (id, year, part, requirement, name, mime, size, sha, removed) = stored[0].clone();
        assert_eq!(
            (year, part.as_str(), requirement.as_deref()),
            (2025, "self_assessment", Some("6.3"))
        );
        assert_eq!(
            (name.as_str(), mime.as_str()),
            ("Complaints policy.pdf", "application/pdf")
        );
        assert_eq!(
            (size as usize, sha, removed),
            (PDF.len(), sha256_hex(PDF), false)
        );
        assert_eq!(app.audit_count("governance_document_uploaded"), 1);

        let html = officer.get_html(&page).await;
        assert!(
            html.contains("Self-assessment saved. Complaints policy.pdf added"),
            "{html}"
        );
        assert!(html.contains("Two late in March"));
        assert!(
            html.contains(&format!(
                r#"href="/reports/documents/{id}" download>Complaints policy.pdf</a>"#
            )),
            "{html}"
        );
        assert!(html.contains(&format!(r#"name="remove" value="{id}""#)));
        assert!(html.contains(r#"name="version" value="1""#));

        // Downloaded byte for byte, as a download, and audited.
        let download = officer.get(&format!("/reports/documents/{id}")).await;
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"Complaints policy.pdf\""));
        assert_eq!(download.headers()["x-content-type-options"], "nosniff");
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        assert_eq!(app.audit_count("governance_document_downloaded"), 1);

        // Another file for 1.2, the answers unchanged: the answers are not saved again.
        let minutes = other_pdf();
        let to = action(officer, &page, SA).await;
        let response = post(
            officer,
            &to,
            &[
                ("year", "2025"),
                ("version", "1"),
                ("compliance-6-3", "partly"),
                ("commentary-6-3", "Two late in March"),
                ("upload", "1.2"),
            ],
            &[("file-1-2", "minutes.pdf", &minutes)],
        )
        .await;
        assert_eq!(response.status(), 303);
        let version: i32 = self_assessments::table
            .select(self_assessments::version)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(version, 1, "an upload alone does not move the answers on");
        let second = rows(&app)[1].0;

        // The member reads the files and downloads them, but never adds or removes one.
        let m = member(&app).await;
        let html = m.get_html(&page).await;
        assert!(html.contains("Complaints policy.pdf") && html.contains("minutes.pdf"));
        assert!(!html.contains("type=\"file\"") && !html.contains("name=\"remove\""));
        let download = m.get(&format!("/reports/documents/{second}")).await;
        assert_eq!(download.status(), 200);
        assert_eq!(download.bytes().await.unwrap().as_ref(), minutes.as_slice());
        assert_eq!(
            app.audit_count("governance_document_downloaded"),
            2,
            "the member's download is audited too"
        );
        let token = m.csrf().await;
        let as_member = format!("{SA}?csrf_token={token}");
        let refused = post(
            &m,
            &as_member,
            &[("year", "2025"), ("version", "1"), ("upload", "6.3")],
            &[("file-6-3", "mine.pdf", PDF)],
        )
        .await;
        assert_eq!(refused.status(), 403);
        let id_text = id.to_string();
        let refused = post(
            &m,
            &as_member,
            &[("year", "2025"), ("version", "1"), ("remove", &id_text)],
            &[],
        )
        .await;
        assert_eq!(refused.status(), 403);
        assert_eq!(rows(&app).len(), 2);
        assert!(rows(&app).iter().all(|r| !r.8));
        assert_eq!(files_on_disk(&app), 2, "the member's file was never kept");

        // Removed: the row kept and marked, no longer listed or downloaded, audited.
        let to = action(officer, &page, SA).await;
        let response = post(
            officer,
            &to,
            &[
                ("year", "2025"),
                ("version", "1"),
                ("compliance-6-3", "partly"),
                ("commentary-6-3", "Two late in March"),
                ("remove", &id_text),
            ],
            &[],
        )
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            location(&response),
            format!("{page}#requirement-compliance-6-3")
        );
        assert!(rows(&app)[0].8, "marked removed");
        assert_eq!(app.audit_count("governance_document_removed"), 1);
        let html = officer.get_html(&page).await;
        assert!(html.contains("Complaints policy.pdf removed"));
        assert!(!html.contains(&format!("/reports/documents/{id}\"")));
        assert_eq!(
            officer
                .get(&format!("/reports/documents/{id}"))
                .await
                .status(),
            404
        );
        // The report lists the file left, beside its requirement.
        let report = officer.get_html("/reports/annual?year=2025").await;
        assert!(
            report.contains(&format!(
                r#"<a class="govuk-link" href="/reports/documents/{second}">minutes.pdf</a>"#
            )),
            "{report}"
        );
        // Removing it again (a page open elsewhere): refused, nothing written.
        let again = post(
            officer,
            &to,
            &[("year", "2025"), ("version", "1"), ("remove", &id_text)],
            &[],
        )
        .await;
        assert_eq!(again.status(), 409);
        assert_eq!(app.audit_count("governance_document_removed"), 1);
    })
    .await;
}

#[tokio::test]
async fn bad_files_are_refused_beside_their_field_and_nothing_is_kept() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.storage.max_upload_bytes = 1024).await;
        let t = team(&app).await;
        let officer = &t.officer;
        let page = format!("{SA}?year=2025");
        let to = action(officer, &page, SA).await;
        let typed = [
            ("year", "2025"),
            ("version", "0"),
            ("commentary-6-3", "Typed before the upload"),
            ("upload", "6.3"),
        ];
        let mut big = PDF.to_vec();
        big.resize(1025, b' ');
        let cases: [(&[File], &str); 4] = [
            (&[], "Select a file for 6.3"),
            (
                &[("file-6-3", "empty.pdf", b"")],
                "The selected file for 6.3 is empty",
            ),
            (
                &[("file-6-3", "big.pdf", &big)],
                "The selected file for 6.3 must be smaller than 1KB",
            ),
            (
                &[("file-6-3", "notes.pdf", b"just some text, not a PDF")],
                "The selected file for 6.3 must be a PDF, image, Office document or saved email",
            ),
        ];
        for (files, message) in cases {
            let response = post(officer, &to, &typed, files).await;
            assert_eq!(response.status(), 400, "{message} on {}", app.backend);
            let html = response.text().await.unwrap();
            assert!(html.contains("<title>Error: "), "{html}");
            assert!(html.contains(r##"href="#file-6-3""##), "{message}: {html}");
            assert!(html.contains(message), "{message}: {html}");
            assert!(html.contains("Typed before the upload"), "typed text kept");
            assert!(html.contains("<details class=\"govuk-details app-files__add\" open>"));
        }
        // A requirement not on the checklist, a year that is not one: 400, never a 500.
        for (fields, files) in [
            (
                vec![("year", "2025"), ("version", "0"), ("upload", "99.9")],
                vec![],
            ),
            (
                vec![("year", "2025"), ("version", "0")],
                vec![("file-99-9", "a.pdf", PDF)],
            ),
            (
                vec![("year", "twenty"), ("version", "0")],
                vec![("file-6-3", "a.pdf", PDF)],
            ),
            (
                vec![("year", "2025"), ("version", "0"), ("remove", "x")],
                vec![],
            ),
        ] {
            let response = post(officer, &to, &fields, &files).await;
            assert_eq!(response.status(), 400, "{fields:?}");
        }
        // Without the token in the action: refused before anything is read.
        let response = post(officer, SA, &typed, &[("file-6-3", "a.pdf", PDF)]).await;
        assert_eq!(response.status(), 403);
        assert!(rows(&app).is_empty());
        assert_eq!(files_on_disk(&app), 0, "nothing left on disk");
        let saved: i64 = self_assessments::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(saved, 0, "the answers were not saved either");
        assert_eq!(app.audit_count("governance_document_uploaded"), 0);
    }
}

#[tokio::test]
async fn the_reports_parts_take_files_and_a_published_year_never_changes() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let officer = &t.officer;
        let form = format!("{NARRATIVE}?year=2025");
        let to = action(officer, &form, NARRATIVE).await;
        let response = post(
            officer,
            &to,
            &[
                ("year", "2025"),
                ("version", "0"),
                ("ombudsman_letter", "The letter praised our timeliness."),
                ("upload", "ombudsman_letter"),
            ],
            &[
                ("file-ombudsman_letter", "HOS annual letter.pdf", PDF),
                ("file-response", "board minutes.pdf", &other_pdf()),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(
            location(&response),
            format!("{form}#file-ombudsman_letter-files")
        );
        let parts: Vec<(String, Option<String>)> = rows(&app)
            .into_iter()
            .map(|r| (r.2, r.3))
            .collect();
        assert_eq!(
            parts,
            [("ombudsman_letter".to_string(), None), ("response".to_string(), None)]
        );
        let html = officer.get_html(&form).await;
        assert!(html.contains("HOS annual letter.pdf") && html.contains("board minutes.pdf"));
        assert!(html.contains("The letter praised our timeliness."));
        // A file for the introduction (which takes none): 400.
        let bad = post(
            officer,
            &to,
            &[("year", "2025"), ("version", "1")],
            &[("file-introduction", "x.pdf", PDF)],
        )
        .await;
        assert_eq!(bad.status(), 400);

        // A requirement's file too, then the year is published.
        let sa = action(officer, &format!("{SA}?year=2025"), SA).await;
        let response = post(
            officer,
            &sa,
            &[("year", "2025"), ("version", "0"), ("upload", "6.3")],
            &[("file-6-3", "policy.pdf", PDF)],
        )
        .await;
        assert_eq!(response.status(), 303);
        let report = officer.get_html("/reports/annual?year=2025").await;
        assert!(report.contains(r#"id="ombudsman-letter-files""#), "{report}");
        assert!(report.contains("HOS annual letter.pdf</a> (PDF,"));
        assert!(report.contains(r#"id="response-files""#));
        let publish = officer
            .post_form("/reports/annual/publish", &[("year", "2025"), ("version", "1")])
            .await;
        assert_eq!(publish.status(), 303);
        let published = officer.get_html("/reports/annual?year=2025").await;
        assert!(published.contains("Published on"));
        for name in ["HOS annual letter.pdf", "board minutes.pdf", "policy.pdf"] {
            assert!(published.contains(&format!(">{name}</a>")), "{name}: {published}");
        }

        // Fixed now: no upload or remove on the page, and a post is refused.
        let before = rows(&app);
        let html = officer.get_html(&format!("{SA}?year=2025")).await;
        assert!(html.contains("is published, so the evidence files below can no longer be added or removed"));
        assert!(!html.contains("type=\"file\"") && !html.contains("name=\"remove\""));
        let sa = action(officer, &format!("{SA}?year=2025"), SA).await;
        let refused = post(
            officer,
            &sa,
            &[("year", "2025"), ("version", "0"), ("upload", "6.3")],
            &[("file-6-3", "late.pdf", PDF)],
        )
        .await;
        assert_eq!(refused.status(), 400);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("The annual report for 2025-26 is published, so its evidence files can no longer be added or removed"), "{refused}");
        assert!(refused.contains(r##"href="#file-6-3""##));
        let letter = before[0].0.to_string();
        let refused = post(
            officer,
            &sa,
            &[("year", "2025"), ("version", "0"), ("remove", &letter)],
            &[],
        )
        .await;
        assert_eq!(refused.status(), 409);
        let refused = post(
            officer,
            &to,
            &[("year", "2025"), ("version", "2"), ("remove", &letter)],
            &[],
        )
        .await;
        assert_eq!(refused.status(), 409);
        assert_eq!(rows(&app), before, "nothing changed");
        assert_eq!(files_on_disk(&app), 3, "the refused file was not kept");
        // The files of the published report still download.
        let download = officer.get(&format!("/reports/documents/{letter}")).await;
        assert_eq!(download.status(), 200);
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    })
    .await;
}
