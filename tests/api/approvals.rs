//! Approvals that flow (issue 22), on both backends: compensation and contact restrictions
//! wait as requests, the area's directors are emailed through the outbox, a director decides
//! each from `/approvals` (approve, decline with a reason, return with a comment), the
//! person who asked is emailed and sees the answer on the case, and the letter's send state
//! follows. Nobody approves their own request. The optional check of a response before it
//! goes (`[workflow] review_responses`), on and off. Missed-deadline alerts reach the case's
//! own people and, past the configured threshold, the area's head of service; directors get
//! a daily digest.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use redress::db::schema::{approval_requests, cases, contact_restrictions, decisions, outbox};
use redress::domain::Role;

use crate::helpers::for_each_backend;
use crate::helpers::{backends, calendar, location, spawn_app_with, TestApp, PASSWORD};
use crate::investigation::{decision_fields, stage1_case};
use crate::outbox::insert_case;
use crate::triage::{act, act_owned, date_fields, hidden, team, today, with_copy, Team, RESPOND1};

async fn director(app: &TestApp, email: &str, name: &str, t: &Team) -> TestApp {
    app.create_user(email, name, Role::Director, &[t.area]);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(email, PASSWORD).await.status(), 303);
    client
}

/// A stage 1 case assigned to the team's manager, and two directors of its area.
async fn case_and_directors(app: &TestApp) -> (Team, String, TestApp, TestApp) {
    let t = team(app).await;
    let reference = stage1_case(
        app,
        &t,
        today() - Duration::days(3),
        today() - Duration::days(2),
    )
    .await;
    let dana = director(app, "dana@example.org", "Dana Director", &t).await;
    let dave = director(app, "dave@example.org", "Dave Director", &t).await;
    (t, reference, dana, dave)
}

/// (subject, body) of each email queued to `email`, oldest first, leaving out the emails
/// telling people a case was assigned to them.
fn emails_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    outbox::table
        .filter(outbox::recipient.eq(email))
        .filter(outbox::subject.not_like("% has been assigned to you"))
        .order(outbox::id.asc())
        .select((outbox::subject, outbox::body_text))
        .load(&mut app.conn())
        .unwrap()
}

/// (id, kind, state) of each request on the case, oldest first.
pub(crate) fn requests_of(app: &TestApp, reference: &str) -> Vec<(i32, String, String)> {
    let case: redress::domain::CaseId = cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::id)
        .first(&mut app.conn())
        .unwrap();
    approval_requests::table
        .filter(approval_requests::case_id.eq(case))
        .order(approval_requests::id.asc())
        .select((
            approval_requests::id,
            approval_requests::kind,
            approval_requests::state,
        ))
        .load(&mut app.conn())
        .unwrap()
}

pub(crate) fn waiting_id(app: &TestApp, reference: &str) -> i32 {
    let waiting: Vec<i32> = requests_of(app, reference)
        .into_iter()
        .filter(|(_, _, state)| state == "waiting")
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    waiting[0]
}

/// Opens the decision form for request `id` and posts `fields` with what it showed.
async fn answer(
    client: &TestApp,
    reference: &str,
    id: i32,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let path = format!("/cases/{reference}/approval/{id}");
    let form = client.get_html(&path).await;
    let seen: Vec<(&str, String)> = ["version", "last_event", "request_version"]
        .into_iter()
        .map(|name| (name, hidden(&form, name)))
        .collect();
    let mut all = fields.to_vec();
    all.extend(seen.iter().map(|(n, v)| (*n, v.as_str())));
    client.post_form(&path, &all).await
}

/// Both points decided, offering `amount` compensation for the delay.
pub(crate) fn offer_fields(amount: &str) -> Vec<(String, String)> {
    decision_fields(
        &[("1", "upheld"), ("2", "not_upheld")],
        &[
            ("remedy_kind_1", "compensation"),
            ("remedy_description_1", "For the delay"),
            ("remedy_time_and_trouble_1", amount),
        ],
    )
}

