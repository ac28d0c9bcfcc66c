DELETE FROM report_summary WHERE breakdown = 'assignee_area';
