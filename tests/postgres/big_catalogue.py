"""A 50,000-book catalogue built inside PostgreSQL with generate_series, for plans and timings."""

from __future__ import annotations

import psycopg


def _words(text: str) -> list[str]:
    return text.split()


BOOKS = 50_000
AUTHORS = 116

# Plain English words: titles (one to four words) and descriptions are drawn from them, so a
# word is in a few hundred titles and thousands of descriptions, and the full-text and
# trigram indexes have work to do.
WORDS = _words("""
    dragon garden winter silver river shadow empire mountain forest ocean harbour island
    castle kingdom desert storm thunder whisper secret journey letter mirror window lantern
    crown sword arrow falcon raven wolf lion tiger horse sparrow orchard meadow valley canyon
    glacier volcano comet planet star moon sun dawn dusk midnight autumn spring summer
    frost ember ash iron copper golden crystal velvet marble stone glass paper ink clock
    bridge tower temple market village city station railway voyage captain sailor soldier
    hunter queen king prince princess widow orphan stranger traveller doctor teacher
    scholar priest thief merchant painter poet singer dancer gardener baker weaver tailor
    memory promise silence laughter sorrow courage honour mercy justice freedom hunger
    fever dream legend prophecy riddle puzzle cipher map compass atlas chronicle diary
    ballad song hymn elegy sonata symphony opera theatre circus carnival festival wedding
    funeral harvest flood fire earthquake eclipse tide current wind rain snow fog mist
    cloud lightning rainbow horizon frontier border empire republic revolution rebellion
    """)

GENRES = _words("""
    Fantasy Science-fiction Mystery Thriller Romance Horror History Biography Poetry Drama
    Adventure Crime Philosophy Travel Humour Children Classics Essays Satire Western
    """)

FIRST_NAMES = _words("""
    Anna Boris Clara David Elena Frank Greta Hugo Irene Jonas Karin Leo Marta Nils Olga Pavel
    Rosa Stefan Tomas Ursula Vera Walter Yusuf Zofia Agnes Bruno Celine Dmitri Edith Felix
    """)

SURNAMES = _words("""
    Tolstoy Dostoevsky Herbert Pratchett Shelley Guin Atwood Borges Calvino Murakami Woolf
    Orwell Huxley Bradbury Asimov Lem Strugatsky Nabokov Chekhov Austen Bronte Dickens
    Hardy Eliot Conrad Kafka Mann Hesse Camus Sartre Beauvoir Eco Saramago Pessoa Lispector
    Marquez Llosa Cortazar Bolano Rulfo Allende Neruda Achebe Soyinka Adichie Coetzee
    Gordimer Mahfouz Pamuk Rushdie Ishiguro Mistry Narayan Tagore Kawabata Mishima Oe Soseki
    Lu Mo Yu Ding Cao Tan Kingston Morrison Baldwin Ellison Wright Hurston Walker Angelou
    Hemingway Fitzgerald Faulkner Steinbeck Twain Melville Hawthorne Poe Whitman Dickinson
    London Cather Wharton James Salinger Kerouac Vonnegut Pynchon DeLillo Roth Updike Bellow
    Malamud Oates McCarthy Proulx Robinson Munro Ondaatje Davies Richler Laurence Shields
    Carey Winton Malouf White Frame Mansfield Grace Ihimaera Hulme Duff Catton Kidman Jones
    Gee Shadbolt Sargeson Morrieson Tuwhare Baxter Curnow Glover Mason
    """)

_AUTHORS = """
INSERT INTO authors (name, email)
SELECT (%(first)s::text[])[1 + g %% cardinality(%(first)s::text[])]
       || ' ' || (%(surnames)s::text[])[1 + (g - 1) %% cardinality(%(surnames)s::text[])],
       CASE WHEN g %% 4 = 0 THEN NULL ELSE 'author' || g || '@example.org' END
FROM generate_series(1, %(authors)s) AS g
"""

# Each row draws its own words: the correlated subqueries mention `g`, so PostgreSQL runs
# them once per book rather than once for the whole insert.
_BOOKS = """
INSERT INTO books (title, year, book_isbn, genre_name, description)
SELECT
    initcap((SELECT string_agg((%(words)s::text[])[1 + floor(random() * %(nwords)s)::int], ' ')
             FROM generate_series(1, 1 + (g + floor(random() * 4)::int) %% 4) AS w
             WHERE g > 0)),
    CASE WHEN random() < 0.08 THEN NULL ELSE 1700 + floor(random() * 326)::int END,
    CASE WHEN random() < 0.5 THEN NULL ELSE (9780000000000 + g)::text END,
    CASE WHEN random() < 0.1 THEN NULL
         ELSE (%(genres)s::text[])[1 + floor(random() * %(ngenres)s)::int] END,
    CASE WHEN random() < 0.2 THEN NULL ELSE
        (SELECT string_agg((%(words)s::text[])[1 + floor(random() * %(nwords)s)::int], ' ')
         FROM generate_series(1, 12 + g %% 30) AS w WHERE g > 0) END
FROM generate_series(1, %(books)s) AS g
"""

# One to three authors per book (`0 * b.id` makes the series a lateral one, drawn per book).
_LINKS = """
INSERT INTO book_authors (book_id, author_id)
SELECT b.id, 1 + floor(random() * %(authors)s)::int
FROM books b, generate_series(1, 1 + floor(random() * 3)::int + 0 * b.id) AS n
ON CONFLICT DO NOTHING
"""

_REVIEWS = """
INSERT INTO reviews (book_id, reviewer_name, rating)
SELECT b.id, 'Reader ' || n, 1 + (b.id + n) %% 5
FROM books b, generate_series(1, (b.id %% 4)::int) AS n
"""


def build(url: str, *, books: int = BOOKS, authors: int = AUTHORS) -> None:
    """Fill the empty catalogue at `url` (migrated), then VACUUM ANALYZE it."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SELECT setseed(0.25)")
        params = {
            "first": FIRST_NAMES,
            "surnames": SURNAMES,
            "authors": authors,
            "words": WORDS,
            "nwords": len(WORDS),
            "genres": GENRES,
            "ngenres": len(GENRES),
            "books": books,
        }
        with connection.transaction():
            connection.execute(_AUTHORS, params)
            connection.execute(_BOOKS, params)
            connection.execute(_LINKS, params)
            connection.execute(_REVIEWS, params)
        connection.execute("VACUUM ANALYZE")
