//! A complaint's whole life through the HTTP routes as a browser posts them, on both
//! backends: stage 1 with compensation, escalation, the stage 2 review by a director who did
//! not answer at stage 1, closure; checking each deadline against the rules engine. Also:
//! two concurrent writers, escalation refusal, withdrawal and reopening.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{case_events, cases, stage_outcomes};
use redress::domain::Role;
use redress::rules::{Calendar, Unit};

use crate::helpers::{assert_audit_free_of, calendar, for_each_backend, TestApp, PASSWORD};
use crate::triage::{
    act, act_owned, date_fields, hidden, log_case, refused_now, row_of, team, today, with_copy,
    ACK1, ACK2, RESPOND1, RESPOND2,
};

fn wd(cal: &Calendar, from: NaiveDate, n: u32) -> NaiveDate {
    cal.add(from, n, Unit::WorkingDays).unwrap()
}

async fn director(
    app: &TestApp,
    email: &str,
    name: &str,
    area: redress::domain::ServiceAreaId,
) -> (redress::domain::UserId, TestApp) {
    let id = app.create_user(email, name, Role::Director, &[area]);
    let client = app.with_new_client();
    client.sign_in(email, PASSWORD).await;
    (id, client)
}

fn send_fields(on: NaiveDate) -> Vec<(String, String)> {
    let mut fields = vec![("method".to_string(), "email".to_string())];
    fields.extend(date_fields("sent", on));
    with_copy(&fields)
}

fn decision(points: usize, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("outcome".to_string(), "partly_upheld".to_string()),
        (
            "summary".to_string(),
            "We got this partly wrong.".to_string(),
        ),
    ];
    for n in 1..=points {
        fields.push((format!("finding_{n}"), "upheld".to_string()));
        fields.push((format!("reasons_{n}"), format!("Reasons for point {n}")));
    }
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields
}

fn status(app: &TestApp, reference: &str) -> String {
    row_of(app, reference).0
}

fn due(app: &TestApp, reference: &str) -> Option<NaiveDate> {
    row_of(app, reference).4
}

fn timeline_has(app: &TestApp, reference: &str, kind: &str) -> usize {
    let id: redress::domain::CaseId = cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::id)
        .first(&mut app.conn())
        .unwrap();
    case_events::table
        .filter(case_events::case_id.eq(id))
        .filter(case_events::kind.eq(kind))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap() as usize
}

