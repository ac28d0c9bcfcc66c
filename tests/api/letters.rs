//! Letters through the web, as staff use them: drafting, editing, the content check, sending
//! (which records the clock-stopping event and queues the email in one transaction), frozen
//! letters, routing to the representative and the print queue, and the letters owed.

use chrono::Duration;
use diesel::prelude::*;
use redress::cases::access::Scope;
use redress::db::schema::{case_events, cases, complainants, letters, outbox};
use redress::domain::Role;

use crate::helpers::{backends, for_each_backend, location, spawn_app_with, TestApp};
use crate::investigation::stage1_case;
use crate::triage::{act, date_fields, hidden, log_case, team, today};

/// What the letter editor shows: its HTML and the hidden versions it posts back.
pub(crate) struct Editor {
    pub(crate) html: String,
    version: String,
    last_event: String,
    letter_version: String,
}

pub(crate) async fn open(client: &TestApp, reference: &str, kind: &str) -> Editor {
    let response = client
        .get(&format!("/cases/{reference}/letters/{kind}"))
        .await;
    assert_eq!(response.status(), 200, "open {kind}");
    let html = response.text().await.unwrap();
    Editor {
        version: hidden(&html, "version"),
        last_event: hidden(&html, "last_event"),
        letter_version: hidden(&html, "letter_version"),
        html,
    }
}

/// Posts the editor with `action` and `fields`, with the versions `editor` showed.
pub(crate) async fn post(
    client: &TestApp,
    reference: &str,
    kind: &str,
    editor: &Editor,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all = fields.to_vec();
    all.push(("action", action));
    all.push(("version", &editor.version));
    all.push(("last_event", &editor.last_event));
    all.push(("letter_version", &editor.letter_version));
    client
        .post_form(&format!("/cases/{reference}/letters/{kind}"), &all)
        .await
}

pub(crate) const ACK_FIELDS: [(&str, &str); 3] = [
    ("points", "1. Repair not done\n2. Rude phone call"),
    ("outcome_sought", "Fix the repair"),
    ("body", "Thank you for telling us."),
];

/// The complainant (logged with an email address but no preference, which intake stores
/// as "letter") asks for email.
fn prefers_email(app: &TestApp) {
    diesel::update(complainants::table)
        .set(complainants::preferred_channel.eq("email"))
        .execute(&mut app.conn())
        .unwrap();
}

pub(crate) async fn triaged_stage1(officer: &TestApp, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![("preferred_contact", "email")];
    fields.extend_from_slice(extra);
    let reference = log_case(officer, today() - Duration::days(1), &fields).await;
    assert_eq!(
        act(officer, &reference, "triage", &[("decision", "stage1")])
            .await
            .status(),
        303
    );
    reference
}

/// A stage 1 case whose representative gave consent yesterday, reachable through `contact`
/// (their email or postal address fields).
async fn stage1_with_representative(
    officer: &TestApp,
    name: &str,
    relationship: &str,
    contact: &[(&str, &str)],
) -> String {
    let consent = date_fields("representative_consent", today() - Duration::days(1));
    let mut fields = vec![
        ("representative_name", name),
        ("representative_relationship", relationship),
    ];
    fields.extend(consent.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    fields.extend_from_slice(contact);
    triaged_stage1(officer, &fields).await
}

fn case_id(app: &TestApp, reference: &str) -> i32 {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::id)
        .first::<redress::domain::CaseId>(&mut app.conn())
        .unwrap()
        .0
}

type SentLetter = (i32, String, String, Option<String>, String, bool);

fn sent_letters(app: &TestApp, reference: &str) -> Vec<SentLetter> {
    let id = case_id(app, reference);
    letters::table
        .filter(letters::case_id.eq(redress::domain::CaseId(id)))
        .filter(letters::status.eq("sent"))
        // Sent from Redress (a letter recorded as sent elsewhere has no rendering).
        .filter(letters::elsewhere_method.is_null())
        .select((
            letters::id,
            letters::frozen_html.assume_not_null(),
            letters::frozen_text.assume_not_null(),
            letters::recipient_email,
            letters::channel.assume_not_null(),
            letters::large_print,
        ))
        .load(&mut app.conn())
        .unwrap()
}

