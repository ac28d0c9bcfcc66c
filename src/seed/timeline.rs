//! A demo case's life, driven through the real domain transitions so its timeline and its
//! row agree by construction.
//!
//! A [`Storyline`] is how the case will end up. [`plan`] turns it into dated actions (who
//! does what, when: working days from the rules calendar), [`run`] applies them in date order
//! through [`CaseState`]'s transitions and stops at `today`: recent cases are therefore still
//! open, at whichever step they have reached. To add a state, add a storyline (and its weight)
//! and, if it needs a new transition, an [`Action`].

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::people::{Area, StaffMember};
use super::words::WITHDRAWAL_REASONS;
use super::{pick, weighted};
use crate::domain::case::{
    CaseEvent, CaseState, Channel, ContactMethod, ExclusionReason, Outcome, TriageDecision,
};
use crate::domain::{CaseId, CaseReference, ServiceAreaId, UserId};
use crate::rules::deadlines::RESPOND;
use crate::rules::{plan, Calendar, CaseClock, PolicyProfile, Stage, Unit};

/// How a case ends up, if nothing stops it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Storyline {
    /// Stage 1: acknowledged and assigned (either order), then a decision closes it.
    Stage1,
    /// Closed at stage 1, escalated, reviewed by the area's director, closed at stage 2.
    Stage2,
    /// Stage 1 that drags on for months: open and overdue.
    LongRunning,
    ServiceRequest,
    /// Referred as a service request, then converted into a stage 1 complaint.
    ServiceRequestConverted,
    /// Stage 0 (profiles that have one): resolved at first point of contact.
    Stage0Resolved,
    /// Stage 0, not resolved: moved to stage 1.
    Stage0ToStage1,
    Excluded,
    Compliment,
    Comment,
    /// Stage 1, withdrawn by the resident before the decision.
    Withdrawn,
    /// Closed as a duplicate of an earlier case of the same complainant.
    Duplicate,
}

/// Relative weights.
const STORYLINES: &[(Storyline, u32)] = &[
    (Storyline::Stage1, 420),
    (Storyline::Stage2, 50),
    (Storyline::LongRunning, 10),
    (Storyline::ServiceRequest, 100),
    (Storyline::ServiceRequestConverted, 20),
    (Storyline::Stage0Resolved, 80),
    (Storyline::Stage0ToStage1, 30),
    (Storyline::Excluded, 60),
    (Storyline::Compliment, 40),
    (Storyline::Comment, 30),
    (Storyline::Withdrawn, 50),
    (Storyline::Duplicate, 20),
];

impl Storyline {
    /// A storyline the profile allows: stage 0 ones become stage 1 without a stage 0, and a
    /// duplicate needs an earlier case.
    pub fn choose(rng: &mut ChaCha8Rng, profile: &PolicyProfile, has_earlier: bool) -> Storyline {
        match weighted(rng, STORYLINES) {
            Storyline::Stage0Resolved | Storyline::Stage0ToStage1 if !profile.has_stage0() => {
                Storyline::Stage1
            }
            Storyline::Duplicate if !has_earlier => Storyline::Stage1,
            other => other,
        }
    }
}

