"""Building the search index of a catalogue that held books before the index existed."""

from __future__ import annotations

from collections.abc import Callable

from library.application.ports import SearchIndex, SearchIndexProgress


class BuildSearchIndex:
    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    async def __call__(self, report: Callable[[SearchIndexProgress], None]) -> int:
        """Index what is missing; how many books that was (0: the index was ready)."""
        if await self._index.ready():
            return 0
        return await self._index.build(report)
