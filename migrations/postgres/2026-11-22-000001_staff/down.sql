DROP TABLE audit_log;
DROP TABLE sign_in_attempts;
DROP TABLE user_service_areas;
DROP TABLE service_areas;
DROP TABLE users;