#[tokio::test]
async fn a_complaint_travels_its_whole_life_through_the_web_pages() {
    for_each_backend(|app| async move {
        let cal = calendar();
        let t = team(&app).await;
        let (dana, dana_client) = director(&app, "dana@example.org", "Dana Director", t.area).await;
        let (dave, dave_client) = director(&app, "dave@example.org", "Dave Director", t.area).await;
        // Eve approves the stage 1 compensation, so she may not review stage 2 (Code 6.13).
        let (eve, eve_client) = director(&app, "eve@example.org", "Eve Director", t.area).await;
        let received = today() - Duration::days(3);
        let acknowledged = today() - Duration::days(1);

        // Log and triage at stage 1: the acknowledgement is due 5 wd from receipt.
        let reference = log_case(&t.officer, received, &[]).await;
        let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303, "{}", app.backend);
        assert_eq!(status(&app, &reference), "stage1_open");
        assert_eq!(due(&app, &reference), Some(wd(&cal, received, 5)));

        // Acknowledge (two points), then assign to Dana (a director may answer stage 1).
        let mut ack = vec![
            ("method".to_string(), "letter".to_string()),
            (
                "points".to_string(),
                "Repair not done\nRude phone call".to_string(),
            ),
        ];
        ack.extend(date_fields("sent", acknowledged));
        assert_eq!(
            act_owned(&t.officer, &reference, ACK1, &with_copy(&ack))
                .await
                .status(),
            303
        );
        let stage1_due = wd(&cal, acknowledged, 10);
        assert_eq!(due(&app, &reference), Some(stage1_due));
        let (area, dana_id) = (t.area.to_string(), dana.to_string());
        let assigned = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &dana_id)],
        )
        .await;
        assert_eq!(assigned.status(), 303);

        // A note, and an extension of 5 wd within the cap: due moves 5 wd past the original.
        let note = act(
            &dana_client,
            &reference,
            "notes",
            &[("kind", "note"), ("text", "Spoke to the repairs team")],
        )
        .await;
        assert_eq!(note.status(), 303);
        let mut extension = vec![
            ("length".to_string(), "5".to_string()),
            ("reason".to_string(), "interviews_needed".to_string()),
            ("notified_method".to_string(), "email".to_string()),
        ];
        extension.extend(date_fields("granted", today()));
        extension.extend(date_fields("notified", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "extend", &extension)
                .await
                .status(),
            303
        );
        assert_eq!(due(&app, &reference), Some(wd(&cal, stage1_due, 5)));

        // Decision with compensation: held until a director approves, then sent.
        let draft = decision(
            2,
            &[
                ("remedy_kind_1", "compensation"),
                ("remedy_description_1", "For the delay"),
                ("remedy_time_and_trouble_1", "50"),
            ],
        );
        assert_eq!(
            act_owned(&dana_client, &reference, "decision", &draft)
                .await
                .status(),
            303
        );
        let held = act_owned(&dana_client, &reference, RESPOND1, &send_fields(today()))
            .await
            .text()
            .await
            .unwrap();
        assert!(held.contains("director"), "{held}");
        let page = eve_client.get_html(&format!("/cases/{reference}")).await;
        let approved = eve_client
            .post_form(
                &format!("/cases/{reference}/compensation/approve"),
                &[
                    ("version", &hidden(&page, "version")),
                    ("last_event", &hidden(&page, "last_event")),
                ],
            )
            .await;
        assert_eq!(approved.status(), 303);
        let sent = act_owned(&dana_client, &reference, RESPOND1, &send_fields(today())).await;
        assert_eq!(sent.status(), 303);
        assert_eq!(status(&app, &reference), "closed");
        assert_eq!(due(&app, &reference), None);

        // The resident escalates today: stage 2 acknowledgement due 5 wd from the request.
        let mut escalate = vec![
            ("choice".to_string(), "escalate".to_string()),
            (
                "reason".to_string(),
                "The repair is still not done".to_string(),
            ),
        ];
        escalate.extend(date_fields("on", today() + Duration::days(1)));
        let future = act_owned(&t.officer, &reference, "escalate", &escalate)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            future.contains("future") || future.contains("today"),
            "{future}"
        );
        escalate.truncate(2);
        escalate.extend(date_fields("on", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "escalate", &escalate)
                .await
                .status(),
            303
        );
        let (st, stage, _, assignee, next) = row_of(&app, &reference);
        assert_eq!(
            (st.as_str(), stage.as_deref(), assignee),
            ("stage2_open", Some("stage2"), None)
        );
        assert_eq!(next, Some(wd(&cal, today(), 5)));
        assert_eq!(timeline_has(&app, &reference, "escalation"), 1);

        // Stage 2 acknowledgement: the stage 1 points are offered, editable.
        let form = t
            .officer
            .get_html(&format!("/cases/{reference}/{ACK2}"))
            .await;
        assert!(form.contains("1. Repair not done"), "{form}");
        assert!(form.contains("2. Rude phone call"));
        let mut ack2 = vec![
            ("method".to_string(), "email".to_string()),
            (
                "points".to_string(),
                "1. Repair not done\n2. Rude phone call\n3. Stage 1 response ignored the repair"
                    .to_string(),
            ),
        ];
        ack2.extend(date_fields("sent", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, ACK2, &with_copy(&ack2))
                .await
                .status(),
            303
        );
        assert_eq!(due(&app, &reference), Some(wd(&cal, today(), 20)));

        // Assignment: the stage 1 responder and a manager are refused, another director taken.
        let form = t
            .officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        // Only Dave is offered; those who handled stage 1 are named as left out, with why.
        let offered = &form[form.find("id=\"people\"").expect("the people")..];
        let offered = &offered[..offered.find("</fieldset>").expect("the fieldset ends")];
        assert!(
            offered.contains("Dave Director")
                && !offered.contains("Dana Director")
                && !offered.contains("Eve Director")
                && !form.contains("Mia Manager"),
            "{form}"
        );
        assert!(form.contains("Cannot be assigned: "), "{form}");
        let refused = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &dana_id)],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(
            refused.contains("Dana Director drafted the stage 1 decision on"),
            "{refused}"
        );
        // Eve only approved the compensation, and is refused for it, named with the date.
        let eve_id = eve.to_string();
        let refused = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &eve_id)],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(
            refused.contains(&format!(
                "Eve Director approved the stage 1 compensation on {}, so cannot review the complaint at stage 2",
                today().format("%-d %B %Y")
            )),
            "{refused}"
        );
        let mia = t.manager.to_string();
        let refused = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &mia)],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(refused.contains("is not a director"), "{refused}");
        assert_eq!(row_of(&app, &reference).3, None);
        let dave_id = dave.to_string();
        assert_eq!(
            act(
                &t.officer,
                &reference,
                "assign",
                &[("service_area", &area), ("manager", &dave_id)]
            )
            .await
            .status(),
            303
        );
        assert_eq!(row_of(&app, &reference).3, Some(dave));

        // Dave's work list shows it with its deadline.
        let list = dave_client.get_html("/cases?list=stage2_review").await;
        assert!(list.contains(&reference), "{list}");

        // The review: a note, the decision on three points, sent: closed, outcome frozen.
        let note = act(
            &dave_client,
            &reference,
            "notes",
            &[("kind", "note"), ("text", "Reviewed the stage 1 file")],
        )
        .await;
        assert_eq!(note.status(), 303);
        assert_eq!(
            act_owned(&dave_client, &reference, "decision", &decision(3, &[]))
                .await
                .status(),
            303
        );
        assert_eq!(
            dana_client
                .get(&format!("/cases/{reference}/decision"))
                .await
                .status(),
            403
        );
        let sent = act_owned(&dave_client, &reference, RESPOND2, &send_fields(today())).await;
        assert_eq!(sent.status(), 303);
        assert_eq!(status(&app, &reference), "closed");
        let frozen: Vec<(String, Option<NaiveDate>, bool)> = stage_outcomes::table
            .order(stage_outcomes::stage)
            .select((
                stage_outcomes::stage,
                stage_outcomes::due_on,
                stage_outcomes::met,
            ))
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(frozen.len(), 2, "{frozen:?}");
        assert_eq!(
            frozen[1],
            ("stage2".to_string(), Some(wd(&cal, today(), 20)), true)
        );
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("Housing Ombudsman"), "{page}");
        // Closed at stage 2: no further escalation.
        let again = refused_now(&t.officer, &reference, "escalate").await;
        assert!(again.contains("can be escalated to stage 2"), "{again}");
        // Issue 29: the log names records and fields, not what was typed.
        assert_audit_free_of(&app, &JOURNEY_TYPED);
    })
    .await;
}

