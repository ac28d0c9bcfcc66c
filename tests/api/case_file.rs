//! Issue 19: the case file reads like a case file. On both backends: every kind of entry
//! shows what was written and who did it (by name and role, never email); the timeline
//! filter; sensitive notes; stage 1 and stage 2 apart, with why the resident escalated and
//! what stage 1 found on the stage 2 screens; letters signed by the person responsible.

use chrono::Duration;
use redress::config::Signer;
use redress::domain::Role;

use crate::helpers::{backends, for_each_backend, spawn_app_with, TestApp, PASSWORD};
use crate::investigation::stage1_case;
use crate::triage::{
    act, act_owned, date_fields, hidden, team, today, with_copy, Team, ACK2, RESPOND1,
};

const NOTE: &str = "Spoke to the repairs supervisor about the boiler";
const CONTACT: &str = "Resident says the boiler is still broken";
const SENSITIVE: &str = "Resident told us about a health condition";
const REASONS: &str = "The boiler is still broken after the stage 1 promise";

pub(crate) struct Story {
    pub t: Team,
    pub reference: String,
    pub dana: TestApp,
    pub dave: TestApp,
}

fn decision_fields() -> Vec<(String, String)> {
    let mut fields = vec![
        ("outcome".to_string(), "partly_upheld".to_string()),
        ("summary".to_string(), "We were too slow.".to_string()),
        ("remedy_kind_1".to_string(), "compensation".to_string()),
        (
            "remedy_description_1".to_string(),
            "For the delay".to_string(),
        ),
        ("remedy_time_and_trouble_1".to_string(), "50".to_string()),
    ];
    for n in 1..=2 {
        fields.push((format!("finding_{n}"), "upheld".to_string()));
        fields.push((format!("reasons_{n}"), format!("Stage 1 found point {n}")));
    }
    fields
}

async fn ok(response: reqwest::Response) {
    let status = response.status();
    assert_eq!(status, 303, "{}", response.text().await.unwrap());
}

/// A stage 1 case with a note, a contact and a sensitive note; `then_escalate` takes it on:
/// a decision with compensation a director approves, sent; escalation with reasons; stage 2
/// acknowledged with three points and assigned to a second director.
pub(crate) async fn story(app: &TestApp, then_escalate: bool) -> Story {
    let t = team(app).await;
    for (email, name) in [
        ("dana@example.org", "Dana Director"),
        ("dave@example.org", "Dave Director"),
    ] {
        app.create_user(email, name, Role::Director, &[t.area]);
    }
    let dana = app.with_new_client();
    dana.sign_in("dana@example.org", PASSWORD).await;
    let dave = app.with_new_client();
    dave.sign_in("dave@example.org", PASSWORD).await;
    let reference = stage1_case(
        app,
        &t,
        today() - Duration::days(2),
        today() - Duration::days(1),
    )
    .await;
    ok(act(
        &t.manager_client,
        &reference,
        "notes",
        &[("kind", "note"), ("text", NOTE)],
    )
    .await)
    .await;
    let mut contact = vec![
        ("kind".to_string(), "phone_call".to_string()),
        ("text".to_string(), CONTACT.to_string()),
    ];
    contact.extend(date_fields("on", today()));
    ok(act_owned(&t.officer, &reference, "notes", &contact).await).await;
    ok(act(
        &t.manager_client,
        &reference,
        "notes",
        &[("kind", "note"), ("text", SENSITIVE), ("sensitive", "true")],
    )
    .await)
    .await;
    if then_escalate {
        ok(act_owned(
            &t.manager_client,
            &reference,
            "decision",
            &decision_fields(),
        )
        .await)
        .await;
        let page = dana.get_html(&format!("/cases/{reference}")).await;
        ok(dana
            .post_form(
                &format!("/cases/{reference}/compensation/approve"),
                &[
                    ("version", &hidden(&page, "version")),
                    ("last_event", &hidden(&page, "last_event")),
                ],
            )
            .await)
        .await;
        let mut send = vec![("method".to_string(), "email".to_string())];
        send.extend(date_fields("sent", today()));
        ok(act_owned(&t.manager_client, &reference, RESPOND1, &with_copy(&send)).await).await;
        let mut escalate = vec![
            ("choice".to_string(), "escalate".to_string()),
            ("reason".to_string(), REASONS.to_string()),
        ];
        escalate.extend(date_fields("on", today()));
        ok(act_owned(&t.officer, &reference, "escalate", &escalate).await).await;
        let mut ack = vec![
            ("method".to_string(), "email".to_string()),
            (
                "points".to_string(),
                "Repair not done\nRude phone call\nStage 1 response ignored the repair".to_string(),
            ),
        ];
        ack.extend(date_fields("sent", today()));
        ok(act_owned(&t.officer, &reference, ACK2, &with_copy(&ack)).await).await;
        let dave_id = app.user_id("dave@example.org").to_string();
        let area = t.area.to_string();
        ok(act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &dave_id)],
        )
        .await)
        .await;
    }
    Story {
        t,
        reference,
        dana,
        dave,
    }
}

