"""The most relevant books of a search without scoring every match: candidates and a proof.

API.md ranks the matches of `q` by relevance = 0.6 x ts_rank + 0.25 x title similarity +
0.15 x the best author similarity, ties by id. Scoring every match costs time in proportion
to the matches (seconds for a common word in millions of books). This search scores a
candidate set C of matches instead, with the one relevance statement of `book_list`
(restricted to C), and returns its page only when no match outside C can reach the page:
every match outside C has relevance at most a bound B, and the page's last score is strictly
above B (a book outside C with an equal score could have a lower id). The page then holds
exactly the books, order and cursor values of the full ranking.

C is a union of parts, each with what it leaves out:
- a one-word query: the books whose title holds the word with 0.6 x rank + 0.25 x
  min(t_q, t_b) / max(t_q, t_b) >= u (`title_terms` keeps each such book's exact rank for the
  word and its title's trigram count t_b; t_q is the query's; similarity is at most that
  ratio); a book left out scores below u + 0.15 x the best author similarity left out;
- a two-word query: every book whose title holds both words; and, when needed, every book
  holding both words with ts_rank >= r (the full-text index); a book left out that holds both
  has ts_rank below r, or below a bound from the words' weights and counts
  (`lexeme_bounds`, and tsrank.c's formula for an AND query: 1 - prod(1 - sqrt(w1 w2 /
  (1.005 + 0.05 exp(d / 1.5 - 2)))) over pairs of positions, adjacent ones the largest);
- for either, a book whose title lacks a word has the rank `lexeme_bounds` records;
- the books whose title similarity is at least s (pg_trgm's `%` with its threshold raised to
  s, through the title trigram index): outside it, similarity is below s;
- the books of the k authors most similar to the query: outside them, the best author
  similarity is at most that of the next author, or below pg_trgm's threshold.
A match outside C is a full-text match (bounded as above), or has a similar title or author
(bounded by the last two). The first try takes a few times the page from the word's titles
and the nearest authors; if that cannot be proved, its last score is a lower bound on the
true page's, and the second try takes the cheapest parts whose bound is below it, which
always proves. Other query forms (phrases, `or`, `-word`, three words or more), other
sorts, and a catalogue whose search index is not built yet (`library search index`) take
the full plan of `book_list`.
"""

from __future__ import annotations

import enum
import logging
import math
import re
from collections.abc import Sequence

from attrs import frozen
from psycopg import sql
from psycopg.rows import DictRow, dict_row

from library.adapters.postgres.book_list import SEARCH_KEY, Statement, book_list
from library.adapters.postgres.pool import Connection
from library.application.ports import BookFilter, BookPosition, SortOrder
from library.application.relevance import BOOK_AUTHOR, BOOK_RANK, BOOK_TITLE

log = logging.getLogger(__name__)

BY_RELEVANCE = (SortOrder("similarity", descending=True),)
# ts_rank's factor for two positions next to each other, the largest of any two positions.
NEXT_WORD = 1.0 / (1.005 + 0.05 * math.exp(1 / 1.5 - 2))
# ts_rank of a book that lacks a word of an AND query (tsrank.c returns 1e-20, not 0).
MISSING_WORD_RANK = 1e-20
# ts_rank accumulates in float4: each step may round up by this much of the result.
FLOAT4_STEP = 2.0**-23
# Bounds are computed in float8 from float4 inputs: keep well clear of both.
MARGIN = 1e-6
# The first try takes this many times the page from a word's best titles, the most similar
# authors, and, when the words' titles cannot fill the page, the titles at least this similar.
FIRST_DEPTH = 4
FIRST_SIMILARITY = 0.5
# Authors read per search, nearest first (beyond them, the last one read bounds the rest).
NEAREST_AUTHORS = 100
# Rough costs, in books scored, of the parts a second try chooses between (they steer speed
# only, never results): the title trigram index reads far more below about 0.45, and
# scoring every book that holds two words reads each once.
SIMILAR_TITLES_LOW = 0.02
SIMILAR_TITLES_HIGH = 0.01
SIMILAR_TITLES_CUT = 0.45
EVERY_MATCH = 0.005

