//! Who may do what, once (`access::may`): for every role, on a case in every state the demo
//! seeder makes, and for every case action, the case page (or, for a correction, the case
//! details page's "Change" links) offers the action exactly when its route accepts it (200);
//! otherwise the route refuses (403: not this user; 409: not now).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;
use redress::cases::available::CaseAction;
use redress::db::schema::{case_events, cases, user_service_areas, users};
use redress::domain::{CaseId, PropertyId, Role, ServiceAreaId, UserId};
use redress::seed::{seed_demo, SeedOptions, DEMO_PASSWORD};

use crate::helpers::{for_each_backend, TestApp};
use crate::triage::{act, today};

/// The case action paths a case page may link to.
fn action_paths() -> BTreeSet<&'static str> {
    CaseAction::ALL
        .iter()
        .chain(CaseAction::CORRECTIONS.iter())
        .map(|a| a.path())
        .collect()
}

/// The action paths the case page for `reference` offers.
fn offered(page: &str, reference: &str) -> BTreeSet<&'static str> {
    let prefix = format!("href=\"/cases/{reference}/");
    action_paths()
        .into_iter()
        .filter(|path| page.contains(&format!("{prefix}{path}\"")))
        .collect()
}

struct Staff {
    id: UserId,
    email: String,
    role: Role,
    areas: Vec<ServiceAreaId>,
}

fn staff(app: &TestApp) -> Vec<Staff> {
    let people: Vec<(UserId, String, String)> = users::table
        .filter(users::email.like("%@demo.redress.local"))
        .select((users::id, users::email, users::role))
        .load(&mut app.conn())
        .unwrap();
    let memberships: Vec<(UserId, ServiceAreaId)> = user_service_areas::table
        .select((
            user_service_areas::user_id,
            user_service_areas::service_area_id,
        ))
        .load(&mut app.conn())
        .unwrap();
    people
        .into_iter()
        .map(|(id, email, role)| Staff {
            id,
            email,
            role: role.parse().unwrap(),
            areas: memberships
                .iter()
                .filter(|(u, _)| *u == id)
                .map(|(_, a)| *a)
                .collect(),
        })
        .collect()
}

/// One case per kind of state the seeder makes: status, stage, whether acknowledged,
/// assigned, confidential with a property (the property-address action), and which of the
/// decision's events its timeline holds (a draft: sending; an approval: recording payment).
type CaseKey = (String, Option<String>, bool, bool, bool, bool, bool);
type CaseCols = (
    CaseId,
    String,
    String,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<UserId>,
    Option<ServiceAreaId>,
    bool,
    Option<PropertyId>,
);

/// A stage 1 case assigned to a demo manager, decided with compensation a director of the
/// area approved: sending the decision and recording the payment apply only here (the
/// seeder closes the cases it decides).
async fn decided_case(app: &TestApp, officer: &TestApp, people: &[Staff]) {
    let manager = people
        .iter()
        .find(|m| {
            m.role == Role::Manager
                && m.areas.iter().any(|a| {
                    people
                        .iter()
                        .any(|d| d.role == Role::Director && d.areas.contains(a))
                })
        })
        .expect("a demo manager with a director in their area");
    let area = *manager
        .areas
        .iter()
        .find(|a| {
            people
                .iter()
                .any(|d| d.role == Role::Director && d.areas.contains(a))
        })
        .unwrap();
    let director = people
        .iter()
        .find(|d| d.role == Role::Director && d.areas.contains(&area))
        .unwrap();
    let signed_in = |email: String| async move {
        let client = app.with_new_client();
        assert_eq!(client.sign_in(&email, DEMO_PASSWORD).await.status(), 303);
        client
    };
    let reference = crate::triage::log_case(officer, today(), &[]).await;
    let ok = |r: reqwest::Response| assert_eq!(r.status(), 303);
    ok(act(officer, &reference, "triage", &[("decision", "stage1")]).await);
    ok(act(
        officer,
        &reference,
        "assign",
        &[
            ("service_area", &area.to_string()),
            ("manager", &manager.id.to_string()),
        ],
    )
    .await);
    ok(
        crate::sent_elsewhere::acknowledge_by_phone(officer, &reference, "stage1_acknowledgement")
            .await,
    );
    let manager = signed_in(manager.email.clone()).await;
    crate::investigation::draft_with_compensation(&manager, &reference).await;
    let director = signed_in(director.email.clone()).await;
    crate::investigation::approve_compensation(&director, &reference).await;
}

