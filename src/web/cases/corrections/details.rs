//! The case details page: what was recorded about the complainant and the case, in GOV.UK
//! summary lists, each row with a "Change" link when the viewer may change it now. The
//! identity is shown through the identity gate (a confidential one audited, or withheld);
//! vulnerability notes only to officers and the assignee (audited, as on the case page).

use askama::Template;
use askama_web::WebTemplate;

use crate::cases::access::{self, Viewer};
use crate::cases::available::{self, CaseAction};
use crate::cases::identity;
use crate::cases::load;
use crate::db::audit::{self, AuditEntry};
use crate::db::{categories, complainants, complaint_points, contractors, service_areas, users};
use crate::domain::case::{Adjustment, ContactMethod, TenancyRelationship};
use crate::web::cases::show::long_date;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::runner::CaseRequest;

/// One row of a summary list; `change` is the form's address when the viewer may use it.
pub struct DetailRow {
    pub key: &'static str,
    pub value: String,
    pub change: Option<String>,
}

pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub rows: Vec<DetailRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/details.html")]
pub struct DetailsPage {
    pub ctx: PageCtx,
    pub reference: String,
    pub status_label: String,
    pub sections: Vec<Section>,
    /// Why some things cannot be changed now, in words (e.g. after the first response).
    pub notes: Vec<&'static str>,
}

fn or_none(value: Option<String>, none: &str) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| none.to_string())
}

/// Where a row's "Change" lands on its form, so the field is in view (GOV.UK's pattern). The
/// first row of each form needs none: the form starts there.
fn field_anchor(key: &str) -> &'static str {
    match key {
        "Relationship to the home" => "#tenancy-relationship",
        "Email address" => "#email",
        "Telephone number" => "#phone",
        "Address" => "#address-line-1",
        "Postcode" => "#address-postcode",
        "Preferred way to be contacted" => "#preferred-contact",
        "Interpreter language" => "#interpreter-language",
        "Vulnerability notes" => "#vulnerability-notes",
        "Date received" => "#received",
        "Date the problem happened" => "#occurred",
        "Date the resident became aware" => "#aware",
        "Safeguarding" => "#safeguarding",
        "Confidential complainant" => "#confidential",
        "Contractor" => "#contractor",
        "Service area" => "#service-area",
        "Property" => "#property-address",
        "Outcome sought" => "#outcome-sought",
        _ => "",
    }
}

/// A stored code's words (`tenant` → "Tenant"); a code no longer known is shown as stored.
fn label_of<T: std::str::FromStr>(value: &str, label: fn(T) -> &'static str) -> String {
    value.parse::<T>().map(label).unwrap_or(value).to_string()
}

fn yes_no(on: bool) -> String {
    if on { "Yes" } else { "No" }.to_string()
}

