//! Triage, assignment, involvement, acknowledgement, stage moves and related cases, through
//! the forms as a browser posts them, with deadlines checked against the rules engine.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{case_events, cases, service_areas};
use redress::domain::{Role, ServiceAreaId, UserId};
use redress::rules::{Calendar, Region, Unit};

use crate::helpers::{for_each_backend, location, spawn_app_with, Backend, TestApp, PASSWORD};

pub fn today() -> NaiveDate {
    redress::cases::london_today()
}

fn calendar() -> Calendar {
    Calendar::load(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/bank-holidays.json"
        )),
        Region::EnglandAndWales,
    )
    .unwrap()
}

pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

/// Opens an action's form and posts it with the version and last event it showed.
pub async fn act(
    client: &TestApp,
    reference: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let form = client
        .get_html(&format!("/cases/{reference}/{action}"))
        .await;
    let (version, last) = (hidden(&form, "version"), hidden(&form, "last_event"));
    let mut all = fields.to_vec();
    all.push(("version", &version));
    all.push(("last_event", &last));
    client
        .post_form(&format!("/cases/{reference}/{action}"), &all)
        .await
}

/// An action the case as it stands does not allow: its form and its post are both refused
/// with 409 and the reason; gives the page.
pub async fn refused_now(client: &TestApp, reference: &str, action: &str) -> String {
    let path = format!("/cases/{reference}/{action}");
    let form = client.get(&path).await;
    assert_eq!(form.status(), 409, "GET {path}");
    let posted = client
        .post_form(&path, &[("version", "1"), ("last_event", "0")])
        .await;
    assert_eq!(posted.status(), 409, "POST {path}");
    let page = form.text().await.unwrap();
    assert!(page.contains("This cannot be done now"), "{page}");
    page
}

/// "Record a letter sent elsewhere" on the acknowledgement and response steps (one route per
/// job: the letter editor, or this form on the same step).
pub const ACK1: &str = "letters/stage1_acknowledgement/sent-elsewhere";
pub const ACK2: &str = "letters/stage2_acknowledgement/sent-elsewhere";
pub const RESPOND1: &str = "letters/stage1_response/sent-elsewhere";
pub const RESPOND2: &str = "letters/stage2_response/sent-elsewhere";

/// `fields` with a typed copy of what was sent, as "record a letter sent elsewhere" keeps.
pub fn with_copy(fields: &[(String, String)]) -> Vec<(String, String)> {
    let mut all = fields.to_vec();
    all.push(("copy_text".into(), "A copy of the letter as sent".into()));
    all
}

pub fn date_fields(prefix: &str, d: NaiveDate) -> [(String, String); 3] {
    [
        (format!("{prefix}_day"), d.day().to_string()),
        (format!("{prefix}_month"), d.month().to_string()),
        (format!("{prefix}_year"), d.year().to_string()),
    ]
}

pub async fn act_owned(
    client: &TestApp,
    reference: &str,
    action: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    act(client, reference, action, &borrowed).await
}

