//! Issue 24, work lists you can act on: saved views (round trip, private to their owner),
//! bulk actions (twenty cases, one stale and one not at the right step; a manager's cases
//! outside their scope), the list as CSV (every matching row, byte-order mark, names
//! withheld as on screen, audited) and a dashboard whose figures open the lists that make
//! them. Through the pages and forms a browser uses, on both backends.

use chrono::Duration;
use redress::db::audit;
use redress::domain::Role;

use crate::helpers::{for_each_backend, location, TestApp};
use crate::triage::{act, log_case, row_of, team, today};

/// The number of cases a list page says it holds ("12 cases", "Showing 1 to 50 of 120 cases").
fn list_count(html: &str) -> i64 {
    let at = html
        .find("data-results-count>")
        .unwrap_or_else(|| panic!("no count in {html}"));
    let text = &html[at + "data-results-count>".len()..];
    let text = &text[..text.find('<').unwrap()];
    text.split_whitespace()
        .rev()
        .find_map(|w| w.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no number in {text}"))
}

/// Every `name="case"` checkbox value on a list page: `REFERENCE:VERSION`.
fn selectable(html: &str) -> Vec<String> {
    html.match_indices("name=\"case\" type=\"checkbox\" form=\"bulk-select\" value=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Every hidden `name="case"` on the bulk form (once per form: the first form's).
fn selected_on_form(html: &str) -> Vec<String> {
    let form = &html[html.find("id=\"bulk-assign\"").expect("the assign form")..];
    let form = &form[..form.find("</form>").unwrap()];
    form.match_indices("name=\"case\" value=\"")
        .map(|(at, m)| {
            let rest = &form[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn triaged(officer: &TestApp, received: chrono::NaiveDate, extra: &[(&str, &str)]) -> String {
    let reference = log_case(officer, received, extra).await;
    assert_eq!(
        act(officer, &reference, "triage", &[("decision", "stage1")])
            .await
            .status(),
        303
    );
    reference
}

#[tokio::test]
async fn saved_views_round_trip_and_are_private_to_their_owner() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let other = app.signed_in_as(Role::Officer).await;
        for _ in 0..2 {
            log_case(&officer, today() - Duration::days(60), &[]).await;
        }
        log_case(&officer, today(), &[]).await;

        // Saved from the list: its query, canonical (unknown keys and the page dropped).
        let saved = officer
            .post_form(
                "/cases/views",
                &[
                    ("name", "My overdue stage 2"),
                    (
                        "query",
                        "/cases?list=overdue&page=3&junk=1&sort=received&order=desc",
                    ),
                ],
            )
            .await;
        assert_eq!(saved.status(), 303, "{}", app.backend);
        let to = location(&saved);
        assert_eq!(to, "/cases?list=overdue&sort=received&order=desc");
        let list = officer.get_html(&to).await;
        assert!(list.contains("Saved as a view: My overdue stage 2"));
        // Shown beside the built-in lists with its count, which is the list's own.
        let link = format!("href=\"{}\"", to.replace('&', "&#38;"));
        assert!(list.contains(&link), "{list}");
        assert!(
            list.contains("My overdue stage 2 <span class=\"app-work-lists__count\">2</span>"),
            "{list}"
        );
        assert_eq!(list_count(&list), 2);

        let id: i32 = {
            use diesel::prelude::*;
            use redress::db::schema::saved_views as views;
            views::table
                .filter(views::name.eq("My overdue stage 2"))
                .select(views::id)
                .first(&mut app.conn())
                .unwrap()
        };
        // A second view by the same name is refused beside the field, the name kept.
        let again = officer
            .post_form(
                "/cases/views",
                &[("name", "My overdue stage 2"), ("query", "list=all")],
            )
            .await;
        assert_eq!(again.status(), 400);
        let again = again.text().await.unwrap();
        assert!(again.contains("You already have a view called My overdue stage 2"));
        let blank = officer
            .post_form("/cases/views", &[("name", "  "), ("query", "list=all")])
            .await;
        assert_eq!(blank.status(), 400);

        // Someone else neither sees it nor can touch it: 404, and it is unchanged.
        assert!(!other
            .get_html("/cases")
            .await
            .contains("My overdue stage 2"));
        assert!(!other
            .get_html("/cases/views")
            .await
            .contains("My overdue stage 2"));
        let renamed = other
            .post_form(&format!("/cases/views/{id}"), &[("name", "Mine now")])
            .await;
        assert_eq!(renamed.status(), 404);
        let deleted = other
            .post_form(&format!("/cases/views/{id}/delete"), &[])
            .await;
        assert_eq!(deleted.status(), 404);
        assert!(officer
            .get_html("/cases/views")
            .await
            .contains("My overdue stage 2"));

        // Renamed and deleted by its owner, each audited.
        let renamed = officer
            .post_form(
                &format!("/cases/views/{id}"),
                &[("name", "Overdue, newest first")],
            )
            .await;
        assert_eq!(renamed.status(), 303);
        assert!(officer
            .get_html("/cases")
            .await
            .contains("Overdue, newest first"));
        let deleted = officer
            .post_form(&format!("/cases/views/{id}/delete"), &[])
            .await;
        assert_eq!(deleted.status(), 303);
        // Gone from beside the lists (the flash names it once).
        let after = officer.get_html("/cases").await;
        assert!(after.contains("View deleted: Overdue, newest first"));
        assert!(!after.contains("Overdue, newest first <span"), "{after}");
        for action in [
            "saved_view_created",
            "saved_view_renamed",
            "saved_view_deleted",
        ] {
            assert_eq!(app.audit_count(action), 1, "{action}");
        }
    })
    .await;
}

#[tokio::test]
async fn twenty_cases_are_assigned_in_one_go_and_each_refusal_says_why() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let mut twenty = Vec::new();
        for _ in 0..20 {
            twenty.push(triaged(&t.officer, today() - Duration::days(3), &[]).await);
        }
        let waiting = log_case(&t.officer, today(), &[]).await;

        // Without JavaScript: the list's checkboxes carry each case's version.
        let list = t.officer.get_html("/cases?list=open&stage=stage1").await;
        let boxes = selectable(&list);
        assert_eq!(boxes.len(), 20, "{}", app.backend);
        assert!(list.contains("Act on all 20 matching cases"), "{list}");

        // "All 20 matching" puts the list's twenty on the form, versions and all.
        let form = t
            .officer
            .get_html("/cases/bulk?list=open&stage=stage1&all=true")
            .await;
        let mut chosen = selected_on_form(&form);
        assert_eq!(chosen.len(), 20);
        assert!(form.contains("Assign 20 cases"));
        // One more, ticked, that cannot be assigned before triage.
        let waiting_box = format!("{waiting}:1");
        chosen.push(waiting_box);

        // Someone changes one of the twenty after it was chosen.
        let stale = twenty[7].clone();
        assert_eq!(
            act(
                &t.officer,
                &stale,
                "notes",
                &[("kind", "note"), ("text", "Rang the resident")]
            )
            .await
            .status(),
            303
        );

        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        let mut fields: Vec<(&str, &str)> = vec![
            ("action", "assign"),
            ("service_area", &area),
            ("manager", &manager),
            ("back", "/cases?list=open&stage=stage1"),
        ];
        fields.extend(chosen.iter().map(|c| ("case", c.as_str())));
        let done = t.officer.post_form("/cases/bulk", &fields).await;
        assert_eq!(done.status(), 200);
        let done = done.text().await.unwrap();
        assert!(done.contains("19 of 21 cases assigned"), "{done}");
        let refused = &done[done.find("id=\"refused\"").expect("refusals listed")..];
        let row = |reference: &str| {
            let at = refused
                .find(&format!("data-reference=\"{reference}\""))
                .unwrap();
            refused[at..at + refused[at..].find("</tr>").unwrap()].to_string()
        };
        assert!(
            row(&stale).contains("Changed by someone else"),
            "{}",
            row(&stale)
        );
        assert!(
            row(&waiting).contains("Not at this step"),
            "{}",
            row(&waiting)
        );
        for reference in &twenty {
            let assigned = row_of(&app, reference).3;
            if *reference == stale {
                assert_eq!(assigned, None, "the stale case is left alone");
            } else {
                assert_eq!(assigned, Some(t.manager), "{reference}");
            }
        }
        assert_eq!(row_of(&app, &waiting).3, None);
        assert_eq!(app.audit_count("case_assigned"), 19, "audited per case");

        // A manager's selection: a case outside their scope is refused as such, one inside
        // it as not theirs to do (only the complaints team assigns).
        let unassigned = triaged(&t.officer, today(), &[]).await;
        let inside = format!("{}:{}", twenty[0], 99);
        let outside = format!("{unassigned}:1");
        let by_manager = t
            .manager_client
            .post_form(
                "/cases/bulk",
                &[
                    ("action", "assign"),
                    ("service_area", &area),
                    ("manager", &manager),
                    ("case", &inside),
                    ("case", &outside),
                ],
            )
            .await;
        assert_eq!(by_manager.status(), 200);
        let by_manager = by_manager.text().await.unwrap();
        assert!(by_manager.contains("0 of 2 cases assigned"), "{by_manager}");
        assert!(by_manager.contains("Outside the cases you may see or act on"));
        assert!(by_manager.contains("Not yours to do"));
        assert_eq!(row_of(&app, &unassigned).3, None);

        // Bad choices are refused beside the field, nothing done, the selection kept.
        let bad = t
            .officer
            .post_form(
                "/cases/bulk",
                &[
                    ("action", "assign"),
                    ("service_area", &area),
                    ("case", &outside),
                ],
            )
            .await;
        assert_eq!(bad.status(), 400);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("id=\"manager-error\""), "{bad}");
        assert!(bad.contains(&format!("value=\"{outside}\"")));
        let none = t.officer.get("/cases/bulk").await;
        assert_eq!(none.status(), 400);
    })
    .await;
}

