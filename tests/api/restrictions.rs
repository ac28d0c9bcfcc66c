//! Contact restrictions (SPEC sections 1, 2 and 5): proposed by an officer or the assigned
//! manager, approved or declined by a director, shown on the case page, and owed a notice.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::contact_restrictions;
use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::investigation::stage1_case;
use crate::triage::{act, act_owned, date_fields, hidden, log_case, team, today, Team};

const WHAT: &str = "Contact by email to the complaints team only";
const WHY: &str = "Forty calls a day to the repairs line, abusive to staff";

/// A team, a stage 1 case received three days ago and acknowledged two days ago, and a
/// director of its service area, signed in.
async fn case_and_director(app: &TestApp) -> (Team, String, TestApp) {
    let t = team(app).await;
    let reference = stage1_case(
        app,
        &t,
        today() - Duration::days(3),
        today() - Duration::days(2),
    )
    .await;
    let director = crate::triage::area_director(app, &t).await;
    (t, reference, director)
}

fn proposal(what: &str, why: &str, review: NaiveDate) -> Vec<(String, String)> {
    let mut fields = vec![
        ("what".to_string(), what.to_string()),
        ("reason".to_string(), why.to_string()),
    ];
    fields.extend(date_fields("review", review));
    fields
}

async fn propose(client: &TestApp, reference: &str, review: NaiveDate) -> reqwest::Response {
    act_owned(
        client,
        reference,
        "restriction",
        &proposal(WHAT, WHY, review),
    )
    .await
}

/// Opens the director's decision form and posts `fields` with what it showed.
async fn decide(client: &TestApp, reference: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let form = client
        .get_html(&format!("/cases/{reference}/restriction/decide"))
        .await;
    let seen: Vec<(&str, String)> = [
        "version",
        "last_event",
        "restriction",
        "restriction_version",
    ]
    .into_iter()
    .map(|name| (name, hidden(&form, name)))
    .collect();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.extend(seen.iter().map(|(n, v)| (*n, v.as_str())));
    client
        .post_form(&format!("/cases/{reference}/restriction/decide"), &all)
        .await
}

