//! The case aggregate's lifecycle state and its transitions (SPEC section 3).
//!
//! A transition is a method on [`CaseState`] that checks the request against the state,
//! returns the timeline event it produces and the state after it, or a [`Refusal`]. It is the
//! only way a status changes: [`CaseState`]'s facts can be read (it derefs to [`CaseFacts`])
//! but not written. [`CaseState::restore`] rebuilds the state from stored columns, and
//! [`CaseState::replay`] from a timeline.

use std::ops::Deref;

use chrono::{Datelike, NaiveDate};

use super::correction::Correction;
use super::event::{CaseEvent, TriageDecision};
use super::refusal::Refusal;
use super::vocabulary::{
    Channel, Classification, ClosureReason, ContactKind, ContactMethod, ExclusionReason, Outcome,
    Status,
};
use crate::domain::ids::{CaseId, ServiceAreaId, UserId};
use crate::domain::reference::CaseReference;
use crate::rules::{CaseClock, ExtensionGrant, PerStage, PolicyProfile, Stage};

/// When and how a stage's acknowledgement was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acknowledgement {
    pub on: NaiveDate,
    pub method: ContactMethod,
}

/// When and why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub on: NaiveDate,
    pub reason: ClosureReason,
    /// The stage's outcome, when the case closed at a stage.
    pub outcome: Option<Outcome>,
}

/// Everything the lifecycle rules need to know about a case. Read it through a
/// [`CaseState`]; build one directly only to [`CaseState::restore`] stored data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub reference: CaseReference,
    pub channel: Channel,
    pub received: NaiveDate,
    pub status: Status,
    /// The stage the case is at, or closed at; `None` before triage and for contacts that
    /// are not complaints.
    pub stage: Option<Stage>,
    pub classification: Option<Classification>,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    /// The officer who triaged the case.
    pub case_officer: Option<UserId>,
    pub service_area: Option<ServiceAreaId>,
    pub assigned_manager: Option<UserId>,
    /// The team a service request was referred to.
    pub referred_to: Option<String>,
    /// The day stage 1's clock started when it did not start at receipt: the move from
    /// stage 0, or the day the resident expressed dissatisfaction with a service request.
    pub moved_to_stage1: Option<NaiveDate>,
    pub escalation_requested: Option<NaiveDate>,
    pub acknowledged: PerStage<Option<Acknowledgement>>,
    pub closure: Option<Closure>,
    pub duplicate_of: Option<CaseId>,
    /// Extensions granted, every stage (the rules count those of the current stage).
    pub extensions: Vec<ExtensionGrant>,
    /// The day a confidential complainant agreed that the investigators may know the
    /// property's address (until then only the complaints team sees it).
    pub property_address_shared: Option<NaiveDate>,
    /// The day the first response (of any stage) was sent: from then on the channel and the
    /// dates the timescales were measured from are on record and stay as they were.
    pub first_response: Option<NaiveDate>,
}

/// The longest note or contact summary.
pub const NOTE_MAX: usize = 5_000;

/// A case's lifecycle state. Changed only by its transitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState(CaseFacts);

impl Deref for CaseState {
    type Target = CaseFacts;

    fn deref(&self) -> &CaseFacts {
        &self.0
    }
}

/// What a successful transition gives: the new state and the event to record.
pub type Transition = Result<(CaseState, CaseEvent), Refusal>;

fn not_future(what: &'static str, on: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if on > today {
        Err(Refusal::DateInFuture { what })
    } else {
        Ok(())
    }
}

fn not_before(what: &'static str, on: NaiveDate, earliest: NaiveDate) -> Result<(), Refusal> {
    if on < earliest {
        Err(Refusal::DateTooEarly { what, earliest })
    } else {
        Ok(())
    }
}

fn stage_status(stage: Stage) -> Status {
    match stage {
        Stage::Stage0 => Status::Stage0Open,
        Stage::Stage1 => Status::Stage1Open,
        Stage::Stage2 => Status::Stage2Open,
    }
}

