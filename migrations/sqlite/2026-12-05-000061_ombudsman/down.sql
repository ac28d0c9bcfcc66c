DROP TABLE ombudsman_orders;
DROP TABLE ombudsman_findings;
DROP TABLE ombudsman_evidence_requests;
DROP TABLE ombudsman_contacts;