fn statuses(app: &TestApp) -> Vec<String> {
    contact_restrictions::table
        .order(contact_restrictions::id)
        .select(contact_restrictions::status)
        .load(&mut app.conn())
        .unwrap()
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

#[tokio::test]
async fn a_proposal_approved_by_a_director_is_shown_recorded_and_audited() {
    for_each_backend(|app| async move {
        let (t, reference, director) = case_and_director(&app).await;
        let review = today() + Duration::days(60);

        // The assigned manager proposes.
        let proposed = propose(&t.manager_client, &reference, review).await;
        assert_eq!(proposed.status(), 303, "{}", app.backend);
        assert_eq!(statuses(&app), ["proposed"]);
        assert_eq!(app.audit_count("case_restriction_proposed"), 1);
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("id=\"proposed-restriction\""), "{page}");
        assert!(page.contains(&format!(
            "Contact restriction proposed (review by {})",
            long(review)
        )));
        assert!(!page.contains("Contact restriction in force"));
        // Nobody else may propose while one is waiting.
        assert!(!page.contains("Propose a contact restriction"));

        // It waits on the director's queue, beside compensation.
        let queue = director.get_html("/approvals").await;
        assert!(queue.contains("Contact restriction (stage 1)"), "{queue}");
        assert!(
            queue.contains(&format!("/cases/{reference}/approval/")) && queue.contains(WHAT),
            "{queue}"
        );

        // Only a director decides: the manager's and officer's approvals are refused and
        // change nothing.
        for client in [&t.manager_client, &t.officer] {
            let tried = client
                .post_form(
                    &format!("/cases/{reference}/restriction/decide"),
                    &[
                        ("decision", "approve"),
                        ("restriction", "1"),
                        ("restriction_version", "1"),
                        ("version", "1"),
                        ("last_event", "0"),
                    ],
                )
                .await;
            assert_eq!(tried.status(), 403);
        }
        assert_eq!(statuses(&app), ["proposed"]);
        assert_eq!(app.audit_count("case_restriction"), 0);

        let approved = decide(&director, &reference, &[("decision", "approve")]).await;
        assert_eq!(approved.status(), 303);
        assert_eq!(statuses(&app), ["approved"]);
        assert_eq!(app.audit_count("case_restriction"), 1);

        // Everyone who can see the case sees it in force, until when, and on the timeline.
        for client in [&t.officer, &t.manager_client, &director] {
            let page = client.get_html(&format!("/cases/{reference}")).await;
            assert!(page.contains("Contact restriction in force"), "{page}");
            assert!(page.contains(WHAT));
            assert!(page.contains(&format!("reviewed on {}", long(review))));
            assert!(page.contains(&format!("Contact restricted until {}", long(review))));
            assert!(!page.contains("id=\"proposed-restriction\""));
        }
        assert!(!director
            .get_html("/approvals")
            .await
            .contains(&format!("/cases/{reference}/approval/")));

        // A second proposal while one is in force is refused, with what was typed kept.
        let again = act_owned(
            &t.officer,
            &reference,
            "restriction",
            &proposal("Letters only", WHY, review),
        )
        .await;
        assert_eq!(again.status(), 400);
        let body = again.text().await.unwrap();
        assert!(
            body.contains("already has a contact restriction proposed or in force"),
            "{body}"
        );
        assert!(body.contains("Letters only"));
        assert_eq!(statuses(&app), ["approved"]);

        // At its review a director ends it, with a reason; only a director may.
        let end = format!("/cases/{reference}/restriction/end");
        for client in [&t.manager_client, &t.officer] {
            assert_eq!(client.get(&end).await.status(), 403);
            let tried = client
                .post_form(
                    &end,
                    &[
                        ("reason", "Reviewed"),
                        ("version", "1"),
                        ("last_event", "0"),
                    ],
                )
                .await;
            assert_eq!(tried.status(), 403);
        }
        let form = director.get_html(&end).await;
        let seen: Vec<(&str, String)> = [
            "version",
            "last_event",
            "restriction",
            "restriction_version",
        ]
        .into_iter()
        .map(|name| (name, hidden(&form, name)))
        .collect();
        let with = |reason: &'static str| {
            let mut all: Vec<(&str, &str)> = vec![("reason", reason)];
            all.extend(seen.iter().map(|(n, v)| (*n, v.as_str())));
            all
        };
        let no_reason = director.post_form(&end, &with(" ")).await;
        assert_eq!(no_reason.status(), 400);
        assert!(no_reason
            .text()
            .await
            .unwrap()
            .contains("Enter why the restriction ends"));
        assert_eq!(statuses(&app), ["approved"]);
        let ended = director
            .post_form(&end, &with("Reviewed: calls are back to a normal level"))
            .await;
        assert_eq!(ended.status(), 303);
        assert_eq!(statuses(&app), ["ended"]);
        assert_eq!(app.audit_count("case_restriction_ended"), 1);
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(!page.contains("Contact restriction in force"), "{page}");
        assert!(page.contains("Contact restriction ended by a director"));
        assert!(page.contains("Propose a contact restriction"));
    })
    .await;
}

#[tokio::test]
async fn a_director_declines_only_with_a_reason() {
    for_each_backend(|app| async move {
        let (t, reference, director) = case_and_director(&app).await;
        assert_eq!(
            propose(&t.officer, &reference, today() + Duration::days(30))
                .await
                .status(),
            303
        );

        let no_reason = decide(&director, &reference, &[("decision", "decline")]).await;
        assert_eq!(no_reason.status(), 400);
        let body = no_reason.text().await.unwrap();
        assert!(
            body.contains("Enter why the restriction is declined"),
            "{body}"
        );
        assert!(body.contains("value=\"decline\" checked"), "{body}");
        let nothing = decide(&director, &reference, &[]).await;
        assert_eq!(nothing.status(), 400);
        assert!(nothing
            .text()
            .await
            .unwrap()
            .contains("Select whether to approve or decline the restriction"));
        assert_eq!(statuses(&app), ["proposed"]);

        let declined = decide(
            &director,
            &reference,
            &[
                ("decision", "decline"),
                (
                    "decline_reason",
                    "Not proportionate yet: try a named contact first",
                ),
            ],
        )
        .await;
        assert_eq!(declined.status(), 303);
        assert_eq!(statuses(&app), ["declined"]);
        let reason: Option<String> = contact_restrictions::table
            .select(contact_restrictions::decline_reason)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            reason.as_deref(),
            Some("Not proportionate yet: try a named contact first")
        );
        assert_eq!(app.audit_count("case_restriction_declined"), 1);
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Contact restriction declined by a director"),
            "{page}"
        );
        assert!(!page.contains("Contact restriction in force"));
        // Declined, a new proposal may be made.
        assert!(page.contains("Propose a contact restriction"));
        assert_eq!(
            propose(&t.officer, &reference, today() + Duration::days(30))
                .await
                .status(),
            303
        );
        assert_eq!(statuses(&app), ["declined", "proposed"]);
    })
    .await;
}

