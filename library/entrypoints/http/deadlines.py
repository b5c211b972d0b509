"""A time limit on reads: a read that takes too long is answered 503, never left hanging.

Only reads: a write cut off by a timer might have committed, and answering 503 would invite
the client to do it again. Writes are bounded by the pool's and the statements' time-outs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from library.application.errors import StorageUnavailable

Responder = Callable[..., Awaitable[None]]


def with_deadline(responder: Responder, seconds: float) -> Responder:
    """`responder`, answered 503 (`StorageUnavailable`) when it runs longer than `seconds`."""

    @functools.wraps(responder)
    async def bounded(*args: Any, **kwargs: Any) -> None:
        try:
            async with asyncio.timeout(seconds):
                await responder(*args, **kwargs)
        except TimeoutError as error:
            raise StorageUnavailable(
                f"the read took longer than {seconds:g} s", retry_after=1
            ) from error

    return bounded
