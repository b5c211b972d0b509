"""The SQL of `GET /books`: filters, search, sort and keyset, composed from fixed fragments.

Every value travels as a named parameter; only fragments written here are joined into the
statement. Sort keys are the expressions the indexes of migration 0001 are built on, so a
single-field page is one index range scan: title compares `lower(title) COLLATE "C"`, and
year compares coalesce(year, 10000) ascending or coalesce(year, 0) descending (books without
a year last in both directions, with no OR the planner could not seek).
"""

from __future__ import annotations

from attrs import frozen
from psycopg import sql

from library.adapters.postgres.book_columns import BOOK_COLUMNS, columns
from library.application.ports import BookFilter, BookPosition, SortOrder
from library.application.relevance import BOOK_AUTHOR, BOOK_RANK, BOOK_TITLE

# The query text as the stored search keys are written (folded into a constant at planning).
SEARCH_KEY = sql.SQL("library_unaccent(lower(%(q)s))")

# The search, when `q` is given: the parsed query once, then every matching book with its
# authors' best name similarity, computed set-wise over the matches only. Each way of matching
# is its own index scan (the full-text GIN index, the title trigram index, the author name
# trigram index through the link); one OR over the three would read every book instead.
# The match condition spells the query out, so that the planner estimates how many books it
# matches; the relevance takes it from `search_query`, materialised so that
# websearch_to_tsquery() runs once per search, not once per matching book.
_MATCHES = sql.SQL("""
    SELECT m.id FROM books m WHERE m.search_vector @@ websearch_to_tsquery('english', {key})
    UNION
    SELECT m.id FROM books m WHERE m.title_key %% {key}
    UNION
    SELECT ba.book_id FROM book_authors ba JOIN authors a ON a.id = ba.author_id
    WHERE a.name_key %% {key}
""").format(key=SEARCH_KEY)

_SEARCH = sql.SQL("""WITH search_query AS MATERIALIZED (
    SELECT websearch_to_tsquery('english', {key}) AS query
),
matches (id) AS ({matches}),
found AS ({found})
""")

# Each match's best author similarity: set-wise over every match (a hash join wins there),
# or, for the bounded search's few thousand candidates at most, looked up per candidate
# through the link's index (where the planner, pricing random reads as disk reads, would
# still hash all of book_authors). Either way the same max() of the same float4 values.
_FOUND_EVERY = sql.SQL("""
    SELECT m.id, max(similarity(a.name_key, {key})) AS author_similarity
    FROM matches m
    LEFT JOIN book_authors ba ON ba.book_id = m.id
    LEFT JOIN authors a ON a.id = ba.author_id
    GROUP BY m.id
""")
_FOUND_EACH = sql.SQL("""
    SELECT m.id, (
        SELECT max(similarity(a.name_key, {key}))
        FROM book_authors ba JOIN authors a ON a.id = ba.author_id
        WHERE ba.book_id = m.id
    ) AS author_similarity
    FROM (SELECT DISTINCT id FROM matches) m
""")

_SEARCH_JOIN = sql.SQL("JOIN found f ON f.id = b.id")

# float8 throughout, so the value handed out in a cursor compares exactly when it comes back.
_RELEVANCE = sql.SQL("""(
    {rank}::float8 * ts_rank(b.search_vector, (SELECT query FROM search_query))::float8
    + {title}::float8 * similarity(b.title_key, {key})::float8
    + {author}::float8 * coalesce(f.author_similarity, 0)::float8
)""").format(
    key=SEARCH_KEY,
    rank=sql.Literal(BOOK_RANK),
    title=sql.Literal(BOOK_TITLE),
    author=sql.Literal(BOOK_AUTHOR),
)

_FILTERS = {
    "title": sql.SQL('lower(b.title) COLLATE "C" = lower(%(title)s) COLLATE "C"'),
    "isbn": sql.SQL("b.book_isbn = %(isbn)s"),
    "author_id": sql.SQL(
        "b.id IN (SELECT ba.book_id FROM book_authors ba WHERE ba.author_id = %(author_id)s)"
    ),
    "before": sql.SQL("b.year <= %(before)s"),
    "after": sql.SQL("b.year >= %(after)s"),
    "language": sql.SQL("b.language = %(language)s"),
}

_NO_YEAR_ASCENDING = 10000
_NO_YEAR_DESCENDING = 0


@frozen
class Statement:
    query: sql.Composed
    params: dict[str, object]