async fn offer(client: &TestApp, reference: &str, amount: &str) {
    let drafted = act_owned(client, reference, "decision", &offer_fields(amount)).await;
    assert_eq!(drafted.status(), 303, "{}", drafted.text().await.unwrap());
}

fn send_fields() -> Vec<(String, String)> {
    let mut fields = vec![("method".to_string(), "email".to_string())];
    fields.extend(date_fields("sent", today()));
    with_copy(&fields)
}

/// Tries to record the stage 1 response as sent; gives the status and page.
async fn send(client: &TestApp, reference: &str) -> (u16, String) {
    let response = act_owned(client, reference, RESPOND1, &send_fields()).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

#[tokio::test]
async fn a_director_is_emailed_decides_from_the_list_and_the_drafter_can_then_send() {
    for_each_backend(|app| async move {
        let (t, reference, dana, _dave) = case_and_directors(&app).await;
        // A director of another area hears nothing.
        let other = crate::helpers::make_area(&app, "Estates", "EST");
        app.create_user(
            "olga@example.org",
            "Olga Director",
            Role::Director,
            &[other],
        );

        offer(&t.manager_client, &reference, "75.50").await;

        // Both area directors are emailed what is asked, by whom and why.
        for email in ["dana@example.org", "dave@example.org"] {
            let sent = emails_to(&app, email);
            assert_eq!(sent.len(), 1, "{email} on {}", app.backend);
            let (subject, body) = &sent[0];
            assert_eq!(subject, &format!("Approval needed: complaint {reference}"));
            assert!(
                body.contains("Asked for by: Mia Manager")
                    && body.contains("What: £75.50: For the delay")
                    && body.contains("We got this wrong.")
                    && body.contains(&format!("/cases/{reference}/approval/"))
                    && body.contains("/approvals"),
                "{body}"
            );
        }
        assert!(emails_to(&app, "olga@example.org").is_empty());
        assert!(emails_to(&app, "mia@example.org").is_empty());

        // The letter is held until a director approves.
        let (status, page) = send(&t.manager_client, &reference).await;
        assert_ne!(status, 303);
        assert!(
            page.contains("approval before the decision can be sent"),
            "{page}"
        );
        let case_page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(
            case_page.contains("Waiting for a director: compensation of £75.50"),
            "{case_page}"
        );

        // The list shows who asked, the case, what by remedy, why and the next deadline.
        let due: NaiveDate = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::next_due_on.assume_not_null())
            .first(&mut app.conn())
            .unwrap();
        let list = dana.get_html("/approvals").await;
        for shown in [
            reference.as_str(),
            "Compensation (stage 1)",
            "£75.50: For the delay",
            "We got this wrong.",
            "Mia Manager",
            &long(due),
        ] {
            assert!(list.contains(shown), "{shown} in {list}");
        }
        let id = waiting_id(&app, &reference);
        assert!(list.contains(&format!("/cases/{reference}/approval/{id}")));
        // The case page offers the decision to a director, not to the manager who asked.
        let on_case = format!("href=\"/cases/{reference}/approval/{id}\"");
        assert!(dana
            .get_html(&format!("/cases/{reference}"))
            .await
            .contains(&on_case));
        assert!(!case_page.contains(&on_case));

        // Bad answers are refused beside their fields, keeping what was typed.
        let none = answer(&dana, &reference, id, &[]).await;
        assert_eq!(none.status(), 400);
        assert!(none
            .text()
            .await
            .unwrap()
            .contains("Select whether to approve, decline or return it"));
        let no_reason = answer(&dana, &reference, id, &[("decision", "decline")]).await;
        assert_eq!(no_reason.status(), 400);
        let page = no_reason.text().await.unwrap();
        assert!(page.contains("Enter why you decline it"), "{page}");
        assert!(page.contains("id=\"decline-reason-error\""), "{page}");
        assert_eq!(requests_of(&app, &reference)[0].2, "waiting");

        // Dana approves: back to the list, which no longer shows it; Mia is told.
        let approved = answer(&dana, &reference, id, &[("decision", "approve")]).await;
        assert_eq!(approved.status(), 303);
        assert_eq!(location(&approved), "/approvals");
        assert_eq!(requests_of(&app, &reference)[0].2, "approved");
        let list = dana.get_html("/approvals").await;
        assert!(
            list.contains("Approved: the person who asked has been told"),
            "{list}"
        );
        assert!(
            !list.contains(&format!("/cases/{reference}/approval/")),
            "{list}"
        );
        let told = emails_to(&app, "mia@example.org");
        assert_eq!(told.len(), 1);
        assert_eq!(
            told[0].0,
            format!("Compensation approved: complaint {reference}")
        );
        assert!(told[0]
            .1
            .contains("Dana Director approved compensation of £75.50"));
        assert_eq!(app.audit_count("case_compensation_approved"), 1);

        // A second answer to the same request is refused as stale.
        let again = t
            .manager_client
            .get(&format!("/cases/{reference}/approval/{id}"))
            .await;
        assert_eq!(again.status(), 403, "managers do not decide");
        let form = dana
            .get_html(&format!("/cases/{reference}/approval/{id}"))
            .await;
        assert!(form.contains("no longer waiting"), "{form}");

        // The letter can now be sent.
        let (status, page) = send(&t.manager_client, &reference).await;
        assert_eq!(status, 303, "{page}");
    })
    .await;
}