/// What the journeys type about the resident and their complaint.
const JOURNEY_TYPED: [&str; 6] = [
    "Jo Bloggs",
    "jo@example.org",
    "We got this partly wrong",
    "Reasons for point",
    "Resolved with the contractor",
    "did not return",
];

/// A stage 1 case answered and closed today, ready to escalate.
async fn closed_at_stage1(app: &TestApp, t: &crate::triage::Team) -> String {
    let reference = crate::investigation::stage1_case(
        app,
        t,
        today() - Duration::days(2),
        today() - Duration::days(1),
    )
    .await;
    close_stage1(t, &reference).await;
    assert_eq!(status(app, &reference), "closed");
    reference
}

/// The assigned manager decides a stage 1 case's two points and sends the response today,
/// which closes it.
pub(crate) async fn close_stage1(t: &crate::triage::Team, reference: &str) {
    assert_eq!(
        act_owned(&t.manager_client, reference, "decision", &decision(2, &[]))
            .await
            .status(),
        303
    );
    assert_eq!(
        act_owned(
            &t.manager_client,
            reference,
            RESPOND1,
            &send_fields(today())
        )
        .await
        .status(),
        303
    );
}

#[tokio::test]
async fn an_escalation_is_refused_only_with_a_recorded_reason() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = closed_at_stage1(&app, &t).await;
        let mut refuse = vec![("choice".to_string(), "refuse".to_string())];
        refuse.extend(date_fields("on", today()));
        let page = act_owned(&t.officer, &reference, "escalate", &refuse)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Enter the reason the escalation is refused"),
            "{page}"
        );
        refuse.push((
            "reason".to_string(),
            "Raised a new matter, logged separately".to_string(),
        ));
        let refusals_before = app.audit_count("case_escalation_refused");
        assert_eq!(
            act_owned(&t.officer, &reference, "escalate", &refuse)
                .await
                .status(),
            303
        );
        assert_eq!(status(&app, &reference), "closed");
        assert_eq!(
            app.audit_count("case_escalation_refused"),
            refusals_before + 1
        );
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("Escalation refused"), "{page}");
        // The reason is on the case file, not only that there was one.
        assert!(
            page.contains("Raised a new matter, logged separately"),
            "{page}"
        );
        // Managers do not escalate.
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/escalate"))
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test]
async fn two_concurrent_writers_exactly_one_wins() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(&t.officer, today(), &[]).await;
        assert_eq!(
            act(&t.officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let other = app.signed_in_as(Role::Officer).await;
        let form = t
            .officer
            .get_html(&format!("/cases/{reference}/notes"))
            .await;
        let (v, l) = (hidden(&form, "version"), hidden(&form, "last_event"));
        let path = format!("/cases/{reference}/notes");
        let first = [
            ("kind", "note"),
            ("text", "First writer"),
            ("version", &v),
            ("last_event", &l),
        ];
        let second = [
            ("kind", "note"),
            ("text", "Second writer"),
            ("version", &v),
            ("last_event", &l),
        ];
        let (a, b) = tokio::join!(
            t.officer.post_form(&path, &first),
            other.post_form(&path, &second)
        );
        let statuses = [a.status().as_u16(), b.status().as_u16()];
        assert!(
            statuses.contains(&303) && statuses.contains(&409),
            "{statuses:?}"
        );
        let loser = if a.status() == 409 { a } else { b };
        let text = loser.text().await.unwrap();
        assert!(text.contains("changed by someone else"), "{text}");
        assert!(text.contains("Nothing has been saved"));
        assert_eq!(timeline_has(&app, &reference, "note"), 1);
    })
    .await;
}