fn outbox_rows(app: &TestApp, reference: &str) -> Vec<(Option<i32>, String, String, String)> {
    let id = case_id(app, reference);
    outbox::table
        .filter(outbox::case_id.eq(redress::domain::CaseId(id)))
        .filter(outbox::kind.eq("letter"))
        .select((
            outbox::letter_id,
            outbox::recipient,
            outbox::subject,
            outbox::body_text,
        ))
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn sending_the_acknowledgement_letter_stops_the_clock_and_queues_one_email() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = triaged_stage1(&officer, &[]).await;
        let owed = officer
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(
            owed.contains("Write the stage 1 acknowledgement letter"),
            "{owed}"
        );
        let before = open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(before
            .html
            .contains("We will send you our full response by"));

        let response = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &before,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        // No one is assigned yet: the officer goes on to the task list's next step.
        assert_eq!(location(&response), format!("/cases/{reference}/assign"));
        let assign = officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        assert!(
            assign.contains("letter sent: now assign an investigator"),
            "{assign}"
        );

        // The acknowledgement is recorded, dated today, by email.
        let acknowledged: Option<chrono::NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::acknowledged_on)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(acknowledged, Some(today()));
        let kinds: Vec<String> = case_events::table
            .filter(case_events::case_id.eq(redress::domain::CaseId(case_id(&app, &reference))))
            .select(case_events::kind)
            .load(&mut app.conn())
            .unwrap();
        assert!(kinds.contains(&"acknowledged".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"letter_sent".to_string()), "{kinds:?}");

        // Exactly one email, carrying the frozen text, linked to the frozen letter.
        let sent = sent_letters(&app, &reference);
        assert_eq!(sent.len(), 1);
        let (id, html, text, email, channel, large) = &sent[0];
        assert_eq!(channel, "email");
        assert!(!large);
        assert_eq!(email.as_deref(), Some("jo@example.org"));
        assert!(text.contains("1. Repair not done") && text.contains("2. Rude phone call"));
        assert!(html.contains(&reference));
        let mails = outbox_rows(&app, &reference);
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert_eq!(mails[0].0, Some(*id));
        assert_eq!(mails[0].1, "jo@example.org");
        assert_eq!(&mails[0].3, text);
        assert!(mails[0].2.starts_with(&reference));
        assert_eq!(app.audit_count("letter_sent"), 1);

        // The sent letter and its print view show the frozen HTML.
        let shown = officer.get_html(&format!("/letters/{id}")).await;
        assert!(shown.contains("This letter is frozen"));
        assert!(shown.contains(&redress::letters::render::within_page(html)));
        let print = officer.get_html(&format!("/letters/{id}/print")).await;
        assert!(print.contains("letters-print.") && print.contains(html.as_str()));
    })
    .await;
}

#[tokio::test]
async fn a_sent_letter_is_frozen() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = triaged_stage1(&officer, &[]).await;
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        let sent = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(sent.status(), 303);
        let frozen = sent_letters(&app, &reference);

        // Editing or sending it again is refused, clearly, and changes nothing.
        for action in ["save", "send"] {
            let response = post(
                &officer,
                &reference,
                "stage1_acknowledgement",
                &editor,
                action,
                &[("body", "Something else entirely")],
            )
            .await;
            assert_eq!(response.status(), 409, "{action}");
            let page = response.text().await.unwrap();
            assert!(page.contains("A sent letter is frozen"), "{page}");
        }
        assert_eq!(
            officer
                .get(&format!(
                    "/cases/{reference}/letters/stage1_acknowledgement"
                ))
                .await
                .status(),
            409
        );
        assert_eq!(sent_letters(&app, &reference), frozen);
        assert_eq!(outbox_rows(&app, &reference).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn drafts_are_saved_and_a_stale_edit_overwrites_nothing() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = triaged_stage1(&officer, &[]).await;
        let first = open(&officer, &reference, "stage1_acknowledgement").await;
        assert_eq!(first.letter_version, "0");
        let other = open(&officer, &reference, "stage1_acknowledgement").await;

        let mut fields = ACK_FIELDS.to_vec();
        fields[2] = ("body", "First edit");
        let saved = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &first,
            "save",
            &fields,
        )
        .await;
        assert_eq!(saved.status(), 200);
        let page = saved.text().await.unwrap();
        assert!(page.contains("Draft saved"), "{page}");
        assert_eq!(hidden(&page, "letter_version"), "1");

        fields[2] = ("body", "Second, stale edit");
        let stale = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &other,
            "save",
            &fields,
        )
        .await;
        assert_eq!(stale.status(), 409, "a stale draft is a conflict");
        let page = stale.text().await.unwrap();
        assert!(page.contains("changed by someone else"), "{page}");
        assert!(page.contains("Second, stale edit"), "typed text kept");
        assert!(
            page.contains("Changed since you opened it")
                && page.contains("Stage 1 acknowledgement letter draft saved"),
            "says what changed: {page}"
        );
        assert_eq!(
            hidden(&page, "letter_version"),
            "1",
            "now against the stored draft"
        );
        let body: String = letters::table
            .filter(letters::status.eq("draft"))
            .select(letters::body)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(body, "First edit");
        assert_eq!(app.audit_count("letter_draft_saved"), 1);

        // The draft reopens as saved, and the owed letter says it is drafted.
        let reopened = open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(reopened.html.contains("First edit"));
        let section = officer
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(section.contains("Continue the draft"), "{section}");
    })
    .await;
}