#[tokio::test]
async fn proposals_are_checked_and_refused_to_those_who_may_not_make_them() {
    for_each_backend(|app| async move {
        let (t, reference, director) = case_and_director(&app).await;
        let admin = app.signed_in_as(Role::Admin).await;
        app.create_user("max2@example.org", "Max Other", Role::Manager, &[t.area]);
        let unassigned = app.with_new_client();
        unassigned.sign_in("max2@example.org", PASSWORD).await;
        let path = format!("/cases/{reference}/restriction");
        let mut fields = proposal(WHAT, WHY, today() + Duration::days(30));
        fields.push(("version".into(), "1".into()));
        fields.push(("last_event".into(), "0".into()));
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // A manager of the area not assigned the case, a director (who approves, not
        // proposes) and an admin are all refused.
        for client in [&unassigned, &director, &admin] {
            assert_eq!(client.get(&path).await.status(), 403);
            assert_eq!(client.post_form(&path, &fields).await.status(), 403);
        }
        assert!(statuses(&app).is_empty());

        // Nothing entered: an error beside each field.
        let empty = act_owned(&t.officer, &reference, "restriction", &[]).await;
        assert_eq!(empty.status(), 400);
        let body = empty.text().await.unwrap();
        for message in [
            "Enter what contact is restricted",
            "Enter the behaviour that led to the restriction",
            "Enter the date the restriction will be reviewed",
        ] {
            assert!(body.contains(message), "{message}: {body}");
        }
        assert!(body.contains("href=\"#review-day\""), "{body}");

        // A review date in the past, or today, or more than six months ahead.
        for (review, message) in [
            (
                today() - Duration::days(1),
                "The review date must be in the future",
            ),
            (today(), "The review date must be in the future"),
            (today() + Duration::days(200), "no more than 6 months ahead"),
        ] {
            let refused = propose(&t.officer, &reference, review).await;
            assert_eq!(refused.status(), 400);
            let body = refused.text().await.unwrap();
            assert!(body.contains(message), "{message}: {body}");
            assert!(
                body.contains(WHAT) && body.contains(WHY),
                "typed values kept"
            );
            assert!(body.contains(&format!("value=\"{}\"", chrono::Datelike::year(&review))));
        }
        let unreal = act_owned(
            &t.officer,
            &reference,
            "restriction",
            &[
                ("what".into(), WHAT.into()),
                ("reason".into(), WHY.into()),
                ("review_day".into(), "31".into()),
                ("review_month".into(), "2".into()),
                ("review_year".into(), "2027".into()),
            ],
        )
        .await;
        assert_eq!(unreal.status(), 400);
        assert!(unreal
            .text()
            .await
            .unwrap()
            .contains("The review date must be a real date"));
        assert!(statuses(&app).is_empty());
        assert_eq!(app.audit_count("case_restriction_proposed"), 0);

        // Exactly six months ahead is allowed.
        let limit = redress::cases::restrictions::latest_review(today());
        assert_eq!(propose(&t.officer, &reference, limit).await.status(), 303);
        // And a second proposal while it waits is refused.
        let second = propose(&t.manager_client, &reference, limit).await;
        assert_eq!(second.status(), 400);
        assert!(second
            .text()
            .await
            .unwrap()
            .contains("already has a contact restriction proposed or in force"));
        assert_eq!(statuses(&app), ["proposed"]);
    })
    .await;
}

