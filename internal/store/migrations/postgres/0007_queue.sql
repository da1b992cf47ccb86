-- The counters' queue (LEGAL §1, Điều 13.2b: queue-ticket machines): tickets per desk and
-- service area, numbered from 1 every day. The daily sequence is an upsert counter taken in
-- the issuing transaction, like the dossier codes, so numbers have no gaps and no duplicates.
CREATE TABLE queue_sequences (
    desk TEXT NOT NULL,
    area TEXT NOT NULL,
    day  TEXT NOT NULL, -- YYYY-MM-DD, Vietnam's civil date
    last BIGINT NOT NULL,
    PRIMARY KEY (desk, area, day)
);

CREATE TABLE queue_tickets (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    desk        TEXT NOT NULL,
    area        TEXT NOT NULL,
    day         TEXT NOT NULL,
    seq         BIGINT NOT NULL CHECK (seq > 0),
    state       TEXT NOT NULL, -- waiting | called | served | no_show
    counter     INTEGER NOT NULL DEFAULT 0,
    called_by   TEXT NOT NULL DEFAULT '',
    recalls     INTEGER NOT NULL DEFAULT 0,
    issued_at   TIMESTAMPTZ NOT NULL,
    called_at   TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    UNIQUE (desk, area, day, seq)
);
CREATE INDEX queue_tickets_desk ON queue_tickets (desk, day, state, id);

-- The rating kiosk lists the dossiers returned at a unit in the last hour.
CREATE INDEX dossier_events_type_unit ON dossier_events (type, unit, at);