#[tokio::test]
async fn the_content_check_refuses_a_response_without_findings_and_lists_what_is_missing() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        prefers_email(&app);
        let editor = open(&t.officer, &reference, "stage1_response").await;
        assert!(editor.html.contains("This letter cannot be sent yet"));
        let response = post(
            &t.officer,
            &reference,
            "stage1_response",
            &editor,
            "send",
            &[("body", "Our response.")],
        )
        .await;
        // Re-shown with what to correct: 400, not a 200 that looks like success. What is
        // missing is in the decision, not the letter: a warning, not an error on the body.
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        let warning = page
            .split("id=\"missing\"")
            .nth(1)
            .expect("the warning lists what is missing");
        assert!(warning.contains("The overall outcome"), "{page}");
        assert!(
            warning.contains("A finding for complaint point 1"),
            "{page}"
        );
        assert!(
            warning.contains("A finding for complaint point 2"),
            "{page}"
        );
        assert!(
            !page.contains("href=\"#body\""),
            "not linked to the body: {page}"
        );
        assert!(!page.contains("id=\"body-error\""), "{page}");
        assert!(sent_letters(&app, &reference).is_empty());
        assert!(outbox_rows(&app, &reference).is_empty());
        let status: String = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::status)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(status, "stage1_open");

        // No extension decided: no extension letter to send.
        let refused = t
            .officer
            .get(&format!("/cases/{reference}/letters/extension"))
            .await;
        assert_eq!(refused.status(), 409);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Extend the response date first"));
    })
    .await;
}

#[tokio::test]
async fn an_extension_letter_without_the_ombudsmans_details_is_refused() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| {
            s.landlord.ombudsman_phone.clear();
            s.landlord.ombudsman_email.clear();
        })
        .await;
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        prefers_email(&app);
        extend(&t.officer, &reference).await;
        let ext = open(&t.officer, &reference, "extension").await;
        let response = post(
            &t.officer,
            &reference,
            "extension",
            &ext,
            "send",
            &[("extension_reason", "interviews_needed")],
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("Housing Ombudsman&#39;s details"), "{page}");
        assert!(
            page.contains("phone number, email address missing"),
            "{page}"
        );
        assert!(sent_letters(&app, &reference).is_empty());
    }
}

/// Extends the response date by 5 working days (the case team's decision); the reply sends
/// them to the extension letter, drafted with it.
pub(crate) async fn extend(client: &TestApp, reference: &str) {
    let mut fields = vec![
        ("length".to_string(), "5".to_string()),
        ("reason".to_string(), "interviews_needed".to_string()),
        ("notified_method".to_string(), "email".to_string()),
    ];
    fields.extend(date_fields("granted", today()));
    fields.extend(date_fields("notified", today()));
    let response = crate::triage::act_owned(client, reference, "extend", &fields).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/cases/{reference}/letters/extension")
    );
}