/// The part of `html` from the element with `id` to the next `marker` (or the end).
fn part<'a>(html: &'a str, id: &str, marker: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    let end = rest[1..].find(marker).map(|e| e + 1).unwrap_or(rest.len());
    &rest[..end]
}

pub(crate) fn timeline(html: &str) -> &str {
    part(html, "timeline", "</ol>")
}

#[tokio::test]
async fn every_entry_shows_what_was_written_and_who_did_it_by_name_and_role() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let page =
            s.t.officer
                .get_html(&format!("/cases/{}", s.reference))
                .await;
        let entries = timeline(&page);
        for shown in [
            // Notes and contacts: the text, who, when and how.
            NOTE,
            CONTACT,
            "Phone call with the resident",
            SENSITIVE,
            "Sensitive note",
            // Assignment names the manager and the area.
            "Assigned to Mia Manager, Repairs",
            "Assigned to Dave Director, Repairs",
            // Decisions, approval and response are their own entries, not "Note added".
            "Stage 1 decision drafted",
            "Offers compensation of £50.00: awaiting a director&#39;s approval",
            "Compensation of £50.00 approved",
            "Stage 1 response sent",
            // Why the resident escalated.
            "The resident asked to escalate to stage 2",
            REASONS,
            "Stage 2 acknowledged",
            // Who: name and role.
            "Mia Manager, Service manager",
            "Dana Director, Director",
            "Test Complaints officer, Complaints officer",
        ] {
            assert!(
                entries.contains(shown),
                "{}: {shown} in {entries}",
                app.backend
            );
        }
        assert!(!page.contains("Note added"), "{page}");
        for email in ["mia@example.org", "dana@example.org", "dave@example.org"] {
            assert!(!page.contains(email), "{}: {email} shown", app.backend);
        }
        let _ = (&s.dana, &s.dave);
    })
    .await;
}

#[tokio::test]
async fn the_timeline_filter_works_as_plain_links() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let at = |filter: &'static str| {
            let client = s.t.officer.clone_client();
            let path = format!("/cases/{}?timeline={filter}", s.reference);
            async move { client.get_html(&path).await }
        };
        let notes = at("notes").await;
        let notes = timeline(&notes);
        assert!(notes.contains(NOTE) && notes.contains(CONTACT), "{notes}");
        assert!(
            !notes.contains("Assigned to") && !notes.contains("response sent"),
            "{notes}"
        );
        let letters = at("letters").await;
        let letters = timeline(&letters);
        assert!(letters.contains("Stage 1 response sent"), "{letters}");
        assert!(
            !letters.contains(NOTE) && !letters.contains("Assigned to"),
            "{letters}"
        );
        let changes = at("changes").await;
        let changes = timeline(&changes);
        assert!(
            changes.contains("Assigned to Mia Manager") && changes.contains(REASONS),
            "{changes}"
        );
        assert!(!changes.contains(NOTE), "{changes}");
        // The current choice is marked, the others are links to follow.
        assert!(
            changes.contains("<strong aria-current=\"page\">Changes</strong>"),
            "{changes}"
        );
        assert!(changes.contains("?timeline=notes#timeline"), "{changes}");
    })
    .await;
}

