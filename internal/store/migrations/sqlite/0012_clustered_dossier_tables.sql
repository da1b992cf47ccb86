-- A dossier's step units and assignees are small rows always written by the dossier's id: store
-- them clustered by their primary key (WITHOUT ROWID) instead of in a rowid table plus a
-- primary-key index, so each is one B-tree entry instead of two and a command dirties fewer
-- pages. (Events stay in a rowid table: their rows are large, and appending them in commit
-- order keeps their pages full, where a table clustered by dossier would split pages.)
CREATE TABLE dossier_units_c (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    unit       TEXT NOT NULL,
    PRIMARY KEY (dossier_id, unit)
) WITHOUT ROWID;
INSERT INTO dossier_units_c (dossier_id, unit) SELECT dossier_id, unit FROM dossier_units;
DROP TABLE dossier_units;
ALTER TABLE dossier_units_c RENAME TO dossier_units;
CREATE INDEX dossier_units_unit ON dossier_units (unit, dossier_id);

CREATE TABLE dossier_assignees_c (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    assignee   TEXT NOT NULL,
    PRIMARY KEY (dossier_id, assignee)
) WITHOUT ROWID;
INSERT INTO dossier_assignees_c (dossier_id, assignee) SELECT dossier_id, assignee FROM dossier_assignees;
DROP TABLE dossier_assignees;
ALTER TABLE dossier_assignees_c RENAME TO dossier_assignees;
CREATE INDEX dossier_assignees_assignee ON dossier_assignees (assignee, dossier_id);