#[tokio::test]
async fn extending_leads_to_the_drafted_extension_letter_which_is_owed_until_sent() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        prefers_email(&app);
        // No extension yet: no extension letter to write.
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/letters/extension"))
                .await
                .status(),
            409
        );
        let due_before: Option<chrono::NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::next_due_on)
            .first(&mut app.conn())
            .unwrap();
        extend(&t.manager_client, &reference).await;
        let due_after: Option<chrono::NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::next_due_on)
            .first(&mut app.conn())
            .unwrap();
        assert!(due_after > due_before, "{due_before:?} -> {due_after:?}");
        // The letter is drafted with the extension and owed until sent.
        let ext = open(&t.manager_client, &reference, "extension").await;
        assert!(ext
            .html
            .contains("Interviews with staff or witnesses are needed"));
        let new_date = redress::letters::view::long_date(due_after.unwrap());
        assert!(ext.html.contains(&new_date), "{new_date}: {}", ext.html);
        assert!(ext.html.contains("Record a letter sent elsewhere"));
        let owed = t
            .officer
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(
            owed.contains("Continue the draft extension letter"),
            "{owed}"
        );
        let response = post(
            &t.manager_client,
            &reference,
            "extension",
            &ext,
            "send",
            &[
                ("extension_length", "5"),
                ("extension_reason", "interviews_needed"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        // Sending tells the resident; it does not extend again.
        let extensions: i64 = case_events::table
            .filter(case_events::kind.eq("extension"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(extensions, 1);
        let due_sent: Option<chrono::NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::next_due_on)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(due_sent, due_after);
        let (_, html, _, _, _, _) = sent_letters(&app, &reference).remove(0);
        assert!(html.contains("Interviews with staff or witnesses are needed"));
        assert!(html.contains("Housing Ombudsman"));
        assert!(html.contains(&new_date));
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/letters/extension"))
                .await
                .status(),
            409,
            "sent: no longer owed"
        );
    })
    .await;
}

#[tokio::test]
async fn large_print_letters_go_to_the_print_queue_and_are_marked_posted() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = triaged_stage1(
            &officer,
            &[
                ("adjustments", "large_print"),
                ("address_line_1", "12 Mill Lane"),
                ("address_town", "Anytown"),
                ("address_postcode", "AN1 2BB"),
            ],
        )
        .await;
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(
            editor.html.contains("Post (print queue)"),
            "{}",
            editor.html
        );
        assert!(editor.html.contains("letter--large-print"));
        let response = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let sent = sent_letters(&app, &reference);
        let (id, _, _, _, channel, large) = &sent[0];
        assert_eq!(channel, "post");
        assert!(large);
        assert!(
            outbox_rows(&app, &reference).is_empty(),
            "no email for a posted letter"
        );
        let method: String = case_events::table
            .filter(case_events::kind.eq("acknowledged"))
            .select(case_events::detail)
            .first(&mut app.conn())
            .unwrap();
        assert!(method.contains("\"letter\""), "{method}");

        let queue = officer.get_html("/letters/print-queue").await;
        assert!(
            queue.contains(&reference) && queue.contains("Large print"),
            "{queue}"
        );
        let print = officer.get_html(&format!("/letters/{id}/print")).await;
        assert!(print.contains("letter-print--large"));
        assert!(print.contains("12 Mill Lane"));

        let posted = officer
            .post_form(&format!("/letters/{id}/posted"), &[])
            .await;
        assert_eq!(posted.status(), 303);
        assert_eq!(app.audit_count("letter_posted"), 1);
        let queue = officer.get_html("/letters/print-queue").await;
        assert!(!queue.contains(&reference));
        let again = officer
            .post_form(&format!("/letters/{id}/posted"), &[])
            .await;
        assert_eq!(again.status(), 409);
        assert_eq!(app.audit_count("letter_posted"), 1);
        // Only the complaints team runs the print queue.
        let manager = app.signed_in_as(Role::Manager).await;
        assert_eq!(manager.get("/letters/print-queue").await.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_representative_with_consent_receives_the_letter() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = stage1_with_representative(
            &officer,
            "Cllr Grace Hopper",
            "councillor",
            &[("representative_email", "grace@council.example.gov.uk")],
        )
        .await;
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(editor.html.contains("representative; consent recorded"));
        let response = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(response.status(), 303);
        let mails = outbox_rows(&app, &reference);
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].1, "grace@council.example.gov.uk");
        assert!(mails[0].3.contains("Dear Cllr Grace Hopper"));
        assert!(mails[0]
            .3
            .contains("About the complaint made by: Jo Bloggs"));
    })
    .await;
}