pub async fn page(ctx: CaseRequest) -> AppResult<DetailsPage> {
    let reference = ctx.reference.clone();
    let reader = ctx.user.reader(&ctx.client);
    let viewer_user = ctx.user.clone();
    let ip = ctx.client.0.clone();
    let page = ctx
        .state
        .db(move |conn| {
            let user = viewer_user;
            let loaded = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            let viewer = Viewer {
                id: user.id,
                role: user.role,
                service_areas: &user.service_areas,
            };
            if !access::can_view(&viewer, &loaded.row) {
                return Err(AppError::Forbidden);
            }
            let case = &loaded.row;
            let may: Vec<CaseAction> = available::corrections(&viewer, &loaded);
            let change = |action: CaseAction| {
                may.contains(&action)
                    .then(|| format!("/cases/{}/{}", case.reference, action.path()))
            };
            let row = |key, value: String, action| DetailRow {
                key,
                value,
                change: change(action).map(|href| href + field_anchor(key)),
            };
            let complainant = complainants::find(conn, case.complainant_id)?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("case without complainant")))?;

            let sight = identity::sight(conn, &reader, case, "case details page")?;
            let mut person = Vec::new();
            if sight.shown() {
                let address = complainant.address.as_ref().map(|a| a.replace('\n', ", "));
                person.extend([
                    row("Name", complainant.name.clone(), CaseAction::CorrectContact),
                    row(
                        "Relationship to the home",
                        label_of::<TenancyRelationship>(
                            &complainant.tenancy_relationship,
                            TenancyRelationship::label,
                        ),
                        CaseAction::CorrectContact,
                    ),
                    row(
                        "Email address",
                        or_none(complainant.email.clone(), "Not given"),
                        CaseAction::CorrectContact,
                    ),
                    row(
                        "Telephone number",
                        or_none(complainant.phone.clone(), "Not given"),
                        CaseAction::CorrectContact,
                    ),
                    row(
                        "Address",
                        or_none(address, "Not given"),
                        CaseAction::CorrectContact,
                    ),
                    row(
                        "Postcode",
                        or_none(complainant.postcode.clone(), "Not given"),
                        CaseAction::CorrectContact,
                    ),
                    row(
                        "Preferred way to be contacted",
                        label_of::<ContactMethod>(
                            &complainant.preferred_channel,
                            ContactMethod::label,
                        ),
                        CaseAction::CorrectContact,
                    ),
                ]);
            } else {
                person.push(DetailRow {
                    key: "Name",
                    value: identity::WITHHELD_NAME.to_string(),
                    change: None,
                });
            }

            let adjustments: Vec<String> = complainant
                .adjustments
                .split(',')
                .filter(|a| !a.is_empty())
                .map(|a| label_of::<Adjustment>(a, Adjustment::label))
                .collect();
            let mut needs = vec![
                row(
                    "Reasonable adjustments",
                    if adjustments.is_empty() {
                        "None".to_string()
                    } else {
                        adjustments.join(", ")
                    },
                    CaseAction::CorrectNeeds,
                ),
                row(
                    "Interpreter language",
                    or_none(complainant.interpreter_language.clone(), "Not needed"),
                    CaseAction::CorrectNeeds,
                ),
            ];
            if access::can_see_vulnerability(&viewer, case) {
                if complainant.vulnerability_notes.is_some() {
                    audit::record(
                        conn,
                        &AuditEntry::new(
                            Some(user.id),
                            user.audit_label(),
                            audit::VULNERABILITY_NOTES_VIEWED,
                            format!("case:{}", case.reference),
                            "case details page",
                            Some(&ip),
                        ),
                    )?;
                }
                needs.push(row(
                    "Vulnerability notes",
                    or_none(complainant.vulnerability_notes.clone(), "None"),
                    CaseAction::CorrectNeeds,
                ));
            }

            let mut complaint = vec![
                row(
                    "How received",
                    case.channel.label().to_string(),
                    CaseAction::CorrectDates,
                ),
                row(
                    "Date received",
                    long_date(case.received_on),
                    CaseAction::CorrectDates,
                ),
                row(
                    "Date the problem happened",
                    or_none(case.occurred_on.map(long_date), "Not given"),
                    CaseAction::CorrectDates,
                ),
                row(
                    "Date the resident became aware",
                    or_none(case.aware_on.map(long_date), "Not given"),
                    CaseAction::CorrectDates,
                ),
                row(
                    "Health and safety",
                    yes_no(case.health_and_safety),
                    CaseAction::CorrectFlags,
                ),
                row(
                    "Safeguarding",
                    yes_no(case.safeguarding),
                    CaseAction::CorrectFlags,
                ),
                row(
                    "Confidential complainant",
                    yes_no(case.confidential),
                    CaseAction::CorrectFlags,
                ),
            ];
            let category = match case.category_id {
                Some(id) => categories::find(conn, id)?.map(|c| c.name),
                None => None,
            };
            let contractor = match case.contractor_id {
                Some(id) => contractors::find(conn, id)?.map(|c| c.name),
                None => None,
            };
            let area = match case.service_area_id {
                Some(id) => service_areas::find(conn, id)?.map(|a| a.name),
                None => None,
            };
            complaint.extend([
                row(
                    "Category",
                    or_none(category, "Not yet known"),
                    CaseAction::CorrectClassification,
                ),
                row(
                    "Contractor",
                    or_none(contractor, "Not about a contractor"),
                    CaseAction::CorrectClassification,
                ),
                row(
                    "Service area",
                    or_none(area, "Not yet set"),
                    CaseAction::CorrectClassification,
                ),
            ]);
            let property = match case.property_id {
                Some(id)
                    if identity::property_shown(conn, &reader, &loaded, "case details page")? =>
                {
                    complainants::find_property(conn, id)?
                        .map(|p| format!("{}, {}", p.address.replace('\n', ", "), p.postcode))
                }
                Some(_) => Some(
                    "Withheld: the complainant is confidential and has not agreed to share it"
                        .to_string(),
                ),
                None => None,
            };
            complaint.push(row(
                "Property",
                or_none(property, "None recorded"),
                CaseAction::CorrectClassification,
            ));
            complaint.extend([
                row(
                    "Description",
                    sight.text(&case.description),
                    CaseAction::CorrectDescription,
                ),
                row(
                    "Outcome sought",
                    or_none(Some(sight.text(&case.outcome_sought)), "Not given"),
                    CaseAction::CorrectDescription,
                ),
            ]);

            if let Some(stage) = loaded
                .state
                .stage
                .filter(|_| loaded.state.current_acknowledgement().is_some())
            {
                let agreed: Vec<String> = complaint_points::for_case(conn, case.id)?
                    .into_iter()
                    .filter(|(s, _, _)| *s == stage.to_string())
                    .map(|(_, n, text)| format!("{n}. {}", sight.text(&text)))
                    .collect();
                complaint.push(row(
                    "Complaint points",
                    or_none(Some(agreed.join("\n")), "None recorded"),
                    CaseAction::AmendPoints,
                ));
            }

            let officer = match case.case_officer_id {
                Some(id) => users::find(conn, id)?.map(|u| u.display_name),
                None => None,
            };
            let people = vec![row(
                "Case officer",
                or_none(officer, "Not yet: set at triage"),
                CaseAction::ChangeCaseOfficer,
            )];

            let mut notes = Vec::new();
            if access::permits(&viewer, case, CaseAction::CorrectDates.who()) {
                for action in [CaseAction::CorrectDates, CaseAction::CorrectDescription] {
                    if let Err(why) = action.applies(&loaded) {
                        notes.push(why);
                    }
                }
            }
            Ok(DetailsPage {
                ctx: PageCtx::default(),
                reference: case.reference.clone(),
                status_label: case.status.label().to_string(),
                sections: vec![
                    Section {
                        id: "complainant",
                        title: "Complainant",
                        rows: person,
                    },
                    Section {
                        id: "adjustments",
                        title: "Adjustments and vulnerability",
                        rows: needs,
                    },
                    Section {
                        id: "complaint",
                        title: "The complaint",
                        rows: complaint,
                    },
                    Section {
                        id: "people",
                        title: "People",
                        rows: people,
                    },
                ],
                notes,
            })
        })
        .await?;
    Ok(DetailsPage {
        ctx: ctx.user.page().with_flash(&ctx.session),
        ..page
    })
}
