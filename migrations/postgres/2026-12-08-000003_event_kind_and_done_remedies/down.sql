DROP INDEX remedies_done;
DROP INDEX case_events_kind;
