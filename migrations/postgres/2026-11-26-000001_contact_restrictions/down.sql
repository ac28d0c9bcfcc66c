DROP TABLE contact_restrictions;
