DROP INDEX complainants_tenure;
