//! The work lists at `/cases`: every list, filter and search checked against a fixture whose
//! expected answer is worked out here in plain Rust from the fixture's own definitions; the
//! htmx partial against the full page; pagination; manager scoping; lenient parameters.

use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;
use redress::db::cases::{self as case_rows, NewCase};
use redress::db::categories::{self, NewCategory};
use redress::db::complainants::{self, NewComplainant};
use redress::db::contractors::{self, NewContractor};
use redress::db::schema::cases;
use redress::domain::case::{Channel, Status, TenancyRelationship};
use redress::domain::number::thousands;
use redress::domain::{CategoryId, ContractorId, Role, ServiceAreaId, UserId};
use redress::rules::Unit;

use crate::helpers::{calendar, for_each_backend, make_area, TestApp, PASSWORD};

fn today() -> NaiveDate {
    redress::cases::london_today()
}

/// The last day "due within 5 working days" includes.
fn due_soon_until() -> NaiveDate {
    calendar().add(today(), 5, Unit::WorkingDays).unwrap()
}

/// One fixture case, as the test defines it.
#[derive(Debug, Clone)]
struct Spec {
    reference: String,
    name: String,
    description: String,
    status: Status,
    stage: Option<&'static str>,
    area: Option<ServiceAreaId>,
    assignee: Option<UserId>,
    officer: Option<UserId>,
    channel: Channel,
    due: Option<NaiveDate>,
    health_and_safety: bool,
    safeguarding: bool,
    confidential: bool,
    received: NaiveDate,
    category: Option<CategoryId>,
    contractor: Option<ContractorId>,
    tenure: TenancyRelationship,
    /// As stored: `LS1 2AB`, national digits, lower case.
    postcode: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

impl Spec {
    /// A case with nothing but what a test sets: for `..Spec::unset()`.
    fn unset() -> Spec {
        Spec {
            reference: String::new(),
            name: String::new(),
            description: String::new(),
            status: Status::Stage1Open,
            stage: Some("stage1"),
            area: None,
            assignee: None,
            officer: None,
            channel: Channel::Email,
            due: None,
            health_and_safety: false,
            safeguarding: false,
            confidential: false,
            received: today() - Duration::days(10),
            category: None,
            contractor: None,
            tenure: TenancyRelationship::Tenant,
            postcode: None,
            phone: None,
            email: None,
        }
    }

    fn open(&self) -> bool {
        !matches!(self.status, Status::Closed | Status::ServiceRequestReferred)
    }
}

/// A member of staff in the fixture, with a signed-in client.
struct Person {
    id: UserId,
    role: Role,
    areas: Vec<ServiceAreaId>,
    client: TestApp,
}

impl Person {
    fn sees(&self, c: &Spec) -> bool {
        match self.role {
            Role::Officer | Role::Member => true,
            Role::Manager | Role::Director => {
                c.assignee == Some(self.id) || c.area.is_some_and(|a| self.areas.contains(&a))
            }
            Role::Admin => false,
        }
    }

    fn sees_names(&self) -> bool {
        self.role == Role::Officer
    }

    fn on_list(&self, list: &str, c: &Spec) -> bool {
        let (today, until) = (today(), due_soon_until());
        match list {
            "triage" => c.status == Status::Received,
            "mine" if self.role == Role::Officer => c.open() && c.officer == Some(self.id),
            "mine" => c.open() && c.assignee == Some(self.id),
            "areas" => c.open() && c.area.is_some_and(|a| self.areas.contains(&a)),
            "due_soon" => c.open() && c.due.is_some_and(|d| d >= today && d <= until),
            "overdue" => c.open() && c.due.is_some_and(|d| d < today),
            "open" => c.open(),
            "all" => true,
            other => panic!("no list {other}"),
        }
    }

    /// Three characters or more: a reference prefix, or inside the name or description.
    /// Fewer: a reference prefix, or (letters and digits only) the start of a name's word.
    fn matches_search(&self, c: &Spec, term: &str) -> bool {
        let term = term.trim();
        let lower = term.to_lowercase();
        let name_may_match = self.sees_names() || !c.confidential;
        if c.reference.starts_with(&term.to_uppercase()) {
            return true;
        }
        if number_matches(&c.reference, term) {
            return true;
        }
        if name_may_match && contact_matches(c, term) {
            return true;
        }
        let words: Vec<&str> = term.split_whitespace().collect();
        if name_may_match
            && words.len() >= 2
            && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        {
            let name = c.name.to_lowercase();
            let name_words: Vec<&str> = name.split(|ch: char| !ch.is_alphanumeric()).collect();
            if words.iter().all(|w| {
                let w = w.to_lowercase();
                name_words.iter().any(|n| n.starts_with(&w))
            }) {
                return true;
            }
        }
        if term.chars().count() >= 3 {
            return (name_may_match && c.name.to_lowercase().contains(&lower))
                || c.description.to_lowercase().contains(&lower);
        }
        name_may_match
            && term.chars().all(char::is_alphanumeric)
            && c.name
                .to_lowercase()
                .split(|ch: char| !ch.is_alphanumeric())
                .any(|word| word.starts_with(&lower))
    }

    /// The references this person should see, in the list's order.
    fn expected(&self, specs: &[Spec], keep: impl Fn(&Spec) -> bool) -> Vec<String> {
        self.expected_sorted(specs, keep, "deadline", "asc")
    }

