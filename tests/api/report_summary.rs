//! The reports' summary (issue 32) stays equal to the facts it adds up, on both backends:
//! after a journey through the forms (a received date, category, contractor, service area
//! and the complainant's tenancy corrected before and after responses, an escalation, a bulk
//! assignment, a duplicate) and after seeding. The facts are added up here by a plain SQL
//! `GROUP BY` written for the check, with the tenure read from the complainant, not through
//! the code that keeps the summary. The bulk assignment moves cases to another manager, so
//! the rows by assignee and area (a manager's dashboard) must follow them.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use redress::domain::Role;

use crate::helpers::{
    backends, for_each_backend, make_area, make_category, make_contractor, spawn_app_with, TestApp,
};
use crate::reports::{d, html_tables, respond, row, stage1};
use crate::representative::version;
use crate::triage::{act, act_owned, date_fields, log_case, team, with_copy, ACK2};

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    #[diesel(sql_type = Text)]
    month: String,
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = Text)]
    breakdown: String,
    #[diesel(sql_type = Text)]
    item: String,
    #[diesel(sql_type = BigInt)]
    received: i64,
    #[diesel(sql_type = BigInt)]
    responded: i64,
    #[diesel(sql_type = BigInt)]
    within_timescale: i64,
    #[diesel(sql_type = BigInt)]
    days_late: i64,
    #[diesel(sql_type = BigInt)]
    extended: i64,
    #[diesel(sql_type = BigInt)]
    working_days: i64,
    #[diesel(sql_type = BigInt)]
    timed: i64,
    #[diesel(sql_type = BigInt)]
    upheld: i64,
    #[diesel(sql_type = BigInt)]
    partly_upheld: i64,
    #[diesel(sql_type = BigInt)]
    not_upheld: i64,
    #[diesel(sql_type = BigInt)]
    compensation_pence: i64,
    #[diesel(sql_type = BigInt)]
    code_within: i64,
}

impl Row {
    fn is_empty(&self) -> bool {
        [
            self.received,
            self.responded,
            self.within_timescale,
            self.days_late,
            self.extended,
            self.working_days,
            self.timed,
            self.upheld,
            self.partly_upheld,
            self.not_upheld,
            self.compensation_pence,
            self.code_within,
        ]
        .iter()
        .all(|n| *n == 0)
    }
}

const FIGURES: &str = "received, responded, within_timescale, days_late, extended, working_days, \
    timed, upheld, partly_upheld, not_upheld, compensation_pence, code_within";

/// The stored summary, rows whose figures are all nothing left out (a row emptied by a
/// correction stays, at zero).
fn stored(app: &TestApp) -> Vec<Row> {
    let mut rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT substr(CAST(month AS TEXT), 1, 7) AS month, stage, breakdown, item, {FIGURES} \
         FROM report_summary"
    ))
    .load::<Row>(&mut app.conn())
    .unwrap()
    .into_iter()
    .filter(|r| !r.is_empty())
    .collect();
    rows.sort();
    rows
}

