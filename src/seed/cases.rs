//! Demo cases: who complains, about what, when and through which channel; the timeline from
//! [`super::timeline`]; and the rows (case, events, complainant, representative) that store it.

use std::collections::{BTreeMap, VecDeque};

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::people::Staff;
use super::reference_data::{ReferenceData, CATEGORIES};
use super::residents;
use super::timeline::{self, Actor, Logging, Setup, Storyline};
use super::words::{COMMENTS, COMPLIMENTS, DURATIONS, OUTCOMES_SOUGHT};
use super::{pick, weighted};
use crate::cases::projection::Projection;
use crate::cases::schedule::next_due;
use crate::db::case_events::CaseEventRow;
use crate::db::cases::CaseRow;
use crate::db::complainants::{ComplainantRow, PropertyRow, RepresentativeRow};
use crate::domain::case::{Channel, ExclusionReason, TenancyRelationship};
use crate::domain::{CaseEventId, CaseId, CaseReference, ComplainantId, RepresentativeId, Status};
use crate::rules::{Calendar, PolicyProfile};

/// Columns per row, for sizing multi-row INSERTs.
pub const CASE_COLUMNS: usize = 31;

pub const EVENT_COLUMNS: usize = 9;

/// The rows of a run of cases, written together in one transaction.
#[derive(Debug, Default)]
pub struct Batch {
    pub complainants: Vec<ComplainantRow>,
    pub cases: Vec<CaseRow>,
    pub representatives: Vec<RepresentativeRow>,
    pub events: Vec<CaseEventRow>,
    /// Decisions, frozen outcomes, remedies, learning and payments, for the reports.
    pub outcomes: super::outcomes::OutcomeBatch,
}

/// The next free id of each table the factory fills.
#[derive(Debug, Clone, Copy)]
pub struct NextIds {
    pub case: i32,
    pub complainant: i32,
    pub representative: i32,
    pub event: i32,
    pub decision: i32,
    pub lesson: i32,
}

/// A case a later one may duplicate.
struct Recent {
    id: CaseId,
    reference: CaseReference,
    complainant: ComplainantId,
    tenure: TenancyRelationship,
    property: Option<usize>,
    category: usize,
    description: String,
}

const RECENT: usize = 64;

const CHANNELS: &[(Channel, u32)] = &[
    (Channel::Phone, 30),
    (Channel::Email, 25),
    (Channel::WebForm, 20),
    (Channel::Letter, 6),
    (Channel::InPerson, 5),
    (Channel::Text, 4),
    (Channel::SocialMedia, 4),
    (Channel::MpCouncillor, 6),
];

/// Channels that work when the office is closed.
const OUT_OF_HOURS: &[(Channel, u32)] = &[
    (Channel::Email, 40),
    (Channel::WebForm, 45),
    (Channel::Text, 8),
    (Channel::SocialMedia, 7),
];

/// A London wall-clock time on `date`, `minutes` after midnight, as the UTC timestamp stored.
/// Times are kept between 07:00 and 23:00, clear of the clock changes.
pub fn london(date: NaiveDate, minutes: u32) -> NaiveDateTime {
    let local = date.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(minutes.into());
    chrono_tz::Europe::London
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

pub struct Factory<'a> {
    pub rng: ChaCha8Rng,
    pub calendar: &'a Calendar,
    pub profile: &'a PolicyProfile,
    /// The Code's profile, which CH02 is measured against.
    pub code: &'a PolicyProfile,
    /// A second stream for what later versions of the seeder draw (extensions, decisions),
    /// so the cases the first stream makes stay as they were.
    pub extras: ChaCha8Rng,
    pub today: NaiveDate,
    pub staff: &'a Staff,
    pub reference_data: &'a ReferenceData,
    pub properties: &'a [PropertyRow],
    pub next: NextIds,
    /// The last sequence number used in each year of receipt.
    pub sequences: BTreeMap<i32, u32>,
    /// Every named complainant so far, their home (an index into `properties`) and tenure.
    complainants: Vec<(ComplainantId, usize, TenancyRelationship)>,
    recent: VecDeque<Recent>,
    pub by_status: BTreeMap<&'static str, u32>,
}

