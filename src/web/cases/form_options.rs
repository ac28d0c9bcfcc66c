//! The choices the complaint forms offer, built from the domain's vocabularies and the
//! reference data, worded for staff or for the public.

use crate::db::{categories, contractors, DbConnection};
use crate::domain::case::{
    Adjustment, Channel, ContactMethod, RepresentativeRelationship, TenancyRelationship,
};
use crate::web::forms::Opt;

pub struct ComplaintOptions {
    pub channels: Vec<Opt>,
    pub tenancies: Vec<Opt>,
    pub contact_methods: Vec<Opt>,
    pub adjustments: Vec<Opt>,
    pub relationships: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub contractors: Vec<Opt>,
    pub tenancy_legend: &'static str,
    pub contact_legend: &'static str,
    pub adjustments_legend: &'static str,
    pub occurred_legend: &'static str,
    pub aware_legend: &'static str,
    pub description_label: &'static str,
    pub outcome_label: &'static str,
}

fn opts<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Opt> {
    all.iter().map(|v| Opt::new(value(*v), label(*v))).collect()
}

impl ComplaintOptions {
    fn vocabularies(public: bool) -> ComplaintOptions {
        let say = |staff: &'static str, public_text: &'static str| {
            if public {
                public_text
            } else {
                staff
            }
        };
        ComplaintOptions {
            channels: opts(Channel::ALL, Channel::as_str, Channel::label),
            tenancies: opts(
                TenancyRelationship::ALL,
                TenancyRelationship::as_str,
                TenancyRelationship::label,
            ),
            contact_methods: opts(
                ContactMethod::ALL,
                ContactMethod::as_str,
                ContactMethod::label,
            ),
            adjustments: opts(Adjustment::ALL, Adjustment::as_str, Adjustment::label),
            relationships: opts(
                RepresentativeRelationship::ALL,
                RepresentativeRelationship::as_str,
                RepresentativeRelationship::label,
            ),
            categories: Vec::new(),
            contractors: Vec::new(),
            tenancy_legend: say(
                "Relationship to the home",
                "Are you a tenant, leaseholder or something else?",
            ),
            contact_legend: say(
                "Preferred way to be contacted (optional)",
                "How would you like us to contact you? (optional)",
            ),
            adjustments_legend: say(
                "Reasonable adjustments the complainant needs (optional)",
                "Do you need us to do anything differently to help you? (optional)",
            ),
            occurred_legend: say("Date the problem happened", "When did the problem happen?"),
            aware_legend: say(
                "Date the resident became aware of it (optional)",
                "When did you find out about it? (optional)",
            ),
            description_label: say(
                "Our understanding of the complaint",
                "Tell us what happened",
            ),
            outcome_label: say(
                "Outcome the resident is seeking (optional)",
                "What would put things right for you? (optional)",
            ),
        }
    }

    pub fn public() -> ComplaintOptions {
        ComplaintOptions::vocabularies(true)
    }

    pub fn staff(conn: &mut DbConnection) -> diesel::QueryResult<ComplaintOptions> {
        let mut options = ComplaintOptions::vocabularies(false);
        options.categories = categories::list_active(conn)?
            .into_iter()
            .map(|c| Opt::new(c.id.to_string(), c.name))
            .collect();
        options.contractors = contractors::list_active(conn)?
            .into_iter()
            .map(|c| Opt::new(c.id.to_string(), c.name))
            .collect();
        Ok(options)
    }
}