#[tokio::test]
async fn a_sensitive_note_is_read_only_by_officers_and_the_assigned_manager() {
    for_each_backend(|app| async move {
        let s = story(&app, false).await;
        let path = format!("/cases/{}", s.reference);
        // Max manages the same area, so sees the case, but is not assigned to it.
        let max = app.with_new_client();
        max.sign_in("max@example.org", PASSWORD).await;
        let theirs = max.get_html(&path).await;
        assert!(
            theirs.contains(NOTE),
            "the ordinary note is for the whole case team"
        );
        assert!(theirs.contains("Sensitive note"), "{theirs}");
        assert!(
            !theirs.contains(SENSITIVE),
            "{}: sensitive text shown to Max",
            app.backend
        );
        // A director of the area who is not assigned: the same.
        let dana = s.dana.get_html(&path).await;
        assert!(!dana.contains(SENSITIVE) && dana.contains(NOTE));
        // The officer and the assigned manager read it; a note typed by a manager is
        // readable by the officer.
        assert!(s.t.officer.get_html(&path).await.contains(SENSITIVE));
        assert!(s.t.manager_client.get_html(&path).await.contains(SENSITIVE));
    })
    .await;
}

#[tokio::test]
async fn stage_1_and_stage_2_stay_apart_after_escalation() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let page = s.dave.get_html(&format!("/cases/{}", s.reference)).await;
        let stage1 = part(&page, "stage1", "<section");
        let stage2 = part(&page, "stage2", "</section>");
        assert!(stage1.contains("Rude phone call") && !stage1.contains("ignored the repair"));
        assert!(stage1.contains("Stage 1 decision") && stage1.contains("Stage 1 found point 2"));
        assert!(stage1.contains("£50.00 offered, approved"), "{stage1}");
        assert!(stage1.contains("Stage 1 response sent"), "{stage1}");
        assert!(
            stage2.contains("Stage 1 response ignored the repair"),
            "{stage2}"
        );
        assert!(!stage2.contains("Stage 1 found point"), "{stage2}");
        // The stage 2 reviewer reads why the resident escalated.
        assert!(stage2.contains("Why the resident escalated") && stage2.contains(REASONS));
    })
    .await;
}

#[tokio::test]
async fn the_stage_2_decision_form_and_letter_editor_show_why_the_resident_escalated() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        for path in [
            format!("/cases/{}/decision", s.reference),
            format!("/cases/{}/letters/stage2_response", s.reference),
        ] {
            let html = s.dave.get_html(&path).await;
            let context = part(&html, "stage-2-context", "</aside>");
            assert!(
                context.contains("Why the resident escalated"),
                "{path}: {html}"
            );
            assert!(context.contains(REASONS), "{path}");
            assert!(context.contains("What stage 1 found"), "{path}");
            assert!(context.contains("Stage 1 found point 1"), "{path}");
            assert!(context.contains("Partly upheld"), "{path}");
        }
        // Not on a stage 1 screen.
        let other = stage1_case(
            &app,
            &s.t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        let form =
            s.t.manager_client
                .get_html(&format!("/cases/{other}/decision"))
                .await;
        assert!(
            form.contains("Record the decision") || form.contains("decision"),
            "{form}"
        );
        assert!(!form.contains("stage-2-context"), "{form}");
    })
    .await;
}

/// The signature of the letter previewed on `html` (the editor's preview).
fn signature(html: &str) -> String {
    let start = html
        .find("class=\"letter__signature\">")
        .expect("a signature")
        + 26;
    let end = html[start..].find("</p>").unwrap() + start;
    html[start..end].replace("<br>", " / ")
}

