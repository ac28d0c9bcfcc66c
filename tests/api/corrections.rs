//! Correcting a case after logging (issue 20): every family of fields round-trips through
//! the case details page's forms, is refused to the roles not listed, refuses a stale
//! version (409, typed values kept, what changed listed), keeps typed values on bad input
//! (400), is on the timeline and audited without values, and has its effect.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{audit_log, case_events, cases, complainants, letters, outbox, users};
use redress::domain::{Role, UserId};

use crate::helpers::{backends, for_each_backend, location, spawn_app_with, TestApp, PASSWORD};
use crate::triage::{act, date_fields, hidden, log_case, team, today};

fn case_row(app: &TestApp, reference: &str) -> (i32, Option<NaiveDate>, bool, bool) {
    cases::table
        .filter(cases::reference.eq(reference))
        .select((
            cases::id,
            cases::next_due_on,
            cases::health_and_safety,
            cases::confidential,
        ))
        .first(&mut app.conn())
        .unwrap()
}

fn timeline(app: &TestApp, reference: &str) -> Vec<String> {
    let id = case_row(app, reference).0;
    case_events::table
        .filter(case_events::case_id.eq(redress::domain::CaseId(id)))
        .filter(case_events::kind.eq("corrected"))
        .order(case_events::id)
        .select(case_events::summary)
        .load(&mut app.conn())
        .unwrap()
}

fn audit_details(app: &TestApp) -> Vec<String> {
    audit_log::table
        .filter(audit_log::action.eq("case_corrected"))
        .order(audit_log::id)
        .select(audit_log::detail)
        .load(&mut app.conn())
        .unwrap()
}

fn owned(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The complainant form's fields as the logged case has them, with `extra` replacing some.
fn contact_fields(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("complainant_name", "Jo Bloggs"),
        ("tenancy_relationship", "tenant"),
        ("email", ""),
        ("phone", "01632 960 000"),
        ("address_line_1", "1 Old Road"),
        ("address_town", "Anytown"),
        ("address_postcode", "AN1 1AA"),
        ("preferred_contact", "letter"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

/// A stage 1 case from a resident who wants letters by post, at 1 Old Road.
async fn posted_case(officer: &TestApp) -> String {
    let reference = log_case(
        officer,
        today() - Duration::days(1),
        &[
            ("email", ""),
            ("phone", "01632 960 000"),
            ("address_line_1", "1 Old Road"),
            ("address_town", "Anytown"),
            ("address_postcode", "AN1 1AA"),
            ("preferred_contact", "letter"),
        ],
    )
    .await;
    assert_eq!(
        act(officer, &reference, "triage", &[("decision", "stage1")])
            .await
            .status(),
        303
    );
    reference
}

#[tokio::test]
async fn an_officer_corrects_the_telephone_and_address_and_the_next_letter_uses_them() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        // The case page links to the details page, which offers the change.
        let case_page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(case_page.contains(&format!("href=\"/cases/{reference}/details\"")));
        let details = officer
            .get_html(&format!("/cases/{reference}/details"))
            .await;
        assert!(details.contains(&format!("href=\"/cases/{reference}/details/complainant\"")));
        assert!(details.contains("1 Old Road"));

        let editor = crate::letters::open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(editor.html.contains("1 Old Road"));

        let fields = contact_fields(&[
            ("phone", "07700 900 123"),
            ("address_line_1", "22 New Street"),
            ("address_postcode", "AN2 2BB"),
        ]);
        let response = act(&officer, &reference, "details/complainant", &owned(&fields)).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(location(&response), format!("/cases/{reference}/details"));

        let stored: (Option<String>, Option<String>, Option<String>) = complainants::table
            .select((
                complainants::phone,
                complainants::address,
                complainants::postcode,
            ))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(stored.0.as_deref(), Some("07700900123"));
        assert_eq!(stored.1.as_deref(), Some("22 New Street\nAnytown"));
        assert_eq!(stored.2.as_deref(), Some("AN2 2BB"));

        // The timeline names the fields, never the values; so does the audit log.
        let events = timeline(&app, &reference);
        assert_eq!(
            events,
            ["Address changed; Postcode changed; Telephone number changed"]
        );
        let audit = audit_details(&app);
        assert_eq!(audit.len(), 1);
        assert!(audit[0].contains("address") && audit[0].contains("telephone number"));
        assert!(!audit[0].contains("New Street") && !audit[0].contains("07700"));
        // The case page's timeline reads the same, under "Details corrected".
        let case_page = officer.get_html(&format!("/cases/{reference}")).await;
        let entries = crate::case_file::timeline(&case_page);
        assert!(entries.contains("Details corrected"), "{entries}");
        assert!(entries.contains("Telephone number changed"), "{entries}");
        assert!(!entries.contains("New Street") && !entries.contains("07700"));

        // The letter not yet sent uses the new address; once sent it stays as sent.
        let editor = crate::letters::open(&officer, &reference, "stage1_acknowledgement").await;
        assert!(editor.html.contains("22 New Street"));
        assert!(!editor.html.contains("1 Old Road"));
        let sent = crate::letters::post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &crate::letters::ACK_FIELDS,
        )
        .await;
        assert_eq!(sent.status(), 303);
        let fields = contact_fields(&[
            ("phone", "07700 900 123"),
            ("address_line_1", "3 Third Way"),
            ("address_postcode", "AN2 2BB"),
        ]);
        assert_eq!(
            act(&officer, &reference, "details/complainant", &owned(&fields))
                .await
                .status(),
            303
        );
        let frozen: Vec<Option<String>> = letters::table
            .filter(letters::status.eq("sent"))
            .select(letters::recipient_address)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(frozen.len(), 1);
        assert!(frozen[0].as_deref().unwrap().contains("22 New Street"));
    })
    .await;
}