/// Logs a phone complaint received on `received` (the real form) and returns its reference;
/// `extra` adds fields or replaces the defaults.
pub async fn log_case(officer: &TestApp, received: NaiveDate, extra: &[(&str, &str)]) -> String {
    let occurred = received - Duration::days(10);
    let mut fields: Vec<(String, String)> = [
        ("complainant_name", "Jo Bloggs"),
        ("email", "jo@example.org"),
        ("tenancy_relationship", "tenant"),
        ("channel", "phone"),
        ("description", "Repair not done"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.extend(date_fields("received", received));
    fields.extend(date_fields("occurred", occurred));
    // An extra field replaces the default of the same name.
    for (key, value) in extra {
        fields.retain(|(k, _)| k != key);
        fields.push((key.to_string(), value.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = officer.post_form("/cases", &borrowed).await;
    assert_eq!(response.status(), 303, "log");
    location(&response)
        .trim_start_matches("/cases/")
        .to_string()
}

pub struct Team {
    pub officer: TestApp,
    pub area: ServiceAreaId,
    pub manager: UserId,
    pub manager_client: TestApp,
    pub other_manager: UserId,
}

pub async fn team(app: &TestApp) -> Team {
    let now = chrono::Utc::now().naive_utc();
    let area: ServiceAreaId = diesel::insert_into(service_areas::table)
        .values((
            service_areas::name.eq("Repairs"),
            service_areas::code.eq("REP"),
            service_areas::active.eq(true),
            service_areas::created_at.eq(now),
            service_areas::updated_at.eq(now),
        ))
        .returning(service_areas::id)
        .get_result(&mut app.conn())
        .unwrap();
    let manager = app.create_user("mia@example.org", "Mia Manager", Role::Manager, &[area]);
    let other_manager = app.create_user("max@example.org", "Max Manager", Role::Manager, &[area]);
    let manager_client = app.with_new_client();
    manager_client.sign_in("mia@example.org", PASSWORD).await;
    Team {
        officer: app.signed_in_as(Role::Officer).await,
        area,
        manager,
        manager_client,
        other_manager,
    }
}

/// Dana Director, signed in: a director of the team's service area.
pub async fn area_director(app: &TestApp, t: &Team) -> TestApp {
    area_director_and_id(app, t).await.1
}

/// [`area_director`], with her user id.
pub async fn area_director_and_id(app: &TestApp, t: &Team) -> (UserId, TestApp) {
    let id = app.create_user(
        "dana@example.org",
        "Dana Director",
        Role::Director,
        &[t.area],
    );
    let director = app.with_new_client();
    director.sign_in("dana@example.org", PASSWORD).await;
    (id, director)
}

pub fn row_of(
    app: &TestApp,
    reference: &str,
) -> (
    String,
    Option<String>,
    Option<UserId>,
    Option<UserId>,
    Option<NaiveDate>,
) {
    cases::table
        .filter(cases::reference.eq(reference))
        .select((
            cases::status,
            cases::stage,
            cases::case_officer_id,
            cases::assignee_id,
            cases::next_due_on,
        ))
        .first(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn an_officer_triages_assigns_and_acknowledges_a_stage_1_complaint() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(1);
        let reference = log_case(&t.officer, received, &[]).await;
        let cal = calendar();

        let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303, "{}", app.backend);
        let (status, stage, officer, _, due) = row_of(&app, &reference);
        assert_eq!(
            (status.as_str(), stage.as_deref()),
            ("stage1_open", Some("stage1"))
        );
        assert!(
            officer.is_some(),
            "the triaging officer becomes case officer"
        );
        assert_eq!(
            due,
            Some(cal.add(received, 5, Unit::WorkingDays).unwrap()),
            "acknowledge due"
        );

        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        let assigned = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &manager)],
        )
        .await;
        assert_eq!(assigned.status(), 303);
        assert_eq!(row_of(&app, &reference).3, Some(t.manager));
        // The manager now sees it.
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}"))
                .await
                .status(),
            200
        );

        let mut fields = vec![
            ("method".to_string(), "email".to_string()),
            (
                "points".to_string(),
                "1. The repair was not done\n2. Nobody called back".to_string(),
            ),
            (
                "outcome_sought".to_string(),
                "Repair and apology".to_string(),
            ),
        ];
        fields.extend(date_fields("sent", today()));
        let acknowledged = act_owned(&t.officer, &reference, ACK1, &with_copy(&fields)).await;
        assert_eq!(acknowledged.status(), 303);
        // hoc-2024: respond 10 working days from the acknowledgement.
        let respond = cal.add(today(), 10, Unit::WorkingDays).unwrap();
        assert_eq!(row_of(&app, &reference).4, Some(respond));
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("The repair was not done"));
        assert!(page.contains("Nobody called back"));
        assert!(page.contains(&respond.format("%-d %B %Y").to_string()));
        assert!(
            !page.contains("/acknowledge\""),
            "acknowledge is no longer offered"
        );
        for action in ["case_triaged", "case_assigned", "case_acknowledged"] {
            assert_eq!(app.audit_count(action), 1, "{action}");
        }
        let events: i64 = case_events::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(
            events, 5,
            "logged, triaged, assigned, acknowledged, the letter sent (recorded elsewhere)"
        );
    })
    .await;
}