/// The summary worked out afresh from the facts: complaints entering a stage (the case's
/// current stage, from its start; a stage 2 case also at stage 1 from its receipt;
/// duplicates left out) and responses as frozen, each case's tenure its complainant's.
fn recomputed(app: &TestApp) -> Vec<Row> {
    let facts = "
        SELECT c.stage_started_on AS day, c.stage AS stage, c.service_area_id AS area,
            c.category_id AS category, c.contractor_id AS contractor,
            c.assignee_id AS assignee, c.channel AS channel,
            p.tenancy_relationship AS tenure,
            1 AS received, 0 AS responded, 0 AS within_timescale, 0 AS days_late,
            0 AS extended, 0 AS working_days, 0 AS timed, 0 AS upheld, 0 AS partly_upheld,
            0 AS not_upheld, 0 AS compensation_pence, 0 AS code_within
        FROM cases c JOIN complainants p ON p.id = c.complainant_id
        WHERE c.stage IS NOT NULL AND c.stage_started_on IS NOT NULL
            AND c.duplicate_of_id IS NULL
        UNION ALL
        SELECT c.received_on, 'stage1', c.service_area_id, c.category_id, c.contractor_id,
            c.assignee_id, c.channel, p.tenancy_relationship, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        FROM cases c JOIN complainants p ON p.id = c.complainant_id
        WHERE c.stage = 'stage2' AND c.duplicate_of_id IS NULL
        UNION ALL
        SELECT o.sent_on, o.stage, o.service_area_id, o.category_id, o.contractor_id,
            o.assignee_id, o.channel, p.tenancy_relationship, 0, 1,
            CASE WHEN o.met THEN 1 ELSE 0 END,
            CASE WHEN o.met OR o.days_late < 0 THEN 0 ELSE o.days_late END,
            CASE WHEN o.extended THEN 1 ELSE 0 END,
            CASE WHEN o.working_days > 0 THEN o.working_days ELSE 0 END,
            CASE WHEN o.working_days IS NULL THEN 0 ELSE 1 END,
            CASE WHEN o.outcome = 'upheld' THEN 1 ELSE 0 END,
            CASE WHEN o.outcome = 'partly_upheld' THEN 1 ELSE 0 END,
            CASE WHEN o.outcome = 'not_upheld' THEN 1 ELSE 0 END,
            o.compensation_pence,
            CASE WHEN o.code_met THEN 1 ELSE 0 END
        FROM stage_outcomes o JOIN cases c ON c.id = o.case_id
            JOIN complainants p ON p.id = c.complainant_id";
    let sums = FIGURES
        .split(", ")
        .map(|f| format!("CAST(SUM({f}) AS BIGINT) AS {f}"))
        .collect::<Vec<_>>()
        .join(", ");
    let by = |breakdown: &str, item: &str| {
        // The "all" rows are grouped by month and stage only.
        let grouped = if breakdown == "all" {
            String::new()
        } else {
            format!(", {item}")
        };
        format!(
            "SELECT substr(CAST(day AS TEXT), 1, 7) AS month, stage, '{breakdown}' AS breakdown, \
             {item} AS item, {sums} FROM facts \
             GROUP BY substr(CAST(day AS TEXT), 1, 7), stage{grouped}"
        )
    };
    let query = format!(
        "WITH facts AS ({facts}) {} UNION ALL {} UNION ALL {} UNION ALL {} UNION ALL {} \
         UNION ALL {} UNION ALL {}",
        by("all", "''"),
        by("service_area", "COALESCE(CAST(area AS TEXT), '')"),
        by("category", "COALESCE(CAST(category AS TEXT), '')"),
        by("contractor", "COALESCE(CAST(contractor AS TEXT), '')"),
        by("channel", "channel"),
        by("tenure", "tenure"),
        by(
            "assignee_area",
            "COALESCE(CAST(assignee AS TEXT), '') || ':' || COALESCE(CAST(area AS TEXT), '')",
        ),
    );
    let mut rows: Vec<Row> = diesel::sql_query(query)
        .load::<Row>(&mut app.conn())
        .unwrap();
    rows.sort();
    rows
}

fn assert_in_step(app: &TestApp, when: &str) {
    let (stored, recomputed) = (stored(app), recomputed(app));
    assert!(!recomputed.is_empty(), "{when}: facts to compare");
    if stored != recomputed {
        let only = |a: &[Row], b: &[Row]| -> Vec<Row> {
            a.iter().filter(|r| !b.contains(r)).cloned().collect()
        };
        panic!(
            "{when} on {}: the summary differs from the facts\nstored only: {:#?}\nfacts only: {:#?}",
            app.backend,
            only(&stored, &recomputed),
            only(&recomputed, &stored)
        );
    }
}

async fn ok(response: reqwest::Response, what: &str) {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 303, "{what}: {body}");
}

