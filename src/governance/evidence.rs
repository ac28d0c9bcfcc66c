//! The figures Redress fills in beside a self-assessment requirement, from the year's
//! cases: what the landlord would otherwise count by hand.

use super::analysis::PeriodFigures;
use super::checklist::Evidence;
use super::improvements::Improvements;
use crate::reports::percent;

/// What the evidence for a year is computed from.
pub struct Facts<'a> {
    pub figures: &'a PeriodFigures,
    pub improvements: &'a Improvements,
    pub lessons: usize,
    pub remedies: usize,
}

fn share(part: u64, whole: u64) -> String {
    match percent(part, whole) {
        Some(p) => format!("{part} of {whole} ({p:.1}%)"),
        None => "none in the year".into(),
    }
}

/// Sentences of evidence for `kind`.
pub fn sentences(kind: Evidence, facts: &Facts<'_>) -> Vec<String> {
    let f = facts.figures;
    match kind {
        Evidence::Exclusions => {
            let mut out = vec![format!(
                "{} complaints refused, each with its reasons recorded and a decline letter explaining them.",
                f.refused
            )];
            for (reason, n) in &f.refusals_by_reason {
                out.push(format!("{reason}: {n}"));
            }
            out
        }
        Evidence::Stage0 => vec![format!(
            "{} complaints handled at stage 0 (informal) in the year.",
            f.stage0
        )],
        Evidence::Stage1Timescales => vec![format!(
            "Stage 1 responses within timescale: {}.",
            share(f.stage1_responses.within, f.stage1_responses.responded)
        )],
        Evidence::Stage2Timescales => vec![format!(
            "Stage 2 responses within timescale: {}.",
            share(f.stage2_responses.within, f.stage2_responses.responded)
        )],
        Evidence::Extensions => vec![format!(
            "Responses sent after an extension: {} of {}; each extension is notified by a letter giving the reasons, the new date and the Ombudsman's contact details.",
            f.all_responses.extended, f.all_responses.responded
        )],
        Evidence::Stage2Independence => vec![format!(
            "Stage 2 responses drafted by someone other than the stage 1 responder: {}.",
            share(f.stage2_independent, f.stage2_decided)
        )],
        Evidence::Remedies => vec![format!(
            "{} remedies offered in responses sent in the year.",
            facts.remedies
        )],
        Evidence::Learning => vec![format!(
            "{} lessons recorded; {} improvement actions raised and {} implemented in the year; {} overdue at the year end.",
            facts.lessons,
            facts.improvements.raised,
            facts.improvements.implemented,
            facts.improvements.overdue
        )],
    }
}
