"""The stop words of PostgreSQL's `english` text search configuration.

Copied from PostgreSQL 15's `$(pg_config --sharedir)/tsearch_data/english.stop` (PostgreSQL
License, Copyright (c) 1996-2022, The PostgreSQL Global Development Group), which the
`english_stem` dictionary names as its `StopWords`. It is embedded rather than read at run
time: the service must not depend on a PostgreSQL installation's files. The words are in
that file's order.
"""

from __future__ import annotations

from typing import Final

# fmt: off
ENGLISH_STOP_WORDS: Final[frozenset[str]] = frozenset((
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it",
    "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who",
    "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
    "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and",
    "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below", "to",
    "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
    "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few",
    "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now",
))
# fmt: on
