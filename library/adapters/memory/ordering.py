"""Book list order as one ascending key, so keyset pages are a plain `key > position` test.

Each sort entry becomes a key part that sorts ascending in the wanted direction, and the
book id comes last (ties always break by id ascending):

- title ascending: the lower-cased title (Python compares code points, as PostgreSQL's
  `lower(title) COLLATE "C"` does);
- title descending: its UTF-8 bytes (whose order is code point order) with every byte
  complemented, then a 0xFF byte, above every complemented byte, so that a title sorts
  after the longer titles it begins;
- year: the year, or minus the year when descending; a missing year becomes a number above
  every year in either direction, so those books come last both ways;
- relevance: the relevance, or minus it when descending.
"""

from __future__ import annotations

from collections.abc import Callable

from library.adapters.memory.postgres_search import lower
from library.application.ports import BookPosition, SortOrder

SortKey = tuple[object, ...]
_KeyPart = Callable[[str, int | None, float | None], object]

_COMPLEMENT = bytes(range(255, -1, -1))  # byte b -> 255 - b
_NO_YEAR = 10_000  # years run from 1 to 9999


def _title_ascending(title: str, year: int | None, relevance: float | None) -> object:
    return lower(title)


def _title_descending(title: str, year: int | None, relevance: float | None) -> object:
    # "surrogatepass" keeps code point order for lone surrogates instead of failing.
    return lower(title).encode("utf-8", "surrogatepass").translate(_COMPLEMENT) + b"\xff"


def _year_ascending(title: str, year: int | None, relevance: float | None) -> object:
    return _NO_YEAR if year is None else year


def _year_descending(title: str, year: int | None, relevance: float | None) -> object:
    return 0 if year is None else -year


def _relevance_ascending(title: str, year: int | None, relevance: float | None) -> object:
    return 0.0 if relevance is None else relevance


def _relevance_descending(title: str, year: int | None, relevance: float | None) -> object:
    return 0.0 if relevance is None else -relevance


_PARTS: dict[tuple[str, bool], _KeyPart] = {
    ("title", False): _title_ascending,
    ("title", True): _title_descending,
    ("year", False): _year_ascending,
    ("year", True): _year_descending,
    ("similarity", False): _relevance_ascending,
    ("similarity", True): _relevance_descending,
}


class SortKeys:
    """The ascending keys of books in the order a filter's `sort` asks for."""

    def __init__(self, sort: tuple[SortOrder, ...]) -> None:
        self._sort = sort
        self._parts = tuple(_PARTS[order.field, order.descending] for order in sort)
        self.of: Callable[[int, str, int | None, float | None], SortKey] = _key_function(
            self._parts
        )

    def of_position(self, position: BookPosition) -> SortKey:
        """The key of the book a keyset page starts after.

        Raises:
            ValueError: the position does not fit the sort (a cursor for another order).
        """
        if len(position.values) != len(self._sort):
            raise ValueError("a position needs a value for each sort entry")
        parts: list[object] = []
        for order, part, value in zip(self._sort, self._parts, position.values, strict=True):
            if order.field == "title" and isinstance(value, str):
                parts.append(part(value, None, None))
            elif order.field == "year" and (value is None or type(value) is int):
                parts.append(part("", value, None))
            elif order.field == "similarity" and isinstance(value, int | float):
                parts.append(part("", None, float(value)))
            else:
                raise ValueError(f"{value!r} is not a {order.field} value")
        parts.append(position.book_id)
        return tuple(parts)


def _key_function(
    parts: tuple[_KeyPart, ...],
) -> Callable[[int, str, int | None, float | None], SortKey]:
    """Build `(book_id, title, year, relevance) -> key`, unrolled: it runs once per book."""
    if not parts:
        return lambda book_id, title, year, relevance: (book_id,)
    if len(parts) == 1:
        (first,) = parts
        return lambda book_id, title, year, relevance: (first(title, year, relevance), book_id)
    if len(parts) == 2:
        first, second = parts
        return lambda book_id, title, year, relevance: (
            first(title, year, relevance),
            second(title, year, relevance),
            book_id,
        )
    return lambda book_id, title, year, relevance: (
        *(part(title, year, relevance) for part in parts),
        book_id,
    )
