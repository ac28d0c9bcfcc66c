//! Investigation and the stage 1 decision: notes and contacts, extensions against the rules
//! engine, findings per point, compensation approval, sending and the frozen outcome, and
//! outstanding actions that outlive closure.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{
    case_events, cases, compensation_payments, improvement_actions, remedies, stage_outcomes,
};
use redress::domain::{Role, UserId};
use redress::rules::Unit;

use crate::helpers::{calendar, for_each_backend, location, spawn_app, Backend, TestApp};
use crate::triage::{
    act, act_owned, date_fields, log_case, row_of, team, today, with_copy, Team, ACK1, RESPOND1,
};

/// A stage 1 case received `received`, acknowledged on `acknowledged` with two points,
/// assigned to the team's manager.
pub async fn stage1_case(
    app: &TestApp,
    t: &Team,
    received: NaiveDate,
    acknowledged: NaiveDate,
) -> String {
    let reference = log_case(&t.officer, received, &[]).await;
    assert_eq!(
        act(&t.officer, &reference, "triage", &[("decision", "stage1")])
            .await
            .status(),
        303
    );
    // Triage is today; acknowledgements in the past are allowed from the stage start (receipt).
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
    let mut fields = vec![
        ("method".to_string(), "letter".to_string()),
        (
            "points".to_string(),
            "Repair not done\nRude phone call".to_string(),
        ),
    ];
    fields.extend(date_fields("sent", acknowledged));
    assert_eq!(
        act_owned(&t.officer, &reference, ACK1, &with_copy(&fields))
            .await
            .status(),
        303
    );
    let _ = app;
    reference
}

fn extension(length: &str, granted: NaiveDate, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("length".to_string(), length.to_string()),
        ("reason".to_string(), "interviews_needed".to_string()),
        ("notified_method".to_string(), "email".to_string()),
    ];
    fields.extend(date_fields("granted", granted));
    fields.extend(date_fields("notified", granted));
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields
}

/// A stage 1 case whose decision offers £75.50 compensation, approved by a director of the
/// area: the state in which the officer may record the payment.
pub async fn compensation_approved_case(app: &TestApp, t: &Team) -> String {
    let reference = stage1_case(
        app,
        t,
        today() - Duration::days(2),
        today() - Duration::days(1),
    )
    .await;
    draft_with_compensation(&t.manager_client, &reference).await;
    approve_compensation(&crate::triage::area_director(app, t).await, &reference).await;
    reference
}

/// The assigned manager decides point 1, offering £75.50 compensation.
pub async fn draft_with_compensation(manager: &TestApp, reference: &str) {
    let draft = decision_fields(
        &[("1", "upheld")],
        &[
            ("remedy_kind_1", "compensation"),
            ("remedy_description_1", "For the delay"),
            ("remedy_time_and_trouble_1", "75.50"),
        ],
    );
    let drafted = act_owned(manager, reference, "decision", &draft).await;
    assert_eq!(drafted.status(), 303, "{}", drafted.text().await.unwrap());
}

/// A director approves the compensation from the case page.
pub async fn approve_compensation(director: &TestApp, reference: &str) {
    let page = director.get_html(&format!("/cases/{reference}")).await;
    let (v, l) = (
        crate::triage::hidden(&page, "version"),
        crate::triage::hidden(&page, "last_event"),
    );
    let approved = director
        .post_form(
            &format!("/cases/{reference}/compensation/approve"),
            &[("version", &v), ("last_event", &l)],
        )
        .await;
    assert_eq!(approved.status(), 303);
}