    /// The same, sorted as `sort` and `order` ask: ties by reference in the same direction;
    /// cases without a deadline last both ways; days overdue the deadline's order reversed.
    fn expected_sorted(
        &self,
        specs: &[Spec],
        keep: impl Fn(&Spec) -> bool,
        sort: &str,
        order: &str,
    ) -> Vec<String> {
        use std::cmp::Ordering;
        let mut found: Vec<&Spec> = specs.iter().filter(|c| self.sees(c) && keep(c)).collect();
        let ascending = match (sort, order) {
            ("overdue", "desc") => true,
            ("overdue", _) => false,
            (_, "desc") => false,
            _ => true,
        };
        let flip = |o: Ordering| if ascending { o } else { o.reverse() };
        found.sort_by(|a, b| match sort {
            "deadline" | "overdue" => a
                .due
                .is_none()
                .cmp(&b.due.is_none())
                .then(flip((a.due, &a.reference).cmp(&(b.due, &b.reference)))),
            "received" => flip((a.received, &a.reference).cmp(&(b.received, &b.reference))),
            "reference" => flip(a.reference.cmp(&b.reference)),
            other => panic!("no sort {other}"),
        });
        found.into_iter().map(|c| c.reference.clone()).collect()
    }
}

/// `490`, `000490` or `2025-490` (with or without `CMP-`): the reference's number, in any
/// year unless one is given.
fn number_matches(reference: &str, term: &str) -> bool {
    let upper = term.to_uppercase();
    let term = upper.strip_prefix("CMP-").unwrap_or(&upper);
    let (year, number) = match term.split_once('-') {
        Some((year, number)) if year.len() == 4 => (Some(year), number),
        Some(_) => return false,
        None => (None, term),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(number) || number.len() > 6 || year.is_some_and(|y| !digits(y)) {
        return false;
    }
    let Ok(n) = number.parse::<u32>() else {
        return false;
    };
    let (ref_year, ref_number) = reference["CMP-".len()..].split_once('-').unwrap();
    n > 0 && ref_number.parse::<u32>() == Ok(n) && year.is_none_or(|y| y == ref_year)
}

/// A postcode with or without its space in any case, a telephone number however written
/// (`+44` for the leading 0), an email address in any case.
fn contact_matches(c: &Spec, term: &str) -> bool {
    let squashed: String = term
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let postcode = c
        .postcode
        .as_ref()
        .is_some_and(|p| p.replace(' ', "") == squashed);
    let digits: String = term.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("44") {
        Some(rest) if term.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    };
    let phone_like = term
        .chars()
        .all(|ch| ch.is_ascii_digit() || " +()-".contains(ch));
    let phone = phone_like && c.phone.as_deref() == Some(national.as_str());
    let email = c.email.as_deref() == Some(term.to_lowercase().as_str());
    postcode || phone || email
}

struct World {
    areas: [ServiceAreaId; 3],
    categories: [CategoryId; 2],
    contractors: [ContractorId; 2],
    officer: Person,
    other_officer: UserId,
    manager: Person,
    other_manager: Person,
    director: Person,
    specs: Vec<Spec>,
}

async fn person(
    app: &TestApp,
    email: &str,
    name: &str,
    role: Role,
    areas: &[ServiceAreaId],
) -> Person {
    let id = app.create_user(email, name, role, areas);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(email, PASSWORD).await.status(), 303);
    Person {
        id,
        role,
        areas: areas.to_vec(),
        client,
    }
}

/// Writes one fixture case straight into the database.
fn insert_case(app: &TestApp, spec: &Spec) {
    let now = Utc::now().naive_utc();
    let mut conn = app.conn();
    let complainant = complainants::insert(
        &mut conn,
        &NewComplainant {
            name: &spec.name,
            email: spec.email.as_deref(),
            phone: spec.phone.as_deref(),
            address: spec.postcode.as_ref().map(|_| "1 High Street\nLeeds"),
            postcode: spec.postcode.as_deref(),
            preferred_channel: "email",
            tenancy_relationship: spec.tenure.as_str(),
            adjustments: "",
            interpreter_language: None,
            vulnerability_notes: None,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap();
    let id = case_rows::insert(
        &mut conn,
        &NewCase {
            reference: &spec.reference,
            complainant_id: complainant,
            property_id: None,
            channel: spec.channel,
            received_on: spec.received,
            logged_at: now,
            occurred_on: None,
            aware_on: None,
            status: spec.status,
            health_and_safety: spec.health_and_safety,
            safeguarding: spec.safeguarding,
            confidential: spec.confidential,
            category_id: spec.category,
            contractor_id: spec.contractor,
            description: &spec.description,
            outcome_sought: "",
            policy: "hoc-2024",
            next_due_on: spec.due,
            created_at: now,
            updated_at: now,
            tenure: spec.tenure,
        },
    )
    .unwrap();
    diesel::update(cases::table.find(id))
        .set((
            cases::stage.eq(spec.stage),
            cases::service_area_id.eq(spec.area),
            cases::assignee_id.eq(spec.assignee),
            cases::case_officer_id.eq(spec.officer),
        ))
        .execute(&mut conn)
        .unwrap();
}

const FIRST: [&str; 6] = ["Amal", "Bea", "Carys", "Dev", "Eun", "Femi"];
const LAST: [&str; 5] = ["Okafor", "Nowak", "Singh", "Jones", "Price"];
const STATUSES: [Status; 7] = [
    Status::Received,
    Status::Stage1Open,
    Status::Stage0Open,
    Status::Stage2Open,
    Status::Closed,
    Status::Stage1Open,
    Status::ServiceRequestReferred,
];

/// Three areas, two officers, two managers, a director and 40 cases that vary every field
/// the lists look at.
async fn world(app: &TestApp) -> World {
    let areas = [
        make_area(app, "Repairs", "REP"),
        make_area(app, "Estates", "EST"),
        make_area(app, "Lettings", "LET"),
    ];
    let officer = person(
        app,
        "officer@example.org",
        "Olu Officer",
        Role::Officer,
        &[],
    )
    .await;
    let other_officer =
        app.create_user("o2@example.org", "Otto Officer", Role::Officer, &[areas[2]]);
    let manager = person(
        app,
        "m1@example.org",
        "Mina Manager",
        Role::Manager,
        &[areas[0]],
    )
    .await;
    let other_manager = person(
        app,
        "m2@example.org",
        "Max Manager",
        Role::Manager,
        &[areas[1]],
    )
    .await;
    let director = person(
        app,
        "d@example.org",
        "Dee Director",
        Role::Director,
        &[areas[0], areas[2]],
    )
    .await;

    let cal = calendar();
    let t = today();
    let dues = [
        None,
        Some(t - Duration::days(3)),
        Some(t),
        Some(cal.add(t, 1, Unit::WorkingDays).unwrap()),
        Some(due_soon_until()),
        Some(cal.add(t, 6, Unit::WorkingDays).unwrap()),
        Some(t + Duration::days(30)),
        Some(t - Duration::days(1)),
    ];
    let assignees = [
        None,
        Some(manager.id),
        Some(other_manager.id),
        Some(director.id),
        None,
    ];
    let officers = [Some(officer.id), Some(other_officer), None];
    let now = Utc::now().naive_utc();
    let (categories, contractors) = {
        let mut conn = app.conn();
        let mut category = |name| {
            categories::insert(
                &mut conn,
                &NewCategory {
                    name,
                    active: true,
                    created_at: now,
                    updated_at: now,
                },
            )
            .unwrap()
            .id
        };
        let categories = [category("Repairs delays"), category("Staff conduct")];
        let contractor = |conn: &mut _, name| {
            contractors::insert(
                conn,
                &NewContractor {
                    name,
                    contact_email: None,
                    active: true,
                    created_at: now,
                    updated_at: now,
                },
            )
            .unwrap()
            .id
        };
        let contractors = [
            contractor(&mut conn, "Northern Roofing"),
            contractor(&mut conn, "Acme Gas"),
        ];
        (categories, contractors)
    };
    let mut specs = Vec::new();
    for i in 0..40usize {
        let status = STATUSES[i % 7];
        let stage = match status {
            Status::Received | Status::ServiceRequestReferred => None,
            Status::Stage0Open => Some("stage0"),
            Status::Stage2Open => Some("stage2"),
            Status::Stage1Open | Status::Closed => Some("stage1"),
        };
        let mut spec = Spec {
            reference: format!("CMP-2025-{:06}", i + 1),
            name: format!("{} {}", FIRST[i % 6], LAST[i % 5]),
            description: if i % 4 == 0 {
                format!("Damp and mould in the bedroom ({i})")
            } else {
                format!("The boiler keeps failing ({i})")
            },
            status,
            stage,
            area: match i % 4 {
                0 => None,
                n => Some(areas[n - 1]),
            },
            assignee: assignees[i % 5],
            officer: officers[i % 3],
            channel: Channel::ALL[i % Channel::ALL.len()],
            due: dues[(i * 3) % dues.len()],
            health_and_safety: i % 9 == 1 || i % 9 == 4,
            safeguarding: i % 5 == 2,
            confidential: i % 6 == 3,
            // Every 13th case shares a date, so the reference breaks ties.
            received: t - Duration::days((i % 13) as i64 * 3),
            category: (i % 3 != 0).then_some(categories[i % 2]),
            contractor: (i % 4 == 1).then_some(contractors[(i / 4) % 2]),
            tenure: TenancyRelationship::ALL[i % TenancyRelationship::ALL.len()],
            postcode: (i % 7 != 0).then(|| format!("LS{} {}AB", 1 + i % 3, 1 + i % 5)),
            phone: (i % 2 == 0).then(|| format!("07700900{i:03}")),
            email: (i % 3 == 0).then(|| format!("person{i}@example.org")),
        };
        if i == 15 {
            spec.name = "Ella Patel".into();
            spec.confidential = false;
        }
        if i == 3 {
            // Confidential, with a name found by "patel ella" too.
            spec.name = "Patel Ella-May".into();
            assert!(spec.confidential);
        }
        if i == 9 {
            // A confidential case in the manager's area, with a name nobody else has.
            spec.name = "Zelda Quartermain".into();
            spec.confidential = true;
            spec.area = Some(areas[0]);
            spec.assignee = None;
            spec.status = Status::Stage1Open;
            spec.stage = Some("stage1");
        }
        insert_case(app, &spec);
        specs.push(spec);
    }
    World {
        areas,
        categories,
        contractors,
        officer,
        other_officer,
        manager,
        other_manager,
        director,
        specs,
    }
}

/// The references in a results table, in order.
fn references(html: &str) -> Vec<String> {
    html.split("data-reference=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// The count shown beside a list's name along the top of the work list page.
/// The role's default list is linked as plain `/cases`.
pub(crate) fn count_beside(html: &str, role: Role, list: &str) -> Option<usize> {
    let default = match role {
        Role::Officer | Role::Member => "open",
        _ => "mine",
    };
    let href = if list == default {
        "/cases".to_string()
    } else {
        format!("/cases?list={list}")
    };
    let link = html.find(&format!("app-work-lists__link\" href=\"{href}\""))?;
    let rest = &html[link..];
    let start = rest.find("app-work-lists__count\">")? + "app-work-lists__count\">".len();
    let end = rest[start..].find('<')?;
    rest[start..start + end]
        .trim()
        .replace(',', "")
        .parse()
        .ok()
}

async fn listed(who: &Person, path: &str) -> Vec<String> {
    let response = who.client.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    references(&response.text().await.unwrap())
}

const LISTS: [&str; 7] = [
    "triage", "mine", "areas", "due_soon", "overdue", "open", "all",
];

#[tokio::test]
async fn every_list_matches_the_fixture_for_each_role() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        for who in [&w.officer, &w.manager, &w.other_manager, &w.director] {
            for list in LISTS {
                let expected = who.expected(&w.specs, |c| who.on_list(list, c));
                let got = listed(who, &format!("/cases?list={list}")).await;
                assert_eq!(got, expected, "{} {:?} list={list}", app.backend, who.role);
            }
            // The count beside each list's name (a manager's "All cases" is two counts
            // added, db::scope::disjoint_parts).
            let page = who.client.get_html("/cases").await;
            for list in LISTS {
                if list == "areas" && who.areas.is_empty() {
                    continue;
                }
                let expected = who.expected(&w.specs, |c| who.on_list(list, c)).len();
                assert_eq!(
                    count_beside(&page, who.role, list),
                    Some(expected),
                    "{} {:?} count of list={list}",
                    app.backend,
                    who.role
                );
            }
        }
        // The fixture really exercises the lists.
        for list in LISTS {
            let people = [&w.officer, &w.manager, &w.director];
            assert!(
                people
                    .iter()
                    .all(|p| !p.expected(&w.specs, |c| p.on_list(list, c)).is_empty()
                        || (list == "areas" && p.areas.is_empty())),
                "{list}"
            );
        }
        // Defaults: all open cases for officers, their own for managers.
        let open = w.officer.expected(&w.specs, |c| c.open());
        assert_eq!(listed(&w.officer, "/cases").await, open);
        let mine = w
            .manager
            .expected(&w.specs, |c| w.manager.on_list("mine", c));
        assert_eq!(listed(&w.manager, "/cases").await, mine);
        // Due soon takes today and the fifth working day, not the sixth; overdue not today.
        let due_soon = listed(&w.officer, "/cases?list=due_soon").await;
        let due_of = |r: &String| w.specs.iter().find(|c| &c.reference == r).unwrap().due;
        assert!(due_soon.iter().any(|r| due_of(r) == Some(today())));
        assert!(due_soon.iter().any(|r| due_of(r) == Some(due_soon_until())));
        let overdue = listed(&w.officer, "/cases?list=overdue").await;
        assert!(overdue.iter().all(|r| due_of(r).unwrap() < today()));
        let _ = w.other_officer;
    })
    .await;
}

#[tokio::test]
async fn every_filter_matches_the_fixture() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let [a, b, c] = w.areas;
        type Keep = Box<dyn Fn(&Spec) -> bool>;
        let cases: Vec<(String, Keep)> = vec![
            (
                "stage=stage1".into(),
                Box::new(|s: &Spec| s.stage == Some("stage1")),
            ),
            (
                "stage=stage2".into(),
                Box::new(|s: &Spec| s.stage == Some("stage2")),
            ),
            (
                "status=received".into(),
                Box::new(|s: &Spec| s.status == Status::Received),
            ),
            (
                "status=closed".into(),
                Box::new(|s: &Spec| s.status == Status::Closed),
            ),
            (
                format!("area={a}"),
                Box::new(move |s: &Spec| s.area == Some(a)),
            ),
            (
                format!("area={c}"),
                Box::new(move |s: &Spec| s.area == Some(c)),
            ),
            (
                format!("assignee={}", w.other_manager.id),
                Box::new({
                    let id = w.other_manager.id;
                    move |s: &Spec| s.assignee == Some(id)
                }),
            ),
            (
                "channel=email".into(),
                Box::new(|s: &Spec| s.channel == Channel::Email),
            ),
            (
                "channel=mp_councillor".into(),
                Box::new(|s: &Spec| s.channel == Channel::MpCouncillor),
            ),
            (
                "flag=health_and_safety".into(),
                Box::new(|s: &Spec| s.health_and_safety),
            ),
            (
                "flag=safeguarding".into(),
                Box::new(|s: &Spec| s.safeguarding),
            ),
            (
                "flag=health_and_safety&flag=safeguarding".into(),
                Box::new(|s: &Spec| s.health_and_safety || s.safeguarding),
            ),
            (
                format!("area={b}&stage=stage1&flag=safeguarding"),
                Box::new(move |s: &Spec| {
                    s.area == Some(b) && s.stage == Some("stage1") && s.safeguarding
                }),
            ),
        ];
        for (query, keep) in &cases {
            let expected = w.officer.expected(&w.specs, |s| keep(s));
            assert!(
                !expected.is_empty() || query.contains('&'),
                "fixture covers {query}"
            );
            let got = listed(&w.officer, &format!("/cases?list=all&{query}")).await;
            assert_eq!(got, expected, "{} {query}", app.backend);
            // Filters narrow the list they are applied to.
            let expected = w.officer.expected(&w.specs, |s| s.open() && keep(s));
            let got = listed(&w.officer, &format!("/cases?list=open&{query}")).await;
            assert_eq!(got, expected, "{} open {query}", app.backend);
            // And stay inside a manager's scope.
            let expected = w.manager.expected(&w.specs, |s| keep(s));
            let got = listed(&w.manager, &format!("/cases?list=all&{query}")).await;
            assert_eq!(got, expected, "{} manager {query}", app.backend);
        }
    })
    .await;
}

