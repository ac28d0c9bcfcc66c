DROP TABLE message_wordings;