#[tokio::test]
async fn triage_outcomes_each_land_in_the_right_state() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(2);
        for (fields, status) in [
            (vec![("decision", "compliment")], "closed"),
            (vec![("decision", "comment")], "closed"),
            (
                vec![
                    ("decision", "service_request"),
                    ("referred_to", "Repairs team"),
                ],
                "service_request_referred",
            ),
        ] {
            let reference = log_case(&t.officer, received, &[]).await;
            assert_eq!(
                act(&t.officer, &reference, "triage", &fields)
                    .await
                    .status(),
                303
            );
            assert_eq!(row_of(&app, &reference).0, status, "{fields:?}");
        }

        let reference = log_case(&t.officer, received, &[]).await;
        let page = act(
            &t.officer,
            &reference,
            "triage",
            &[("decision", "service_request")],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(
            page.contains("Enter the team the service request was referred to"),
            "{page}"
        );
        assert!(page.contains("href=\"#referred-to\""));
        let page = act(&t.officer, &reference, "triage", &[("decision", "stage0")])
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("There is no stage 0"),
            "hoc-2024 has no stage 0"
        );
        let page = act(&t.officer, &reference, "triage", &[])
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Select what this contact is"));
        assert_eq!(
            row_of(&app, &reference).0,
            "received",
            "refusals write nothing"
        );

        // Exclusion: reasons, explanation and when the decline was sent.
        let mut excluded: Vec<(String, String)> = vec![
            ("decision".into(), "excluded".into()),
            ("exclusion_reasons".into(), "legal_proceedings".into()),
            (
                "exclusion_explanation".into(),
                "Court proceedings have started".into(),
            ),
            ("decline_method".into(), "letter".into()),
        ];
        excluded.extend(date_fields("decline_sent", today()));
        assert_eq!(
            act_owned(&t.officer, &reference, "triage", &excluded)
                .await
                .status(),
            303
        );
        assert_eq!(row_of(&app, &reference).0, "closed");
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.to_lowercase().contains("decline"),
            "decline letter on the timeline"
        );

        // The time-limit reason is refused for health and safety cases.
        let urgent = log_case(&t.officer, received, &[("health_and_safety", "true")]).await;
        let mut too_old = excluded.clone();
        too_old[1].1 = "occurred_too_long_ago".into();
        let page = act_owned(&t.officer, &urgent, "triage", &too_old)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("href=\"#exclusion-reasons\""), "{page}");
        assert_eq!(row_of(&app, &urgent).0, "received");
        // Triage twice is refused.
        assert_eq!(
            act(&t.officer, &urgent, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let again = t
            .officer
            .post_form(
                &format!("/cases/{urgent}/triage"),
                &[
                    ("decision", "comment"),
                    ("version", "3"),
                    ("last_event", "0"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(
            again.contains("already been triaged") || again.contains("changed by someone else"),
            "{again}"
        );
    })
    .await;
}

#[tokio::test]
async fn only_officers_triage_and_assign() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let reference = log_case(&t.officer, today(), &[]).await;
    diesel::update(cases::table)
        .set(cases::service_area_id.eq(t.area))
        .execute(&mut app.conn())
        .unwrap();
    for action in ["triage", "assign", "acknowledge", "related"] {
        assert_eq!(
            t.manager_client
                .get(&format!("/cases/{reference}/{action}"))
                .await
                .status(),
            403,
            "{action}"
        );
        let post = t
            .manager_client
            .post_form(
                &format!("/cases/{reference}/{action}"),
                &[("decision", "stage1"), ("version", "1")],
            )
            .await;
        assert_eq!(post.status(), 403, "{action}");
    }
    let director = app.signed_in_as(Role::Director).await;
    assert_eq!(
        director
            .get(&format!("/cases/{reference}/triage"))
            .await
            .status(),
        403
    );
    assert_eq!(row_of(&app, &reference).0, "received");
}

#[tokio::test]
async fn declared_involvement_blocks_assignment() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(&t.officer, today(), &[]).await;
        act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        let (area, manager, other) = (
            t.area.to_string(),
            t.manager.to_string(),
            t.other_manager.to_string(),
        );

        // Recorded by the officer: that manager can no longer be chosen.
        assert_eq!(
            act(
                &t.officer,
                &reference,
                "involvement",
                &[("manager", &other)]
            )
            .await
            .status(),
            303
        );
        let refused = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &other)],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(refused.contains("involve"), "{refused}");
        assert_eq!(row_of(&app, &reference).3, None);

        // Declared by the assigned manager: the case goes back unassigned.
        act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &manager)],
        )
        .await;
        assert_eq!(row_of(&app, &reference).3, Some(t.manager));
        let declared = act(&t.manager_client, &reference, "involvement", &[]).await;
        assert_eq!(declared.status(), 303);
        assert_eq!(location(&declared), "/");
        assert_eq!(row_of(&app, &reference).3, None);
        let page = act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &manager)],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(page.contains("involve"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn a_manager_outside_the_area_cannot_be_assigned() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let outsider = app.create_user("out@example.org", "Out Sider", Role::Manager, &[]);
    let reference = log_case(&t.officer, today(), &[]).await;
    act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
    let page = act(
        &t.officer,
        &reference,
        "assign",
        &[
            ("service_area", &t.area.to_string()),
            ("manager", &outsider.to_string()),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("is not a member of Repairs"), "{page}");
}

#[tokio::test]
async fn the_acknowledgement_clock_follows_the_profile() {
    // south-essex-homes: stage 1 response 10 working days from receipt, not from acknowledgement.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rules.policy = "south-essex-homes".into()
    })
    .await;
    let t = team(&app).await;
    let received = today() - Duration::days(1);
    let reference = log_case(&t.officer, received, &[]).await;
    act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
    let mut fields = vec![
        ("method".to_string(), "phone".to_string()),
        ("points".to_string(), "Late repair".to_string()),
    ];
    fields.extend(date_fields("sent", today()));
    act_owned(&t.officer, &reference, ACK1, &with_copy(&fields)).await;
    let cal = calendar();
    assert_eq!(
        row_of(&app, &reference).4,
        Some(cal.add(received, 10, Unit::WorkingDays).unwrap())
    );

    // Stage 0 exists here, and moving to stage 1 restarts the clock from that day.
    let informal = log_case(&t.officer, received, &[]).await;
    assert_eq!(
        act(&t.officer, &informal, "triage", &[("decision", "stage0")])
            .await
            .status(),
        303
    );
    assert_eq!(row_of(&app, &informal).0, "stage0_open");
    let moved = act_owned(&t.officer, &informal, "stage1", &date_fields("on", today())).await;
    assert_eq!(moved.status(), 303);
    let (status, stage, ..) = row_of(&app, &informal);
    assert_eq!(
        (status.as_str(), stage.as_deref()),
        ("stage1_open", Some("stage1"))
    );
    assert_eq!(
        row_of(&app, &informal).4,
        Some(cal.add(today(), 5, Unit::WorkingDays).unwrap()),
        "acknowledge from the move"
    );
}