/// The complainant's details as logged (`log_case`), with their tenancy `tenancy`.
async fn set_tenancy(officer: &TestApp, reference: &str, tenancy: &str) {
    let fields = [
        ("complainant_name", "Jo Bloggs"),
        ("tenancy_relationship", tenancy),
        ("email", "jo@example.org"),
        ("phone", ""),
        ("preferred_contact", "email"),
    ];
    ok(
        act(officer, reference, "details/complainant", &fields).await,
        "tenancy",
    )
    .await;
}

#[tokio::test]
async fn the_summary_equals_the_facts_after_corrections_escalation_and_a_bulk_action() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let damp = make_category(&app, "Damp and mould").to_string();
        let noise = make_category(&app, "Noise").to_string();
        let builders = make_contractor(&app, "Acme Builders").to_string();
        let roofers = make_contractor(&app, "Top Roofers").to_string();
        let lettings = make_area(&app, "Lettings", "LET");
        let lena = app.create_user(
            "lena@example.org",
            "Lena Lettings",
            Role::Manager,
            &[lettings],
        );
        let repairs = t.area.to_string();

        // A: stage 1, its received date moved back into March before the response (the
        // entry moves month), its category and contractor set before the response and
        // changed after it (the entry moves, the frozen response stays).
        let a = stage1(&t, d(2025, 4, 1), d(2025, 4, 2)).await;
        assert_in_step(&app, "logged, triaged, assigned, acknowledged");
        let mut dates: Vec<(String, String)> = vec![("channel".into(), "letter".into())];
        dates.extend(date_fields("received", d(2025, 3, 28)));
        dates.extend(date_fields("occurred", d(2025, 3, 20)));
        ok(
            act_owned(&t.officer, &a, "details/dates", &dates).await,
            "dates",
        )
        .await;
        let classify = |category: &str, contractor: &str| {
            vec![
                ("category_id".to_string(), category.to_string()),
                ("contractor_id".to_string(), contractor.to_string()),
                ("service_area_id".to_string(), repairs.clone()),
            ]
        };
        ok(
            act_owned(
                &t.officer,
                &a,
                "details/classification",
                &classify(&damp, &builders),
            )
            .await,
            "classification before",
        )
        .await;
        assert_in_step(&app, "received date and classification corrected");
        respond(&t.manager_client, &a, 2, "upheld", d(2025, 4, 20)).await;
        assert_in_step(&app, "A answered");
        ok(
            act_owned(
                &t.officer,
                &a,
                "details/classification",
                &classify(&noise, &roofers),
            )
            .await,
            "classification after",
        )
        .await;
        assert_in_step(&app, "classification corrected after the response");

        // B: answered late, then escalated and acknowledged at stage 2 (a stage 2 case also
        // entered stage 1, on its receipt date).
        let b = stage1(&t, d(2025, 5, 6), d(2025, 5, 6)).await;
        respond(&t.manager_client, &b, 2, "partly_upheld", d(2025, 6, 30)).await;
        let mut escalate = vec![
            ("choice".to_string(), "escalate".to_string()),
            ("reason".to_string(), "Still not fixed".to_string()),
        ];
        escalate.extend(date_fields("on", d(2025, 7, 3)));
        ok(
            act_owned(&t.officer, &b, "escalate", &escalate).await,
            "escalate",
        )
        .await;
        let mut ack2 = vec![
            ("method".to_string(), "email".to_string()),
            ("points".to_string(), "1. Repair not done".to_string()),
        ];
        ack2.extend(date_fields("sent", d(2025, 7, 4)));
        ok(
            act_owned(&t.officer, &b, ACK2, &with_copy(&ack2)).await,
            "ack2",
        )
        .await;
        assert_in_step(&app, "B escalated");

        // The complainant (all these cases are Jo Bloggs's) becomes a shared owner: every
        // case's entries and responses move tenure.
        set_tenancy(&t.officer, &b, "shared_owner").await;
        assert_in_step(&app, "tenancy corrected");

        // C and D: triaged, then assigned to Lettings in one bulk action (area none →
        // Lettings); E closed as a duplicate of C (out of every count of received).
        let mut fresh = Vec::new();
        for received in [d(2025, 8, 4), d(2025, 8, 5), d(2025, 8, 6)] {
            let reference = log_case(&t.officer, received, &[]).await;
            ok(
                act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await,
                "triage",
            )
            .await;
            fresh.push(reference);
        }
        assert_in_step(&app, "C, D and E triaged");
        let e = fresh.pop().unwrap();
        ok(
            act(
                &t.officer,
                &e,
                "related",
                &[("other", &fresh[0]), ("kind", "duplicate")],
            )
            .await,
            "duplicate",
        )
        .await;
        assert_in_step(&app, "E a duplicate");
        let chosen: Vec<String> = fresh
            .iter()
            .map(|r| format!("{r}:{}", version(&app, r)))
            .collect();
        let (area, manager) = (lettings.to_string(), lena.to_string());
        let mut fields: Vec<(&str, &str)> = vec![
            ("action", "assign"),
            ("service_area", &area),
            ("manager", &manager),
        ];
        fields.extend(chosen.iter().map(|c| ("case", c.as_str())));
        let done = t.officer.post_form("/cases/bulk", &fields).await;
        assert_eq!(done.status(), 200);
        let done = done.text().await.unwrap();
        assert!(done.contains("2 of 2 cases assigned"), "{done}");
        assert_in_step(&app, "bulk assignment");

        // Back to a tenant after the bulk action, through another case of the same person.
        set_tenancy(&t.officer, &fresh[0], "tenant").await;
        assert_in_step(&app, "tenancy corrected again");

        // The report's figures come from the summary: Lettings has C and D; Repairs A and B
        // (and B's stage 2 entry); A entered stage 1 in March 2025, before the year.
        let html = t.officer.get_html("/reports/performance?year=2025").await;
        let tables = html_tables(&html);
        let lettings = row(&tables, "Service area", "Lettings");
        assert_eq!((lettings["Received"], lettings["Responded"]), ("2", "0"));
        let repairs = row(&tables, "Service area", "Repairs");
        assert_eq!((repairs["Received"], repairs["Responded"]), ("2", "2"));
    })
    .await;
}

