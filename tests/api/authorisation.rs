//! The authorisation matrix (SPEC section 1): every route, every role, and signed out.
//! One confidential stage 1 case in the Repairs area, assigned to a manager of that area.
//! Its confidential-identity column (shown and audited, withheld, or refused, for every route
//! that can render an identity) is `confidential::routes`.

use redress::domain::Role;

use crate::helpers::{for_each_backend, location, TestApp, PASSWORD};
use crate::triage::{act, log_case, team, today};

/// Who is asking, in the column order of the table below.
const WHO: [&str; 5] = [
    "officer",
    "assigned manager",
    "other-area manager",
    "area director",
    "admin",
];

/// `Y` allowed (200, or 303 after a successful write; an action the case's state does not
/// allow now answers 409 — which actions a state allows is `case_actions`), `N` refused
/// with 403.
fn expect(row: &str) -> [bool; 5] {
    let flags: Vec<bool> = row
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c == 'Y')
        .collect();
    flags.try_into().expect("five columns")
}

struct Clients {
    by_role: [TestApp; 5],
    anonymous: TestApp,
}

async fn clients(app: &TestApp) -> (Clients, String) {
    let t = team(app).await;
    let other_area = crate::helpers::make_area(app, "Estate services", "EST");
    app.create_user("oa@example.org", "Other Area", Role::Manager, &[other_area]);
    app.create_user(
        "dir@example.org",
        "Area Director",
        Role::Director,
        &[t.area],
    );
    let sign_in = |email: &'static str| {
        let client = app.with_new_client();
        async move {
            assert_eq!(
                client.sign_in(email, PASSWORD).await.status(),
                303,
                "{email}"
            );
            client
        }
    };
    let other_manager = sign_in("oa@example.org").await;
    let director = sign_in("dir@example.org").await;
    let admin = app.signed_in_as(Role::Admin).await;
    let reference = log_case(&t.officer, today(), &[("confidential", "true")]).await;
    act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
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
    // A contact restriction proposed by the manager waits for a director (issue 22).
    let mut proposal = vec![
        (
            "what".to_string(),
            "Email to the complaints team only".to_string(),
        ),
        ("reason".to_string(), "Abusive calls".to_string()),
    ];
    proposal.extend(crate::triage::date_fields(
        "review",
        today() + chrono::Duration::days(60),
    ));
    assert_eq!(
        crate::triage::act_owned(&t.manager_client, &reference, "restriction", &proposal)
            .await
            .status(),
        303
    );
    (
        Clients {
            by_role: [
                t.officer.clone_client(),
                t.manager_client.clone_client(),
                other_manager,
                director,
                admin,
            ],
            anonymous: app.with_new_client(),
        },
        reference,
    )
}

