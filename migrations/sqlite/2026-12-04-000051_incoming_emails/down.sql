DROP TABLE incoming_email_files;
DROP TABLE incoming_emails;
