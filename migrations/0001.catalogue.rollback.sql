DROP TABLE IF EXISTS reviews;
DROP TABLE IF EXISTS book_authors;
DROP TABLE IF EXISTS books;
DROP TABLE IF EXISTS authors;
DROP FUNCTION IF EXISTS library_unaccent(text);
-- The extensions stay: other schemas of the database may use them.
