"""pg_trgm's trigrams and `similarity`.

This follows pg_trgm (contrib/pg_trgm/trgm_op.c, default build): words (see `words`) are
lower-cased and padded with two spaces in front and one behind; a text's trigrams are the
set of three-character substrings of its padded words; similarity = shared / (|a| + |b| -
shared), 0 when both sets are empty. PostgreSQL stores trigrams of multi-byte characters as
3-byte hashes, which could in theory collide; we keep the characters themselves.
"""

from __future__ import annotations

import sys

from library.adapters.memory.postgres_search.words import words

# pg_trgm's `%` (and the API's "trigram-similar") threshold: pg_trgm.similarity_threshold.
SIMILARITY_THRESHOLD = 0.3


def trigrams(text: str) -> frozenset[str]:
    """Return the set of pg_trgm trigrams of `text` (what `show_trgm` lists)."""
    result: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        # Interned: a catalogue's titles share most of their trigrams.
        result.update(sys.intern(padded[i : i + 3]) for i in range(len(padded) - 2))
    return frozenset(result)


def trigram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Return pg_trgm's similarity of two trigram sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similarity(a: str, b: str) -> float:
    """Return pg_trgm's `similarity(a, b)`."""
    return trigram_similarity(trigrams(a), trigrams(b))