#[tokio::test]
async fn letters_are_signed_by_the_person_responsible_per_kind() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let admin = app.signed_in_as(Role::Admin).await;
        let dave = app.user_id("dave@example.org");
        let page = admin
            .get_html(&format!("/admin/users/{dave}/job-title"))
            .await;
        assert!(page.contains("Job title"), "{page}");
        ok(admin
            .post_form(
                &format!("/admin/users/{dave}/job-title"),
                &[("job_title", "Director of Housing")],
            )
            .await)
        .await;
        assert_eq!(app.audit_count("user_job_title_set"), 1);
        // Too long: the error beside the field, the typed value kept, 400, nothing saved.
        let long = "x".repeat(201);
        let refused = admin
            .post_form(
                &format!("/admin/users/{dave}/job-title"),
                &[("job_title", &long)],
            )
            .await;
        assert_eq!(refused.status(), 400);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("job_title-error") && refused.contains(&long));
        assert_eq!(app.audit_count("user_job_title_set"), 1);

        // The stage 2 response: the reviewing director, by name and job title.
        let letter = s
            .dave
            .get_html(&format!("/cases/{}/letters/stage2_response", s.reference))
            .await;
        assert_eq!(
            signature(&letter),
            "Dave Director / Director of Housing / Example Housing Association"
        );
        // An acknowledgement: the case officer, by role without a job title.
        let fresh = crate::triage::log_case(&s.t.officer, today(), &[]).await;
        act(&s.t.officer, &fresh, "triage", &[("decision", "stage1")]).await;
        let ack =
            s.t.officer
                .get_html(&format!("/cases/{fresh}/letters/stage1_acknowledgement"))
                .await;
        assert_eq!(
            signature(&ack),
            "Test Complaints officer / Complaints officer / Example Housing Association"
        );
    })
    .await;
}

#[tokio::test]
async fn the_signer_of_each_kind_is_configurable() {
    for backend in backends() {
        let app = spawn_app_with(backend, |settings| {
            settings.landlord.signed_by.stage1_acknowledgement = Signer::Team;
        })
        .await;
        let t = team(&app).await;
        let reference = crate::triage::log_case(&t.officer, today(), &[]).await;
        act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        let letter = t
            .officer
            .get_html(&format!(
                "/cases/{reference}/letters/stage1_acknowledgement"
            ))
            .await;
        assert_eq!(
            signature(&letter),
            "Complaints Team / Complaints Manager / Example Housing Association",
            "{}",
            app.backend
        );
    }
}

/// The read model loads the whole case file with a fixed number of queries, whatever the
/// number of events, people and stages (counted with Diesel's instrumentation).
#[tokio::test]
async fn the_case_page_loads_with_a_fixed_number_of_queries() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use diesel::connection::{Connection, InstrumentationEvent};
    use redress::cases::access::Viewer;
    use redress::cases::identity::Reader;
    use redress::cases::page::{self, Looking, PageRules, TimelineFilter};
    use redress::rules::{PolicySet, RagThresholds};

    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let policies = PolicySet::load_dir(&app.settings.rules.policies_dir).unwrap();
        let calendar = crate::helpers::calendar();
        let dave = app.user_id("dave@example.org");
        let count = |reference: &str| {
            let queries = Arc::new(AtomicUsize::new(0));
            let counter = queries.clone();
            let mut conn = app.conn();
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
            let areas = [s.t.area];
            let reader = Reader {
                id: dave,
                role: Role::Director,
                label: "dave".into(),
                ip: None,
            };
            let looking = Looking {
                viewer: Viewer {
                    id: dave,
                    role: Role::Director,
                    service_areas: &areas,
                },
                reader: &reader,
            };
            let rules = PageRules {
                policies: &policies,
                calendar: &calendar,
                thresholds: RagThresholds::default(),
                today: today(),
            };
            let loaded = page::load(&mut conn, &looking, reference, &rules, TimelineFilter::All)
                .unwrap_or_else(|e| panic!("{e:?}"));
            conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
            (queries.load(Ordering::SeqCst), loaded.timeline.len())
        };
        let (queries, entries) = count(&s.reference);
        eprintln!(
            "{}: the case page of a two-stage case with {entries} timeline entries took {queries} queries",
            app.backend
        );
        assert!(entries >= 13, "{entries}");
        assert!(queries <= 20, "{queries} queries");
        // More events, the same number of queries.
        for n in 0..5 {
            let text = format!("Another note {n}");
            ok(act(&s.t.officer, &s.reference, "notes", &[("kind", "note"), ("text", &text)]).await)
                .await;
        }
        let (again, more) = count(&s.reference);
        assert_eq!(more, entries + 5);
        assert_eq!(again, queries, "queries grow with the timeline");
    })
    .await;
}
