//! Issue 21, context in every form: triage shows the complaint and the time limit; assign
//! lists the chosen area's people with their caseload, worded for the stage; extend previews
//! the rules engine's date; the decision form shows the deadline, notes and evidence. Each
//! through the forms as a browser posts them, with and without JavaScript (htmx's partials
//! and the plain buttons), on both backends.

use chrono::{Duration, Months, NaiveDate};
use redress::domain::Role;
use redress::rules::Unit;

use crate::case_file::story;
use crate::helpers::{calendar, for_each_backend, make_area, TestApp};
use crate::investigation::stage1_case;
use crate::triage::{act, act_owned, date_fields, hidden, log_case, row_of, team, today};

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The text of the element with `id` up to the next `end` marker.
fn part<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    let stop = rest.find(end).unwrap_or(rest.len());
    &rest[..stop]
}

#[tokio::test]
async fn triage_shows_the_complaint_and_where_it_stands_against_the_time_limit() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(1);
        let long_ago = received - Duration::days(400);
        let occurred: Vec<(String, String)> = date_fields("occurred", long_ago).into();
        let mut extra: Vec<(&str, &str)> = occurred
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        extra.extend([
            (
                "description",
                "The boiler has been broken since last winter",
            ),
            ("outcome_sought", "A working boiler and an apology"),
            ("adjustments", "large_print"),
        ]);
        let old = log_case(&t.officer, received, &extra).await;
        let form = t.officer.get_html(&format!("/cases/{old}/triage")).await;
        let complaint = part(&form, "complaint-summary", "</dl>");
        for shown in [
            "Jo Bloggs",
            "The boiler has been broken since last winter",
            "A working boiler and an apology",
            "Phone",
            &long(received),
            &long(long_ago),
        ] {
            assert!(complaint.contains(shown), "{}: {shown}", app.backend);
        }
        assert!(form.contains("Large print"), "the adjustment is shown");
        // The limit date is the rules engine's: 12 months from when it happened.
        let limit = long_ago.checked_add_months(Months::new(12)).unwrap();
        let hint = part(&form, "time-limit", "</strong>");
        assert!(hint.contains(&long(limit)), "{hint}");
        assert!(hint.contains("12 months after it happened"), "{hint}");
        assert!(hint.contains("so this reason can apply"), "{hint}");

        // Ten days ago is within the limit, and the form says so before anyone tries.
        let recent = log_case(&t.officer, received, &[]).await;
        let form = t.officer.get_html(&format!("/cases/{recent}/triage")).await;
        let hint = part(&form, "time-limit", "</strong>");
        let limit = (received - Duration::days(10))
            .checked_add_months(Months::new(12))
            .unwrap();
        assert!(hint.contains(&long(limit)), "{hint}");
        assert!(hint.contains("this reason does not apply"), "{hint}");
    })
    .await;
}

