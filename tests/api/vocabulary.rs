//! Words, not codes (issue 19): every page the browser tour reaches, and the case file of a
//! complaint taken through both stages, rendered on both backends; none may show a
//! snake_case code (`stage1_acknowledgement`, `partly_upheld`) or the word "pence" in its
//! visible text. The browser journeys make the same check on every page they open
//! (`browser::page`).

use chrono::Duration;
use redress::domain::Role;

use crate::case_file::story;
use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::triage::{act, log_case, today};

/// The text a person sees on `html`: no tags, attributes, scripts or styles.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = ["script", "style", "title", "svg"]
            .iter()
            .find(|name| {
                let bytes = tag.as_bytes();
                bytes
                    .get(1..=name.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
                    && bytes
                        .get(name.len() + 1)
                        .is_some_and(|b| !b.is_ascii_alphanumeric())
            })
            .map(|name| format!("</{name}>"));
        rest = match skip_to.and_then(|close| tag.find(&close).map(|at| at + close.len())) {
            Some(end) => &tag[end..],
            None => match tag.find('>') {
                Some(end) => &tag[end + 1..],
                None => "",
            },
        };
    }
    text.push_str(rest);
    text.replace("&#39;", "'").replace("&amp;", "&")
}

/// Codes in `text`: snake_case words, stage keys (`stage1`), "pence", and a count of one
/// with a plural ("1 working days").
pub fn codes_in(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| {
            let snake = word.contains('_')
                && word.split('_').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
            let stage_key = word.len() == 6
                && word.starts_with("stage")
                && word.ends_with(|c: char| c.is_ascii_digit());
            snake || stage_key || word.eq_ignore_ascii_case("pence")
        })
        .map(str::to_string)
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(3) {
        let count = pair[0].trim_start_matches(|c: char| !c.is_ascii_digit());
        if count == "1" && pair[1] == "working" && pair[2].starts_with("days") {
            codes.push(pair.join(" "));
        }
    }
    codes
}

#[test]
fn the_check_finds_codes_and_ignores_markup() {
    let html = r#"<p class="app_x" data-x="stage1_open">Letter sent (stage1 acknowledgement)</p>
        <script>var partly_upheld = 1;</script><td>Compensation offered (pence)</td>
        <p>Partly upheld: put_right</p><input name="remedy_kind_1" value="apology">"#;
    assert_eq!(
        codes_in(&visible_text(html)),
        ["stage1", "pence", "put_right"]
    );
    assert_eq!(codes_in("Met late (1 working days)"), ["(1 working days)"]);
    assert!(codes_in("Stage 1: 1 working day late, 2 working days left").is_empty());
}

async fn signed_in(app: &TestApp, email: &str) -> TestApp {
    let client = app.with_new_client();
    client.sign_in(email, PASSWORD).await;
    client
}

#[tokio::test]
async fn no_page_shows_a_code_or_pence() {
    for_each_backend(|app| async move {
        let s = story(&app, true).await;
        let two_stage = s.reference.clone();
        let t = &s.t;
        let officer = &t.officer;
        let received = log_case(officer, today(), &[]).await;
        let open = log_case(officer, today() - Duration::days(1), &[]).await;
        act(officer, &open, "triage", &[("decision", "stage1")]).await;
        let referred = log_case(officer, today(), &[]).await;
        act(
            officer,
            &referred,
            "triage",
            &[
                ("decision", "service_request"),
                ("referred_to", "Repairs team"),
            ],
        )
        .await;
        let withdrawn = log_case(officer, today(), &[]).await;
        act(officer, &withdrawn, "triage", &[("decision", "stage1")]).await;
        act(
            officer,
            &withdrawn,
            "withdraw",
            &[
                ("choice", "resident"),
                ("reason", "Sorted out by the contractor"),
            ],
        )
        .await;
        app.create_user("ada@example.org", "Ada Admin", Role::Admin, &[]);
        let admin = signed_in(&app, "ada@example.org").await;
        let manager = t.manager;

        let mut pages: Vec<(&TestApp, String)> = Vec::new();
        for path in [
            "/admin/users".to_string(),
            "/admin/users/new".into(),
            format!("/admin/users/{manager}"),
            format!("/admin/users/{manager}/job-title"),
            "/admin/service-areas".into(),
            "/admin/service-areas/new".into(),
            format!("/admin/service-areas/{}", t.area),
            "/admin/categories".into(),
            "/admin/contractors".into(),
            "/admin/settings".into(),
            "/account".into(),
        ] {
            pages.push((&admin, path));
        }
        for path in [
            "/".to_string(),
            "/cases?list=all".into(),
            "/outbox".into(),
            "/actions".into(),
            "/letters/owed".into(),
            "/letters/print-queue".into(),
            "/letters/receipt".into(),
            "/reports".into(),
            "/reports/performance".into(),
            "/reports/annual".into(),
            "/reports/pack".into(),
            "/reports/self-assessment".into(),
            "/reports/contractors".into(),
            "/reports/evidence".into(),
            "/reports/learning".into(),
            "/reports/tsm".into(),
            format!("/cases/{received}"),
            format!("/cases/{received}/related"),
            format!("/cases/{received}/letters"),
            format!("/cases/{received}/letters/decline"),
            format!("/cases/{open}"),
            format!("/cases/{open}/involvement"),
            format!("/cases/{open}/withdraw"),
            format!("/cases/{open}/compensation/paid"),
            format!("/cases/{open}/letters/stage1_acknowledgement"),
            format!("/cases/{referred}"),
            format!("/cases/{referred}/convert"),
            format!("/cases/{withdrawn}"),
            format!("/cases/{withdrawn}/reopen"),
            format!("/cases/{two_stage}"),
            format!("/cases/{two_stage}?timeline=notes"),
            format!("/cases/{two_stage}?timeline=letters"),
            format!("/cases/{two_stage}?timeline=changes"),
            format!("/cases/{two_stage}/letters"),
            format!("/cases/{two_stage}/notes"),
        ] {
            pages.push((officer, path));
        }
        for path in [
            format!("/cases/{two_stage}"),
            format!("/cases/{two_stage}/decision"),
            format!("/cases/{two_stage}/letters/stage2_response"),
            "/approvals".into(),
            "/cases".into(),
        ] {
            pages.push((&s.dave, path));
        }
        pages.push((&t.manager_client, "/cases".into()));
        let mut found = Vec::new();
        for (client, path) in &pages {
            let response = client.get(path).await;
            let status = response.status().as_u16();
            assert!(status == 200 || status == 409, "{path}: {status}");
            let html = response.text().await.unwrap();
            let text = visible_text(&html);
            if path.ends_with(two_stage.as_str()) {
                // The check reads the page as rendered, not an empty shell.
                assert!(text.contains("Why the resident escalated"), "{text}");
            }
            let codes = codes_in(&text);
            if !codes.is_empty() {
                found.push(format!("{path}: {codes:?}"));
            }
        }
        assert!(
            found.is_empty(),
            "{}: codes shown to people:\n{}",
            app.backend,
            found.join("\n")
        );
    })
    .await;
}
