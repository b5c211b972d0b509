"""Errors of the application layer, beside the domain's own."""

from __future__ import annotations


class InvalidQuery(Exception):
    """Parameters that are each valid but do not go together (or a bad cursor)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StorageUnavailable(Exception):
    """The catalogue's storage cannot be reached; the request may be retried later."""

    def __init__(
        self, message: str = "the catalogue storage is unavailable", retry_after: int = 2
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConcurrentUpdate(StorageUnavailable):
    """A transaction lost a race with another (deadlock, serialisation failure, a row that
    vanished under it); nothing was written, and running the use case again is safe.

    Use cases retry it; one that loses every attempt is answered as the storage being
    unavailable for a moment (a 503 with Retry-After), never as a failure of the service.
    """