/// Reasons to decline and the officer's explanation. The time limit is never a reason for a
/// health-and-safety or safeguarding case, nor under a profile without one.
pub fn exclusion(
    rng: &mut ChaCha8Rng,
    urgent: bool,
    has_time_limit: bool,
) -> (Vec<ExclusionReason>, String) {
    use ExclusionReason as E;
    let allowed = |r: &ExclusionReason| *r != E::OccurredTooLongAgo || (!urgent && has_time_limit);
    let weights: Vec<(ExclusionReason, u32)> = [
        (E::OccurredTooLongAgo, 30),
        (E::LegalProceedings, 15),
        (E::AlreadyConsidered, 12),
        (E::Vexatious, 3),
        (E::StatutoryAppeal, 5),
        (E::InternalReview, 5),
        (E::PreviouslyWithdrawn, 4),
        (E::NotEligible, 6),
        (E::InsuranceClaim, 10),
        (E::ContractorNotGivenChance, 10),
    ]
    .into_iter()
    .filter(|(r, _)| allowed(r))
    .collect();
    let mut reasons = vec![weighted(rng, &weights)];
    if rng.random_bool(0.15) {
        let second = weighted(rng, &weights);
        if !reasons.contains(&second) {
            reasons.push(second);
        }
    }
    let explanation = match reasons[0] {
        E::OccurredTooLongAgo => "The events complained about are outside the policy's time limit and nothing suggests a reason to look at them now.",
        E::LegalProceedings => "A disrepair claim has been issued in the county court about the same matters.",
        E::AlreadyConsidered => "The same points were answered in full at stage 1 last year.",
        E::Vexatious => "Fifth complaint about the same matter this year, each already answered; managed under the unreasonable behaviour policy.",
        E::StatutoryAppeal => "This is a housing allocation decision with a statutory review route.",
        E::InternalReview => "A decision on the housing register, which has its own review process.",
        E::PreviouslyWithdrawn => "The resident withdrew this complaint earlier and has raised nothing new.",
        E::NotEligible => "The person complaining is not a resident and is not affected by our services.",
        E::InsuranceClaim => "A personal injury claim has been made; passed to the insurers.",
        E::ContractorNotGivenChance => "The contractor has not yet been told about the problem; referred to them to put right first.",
    };
    (reasons, explanation.to_string())
}

/// Who did something.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Staff(&'a StaffMember),
    /// The public complaint form.
    Public,
}

/// One entry of a built timeline.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub event: CaseEvent,
    pub on: NaiveDate,
    pub actor: Actor<'a>,
}

/// A transition to apply on a day.
#[derive(Debug, Clone)]
enum Action<'a> {
    Triage(TriageDecision),
    Acknowledge(ContactMethod),
    Assign(&'a Area, &'a StaffMember),
    DeclareInvolvement,
    Close(Outcome),
    Withdraw(&'static str),
    MarkDuplicate(CaseId, CaseReference),
    ConvertServiceRequest,
    MoveToStage1,
    Escalate,
}

#[derive(Debug, Clone)]
struct Planned<'a> {
    on: NaiveDate,
    actor: &'a StaffMember,
    action: Action<'a>,
}

/// What the planner needs to know about the case.
pub struct Setup<'a> {
    pub story: Storyline,
    pub received: NaiveDate,
    pub officer: &'a StaffMember,
    pub area: &'a Area,
    pub exclusion: Option<(Vec<ExclusionReason>, String)>,
    pub duplicate_of: Option<(CaseId, CaseReference)>,
}

/// How a stage 1 ends.
enum Ending {
    Close(Outcome),
    Withdraw,
    /// A decision months late.
    Late,
}

struct Planner<'a, 'r> {
    rng: &'r mut ChaCha8Rng,
    calendar: &'r Calendar,
    setup: &'r Setup<'a>,
    steps: Vec<Planned<'a>>,
}

