//! Evidence files: upload through the case page's multipart form, list, download byte for
//! byte; size limit, type told by content, empty files, CSRF, and who may see them.

use diesel::prelude::*;
use redress::db::schema::attachments;
use redress::domain::{Role, ServiceAreaId};
use sha2::{Digest, Sha256};

use crate::helpers::{backends, for_each_backend, location, spawn_app_with, TestApp, PASSWORD};
use crate::intake::{logged_case, make_area};

/// A small but well-formed PDF.
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n\
2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n\
trailer <</Root 1 0 R>>\n%%EOF\n";

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

const BOUNDARY: &str = "redress-test-boundary-5f1c";

/// A `multipart/form-data` body with one file field `name` (and the content type header).
fn multipart(name: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Posts a file to `action` (a path with its query) as a browser posts the upload form.
async fn post_file(
    client: &TestApp,
    action: &str,
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let (content_type, body) = multipart("file", file_name, bytes);
    client
        .client
        .post(client.url(action))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST")
}

/// The case page's upload form action (with its CSRF token).
async fn upload_action(client: &TestApp, reference: &str) -> String {
    let page = client.get_html(&format!("/cases/{reference}")).await;
    let marker = format!("action=\"/cases/{reference}/attachments?csrf_token=");
    let start = page
        .find(&marker)
        .expect("the case page has an upload form")
        + 8;
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_string()
}

pub(crate) async fn upload(
    client: &TestApp,
    reference: &str,
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let action = upload_action(client, reference).await;
    post_file(client, &action, file_name, bytes).await
}

/// Uploads and returns the page shown (a refusal re-shows the case page with the error).
async fn refused_with(client: &TestApp, reference: &str, file_name: &str, bytes: &[u8]) -> String {
    let response = upload(client, reference, file_name, bytes).await;
    assert_eq!(
        response.status(),
        400,
        "refused uploads re-show the case page, with the error: 400"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("href=\"#file\""), "{page}");
    page
}

fn stored_rows(app: &TestApp) -> Vec<(i32, String, String, i32, String, String)> {
    attachments::table
        .order(attachments::id.asc())
        .select((
            attachments::id,
            attachments::file_name,
            attachments::content_type,
            attachments::size_bytes,
            attachments::sha256,
            attachments::storage_key,
        ))
        .load(&mut app.conn())
        .unwrap()
}

/// The names of the files in the data folder's `attachments/`.
pub(crate) fn files_on_disk(app: &TestApp) -> Vec<String> {
    let dir = app.settings.storage.data_dir.join("attachments");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A case in a new service area, and an officer signed in to work on it.
async fn case_in_area(app: &TestApp) -> (ServiceAreaId, String, TestApp) {
    let area = make_area(app, "REP");
    let reference = logged_case(app, false, area).await;
    (area, reference, app.signed_in_as(Role::Officer).await)
}

/// A client signed in as a new `role` user of `areas`.
async fn member(app: &TestApp, email: &str, role: Role, areas: &[ServiceAreaId]) -> TestApp {
    app.create_user(email, email, role, areas);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(email, PASSWORD).await.status(), 303);
    client
}

#[tokio::test]
async fn evidence_is_kept_listed_and_downloaded_byte_for_byte() {
    for_each_backend(|app| async move {
        let (area, reference, officer) = case_in_area(&app).await;
        let manager = member(&app, "mia@example.org", Role::Manager, &[area]).await;

        let response = upload(&officer, &reference, "Repair report.pdf", PDF).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(location(&response), format!("/cases/{reference}"));
        let response = upload(&manager, &reference, "damp.png", PNG).await;
        assert_eq!(
            response.status(),
            303,
            "a manager of the area may add evidence"
        );

        let rows = stored_rows(&app);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, "Repair report.pdf");
        assert_eq!(rows[0].2, "application/pdf");
        assert_eq!(rows[0].3 as usize, PDF.len());
        assert_eq!(rows[0].4, sha256_hex(PDF));
        assert_eq!(rows[1].2, "image/png");
        assert_eq!(rows[1].4, sha256_hex(PNG));
        let mut keys = vec![rows[0].5.clone(), rows[1].5.clone()];
        keys.sort();
        assert_eq!(
            files_on_disk(&app),
            keys,
            "random names, no part files left"
        );
        assert!(!keys
            .iter()
            .any(|k| k.contains("report") || k.contains("damp")));

        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Repair report.pdf added as evidence"),
            "flash"
        );
        let page = manager.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Evidence added: Repair report.pdf"),
            "timeline"
        );
        assert!(page.contains("Evidence added: damp.png"));
        for (id, name, bytes, mime) in [
            (rows[0].0, "Repair report.pdf", PDF, "application/pdf"),
            (rows[1].0, "damp.png", PNG, "image/png"),
        ] {
            let href = format!("/cases/{reference}/attachments/{id}");
            assert!(page.contains(&format!("href=\"{href}\"")), "listed: {page}");
            assert!(page.contains(name));
            let response = manager.get(&href).await;
            assert_eq!(response.status(), 200);
            let headers = response.headers().clone();
            assert_eq!(headers["content-type"], mime);
            assert_eq!(
                headers["content-disposition"],
                format!("attachment; filename=\"{name}\"").as_str()
            );
            assert_eq!(headers["x-content-type-options"], "nosniff");
            assert_eq!(headers["cache-control"], "no-store");
            let body = response.bytes().await.unwrap();
            assert_eq!(&body[..], bytes);
            assert_eq!(sha256_hex(&body), sha256_hex(bytes));
        }
        assert_eq!(app.audit_count("attachment_uploaded"), 2);
        assert_eq!(app.audit_count("attachment_downloaded"), 2);

        // A file is only reached through its own case.
        let other = logged_case(&app, false, area).await;
        let response = officer
            .get(&format!("/cases/{other}/attachments/{}", rows[0].0))
            .await;
        assert_eq!(response.status(), 404);
        let response = officer
            .get(&format!("/cases/{reference}/attachments/9999"))
            .await;
        assert_eq!(response.status(), 404);
        assert_eq!(app.audit_count("attachment_downloaded"), 2);
    })
    .await;
}

