"""Words as pg_trgm splits text: runs of the characters glibc's `iswalnum()` accepts.

pg_trgm's trigrams are built from these words. The full-text emulation splits text the same
way, which is where it approximates PostgreSQL's text search parser (see `english`).
"""

from __future__ import annotations

import re
from functools import cache

from library.adapters.memory.postgres_search.unaccent import lower
from library.adapters.memory.postgres_search.word_characters import (
    EXTRA_WORD_RANGES,
    NON_WORD_RANGES,
)

_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


@cache
def _word() -> re.Pattern[str]:
    """A word for pg_trgm: a run of characters iswalnum() accepts (see word_characters).

    Python's `\\w` is the starting point; it also matches "_", which pg_trgm treats as a
    separator.
    """
    extra = _character_class(EXTRA_WORD_RANGES)
    excluded = _character_class(NON_WORD_RANGES)
    return re.compile(f"(?:[{extra}]|(?![{excluded}])[^\\W_])+")


def words(text: str) -> list[str]:
    """Split `text` into its alphanumeric words, in order, lower-cased."""
    text = lower(text)
    if text.isascii():  # the common case, and a much simpler pattern
        return _ASCII_WORD.findall(text)
    return _word().findall(text)