impl<'a> Factory<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rng: ChaCha8Rng,
        calendar: &'a Calendar,
        profile: &'a PolicyProfile,
        code: &'a PolicyProfile,
        today: NaiveDate,
        staff: &'a Staff,
        reference_data: &'a ReferenceData,
        properties: &'a [PropertyRow],
        next: NextIds,
        sequences: BTreeMap<i32, u32>,
    ) -> Factory<'a> {
        let mut extras = ChaCha8Rng::from_seed(rng.get_seed());
        extras.set_stream(7);
        Factory {
            rng,
            extras,
            calendar,
            profile,
            code,
            today,
            staff,
            reference_data,
            properties,
            next,
            sequences,
            complainants: Vec::new(),
            recent: VecDeque::with_capacity(RECENT),
            by_status: BTreeMap::new(),
        }
    }

    fn reference(&mut self, received: NaiveDate) -> anyhow::Result<CaseReference> {
        let year = received.year();
        let last = self.sequences.entry(year).or_insert(0);
        *last += 1;
        CaseReference::new(year, *last).map_err(|e| {
            anyhow::anyhow!("too many demo cases received in {year} for six-digit references: {e}")
        })
    }

    /// A new complainant (pushed to the batch), or now and then one who complained before.
    fn complainant(
        &mut self,
        at: NaiveDateTime,
        batch: &mut Batch,
    ) -> (ComplainantId, Option<usize>, TenancyRelationship, bool) {
        if !self.complainants.is_empty() && self.rng.random_bool(0.12) {
            let (id, home, tenure) =
                self.complainants[self.rng.random_range(0..self.complainants.len())];
            return (id, Some(home), tenure, false);
        }
        let anonymous = self.rng.random_bool(0.005);
        let home = self.rng.random_range(0..self.properties.len());
        let id = ComplainantId(self.next.complainant);
        self.next.complainant += 1;
        let row = residents::complainant(&mut self.rng, id, &self.properties[home], anonymous, at);
        let tenure = row
            .tenancy_relationship
            .parse()
            .unwrap_or(TenancyRelationship::Other);
        batch.complainants.push(row);
        if anonymous {
            return (id, None, tenure, true);
        }
        self.complainants.push((id, home, tenure));
        (id, Some(home), tenure, false)
    }

    /// When the matter happened: usually weeks before receipt; long before for a complaint
    /// excluded on the time limit.
    fn occurred(&mut self, received: NaiveDate, too_long_ago: bool) -> NaiveDate {
        if too_long_ago {
            let limit = self.profile.exclusion_limit_months().unwrap_or(12);
            let months = limit + self.rng.random_range(1..=18);
            return received
                .checked_sub_months(Months::new(months))
                .unwrap_or(received);
        }
        let u: f64 = self.rng.random();
        received - Duration::days((u * u * 120.0) as i64)
    }

    /// Generates the next case, received on `received`, into `batch`.
    pub fn case(&mut self, received: NaiveDate, batch: &mut Batch) -> anyhow::Result<()> {
        let story = Storyline::choose(&mut self.rng, self.profile, !self.recent.is_empty());
        let working_day = self.calendar.is_working_day(received)?;
        let channel = weighted(
            &mut self.rng,
            if working_day { CHANNELS } else { OUT_OF_HOURS },
        );
        let logged_minutes = if channel == Channel::WebForm {
            self.rng.random_range(7 * 60..23 * 60)
        } else {
            self.rng.random_range(8 * 60 + 30..17 * 60 + 30)
        };
        let logged_at = london(received, logged_minutes);

        let original = match story {
            Storyline::Duplicate => {
                let i = self.rng.random_range(0..self.recent.len());
                self.recent.get(i)
            }
            _ => None,
        };
        let (complainant, tenure, home, anonymous, category, description, duplicate_of) =
            match original {
                Some(o) => (
                    o.complainant,
                    o.tenure,
                    o.property,
                    false,
                    o.category,
                    format!("Chasing my earlier complaint: {}", o.description),
                    Some((o.id, o.reference)),
                ),
                None => {
                    let (id, home, tenure, anonymous) = self.complainant(logged_at, batch);
                    let category = self.rng.random_range(0..CATEGORIES.len());
                    let description = match story {
                        Storyline::Compliment => pick(&mut self.rng, COMPLIMENTS).to_string(),
                        Storyline::Comment => pick(&mut self.rng, COMMENTS).to_string(),
                        _ => {
                            let what = pick(&mut self.rng, CATEGORIES[category].descriptions);
                            let more = pick(&mut self.rng, DURATIONS);
                            format!("{what} {more}").trim_end().to_string()
                        }
                    };
                    (id, tenure, home, anonymous, category, description, None)
                }
            };
        let plan = &CATEGORIES[category];
        let health_and_safety = self.rng.random_bool(0.05);
        let safeguarding = self.rng.random_bool(0.02);
        let confidential = anonymous || self.rng.random_bool(0.03);
        let exclusion = (story == Storyline::Excluded).then(|| {
            timeline::exclusion(
                &mut self.rng,
                health_and_safety || safeguarding,
                self.profile.exclusion_limit_months().is_some(),
            )
        });
        let too_long_ago = exclusion
            .as_ref()
            .is_some_and(|(reasons, _)| reasons.contains(&ExclusionReason::OccurredTooLongAgo));
        let occurred = self.occurred(received, too_long_ago);
        // Awareness moves the time limit on: never for a complaint excluded on it.
        let aware =
            (self.rng.random_bool(0.1) && !too_long_ago && occurred < received).then(|| {
                occurred
                    + Duration::days(self.rng.random_range(0..=(received - occurred).num_days()))
            });
        let contractor = (self.rng.random_bool(plan.contractor_share)).then(|| {
            let list = &self.reference_data.contractors;
            list[self.rng.random_range(0..list.len())]
        });

        let staff = self.staff;
        let officer = &staff.officers[self.rng.random_range(0..staff.officers.len())];
        let logged_by = if channel == Channel::WebForm {
            Actor::Public
        } else {
            Actor::Staff(&staff.officers[self.rng.random_range(0..staff.officers.len())])
        };
        let reference = self.reference(received)?;
        let id = CaseId(self.next.case);
        self.next.case += 1;
        let setup = Setup {
            story,
            received,
            officer,
            area: &staff.areas[plan.area],
            exclusion,
            duplicate_of,
        };
        let logging = Logging {
            reference,
            channel,
            health_and_safety,
            safeguarding,
            logged_by,
        };
        let (state, steps, responses) = timeline::run(
            &mut self.rng,
            &mut self.extras,
            self.calendar,
            self.profile,
            self.today,
            &setup,
            &logging,
        )?;

        // Timeline rows, at working-hours times that only move forward.
        let mut at = logged_at;
        for (i, step) in steps.iter().enumerate() {
            if i > 0 {
                let minutes = self.rng.random_range(8 * 60 + 30..17 * 60 + 30);
                at = london(step.on, minutes).max(at + Duration::minutes(7));
            }
            let (actor_id, actor_label) = match step.actor {
                Actor::Staff(member) => (Some(member.id), member.label.clone()),
                Actor::Public => (None, "public web form".to_string()),
            };
            batch.events.push(CaseEventRow {
                id: CaseEventId(self.next.event),
                case_id: id,
                kind: step.event.kind().to_string(),
                occurred_on: step.on,
                actor_id,
                actor_label,
                summary: step.event.summary(),
                detail: serde_json::to_string(&step.event)?,
                recorded_at: at,
            });
            self.next.event += 1;
        }

        let projection = Projection::of(&state);
        let area = &staff.areas[plan.area];
        super::outcomes::rows(
            &mut self.extras,
            self.calendar,
            self.profile,
            self.code,
            self.today,
            id,
            (
                Some(self.reference_data.categories[category]),
                contractor,
                channel,
            ),
            area,
            officer.id,
            &responses,
            &mut self.next.decision,
            &mut self.next.lesson,
            &mut batch.outcomes,
        )?;
        // A web form complaint is categorised when it is triaged.
        let untriaged_web_form = channel == Channel::WebForm && state.status == Status::Received;
        let next_due_on = next_due(&state, self.profile, self.calendar, self.today)?;
        let property = home.map(|i| self.properties[i].id);
        let outcome_sought = match story {
            Storyline::Compliment | Storyline::Comment => "",
            _ => pick(&mut self.rng, OUTCOMES_SOUGHT),
        };
        batch.cases.push(CaseRow {
            id,
            reference: reference.to_string(),
            complainant_id: complainant,
            property_id: property,
            channel,
            received_on: received,
            logged_at,
            occurred_on: Some(occurred),
            aware_on: aware,
            classification: projection.classification.map(str::to_string),
            stage: projection.stage,
            status: projection.status,
            health_and_safety,
            safeguarding,
            confidential,
            service_area_id: projection.service_area_id,
            category_id: (!untriaged_web_form).then(|| self.reference_data.categories[category]),
            contractor_id: contractor.filter(|_| !untriaged_web_form),
            case_officer_id: projection.case_officer_id,
            assignee_id: projection.assignee_id,
            description: description.clone(),
            outcome_sought: outcome_sought.to_string(),
            policy: self.profile.name().to_string(),
            stage_started_on: projection.stage_started_on,
            acknowledged_on: projection.acknowledged_on,
            next_due_on,
            closed_at: projection.closed_on.map(|_| at),
            duplicate_of_id: projection.duplicate_of_id,
            version: steps.len() as i32,
            created_at: logged_at,
            updated_at: at,
            tenure,
        });

        if channel == Channel::MpCouncillor || self.rng.random_bool(0.06) {
            let row = residents::representative(
                &mut self.rng,
                RepresentativeId(self.next.representative),
                id,
                channel,
                received,
                self.profile.accepts_solicitors(),
                logged_at,
            );
            self.next.representative += 1;
            batch.representatives.push(row);
        }

        // Nobody could tell an anonymous complainant is chasing an earlier case.
        if !anonymous {
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back(Recent {
                id,
                reference,
                complainant,
                tenure,
                property: home,
                category,
                description,
            });
        }
        *self
            .by_status
            .entry(projection.status.as_str())
            .or_insert(0) += 1;
        Ok(())
    }
}