#[tokio::test]
async fn a_seeded_summary_equals_the_facts() {
    for backend in backends() {
        let app = spawn_app_with(backend, |_| {}).await;
        let (calendar, policies) = redress::startup::load_rules(&app.settings).unwrap();
        redress::seed::seed_demo(
            &mut app.pool.get().unwrap(),
            &calendar,
            policies.get("hoc-2024").unwrap(),
            &redress::seed::SeedOptions {
                cases: 400,
                seed: 5,
                today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            },
            &mut |_, _| {},
        )
        .unwrap();
        assert_in_step(&app, "seeded");
        a_scope_s_months_equal_its_responses(&app);
        a_dashboard_s_months_equal_its_responses(&app, &calendar);
    }
}

/// The dashboard's open cases (grouped by stage and due date in the database) are the open
/// cases counted one by one; and it reads every month from the summary, this one included
/// (up to today: no response is dated after it), showing what counting the responses
/// gives: this month's share and each of the twelve months of its trend, for the
/// organisation and a manager.
fn a_dashboard_s_months_equal_its_responses(app: &TestApp, calendar: &redress::rules::Calendar) {
    use redress::db::reports;
    use redress::domain::{Scope, ServiceAreaId, UserId};
    use redress::reports::dashboard;
    let mut conn = app.pool.get().unwrap();
    let today = d(2026, 11, 20);
    let rag = redress::rules::RagThresholds { amber_within: 2 };
    let scopes = [
        Scope::All,
        Scope::AssignedOrInAreas {
            user: UserId(3),
            areas: vec![ServiceAreaId(1)],
        },
    ];
    // Open cases, counted one by one: the dashboard groups them by stage and due date.
    {
        use redress::db::schema::cases;
        let open: Vec<(Option<String>, Option<NaiveDate>)> = cases::table
            .filter(cases::status.eq_any(["received", "stage0_open", "stage1_open", "stage2_open"]))
            .select((cases::stage, cases::next_due_on))
            .load(&mut conn)
            .unwrap();
        let shown = dashboard::build(
            &mut conn,
            &Scope::All,
            &Default::default(),
            calendar,
            &rag,
            today,
        )
        .unwrap();
        let total: u64 = shown.open.iter().map(|r| r.total()).sum();
        assert_eq!(total, open.len() as u64, "open cases on {}", app.backend);
        let overdue = open
            .iter()
            .filter(|(_, due)| due.is_some_and(|d| d < today))
            .count();
        assert_eq!(shown.overdue, overdue as u64, "overdue on {}", app.backend);
        let at_stage_1 = open
            .iter()
            .filter(|(s, _)| s.as_deref() == Some("stage1"))
            .count();
        let row = shown.open.iter().find(|r| r.stage == "Stage 1").unwrap();
        assert_eq!(row.total(), at_stage_1 as u64, "stage 1 on {}", app.backend);
        // Grouping would hide nothing were every date its case's own.
        let mut pairs = open.clone();
        pairs.sort();
        assert!(
            pairs.windows(2).any(|w| w[0] == w[1]),
            "open cases sharing a stage and a due date"
        );
    }
    for scope in &scopes {
        let shown =
            dashboard::build(&mut conn, scope, &Default::default(), calendar, &rag, today).unwrap();
        let counted =
            reports::count_responses_met(&mut conn, scope, d(2026, 11, 1), today).unwrap();
        let month = (shown.this_month.responded, shown.this_month.within);
        assert_eq!(month, counted, "{scope:?}: this month on {}", app.backend);
        assert!(counted.0 > 0, "{scope:?}: responses this month to compare");
        assert_eq!(shown.trend.len(), 12);
        let mut first = d(2025, 12, 1);
        for month in &shown.trend {
            let last = (first + chrono::Months::new(1))
                .pred_opt()
                .unwrap()
                .min(today);
            let counted = reports::count_responses_met(&mut conn, scope, first, last).unwrap();
            assert_eq!(
                (month.share.responded, month.share.within),
                counted,
                "{scope:?}: {} on {}",
                month.label,
                app.backend
            );
            first = first + chrono::Months::new(1);
        }
    }
}

