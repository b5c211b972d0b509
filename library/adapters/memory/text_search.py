"""Text matching as PostgreSQL does it: `unaccent`, `lower` and pg_trgm's `similarity`.

The trigram code follows pg_trgm (contrib/pg_trgm/trgm_op.c, default build): words are runs
of alphanumeric characters, each lower-cased and padded with two spaces in front and one
behind; a text's trigrams are the set of three-character substrings of its padded words;
similarity = shared / (|a| + |b| - shared), 0 when both sets are empty. PostgreSQL stores
trigrams of multi-byte characters as 3-byte hashes, which could in theory collide; we keep
the characters themselves.
"""

from __future__ import annotations

import re
import sys
from functools import cache

from library.adapters.memory.unaccent_rules import UNACCENT_RULES
from library.adapters.memory.word_characters import EXTRA_WORD_RANGES, NON_WORD_RANGES

# pg_trgm's `%` (and the API's "trigram-similar") threshold: pg_trgm.similarity_threshold.
SIMILARITY_THRESHOLD = 0.3


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


def lower(text: str) -> str:
    """PostgreSQL's `lower()` (towlower, character by character).

    Python's `str.lower` differs on two characters only (checked over every code point):
    a capital sigma at the end of a word becomes a final sigma (PostgreSQL: the ordinary
    small sigma), and a capital I with dot above becomes "i" plus a combining dot
    (PostgreSQL: "i").
    """
    if "\u03a3" not in text and "\u0130" not in text:
        return text.lower()
    return "".join("i" if char == "\u0130" else char.lower() for char in text)


def unaccent(text: str) -> str:
    """Replace accented letters, ligatures and typographic signs as PostgreSQL's unaccent."""
    return text.translate(UNACCENT_RULES)


def fold(text: str) -> str:
    """The form every search compares: PostgreSQL's `unaccent(lower(text))`."""
    return unaccent(lower(text))


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The alphanumeric words of `text`, in order, lower-cased."""
    text = lower(text)
    if text.isascii():  # the common case, and a much simpler pattern
        return _ASCII_WORD.findall(text)
    return _word().findall(text)


def trigrams(text: str) -> frozenset[str]:
    """The set of pg_trgm trigrams of `text` (what `show_trgm` lists)."""
    result: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        # Interned: a catalogue's titles share most of their trigrams.
        result.update(sys.intern(padded[i : i + 3]) for i in range(len(padded) - 2))
    return frozenset(result)


def trigram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's similarity of two trigram sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`."""
    return trigram_similarity(trigrams(a), trigrams(b))