#[tokio::test]
async fn bad_input_keeps_the_typed_values_and_a_stale_version_lists_what_changed() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        let path = format!("/cases/{reference}/details/complainant");

        // Bad input: 400, the error beside the field, the typed values kept.
        let fields = contact_fields(&[
            ("phone", "not a number"),
            ("address_line_1", "9 Typed Lane"),
        ]);
        let response = act(&officer, &reference, "details/complainant", &owned(&fields)).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("href=\"#phone\""), "{page}");
        assert!(page.contains("value=\"not a number\"") && page.contains("value=\"9 Typed Lane\""));

        // Nothing changed: refused, saying so.
        let response = act(
            &officer,
            &reference,
            "details/complainant",
            &owned(&contact_fields(&[])),
        )
        .await;
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Nothing has changed"));

        // Stale: someone else changed the case after the form was opened.
        let form = officer.get_html(&path).await;
        let (version, last) = (hidden(&form, "version"), hidden(&form, "last_event"));
        assert_eq!(
            act(
                &officer,
                &reference,
                "details/flags",
                &[("health_and_safety", "true")]
            )
            .await
            .status(),
            303
        );
        let mut fields = contact_fields(&[("phone", "07700 900 555")]);
        fields.push(("version".into(), version));
        fields.push(("last_event".into(), last));
        let response = officer.post_form(&path, &owned(&fields)).await;
        assert_eq!(response.status(), 409);
        let page = response.text().await.unwrap();
        assert!(page.contains("Changed since you opened it"), "{page}");
        assert!(page.contains("Marked as health and safety"), "{page}");
        assert!(page.contains("value=\"07700 900 555\""));
        let phone: Option<String> = complainants::table
            .select(complainants::phone)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(phone.as_deref(), Some("01632960000"));
    })
    .await;
}

