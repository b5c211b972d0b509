"""PostgreSQL's `lower()` and `unaccent()`, and the folded form every search compares.

The service stores and searches `unaccent(lower(text))` (migrations 0001 and 0003): the
trigram keys of titles and names, the search vector's input and the query text.
"""

from __future__ import annotations

from library.adapters.memory.postgres_search.unaccent_rules import UNACCENT_RULES


def lower(text: str) -> str:
    """Lower-case `text` as PostgreSQL's `lower()` does (towlower, character by character).

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
    """Fold `text` into the form every search compares: PostgreSQL's `unaccent(lower(text))`."""
    return unaccent(lower(text))
