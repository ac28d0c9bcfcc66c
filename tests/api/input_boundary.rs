//! The input boundary (issue 17): control characters and lengths at the form boundary,
//! unknown ids in selects, CSV cells that a spreadsheet would run, and uploaded file names.
//! Each test here failed before its fix.

use chrono::{Datelike, Duration};
use diesel::prelude::*;
use redress::db::schema::cases;
use redress::domain::Role;

use crate::helpers::{for_each_backend, make_category, TestApp};
use crate::triage::{act, log_case, today};

async fn post_owned(app: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, &borrowed).await
}

fn public_complaint(description: &str) -> Vec<(String, String)> {
    let occurred = today() - Duration::days(3);
    vec![
        ("complainant_name".into(), "Pat\u{0}Resident".into()),
        ("email".into(), "pat@example.org".into()),
        ("tenancy_relationship".into(), "tenant".into()),
        ("description".into(), description.into()),
        ("occurred_day".into(), occurred.day().to_string()),
        ("occurred_month".into(), occurred.month().to_string()),
        ("occurred_year".into(), occurred.year().to_string()),
    ]
}

// ---- Finding 4: control characters and lengths ------------------------------------------

#[tokio::test]
async fn a_nul_in_the_work_list_search_is_ignored_not_a_server_error() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today(), &[]).await;
        for query in [
            "q=abc%00",
            "q=%00",
            "q=Jo%00Bloggs",
            "q=%1B%5B31m",
            "q=abc%00&page=2",
        ] {
            let response = officer.get(&format!("/cases?list=all&{query}")).await;
            assert_eq!(response.status(), 200, "{query} on {}", app.backend);
        }
        let found = officer.get_html("/cases?list=all&q=Blo%00ggs").await;
        assert!(
            found.contains(&reference),
            "the NUL is removed, so the name is still found on {}",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn control_characters_are_removed_from_posted_text_and_lines_kept() {
    for_each_backend(|app| async move {
        let response = post_owned(
            &app,
            "/complain",
            &public_complaint("Line one\u{0}\u{7}\r\nLine\ttwo\u{1b}[31m"),
        )
        .await;
        assert_eq!(response.status(), 200, "stored on {}", app.backend);
        let (description,): (String,) = cases::table
            .select((cases::description,))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(description, "Line one\r\nLine\ttwo[31m");
        let names: Vec<String> = redress::db::schema::complainants::table
            .select(redress::db::schema::complainants::name)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(names, vec!["PatResident".to_string()]);
    })
    .await;
}

#[tokio::test]
async fn an_exclusion_explanation_over_the_limit_is_an_error_beside_the_field() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today(), &[]).await;
        let long = "x".repeat(100 * 1024);
        let day = today();
        let (d, m, y) = (
            day.day().to_string(),
            day.month().to_string(),
            day.year().to_string(),
        );
        let response = act(
            &officer,
            &reference,
            "triage",
            &[
                ("decision", "excluded"),
                ("exclusion_reasons", "legal_proceedings"),
                ("exclusion_explanation", &long),
                ("decline_sent_day", &d),
                ("decline_sent_month", &m),
                ("decline_sent_year", &y),
                ("decline_method", "letter"),
            ],
        )
        .await;
        assert_eq!(response.status(), 400, "{}", app.backend);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("must be 10,000 characters or fewer"),
            "{}",
            app.backend
        );
        assert!(
            page.contains("id=\"exclusion-explanation-error\""),
            "{page}"
        );
        let status: String = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::status)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(status, "received", "nothing saved");
    })
    .await;
}

// ---- Finding 7: CSV cells a spreadsheet would run ---------------------------------------

#[tokio::test]
async fn formula_like_names_are_exported_as_text_and_figures_stay_numbers() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        for name in ["=HYPERLINK(\"x\")", "@SUM(A1)"] {
            let category = make_category(&app, name).to_string();
            let reference = log_case(&officer, today(), &[("category_id", &category)]).await;
            let triaged = act(&officer, &reference, "triage", &[("decision", "stage1")]).await;
            assert_eq!(triaged.status(), 303);
        }
        let (from, to) = (today() - Duration::days(30), today());
        let body = officer
            .get_html(&format!("/reports/performance.csv?from={from}&to={to}"))
            .await;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(body.as_bytes());
        let by_category: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .filter(|r: &Vec<String>| r[0] == "Category")
            .collect();
        let labels: Vec<&str> = by_category.iter().map(|r| r[1].as_str()).collect();
        assert!(
            labels.contains(&"'=HYPERLINK(\"x\")") && labels.contains(&"'@SUM(A1)"),
            "{labels:?} on {}",
            app.backend
        );
        assert!(
            !body.lines().any(|line| line
                .split(',')
                .any(|cell| cell.trim_start_matches('"').starts_with(['=', '@', '+']))),
            "no cell starts with a formula character: {body}"
        );
        let received: Vec<&str> = by_category.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(received, vec!["1", "1", "2"], "figures stay plain numbers");
    })
    .await;
}

