"""Read ports for monitoring: what operators watch, without naming any technology."""

from __future__ import annotations

from typing import Protocol

from attrs import frozen


@frozen
class PoolUsage:
    """The database connection pool right now."""

    size: int  # connections open
    available: int  # open and idle
    waiting: int  # requests queued for a connection
    max_size: int

    @property
    def in_use(self) -> int:
        return self.size - self.available


class PoolStats(Protocol):
    """Reads the connection pool's usage (cheap: no I/O)."""

    def usage(self) -> PoolUsage: ...
