"""The in-memory catalogue ranks every match in process: it has no search index to build."""

from __future__ import annotations

from collections.abc import Callable

from library.application.ports import SearchIndexProgress


class MemorySearchIndex:
    async def ready(self) -> bool:
        return True

    async def build(self, report: Callable[[SearchIndexProgress], None]) -> int:
        return 0
