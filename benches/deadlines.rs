//! Schedules for 1,000,000 cases: the cost of re-dating every open case after a holiday file
//! or profile change. Run with `cargo bench --bench deadlines`; the figure is in docs/rules.md.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use redress::rules::{
    schedule, Calendar, CaseClock, ExtensionGrant, PolicyProfile, PolicySet, RagThresholds, Region,
    Stage,
};

const CASES: u64 = 1_000_000;

const PROFILES: [(&str, &str); 6] = [
    ("hoc-2024", include_str!("../config/policies/hoc-2024.toml")),
    (
        "south-essex-homes",
        include_str!("../config/policies/south-essex-homes.toml"),
    ),
    (
        "south-essex-homes-stages",
        include_str!("../config/policies/south-essex-homes-stages.toml"),
    ),
    (
        "east-kent-housing",
        include_str!("../config/policies/east-kent-housing.toml"),
    ),
    (
        "housing-customer-feedback",
        include_str!("../config/policies/housing-customer-feedback.toml"),
    ),
    (
        "charitable-association",
        include_str!("../config/policies/charitable-association.toml"),
    ),
];

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date + Days::new(days)
}

/// A varied, deterministic case: every profile and stage, acknowledged or not, some
/// responded, some extended, some health and safety. Built on the fly (a few nanoseconds)
/// so a million clocks need not sit in memory.
fn case(i: u64, profiles: &[&PolicyProfile]) -> (usize, CaseClock, NaiveDate) {
    let base = NaiveDate::from_ymd_opt(2013, 1, 1).expect("valid date");
    let which = (i % profiles.len() as u64) as usize;
    let stages: &[Stage] = if profiles[which].has_stage0() {
        &[Stage::Stage0, Stage::Stage1, Stage::Stage2]
    } else {
        &[Stage::Stage1, Stage::Stage2]
    };
    let stage = stages[(i / 7 % stages.len() as u64) as usize];
    let received = plus(base, i.wrapping_mul(7919) % 5400);
    let mut clock = CaseClock::new(stage, received);
    let start = if stage == Stage::Stage2 {
        let escalated = plus(received, 30);
        clock.escalation_requested = Some(escalated);
        escalated
    } else {
        received
    };
    if i.is_multiple_of(2) {
        *clock.acknowledged.get_mut(stage) = Some(plus(start, 2));
    }
    if i.is_multiple_of(5) {
        *clock.responded.get_mut(stage) = Some(plus(start, 16));
    }
    if i.is_multiple_of(7) {
        clock.extensions.push(ExtensionGrant {
            stage,
            granted_on: plus(start, 3),
            length: 5,
            approved_past_cap: false,
        });
    }
    clock.health_and_safety = i.is_multiple_of(11);
    (which, clock, plus(start, 10))
}

fn schedules(c: &mut Criterion) {
    let feed = include_str!("../config/bank-holidays.json");
    let calendar = Calendar::from_feed_json(feed, Region::EnglandAndWales).expect("feed loads");
    let set = PolicySet::from_named_strs(&PROFILES).expect("profiles load");
    let profiles: Vec<&PolicyProfile> = PROFILES
        .iter()
        .map(|(name, _)| set.get(name).expect("profile loaded"))
        .collect();
    let rag = RagThresholds::default();

    let mut group = c.benchmark_group("deadlines");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(CASES));
    group.bench_function("schedule_1m_cases", |b| {
        b.iter(|| {
            let mut computed = 0u64;
            for i in 0..CASES {
                let (which, clock, today) = case(i, &profiles);
                if let Ok(s) = schedule(profiles[which], &calendar, &clock, today, &rag) {
                    computed += s.deadlines.len() as u64;
                    black_box(&s);
                }
            }
            assert!(computed > CASES, "schedules were computed");
            computed
        })
    });
    group.finish();
}

criterion_group!(benches, schedules);
criterion_main!(benches);
