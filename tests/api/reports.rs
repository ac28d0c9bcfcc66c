//! Reports (issue 10) through HTTP on both backends: cases built through the forms with known
//! dates, and every figure compared with numbers worked out here by hand from those dates —
//! year boundaries (31 March / 1 April), a case received in one year and answered in the
//! next, extensions within and beyond the Code's cap, CH02 against the Code for a landlord on
//! another profile; the CSV against the HTML tables; who may see reports; the CLI's JSON.
//! A seeded data set is checked against counts taken from the case timelines in plain Rust.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use redress::db::case_events::CaseEventRow;
use redress::db::schema::{case_events, cases};
use redress::domain::case::ClosureReason;
use redress::domain::{CaseEvent, CaseState, Role};

use crate::helpers::{backends, spawn_app_with, Backend, TestApp, PASSWORD};
use crate::triage::{
    act, act_owned, date_fields, log_case, team, with_copy, Team, ACK1, ACK2, RESPOND1, RESPOND2,
};

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn decision(points: usize, outcome: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("outcome".to_string(), outcome.to_string()),
        ("summary".to_string(), "Our decision.".to_string()),
    ];
    for n in 1..=points {
        fields.push((format!("finding_{n}"), "upheld".to_string()));
        fields.push((format!("reasons_{n}"), format!("Reasons for point {n}")));
    }
    fields
}

fn send_fields(on: NaiveDate) -> Vec<(String, String)> {
    let mut fields = vec![("method".to_string(), "email".to_string())];
    fields.extend(date_fields("sent", on));
    with_copy(&fields)
}

fn extension(length: u32, granted: NaiveDate, past_cap: bool) -> Vec<(String, String)> {
    let mut fields = vec![
        ("length".to_string(), length.to_string()),
        ("reason".to_string(), "interviews_needed".to_string()),
        ("notified_method".to_string(), "email".to_string()),
    ];
    fields.extend(date_fields("granted", granted));
    fields.extend(date_fields("notified", granted));
    if past_cap {
        fields.push(("past_cap_approved".into(), "true".into()));
        fields.push(("resident_agreed".into(), "true".into()));
    }
    fields
}

/// A stage 1 case received and acknowledged on the given days, assigned to the team's manager.
pub(crate) async fn stage1(t: &Team, received: NaiveDate, acknowledged: NaiveDate) -> String {
    stage1_of(t, received, acknowledged, &[]).await
}

/// [`stage1`] with fields of the logging form replaced (`extra`, as in `log_case`).
async fn stage1_of(
    t: &Team,
    received: NaiveDate,
    acknowledged: NaiveDate,
    extra: &[(&str, &str)],
) -> String {
    let reference = log_case(&t.officer, received, extra).await;
    let ok = |s: reqwest::StatusCode, what: &str| assert_eq!(s, 303, "{what} {reference}");
    ok(
        act(&t.officer, &reference, "triage", &[("decision", "stage1")])
            .await
            .status(),
        "triage",
    );
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    ok(
        act(
            &t.officer,
            &reference,
            "assign",
            &[("service_area", &area), ("manager", &manager)],
        )
        .await
        .status(),
        "assign",
    );
    let mut fields = vec![
        ("method".to_string(), "letter".to_string()),
        (
            "points".to_string(),
            "Repair not done\nRude phone call".to_string(),
        ),
    ];
    fields.extend(date_fields("sent", acknowledged));
    ok(
        act_owned(&t.officer, &reference, ACK1, &with_copy(&fields))
            .await
            .status(),
        "acknowledge",
    );
    reference
}

/// The assigned manager decides and sends the decision on `on` (recorded as sent
/// elsewhere, in the response letter of the stage the case is at).
pub(crate) async fn respond(
    client: &TestApp,
    reference: &str,
    points: usize,
    outcome: &str,
    on: NaiveDate,
) {
    let stage: Option<String> = cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::stage)
        .first(&mut client.conn())
        .unwrap();
    let route = if stage.as_deref() == Some("stage2") {
        RESPOND2
    } else {
        RESPOND1
    };
    assert_eq!(
        act_owned(client, reference, "decision", &decision(points, outcome))
            .await
            .status(),
        303,
        "draft {reference}"
    );
    let sent = act_owned(client, reference, route, &send_fields(on)).await;
    let status = sent.status();
    assert_eq!(
        status,
        303,
        "send {reference}: {}",
        sent.text().await.unwrap_or_default()
    );
}

async fn director(app: &TestApp, t: &Team) -> (String, TestApp) {
    let (id, client) = crate::triage::area_director_and_id(app, t).await;
    (id.to_string(), client)
}

