-- The unit whose leader must decide now: the unit of the dossier's current main step when that
-- step is a leader's and open (dossier.AwaitingLeader), else NULL. The leaders' approval queue
-- is a query on it; before, it decoded the snapshot of every open dossier of the leader's units.
ALTER TABLE dossiers ADD COLUMN leader_unit TEXT;
UPDATE dossiers
SET leader_unit = s.step ->> '$.unit'
FROM (
    SELECT id, snapshot -> ('$.steps[' || (snapshot ->> '$.current_step') || ']') AS step
    FROM dossiers
    WHERE snapshot ->> '$.current_step' >= 0
) s
WHERE s.id = dossiers.id
  AND s.step ->> '$.role' = 'leader'
  AND COALESCE(s.step ->> '$.started_at', '0001-01-01') NOT LIKE '0001-01-01%'
  AND COALESCE(s.step ->> '$.finished_at', '0001-01-01') LIKE '0001-01-01%';
CREATE INDEX dossiers_leader_queue ON dossiers (leader_unit, due_at, id) WHERE leader_unit IS NOT NULL;