#[tokio::test]
async fn a_stale_approval_is_refused() {
    for_each_backend(|app| async move {
        let (t, reference, director) = case_and_director(&app).await;
        assert_eq!(
            propose(&t.officer, &reference, today() + Duration::days(30))
                .await
                .status(),
            303
        );
        let form = director
            .get_html(&format!("/cases/{reference}/restriction/decide"))
            .await;
        assert!(form.contains(WHAT) && form.contains(WHY), "{form}");
        let (version, last, id, rversion) = (
            hidden(&form, "version"),
            hidden(&form, "last_event"),
            hidden(&form, "restriction"),
            hidden(&form, "restriction_version"),
        );
        let post = |version: String, rversion: String| {
            let (director, reference, last, id) = (
                director.clone_client(),
                reference.clone(),
                last.clone(),
                id.clone(),
            );
            async move {
                director
                    .post_form(
                        &format!("/cases/{reference}/restriction/decide"),
                        &[
                            ("decision", "approve"),
                            ("version", &version),
                            ("last_event", &last),
                            ("restriction", &id),
                            ("restriction_version", &rversion),
                        ],
                    )
                    .await
            }
        };
        // The proposal the director read is not the one stored.
        let stale_proposal = post(version.clone(), "99".into()).await;
        assert_eq!(stale_proposal.status(), 400);
        assert!(stale_proposal
            .text()
            .await
            .unwrap()
            .contains("The proposed restriction changed after you opened it"));
        assert_eq!(statuses(&app), ["proposed"]);

        // The case changed since the page was read (a note was added).
        let note = crate::triage::act(
            &t.officer,
            &reference,
            "notes",
            &[("kind", "note"), ("text", "Called again")],
        )
        .await;
        assert_eq!(note.status(), 303);
        let stale_case = post(version, rversion).await;
        assert_eq!(stale_case.status(), 409, "a stale version is a conflict");
        let body = stale_case.text().await.unwrap();
        assert!(
            body.contains("This case was changed by someone else"),
            "{body}"
        );
        assert!(body.contains("Changed since you opened it"));
        assert_eq!(statuses(&app), ["proposed"]);
        assert_eq!(app.audit_count("case_restriction"), 0);

        // Having read it again, the approval goes through.
        assert_eq!(
            decide(&director, &reference, &[("decision", "approve")])
                .await
                .status(),
            303
        );
        assert_eq!(statuses(&app), ["approved"]);
    })
    .await;
}

