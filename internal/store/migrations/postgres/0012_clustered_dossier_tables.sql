-- SQLite stores the dossier units and assignees WITHOUT ROWID from this migration on; PostgreSQL
-- tables are heaps with their primary-key index already, so nothing changes here.
SELECT 1;