#[tokio::test]
async fn nobody_approves_their_own_offer_and_a_declined_or_returned_one_is_changed_and_asked_again()
{
    for_each_backend(|app| async move {
        let (t, reference, dana, dave) = case_and_directors(&app).await;
        // Dana (a director) answers the complaint at stage 1 and drafts the offer.
        let (area, dana_id) = (
            t.area.to_string(),
            app.user_id("dana@example.org").to_string(),
        );
        assert_eq!(
            act(
                &t.officer,
                &reference,
                "assign",
                &[("service_area", &area), ("manager", &dana_id)]
            )
            .await
            .status(),
            303
        );
        offer(&dana, &reference, "75.50").await;
        assert!(
            emails_to(&app, "dana@example.org").is_empty(),
            "not to herself"
        );
        assert_eq!(emails_to(&app, "dave@example.org").len(), 1);
        let id = waiting_id(&app, &reference);

        // Her own request is listed to her but not offered; approving it is refused.
        let list = dana.get_html("/approvals").await;
        assert!(list.contains("You asked for this: another director decides it"));
        assert!(!list.contains(&format!("/cases/{reference}/approval/{id}\"")));
        let form = dana
            .get_html(&format!("/cases/{reference}/approval/{id}"))
            .await;
        assert!(form.contains("id=\"own-request\"") && !form.contains("value=\"approve\""));
        let own = answer(&dana, &reference, id, &[("decision", "approve")]).await;
        assert_ne!(own.status(), 303);
        assert!(own
            .text()
            .await
            .unwrap()
            .contains("You asked for this approval, so another director must decide it"));
        // Nor from the case page.
        let page = dana.get_html(&format!("/cases/{reference}")).await;
        let direct = dana
            .post_form(
                &format!("/cases/{reference}/compensation/approve"),
                &[
                    ("version", &hidden(&page, "version")),
                    ("last_event", &hidden(&page, "last_event")),
                ],
            )
            .await;
        assert_ne!(direct.status(), 303);
        assert_eq!(requests_of(&app, &reference)[0].2, "waiting");

        // Dave declines with a reason: Dana is told why, sees it on the case, cannot send.
        const WHY: &str = "Too much for a two-week delay; our policy says £40";
        let declined = answer(
            &dave,
            &reference,
            id,
            &[("decision", "decline"), ("decline_reason", WHY)],
        )
        .await;
        assert_eq!(declined.status(), 303);
        let told = emails_to(&app, "dana@example.org");
        assert_eq!(told.len(), 1);
        assert_eq!(
            told[0].0,
            format!("Compensation declined: complaint {reference}")
        );
        assert!(told[0].1.contains(WHY), "{}", told[0].1);
        let page = dana.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains(&format!(
                "Dave Director declined compensation of £75.50 on {}",
                long(today())
            )) && page.contains(WHY),
            "{page}"
        );
        let (status, held) = send(&t.officer, &reference).await;
        assert_ne!(status, 303);
        assert!(held.contains("returned the compensation offered"), "{held}");

        // The offer is editable again: saving a changed one asks again, and Dave is emailed.
        let changed = offer_fields("40");
        assert_eq!(
            act_owned(&dana, &reference, "decision", &changed)
                .await
                .status(),
            303
        );
        let id = waiting_id(&app, &reference);
        assert_eq!(emails_to(&app, "dave@example.org").len(), 2);
        assert!(emails_to(&app, "dave@example.org")[1]
            .1
            .contains("What: £40.00: For the delay"));

        // Dave returns it with a comment: Dana sees the comment, changes nothing yet.
        const COMMENT: &str = "Please add the £10 time-and-trouble payment as its own line";
        let returned = answer(
            &dave,
            &reference,
            id,
            &[("decision", "return"), ("comment", COMMENT)],
        )
        .await;
        assert_eq!(returned.status(), 303);
        let page = dana.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Dave Director returned compensation of £40.00")
                && page.contains(COMMENT)
        );
        assert!(emails_to(&app, "dana@example.org")[1].1.contains(COMMENT));
        assert_eq!(app.audit_count("case_approval_answered"), 2);
        assert_ne!(send(&t.officer, &reference).await.0, 303);

        // Saved again, approved by Dave: the letter goes.
        assert_eq!(
            act_owned(&dana, &reference, "decision", &changed)
                .await
                .status(),
            303
        );
        let id = waiting_id(&app, &reference);
        let approved = answer(&dave, &reference, id, &[("decision", "approve")]).await;
        assert_eq!(approved.status(), 303);
        let states: Vec<String> = requests_of(&app, &reference)
            .into_iter()
            .map(|(_, _, s)| s)
            .collect();
        assert_eq!(states, ["declined", "returned", "approved"]);
        let (status, page) = send(&t.officer, &reference).await;
        assert_eq!(status, 303, "{page}");
    })
    .await;
}