impl<'a> Planner<'a, '_> {
    /// `n` working days after `from`; past the calendar's data counts as never.
    fn working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.calendar
            .add(from, n, Unit::WorkingDays)
            .unwrap_or(NaiveDate::MAX)
    }

    fn after(&mut self, from: NaiveDate, range: std::ops::RangeInclusive<u32>) -> NaiveDate {
        let n = self.rng.random_range(range);
        self.working_days(from, n)
    }

    fn push(&mut self, on: NaiveDate, actor: &'a StaffMember, action: Action<'a>) {
        self.steps.push(Planned { on, actor, action });
    }

    fn manager(&mut self) -> &'a StaffMember {
        let area: &'a Area = self.setup.area;
        &area.managers[self.rng.random_range(0..area.managers.len())]
    }

    fn outcome(&mut self) -> Outcome {
        weighted(
            self.rng,
            &[
                (Outcome::Upheld, 30),
                (Outcome::PartlyUpheld, 30),
                (Outcome::NotUpheld, 40),
            ],
        )
    }

    fn method(&mut self) -> ContactMethod {
        weighted(
            self.rng,
            &[
                (ContactMethod::Letter, 30),
                (ContactMethod::Email, 55),
                (ContactMethod::Phone, 15),
            ],
        )
    }

    /// Acknowledgement and assignment in either order from `from`, then the ending. Returns
    /// the day it ends.
    fn stage1(
        &mut self,
        from: NaiveDate,
        assigned: Option<&'a StaffMember>,
        ending: Ending,
    ) -> NaiveDate {
        let officer = self.setup.officer;
        let area: &'a Area = self.setup.area;
        let ack_on = if self.rng.random_bool(0.9) {
            self.after(from, 0..=4)
        } else {
            self.after(from, 5..=9)
        };
        let method = self.method();
        self.push(ack_on, officer, Action::Acknowledge(method));
        let mut ready = ack_on;
        let manager = match assigned {
            Some(manager) => manager,
            None => {
                let assign_on = self.after(from, 0..=3);
                let first = self.manager();
                self.push(assign_on, officer, Action::Assign(area, first));
                ready = ready.max(assign_on);
                if area.managers.len() > 1 && self.rng.random_bool(0.03) {
                    // The manager knows the resident: they step aside, another takes it.
                    let declared_on = self.after(assign_on, 0..=2);
                    self.push(declared_on, first, Action::DeclareInvolvement);
                    let other = loop {
                        let m = self.manager();
                        if m.id != first.id {
                            break m;
                        }
                    };
                    self.push(declared_on, officer, Action::Assign(area, other));
                    ready = ready.max(declared_on);
                    other
                } else {
                    first
                }
            }
        };
        let (on, step) = match ending {
            Ending::Close(outcome) => {
                let on = if self.rng.random_bool(0.85) {
                    self.after(ready, 5..=16)
                } else {
                    self.after(ready, 17..=35)
                };
                (
                    on,
                    Planned {
                        on,
                        actor: manager,
                        action: Action::Close(outcome),
                    },
                )
            }
            Ending::Late => {
                let on = self.after(ready, 60..=160);
                let outcome = self.outcome();
                (
                    on,
                    Planned {
                        on,
                        actor: manager,
                        action: Action::Close(outcome),
                    },
                )
            }
            Ending::Withdraw => {
                let on = self.after(from, 2..=25);
                // Whatever would have come later does not happen.
                self.steps.retain(|s| s.on <= on);
                (
                    on,
                    Planned {
                        on,
                        actor: officer,
                        action: Action::Withdraw(pick(self.rng, WITHDRAWAL_REASONS)),
                    },
                )
            }
        };
        self.steps.push(step);
        on
    }

    fn triage(&mut self, on: NaiveDate, decision: TriageDecision) {
        self.push(on, self.setup.officer, Action::Triage(decision));
    }

    fn plan(mut self) -> Vec<Planned<'a>> {
        let setup = self.setup;
        let officer = setup.officer;
        let area = setup.area;
        let delay = weighted(self.rng, &[(0, 50), (1, 35), (2, 15)]);
        let t = self.working_days(setup.received, delay);
        match setup.story {
            Storyline::Duplicate => {
                let (of, reference) = setup.duplicate_of.expect("a duplicate names its original");
                self.push(t, officer, Action::MarkDuplicate(of, reference));
            }
            Storyline::ServiceRequest | Storyline::ServiceRequestConverted => {
                self.triage(
                    t,
                    TriageDecision::ServiceRequest {
                        referred_to: format!("{} team", area.name),
                    },
                );
                if setup.story == Storyline::ServiceRequestConverted {
                    let dissatisfied = t + Duration::days(self.rng.random_range(5..=45));
                    self.push(dissatisfied, officer, Action::ConvertServiceRequest);
                    let outcome = self.outcome();
                    self.stage1(dissatisfied, None, Ending::Close(outcome));
                }
            }
            Storyline::Stage0Resolved | Storyline::Stage0ToStage1 => {
                self.triage(t, TriageDecision::Stage0);
                let manager = self.manager();
                self.push(t, officer, Action::Assign(area, manager));
                if setup.story == Storyline::Stage0Resolved {
                    let on = self.after(t, 1..=8);
                    self.push(on, manager, Action::Close(Outcome::ResolvedFirstPoint));
                } else {
                    let moved = self.after(t, 2..=10);
                    self.push(moved, officer, Action::MoveToStage1);
                    let outcome = self.outcome();
                    self.stage1(moved, Some(manager), Ending::Close(outcome));
                }
            }
            Storyline::Stage1 => {
                self.triage(t, TriageDecision::Stage1);
                let outcome = self.outcome();
                self.stage1(t, None, Ending::Close(outcome));
            }
            Storyline::LongRunning => {
                self.triage(t, TriageDecision::Stage1);
                self.stage1(t, None, Ending::Late);
            }
            Storyline::Withdrawn => {
                self.triage(t, TriageDecision::Stage1);
                self.stage1(t, None, Ending::Withdraw);
            }
            Storyline::Stage2 => {
                self.triage(t, TriageDecision::Stage1);
                let outcome = weighted(
                    self.rng,
                    &[(Outcome::NotUpheld, 70), (Outcome::PartlyUpheld, 30)],
                );
                let closed = self.stage1(t, None, Ending::Close(outcome));
                let escalated = closed + Duration::days(self.rng.random_range(3..=40));
                self.push(escalated, officer, Action::Escalate);
                let ack_on = self.after(escalated, 0..=5);
                let method = self.method();
                self.push(ack_on, officer, Action::Acknowledge(method));
                let assign_on = self.after(escalated, 0..=4);
                let director = &area.director;
                self.push(assign_on, officer, Action::Assign(area, director));
                let on = self.after(ack_on.max(assign_on), 10..=25);
                let outcome = self.outcome();
                self.push(on, director, Action::Close(outcome));
            }
            Storyline::Excluded => {
                let (reasons, explanation) =
                    setup.exclusion.clone().expect("an exclusion has reasons");
                self.triage(
                    t,
                    TriageDecision::Excluded {
                        reasons,
                        explanation,
                    },
                );
            }
            Storyline::Compliment => self.triage(t, TriageDecision::Compliment),
            Storyline::Comment => self.triage(t, TriageDecision::Comment),
        }
        // Stable: steps on the same day keep the order they were planned in.
        self.steps.sort_by_key(|s| s.on);
        self.steps
    }
}