#[tokio::test]
async fn notes_and_contacts_go_on_the_timeline_for_the_case_team() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        let note = act(
            &t.manager_client,
            &reference,
            "notes",
            &[
                ("kind", "note"),
                ("text", "Spoke to the repairs supervisor"),
            ],
        )
        .await;
        assert_eq!(note.status(), 303, "{}", app.backend);
        let mut contact = vec![
            ("kind".to_string(), "visit".to_string()),
            ("text".to_string(), "Visited the flat".to_string()),
        ];
        contact.extend(date_fields("on", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "notes", &contact)
                .await
                .status(),
            303
        );
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("Visit with the resident"), "{page}");
        // The case file reads back what was written, not only that something was.
        assert!(page.contains("Visited the flat"), "{page}");
        assert!(page.contains("Spoke to the repairs supervisor"), "{page}");
        let empty = act(
            &t.officer,
            &reference,
            "notes",
            &[("kind", "note"), ("text", " ")],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(empty.contains("Enter the note"));
        let admin = app.signed_in_as(Role::Admin).await;
        assert_eq!(
            admin
                .get(&format!("/cases/{reference}/notes"))
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test]
async fn extensions_follow_the_rules_engine_within_at_and_beyond_the_cap() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let cal = calendar();
        let acknowledged = today() - Duration::days(1);
        let reference = stage1_case(&app, &t, today() - Duration::days(2), acknowledged).await;
        let respond = cal.add(acknowledged, 10, Unit::WorkingDays).unwrap();
        assert_eq!(row_of(&app, &reference).4, Some(respond));

        // Within the cap, by the manager: the new date is the engine's.
        assert_eq!(
            act_owned(
                &t.manager_client,
                &reference,
                "extend",
                &extension("4", today(), &[])
            )
            .await
            .status(),
            303
        );
        assert_eq!(
            row_of(&app, &reference).4,
            Some(cal.add(respond, 4, Unit::WorkingDays).unwrap())
        );
        // Up to the cap (10 in total) is fine; past it is refused without a director.
        assert_eq!(
            act_owned(
                &t.officer,
                &reference,
                "extend",
                &extension("6", today(), &[])
            )
            .await
            .status(),
            303
        );
        let capped = cal.add(respond, 10, Unit::WorkingDays).unwrap();
        assert_eq!(row_of(&app, &reference).4, Some(capped));
        let past = act_owned(
            &t.manager_client,
            &reference,
            "extend",
            &extension("2", today(), &[]),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(past.contains("past the policy"), "{past}");
        let pretend = act_owned(
            &t.manager_client,
            &reference,
            "extend",
            &extension(
                "2",
                today(),
                &[("past_cap_approved", "true"), ("resident_agreed", "true")],
            ),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(pretend.contains("Only a director"), "{pretend}");
        assert_eq!(row_of(&app, &reference).4, Some(capped));

        // A director may, with the resident's agreement recorded.
        let director = crate::triage::area_director(&app, &t).await;
        let no_agreement = act_owned(
            &director,
            &reference,
            "extend",
            &extension("2", today(), &[("past_cap_approved", "true")]),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(no_agreement.contains("resident"), "{no_agreement}");
        let approved = act_owned(
            &director,
            &reference,
            "extend",
            &extension(
                "2",
                today(),
                &[("past_cap_approved", "true"), ("resident_agreed", "true")],
            ),
        )
        .await;
        assert_eq!(approved.status(), 303);
        assert_eq!(
            row_of(&app, &reference).4,
            Some(cal.add(respond, 12, Unit::WorkingDays).unwrap())
        );
        assert_eq!(app.audit_count("case_extension"), 3);
        // The timeline gives each extension's reason in words, never its stored key.
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Interviews with staff or witnesses are needed"),
            "{page}"
        );
        assert!(!page.contains(">interviews_needed<"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn an_extension_after_the_deadline_passed_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let received = today() - Duration::days(40);
    let reference = stage1_case(&app, &t, received, received + Duration::days(1)).await;
    let page = act_owned(
        &t.officer,
        &reference,
        "extend",
        &extension("5", today(), &[]),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("on or before the due date"), "{page}");
}

pub fn decision_fields(points: &[(&str, &str)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("outcome".to_string(), "partly_upheld".to_string()),
        ("summary".to_string(), "We got this wrong.".to_string()),
    ];
    for (n, finding) in points {
        fields.push((format!("finding_{n}"), finding.to_string()));
        fields.push((format!("reasons_{n}"), format!("Reasons for point {n}")));
    }
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields
}

/// Amounts are read as people type them and shown as pounds with thousands separators;
/// remedies are listed by their kind's label; an unknown kind or a fraction of a penny is
/// refused beside its field.
#[tokio::test]
async fn amounts_and_remedy_kinds_are_read_as_typed_and_shown_in_words() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(2);
        let reference = stage1_case(&app, &t, received, today() - Duration::days(1)).await;
        let refused = |extra: &'static [(&'static str, &'static str)]| {
            let client = t.manager_client.clone_client();
            let reference = reference.clone();
            async move {
                let fields = decision_fields(&[("1", "upheld")], extra);
                let response = act_owned(&client, &reference, "decision", &fields).await;
                assert!(
                    matches!(response.status().as_u16(), 200 | 400),
                    "{}",
                    response.status()
                );
                response.text().await.unwrap()
            }
        };
        let html = refused(&[
            ("remedy_kind_1", "bribe"),
            ("remedy_description_1", "Something extra"),
        ])
        .await;
        assert!(html.contains("Select the kind of remedy 1"), "{html}");
        let html = refused(&[
            ("remedy_kind_1", "compensation"),
            ("remedy_description_1", "For the delay"),
            ("remedy_time_and_trouble_1", "12.345"),
        ])
        .await;
        assert!(
            html.contains("Enter an amount in pounds") && html.contains("value=\"12.345\""),
            "{html}"
        );

        let draft = decision_fields(
            &[("1", "upheld")],
            &[
                ("remedy_kind_1", "compensation"),
                ("remedy_description_1", "For the delay"),
                ("remedy_time_and_trouble_1", "£1,500.5"),
                ("remedy_kind_2", "put_right"),
                ("remedy_description_2", "Fix the boiler"),
            ],
        );
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &draft)
                .await
                .status(),
            303,
            "{}",
            app.backend
        );
        let stored: Vec<(String, Option<i32>)> = remedies::table
            .order(remedies::id)
            .select((remedies::kind, remedies::amount_pence))
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(
            stored,
            [
                ("compensation".to_string(), Some(150_050)),
                ("put_right".to_string(), None)
            ]
        );
        let page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        for shown in [
            "Compensation: For the delay (£1,500.50 for time and trouble)",
            "Action to put things right: Fix the boiler",
            "£1,500.50 offered, awaiting",
        ] {
            assert!(page.contains(shown), "{}: {shown}", app.backend);
        }
        let drafted: String = case_events::table
            .filter(case_events::kind.eq("decision_drafted"))
            .order(case_events::id.desc())
            .select(case_events::detail)
            .first(&mut app.conn())
            .unwrap();
        assert!(
            drafted.contains("\"compensation_pence\":150050"),
            "{drafted}"
        );
        assert!(
            page.contains("Offers compensation of £1,500.50: awaiting a director"),
            "{page}"
        );
        // Redrafting starts from the amount as a number to edit.
        let form = t
            .manager_client
            .get_html(&format!("/cases/{reference}/decision"))
            .await;
        assert!(form.contains("value=\"1500.50\""), "{form}");
        let director = crate::triage::area_director(&app, &t).await;
        assert!(director.get_html("/approvals").await.contains("£1,500.50"));
    })
    .await;
}