#[tokio::test]
async fn search_finds_references_names_and_description_text() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let terms = [
            "CMP-2025-000007",
            "cmp-2025-00001",
            "CMP-2025-00003",
            "nowak",
            "AMAL",
            "damp",
            "BOILER keeps",
            "zelda",
            "mould in the bedroom (12)",
            "100%",
            "no such thing",
        ];
        for who in [&w.officer, &w.manager, &w.director] {
            for term in terms {
                let expected = who.expected(&w.specs, |c| who.matches_search(c, term));
                let query: String = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("list", "all")
                    .append_pair("q", term)
                    .finish();
                let got = listed(who, &format!("/cases?{query}")).await;
                assert_eq!(got, expected, "{} {:?} q={term}", app.backend, who.role);
            }
        }
        // The confidential name: found by the officer, not by the manager who sees the case.
        let zelda = listed(&w.officer, "/cases?list=all&q=Zelda").await;
        assert_eq!(zelda, vec!["CMP-2025-000010".to_string()]);
        assert!(listed(&w.manager, "/cases?list=all&q=Zelda")
            .await
            .is_empty());
        let by_reference = w
            .manager
            .client
            .get_html("/cases?list=all&q=CMP-2025-000010")
            .await;
        assert_eq!(
            references(&by_reference),
            zelda,
            "the manager sees the case itself"
        );
        assert!(by_reference.contains("Confidential complainant"));
        assert!(!by_reference.contains("Zelda"));
        // Lists never name a confidential complainant, the officers' included (the case page
        // names them to officers, audited); the officer still finds the case by the name.
        let officer_list = w
            .officer
            .client
            .get_html("/cases?list=all&q=CMP-2025-000010")
            .await;
        assert!(officer_list.contains("Confidential complainant"));
        assert!(!officer_list.contains("Zelda Quartermain"));
    })
    .await;
}

/// Search text is looked up in a trigram index from three characters (SQLite FTS5, PostgreSQL
/// pg_trgm; `db::work_lists::text_search`), and below that as a reference prefix or the start
/// of a name's word: both must find any substring, ignoring case, with `%`, `_` and `"`
/// meaning only themselves, keep confidential names from managers, and follow descriptions,
/// names and the confidential flag as they change.
#[tokio::test]
async fn search_finds_text_inside_words_literally_and_follows_edits() {
    async fn found(who: &Person, term: &str) -> Vec<String> {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("list", "all")
            .append_pair("q", term)
            .finish();
        listed(who, &format!("/cases?{query}")).await
    }

    for_each_backend(|app| async move {
        let area = make_area(&app, "Repairs", "REP");
        let officer = person(&app, "o@example.org", "Olu Officer", Role::Officer, &[]).await;
        let manager = person(&app, "m@example.org", "Mo Manager", Role::Manager, &[area]).await;
        let case = |n: usize, name: &str, description: &str, confidential: bool| Spec {
            reference: format!("CMP-2025-{n:06}"),
            name: name.into(),
            description: description.into(),
            status: Status::Stage1Open,
            stage: Some("stage1"),
            area: Some(area),
            assignee: None,
            officer: None,
            channel: Channel::Email,
            due: None,
            health_and_safety: false,
            safeguarding: false,
            confidential,
            ..Spec::unset()
        };
        let mut specs = vec![
            case(
                1,
                "Ngozi Hargreaves",
                "Condensation behind the WARDROBE",
                false,
            ),
            case(
                2,
                "Piotr Kowalczyk",
                "Rent is 100% of the 5_year plan",
                false,
            ),
            case(3, "Ana Lima", "Rent is 1000 of the 5xyear plan", false),
            case(4, "Sam Quigley", "The \"smart\" meter reads zero", false),
            case(5, "Jo Smartwood", "The smart meter again", false),
            case(6, "Rhiannon Featherstonehaugh", "Lift broken", true),
            // A word after a hyphen starts a word too.
            case(7, "Mary Smith-Ng", "Fence down", false),
        ];
        for spec in &specs {
            insert_case(&app, spec);
        }
        let terms = [
            "densat",   // the middle of a word in a description
            "wardrobe", // a description's capitals
            "GREAV",    // the middle of a surname, in capitals
            "walcz",
            "0% o", // `%` is a percent sign, not "anything"
            "1%0",
            "5_y",       // `_` is an underscore, not "any one character"
            "\"smart\"", // `"` is a quote mark, not FTS5 syntax
            "smart\" OR \"lift",
            "herstoneh", // a confidential name: the officer finds it, the manager not
            "Lift",
            "5_", // under three characters: no trigram to look up
            "ig", // inside a name, not a word's start: nothing
            "Ng", // a word's start: Ngozi
            "ha", // Hargreaves, not Featherstonehaugh
            "li", // Lima; "Lift" is a description
            "Rh", // a confidential name's word
            "re", // descriptions are not searched for two characters
            "Jo",
            "s",
            "%",
            "_",
            // Words of a name in any order, each the start of a word (PostgreSQL: one
            // lookup in the names' words index, migration 2026-12-10-000021).
            "ng smith", // a word after a hyphen
            "smith mary",
            "ith ng", // not words' starts: nothing
            "harg ngozi",
            "rhiannon feath", // a confidential name: the officer finds it, the manager not
            "lima ana",
            "ana kow", // two names' words: nothing
        ];
        let check = |specs: Vec<Spec>| {
            let (officer, manager, backend) = (&officer, &manager, app.backend);
            async move {
                for who in [officer, manager] {
                    for term in terms {
                        let expected = who.expected(&specs, |c| who.matches_search(c, term));
                        let got = found(who, term).await;
                        assert_eq!(got, expected, "{backend} {:?} q={term}", who.role);
                    }
                }
            }
        };
        check(specs.clone()).await;
        // Spot checks that the fixture's own matcher agrees with the intent.
        assert_eq!(found(&officer, "GREAV").await, ["CMP-2025-000001"]);
        assert_eq!(found(&officer, "5_y").await, ["CMP-2025-000002"]);
        assert_eq!(found(&officer, "\"smart\"").await, ["CMP-2025-000004"]);
        assert_eq!(found(&officer, "herstoneh").await, ["CMP-2025-000006"]);
        assert!(found(&manager, "herstoneh").await.is_empty());
        assert_eq!(found(&officer, "ha").await, ["CMP-2025-000001"]);
        assert_eq!(
            found(&officer, "ng").await,
            ["CMP-2025-000001", "CMP-2025-000007"]
        );
        assert_eq!(found(&officer, "Li").await, ["CMP-2025-000003"]);
        assert_eq!(found(&officer, "rh").await, ["CMP-2025-000006"]);
        assert!(found(&manager, "rh").await.is_empty());
        assert!(found(&officer, "re").await.is_empty());
        assert_eq!(found(&officer, "ng smith").await, ["CMP-2025-000007"]);
        assert_eq!(found(&officer, "harg ngozi").await, ["CMP-2025-000001"]);
        assert!(found(&officer, "ith ng").await.is_empty());
        assert_eq!(found(&officer, "rhiannon feath").await, ["CMP-2025-000006"]);
        assert!(found(&manager, "rhiannon feath").await.is_empty());

        // Edits reach the index: a new description, a renamed complainant, another
        // complainant for a case.
        {
            use redress::db::schema::complainants as people;
            let mut conn = app.conn();
            diesel::update(cases::table.filter(cases::reference.eq("CMP-2025-000005")))
                .set(cases::description.eq("Rising damp in the hallway"))
                .execute(&mut conn)
                .unwrap();
            diesel::update(people::table.filter(people::name.eq("Ana Lima")))
                .set(people::name.eq("Ana Vasconcelos"))
                .execute(&mut conn)
                .unwrap();
            let quigley: i32 = people::table
                .filter(people::name.eq("Sam Quigley"))
                .select(people::id)
                .first(&mut conn)
                .unwrap();
            diesel::update(cases::table.filter(cases::reference.eq("CMP-2025-000001")))
                .set(cases::complainant_id.eq(quigley))
                .execute(&mut conn)
                .unwrap();
            // Made confidential and made open again: who may find the name follows.
            diesel::update(cases::table.filter(cases::reference.eq("CMP-2025-000005")))
                .set(cases::confidential.eq(true))
                .execute(&mut conn)
                .unwrap();
            diesel::update(cases::table.filter(cases::reference.eq("CMP-2025-000006")))
                .set(cases::confidential.eq(false))
                .execute(&mut conn)
                .unwrap();
        }
        specs[4].confidential = true;
        specs[5].confidential = false;
        specs[4].description = "Rising damp in the hallway".into();
        specs[2].name = "Ana Vasconcelos".into();
        specs[0].name = "Sam Quigley".into();
        check(specs).await;
        assert_eq!(found(&officer, "smartw").await, ["CMP-2025-000005"]);
        assert_eq!(found(&officer, "g damp").await, ["CMP-2025-000005"]);
        assert_eq!(found(&officer, "concel").await, ["CMP-2025-000003"]);
        assert!(found(&officer, "Lima").await.is_empty());
        assert_eq!(
            found(&officer, "quigl").await,
            ["CMP-2025-000001", "CMP-2025-000004"]
        );
        assert!(found(&officer, "hargreaves").await.is_empty());
        assert_eq!(found(&officer, "Jo").await, ["CMP-2025-000005"]);
        assert!(found(&manager, "Jo").await.is_empty());
        assert!(found(&manager, "smartw").await.is_empty());
        assert_eq!(found(&manager, "herstoneh").await, ["CMP-2025-000006"]);
        assert_eq!(found(&manager, "Rh").await, ["CMP-2025-000006"]);
    })
    .await;
}

