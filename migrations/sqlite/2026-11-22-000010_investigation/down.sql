DROP TABLE compensation_payments;
DROP TABLE stage_outcomes;
DROP TABLE improvement_actions;
DROP TABLE lessons;
DROP TABLE remedies;
DROP TABLE findings;
DROP TABLE decisions;
