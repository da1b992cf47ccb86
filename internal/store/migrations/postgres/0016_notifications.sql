-- Notices for officers, by unit: the deadline jobs' warnings (a new online dossier to receive,
-- the acceptance deadline, a step or a dossier due soon or overdue) shown in the console.
-- notification_marks keeps, per officer, the last notice they have seen.
CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    code       TEXT NOT NULL DEFAULT '',
    due_at     TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notifications_unit ON notifications (unit, id);
CREATE TABLE notification_marks (
    username TEXT PRIMARY KEY,
    seen_id  BIGINT NOT NULL
);