#[tokio::test]
async fn a_decision_needs_every_point_answered_and_compensation_approved_before_sending() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let cal = calendar();
        let acknowledged = today() - Duration::days(1);
        let reference = stage1_case(&app, &t, today() - Duration::days(2), acknowledged).await;
        let owner = t.manager.to_string();
        let due = date_fields("remedy_due_2", today() + Duration::days(30));
        let mut draft = decision_fields(
            &[("1", "upheld")],
            &[
                ("remedy_kind_1", "compensation"),
                ("remedy_description_1", "For the delay"),
                ("remedy_time_and_trouble_1", "75.50"),
                ("remedy_kind_2", "put_right"),
                ("remedy_description_2", "Fix the boiler"),
                ("remedy_owner_2", &owner),
                ("lesson", "Call residents back"),
                (
                    "action_description_1",
                    "Add call-back target to repairs KPIs",
                ),
                ("action_owner_1", &owner),
            ],
        );
        draft.extend(due);
        // Only the assigned manager decides.
        assert_eq!(
            t.officer
                .get(&format!("/cases/{reference}/decision"))
                .await
                .status(),
            403
        );
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &draft)
                .await
                .status(),
            303,
            "{}",
            app.backend
        );

        let send = |client: &TestApp| {
            let client = client.clone_client();
            let reference = reference.clone();
            async move {
                let mut fields = vec![("method".to_string(), "email".to_string())];
                fields.extend(date_fields("sent", today()));
                act_owned(&client, &reference, RESPOND1, &with_copy(&fields))
                    .await
                    .text()
                    .await
                    .unwrap()
            }
        };
        let refused = send(&t.manager_client).await;
        assert!(
            refused.contains("Record a finding for complaint point 2"),
            "{refused}"
        );
        // Answer point 2 (redraft keeps everything else): still blocked by compensation.
        let mut full = draft.clone();
        full.push(("finding_2".into(), "not_upheld".into()));
        full.push(("reasons_2".into(), "The call was polite".into()));
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &full)
                .await
                .status(),
            303
        );
        let refused = send(&t.manager_client).await;
        assert!(refused.contains("director"), "{refused}");
        assert_eq!(row_of(&app, &reference).0, "stage1_open");

        // Only a director may approve.
        let version: i32 = cases::table
            .select(cases::version)
            .first(&mut app.conn())
            .unwrap();
        let manager_try = t
            .manager_client
            .post_form(
                &format!("/cases/{reference}/compensation/approve"),
                &[("version", &version.to_string()), ("last_event", "0")],
            )
            .await;
        assert_eq!(manager_try.status(), 403);
        let director = crate::triage::area_director(&app, &t).await;
        let queue = director.get_html("/approvals").await;
        assert!(
            queue.contains(&reference) && queue.contains("£75.50"),
            "{queue}"
        );
        assert_eq!(t.manager_client.get("/approvals").await.status(), 403);
        let page = director.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("£75.50 offered, awaiting"), "{page}");
        let (v, l) = (
            crate::triage::hidden(&page, "version"),
            crate::triage::hidden(&page, "last_event"),
        );
        let approved = director
            .post_form(
                &format!("/cases/{reference}/compensation/approve"),
                &[("version", &v), ("last_event", &l)],
            )
            .await;
        assert_eq!(approved.status(), 303);
        assert!(director
            .get_html(&format!("/cases/{reference}"))
            .await
            .contains("£75.50 offered, approved"));

        // Now it sends: the stage closes and its outcome is frozen on both measures.
        let sent = send(&t.manager_client).await;
        assert!(!sent.contains("cannot be sent"), "{sent}");
        assert_eq!(row_of(&app, &reference).0, "closed");
        let (due_on, met, code_met, outcome): (Option<NaiveDate>, bool, bool, String) =
            stage_outcomes::table
                .select((
                    stage_outcomes::due_on,
                    stage_outcomes::met,
                    stage_outcomes::code_met,
                    stage_outcomes::outcome,
                ))
                .first(&mut app.conn())
                .unwrap();
        assert_eq!(
            due_on,
            Some(cal.add(acknowledged, 10, Unit::WorkingDays).unwrap())
        );
        assert!(met && code_met);
        assert_eq!(outcome, "partly_upheld");

        // Remedy and improvement actions stay outstanding after closure until done.
        let actions = t.officer.get_html("/actions").await;
        assert!(actions.contains("Fix the boiler"), "{actions}");
        assert!(actions.contains("Add call-back target"));
        let remedy_id: i32 = remedies::table
            .filter(remedies::kind.eq("put_right"))
            .select(remedies::id)
            .first(&mut app.conn())
            .unwrap();
        let done = t
            .manager_client
            .post_form(
                &format!("/actions/remedies/{remedy_id}/done"),
                &[("evidence", "Boiler replaced, job 123")],
            )
            .await;
        assert_eq!(done.status(), 303);
        assert!(!t
            .officer
            .get_html("/actions")
            .await
            .contains("Fix the boiler"));

        // The officer records the compensation paid.
        let mut paid = vec![("amount".to_string(), "75.50".to_string())];
        paid.extend(date_fields("paid", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "compensation/paid", &paid)
                .await
                .status(),
            303
        );
        let pence: i32 = compensation_payments::table
            .select(compensation_payments::amount_pence)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(pence, 7550);
    })
    .await;
}