#[tokio::test]
async fn the_case_page_offers_exactly_the_actions_the_routes_accept() {
    for_each_backend(|app| async move {
        let (calendar, policies) = redress::startup::load_rules(&app.settings).unwrap();
        let options = SeedOptions {
            cases: 300,
            seed: 7,
            today: today(),
        };
        seed_demo(
            &mut app.pool.get().unwrap(),
            &calendar,
            // A profile with a stage 0, so every action has a state that allows it.
            policies.get("south-essex-homes").unwrap(),
            &options,
            &mut |_, _| {},
        )
        .unwrap();
        // A case awaiting triage whatever the seeder's dice gave today (triage is offered
        // only there).
        let logger = app.signed_in_as(Role::Officer).await;
        crate::triage::log_case(&logger, today(), &[]).await;
        let people = staff(&app);
        decided_case(&app, &logger, &people).await;
        let rows: Vec<CaseCols> = cases::table
            .select((
                cases::id,
                cases::reference,
                cases::status,
                cases::stage,
                cases::acknowledged_on,
                cases::assignee_id,
                cases::service_area_id,
                cases::confidential,
                cases::property_id,
            ))
            .order(cases::id)
            .load(&mut app.conn())
            .unwrap();
        let decision_events: BTreeSet<(CaseId, String)> = case_events::table
            .filter(case_events::kind.eq_any(["decision_drafted", "compensation_approved"]))
            .select((case_events::case_id, case_events::kind))
            .load::<(CaseId, String)>(&mut app.conn())
            .unwrap()
            .into_iter()
            .collect();
        let has = |case: CaseId, kind: &str| decision_events.contains(&(case, kind.to_string()));
        let mut chosen: BTreeMap<CaseKey, CaseCols> = BTreeMap::new();
        for row in rows {
            let key = (
                row.2.clone(),
                row.3.clone(),
                row.4.is_some(),
                row.5.is_some(),
                row.7 && row.8.is_some(),
                has(row.0, "decision_drafted"),
                has(row.0, "compensation_approved"),
            );
            chosen.entry(key).or_insert(row);
        }
        assert!(
            chosen.len() >= 8,
            "the seeder makes many states: {chosen:?}"
        );

        let mut clients: HashMap<String, TestApp> = HashMap::new();
        let officer = people.iter().find(|p| p.role == Role::Officer).unwrap();
        let admin = app.signed_in_as(Role::Admin).await;
        let mut covered = BTreeSet::new();
        for (key, (_, reference, _, _, _, assignee, area, _, _)) in &chosen {
            // The officer, the assignee, another manager of the area, the area's director.
            let mut who: Vec<(&str, &Staff)> = vec![("officer", officer)];
            if let Some(a) = assignee.and_then(|a| people.iter().find(|p| p.id == a)) {
                who.push(("assignee", a));
            }
            if let Some(area) = area {
                let in_area = |role: Role| {
                    people.iter().find(|p| {
                        p.role == role && p.areas.contains(area) && Some(p.id) != *assignee
                    })
                };
                who.extend(in_area(Role::Manager).map(|p| ("manager of the area", p)));
                who.extend(in_area(Role::Director).map(|p| ("director of the area", p)));
            }
            for (_, person) in &who {
                if !clients.contains_key(&person.email) {
                    let client = app.with_new_client();
                    let response = client.sign_in(&person.email, DEMO_PASSWORD).await;
                    assert_eq!(response.status(), 303, "{}", person.email);
                    clients.insert(person.email.clone(), client);
                }
            }
            let mut signed_in: Vec<(String, &TestApp)> = who
                .iter()
                .map(|(label, p)| (format!("{label} {}", p.email), &clients[&p.email]))
                .collect();
            signed_in.push(("admin".to_string(), &admin));

            for (who, client) in signed_in {
                let page = client.get(&format!("/cases/{reference}")).await;
                let status = page.status().as_u16();
                let mut page = page.text().await.unwrap();
                if status == 200 {
                    let details = client.get(&format!("/cases/{reference}/details")).await;
                    assert_eq!(details.status(), 200, "{reference} details as {who}");
                    page.push_str(&details.text().await.unwrap());
                }
                let offers = if status == 200 {
                    offered(&page, reference)
                } else {
                    BTreeSet::new()
                };
                for path in action_paths() {
                    let route = client.get(&format!("/cases/{reference}/{path}")).await;
                    let answer = route.status().as_u16();
                    let context = format!(
                        "{path} on {reference} {key:?} as {who} on {}: page offers {offers:?}",
                        app.backend
                    );
                    // A step done in its letter (one route per job): the page links to the
                    // letter, and the action's own address leads there.
                    let leads_to_offer = answer == 303
                        && route
                            .headers()
                            .get("location")
                            .and_then(|l| l.to_str().ok())
                            .and_then(|l| l.strip_prefix(&format!("/cases/{reference}/")))
                            .is_some_and(|letter| {
                                page.contains(&format!("href=\"/cases/{reference}/{letter}\""))
                            });
                    if leads_to_offer {
                        covered.insert(path);
                    } else if offers.contains(path) {
                        assert_eq!(answer, 200, "{context}");
                        covered.insert(path);
                    } else {
                        assert!(answer == 403 || answer == 409, "{context}: {answer}");
                    }
                }
            }
        }
        // Every action was offered somewhere, so every rule was exercised both ways.
        let never: Vec<_> = action_paths().difference(&covered).copied().collect();
        assert!(never.is_empty(), "never offered: {never:?}");
    })
    .await;
}
