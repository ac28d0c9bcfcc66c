//! A subject access request's page: its deadline, the person's cases (sure matches ticked for
//! export, a name-only match left for the officer to check), each case's notes and files with
//! their markings, and the export.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::{due_tag, load, long, DueTag};
use crate::cases::page::{Looking, PageError, PageRules};
use crate::privacy::subject_access::gather;
use crate::privacy::subject_access::review::{self, ReviewItem};
use crate::rules::RagThresholds;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub struct Line {
    pub label: &'static str,
    pub value: String,
}

pub struct ItemRow {
    pub what: String,
    pub excerpt: String,
    pub marking: String,
    pub href: String,
}

pub struct CaseRow {
    pub reference: String,
    pub received: String,
    pub status: String,
    pub confidential: bool,
    pub because: String,
    pub sure: bool,
    pub items: Vec<ItemRow>,
    pub withheld: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy/subject_access_request.html")]
pub struct RequestPage {
    pub ctx: PageCtx,
    pub id: i32,
    pub person: String,
    pub version: i32,
    pub facts: Vec<Line>,
    pub tag: DueTag,
    pub answered: bool,
    pub may_extend: bool,
    pub cases: Vec<CaseRow>,
}

fn item_row(id: i32, reference: &str, item: ReviewItem) -> ItemRow {
    ItemRow {
        href: format!(
            "/subject-access/{id}/cases/{reference}/{}/{}/marking",
            item.item.kind(),
            item.item.id()
        ),
        what: item.what,
        excerpt: item.excerpt,
        marking: item
            .marking
            .map(|m| m.label().to_string())
            .unwrap_or_else(|| "Included".to_string()),
    }
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<RequestPage> {
    let request = load(&state, &user, path.into_inner()).await?;
    let today = state.clock.today();
    let app = state.clone();
    let (viewer_user, reader) = (user.clone(), user.reader(&client));
    let shown = request.clone();
    let cases = state
        .db(move |conn| {
            let found = review::find_person(conn, &shown)?;
            let looking = Looking {
                viewer: viewer_user.viewer(),
                reader: &reader,
            };
            let rules = PageRules {
                policies: &app.policies,
                calendar: &app.calendar,
                thresholds: RagThresholds {
                    amber_within: app.settings.rules.amber_within,
                },
                today,
            };
            let mut rows = Vec::new();
            for f in found {
                let file = gather::gather(conn, &looking, &rules, &f.case.reference).map_err(
                    |e| match e {
                        PageError::NotFound => AppError::NotFound,
                        PageError::Forbidden => AppError::Forbidden,
                        PageError::Database(e) => e.into(),
                    },
                )?;
                let items: Vec<ItemRow> = review::items(&file)
                    .into_iter()
                    .map(|i| item_row(shown.id, &f.case.reference, i))
                    .collect();
                rows.push(CaseRow {
                    withheld: items.iter().filter(|i| i.marking != "Included").count(),
                    reference: f.case.reference,
                    received: long(f.case.received_on),
                    status: f.case.status.label().to_string(),
                    confidential: f.case.confidential,
                    because: f.matched.because.join(", "),
                    sure: f.matched.sure,
                    items,
                });
            }
            Ok(rows)
        })
        .await?;
    let mut facts = vec![Line {
        label: "Name",
        value: request.person_name.clone(),
    }];
    for (label, value) in [
        ("Email address", &request.email),
        ("Postcode", &request.postcode),
        ("Telephone", &request.telephone),
    ] {
        if let Some(v) = value {
            facts.push(Line {
                label,
                value: v.clone(),
            });
        }
    }
    facts.push(Line {
        label: "Received",
        value: long(request.received_on),
    });
    facts.push(Line {
        label: "Answer due",
        value: long(request.due_on),
    });
    if let Some(reason) = &request.extension_reason {
        facts.push(Line {
            label: "Extended",
            value: format!(
                "By {} {} on {}: {reason}",
                request.extension_months,
                if request.extension_months == 1 {
                    "month"
                } else {
                    "months"
                },
                request.extended_on.map(long).unwrap_or_default()
            ),
        });
    }
    if let Some(answered) = request.answered_on {
        facts.push(Line {
            label: "Answered",
            value: long(answered),
        });
    }
    Ok(RequestPage {
        ctx: user.page().with_flash(&session).current("/"),
        tag: due_tag(&state, &request, today),
        id: request.id,
        person: request.person_name.clone(),
        version: request.version,
        answered: request.answered_on.is_some(),
        may_extend: request.answered_on.is_none() && request.extension_months == 0,
        facts,
        cases,
    })
}
