-- Identity: sessions, pending OpenID sign-ins, sign-in failure counters, API tokens, the
-- personal-data access log (LEGAL §10), applicants' identities and the sealed personal data
-- of dossiers. Secrets are stored only as hashes (session IDs, API tokens) or sealed with the
-- keyring (personal IDs, phone numbers, e-mail addresses); *_hash columns are blind indexes.
CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('public', 'applicant', 'officer')),
    subject         TEXT NOT NULL,
    assurance_level INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_subject ON sessions (kind, subject);
CREATE INDEX sessions_last_seen ON sessions (last_seen);

-- body is the flow as JSON; expires_at repeats its expiry so that stale flows can be purged.
CREATE TABLE oidc_flows (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_flows_expires ON oidc_flows (expires_at);

-- Keys are "staff:USERNAME", "ip:ADDRESS", ...: throttling is not tied to existing accounts.
CREATE TABLE signin_failures (
    key     TEXT PRIMARY KEY,
    count   INTEGER NOT NULL,
    last_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    hash         TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES officers (username) ON DELETE CASCADE,
    label        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_username ON api_tokens (username);

CREATE TABLE access_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    officer    TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    what       TEXT NOT NULL DEFAULT '',
    screen     TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_dossier ON access_log (dossier_id, at);
CREATE INDEX access_log_officer ON access_log (officer, at);

CREATE TABLE applicants (
    subject         TEXT PRIMARY KEY,
    id_hash         TEXT NOT NULL,
    id_sealed       TEXT NOT NULL,
    phone_sealed    TEXT,
    name            TEXT NOT NULL,
    assurance_level INTEGER NOT NULL,
    orgs            TEXT NOT NULL DEFAULT '[]',
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX applicants_id_hash ON applicants (id_hash);

-- No foreign key to dossiers: that table comes in a later migration. id_hash is NULL when the
-- applicant is an organization.
CREATE TABLE dossier_pii (
    dossier_id   TEXT PRIMARY KEY,
    id_hash      TEXT,
    id_sealed    TEXT,
    phone_sealed TEXT,
    email_sealed TEXT
);
CREATE INDEX dossier_pii_id_hash ON dossier_pii (id_hash);
