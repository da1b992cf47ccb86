-- The hash of a dossier's last event, kept next to its version (which is the last event's
-- sequence number): a command decided outside the transaction links its events to it there,
-- so the transaction only inserts them; the version check of the dossier's update makes sure
-- the chain still ends where the events were linked.
ALTER TABLE dossiers ADD COLUMN last_hash TEXT NOT NULL DEFAULT '';
UPDATE dossiers SET last_hash = COALESCE((SELECT e.hash FROM dossier_events e WHERE e.dossier_id = dossiers.id ORDER BY e.seq DESC LIMIT 1), '');