#[tokio::test]
async fn sixty_cases_make_two_pages_in_deadline_order() {
    for_each_backend(|app| async move {
        let officer = person(&app, "p@example.org", "Pat Officer", Role::Officer, &[]).await;
        let t = today();
        let mut specs = Vec::new();
        for i in 0..60usize {
            let spec = Spec {
                reference: format!("CMP-2026-{:06}", 60 - i),
                name: format!("Resident {i}"),
                description: "Noise".into(),
                status: Status::Stage1Open,
                stage: Some("stage1"),
                area: None,
                assignee: None,
                officer: None,
                channel: Channel::Phone,
                due: (i % 4 != 0).then(|| t + Duration::days((i % 7) as i64 - 2)),
                health_and_safety: false,
                safeguarding: false,
                confidential: false,
                ..Spec::unset()
            };
            insert_case(&app, &spec);
            specs.push(spec);
        }
        let expected = officer.expected(&specs, |_| true);
        let first = listed(&officer, "/cases").await;
        let second = listed(&officer, "/cases?page=2").await;
        assert_eq!((first.len(), second.len()), (50, 10), "{}", app.backend);
        assert_eq!([first.clone(), second.clone()].concat(), expected);
        // Undated cases come last.
        let due_of = |r: &String| specs.iter().find(|c| &c.reference == r).unwrap().due;
        assert!(second.iter().rev().take(10).all(|r| due_of(r).is_none()));

        let page = officer.client.get_html("/cases").await;
        assert!(page.contains("Showing 1 to 50 of 60 cases"), "{page}");
        assert!(page.contains("aria-label=\"Page 2\""));
        assert!(page.contains("href=\"/cases?page=2\""));
        // Past the end shows the last page.
        assert_eq!(listed(&officer, "/cases?page=9").await, second);
        // Search text counts and pages the same way (its own query path in db::work_lists).
        assert_eq!(listed(&officer, "/cases?q=noise").await, first);
        assert_eq!(listed(&officer, "/cases?q=noise&page=2").await, second);
        assert_eq!(listed(&officer, "/cases?q=noise&page=9").await, second);
        let searched = officer.client.get_html("/cases?q=noise&page=2").await;
        assert!(
            searched.contains("Showing 51 to 60 of 60 cases"),
            "{searched}"
        );
    })
    .await;
}

/// Searches matching hundreds of cases (over 500 for every list and role here, the size at
/// which reading a page by walking the list order instead of sorting every match was tried;
/// docs/performance.md, run 4): pages, total and scope must stay right however the page is
/// read.
#[tokio::test]
async fn searches_with_many_matches_page_in_deadline_order() {
    for_each_backend(|app| async move {
        let area = make_area(&app, "Repairs", "REP");
        let officer = person(&app, "p@example.org", "Pat Officer", Role::Officer, &[]).await;
        let manager = person(&app, "m@example.org", "Mo Manager", Role::Manager, &[area]).await;
        let t = today();
        let mut specs = Vec::new();
        for i in 0..2000usize {
            let spec = Spec {
                reference: format!("CMP-2026-{:06}", 2000 - i),
                // Every fourth case matches by its name only, and is confidential every
                // eighth: the manager must not find those by the name.
                name: if i % 4 == 1 {
                    format!("Resident Damp {i}")
                } else {
                    format!("Resident {i}")
                },
                description: if i % 4 == 0 || i % 4 == 2 {
                    "Damp in the bedroom".into()
                } else {
                    "Noise".into()
                },
                status: if i % 5 == 0 {
                    Status::Closed
                } else {
                    Status::Stage1Open
                },
                stage: Some("stage1"),
                area: (i % 3 != 0).then_some(area),
                assignee: None,
                officer: None,
                channel: Channel::Phone,
                due: (i % 6 != 0).then(|| t + Duration::days((i % 11) as i64 - 4)),
                health_and_safety: false,
                safeguarding: false,
                confidential: i % 8 == 1,
                // A third are leaseholders: over 500 on the list of all cases, so that
                // filter is counted apart from its page (the count is written differently).
                tenure: if i % 3 == 2 {
                    TenancyRelationship::Leaseholder
                } else {
                    TenancyRelationship::Tenant
                },
                ..Spec::unset()
            };
            insert_case(&app, &spec);
            specs.push(spec);
        }
        for (who, list) in [
            (&officer, "all"),
            (&officer, "open"),
            (&manager, "all"),
            (&manager, "open"),
        ] {
            let expected = who.expected(&specs, |c| {
                who.on_list(list, c) && who.matches_search(c, "damp")
            });
            let last = (expected.len() as i64 + 49) / 50;
            assert!(expected.len() > 500, "{list}: {}", expected.len());
            for page in [1, 2, last - 1, last] {
                let from = ((page - 1) * 50) as usize;
                let want = &expected[from..(from + 50).min(expected.len())];
                let path = format!("/cases?list={list}&q=damp&page={page}");
                assert_eq!(listed(who, &path).await, want, "{} {path}", app.backend);
            }
            let past = format!("/cases?list={list}&q=damp&page={}", last + 5);
            let tail = &expected[((last - 1) * 50) as usize..];
            assert_eq!(listed(who, &past).await, tail, "{} {past}", app.backend);
            let html = who
                .client
                .get_html(&format!("/cases?list={list}&q=damp"))
                .await;
            let showing = format!(
                "Showing 1 to 50 of {} cases",
                thousands(expected.len() as i64)
            );
            assert!(html.contains(&showing), "{} {list}: {showing}", app.backend);
        }
        // Without search text: lists longer than one read (over 500 cases; the other tests'
        // lists are shorter, and read whole) are counted and paged apart.
        for (who, list) in [
            (&officer, "all"),
            (&officer, "open"),
            (&manager, "all"),
            (&manager, "open"),
        ] {
            let expected = who.expected(&specs, |c| who.on_list(list, c));
            let last = (expected.len() as i64 + 49) / 50;
            for page in [1, 2, last] {
                let from = ((page - 1) * 50) as usize;
                let want = &expected[from..(from + 50).min(expected.len())];
                let path = format!("/cases?list={list}&page={page}");
                assert_eq!(listed(who, &path).await, want, "{} {path}", app.backend);
            }
            let html = who.client.get_html(&format!("/cases?list={list}")).await;
            let showing = format!("of {} cases", thousands(expected.len() as i64));
            assert!(html.contains(&showing), "{} {list}: {showing}", app.backend);
        }
        // Every order's pages in the second half of a list are read from its end (backward,
        // cases with no deadline first), then put back in order.
        for who in [&officer, &manager] {
            for sort in SORTS {
                for order in ["asc", "desc"] {
                    let expected =
                        who.expected_sorted(&specs, |c| who.on_list("all", c), sort, order);
                    let last = (expected.len() as i64 + 49) / 50;
                    for page in [last / 2 + 1, last - 1, last] {
                        let from = ((page - 1) * 50) as usize;
                        let want = &expected[from..(from + 50).min(expected.len())];
                        let path = format!("/cases?list=all&sort={sort}&order={order}&page={page}");
                        assert_eq!(listed(who, &path).await, want, "{} {path}", app.backend);
                    }
                }
            }
        }
        // Filtered by tenure: the page is walked in order, the total counted another way.
        for (who, list) in [(&officer, "all"), (&manager, "all"), (&officer, "open")] {
            let expected = who.expected(&specs, |c| {
                who.on_list(list, c) && c.tenure == TenancyRelationship::Leaseholder
            });
            let last = (expected.len() as i64 + 49) / 50;
            for page in [1, last] {
                let from = ((page - 1) * 50) as usize;
                let want = &expected[from..(from + 50).min(expected.len())];
                let path = format!("/cases?list={list}&tenure=leaseholder&page={page}");
                assert_eq!(listed(who, &path).await, want, "{} {path}", app.backend);
            }
            let path = format!("/cases?list={list}&tenure=leaseholder");
            let html = who.client.get_html(&path).await;
            let showing = format!("of {} cases", thousands(expected.len() as i64));
            assert!(html.contains(&showing), "{} {path}: {showing}", app.backend);
        }
        let officer_all = officer.expected(&specs, |c| {
            officer.on_list("all", c) && c.tenure == TenancyRelationship::Leaseholder
        });
        assert!(
            officer_all.len() > 500,
            "leaseholders: {}",
            officer_all.len()
        );
    })
    .await;
}