#[tokio::test]
async fn assign_lists_only_the_chosen_areas_people_with_their_caseload() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let lettings = make_area(&app, "Lettings", "LET");
        app.create_user(
            "lena@example.org",
            "Lena Lettings",
            Role::Manager,
            &[lettings],
        );
        // Mia holds one open case already.
        let held = stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        let reference = log_case(&t.officer, today() - Duration::days(1), &[]).await;
        assert_eq!(
            act(&t.officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let form = t
            .officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        assert!(
            form.contains("Assign to an investigating manager"),
            "{form}"
        );
        assert!(form.contains("Choose a service area to see its people"));
        assert!(!form.contains("Mia Manager") && !form.contains("Lena Lettings"));

        // With htmx: the area's people, each with their open caseload.
        let repairs = t.area.to_string();
        let people = t
            .officer
            .get_html(&format!(
                "/cases/{reference}/assign/people?service_area={repairs}"
            ))
            .await;
        assert!(!people.contains("<html"), "a partial: {people}");
        assert!(people.contains("Mia Manager") && people.contains("1 open case"));
        assert!(people.contains("Max Manager") && people.contains("0 open cases"));
        assert!(!people.contains("Lena Lettings"), "{people}");

        // Without JavaScript: the button shows the form again for the chosen area, keeping it.
        let version = hidden(&form, "version");
        let last = hidden(&form, "last_event");
        let lettings_id = lettings.to_string();
        let shown = t
            .officer
            .post_form(
                &format!("/cases/{reference}/assign"),
                &[
                    ("service_area", &lettings_id),
                    ("show_people", "true"),
                    ("version", &version),
                    ("last_event", &last),
                ],
            )
            .await;
        assert_eq!(shown.status(), 200);
        let shown = shown.text().await.unwrap();
        assert!(shown.contains("Lena Lettings") && !shown.contains("Mia Manager"));
        assert!(shown.contains(&format!("value=\"{lettings_id}\" selected")));
        assert_eq!(row_of(&app, &reference).3, None, "nothing assigned");

        // Someone outside the area is refused beside the field, the area kept.
        let mia = t.manager.to_string();
        let refused = t
            .officer
            .post_form(
                &format!("/cases/{reference}/assign"),
                &[
                    ("service_area", &lettings_id),
                    ("manager", &mia),
                    ("version", &version),
                    ("last_event", &last),
                ],
            )
            .await;
        assert_eq!(refused.status(), 400);
        let refused = refused.text().await.unwrap();
        let error = part(&refused, "manager-error", "</p>");
        assert!(
            error.contains("Mia Manager is not a member of Lettings"),
            "{error}"
        );
        assert!(refused.contains(&format!("value=\"{lettings_id}\" selected")));

        // Assigning to Mia puts a second open case on her list.
        assert_eq!(
            act(
                &t.officer,
                &reference,
                "assign",
                &[("service_area", &repairs), ("manager", &mia)]
            )
            .await
            .status(),
            303
        );
        let people = t
            .officer
            .get_html(&format!(
                "/cases/{reference}/assign/people?service_area={repairs}"
            ))
            .await;
        assert!(people.contains("2 open cases"), "{people}");
        let _ = held;
    })
    .await;
}

#[tokio::test]
async fn at_stage_2_assign_lists_directors_and_says_director() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let form =
            s.t.officer
                .get_html(&format!("/cases/{}/assign", s.reference))
                .await;
        assert!(form.contains("Assign to a reviewing director"), "{form}");
        assert!(form.contains("Reviewing director"));
        assert!(!form.to_lowercase().contains("service manager"), "{form}");
        let people = part(&form, "people", "</fieldset>");
        // Dana approved the stage 1 compensation, so she is not offered (Code 6.13), and the
        // form says why.
        assert!(people.contains("Dave Director"), "{people}");
        assert!(!people.contains("Dana Director"), "{people}");
        assert!(
            form.contains("Cannot be assigned: Dana Director (approved the stage 1 compensation)"),
            "{form}"
        );
        assert!(!people.contains("Mia Manager") && !people.contains("Max Manager"));
        // Dave holds this case.
        assert!(people.contains("1 open case"), "{people}");
        // Nobody chosen: the message names a director.
        let version = hidden(&form, "version");
        let last = hidden(&form, "last_event");
        let area = s.t.area.to_string();
        let refused =
            s.t.officer
                .post_form(
                    &format!("/cases/{}/assign", s.reference),
                    &[
                        ("service_area", &area),
                        ("version", &version),
                        ("last_event", &last),
                    ],
                )
                .await;
        assert_eq!(refused.status(), 400);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("Select a reviewing director"), "{refused}");
    })
    .await;
}

fn extension(length: &str, granted: NaiveDate) -> Vec<(String, String)> {
    let mut fields = vec![
        ("length".to_string(), length.to_string()),
        ("reason".to_string(), "interviews_needed".to_string()),
        ("notified_method".to_string(), "email".to_string()),
    ];
    fields.extend(date_fields("granted", granted));
    fields.extend(date_fields("notified", granted));
    fields
}

async fn preview(client: &TestApp, reference: &str, length: &str) -> String {
    let t = today();
    client
        .get_html(&format!(
            "/cases/{reference}/extend/preview?length={length}&granted_day={}&granted_month={}&granted_year={}",
            chrono::Datelike::day(&t),
            chrono::Datelike::month(&t),
            chrono::Datelike::year(&t)
        ))
        .await
}