impl CaseState {
    /// Logs a new case, `received` on or before `today`, awaiting triage.
    pub fn log(
        reference: CaseReference,
        channel: Channel,
        received: NaiveDate,
        health_and_safety: bool,
        safeguarding: bool,
        today: NaiveDate,
    ) -> Transition {
        if reference.year() != received.year() {
            return Err(Refusal::ReferenceYearMismatch(received.year()));
        }
        if received > today {
            return Err(Refusal::ReceivedInFuture);
        }
        let event = CaseEvent::Logged {
            reference,
            channel,
            received,
            health_and_safety,
            safeguarding,
        };
        let state = CaseState::awaiting_triage(
            reference,
            channel,
            received,
            health_and_safety,
            safeguarding,
        );
        Ok((state, event))
    }

    /// The state a `logged` event starts; `None` for any other event.
    fn logged(event: &CaseEvent) -> Option<CaseState> {
        let CaseEvent::Logged {
            reference,
            channel,
            received,
            health_and_safety,
            safeguarding,
        } = event
        else {
            return None;
        };
        Some(CaseState::awaiting_triage(
            *reference,
            *channel,
            *received,
            *health_and_safety,
            *safeguarding,
        ))
    }

    fn awaiting_triage(
        reference: CaseReference,
        channel: Channel,
        received: NaiveDate,
        health_and_safety: bool,
        safeguarding: bool,
    ) -> CaseState {
        CaseState(CaseFacts {
            reference,
            channel,
            received,
            status: Status::Received,
            stage: None,
            classification: None,
            health_and_safety,
            safeguarding,
            case_officer: None,
            service_area: None,
            assigned_manager: None,
            referred_to: None,
            moved_to_stage1: None,
            escalation_requested: None,
            acknowledged: PerStage::default(),
            closure: None,
            duplicate_of: None,
            extensions: Vec::new(),
            property_address_shared: None,
            first_response: None,
        })
    }

    /// Rebuilds the state from stored data. The facts are trusted as they are.
    pub fn restore(facts: CaseFacts) -> CaseState {
        CaseState(facts)
    }

    pub fn facts(&self) -> &CaseFacts {
        &self.0
    }

    pub fn into_facts(self) -> CaseFacts {
        self.0
    }