fn homes(settings: &mut redress::config::Settings) {
    settings.reports.homes.insert("2024".into(), 2000);
    settings.reports.homes.insert("2025".into(), 2000);
}

/// The cells of every `<table id="table-…">` on the page: `(breakdown, [row label, cells…])`.
/// A breakdown is shown as two tables side by side in the columns' order (timeliness, then
/// outcomes); a row's cells from both are joined.
pub(crate) fn html_tables(html: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for chunk in html
        .split("<table class=\"govuk-table app-report-table\"")
        .skip(1)
    {
        let table = &chunk[..chunk.find("</table>").unwrap()];
        let breakdown = {
            let marker = "data-breakdown=\"";
            let start = table.find(marker).unwrap() + marker.len();
            table[start..start + table[start..].find('"').unwrap()].to_string()
        };
        let body = &table[table.find("<tbody").unwrap()..];
        for row in body.split("<tr").skip(1) {
            let mut cells = vec![breakdown.clone()];
            for cell in row.split("</t").take_while(|_| true) {
                if let Some(open) = cell.rfind("<th").or_else(|| cell.rfind("<td")) {
                    let inner = &cell[open..];
                    let text_start = inner.find('>').unwrap() + 1;
                    let text = strip_tags(&inner[text_start..]);
                    cells.push(text);
                }
            }
            match out
                .iter_mut()
                .find(|seen| seen[..2] == cells[..2.min(cells.len())])
            {
                Some(seen) => seen.extend(cells.into_iter().skip(2)),
                None => out.push(cells),
            }
        }
    }
    out
}

pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim()
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

/// The figures of one row of the performance report, by column heading.
pub(crate) fn row<'a>(
    tables: &'a [Vec<String>],
    breakdown: &str,
    label: &str,
) -> BTreeMap<&'a str, &'a str> {
    const HEADINGS: [&str; 13] = redress::reports::performance::COLUMNS;
    let cells = tables
        .iter()
        .find(|r| r[0] == breakdown && r[1] == label)
        .unwrap_or_else(|| panic!("no row {breakdown} / {label} in {tables:?}"));
    HEADINGS
        .iter()
        .zip(cells[2..].iter())
        .map(|(h, c)| (*h, c.as_str()))
        .collect()
}

/// The TSM table's rows: stage, received, CH01, responses, within, CH02.
fn tsm_cells(html: &str) -> Vec<Vec<String>> {
    tsm_table_cells(html, "tsm")
}