#[tokio::test]
async fn the_htmx_partial_shows_the_same_rows_as_the_full_page() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let area = w.areas[0];
        for who in [&w.officer, &w.manager] {
            for path in [
                "/cases".to_string(),
                format!("/cases?flag=safeguarding&junk=1&area={area}&list=all"),
                "/cases?list=due_soon&q=boiler".to_string(),
            ] {
                let full = who.client.get_html(&path).await;
                let response = who
                    .client
                    .client
                    .get(who.client.url(&path))
                    .header("HX-Request", "true")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                let push = response
                    .headers()
                    .get("HX-Push-Url")
                    .map(|v| v.to_str().unwrap().to_string());
                let partial = response.text().await.unwrap();
                assert!(full.contains("<html") && full.contains("id=\"case-filters\""));
                assert!(!partial.contains("<html"), "only the block: {partial}");
                assert!(!partial.contains("id=\"case-filters\""));
                assert!(
                    !partial.contains("id=\"case-results\""),
                    "the block is the inside"
                );
                assert_eq!(
                    references(&partial),
                    references(&full),
                    "{} {path}",
                    app.backend
                );
                // The partial brings the lists (their links carry the new parameters) to
                // replace the page's own out of band, then the results block itself.
                let (lists, rest) = partial.split_once("</nav>").expect("the lists come first");
                assert!(lists.contains(r#"id="work-lists""#) && lists.contains("hx-swap-oob"));
                assert!(
                    full.contains(&lists.trim().replace(r#" hx-swap-oob="true""#, "")),
                    "the same lists as the full page"
                );
                let inner = &full[full.find("<div id=\"case-results\">").unwrap()..];
                assert!(inner.contains(rest.trim()), "same markup as the full page");
                let canonical = if path.contains("junk") {
                    format!("/cases?list=all&area={area}&flag=safeguarding")
                } else {
                    path.clone()
                };
                assert_eq!(push.as_deref(), Some(canonical.as_str()), "{path}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn managers_never_see_another_areas_unassigned_cases() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let other_area = w.areas[1];
        for who in [&w.manager, &w.director] {
            for path in [
                format!("/cases?list=all&area={other_area}"),
                format!("/cases?list=areas&area={other_area}"),
                format!("/cases?list=open&area={other_area}&q=CMP"),
                "/cases?list=all".to_string(),
            ] {
                let got = listed(who, &path).await;
                for reference in &got {
                    let case = w.specs.iter().find(|c| &c.reference == reference).unwrap();
                    assert!(
                        case.assignee == Some(who.id)
                            || case.area.is_some_and(|a| who.areas.contains(&a)),
                        "{} {:?} saw {reference} on {path}",
                        app.backend,
                        who.role
                    );
                }
            }
            // Only the cases in that area assigned to them.
            let got = listed(who, &format!("/cases?list=all&area={other_area}")).await;
            let expected = who.expected(&w.specs, |c| c.area == Some(other_area));
            assert_eq!(got, expected);
            assert!(expected.iter().all(|r| {
                w.specs.iter().find(|c| &c.reference == r).unwrap().assignee == Some(who.id)
            }));
        }
        // The other area has unassigned cases the manager must not see.
        assert!(w
            .specs
            .iter()
            .any(|c| c.area == Some(other_area) && c.assignee.is_none()));
        // Confidential names are hidden from managers in the table.
        let page = w.manager.client.get_html("/cases?list=all").await;
        for c in w
            .specs
            .iter()
            .filter(|c| c.confidential && w.manager.sees(c))
        {
            assert!(!page.contains(&c.name), "{}", c.name);
        }
        assert!(page.contains("Confidential complainant"));
    })
    .await;
}

/// A manager's search is written as their areas alone when no case is assigned to them
/// outside those areas (`db::scope::Written`, for PostgreSQL's indexes): it must find the
/// same cases as the scope says, and a case assigned to them elsewhere as soon as it is.
#[tokio::test]
async fn a_managers_search_follows_cases_assigned_to_them_outside_their_areas() {
    for_each_backend(|app| async move {
        let mut w = world(&app).await;
        let lettings = w.areas[2];
        let nia = person(
            &app,
            "m3@example.org",
            "Nia Manager",
            Role::Manager,
            &[lettings],
        )
        .await;
        assert!(
            w.specs.iter().all(|c| c.assignee != Some(nia.id)),
            "nothing is assigned to her yet"
        );
        let outside = w
            .specs
            .iter()
            .position(|c| c.area == Some(w.areas[1]) && c.description.contains("boiler"))
            .expect("a boiler case in Estates");
        let assign = |w: &mut World, to: Option<UserId>| {
            let reference = w.specs[outside].reference.clone();
            diesel::update(cases::table.filter(cases::reference.eq(&reference)))
                .set(cases::assignee_id.eq(to))
                .execute(&mut app.conn())
                .unwrap();
            w.specs[outside].assignee = to;
        };
        let before = w.specs[outside].assignee;
        for (moment, to) in [
            ("only her area's cases", before),
            ("a case assigned to her in another area", Some(nia.id)),
            ("that case assigned back", before),
        ] {
            assign(&mut w, to);
            for term in ["boiler", "CMP-2025-0000", "damp"] {
                let expected = nia.expected(&w.specs, |c| nia.matches_search(c, term));
                let got = listed(&nia, &format!("/cases?list=all&q={term}")).await;
                assert_eq!(got, expected, "{} {moment}: q={term}", app.backend);
                let open = nia.expected(&w.specs, |c| c.open() && nia.matches_search(c, term));
                let got = listed(&nia, &format!("/cases?list=open&q={term}")).await;
                assert_eq!(got, open, "{} {moment}: open, q={term}", app.backend);
            }
            let boiler = listed(&nia, "/cases?list=all&q=boiler").await;
            assert_eq!(
                boiler.contains(&w.specs[outside].reference),
                to == Some(nia.id),
                "{} {moment}",
                app.backend
            );
            assert!(!boiler.is_empty(), "{} {moment}", app.backend);
        }
    })
    .await;
}

#[tokio::test]
async fn admins_are_refused_and_bad_parameters_are_ignored() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let admin = app.signed_in_as(Role::Admin).await;
        assert_eq!(admin.get("/cases").await.status(), 403);
        assert_eq!(admin.get("/cases?list=all").await.status(), 403);
        assert_eq!(app.get("/cases").await.status(), 303, "signed out: to sign-in");

        let bad = "/cases?list=nope&stage=stage9&status=zzz&area=abc&assignee=-1x&channel=pigeon&flag=x&page=-4&q=";
        let response = w.officer.client.get(bad).await;
        assert_eq!(response.status(), 200, "{}", app.backend);
        let html = response.text().await.unwrap();
        assert_eq!(references(&html), w.officer.expected(&w.specs, |c| c.open()));
        assert!(!html.contains(" selected>"), "every filter shows Any");
        assert!(!html.contains(" checked>"));
        for path in ["/cases?page=99999999999999999999", "/cases?area=99999", "/cases?%zz=%"] {
            assert_eq!(w.officer.client.get(path).await.status(), 200, "{path}");
        }
        // The nav offers the lists to those who may see cases.
        assert!(html.contains("href=\"/cases\""));
    })
    .await;
}

const SORTS: [&str; 4] = ["deadline", "received", "overdue", "reference"];

#[tokio::test]
async fn every_sort_orders_the_list_as_the_fixture_says() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        for who in [&w.officer, &w.manager] {
            // Over all cases, and over open cases (where SQLite walks the list's index).
            for list in ["all", "open"] {
                for sort in SORTS {
                    for order in ["asc", "desc"] {
                        let expected = who.expected_sorted(
                            &w.specs,
                            |c| who.on_list(list, c),
                            sort,
                            order,
                        );
                        let path = format!("/cases?list={list}&sort={sort}&order={order}");
                        let got = listed(who, &path).await;
                        assert_eq!(got, expected, "{} {:?} {path}", app.backend, who.role);
                    }
                }
            }
        }
        // A sort without a direction takes the column's usual one: most overdue first.
        let most_overdue = w
            .officer
            .expected_sorted(&w.specs, |c| c.open(), "overdue", "desc");
        assert_eq!(
            listed(&w.officer, "/cases?sort=overdue").await,
            most_overdue
        );
        // The sorted header says so, and its link sorts the other way.
        let html = w
            .officer
            .client
            .get_html("/cases?sort=received&order=asc")
            .await;
        assert!(html.contains(
            r#"aria-sort="ascending"><a class="govuk-link govuk-link--no-visited-state app-sort-link" href="/cases?sort=received&#38;order=desc">Received</a>"#
        ));
        assert_eq!(html.matches(r#"aria-sort="none""#).count(), 3);
    })
    .await;
}