#[tokio::test]
async fn the_list_downloads_whole_as_csv_with_a_bom_names_withheld_and_audited() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        let mut references = Vec::new();
        for (name, confidential) in [
            ("Zoë Ó Briain", false),
            ("Secret Person", true),
            ("Jo Bloggs", false),
        ] {
            let mut extra = vec![("complainant_name", name)];
            if confidential {
                extra.push(("confidential", "true"));
            }
            let reference = triaged(&t.officer, today() - Duration::days(2), &extra).await;
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
            references.push(reference);
        }
        // The manager's own list: the count on screen, then the download.
        let list = t.manager_client.get_html("/cases?list=mine").await;
        assert_eq!(list_count(&list), 3);
        // Mine is a manager's own list, so its address needs no list=.
        assert!(list.contains("href=\"/cases/export.csv\""), "{list}");
        let csv = t.manager_client.get("/cases/export.csv?list=mine").await;
        assert_eq!(csv.status(), 200);
        assert!(csv
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let bytes = csv.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark first");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len() as i64, list_count(&list), "every matching row");
        assert!(text.contains("Zoë Ó Briain"), "{text}");
        assert!(!text.contains("Secret Person"), "withheld as on screen");
        assert!(text.contains("Confidential complainant"));
        for reference in &references {
            assert!(text.contains(reference.as_str()));
        }

        // Audited: who, which list, how many rows; never the search text.
        let searched = t.officer.get("/cases/export.csv?list=all&q=Bloggs").await;
        assert_eq!(searched.status(), 200);
        let searched = searched.text().await.unwrap();
        assert_eq!(searched.lines().count(), 2, "{searched}");
        assert_eq!(app.audit_count("case_list_exported"), 2);
        let entry = audit::latest(&mut app.conn(), 1).unwrap().remove(0);
        assert_eq!(entry.action, "case_list_exported");
        assert!(
            entry.actor_label.starts_with("officer"),
            "{}",
            entry.actor_label
        );
        assert!(entry.detail.contains("rows: 1"), "{}", entry.detail);
        assert!(entry.detail.contains("searched: yes") && !entry.detail.contains("Bloggs"));

        // Every report CSV starts with the mark too, and keeps "£".
        let report = t.officer.get("/reports/performance.csv").await;
        let bytes = report.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert!(std::str::from_utf8(&bytes).unwrap().contains("£0.00"));
    })
    .await;
}