#[tokio::test]
async fn bidirectional_controls_are_taken_out_of_file_names() {
    for_each_backend(|app| async move {
        let (_, reference, officer) = case_in_area(&app).await;
        let response = upload(&officer, &reference, "invoice\u{202E}gpj.exe", PDF).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let rows = stored_rows(&app);
        assert_eq!(rows[0].1, "invoicegpj.exe.pdf", "reads as what it is");
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(!page.contains('\u{202E}'), "not shown on the case page");
    })
    .await;
}

#[tokio::test]
async fn the_type_is_told_by_the_content_not_the_name() {
    for_each_backend(|app| async move {
        let (_, reference, officer) = case_in_area(&app).await;

        let page = refused_with(
            &officer,
            &reference,
            "letter.pdf",
            b"This is not a PDF at all",
        )
        .await;
        assert!(
            page.contains("The selected file must be a PDF, image, Office document or saved email")
        );
        assert!(page.contains("govuk-file-upload--error"));
        let page = refused_with(&officer, &reference, "run.pdf", b"MZ\x90\0\x03\0\0\0").await;
        assert!(page.contains("must be a PDF, image, Office document or saved email"));
        assert!(stored_rows(&app).is_empty());
        assert!(files_on_disk(&app).is_empty(), "{:?}", files_on_disk(&app));

        let response = upload(&officer, &reference, "photo.txt", PNG).await;
        assert_eq!(response.status(), 303);
        let email = b"From: Jo Bloggs <jo@example.org>\r\nTo: complaints@example.org.uk\r\n\
Subject: Damp\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nThe damp is back.\r\n";
        let response = upload(&officer, &reference, "email from Jo.eml", email).await;
        assert_eq!(response.status(), 303);
        let rows = stored_rows(&app);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].2, "image/png", "a PNG by any other name");
        assert_eq!(
            rows[0].1, "photo.txt.png",
            "given the extension that opens it"
        );
        assert_eq!(rows[1].2, "message/rfc822");
        let response = officer
            .get(&format!("/cases/{reference}/attachments/{}", rows[0].0))
            .await;
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(app.audit_count("attachment_uploaded"), 2);
    })
    .await;
}

