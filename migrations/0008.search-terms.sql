-- depends: 0007.book-language
-- What the bounded search (library/adapters/postgres/bounded_search.py) reads instead of
-- scoring every match: for each word of a book's title, the book's exact relevance rank for
-- that word alone; and for every word, the most any book can hold of it. Triggers keep both
-- in step with `books`; a catalogue that already holds books is indexed by
-- `library search index` (below 100,000 books this migration does it itself), and until it is
-- the service searches with the exact plan that scores every match.

-- One row per (word of a title, book): `rank` is ts_rank(search_vector, word), the book's
-- rank for a one-word query (computed by PostgreSQL itself, so it is exactly what the
-- relevance expression gets); `title_trigrams` counts the distinct trigrams of the title
-- (pg_trgm's similarity is at most the smaller trigram count over the larger). The key
-- carries both, so a search reads a word's books from the index alone.
CREATE TABLE title_terms (
    lexeme text NOT NULL,
    book_id bigint NOT NULL REFERENCES books ON DELETE CASCADE,
    rank real NOT NULL,
    title_trigrams smallint NOT NULL,
    PRIMARY KEY (lexeme, book_id) INCLUDE (rank, title_trigrams)
);
CREATE INDEX title_terms_book_idx ON title_terms (book_id);

-- Upper bounds per word, over every book that has it: the most positions a book has of it,
-- and, over the books whose title lacks it, the highest weight it has there (ts_rank's 0.4 B,
-- 0.2 C, 0.1 D), the most positions and the highest one-word rank. Bounds only grow (a book
-- deleted or changed leaves them as they were, still upper bounds).
CREATE TABLE lexeme_bounds (
    lexeme text PRIMARY KEY,
    occurrences integer NOT NULL,
    untitled_weight real NOT NULL,
    untitled_occurrences integer NOT NULL,
    untitled_rank real NOT NULL
);

-- The authors nearest a query first (a KNN scan of a small table), so a search learns which
-- authors match it and how similar the best of the others is without reading them all.
CREATE INDEX authors_name_key_gist_idx ON authors USING gist (name_key gist_trgm_ops);

-- Whether every book is in title_terms and lexeme_bounds (the bounded search waits for it).
CREATE TABLE search_index (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    ready boolean NOT NULL
);

-- The one-word tsquery of a lexeme, quoted as tsquery input wants it, so that no lexeme can
-- make it fail: backslashes (chr 92) and quotes (chr 39) doubled, inside quotes.
CREATE FUNCTION library_term_query(lexeme text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (chr(39)
            || replace(replace(lexeme, chr(92), repeat(chr(92), 2)), chr(39), repeat(chr(39), 2))
            || chr(39))::tsquery;

CREATE FUNCTION library_weight(weights text[]) RETURNS real
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN 'A' = ANY(weights) THEN 1.0
        WHEN 'B' = ANY(weights) THEN 0.4
        WHEN 'C' = ANY(weights) THEN 0.2
        ELSE 0.1
    END;

-- The terms and bounds of the books with these ids, as they are now: shared by the triggers
-- (which see the rows their statement wrote) and `library search index`.
CREATE FUNCTION library_index_terms(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO title_terms (lexeme, book_id, rank, title_trigrams)
    SELECT t.lexeme, b.id, ts_rank(b.search_vector, library_term_query(t.lexeme)),
           coalesce(cardinality(show_trgm(b.title_key)), 0)
    FROM books b, unnest(b.search_vector) AS t(lexeme, positions, weights)
    WHERE b.id = ANY(ids) AND 'A' = ANY(t.weights)
    ON CONFLICT DO NOTHING;
    -- Only bounds that grow are written: most books change none, so writers rarely meet on
    -- the row of a common word.
    WITH words AS (
        SELECT t.lexeme,
               max(cardinality(t.positions)) AS occurrences,
               max(CASE WHEN 'A' = ANY(t.weights) THEN 0 ELSE library_weight(t.weights) END)
                   AS untitled_weight,
               max(CASE WHEN 'A' = ANY(t.weights) THEN 0 ELSE cardinality(t.positions) END)
                   AS untitled_occurrences,
               max(CASE WHEN 'A' = ANY(t.weights) THEN 0
                        ELSE ts_rank(b.search_vector, library_term_query(t.lexeme)) END)
                   AS untitled_rank
        FROM books b, unnest(b.search_vector) AS t(lexeme, positions, weights)
        WHERE b.id = ANY(ids)
        GROUP BY t.lexeme
    )
    INSERT INTO lexeme_bounds AS lb
    SELECT w.* FROM words w
    WHERE NOT EXISTS (
        SELECT 1 FROM lexeme_bounds o
        WHERE o.lexeme = w.lexeme
          AND o.occurrences >= w.occurrences
          AND o.untitled_weight >= w.untitled_weight
          AND o.untitled_occurrences >= w.untitled_occurrences
          AND o.untitled_rank >= w.untitled_rank
    )
    ORDER BY w.lexeme
    ON CONFLICT (lexeme) DO UPDATE SET
        occurrences = greatest(lb.occurrences, excluded.occurrences),
        untitled_weight = greatest(lb.untitled_weight, excluded.untitled_weight),
        untitled_occurrences = greatest(lb.untitled_occurrences, excluded.untitled_occurrences),
        untitled_rank = greatest(lb.untitled_rank, excluded.untitled_rank);
$$;

CREATE FUNCTION library_books_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM library_index_terms(ARRAY(SELECT id FROM new_books));
    RETURN NULL;
END
$$;

CREATE FUNCTION library_books_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[] := ARRAY(
        SELECT n.id FROM new_books n JOIN old_books o ON o.id = n.id
        WHERE o.search_vector IS DISTINCT FROM n.search_vector
    );
BEGIN
    IF cardinality(changed) > 0 THEN
        DELETE FROM title_terms WHERE book_id = ANY(changed);
        PERFORM library_index_terms(changed);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_index_inserted AFTER INSERT ON books
    REFERENCING NEW TABLE AS new_books
    FOR EACH STATEMENT EXECUTE FUNCTION library_books_inserted();
CREATE TRIGGER books_index_updated AFTER UPDATE ON books
    REFERENCING OLD TABLE AS old_books NEW TABLE AS new_books
    FOR EACH STATEMENT EXECUTE FUNCTION library_books_updated();

-- A small catalogue is indexed here; a large one by `library search index`, outside the
-- migration lock (it takes minutes at millions of books).
INSERT INTO search_index (ready) SELECT (SELECT count(*) FROM books) < 100000;
DO $$
BEGIN
    IF (SELECT ready FROM search_index) THEN
        PERFORM library_index_terms(ARRAY(SELECT id FROM books));
    END IF;
END
$$;