#[tokio::test]
async fn a_late_response_stays_late() {
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let cal = calendar();
    let received = today() - Duration::days(40);
    let acknowledged = received + Duration::days(1);
    let reference = stage1_case(&app, &t, received, acknowledged).await;
    let draft = decision_fields(&[("1", "upheld"), ("2", "upheld")], &[]);
    assert_eq!(
        act_owned(&t.manager_client, &reference, "decision", &draft)
            .await
            .status(),
        303
    );
    let mut fields = vec![("method".to_string(), "letter".to_string())];
    fields.extend(date_fields("sent", today()));
    assert_eq!(
        act_owned(&t.manager_client, &reference, RESPOND1, &with_copy(&fields))
            .await
            .status(),
        303
    );
    let (met, days_late, code_met): (bool, i32, bool) = stage_outcomes::table
        .select((
            stage_outcomes::met,
            stage_outcomes::days_late,
            stage_outcomes::code_met,
        ))
        .first(&mut app.conn())
        .unwrap();
    let due = cal.add(acknowledged, 10, Unit::WorkingDays).unwrap();
    assert!(!met && !code_met);
    assert_eq!(days_late as i64, cal.between(due, today()).unwrap());
    let page = t.officer.get_html(&format!("/cases/{reference}")).await;
    assert!(page.contains("working days late"), "{page}");
    let _: Option<UserId> = cases::table
        .select(cases::assignee_id)
        .first(&mut app.conn())
        .unwrap();
    let _ = location;
}

