//! The Code's other letters (issue 25): the escalation refusal letter (Code 2.4, 5.11),
//! progress updates at the interval agreed with the resident (5.9) and the "action
//! completed" update (6.6). Each is owed when its event happens, content-checked, and no
//! longer owed once sent from Redress or recorded as sent elsewhere.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use redress::db::schema::{complainants, letters, remedies};
use redress::rules::Unit;

use crate::helpers::{backends, calendar, for_each_backend, spawn_app_at, TestApp};
use crate::investigation::{decision_fields, stage1_case};
use crate::letters::{open, post};
use crate::triage::{act, act_owned, date_fields, team, today, with_copy, Team, RESPOND1};

/// The complainant asks for email, so letters go straight out (no postal address needed).
pub fn prefers_email(app: &TestApp) {
    diesel::update(complainants::table)
        .set(complainants::preferred_channel.eq("email"))
        .execute(&mut app.conn())
        .unwrap();
}

/// `(kind, details, frozen text)` of the letters sent on the case of `reference`.
fn sent(app: &TestApp, kind: &str) -> Vec<(String, Option<String>)> {
    letters::table
        .filter(letters::kind.eq(kind))
        .filter(letters::status.eq("sent"))
        .order(letters::id)
        .select((letters::details, letters::frozen_text))
        .load(&mut app.conn())
        .unwrap()
}

/// The links to letters owed on the case's letters section.
async fn owed_on_case(client: &TestApp, reference: &str) -> String {
    client
        .get_html(&format!("/cases/{reference}/letters"))
        .await
}

