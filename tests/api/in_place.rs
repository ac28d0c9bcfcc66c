//! Steps done where the officer already is (issue 21's click budget), on both databases: an
//! acknowledgement by phone, a note and an escalation posted from forms on the case page to
//! their actions' own routes, which show any error on their own page beside its field with
//! what was typed kept (400) and refuse a stale version (409); after an acknowledgement with
//! no one assigned the officer goes on to assigning, where the only area in use comes chosen;
//! the extension's "how the resident was told" comes chosen as its letter will go.

use diesel::prelude::*;
use redress::db::schema::cases;

use crate::helpers::{for_each_backend, location, TestApp};
use redress::domain::{Role, UserId};

use crate::helpers::PASSWORD;
use crate::investigation::{approve_compensation, draft_with_compensation, stage1_case};
use crate::sent_elsewhere::{acknowledge_by_phone, respond_by_email};
use crate::triage::{act, date_fields, hidden, log_case, team, today};

/// The form with this id on the page.
fn form_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} on the page"));
    let start = html[..at].rfind("<form").expect("a form");
    let end = html[start..].find("</form>").expect("its end") + start;
    &html[start..end]
}

async fn case_page_of(client: &TestApp, reference: &str) -> String {
    client.get_html(&format!("/cases/{reference}")).await
}

/// Posts the case page's form `id` with its hidden fields and `fields`.
async fn post_from(
    client: &TestApp,
    page: &str,
    id: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let form = form_of(page, id);
    let start = form.find("action=\"").expect("an action") + 8;
    let action = form[start..start + form[start..].find('"').unwrap()].to_string();
    let mut all: Vec<(String, String)> = ["version", "last_event"]
        .into_iter()
        .map(|name| (name.to_string(), hidden(form, name)))
        .collect();
    for name in [
        "method",
        "kind",
        "choice",
        "letter_version",
        "body",
        "action",
    ] {
        if form.contains(&format!("type=\"hidden\" name=\"{name}\"")) {
            all.push((name.to_string(), hidden(form, name)));
        }
    }
    for (k, v) in fields {
        all.retain(|(name, _)| name != k);
        all.push((k.clone(), v.clone()));
    }
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(&action, &borrowed).await
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The officer assigns the case to the team's manager.
async fn assign_to_mia(t: &crate::triage::Team, reference: &str) {
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    let assigned = act(
        &t.officer,
        reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await;
    assert_eq!(assigned.status(), 303);
}

/// A stage 1 case with one complaint point, decided with compensation a director approved:
/// its response is ready to send.
async fn ready_to_send(app: &TestApp, t: &crate::triage::Team) -> String {
    let reference = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
    let acknowledged = acknowledge_by_phone(&t.officer, &reference, "stage1_acknowledgement").await;
    assert_eq!(acknowledged.status(), 303);
    assign_to_mia(t, &reference).await;
    draft_with_compensation(&t.manager_client, &reference).await;
    app.create_user("eve@example.org", "Eve Director", Role::Director, &[t.area]);
    let director = app.with_new_client();
    director.sign_in("eve@example.org", PASSWORD).await;
    approve_compensation(&director, &reference).await;
    reference
}

fn acknowledged_on(app: &TestApp, reference: &str) -> Option<chrono::NaiveDate> {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::acknowledged_on)
        .first(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn an_acknowledgement_by_phone_is_recorded_from_the_case_page_then_the_case_assigned() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(&t.officer, today(), &[]).await;
        let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303);
        let page = case_page_of(&t.officer, &reference).await;
        let form = form_of(&page, "phone-acknowledgement");
        assert!(
            form.contains(&format!(
                "action=\"/cases/{reference}/letters/stage1_acknowledgement/sent-elsewhere\""
            )),
            "{form}"
        );
        assert!(form.contains("name=\"method\" value=\"phone\""), "{form}");
        // The points start from the complaint as logged; the call is dated today.
        assert!(form.contains(">Repair not done</textarea>"), "{form}");
        assert!(
            form.contains(&format!("value=\"{}\"", today().format("%Y"))),
            "{form}"
        );

        let mut typed = fields(&[
            ("points", ""),
            ("outcome_sought", "The repair done this month"),
            ("copy_text", "Rang Jo and agreed the points."),
        ]);
        typed.extend(date_fields("sent", today()));
        // No points: the record's own page, the error beside the field, the rest kept.
        let refused = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(refused.status(), 400);
        let html = refused.text().await.unwrap();
        assert!(html.contains("id=\"points-error\""), "{html}");
        assert!(html.contains("The repair done this month"), "{html}");
        assert!(html.contains("Rang Jo and agreed the points."), "{html}");
        assert!(html.contains("value=\"phone\" checked"), "{html}");
        assert_eq!(acknowledged_on(&app, &reference), None, "{}", app.backend);

        typed.retain(|(k, _)| k != "points");
        typed.push(("points".into(), "Repair not done\nRude call".into()));
        // The case changed since the page was shown: 409, nothing recorded.
        let note = fields(&[("text", "Rang the repairs team")]);
        let noted = post_from(&t.officer, &page, "note-box", &note).await;
        assert_eq!(noted.status(), 303);
        let stale = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(stale.status(), 409, "{}", app.backend);
        assert_eq!(acknowledged_on(&app, &reference), None);

        let page = case_page_of(&t.officer, &reference).await;
        let done = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());
        assert_eq!(acknowledged_on(&app, &reference), Some(today()));
        // No one is assigned: on to the assign form, the only area in use chosen and its
        // managers listed.
        assert_eq!(location(&done), format!("/cases/{reference}/assign"));
        let assign = t
            .officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        assert!(
            assign.contains("acknowledgement recorded as sent: now assign an investigator"),
            "{assign}"
        );
        assert!(
            assign.contains(&format!("<option value=\"{}\" selected>", t.area)),
            "{assign}"
        );
        assert!(assign.contains("Mia Manager"), "{assign}");
        let page = case_page_of(&t.officer, &reference).await;
        assert!(!page.contains("id=\"phone-acknowledgement\""), "done once");
    })
    .await;
}