#[tokio::test]
async fn officer_category_contractor_tenure_and_received_filters_match_the_fixture() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let [cat_a, cat_b] = w.categories;
        let [con_a, _] = w.contractors;
        let t = today();
        let from = t - Duration::days(12);
        let to = t - Duration::days(3);
        let date = |name: &str, d: NaiveDate| {
            format!(
                "{name}_day={}&{name}_month={}&{name}_year={}",
                d.format("%-d"),
                d.format("%-m"),
                d.format("%Y")
            )
        };
        type Keep = Box<dyn Fn(&Spec) -> bool>;
        let officer = w.officer.id;
        let cases: Vec<(String, Keep)> = vec![
            (
                format!("officer={officer}"),
                Box::new(move |s: &Spec| s.officer == Some(officer)),
            ),
            (
                format!("category={cat_a}"),
                Box::new(move |s: &Spec| s.category == Some(cat_a)),
            ),
            (
                format!("category={cat_b}"),
                Box::new(move |s: &Spec| s.category == Some(cat_b)),
            ),
            (
                format!("contractor={con_a}"),
                Box::new(move |s: &Spec| s.contractor == Some(con_a)),
            ),
            (
                "tenure=leaseholder".into(),
                Box::new(|s: &Spec| s.tenure == TenancyRelationship::Leaseholder),
            ),
            (
                date("received_from", from),
                Box::new(move |s: &Spec| s.received >= from),
            ),
            (
                date("received_to", to),
                Box::new(move |s: &Spec| s.received <= to),
            ),
            (
                format!(
                    "{}&{}&category={cat_b}",
                    date("received_from", from),
                    date("received_to", to)
                ),
                Box::new(move |s: &Spec| {
                    s.received >= from && s.received <= to && s.category == Some(cat_b)
                }),
            ),
        ];
        for (query, keep) in &cases {
            let expected = w.officer.expected(&w.specs, |s| keep(s));
            assert!(!expected.is_empty(), "fixture covers {query}");
            assert!(expected.len() < w.specs.len(), "{query} narrows");
            let got = listed(&w.officer, &format!("/cases?list=all&{query}")).await;
            assert_eq!(got, expected, "{} {query}", app.backend);
            let expected = w.officer.expected(&w.specs, |s| s.open() && keep(s));
            let got = listed(&w.officer, &format!("/cases?list=open&{query}")).await;
            assert_eq!(got, expected, "{} open {query}", app.backend);
            let expected = w.manager.expected(&w.specs, |s| keep(s));
            let got = listed(&w.manager, &format!("/cases?list=all&{query}")).await;
            assert_eq!(got, expected, "{} manager {query}", app.backend);
        }
    })
    .await;
}

