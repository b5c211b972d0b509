"""PostgreSQL 15's text search, emulated for the in-memory catalogue.

The default run searches without a database, and must find what PostgreSQL finds. This
package computes what the service's SQL asks of PostgreSQL (migrations 0001 and 0003, the
PostgreSQL adapter's `book_list`): `unaccent(lower(text))`, pg_trgm's trigrams and
`similarity`, and full-text search with the `english` configuration
(`websearch_to_tsquery`, the weighted `tsvector` of a book, `@@` and `ts_rank`), with
snowball English stemming and PostgreSQL's English stop words. It is checked against
PostgreSQL 15 itself (tests/postgres/test_pg_search_emulation.py,
tests/property/test_postgres_parity.py) and against answers recorded from it
(tests/unit/adapters/postgres_search). Where it still differs, on words that PostgreSQL's
parser reads as tokens of their own (hyphenated words, e-mail addresses, URLs, numbers with a
point), `english` says how.

Modules, each named after what it emulates:

- `unaccent` (`unaccent_rules`): `lower()`, `unaccent()`;
- `words` (`word_characters`): how pg_trgm, and here the full-text parser, split words;
- `trigrams`: pg_trgm's `show_trgm` and `similarity`;
- `english` (`english_stop_words`): the `english` configuration, word to lexeme;
- `tsvector`, `tsquery`, `ts_rank`: the search vector, `websearch_to_tsquery` and `@@`,
  and `ts_rank`.
"""

from library.adapters.memory.postgres_search.trigrams import (
    SIMILARITY_THRESHOLD,
    similarity,
    trigram_similarity,
    trigrams,
)
from library.adapters.memory.postgres_search.ts_rank import ts_rank
from library.adapters.memory.postgres_search.tsquery import TsQuery, websearch_to_tsquery
from library.adapters.memory.postgres_search.tsvector import TsVector, Weight
from library.adapters.memory.postgres_search.unaccent import fold, lower, unaccent

__all__ = [
    "SIMILARITY_THRESHOLD",
    "TsQuery",
    "TsVector",
    "Weight",
    "fold",
    "lower",
    "similarity",
    "trigram_similarity",
    "trigrams",
    "ts_rank",
    "unaccent",
    "websearch_to_tsquery",
]
