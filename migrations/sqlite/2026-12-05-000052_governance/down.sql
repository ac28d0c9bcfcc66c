DROP TABLE annual_reports;
DROP TABLE self_assessments;