/// What a case was logged with.
pub struct Logging<'a> {
    pub reference: CaseReference,
    pub channel: Channel,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub logged_by: Actor<'a>,
}

/// A stage response the case got: what the reports freeze when a response is sent.
#[derive(Debug, Clone)]
pub struct Responded {
    pub stage: Stage,
    pub on: NaiveDate,
    pub outcome: Outcome,
    /// The case's clock with the response recorded.
    pub clock: CaseClock,
    pub started_on: Option<NaiveDate>,
    pub responder: UserId,
    pub assignee: Option<UserId>,
    pub service_area: Option<ServiceAreaId>,
}

/// The reasons demo extensions give.
const EXTENSION_REASONS: &[&str] = &[
    "interviews_needed",
    "third_party_delay",
    "complex_case",
    "resident_availability",
];

/// Before a response that will be late, the case officer often extends the deadline on its
/// due date (within the cap, now and then past it with approval), through the real rules.
fn maybe_extend(
    extras: &mut ChaCha8Rng,
    calendar: &Calendar,
    profile: &PolicyProfile,
    state: &CaseState,
    respond_on: NaiveDate,
    last_step: NaiveDate,
) -> Option<(CaseState, CaseEvent, NaiveDate)> {
    let clock = state.clock()?;
    if clock.stage == Stage::Stage0 {
        return None;
    }
    let due = plan(profile, calendar, &clock)
        .ok()?
        .into_iter()
        .find(|p| p.name == RESPOND)?
        .due;
    if respond_on <= due || last_step > due || !extras.random_bool(0.55) {
        return None;
    }
    let cap = profile
        .extension_cap(clock.stage)
        .map(|(cap, _)| cap)
        .unwrap_or(10);
    let (length, approved) = if extras.random_bool(0.08) {
        (cap + extras.random_range(2..=8), true)
    } else {
        (extras.random_range(3..=cap.max(3)), false)
    };
    let reason = pick(extras, EXTENSION_REASONS);
    let (next, event) = state
        .extend(
            profile,
            calendar,
            length,
            due,
            approved,
            reason,
            (due, ContactMethod::Email),
            due,
        )
        .ok()?;
    Some((next, event, due))
}