#[tokio::test]
async fn a_representative_with_only_a_postal_address_gets_the_letter_by_post() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = stage1_with_representative(
            &officer,
            "Sam Advocate",
            "advocate",
            &[
                ("representative_address_line_1", "Advice Centre"),
                ("representative_address_line_2", "9 Bridge Street"),
                ("representative_address_town", "Anytown"),
                ("representative_address_postcode", "AN3 9ZZ"),
            ],
        )
        .await;
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(
            editor.html.contains("Post (print queue)"),
            "{}",
            editor.html
        );
        let response = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(response.status(), 303);
        assert!(
            outbox_rows(&app, &reference).is_empty(),
            "nothing emailed to the complainant"
        );
        let (id, html, _, _, channel, _) = sent_letters(&app, &reference).remove(0);
        assert_eq!(channel, "post");
        assert!(html.contains("Dear Sam Advocate"), "{html}");
        let queue = officer.get_html("/letters/print-queue").await;
        assert!(queue.contains(&reference), "{queue}");
        let print = officer.get_html(&format!("/letters/{id}/print")).await;
        for line in [
            "Sam Advocate",
            "Advice Centre",
            "9 Bridge Street",
            "AN3 9ZZ",
        ] {
            assert!(print.contains(line), "{line} missing from {print}");
        }
    })
    .await;
}

#[tokio::test]
async fn user_supplied_text_is_escaped_in_the_letter() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = triaged_stage1(&officer, &[("outcome_sought", "<b>now</b>")]).await;
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        let fields = [
            ("points", "<script>alert(1)</script>"),
            ("outcome_sought", "<b>now</b>"),
            ("body", "<img src=x onerror=alert(2)>"),
        ];
        let response = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &fields,
        )
        .await;
        assert_eq!(response.status(), 303);
        let (_, html, text, _, _, _) = sent_letters(&app, &reference).remove(0);
        for raw in ["<script>", "<img", "<b>now"] {
            assert!(!html.contains(raw), "{raw} unescaped in {html}");
        }
        assert!(html.contains("&#60;script&#62;"));
        assert!(text.contains("<script>alert(1)</script>"), "text is plain");
    })
    .await;
}