/// Every figure on the home page that links to a list, with its link.
fn figures(html: &str) -> Vec<(String, i64)> {
    let mut found = Vec::new();
    for (at, _) in html.match_indices("<a class=\"govuk-link") {
        let tag_end = at + html[at..].find('>').unwrap();
        let tag = &html[at..tag_end];
        let Some(h) = tag.find("href=\"/cases?") else {
            continue;
        };
        let href = &tag[h + 6..];
        let href = href[..href.find('"').unwrap()]
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        let inner = &html[tag_end + 1..tag_end + html[tag_end..].find("</a>").unwrap()];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        // The first whole number ("Stage 1, overdue: 2" says 2; "15 due within 5…" 15).
        if let Some(n) = text.split_whitespace().find_map(|w| w.parse::<i64>().ok()) {
            found.push((href, n));
        }
    }
    found
}

#[tokio::test]
async fn every_dashboard_figure_opens_the_list_that_makes_it() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        // Overdue and on time, awaiting triage and at stage 1, assigned and not.
        for days in [70, 40, 3] {
            let reference = triaged(&t.officer, today() - Duration::days(days), &[]).await;
            if days != 3 {
                act(
                    &t.officer,
                    &reference,
                    "assign",
                    &[("service_area", &area), ("manager", &manager)],
                )
                .await;
            }
        }
        log_case(&t.officer, today() - Duration::days(30), &[]).await;
        log_case(&t.officer, today(), &[]).await;

        // A director of the area: the overdue cases awaiting triage are in no area, so a
        // dashboard counting the whole organisation shows figures her lists do not hold.
        let director = crate::triage::area_director(&app, &t).await;
        for (who, client) in [
            ("officer", &t.officer),
            ("manager", &t.manager_client),
            ("director", &director),
        ] {
            let home = client.get_html("/").await;
            let found = figures(&home);
            // Overdue, due soon, and an overdue and an open figure for each of four stages.
            assert_eq!(found.len(), 10, "{who}: {found:?}");
            assert!(found.iter().any(|(_, n)| *n > 0), "{who}: {found:?}");
            for (href, figure) in found {
                let list = client.get_html(&href).await;
                assert_eq!(
                    list_count(&list),
                    figure,
                    "{who} on {}: {href}",
                    app.backend
                );
            }
        }
        let home = t.manager_client.get_html("/").await;
        assert!(home.contains("Mia Manager's dashboard"), "{home}");
        assert!(!home.contains("whole organisation"), "{home}");
        // The director is told where the organisation's figures are.
        let home = director.get_html("/").await;
        assert!(
            home.contains("Figures for cases assigned to you or in your service areas")
                && home.contains("The whole organisation's figures are in the <a class=\"govuk-link\" href=\"/reports/performance\">"),
            "{home}"
        );
    })
    .await;
}
