-- Issue 21: compensation split into the heads of the Housing Ombudsman's remedies guidance
-- (time and trouble, distress and inconvenience, financial loss, other), each in pence.
-- `amount_pence` stays the remedy's total and always equals the sum of the four heads, so
-- approval thresholds, the decision's `compensation_pence` and the reports read it as before.
--
-- Existing rows: their heads were never recorded, so the whole existing amount is held under
-- "other". That says only that the split is unknown, not what the money was for.
ALTER TABLE remedies ADD COLUMN time_and_trouble_pence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remedies ADD COLUMN distress_pence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remedies ADD COLUMN financial_loss_pence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remedies ADD COLUMN other_pence INTEGER NOT NULL DEFAULT 0;
UPDATE remedies SET other_pence = amount_pence WHERE amount_pence IS NOT NULL;