#[tokio::test]
async fn a_restriction_returned_with_a_comment_may_be_proposed_again_and_approved_from_the_list() {
    for_each_backend(|app| async move {
        let (t, reference, dana, _dave) = case_and_directors(&app).await;
        let propose = |what: &'static str| {
            let client = t.manager_client.clone_client();
            let reference = reference.clone();
            async move {
                let mut fields = vec![
                    ("what".to_string(), what.to_string()),
                    ("reason".to_string(), "Abusive calls to staff".to_string()),
                ];
                fields.extend(date_fields("review", today() + Duration::days(60)));
                act_owned(&client, &reference, "restriction", &fields).await
            }
        };
        assert_eq!(propose("One named contact only").await.status(), 303);
        let sent = emails_to(&app, "dana@example.org");
        assert_eq!(sent.len(), 1);
        assert!(sent[0].1.contains("A contact restriction on complaint"));
        let id = waiting_id(&app, &reference);
        let list = dana.get_html("/approvals").await;
        assert!(
            list.contains("Contact restriction (stage 1)")
                && list.contains("One named contact only")
                && list.contains("Abusive calls to staff"),
            "{list}"
        );

        const COMMENT: &str = "Allow email as well as the named contact";
        let returned = answer(
            &dana,
            &reference,
            id,
            &[("decision", "return"), ("comment", COMMENT)],
        )
        .await;
        assert_eq!(returned.status(), 303);
        let page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(
            page.contains("Dana Director returned the proposed contact restriction")
                && page.contains(COMMENT)
                && page.contains("You may propose a changed restriction."),
            "{page}"
        );
        assert!(emails_to(&app, "mia@example.org")[0].1.contains(COMMENT));

        assert_eq!(propose("One named contact, and email").await.status(), 303);
        let id = waiting_id(&app, &reference);
        let approved = answer(&dana, &reference, id, &[("decision", "approve")]).await;
        assert_eq!(approved.status(), 303);
        let statuses: Vec<String> = contact_restrictions::table
            .order(contact_restrictions::id)
            .select(contact_restrictions::status)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(statuses, ["declined", "approved"]);
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("Contact restriction in force"), "{page}");
    })
    .await;
}

