//! One page template for the Ombudsman stage's forms: each form is a list of [`Field`]s
//! built from what was typed (so a form shown again keeps it), rendered with the GOV.UK
//! components, errors beside their fields.

use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};

use crate::domain::date_input::DateField;
use crate::web::forms::{FieldErrors, Opt};
use crate::web::page::PageCtx;

/// What a form posted: every name/value pair, in order (a checkbox group repeats its name).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Typed(pub Vec<(String, String)>);

impl Typed {
    /// The first value posted as `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }

    /// Sets the three boxes of date `name` to `date`.
    pub fn set_date(&mut self, name: &str, date: NaiveDate) {
        self.set(&format!("{name}_day"), date.day().to_string());
        self.set(&format!("{name}_month"), date.month().to_string());
        self.set(&format!("{name}_year"), date.year().to_string());
    }

    /// The form's version field (0 when missing or not a number).
    pub fn version(&self) -> i32 {
        self.get("version").trim().parse().unwrap_or(0)
    }

    /// Reads date `name` (boxes `{name}_day` …) as `field` describes it.
    pub fn date(
        &self,
        errors: &mut FieldErrors,
        name: &str,
        field: DateField,
        required: bool,
    ) -> Option<NaiveDate> {
        let parsed = field.parse(
            self.get(&format!("{name}_day")),
            self.get(&format!("{name}_month")),
            self.get(&format!("{name}_year")),
            required,
        );
        errors.take(parsed).flatten()
    }

    /// Trimmed text `name`, required (with `missing` as its message) or not, at most `max`
    /// characters.
    pub fn text(
        &self,
        errors: &mut FieldErrors,
        name: &str,
        id: &str,
        label: &str,
        missing: Option<&str>,
        max: usize,
    ) -> String {
        let value = self.get(name).trim().to_string();
        if let (Some(message), true) = (missing, value.is_empty()) {
            errors.add(id, message);
        }
        crate::web::forms::check_length(errors, id, label, &value, max);
        value
    }
}

/// One part of a form. The tuple fields are, in order, as each variant's comment says.
pub enum Field {
    /// (text, hint): a heading between groups of questions.
    Heading(String, String),
    /// (id, name, label, hint, value, classes)
    Text(String, String, String, String, String, String),
    /// (id, name, label, hint, value, rows)
    Area(String, String, String, String, String, u32),
    /// (id, name, legend, hint, day, month, year)
    Date(String, String, String, String, String, String, String),
    /// (id, name, legend, hint, options, selected)
    Radios(String, String, String, String, Vec<Opt>, String),
    /// (id, name, label, hint, options, selected, empty choice)
    Select(String, String, String, String, Vec<Opt>, String, String),
    /// (id, name, legend, hint, options with whether each is ticked)
    Checks(String, String, String, String, Vec<(Opt, bool)>),
}

impl Field {
    pub fn heading(text: &str, hint: &str) -> Field {
        Field::Heading(text.into(), hint.into())
    }

    /// A text box named like its id with hyphens as underscores.
    pub fn text(typed: &Typed, id: &str, label: &str, hint: &str, classes: &str) -> Field {
        let name = id.replace('-', "_");
        Field::Text(
            id.into(),
            name.clone(),
            label.into(),
            hint.into(),
            typed.get(&name).into(),
            classes.into(),
        )
    }

    pub fn area(typed: &Typed, id: &str, label: &str, hint: &str, rows: u32) -> Field {
        let name = id.replace('-', "_");
        Field::Area(
            id.into(),
            name.clone(),
            label.into(),
            hint.into(),
            typed.get(&name).into(),
            rows,
        )
    }

    pub fn date(typed: &Typed, id: &str, legend: &str, hint: &str) -> Field {
        let name = id.replace('-', "_");
        let part = |p: &str| typed.get(&format!("{name}_{p}")).to_string();
        Field::Date(
            id.into(),
            name.clone(),
            legend.into(),
            hint.into(),
            part("day"),
            part("month"),
            part("year"),
        )
    }

    pub fn radios(typed: &Typed, id: &str, legend: &str, hint: &str, options: Vec<Opt>) -> Field {
        let name = id.replace('-', "_");
        Field::Radios(
            id.into(),
            name.clone(),
            legend.into(),
            hint.into(),
            options,
            typed.get(&name).into(),
        )
    }

    pub fn select(
        typed: &Typed,
        id: &str,
        label: &str,
        hint: &str,
        options: Vec<Opt>,
        empty: &str,
    ) -> Field {
        let name = id.replace('-', "_");
        Field::Select(
            id.into(),
            name.clone(),
            label.into(),
            hint.into(),
            options,
            typed.get(&name).into(),
            empty.into(),
        )
    }

    pub fn checks(typed: &Typed, id: &str, legend: &str, hint: &str, options: Vec<Opt>) -> Field {
        let name = id.replace('-', "_");
        let ticked = typed.all(&name);
        Field::Checks(
            id.into(),
            name.clone(),
            legend.into(),
            hint.into(),
            options
                .into_iter()
                .map(|o| {
                    let on = ticked.contains(&o.value.as_str());
                    (o, on)
                })
                .collect(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "ombudsman/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub title: String,
    pub caption: String,
    pub intro: Vec<String>,
    pub back_href: String,
    pub back_label: String,
    pub action: String,
    pub version: i32,
    pub fields: Vec<Field>,
    pub submit: String,
    pub errors: FieldErrors,
}
