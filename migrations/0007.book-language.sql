-- depends: 0006.idempotency-leases
-- The language a book is written in (an extension): an ISO 639-1 code, lower case, or none.
-- The application checks the code against ISO 639-1; the constraint keeps the column's form.

ALTER TABLE books ADD COLUMN language text CHECK (language ~ '^[a-z]{2}$');

-- `GET /books?language=xx` pages in id order (keyset) and by the other sorts after a filter.
CREATE INDEX books_language_idx ON books (language, id) WHERE language IS NOT NULL;
