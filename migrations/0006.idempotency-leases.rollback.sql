ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS locked_until;
