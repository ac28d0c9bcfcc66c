DROP TABLE director_digests_sent;
DROP TABLE head_of_service_alerts;
