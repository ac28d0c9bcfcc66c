//! One route per job (issue 21): each clock-stopping step is done in its letter — sent from
//! Redress, or "Record a letter sent elsewhere" on the same step, with the date, how it went
//! and a copy kept (typed text or an uploaded file). Recording it elsewhere records the same
//! transition; which methods complete which step is the policy profile's (a stage 1 response
//! is in writing, Code 6.9; East Kent Housing's first point resolution may be by telephone).
//! The retired "Record acknowledgement" and "Send the decision" addresses lead to the letter.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{attachments, case_events, cases, letters, stage_outcomes};
use redress::rules::Unit;

use crate::helpers::{calendar, for_each_backend, location, spawn_app_with, TestApp};
use crate::investigation::{decision_fields, stage1_case};
use crate::triage::{act, act_owned, date_fields, hidden, log_case, row_of, team, today, Team};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const BOUNDARY: &str = "redress-elsewhere-boundary-8a2e";

/// The copy kept: typed, or a file.
#[derive(Clone, Copy, Debug)]
enum Copy {
    Typed,
    File,
}

/// Opens "record a letter sent elsewhere" for `kind` and posts it as the browser does
/// (`multipart/form-data`, the CSRF token in the action URL) with `fields` and the copy.
async fn record_elsewhere(
    client: &TestApp,
    reference: &str,
    kind: &str,
    fields: &[(&str, &str)],
    copy: Copy,
) -> reqwest::Response {
    let page = client
        .get_html(&format!("/cases/{reference}/letters/{kind}/sent-elsewhere"))
        .await;
    let marker = format!("action=\"/cases/{reference}/letters/{kind}/sent-elsewhere?csrf_token=");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no form: {page}"))
        + 8;
    let end = page[start..].find('"').unwrap() + start;
    let action = page[start..end].replace("&amp;", "&");
    let (version, last_event) = (hidden(&page, "version"), hidden(&page, "last_event"));
    let mut body = Vec::new();
    let mut part = |name: &str, value: &str| {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    };
    part("version", &version);
    part("last_event", &last_event);
    for (name, value) in fields {
        part(name, value);
    }
    match copy {
        Copy::Typed => part("copy_text", "Dear resident, a copy of what we sent."),
        Copy::File => {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"copy_file\"; filename=\"letter as sent.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(PDF);
            body.extend_from_slice(b"\r\n");
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    client
        .client
        .post(client.url(&action))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST")
}

/// Records `kind` as sent elsewhere with a typed copy (for other tests' letters).
pub(crate) async fn record_typed(
    client: &TestApp,
    reference: &str,
    kind: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    record_elsewhere(client, reference, kind, fields, Copy::Typed).await
}

fn case_id(app: &TestApp, reference: &str) -> i32 {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::id)
        .first(&mut app.conn())
        .unwrap()
}

/// A sent letter: (kind, method it was recorded sent elsewhere by, typed copy, attachment).
type Recorded = (String, Option<String>, Option<String>, Option<i32>);

fn recorded(app: &TestApp, reference: &str) -> Vec<Recorded> {
    letters::table
        .filter(letters::case_id.eq(case_id(app, reference)))
        .filter(letters::status.eq("sent"))
        .order(letters::id)
        .select((
            letters::kind,
            letters::elsewhere_method,
            letters::frozen_text,
            letters::copy_attachment_id,
        ))
        .load(&mut app.conn())
        .unwrap()
}

fn events(app: &TestApp, reference: &str, kind: &str) -> usize {
    case_events::table
        .filter(case_events::case_id.eq(case_id(app, reference)))
        .filter(case_events::kind.eq(kind))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap() as usize
}

/// A stage 1 case received yesterday, triaged and assigned, not yet acknowledged.
async fn unacknowledged(t: &Team) -> String {
    let reference = log_case(&t.officer, today() - Duration::days(1), &[]).await;
    assert_eq!(
        act(&t.officer, &reference, "triage", &[("decision", "stage1")])
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
    reference
}

/// Records `kind` (an acknowledgement letter, say `stage1_acknowledgement`) as sent today by
/// telephone outside Redress, with the agreed points and a typed note: for tests that need an
/// acknowledged case.
pub(crate) async fn acknowledge_by_phone(
    client: &TestApp,
    reference: &str,
    kind: &str,
) -> reqwest::Response {
    let date = sent_today();
    let mut fields = borrowed(&date);
    fields.extend([
        ("method", "phone"),
        ("points", "Repair not done"),
        ("outcome_sought", "The repair done"),
    ]);
    record_elsewhere(client, reference, kind, &fields, Copy::Typed).await
}

/// Records the response letter `kind` (`stage1_response`, say) as emailed today outside
/// Redress, with a typed copy.
pub(crate) async fn respond_by_email(
    client: &TestApp,
    reference: &str,
    kind: &str,
) -> reqwest::Response {
    let date = sent_today();
    let mut fields = borrowed(&date);
    fields.push(("method", "email"));
    record_elsewhere(client, reference, kind, &fields, Copy::Typed).await
}

fn sent_today() -> Vec<(String, String)> {
    date_fields("sent", today()).to_vec()
}

fn borrowed(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn an_acknowledgement_recorded_elsewhere_stops_the_clock_and_keeps_its_copy() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let cal = calendar();
        for (method, copy) in [("phone", Copy::Typed), ("letter", Copy::File)] {
            let reference = unacknowledged(&t).await;
            // The acknowledgement letter offers the way to record one sent elsewhere.
            let editor = t
                .officer
                .get_html(&format!(
                    "/cases/{reference}/letters/stage1_acknowledgement"
                ))
                .await;
            assert!(
                editor.contains("/letters/stage1_acknowledgement/sent-elsewhere"),
                "{editor}"
            );
            let date = sent_today();
            let mut fields = borrowed(&date);
            fields.extend([
                ("method", method),
                ("points", "1. Repair not done\n2. Rude phone call"),
                ("outcome_sought", "The repair done"),
            ]);
            let response = record_elsewhere(
                &t.officer,
                &reference,
                "stage1_acknowledgement",
                &fields,
                copy,
            )
            .await;
            assert_eq!(response.status(), 303, "{method} on {}", app.backend);
            // The same transition as the letter: acknowledged today, the response due 10
            // working days on (hoc-2024 counts it from the acknowledgement).
            assert_eq!(events(&app, &reference, "acknowledged"), 1);
            assert_eq!(
                row_of(&app, &reference).4,
                Some(cal.add(today(), 10, Unit::WorkingDays).unwrap())
            );
            let kept = recorded(&app, &reference);
            assert_eq!(kept.len(), 1, "{kept:?}");
            let (kind, how, text, file) = &kept[0];
            assert_eq!(kind, "stage1_acknowledgement");
            assert_eq!(how.as_deref(), Some(method));
            match copy {
                Copy::Typed => {
                    assert_eq!(
                        text.as_deref(),
                        Some("Dear resident, a copy of what we sent.")
                    );
                    assert_eq!(*file, None);
                }
                Copy::File => {
                    let file = file.expect("the uploaded copy is kept");
                    let name: String = attachments::table
                        .find(file)
                        .select(attachments::file_name)
                        .first(&mut app.conn())
                        .unwrap();
                    assert_eq!(name, "letter as sent.pdf");
                }
            }
            // Visible on the case's letters, the letter's page and the timeline.
            let section = t
                .officer
                .get_html(&format!("/cases/{reference}/letters"))
                .await;
            let how_words = if method == "phone" {
                "telephone"
            } else {
                method
            };
            assert!(
                section.contains(&format!("sent outside Redress by {how_words}")),
                "{section}"
            );
            let page = t.officer.get_html(&format!("/cases/{reference}")).await;
            assert!(page.contains("Sent outside Redress by"), "{page}");
            let id: i32 = letters::table
                .filter(letters::case_id.eq(case_id(&app, &reference)))
                .select(letters::id)
                .first(&mut app.conn())
                .unwrap();
            let letter = t.officer.get_html(&format!("/letters/{id}")).await;
            match copy {
                Copy::Typed => assert!(letter.contains("a copy of what we sent"), "{letter}"),
                Copy::File => assert!(letter.contains("Download the copy"), "{letter}"),
            }
            // The step is done: the letter is no longer owed.
            assert_eq!(
                t.officer
                    .get(&format!(
                        "/cases/{reference}/letters/stage1_acknowledgement/sent-elsewhere"
                    ))
                    .await
                    .status(),
                409
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_response_recorded_elsewhere_sends_the_decision_with_met_or_late_as_before() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        for copy in [Copy::Typed, Copy::File] {
            let received = today() - Duration::days(3);
            let reference = stage1_case(&app, &t, received, received).await;
            let draft = decision_fields(&[("1", "upheld"), ("2", "not_upheld")], &[]);
            assert_eq!(
                act_owned(&t.manager_client, &reference, "decision", &draft)
                    .await
                    .status(),
                303
            );
            let date = sent_today();
            let mut fields = borrowed(&date);
            fields.push(("method", "email"));
            let response = record_elsewhere(
                &t.manager_client,
                &reference,
                "stage1_response",
                &fields,
                copy,
            )
            .await;
            assert_eq!(response.status(), 303, "{copy:?} on {}", app.backend);
            assert_eq!(row_of(&app, &reference).0, "closed");
            let (met, days_late): (bool, i32) = stage_outcomes::table
                .filter(stage_outcomes::case_id.eq(case_id(&app, &reference)))
                .select((stage_outcomes::met, stage_outcomes::days_late))
                .first(&mut app.conn())
                .unwrap();
            assert!(met, "answered within 10 working days");
            assert_eq!(days_late, 0);
            assert_eq!(events(&app, &reference, "response"), 1);
            let kept = recorded(&app, &reference);
            let response = kept
                .iter()
                .find(|(kind, ..)| kind == "stage1_response")
                .expect("the response is kept");
            assert_eq!(response.1.as_deref(), Some("email"));
            match copy {
                Copy::Typed => assert!(response.2.as_deref().unwrap().contains("a copy")),
                Copy::File => assert!(response.3.is_some()),
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_stage1_response_by_telephone_is_refused_beside_the_field() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(3);
        let reference = stage1_case(&app, &t, received, received).await;
        let draft = decision_fields(&[("1", "upheld"), ("2", "upheld")], &[]);
        act_owned(&t.manager_client, &reference, "decision", &draft).await;
        // The form offers only letter and email.
        let form = t
            .manager_client
            .get_html(&format!(
                "/cases/{reference}/letters/stage1_response/sent-elsewhere"
            ))
            .await;
        assert!(!form.contains("value=\"phone\""), "{form}");
        let date = sent_today();
        let mut fields = borrowed(&date);
        fields.push(("method", "phone"));
        let response = record_elsewhere(
            &t.manager_client,
            &reference,
            "stage1_response",
            &fields,
            Copy::Typed,
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        let beside = page
            .split("id=\"method-error\"")
            .nth(1)
            .expect("the message is beside the method");
        assert!(beside.contains("must be in writing"), "{page}");
        assert!(
            page.contains("href=\"#method\""),
            "the summary links to the field"
        );
        assert_eq!(row_of(&app, &reference).1.as_deref(), Some("stage1"));
        assert_eq!(events(&app, &reference, "response"), 0);
        assert!(recorded(&app, &reference)
            .iter()
            .all(|(kind, ..)| kind != "stage1_response"));
    })
    .await;
}

/// A stage 0 case under `policy` with its decision drafted; the officer records the
/// response by telephone with a note.
async fn stage0_by_phone(policy: &'static str) -> (TestApp, String, reqwest::Response) {
    let app = spawn_app_with(crate::helpers::Backend::Sqlite, move |s| {
        s.rules.policy = policy.into()
    })
    .await;
    let t = team(&app).await;
    let reference = log_case(&t.officer, today() - Duration::days(1), &[]).await;
    assert_eq!(
        act(&t.officer, &reference, "triage", &[("decision", "stage0")])
            .await
            .status(),
        303
    );
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    act(
        &t.officer,
        &reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await;
    if policy == "south-essex-homes" {
        // Its stage 0 has an acknowledgement (by telephone, allowed: the Code sets no form).
        let mut ack = vec![
            ("method".to_string(), "phone".to_string()),
            ("points".to_string(), "Repair not done".to_string()),
        ];
        ack.extend(date_fields("sent", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "acknowledge", &ack)
                .await
                .status(),
            303
        );
    }
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
    let date = sent_today();
    let mut fields = borrowed(&date);
    fields.push(("method", "phone"));
    let response = record_elsewhere(
        &t.manager_client,
        &reference,
        "stage0_decision",
        &fields,
        Copy::Typed,
    )
    .await;
    (app, reference, response)
}

#[tokio::test]
async fn a_stage0_telephone_response_follows_the_policy_profile() {
    // East Kent Housing 4.1.2: "we will telephone you" -- a first point resolution by phone.
    let (app, reference, response) = stage0_by_phone("east-kent-housing").await;
    assert_eq!(response.status(), 303);
    assert_eq!(row_of(&app, &reference).0, "closed");
    let kept = recorded(&app, &reference);
    assert_eq!(kept[0].1.as_deref(), Some("phone"));
    assert!(kept[0].2.as_deref().unwrap().contains("a copy"));
    // hoc-2024 has no stage 0 (Code 5.2); South Essex Homes has one and names no telephone
    // response, so the Code's rule (in writing) applies.
    let (app, reference, response) = stage0_by_phone("south-essex-homes").await;
    assert_eq!(response.status(), 400);
    let page = response.text().await.unwrap();
    assert!(page.contains("id=\"method-error\""), "{page}");
    assert_eq!(row_of(&app, &reference).1.as_deref(), Some("stage0"));
    assert_ne!(row_of(&app, &reference).0, "closed");
}

#[tokio::test]
async fn a_telephone_acknowledgement_needs_a_note_and_nothing_is_kept_without_a_copy() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = unacknowledged(&t).await;
        let mut fields: Vec<(String, String)> = vec![
            ("method".into(), "phone".into()),
            ("points".into(), "Repair not done".into()),
        ];
        fields.extend(date_fields("sent", today()));
        let response = act_owned(
            &t.officer,
            &reference,
            "letters/stage1_acknowledgement/sent-elsewhere",
            &fields,
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"copy-text-error\""), "{page}");
        assert!(page.contains("Enter a note of the call"), "{page}");
        // The typed values are kept.
        assert!(page.contains("Repair not done"));
        assert_eq!(events(&app, &reference, "acknowledged"), 0);
        assert!(recorded(&app, &reference).is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_retired_addresses_lead_to_the_letter() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = unacknowledged(&t).await;
        let old = t
            .officer
            .get(&format!("/cases/{reference}/acknowledge"))
            .await;
        assert_eq!(old.status(), 303);
        assert_eq!(
            location(&old),
            format!("/cases/{reference}/letters/stage1_acknowledgement")
        );
        let posted = t
            .officer
            .post_form(
                &format!("/cases/{reference}/acknowledge"),
                &[("method", "letter"), ("version", "1"), ("last_event", "0")],
            )
            .await;
        assert_eq!(posted.status(), 404);
        assert!(posted.text().await.unwrap().contains("This page has moved"));
        let received = today() - Duration::days(3);
        let answered = stage1_case(&app, &t, received, received).await;
        // The old "Send the decision" address, once a decision is drafted (before, it is
        // refused as the action itself is).
        crate::investigation::draft_with_compensation(&t.manager_client, &answered).await;
        let old_send = t
            .manager_client
            .get(&format!("/cases/{answered}/decision/send"))
            .await;
        assert_eq!(old_send.status(), 303);
        assert_eq!(
            location(&old_send),
            format!("/cases/{answered}/letters/stage1_response")
        );
        let posted = t
            .manager_client
            .post_form(
                &format!("/cases/{answered}/decision/send"),
                &[("method", "email"), ("version", "1"), ("last_event", "0")],
            )
            .await;
        assert_eq!(posted.status(), 404);
        assert_eq!(events(&app, &answered, "response"), 0);
        let _: NaiveDate = today();
    })
    .await;
}

#[tokio::test]
async fn a_directors_approval_missing_is_a_warning_not_an_error_on_the_letter_body() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(3);
        let reference = stage1_case(&app, &t, received, received).await;
        let draft = decision_fields(
            &[("1", "upheld"), ("2", "upheld")],
            &[
                ("remedy_kind_1", "compensation"),
                ("remedy_description_1", "For the delay"),
                ("remedy_time_and_trouble_1", "50"),
            ],
        );
        act_owned(&t.manager_client, &reference, "decision", &draft).await;
        let editor = t
            .manager_client
            .get_html(&format!("/cases/{reference}/letters/stage1_response"))
            .await;
        let mut fields = vec![
            ("action", "send"),
            ("body", "Our response."),
            ("version", ""),
            ("last_event", ""),
            ("letter_version", "0"),
        ];
        let (version, last_event) = (hidden(&editor, "version"), hidden(&editor, "last_event"));
        fields[2].1 = &version;
        fields[3].1 = &last_event;
        let response = t
            .manager_client
            .post_form(
                &format!("/cases/{reference}/letters/stage1_response"),
                &fields,
            )
            .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        // The GOV.UK warning above the letter lists it.
        let warning = page
            .split("id=\"missing\"")
            .nth(1)
            .expect("the warning's list");
        assert!(warning.contains("A director&#39;s approval"), "{page}");
        assert!(
            !page.contains("href=\"#body\""),
            "not linked to the body: {page}"
        );
        assert!(!page.contains("id=\"body-error\""), "{page}");
        assert_eq!(events(&app, &reference, "response"), 0);
    })
    .await;
}
