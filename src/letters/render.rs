//! Rendering a letter: the HTML (email body and print view) and its plain-text alternative,
//! from the same view model, with askama (HTML escaped, text not).

use askama::Template;

use super::view::LetterView;

#[derive(Template)]
#[template(path = "letters/letter.html")]
pub struct LetterHtml<'a> {
    pub v: &'a LetterView,
}

#[derive(Template)]
#[template(path = "letters/letter.txt")]
pub struct LetterText<'a> {
    pub v: &'a LetterView,
}

/// A rendered letter.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

pub fn render(view: &LetterView) -> Result<Rendered, askama::Error> {
    Ok(Rendered {
        subject: format!("{}: {}", view.reference, view.kind.subject()),
        html: LetterHtml { v: view }.render()?,
        text: tidy(&LetterText { v: view }.render()?),
    })
}

/// The email's HTML document around a frozen letter.
pub fn email_document(letter_html: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; max-width: 40em\">\n{letter_html}\n</body></html>\n"
    )
}

/// A letter shown inside a staff page (the editor's preview, a sent letter): its headings
/// move two levels down, under the page's own `h1` and the section's `h2`, so the page keeps
/// one `h1` and a heading order screen-reader users can follow. The letter's HTML comes from
/// our templates (every user-supplied field escaped), so its heading tags are only ours.
pub fn within_page(letter_html: &str) -> String {
    let mut shown = letter_html.to_string();
    for level in (1..=4).rev() {
        let (from, to) = (level, level + 2);
        shown = shown
            .replace(&format!("<h{from}"), &format!("<h{to}"))
            .replace(&format!("</h{from}>"), &format!("</h{to}>"));
    }
    shown
}

/// At most one blank line in a row, and no trailing spaces: templates leave a few.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_start_matches('\n').to_string()
}

#[cfg(test)]
mod within_page_tests {
    use super::within_page;

    #[test]
    fn headings_move_two_levels_down_once() {
        let shown = within_page("<h1 class=\"t\">Title</h1><h2>Why</h2><h3>More</h3><p>h1</p>");
        assert_eq!(
            shown,
            "<h3 class=\"t\">Title</h3><h4>Why</h4><h5>More</h5><p>h1</p>"
        );
    }
}