#[tokio::test]
async fn only_the_roles_listed_may_change_each_family() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = posted_case(&t.officer).await;
        let area = t.area.to_string();
        let manager = t.manager.0.to_string();
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
        let other = app.with_new_client();
        other.sign_in("max@example.org", PASSWORD).await;
        let admin = app.signed_in_as(Role::Admin).await;
        let officers_only = [
            "details/complainant",
            "details/flags",
            "details/dates",
            "details/classification",
            "details/description",
            "details/officer",
        ];
        for path in officers_only {
            let url = format!("/cases/{reference}/{path}");
            assert_eq!(t.officer.get(&url).await.status(), 200, "{path}");
            for client in [&t.manager_client, &other, &admin] {
                assert_eq!(client.get(&url).await.status(), 403, "{path}");
                let posted = client
                    .post_form(&url, &[("version", "1"), ("last_event", "0")])
                    .await;
                assert_eq!(posted.status(), 403, "{path}");
            }
        }
        // Adjustments: officers and the assigned manager, not another manager of the area.
        let url = format!("/cases/{reference}/details/adjustments");
        assert_eq!(other.get(&url).await.status(), 403);
        assert_eq!(admin.get(&url).await.status(), 403);
        let response = act(
            &t.manager_client,
            &reference,
            "details/adjustments",
            &[
                ("adjustments", "large_print"),
                ("adjustments", "interpreter"),
                ("interpreter_language", "Polish"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        let stored: (String, Option<String>) = complainants::table
            .select((
                complainants::adjustments,
                complainants::interpreter_language,
            ))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(stored.0, "large_print,interpreter");
        assert_eq!(stored.1.as_deref(), Some("Polish"));
        assert_eq!(
            timeline(&app, &reference),
            ["Reasonable adjustments changed; Interpreter language changed"]
        );
        // The manager's details page offers exactly that change.
        let details = t
            .manager_client
            .get_html(&format!("/cases/{reference}/details"))
            .await;
        assert!(details.contains(&format!("href=\"/cases/{reference}/details/adjustments\"")));
        assert!(!details.contains(&format!("href=\"/cases/{reference}/details/complainant\"")));
        // Large print now sends the next letter to the print queue in large print.
        let editor = crate::letters::open(&t.officer, &reference, "stage1_acknowledgement").await;
        assert!(editor.html.contains("large print"), "{}", editor.html);
        // An interpreter without a language is refused, the choices kept.
        let response = act(
            &t.officer,
            &reference,
            "details/adjustments",
            &[("adjustments", "interpreter"), ("adjustments", "braille")],
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("href=\"#interpreter-language\""));
        assert!(page.contains("value=\"braille\" checked"));
    })
    .await;
}

#[tokio::test]
async fn a_health_and_safety_flag_redates_the_deadlines_under_east_kent() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.rules.policy = "east-kent-housing".into()).await;
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        let (_, due_before, flagged, _) = case_row(&app, &reference);
        assert!(!flagged);
        let response = act(
            &officer,
            &reference,
            "details/flags",
            &[("health_and_safety", "true")],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let (_, due_after, flagged, _) = case_row(&app, &reference);
        assert!(flagged);
        assert!(
            due_after < due_before,
            "{due_before:?} → {due_after:?} on {}",
            app.backend
        );
        assert_eq!(timeline(&app, &reference), ["Marked as health and safety"]);
    }
}

#[tokio::test]
async fn the_received_date_redates_an_open_case_and_is_refused_on_a_closed_one() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        let (_, due_before, _, _) = case_row(&app, &reference);
        let received = today() - Duration::days(8);
        let mut fields: Vec<(String, String)> = vec![("channel".into(), "letter".into())];
        fields.extend(date_fields("received", received));
        fields.extend(date_fields("occurred", today() - Duration::days(11)));
        let response = act(&officer, &reference, "details/dates", &owned(&fields)).await;
        let status = response.status();
        assert_eq!(status, 303, "{}", response.text().await.unwrap());
        let (_, due_after, _, _) = case_row(&app, &reference);
        assert!(due_after < due_before, "{due_before:?} → {due_after:?}");
        let events = timeline(&app, &reference);
        assert_eq!(events.len(), 1);
        assert!(
            events[0].starts_with(
                "How received changed from phone to letter; Received date changed from"
            ),
            "{events:?}"
        );

        // An occurred date after the received date: 400, the dates kept.
        let mut bad: Vec<(String, String)> = vec![("channel".into(), "letter".into())];
        bad.extend(date_fields("received", received));
        bad.extend(date_fields("occurred", received + Duration::days(1)));
        let response = act(&officer, &reference, "details/dates", &owned(&bad)).await;
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("href=\"#occurred-day\""));

        // Withdrawn (closed without a response): the received date is refused.
        assert_eq!(
            act(
                &officer,
                &reference,
                "withdraw",
                &[("choice", "resident"), ("reason", "Sorted out")]
            )
            .await
            .status(),
            303
        );
        let mut closed: Vec<(String, String)> = vec![("channel".into(), "letter".into())];
        closed.extend(date_fields("received", received - Duration::days(1)));
        closed.extend(date_fields("occurred", today() - Duration::days(11)));
        let response = act(&officer, &reference, "details/dates", &owned(&closed)).await;
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("cannot be changed on a closed case"));
    })
    .await;
}

