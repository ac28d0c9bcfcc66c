DROP INDEX audit_log_action;
DROP INDEX audit_log_actor;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