#[tokio::test]
async fn an_approved_restriction_owes_a_notice_that_is_sent_through_the_outbox() {
    use redress::cases::access::Scope;
    use redress::db::schema::{case_events, complainants, letters, outbox};
    for_each_backend(|app| async move {
        let (t, reference, director) = case_and_director(&app).await;
        diesel::update(complainants::table)
            .set(complainants::preferred_channel.eq("email"))
            .execute(&mut app.conn())
            .unwrap();
        let editor = format!("/cases/{reference}/letters/restriction_notice");
        let owed = || redress::letters::owed::count(&mut app.conn(), &Scope::All).unwrap();
        // Only the stage 1 response is owed; a proposal owes nothing yet.
        assert_eq!(owed(), 1);
        let review = today() + Duration::days(90);
        assert_eq!(propose(&t.officer, &reference, review).await.status(), 303);
        assert_eq!(owed(), 1);
        assert_eq!(t.officer.get(&editor).await.status(), 409);

        assert_eq!(
            decide(&director, &reference, &[("decision", "approve")])
                .await
                .status(),
            303
        );
        assert_eq!(owed(), 2);
        let section = t
            .officer
            .get_html(&format!("/cases/{reference}/letters"))
            .await;
        assert!(section.contains("contact restriction notice"), "{section}");
        assert!(t
            .officer
            .get_html("/letters/owed")
            .await
            .contains("Contact restriction notice"));

        let form = t.officer.get_html(&editor).await;
        assert!(form.contains(WHAT) && form.contains(WHY), "{form}");
        let sent = t
            .officer
            .post_form(
                &editor,
                &[
                    ("action", "send"),
                    ("body", "We are writing about how you contact us."),
                    ("version", &hidden(&form, "version")),
                    ("last_event", &hidden(&form, "last_event")),
                    ("letter_version", &hidden(&form, "letter_version")),
                ],
            )
            .await;
        assert_eq!(sent.status(), 303, "{}", app.backend);

        let (text, channel): (String, String) = letters::table
            .filter(letters::kind.eq("restriction_notice"))
            .select((
                letters::frozen_text.assume_not_null(),
                letters::channel.assume_not_null(),
            ))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(channel, "email");
        for element in [
            WHAT,
            WHY,
            &long(review),
            "We will continue to deal with your complaint",
            "ask us to review it sooner",
            "Housing Ombudsman",
            &reference,
        ] {
            assert!(text.contains(element), "{element}: {text}");
        }
        let mails: Vec<(String, String)> = outbox::table
            .filter(outbox::kind.eq("letter"))
            .select((outbox::subject, outbox::body_text))
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(
            mails[0].0,
            format!("{reference}: How you can contact us about your complaint")
        );
        assert_eq!(mails[0].1, text);
        // One letter-sent event for the notice (the acknowledgement, recorded as sent
        // elsewhere, has its own).
        let sent_letters: Vec<String> = case_events::table
            .filter(case_events::kind.eq("letter_sent"))
            .select(case_events::detail)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(
            sent_letters
                .iter()
                .filter(|d| d.contains("restriction"))
                .count(),
            1,
            "{sent_letters:?}"
        );
        // Sent: no longer owed, and frozen.
        assert_eq!(owed(), 1);
        assert_eq!(t.officer.get(&editor).await.status(), 409);

        // Ended, then a new restriction approved: a new notice is owed.
        let end = format!("/cases/{reference}/restriction/end");
        let form = director.get_html(&end).await;
        let ended = director
            .post_form(
                &end,
                &[
                    ("reason", "Reviewed early"),
                    ("version", &hidden(&form, "version")),
                    ("last_event", &hidden(&form, "last_event")),
                    ("restriction", &hidden(&form, "restriction")),
                    ("restriction_version", &hidden(&form, "restriction_version")),
                ],
            )
            .await;
        assert_eq!(ended.status(), 303);
        assert_eq!(owed(), 1);
        assert_eq!(propose(&t.officer, &reference, review).await.status(), 303);
        assert_eq!(
            decide(&director, &reference, &[("decision", "approve")])
                .await
                .status(),
            303
        );
        assert_eq!(owed(), 2);
        assert_eq!(t.officer.get(&editor).await.status(), 200);
    })
    .await;
}

/// A director who holds the case may propose a restriction, but a second person must approve
/// it: their own approval is refused and changes nothing.
#[tokio::test]
async fn a_director_may_not_approve_a_restriction_they_proposed() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let (dana_id, dana) = crate::triage::area_director_and_id(&app, &t).await;
        let reference = log_case(&t.officer, today() - Duration::days(3), &[]).await;
        let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303);
        let (area, holder) = (t.area.to_string(), dana_id.to_string());
        let assigned = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &holder)],
        )
        .await;
        assert_eq!(assigned.status(), 303);
        let proposed = propose(&dana, &reference, today() + Duration::days(30)).await;
        assert_eq!(proposed.status(), 303);

        let own = decide(&dana, &reference, &[("decision", "approve")]).await;
        assert_eq!(own.status(), 400);
        let page = own.text().await.unwrap();
        assert!(page.contains("another director must approve it"), "{page}");
        assert_eq!(statuses(&app), ["proposed"]);

        app.create_user("eve@example.org", "Eve Director", Role::Director, &[t.area]);
        let eve = app.with_new_client();
        eve.sign_in("eve@example.org", PASSWORD).await;
        let approved = decide(&eve, &reference, &[("decision", "approve")]).await;
        assert_eq!(approved.status(), 303);
        assert_eq!(statuses(&app), ["approved"]);
    })
    .await;
}