_TRIGRAMS = sql.SQL("coalesce(cardinality(show_trgm({key})), 0)").format(key=SEARCH_KEY)
# A title's best possible score for a word: its exact rank, and its similarity's bound (with
# `trigrams` the query's trigram count).
_TITLE_BOUND = sql.SQL(
    "({rank}::float8 * t.rank::float8 + {title}::float8"
    " * coalesce(least({trigrams}, t.title_trigrams)::float8"
    " / nullif(greatest({trigrams}, t.title_trigrams), 0), 0))"
)


def _title_bound(trigrams: sql.Composable) -> sql.Composable:
    return _TITLE_BOUND.format(
        rank=sql.Literal(BOOK_RANK), title=sql.Literal(BOOK_TITLE), trigrams=trigrams
    )


_FACTS = sql.SQL("""
WITH search AS MATERIALIZED (
    SELECT websearch_to_tsquery('english', {key})::text AS query,
           tsvector_to_array(to_tsvector('english', {key})) AS lexemes,
           {trigrams} AS trigrams
),
nearest_authors AS (
    SELECT a.id, similarity(a.name_key, {key})::float8 AS similarity
    FROM authors a ORDER BY a.name_key <-> {key} LIMIT %(authors)s
)
SELECT s.query, s.lexemes, s.trigrams,
       coalesce((SELECT ready FROM search_index), false) AS ready,
       current_setting('pg_trgm.similarity_threshold')::float8 AS threshold,
       greatest((SELECT reltuples FROM pg_class WHERE oid = 'books'::regclass), 0)::float8
           AS books,
       (SELECT greatest(l.reltuples, 0) / greatest(a.reltuples, 1) FROM pg_class l, pg_class a
        WHERE l.oid = 'book_authors'::regclass AND a.oid = 'authors'::regclass)::float8
           AS books_per_author,
       ARRAY(SELECT id FROM nearest_authors ORDER BY similarity DESC, id) AS author_ids,
       ARRAY(SELECT similarity FROM nearest_authors ORDER BY similarity DESC, id)
           AS author_similarities,
       -- float8 written to JSON round-trips exactly (shortest exact digits).
       (SELECT json_agg(json_build_object(
                'lexeme', lb.lexeme, 'occurrences', lb.occurrences,
                'untitled_weight', lb.untitled_weight::float8,
                'untitled_occurrences', lb.untitled_occurrences,
                'untitled_rank', lb.untitled_rank::float8))
        FROM lexeme_bounds lb WHERE lb.lexeme = ANY(s.lexemes)) AS words,
       CASE WHEN cardinality(s.lexemes) = 1 THEN (
           SELECT {title_bound} FROM title_terms t
           WHERE t.lexeme = s.lexemes[1] AND t.rank <= %(rank_hi)s
           ORDER BY 1 DESC OFFSET %(depth)s - 1 LIMIT 1
       ) END AS titles_from,
       CASE cardinality(s.lexemes)
           WHEN 1 THEN (
               SELECT count(*) FROM (
                   SELECT 1 FROM title_terms t
                   WHERE t.lexeme = s.lexemes[1] AND t.rank <= %(rank_hi)s LIMIT %(needed)s
               ) found
           )
           WHEN 2 THEN (
               SELECT count(*) FROM (
                   SELECT 1 FROM title_terms t1
                   JOIN title_terms t2 ON t2.lexeme = s.lexemes[2] AND t2.book_id = t1.book_id
                   WHERE t1.lexeme = s.lexemes[1] LIMIT %(needed)s
               ) found
           )
           ELSE 0
       END AS titled
FROM search s
""").format(
    key=SEARCH_KEY,
    trigrams=_TRIGRAMS,
    title_bound=_title_bound(sql.SQL("s.trigrams")),
)

# The rank of the depth-th best full-text match below the cursor (none: fewer matches).
_DEPTH_RANK = sql.SQL(
    "SELECT ts_rank(m.search_vector, websearch_to_tsquery('english', {key}))::float8 AS rank"
    " FROM books m WHERE m.search_vector @@ websearch_to_tsquery('english', {key})"
    " AND ts_rank(m.search_vector, websearch_to_tsquery('english', {key})) <= %(rank_hi)s"
    " ORDER BY 1 DESC OFFSET %(depth)s - 1 LIMIT 1"
).format(key=SEARCH_KEY)