#[tokio::test]
async fn every_page_allows_and_refuses_by_role_and_scope() {
    for_each_backend(|app| async move {
        let (c, reference) = clients(&app).await;
        let case = format!("/cases/{reference}");
        let mia = app.user_id("mia@example.org");
        let request: i32 = {
            use diesel::prelude::*;
            use redress::db::schema::approval_requests;
            approval_requests::table
                .select(approval_requests::id)
                .first(&mut app.conn())
                .unwrap()
        };
        // Issue 27: a Housing Ombudsman contact on the case, with an evidence request and a
        // determination making one order.
        let officer = &c.by_role[0];
        // Issue 26: an evidence file of the self-assessment.
        let document = crate::governance_files::uploaded(&app, officer).await;
        let om =
            crate::ombudsman::contact(officer, &reference, "referral", today(), "2026001").await;
        crate::ombudsman::evidence_request(officer, om, today(), 10).await;
        crate::ombudsman::determine(
            officer,
            om,
            today(),
            &[("Repairs", "maladministration")],
            &[("apology", "", today() + chrono::Duration::days(28))],
            false,
        )
        .await;
        let (evidence, order) = crate::ombudsman::request_and_order(&app, om);
        let om = format!("/ombudsman/{om}");
        // Issue 30: a subject access request, and a note on the case to mark for it.
        let sar = crate::privacy::record_request(officer, &[("person_name", "Jo Bloggs")]).await;
        let note: i32 = {
            use diesel::prelude::*;
            use redress::db::schema::case_events;
            case_events::table
                .select(case_events::id)
                .first::<redress::domain::CaseEventId>(&mut app.conn())
                .unwrap()
                .0
        };
        let marking = format!("{sar}/cases/{reference}/note/{note}/marking");
        let table: Vec<(String, &str)> = vec![
            ("/subject-access".into(), "Y N N N N"),
            ("/subject-access/new".into(), "Y N N N N"),
            (sar.clone(), "Y N N N N"),
            (format!("{sar}/extend"), "Y N N N N"),
            (format!("{sar}/export?case={reference}"), "Y N N N N"),
            (marking.clone(), "Y N N N N"),
            (format!("/admin/users/{mia}/job-title"), "N N N N Y"),
            ("/".into(), "Y Y Y Y Y"),
            ("/cases".into(), "Y Y Y Y N"),
            ("/cases/new".into(), "Y N N N N"),
            (case.clone(), "Y Y N Y N"),
            (format!("{case}/triage"), "Y N N N N"),
            (format!("{case}/assign"), "Y N N N N"),
            (format!("{case}/assign/people"), "Y N N N N"),
            (
                format!("{case}/letters/stage1_acknowledgement/sent-elsewhere"),
                "Y N N N N",
            ),
            (
                format!("{case}/letters/stage1_response/sent-elsewhere"),
                "Y Y N N N",
            ),
            (format!("{case}/related"), "Y N N N N"),
            (format!("{case}/convert"), "Y N N N N"),
            (format!("{case}/stage1"), "Y N N N N"),
            (format!("{case}/property-address"), "Y N N N N"),
            (format!("{case}/escalate"), "Y N N N N"),
            (format!("{case}/withdraw"), "Y N N N N"),
            (format!("{case}/reopen"), "Y N N N N"),
            (format!("{case}/compensation/paid"), "Y N N N N"),
            (format!("{case}/involvement"), "Y Y N N N"),
            (format!("{case}/notes"), "Y Y N Y N"),
            (format!("{case}/extend"), "Y Y N Y N"),
            (format!("{case}/extend/preview"), "Y Y N Y N"),
            (format!("{case}/decision"), "N Y N N N"),
            (format!("{case}/restriction"), "Y Y N N N"),
            (format!("{case}/restriction/decide"), "N N N Y N"),
            (format!("{case}/restriction/end"), "N N N Y N"),
            (format!("{case}/details"), "Y Y N Y N"),
            (format!("{case}/details/complainant"), "Y N N N N"),
            (format!("{case}/details/adjustments"), "Y Y N N N"),
            (format!("{case}/details/flags"), "Y N N N N"),
            (format!("{case}/details/dates"), "Y N N N N"),
            (format!("{case}/details/classification"), "Y N N N N"),
            (format!("{case}/details/description"), "Y N N N N"),
            (format!("{case}/details/points"), "Y N N N N"),
            (format!("{case}/details/officer"), "Y N N N N"),
            // Issue 25: the Code's other letters and the progress updates' interval.
            (format!("{case}/letters/escalation_refusal"), "Y N N N N"),
            (format!("{case}/letters/progress_update"), "Y Y N Y N"),
            (format!("{case}/letters/action_completed"), "Y Y N Y N"),
            (
                format!("{case}/letters/escalation_refusal/sent-elsewhere"),
                "Y N N N N",
            ),
            (format!("{case}/progress-updates"), "Y Y N Y N"),
            ("/actions".into(), "Y Y Y Y N"),
            ("/approvals".into(), "N N N Y N"),
            (format!("{case}/approval/{request}"), "N N N Y N"),
            ("/responses-to-check".into(), "Y N N N N"),
            (format!("{case}/response-check"), "Y N N N N"),
            ("/reports/self-assessment".into(), "Y N N Y N"),
            ("/reports/annual".into(), "Y N N Y N"),
            ("/reports/pack".into(), "Y N N Y N"),
            ("/reports/annual/download?year=2025".into(), "Y N N Y N"),
            ("/reports/annual/narrative?year=2025".into(), "Y N N N N"),
            (format!("/reports/documents/{document}"), "Y N N Y N"),
            ("/outbox".into(), "Y N N N N"),
            ("/emails".into(), "Y N N N N"),
            ("/emails?show=done".into(), "Y N N N N"),
            ("/letters/receipt".into(), "Y N N N N"),
            ("/admin/users".into(), "N N N N Y"),
            ("/admin/users/new".into(), "N N N N Y"),
            ("/admin/service-areas".into(), "N N N N Y"),
            ("/admin/service-areas/new".into(), "N N N N Y"),
            ("/admin/categories".into(), "N N N N Y"),
            ("/admin/contractors".into(), "N N N N Y"),
            ("/admin/settings".into(), "N N N N Y"),
            ("/admin/audit".into(), "N N N N Y"),
            ("/admin/audit.csv".into(), "N N N N Y"),
            ("/ombudsman".into(), "Y N N Y N"),
            ("/ombudsman.csv".into(), "Y N N Y N"),
            ("/ombudsman/figures".into(), "Y N N Y N"),
            (format!("{case}/ombudsman/new"), "Y N N N N"),
            // Issue 30: legal holds and the retention page (officers).
            (format!("{case}/legal-hold"), "Y N N N N"),
            ("/retention".into(), "Y N N N N"),
            (format!("{case}/erasure"), "Y N N N N"),
            (om.clone(), "Y N N Y N"),
            (format!("{om}/evidence"), "Y N N N N"),
            (format!("{om}/evidence/{evidence}/sent"), "Y N N N N"),
            (format!("{om}/determination"), "Y N N N N"),
            (format!("{om}/chfo"), "Y N N N N"),
            (format!("{om}/orders/{order}/complied"), "Y N N N N"),
            (format!("{om}/review"), "Y N N N N"),
            (format!("{om}/lessons"), "Y N N N N"),
            ("/account/two-factor".into(), "Y Y Y Y Y"),
            ("/account".into(), "Y Y Y Y Y"),
            ("/account/password".into(), "Y Y Y Y Y"),
            // Issue 24: saved views, the list's download and the bulk action form.
            ("/cases/views".into(), "Y Y Y Y N"),
            ("/cases/export.csv".into(), "Y Y Y Y N"),
            (format!("/cases/bulk?case={reference}:1"), "Y Y Y Y N"),
        ];
        for (path, row) in &table {
            for (i, allowed) in expect(row).into_iter().enumerate() {
                let status = c.by_role[i].get(path).await.status().as_u16();
                let ok = if allowed {
                    status == 200 || status == 409
                } else {
                    status == 403
                };
                assert!(ok, "GET {path} as {} on {}: {status}", WHO[i], app.backend);
            }
            let anonymous = c.anonymous.get(path).await;
            assert_eq!(anonymous.status(), 303, "GET {path} signed out");
            assert_eq!(location(&anonymous), "/login");
        }
        // Writes: every refused role gets 403 and nothing happens; signed out goes to sign-in.
        let posts: Vec<(String, &str)> = vec![
            ("/cases".into(), "- N N N N"),
            (format!("{case}/triage"), "- N N N N"),
            (format!("{case}/assign"), "- N N N N"),
            (format!("{case}/acknowledge"), "- N N N N"),
            (
                format!("{case}/letters/stage1_acknowledgement/sent-elsewhere"),
                "- N N N N",
            ),
            (
                format!("{case}/letters/stage1_response/sent-elsewhere"),
                "- - N N N",
            ),
            (format!("{case}/withdraw"), "- N N N N"),
            (format!("{case}/property-address"), "- N N N N"),
            (format!("{case}/notes"), "- - N - N"),
            (format!("{case}/extend"), "- - N - N"),
            (format!("{case}/decision"), "N - N N N"),
            (format!("{case}/compensation/approve"), "N N N - N"),
            (format!("{case}/restriction"), "- - N N N"),
            (format!("{case}/restriction/decide"), "N N N - N"),
            (format!("{case}/restriction/end"), "N N N - N"),
            (format!("{case}/approval/{request}"), "N N N - N"),
            (format!("{case}/response-check"), "- N N N N"),
            (format!("{case}/details/complainant"), "- N N N N"),
            (format!("{case}/details/adjustments"), "- - N N N"),
            (format!("{case}/details/flags"), "- N N N N"),
            (format!("{case}/details/dates"), "- N N N N"),
            (format!("{case}/details/classification"), "- N N N N"),
            (format!("{case}/details/description"), "- N N N N"),
            (format!("{case}/details/points"), "- N N N N"),
            (format!("{case}/details/officer"), "- N N N N"),
            // Issue 25.
            (format!("{case}/progress-updates"), "- - N - N"),
            (format!("{case}/letters/escalation_refusal"), "- N N N N"),
            (format!("{case}/ombudsman"), "- N N N N"),
            (format!("{case}/legal-hold"), "- N N N N"),
            (format!("{case}/erasure"), "- N N N N"),
            ("/subject-access/new".into(), "- N N N N"),
            (format!("{sar}/extend"), "- N N N N"),
            (format!("{sar}/answered"), "- N N N N"),
            (marking.clone(), "- N N N N"),
            (format!("{om}/evidence"), "- N N N N"),
            (format!("{om}/evidence/{evidence}/sent"), "- N N N N"),
            (format!("{om}/evidence/{evidence}/bundle"), "- N N N N"),
            (format!("{om}/determination"), "- N N N N"),
            (format!("{om}/chfo"), "- N N N N"),
            (format!("{om}/orders/{order}/complied"), "- N N N N"),
            (format!("{om}/review"), "- N N N N"),
            (format!("{om}/lessons"), "- N N N N"),
            (format!("{om}/close"), "- N N N N"),
            ("/emails/1/attach".into(), "- N N N N"),
            ("/emails/1/discard".into(), "- N N N N"),
            ("/letters/receipt".into(), "- N N N N"),
            ("/reports/self-assessment".into(), "- N N N N"),
            ("/reports/annual/narrative".into(), "- N N N N"),
            ("/reports/annual/publish".into(), "- N N N N"),
            ("/admin/service-areas".into(), "N N N N -"),
            ("/admin/users".into(), "N N N N -"),
            ("/admin/users/1/reset-second-factor".into(), "N N N N -"),
            (format!("/admin/users/{mia}/job-title"), "N N N N -"),
            // Issue 24: each case of a bulk action is checked on its own (tests/api/list_actions.rs).
            ("/cases/bulk".into(), "- - - - N"),
            ("/cases/views".into(), "- - - - N"),
            ("/cases/views/1".into(), "- - - - N"),
            ("/cases/views/1/delete".into(), "- - - - N"),
        ];
        for (path, row) in &posts {
            for (i, mark) in row.split_whitespace().enumerate() {
                if mark == "N" {
                    let status = c.by_role[i]
                        .post_form(path, &[("version", "1"), ("last_event", "0")])
                        .await
                        .status();
                    assert_eq!(status, 403, "POST {path} as {} on {}", WHO[i], app.backend);
                }
            }
            let anonymous = c.anonymous.post_form(path, &[]).await;
            assert_eq!(anonymous.status(), 303, "POST {path} signed out");
        }
        // A confidential identity: the complaints team sees it, managers and directors do not.
        let officer_view = c.by_role[0].get_html(&case).await;
        assert!(officer_view.contains("Jo Bloggs"));
        for i in [1, 3] {
            let view = c.by_role[i].get_html(&case).await;
            assert!(
                view.contains("Confidential complainant") && !view.contains("Jo Bloggs"),
                "{}",
                WHO[i]
            );
        }
    })
    .await;
}