/// A stage 1 case answered on `on` (recorded as sent elsewhere) with `remedies` as extra
/// decision fields; acknowledged the day before it was received + 1.
pub async fn answered(
    app: &TestApp,
    t: &Team,
    received: NaiveDate,
    acknowledged: NaiveDate,
    on: NaiveDate,
    remedies: &[(&str, &str)],
    remedy_due: Option<NaiveDate>,
) -> String {
    let reference = stage1_case(app, t, received, acknowledged).await;
    let mut draft = decision_fields(&[("1", "upheld"), ("2", "not_upheld")], remedies);
    if let Some(due) = remedy_due {
        draft.extend(date_fields("remedy_due_1", due));
        draft.extend(date_fields("remedy_due_2", due));
    }
    let drafted = act_owned(&t.manager_client, &reference, "decision", &draft).await;
    assert_eq!(drafted.status(), 303, "{}", drafted.text().await.unwrap());
    let mut send = vec![("method".to_string(), "email".to_string())];
    send.extend(date_fields("sent", on));
    let response = act_owned(&t.manager_client, &reference, RESPOND1, &with_copy(&send)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    reference
}

/// The case page's "what next" block.
fn next_step(case: &str) -> &str {
    let at = case.find("id=\"case-next\"").expect("the next step block");
    let rest = &case[at..];
    &rest[..rest.find("</div>").expect("the block ends")]
}

pub async fn refuse(t: &Team, reference: &str, reason: &str) {
    let mut fields = vec![
        ("choice".to_string(), "refuse".to_string()),
        ("reason".to_string(), reason.to_string()),
    ];
    fields.extend(date_fields("on", today()));
    let refused = act_owned(&t.officer, reference, "escalate", &fields).await;
    assert_eq!(refused.status(), 303, "{}", refused.text().await.unwrap());
}

#[tokio::test]
async fn a_refused_escalation_owes_a_checked_letter_until_sent_or_recorded_elsewhere() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        prefers_email(&app);
        let reference = answered(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
            today(),
            &[],
            None,
        )
        .await;
        prefers_email(&app);
        let link = format!("/cases/{reference}/letters/escalation_refusal");
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));

        refuse(
            &t,
            &reference,
            "The resident raised a new matter, not this complaint",
        )
        .await;
        assert!(owed_on_case(&t.officer, &reference).await.contains(&link));
        assert!(t.officer.get_html("/letters/owed").await.contains(&link));
        // The case page's header says the letter is owed, linking to it.
        let case = t.officer.get_html(&format!("/cases/{reference}")).await;
        let header = &case[case
            .find("id=\"case-notices-owed\"")
            .expect("owed on the case")..];
        assert!(
            header[..header.find("</dd>").unwrap()].contains(&link),
            "{header}"
        );
        // The letter is the officer's next step; the manager sees who it waits for.
        let next = next_step(&case);
        assert!(next.contains(&format!("href=\"{link}\"")), "{next}");
        assert!(next.contains("Send the refusal letter"), "{next}");
        assert!(!next.contains("Escalate to stage 2"), "{next}");
        let managers = t
            .manager_client
            .get_html(&format!("/cases/{reference}"))
            .await;
        assert!(
            next_step(&managers).contains("waiting for the complaints team to send the letter"),
            "{managers}"
        );
        // The complaints team refuses, and so writes the letter.
        assert_eq!(t.manager_client.get(&link).await.status(), 403);

        // The editor starts from the reason recorded; without a section 2 ground the
        // letter cannot go.
        let editor = open(&t.officer, &reference, "escalation_refusal").await;
        assert!(editor.html.contains("The resident raised a new matter"));
        let explanation =
            "You asked us about a new matter, which we will treat as a new complaint.";
        let refused = post(
            &t.officer,
            &reference,
            "escalation_refusal",
            &editor,
            "send",
            &[
                ("exclusion_explanation", explanation),
                ("body", "Thank you."),
            ],
        )
        .await;
        assert_eq!(refused.status(), 400);
        let page = refused.text().await.unwrap();
        assert!(page.contains("ground for refusing"), "{page}");
        assert!(sent(&app, "escalation_refusal").is_empty());

        let response = post(
            &t.officer,
            &reference,
            "escalation_refusal",
            &editor,
            "send",
            &[
                ("exclusion_reasons", "already_considered"),
                ("exclusion_explanation", explanation),
                ("body", "Thank you."),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let letters = sent(&app, "escalation_refusal");
        assert_eq!(letters.len(), 1);
        let text = letters[0].1.clone().unwrap_or_default();
        for element in [
            explanation,
            "Already considered",
            "Housing Ombudsman Service",
            "PO Box 1484",
            "not to escalate",
        ] {
            assert!(text.contains(element), "{element}: {text}");
        }
        // Sent: no longer owed, and the editor says so.
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));
        assert!(!t.officer.get_html("/letters/owed").await.contains(&link));
        assert_eq!(t.officer.get(&link).await.status(), 409);
        let case = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(!case.contains("id=\"case-notices-owed\""), "{case}");
        // Explained: no main button, but escalating stays offered should the resident
        // come back.
        let next = next_step(&case);
        assert!(!next.contains("id=\"next-step\""), "{next}");
        assert!(next.contains("stage 2 was refused on"), "{next}");
        assert!(
            case.contains(&format!("/cases/{reference}/escalate")),
            "{case}"
        );

        // A second refusal owes a second letter; recorded as sent elsewhere, it is not.
        refuse(&t, &reference, "Asked again about the same matter").await;
        assert!(owed_on_case(&t.officer, &reference).await.contains(&link));
        let page = t.officer.get_html(&format!("{link}/sent-elsewhere")).await;
        assert!(!page.contains("value=\"phone\""), "a refusal is in writing");
        let recorded = crate::sent_elsewhere::record_typed(
            &t.officer,
            &reference,
            "escalation_refusal",
            &[
                ("method", "letter"),
                ("sent_day", &today().format("%-d").to_string()),
                ("sent_month", &today().format("%-m").to_string()),
                ("sent_year", &today().format("%Y").to_string()),
            ],
        )
        .await;
        assert_eq!(recorded.status(), 303, "{}", recorded.text().await.unwrap());
        assert_eq!(sent(&app, "escalation_refusal").len(), 2);
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));
    })
    .await;
}

