"""Rate limits over HTTP: budgets per key, token or address, the headers, and what counts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest

from library.application.access import Rate
from library.application.access.policy import AuthMode
from tests.http.access_support import Service, access, running
from tests.http.http_api import PROBLEM


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    settings = access(AuthMode.WRITES, read_rate=Rate(5, 60), write_rate=Rate(3, 60))
    async with running(settings) as built:
        yield built


def _rate_limit(value: str) -> tuple[str, int, int]:
    match = re.fullmatch(r'"(\w+)";r=(\d+);t=(\d+)', value)
    assert match is not None, value
    return match[1], int(match[2]), int(match[3])


async def test_successful_answers_carry_the_budget_and_what_is_left(service: Service) -> None:
    key = await service.key("catalogue:write")
    for left in (2, 1, 0):
        result = await service.request("POST", "/authors", key=key, json={"name": "A"})
        assert result.status_code == 201
        assert result.headers["ratelimit-policy"] == '"write";q=3;w=60'
        policy, remaining, reset = _rate_limit(result.headers["ratelimit"])
        assert (policy, remaining) == ("write", left)
        assert 59 <= reset <= 60
    refused = await service.request("POST", "/authors", key=key, json={"name": "A"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json["type"] == "/problems/rate-limited"
    assert 59 <= int(refused.headers["retry-after"]) <= 60
    assert _rate_limit(refused.headers["ratelimit"])[1] == 0


async def test_reads_and_writes_count_apart_and_clients_apart(service: Service) -> None:
    key = await service.key("catalogue:write")
    other = await service.key("catalogue:write")
    for _ in range(3):
        await service.request("POST", "/authors", key=key, json={"name": "A"})
    assert (await service.request("GET", "/authors", key=key)).status_code == 200
    assert (await service.request("POST", "/authors", key=other, json={"n": 1})).status_code == 422
    # Anonymous reads count against the address: 5 of them.
    statuses = [(await service.request("GET", "/books")).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    # Another address has a budget of its own.
    assert (await service.request("GET", "/books", remote_addr="10.1.1.1")).status_code == 200
    # The key's reads are not the address's.
    assert (await service.request("GET", "/books", key=key)).status_code == 200


async def test_a_key_budget_of_its_own_wins(service: Service) -> None:
    key = await service.key("catalogue:write", rate=Rate(1, 60))
    assert (await service.request("GET", "/books", key=key)).headers["ratelimit-policy"] == (
        '"read";q=1;w=60'
    )
    assert (await service.request("GET", "/books", key=key)).status_code == 429
    generous = await service.key("catalogue:write", rate=Rate(10, 60))
    statuses = [
        (await service.request("POST", "/authors", key=generous, json={"name": "A"})).status_code
        for _ in range(5)
    ]
    assert statuses == [201] * 5


async def test_failed_authentications_spend_the_address_budget(service: Service) -> None:
    statuses = [
        (await service.request("POST", "/authors", key="lib_wrong", json={})).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    # Missing credentials count too, and the address's write budget is spent now.
    assert (await service.request("POST", "/authors", json={})).status_code == 429
    # A valid key has its own budget.
    key = await service.key("catalogue:write")
    assert (
        await service.request("POST", "/authors", key=key, json={"name": "A"})
    ).status_code == 201


async def test_health_checks_are_never_limited(service: Service) -> None:
    for _ in range(20):
        assert (await service.request("GET", "/healthz")).status_code == 200
        assert (await service.request("GET", "/readyz")).status_code == 200


async def test_limits_apply_with_access_control_off() -> None:
    async with running(access(AuthMode.OFF, write_rate=Rate(1, 60))) as service:
        assert (await service.request("POST", "/authors", json={"name": "A"})).status_code == 201
        assert (await service.request("POST", "/authors", json={"name": "A"})).status_code == 429


async def test_drop_in_mode_limits_nothing() -> None:
    async with running(access(AuthMode.OFF)) as service:
        for _ in range(50):
            result = await service.request("POST", "/authors", json={"name": "A"})
            assert result.status_code == 201
            assert "ratelimit" not in result.headers


async def test_a_budget_refills_after_its_window() -> None:
    async with running(access(AuthMode.OFF, write_rate=Rate(1, 1))) as service:
        assert (await service.request("POST", "/authors", json={"name": "A"})).status_code == 201
        refused = await service.request("POST", "/authors", json={"name": "A"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        await asyncio.sleep(1.05)
        assert (await service.request("POST", "/authors", json={"name": "A"})).status_code == 201


class TestClientAddresses:
    """Behind trusted proxies the client is the right-most untrusted X-Forwarded-For hop."""

    @pytest.fixture
    async def behind_proxy(self) -> AsyncIterator[Service]:
        settings = access(
            AuthMode.OFF,
            read_rate=Rate(2, 60),
            trusted_proxies=(__import__("ipaddress").ip_network("10.0.0.0/8"),),
        )
        async with running(settings) as built:
            yield built

    async def _reads(self, service: Service, peer: str, forwarded: str | None, n: int) -> list[int]:
        headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
        return [
            (await service.request("GET", "/books", remote_addr=peer, headers=headers)).status_code
            for _ in range(n)
        ]

    async def test_clients_behind_a_trusted_proxy_have_budgets_of_their_own(
        self, behind_proxy: Service
    ) -> None:
        assert await self._reads(behind_proxy, "10.0.0.5", "203.0.113.1", 3) == [200, 200, 429]
        assert await self._reads(behind_proxy, "10.0.0.5", "203.0.113.2", 2) == [200, 200]
        # A client cannot pick a budget by writing X-Forwarded-For itself: the proxy appends
        # the real address, and the right-most untrusted hop is the one that counts.
        spoofed = "198.51.100.9, 203.0.113.1"
        assert await self._reads(behind_proxy, "10.0.0.5", spoofed, 1) == [429]
        chained = "203.0.113.3, 10.0.0.7"  # through two proxies of ours
        assert await self._reads(behind_proxy, "10.0.0.5", chained, 3) == [200, 200, 429]

    async def test_forwarded_for_from_an_untrusted_peer_is_ignored(
        self, behind_proxy: Service, caplog: pytest.LogCaptureFixture
    ) -> None:
        first = await self._reads(behind_proxy, "192.0.2.1", "203.0.113.50", 2)
        second = await self._reads(behind_proxy, "192.0.2.1", "203.0.113.51", 1)
        assert first + second == [200, 200, 429]
        warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
        assert len(warnings) == 1

    async def test_ipv6_clients_share_a_budget_per_64(self, behind_proxy: Service) -> None:
        assert await self._reads(behind_proxy, "2001:db8:1:2::1", None, 1) == [200]
        assert await self._reads(behind_proxy, "2001:db8:1:2:ffff::9", None, 2) == [200, 429]
        assert await self._reads(behind_proxy, "2001:db8:1:3::1", None, 1) == [200]