/// The cells of the TSM table with this id, row by row.
fn tsm_table_cells(html: &str, id: &str) -> Vec<Vec<String>> {
    let table = &html[html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("a table {id}"))..];
    let table = &table[..table.find("</table>").unwrap()];
    let body = &table[table.find("<tbody").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|r| {
            let r = &r[..r.find("</tr>").unwrap_or(r.len())];
            r.split("</t")
                .filter_map(|c| c.rfind('>').map(|i| strip_tags(&c[i + 1..])))
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn tsm_and_performance_figures_match_cases_with_known_dates() {
    // Settings differ per test (homes, policy), so each backend's app is started here.
    for backend in backends() {
        // Homes owned for 2025-26 only: 2024-25 shows what it can without them.
        let app = spawn_app_with(backend, |s| {
            s.reports.homes.insert("2025".into(), 2000);
        })
        .await;
        let t = team(&app).await;
        let (dana, dana_client) = director(&app, &t).await;

        // A: received 31 March 2025 (2024-25), answered in time 8 April (2025-26), then
        // escalated 10 April 2025 and answered at stage 2 on 1 May 2025, in time.
        let a = stage1(&t, d(2025, 3, 31), d(2025, 4, 1)).await;
        respond(&t.manager_client, &a, 2, "not_upheld", d(2025, 4, 8)).await;
        let mut escalate = vec![
            ("choice".to_string(), "escalate".to_string()),
            ("reason".to_string(), "Still not fixed".to_string()),
        ];
        escalate.extend(date_fields("on", d(2025, 4, 10)));
        assert_eq!(
            act_owned(&t.officer, &a, "escalate", &escalate)
                .await
                .status(),
            303
        );
        let mut ack2 = vec![
            ("method".to_string(), "email".to_string()),
            (
                "points".to_string(),
                "1. Repair not done\n2. Rude phone call".to_string(),
            ),
        ];
        ack2.extend(date_fields("sent", d(2025, 4, 11)));
        assert_eq!(
            act_owned(&t.officer, &a, ACK2, &with_copy(&ack2))
                .await
                .status(),
            303
        );
        let area = t.area.to_string();
        assert_eq!(
            act(
                &t.officer,
                &a,
                "assign",
                &[("service_area", &area), ("manager", &dana)]
            )
            .await
            .status(),
            303
        );
        respond(&dana_client, &a, 2, "upheld", d(2025, 5, 1)).await;

        // B: received 1 April 2025, acknowledged the same day: due 15 April; sent 30 April,
        // 9 working days late (Good Friday 18 and Easter Monday 21 April skipped).
        let b = stage1(&t, d(2025, 4, 1), d(2025, 4, 1)).await;
        respond(&t.manager_client, &b, 2, "upheld", d(2025, 4, 30)).await;

        // C: received 31 March 2026 (2025-26), answered 1 April 2026 (2026-27).
        let c = stage1(&t, d(2026, 3, 31), d(2026, 3, 31)).await;
        respond(&t.manager_client, &c, 2, "partly_upheld", d(2026, 4, 1)).await;

        // D: due 16 June 2025, extended on that day by 5 working days (within the cap) to
        // 23 June, sent 20 June: within, for the profile and the Code.
        let dd = stage1(&t, d(2025, 6, 2), d(2025, 6, 2)).await;
        assert_eq!(
            act_owned(
                &t.officer,
                &dd,
                "extend",
                &extension(5, d(2025, 6, 16), false)
            )
            .await
            .status(),
            303
        );
        respond(&t.manager_client, &dd, 2, "partly_upheld", d(2025, 6, 20)).await;

        // E: due 15 July 2025, extended past the cap (15 working days, director-approved) to
        // 5 August; sent 31 July: within for the landlord, late against the Code's cap.
        let e = stage1(&t, d(2025, 7, 1), d(2025, 7, 1)).await;
        assert_eq!(
            act_owned(
                &dana_client,
                &e,
                "extend",
                &extension(15, d(2025, 7, 15), true)
            )
            .await
            .status(),
            303
        );
        respond(&t.manager_client, &e, 2, "not_upheld", d(2025, 7, 31)).await;

        // A complaint awaiting triage is not yet at a stage: in no count.
        let _untriaged = log_case(&t.officer, d(2025, 5, 5), &[]).await;

        // TSM 2025-26, worked out from the dates above:
        // stage 1 received: B, C, D, E (A was received in 2024-25) = 4 → 4 / 2000 × 1000 = 2.0
        // stage 1 responses: A, B, D, E = 4; within the Code: A, D = 2 → 50.0%
        // stage 2 received: A (escalated 10 April 2025) = 1 → 0.5; responses 1, within 1.
        let tsm = t.officer.get_html("/reports/tsm?year=2025").await;
        let cells = tsm_cells(&tsm);
        assert_eq!(
            cells[0],
            ["Stage 1", "4", "2.0", "4", "2", "50.0"],
            "{} {tsm}",
            app.backend
        );
        assert_eq!(cells[1], ["Stage 2", "1", "0.5", "1", "1", "100.0"]);
        assert!(tsm.contains("CH01: the number of stage 1 complaints"));
        assert!(tsm.contains("CH02: of the stage 1 responses"));
        // 2024-25: A only, received 31 March 2025; no homes owned configured, so every
        // figure but CH01, and no configuration key shown to an officer.
        let page = t.officer.get_html("/reports/tsm?year=2024").await;
        let before = tsm_cells(&page);
        assert_eq!(
            before[0],
            [
                "Stage 1",
                "1",
                "Homes owned not set",
                "0",
                "0",
                "No responses"
            ],
            "{before:?}"
        );
        assert!(page.contains("id=\"homes-missing\""), "{page}");
        assert!(!page.contains("reports.homes"), "{page}");
        assert!(
            !page.contains("id=\"stage0-volume\""),
            "no stage 0 under hoc-2024"
        );

        // Performance 2025-26 against the case's own profile (hoc-2024 here): E is within.
        let html = t.officer.get_html("/reports/performance?year=2025").await;
        let tables = html_tables(&html);
        let s1 = row(&tables, "Stage", "Stage 1");
        assert_eq!(s1["Received"], "4");
        assert_eq!(s1["Responded"], "4");
        assert_eq!(s1["Within timescale"], "3");
        assert_eq!(s1["Within timescale (%)"], "75.0");
        assert_eq!(s1["Late"], "1");
        assert_eq!(s1["Average working days late"], "9.0");
        assert_eq!(s1["Extended"], "2");
        assert_eq!(s1["Upheld"], "1");
        assert_eq!(s1["Partly upheld"], "1");
        assert_eq!(s1["Not upheld"], "2");
        // Working days from stage start (receipt) to response: A 6 (31 Mar → 8 Apr),
        // B 19 (1 → 30 Apr, two holidays), D 14 (2 → 20 Jun), E 22 (1 → 31 Jul) = 61 / 4,
        // 15.25, rounded half away from zero.
        assert_eq!(s1["Average working days to respond"], "15.3");
        let s2 = row(&tables, "Stage", "Stage 2");
        assert_eq!(
            (s2["Received"], s2["Responded"], s2["Within timescale"]),
            ("1", "1", "1")
        );
        let april = row(&tables, "Month", "April 2025");
        // Received in April: B (stage 1) and A's escalation; responses: A's stage 1, B.
        assert_eq!((april["Received"], april["Responded"]), ("2", "2"));
        let march = row(&tables, "Month", "March 2026");
        assert_eq!((march["Received"], march["Responded"]), ("1", "0"));
        let phone = row(&tables, "Channel", "Phone");
        assert_eq!((phone["Received"], phone["Responded"]), ("5", "5"));
        let repairs = row(&tables, "Service area", "Repairs");
        assert_eq!(repairs["Responded"], "5");
        assert!(html.contains("role=\"img\"") && html.contains("<title id=\"chart-month-title\">"));

        // The CSV holds the same rows as the HTML tables.
        let csv = t.officer.get("/reports/performance.csv?year=2025").await;
        assert_eq!(csv.status(), 200);
        assert!(csv
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let body = csv.text().await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(body.as_bytes());
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .filter(|r: &Vec<String>| r[0] != "Compensation paid")
            // The CSV's last column, the amount in pence, is for spreadsheets; pages show
            // the amount in pounds only (issue 19: no pence on pages).
            .map(|mut r: Vec<String>| {
                r.pop();
                r
            })
            .collect();
        assert_eq!(records, tables, "CSV and HTML differ");
        assert!(!html.contains("pence"), "pages show pounds only");

        // A date range: April 2025 only.
        let april_only = t
            .officer
            .get_html("/reports/performance?from=2025-04-01&to=2025-04-30")
            .await;
        let april_tables = html_tables(&april_only);
        let total = row(&april_tables, "Stage", "Total");
        assert_eq!((total["Received"], total["Responded"]), ("2", "2"));

        // The CLI prints the same figures (SQLite: the binary reads the same file).
        if app.backend == "sqlite" {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
                .args(["report", "tsm", "--year", "2025"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("DATABASE_URL", &app.settings.database.url)
                .env("REDRESS_REPORTS__HOMES__2025", "2000")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                stdout.trim(),
                r#"{"year":"2025-26","homes":2000,"stage1":{"received":4,"responded":4,"within_timescale":2,"ch01_per_1000":2.0,"ch02_percent":50.0},"stage2":{"received":1,"responded":1,"within_timescale":1,"ch01_per_1000":0.5,"ch02_percent":100.0}}"#
            );
            let missing = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
                .args(["report", "tsm", "--year", "2023"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("DATABASE_URL", &app.settings.database.url)
                .output()
                .unwrap();
            assert_eq!(missing.status.code(), Some(2));
            assert!(missing.stdout.is_empty());
            assert!(String::from_utf8_lossy(&missing.stderr).contains("reports.homes.2023"));
        }

        // Evidence pack, annual report, learning register and contractors all render.
        for path in [
            "/reports/evidence?year=2025",
            "/reports/annual?year=2025",
            "/reports/learning?year=2025",
            "/reports/contractors?year=2025",
            "/reports",
        ] {
            let page = t.officer.get(path).await;
            assert_eq!(page.status(), 200, "{path}");
        }
        // The contractor report is built alone (one breakdown) but shows exactly the
        // performance report's contractor table.
        let contractor_table = |html: &str| {
            let start = html.find("By contractor").expect("a contractor table");
            let end = start + html[start..].find("</table>").expect("its end");
            html[start..end].to_string()
        };
        let whole = t.officer.get_html("/reports/performance?year=2025").await;
        let alone = t.officer.get_html("/reports/contractors?year=2025").await;
        assert_eq!(contractor_table(&alone), contractor_table(&whole));
        assert!(!alone.contains("By service area"));
        let evidence = t.officer.get_html("/reports/evidence?year=2025").await;
        assert!(evidence.contains(&b), "late sample lists B: {evidence}");
        assert!(evidence.contains("CH02: 50.0% of stage 1"));
    }
}

#[tokio::test]
async fn ch02_is_measured_against_the_code_for_a_landlord_on_another_profile() {
    // Settings differ per test (homes, policy), so each backend's app is started here.
    for backend in backends() {
        // housing-customer-feedback: stage 1 response 10 working days from receipt; the
        // Code: 10 working days from acknowledgement.
        let app = spawn_app_with(backend, |s| {
            homes(s);
            s.rules.policy = "housing-customer-feedback".into();
        })
        .await;
        let t = team(&app).await;
        // Received Mon 1 Sept 2025, acknowledged Fri 5 Sept, sent Wed 17 Sept: the landlord's
        // due date is 15 Sept (2 working days late); the Code's is 19 Sept (within).
        let g = stage1(&t, d(2025, 9, 1), d(2025, 9, 5)).await;
        respond(&t.manager_client, &g, 2, "upheld", d(2025, 9, 17)).await;
        let tsm = t.officer.get_html("/reports/tsm?year=2025").await;
        assert!(tsm.contains(">100.0<"), "{tsm}");
        let tables = html_tables(&t.officer.get_html("/reports/performance?year=2025").await);
        let s1 = row(&tables, "Stage", "Stage 1");
        assert_eq!(
            (
                s1["Within timescale"],
                s1["Late"],
                s1["Average working days late"]
            ),
            ("0", "1", "2.0")
        );
    }
}

#[tokio::test]
async fn officers_and_directors_see_reports_managers_and_admins_do_not() {
    let app = spawn_app_with(Backend::Sqlite, homes).await;
    let t = team(&app).await;
    let (_, director) = director(&app, &t).await;
    let admin = app.signed_in_as(Role::Admin).await;
    for path in [
        "/reports",
        "/reports/performance?year=2025",
        "/reports/performance.csv?year=2025",
        "/reports/contractors?year=2025",
        "/reports/tsm?year=2025",
        "/reports/learning?year=2025",
        "/reports/annual?year=2025",
        "/reports/evidence?year=2025",
    ] {
        assert_eq!(t.officer.get(path).await.status(), 200, "officer {path}");
        assert_eq!(director.get(path).await.status(), 200, "director {path}");
        assert_eq!(
            t.manager_client.get(path).await.status(),
            403,
            "manager {path}"
        );
        assert_eq!(admin.get(path).await.status(), 403, "admin {path}");
        let anonymous = app.with_new_client();
        assert_ne!(anonymous.get(path).await.status(), 200, "anonymous {path}");
    }
    // Bad input is a page saying what is wrong, never a 500.
    for bad in [
        "/reports/performance?year=twenty",
        "/reports/performance?from=2025-13-01&to=2025-12-01",
        "/reports/performance?from=2025-06-01&to=2025-05-01",
        "/reports/tsm?year=1066",
    ] {
        assert_eq!(t.officer.get(bad).await.status(), 400, "{bad}");
    }
    // Without the year's homes owned the TSM page still shows its table.
    let missing = t.officer.get_html("/reports/tsm?year=2023").await;
    assert!(missing.contains("id=\"tsm\""), "{missing}");
    assert!(missing.contains("id=\"homes-missing\""), "{missing}");
    // Navigation offers reports to those who may see them.
    assert!(t.officer.get_html("/").await.contains("href=\"/reports\""));
    assert!(!t
        .manager_client
        .get_html("/")
        .await
        .contains("href=\"/reports\""));
}

#[tokio::test]
async fn the_dashboard_counts_what_each_role_may_see() {
    // Settings differ per test (homes, policy), so each backend's app is started here.
    for backend in backends() {
        let app = spawn_app_with(backend, homes).await;
        let t = team(&app).await;
        let today = crate::triage::today();
        // Two open stage 1 cases in Mia's area: one overdue (received 60 days ago), one new.
        let old = stage1(
            &t,
            today - chrono::Duration::days(60),
            today - chrono::Duration::days(59),
        )
        .await;
        let new = stage1(&t, today, today).await;
        // One awaiting triage, in no area.
        let untriaged = log_case(&t.officer, today, &[]).await;
        let officer = t.officer.get_html("/").await;
        let open = |html: &str, stage: &str| -> Vec<String> {
            let start = html.find(&format!(">{stage}</th>")).unwrap();
            let row = &html[start..start + html[start..].find("</tr>").unwrap()];
            row.split("</td>")
                // A figure may be a link to its list (issue 24).
                .map(|c| c.trim_end().trim_end_matches("</a>"))
                .filter_map(|c| c.rfind('>').map(|i| c[i + 1..].to_string()))
                .filter(|c| !c.is_empty())
                .collect()
        };
        // Red, amber, green, no deadline, open.
        let s1 = open(&officer, "Stage 1");
        assert_eq!(s1[0], "1", "{old} overdue: {officer}");
        assert_eq!(s1[4], "2");
        assert_eq!(open(&officer, "Awaiting triage")[4], "1");
        assert!(officer.contains("id=\"overdue\">1<"), "{officer}");
        // Nothing sent yet this month: a count, not a share of nothing.
        assert!(
            officer.contains("id=\"month-share\">0</span> responses sent this month"),
            "{officer}"
        );
        // Mia sees her area's cases but not the untriaged one.
        let mia = t.manager_client.get_html("/").await;
        assert_eq!(open(&mia, "Stage 1")[4], "2");
        assert_eq!(open(&mia, "Awaiting triage")[4], "0");
        // A manager elsewhere sees none of them.
        let other_area = crate::helpers::make_area(&app, "Estates", "EST");
        app.create_user(
            "nia@example.org",
            "Nia Manager",
            Role::Manager,
            &[other_area],
        );
        let nia = app.with_new_client();
        nia.sign_in("nia@example.org", PASSWORD).await;
        let nia_home = nia.get_html("/").await;
        assert_eq!(open(&nia_home, "Stage 1")[4], "0");
        // The trend chart is an accessible image beside its table.
        assert!(officer.contains("role=\"img\"") && officer.contains("id=\"trend\""));
        // Letters owed: each open stage owes one letter (its acknowledgement until recorded,
        // then its response): the two acknowledged stage 1 cases owe their responses, the
        // untriaged case nothing. Triaged to stage 1, it owes its acknowledgement letter,
        // which the officer sees and the area's manager does not (it is in no area yet).
        let owed = |html: &str| -> String {
            let start = html
                .find("id=\"letters-owed\"")
                .expect("letters owed figure");
            let from = start + html[start..].find("<strong>").unwrap() + "<strong>".len();
            html[from..from + html[from..].find("</strong>").unwrap()].to_string()
        };
        assert_eq!(owed(&officer), "2");
        assert_eq!(owed(&mia), "2");
        act(&t.officer, &untriaged, "triage", &[("decision", "stage1")]).await;
        assert_eq!(owed(&t.officer.get_html("/").await), "3");
        assert_eq!(owed(&t.manager_client.get_html("/").await), "2");
        assert_eq!(owed(&nia_home), "0");
        // One response sent today, within its timescale: this month's share of one.
        respond(&t.manager_client, &new, 2, "upheld", today).await;
        let officer = t.officer.get_html("/").await;
        assert!(
            officer.contains(
                "id=\"month-share\">100.0%</span> of this month's 1 response within timescale"
            ),
            "{officer}"
        );
        // Admins get no dashboard.
        let admin = app.signed_in_as(Role::Admin).await;
        assert!(!admin.get_html("/").await.contains("open-by-stage"));
    }
}

#[tokio::test]
async fn a_seeded_year_matches_counts_taken_from_the_timelines() {
    // Settings differ per test (homes, policy), so each backend's app is started here.
    for backend in backends() {
        let app = spawn_app_with(backend, homes).await;
        let (calendar, policies) = redress::startup::load_rules(&app.settings).unwrap();
        let today = d(2026, 11, 20);
        redress::seed::seed_demo(
            &mut app.pool.get().unwrap(),
            &calendar,
            policies.get("hoc-2024").unwrap(),
            &redress::seed::SeedOptions {
                cases: 600,
                seed: 3,
                today,
            },
            &mut |_, _| {},
        )
        .unwrap();
        // Plain Rust over the timelines: responses (Response events) per stage sent in
        // 2025-26, and complaints entering stage 1 / stage 2 in the year.
        let mut conn = app.conn();
        let events: Vec<CaseEventRow> = case_events::table
            .order(case_events::id)
            .select(CaseEventRow::as_select())
            .load(&mut conn)
            .unwrap();
        let duplicates: Vec<i32> = cases::table
            .filter(cases::duplicate_of_id.is_not_null())
            .select(cases::id)
            .load::<redress::domain::CaseId>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|c| c.0)
            .collect();
        let year = |day: NaiveDate| day >= d(2025, 4, 1) && day <= d(2026, 3, 31);
        let mut by_case: BTreeMap<i32, Vec<CaseEvent>> = BTreeMap::new();
        for e in &events {
            by_case
                .entry(e.case_id.0)
                .or_default()
                .push(e.event().unwrap());
        }
        let mut responded: BTreeMap<&str, u64> = BTreeMap::new();
        let mut received: BTreeMap<&str, u64> = BTreeMap::new();
        let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
        for (id, timeline) in &by_case {
            // A response is a Response event (a decision sent here) or a closure recording
            // that the stage's response was sent (as the demo timelines do); its stage is
            // the stage the case was at just before.
            for (i, event) in timeline.iter().enumerate() {
                let sent = match event {
                    CaseEvent::Response { on, .. } => Some(*on),
                    CaseEvent::Closure {
                        on,
                        reason: ClosureReason::Responded,
                        ..
                    } => Some(*on),
                    _ => None,
                };
                if let Some(on) = sent.filter(|on| year(*on)) {
                    let before = CaseState::replay(timeline[..i].iter()).unwrap();
                    *responded.entry(before.stage.unwrap().key()).or_default() += 1;
                    *months.entry((on.year(), on.month())).or_default() += 1;
                }
            }
            let last = CaseState::replay(timeline.iter()).unwrap();
            if duplicates.contains(id) {
                continue;
            }
            match last.stage {
                Some(redress::rules::Stage::Stage2) => {
                    if year(last.escalation_requested.unwrap()) {
                        *received.entry("stage2").or_default() += 1;
                    }
                    if year(last.received) {
                        *received.entry("stage1").or_default() += 1;
                    }
                }
                Some(redress::rules::Stage::Stage1)
                    if year(last.moved_to_stage1.unwrap_or(last.received)) =>
                {
                    *received.entry("stage1").or_default() += 1;
                }
                _ => {}
            }
        }
        assert!(responded.values().sum::<u64>() > 50, "{responded:?}");
        let staff = app.signed_in_as(Role::Officer).await;
        let tables = html_tables(&staff.get_html("/reports/performance?year=2025").await);
        for (stage, label) in [("stage1", "Stage 1"), ("stage2", "Stage 2")] {
            let r = row(&tables, "Stage", label);
            assert_eq!(
                r["Responded"],
                responded.get(stage).copied().unwrap_or(0).to_string(),
                "{} {stage} responses",
                app.backend
            );
            assert_eq!(
                r["Received"],
                received.get(stage).copied().unwrap_or(0).to_string(),
                "{} {stage} received",
                app.backend
            );
        }
        for ((y, m), n) in months {
            let label = d(y, m, 1).format("%B %Y").to_string();
            assert_eq!(
                row(&tables, "Month", &label)["Responded"],
                n.to_string(),
                "{label}"
            );
        }
    }
}

#[tokio::test]
async fn a_bad_period_is_shown_beside_its_field_with_what_was_typed() {
    crate::helpers::for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        // (page, field with the error, what the field must still hold, part of the message)
        let cases = [
            (
                "/reports/performance?year=abc",
                "year",
                "abc",
                "for example 2025",
            ),
            (
                "/reports/performance?year=1850",
                "year",
                "1850",
                "between 2000 and 2100",
            ),
            (
                "/reports/performance?from=2026-13-01&to=2026-12-31",
                "from",
                "2026-13-01",
                "Enter the start date",
            ),
            (
                "/reports/performance?from=2025-04-01&to=31/03/2026",
                "to",
                "31/03/2026",
                "Enter the end date",
            ),
            (
                "/reports/performance?from=2025-06-01&to=2025-05-01",
                "to",
                "2025-05-01",
                "same as or after the start date",
            ),
            (
                "/reports/contractors?year=abc",
                "year",
                "abc",
                "for example 2025",
            ),
            (
                "/reports/learning?from=2025-06-01&to=2025-05-01",
                "to",
                "2025-05-01",
                "same as or after the start date",
            ),
            ("/reports/tsm?year=abc", "year", "abc", "for example 2025"),
            (
                "/reports/tsm?year=1850",
                "year",
                "1850",
                "between 2000 and 2100",
            ),
            (
                "/reports/annual?year=1850",
                "year",
                "1850",
                "between 2000 and 2100",
            ),
            (
                "/reports/evidence?year=abc",
                "year",
                "abc",
                "for example 2025",
            ),
        ];
        for (path, field, typed, message) in cases {
            let response = officer.get(path).await;
            assert_eq!(response.status(), 400, "{path}");
            let html = response.text().await.unwrap();
            assert!(html.contains("<title>Error: "), "title {path}: {html}");
            assert!(html.contains("govuk-error-summary"), "summary {path}");
            assert!(html.contains(&format!("href=\"#{field}\"")), "link {path}");
            assert!(html.contains("govuk-form-group--error"), "group {path}");
            assert!(
                html.contains(&format!(
                    "<p id=\"{field}-error\" class=\"govuk-error-message\">"
                )),
                "field error {path}: {html}"
            );
            assert!(html.contains(message), "message {path}: {html}");
            assert!(
                html.contains(&format!("id=\"{field}\" name=\"{field}\"")),
                "input {path}"
            );
            assert!(html.contains(&format!("value=\"{typed}\"")), "typed {path}");
            // The report for the current reporting year is still shown, and says so.
            assert!(html.contains("id=\"period-fallback\""), "fallback {path}");
        }
        // Both dates wrong: both reported, each beside its own field, both values kept.
        let html = officer
            .get_html("/reports/performance?year=2025&from=2025-02-30&to=soon")
            .await;
        for (field, typed) in [("from", "2025-02-30"), ("to", "soon")] {
            assert!(html.contains(&format!("href=\"#{field}\"")), "{field}");
            assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
            assert!(html.contains(&format!("value=\"{typed}\"")), "{field}");
        }
        assert!(html.contains("value=\"2025\""), "year kept");
        // A good period has no error markup; the CSV with a bad one is a plain 400.
        let good = officer.get_html("/reports/performance?year=2025").await;
        assert!(!good.contains("govuk-error-summary") && !good.contains("Error: "));
        assert_eq!(
            officer
                .get("/reports/performance.csv?year=abc")
                .await
                .status(),
            400
        );
    })
    .await;
}

/// Stage 0 complaints are shown beside the TSM, never in CH01 (SPEC section 7).
#[tokio::test]
async fn the_tsm_page_shows_stage_0_volumes_apart() {
    for backend in backends() {
        let app = spawn_app_with(backend, |s| s.rules.policy = "south-essex-homes".into()).await;
        let t = team(&app).await;
        let today = crate::triage::today();
        let reference = log_case(&t.officer, today, &[]).await;
        assert_eq!(
            act(&t.officer, &reference, "triage", &[("decision", "stage0")])
                .await
                .status(),
            303
        );
        let year = if today.month() >= 4 {
            today.year()
        } else {
            today.year() - 1
        };
        let page = t
            .officer
            .get_html(&format!("/reports/tsm?year={year}"))
            .await;
        assert!(page.contains("id=\"stage0-volume\""), "{page}");
        assert!(page.contains("<strong>1</strong>"), "{page}");
        let cells = tsm_cells(&page);
        assert_eq!(cells[0][..2], ["Stage 1", "0"], "not in CH01: {cells:?}");
    }
}

/// With homes per tenure configured (and no total homes), the measures are split into LCRA
/// (tenants and licensees) and LCHO (shared owners) from the complainant's tenancy; anyone
/// else is in the totals only; CH02 and the counts show without the total homes, and the
/// page's note about them sends the reader to an administrator without naming settings.
#[tokio::test]
async fn the_tsm_is_split_by_tenure_when_homes_per_tenure_are_configured() {
    for backend in backends() {
        let name = format!("{backend:?}");
        let app = spawn_app_with(backend, |s| {
            s.reports.tenure_homes.insert(
                "2025".into(),
                redress::config::TenureHomes {
                    lcra: 1000,
                    lcho: 500,
                },
            );
        })
        .await;
        let t = team(&app).await;
        let (received, acknowledged) = (d(2025, 6, 2), d(2025, 6, 3));
        let who = |name: &'static str, email: &'static str, tenancy: &'static str| {
            [
                ("complainant_name", name),
                ("email", email),
                ("tenancy_relationship", tenancy),
            ]
        };
        let tenant = stage1_of(
            &t,
            received,
            acknowledged,
            &who("Tia Tenant", "tia@example.org", "tenant"),
        )
        .await;
        stage1_of(
            &t,
            received,
            acknowledged,
            &who("Lee Licensee", "lee@example.org", "licensee"),
        )
        .await;
        stage1_of(
            &t,
            received,
            acknowledged,
            &who("Sam Shared", "sam@example.org", "shared_owner"),
        )
        .await;
        stage1_of(
            &t,
            received,
            acknowledged,
            &who("Lou Lease", "lou@example.org", "leaseholder"),
        )
        .await;
        respond(&t.manager_client, &tenant, 2, "upheld", d(2025, 6, 10)).await;

        let page = t.officer.get_html("/reports/tsm?year=2025").await;
        let all = tsm_cells(&page);
        assert_eq!(
            all[0],
            ["Stage 1", "4", "Homes owned not set", "1", "1", "100.0"],
            "{name} CH02 without the homes owned: {all:?}"
        );
        assert!(page.contains("Ask an administrator"), "{page}");
        assert!(!page.contains("reports.homes"), "no settings names: {page}");
        let lcra = tsm_table_cells(&page, "tsm-lcra");
        assert_eq!(
            lcra[0],
            ["Stage 1", "2", "2.0", "1", "1", "100.0"],
            "{name} LCRA: {lcra:?}"
        );
        let lcho = tsm_table_cells(&page, "tsm-lcho");
        assert_eq!(
            lcho[0],
            ["Stage 1", "1", "2.0", "0", "0", "No responses"],
            "{name} LCHO: {lcho:?}"
        );
        assert!(
            page.contains("in neither tenure: <strong>1</strong>"),
            "{name} the leaseholder: {page}"
        );
        // Without a split for the year there is none on the page.
        let other = t.officer.get_html("/reports/tsm?year=2024").await;
        assert!(!other.contains("id=\"tsm-lcra\""), "{other}");
    }
}
