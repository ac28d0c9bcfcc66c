//! `Browser`: one headless Chromium driven the way a person uses the pages — following links,
//! filling fields found by their labels' ids, pressing buttons — with axe-core run on every
//! page it arrives at, error pages included.

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, Locator};
use serde_json::json;

use super::axe;
use super::driver::{self, Chromedriver, Scripts};
use crate::helpers::{TestApp, PASSWORD};

/// How long to wait for a page, an htmx swap or an element.
const WAIT: Duration = Duration::from_secs(30);

/// What a person's work cost so far: every click, key press that submits, or choice made
/// with the pointer (a link, a button, a radio or checkbox's label, an option of a select),
/// and every page the browser loads — whole documents and the requests htmx makes for part
/// of one. The journey tests compare steps by it (docs/journeys.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub clicks: u32,
    pub page_loads: u32,
}

impl std::ops::Sub for Tally {
    type Output = Tally;
    fn sub(self, before: Tally) -> Tally {
        Tally {
            clicks: self.clicks - before.clicks,
            page_loads: self.page_loads - before.page_loads,
        }
    }
}

pub struct Browser {
    pub client: Client,
    base: String,
    pub scripts: Scripts,
    /// The pages axe has passed, for the test's log.
    pub checked: Vec<String>,
    tally: Tally,
    /// The htmx requests of the current document already counted in `tally`.
    htmx_counted: u32,
    // Dropped after the client: the profile folder and the driver (which kills Chromium).
    _profile: tempfile::TempDir,
    _driver: Chromedriver,
}

impl Browser {
    pub async fn start(app: &TestApp) -> Browser {
        Browser::start_with(app, Scripts::On).await
    }

