//! "Letters owed" lists every letter owed on the cases the user may see, as many as the
//! dashboard's figure says, and links only those the user may open (issue 17, finding 9):
//! every link on the list answers 200 for an officer, a manager and a director; the rest say
//! who writes them.

use chrono::Duration;
use redress::domain::Role;

use crate::helpers::{for_each_backend, make_area, TestApp, PASSWORD};
use crate::investigation::stage1_case;
use crate::triage::{act, log_case, team, today};

/// Every `/cases/…` link in the table of `/letters/owed` as `client` sees it.
async fn owed_links(client: &TestApp) -> Vec<String> {
    let page = client.get_html("/letters/owed").await;
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/cases/"))
        .map(str::to_string)
        .collect()
}

/// How many letters the table of `/letters/owed` lists, and the dashboard's figure.
async fn owed_rows_and_figure(client: &TestApp) -> (usize, String) {
    let page = client.get_html("/letters/owed").await;
    let rows = page
        .split_once("<table class=\"govuk-table\">")
        .map_or(0, |(_, table)| {
            let table = &table[..table.find("</table>").unwrap()];
            table.matches("<tr class=\"govuk-table__row\">").count() - 1
        });
    let home = client.get_html("/").await;
    let start = home
        .find("id=\"letters-owed\"")
        .expect("letters owed figure");
    let from = start + home[start..].find("<strong>").unwrap() + "<strong>".len();
    let figure = home[from..from + home[from..].find("</strong>").unwrap()].to_string();
    (rows, figure)
}

async fn signed_in(
    app: &TestApp,
    email: &str,
    role: Role,
    areas: &[redress::domain::ServiceAreaId],
) -> TestApp {
    app.create_user(email, email, role, areas);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(email, PASSWORD).await.status(), 303);
    client
}

#[tokio::test]
async fn every_letter_owed_link_opens_for_officers_managers_and_directors() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(2);
        // Assigned to the manager and acknowledged: the response is the manager's to write.
        let answered_by_manager = stage1_case(&app, &t, received, today()).await;
        // Assigned to the manager, not acknowledged: the acknowledgement is the officers'.
        let unacknowledged = log_case(&t.officer, received, &[]).await;
        assert_eq!(
            act(
                &t.officer,
                &unacknowledged,
                "triage",
                &[("decision", "stage1")]
            )
            .await
            .status(),
            303
        );
        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        assert_eq!(
            act(
                &t.officer,
                &unacknowledged,
                "assign",
                &[("service_area", &area), ("manager", &manager)]
            )
            .await
            .status(),
            303
        );
        // In the same area but assigned to the other manager.
        let other_manager = app.with_new_client();
        other_manager.sign_in("max@example.org", PASSWORD).await;
        let other = log_case(&t.officer, received, &[]).await;
        act(&t.officer, &other, "triage", &[("decision", "stage1")]).await;
        let max = t.other_manager.to_string();
        act(
            &t.officer,
            &other,
            "assign",
            &[("service_area", &area), ("manager", &max)],
        )
        .await;
        // Another area, and a case still awaiting triage.
        let elsewhere = make_area(&app, "Lettings", "LET");
        let director = signed_in(
            &app,
            "dee@example.org",
            Role::Director,
            &[t.area, elsewhere],
        )
        .await;
        log_case(&t.officer, received, &[]).await;

        let officer_links = owed_links(&t.officer).await;
        let manager_links = owed_links(&t.manager_client).await;
        assert!(
            officer_links.contains(&format!(
                "/cases/{unacknowledged}/letters/stage1_acknowledgement"
            )),
            "{officer_links:?}"
        );
        assert!(
            manager_links.contains(&format!(
                "/cases/{answered_by_manager}/letters/stage1_response"
            )),
            "the manager's own response is listed: {manager_links:?}"
        );
        assert!(
            !manager_links.iter().any(|l| l
                .starts_with(&format!("/cases/{unacknowledged}/letters/"))
                || l.starts_with(&format!("/cases/{other}/letters/"))),
            "not the officers' acknowledgement nor another manager's response: {manager_links:?}"
        );
        // Those two are listed, saying who writes them: both acknowledgements. And the other
        // manager of the area sees the first manager's response, by her name.
        let row = |page: &str, reference: &str| {
            let start = page.find(&format!("href=\"/cases/{reference}\"")).unwrap();
            page[start..start + page[start..].find("</tr>").unwrap()].to_string()
        };
        let page = t.manager_client.get_html("/letters/owed").await;
        for reference in [&unacknowledged, &other] {
            assert!(
                row(&page, reference).contains("The complaints team sends it"),
                "{page}"
            );
        }
        let page = other_manager.get_html("/letters/owed").await;
        assert!(
            row(&page, &answered_by_manager).contains("Mia Manager writes it"),
            "{page}"
        );
        // A letter whose deadline has passed says so; one still in time does not.
        let late = log_case(&t.officer, today() - Duration::days(30), &[]).await;
        act(&t.officer, &late, "triage", &[("decision", "stage1")]).await;
        let page = t.officer.get_html("/letters/owed").await;
        assert!(row(&page, &late).contains(">Overdue</strong>"), "{page}");
        assert!(!row(&page, &unacknowledged).contains("Overdue"), "{page}");
        let letters = t.officer.get_html(&format!("/cases/{late}/letters")).await;
        assert!(letters.contains(": overdue)"), "{letters}");
        let letters = t
            .officer
            .get_html(&format!("/cases/{unacknowledged}/letters"))
            .await;
        assert!(
            letters.contains("(due ") && !letters.contains(": overdue)"),
            "{letters}"
        );
        // The dashboard's figure is the list's length, whoever reads it.
        for (who, client) in [
            ("officer", &t.officer),
            ("manager", &t.manager_client),
            ("other manager", &other_manager),
            ("director", &director),
        ] {
            let (rows, figure) = owed_rows_and_figure(client).await;
            assert!(rows > 0, "{who}");
            assert_eq!(rows.to_string(), figure, "{who} on {}", app.backend);
        }
        for (who, client) in [
            ("officer", &t.officer),
            ("manager", &t.manager_client),
            ("other manager", &other_manager),
            ("director", &director),
        ] {
            for link in owed_links(client).await {
                let status = client.get(&link).await.status();
                assert_eq!(status, 200, "{who} opening {link} on {}", app.backend);
            }
        }
    })
    .await;
}
