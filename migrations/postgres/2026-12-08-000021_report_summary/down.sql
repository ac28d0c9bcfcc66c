DROP TABLE report_summary;
