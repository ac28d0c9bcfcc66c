//! The case page's header and task list (issue 21), on both databases: one complaint walked
//! through both stages over HTTP, and at every step the task list's statuses, the status
//! label and the one next step as the officer, the investigating manager and a director see
//! them; the header's contents, a confidential complainant's included.

use chrono::Duration;
use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::sent_elsewhere::{acknowledge_by_phone, respond_by_email};
use crate::triage::{act, act_owned, date_fields, log_case, team, today};

/// A form accepted: 303 (what the page said otherwise).
async fn ok(response: reqwest::Response) {
    let status = response.status();
    assert_eq!(status, 303, "{}", response.text().await.unwrap());
}

/// What a viewer is offered as the next step.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Next {
    /// The primary button, by its words.
    Do(&'static str),
    /// Someone else's step: the sentence naming them (a prefix of it).
    Waiting(String),
    /// Nothing waits on anyone.
    Nothing,
    /// The viewer may not open the case.
    Hidden,
}

/// The text inside the element with this id (tags stripped, spaces collapsed).
fn text_of_id(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let open_end = start + html[start..].find('>')? + 1;
    let tag_start = html[..start].rfind('<')?;
    let tag: String = html[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    // The element's end: the matching close tag, counting nested ones of the same name.
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 1;
    let mut at = open_end;
    while depth > 0 {
        let next_close = at + html[at..].find(&close)?;
        match html[at..next_close].find(&open) {
            Some(i) => {
                depth += 1;
                at += i + open.len();
            }
            None => {
                depth -= 1;
                at = next_close + close.len();
            }
        }
    }
    let inner = &html[open_end..at - close.len()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn next_of(page: Option<&str>) -> Next {
    let Some(html) = page else {
        return Next::Hidden;
    };
    if let Some(label) = text_of_id(html, "next-step") {
        return Next::Do(match label.as_str() {
            "Triage the contact" => "Triage the contact",
            "Acknowledge the complaint" => "Acknowledge the complaint",
            "Assign an investigator" => "Assign an investigator",
            "Draft the response" => "Draft the response",
            "Approve the compensation" => "Approve the compensation",
            "Send the response" => "Send the response",
            "Escalate to stage 2" => "Escalate to stage 2",
            other => panic!("an unexpected next step {other:?}"),
        });
    }
    match text_of_id(html, "case-waiting") {
        Some(waiting) => Next::Waiting(waiting),
        None => Next::Nothing,
    }
}

/// `(task key, status)` of every row of the task list, in order.
fn tasks_of(html: &str) -> Vec<(&'static str, String)> {
    [
        "triage",
        "acknowledge",
        "assign",
        "investigate",
        "draft",
        "approval",
        "send",
    ]
    .into_iter()
    .filter_map(|key| text_of_id(html, &format!("task-{key}-status")).map(|s| (key, s)))
    .collect()
}

struct Expect {
    label: &'static str,
    tasks: &'static str,
    officer: Next,
    manager: Next,
    director: Next,
}

/// "acknowledge:Completed assign:Not started" as pairs.
fn parse_tasks(spec: &str) -> Vec<(&str, &str)> {
    if spec.is_empty() {
        return Vec::new();
    }
    spec.split(", ")
        .map(|pair| pair.split_once(':').expect("key:status"))
        .collect()
}

async fn page_as(client: &TestApp, reference: &str) -> Option<String> {
    let response = client.get(&format!("/cases/{reference}")).await;
    match response.status().as_u16() {
        200 => Some(response.text().await.unwrap()),
        403 => None,
        other => panic!("case page answered {other}"),
    }
}

async fn check(
    when: &str,
    reference: &str,
    viewers: [&TestApp; 3],
    expect: Expect,
    backend: impl std::fmt::Display,
) {
    let pages = [
        page_as(viewers[0], reference).await,
        page_as(viewers[1], reference).await,
        page_as(viewers[2], reference).await,
    ];
    let officer_page = pages[0].as_deref().expect("officers see every case");
    let context = format!("{when} on {backend}");
    assert_eq!(
        text_of_id(officer_page, "case-status").as_deref(),
        Some(expect.label),
        "status label {context}"
    );
    let found = tasks_of(officer_page);
    let found: Vec<(&str, &str)> = found.iter().map(|(k, s)| (*k, s.as_str())).collect();
    assert_eq!(found, parse_tasks(expect.tasks), "task list {context}");
    for (i, (who, want)) in [
        ("officer", expect.officer),
        ("manager", expect.manager),
        ("director", expect.director),
    ]
    .into_iter()
    .enumerate()
    {
        let got = next_of(pages[i].as_deref());
        let matches = match (&want, &got) {
            (Next::Waiting(w), Next::Waiting(g)) => g.starts_with(w.as_str()),
            _ => want == got,
        };
        assert!(
            matches,
            "next step for the {who} {context}: {got:?}, expected {want:?}"
        );
    }
}

fn waiting(text: &str) -> Next {
    Next::Waiting(text.to_string())
}

#[tokio::test]
async fn the_task_list_follows_the_case_through_both_stages() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        app.create_user("dana@example.org", "Dana Director", Role::Director, &[t.area]);
        let director = app.with_new_client();
        director.sign_in("dana@example.org", PASSWORD).await;
        let dana = app.user_id("dana@example.org").to_string();
        let viewers = [&t.officer, &t.manager_client, &director];
        let backend = app.backend;

        let reference = log_case(&t.officer, today() - Duration::days(1), &[]).await;
        check("received", &reference, viewers, Expect {
            label: "Awaiting triage",
            tasks: "",
            officer: Next::Do("Triage the contact"),
            manager: Next::Hidden,
            director: Next::Hidden,
        }, backend).await;

        ok(act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await).await;
        let not_yet = "investigate:Cannot start yet, draft:Cannot start yet, send:Cannot start yet";
        let tasks = format!("triage:Completed, acknowledge:Not started, assign:Not started, {not_yet}");
        check("triaged", &reference, viewers, Expect {
            label: "Stage 1: to acknowledge",
            tasks: tasks.leak(),
            officer: Next::Do("Acknowledge the complaint"),
            manager: Next::Hidden,
            director: Next::Hidden,
        }, backend).await;

        ok(acknowledge_by_phone(&t.officer, &reference, "stage1_acknowledgement").await).await;
        let tasks = format!("triage:Completed, acknowledge:Completed, assign:Not started, {not_yet}");
        check("acknowledged", &reference, viewers, Expect {
            label: "Stage 1: to assign",
            tasks: tasks.leak(),
            officer: Next::Do("Assign an investigator"),
            manager: Next::Hidden,
            director: Next::Hidden,
        }, backend).await;

        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        ok(act(&t.officer, &reference, "assign", &[("service_area", &area), ("manager", &manager)]).await).await;
        let before_decision = "triage:Completed, acknowledge:Completed, assign:Completed";
        let tasks = format!("{before_decision}, investigate:In progress, draft:Not started, send:Cannot start yet");
        let investigating = "Waiting for Mia Manager to investigate and draft the response";
        check("assigned", &reference, viewers, Expect {
            label: "Stage 1: investigating",
            tasks: tasks.leak(),
            officer: waiting(investigating),
            manager: Next::Do("Draft the response"),
            director: waiting(investigating),
        }, backend).await;

        crate::investigation::draft_with_compensation(&t.manager_client, &reference).await;
        let tasks = format!("{before_decision}, investigate:Completed, draft:Completed, approval:Not started, send:Cannot start yet");
        let approval = "Waiting for a director to approve the compensation";
        check("decided with compensation", &reference, viewers, Expect {
            label: "Stage 1: awaiting approval",
            tasks: tasks.leak(),
            officer: waiting(approval),
            manager: waiting(approval),
            director: Next::Do("Approve the compensation"),
        }, backend).await;

        // Eve approves, so Dana stays independent for the stage 2 review (Code 6.13).
        app.create_user("eve@example.org", "Eve Director", Role::Director, &[t.area]);
        let eve = app.with_new_client();
        eve.sign_in("eve@example.org", PASSWORD).await;
        crate::investigation::approve_compensation(&eve, &reference).await;
        let tasks = format!("{before_decision}, investigate:Completed, draft:Completed, approval:Completed, send:Not started");
        let sending = "Waiting for Mia Manager to send the response";
        check("approved", &reference, viewers, Expect {
            label: "Stage 1: response to send",
            tasks: tasks.leak(),
            officer: waiting(sending),
            manager: Next::Do("Send the response"),
            director: waiting(sending),
        }, backend).await;

        ok(respond_by_email(&t.manager_client, &reference, "stage1_response").await).await;
        let closed = "Closed: if the resident asks for a review";
        check("sent", &reference, viewers, Expect {
            label: "Closed at stage 1",
            tasks: "",
            officer: Next::Do("Escalate to stage 2"),
            manager: waiting(closed),
            director: waiting(closed),
        }, backend).await;

        let mut escalate = vec![
            ("choice".to_string(), "escalate".to_string()),
            ("reason".to_string(), "The repair is still not done".to_string()),
        ];
        escalate.extend(date_fields("on", today()));
        ok(act_owned(&t.officer, &reference, "escalate", &escalate).await).await;
        let tasks = format!("triage:Completed, acknowledge:Not started, assign:Not started, {not_yet}");
        check("escalated", &reference, viewers, Expect {
            label: "Stage 2: to acknowledge",
            tasks: tasks.leak(),
            officer: Next::Do("Acknowledge the complaint"),
            manager: waiting("Waiting for"),
            director: waiting("Waiting for"),
        }, backend).await;

        ok(acknowledge_by_phone(&t.officer, &reference, "stage2_acknowledgement").await).await;
        ok(act(&t.officer, &reference, "assign", &[("service_area", &area), ("manager", &dana)]).await).await;
        let tasks = format!("{before_decision}, investigate:In progress, draft:Not started, send:Cannot start yet");
        let reviewing = "Waiting for Dana Director to investigate and draft the response";
        check("stage 2 assigned", &reference, viewers, Expect {
            label: "Stage 2: investigating",
            tasks: tasks.leak(),
            officer: waiting(reviewing),
            manager: waiting(reviewing),
            director: Next::Do("Draft the response"),
        }, backend).await;

        let mut decision = vec![
            ("outcome".to_string(), "not_upheld".to_string()),
            ("summary".to_string(), "We looked again.".to_string()),
        ];
        for n in 1..=1 {
            decision.push((format!("finding_{n}"), "not_upheld".to_string()));
            decision.push((format!("reasons_{n}"), format!("Reasons for point {n}")));
        }
        ok(act_owned(&director, &reference, "decision", &decision).await).await;
        // No compensation: no approval step.
        let tasks = format!("{before_decision}, investigate:Completed, draft:Completed, send:Not started");
        check("stage 2 decided", &reference, viewers, Expect {
            label: "Stage 2: response to send",
            tasks: tasks.leak(),
            officer: waiting("Waiting for Dana Director to send the response"),
            manager: waiting("Waiting for Dana Director to send the response"),
            director: Next::Do("Send the response"),
        }, backend).await;

        ok(respond_by_email(&director, &reference, "stage2_response").await).await;
        check("closed", &reference, viewers, Expect {
            label: "Closed at stage 2",
            tasks: "",
            officer: Next::Nothing,
            manager: Next::Nothing,
            director: Next::Nothing,
        }, backend).await;
    })
    .await;
}