fn check_state(app: &TestApp) -> Option<String> {
    decisions::table
        .select(decisions::check_state)
        .first(&mut app.conn())
        .unwrap()
}

/// Opens the check form and posts `fields` with what it showed.
async fn check(client: &TestApp, reference: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let path = format!("/cases/{reference}/response-check");
    let form = client.get_html(&path).await;
    let seen: Vec<(&str, String)> = ["version", "last_event", "drafted_at"]
        .into_iter()
        .map(|name| (name, hidden(&form, name)))
        .collect();
    let mut all = fields.to_vec();
    all.extend(seen.iter().map(|(n, v)| (*n, v.as_str())));
    client.post_form(&path, &all).await
}

#[tokio::test]
async fn with_review_on_a_managers_response_waits_for_an_officers_check() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.workflow.review_responses = true).await;
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
        )
        .await;
        let draft = decision_fields(&[("1", "upheld"), ("2", "not_upheld")], &[]);
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &draft)
                .await
                .status(),
            303
        );
        assert_eq!(check_state(&app).as_deref(), Some("waiting"));
        let (status, page) = send(&t.manager_client, &reference).await;
        assert_ne!(status, 303);
        assert!(
            page.contains("The complaints team must check the response"),
            "{page}"
        );
        let case_page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(case_page.contains("waiting for the complaints team to check it"));

        // The officers' case list points to it; on their list, with who drafted it.
        let cases_page = t.officer.get_html("/cases").await;
        assert!(
            cases_page.contains("Responses to check before they are sent (1)"),
            "{cases_page}"
        );
        let list = t.officer.get_html("/responses-to-check").await;
        assert!(
            list.contains(&reference)
                && list.contains("Mia Manager")
                && !list.contains("checks-off"),
            "{list}"
        );

        // Returning needs comments; with them, Mia is told and sees them.
        let bare = check(&t.officer, &reference, &[("result", "return")]).await;
        assert_eq!(bare.status(), 400);
        assert!(bare
            .text()
            .await
            .unwrap()
            .contains("Enter your comments for the person who drafted it"));
        const COMMENT: &str = "Point 2 needs the date of the call recording";
        let returned = check(
            &t.officer,
            &reference,
            &[("result", "return"), ("comment", COMMENT)],
        )
        .await;
        assert_eq!(returned.status(), 303);
        assert_eq!(check_state(&app).as_deref(), Some("returned"));
        let told = emails_to(&app, "mia@example.org");
        assert!(
            told.iter().any(|(_, body)| body.contains(COMMENT)),
            "{told:?}"
        );
        let case_page = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(
            case_page.contains("The complaints team returned the response with comments")
                && case_page.contains(COMMENT),
            "{case_page}"
        );
        let (status, page) = send(&t.officer, &reference).await;
        assert_ne!(status, 303);
        assert!(
            page.contains("returned the response with comments"),
            "{page}"
        );

        // Changed and saved: it waits again; passed: it can be sent.
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &draft)
                .await
                .status(),
            303
        );
        assert_eq!(check_state(&app).as_deref(), Some("waiting"));
        let passed = check(&t.officer, &reference, &[("result", "pass")]).await;
        assert_eq!(passed.status(), 303);
        assert_eq!(app.audit_count("case_response_checked"), 2);
        assert!(!t
            .officer
            .get_html("/responses-to-check")
            .await
            .contains(&format!("/cases/{reference}/response-check")));
        let (status, page) = send(&t.officer, &reference).await;
        assert_eq!(status, 303, "{page}");
    }
}

