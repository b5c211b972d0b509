"""Run a write use case again when its transaction lost a race with another."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from library.application.errors import ConcurrentUpdate

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 5


def retry_on_conflict(use_case: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Retry `use_case` on ConcurrentUpdate, with a short jittered pause between attempts.

    Safe because a lost race rolls the whole transaction back and events are only published
    after a commit; after the last attempt the error propagates (a 503 with Retry-After).
    """

    @functools.wraps(use_case)
    async def attempt(*args: P.args, **kwargs: P.kwargs) -> T:
        for tries in range(1, ATTEMPTS + 1):
            try:
                return await use_case(*args, **kwargs)
            except ConcurrentUpdate:
                if tries == ATTEMPTS:
                    raise
                await asyncio.sleep(random.uniform(0, 0.005 * tries))  # jitter
        raise AssertionError("unreachable")  # the loop returns or raises

    return attempt