#[tokio::test]
async fn marking_the_complainant_confidential_mid_case_hides_the_name() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = posted_case(&t.officer).await;
        let area = t.area.to_string();
        let manager = t.manager.0.to_string();
        act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &manager)],
        )
        .await;
        let page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(page.contains("Jo Bloggs"));
        let response = act(
            &t.officer,
            &reference,
            "details/flags",
            &[("confidential", "true")],
        )
        .await;
        assert_eq!(response.status(), 303);
        assert!(case_row(&app, &reference).3);
        for path in ["", "/details"] {
            let page = t
                .manager_client
                .get_html(&format!("/cases/{reference}{path}"))
                .await;
            assert!(!page.contains("Jo Bloggs"), "{path}: {page}");
            assert!(page.contains("Confidential complainant"), "{path}");
        }
        let list = t.manager_client.get_html("/cases").await;
        assert!(!list.contains("Jo Bloggs"));
        assert_eq!(
            timeline(&app, &reference),
            ["Complainant marked as confidential"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_case_officer_and_the_old_one_are_told() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        let new_officer = app.create_user("nia@example.org", "Nia Officer", Role::Officer, &[]);
        let id = new_officer.0.to_string();
        let response = act(&officer, &reference, "details/officer", &[("officer", &id)]).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let case_officer: Option<UserId> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::case_officer_id)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(case_officer, Some(new_officer));
        let old_email: String = users::table
            .filter(users::role.eq("officer"))
            .filter(users::id.ne(new_officer))
            .select(users::email)
            .first(&mut app.conn())
            .unwrap();
        let told: Vec<(String, String)> = outbox::table
            .filter(outbox::kind.eq("notification"))
            .select((outbox::recipient, outbox::subject))
            .load(&mut app.conn())
            .unwrap();
        assert!(
            told.iter()
                .any(|(to, s)| to == "nia@example.org" && s.contains("You are now")),
            "{told:?}"
        );
        assert!(
            told.iter()
                .any(|(to, s)| *to == old_email && s.contains("no longer")),
            "{told:?}"
        );
        let events = timeline(&app, &reference);
        assert_eq!(events.len(), 1);
        assert!(events[0].ends_with("to Nia Officer"), "{events:?}");
        assert!(audit_details(&app)[0].contains(&format!("user:{}", new_officer.0)));
    })
    .await;
}

#[tokio::test]
async fn the_description_changes_until_acknowledgement_and_the_draft_follows() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = posted_case(&officer).await;
        // A draft acknowledgement saved with the description as it was.
        let editor = crate::letters::open(&officer, &reference, "stage1_acknowledgement").await;
        let saved = crate::letters::post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "save",
            &[
                ("points", "Repair not done"),
                ("outcome_sought", ""),
                ("body", "Thank you."),
            ],
        )
        .await;
        assert!(
            saved.status().is_redirection() || saved.status() == 200,
            "{}",
            saved.status()
        );
        let response = act(
            &officer,
            &reference,
            "details/description",
            &[
                ("description", "The boiler repair was not done"),
                ("outcome_sought", "A working boiler"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(
            timeline(&app, &reference),
            ["Description of the complaint changed; Outcome sought changed"]
        );
        let details: String = letters::table
            .filter(letters::status.eq("draft"))
            .select(letters::details)
            .first(&mut app.conn())
            .unwrap();
        assert!(
            details.contains("The boiler repair was not done"),
            "{details}"
        );
        assert!(details.contains("A working boiler"), "{details}");
    })
    .await;
}