#[tokio::test]
async fn an_action_completed_after_the_response_owes_an_update_listing_it_once() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let owner = t.manager.to_string();
        let reference = answered(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
            today(),
            &[
                ("remedy_kind_1", "put_right"),
                ("remedy_description_1", "Fix the boiler"),
                ("remedy_owner_1", &owner),
                ("remedy_kind_2", "put_right"),
                ("remedy_description_2", "Replace the radiator valve"),
                ("remedy_owner_2", &owner),
            ],
            Some(today() + Duration::days(30)),
        )
        .await;
        prefers_email(&app);
        let link = format!("/cases/{reference}/letters/action_completed");
        // Nothing done yet: nothing to report.
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));
        assert_eq!(t.officer.get(&link).await.status(), 409);

        let remedy = |description: &str| -> i32 {
            remedies::table
                .filter(remedies::description.eq(description))
                .select(remedies::id)
                .first(&mut app.conn())
                .unwrap()
        };
        let done = |id: i32| {
            let client = t.manager_client.clone_client();
            async move {
                let response = client
                    .post_form(
                        &format!("/actions/remedies/{id}/done"),
                        &[("evidence", "Job 123 closed")],
                    )
                    .await;
                assert_eq!(response.status(), 303);
            }
        };
        let boiler = remedy("Fix the boiler");
        done(boiler).await;
        assert!(owed_on_case(&t.officer, &reference).await.contains(&link));
        assert!(t.officer.get_html("/letters/owed").await.contains(&link));

        // The letter lists the action done and the one still to do; the assigned manager
        // sends it.
        let editor = open(&t.manager_client, &reference, "action_completed").await;
        assert!(
            editor.html.contains("Fix the boiler (completed"),
            "{}",
            editor.html
        );
        assert!(editor.html.contains("Replace the radiator valve, by"));
        let response = post(
            &t.manager_client,
            &reference,
            "action_completed",
            &editor,
            "send",
            &[("body", "We are writing about the repairs.")],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let letters = sent(&app, "action_completed");
        assert_eq!(letters.len(), 1);
        assert!(letters[0]
            .0
            .contains(&format!("\"completed_actions\":[{boiler}]")));
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));
        assert_eq!(t.manager_client.get(&link).await.status(), 409);

        // The second action done owes a second update, reporting only it; recorded as
        // sent elsewhere, it is reported too.
        let valve = remedy("Replace the radiator valve");
        done(valve).await;
        let editor = open(&t.manager_client, &reference, "action_completed").await;
        assert!(editor
            .html
            .contains("Replace the radiator valve (completed"));
        assert!(!editor.html.contains("Fix the boiler (completed"));
        let recorded = crate::sent_elsewhere::record_typed(
            &t.manager_client,
            &reference,
            "action_completed",
            &[
                ("method", "email"),
                ("sent_day", &today().format("%-d").to_string()),
                ("sent_month", &today().format("%-m").to_string()),
                ("sent_year", &today().format("%Y").to_string()),
            ],
        )
        .await;
        assert_eq!(recorded.status(), 303, "{}", recorded.text().await.unwrap());
        let letters = sent(&app, "action_completed");
        assert_eq!(letters.len(), 2);
        assert!(letters[1]
            .0
            .contains(&format!("\"completed_actions\":[{valve}]")));
        assert!(!owed_on_case(&t.officer, &reference).await.contains(&link));
    })
    .await;
}

/// Queues the digests of `day` (at 09:00) and gives the text of `email`'s latest, or "".
fn digest_of(app: &TestApp, day: NaiveDate, email: &str) -> String {
    use redress::db::schema::outbox;
    let links = redress::mail::links::Links::from_settings(&app.settings);
    redress::mail::notify::queue_digests(
        &mut app.conn(),
        &calendar(),
        &links,
        app.settings.rules.amber_within,
        &crate::helpers::updates_owed(&app.settings),
        day,
        day.and_hms_opt(9, 0, 0).unwrap(),
    )
    .unwrap();
    outbox::table
        .filter(outbox::recipient.eq(email))
        .filter(outbox::kind.eq("digest"))
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .first::<String>(&mut app.conn())
        .ok()
        .unwrap_or_default()
}

/// Sets the interval on the case's "How often to update the resident" form.
async fn agree(client: &TestApp, reference: &str, every: &str) -> reqwest::Response {
    act(client, reference, "progress-updates", &[("every", every)]).await
}

