"""A weighted tsvector, built as the service's stored search vector is.

PostgreSQL (migration 0001) stores `setweight(to_tsvector('english', unaccent(lower(title))),
'A') || setweight(to_tsvector('english', unaccent(lower(genre))), 'B') ||
setweight(to_tsvector('english', unaccent(lower(description))), 'C')`. `TsVector.of` builds
the same lexemes, positions and weights, with PostgreSQL's limits.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Sequence

from attrs import frozen

from library.adapters.memory.postgres_search.english import parse
from library.adapters.memory.postgres_search.unaccent import fold

_MAX_POSITION = 16383  # MAXENTRYPOS - 1: later positions all count as this one
_MAX_POSITIONS = 256  # MAXNUMPOS: positions a lexeme keeps in a tsvector
_MAX_POSITIONS_PER_TEXT = 255  # to_tsvector keeps one fewer than a tsvector may hold


class Weight(enum.IntEnum):
    """A tsvector weight class (`setweight`); its value is PostgreSQL's 2-bit code."""

    D = 0
    C = 1
    B = 2
    A = 3


@frozen
class TsVector:
    """A weighted tsvector: each lexeme with its occurrences, in position order.

    An occurrence is packed in one int as PostgreSQL packs it, position << 2 | weight
    code: a catalogue holds millions of them, and tuples per occurrence cost several times
    the memory.
    """

    lexemes: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, *fields: tuple[str | None, Weight]) -> TsVector:
        """Index texts with their weights, as `setweight(to_tsvector(...)) || ...` does.

        Each text is folded (`unaccent(lower(...))`) first. Concatenation shifts the next
        text's positions by the highest position so far: stop words at the end of a text
        do not count, since they left no position in the tsvector.
        """
        found: dict[str, list[int]] = {}
        offset = 0
        for text, weight in fields:
            if text is None:
                continue
            in_text: dict[str, int] = {}
            last = offset
            for position, lexeme in parse(fold(text)):
                # Interned: the same few thousand words recur across the whole catalogue.
                occurrences = found.setdefault(sys.intern(lexeme), [])
                count = in_text.get(lexeme, 0)
                at = min(offset + position, _MAX_POSITION)
                # PostgreSQL's limits (checked with psql): to_tsvector keeps 255 positions of
                # a lexeme, `||` lets the result hold 256, and neither adds one after the
                # last position, where every later word lands.
                if (
                    count < _MAX_POSITIONS_PER_TEXT
                    and len(occurrences) < _MAX_POSITIONS
                    and (not occurrences or occurrences[-1] >> 2 != _MAX_POSITION)
                ):
                    occurrences.append(at << 2 | weight)
                    in_text[lexeme] = count + 1
                    last = max(last, at)
            offset = last
        return cls({lexeme: tuple(found[lexeme]) for lexeme in found})

    def has_phrase(self, lexemes: Sequence[str], offsets: Sequence[int]) -> bool:
        """Tell whether each lexeme occurs at its offset from one position of the first.

        That is tsquery's `<N>` chain: `"cat the dog"` requires `dog` two positions after
        `cat`.
        """
        found = [self.lexemes.get(lexeme) for lexeme in lexemes]
        first, rest = found[0], found[1:]
        if not first or not all(rest):
            return False
        following = [{occurrence >> 2 for occurrence in occurrences or ()} for occurrences in rest]
        steps = offsets[1:]
        for occurrence in first:
            position = occurrence >> 2
            if all(
                position + step in positions
                for step, positions in zip(steps, following, strict=True)
            ):
                return True
        return False
