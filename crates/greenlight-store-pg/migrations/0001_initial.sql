-- Greenlight issuer state, schema 1 (docs/api.md, "PostgreSQL store").
-- Every table is keyed by a keyed digest (HMAC-SHA-512 under the store key, which is never
-- stored here) or by public values: no subject handle, no ticket id, nothing per request.
CREATE TABLE gl_meta (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);
CREATE TABLE gl_subjects (
    digest  bytea PRIMARY KEY CHECK (length(digest) = 32),
    revoked boolean NOT NULL,
    epoch   bigint NOT NULL CHECK (epoch >= 0)
);
CREATE TABLE gl_tickets (
    digest     bytea PRIMARY KEY CHECK (length(digest) = 32),
    remaining  integer NOT NULL CHECK (remaining >= 0 AND remaining <= 65535),
    expires_at bigint NOT NULL CHECK (expires_at >= 0)
);
CREATE INDEX gl_tickets_expires_at ON gl_tickets (expires_at);
CREATE TABLE gl_revoked_keys (
    key_id bytea PRIMARY KEY CHECK (length(key_id) = 8)
);
CREATE TABLE gl_daily_totals (
    key_id bytea   NOT NULL CHECK (length(key_id) = 8),
    day    integer NOT NULL CHECK (day >= 0),
    tokens bigint  NOT NULL CHECK (tokens >= 0),
    PRIMARY KEY (key_id, day)
);
