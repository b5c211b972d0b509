-- depends: 0001.catalogue
-- Stored responses of POSTs sent with an Idempotency-Key, shared by every instance.

CREATE TABLE idempotency_keys (
    key text PRIMARY KEY,
    fingerprint text NOT NULL,
    expires_at timestamptz NOT NULL,
    response_status smallint,
    response_body bytea,
    response_location text
);

-- Expired keys are swept by age.
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