fn assignee_of(app: &TestApp, reference: &str) -> Option<i32> {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::assignee_id)
        .first::<Option<UserId>>(&mut app.conn())
        .unwrap()
        .map(|id| id.0)
}

#[tokio::test]
async fn a_phone_acknowledgement_on_the_case_page_assigns_the_investigator_chosen_with_it() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let (area, mia, max) = (
            t.area.to_string(),
            t.manager.to_string(),
            t.other_manager.to_string(),
        );
        let reference = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let page = case_page_of(&t.officer, &reference).await;
        let form = form_of(&page, "phone-acknowledgement");
        // The area's people, the suggested one (Max: no open cases, first by name) chosen.
        assert!(
            form.contains(&format!(
                "type=\"hidden\" name=\"service_area\" value=\"{area}\""
            )),
            "{form}"
        );
        assert!(chosen(form, t.other_manager), "{form}");
        assert!(form.contains("Mia Manager"), "{form}");
        assert!(
            form.contains("Record the phone acknowledgement and assign"),
            "{form}"
        );
        assert!(form.contains("Record without assigning"), "{form}");

        let mut typed = fields(&[
            ("points", ""),
            ("copy_text", "Rang Jo and agreed the points."),
            ("service_area", &area),
            ("manager", &mia),
        ]);
        typed.extend(date_fields("sent", today()));
        // An error in the acknowledgement: its own page, the choice carried to assign after.
        let refused = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(refused.status(), 400);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(&format!("name=\"manager\" value=\"{mia}\"")),
            "{html}"
        );
        assert!(html.contains("id=\"assign-next\""), "{html}");
        assert_eq!(assignee_of(&app, &reference), None);

        typed.retain(|(k, _)| k != "points");
        typed.push(("points".into(), "Repair not done".into()));
        let done = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());
        // Acknowledged and assigned in one step: back to the case page.
        assert_eq!(location(&done), format!("/cases/{reference}"));
        assert_eq!(
            acknowledged_on(&app, &reference),
            Some(today()),
            "{}",
            app.backend
        );
        assert_eq!(assignee_of(&app, &reference), Some(t.manager.0));
        let page = case_page_of(&t.officer, &reference).await;
        assert!(
            page.contains("acknowledgement recorded as sent and the case assigned"),
            "{page}"
        );

        // "Record without assigning": acknowledged, on to the assign form, no one assigned.
        let later = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let page = case_page_of(&t.officer, &later).await;
        let mut typed = fields(&[
            ("points", "Repair not done"),
            ("copy_text", "Rang Jo."),
            ("service_area", &area),
            ("manager", &mia),
            ("assign_later", "true"),
        ]);
        typed.extend(date_fields("sent", today()));
        let done = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(done.status(), 303);
        assert_eq!(location(&done), format!("/cases/{later}/assign"));
        assert_eq!(acknowledged_on(&app, &later), Some(today()));
        assert_eq!(assignee_of(&app, &later), None);

        // The chosen person declared involvement after the page was shown: acknowledged, and
        // the assign form says why it was not assigned, with the choice kept.
        let refusing = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let page = case_page_of(&t.officer, &refusing).await;
        let declared = act(&t.officer, &refusing, "involvement", &[("manager", &max)]).await;
        assert_eq!(declared.status(), 303);
        let mut typed = fields(&[
            ("points", "Repair not done"),
            ("copy_text", "Rang Jo."),
            ("service_area", &area),
            ("manager", &max),
        ]);
        typed.extend(date_fields("sent", today()));
        // The page shown before the declaration is stale for the acknowledgement too, so
        // the post is from a fresh page, still naming Max (as a second tab would).
        drop(page);
        let fresh = case_page_of(&t.officer, &refusing).await;
        assert!(!chosen(
            form_of(&fresh, "phone-acknowledgement"),
            t.other_manager
        ));
        let refused = post_from(&t.officer, &fresh, "phone-acknowledgement", &typed).await;
        assert!(refused.status().is_client_error(), "{}", refused.status());
        let html = refused.text().await.unwrap();
        assert!(html.contains("acknowledgement recorded as sent"), "{html}");
        assert!(
            html.contains("Assign to an investigating manager"),
            "{html}"
        );
        assert!(html.contains("has declared involvement"), "{html}");
        // Max is no longer offered; Mia, the only one left, comes chosen.
        assert!(chosen(&html, t.manager), "{html}");

        // With a second area in use and none set on the case, the area is chosen in the
        // form too (its people swapped in by htmx, as on the assign form).
        let gas = crate::helpers::make_area(&app, "Gas servicing", "GAS");
        let unset = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let page = case_page_of(&t.officer, &unset).await;
        let form = form_of(&page, "phone-acknowledgement");
        assert!(form.contains("id=\"ack-service-area\""), "{form}");
        assert!(
            form.contains(&format!("<option value=\"{gas}\">Gas servicing</option>")),
            "{form}"
        );
        assert!(
            form.contains(&format!("hx-get=\"/cases/{unset}/assign/people\"")),
            "{form}"
        );
        assert!(
            form.contains("Choose a service area to see its people"),
            "{form}"
        );
        assert!(
            !form.contains("type=\"hidden\" name=\"service_area\""),
            "{form}"
        );
        assert_eq!(
            acknowledged_on(&app, &refusing),
            Some(today()),
            "{}",
            app.backend
        );
        assert_eq!(assignee_of(&app, &refusing), None);
    })
    .await;
}