/// At least this many cases (or all of them) are received in the last this many days.
const RECENT_FLOORS: &[(usize, u32)] = &[(91, 75), (14, 30)];

/// How many cases are received on each day of the window: fewer at weekends and on bank
/// holidays, more in the damp winter months, slowly growing over the years; a small demo
/// is denser in its last weeks ([`RECENT_FLOORS`]). Exactly `total`.
pub fn daily_counts(
    calendar: &Calendar,
    first: NaiveDate,
    last: NaiveDate,
    total: u32,
) -> anyhow::Result<Vec<(NaiveDate, u32)>> {
    let days = (last - first).num_days() + 1;
    let mut weights = Vec::with_capacity(days as usize);
    for i in 0..days {
        let day = first + Duration::days(i);
        let base = match day.weekday() {
            Weekday::Sat => 0.2,
            Weekday::Sun => 0.12,
            _ if !calendar.is_working_day(day)? => 0.2,
            _ => 1.0,
        };
        let winter = if matches!(day.month(), 11 | 12 | 1 | 2) {
            1.15
        } else {
            1.0
        };
        let growth = 0.85 + 0.3 * (i as f64 / days as f64);
        weights.push((day, base * winter * growth));
    }
    // A small demo still shows cases at every step: the last weeks get at least a few.
    for (days, floor) in RECENT_FLOORS {
        let floor = f64::from(total.min(*floor));
        let recent_from = weights.len().saturating_sub(*days);
        let all: f64 = weights.iter().map(|(_, w)| w).sum();
        let recent: f64 = weights[recent_from..].iter().map(|(_, w)| w).sum();
        let wanted = floor / f64::from(total);
        if recent > 0.0 && recent / all < wanted && wanted < 1.0 {
            let factor = wanted * (all - recent) / (recent * (1.0 - wanted));
            for (_, w) in &mut weights[recent_from..] {
                *w *= factor;
            }
        }
    }
    let sum: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut running = 0.0;
    let mut given = 0u32;
    let mut counts = Vec::with_capacity(weights.len());
    for (day, weight) in weights {
        running += weight;
        let due = ((running / sum) * f64::from(total)).round() as u32;
        let due = due.min(total);
        counts.push((day, due - given));
        given = due;
    }
    if let Some(last) = counts.last_mut() {
        last.1 += total - given;
    }
    Ok(counts)
}
