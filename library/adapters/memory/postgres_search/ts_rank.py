"""PostgreSQL's `ts_rank(vector, query)`: default weights, normalisation 0.

As tsrank.c computes it: weights D=0.1, C=0.2, B=0.4, A=1.0. For an OR-shaped query (a
single lexeme, a negation, an OR at the top) the per-lexeme sum of weight / occurrence²,
scaled by 1/(π²/6) (one title hit alone gives 0.6079271), averaged over the query's
distinct lexemes; for an AND- or phrase-shaped query with two lexemes or more, the
combination of every pair of two matched lexemes' occurrences, weighted by their distance
(1e-20 when no pair is found). The query's lexemes include those under a negation. It lies
in [0, 1] (1 only when rounding makes it so, as it can in PostgreSQL), and is 0 for an empty
vector or query.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from library.adapters.memory.postgres_search.tsquery import TsQuery
from library.adapters.memory.postgres_search.tsvector import TsVector

_ZETA_2 = 1.64493406685  # sum of 1/i², i = 1..inf = pi²/6, as ts_rank writes it
# ts_rank's default weight of each class, by code: {D, C, B, A} = {0.1, 0.2, 0.4, 1.0}.
_RANK_WEIGHTS = (0.1, 0.2, 0.4, 1.0)


def ts_rank(vector: TsVector, query: TsQuery) -> float:
    """Rank `vector` against `query` as `ts_rank(vector, query)` does."""
    if not query.clauses or not vector.lexemes:
        return 0.0
    operands = _operands(query)
    clause = query.clauses[0]
    shape_is_and = len(query.clauses) == 1 and (
        len(clause) > 1 or (not clause[0].negated and clause[0].is_phrase)
    )
    if shape_is_and and len(operands) >= 2:
        return _rank_and(vector, operands)
    return _rank_or(vector, operands)


def _operands(query: TsQuery) -> list[str]:
    """The query's distinct lexemes, in byte order, as ts_rank's SortAndUniqItems has them."""
    seen = dict.fromkeys(
        lexeme for clause in query.clauses for term in clause for lexeme in term.lexemes
    )
    # Code point order is UTF-8 byte order.
    return sorted(seen)


def _rank_or(vector: TsVector, operands: Sequence[str]) -> float:
    total = 0.0
    for lexeme in operands:
        occurrences = vector.lexemes.get(lexeme)
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


def _rank_and(vector: TsVector, operands: Sequence[str]) -> float:
    # ts_rank's calc_rank_and: every pair of occurrences of two different matched lexemes
    # adds evidence, more the closer they are: res = 1 - prod(1 - w).
    found = [vector.lexemes.get(lexeme) for lexeme in operands]
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