/// A dashboard's months read from the summary (`months_in_scope`) give the responses and
/// those within timescale that counting the responses in the scope gives, for the whole
/// organisation and for managers' scopes: assigned only, in areas only, and both
/// overlapping (a response assigned to the manager in their area counted once).
fn a_scope_s_months_equal_its_responses(app: &TestApp) {
    use redress::db::{report_summary, reports};
    use redress::domain::{Scope, ServiceAreaId, UserId};
    let mut conn = app.pool.get().unwrap();
    let scopes = [
        Scope::All,
        Scope::AssignedOrInAreas {
            user: UserId(3),
            areas: vec![],
        },
        Scope::AssignedOrInAreas {
            user: UserId(999),
            areas: vec![ServiceAreaId(1), ServiceAreaId(2)],
        },
        Scope::AssignedOrInAreas {
            user: UserId(3),
            areas: vec![ServiceAreaId(1)],
        },
    ];
    let (first, last) = (d(2025, 4, 1), d(2026, 10, 1));
    for scope in &scopes {
        let months = report_summary::months_in_scope(&mut conn, scope, first, last).unwrap();
        let mut month = first;
        let mut responded = 0;
        while month <= last {
            let end = (month + chrono::Months::new(1)).pred_opt().unwrap();
            let counted = reports::count_responses_met(&mut conn, scope, month, end).unwrap();
            let summed = months.get(&month).copied().unwrap_or_default();
            assert_eq!(
                (summed.responded, summed.within),
                counted,
                "{scope:?} in {month} on {}",
                app.backend
            );
            responded += counted.0;
            month = month + chrono::Months::new(1);
        }
        assert!(responded > 0, "{scope:?}: responses to compare");
    }
}