/// Logs the case and applies its planned actions up to `today`, through the transitions.
/// `extras` draws what the first version of the seeder did not (extensions), so adding them
/// left the other choices, and the cases they make, as they were.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn run<'a>(
    rng: &mut ChaCha8Rng,
    extras: &mut ChaCha8Rng,
    calendar: &Calendar,
    profile: &PolicyProfile,
    today: NaiveDate,
    setup: &Setup<'a>,
    logging: &Logging<'a>,
) -> anyhow::Result<(CaseState, Vec<Step<'a>>, Vec<Responded>)> {
    let plan = Planner {
        rng,
        calendar,
        setup,
        steps: Vec::new(),
    }
    .plan();
    let refused = |r: crate::domain::Refusal| anyhow::anyhow!("seeding {}: {r}", logging.reference);
    let (mut state, event) = CaseState::log(
        logging.reference,
        logging.channel,
        setup.received,
        logging.health_and_safety,
        logging.safeguarding,
        today,
    )
    .map_err(refused)?;
    let mut steps = vec![Step {
        event,
        on: setup.received,
        actor: logging.logged_by,
    }];
    let mut involved: Vec<UserId> = Vec::new();
    let mut responses = Vec::new();
    for planned in plan {
        let on = planned.on;
        if on > today {
            break;
        }
        if let Action::Close(_) = planned.action {
            let last = steps.last().map(|s| s.on).unwrap_or(setup.received);
            if let Some((next, event, granted)) =
                maybe_extend(extras, calendar, profile, &state, on, last)
            {
                state = next;
                steps.push(Step {
                    event,
                    on: granted,
                    actor: Actor::Staff(setup.officer),
                });
            }
        }
        let before = state.stage;
        let closing = match planned.action {
            Action::Close(outcome) => Some(outcome),
            _ => None,
        };
        let (next, event) = match planned.action {
            Action::Triage(decision) => state.triage(decision, profile, planned.actor.id, on),
            Action::Acknowledge(method) => state.acknowledge(on, method, on),
            Action::Assign(area, manager) => state.assign(area.id, manager.id, &involved),
            Action::DeclareInvolvement => {
                involved.push(planned.actor.id);
                state.declare_involvement(planned.actor.id)
            }
            Action::Close(outcome) => state.close(outcome, on),
            Action::Withdraw(reason) => state.withdraw(reason, on),
            Action::MarkDuplicate(of, reference) => state.mark_duplicate(of, reference, on),
            Action::ConvertServiceRequest => state.convert_service_request(on, on),
            Action::MoveToStage1 => state.move_stage0_to_stage1(on, on),
            Action::Escalate => state.escalate(on, on),
        }
        .map_err(refused)?;
        if let (Some(outcome), Some(stage)) = (closing, before) {
            if let Some(clock) = next.clock() {
                responses.push(Responded {
                    stage,
                    on,
                    outcome,
                    clock,
                    started_on: next.stage_start(stage),
                    responder: planned.actor.id,
                    assignee: next.assigned_manager,
                    service_area: next.service_area,
                });
            }
        }
        state = next;
        steps.push(Step {
            event,
            on,
            actor: Actor::Staff(planned.actor),
        });
    }
    Ok((state, steps, responses))
}
