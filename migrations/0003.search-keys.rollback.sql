CREATE INDEX books_title_trgm_idx ON books USING gin (library_unaccent(lower(title)) gin_trgm_ops);
CREATE INDEX authors_name_trgm_idx ON authors USING gin (library_unaccent(lower(name)) gin_trgm_ops);
CREATE INDEX authors_email_trgm_idx ON authors USING gin (library_unaccent(lower(email)) gin_trgm_ops);

ALTER TABLE books DROP COLUMN title_key;
ALTER TABLE authors DROP COLUMN name_key, DROP COLUMN email_key;
