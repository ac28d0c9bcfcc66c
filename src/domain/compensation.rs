//! Compensation split into the heads the Housing Ombudsman's remedies guidance uses, so a
//! decision, its letter and the reports can say what each pound is for.

use std::fmt;

use super::Money;

/// What a part of a compensation payment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompensationHead {
    TimeAndTrouble,
    DistressAndInconvenience,
    FinancialLoss,
    Other,
}

impl CompensationHead {
    /// In the order forms, pages and letters list them.
    pub const ALL: [CompensationHead; 4] = [
        CompensationHead::TimeAndTrouble,
        CompensationHead::DistressAndInconvenience,
        CompensationHead::FinancialLoss,
        CompensationHead::Other,
    ];

    /// How the head is shown to people, at the start of a sentence.
    pub fn label(self) -> &'static str {
        match self {
            CompensationHead::TimeAndTrouble => "Time and trouble",
            CompensationHead::DistressAndInconvenience => "Distress and inconvenience",
            CompensationHead::FinancialLoss => "Financial loss",
            CompensationHead::Other => "Other",
        }
    }

    /// How the head reads after "for", in a sentence.
    pub fn phrase(self) -> &'static str {
        match self {
            CompensationHead::TimeAndTrouble => "time and trouble",
            CompensationHead::DistressAndInconvenience => "distress and inconvenience",
            CompensationHead::FinancialLoss => "financial loss",
            CompensationHead::Other => "other reasons",
        }
    }

    /// The part of a form field's name and id that stands for the head.
    pub fn field(self) -> &'static str {
        match self {
            CompensationHead::TimeAndTrouble => "time_and_trouble",
            CompensationHead::DistressAndInconvenience => "distress",
            CompensationHead::FinancialLoss => "financial_loss",
            CompensationHead::Other => "other",
        }
    }

    fn index(self) -> usize {
        match self {
            CompensationHead::TimeAndTrouble => 0,
            CompensationHead::DistressAndInconvenience => 1,
            CompensationHead::FinancialLoss => 2,
            CompensationHead::Other => 3,
        }
    }
}

/// The amount under each head of one compensation remedy; the remedy's amount is their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompensationHeads([Money; 4]);

impl CompensationHeads {
    pub fn get(&self, head: CompensationHead) -> Money {
        self.0[head.index()]
    }

    pub fn set(&mut self, head: CompensationHead, amount: Money) {
        self.0[head.index()] = amount;
    }

    /// Heads as the database's four pence columns hold them, in [`CompensationHead::ALL`]
    /// order.
    pub fn from_pence(pence: [i32; 4]) -> CompensationHeads {
        CompensationHeads(pence.map(|p| Money::from_pence(p.into())))
    }

    pub fn total(&self) -> Money {
        Money::from_pence(self.0.iter().map(|m| m.pence()).sum())
    }

    /// The heads with an amount, in order.
    pub fn parts(&self) -> Vec<HeadAmount> {
        CompensationHead::ALL
            .iter()
            .map(|&head| HeadAmount {
                head,
                amount: self.get(head),
            })
            .filter(|p| p.amount.pence() > 0)
            .collect()
    }
}

/// One head's share, shown as "£50.00 for time and trouble".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadAmount {
    pub head: CompensationHead,
    pub amount: Money,
}

impl fmt::Display for HeadAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for {}", self.amount, self.head.phrase())
    }
}

/// The heads of a compensation as one phrase: "£150.00: £50.00 for time and trouble and
/// £100.00 for distress and inconvenience". A single head adds nothing to the total, so
/// the phrase is then "£50.00 for time and trouble".
pub fn describe(heads: &CompensationHeads) -> String {
    let parts = heads.parts();
    match parts.as_slice() {
        [] => heads.total().to_string(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(ToString::to_string).collect();
            format!("{} in total: {} and {last}", heads.total(), init.join(", "))
        }
    }
}

/// A remedy's amount as people read it: [`describe`] when the heads add up to it (they
/// always do for amounts saved since the heads were recorded), else just the amount.
pub fn describe_amount(amount: Money, heads: &CompensationHeads) -> String {
    if heads.total() == amount {
        describe(heads)
    } else {
        amount.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pounds(p: i64) -> Money {
        Money::from_pence(p * 100)
    }

    #[test]
    fn the_total_is_the_sum_of_the_heads() {
        let mut heads = CompensationHeads::default();
        heads.set(CompensationHead::TimeAndTrouble, pounds(50));
        heads.set(CompensationHead::DistressAndInconvenience, pounds(100));
        heads.set(CompensationHead::FinancialLoss, Money::from_pence(1_237));
        assert_eq!(heads.total(), Money::from_pence(16_237));
        assert_eq!(
            CompensationHeads::from_pence([5_000, 10_000, 1_237, 0]),
            heads
        );
    }

    #[test]
    fn heads_are_described_in_words_with_the_total() {
        let mut heads = CompensationHeads::default();
        heads.set(CompensationHead::DistressAndInconvenience, pounds(100));
        assert_eq!(describe(&heads), "£100.00 for distress and inconvenience");
        heads.set(CompensationHead::TimeAndTrouble, pounds(50));
        heads.set(CompensationHead::Other, pounds(25));
        assert_eq!(
            describe(&heads),
            "£175.00 in total: £50.00 for time and trouble, £100.00 for distress and \
             inconvenience and £25.00 for other reasons"
        );
        assert_eq!(describe(&CompensationHeads::default()), "£0.00");
    }
}
