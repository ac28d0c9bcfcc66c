//! axe-core, vendored under tests/vendor/axe-core (never served by the app), run in the page
//! through WebDriver. Scripts run by the driver are not page scripts, so the app's
//! `script-src 'self'` does not block them and the CSP stays as it is in production; they also
//! run when the page's own JavaScript is switched off.

use fantoccini::Client;
use serde::Deserialize;
use serde_json::json;

const AXE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vendor/axe-core/axe.min.js"
));

/// WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no 2.2 A rules beyond 2.1's).
pub const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
pub struct Node {
    pub target: serde_json::Value,
    pub html: String,
    #[serde(rename = "failureSummary")]
    pub failure_summary: Option<String>,
}

/// With the page's JavaScript switched off, Chromium still runs WebDriver's scripts and their
/// promise callbacks but never fires timers, on which axe schedules its work: this stand-in
/// runs timer callbacks as promise callbacks instead. Only installed in such a page, where no
/// page script can be affected by it.
const TIMERS_AS_MICROTASKS: &str = "
window.setTimeout = function (callback, delay) {
  var args = Array.prototype.slice.call(arguments, 2);
  Promise.resolve().then(function () { callback.apply(null, args); });
  return 0;
};
window.clearTimeout = function () {};
";

/// Runs axe on the current page and returns what it found at WCAG 2.2 AA.
pub async fn violations(client: &Client, page_scripts_off: bool) -> Vec<Violation> {
    let loaded = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("ask whether axe is loaded");
    if loaded != json!(true) {
        client
            .execute(
                &format!(
                    "{}{AXE}\nreturn true;",
                    if page_scripts_off {
                        TIMERS_AS_MICROTASKS
                    } else {
                        ""
                    }
                ),
                vec![],
            )
            .await
            .expect("inject axe-core");
    }
    let result = client
        .execute_async(
            "const [tags, done] = arguments;
             axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
               .then(r => done({ ok: r.violations }))
               .catch(e => done({ error: String(e) }));",
            vec![json!(TAGS)],
        )
        .await
        .expect("run axe-core");
    if let Some(error) = result.get("error") {
        panic!("axe-core failed: {error}");
    }
    // Every violation counts, none is let through. (GOV.UK's conditional reveal, which puts
    // `aria-expanded` on radios, is replaced by the app's own in static/app.js for that reason.)
    serde_json::from_value(result["ok"].clone()).expect("axe-core's violations")
}

/// A readable list: rule, impact, the elements (CSS selectors), and where to read more.
pub fn report(violations: &[Violation]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!(
            "\n- {} ({}): {}\n  {}\n",
            v.id,
            v.impact.as_deref().unwrap_or("no impact given"),
            v.help,
            v.help_url
        ));
        for n in &v.nodes {
            out.push_str(&format!("    at {}\n       {}\n", n.target, n.html));
            if let Some(summary) = &n.failure_summary {
                for line in summary.lines() {
                    out.push_str(&format!("       {line}\n"));
                }
            }
        }
    }
    out
}
