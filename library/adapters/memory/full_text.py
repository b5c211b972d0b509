"""An approximation of PostgreSQL full-text search: `websearch_to_tsquery`, `@@`, `ts_rank`.

PostgreSQL (see API.md) matches `websearch_to_tsquery('english', q)` against
`setweight(to_tsvector(title), 'A') || setweight(to_tsvector(genre), 'B') ||
setweight(to_tsvector(description), 'C')`, all unaccented and lower-cased. This module keeps
the shape of that and differs where a dictionary would be needed:

- Lexemes are the lower-cased, unaccented alphanumeric words themselves: no stemming
  (`rats` does not find `rat`) and no stop words (`the` is a lexeme like any other).
- The query follows websearch syntax: words are ANDed; `"a quoted phrase"` requires its
  words at consecutive positions; `-word` or `-"a phrase"` excludes; `or` between two terms
  means OR, binding looser than AND (`a b or c` is `(a & b) | c`); elsewhere `or` is a
  word. A word that holds punctuation (`don't`, `e-mail`) is a phrase of its parts
  (PostgreSQL's parser also keeps `e-mail` whole, and a few punctuation marks, `a:b`, make
  an AND rather than a phrase). Any input is accepted; a query without a single word (only
  punctuation, say) matches nothing, as PostgreSQL's empty tsquery does.
- The rank is PostgreSQL's own `ts_rank` (normalisation 0, weights D=0.1, C=0.2, B=0.4,
  A=1.0) computed on these lexemes: for an OR-shaped query the per-term sum of
  weight / occurrence² scaled by 1/(π²/6) (one title hit alone gives 0.6079271) and averaged
  over the query's terms; for an AND- or phrase-shaped query the combination of every pair
  of matched terms' positions, weighted by their distance. It lies in [0, 1] (1 only when
  rounding makes it so, as it can in PostgreSQL).
"""

from __future__ import annotations

import enum
import math
import sys
from collections.abc import Iterator, Sequence

from attrs import frozen

from library.adapters.memory.text_search import fold, words

_MAX_POSITION = 16383  # PostgreSQL's MAXENTRYPOS: later positions all count as this one
_MAX_POSITIONS_PER_LEXEME = 256  # PostgreSQL's MAXNUMPOS
_ZETA_2 = 1.64493406685  # sum of 1/i², i = 1..inf = pi²/6, as ts_rank writes it


class Weight(enum.IntEnum):
    """A tsvector weight class (`setweight`); its value is PostgreSQL's 2-bit code."""

    D = 0
    C = 1
    B = 2
    A = 3


# ts_rank's default weight of each class, by code: {D, C, B, A} = {0.1, 0.2, 0.4, 1.0}.
_RANK_WEIGHTS = (0.1, 0.2, 0.4, 1.0)


@frozen
class Document:
    """A weighted tsvector: each lexeme with its occurrences, in position order.

    An occurrence is packed in one int as PostgreSQL packs it, position << 2 | weight
    code: a catalogue holds millions of them, and tuples per occurrence cost several times
    the memory.
    """

    lexemes: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, *fields: tuple[str | None, Weight]) -> Document:
        """Index texts with their weights, as `setweight(to_tsvector(...)) || ...` does.

        Positions continue from one field to the next, like tsvector concatenation.
        """
        found: dict[str, list[int]] = {}
        offset = 0
        for text, weight in fields:
            if text is None:
                continue
            tokens = words(fold(text))
            for index, token in enumerate(tokens, start=1):
                # Interned: the same few thousand words recur across the whole catalogue.
                occurrences = found.setdefault(sys.intern(token), [])
                if len(occurrences) < _MAX_POSITIONS_PER_LEXEME:
                    occurrences.append(min(offset + index, _MAX_POSITION) << 2 | weight)
            offset += len(tokens)
        return cls({lexeme: tuple(found[lexeme]) for lexeme in found})

    def has_all(self, lexemes: Sequence[str]) -> bool:
        return all(lexeme in self.lexemes for lexeme in lexemes)

    def has_phrase(self, lexemes: Sequence[str]) -> bool:
        """Whether `lexemes` occur at consecutive positions (tsquery's `<->` chain)."""
        found = [self.lexemes.get(lexeme) for lexeme in lexemes]
        first, rest = found[0], found[1:]
        if not first or not all(rest):
            return False
        following = [{occurrence >> 2 for occurrence in occurrences or ()} for occurrences in rest]
        for occurrence in first:
            position = occurrence >> 2
            if all(position + step in positions for step, positions in enumerate(following, 1)):
                return True
        return False