#[tokio::test]
async fn a_decline_letter_excludes_the_complaint_when_sent() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(
            &officer,
            today() - Duration::days(1),
            &[("preferred_contact", "email")],
        )
        .await;
        let editor = open(&officer, &reference, "decline").await;
        let refused = post(
            &officer,
            &reference,
            "decline",
            &editor,
            "send",
            &[("body", "Hello")],
        )
        .await;
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("The exclusion reason: select at least one"),
            "{page}"
        );
        assert!(page.contains("Why the complaint is excluded"), "{page}");
        let response = post(
            &officer,
            &reference,
            "decline",
            &editor,
            "send",
            &[
                ("exclusion_reasons", "legal_proceedings"),
                ("exclusion_explanation", "A claim was issued on 1 November."),
                ("body", "Thank you for contacting us."),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let (status, classification): (String, Option<String>) = cases::table
            .filter(cases::reference.eq(&reference))
            .select((cases::status, cases::classification))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            (status.as_str(), classification.as_deref()),
            ("closed", Some("excluded"))
        );
        let (_, html, _, _, _, _) = sent_letters(&app, &reference).remove(0);
        assert!(html.contains("Legal proceedings have started"));
        assert!(html.contains("A claim was issued on 1 November."));
        assert_eq!(outbox_rows(&app, &reference).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn letters_owed_are_listed_with_their_deadlines_and_counted() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let unacknowledged = triaged_stage1(&t.officer, &[]).await;
        let investigating = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        prefers_email(&app);
        let page = t.officer.get_html("/letters/owed").await;
        assert!(
            page.contains(&unacknowledged) && page.contains(&investigating),
            "{page}"
        );
        assert!(page.contains("Stage 1 acknowledgement") && page.contains("Stage 1 response"));
        assert_eq!(
            redress::letters::owed::count(&mut app.conn(), &Scope::All).unwrap(),
            2
        );
        assert_eq!(
            redress::letters::owed::count(&mut app.conn(), &Scope::Nothing).unwrap(),
            0
        );
        // An extension drafts its letter, owed too, in the list and in the count alike.
        extend(&t.officer, &investigating).await;
        let listed = redress::letters::owed::list(&mut app.conn(), &Scope::All).unwrap();
        assert_eq!(listed.len(), 3);
        assert_eq!(
            redress::letters::owed::count(&mut app.conn(), &Scope::All).unwrap(),
            3
        );
        let mine = Scope::AssignedOrInAreas {
            user: t.manager,
            areas: vec![],
        };
        assert_eq!(
            redress::letters::owed::count(&mut app.conn(), &mine).unwrap(),
            redress::letters::owed::list(&mut app.conn(), &mine)
                .unwrap()
                .len()
        );
        // A manager sees those in their areas or assigned to them: the assigned one.
        let mine = t.manager_client.get_html("/letters/owed").await;
        assert!(
            mine.contains(&investigating) && !mine.contains(&unacknowledged),
            "{mine}"
        );
        // Nobody but the complaints team sends an acknowledgement.
        assert_eq!(
            t.manager_client
                .get(&format!(
                    "/cases/{investigating}/letters/stage1_acknowledgement"
                ))
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test]
async fn the_stage1_response_letter_sends_the_decision_and_the_stage2_acknowledgement_follows() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
        )
        .await;
        prefers_email(&app);
        let decision = [
            ("outcome", "partly_upheld"),
            ("summary", "We were slow to repair."),
            ("finding_1", "upheld"),
            ("reasons_1", "The repair took six weeks."),
            ("finding_2", "not_upheld"),
            ("reasons_2", "The call was polite."),
            ("remedy_kind_1", "apology"),
            ("remedy_description_1", "We apologise for the delay"),
        ];
        assert_eq!(
            act(&t.manager_client, &reference, "decision", &decision)
                .await
                .status(),
            303
        );
        // The assigned manager may send it; so may the complaints team.
        let editor = open(&t.officer, &reference, "stage1_response").await;
        assert!(
            !editor.html.contains("This letter cannot be sent yet"),
            "{}",
            editor.html
        );
        let response = post(
            &t.officer,
            &reference,
            "stage1_response",
            &editor,
            "send",
            &[("body", "Our response.")],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let (status, outcomes): (String, i64) = (
            cases::table
                .filter(cases::reference.eq(&reference))
                .select(cases::status)
                .first(&mut app.conn())
                .unwrap(),
            redress::db::schema::stage_outcomes::table
                .count()
                .get_result(&mut app.conn())
                .unwrap(),
        );
        assert_eq!((status.as_str(), outcomes), ("closed", 1));
        let (_, html, text, _, _, _) = sent_letters(&app, &reference).remove(0);
        for element in [
            "Partly upheld",
            "Point 1: Repair not done",
            "The repair took six weeks.",
            "Point 2: Rude phone call",
            "The call was polite.",
            "We apologise for the delay",
            "escalate your complaint to stage 2",
        ] {
            assert!(html.contains(element), "{element}: {html}");
            assert!(text.contains(element), "{element}: {text}");
        }
        assert_eq!(outbox_rows(&app, &reference).len(), 1);

        // The resident escalates: the stage 2 acknowledgement is owed, carrying the points.
        let mut fields = vec![("choice".to_string(), "escalate".to_string())];
        fields.extend(crate::triage::date_fields("on", today()));
        assert_eq!(
            crate::triage::act_owned(&t.officer, &reference, "escalate", &fields)
                .await
                .status(),
            303
        );
        let editor = open(&t.officer, &reference, "stage2_acknowledgement").await;
        assert!(
            editor.html.contains("1. Repair not done"),
            "{}",
            editor.html
        );
        let response = post(
            &t.officer,
            &reference,
            "stage2_acknowledgement",
            &editor,
            "send",
            &[
                ("points", "1. Repair not done\n2. Rude phone call"),
                ("outcome_sought", "A review"),
                ("body", "We have escalated your complaint."),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        assert_eq!(outbox_rows(&app, &reference).len(), 2);
        let acknowledged: Option<chrono::NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::acknowledged_on)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(acknowledged, Some(today()));
    })
    .await;
}

