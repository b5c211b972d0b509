"""Book and author search over the store: which rows match `q`, and how relevant they are.

The rules of matching and the relevance formula are API.md's; the functions they combine
(`similarity`, `@@`, `ts_rank`) come from the PostgreSQL emulation in `postgres_search`.
The per-row text features (trigram sets, the search vector) are computed once per version of
a row and cached: stored values are immutable and replaced on every change, so "is the
cached entry built from this very object" is a complete freshness check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeVar

from attrs import frozen

from library.adapters.memory.postgres_search import (
    SIMILARITY_THRESHOLD,
    TsQuery,
    TsVector,
    Weight,
    fold,
    trigram_similarity,
    trigrams,
    ts_rank,
    websearch_to_tsquery,
)
from library.application.relevance import (
    AUTHOR_EMAIL,
    AUTHOR_NAME,
    BOOK_AUTHOR,
    BOOK_RANK,
    BOOK_TITLE,
)
from library.domain.authors import AuthorData
from library.domain.books import BookData

Row = TypeVar("Row")
Features = TypeVar("Features")


@frozen
class BookFeatures:
    title: frozenset[str]  # trigrams of the folded title
    vector: TsVector  # the stored search vector


@frozen
class AuthorFeatures:
    name: frozenset[str]
    email: frozenset[str]


def book_features(data: BookData) -> BookFeatures:
    genre = None if data.genre is None else data.genre.value
    description = None if data.description is None else data.description.value
    return BookFeatures(
        title=trigrams(fold(data.title.value)),
        vector=TsVector.of(
            (data.title.value, Weight.A), (genre, Weight.B), (description, Weight.C)
        ),
    )


def author_features(data: AuthorData) -> AuthorFeatures:
    email = "" if data.email is None else data.email.value
    return AuthorFeatures(name=trigrams(fold(data.name.value)), email=trigrams(fold(email)))


class FeatureCache(Generic[Row, Features]):
    """Features per row id, rebuilt when the row's stored value is replaced."""

    def __init__(self, build: Callable[[Row], Features]) -> None:
        self._build = build
        self._entries: dict[int, tuple[Row, Features]] = {}

    def get(self, row_id: int, row: Row) -> Features:
        entry = self._entries.get(row_id)
        if entry is not None and entry[0] is row:
            return entry[1]
        features = self._build(row)
        self._entries[row_id] = (row, features)
        return features

    def prune(self, live: Mapping[int, object]) -> None:
        """Forget removed rows once they make up a noticeable part of the cache."""
        if len(self._entries) > 2 * len(live) + 1024:
            self._entries = {key: entry for key, entry in self._entries.items() if key in live}


@frozen
class SearchText:
    """A search text `q`, prepared once per request."""

    trigrams: frozenset[str]
    query: TsQuery

    @classmethod
    def of(cls, q: str) -> SearchText:
        return cls(trigrams(fold(q)), websearch_to_tsquery(q))


class BookScorer:
    """Relevance of books to one search text (API.md), for one request."""

    def __init__(
        self,
        books: FeatureCache[BookData, BookFeatures],
        text: SearchText,
        author_similarity: Mapping[int, float],
    ) -> None:
        self._books = books
        self._text = text
        self._author_similarity = author_similarity

    def relevance(self, book_id: int, book: BookData, author_ids: Iterable[int]) -> float | None:
        """The book's relevance, or None when it does not match.

        A book matches when the full-text query matches, or its title or one of its
        authors' names is trigram-similar to the text.
        """
        features = self._books.get(book_id, book)
        text = self._text
        title = trigram_similarity(features.title, text.trigrams)
        similarity = self._author_similarity
        best_author = max((similarity.get(a, 0.0) for a in author_ids), default=0.0)
        if (
            title < SIMILARITY_THRESHOLD
            and best_author < SIMILARITY_THRESHOLD
            and not text.query.matches(features.vector)
        ):
            return None
        rank = ts_rank(features.vector, text.query)
        return BOOK_RANK * rank + BOOK_TITLE * title + BOOK_AUTHOR * best_author


class SearchIndex:
    """Score books and authors against a search text, caching each row's features."""

    def __init__(self) -> None:
        self._books: FeatureCache[BookData, BookFeatures] = FeatureCache(book_features)
        self._authors: FeatureCache[AuthorData, AuthorFeatures] = FeatureCache(author_features)

    def book_scorer(self, text: SearchText, authors: Mapping[int, AuthorData]) -> BookScorer:
        """Prepare to score books: each author's name similarity is computed once, here."""
        similarity: dict[int, float] = {}
        for author_id, author in authors.items():
            value = trigram_similarity(self._authors.get(author_id, author).name, text.trigrams)
            if value > 0:
                similarity[author_id] = value
        return BookScorer(self._books, text, similarity)

    def author_relevance(
        self, text: SearchText, author_id: int, author: AuthorData
    ) -> float | None:
        """The author's relevance to `text`, or None when neither name nor email is similar."""
        features = self._authors.get(author_id, author)
        name = trigram_similarity(features.name, text.trigrams)
        email = trigram_similarity(features.email, text.trigrams)
        if name < SIMILARITY_THRESHOLD and email < SIMILARITY_THRESHOLD:
            return None
        return AUTHOR_NAME * name + AUTHOR_EMAIL * email

    def prune(self, books: Mapping[int, object], authors: Mapping[int, object]) -> None:
        self._books.prune(books)
        self._authors.prune(authors)
