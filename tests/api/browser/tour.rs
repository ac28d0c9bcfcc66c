//! Every other page the staff can reach, each through axe: the administrator's pages, the
//! case action forms the journeys do not open, the lists and the error pages (not found,
//! forbidden), the letter pages the journey does not open, plus forms sent empty. The journeys cover the rest. New pages
//! (letters, reports) belong in a journey or, failing that, in one of the lists here.

use redress::domain::Role;

use super::errors::assert_error_summary_links_to_fields;
use fantoccini::Locator;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, spawn_app_with, Backend};
use crate::triage::{act, log_case, team};

#[tokio::test]
async fn every_other_page_passes_axe() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let received = log_case(&t.officer, today(), &[]).await;
    let open = log_case(&t.officer, today(), &[]).await;
    act(&t.officer, &open, "triage", &[("decision", "stage1")]).await;
    let referred = log_case(&t.officer, today(), &[]).await;
    act(
        &t.officer,
        &referred,
        "triage",
        &[
            ("decision", "service_request"),
            ("referred_to", "Repairs team"),
        ],
    )
    .await;
    let withdrawn = log_case(&t.officer, today(), &[]).await;
    act(&t.officer, &withdrawn, "triage", &[("decision", "stage1")]).await;
    act(
        &t.officer,
        &withdrawn,
        "withdraw",
        &[
            ("choice", "resident"),
            ("reason", "Sorted out by the contractor"),
        ],
    )
    .await;
    // Assigned, with compensation approved: extensions and payments apply.
    let decided = crate::investigation::compensation_approved_case(&app, &t).await;
    app.create_user("ada@example.org", "Ada Admin", Role::Admin, &[]);
    app.create_user("tara@example.org", "Tara Officer", Role::Officer, &[]);
    app.create_user("dee@example.org", "Dee Director", Role::Director, &[]);

    let mut b = Browser::start(&app).await;

    b.sign_in("ada@example.org").await;
    for path in [
        "/admin/users",
        "/admin/users/new",
        &format!("/admin/users/{}", t.manager),
        "/admin/service-areas",
        "/admin/service-areas/new",
        &format!("/admin/service-areas/{}", t.area),
        "/admin/categories",
        "/admin/categories/new",
        "/admin/contractors",
        "/admin/contractors/new",
        "/admin/settings",
        "/account",
        "/account/password",
    ] {
        b.visit(path).await;
    }
    b.visit("/admin/users/new").await;
    b.press("Add user").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    b.visit("/admin/service-areas/new").await;
    b.press("Save service area").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    b.sign_out().await;

    // An email waiting on the Emails page (filed through the real use-case, no mailbox).
    let email = match redress::intake::file_message(
        &mut app.conn(),
        &app.settings,
        b"From: Jo Bloggs <jo@example.org>\r\nSubject: Damp in my flat\r\nMessage-ID: <tour@example.org>\r\n\r\nThere is mould in the bedroom.\r\n\r\n> an earlier message\r\n",
        chrono::Utc::now().naive_utc(),
    )
    .unwrap()
    {
        redress::intake::Filed::Stored { id, .. } => id,
        other => panic!("{other:?}"),
    };

    b.sign_in("tara@example.org").await;
    for path in [
        "/emails".to_string(),
        "/emails?show=done".into(),
        format!("/emails/{email}"),
        format!("/cases/new?email={email}"),
    ] {
        b.visit(&path).await;
    }
    b.visit(&format!("/emails/{email}")).await;
    b.press("Discard the email").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // The timeline filter: plain links, each choice a page of its own.
    b.visit(&format!("/cases/{open}")).await;
    for filter in ["Notes and contacts", "Letters", "Changes", "All"] {
        b.follow(filter).await;
        assert_eq!(
            b.text_of("[aria-current=page]").await,
            filter,
            "{filter} is the current choice"
        );
    }
    for path in [
        "/cases?list=all".to_string(),
        "/cases/views".into(),
        "/cases/bulk?list=all&all=true".into(),
        "/cases/bulk".into(),
        "/outbox".into(),
        "/actions".into(),
        format!("/cases/{received}"),
        format!("/cases/{received}/related"),
        format!("/cases/{open}/involvement"),
        format!("/cases/{open}/withdraw"),
        format!("/cases/{decided}"),
        format!("/cases/{decided}/compensation/paid"),
        format!("/cases/{referred}"),
        format!("/cases/{referred}/convert"),
        format!("/cases/{withdrawn}"),
        format!("/cases/{withdrawn}/reopen"),
        format!("/cases/{received}/letters"),
        format!("/cases/{received}/letters/decline"),
        format!("/cases/{open}/letters/stage1_acknowledgement"),
        format!("/cases/{open}/letters/stage1_acknowledgement/sent-elsewhere"),
        "/letters/owed".into(),
        "/letters/print-queue".into(),
        "/letters/receipt".into(),
        "/reports/self-assessment".into(),
        "/reports/annual".into(),
        "/reports/pack".into(),
        "/reports/annual/narrative?year=2026".into(),
        // Issue 30: the retention page and the legal hold form.
        "/retention".into(),
        format!("/cases/{withdrawn}/legal-hold"),
        format!("/cases/{received}/erasure"),
    ] {
        b.visit(&path).await;
        assert!(
            !b.title().await.starts_with("Page not found"),
            "{path}: {}",
            b.main_text().await
        );
    }
    // Issue 26: the self-assessment with an evidence file listed, and "Upload file" pressed
    // with no file chosen: the error beside the file input, its folded section open.
    crate::governance_files::uploaded(&app, &t.officer).await;
    b.visit("/reports/self-assessment?year=2025").await;
    b.assert_text("policy.pdf").await;
    b.find(Locator::XPath(
        "//main//summary[normalize-space()='Add a file for 6.4']",
    ))
    .await
    .click()
    .await
    .expect("open the upload");
    b.press("Upload file for 6.4").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit("/reports/annual/narrative?year=2025").await;
    b.find(Locator::XPath(
        "//main//summary[normalize-space()='Add a file for part 6 (other reports)']",
    ))
    .await
    .click()
    .await
    .expect("open the upload");
    b.press("Upload file for part 6 (other reports)").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // The governing body pack for a date that does not exist: errors beside the boxes.
    b.visit("/reports/pack?from_day=31&from_month=2&from_year=2026&to_day=&to_month=&to_year=")
        .await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // A decline letter sent without its reasons: the content check's errors.
    b.visit(&format!("/cases/{received}/letters/decline")).await;
    b.press("Send letter").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // "Record a letter sent elsewhere" with nothing kept: its errors beside the fields.
    b.visit(&format!(
        "/cases/{open}/letters/stage1_acknowledgement/sent-elsewhere"
    ))
    .await;
    b.press("Record as sent").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // The legal hold form sent without a reason.
    b.visit(&format!("/cases/{withdrawn}/legal-hold")).await;
    b.press("Place the legal hold").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // Issue 30: a subject access request recorded in the browser (errors first), its page
    // with the person's cases to review, the marking form and the extension form.
    b.visit("/subject-access").await;
    b.follow("Record a request").await;
    b.press("Record the request").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.fill("person-name", "Jo Bloggs").await;
    b.fill("email", "jo@example.org").await;
    b.date("received", today()).await;
    b.press("Record the request").await;
    assert!(
        b.heading().await.contains("Jo Bloggs"),
        "{}",
        b.heading().await
    );
    b.assert_text(&received).await;
    let request = b.path().await;
    let change = b
        .find(Locator::Css("a[href$='/marking']"))
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("a Change link");
    b.visit(&change).await;
    b.pick("marking", "third_party").await;
    b.press("Save").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("{request}/extend")).await;
    b.press("Extend the deadline").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit("/subject-access").await;
    // Error pages: a case that does not exist, and a page the role may not open.
    b.visit("/cases/CMP-1999-999999").await;
    b.visit("/admin/users").await;
    // Action forms' errors.
    b.visit(&format!("/cases/{withdrawn}/reopen")).await;
    b.press("Reopen the case").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // The representative's form: consent without any way to send them letters.
    b.visit(&format!("/cases/{open}/representative")).await;
    b.press("Save").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("/cases/{decided}/extend")).await;
    b.pick("reason", "other").await;
    b.press("Record extension").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    assert!(
        b.error_summary_links()
            .await
            .contains(&("#other-reason".to_string(), "input".to_string())),
        "the missing other reason links to its text box"
    );
    b.sign_out().await;

    b.sign_in("dee@example.org").await;
    b.visit("/approvals").await;
    b.visit("/cases").await;
    b.close().await;
}

