"""PostgreSQL's `english` text search configuration: from text to positioned lexemes.

What `to_tsvector('english', text)` does with each word, and `websearch_to_tsquery` with
each word of a query term (PostgreSQL's `parsetext`):

- Every word takes the next position, stop words included; a word longer than 2047 bytes
  is left out ("word is too long to be indexed") and takes none.
- An alphabetic word (the parser's `asciiword` or `word`) goes to the `english_stem`
  dictionary: a stop word of `english.stop` yields no lexeme, any other word its snowball
  English stem (words over 1000 bytes are not stemmed). snowballstemmer 2.2's English
  stemmer is the one PostgreSQL 15 compiles in (checked on 80,000 words: 3.x stems some
  words, "adding" or "universities", differently).
- A word holding a digit (`numword`, `uint`) goes to the `simple` dictionary: it is its
  own lexeme.

Words are split as pg_trgm splits them (see `words`). For runs of letters and digits
between spaces and punctuation that is what PostgreSQL's parser does; the parser also has
token types of its own that are not emulated: a hyphenated word is one more token beside
its parts (`e-mail` gives `e-mail`, `e` and `mail`, at three positions; here `e` and
`mail` at two), and e-mail addresses, host names, URLs, file paths, decimal and version
numbers are kept whole; XML tags and entities are dropped.
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import Protocol, cast

import snowballstemmer  # type: ignore[import-untyped]

from library.adapters.memory.postgres_search.english_stop_words import ENGLISH_STOP_WORDS
from library.adapters.memory.postgres_search.words import words

_MAX_WORD_BYTES = 2047  # PostgreSQL's MAXSTRLEN: to_tsvector skips longer words
_MAX_STEMMED_BYTES = 1000  # dict_snowball keeps longer words as they are, unstemmed
_DIGIT = re.compile(r"[0-9]")
_LEXEME_CACHE_SIZE = 1 << 16  # most of a large catalogue's vocabulary, a few MB


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802 (snowballstemmer's name)


@cache
def _stemmer() -> tuple[_Stemmer, threading.Lock]:
    """The English stemmer, built on first use, with the lock its state needs.

    A snowballstemmer object keeps the word it works on in itself, so two threads must
    not stem at once.
    """
    return cast(_Stemmer, snowballstemmer.stemmer("english")), threading.Lock()


@lru_cache(maxsize=_LEXEME_CACHE_SIZE)
def lexeme(word: str) -> str | None:
    """Return the lexeme of a lower-cased word, or None when it is a stop word.

    Cached: stemming costs a few microseconds a word, and a catalogue's texts repeat the
    same few thousand words.
    """
    if _DIGIT.search(word) is not None:
        return word
    if word in ENGLISH_STOP_WORDS:
        return None
    if len(word.encode("utf-8", "surrogatepass")) > _MAX_STEMMED_BYTES:
        return word
    stemmer, lock = _stemmer()
    with lock:
        return stemmer.stemWord(word)


def parse(text: str) -> list[tuple[int, str]]:
    """Split folded text into (position, lexeme) pairs, in order, as `parsetext` does.

    Positions count from 1 and include the stop words, which yield no pair: in
    "the cat" the lexeme `cat` is at position 2.
    """
    found: list[tuple[int, str]] = []
    position = 0
    for word in words(text):
        # A character takes at most 4 bytes: most words need no encoding to be measured.
        if len(word) > _MAX_WORD_BYTES // 4 and _too_long(word):
            continue
        position += 1
        result = lexeme(word)
        if result is not None:
            found.append((position, result))
    return found


def _too_long(word: str) -> bool:
    return len(word.encode("utf-8", "surrogatepass")) > _MAX_WORD_BYTES