#[tokio::test]
async fn the_extension_preview_is_the_rules_engines_date_and_what_is_recorded() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let acknowledged = today() - Duration::days(1);
        let reference = stage1_case(&app, &t, today() - Duration::days(2), acknowledged).await;
        let cal = calendar();
        let due = cal.add(acknowledged, 10, Unit::WorkingDays).unwrap();
        let extended = cal.add(due, 4, Unit::WorkingDays).unwrap();

        let form = t
            .manager_client
            .get_html(&format!("/cases/{reference}/extend"))
            .await;
        let shown = part(&form, "extension-preview", "\n</div>");
        assert!(shown.contains(&long(due)), "the current due date: {shown}");
        assert!(
            shown.contains("allows 10 more working days"),
            "the cap left: {shown}"
        );

        // With htmx, as the length is typed.
        let partial = preview(&t.manager_client, &reference, "4").await;
        assert!(!partial.contains("<html"), "a partial");
        let new_due = part(&partial, "new-due", "</dd>");
        assert!(new_due.contains(&long(extended)), "{new_due}");
        assert!(partial.contains("leaves 6 working days"), "{partial}");
        // Past the cap: the date still shown, with who must agree.
        let past = preview(&t.manager_client, &reference, "12").await;
        assert!(
            past.contains("cap of 10: a director must approve it"),
            "{past}"
        );

        // Without JavaScript: the button shows the same preview, values kept, nothing saved.
        let mut fields = extension("4", today());
        fields.push(("preview".into(), "true".into()));
        let previewed = act_owned(&t.manager_client, &reference, "extend", &fields).await;
        assert_eq!(previewed.status(), 200);
        let previewed = previewed.text().await.unwrap();
        assert!(part(&previewed, "new-due", "</dd>").contains(&long(extended)));
        assert!(previewed.contains("value=\"4\""), "the length kept");
        assert_eq!(row_of(&app, &reference).4, Some(due), "nothing recorded");

        // Recording it sets the date the preview showed.
        let recorded = act_owned(
            &t.manager_client,
            &reference,
            "extend",
            &extension("4", today()),
        )
        .await;
        assert_eq!(recorded.status(), 303);
        assert_eq!(
            row_of(&app, &reference).4,
            Some(extended),
            "{}",
            app.backend
        );
        let again = t
            .manager_client
            .get_html(&format!("/cases/{reference}/extend"))
            .await;
        let shown = part(&again, "extension-preview", "\n</div>");
        assert!(shown.contains(&long(extended)), "{shown}");
        assert!(shown.contains("allows 6 more working days"), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn the_decision_form_shows_the_deadline_and_the_notes() {
    for_each_backend(|app| async move {
        let s = story(&app, false).await;
        let form =
            s.t.manager_client
                .get_html(&format!("/cases/{}/decision", s.reference))
                .await;
        // The stage 1 response: 10 working days from the acknowledgement (yesterday).
        let acknowledged = today() - Duration::days(1);
        let due = calendar().add(acknowledged, 10, Unit::WorkingDays).unwrap();
        let left = calendar().between(today(), due).unwrap();
        let deadline = part(&form, "decision-deadline", "</div>");
        assert!(deadline.contains(&long(due)), "{deadline}");
        assert!(
            deadline.contains(&format!("{left} working days left")),
            "{deadline}"
        );
        let notes = part(&form, "decision-notes", "</details>");
        assert!(notes.contains("Spoke to the repairs supervisor about the boiler"));
        assert!(notes.contains("Resident says the boiler is still broken"));
        // The assigned manager reads the sensitive note too, as on the case page.
        assert!(notes.contains("Resident told us about a health condition"));
        assert!(form.contains("id=\"decision-evidence\""), "{form}");
        assert!(!form.contains("stage-2-context"), "not at stage 1");
    })
    .await;
}

#[tokio::test]
async fn the_stage_2_decision_form_shows_the_deadline_notes_and_what_stage_1_found() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let form = s
            .dave
            .get_html(&format!("/cases/{}/decision", s.reference))
            .await;
        let context = part(&form, "stage-2-context", "</aside>");
        assert!(
            context.contains("What stage 1 found") && context.contains("Stage 1 found point 1")
        );
        assert!(part(&form, "decision-deadline", "</div>").contains("working days left"));
        let notes = part(&form, "decision-notes", "</details>");
        assert!(
            notes.contains("Spoke to the repairs supervisor about the boiler"),
            "{notes}"
        );
    })
    .await;
}
