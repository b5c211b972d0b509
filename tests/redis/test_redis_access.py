"""Access control across instances: shared write budgets, shared read counts, revocations."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from library.application.access import Rate
from library.application.access.policy import AuthMode
from library.config import AccessSettings, Settings
from tests.redis_support import REDIS_URL, running_instance


def _settings(postgres_url: str, namespace: str, access: AccessSettings) -> Settings:
    return Settings(
        database_url=postgres_url,
        redis_url=REDIS_URL,
        cache_namespace=namespace,
        pool_min_size=1,
        pool_max_size=4,
        access=access,
    )


async def test_a_write_burst_beyond_the_budget_gets_exactly_its_excess_refused_on_two_instances(
    postgres_url: str, namespace: str
) -> None:
    access = AccessSettings(mode=AuthMode.OFF, read_rate=None, write_rate=Rate(10, 60))
    settings = _settings(postgres_url, namespace, access)
    async with (
        running_instance(settings, name="a") as a,
        running_instance(settings, name="b") as b,
    ):
        started = time.monotonic()
        answers = await asyncio.gather(
            *(
                (a if i % 2 else b).conductor.simulate_post("/authors", json={"name": f"N{i}"})
                for i in range(14)
            )
        )
        elapsed = time.monotonic() - started
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: 10, 429: 4}
    for answer in answers:
        if answer.status_code == 429:
            retry_after = int(answer.headers["retry-after"])
            assert 60 - elapsed - 1 <= retry_after <= 60
            assert answer.headers["ratelimit-policy"] == '"write";q=10;w=60'


async def test_reads_spent_on_one_instance_are_refused_on_the_other_after_a_sync(
    postgres_url: str, namespace: str
) -> None:
    access = AccessSettings(
        mode=AuthMode.OFF, read_rate=Rate(20, 60), write_rate=None, rate_sync_interval=0.1
    )
    settings = _settings(postgres_url, namespace, access)
    async with (
        running_instance(settings, name="a") as a,
        running_instance(settings, name="b") as b,
    ):
        first = [(await a.get("/authors")).status_code for _ in range(20)]
        assert first == [200] * 20
        await asyncio.sleep(0.5)  # a few sync intervals: Redis holds a's 20
        # b learns a client's count once it counts that client itself: one read may pass
        # there before the next sync (the overshoot the README bounds), then none.
        await b.get("/authors")
        await asyncio.sleep(0.5)
        assert (await b.get("/authors")).status_code == 429
        assert (await a.get("/authors")).status_code == 429


async def test_a_revoked_key_stops_working_on_another_instance_within_five_seconds(
    postgres_url: str, namespace: str
) -> None:
    access = AccessSettings(mode=AuthMode.WRITES, read_rate=None, write_rate=None)
    settings = _settings(postgres_url, namespace, access)
    async with (
        running_instance(settings, name="a") as a,
        running_instance(settings, name="b") as b,
    ):
        issued = await a.container.issue_key()("revoked soon", ["catalogue:write"])
        headers: dict[str, Any] = {"X-API-Key": issued.key}

        async def write(instance: Any) -> int:
            answer = await instance.conductor.simulate_post(
                "/authors", json={"name": "N"}, headers=headers
            )
            status: int = answer.status_code
            return status

        assert await write(b) == 201  # b now remembers the key
        assert await a.container.revoke_key()(issued.stored.id)
        revoked_at = time.monotonic()
        assert await write(a) == 401  # a never saw it: refused at once
        assert await write(b) == 201  # b still remembers it, for at most 5 s
        while await write(b) == 201:
            assert time.monotonic() - revoked_at < 5.5
            await asyncio.sleep(0.25)
        assert time.monotonic() - revoked_at <= 5.5
