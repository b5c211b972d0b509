DROP INDEX IF EXISTS books_language_idx;
ALTER TABLE books DROP COLUMN IF EXISTS language;
