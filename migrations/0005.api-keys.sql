-- depends: 0004.trigram-cost
-- API keys, shared by every instance. Only the SHA-256 of each key is kept: the key itself is
-- shown once, when it is created. Rows are never deleted by the service (a revoked key stays
-- listed, with when it was revoked).

CREATE TABLE api_keys (
    id text PRIMARY KEY,
    name text NOT NULL,
    secret_hash text NOT NULL,
    scopes text[] NOT NULL,
    rate_limit integer,
    rate_period integer,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    expires_at timestamptz,
    revoked_at timestamptz,
    -- A key's own budget is a limit per period: both, or neither (the default budget).
    CONSTRAINT api_keys_rate_check CHECK (
        (rate_limit IS NULL AND rate_period IS NULL)
        OR (rate_limit >= 1 AND rate_period >= 1)
    )
);
