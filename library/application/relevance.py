"""The weights of API.md's relevance formulas, which every store ranks searches by.

Book relevance = RANK x ts_rank + TITLE x similarity(title, q) + AUTHOR x the best
similarity(author name, q); author relevance = NAME x similarity(name, q) + EMAIL x
similarity(email, q).
"""

from __future__ import annotations

BOOK_RANK = 0.6
BOOK_TITLE = 0.25
BOOK_AUTHOR = 0.15
AUTHOR_NAME = 0.7
AUTHOR_EMAIL = 0.3