#[tokio::test]
async fn a_wrong_received_date_is_refused_beside_its_boxes_with_what_was_typed() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let response = w
            .officer
            .client
            .get("/cases?list=all&received_from_day=30&received_from_month=2&received_from_year=2026&received_to_day=1&received_to_month=13&received_to_year=2026")
            .await;
        assert_eq!(response.status(), 400);
        let html = response.text().await.unwrap();
        assert!(html.contains("There is a problem"));
        assert!(html.contains(r##"<a href="#received-from-day">Received from must be a real date</a>"##));
        assert!(html.contains(r##"<a href="#received-to-month">Received to must be a real date</a>"##));
        assert!(html.contains(r#"id="received-from-day" name="received_from_day" type="text" inputmode="numeric" value="30""#));
        assert!(html.contains(r#"id="received-to-month" name="received_to_month" type="text" inputmode="numeric" value="13""#));
        // The panel opens to show the errors; the list itself is unfiltered by them.
        assert!(html.contains("data-collapse-narrow open"));
        assert_eq!(references(&html), w.officer.expected(&w.specs, |_| true));
        // "To" before "from" is an error on "to".
        let response = w
            .officer
            .client
            .get("/cases?received_from_day=2&received_from_month=3&received_from_year=2026&received_to_day=1&received_to_month=3&received_to_year=2026")
            .await;
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Received to must be the same as or after received from"));
    })
    .await;
}

#[tokio::test]
async fn search_finds_numbers_postcodes_phones_emails_and_names_in_any_order() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let terms = [
            "7",
            "000007",
            "2025-7",
            "2025-000007",
            "CMP-2025-000007",
            "2024-000007",
            "ls2 3ab",
            "LS23AB",
            "LS1 4AB",
            "07700 900 004",
            "+44 7700 900004",
            "07700900003",
            "PERSON9@Example.org",
            "person3@example.org",
            "patel ella",
            "ELLA  Patel",
            "ella pat",
            "patel zelda",
        ];
        for who in [&w.officer, &w.manager, &w.director] {
            for term in terms {
                let expected = who.expected(&w.specs, |c| who.matches_search(c, term));
                let query: String = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("list", "all")
                    .append_pair("q", term)
                    .finish();
                let got = listed(who, &format!("/cases?{query}")).await;
                assert_eq!(got, expected, "{} {:?} q={term}", app.backend, who.role);
            }
        }
        // The fixture really finds each kind, and hides the confidential case from managers.
        let found =
            |who: &Person, term: &str| who.expected(&w.specs, |c| who.matches_search(c, term));
        assert_eq!(found(&w.officer, "7"), ["CMP-2025-000007"]);
        assert_eq!(found(&w.officer, "patel ella").len(), 2);
        assert!(found(&w.officer, "LS23AB").len() >= 2);
        assert_eq!(found(&w.officer, "+44 7700 900004"), ["CMP-2025-000005"]);
        assert_eq!(
            found(&w.officer, "PERSON9@Example.org"),
            ["CMP-2025-000010"]
        );
        // CMP-2025-000004 is confidential and in the director's scope: the director sees the
        // case but may not find it by the complainant's name, postcode or email.
        let confidential = "CMP-2025-000004".to_string();
        let director_sees = w
            .director
            .expected(&w.specs, |c| c.reference == confidential);
        assert_eq!(director_sees, std::slice::from_ref(&confidential));
        for term in ["patel ella", "person3@example.org", "LS1 4AB"] {
            assert!(found(&w.officer, term).contains(&confidential), "{term}");
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("list", "all")
                .append_pair("q", term)
                .finish();
            let got = listed(&w.director, &format!("/cases?{query}")).await;
            assert!(!got.contains(&confidential), "{} {term}", app.backend);
        }
    })
    .await;
}

#[tokio::test]
async fn every_link_on_the_page_keeps_the_other_parameters() {
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let [cat_a, _] = w.categories;
        let query = format!(
            "list=all&q=damp&stage=stage1&officer={}&category={cat_a}&tenure=homeowner\
             &received_from_day=1&received_from_month=1&received_from_year=2020\
             &flag=health_and_safety&sort=received&order=desc",
            w.other_officer
        );
        let html = w.officer.client.get_html(&format!("/cases?{query}")).await;
        assert_eq!(references(&html), ["CMP-2025-000005"], "{}", app.backend);
        let params = |href: &str| -> Vec<(String, String)> {
            let href = href.replace("&amp;", "&").replace("&#38;", "&");
            let q = href
                .split_once('?')
                .map(|(_, q)| q.to_string())
                .unwrap_or_default();
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .filter(|(k, _)| k != "page")
                .collect()
        };
        let asked = params(&format!("/cases?{query}"));
        let hrefs = |class: &str| -> Vec<String> {
            html.split(&format!(r#"class="{class}" href=""#))
                .skip(1)
                .map(|rest| rest[..rest.find('"').unwrap()].to_string())
                .collect()
        };
        // Each tag removes its own parameters and keeps every other one.
        let tags = hrefs("app-filter-tag");
        assert_eq!(tags.len(), 7, "the search, 5 filters and a flag");
        for tag in &tags {
            let kept = params(tag);
            assert!(kept.iter().all(|p| asked.contains(p)), "{tag}");
            let removed = asked.iter().filter(|p| !kept.contains(p)).count();
            assert!(removed == 1 || removed == 3, "{tag} removes one filter");
        }
        // Sort links keep everything but the order; list links everything but the list.
        let sorts = hrefs("govuk-link govuk-link--no-visited-state app-sort-link");
        assert_eq!(sorts.len(), 4);
        for link in sorts {
            let kept = params(&link);
            for p in asked.iter().filter(|(k, _)| k != "sort" && k != "order") {
                assert!(kept.contains(p), "{link} keeps {p:?}");
            }
        }
        let lists = hrefs("govuk-link govuk-link--no-visited-state app-work-lists__link");
        assert!(lists.len() >= 7);
        for link in lists {
            let kept = params(&link);
            for p in asked.iter().filter(|(k, _)| k != "list") {
                assert!(kept.contains(p), "{link} keeps {p:?}");
            }
        }
        // The page reads back exactly what it was given.
        let again = w.officer.client.get_html(&format!("/cases?{query}")).await;
        assert_eq!(references(&again), references(&html));
    })
    .await;
}

/// Every list's count beside its name on `who`'s work list page matches the fixture.
async fn assert_counts(backend: &str, who: &Person, specs: &[Spec], after: &str) {
    let page = who.client.get_html("/cases").await;
    for list in LISTS {
        if list == "areas" && who.areas.is_empty() {
            continue;
        }
        let expected = who.expected(specs, |c| who.on_list(list, c)).len();
        assert_eq!(
            count_beside(&page, who.role, list),
            Some(expected),
            "{backend} {:?} count of list={list} after {after}",
            who.role
        );
    }
    // The dashboard's figures, made from open cases kept by the same generation
    // (src/reports/dashboard.rs, `KeptOpenCases`), are the lists they link to. (A director's
    // dashboard is the whole organisation's, the officer's, where their lists are their own.)
    if who.role == Role::Director {
        return;
    }
    let home = who.client.get_html("/").await;
    for (figure, list) in [("overdue", "overdue"), ("due-soon", "due_soon")] {
        let expected = who.expected(specs, |c| who.on_list(list, c)).len();
        assert_eq!(
            dashboard_figure(&home, figure),
            Some(expected),
            "{backend} {:?} dashboard's {figure} after {after}",
            who.role
        );
    }
}

/// The number in the dashboard's figure with the id `id`.
fn dashboard_figure(home: &str, id: &str) -> Option<usize> {
    let marker = format!("id=\"{id}\">");
    let at = home.find(&marker)? + marker.len();
    home[at..].split('<').next()?.trim().parse().ok()
}

/// The counts beside the lists' names are kept between pages (src/cases/list_counts.rs)
/// and still follow every write that moves a case onto or off a list, however it is made:
/// here straight into the database, as no handler writes, so only the database's own
/// record of case writes (migration `2026-12-09-000021_case_generation`) can tell.
#[tokio::test]
async fn list_counts_follow_every_case_write() {
    for_each_backend(|app| async move {
        let mut w = world(&app).await;
        let backend = app.backend;
        for who in [&w.officer, &w.manager, &w.director] {
            assert_counts(backend, who, &w.specs, "the fixture").await;
        }
        type Change = fn(&mut Spec, &World);
        let changes: [(&str, Change); 5] = [
            ("closing a case", |c, _| c.status = Status::Closed),
            ("assigning a case", |c, w| c.assignee = Some(w.manager.id)),
            ("moving a case to another area", |c, w| {
                c.area = Some(w.areas[2])
            }),
            ("a new case officer", |c, w| c.officer = Some(w.officer.id)),
            ("a deadline passing", |c, _| {
                c.due = Some(today() - Duration::days(2))
            }),
        ];
        for (n, (what, change)) in changes.into_iter().enumerate() {
            // An open case that the change moves (the fixture's cases vary every field).
            let index = w
                .specs
                .iter()
                .enumerate()
                .filter(|(_, c)| c.open())
                .map(|(i, _)| i)
                .nth(n * 3)
                .unwrap();
            let mut spec = w.specs[index].clone();
            change(&mut spec, &w);
            diesel::update(cases::table.filter(cases::reference.eq(&spec.reference)))
                .set((
                    cases::status.eq(spec.status),
                    cases::assignee_id.eq(spec.assignee),
                    cases::service_area_id.eq(spec.area),
                    cases::case_officer_id.eq(spec.officer),
                    cases::next_due_on.eq(spec.due),
                ))
                .execute(&mut app.conn())
                .unwrap();
            w.specs[index] = spec;
            for who in [&w.officer, &w.manager, &w.director] {
                assert_counts(backend, who, &w.specs, what).await;
            }
        }

        // A new case, then the same case removed.
        let added = Spec {
            reference: "CMP-2025-000041".into(),
            name: "Nia Added".into(),
            status: Status::Received,
            stage: None,
            area: Some(w.areas[0]),
            due: Some(today()),
            ..Spec::unset()
        };
        insert_case(&app, &added);
        w.specs.push(added);
        for who in [&w.officer, &w.manager, &w.director] {
            assert_counts(backend, who, &w.specs, "a new case").await;
        }
        diesel::delete(cases::table.filter(cases::reference.eq("CMP-2025-000041")))
            .execute(&mut app.conn())
            .unwrap();
        w.specs.pop();
        for who in [&w.officer, &w.manager, &w.director] {
            assert_counts(backend, who, &w.specs, "a case removed").await;
        }
    })
    .await;
}

/// The filters' choices are kept between pages too (src/cases/list_choices.rs) and follow
/// every write to what they name: made straight into the database here, as above, so only
/// the directory generation (migration `2026-12-10-000031_directory_generation`) can tell.
/// A sign-in writes the signed-in person's row, but not what the choices show, so it keeps
/// them.
#[tokio::test]
async fn filter_choices_follow_every_directory_write() {
    use redress::db::schema::{directory_generation, service_areas, users};
    for_each_backend(|app| async move {
        let w = world(&app).await;
        let page = || async {
            let response = w.officer.client.get("/cases").await;
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        };
        let offered = |html: &str, id: i32, name: &str| {
            html.contains(&format!("<option value=\"{id}\">{name}</option>"))
        };
        let generation = || {
            directory_generation::table
                .select(directory_generation::generation)
                .first::<i64>(&mut app.conn())
                .unwrap()
        };
        let html = page().await;
        assert!(
            offered(&html, w.areas[0].0, "Repairs"),
            "the fixture's area"
        );

        let before = generation();
        let visitor = app.with_new_client();
        assert_eq!(
            visitor
                .sign_in("officer@example.org", PASSWORD)
                .await
                .status(),
            303
        );
        assert_eq!(generation(), before, "a sign-in keeps the choices");

        diesel::update(service_areas::table.find(w.areas[0]))
            .set(service_areas::name.eq("Lettings and moves"))
            .execute(&mut app.conn())
            .unwrap();
        let html = page().await;
        assert!(
            offered(&html, w.areas[0].0, "Lettings and moves"),
            "a renamed area"
        );
        assert!(!html.contains(">Repairs<"), "the old name is gone");

        let now = Utc::now().naive_utc();
        let category = categories::insert(
            &mut app.conn(),
            &NewCategory {
                name: "Noise nuisance",
                active: true,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap()
        .id;
        let contractor = contractors::insert(
            &mut app.conn(),
            &NewContractor {
                name: "Pennine Lifts",
                contact_email: None,
                active: true,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap()
        .id;
        let html = page().await;
        assert!(
            offered(&html, category.0, "Noise nuisance"),
            "a new category"
        );
        assert!(
            offered(&html, contractor.0, "Pennine Lifts"),
            "a new contractor"
        );

        diesel::update(users::table.find(w.manager.id))
            .set(users::display_name.eq("Thomas Fielding-Smith"))
            .execute(&mut app.conn())
            .unwrap();
        diesel::update(users::table.find(w.other_manager.id))
            .set(users::active.eq(false))
            .execute(&mut app.conn())
            .unwrap();
        let html = page().await;
        assert!(
            offered(&html, w.manager.id.0, "Thomas Fielding-Smith"),
            "a renamed manager"
        );
        assert!(
            !html.contains(&format!("<option value=\"{}\">", w.other_manager.id.0)),
            "a manager who left is no longer offered"
        );
    })
    .await;
}

/// The number of matches a page shows above its table ("3 cases", "Showing 1 to 50 of 60
/// cases").
fn shown_total(html: &str) -> usize {
    let start = html
        .find("data-results-count>")
        .expect("the results' count")
        + 19;
    let text = &html[start..start + html[start..].find('<').unwrap()];
    let number = text
        .split(" of ")
        .last()
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    number.replace(',', "").parse().unwrap()
}

/// A search's total is kept between pages too (src/cases/list_counts.rs, `FilteredTotals`)
/// and follows every write that changes what a search finds: a complainant's name,
/// postcode, telephone and email, a case's description, confidentiality and the columns the
/// filters read. Made straight into the database, as above, so only the case generation
/// (migration `2026-12-11-000001_search_generation`) can tell; the pages' rows are read
/// afresh either way, so the count shown is what would go stale.
#[tokio::test]
async fn search_totals_follow_every_write_to_what_is_searched() {
    use redress::db::schema::complainants as people;
    const TERMS: [&str; 9] = [
        "quentin",
        "Okafor",
        "ok",
        "okafor quent",
        "LS9 9ZZ",
        "07700 900 999",
        "new@example.org",
        "loft",
        "mould",
    ];
    async fn check(backend: &str, w: &World, after: &str) {
        for who in [&w.officer, &w.manager, &w.director] {
            // Over all cases, and over open cases (where SQLite walks the list's index).
            for list in ["all", "open"] {
                for term in TERMS {
                    let query: String = url::form_urlencoded::Serializer::new(String::new())
                        .append_pair("list", list)
                        .append_pair("q", term)
                        .append_pair("category", &w.categories[0].to_string())
                        .finish();
                    for path in [
                        format!("/cases?list={list}&q={}", urlencoding(term)),
                        format!("/cases?{query}"),
                    ] {
                        let page = who.client.get_html(&path).await;
                        let category = path.contains("category=");
                        let expected = who.expected(&w.specs, |c| {
                            who.on_list(list, c)
                                && who.matches_search(c, term)
                                && (!category || c.category == Some(w.categories[0]))
                        });
                        assert_eq!(
                            shown_total(&page),
                            expected.len(),
                            "{backend} {:?} {path} after {after}",
                            who.role
                        );
                    }
                }
            }
        }
    }
    fn urlencoding(term: &str) -> String {
        url::form_urlencoded::byte_serialize(term.as_bytes()).collect()
    }

    for_each_backend(|app| async move {
        let mut w = world(&app).await;
        let backend = app.backend;
        check(backend, &w, "the fixture").await;
        // A case every viewer sees (in the manager's and the director's area), and one
        // whose complainant is called Okafor.
        let index = w
            .specs
            .iter()
            .position(|c| c.area == Some(w.areas[0]) && c.open() && !c.confidential)
            .unwrap();
        let reference = w.specs[index].reference.clone();
        let complainant: i32 = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::complainant_id)
            .first(&mut app.conn())
            .unwrap();
        let person = people::table.find(complainant);
        let case = cases::table.filter(cases::reference.eq(reference.clone()));

        diesel::update(person)
            .set(people::name.eq("Quentin Okafor"))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].name = "Quentin Okafor".into();
        check(backend, &w, "a complainant renamed").await;

        diesel::update(person)
            .set(people::postcode.eq("LS9 9ZZ"))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].postcode = Some("LS9 9ZZ".into());
        check(backend, &w, "a new postcode").await;

        diesel::update(person)
            .set(people::phone.eq("07700900999"))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].phone = Some("07700900999".into());
        check(backend, &w, "a new telephone number").await;

        diesel::update(person)
            .set(people::email.eq("new@example.org"))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].email = Some("new@example.org".into());
        check(backend, &w, "a new email address").await;

        diesel::update(case.clone())
            .set(cases::description.eq("Mould in the loft"))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].description = "Mould in the loft".into();
        check(backend, &w, "a new description").await;

        // Confidential: the managers no longer find it by the name or contact details.
        diesel::update(case.clone())
            .set(cases::confidential.eq(true))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].confidential = true;
        check(backend, &w, "the case made confidential").await;

        let category = if w.specs[index].category == Some(w.categories[0]) {
            w.categories[1]
        } else {
            w.categories[0]
        };
        diesel::update(case)
            .set(cases::category_id.eq(category))
            .execute(&mut app.conn())
            .unwrap();
        w.specs[index].category = Some(category);
        check(backend, &w, "another category").await;
    })
    .await;
}

