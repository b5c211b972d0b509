"""Bulk imports into the in-memory catalogue, with the identity rules of the port."""

from __future__ import annotations

from collections.abc import Sequence

from library.adapters.memory.store import MemoryStore
from library.adapters.memory.transaction import MemoryTransaction
from library.application.ports import ImportedBook
from library.domain.authors import AuthorData
from library.domain.books import BookData


def _author_key(data: AuthorData) -> tuple[str, str]:
    return data.name.value.lower(), "" if data.email is None else data.email.value.lower()


def _book_key(data: BookData, author_ids: frozenset[int]) -> tuple[object, ...]:
    if data.isbn is not None:
        return ("isbn", data.isbn.value)
    return ("title", data.title.value.lower(), author_ids)


class MemoryImporter:
    """The CatalogueImporter port over the in-memory store (one transaction per call)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def import_authors(self, authors: Sequence[AuthorData]) -> list[int]:
        async with self._store.writer_lock():
            known = {
                _author_key(data): author_id for author_id, data in self._store.authors.items()
            }
            tx = MemoryTransaction(self._store)
            ids: list[int] = []
            for data in authors:
                key = _author_key(data)
                if key not in known:
                    known[key] = self._store.next_author_id()
                    tx.put_author(known[key], data)
                ids.append(known[key])
            tx.commit()
            return ids

    async def import_books(self, books: Sequence[ImportedBook]) -> int:
        async with self._store.writer_lock():
            store = self._store
            known = {
                _book_key(data, store.book_authors.get(book_id, frozenset()))
                for book_id, data in store.books.items()
            }
            tx = MemoryTransaction(store)
            added = 0
            for book in books:
                key = _book_key(book.data, frozenset(book.author_ids))
                if key in known:
                    continue
                known.add(key)
                book_id = store.next_book_id()
                tx.put_book(book_id, book.data)
                tx.link_book(book_id, book.author_ids)
                added += 1
            tx.commit()
            return added

    async def imported(self) -> None:
        """Nothing to refresh: the in-memory store plans no queries."""
