-- Inspection records: what an inspector found about how officials handled a dossier
-- (issue 3: inspectors read across the province and write only these).
CREATE TABLE inspections (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    inspector  TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    severity   TEXT NOT NULL CHECK (severity IN ('note', 'violation')),
    rule       TEXT NOT NULL DEFAULT '',
    finding    TEXT NOT NULL CHECK (finding <> '')
);
CREATE INDEX inspections_dossier ON inspections (dossier_id, at);
