-- depends: 0003.search-keys
-- pg_trgm declares its similarity operator as cheap as an integer comparison (COST 1). It
-- takes about 2 µs per row, a fifth of reading a page, so with that cost the planner
-- prefers checking `title_key % q` on every book (~130 ms at 70,000 books) to the trigram
-- index (~6 ms) as soon as the catalogue outgrows its statistics a little.
ALTER FUNCTION similarity_op(text, text) COST 100;