    pub async fn start_with(app: &TestApp, scripts: Scripts) -> Browser {
        let (driver, client, profile) = driver::launch(scripts).await;
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(60)),
                Some(Duration::ZERO),
            ))
            .await
            .expect("set timeouts");
        Browser {
            client,
            base: app.address.clone(),
            scripts,
            checked: Vec::new(),
            tally: Tally::default(),
            htmx_counted: 0,
            _profile: profile,
            _driver: driver,
        }
    }

    /// Ends the session cleanly (Drop would kill it anyway) and prints what axe checked.
    pub async fn close(self) {
        eprintln!(
            "axe-core found no WCAG 2.2 AA violations on {} pages: {}",
            self.checked.len(),
            self.checked.join("; ")
        );
        let _ = self.client.clone().close().await;
    }

    /// The clicks and page loads so far, the current page's finished htmx requests included.
    pub async fn tally(&mut self) -> Tally {
        self.count_htmx_requests().await;
        self.tally
    }

    /// Adds the htmx requests the current document made since last counted, once none is
    /// still running (htmx marks the element making a request with `htmx-request`).
    async fn count_htmx_requests(&mut self) {
        if self.scripts == Scripts::On {
            self.wait_until(
                "!document.querySelector('.htmx-request')",
                "htmx requests to finish",
            )
            .await;
        }
        let made = self
            .client
            .execute(
                "return performance.getEntriesByType('resource')
                   .filter(e => e.initiatorType === 'xmlhttprequest').length;",
                vec![],
            )
            .await
            .ok()
            .and_then(|n| n.as_u64())
            .unwrap_or(0) as u32;
        if made > self.htmx_counted {
            self.tally.page_loads += made - self.htmx_counted;
            self.htmx_counted = made;
        }
    }

    /// Counts a new document loaded (its htmx requests are counted as it is left).
    fn count_new_document(&mut self) {
        self.tally.page_loads += 1;
        self.htmx_counted = 0;
    }

    /// Opens a page by its path, as if typed into the address bar.
    pub async fn visit(&mut self, path: &str) {
        self.count_htmx_requests().await;
        self.count_new_document();
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        self.check().await;
    }

    /// Runs axe-core on the page as it is now; any violation fails the test.
    pub async fn check(&mut self) {
        let found = axe::violations(&self.client, self.scripts == Scripts::Off).await;
        let where_ = format!("{} ({})", self.title().await, self.path().await);
        assert!(
            found.is_empty(),
            "axe-core: {} WCAG 2.2 AA violation(s) on {where_}:{}",
            found.len(),
            axe::report(&found)
        );
        // Two elements with one id break labels, aria-describedby and the error summary's
        // links, yet axe 4 only lists them for review: check here instead.
        let duplicates = self
            .client
            .execute(
                "const seen = new Set(), twice = new Set();
                 for (const e of document.querySelectorAll('[id]')) {
                   (seen.has(e.id) ? twice : seen).add(e.id);
                 }
                 return Array.from(twice);",
                vec![],
            )
            .await
            .expect("look for duplicate ids");
        assert_eq!(duplicates, json!([]), "ids used twice on {where_}");
        // GOV.UK's page rules: one main heading; a page showing errors says so in its title,
        // the first thing a screen reader reads.
        let shape = self
            .client
            .execute(
                "return [document.querySelectorAll('h1').length,
                         !!document.querySelector('.govuk-error-summary'),
                         document.title.startsWith('Error: ')];",
                vec![],
            )
            .await
            .expect("page shape");
        assert_eq!(shape[0], json!(1), "one h1 on {where_}");
        assert_eq!(
            shape[1], shape[2],
            "an error summary if and only if the title starts \"Error: \" on {where_}"
        );
        // Words, not codes (issue 19): no snake_case value, stage key or "pence" on any page.
        let text = self
            .client
            .execute("return document.body.innerText;", vec![])
            .await
            .expect("page text");
        let codes = crate::vocabulary::codes_in(text.as_str().unwrap_or_default());
        assert!(
            codes.is_empty(),
            "codes shown to people on {where_}: {codes:?}"
        );
        self.checked.push(where_);
    }

    pub async fn title(&self) -> String {
        self.client.title().await.unwrap_or_default()
    }

    /// The path and query of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The page's main heading.
    pub async fn heading(&self) -> String {
        self.text_of("h1").await
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.find(Locator::Css(css)).await.text().await.unwrap()
    }

    /// The visible text of `<main>`.
    pub async fn main_text(&self) -> String {
        self.text_of("main").await
    }

    pub async fn where_(&self) -> String {
        format!("{} ({})", self.title().await, self.path().await)
    }

    pub async fn assert_heading(&self, expected: &str) {
        let heading = self.heading().await;
        assert!(
            heading.contains(expected),
            "expected the heading {expected:?} on {}, found {heading:?}; page says:\n{}",
            self.where_().await,
            self.main_text().await
        );
    }

    pub async fn assert_text(&self, expected: &str) {
        let text = self.main_text().await;
        assert!(
            text.contains(expected),
            "expected {expected:?} on {}; page says:\n{text}",
            self.where_().await
        );
    }

    /// Finds an element or fails saying which page it was missing from.
    pub async fn find(&self, locator: Locator<'_>) -> Element {
        match self.client.find(locator).await {
            Ok(found) => found,
            Err(e) => panic!("no {locator:?} on {}: {e}", self.where_().await),
        }
    }

    async fn element(&self, id: &str) -> Element {
        self.find(Locator::Id(id)).await
    }

    /// Types into a text box or text area (replacing what it held).
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self.element(id).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Ticks a radio or checkbox by clicking its label, as a person does.
    pub async fn choose(&mut self, id: &str) {
        self.tally.clicks += 1;
        self.find(Locator::Css(&format!("label[for='{id}']")))
            .await
            .click()
            .await
            .expect("click label");
        let checked = self.element(id).await.prop("checked").await.unwrap();
        assert_eq!(checked.as_deref(), Some("true"), "#{id} is ticked");
    }

    /// Unticks a checkbox by clicking its label.
    pub async fn choose_off(&mut self, id: &str) {
        self.tally.clicks += 1;
        self.find(Locator::Css(&format!("label[for='{id}']")))
            .await
            .click()
            .await
            .expect("click label");
        let checked = self.element(id).await.prop("checked").await.unwrap();
        assert_eq!(checked.as_deref(), Some("false"), "#{id} is unticked");
    }

    /// Ticks the radio or checkbox of group `name` whose value is `value`, by its label.
    pub async fn pick(&mut self, name: &str, value: &str) {
        let css = format!("input[name='{name}'][value='{value}']");
        let id = self
            .find(Locator::Css(&css))
            .await
            .attr("id")
            .await
            .unwrap()
            .expect("the input has an id");
        self.choose(&id).await;
    }

    /// Picks an option of a select by its value.
    pub async fn select(&mut self, id: &str, value: &str) {
        self.tally.clicks += 1;
        self.element(id)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("no option {value} in #{id}: {e}"));
    }

    /// Fills a GOV.UK date input's three boxes.
    pub async fn date(&self, id: &str, on: NaiveDate) {
        self.fill(&format!("{id}-day"), &on.day().to_string()).await;
        self.fill(&format!("{id}-month"), &on.month().to_string())
            .await;
        self.fill(&format!("{id}-year"), &on.year().to_string())
            .await;
    }

    /// Marks the current document, so a wait can tell when a new one has loaded.
    async fn mark_document(&mut self) {
        self.count_htmx_requests().await;
        self.client
            .execute("window.__redressOldPage = true;", vec![])
            .await
            .expect("mark the page");
    }

    /// Waits until the marked document has been replaced and the new one has loaded.
    async fn wait_for_new_document(&mut self) {
        self.count_new_document();
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let state = self
                .client
                .execute(
                    "return window.__redressOldPage === true ? 'old' : document.readyState;",
                    vec![],
                )
                .await;
            // A command can race the navigation itself; ask again.
            if let Ok(state) = state {
                if state == json!("complete") {
                    return;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no new page loaded within {WAIT:?}; still on {}",
                self.where_().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until a JavaScript expression is true in the page (asked every 50 ms).
    pub async fn wait_until(&self, expression: &str, what: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        let script = format!("return !!({expression});");
        loop {
            if let Ok(true) = self
                .client
                .execute(&script, vec![])
                .await
                .map(|v| v == json!(true))
            {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited {WAIT:?} for {what} on {}",
                self.where_().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks something that loads a new page, waits for it, and checks it with axe.
    pub async fn click_to_new_page(&mut self, locator: Locator<'_>) {
        let target = self.find(locator).await;
        self.mark_document().await;
        self.tally.clicks += 1;
        target.click().await.expect("click");
        self.wait_for_new_document().await;
        self.check().await;
    }

    /// Presses the form's button with this text.
    pub async fn press(&mut self, button: &str) {
        let xpath = format!("//main//button[normalize-space()='{button}']");
        self.click_to_new_page(Locator::XPath(&xpath)).await;
    }

    /// Follows the link (or GOV.UK button-styled link) with this text, opening the
    /// "More actions" (or any closed details) it sits in first, as a person must.
    pub async fn follow(&mut self, link: &str) {
        let xpath = format!("//main//a[normalize-space()='{link}']");
        let target = self.find(Locator::XPath(&xpath)).await;
        let hidden_in = self
            .client
            .execute(
                "const d = arguments[0].closest('details:not([open])');
                 return d ? d.id : null;",
                vec![serde_json::to_value(&target).expect("element as an argument")],
            )
            .await
            .expect("look for a closed details");
        if let Some(id) = hidden_in.as_str() {
            let summary = format!("#{id} > summary");
            self.tally.clicks += 1;
            self.find(Locator::Css(&summary))
                .await
                .click()
                .await
                .expect("open the details");
        }
        self.click_to_new_page(Locator::XPath(&xpath)).await;
    }

    /// Follows one of the navigation links in the header.
    pub async fn nav(&mut self, label: &str) {
        let xpath = format!("//nav//a[normalize-space()='{label}']");
        self.click_to_new_page(Locator::XPath(&xpath)).await;
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&mut self, email: &str) {
        self.sign_in_with(email, PASSWORD).await;
    }

    pub async fn sign_in_with(&mut self, email: &str, password: &str) {
        self.visit("/login").await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.press("Sign in").await;
        let path = self.path().await;
        assert!(
            !path.starts_with("/login"),
            "sign in as {email} failed: {}",
            self.main_text().await
        );
    }

    /// Signs out with the header's button.
    pub async fn sign_out(&mut self) {
        let button = Locator::XPath("//header//button[normalize-space()='Sign out']");
        self.click_to_new_page(button).await;
        assert!(self.path().await.starts_with("/login"), "signed out");
    }

    /// Presses keys through WebDriver's keyboard (no pointer involved).
    pub async fn keys(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".to_string());
        for &k in keys {
            actions = actions
                .then(KeyAction::Down { value: k })
                .then(KeyAction::Up { value: k });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("keyboard actions");
    }

    /// Types text with the keyboard into whatever has focus.
    pub async fn type_text(&self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        self.keys(&chars).await;
    }

    /// The id of the focused element ("" if it has none).
    pub async fn focused_id(&self) -> String {
        self.client
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await
            .expect("active element")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Presses Tab until the element with this id has focus (at most `limit` times).
    pub async fn tab_to(&self, id: &str, limit: usize) {
        for _ in 0..limit {
            self.keys(&[Key::Tab.into()]).await;
            if self.focused_id().await == id {
                return;
            }
        }
        panic!(
            "#{id} not reached with {limit} Tab presses on {}",
            self.where_().await
        );
    }

    /// Presses Tab until the focused element is a link or button with this text.
    pub async fn tab_to_text(&self, text: &str, limit: usize) {
        for _ in 0..limit {
            self.keys(&[Key::Tab.into()]).await;
            let focused = self
                .client
                .execute(
                    "const e = document.activeElement; return e ? e.textContent.trim() : '';",
                    vec![],
                )
                .await
                .expect("active element");
            if focused == json!(text) {
                return;
            }
        }
        panic!(
            "{text:?} not reached with {limit} Tab presses on {}",
            self.where_().await
        );
    }

    /// Presses a key that loads a new page (Enter on a link or button), then checks it.
    pub async fn key_to_new_page(&mut self, key: Key) {
        self.mark_document().await;
        self.tally.clicks += 1;
        self.keys(&[key.into()]).await;
        self.wait_for_new_document().await;
        self.check().await;
    }

    /// The hrefs of the error summary's links, and whether each points at a form field.
    pub async fn error_summary_links(&self) -> Vec<(String, String)> {
        let found = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('.govuk-error-summary__list a'))
                   .map(a => {
                     const id = a.getAttribute('href').replace(/^#/, '');
                     const el = document.getElementById(id);
                     return [a.getAttribute('href'), el ? el.tagName.toLowerCase() : 'missing'];
                   });",
                vec![],
            )
            .await
            .expect("error summary links");
        serde_json::from_value(found).expect("pairs")
    }

    /// Writes a picture of the whole page (up to a limit) to docs/screenshots/{name}.png.
    pub async fn screenshot(&self, name: &str) {
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .expect("page height")
            .as_u64()
            .unwrap_or(u64::from(driver::WINDOW.1))
            .clamp(600, 2400) as u32;
        self.client
            .set_window_size(driver::WINDOW.0, height)
            .await
            .expect("resize");
        let png = self.client.screenshot().await.expect("screenshot");
        self.client
            .set_window_size(driver::WINDOW.0, driver::WINDOW.1)
            .await
            .expect("resize back");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("docs/screenshots");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}