/// Contact restrictions, through the pages as staff use them, each through axe: the
/// proposal form (empty, then filled), the case page with the proposal waiting, the
/// director's queue and decision form (empty, then approving), the banner, the end form and
/// the notice letter's editor.
#[tokio::test]
async fn contact_restriction_pages_pass_axe() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let reference = crate::investigation::stage1_case(
        &app,
        &t,
        today() - chrono::Duration::days(3),
        today() - chrono::Duration::days(2),
    )
    .await;
    app.create_user("ola@example.org", "Ola Officer", Role::Officer, &[]);
    app.create_user("rae@example.org", "Rae Director", Role::Director, &[t.area]);
    let case = format!("/cases/{reference}");

    let mut b = Browser::start(&app).await;
    b.sign_in("ola@example.org").await;
    b.visit(&case).await;
    b.follow("Propose a contact restriction").await;
    b.press("Propose the restriction").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.fill("what", "Contact by email to the complaints team only")
        .await;
    b.fill("reason", "Forty calls a day to the repairs line")
        .await;
    b.date("review", today() + chrono::Duration::days(30)).await;
    b.press("Propose the restriction").await;
    b.check().await;
    b.assert_text("awaiting a director").await;
    b.sign_out().await;

    b.sign_in("rae@example.org").await;
    b.visit("/approvals").await;
    b.visit(&format!("{case}/restriction/decide")).await;
    b.press("Record the decision").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.pick("decision", "approve").await;
    b.press("Record the decision").await;
    b.check().await;
    b.assert_text("Contact restriction in force").await;
    b.visit(&format!("{case}/restriction/end")).await;
    b.sign_out().await;

    b.sign_in("ola@example.org").await;
    b.visit(&format!("{case}/letters/restriction_notice")).await;
    b.close().await;
}