// ---- Finding 3: unknown ids in selects ---------------------------------------------------

#[tokio::test]
async fn unknown_ids_in_selects_are_errors_beside_the_select_not_server_errors() {
    for_each_backend(|app| async move {
        let t = crate::triage::team(&app).await;
        let officer = &t.officer;
        let reference = log_case(officer, today(), &[]).await;
        let events = || -> i64 {
            redress::db::schema::case_events::table
                .count()
                .get_result(&mut app.conn())
                .unwrap()
        };
        let before = events();
        for (field, id) in [("category_id", "category"), ("contractor_id", "contractor")] {
            let response = act(
                officer,
                &reference,
                "triage",
                &[("decision", "stage1"), (field, "999999")],
            )
            .await;
            assert_eq!(response.status(), 400, "triage {field} on {}", app.backend);
            let page = response.text().await.unwrap();
            assert!(page.contains(&format!("id=\"{id}-error\"")), "{page}");
            assert!(page.contains("from the list"), "{page}");
        }
        assert_eq!(events(), before, "nothing written");

        let d = today();
        let mut fields: Vec<(String, String)> = [
            ("complainant_name", "Jo Bloggs"),
            ("email", "jo@example.org"),
            ("tenancy_relationship", "tenant"),
            ("channel", "phone"),
            ("description", "Repair not done"),
            ("contractor_id", "999999"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for prefix in ["received", "occurred"] {
            fields.push((format!("{prefix}_day"), d.day().to_string()));
            fields.push((format!("{prefix}_month"), d.month().to_string()));
            fields.push((format!("{prefix}_year"), d.year().to_string()));
        }
        let response = post_owned(officer, "/cases", &fields).await;
        assert_eq!(response.status(), 400, "logging on {}", app.backend);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"contractor-error\""), "{page}");
        assert!(page.contains("value=\"Jo Bloggs\""), "typed values kept");

        let stage1 = crate::investigation::stage1_case(&app, &t, today(), today()).await;
        let response = act(
            &t.manager_client,
            &stage1,
            "decision",
            &[
                ("outcome", "upheld"),
                ("summary", "Our decision."),
                ("finding_1", "upheld"),
                ("reasons_1", "Reasons"),
                ("finding_2", "upheld"),
                ("reasons_2", "Reasons"),
                ("remedy_kind_1", "apology"),
                ("remedy_description_1", "We are sorry"),
                ("remedy_owner_1", "999999"),
            ],
        )
        .await;
        assert_eq!(response.status(), 400, "decision on {}", app.backend);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"remedy-1-owner-error\""), "{page}");
    })
    .await;
}

#[tokio::test]
async fn long_reasons_and_decision_texts_are_errors_beside_their_fields() {
    for_each_backend(|app| async move {
        let t = crate::triage::team(&app).await;
        let reference = crate::investigation::stage1_case(&app, &t, today(), today()).await;
        let long = "x".repeat(100 * 1024);
        // A withdrawal's reason.
        let withdrawn = act(
            &t.officer,
            &reference,
            "withdraw",
            &[("choice", "resident"), ("reason", &long)],
        )
        .await;
        assert_eq!(withdrawn.status(), 400, "{}", app.backend);
        let page = withdrawn.text().await.unwrap();
        assert!(page.contains("The reason must be 10,000 characters or fewer"));
        let status: redress::domain::Status = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::status)
            .first(&mut app.conn())
            .unwrap();
        assert!(status.is_open(), "nothing was withdrawn");
        // The decision's summary and lesson, as the manager drafts it.
        let drafted = act(
            &t.manager_client,
            &reference,
            "decision",
            &[("summary", &long), ("lesson", &long)],
        )
        .await;
        assert_eq!(drafted.status(), 400, "{}", app.backend);
        let page = drafted.text().await.unwrap();
        assert!(page.contains("The summary must be 10,000 characters or fewer"));
        assert!(page.contains("The lesson learned must be 10,000 characters or fewer"));
    })
    .await;
}

#[tokio::test]
async fn a_decline_letters_explanation_over_the_limit_is_an_error_beside_the_field() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today(), &[]).await;
        let editor = crate::letters::open(&officer, &reference, "decline").await;
        let long = "x".repeat(100 * 1024);
        let saved = crate::letters::post(
            &officer,
            &reference,
            "decline",
            &editor,
            "save",
            &[("exclusion_explanation", &long)],
        )
        .await;
        let page = saved.text().await.unwrap();
        assert!(
            page.contains("The explanation must be 10,000 characters or fewer"),
            "{}",
            app.backend
        );
    })
    .await;
}