_SIMILARITY_THRESHOLD = "SELECT set_config('pg_trgm.similarity_threshold', %(similar)s, true)"

_TITLES = sql.SQL(
    "SELECT t.book_id FROM title_terms t WHERE t.lexeme = %(lexeme)s"
    " AND t.rank <= %(rank_hi)s AND {title_bound} >= %(titles_from)s"
).format(title_bound=_title_bound(sql.Placeholder("trigrams")))
_ALL_TITLES = sql.SQL("SELECT t.book_id FROM title_terms t WHERE t.lexeme = %(lexeme)s")
_BOTH_TITLED = sql.SQL(
    "SELECT t1.book_id FROM title_terms t1"
    " JOIN title_terms t2 ON t2.lexeme = %(second)s AND t2.book_id = t1.book_id"
    " WHERE t1.lexeme = %(lexeme)s"
)
_EVERY_MATCH = sql.SQL(
    "SELECT m.id FROM books m"
    " WHERE m.search_vector @@ websearch_to_tsquery('english', {key})"
    " AND ts_rank(m.search_vector, websearch_to_tsquery('english', {key}))"
    " BETWEEN %(every_match_from)s AND %(rank_hi)s"
).format(key=SEARCH_KEY)
_SIMILAR_TITLES = sql.SQL("SELECT m.id FROM books m WHERE m.title_key %% {key}").format(
    key=SEARCH_KEY
)
_BY_AUTHORS = sql.SQL(
    "SELECT ba.book_id FROM book_authors ba WHERE ba.author_id = ANY(%(authors)s)"
)
_NOTHING = sql.SQL("SELECT NULL::bigint WHERE false")

_QUOTED = re.compile(r"'((?:[^'\\]|''|\\.)*)'")
_ESCAPE = re.compile(r"''|\\(.)")


def plain_words(query_text: str) -> tuple[str, ...] | None:
    """The lexemes of a tsquery's text when it is an AND of at most two plain words (none:
    only stop words), else None."""
    if query_text == "":
        return ()
    lexemes = []
    for part in query_text.split(" & "):
        match = _QUOTED.fullmatch(part)
        if match is None:
            return None
        lexemes.append(_ESCAPE.sub(lambda m: m[1] or "'", match[1]))
    unique = tuple(dict.fromkeys(lexemes))
    return unique if len(unique) <= 2 else None


@frozen
class WordBounds:
    """What `lexeme_bounds` says of a word (all zero for a word no book holds)."""

    occurrences: int = 0
    untitled_weight: float = 0.0
    untitled_occurrences: int = 0
    untitled_rank: float = 0.0


@frozen
class Author:
    id: int
    similarity: float


def and_rank_bound(weight: float, count: int, other_weight: float, other_count: int) -> float:
    """The most ts_rank gives an AND of two words in a book holding one at most `count` times
    with weights at most `weight`, the other likewise: every pair of positions adjacent."""
    if count == 0 or other_count == 0:
        return MISSING_WORD_RANK
    pairs = count * other_count
    closest = math.sqrt(weight * other_weight * NEXT_WORD)
    return min(1.0, 1.0 - (1.0 - closest) ** pairs + pairs * FLOAT4_STEP)


