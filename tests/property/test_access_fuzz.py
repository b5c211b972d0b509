"""Arbitrary credentials, forwarding headers, other headers and query strings: never a 5xx.

The app runs with every part of access control on: API keys, HS256 tokens, a metrics token,
trusted proxies, CORS and rate limits (generous enough that the run is not throttled, tight
enough that each request is counted).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import time
from typing import Any

import pytest
from falcon import testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.application.access import Rate
from library.application.access.policy import AuthMode
from library.config import AccessSettings, JwtSettings, Settings
from library.container import create_container
from library.entrypoints.http import create_app

SECRET = "a-fuzzing-secret-that-is-long-enough"
ROUTES = [
    ("GET", "/books"),
    ("GET", "/books/1"),
    ("POST", "/books"),
    ("PATCH", "/books/1"),
    ("DELETE", "/reviews/1"),
    ("POST", "/books/1/reviews"),
    ("GET", "/authors"),
    ("PUT", "/authors/1"),
    ("GET", "/metrics"),
    ("OPTIONS", "/books"),
    ("GET", "/healthz"),
    ("GET", "/docs"),
]
# Header values as a client can send them: visible ASCII, spaces and Latin-1 letters.
VALUE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_categories=["Cc"]), max_size=80
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _token(claims: dict[str, Any]) -> str:
    """An HS256 token signed with the service's secret, whatever its claims hold (PyJWT
    refuses to encode some of the malformed claims a client may send)."""
    signing_input = _b64(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64(json.dumps(claims).encode())
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def _tokens() -> st.SearchStrategy[str]:
    now = int(time.time())
    claims = st.fixed_dictionaries(
        {},
        optional={
            "sub": st.one_of(st.text(max_size=10), st.integers(), st.none()),
            "iss": st.one_of(st.text(max_size=10), st.lists(st.text(max_size=3), max_size=2)),
            "exp": st.one_of(st.integers(now - 100, now + 100), st.text(max_size=3)),
            "nbf": st.integers(now - 100, now + 100),
            "scope": st.one_of(st.text(max_size=30), st.integers()),
            "scp": st.one_of(st.text(max_size=30), st.lists(st.text(max_size=8), max_size=3)),
            "permissions": st.one_of(
                st.lists(st.text(max_size=8)),
                st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            ),
        },
    )
    signed = claims.map(_token)
    unsigned = claims.map(
        lambda c: (
            base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
            + "."
            + base64.urlsafe_b64encode(json.dumps(c).encode()).decode().rstrip("=")
            + "."
        )
    )
    return st.one_of(signed, unsigned, VALUE)


AUTHORIZATION = st.one_of(
    _tokens().map(lambda t: f"Bearer {t}"),
    st.builds(
        lambda scheme, rest: f"{scheme} {rest}",
        st.sampled_from(["Basic", "bearer", "Token", ""]),
        VALUE,
    ),
    VALUE,
)
API_KEY = st.one_of(
    VALUE,
    st.text(
        "abcdefghijklmnopqrstuvwxyz234567_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=60
    ).map(lambda s: "lib_" + s),
)
ADDRESS = st.one_of(
    st.ip_addresses().map(str),
    st.ip_addresses(v=6).map(lambda a: f"[{a}]:443"),
    st.ip_addresses(v=4).map(lambda a: f"{a}:80"),
    VALUE,
)
FORWARDED_FOR = st.lists(ADDRESS, max_size=5).map(", ".join) | VALUE
OTHER = st.dictionaries(
    st.sampled_from(
        [
            "Origin",
            "Access-Control-Request-Method",
            "Access-Control-Request-Headers",
            "Idempotency-Key",
            "X-Request-ID",
            "Content-Type",
            "Accept",
            "If-Match",
        ]
    ),
    VALUE,
    max_size=4,
)
QUERY = st.lists(
    st.tuples(st.sampled_from(["q", "limit", "offset", "sort", "cursor", "x", "title"]), VALUE),
    max_size=5,
)


@pytest.fixture(scope="module")
def client() -> testing.TestClient:
    access = AccessSettings(
        mode=AuthMode.WRITES,
        jwt=JwtSettings(secrets=(SECRET,)),
        metrics_token="fuzz-metrics-token",
        read_rate=Rate(100_000, 60),
        write_rate=Rate(100_000, 60),
        trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")),
        cors_origins=("https://app.example",),
    )
    container = create_container(Settings(access=access))
    issued = asyncio.run(container.issue_key()("fuzz", ["admin"]))
    fuzz_client = testing.TestClient(create_app(container))
    fuzz_client.admin_key = issued.key  # type: ignore[attr-defined]
    return fuzz_client


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    route=st.sampled_from(ROUTES),
    authorization=st.none() | AUTHORIZATION,
    api_key=st.none() | API_KEY | st.just("valid"),
    forwarded_for=st.none() | FORWARDED_FOR,
    remote=st.sampled_from(["127.0.0.1", "10.0.0.1", "::1", "2001:db8::1"]),
    other=OTHER,
    query=QUERY,
    body=st.one_of(st.none(), st.binary(max_size=40), st.just(b'{"title": "Fuzzed"}')),
)
def test_no_credentials_headers_or_query_produce_a_5xx(
    client: testing.TestClient,
    route: tuple[str, str],
    authorization: str | None,
    api_key: str | None,
    forwarded_for: str | None,
    remote: str,
    other: dict[str, str],
    query: list[tuple[str, str]],
    body: bytes | None,
) -> None:
    method, path = route
    headers = dict(other)
    if authorization is not None:
        headers["Authorization"] = authorization
    if api_key is not None:
        headers["X-API-Key"] = client.admin_key if api_key == "valid" else api_key  # type: ignore[attr-defined]
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    result = client.simulate_request(
        method,
        path,
        headers=headers,
        params=None,
        query_string="&".join(f"{k}={v}" for k, v in query) or None,
        body=body,
        remote_addr=remote,
    )
    assert result.status_code < 500, (result.status_code, result.text)
    if result.status_code in (401, 403, 429):
        assert result.headers["content-type"] == "application/problem+json"
