DROP TABLE case_links;
DROP TABLE complaint_points;