@frozen
class Facts:
    """What a search knows before it scores anything."""

    lexemes: tuple[str, ...]
    words: tuple[WordBounds, ...]  # one for each lexeme
    authors: tuple[Author, ...]  # the most similar matching authors, most similar first
    other_authors: float  # the best similarity of every other author
    every_author: bool  # whether `authors` holds every author that matches
    threshold: float  # pg_trgm's similarity threshold: what makes a title or author match
    books: float  # about how many books there are (the planner's statistics)
    books_per_author: float  # and how many books an author has, on average
    titles_from: float | None  # one word: the title bound of its FIRST_DEPTH x page-th title
    titled: int  # the books whose title holds every word, counted up to the page's size

    def untitled_rank(self, every_match_from: float | None) -> float | None:
        """The most ts_rank a full-text match outside the word parts can have (None: there
        is no such match)."""
        if len(self.lexemes) == 1:
            word = self.words[0]
            if not word.untitled_occurrences:
                return None
            bound = word.untitled_rank
            return bound if every_match_from is None else min(bound, every_match_from)
        if len(self.lexemes) == 2:
            first, second = self.words
            bound = max(
                and_rank_bound(
                    first.untitled_weight, first.untitled_occurrences, 1.0, second.occurrences
                ),
                and_rank_bound(
                    1.0, first.occurrences, second.untitled_weight, second.untitled_occurrences
                ),
            )
            if bound <= MISSING_WORD_RANK:
                return None
            return bound if every_match_from is None else min(bound, every_match_from)
        return None

    def author_cuts(self) -> list[int]:
        """How many of the similar authors a candidate set may take: never half of a tie."""
        cuts = [0]
        for count in range(1, len(self.authors) + 1):
            if count == len(self.authors) or (
                self.authors[count].similarity != self.authors[count - 1].similarity
            ):
                cuts.append(count)
        return cuts

    def author_left(self, taken: int) -> float:
        """The best author similarity of a book none of whose authors were taken."""
        if taken < len(self.authors):
            return self.authors[taken].similarity
        return self.other_authors


@frozen
class Choice:
    """One candidate set: its parts, and the bound on every match it leaves out."""

    titles_from: float | None  # one word: its titles whose bound is at least this
    both_titled: bool  # two words: the books whose title holds both
    every_match_from: float | None  # two words: the books holding both ranked at least this
    similar_from: float | None  # the titles at least this similar
    authors: int  # the books of this many of the most similar authors
    bound: float

    def candidates(self, facts: Facts) -> sql.Composable:
        parts: list[sql.Composable] = []
        if self.titles_from is not None:
            parts.append(_TITLES if self.titles_from > -math.inf else _ALL_TITLES)
        if self.both_titled:
            parts.append(_BOTH_TITLED)
        if self.every_match_from is not None:
            parts.append(_EVERY_MATCH)
        if self.similar_from is not None:
            parts.append(_SIMILAR_TITLES)
        if self.authors:
            parts.append(_BY_AUTHORS)
        return sql.SQL("\n    UNION\n    ").join(parts) if parts else _NOTHING

    def params(self, facts: Facts, trigrams: int, rank_hi: float) -> dict[str, object]:
        params: dict[str, object] = {
            "authors": [author.id for author in facts.authors[: self.authors]],
            "trigrams": trigrams,
            "rank_hi": rank_hi,
            "titles_from": self.titles_from,
            "every_match_from": self.every_match_from,
        }
        if facts.lexemes:
            params["lexeme"] = facts.lexemes[0]
        if len(facts.lexemes) > 1:
            params["second"] = facts.lexemes[1]
        return params

    def cost(self, facts: Facts) -> float:
        cost = self.authors * facts.books_per_author
        if self.similar_from is not None:
            low = self.similar_from < SIMILAR_TITLES_CUT
            cost += facts.books * (SIMILAR_TITLES_LOW if low else SIMILAR_TITLES_HIGH)
        if self.every_match_from is not None:
            cost += facts.books * EVERY_MATCH
        return cost


def bound(
    facts: Facts,
    *,
    titles_from: float | None,
    every_match_from: float | None,
    similar_from: float | None,
    authors: int,
) -> float:
    """The most relevance a match outside the candidate set with these parts can have."""
    author_left = BOOK_AUTHOR * facts.author_left(authors)
    title_left = BOOK_TITLE * (1.0 if similar_from is None else similar_from)
    cases = []
    if len(facts.lexemes) == 1 and titles_from is not None and titles_from > -math.inf:
        cases.append(titles_from + author_left)  # a title of the word, below the cut
    untitled = facts.untitled_rank(every_match_from)
    if untitled is not None:  # a full-text match whose title lacks a word
        cases.append(BOOK_RANK * untitled + title_left + author_left)
    every_title = similar_from is not None and similar_from <= facts.threshold
    every_author = facts.every_author and authors == len(facts.authors)
    if not (every_title and every_author):
        # A match by a similar title or author only: its rank is at most ts_rank's 1e-20.
        cases.append(BOOK_RANK * MISSING_WORD_RANK + title_left + author_left)
    return max(cases) + MARGIN if cases else -math.inf