#[tokio::test]
async fn assigned_first_an_acknowledgement_by_phone_returns_to_the_case_page() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        assign_to_mia(&t, &reference).await;
        // The assigned manager may not acknowledge: no form for them.
        let theirs = case_page_of(&t.manager_client, &reference).await;
        assert!(!theirs.contains("id=\"phone-acknowledgement\""));
        let page = case_page_of(&t.officer, &reference).await;
        let mut typed = fields(&[("points", "Repair not done"), ("copy_text", "Rang Jo.")]);
        typed.extend(date_fields("sent", today()));
        let done = post_from(&t.officer, &page, "phone-acknowledgement", &typed).await;
        assert_eq!(done.status(), 303);
        assert_eq!(location(&done), format!("/cases/{reference}"));
        assert_eq!(acknowledged_on(&app, &reference), Some(today()));
    })
    .await;
}

#[tokio::test]
async fn a_note_is_added_from_the_case_page_and_an_empty_one_refused() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, today(), today()).await;
        let page = case_page_of(&t.manager_client, &reference).await;
        let empty = post_from(
            &t.manager_client,
            &page,
            "note-box",
            &fields(&[("text", " ")]),
        )
        .await;
        assert_eq!(empty.status(), 400);
        let html = empty.text().await.unwrap();
        assert!(html.contains("id=\"text-error\""), "{html}");
        let note = fields(&[("text", "Spoke to the repairs team")]);
        let added = post_from(&t.manager_client, &page, "note-box", &note).await;
        assert_eq!(added.status(), 303);
        assert_eq!(location(&added), format!("/cases/{reference}"));
        let page = case_page_of(&t.manager_client, &reference).await;
        assert!(
            page.contains("Spoke to the repairs team"),
            "{}",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn a_closed_stage_1_case_is_escalated_from_the_case_page() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = ready_to_send(&app, &t).await;
        let sent = respond_by_email(&t.manager_client, &reference, "stage1_response").await;
        assert_eq!(sent.status(), 303);
        // Only the complaints team escalates.
        let theirs = case_page_of(&t.manager_client, &reference).await;
        assert!(!theirs.contains("id=\"escalate-here\""));
        let page = case_page_of(&t.officer, &reference).await;
        let form = form_of(&page, "escalate-here");
        assert!(
            form.contains("name=\"choice\" value=\"escalate\""),
            "{form}"
        );
        assert!(
            form.contains(&format!("/cases/{reference}/escalate\">Refuse")),
            "{form}"
        );
        // A date in the future: the escalation page, the error beside it, the reasons kept.
        let mut typed = fields(&[("reason", "The kitchen is still not repaired")]);
        typed.extend(date_fields("on", today() + chrono::Duration::days(3)));
        let refused = post_from(&t.officer, &page, "escalate-here", &typed).await;
        assert_eq!(refused.status(), 400);
        let html = refused.text().await.unwrap();
        assert!(html.contains("id=\"on-error\""), "{html}");
        assert!(html.contains("The kitchen is still not repaired"), "{html}");
        // The date as the form fills it in: today.
        typed.retain(|(k, _)| k == "reason");
        typed.extend(date_fields("on", today()));
        let escalated = post_from(&t.officer, &page, "escalate-here", &typed).await;
        assert_eq!(
            escalated.status(),
            303,
            "{}",
            escalated.text().await.unwrap()
        );
        let page = case_page_of(&t.officer, &reference).await;
        assert!(page.contains("Stage 2: to acknowledge"), "{}", app.backend);
        assert!(page.contains("The kitchen is still not repaired"));
    })
    .await;
}