#[tokio::test]
async fn after_acknowledgement_the_points_are_amended_with_a_reason() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = crate::investigation::stage1_case(&app, &t, today(), today()).await;
        // The description is the acknowledged definition's source: no longer changed.
        let refused = t
            .officer
            .get(&format!("/cases/{reference}/details/description"))
            .await;
        assert_eq!(refused.status(), 409);
        let details = t
            .officer
            .get_html(&format!("/cases/{reference}/details"))
            .await;
        assert!(details.contains(&format!("href=\"/cases/{reference}/details/points\"")));
        assert!(!details.contains(&format!("href=\"/cases/{reference}/details/description\"")));

        // Without a reason: 400, the points as typed kept.
        let response = act(
            &t.officer,
            &reference,
            "details/points",
            &[
                (
                    "points",
                    "1. Repair not done\n2. Rude phone call\n3. Lost letter",
                ),
                ("reason", " "),
            ],
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("href=\"#reason\"") && page.contains("3. Lost letter"));

        let response = act(
            &t.officer,
            &reference,
            "details/points",
            &[
                (
                    "points",
                    "1. Repair not done\n2. Rude phone call\n3. Lost letter",
                ),
                ("reason", "The resident added the lost letter on the phone"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let id = case_row(&app, &reference).0;
        let points: Vec<String> = redress::db::schema::complaint_points::table
            .filter(redress::db::schema::complaint_points::case_id.eq(redress::domain::CaseId(id)))
            .order(redress::db::schema::complaint_points::number)
            .select(redress::db::schema::complaint_points::text)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(
            points,
            ["Repair not done", "Rude phone call", "Lost letter"]
        );
        assert_eq!(
            timeline(&app, &reference),
            ["Stage 1 complaint points amended: The resident added the lost letter on the phone"]
        );
        // Not for the manager.
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/details/points"))
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test]
async fn classification_round_trips_and_a_new_area_outside_the_managers_asks_for_reassignment() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = crate::investigation::stage1_case(&app, &t, today(), today()).await;
        let lettings = crate::helpers::make_area(&app, "Lettings", "LET");
        let now = chrono::Utc::now().naive_utc();
        let damp: i32 = diesel::insert_into(redress::db::schema::categories::table)
            .values((
                redress::db::schema::categories::name.eq("Damp and mould"),
                redress::db::schema::categories::active.eq(true),
                redress::db::schema::categories::created_at.eq(now),
                redress::db::schema::categories::updated_at.eq(now),
            ))
            .returning(redress::db::schema::categories::id)
            .get_result(&mut app.conn())
            .unwrap();
        let damp = damp.to_string();
        let (repairs, lettings) = (t.area.to_string(), lettings.to_string());

        let response = act(
            &t.officer,
            &reference,
            "details/classification",
            &[
                ("category_id", &damp),
                ("service_area_id", &lettings),
                ("property_address", "3 Oak Road"),
                ("property_postcode", "AN3 3CC"),
            ],
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Mia Manager, who is not a member of Lettings"),
            "{page}"
        );
        assert!(page.contains("value=\"3 Oak Road\""));

        let response = act(
            &t.officer,
            &reference,
            "details/classification",
            &[
                ("category_id", &damp),
                ("service_area_id", &repairs),
                ("property_address", "3 Oak Road"),
                ("property_postcode", "an3 3cc"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let stored: (
            Option<redress::domain::CategoryId>,
            Option<redress::domain::PropertyId>,
        ) = cases::table
            .filter(cases::reference.eq(&reference))
            .select((cases::category_id, cases::property_id))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(stored.0.map(|c| c.0), Some(damp.parse().unwrap()));
        assert!(stored.1.is_some());
        assert_eq!(
            timeline(&app, &reference),
            ["Category changed from none to Damp and mould; Property changed"]
        );
    })
    .await;
}

/// Every case's copy of the tenure (`cases.tenure`, which work lists filter by) against its
/// complainant's.
fn tenures(app: &TestApp) -> Vec<(String, String, String)> {
    cases::table
        .inner_join(complainants::table)
        .order(cases::reference)
        .select((
            cases::reference,
            cases::tenure,
            complainants::tenancy_relationship,
        ))
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn correcting_the_tenure_moves_all_the_complainants_cases_in_the_tenure_filter() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let first = posted_case(&officer).await;
        // The same person (name and telephone) complains again: one complainant, two cases.
        let second = posted_case(&officer).await;
        assert_eq!(
            complainants::table
                .count()
                .get_result::<i64>(&mut app.conn())
                .unwrap(),
            1
        );
        let listed = |html: String| {
            [&first, &second]
                .iter()
                .filter(|r| html.contains(&format!("/cases/{r}\"")))
                .count()
        };
        let tenants = officer.get_html("/cases?list=all&tenure=tenant").await;
        assert_eq!(listed(tenants), 2, "{}", app.backend);

        let fields = contact_fields(&[("tenancy_relationship", "leaseholder")]);
        let response = act(&officer, &first, "details/complainant", &owned(&fields)).await;
        assert_eq!(response.status(), 303, "{}", app.backend);

        let leaseholders = officer.get_html("/cases?list=all&tenure=leaseholder").await;
        assert_eq!(listed(leaseholders), 2, "{}", app.backend);
        let tenants = officer.get_html("/cases?list=all&tenure=tenant").await;
        assert_eq!(listed(tenants), 0, "{}", app.backend);
        for (reference, on_case, on_complainant) in tenures(&app) {
            assert_eq!(on_case, "leaseholder", "{reference}");
            assert_eq!(on_case, on_complainant, "{reference}");
        }
    })
    .await;
}