def _choice(
    facts: Facts,
    *,
    titles_from: float | None,
    both_titled: bool,
    every_match_from: float | None,
    similar_from: float | None,
    authors: int,
) -> Choice:
    return Choice(
        titles_from=titles_from,
        both_titled=both_titled,
        every_match_from=every_match_from,
        similar_from=similar_from,
        authors=authors,
        bound=bound(
            facts,
            titles_from=titles_from,
            every_match_from=every_match_from,
            similar_from=similar_from,
            authors=authors,
        ),
    )


def first_choice(facts: Facts, needed: int, every_match_from: float | None) -> Choice:
    """The first try: a small set that usually holds the page (with `every_match_from`, the
    full-text matches ranked that high, when the titles cannot fill it)."""
    near = min((cut for cut in facts.author_cuts() if cut), default=0)  # the most similar
    one_word = len(facts.lexemes) == 1
    two_words = len(facts.lexemes) == 2
    similar_from = None if facts.titled >= needed else max(facts.threshold, FIRST_SIMILARITY)
    titles_from: float | None = None
    if one_word:
        titles_from = -math.inf if facts.titles_from is None else facts.titles_from
    return _choice(
        facts,
        titles_from=titles_from,
        both_titled=two_words,
        every_match_from=every_match_from,
        similar_from=similar_from,
        authors=near,
    )


def widened_choice(facts: Facts, score: float) -> Choice | None:
    """The cheapest set whose bound is below `score`, a score some candidate page reached
    (so the true page's last score is at least as high); None when there is none."""
    one_word = len(facts.lexemes) == 1
    two_words = len(facts.lexemes) == 2
    best: Choice | None = None
    for authors in facts.author_cuts():
        author_left = BOOK_AUTHOR * facts.author_left(authors)
        room = score - 2 * MARGIN - author_left
        titles_from = room if one_word else None
        for every_match in (False, True) if facts.lexemes else (False,):
            for similar in (False, True):
                similar_from = None
                every_match_from = 0.0 if every_match else None
                if similar:
                    # As similar as the rank left out allows (with every match, none is).
                    untitled = facts.untitled_rank(0.0 if every_match else None)
                    rank_left = BOOK_RANK * (untitled or 0.0)
                    similar_from = max(facts.threshold, (room - rank_left) / BOOK_TITLE)
                    if similar_from >= 1.0:
                        continue  # no title is needed: the set without them covers it
                if every_match:
                    title_left = BOOK_TITLE * (1.0 if similar_from is None else similar_from)
                    every_match_from = max(0.0, (room - title_left) / BOOK_RANK)
                choice = _choice(
                    facts,
                    titles_from=titles_from,
                    both_titled=two_words,
                    every_match_from=every_match_from,
                    similar_from=similar_from,
                    authors=authors,
                )
                if choice.bound < score and (best is None or choice.cost(facts) < best.cost(facts)):
                    best = choice
    return best


def _facts(row: DictRow, lexemes: tuple[str, ...]) -> Facts:
    by_lexeme = {word["lexeme"]: word for word in row["words"] or ()}
    words = tuple(
        WordBounds(
            by_lexeme[lexeme]["occurrences"],
            by_lexeme[lexeme]["untitled_weight"],
            by_lexeme[lexeme]["untitled_occurrences"],
            by_lexeme[lexeme]["untitled_rank"],
        )
        if lexeme in by_lexeme
        else WordBounds()
        for lexeme in lexemes
    )
    nearest = [
        Author(id=a, similarity=s)
        for a, s in zip(row["author_ids"], row["author_similarities"], strict=True)
    ]
    threshold = row["threshold"]
    # The nearest authors that match, never cutting a tie with an author not read.
    complete = len(nearest) < NEAREST_AUTHORS
    last = nearest[-1].similarity if nearest else 0.0
    authors = tuple(
        a for a in nearest if a.similarity >= threshold and (complete or a.similarity > last)
    )
    others = nearest[len(authors) :]
    other_authors = others[0].similarity if others else 0.0
    return Facts(
        lexemes=lexemes,
        words=words,
        authors=authors,
        other_authors=other_authors,
        # An author not read may tie with the last one read (the scan orders by float4
        # distance): every matching author was read only when the others are clearly below.
        every_author=complete or other_authors < threshold - MARGIN,
        threshold=threshold,
        books=row["books"],
        books_per_author=row["books_per_author"],
        titles_from=row["titles_from"],
        titled=row["titled"],
    )


