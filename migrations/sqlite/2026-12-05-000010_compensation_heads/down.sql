ALTER TABLE remedies DROP COLUMN other_pence;
ALTER TABLE remedies DROP COLUMN financial_loss_pence;
ALTER TABLE remedies DROP COLUMN distress_pence;
ALTER TABLE remedies DROP COLUMN time_and_trouble_pence;
