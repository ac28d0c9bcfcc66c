DROP TABLE personal_data_markings;