/// The header names who, what and when without scrolling: the complainant (or
/// "Confidential complainant" for someone who may not know), the tags, the people and the
/// next deadline in working days.
#[tokio::test]
async fn the_header_says_who_what_and_when() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = crate::investigation::stage1_case(
            &app,
            &t,
            today() - Duration::days(2),
            today() - Duration::days(1),
        )
        .await;
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        let header = text_of_id(&page, "case-header").unwrap();
        assert!(header.contains("Case officer"), "{header}");
        assert!(
            header.contains("Investigating manager Mia Manager"),
            "{header}"
        );
        assert!(
            header.contains("Respond by") && header.contains("working days left"),
            "{header}"
        );
        assert!(
            text_of_id(&page, "case-complainant").is_some_and(|c| !c.is_empty()),
            "the complainant's name"
        );

        let flagged = log_case(
            &t.officer,
            today(),
            &[("health_and_safety", "true"), ("safeguarding", "true")],
        )
        .await;
        // Needs are recorded (or corrected) after logging too.
        ok(act(
            &t.officer,
            &flagged,
            "details/adjustments",
            &[
                ("adjustments", "large_print"),
                ("vulnerability_notes", "Lives alone"),
            ],
        )
        .await)
        .await;
        let page = t.officer.get_html(&format!("/cases/{flagged}")).await;
        let tags = text_of_id(&page, "case-tags").unwrap();
        for tag in [
            "Awaiting triage",
            "Health and safety",
            "Safeguarding",
            "Large print",
            "Vulnerable",
        ] {
            assert!(tags.contains(tag), "{tag} in {tags} on {}", app.backend);
        }
        // The assigned manager of a confidential case sees that it is, not who.
        let confidential = log_case(&t.officer, today(), &[("confidential", "true")]).await;
        ok_assign(&t, &confidential).await;
        let page = t
            .manager_client
            .get_html(&format!("/cases/{confidential}"))
            .await;
        let tags = text_of_id(&page, "case-tags").unwrap();
        assert!(tags.contains("Confidential"), "{tags}");
        assert!(!page.contains("Jo Bloggs"), "the name is withheld");
        assert_eq!(
            text_of_id(&page, "case-complainant").as_deref(),
            Some("Confidential complainant"),
            "on {}",
            app.backend
        );
    })
    .await;
}

async fn ok_assign(t: &crate::triage::Team, reference: &str) {
    ok(act(&t.officer, reference, "triage", &[("decision", "stage1")]).await).await;
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    ok(act(
        &t.officer,
        reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await)
    .await;
}
