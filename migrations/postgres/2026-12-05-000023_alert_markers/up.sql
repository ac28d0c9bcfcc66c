-- Markers that make scheduled emails go once (issue 22): the escalation of a missed
-- deadline to the area's head of service (one per case per deadline), and each director's
-- daily digest of approvals waiting and overdue cases (one per director per day).
CREATE TABLE head_of_service_alerts (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    due_on DATE NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, due_on)
);
CREATE TABLE director_digests_sent (
    user_id INTEGER NOT NULL REFERENCES users (id),
    day DATE NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, day)
);
