-- The rating kiosk's list (dossiers returned at a unit in the last hour) is the only query by
-- event type: index the result_returned events only, instead of every event of every command.
DROP INDEX dossier_events_type_unit;
CREATE INDEX dossier_events_returned ON dossier_events (unit, at) WHERE type = 'result_returned';
