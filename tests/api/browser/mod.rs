//! Real-browser tests: the app on loopback (as every test here), driven by headless Chromium
//! through chromedriver, with axe-core checking every page a journey reaches against
//! WCAG 2.2 AA. They run when `TEST_CHROMIUM` is set (CI sets it) and fail then if Chromium or
//! chromedriver is missing; otherwise each test prints that it was skipped and returns.
//!
//! - `driver`: chromedriver + Chromium processes; `page`: the `Browser` a test drives;
//!   `axe`: the accessibility check.
//! - `staff`: the whole life of a complaint through two stages, signed in as each role.
//!   `steps`: the steps it is made of, one function each, for other journeys to reuse.
//! - `public_form`, `work_list` (htmx filtering), `no_javascript`, `keyboard`, `errors`,
//!   `reflow` (320 px wide), `tour` (every other page), `bulk` (acting on a work list).
//!
//! Screenshots of the main pages are written to docs/screenshots/ as the tests pass them.

mod axe;
mod bulk;
mod clicks;
mod code_letters;
mod corrections;
mod driver;
mod errors;
mod keyboard;
mod no_javascript;
mod ombudsman;
mod page;
mod public_form;
mod reflow;
mod staff;
mod steps;
mod tour;
mod work_list;

/// Returns early (after saying so once) unless `TEST_CHROMIUM` is set.
macro_rules! require_chromium {
    () => {
        if !$crate::browser::driver::enabled() {
            eprintln!("skipped: set TEST_CHROMIUM=1 to run this browser test");
            return;
        }
    };
}
pub(crate) use require_chromium;