/// Two-factor sign-in and the audit viewer, each page through axe: a director's enrolment
/// (QR code, a code sent empty, the recovery codes), the code step at the next sign-in
/// (empty, then right), their status page; the administrator's audit log, filtered, and with
/// a date that does not exist.
#[tokio::test]
async fn two_factor_and_audit_pages_pass_axe() {
    require_chromium!();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        // Directors here (the team's officer logs the case with a password alone).
        s.auth.second_factor_roles = vec!["director".into()];
    })
    .await;
    let t = team(&app).await;
    let reference = log_case(
        &t.officer,
        today(),
        &[("vulnerability_notes", "Lives alone")],
    )
    .await;
    t.officer.get_html(&format!("/cases/{reference}")).await;
    app.create_user("ada@example.org", "Ada Admin", Role::Admin, &[]);
    let di = app.create_user("di@example.org", "Di Director", Role::Director, &[t.area]);
    let code = |secret: &str, steps: i64| {
        redress::auth::totp::code_at(secret, chrono::Utc::now().timestamp() + 30 * steps).unwrap()
    };

    let mut b = Browser::start(&app).await;
    b.sign_in("di@example.org").await;
    assert_eq!(b.path().await, "/account/two-factor");
    b.screenshot("two-factor-set-up").await;
    b.press("Turn on two-factor sign-in").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.find(Locator::Css("details summary"))
        .await
        .click()
        .await
        .expect("open the key");
    let secret = b.text_of("#secret-key").await.replace(' ', "");
    b.fill("code", &code(&secret, 0)).await;
    b.press("Turn on two-factor sign-in").await;
    b.assert_heading("Two-factor sign-in is on").await;
    b.screenshot("two-factor-recovery-codes").await;
    b.follow("I have kept my recovery codes").await;
    b.sign_out().await;

    b.visit("/login").await;
    b.fill("email", "di@example.org").await;
    b.fill("password", crate::helpers::PASSWORD).await;
    b.press("Sign in").await;
    assert_eq!(b.path().await, "/login/code");
    b.press("Continue").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.screenshot("two-factor-code").await;
    // The enrolment spent this step's code: the app's next one.
    b.fill("code", &code(&secret, 1)).await;
    b.press("Continue").await;
    assert_eq!(b.path().await, "/");
    b.visit("/account/two-factor").await;
    b.sign_out().await;

    b.sign_in("ada@example.org").await;
    b.nav("Audit log").await;
    b.select("action", "restricted_views").await;
    b.fill("case", &reference).await;
    b.press("Show entries").await;
    b.assert_text("Viewed vulnerability notes").await;
    b.screenshot("audit-log").await;
    b.visit("/admin/audit?from_day=31&from_month=2&from_year=2026")
        .await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit("/admin/users").await;
    b.visit(&format!("/admin/users/{di}")).await;
    b.press("Reset two-factor sign-in").await;
    b.assert_text("Two-factor sign-in reset").await;
    b.close().await;
}

