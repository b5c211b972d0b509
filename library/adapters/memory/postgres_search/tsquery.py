"""`websearch_to_tsquery('english', unaccent(lower(q)))` and `@@`.

The query follows websearch syntax: terms are ANDed; `"a quoted phrase"` requires its words
in order at their distances; `-term` or `-"a phrase"` excludes; `or` between two terms means
OR, binding looser than AND (`a b or c` is `(a & b) | c`); elsewhere `or` is a word (and a
stop word). Any input is accepted.

Each term's words go through the `english` configuration (see `english`). A term's lexemes
form a phrase at the distances of their words, so stop words inside it widen the distance
(`"cat the dog"` is `'cat' <2> 'dog'`) and stop words at its ends drop out; a word holding
punctuation (`don't`, `e-mail`) is a phrase of its parts. A term with no lexeme left is
removed from the query, a clause with no term left from the OR; a query with no lexeme at
all (only stop words or punctuation) matches nothing, as PostgreSQL's empty tsquery does.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from library.adapters.memory.postgres_search.english import parse
from library.adapters.memory.postgres_search.tsvector import TsVector
from library.adapters.memory.postgres_search.unaccent import fold


@frozen
class Term:
    """One websearch term: a lexeme or a phrase of lexemes, possibly negated.

    Attributes:
        lexemes: the term's lexemes, in order.
        offsets: each lexeme's distance from the first (0 for the first one).
        negated: whether the term excludes rather than requires.
    """

    lexemes: tuple[str, ...]
    offsets: tuple[int, ...]
    negated: bool = False

    def holds(self, vector: TsVector) -> bool:
        if len(self.lexemes) == 1:
            return (self.lexemes[0] in vector.lexemes) != self.negated
        return vector.has_phrase(self.lexemes, self.offsets) != self.negated

    @property
    def is_phrase(self) -> bool:
        return len(self.lexemes) > 1


@frozen
class TsQuery:
    """A parsed websearch query: OR of clauses, each an AND of terms."""

    clauses: tuple[tuple[Term, ...], ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def matches(self, vector: TsVector) -> bool:
        """Tell whether `vector @@ query`: some clause has every term holding."""
        return any(all(term.holds(vector) for term in clause) for clause in self.clauses)


def websearch_to_tsquery(text: str) -> TsQuery:
    """Parse `text` with websearch syntax and the `english` configuration."""
    chunks = list(_chunks(fold(text)))
    clauses: list[tuple[Term, ...]] = []
    current: list[Term] = []
    expecting_operand = True
    for index, (chunk, negated, quoted) in enumerate(chunks):
        # `or` is an operator only between two terms; anywhere else it is a word (and a
        # stop word). A term counts here even when it turns out to have no lexeme:
        # `cat or the` is `cat | (a stop word)`, which is `cat`.
        is_or = chunk == "or" and not quoted and not negated
        if is_or and not expecting_operand and index + 1 < len(chunks):
            clauses.append(tuple(current))
            current = []
            expecting_operand = True
            continue
        term = _term(chunk, negated)
        if term is not None:
            current.append(term)
        expecting_operand = False
    clauses.append(tuple(current))
    return TsQuery(tuple(clause for clause in clauses if clause))


def _term(chunk: str, negated: bool) -> Term | None:
    """The term of one chunk: its lexemes at their distances; None when it has none."""
    found = parse(chunk)
    if not found:
        return None
    first = found[0][0]
    return Term(
        tuple(lexeme for _, lexeme in found),
        tuple(position - first for position, _ in found),
        negated,
    )


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