/// A filtered list's total is kept between pages as a search's is (src/cases/list_counts.rs,
/// `FilteredTotals`): after a write straight into the database to each column a filter
/// reads, every filtered list shows the total the fixture gives, for an officer and a
/// manager, over all and open cases (with the generation's triggers emptied, the first edit
/// shows the total from before it).
#[tokio::test]
async fn filtered_totals_follow_every_write_to_what_is_filtered() {
    /// Checks the filters whose query starts with one of `only`.
    async fn check(backend: &str, w: &World, after: &str, only: &[&str]) {
        let [a, _, c] = w.areas;
        let [cat_a, _] = w.categories;
        let [con_a, _] = w.contractors;
        let (from, to) = (today() - Duration::days(12), today() - Duration::days(3));
        let date = |name: &str, d: NaiveDate| {
            format!(
                "{name}_day={}&{name}_month={}&{name}_year={}",
                d.format("%-d"),
                d.format("%-m"),
                d.format("%Y")
            )
        };
        let (officer, other_manager) = (w.officer.id, w.other_manager.id);
        type Keep = Box<dyn Fn(&Spec) -> bool>;
        let filters: Vec<(String, Keep)> = vec![
            (
                "stage=stage2".into(),
                Box::new(|s| s.stage == Some("stage2")),
            ),
            (
                "status=received".into(),
                Box::new(|s| s.status == Status::Received),
            ),
            (format!("area={a}"), Box::new(move |s| s.area == Some(a))),
            (format!("area={c}"), Box::new(move |s| s.area == Some(c))),
            (
                format!("assignee={other_manager}"),
                Box::new(move |s| s.assignee == Some(other_manager)),
            ),
            (
                format!("officer={officer}"),
                Box::new(move |s| s.officer == Some(officer)),
            ),
            (
                "channel=mp_councillor".into(),
                Box::new(|s| s.channel == Channel::MpCouncillor),
            ),
            (
                "flag=health_and_safety".into(),
                Box::new(|s| s.health_and_safety),
            ),
            (
                format!(
                    "{}&{}",
                    date("received_from", from),
                    date("received_to", to)
                ),
                Box::new(move |s| s.received >= from && s.received <= to),
            ),
            (
                format!("category={cat_a}"),
                Box::new(move |s| s.category == Some(cat_a)),
            ),
            (
                format!("contractor={con_a}"),
                Box::new(move |s| s.contractor == Some(con_a)),
            ),
            (
                "tenure=leaseholder".into(),
                Box::new(|s| s.tenure == TenancyRelationship::Leaseholder),
            ),
        ];
        for who in [&w.officer, &w.manager] {
            for list in ["all", "open"] {
                for (query, keep) in &filters {
                    if !only.iter().any(|o| query.starts_with(o)) {
                        continue;
                    }
                    let path = format!("/cases?list={list}&{query}");
                    let page = who.client.get_html(&path).await;
                    let expected = who.expected(&w.specs, |s| who.on_list(list, s) && keep(s));
                    assert_eq!(
                        shown_total(&page),
                        expected.len(),
                        "{backend} {:?} {path} after {after}",
                        who.role
                    );
                }
            }
        }
    }

    for_each_backend(|app| async move {
        let mut w = world(&app).await;
        let backend = app.backend;
        check(backend, &w, "the fixture", &[""]).await;
        // An open case in the manager's area, assigned to nobody they are.
        let index = w
            .specs
            .iter()
            .position(|s| {
                s.area == Some(w.areas[0])
                    && s.status == Status::Stage1Open
                    && s.assignee != Some(w.manager.id)
            })
            .unwrap();
        let spec = w.specs[index].clone();
        let (officer, assignee, area) = (w.officer.id, w.other_manager.id, w.areas[2]);
        let category = *w
            .categories
            .iter()
            .find(|c| spec.category != Some(**c))
            .unwrap();
        let contractor = *w
            .contractors
            .iter()
            .find(|c| spec.contractor != Some(**c))
            .unwrap();
        let received = today() - Duration::days(5);
        let flagged = !spec.health_and_safety;
        let tenure = if spec.tenure == TenancyRelationship::Leaseholder {
            TenancyRelationship::Tenant
        } else {
            TenancyRelationship::Leaseholder
        };
        // What changes, as SQL (the values as both backends store them), which filters it
        // moves, and the same change to the fixture. The last takes the case out of the
        // manager's area, so they no longer see it at all.
        type Change = Box<dyn Fn(&mut Spec)>;
        let edits: Vec<(&str, String, &[&str], Change)> = vec![
            (
                "a new stage",
                "stage = 'stage2'".into(),
                &["stage="],
                Box::new(|s| s.stage = Some("stage2")),
            ),
            (
                "a new status",
                "status = 'received'".into(),
                &["status="],
                Box::new(|s| s.status = Status::Received),
            ),
            (
                "a new case officer",
                format!("case_officer_id = {officer}"),
                &["officer="],
                Box::new(move |s| s.officer = Some(officer)),
            ),
            (
                "a new channel",
                "channel = 'mp_councillor'".into(),
                &["channel="],
                Box::new(|s| s.channel = Channel::MpCouncillor),
            ),
            (
                "the health and safety flag",
                format!("health_and_safety = {flagged}"),
                &["flag="],
                Box::new(move |s| s.health_and_safety = flagged),
            ),
            (
                "a new received date",
                format!("received_on = '{received}'"),
                &["received_from"],
                Box::new(move |s| s.received = received),
            ),
            (
                "a new category",
                format!("category_id = {category}"),
                &["category="],
                Box::new(move |s| s.category = Some(category)),
            ),
            (
                "a new contractor",
                format!("contractor_id = {contractor}"),
                &["contractor="],
                Box::new(move |s| s.contractor = Some(contractor)),
            ),
            (
                "a new tenure",
                format!("tenure = '{}'", tenure.as_str()),
                &["tenure="],
                Box::new(move |s| s.tenure = tenure),
            ),
            (
                "a new investigating manager",
                format!("assignee_id = {assignee}"),
                &["assignee="],
                Box::new(move |s| s.assignee = Some(assignee)),
            ),
            (
                "a new service area",
                format!("service_area_id = {area}"),
                &["area="],
                Box::new(move |s| s.area = Some(area)),
            ),
        ];
        for (what, set, moves, change) in edits {
            check(backend, &w, &format!("before {what}"), moves).await;
            diesel::sql_query(format!(
                "UPDATE cases SET {set} WHERE reference = '{}'",
                spec.reference
            ))
            .execute(&mut app.conn())
            .unwrap();
            change(&mut w.specs[index]);
            check(backend, &w, what, moves).await;
        }
    })
    .await;
}

#[derive(diesel::QueryableByName)]
struct Prepared {
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    generic_plans: i64,
}

/// PostgreSQL plans a work list's statements for their values on every run, and plans the
/// rest once for any values (`db::planned_for_values`): planning every statement on every
/// run was 41% of the database's time in the bench, and a generic plan of a list's
/// statement walked 19,036 rows where its values' plan reads 238.
#[tokio::test]
async fn postgres_plans_the_lists_statements_for_their_values_and_the_rest_once() {
    use redress::db::work_lists::{work_list, CaseFilter, ListDates, ListKind};
    for_each_backend(|app| async move {
        if app.backend != "postgres" {
            return; // SQLite has no plans to keep: it prepares every statement and keeps it.
        }
        let w = world(&app).await;
        let mut conn = app.conn();
        let viewer = redress::domain::Viewer {
            id: w.manager.id,
            role: Role::Manager,
            service_areas: &w.manager.areas,
        };
        let dates = ListDates::new(&calendar(), today()).unwrap();
        let mut filter = CaseFilter::new(ListKind::All);
        filter.stage = Some(redress::rules::Stage::Stage1);
        for _ in 0..8 {
            let page = work_list(&mut conn, &viewer, &filter, &dates).unwrap();
            assert!(!page.rows.is_empty());
        }
        let prepared: Vec<Prepared> =
            diesel::sql_query("SELECT statement, generic_plans FROM pg_prepared_statements")
                .load(&mut conn)
                .unwrap();
        let lists: Vec<&Prepared> = prepared
            .iter()
            .filter(|p| {
                p.statement
                    .starts_with("SELECT \"cases\".\"id\" FROM \"cases\"")
            })
            .collect();
        assert!(
            lists.is_empty(),
            "a list's statement is kept prepared: {:?}",
            lists.iter().map(|p| &p.statement).collect::<Vec<_>>()
        );
        let rows = prepared
            .iter()
            .find(|p| {
                p.statement
                    .starts_with("SELECT \"cases\".\"id\", \"cases\".\"reference\"")
            })
            .expect("the page's rows are read by a kept statement");
        assert!(
            rows.generic_plans > 0,
            "the page's rows are planned again on every run"
        );
    })
    .await;
}
