DROP TABLE governance_documents;