#[tokio::test]
async fn empty_files_and_files_over_the_limit_are_refused() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.storage.max_upload_bytes = 1024).await;
        let (_, reference, officer) = case_in_area(&app).await;

        let page = refused_with(&officer, &reference, "empty.pdf", b"").await;
        assert!(page.contains("The selected file is empty"), "{page}");
        let page = refused_with(&officer, &reference, "", b"").await;
        assert!(page.contains("Select a file"), "{page}");
        let mut big = PDF.to_vec();
        big.resize(1025, b' ');
        let page = refused_with(&officer, &reference, "big.pdf", &big).await;
        assert!(
            page.contains("The selected file must be smaller than 1KB"),
            "{page}"
        );
        // Well over the limit: refused while streaming, the rest never read.
        big.resize(3 * 1024 * 1024, b' ');
        let page = refused_with(&officer, &reference, "bigger.pdf", &big).await;
        assert!(page.contains("must be smaller than 1KB"));
        assert!(stored_rows(&app).is_empty());
        assert!(files_on_disk(&app).is_empty(), "{:?}", files_on_disk(&app));
        assert_eq!(app.audit_count("attachment_uploaded"), 0);

        big.truncate(1024);
        let response = upload(&officer, &reference, "just.pdf", &big).await;
        assert_eq!(response.status(), 303, "exactly at the limit is allowed");
        assert_eq!(stored_rows(&app).len(), 1);
    }
}

#[tokio::test]
async fn the_default_limit_is_shown_on_the_form() {
    for_each_backend(|app| async move {
        let (_, reference, officer) = case_in_area(&app).await;
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("smaller than 20MB"), "{page}");
        assert!(page.contains("enctype=\"multipart/form-data\""));
        assert!(page.contains("No evidence has been added"));
    })
    .await;
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused_and_nothing_is_kept() {
    for_each_backend(|app| async move {
        let (_, reference, officer) = case_in_area(&app).await;
        let path = format!("/cases/{reference}/attachments");

        let response = post_file(&officer, &path, "a.pdf", PDF).await;
        assert_eq!(response.status(), 403, "no token");
        let response = post_file(&officer, &format!("{path}?csrf_token=wrong"), "a.pdf", PDF).await;
        assert_eq!(response.status(), 403, "wrong token");
        // The token as a form field does not count for a multipart request: only the query.
        let token = officer.csrf().await;
        let (content_type, body) = multipart("file", "a.pdf", PDF);
        let mut with_field = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
        )
        .into_bytes();
        with_field.extend_from_slice(&body);
        let response = officer
            .client
            .post(officer.url(&path))
            .header("Content-Type", content_type)
            .body(with_field)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "token in the body");
        // And the query token is not accepted for ordinary forms.
        let response = officer
            .client
            .post(officer.url(&format!("/logout?csrf_token={token}")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "query token on a url-encoded form");

        assert!(stored_rows(&app).is_empty());
        assert!(files_on_disk(&app).is_empty());
        assert_eq!(app.audit_count("attachment_uploaded"), 0);
    })
    .await;
}

#[tokio::test]
async fn only_those_who_may_see_the_case_reach_its_evidence() {
    for_each_backend(|app| async move {
        let (area, reference, officer) = case_in_area(&app).await;
        let elsewhere = make_area(&app, "EST");
        assert_eq!(
            upload(&officer, &reference, "r.pdf", PDF).await.status(),
            303
        );
        let id = stored_rows(&app)[0].0;
        let director = member(&app, "dee@example.org", Role::Director, &[area]).await;
        let other_manager = member(&app, "max@example.org", Role::Manager, &[elsewhere]).await;
        let other_director = member(&app, "dan@example.org", Role::Director, &[elsewhere]).await;
        let admin = app.signed_in_as(Role::Admin).await;

        let download = format!("/cases/{reference}/attachments/{id}");
        let action = |token: String| format!("/cases/{reference}/attachments?csrf_token={token}");
        for (who, client) in [
            ("manager of another area", &other_manager),
            ("director of another area", &other_director),
            ("admin", &admin),
        ] {
            let response = post_file(client, &action(client.csrf().await), "x.pdf", PDF).await;
            assert_eq!(response.status(), 403, "upload by {who}");
            assert_eq!(
                client.get(&download).await.status(),
                403,
                "download by {who}"
            );
        }
        assert_eq!(stored_rows(&app).len(), 1);
        assert_eq!(files_on_disk(&app).len(), 1);
        assert_eq!(app.audit_count("attachment_uploaded"), 1);
        assert_eq!(app.audit_count("attachment_downloaded"), 0);

        assert_eq!(director.get(&download).await.status(), 200);
        assert_eq!(
            upload(&director, &reference, "d.pdf", PDF).await.status(),
            303
        );
        assert_eq!(app.audit_count("attachment_downloaded"), 1);
        assert_eq!(app.audit_count("attachment_uploaded"), 2);
    })
    .await;
}