#[tokio::test]
async fn a_service_request_converts_into_a_complaint_keeping_its_reference() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(7);
        let reference = log_case(&t.officer, received, &[]).await;
        act(
            &t.officer,
            &reference,
            "triage",
            &[("decision", "service_request"), ("referred_to", "Repairs")],
        )
        .await;
        let dissatisfied = today() - Duration::days(1);
        let converted = act_owned(
            &t.officer,
            &reference,
            "convert",
            &date_fields("on", dissatisfied),
        )
        .await;
        assert_eq!(converted.status(), 303, "{}", app.backend);
        let (status, stage, _, _, due) = row_of(&app, &reference);
        assert_eq!(
            (status.as_str(), stage.as_deref()),
            ("stage1_open", Some("stage1"))
        );
        assert_eq!(
            due,
            Some(calendar().add(dissatisfied, 5, Unit::WorkingDays).unwrap())
        );
        // Converted, it is no longer a service request.
        let again = refused_now(&t.officer, &reference, "convert").await;
        assert!(
            again.contains("Only a service request can be converted"),
            "{again}"
        );
    })
    .await;
}

#[tokio::test]
async fn duplicates_close_and_related_cases_link_both_ways() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let first = log_case(&t.officer, today(), &[]).await;
        let second = log_case(&t.officer, today(), &[]).await;
        let third = log_case(&t.officer, today(), &[]).await;
        assert_eq!(
            act(
                &t.officer,
                &second,
                "related",
                &[("other", &first), ("kind", "duplicate")]
            )
            .await
            .status(),
            303
        );
        let (status, ..) = row_of(&app, &second);
        assert_eq!(status, "closed");
        let duplicate_of: Option<i32> = cases::table
            .filter(cases::reference.eq(&second))
            .select(cases::duplicate_of_id)
            .first::<Option<redress::domain::CaseId>>(&mut app.conn())
            .unwrap()
            .map(|id| id.0);
        assert!(duplicate_of.is_some());

        assert_eq!(
            act(
                &t.officer,
                &third,
                "related",
                &[("other", &first.to_lowercase()), ("kind", "related")]
            )
            .await
            .status(),
            303
        );
        let page = t.officer.get_html(&format!("/cases/{first}")).await;
        assert!(
            page.contains(&format!("href=\"/cases/{third}\"")),
            "linked both ways"
        );
        let bad = act(
            &t.officer,
            &third,
            "related",
            &[("other", "CMP-1999-000001"), ("kind", "related")],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(bad.contains("There is no case CMP-1999-000001"));
        let itself = act(
            &t.officer,
            &third,
            "related",
            &[("other", &third), ("kind", "duplicate")],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(itself.contains("cannot be a duplicate of itself"));
    })
    .await;
}