#[tokio::test]
async fn the_extension_form_chooses_how_its_letter_will_go() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, today(), today()).await;
        let form = t
            .manager_client
            .get_html(&format!("/cases/{reference}/extend"))
            .await;
        assert!(form.contains("value=\"email\" checked"), "{form}");
        assert!(form.contains("goes by email"), "{form}");
    })
    .await;
}

#[tokio::test]
async fn a_complaint_is_triaged_to_stage_1_as_it_is_logged_when_asked() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let form = t.officer.get_html("/cases/new").await;
        // Two buttons: "Log complaint" first, "Log and triage as stage 1" beside it.
        let leads_with_triage = |html: &str| {
            let log = html.find(">Log complaint</button>").expect("log button");
            let triage = html
                .find(">Log and triage as stage 1</button>")
                .expect("triage button");
            assert!(
                html.contains("name=\"triage_now\" value=\"true\""),
                "{html}"
            );
            triage < log
        };
        assert!(!leads_with_triage(&form), "{form}");
        // A form with an error after "Log and triage" leads with that button.
        let refused = t
            .officer
            .post_form(
                "/cases",
                &[("complainant_name", ""), ("triage_now", "true")],
            )
            .await;
        assert_eq!(refused.status(), 400);
        let html = refused.text().await.unwrap();
        assert!(leads_with_triage(&html), "{html}");

        let triaged = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let page = case_page_of(&t.officer, &triaged).await;
        assert!(
            page.contains("Stage 1: to acknowledge"),
            "{}: {page}",
            app.backend
        );
        assert!(page.contains("and triaged to stage 1"), "{page}");
        // The triage is on the timeline and in the audit log as the form's would be.
        assert!(page.contains("Triaged"), "{page}");
        let waiting = log_case(&t.officer, today(), &[]).await;
        let page = case_page_of(&t.officer, &waiting).await;
        assert!(page.contains("Triage the contact"), "{page}");
    })
    .await;
}

/// Whether the assign form (or the area's people, `page`) comes with `who` chosen.
fn chosen(page: &str, who: UserId) -> bool {
    page.contains(&format!("value=\"{who}\" checked"))
}