#[tokio::test]
async fn withdrawal_and_reopening_need_reasons_and_are_audited() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(&t.officer, today(), &[]).await;
        assert_eq!(
            act(&t.officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let page = act(&t.officer, &reference, "withdraw", &[("reason", " ")])
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Select who withdrew the complaint")
                && page.contains("Enter why the complaint was withdrawn"),
            "{page}"
        );
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/withdraw"))
                .await
                .status(),
            403
        );
        let withdrawn = act(
            &t.officer,
            &reference,
            "withdraw",
            &[
                ("choice", "representative"),
                ("reason", "Resolved with the contractor"),
            ],
        )
        .await;
        assert_eq!(withdrawn.status(), 303);
        assert_eq!(status(&app, &reference), "closed");
        assert_eq!(app.audit_count("case_withdrawal"), 1);
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains(&format!("/cases/{reference}/reopen")),
            "{page}"
        );
        // Withdrawing again is refused: it is closed.
        let again = refused_now(&t.officer, &reference, "withdraw").await;
        assert!(again.contains("This case is closed"), "{again}");

        let page = act(&t.officer, &reference, "reopen", &[("reason", "")])
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Enter why the case is reopened"), "{page}");
        let reopened = act(
            &t.officer,
            &reference,
            "reopen",
            &[("reason", "The resident says the contractor did not return")],
        )
        .await;
        assert_eq!(reopened.status(), 303);
        assert_eq!(status(&app, &reference), "stage1_open");
        assert_eq!(app.audit_count("case_reopened"), 1);
        assert_audit_free_of(&app, &JOURNEY_TYPED);
    })
    .await;
}