#[tokio::test]
async fn letter_pages_allow_and_refuse_by_role_and_scope() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        prefers_email(&app);
        app.create_user("out@example.org", "Olly Outside", Role::Manager, &[]);
        let outsider = app.with_new_client();
        outsider
            .sign_in("out@example.org", crate::helpers::PASSWORD)
            .await;
        let admin = app.signed_in_as(Role::Admin).await;
        let case = format!("/cases/{reference}");
        // officer, assigned manager, manager outside the case, admin
        let table = [
            ("/letters/owed".to_string(), [200, 200, 200, 403]),
            ("/letters/print-queue".to_string(), [200, 403, 403, 403]),
            (format!("{case}/letters"), [200, 200, 403, 403]),
            (
                format!("{case}/letters/stage1_response"),
                [200, 200, 403, 403],
            ),
            (
                format!("{case}/letters/stage1_response/sent-elsewhere"),
                [200, 200, 403, 403],
            ),
            // No extension decided: its letter is not owed (409) to those who may write it.
            (format!("{case}/letters/extension"), [409, 409, 403, 403]),
            // Only the steps completed by reaching the resident have the form.
            (
                format!("{case}/letters/decline/sent-elsewhere"),
                [404, 404, 404, 404],
            ),
            (format!("{case}/letters/decline"), [409, 403, 403, 403]),
            (format!("{case}/letters/nonsense"), [404, 404, 404, 404]),
        ];
        let clients = [&t.officer, &t.manager_client, &outsider, &admin];
        for (path, expected) in &table {
            for (client, want) in clients.iter().zip(expected) {
                let got = client.get(path).await.status().as_u16();
                assert_eq!(got, *want, "{path}: expected {expected:?}");
            }
        }
        // Writes are refused the same way, and need the CSRF token.
        let outsider_post = outsider
            .post_form(&format!("{case}/letters/extension"), &[("action", "save")])
            .await;
        assert_eq!(outsider_post.status(), 403);
        let no_token = t
            .officer
            .post_raw(&format!("{case}/letters/extension"), &[("action", "save")])
            .await;
        assert_eq!(no_token.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_stage0_decision_letter_is_filled_from_the_decision_and_sent() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.rules.policy = "south-essex-homes".into()).await;
        let t = team(&app).await;
        let reference = log_case(
            &t.officer,
            today() - Duration::days(1),
            &[("preferred_contact", "email")],
        )
        .await;
        assert_eq!(
            act(&t.officer, &reference, "triage", &[("decision", "stage0")])
                .await
                .status(),
            303
        );
        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        assert_eq!(
            act(
                &t.officer,
                &reference,
                "assign",
                &[("service_area", &area), ("manager", &manager)]
            )
            .await
            .status(),
            303
        );
        // No acknowledgement at stage 0: the decision letter is what is owed.
        let section = t
            .officer
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(
            section.contains("Write the stage 0 decision letter"),
            "{section}"
        );
        assert_eq!(
            act(
                &t.manager_client,
                &reference,
                "decision",
                &[
                    ("outcome", "resolved_first_point"),
                    ("summary", "We booked the repair for Monday."),
                ],
            )
            .await
            .status(),
            303
        );
        let editor = open(&t.manager_client, &reference, "stage0_decision").await;
        assert!(
            !editor.html.contains("This letter cannot be sent yet"),
            "{}",
            editor.html
        );
        assert!(editor.html.contains("We booked the repair for Monday."));
        assert!(editor
            .html
            .contains("register your complaint formally at stage 1"));
        let response = post(
            &t.manager_client,
            &reference,
            "stage0_decision",
            &editor,
            "send",
            &[("body", "Thank you for calling us.")],
        )
        .await;
        // Sent: the stage 0 decision closes the stage (the Code, which has no stage 0, is not
        // asked) and exactly one email carries the frozen letter.
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let sent = sent_letters(&app, &reference);
        assert_eq!(sent.len(), 1);
        assert!(sent[0].2.contains("We booked the repair for Monday."));
        assert_eq!(outbox_rows(&app, &reference).len(), 1);
        let status: String = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::status)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(status, "closed");
    }
}
