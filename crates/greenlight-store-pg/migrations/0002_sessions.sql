-- Greenlight issuer state, schema 2: open issuance sessions shared by every node of a region
-- (docs/api.md, "PostgreSQL store"). A row is created when a `start` reserves room (sealed
-- is NULL while the node computes its commitments), filled with the session's secrets sealed
-- under a key derived from the issuing key (greenlight_issuance::seal: this database alone
-- cannot open them), and deleted by the one `finish` that answers it (DELETE … RETURNING) or
-- once expired. `ticket` is the keyed ticket digest, as in gl_tickets: at most one session
-- per ticket is open or being started.
CREATE TABLE gl_sessions (
    id         bytea   PRIMARY KEY CHECK (length(id) = 16),
    ticket     bytea   NOT NULL UNIQUE CHECK (length(ticket) = 32),
    key_id     bytea   NOT NULL CHECK (length(key_id) = 8),
    tokens     integer NOT NULL CHECK (tokens >= 1 AND tokens <= 64),
    sealed     bytea,
    expires_at bigint  NOT NULL CHECK (expires_at >= 0)
);
CREATE INDEX gl_sessions_expires_at ON gl_sessions (expires_at);
CREATE INDEX gl_sessions_key_id ON gl_sessions (key_id);
