//! Demo reference data: complaint categories (each belonging to a service area, with the
//! kinds of thing residents write about it), contractors, and the landlord's properties.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::words::{BLOCK_NAMES, POSTCODE_UNIT_LETTERS, STREET_KINDS, STREET_NAMES, TOWNS};
use crate::db::categories::{self, NewCategory};
use crate::db::complainants::PropertyRow;
use crate::db::contractors::{self, NewContractor};
use crate::db::DbConnection;
use crate::domain::{CategoryId, ContractorId, PropertyId};

pub struct CategoryPlan {
    pub name: &'static str,
    /// Index into the demo service areas (`people::AREAS` order).
    pub area: usize,
    /// How often a complaint in this category is about a contractor.
    pub contractor_share: f64,
    pub descriptions: &'static [&'static str],
}

pub const CATEGORIES: &[CategoryPlan] = &[
    CategoryPlan {
        name: "Damp and mould",
        area: 0,
        contractor_share: 0.4,
        descriptions: &[
            "Black mould is growing on the bedroom walls and ceiling again after it was painted over.",
            "Condensation runs down the windows every morning and the children's clothes are going mouldy.",
            "There is a damp patch spreading from the bathroom into the hallway.",
        ],
    },
    CategoryPlan {
        name: "Responsive repairs",
        area: 0,
        contractor_share: 0.5,
        descriptions: &[
            "The kitchen tap has been leaking into the cupboard underneath and the floor is rotting.",
            "The front door does not lock properly and I do not feel safe.",
            "Part of the ceiling came down after a leak from the flat above.",
        ],
    },
    CategoryPlan {
        name: "Heating and hot water",
        area: 0,
        contractor_share: 0.7,
        descriptions: &[
            "The boiler keeps cutting out and we have had no heating or hot water for days at a time.",
            "The engineer said a part was on order but nobody came back to fit it.",
        ],
    },
    CategoryPlan {
        name: "Repair appointments",
        area: 0,
        contractor_share: 0.6,
        descriptions: &[
            "I took a day off work for the repair appointment and nobody turned up.",
            "The operative arrived without the right materials and left after ten minutes.",
        ],
    },
    CategoryPlan {
        name: "Grounds maintenance",
        area: 1,
        contractor_share: 0.5,
        descriptions: &[
            "The communal grass has not been cut all summer and the play area is overgrown.",
            "Overhanging trees are blocking light to our windows and damaging the fence.",
        ],
    },
    CategoryPlan {
        name: "Communal cleaning",
        area: 1,
        contractor_share: 0.5,
        descriptions: &[
            "The stairwell has not been cleaned for weeks and smells of urine.",
            "Rubbish is piling up in the bin store and attracting rats.",
        ],
    },
    CategoryPlan {
        name: "Lifts and door entry",
        area: 1,
        contractor_share: 0.6,
        descriptions: &[
            "The lift has been out of order for two weeks and I cannot get my pushchair upstairs.",
            "The door entry system is broken so anyone can get into the block.",
        ],
    },
    CategoryPlan {
        name: "Rent account",
        area: 2,
        contractor_share: 0.0,
        descriptions: &[
            "My rent account shows arrears but I pay by direct debit every month.",
            "A payment I made at the post office has not been credited to my account.",
        ],
    },
    CategoryPlan {
        name: "Service charges",
        area: 2,
        contractor_share: 0.0,
        descriptions: &[
            "I am being charged for communal cleaning that is never done.",
            "The service charge went up by a third with no explanation.",
        ],
    },
    CategoryPlan {
        name: "Noise nuisance",
        area: 3,
        contractor_share: 0.0,
        descriptions: &[
            "The neighbours play loud music until the early hours most nights.",
            "I have kept noise diaries for months and nothing has been done.",
        ],
    },
    CategoryPlan {
        name: "Neighbour dispute",
        area: 3,
        contractor_share: 0.0,
        descriptions: &[
            "My neighbour has been abusive to my family and the case was closed without telling me.",
            "The neighbour's dogs are left in the garden all day barking.",
        ],
    },
    CategoryPlan {
        name: "Allocations",
        area: 4,
        contractor_share: 0.0,
        descriptions: &[
            "My housing application was put in the wrong band despite the medical evidence.",
            "We are overcrowded and have been waiting years for a transfer.",
        ],
    },
    CategoryPlan {
        name: "Empty homes standard",
        area: 4,
        contractor_share: 0.4,
        descriptions: &[
            "The flat I moved into had no flooring and the kitchen was filthy.",
            "The home was let with an electrical fault that the void inspection missed.",
        ],
    },
    CategoryPlan {
        name: "Staff conduct",
        area: 5,
        contractor_share: 0.1,
        descriptions: &[
            "The officer I spoke to was rude and put the phone down on me.",
            "A member of staff discussed my case in front of my neighbours.",
        ],
    },
    CategoryPlan {
        name: "Communication",
        area: 5,
        contractor_share: 0.0,
        descriptions: &[
            "I have emailed several times and never had a reply.",
            "I was promised a call back that never came, three times.",
        ],
    },
];