@frozen
class Term:
    """One websearch term: a word or a phrase (all its words), possibly negated."""

    lexemes: tuple[str, ...]
    negated: bool = False

    def holds(self, document: Document) -> bool:
        if len(self.lexemes) == 1:
            return (self.lexemes[0] in document.lexemes) != self.negated
        return document.has_phrase(self.lexemes) != self.negated


@frozen
class TextQuery:
    """A parsed websearch query: OR of clauses, each an AND of terms."""

    clauses: tuple[tuple[Term, ...], ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def matches(self, document: Document) -> bool:
        """`document @@ query`: some clause has every term holding."""
        return any(all(term.holds(document) for term in clause) for clause in self.clauses)

    def rank(self, document: Document) -> float:
        """`ts_rank(document, query)` with PostgreSQL's default weights and no normalisation."""
        if not self.clauses:
            return 0.0
        operands = self._operands()
        shape_is_and = len(self.clauses) == 1 and (
            len(self.clauses[0]) > 1
            or (not self.clauses[0][0].negated and len(self.clauses[0][0].lexemes) > 1)
        )
        if shape_is_and and len(operands) >= 2:
            return _rank_and(document, operands)
        return _rank_or(document, operands)

    def _operands(self) -> list[str]:
        """The query's distinct lexemes, as ts_rank's SortAndUniqItems sees them."""
        seen = dict.fromkeys(
            lexeme for clause in self.clauses for term in clause for lexeme in term.lexemes
        )
        return sorted(seen)


def _rank_or(document: Document, operands: Sequence[str]) -> float:
    total = 0.0
    for lexeme in operands:
        occurrences = document.lexemes.get(lexeme)
        if not occurrences:
            continue
        # ts_rank's calc_rank_or: occurrences in position order, the j-th weighted 1/j²,
        # except that the heaviest one counts in full.
        resj = 0.0
        heaviest, heaviest_index = -1.0, 0
        for j, occurrence in enumerate(occurrences):
            weight = _RANK_WEIGHTS[occurrence & 3]
            resj += weight / ((j + 1) * (j + 1))
            if weight > heaviest:
                heaviest, heaviest_index = weight, j
        square = (heaviest_index + 1) * (heaviest_index + 1)
        total += (heaviest + resj - heaviest / square) / _ZETA_2
    return total / len(operands)


def _word_distance(distance: int) -> float:
    if distance > 100:
        return 1e-30
    return 1.0 / (1.005 + 0.05 * math.exp(distance / 1.5 - 2))


def _rank_and(document: Document, operands: Sequence[str]) -> float:
    # ts_rank's calc_rank_and: every pair of occurrences of two different matched terms
    # adds evidence, more the closer they are: res = 1 - prod(1 - w).
    found = [document.lexemes.get(lexeme) for lexeme in operands]
    result = -1.0
    for i, mine in enumerate(found):
        if not mine:
            continue
        for theirs in found[:i]:
            if not theirs:
                continue
            for occurrence in mine:
                weight = _RANK_WEIGHTS[occurrence & 3]
                for other in theirs:
                    distance = abs((occurrence >> 2) - (other >> 2))
                    if distance == 0:
                        continue
                    other_weight = _RANK_WEIGHTS[other & 3]
                    evidence = math.sqrt(weight * other_weight * _word_distance(distance))
                    result = evidence if result < 0 else 1.0 - (1.0 - result) * (1.0 - evidence)
    return 1e-20 if result < 0 else result


def parse_websearch(text: str) -> TextQuery:
    """Parse `text` with websearch syntax into OR-ed clauses of AND-ed terms."""
    terms = [
        (Term(lexemes, negated), quoted, chunk)
        for chunk, negated, quoted in _chunks(fold(text))
        if (lexemes := tuple(words(chunk)))
    ]
    clauses: list[tuple[Term, ...]] = []
    current: list[Term] = []
    expecting_operand = True
    for index, (term, quoted, chunk) in enumerate(terms):
        # `or` is an operator only between two terms; anywhere else it is a word.
        is_or = chunk == "or" and not quoted and not term.negated
        if is_or and not expecting_operand and index + 1 < len(terms):
            clauses.append(tuple(current))
            current = []
            expecting_operand = True
            continue
        current.append(term)
        expecting_operand = False
    if current:
        clauses.append(tuple(current))
    return TextQuery(tuple(clauses))


def _chunks(text: str) -> Iterator[tuple[str, bool, bool]]:
    """Split websearch input into (text, negated, quoted) chunks.

    A quote opens a phrase anywhere, up to the next quote (or the end). Each `-` before a
    chunk, even apart from it, negates it once more (`--word` is `word`).
    """
    i, n = 0, len(text)
    negated = False
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "-":
            negated = not negated
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            yield text[i + 1 : end], negated, True
            negated = False
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] != '"':
                i += 1
            yield text[start:i], negated, False
            negated = False
