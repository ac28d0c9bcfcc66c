DROP TABLE case_privacy;
