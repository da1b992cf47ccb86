-- Organization, officers, the procedure catalog with versions, and yearly calendar notices.
-- Civil dates (validity, effective dates) are 'YYYY-MM-DD' text: they are days, not instants.
CREATE TABLE units (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    identifier TEXT NOT NULL,
    parent     TEXT REFERENCES units (key),
    valid_from TEXT,
    valid_to   TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX units_parent ON units (parent);

CREATE TABLE desks (
    key      TEXT PRIMARY KEY,
    unit_key TEXT NOT NULL REFERENCES units (key),
    name     TEXT NOT NULL,
    hours    TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE officers (
    username       TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    totp_secret    TEXT,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    last_failed_at TIMESTAMPTZ,
    locked_until   TIMESTAMPTZ,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE officer_roles (
    username TEXT NOT NULL REFERENCES officers (username) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    unit_key TEXT NOT NULL REFERENCES units (key),
    PRIMARY KEY (username, role, unit_key)
);
CREATE INDEX officer_roles_unit ON officer_roles (unit_key, role);

CREATE TABLE procedures (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    field             TEXT NOT NULL,
    level             TEXT NOT NULL,
    position          INTEGER NOT NULL DEFAULT 0,
    published_version INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE procedure_versions (
    code           TEXT NOT NULL REFERENCES procedures (code),
    number         INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    effective_from TEXT,
    effective_to   TEXT,
    spec           TEXT NOT NULL CHECK (spec <> ''),
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL,
    published_at   TIMESTAMPTZ,
    PRIMARY KEY (code, number)
);

CREATE TABLE calendar_notices (
    year       INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