    /// Rebuilds the state a timeline leads to, without re-checking the rules; `None` when
    /// the timeline does not start with `logged`. Seeded data is checked against it.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a CaseEvent>) -> Option<CaseState> {
        let mut events = events.into_iter();
        let first = CaseState::logged(events.next()?)?;
        Some(events.fold(first, |state, event| state.evolve(event)))
    }

    /// The state after `event`. Transitions check first; this only applies.
    fn evolve(&self, event: &CaseEvent) -> CaseState {
        let mut next = self.0.clone();
        match event {
            // A second `logged` starts afresh, as a timeline that began there would.
            CaseEvent::Logged { .. } => {
                if let Some(state) = CaseState::logged(event) {
                    return state;
                }
            }
            CaseEvent::Triaged {
                officer,
                decision,
                on,
            } => {
                next.case_officer = Some(*officer);
                next.classification = Some(decision.classification());
                match decision {
                    TriageDecision::ServiceRequest { referred_to } => {
                        next.status = Status::ServiceRequestReferred;
                        next.referred_to = Some(referred_to.clone());
                    }
                    TriageDecision::Stage0 => {
                        next.status = Status::Stage0Open;
                        next.stage = Some(Stage::Stage0);
                    }
                    TriageDecision::Stage1 => {
                        next.status = Status::Stage1Open;
                        next.stage = Some(Stage::Stage1);
                    }
                    TriageDecision::Excluded { .. } => {
                        next.status = Status::Closed;
                        next.closure = Some(Closure {
                            on: *on,
                            reason: ClosureReason::Excluded,
                            outcome: None,
                        });
                    }
                    TriageDecision::Compliment | TriageDecision::Comment => {
                        next.status = Status::Closed;
                        next.closure = Some(Closure {
                            on: *on,
                            reason: if matches!(decision, TriageDecision::Compliment) {
                                ClosureReason::Compliment
                            } else {
                                ClosureReason::Comment
                            },
                            outcome: None,
                        });
                    }
                }
            }
            CaseEvent::ConvertedToComplaint { dissatisfied_on } => {
                next.status = Status::Stage1Open;
                next.stage = Some(Stage::Stage1);
                next.classification = Some(Classification::Stage1);
                next.moved_to_stage1 = Some(*dissatisfied_on);
            }
            CaseEvent::MovedToStage1 { on } => {
                next.closure = None;
                next.status = Status::Stage1Open;
                next.stage = Some(Stage::Stage1);
                next.classification = Some(Classification::Stage1);
                next.moved_to_stage1 = Some(*on);
            }
            CaseEvent::Acknowledged { stage, on, method } => {
                *next.acknowledged.get_mut(*stage) = Some(Acknowledgement {
                    on: *on,
                    method: *method,
                });
            }
            CaseEvent::Assigned {
                service_area,
                manager,
                ..
            } => {
                next.service_area = Some(*service_area);
                next.assigned_manager = Some(*manager);
            }
            CaseEvent::InvolvementDeclared { manager, .. } => {
                if next.assigned_manager == Some(*manager) {
                    next.assigned_manager = None;
                }
            }
            CaseEvent::Escalation { requested_on, .. } => {
                next.status = Status::Stage2Open;
                next.stage = Some(Stage::Stage2);
                next.classification = Some(Classification::Stage2);
                next.escalation_requested = Some(*requested_on);
                next.closure = None;
                // The stage 2 reviewer must not be the stage 1 responder.
                next.assigned_manager = None;
            }
            CaseEvent::Withdrawal { on, .. } => {
                next.status = Status::Closed;
                next.closure = Some(Closure {
                    on: *on,
                    reason: ClosureReason::Withdrawn,
                    outcome: next.stage.map(|_| Outcome::Withdrawn),
                });
            }
            CaseEvent::Closure {
                on,
                reason,
                outcome,
            } => {
                next.status = Status::Closed;
                next.closure = Some(Closure {
                    on: *on,
                    reason: *reason,
                    outcome: *outcome,
                });
            }
            CaseEvent::Reopened { status, .. } => {
                next.status = *status;
                next.closure = None;
                next.duplicate_of = None;
                if *status == Status::Received {
                    next.classification = None;
                    next.stage = None;
                }
            }
            CaseEvent::DuplicateMarked { of, on, .. } => {
                next.status = Status::Closed;
                next.duplicate_of = Some(*of);
                next.closure = Some(Closure {
                    on: *on,
                    reason: ClosureReason::Duplicate,
                    outcome: None,
                });
            }
            CaseEvent::Extension {
                stage,
                granted_on,
                length,
                approved_past_cap,
                ..
            } => next.extensions.push(ExtensionGrant {
                stage: *stage,
                granted_on: *granted_on,
                length: *length,
                approved_past_cap: *approved_past_cap,
            }),
            CaseEvent::Response { on, outcome, .. } => {
                next.first_response = next.first_response.or(Some(*on));
                next.status = Status::Closed;
                next.closure = Some(Closure {
                    on: *on,
                    reason: ClosureReason::Responded,
                    outcome: Some(*outcome),
                });
            }
            CaseEvent::Note { .. }
            | CaseEvent::Contact { .. }
            | CaseEvent::LetterSent { .. }
            | CaseEvent::Restriction { .. }
            | CaseEvent::EvidenceAdded { .. }
            | CaseEvent::EmailReceived { .. }
            | CaseEvent::ReceiptQueued { .. }
            | CaseEvent::UpdatesAgreed { .. }
            | CaseEvent::Ombudsman { .. }
            | CaseEvent::Privacy { .. }
            | CaseEvent::RepresentativeChanged { .. }
            | CaseEvent::RestrictionProposed { .. }
            | CaseEvent::RestrictionDeclined { .. }
            | CaseEvent::ApprovalAnswered { .. }
            | CaseEvent::ResponseChecked { .. }
            | CaseEvent::RestrictionEnded { .. }
            | CaseEvent::EscalationRefused { .. }
            | CaseEvent::DecisionDrafted { .. }
            | CaseEvent::CompensationApproved { .. }
            | CaseEvent::CompensationPaid { .. }
            | CaseEvent::Linked { .. } => {}
            CaseEvent::PropertyAddressShared { agreed_on } => {
                next.property_address_shared = Some(*agreed_on);
            }
            CaseEvent::Corrected { changes } => {
                for change in changes {
                    match change {
                        Correction::Channel { to, .. } => next.channel = *to,
                        Correction::Received { to, .. } => next.received = *to,
                        Correction::HealthAndSafety { to } => next.health_and_safety = *to,
                        Correction::Safeguarding { to } => next.safeguarding = *to,
                        Correction::CaseOfficer { to, .. } => next.case_officer = Some(to.id),
                        Correction::ServiceArea { to, .. } => next.service_area = Some(to.id),
                        // Kept on the case row, not in the lifecycle state.
                        Correction::Category { .. }
                        | Correction::Contractor { .. }
                        | Correction::Occurred { .. }
                        | Correction::Aware { .. }
                        | Correction::Tenancy { .. }
                        | Correction::Confidential { .. }
                        | Correction::ComplaintPoints { .. }
                        | Correction::Private { .. } => {}
                    }
                }
            }
        }
        CaseState(next)
    }

    fn open(&self) -> Result<(), Refusal> {
        match self.status {
            Status::Closed => Err(Refusal::CaseClosed),
            Status::ServiceRequestReferred => Err(Refusal::NotAComplaint),
            _ => Ok(()),
        }
    }

    /// The stage of an open complaint; refuses cases awaiting triage, closed, or referred.
    fn open_stage(&self) -> Result<Stage, Refusal> {
        self.open()?;
        match (self.status, self.stage) {
            (Status::Received, _) | (_, None) => Err(Refusal::NotTriaged),
            (_, Some(stage)) => Ok(stage),
        }
    }

    /// The day `stage`'s clock started (receipt, move to stage 1, escalation request).
    pub fn stage_start(&self, stage: Stage) -> Option<NaiveDate> {
        match stage {
            Stage::Stage0 => Some(self.received),
            Stage::Stage1 => Some(self.moved_to_stage1.unwrap_or(self.received)),
            Stage::Stage2 => self.escalation_requested,
        }
    }

    /// The acknowledgement of the current stage, if sent.
    pub fn current_acknowledgement(&self) -> Option<Acknowledgement> {
        self.stage.and_then(|stage| *self.acknowledged.get(stage))
    }

    /// What the rules engine needs to compute the current stage's deadlines; `None` before
    /// the case is at a stage.
    pub fn clock(&self) -> Option<CaseClock> {
        let stage = self.stage?;
        let mut clock = CaseClock::new(stage, self.received);
        clock.moved_to_stage1 = self.moved_to_stage1;
        clock.escalation_requested = self.escalation_requested;
        clock.health_and_safety = self.health_and_safety;
        clock.extensions = self.extensions.clone();
        for s in Stage::ALL {
            *clock.acknowledged.get_mut(s) = self.acknowledged.get(s).map(|a| a.on);
        }
        if let Some(Closure {
            on,
            reason: ClosureReason::Responded,
            ..
        }) = self.closure
        {
            *clock.responded.get_mut(stage) = Some(on);
        }
        Some(clock)
    }

    /// Triage by `officer` (who becomes the case officer) on `today`.
    pub fn triage(
        &self,
        decision: TriageDecision,
        profile: &PolicyProfile,
        officer: UserId,
        today: NaiveDate,
    ) -> Transition {
        match self.status {
            Status::Received => {}
            Status::Closed => return Err(Refusal::CaseClosed),
            _ => return Err(Refusal::AlreadyTriaged),
        }
        let decision = match decision {
            TriageDecision::ServiceRequest { referred_to } => {
                let referred_to = referred_to.trim();
                if referred_to.is_empty() {
                    return Err(Refusal::ReferralTeamRequired);
                }
                TriageDecision::ServiceRequest {
                    referred_to: referred_to.to_string(),
                }
            }
            TriageDecision::Stage0 if !profile.has_stage0() => {
                return Err(Refusal::NoStage0 {
                    policy: profile.display_name().to_string(),
                })
            }
            TriageDecision::Excluded {
                reasons,
                explanation,
            } => {
                let mut unique: Vec<ExclusionReason> = Vec::new();
                for reason in reasons {
                    if !unique.contains(&reason) {
                        unique.push(reason);
                    }
                }
                if unique.is_empty() {
                    return Err(Refusal::ExclusionReasonRequired);
                }
                let explanation = explanation.trim();
                if explanation.is_empty() {
                    return Err(Refusal::ExclusionExplanationRequired);
                }
                if unique.contains(&ExclusionReason::OccurredTooLongAgo)
                    && (self.health_and_safety || self.safeguarding)
                {
                    return Err(Refusal::TimeLimitNotForUrgent);
                }
                TriageDecision::Excluded {
                    reasons: unique,
                    explanation: explanation.to_string(),
                }
            }
            other => other,
        };
        let event = CaseEvent::Triaged {
            officer,
            decision,
            on: today,
        };
        Ok((self.evolve(&event), event))
    }

    /// A referred service request becomes a stage 1 complaint, keeping its reference; the
    /// stage 1 clock starts the day the resident expressed dissatisfaction.
    pub fn convert_service_request(
        &self,
        dissatisfied_on: NaiveDate,
        today: NaiveDate,
    ) -> Transition {
        if self.status != Status::ServiceRequestReferred {
            return Err(Refusal::NotAServiceRequest);
        }
        const WHAT: &str = "The date the resident expressed dissatisfaction";
        not_before(WHAT, dissatisfied_on, self.received)?;
        not_future(WHAT, dissatisfied_on, today)?;
        let event = CaseEvent::ConvertedToComplaint { dissatisfied_on };
        Ok((self.evolve(&event), event))
    }

    /// Stage 0 was not resolved, or the resident asked: stage 1's clock starts `on`.
    /// Also after a stage 0 decision was sent, when the resident is not satisfied.
    pub fn move_stage0_to_stage1(&self, on: NaiveDate, today: NaiveDate) -> Transition {
        let decided_at_stage0 = self.status == Status::Closed
            && self.stage == Some(Stage::Stage0)
            && self
                .closure
                .is_some_and(|c| c.reason == ClosureReason::Responded);
        if self.status != Status::Stage0Open && !decided_at_stage0 {
            return Err(Refusal::NotAtStage0);
        }
        const WHAT: &str = "The date the complaint moved to stage 1";
        not_before(WHAT, on, self.received)?;
        not_future(WHAT, on, today)?;
        let event = CaseEvent::MovedToStage1 { on };
        Ok((self.evolve(&event), event))
    }

    /// Records the current stage's acknowledgement, once, between the stage's start and today.
    pub fn acknowledge(
        &self,
        on: NaiveDate,
        method: ContactMethod,
        today: NaiveDate,
    ) -> Transition {
        let stage = self.open_stage()?;
        if self.acknowledged.get(stage).is_some() {
            return Err(Refusal::AlreadyAcknowledged(stage));
        }
        const WHAT: &str = "Date acknowledged";
        if let Some(start) = self.stage_start(stage) {
            not_before(WHAT, on, start)?;
        }
        not_future(WHAT, on, today)?;
        let event = CaseEvent::Acknowledged { stage, on, method };
        Ok((self.evolve(&event), event))
    }

    /// Assigns the case to `manager` in `service_area`. Refused when that manager has declared
    /// involvement in the matter (`declared_involved`, as recorded on the case).
    pub fn assign(
        &self,
        service_area: ServiceAreaId,
        manager: UserId,
        declared_involved: &[UserId],
    ) -> Transition {
        self.open_stage()?;
        if declared_involved.contains(&manager) {
            return Err(Refusal::ManagerInvolved);
        }
        if self.assigned_manager == Some(manager) && self.service_area == Some(service_area) {
            return Err(Refusal::AlreadyAssigned);
        }
        let event = CaseEvent::Assigned {
            service_area,
            manager,
            previous: self.assigned_manager,
        };
        Ok((self.evolve(&event), event))
    }

    /// Records that `manager` is involved in the matter; if they hold the case it returns to
    /// the officer unassigned.
    pub fn declare_involvement(&self, manager: UserId) -> Transition {
        self.open()?;
        let event = CaseEvent::InvolvementDeclared {
            manager,
            unassigned: self.assigned_manager == Some(manager),
        };
        Ok((self.evolve(&event), event))
    }

    /// Closes the case as a duplicate of another (not counted in volumes or CH01).
    pub fn mark_duplicate(
        &self,
        of: CaseId,
        of_reference: CaseReference,
        today: NaiveDate,
    ) -> Transition {
        self.open()?;
        if of_reference == self.reference {
            return Err(Refusal::DuplicateOfItself);
        }
        let event = CaseEvent::DuplicateMarked {
            of,
            of_reference,
            on: today,
        };
        Ok((self.evolve(&event), event))
    }

    /// The resident withdrew: any open case closes.
    pub fn withdraw(&self, reason: &str, today: NaiveDate) -> Transition {
        self.open()?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::WithdrawalReasonRequired);
        }
        let event = CaseEvent::Withdrawal {
            on: today,
            reason: reason.to_string(),
        };
        Ok((self.evolve(&event), event))
    }

    /// What extending the current stage's response deadline by `length`, granted on
    /// `granted_on`, would do: the rules engine's [`crate::rules::ExtensionPreview`], whose
    /// `new_due` is what [`CaseState::extend`] records.
    pub fn extension_preview(
        &self,
        profile: &PolicyProfile,
        calendar: &crate::rules::Calendar,
        length: u32,
        granted_on: NaiveDate,
    ) -> Result<crate::rules::ExtensionPreview, Refusal> {
        let stage = self.open_stage()?;
        let clock = self.clock().ok_or(Refusal::NotTriaged)?;
        crate::rules::preview_extension(profile, calendar, &clock, stage, length, granted_on)
            .map_err(|e| Refusal::Extension(e.to_string()))
    }

    /// Where the current stage's response deadline stands before another extension.
    pub fn extension_standing(
        &self,
        profile: &PolicyProfile,
        calendar: &crate::rules::Calendar,
    ) -> Result<crate::rules::ExtensionStanding, Refusal> {
        let stage = self.open_stage()?;
        let clock = self.clock().ok_or(Refusal::NotTriaged)?;
        crate::rules::extension_standing(profile, calendar, &clock, stage)
            .map_err(|e| Refusal::Extension(e.to_string()))
    }

    /// Extends the current stage's response deadline by `length` (in the profile's unit),
    /// granted on `granted_on`; the resident was told on `notified.0` by `notified.1`, which
    /// must be on or before the date being extended. Past the cap only when `approved`.
    #[allow(clippy::too_many_arguments)]
    pub fn extend(
        &self,
        profile: &PolicyProfile,
        calendar: &crate::rules::Calendar,
        length: u32,
        granted_on: NaiveDate,
        approved: bool,
        reason: &str,
        notified: (NaiveDate, ContactMethod),
        today: NaiveDate,
    ) -> Transition {
        let stage = self.open_stage()?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::ExtensionReasonRequired);
        }
        not_future("The date the extension was granted", granted_on, today)?;
        not_future("The date the resident was told", notified.0, today)?;
        not_before("The date the resident was told", notified.0, granted_on)?;
        let clock = self.clock().ok_or(Refusal::NotTriaged)?;
        let current_due = crate::rules::plan(profile, calendar, &clock)
            .map_err(|e| Refusal::Extension(e.to_string()))?
            .into_iter()
            .filter(|d| d.name == "respond" || d.name == "respond_extended")
            .map(|d| d.due)
            .max();
        let new_due = crate::rules::extend(
            profile, calendar, &clock, stage, length, granted_on, approved,
        )
        .map_err(|e| Refusal::Extension(e.to_string()))?;
        if let Some(due) = current_due {
            if notified.0 > due {
                return Err(Refusal::NotifiedTooLate(due));
            }
        }
        let event = CaseEvent::Extension {
            stage,
            granted_on,
            length,
            new_due,
            reason: reason.to_string(),
            approved_past_cap: approved,
            notified: Some(notified),
        };
        Ok((self.evolve(&event), event))
    }

    /// A note on the investigation, by anyone working the case.
    pub fn note(&self, text: &str) -> Transition {
        self.note_marked(text, false)
    }

    /// A note, `sensitive` when only officers and the assignee may read it.
    pub fn note_marked(&self, text: &str, sensitive: bool) -> Transition {
        let text = text.trim();
        if text.is_empty() {
            return Err(Refusal::NoteRequired);
        }
        if text.chars().count() > NOTE_MAX {
            return Err(Refusal::NoteTooLong);
        }
        let event = CaseEvent::Note {
            text: text.to_string(),
            sensitive,
        };
        Ok((self.clone(), event))
    }

    /// A confidential complainant agreed on `agreed_on` that the investigators may know the
    /// address of the property their complaint is about. Recorded once.
    pub fn share_property_address(&self, agreed_on: NaiveDate, today: NaiveDate) -> Transition {
        if self.property_address_shared.is_some() {
            return Err(Refusal::PropertyAddressAlreadyShared);
        }
        not_future("The date the resident agreed", agreed_on, today)?;
        not_before("The date the resident agreed", agreed_on, self.received)?;
        let event = CaseEvent::PropertyAddressShared { agreed_on };
        Ok((self.evolve(&event), event))
    }

    /// A contact with the resident (call, meeting, email, visit, letter) on `on`.
    pub fn contact(
        &self,
        kind: ContactKind,
        on: NaiveDate,
        summary: &str,
        today: NaiveDate,
    ) -> Transition {
        let summary = summary.trim();
        if summary.is_empty() {
            return Err(Refusal::NoteRequired);
        }
        if summary.chars().count() > NOTE_MAX {
            return Err(Refusal::NoteTooLong);
        }
        not_before("The date of the contact", on, self.received)?;
        not_future("The date of the contact", on, today)?;
        let event = CaseEvent::Contact {
            on,
            with: kind,
            summary: summary.to_string(),
        };
        Ok((self.clone(), event))
    }

    /// The decision or response of the current stage was sent on `on`: the stage closes with
    /// its outcome (stage 0 may later move to stage 1; stage 1 may be escalated).
    pub fn respond(&self, outcome: Outcome, on: NaiveDate, today: NaiveDate) -> Transition {
        let stage = self.open_stage()?;
        match outcome {
            Outcome::Withdrawn => return Err(Refusal::UseWithdraw),
            Outcome::ResolvedFirstPoint if stage != Stage::Stage0 => {
                return Err(Refusal::FirstPointOnlyAtStage0)
            }
            _ => {}
        }
        const WHAT: &str = "The date the response was sent";
        if let Some(start) = self.stage_start(stage) {
            not_before(WHAT, on, start)?;
        }
        not_future(WHAT, on, today)?;
        let event = CaseEvent::Response { stage, on, outcome };
        Ok((self.evolve(&event), event))
    }

    /// Closes an open stage with its outcome once the decision or response was sent.
    pub fn close(&self, outcome: Outcome, today: NaiveDate) -> Transition {
        let stage = self.open_stage()?;
        match outcome {
            Outcome::Withdrawn => return Err(Refusal::UseWithdraw),
            Outcome::ResolvedFirstPoint if stage != Stage::Stage0 => {
                return Err(Refusal::FirstPointOnlyAtStage0)
            }
            _ => {}
        }
        let event = CaseEvent::Closure {
            on: today,
            reason: ClosureReason::Responded,
            outcome: Some(outcome),
        };
        Ok((self.evolve(&event), event))
    }

    /// Corrects details recorded at logging (issue 20). The channel and the dates the
    /// timescales run from can change only until the first response is sent (its timescales
    /// are then on record); the received date not on a closed case, not outside the
    /// reference's year, not in the future, and not after the case was acknowledged or moved
    /// on; the case officer once the case has been triaged. The deadlines follow from the
    /// new state when the runner re-projects it; frozen outcomes are never touched.
    pub fn correct(&self, changes: Vec<Correction>, today: NaiveDate) -> Transition {
        if changes.is_empty() {
            return Err(Refusal::NothingChanged);
        }
        for change in &changes {
            match change {
                Correction::Channel { .. }
                | Correction::Occurred { .. }
                | Correction::Aware { .. } => self.before_first_response()?,
                Correction::Received { to, .. } => {
                    if self.status == Status::Closed {
                        return Err(Refusal::ReceivedOnClosedCase);
                    }
                    self.before_first_response()?;
                    if to.year() != self.reference.year() {
                        return Err(Refusal::ReferenceYearMismatch(self.reference.year()));
                    }
                    if *to > today {
                        return Err(Refusal::ReceivedInFuture);
                    }
                    let later: Option<NaiveDate> = Stage::ALL
                        .iter()
                        .filter_map(|s| self.acknowledged.get(*s).map(|a| a.on))
                        .chain(self.moved_to_stage1)
                        .min();
                    if let Some(on) = later.filter(|on| to > on) {
                        return Err(Refusal::ReceivedAfterLaterStep(on));
                    }
                }
                Correction::CaseOfficer { .. } if self.status == Status::Received => {
                    return Err(Refusal::NotTriaged)
                }
                Correction::ComplaintPoints { stage, reason } => {
                    if self.open_stage()? != *stage || self.acknowledged.get(*stage).is_none() {
                        return Err(Refusal::PointsNotAgreed);
                    }
                    if reason.trim().is_empty() {
                        return Err(Refusal::AmendmentReasonRequired);
                    }
                }
                _ => {}
            }
        }
        let event = CaseEvent::Corrected { changes };
        Ok((self.evolve(&event), event))
    }

    fn before_first_response(&self) -> Result<(), Refusal> {
        match self.first_response {
            Some(on) => Err(Refusal::AfterFirstResponse(on)),
            None => Ok(()),
        }
    }

    /// The resident asked on `requested_on` to escalate a complaint closed at stage 1. The
    /// stage 1 manager is unassigned: the stage 2 reviewer must be someone else.
    pub fn escalate(&self, requested_on: NaiveDate, today: NaiveDate) -> Transition {
        let closed_at_stage1 = match (self.status, self.stage, self.closure) {
            (Status::Closed, Some(Stage::Stage1), Some(closure))
                if closure.reason == ClosureReason::Responded =>
            {
                closure
            }
            _ => return Err(Refusal::NotEscalatable),
        };
        const WHAT: &str = "The date the resident asked to escalate";
        not_before(WHAT, requested_on, closed_at_stage1.on)?;
        not_future(WHAT, requested_on, today)?;
        let event = CaseEvent::Escalation {
            requested_on,
            reasons: String::new(),
        };
        Ok((self.evolve(&event), event))
    }

    /// Reopens a closed case: back to its stage, or to triage when it never reached one.
    pub fn reopen(&self, reason: &str, today: NaiveDate) -> Transition {
        if self.status != Status::Closed {
            return Err(Refusal::NotClosed);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::ReopenReasonRequired);
        }
        let status = self.stage.map_or(Status::Received, stage_status);
        let event = CaseEvent::Reopened {
            on: today,
            reason: reason.to_string(),
            status,
        };
        Ok((self.evolve(&event), event))
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
