DROP INDEX cases_reference_pattern;
