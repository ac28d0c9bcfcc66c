//! The governing body's pages (issue 26): the Code self-assessment, saved per reporting
//! year and version-checked, and the annual report.

use redress::domain::Role;

use crate::helpers::{for_each_backend, PASSWORD};
use crate::reports::{d, respond, stage1, strip_tags};
use crate::triage::team;

const SA: &str = "/reports/self-assessment";

#[tokio::test]
async fn the_self_assessment_is_saved_and_reloaded_per_year() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let officer = &t.officer;
        let blank = officer.get(&format!("{SA}?year=2025")).await;
        assert_eq!(blank.status(), 200);
        let blank = blank.text().await.unwrap();
        assert!(blank.contains("Complaint Handling Code self-assessment: 2025-26"));
        assert!(blank.contains("not answered yet"), "{blank}");
        // The figures for 6.13 are filled in from the year's cases.
        assert!(blank.contains("Stage 2 responses drafted by someone other than the stage 1 responder"));

        let saved = officer
            .post_form(
                SA,
                &[
                    ("year", "2025"),
                    ("version", "0"),
                    ("compliance-6-3", "partly"),
                    ("commentary-6-3", "Two responses late in March"),
                    ("compliance-1-2", "yes"),
                ],
            )
            .await;
        assert_eq!(saved.status(), 303);
        let page = officer.get_html(&format!("{SA}?year=2025")).await;
        assert!(page.contains("Self-assessment saved"));
        assert!(page.contains("Two responses late in March"));
        assert!(page.contains(r#"id="compliance-6-3-partly" name="compliance-6-3" type="radio" value="partly" checked"#), "{page}");
        assert!(page.contains(r#"name="version" value="1""#));
        assert!(page.contains("1 requirements met, 1 partly met"));
        // Another year is untouched.
        let other = officer.get_html(&format!("{SA}?year=2024")).await;
        assert!(!other.contains("Two responses late in March"));
        assert!(other.contains(r#"name="version" value="0""#));

        // A save from the form opened before the first one: refused, typed answers kept.
        let stale = officer
            .post_form(
                SA,
                &[
                    ("year", "2025"),
                    ("version", "0"),
                    ("compliance-6-3", "no"),
                    ("commentary-6-3", "Typed meanwhile"),
                ],
            )
            .await;
        assert_eq!(stale.status(), 409);
        let stale = stale.text().await.unwrap();
        assert!(stale.contains("Typed meanwhile") && stale.contains("Nothing has been saved"));
        assert!(stale.contains(r#"name="version" value="1""#));
        // An answer that is not yes, partly or no: beside its field, typed text kept.
        let bad = officer
            .post_form(
                SA,
                &[
                    ("year", "2025"),
                    ("version", "1"),
                    ("compliance-6-3", "maybe"),
                    ("commentary-6-3", "Kept"),
                ],
            )
            .await;
        assert_eq!(bad.status(), 400);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("<title>Error: ") && bad.contains(r##"href="#compliance-6-3""##));
        assert!(bad.contains("Kept"));
        assert_eq!(app.audit_count("self_assessment_saved"), 1);
        let page = officer.get_html(&format!("{SA}?year=2025")).await;
        assert!(page.contains("Two responses late in March") && !page.contains("Typed meanwhile"));

        // Directors and the governing body's member read it; they cannot save it.
        app.create_user("dee@example.org", "Dee Director", Role::Director, &[]);
        app.create_user("cllr@example.org", "Cllr Ahmed", Role::Member, &[]);
        for email in ["dee@example.org", "cllr@example.org"] {
            let reader = app.with_new_client();
            assert_eq!(reader.sign_in(email, PASSWORD).await.status(), 303);
            let page = reader.get_html(&format!("{SA}?year=2025")).await;
            assert!(page.contains("Complies: Partly"), "{email}");
            assert!(page.contains("Two responses late in March"));
            assert!(!page.contains("Save the self-assessment"));
            let post = reader
                .post_form(SA, &[("year", "2025"), ("version", "1")])
                .await;
            assert_eq!(post.status(), 403, "{email}");
        }
        assert_eq!(app.audit_count("self_assessment_saved"), 1);
        // Managers do not see it.
        assert_eq!(t.manager_client.get(SA).await.status(), 403);
    })
    .await;
}

/// The cells of the table row headed `label`.
fn row_cells(html: &str, label: &str) -> Vec<String> {
    let marker = format!(r#"<th scope="row" class="govuk-table__header">{label}</th>"#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no row {label}"))
        + marker.len();
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("</td>")
        .filter_map(|c| c.find("<td").map(|at| &c[at..]))
        .map(|td| strip_tags(&td[td.find('>').unwrap() + 1..]))
        .collect()
}

/// A row of a table in the annual report: `[this year, last year, change]`.
fn compared(html: &str, label: &str) -> [String; 3] {
    let cells = row_cells(html, label);
    [cells[0].clone(), cells[1].clone(), cells[2].clone()]
}

/// The report itself, without the page around it.
fn report_part(html: &str) -> String {
    let start = html
        .find(r#"<div class="app-annual-report""#)
        .expect("the report");
    let end = html
        .rfind("<!-- end of the annual report -->")
        .expect("its end");
    html[start..end].to_string()
}

#[tokio::test]
async fn the_annual_report_compares_years_and_never_changes_once_published() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        // 2025-26: one response within timescale (upheld), one late (not upheld).
        let a = stage1(&t, d(2025, 9, 1), d(2025, 9, 2)).await;
        respond(&t.manager_client, &a, 2, "upheld", d(2025, 9, 10)).await;
        let b = stage1(&t, d(2025, 10, 1), d(2025, 10, 2)).await;
        respond(&t.manager_client, &b, 2, "not_upheld", d(2025, 12, 1)).await;
        // 2024-25: one, within timescale and upheld.
        let c = stage1(&t, d(2024, 6, 3), d(2024, 6, 4)).await;
        respond(&t.manager_client, &c, 2, "upheld", d(2024, 6, 10)).await;

        let officer = &t.officer;
        let page = officer.get_html("/reports/annual?year=2025").await;
        assert!(page.contains("Draft: the figures are counted"));
        let first = report_part(&page);
        let sections = [
            "1. Self-assessment",
            "2. Complaint handling performance",
            "3. Findings of non-compliance",
            "4. Service improvements",
            "5. The Housing Ombudsman",
            "6. Other reports",
            "7. The governing body",
        ];
        let at: Vec<usize> = sections.iter().map(|s| first.find(s).expect(s)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "in the Code's order");
        assert_eq!(compared(&first, "Stage 1 complaints"), ["2", "1", "Up 1"]);
        assert_eq!(
            compared(&first, "Stage 1 responses within timescale"),
            ["50.0%", "100.0%", "Down 50.0 points"]
        );
        assert_eq!(compared(&first, "Upheld"), ["1", "1", "No change"]);
        assert_eq!(compared(&first, "Not upheld"), ["1", "0", "Up 1"]);

        // The narrative, saved and version-checked.
        let narrative = [
            ("year", "2025"),
            ("version", "0"),
            (
                "introduction",
                "Fewer complaints answered late than we feared.",
            ),
            ("response", "The board noted the report on 20 May."),
        ];
        assert_eq!(
            officer
                .post_form("/reports/annual/narrative", &narrative)
                .await
                .status(),
            303
        );
        let stale = officer
            .post_form("/reports/annual/narrative", &narrative)
            .await;
        assert_eq!(stale.status(), 409);
        assert!(stale
            .text()
            .await
            .unwrap()
            .contains("Fewer complaints answered late"));
        let too_long = "x".repeat(20_001);
        let bad = officer
            .post_form(
                "/reports/annual/narrative",
                &[("year", "2025"), ("version", "1"), ("analysis", &too_long)],
            )
            .await;
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains(r##"href="#analysis""##));
        let page = officer.get_html("/reports/annual?year=2025").await;
        assert!(page.contains("The board noted the report on 20 May."));

        // Publishing freezes it; a later case in the year does not change it.
        let publish = [("year", "2025"), ("version", "1")];
        assert_eq!(
            officer
                .post_form("/reports/annual/publish", &publish)
                .await
                .status(),
            303
        );
        let published = officer.get_html("/reports/annual?year=2025").await;
        assert!(published.contains("Published on"), "{published}");
        assert!(!published.contains("Publish the 2025-26 report"));
        let frozen = report_part(&published);
        let e = stage1(&t, d(2025, 11, 3), d(2025, 11, 4)).await;
        respond(&t.manager_client, &e, 2, "upheld", d(2025, 11, 10)).await;
        let after = officer.get_html("/reports/annual?year=2025").await;
        assert_eq!(report_part(&after), frozen);
        assert_eq!(compared(&frozen, "Stage 1 complaints"), ["2", "1", "Up 1"]);
        // The next year's draft compares with the live figures: three now.
        let next = report_part(&officer.get_html("/reports/annual?year=2026").await);
        assert_eq!(compared(&next, "Stage 1 complaints")[1], "3");
        // Nothing changes it now.
        assert_eq!(
            officer
                .post_form(
                    "/reports/annual/publish",
                    &[("year", "2025"), ("version", "2")]
                )
                .await
                .status(),
            409
        );
        assert_eq!(
            officer
                .post_form(
                    "/reports/annual/narrative",
                    &[
                        ("year", "2025"),
                        ("version", "2"),
                        ("introduction", "Changed")
                    ]
                )
                .await
                .status(),
            409
        );
        assert_eq!(app.audit_count("annual_report_saved"), 1);
        assert_eq!(app.audit_count("annual_report_published"), 1);
        // The download is the same report, one file.
        let download = officer.get("/reports/annual/download?year=2025").await;
        assert_eq!(download.status(), 200);
        assert!(download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment"));
        assert!(download.text().await.unwrap().contains(&frozen));
        // The governing body's member reads it and cannot change it.
        app.create_user("cllr@example.org", "Cllr Ahmed", Role::Member, &[]);
        let member = app.with_new_client();
        assert_eq!(
            member.sign_in("cllr@example.org", PASSWORD).await.status(),
            303
        );
        assert_eq!(
            report_part(&member.get_html("/reports/annual?year=2025").await),
            frozen
        );
        assert_eq!(
            member
                .post_form("/reports/annual/narrative", &narrative)
                .await
                .status(),
            403
        );
    })
    .await;
}

/// Section 3 of the report as published or drafted.
fn section_c(report: &str) -> String {
    let start = report.find(r#"id="ombudsman-findings""#).expect("part 3");
    let end = report.find(r#"id="improvements""#).expect("part 4");
    report[start..end].to_string()
}

/// Records a complaint handling failure order on `contact`, issued `on`.
async fn chfo(officer: &crate::helpers::TestApp, contact: i32, on: chrono::NaiveDate) {
    let mut fields: Vec<(String, String)> = vec![
        ("paragraph".into(), "6.14".into()),
        ("details".into(), "Stage 2 response sent late".into()),
    ];
    fields.extend(crate::triage::date_fields("issued", on));
    let response =
        crate::ombudsman::step(officer, &format!("/ombudsman/{contact}/chfo"), &fields).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn the_annual_report_reads_the_years_ombudsman_findings_and_chfos_from_the_register() {
    use crate::ombudsman::{contact, determine};
    use chrono::Duration;
    use redress::reports::Period;
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let today = crate::triage::today();
        let year = Period::year_of(today);
        let before_year = Period::reporting_year(year).unwrap().from - Duration::days(10);
        let case = |on| crate::investigation::stage1_case(&app, &t, on, on);
        let (this, last, later) = (
            case(today - Duration::days(2)).await,
            case(before_year - Duration::days(20)).await,
            case(today - Duration::days(2)).await,
        );
        let mut contacts = Vec::new();
        for (case, on, reference) in [
            (&this, today - Duration::days(1), "202600501"),
            (&last, before_year - Duration::days(5), "202500502"),
            (&later, today - Duration::days(1), "202600503"),
        ] {
            contacts.push(contact(&t.officer, case, "referral", on, reference).await);
        }
        let [c_this, c_last, c_later] = contacts[..] else {
            unreachable!()
        };
        // This year: maladministration on damp (no maladministration on the rest is no
        // finding of non-compliance) and a CHFO.
        determine(
            &t.officer,
            c_this,
            today,
            &[
                ("Damp and mould", "maladministration"),
                ("Noise", "no_maladministration"),
            ],
            &[],
            false,
        )
        .await;
        chfo(&t.officer, c_this, today).await;
        // The year before: severe maladministration and a CHFO, in last year's report only.
        determine(
            &t.officer,
            c_last,
            before_year,
            &[("Heating", "severe_maladministration")],
            &[],
            false,
        )
        .await;
        chfo(&t.officer, c_last, before_year).await;

        let officer = &t.officer;
        let narrative = [
            ("year", year.to_string()),
            ("version", "0".to_string()),
            (
                "ombudsman_findings",
                "The board reviewed the damp finding in March.".to_string(),
            ),
        ];
        let narrative: Vec<(&str, &str)> =
            narrative.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = officer
            .post_form("/reports/annual/narrative", &narrative)
            .await;
        assert_eq!(saved.status(), 303, "the narrative is saved");
        let part = section_c(&report_part(
            &officer
                .get_html(&format!("/reports/annual?year={year}"))
                .await,
        ));
        let text = strip_tags(&part);
        assert!(part.contains("id=\"ombudsman-findings-table\""), "{part}");
        assert!(
            text.contains("Damp and mould: Reasons for element 1"),
            "{text}"
        );
        assert!(
            text.contains("Maladministration") && text.contains("202600501"),
            "{text}"
        );
        assert!(
            text.contains("Complaint handling failure order (Code paragraph 6.14)")
                && text.contains("Stage 2 response sent late"),
            "{text}"
        );
        assert!(
            !text.contains("Noise"),
            "no maladministration is not a finding against us"
        );
        assert!(
            !text.contains("202500502") && !text.contains("Heating"),
            "{text}"
        );
        assert!(
            text.contains("The board reviewed the damp finding in March."),
            "the recorded text beside it"
        );
        let previous = strip_tags(&section_c(&report_part(
            &officer
                .get_html(&format!("/reports/annual?year={}", year - 1))
                .await,
        )));
        assert!(
            previous.contains("Heating") && previous.contains("Severe maladministration"),
            "{previous}"
        );
        assert!(!previous.contains("Damp and mould"), "{previous}");

        // Published: a later determination in the year does not change it.
        let version = [("year", year.to_string()), ("version", "1".to_string())];
        let version: Vec<(&str, &str)> = version.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            officer
                .post_form("/reports/annual/publish", &version)
                .await
                .status(),
            303
        );
        let frozen = report_part(
            &officer
                .get_html(&format!("/reports/annual?year={year}"))
                .await,
        );
        determine(
            &t.officer,
            c_later,
            today,
            &[("Repairs", "service_failure")],
            &[],
            false,
        )
        .await;
        let after = report_part(
            &officer
                .get_html(&format!("/reports/annual?year={year}"))
                .await,
        );
        assert_eq!(after, frozen);
        assert!(!strip_tags(&section_c(&after)).contains("Repairs: Reasons"));
        let live = redress::governance::annual::ombudsman_findings(
            &mut app.conn(),
            &Period::reporting_year(year).unwrap(),
        )
        .unwrap();
        assert_eq!(
            live.len(),
            3,
            "the register itself has the later finding: {live:?}"
        );
    })
    .await;
}

/// The text of the element with `id` (up to its first closing tag of `tag`).
fn text_of(html: &str, id: &str, tag: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = html[at..].find(&format!("</{tag}>")).unwrap() + at;
    strip_tags(&html[html[..at].rfind('<').unwrap()..end])
}

#[tokio::test]
async fn the_governing_body_pack_for_a_quarter_matches_the_hand_counted_figures() {
    use crate::ombudsman::{contact, determine};
    for_each_backend(|app| async move {
        let t = team(&app).await;
        // July to September 2025: two stage 1 complaints, one answered in time (upheld), one
        // late (not upheld). April to June: one, in time and upheld.
        let a = stage1(&t, d(2025, 7, 1), d(2025, 7, 2)).await;
        respond(&t.manager_client, &a, 2, "upheld", d(2025, 7, 10)).await;
        let b = stage1(&t, d(2025, 8, 1), d(2025, 8, 4)).await;
        respond(&t.manager_client, &b, 2, "not_upheld", d(2025, 9, 29)).await;
        let c = stage1(&t, d(2025, 5, 1), d(2025, 5, 1)).await;
        respond(&t.manager_client, &c, 2, "upheld", d(2025, 5, 8)).await;
        // The Ombudsman: in the quarter, one determination (1 failing of 2 findings) with an
        // apology still owed, and a CHFO; in October, a determination the pack leaves out.
        let referral = contact(&t.officer, &c, "referral", d(2025, 6, 2), "202500901").await;
        determine(
            &t.officer,
            referral,
            d(2025, 8, 15),
            &[("Repairs", "maladministration"), ("Noise", "no_maladministration")],
            &[("apology", "", d(2025, 9, 1))],
            false,
        )
        .await;
        chfo(&t.officer, referral, d(2025, 9, 10)).await;
        let later = contact(&t.officer, &a, "referral", d(2025, 8, 1), "202500902").await;
        determine(&t.officer, later, d(2025, 10, 6), &[("Damp", "severe_maladministration")], &[], false).await;

        let quarter = "/reports/pack?from_day=1&from_month=7&from_year=2025&to_day=30&to_month=9&to_year=2025";
        let director = app.signed_in_as(Role::Director).await;
        app.create_user("cllr.pack@example.org", "Cllr Pack", Role::Member, &[]);
        let member = app.with_new_client();
        assert_eq!(member.sign_in("cllr.pack@example.org", PASSWORD).await.status(), 303);
        for client in [&t.officer, &director, &member] {
            let page = client.get_html(quarter).await;
            assert!(page.contains("1 July 2025 to 30 September 2025"), "{page}");
            assert!(page.contains("1 April 2025 to 30 June 2025"), "compared with the quarter before");
            assert_eq!(compared(&page, "Stage 1 complaints"), ["2", "1", "Up 1"]);
            assert_eq!(compared(&page, "Stage 1 responses sent"), ["2", "1", "Up 1"]);
            assert_eq!(
                compared(&page, "Stage 1 responses within timescale"),
                ["50.0%", "100.0%", "Down 50.0 points"]
            );
            assert_eq!(compared(&page, "Upheld"), ["1", "1", "No change"]);
            assert_eq!(compared(&page, "Not upheld"), ["1", "0", "Up 1"]);
            // TSM over the quarter: 2 received, 2 responses, 1 within the Code: 50.0.
            let tsm = &page[page.find("id=\"tsm-table\"").expect("the TSM table")..];
            let stage1 = row_cells(tsm, "Stage 1");
            assert_eq!(
                [&stage1[0], &stage1[2], &stage1[3], &stage1[4]],
                ["2", "2", "1", "50.0"],
                "received, responses, within the Code, CH02"
            );
            // The Ombudsman: 1 determination, 1 of 2 findings failing, 1 order outstanding,
            // the CHFO with its paragraph; October's determination not counted.
            assert!(page.contains("id=\"determinations\">1</span>"), "{page}");
            assert!(page.contains("id=\"rate\">50.0%</span>"), "{page}");
            assert!(text_of(&page, "ombudsman-summary", "p").contains("Of the 1 order made, 1 is still to be complied with"));
            let chfos = text_of(&page, "chfos", "table");
            assert!(chfos.contains("6.14") && chfos.contains("Stage 2 response sent late"), "{chfos}");
            assert!(!page.contains("Severe maladministration</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">1"));
        }
        // Printable: the page prints on A4 without its form.
        let page = t.officer.get_html(quarter).await;
        assert!(page.contains("class=\"app-a4\""));
        assert!(page.contains("<div class=\"app-no-print\">"));
        // Last quarter by default; a date that does not exist is named beside its boxes.
        let default = t.officer.get_html("/reports/pack").await;
        assert!(default.contains("Last quarter:"), "{default}");
        let bad = t
            .officer
            .get("/reports/pack?from_day=31&from_month=2&from_year=2025&to_day=30&to_month=9&to_year=2025")
            .await;
        assert_eq!(bad.status(), 400);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("href=\"#from-day\"") && bad.contains("Start date must be a real date"), "{bad}");
        assert!(bad.contains("value=\"31\""), "what was typed is kept");
        // Hostile boxes are refused beside the field, never a server error or echoed markup.
        let hostile = t
            .officer
            .get("/reports/pack?from_day=%3Cscript%3E&from_month=99999999999&from_year=-1&to_day=1&to_month=1&to_year=9999")
            .await;
        assert_eq!(hostile.status(), 400);
        assert!(!hostile.text().await.unwrap().contains("<script>"));
        // Managers do not see it.
        assert_eq!(t.manager_client.get(quarter).await.status(), 403);
    })
    .await;
}