/// Remedy and improvement-action rows for the add-another round trip: `n` of each. Remedy 1
/// is compensation split over two heads; the rest are apologies.
fn rows_of(n: usize) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for i in 1..=n {
        let mut push = |k: String, v: String| fields.push((k, v));
        if i == 1 {
            push("remedy_kind_1".into(), "compensation".into());
            push("remedy_time_and_trouble_1".into(), "50".into());
            push("remedy_distress_1".into(), "100".into());
        } else {
            push(format!("remedy_kind_{i}"), "apology".into());
        }
        push(
            format!("remedy_description_{i}"),
            format!("Remedy number {i}"),
        );
        push(
            format!("action_description_{i}"),
            format!("Action number {i}"),
        );
    }
    if n > 0 {
        fields.push(("lesson".into(), "Book repairs on the day".into()));
    }
    fields
}

/// Remedies and improvement actions have no fixed number (the add-another pattern): 0, 1 and
/// 7 rows of each are saved and shown again as saved; "Add another" and "Remove" change the
/// rows keeping everything typed and saving nothing; an error stays beside its own row with
/// every row's typing kept; compensation is entered by heads and stored as their sum.
#[tokio::test]
async fn remedies_and_actions_round_trip_any_number_of_rows() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        for n in [0usize, 1, 7] {
            let reference = stage1_case(
                &app,
                &t,
                today() - Duration::days(2),
                today() - Duration::days(1),
            )
            .await;
            let mut fields = decision_fields(&[("1", "upheld")], &[]);
            fields.extend(rows_of(n));
            let saved = act_owned(&t.manager_client, &reference, "decision", &fields).await;
            assert_eq!(saved.status(), 303, "{} rows: {}", n, app.backend);
            let case_id: i32 = cases::table
                .filter(cases::reference.eq(&reference))
                .select(cases::id)
                .first(&mut app.conn())
                .unwrap();
            let stored: Vec<(String, Option<i32>, i32, i32)> = remedies::table
                .filter(remedies::case_id.eq(case_id))
                .order(remedies::id)
                .select((
                    remedies::description,
                    remedies::amount_pence,
                    remedies::time_and_trouble_pence,
                    remedies::distress_pence,
                ))
                .load(&mut app.conn())
                .unwrap();
            assert_eq!(stored.len(), n, "{}", app.backend);
            if n > 0 {
                assert_eq!(
                    stored[0],
                    ("Remedy number 1".to_string(), Some(15_000), 5_000, 10_000)
                );
                assert!(stored[1..].iter().all(|r| r.1.is_none()));
            }
            let actions: i64 = improvement_actions::table
                .filter(improvement_actions::case_id.eq(case_id))
                .count()
                .get_result(&mut app.conn())
                .unwrap();
            assert_eq!(actions, n as i64, "{}", app.backend);

            // Shown again as saved: n rows, or one empty row to fill when there are none.
            let form = t
                .manager_client
                .get_html(&format!("/cases/{reference}/decision"))
                .await;
            let shown = n.max(1);
            for prefix in ["remedy", "action"] {
                assert!(form.contains(&format!("name=\"{prefix}_description_{shown}\"")));
                assert!(
                    !form.contains(&format!("name=\"{prefix}_description_{}\"", shown + 1)),
                    "{prefix} rows for {n}: {}",
                    app.backend
                );
            }
            for i in 1..=n {
                assert!(form.contains(&format!("Remedy number {i}")), "{form}");
                assert!(form.contains(&format!("value=\"Action number {i}\"")));
            }
            if n > 0 {
                assert!(form.contains("Total: <strong>£150.00</strong>"), "{form}");
                let page = t
                    .manager_client
                    .get_html(&format!("/cases/{reference}"))
                    .await;
                assert!(
                    page.contains(
                        "£150.00 in total: £50.00 for time and trouble and £100.00 for \
                         distress and inconvenience"
                    ),
                    "{page}"
                );
            }
        }

        // Buttons that change the rows save nothing and keep what was typed.
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        let mut fields = decision_fields(&[("1", "upheld")], &[("change", "add-remedy")]);
        fields.extend(rows_of(7));
        let added = act_owned(&t.manager_client, &reference, "decision", &fields).await;
        assert_eq!(added.status(), 200);
        let page = added.text().await.unwrap();
        assert!(page.contains("name=\"remedy_description_8\""));
        assert!(!page.contains("name=\"remedy_description_9\""));
        assert!(page.contains("Remedy number 7") && page.contains("value=\"Action number 7\""));
        assert!(page.contains("Reasons for point 1"));
        let mut fields = decision_fields(&[("1", "upheld")], &[("change", "remove-remedy-2")]);
        fields.extend(rows_of(7));
        let removed = act_owned(&t.manager_client, &reference, "decision", &fields).await;
        let page = removed.text().await.unwrap();
        assert!(!page.contains("Remedy number 2"));
        assert!(page.contains("Remedy number 3") && page.contains("name=\"remedy_description_6\""));
        assert!(!page.contains("name=\"remedy_description_7\""));
        let none: i64 = remedies::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(
            none,
            1 + 7,
            "only the saved drafts' remedies: {}",
            app.backend
        );

        // Errors stay beside their own rows, with all seven rows' typing kept.
        let mut fields = decision_fields(&[("1", "upheld")], &[]);
        fields.extend(rows_of(7).into_iter().map(|(k, v)| match k.as_str() {
            "remedy_description_6" => (k, String::new()),
            _ => (k, v),
        }));
        fields.extend([
            ("remedy_kind_3".to_string(), "compensation".to_string()),
            ("remedy_financial_loss_3".to_string(), "12.345".to_string()),
        ]);
        let refused = act_owned(&t.manager_client, &reference, "decision", &fields).await;
        assert_eq!(refused.status(), 400, "{}", app.backend);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("id=\"remedy-3-financial-loss-error\""),
            "{page}"
        );
        assert!(page.contains("id=\"remedy-6-description-error\""), "{page}");
        assert!(page.contains("Describe remedy 6"));
        assert!(!page.contains("id=\"remedy-2-description-error\""));
        assert!(page.contains("value=\"12.345\""));
        for i in [1, 2, 3, 4, 5, 7] {
            assert!(page.contains(&format!("Remedy number {i}")), "row {i}");
        }
        assert!(page.contains("value=\"Action number 7\""));
    })
    .await;
}