/// A large-print letter's print view: the whole name and address, postcode included, inside
/// the 90 x 35 mm envelope window (issue 19: 168 px of address in a 132 px box once clipped
/// the postcode). The screenshot is docs/screenshots/letter-large-print.png.
#[tokio::test]
async fn a_large_print_address_fits_the_envelope_window() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    app.create_user("tara@example.org", "Tara Officer", Role::Officer, &[]);
    let officer = app.with_new_client();
    officer
        .sign_in("tara@example.org", crate::helpers::PASSWORD)
        .await;
    let reference = crate::letters::triaged_stage1(
        &officer,
        &[
            ("adjustments", "large_print"),
            ("preferred_contact", "letter"),
            ("email", ""),
            ("address_line_1", "Flat 12, Riverside Court"),
            ("address_line_2", "14 Mill Lane"),
            ("address_town", "Anytown"),
            ("address_postcode", "AN1 2BB"),
        ],
    )
    .await;
    let editor = crate::letters::open(&officer, &reference, "stage1_acknowledgement").await;
    let sent = crate::letters::post(
        &officer,
        &reference,
        "stage1_acknowledgement",
        &editor,
        "send",
        &crate::letters::ACK_FIELDS,
    )
    .await;
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
    let id: i32 = {
        use diesel::prelude::*;
        use redress::db::schema::letters;
        letters::table
            .select(letters::id)
            .order(letters::id.desc())
            .first(&mut app.conn())
            .unwrap()
    };
    let mut b = Browser::start(&app).await;
    b.sign_in("tara@example.org").await;
    b.visit(&format!("/letters/{id}/print")).await;
    let fit = b
        .client
        .execute(
            "const box = document.querySelector('.letter__to');
             const frame = box.getBoundingClientRect();
             const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
             let postcode = null;
             while (walker.nextNode()) {
               if (walker.currentNode.textContent.includes('AN1 2BB')) postcode = walker.currentNode;
             }
             const range = document.createRange();
             range.selectNodeContents(postcode);
             const line = range.getBoundingClientRect();
             return [frame.height, box.scrollHeight, line.bottom - frame.top,
                     line.right - frame.left, frame.width,
                     getComputedStyle(box).overflow];",
            vec![],
        )
        .await
        .expect("measure the address block");
    let number = |i: usize| fit[i].as_f64().unwrap();
    let (height, content, postcode_bottom, postcode_right, width) =
        (number(0), number(1), number(2), number(3), number(4));
    assert!((height - 132.0).abs() < 1.5, "the window is 35 mm: {fit}");
    assert!(
        content <= height + 0.5,
        "the address needs {content} px of {height}: {fit}"
    );
    assert!(
        postcode_bottom <= height && postcode_right <= width,
        "the postcode ends at ({postcode_right}, {postcode_bottom}) in a {width} x {height} window: {fit}"
    );
    b.screenshot("letter-large-print").await;
    b.close().await;
}

/// Approvals and the response check (issue 22), each page through axe: the director's list
/// and decision form (empty, then missing its reason, then returning and approving), the
/// case page with the director's comment on it, and the complaints team's "Responses to
/// check" list and check form (empty, then passing).
#[tokio::test]
async fn approval_and_response_check_pages_pass_axe() {
    require_chromium!();
    let app = spawn_app_with(Backend::Sqlite, |s| s.workflow.review_responses = true).await;
    let t = team(&app).await;
    let reference = crate::investigation::stage1_case(
        &app,
        &t,
        today() - chrono::Duration::days(3),
        today() - chrono::Duration::days(2),
    )
    .await;
    app.create_user("ola@example.org", "Ola Officer", Role::Officer, &[]);
    app.create_user("rae@example.org", "Rae Director", Role::Director, &[t.area]);
    let offer = crate::approvals::offer_fields("75.50");
    let drafted = crate::triage::act_owned(&t.manager_client, &reference, "decision", &offer).await;
    assert_eq!(drafted.status(), 303);
    let case = format!("/cases/{reference}");
    let decide = |id: i32| format!("{case}/approval/{id}");

    let mut b = Browser::start(&app).await;
    b.sign_in("rae@example.org").await;
    b.nav("Approvals").await;
    b.assert_text("£75.50: For the delay").await;
    b.visit(&decide(crate::approvals::waiting_id(&app, &reference)))
        .await;
    b.press("Record the decision").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.pick("decision", "decline").await;
    b.press("Record the decision").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.pick("decision", "return").await;
    b.fill("comment", "Split the payment by head, please").await;
    b.press("Record the decision").await;
    b.check().await;
    b.assert_text("Returned with your comment").await;
    b.sign_out().await;

    b.sign_in("mia@example.org").await;
    b.visit(&case).await;
    b.assert_text("Split the payment by head, please").await;
    b.sign_out().await;
    // Signing out ends Mia's other sessions too.
    t.manager_client
        .sign_in("mia@example.org", crate::helpers::PASSWORD)
        .await;
    let saved = crate::triage::act_owned(&t.manager_client, &reference, "decision", &offer).await;
    assert_eq!(saved.status(), 303);

    b.sign_in("rae@example.org").await;
    b.visit(&decide(crate::approvals::waiting_id(&app, &reference)))
        .await;
    b.pick("decision", "approve").await;
    b.press("Record the decision").await;
    b.check().await;
    b.assert_text("Nothing is waiting for a director's approval")
        .await;
    b.sign_out().await;

    b.sign_in("ola@example.org").await;
    b.visit("/responses-to-check").await;
    b.visit(&format!("{case}/response-check")).await;
    b.press("Record the check").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.pick("result", "pass").await;
    b.press("Record the check").await;
    b.check().await;
    b.visit("/responses-to-check").await;
    b.assert_text("No response is waiting to be checked").await;
    b.close().await;
}
