-- Dossiers: the current state of every dossier with its version (optimistic concurrency), the
-- hash-chained event history, gap-free daily code sequences, idempotency keys of submissions,
-- the outbox of everything that leaves the system, durable jobs, and uploaded file metadata.
-- Personal data is not stored here: applicant_id_hash is a blind index, and the snapshot is
-- written by the application after it removed personal data (see dossier_pii).
CREATE TABLE dossiers (
    id                TEXT PRIMARY KEY,
    code              TEXT UNIQUE, -- NULL until reception
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL,
    procedure_code    TEXT NOT NULL,
    procedure_version INTEGER NOT NULL,
    authority         TEXT NOT NULL,
    receiving_unit    TEXT NOT NULL,
    channel           TEXT NOT NULL,
    applicant_id_hash TEXT NOT NULL DEFAULT '',
    org_code          TEXT NOT NULL DEFAULT '',
    applicant_name    TEXT NOT NULL DEFAULT '',
    search_text       TEXT NOT NULL DEFAULT '', -- folded applicant name and procedure, for the text filter
    step_units        TEXT NOT NULL DEFAULT '[]',
    assignees         TEXT NOT NULL DEFAULT '[]',
    submitted_at      TIMESTAMP,
    received_at       TIMESTAMP,
    due_at            TIMESTAMP,
    finished_at       TIMESTAMP,
    updated_at        TIMESTAMP,
    snapshot          TEXT NOT NULL
);
CREATE INDEX dossiers_authority_queue ON dossiers (authority, state, due_at);
CREATE INDEX dossiers_desk_queue ON dossiers (receiving_unit, state);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id_hash);
CREATE INDEX dossiers_org ON dossiers (org_code);
CREATE INDEX dossiers_updated ON dossiers (updated_at);

-- Every step's unit and every officer assigned to an open step, one row each, so that scope
-- and assignee filters stay in SQL. Rewritten with each state change.
CREATE TABLE dossier_units (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    unit       TEXT NOT NULL,
    PRIMARY KEY (dossier_id, unit)
);
CREATE INDEX dossier_units_unit ON dossier_units (unit, dossier_id);

CREATE TABLE dossier_assignees (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    assignee   TEXT NOT NULL,
    PRIMARY KEY (dossier_id, assignee)
);
CREATE INDEX dossier_assignees_assignee ON dossier_assignees (assignee, dossier_id);

-- The history: hash = SHA-256(prev_hash, canonical(body)); type, at and seq repeat the body's
-- values for queries, and the verifier checks that they agree with it.
CREATE TABLE dossier_events (
    dossier_id TEXT NOT NULL REFERENCES dossiers (id),
    seq        INTEGER NOT NULL CHECK (seq > 0),
    type       TEXT NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    body       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
);

-- Daily sequence of dossier codes per authority (Điều 28). Incremented inside the receiving
-- transaction, so a rolled-back reception leaves no gap.
CREATE TABLE code_sequences (
    authority TEXT NOT NULL,
    day       TEXT NOT NULL, -- YYYY-MM-DD, Vietnam's civil date
    last      INTEGER NOT NULL,
    PRIMARY KEY (authority, day)
);

-- Idempotency-Key of submissions, scoped by the principal that sent it.
CREATE TABLE idempotency_keys (
    scope      TEXT NOT NULL,
    key        TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    dossier_id TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Everything that must leave the system, written in the transaction that caused it.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    topic        TEXT NOT NULL,
    key          TEXT NOT NULL,
    payload      BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    next_at      TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    leased_until TIMESTAMP,
    sent_at      TIMESTAMP
);
CREATE INDEX outbox_pending ON outbox (topic, next_at, id) WHERE sent_at IS NULL;
-- Messages with the same topic and key leave in order: the earliest unsent one blocks the rest.
CREATE INDEX outbox_key_order ON outbox (topic, key, id) WHERE sent_at IS NULL;

-- Durable jobs. run_at is the scheduled instant (part of the identity that makes scheduling
-- idempotent); next_at is when the job is next due, moved by retries. Finished jobs keep their
-- row (done_at), so a finished job is not scheduled again; cancelled jobs are deleted.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    dossier_id   TEXT NOT NULL DEFAULT '',
    run_at       TIMESTAMP NOT NULL,
    next_at      TIMESTAMP NOT NULL,
    payload      BLOB NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    leased_until TIMESTAMP,
    done_at      TIMESTAMP,
    UNIQUE (dossier_id, kind, run_at) -- also serves CancelJobs
);
CREATE INDEX jobs_due ON jobs (next_at, id) WHERE done_at IS NULL;

-- Metadata of uploaded files; the content lives in the blob store under its hash.
CREATE TABLE files (
    hash       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL CHECK (size >= 0),
    media_type TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