#[tokio::test]
async fn the_manager_with_the_fewest_open_cases_comes_chosen() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let assign_form = |reference: String| {
            let officer = &t.officer;
            async move {
                officer
                    .get_html(&format!("/cases/{reference}/assign"))
                    .await
            }
        };
        // Two managers with no open cases: the first by name (Max) comes chosen.
        let first = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let form = assign_form(first.clone()).await;
        assert!(chosen(&form, t.other_manager), "{}: {form}", app.backend);
        assert!(!chosen(&form, t.manager), "{form}");
        assert!(form.contains("fewest open cases comes chosen"), "{form}");
        // Max takes one: Mia, now with fewer, comes chosen for the next case.
        let (area, max) = (t.area.to_string(), t.other_manager.to_string());
        let assigned = act(
            &t.officer,
            &first,
            "assign",
            &[("service_area", &area), ("manager", &max)],
        )
        .await;
        assert_eq!(assigned.status(), 303);
        let second = log_case(&t.officer, today(), &[("triage_now", "true")]).await;
        let form = assign_form(second.clone()).await;
        assert!(chosen(&form, t.manager), "{}: {form}", app.backend);
        assert!(!chosen(&form, t.other_manager), "{form}");
        // A director in the area may take it but is not suggested over a manager.
        let director = app.create_user("di@example.org", "Ada Director", Role::Director, &[t.area]);
        let form = assign_form(second.clone()).await;
        assert!(form.contains("Ada Director"), "{form}");
        // Each labelled with their role when both roles are offered.
        assert!(form.contains("Director, 0 open cases"), "{form}");
        assert!(form.contains("Service manager, 1 open case"), "{form}");
        assert!(!chosen(&form, director), "{form}");
        assert!(chosen(&form, t.manager), "{form}");
        // Mia declares involvement: Max, the only manager left, comes chosen, also in the
        // people htmx swaps in when the area is chosen.
        let mia = t.manager.to_string();
        let declared = act(&t.officer, &second, "involvement", &[("manager", &mia)]).await;
        assert_eq!(declared.status(), 303);
        let form = assign_form(second.clone()).await;
        assert!(chosen(&form, t.other_manager), "{}: {form}", app.backend);
        let people = t
            .officer
            .get_html(&format!(
                "/cases/{second}/assign/people?service_area={}",
                t.area
            ))
            .await;
        assert!(chosen(&people, t.other_manager), "{people}");
        // What the officer chose is kept over the suggestion when the form comes back.
        let ada = director.to_string();
        let shown = act(
            &t.officer,
            &second,
            "assign",
            &[
                ("service_area", area.as_str()),
                ("manager", &ada),
                ("show_people", "true"),
            ],
        )
        .await;
        let html = shown.text().await.unwrap();
        assert!(chosen(&html, director), "{html}");
        assert!(!chosen(&html, t.other_manager), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_response_is_sent_as_drafted_from_the_case_page() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = ready_to_send(&app, &t).await;
        // Only the decision's author sends it.
        let officers = case_page_of(&t.officer, &reference).await;
        assert!(!officers.contains("id=\"send-here\""));
        let page = case_page_of(&t.manager_client, &reference).await;
        let form = form_of(&page, "send-here");
        let letter = format!("/cases/{reference}/letters/stage1_response");
        assert!(form.contains(&format!("action=\"{letter}\"")), "{form}");
        assert!(
            form.contains(&format!("href=\"{letter}\">Check or change")),
            "{form}"
        );
        assert!(form.contains("goes by email"), "{form}");
        // The case changed since the page was shown: the letter's editor says so (409) and
        // nothing is sent.
        let note = fields(&[("text", "Checked the letter's facts")]);
        let noted = post_from(&t.manager_client, &page, "note-box", &note).await;
        assert_eq!(noted.status(), 303);
        let stale = post_from(&t.manager_client, &page, "send-here", &[]).await;
        assert_eq!(stale.status(), 409, "{}", app.backend);
        let page = case_page_of(&t.manager_client, &reference).await;
        let sent = post_from(&t.manager_client, &page, "send-here", &[]).await;
        assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
        assert_eq!(location(&sent), format!("/cases/{reference}"));
        let page = case_page_of(&t.manager_client, &reference).await;
        assert!(
            page.contains("Closed at stage 1"),
            "{}: {page}",
            app.backend
        );
        let letters = t
            .manager_client
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(letters.contains("Stage 1 response"), "{letters}");
    })
    .await;
}
