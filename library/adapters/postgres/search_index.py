"""`library search index`: fill migration 0008's per-word tables for the books already stored.

Books written since the migration are indexed by its triggers, in their own transactions.
The rest go in batches of ids, each locked FOR SHARE while it is indexed, so that a
concurrent update waits (and then re-indexes the book itself) instead of leaving terms of a
title the book no longer has. Batches are short transactions: writers wait at most one
batch, and an interrupted build resumes where it stopped (indexing is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable

from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Pool
from library.application.ports import SearchIndexProgress

BATCH = 5000

_READY = "SELECT coalesce((SELECT ready FROM search_index), false)"
_TOTAL = "SELECT count(*) FROM books"
_LOCK_BATCH = """
SELECT id FROM books WHERE id > %(after)s ORDER BY id LIMIT %(batch)s FOR SHARE
"""
_INDEX = "SELECT library_index_terms(%(ids)s::bigint[])"
_MARK_READY = """
INSERT INTO search_index (singleton, ready) VALUES (true, true)
ON CONFLICT (singleton) DO UPDATE SET ready = true
"""
# Index-only reads of title_terms need its pages marked all-visible; fresh statistics let
# the planner size each part of a search.
_MAINTAIN = ("VACUUM (ANALYZE) title_terms", "ANALYZE lexeme_bounds")


class PostgresSearchIndex:
    def __init__(self, pool: Pool, *, batch: int = BATCH) -> None:
        self._pool = pool
        self._batch = batch

    async def ready(self) -> bool:
        async with translated(), self._pool.connection() as connection:
            row = await (await connection.execute(_READY)).fetchone()
        return bool(row and row[0])

    async def build(self, report: Callable[[SearchIndexProgress], None]) -> int:
        async with translated(), self._pool.connection() as connection:
            total_row = await (await connection.execute(_TOTAL)).fetchone()
            total = total_row[0] if total_row else 0
            indexed, after = 0, 0
            while True:
                async with connection.transaction():
                    cursor = await connection.execute(
                        _LOCK_BATCH, {"after": after, "batch": self._batch}
                    )
                    ids = [row[0] for row in await cursor.fetchall()]
                    if ids:
                        await connection.execute(_INDEX, {"ids": ids})
                if not ids:
                    break
                indexed, after = indexed + len(ids), ids[-1]
                report(SearchIndexProgress(indexed=indexed, total=max(total, indexed)))
            await connection.execute(_MARK_READY)
            for statement in _MAINTAIN:
                await connection.execute(statement)
        return indexed
