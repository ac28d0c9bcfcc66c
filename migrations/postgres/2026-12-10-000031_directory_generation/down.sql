DROP TRIGGER directory_generation_on_user_update ON users;
DROP TRIGGER directory_generation_on_user_insert_or_delete ON users;
DROP TRIGGER directory_generation_on_contractor ON contractors;
DROP TRIGGER directory_generation_on_category ON categories;
DROP TRIGGER directory_generation_on_area ON service_areas;
DROP FUNCTION directory_generation_bump();
DROP TABLE directory_generation;