#[tokio::test]
async fn a_stale_form_is_refused_with_what_changed_and_writes_nothing() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let other_officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&t.officer, today(), &[]).await;
        act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;

        // Both open the assign form; the first to submit wins.
        let form_a = t
            .officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        let form_b = other_officer
            .get_html(&format!("/cases/{reference}/assign"))
            .await;
        let post = |client: &TestApp, form: &str, manager: UserId| {
            let (v, l) = (hidden(form, "version"), hidden(form, "last_event"));
            let (area, manager) = (t.area.to_string(), manager.to_string());
            let (client, path) = (client.clone_client(), format!("/cases/{reference}/assign"));
            async move {
                client
                    .post_form(
                        &path,
                        &[
                            ("service_area", &area),
                            ("manager", &manager),
                            ("version", &v),
                            ("last_event", &l),
                        ],
                    )
                    .await
            }
        };
        let first = post(&t.officer, &form_a, t.manager).await;
        assert_eq!(first.status(), 303);
        let second = post(&other_officer, &form_b, t.other_manager).await;
        assert_eq!(second.status(), 409, "a stale version is a conflict");
        let page = second.text().await.unwrap();
        assert!(page.contains("changed by someone else"), "{page}");
        assert!(page.contains("Mia Manager"), "says what changed: {page}");
        assert_eq!(
            row_of(&app, &reference).3,
            Some(t.manager),
            "the first write stands"
        );
        assert_eq!(app.audit_count("case_assigned"), 1);
    })
    .await;
}

#[tokio::test]
async fn assignment_queues_a_notification_to_the_manager_in_the_same_transaction() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let reference = log_case(&t.officer, today(), &[]).await;
    act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    act(
        &t.officer,
        &reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await;
    use redress::db::schema::outbox;
    let (recipient, subject, body): (String, String, String) = outbox::table
        .select((outbox::recipient, outbox::subject, outbox::body_text))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(recipient, "mia@example.org");
    assert!(subject.contains(&reference), "{subject}");
    // The link carries Redress's address (here the bind address: no mail.link_base is set).
    let link = format!("http://{}/cases/{reference}", app.settings.server.bind);
    assert!(body.contains(&link), "{body}");
}

/// "Occurred too long ago" only when the profile's time limit is past: at the limit is
/// within; a profile with no limit never allows it (issue 25).
#[tokio::test]
async fn excluding_as_too_long_ago_follows_the_profiles_time_limit() {
    for backend in crate::helpers::backends() {
        let app = spawn_app_with(backend.clone(), |_| {}).await; // hoc-2024: twelve months
        let t = team(&app).await;
        let received = today();
        let twelve_months_before = received
            .checked_sub_months(chrono::Months::new(12))
            .unwrap();
        let exclude = |occurred: NaiveDate| {
            let mut fields: Vec<(String, String)> = vec![
                ("decision".into(), "excluded".into()),
                ("exclusion_reasons".into(), "occurred_too_long_ago".into()),
                (
                    "exclusion_explanation".into(),
                    "Outside the time limit".into(),
                ),
                ("decline_method".into(), "letter".into()),
            ];
            fields.extend(date_fields("decline_sent", received));
            (occurred, fields)
        };
        for (occurred, refused_with) in [
            (received - Duration::days(31), Some("within the time limit")),
            (twelve_months_before, Some("within the time limit")),
            (twelve_months_before - Duration::days(1), None),
        ] {
            let (occurred, fields) = exclude(occurred);
            let occurred_fields = date_fields("occurred", occurred);
            let extra: Vec<(&str, &str)> = occurred_fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let reference = log_case(&t.officer, received, &extra).await;
            let response = act_owned(&t.officer, &reference, "triage", &fields).await;
            match refused_with {
                Some(words) => {
                    assert_eq!(response.status(), 400, "occurred {occurred}");
                    let page = response.text().await.unwrap();
                    assert!(page.contains(words), "occurred {occurred}: {page}");
                    assert!(page.contains("href=\"#exclusion-reasons\""));
                    let limit = occurred
                        .checked_add_months(chrono::Months::new(12))
                        .unwrap()
                        .format("%-d %B %Y")
                        .to_string();
                    assert!(page.contains(&limit), "names the limit date {limit}");
                    assert_eq!(row_of(&app, &reference).0, "received");
                }
                None => {
                    assert_eq!(response.status(), 303, "occurred {occurred}");
                    assert_eq!(row_of(&app, &reference).0, "closed");
                }
            }
        }

        let app = spawn_app_with(backend, |s| s.rules.policy = "east-kent-housing".into()).await;
        let t = team(&app).await;
        let (_, fields) = exclude(received);
        let old = received - Duration::days(3650);
        let occurred_fields = date_fields("occurred", old);
        let extra: Vec<(&str, &str)> = occurred_fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let reference = log_case(&t.officer, received, &extra).await;
        let response = act_owned(&t.officer, &reference, "triage", &fields).await;
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("sets no time limit"));
        assert_eq!(row_of(&app, &reference).0, "received");
    }
}