const CONTRACTORS: &[&str] = &[
    "Northgate Building Services Ltd",
    "Pennine Heating Ltd",
    "Greenway Grounds Ltd",
    "Brightside Cleaning Services",
    "Castle Lifts Ltd",
    "Apex Roofing and Building",
    "Riverside Electrical Contractors",
    "Kestrel Pest Control",
    "Summit Windows and Doors",
    "Meridian Gas Services",
];

pub struct ReferenceData {
    /// In [`CATEGORIES`] order.
    pub categories: Vec<CategoryId>,
    pub contractors: Vec<ContractorId>,
}

/// Creates (or finds, by name) the demo categories and contractors.
pub fn ensure_reference_data(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<ReferenceData> {
    let existing = categories::list_all(conn)?;
    let mut category_ids = Vec::new();
    for plan in CATEGORIES {
        let id = match existing.iter().find(|c| c.name == plan.name) {
            Some(row) => row.id,
            None => {
                categories::insert(
                    conn,
                    &NewCategory {
                        name: plan.name,
                        active: true,
                        created_at: now,
                        updated_at: now,
                    },
                )?
                .id
            }
        };
        category_ids.push(id);
    }
    let existing = contractors::list_all(conn)?;
    let mut contractor_ids = Vec::new();
    for name in CONTRACTORS {
        let id = match existing.iter().find(|c| c.name == *name) {
            Some(row) => row.id,
            None => {
                let slug: String = name
                    .to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                let email = format!("complaints@{slug}.example");
                contractors::insert(
                    conn,
                    &NewContractor {
                        name,
                        contact_email: Some(&email),
                        active: true,
                        created_at: now,
                        updated_at: now,
                    },
                )?
                .id
            }
        };
        contractor_ids.push(id);
    }
    Ok(ReferenceData {
        categories: category_ids,
        contractors: contractor_ids,
    })
}

/// Columns per row, for sizing multi-row INSERTs.
pub const PROPERTY_COLUMNS: usize = 5;

/// A demo property with the id given. Streets keep one postcode district, as real ones do.
pub fn property(rng: &mut ChaCha8Rng, id: PropertyId, now: NaiveDateTime) -> PropertyRow {
    let (town, area) = TOWNS[rng.random_range(0..TOWNS.len())];
    let street_no = rng.random_range(0..STREET_NAMES.len() * STREET_KINDS.len());
    let street = format!(
        "{} {}",
        STREET_NAMES[street_no % STREET_NAMES.len()],
        STREET_KINDS[street_no / STREET_NAMES.len()]
    );
    let district = 1 + street_no % 28;
    let house = rng.random_range(1..=180u32);
    let line_1 = if rng.random_bool(0.25) {
        let block = BLOCK_NAMES[street_no % BLOCK_NAMES.len()];
        format!(
            "Flat {}, {block}\n{house} {street}",
            rng.random_range(1..=60u32)
        )
    } else {
        format!("{house} {street}")
    };
    let unit = |rng: &mut ChaCha8Rng| {
        POSTCODE_UNIT_LETTERS[rng.random_range(0..POSTCODE_UNIT_LETTERS.len())] as char
    };
    let postcode = format!(
        "{area}{district} {}{}{}",
        1 + house % 9,
        unit(rng),
        unit(rng)
    );
    PropertyRow {
        id,
        address: format!("{line_1}\n{town}"),
        postcode,
        property_reference: Some(format!("PRP-{:07}", id.0)),
        created_at: now,
    }
}