async def _page(
    connection: Connection, statement: Statement, choice: Choice, params: dict[str, object]
) -> list[DictRow]:
    cursor = connection.cursor(row_factory=dict_row)
    all_params = {**statement.params, **params}
    if choice.similar_from is None:
        await cursor.execute(statement.query, all_params)
        return await cursor.fetchall()
    async with connection.pipeline(), connection.transaction():
        await connection.execute(_SIMILARITY_THRESHOLD, {"similar": repr(choice.similar_from)})
        await cursor.execute(statement.query, all_params)
        return await cursor.fetchall()


class Fallback(enum.Enum):
    """Why a search takes the full plan."""

    FORM = "another form of query, or another sort"
    NOT_INDEXED = "the search index is not built yet"
    SHORT = "the first candidates do not fill the page"
    UNPROVED = "no candidate set could be proved"


def _proved(rows: Sequence[DictRow], limit: int, choice: Choice) -> bool:
    return len(rows) == limit and rows[-1]["relevance"] > choice.bound


async def bounded_page(
    connection: Connection,
    query: BookFilter,
    *,
    after: BookPosition | None,
    offset: int,
    limit: int,
) -> list[DictRow] | Fallback:
    """The rows of one page of the search `query`, found by bounds; or why the full plan
    must answer instead."""
    if query.q is None or query.sort != BY_RELEVANCE or limit < 1:
        return Fallback.FORM
    needed = offset + limit
    # A book ranked above this is before the cursor: its relevance exceeds the cursor's.
    rank_hi = math.inf
    if after is not None:
        (relevance,) = after.values
        if not isinstance(relevance, float):
            return Fallback.FORM
        rank_hi = relevance / BOOK_RANK + MARGIN
    cursor = connection.cursor(row_factory=dict_row)
    await cursor.execute(
        _FACTS,
        {
            "q": query.q,
            "rank_hi": rank_hi,
            "depth": FIRST_DEPTH * needed,
            "needed": needed,
            "authors": NEAREST_AUTHORS,
        },
    )
    row = await cursor.fetchone()
    if row is None or not row["ready"]:
        return Fallback.NOT_INDEXED
    lexemes = plain_words(row["query"])
    if lexemes is None or set(lexemes) != set(row["lexemes"]):
        return Fallback.FORM
    facts = _facts(row, lexemes)

    async def scored(choice: Choice) -> list[DictRow]:
        statement = book_list(
            query, after=after, offset=offset, limit=limit, candidates=choice.candidates(facts)
        )
        params = choice.params(facts, row["trigrams"], rank_hi)
        return await _page(connection, statement, choice, params)

    every_match_from = None
    if facts.titled < needed and facts.untitled_rank(None) is not None:
        # The words' titles cannot fill the page: take the best full-text matches too.
        await cursor.execute(
            _DEPTH_RANK, {"q": query.q, "rank_hi": rank_hi, "depth": FIRST_DEPTH * needed}
        )
        depth_row = await cursor.fetchone()
        every_match_from = 0.0 if depth_row is None else depth_row["rank"]
    first = first_choice(facts, needed, every_match_from)
    rows = await scored(first)
    if _proved(rows, limit, first):
        return rows
    if len(rows) < limit:
        return Fallback.SHORT
    wider = widened_choice(facts, rows[-1]["relevance"])
    if wider is not None:
        rows = await scored(wider)
        if _proved(rows, limit, wider):
            return rows
    # Cannot happen by the bounds' arithmetic: say so, and still answer correctly.
    log.warning("the bounded search for %r proved no page; using the full plan", query.q)
    return Fallback.UNPROVED
