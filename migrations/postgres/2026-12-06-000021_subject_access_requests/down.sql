DROP TABLE subject_access_requests;