#[tokio::test]
async fn with_review_off_a_managers_response_is_sent_as_drafted() {
    for_each_backend(|app| async move {
        assert!(!app.settings.workflow.review_responses, "off by default");
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
        )
        .await;
        let draft = decision_fields(&[("1", "upheld"), ("2", "not_upheld")], &[]);
        assert_eq!(
            act_owned(&t.manager_client, &reference, "decision", &draft)
                .await
                .status(),
            303
        );
        assert_eq!(check_state(&app), None);
        let list = t.officer.get_html("/responses-to-check").await;
        assert!(list.contains("id=\"checks-off\"") && !list.contains(&reference));
        assert!(!t
            .officer
            .get_html("/cases")
            .await
            .contains("Responses to check"));
        let (status, page) = send(&t.manager_client, &reference).await;
        assert_eq!(status, 303, "{page}");
    })
    .await;
}

// ---- alerts --------------------------------------------------------------------------

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn subjects_to(app: &TestApp, email: &str) -> Vec<String> {
    emails_to(app, email).into_iter().map(|(s, _)| s).collect()
}

#[tokio::test]
async fn a_missed_deadline_alerts_the_cases_own_people_then_the_head_of_service_past_the_threshold()
{
    for backend in backends() {
        let app = spawn_app_with(backend, |s| {
            s.alerts.head_of_service_after_working_days = 2;
        })
        .await;
        let repairs = crate::helpers::make_area(&app, "Repairs", "REP");
        let estates = crate::helpers::make_area(&app, "Estates", "EST");
        let ann = app.create_user("ann@example.org", "Ann Officer", Role::Officer, &[]);
        app.create_user("bob@example.org", "Bob Officer", Role::Officer, &[]);
        let mia = app.create_user("mia@example.org", "Mia Manager", Role::Manager, &[repairs]);
        let hana = app.create_user("hana@example.org", "Hana Head", Role::Director, &[repairs]);
        app.create_user(
            "dev@example.org",
            "Dev Director",
            Role::Director,
            &[repairs],
        );
        app.create_user(
            "ivo@example.org",
            "Ivo Director",
            Role::Director,
            &[estates],
        );
        diesel::update(redress::db::schema::service_areas::table.find(repairs))
            .set(redress::db::schema::service_areas::head_of_service_id.eq(Some(hana)))
            .execute(&mut app.conn())
            .unwrap();
        // Due Tuesday 9 June 2026: Ann is its case officer, Mia its manager, in Repairs.
        let repairs_case = insert_case(
            &app,
            "CMP-2026-000401",
            "stage1_open",
            day(2026, 6, 9),
            Some(mia),
        );
        diesel::update(cases::table.find(repairs_case))
            .set((
                cases::case_officer_id.eq(Some(ann)),
                cases::service_area_id.eq(Some(repairs)),
            ))
            .execute(&mut app.conn())
            .unwrap();
        // Due the same day in Estates, which names no head of service; no manager yet.
        let estates_case = insert_case(
            &app,
            "CMP-2026-000402",
            "stage1_open",
            day(2026, 6, 9),
            None,
        );
        diesel::update(cases::table.find(estates_case))
            .set((
                cases::case_officer_id.eq(Some(ann)),
                cases::service_area_id.eq(Some(estates)),
            ))
            .execute(&mut app.conn())
            .unwrap();

        let run = |when: NaiveDateTime| crate::helpers::run_scheduled(&app, &app.settings, when);
        // Early on Wednesday 10 June: missed by a day. Ann (case officer of both) and Mia
        // (Repairs' manager) are told; Bob, not on either case, is not.
        let wednesday = run(at(day(2026, 6, 10), 5, 0));
        assert_eq!(wednesday.missed_deadline_alerts, 2);
        assert_eq!(wednesday.head_of_service_alerts, 0);
        let mut to_ann = subjects_to(&app, "ann@example.org");
        to_ann.sort();
        assert_eq!(
            to_ann,
            [
                "Deadline missed: complaint CMP-2026-000401",
                "Deadline missed: complaint CMP-2026-000402"
            ]
        );
        assert_eq!(
            subjects_to(&app, "mia@example.org"),
            ["Deadline missed: complaint CMP-2026-000401"]
        );
        assert!(
            subjects_to(&app, "bob@example.org").is_empty(),
            "not his cases"
        );
        for head in ["hana@example.org", "dev@example.org", "ivo@example.org"] {
            assert!(subjects_to(&app, head).is_empty(), "{head} not yet");
        }

        // Thursday 11 June: overdue by 2 working days, not more than the threshold of 2.
        let thursday = run(at(day(2026, 6, 11), 5, 0));
        assert_eq!(
            (
                thursday.missed_deadline_alerts,
                thursday.head_of_service_alerts
            ),
            (0, 0)
        );
        // Friday 12 June: 3 working days: Repairs' head of service (not its other director),
        // and, with no head named, Estates' directors.
        let friday = run(at(day(2026, 6, 12), 5, 0));
        assert_eq!(friday.head_of_service_alerts, 2);
        let to_hana = emails_to(&app, "hana@example.org");
        assert_eq!(to_hana.len(), 1);
        assert_eq!(
            to_hana[0].0,
            "Overdue by 3 working days: complaint CMP-2026-000401"
        );
        assert!(
            to_hana[0].1.contains("As head of service"),
            "{}",
            to_hana[0].1
        );
        assert!(subjects_to(&app, "dev@example.org").is_empty());
        assert_eq!(
            subjects_to(&app, "ivo@example.org"),
            ["Overdue by 3 working days: complaint CMP-2026-000402"]
        );
        // Once per deadline.
        assert_eq!(run(at(day(2026, 6, 12), 9, 0)).head_of_service_alerts, 0);
        assert_eq!(run(at(day(2026, 6, 15), 5, 0)).head_of_service_alerts, 0);
    }
}