#[tokio::test]
async fn progress_updates_fall_due_at_the_agreed_interval_from_a_late_response() {
    // Wednesday 25 November 2026, noon in London.
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let cal = calendar();
    let received = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let acknowledged = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    // hoc-2024: the response is due 10 working days after the acknowledgement, and is late.
    let due = cal.add(acknowledged, 10, Unit::WorkingDays).unwrap();
    assert!(due < now);
    // The interval that makes the first update due exactly today.
    let exact = cal.between(due, now).unwrap();
    for backend in backends() {
        let app = spawn_app_at(backend, at).await;
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, received, acknowledged).await;
        prefers_email(&app);
        let link = format!("/cases/{reference}/letters/progress_update");
        let section = owed_on_case(&t.officer, &reference).await;
        assert!(section.contains("No interval agreed"), "{section}");
        assert!(!section.contains(&format!("href=\"{link}\">Write")));

        // One working day more: the first update falls due tomorrow, so none is owed today.
        let response = agree(&t.manager_client, &reference, &(exact + 1).to_string()).await;
        assert_eq!(response.status(), 303);
        let tomorrow = cal.add(now, 1, Unit::WorkingDays).unwrap();
        let section = owed_on_case(&t.officer, &reference).await;
        assert!(
            section.contains(&tomorrow.format("%-d %B %Y").to_string()),
            "{section}"
        );
        assert!(!section.contains("Update due"), "{section}");
        // The case page's header says when, not yet marked due.
        let case = t.officer.get_html(&format!("/cases/{reference}")).await;
        let header = &case[case
            .find("id=\"case-progress-update\"")
            .expect("on the case")..];
        let header = &header[..header.find("</dd>").unwrap()];
        assert!(
            header.contains(&tomorrow.format("%-d %B %Y").to_string()) && !header.contains(">Due<"),
            "{header}"
        );
        let owed = t.officer.get_html("/letters/owed").await;
        assert!(owed.contains("Progress updates due") && owed.contains(&reference));
        assert!(!owed.contains("govuk-tag--red\">Due"), "{owed}");

        // Exactly the interval: due today.
        assert_eq!(
            agree(&t.manager_client, &reference, &exact.to_string())
                .await
                .status(),
            303
        );
        let section = owed_on_case(&t.officer, &reference).await;
        assert!(section.contains("Update due"), "{section}");
        assert!(
            section.contains("Write the progress update letter"),
            "{section}"
        );
        assert!(section.contains("the response is late"));
        let case = t.officer.get_html(&format!("/cases/{reference}")).await;
        let header = &case[case
            .find("id=\"case-progress-update\"")
            .expect("on the case")..];
        let header = &header[..header.find("</dd>").unwrap()];
        assert!(
            header.contains(">Due<") && header.contains("the response is late"),
            "{header}"
        );
        let owed = t.officer.get_html("/letters/owed").await;
        assert!(owed.contains("govuk-tag--red\">Due"), "{owed}");
        // The investigator's digest today lists the update, linked to its letter.
        let digest = digest_of(&app, now, "mia@example.org");
        assert!(
            digest.contains("Progress updates to send (1):")
                && digest.contains(&format!("- {reference}, progress update: due "))
                && digest.contains(&link),
            "{digest}"
        );

        // The update says what happened; without it the check refuses.
        let editor = open(&t.manager_client, &reference, "progress_update").await;
        let refused = post(
            &t.manager_client,
            &reference,
            "progress_update",
            &editor,
            "send",
            &[("progress_news", "")],
        )
        .await;
        assert_eq!(refused.status(), 400);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("What has happened since the last update"));
        let response = post(
            &t.manager_client,
            &reference,
            "progress_update",
            &editor,
            "send",
            &[
                ("progress_news", "The surveyor visited on Monday."),
                ("body", "As agreed."),
            ],
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let letters = sent(&app, "progress_update");
        assert_eq!(letters.len(), 1);
        let text = letters[0].1.clone().unwrap_or_default();
        let next = cal
            .add(now, u32::try_from(exact).unwrap(), Unit::WorkingDays)
            .unwrap();
        assert!(text.contains("The surveyor visited on Monday."), "{text}");
        assert!(
            text.contains(&next.format("%-d %B %Y").to_string()),
            "{text}"
        );

        // Sent: the next update is due an interval from today, so none is owed now.
        let section = owed_on_case(&t.officer, &reference).await;
        assert!(!section.contains("Update due"), "{section}");
        let next_day = cal.add(now, 1, Unit::WorkingDays).unwrap();
        let digest = digest_of(&app, next_day, "mia@example.org");
        assert!(!digest.contains("Progress updates to send"), "{digest}");
        assert!(
            section.contains(&next.format("%-d %B %Y").to_string()),
            "{section}"
        );

        // No regular updates agreed: the list no longer shows the case.
        assert_eq!(
            agree(&t.manager_client, &reference, "0").await.status(),
            303
        );
        let case = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(!case.contains("id=\"case-progress-update\""), "{case}");
        let owed = t.officer.get_html("/letters/owed").await;
        assert!(
            owed.contains("No resident is owed progress updates"),
            "{owed}"
        );
        // Bad input: beside the field, typed value kept, 400.
        let bad = agree(&t.manager_client, &reference, "ten").await;
        assert_eq!(bad.status(), 400);
        let page = bad.text().await.unwrap();
        assert!(
            page.contains("Enter a whole number of working days") && page.contains("value=\"ten\"")
        );
    }
}
