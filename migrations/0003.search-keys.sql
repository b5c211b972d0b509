-- depends: 0002.idempotency-keys
-- Search compares the unaccented, lower-cased text of titles and author names. Stored once
-- per row, it costs unaccent() at write time instead of once per candidate row on every
-- search: in the index recheck of `%` and again in the relevance of each match.

ALTER TABLE books
    ADD COLUMN title_key text GENERATED ALWAYS AS (library_unaccent(lower(title))) STORED;
ALTER TABLE authors
    ADD COLUMN name_key text GENERATED ALWAYS AS (library_unaccent(lower(name))) STORED,
    ADD COLUMN email_key text GENERATED ALWAYS AS (library_unaccent(lower(email))) STORED;

CREATE INDEX books_title_key_trgm_idx ON books USING gin (title_key gin_trgm_ops);
CREATE INDEX authors_name_key_trgm_idx ON authors USING gin (name_key gin_trgm_ops);
CREATE INDEX authors_email_key_trgm_idx ON authors USING gin (email_key gin_trgm_ops);

DROP INDEX books_title_trgm_idx;
DROP INDEX authors_name_trgm_idx;
DROP INDEX authors_email_trgm_idx;