#[tokio::test]
async fn directors_get_a_daily_digest_of_approvals_waiting_and_overdue_cases_in_their_areas() {
    for_each_backend(|app| async move {
        let (t, reference, _dana, _dave) = case_and_directors(&app).await;
        offer(&t.manager_client, &reference, "75.50").await;
        let other = crate::helpers::make_area(&app, "Estates", "EST");
        app.create_user(
            "olga@example.org",
            "Olga Director",
            Role::Director,
            &[other],
        );
        // An overdue case in the directors' area.
        let late = insert_case(
            &app,
            "CMP-2026-000501",
            "stage1_open",
            today() - Duration::days(10),
            None,
        );
        diesel::update(cases::table.find(late))
            .set(cases::service_area_id.eq(Some(t.area)))
            .execute(&mut app.conn())
            .unwrap();

        // The next working day after today, at 09:00 UTC (after the 07:30 digest time).
        let mut on = today() + Duration::days(1);
        while !calendar().is_working_day(on).unwrap() {
            on += Duration::days(1);
        }
        let run = |when: NaiveDateTime| {
            crate::helpers::run_scheduled(&app, &app.settings, when).director_digests
        };
        assert_eq!(run(at(on, 5, 0)), 0, "before the digest time");
        assert_eq!(run(at(on, 9, 0)), 2, "Dana and Dave; Olga has nothing");
        assert_eq!(run(at(on, 10, 0)), 0, "once a day");
        let digest = emails_to(&app, "dana@example.org")
            .into_iter()
            .find(|(s, _)| s.starts_with("For your approval and attention"))
            .expect("a digest");
        assert!(digest.0.ends_with("1 waiting, 1 overdue"), "{}", digest.0);
        assert!(
            digest
                .1
                .contains(&format!("{reference}: compensation of £75.50"))
                && digest.1.contains("CMP-2026-000501"),
            "{}",
            digest.1
        );
        assert!(emails_to(&app, "olga@example.org").is_empty());
    })
    .await;
}