def _sort_key(order: SortOrder) -> sql.Composable:
    """The expression a sort entry orders by, on the inner query's output columns."""
    if order.field == "title":
        return sql.SQL('lower(s.title) COLLATE "C"')
    if order.field == "year":
        fallback = _NO_YEAR_DESCENDING if order.descending else _NO_YEAR_ASCENDING
        return sql.SQL("coalesce(s.year, {})").format(sql.Literal(fallback))
    return sql.SQL("s.relevance")


def _position_value(order: SortOrder, value: object, name: str) -> sql.Composable:
    """The parameter a keyset bound compares with, transformed as its sort key is."""
    if order.field == "title":
        return sql.SQL('lower({}) COLLATE "C"').format(sql.Placeholder(name))
    if order.field == "year":
        fallback = _NO_YEAR_DESCENDING if order.descending else _NO_YEAR_ASCENDING
        return sql.SQL("coalesce({}::integer, {})").format(
            sql.Placeholder(name), sql.Literal(fallback)
        )
    return sql.SQL("{}::float8").format(sql.Placeholder(name))


def _keyset(
    sort: tuple[SortOrder, ...], position: BookPosition, params: dict[str, object]
) -> sql.Composable:
    """Rows strictly after `position` in (sort..., id ascending) order.

    The leading `key >= bound` (or <=) conjunct is what lets the planner start the index
    scan at the bound; the OR-expansion after it is exact.
    """
    keys: list[tuple[sql.Composable, sql.Composable, bool]] = []
    for index, (order, value) in enumerate(zip(sort, position.values, strict=True)):
        name = f"k{index}"
        params[name] = value
        keys.append((_sort_key(order), _position_value(order, value, name), order.descending))
    params["k_id"] = position.book_id
    keys.append((sql.SQL("s.id"), sql.Placeholder("k_id"), False))

    alternatives: list[sql.Composable] = []
    for index, (key, bound, descending) in enumerate(keys):
        equal = [sql.SQL("{} = {}").format(k, b) for k, b, _ in keys[:index]]
        after = sql.SQL("{} < {}" if descending else "{} > {}").format(key, bound)
        alternatives.append(sql.SQL("({})").format(sql.SQL(" AND ").join([*equal, after])))
    first_key, first_bound, first_descending = keys[0]
    seek = sql.SQL("{} <= {}" if first_descending else "{} >= {}").format(first_key, first_bound)
    return sql.SQL("{} AND ({})").format(seek, sql.SQL(" OR ").join(alternatives))


def book_list(
    query: BookFilter,
    *,
    after: BookPosition | None,
    offset: int,
    limit: int,
    candidates: sql.Composable | None = None,
) -> Statement:
    """The statement of one page of books for `query`.

    With `q`, the books considered are every match, or only `candidates` (a query of ids,
    every one of them a match) when given: the bounded search narrows them down, and the page
    is then scored and ordered exactly as the page of every match would be.
    """
    params: dict[str, object] = {"limit": limit, "offset": offset}
    conditions: list[sql.Composable] = []
    for name, fragment in _FILTERS.items():
        value = getattr(query, name)
        if value is not None:
            params[name] = value
            conditions.append(fragment)
    relevance: sql.Composable = sql.SQL("NULL::float8")
    search: sql.Composable = sql.SQL("")
    search_join: sql.Composable = sql.SQL("")
    if query.q is not None:
        params["q"] = query.q
        key = SEARCH_KEY
        found = (_FOUND_EVERY if candidates is None else _FOUND_EACH).format(key=key)
        search = _SEARCH.format(key=key, matches=candidates or _MATCHES, found=found)
        search_join, relevance = _SEARCH_JOIN, _RELEVANCE
    inner_where = sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("TRUE")
    outer_where: sql.Composable = sql.SQL("TRUE")
    if after is not None:
        outer_where = _keyset(query.sort, after, params)
    order_by: list[sql.Composable] = [
        sql.SQL("{} DESC" if order.descending else "{} ASC").format(_sort_key(order))
        for order in query.sort
    ]
    order_by.append(sql.SQL("s.id ASC"))
    statement = sql.SQL("""{search}
SELECT s.id, {fields}, s.authors, s.relevance
FROM (
    SELECT {columns}, {relevance} AS relevance
    FROM books b {search_join}
    WHERE {inner_where}
) s
WHERE {outer_where}
ORDER BY {order_by}
LIMIT %(limit)s OFFSET %(offset)s
""").format(
        search=search,
        search_join=search_join,
        fields=columns("s"),
        columns=BOOK_COLUMNS,
        relevance=relevance,
        inner_where=inner_where,
        outer_where=outer_where,
        order_by=sql.SQL(", ").join(order_by),
    )
    return Statement(statement, params)
