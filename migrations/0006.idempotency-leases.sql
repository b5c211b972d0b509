-- depends: 0005.api-keys
-- A claimed Idempotency-Key is leased: when the instance holding it dies before storing the
-- response, another request may take the key once the lease has run out, instead of waiting
-- for the 24-hour retention. Keys claimed before this migration get a lease from now.

ALTER TABLE idempotency_keys ADD COLUMN locked_until timestamptz;

UPDATE idempotency_keys SET locked_until = now() + interval '60 seconds'
WHERE response_status IS NULL;
