"""Access control over HTTP: modes, credentials, refusals and their order, on memory and
PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import jwt
import pytest
from dependency_injector import providers

from library.application.access import Rate
from library.application.access.api_keys import new_key
from library.application.access.authentication import ApiKeyVerifier
from library.application.access.policy import AuthMode
from library.application.errors import StorageUnavailable
from library.config import JwtSettings
from library.container import Container
from tests.http.access_support import JWT_SECRET, Service, access, running, storage_url
from tests.http.http_api import PROBLEM

# Every write route, with a body it accepts once the ids exist, and the scope it needs.
WRITES = [
    ("POST", "/books", {"title": "Dune"}, "catalogue:write"),
    ("PUT", "/books/{book}", {"title": "Dune"}, "catalogue:write"),
    ("PATCH", "/books/{book}", {"year": 1965}, "catalogue:write"),
    ("PUT", "/books/{book}/authors", [], "catalogue:write"),
    ("POST", "/authors", {"name": "Frank Herbert"}, "catalogue:write"),
    ("PUT", "/authors/{author}", {"name": "F. Herbert"}, "catalogue:write"),
    ("PATCH", "/authors/{author}", {"email": "f@example.org"}, "catalogue:write"),
    ("POST", "/books/{book}/reviews", {"reviewer_name": "Rita", "rating": 5}, "reviews:write"),
    ("PATCH", "/reviews/{review}", {"rating": 4}, "reviews:write"),
    ("DELETE", "/reviews/{review}", None, "reviews:write"),
    ("DELETE", "/authors/{author}", None, "catalogue:write"),
    ("DELETE", "/books/{book}", None, "catalogue:write"),
]
READS = [
    "/books",
    "/books/{book}",
    "/books/{book}/reviews",
    "/reviews/{review}",
    "/authors",
    "/authors/{author}",
    "/authors/{author}/books",
]
PUBLIC = ["/healthz", "/openapi.json", "/docs", "/docs/static/swagger-ui.css"]


@pytest.fixture(params=["memory", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return storage_url(request)


@pytest.fixture
async def service(database_url: str | None) -> AsyncIterator[Service]:
    async with running(access(AuthMode.WRITES), database_url) as built:
        yield built


async def _ids(service: Service) -> dict[str, int]:
    admin = await service.key("admin")
    author = (await service.request("POST", "/authors", key=admin, json={"name": "A"})).json
    book = (await service.request("POST", "/books", key=admin, json={"title": "T"})).json
    review = await service.request(
        "POST",
        f"/books/{book['id']}/reviews",
        key=admin,
        json={"reviewer_name": "Sam", "rating": 3},
    )
    return {"book": book["id"], "author": author["id"], "review": review.json["id"]}


def _body(body: Any) -> dict[str, Any]:
    return {} if body is None else {"json": body}


def _assert_problem(result: Any, status: int, kind: str) -> dict[str, Any]:
    assert result.status_code == status, result.text
    assert result.headers["content-type"] == PROBLEM
    document: dict[str, Any] = result.json
    assert document["type"] == f"/problems/{kind}"
    assert document["status"] == status
    return document


async def test_reads_are_anonymous_and_every_write_needs_credentials(service: Service) -> None:
    ids = await _ids(service)
    for path in READS:
        assert (await service.request("GET", path.format(**ids))).status_code == 200, path
    for method, path, body, _ in WRITES:
        result = await service.request(method, path.format(**ids), **_body(body))
        _assert_problem(result, 401, "unauthenticated")
        assert result.headers["www-authenticate"] == 'Bearer realm="library"'


async def test_a_key_without_the_scope_is_forbidden_and_one_with_it_succeeds(
    service: Service,
) -> None:
    ids = await _ids(service)
    catalogue = await service.key("catalogue:write")
    reviews = await service.key("reviews:write")
    reader = await service.key("catalogue:read")
    for method, path, body, scope in WRITES:
        wrong = reviews if scope == "catalogue:write" else catalogue
        for key in (wrong, reader):
            result = await service.request(method, path.format(**ids), key=key, **_body(body))
            problem = _assert_problem(result, 403, "forbidden")
            assert problem["required_scope"] == scope
            assert scope in problem["detail"]
            assert f'scope="{scope}"' in result.headers["www-authenticate"]
        right = catalogue if scope == "catalogue:write" else reviews
        result = await service.request(method, path.format(**ids), key=right, **_body(body))
        assert result.status_code in (200, 201, 204), (method, path, result.text)


async def test_refused_keys_are_401_and_never_say_whether_the_key_exists(
    service: Service,
) -> None:
    valid = await service.key("catalogue:write")
    revoked = await service.key("catalogue:write")
    key_id = revoked.split("_")[1]
    assert await service.container.revoke_key()(key_id)
    unknown = valid[:9] + ("a" if valid[9] != "a" else "b") + valid[10:]  # checksum fails
    for key, code in [
        ("not-a-key", "invalid_request"),
        (unknown, "invalid_request"),
        (revoked, "invalid_token"),
    ]:
        result = await service.request("POST", "/authors", key=key, json={"name": "X"})
        problem = _assert_problem(result, 401, "unauthenticated")
        assert f'error="{code}"' in result.headers["www-authenticate"]
        assert key not in result.text
        assert key_id not in problem["detail"]


async def test_an_unknown_key_of_valid_shape_is_refused(service: Service) -> None:
    key, _ = new_key()
    result = await service.request("POST", "/authors", key=key, json={"name": "X"})
    _assert_problem(result, 401, "unauthenticated")
    assert 'error="invalid_token"' in result.headers["www-authenticate"]


async def test_an_expired_key_is_refused(database_url: str | None) -> None:
    async with running(access(), database_url) as service:
        issued = await service.container.issue_key()(
            "short", ["admin"], expires_in=timedelta(milliseconds=50)
        )
        await asyncio.sleep(0.1)
        result = await service.request("POST", "/authors", key=issued.key, json={"name": "X"})
        _assert_problem(result, 401, "unauthenticated")


@pytest.mark.parametrize(
    "authorization", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Token abc", "bearer"]
)
async def test_an_authorization_header_that_is_no_bearer_token_is_401(
    service: Service, authorization: str
) -> None:
    result = await service.request(
        "POST", "/authors", headers={"Authorization": authorization}, json={"name": "X"}
    )
    _assert_problem(result, 401, "unauthenticated")
    assert 'error="invalid_request"' in result.headers["www-authenticate"]


async def test_two_credentials_at_once_are_refused(service: Service) -> None:
    key = await service.key("admin")
    result = await service.request(
        "POST", "/authors", key=key, headers={"Authorization": "Bearer x"}, json={"name": "X"}
    )
    _assert_problem(result, 401, "unauthenticated")


async def test_invalid_credentials_on_a_read_are_refused_too(service: Service) -> None:
    result = await service.request("GET", "/books", key="lib_nonsense")
    _assert_problem(result, 401, "unauthenticated")


async def test_public_operations_read_no_credentials_in_any_mode(
    database_url: str | None,
) -> None:
    for mode in AuthMode:
        async with running(access(mode), database_url) as service:
            for path in [*PUBLIC, "/readyz"]:
                result = await service.request("GET", path, key="garbage")
                assert result.status_code == 200, (mode, path, result.text)


async def test_all_mode_needs_catalogue_read_for_reads(database_url: str | None) -> None:
    async with running(access(AuthMode.ALL), database_url) as service:
        _assert_problem(await service.request("GET", "/books"), 401, "unauthenticated")
        writer = await service.key("catalogue:write")
        result = await service.request("GET", "/books", key=writer)
        assert _assert_problem(result, 403, "forbidden")["required_scope"] == "catalogue:read"
        reader = await service.key("catalogue:read")
        assert (await service.request("GET", "/books", key=reader)).status_code == 200
        admin = await service.key("admin")
        assert (await service.request("GET", "/authors", key=admin)).status_code == 200


async def test_off_mode_reads_no_credentials_at_all(database_url: str | None) -> None:
    async with running(access(AuthMode.OFF), database_url) as service:
        result = await service.request("POST", "/authors", key="garbage", json={"name": "X"})
        assert result.status_code == 201
        result = await service.request(
            "POST", "/authors", headers={"Authorization": "Basic x"}, json={"name": "Y"}
        )
        assert result.status_code == 201
        assert (await service.request("GET", "/metrics")).status_code == 200


async def test_routing_comes_before_authentication(service: Service) -> None:
    _assert_problem(await service.request("POST", "/nowhere", json={}), 404, "not-found")
    _assert_problem(await service.request("DELETE", "/books/abc"), 404, "not-found")
    result = await service.request("POST", "/books/1", json={})  # the route has no POST
    _assert_problem(result, 405, "method-not-allowed")


async def test_authentication_then_rate_limit_then_authorisation_then_the_body(
    database_url: str | None,
) -> None:
    settings = access(write_rate=Rate(2, 60))
    async with running(settings, database_url) as service:
        bad_json: dict[str, Any] = {
            "body": b"{not json",
            "headers": {"Content-Type": "application/json"},
        }
        # No credentials: 401 before the 400 the body would get.
        _assert_problem(
            await service.request("POST", "/authors", **bad_json), 401, "unauthenticated"
        )
        reader = await service.key("catalogue:read", rate=Rate(1, 60))
        # Credentials without the scope: 403 before the 400 (and the budget is counted).
        result = await service.request("POST", "/authors", key=reader, **bad_json)
        _assert_problem(result, 403, "forbidden")
        # Budget spent: 429 before the 403.
        result = await service.request("POST", "/authors", key=reader, **bad_json)
        _assert_problem(result, 429, "rate-limited")
        writer = await service.key("catalogue:write")
        _assert_problem(
            await service.request("POST", "/authors", key=writer, **bad_json), 400, "malformed-json"
        )
        result = await service.request("POST", "/authors", key=writer, json={"name": 5})
        _assert_problem(result, 422, "validation-error")


async def test_a_jwt_with_the_scope_can_write_and_an_expired_one_cannot(
    database_url: str | None,
) -> None:
    settings = access(jwt=JwtSettings(secrets=(JWT_SECRET,)))
    async with running(settings, database_url) as service:
        now = int(time.time())
        claims = {"sub": "editor-7", "iss": "idp", "scope": "catalogue:write", "exp": now + 60}
        token = jwt.encode(claims, JWT_SECRET, algorithm="HS256")
        headers = {"Authorization": f"Bearer {token}"}
        result = await service.request("POST", "/authors", headers=headers, json={"name": "A"})
        assert result.status_code == 201, result.text
        result = await service.request(
            "POST",
            "/books/1/reviews",
            headers=headers,
            json={"reviewer_name": "R", "rating": 1},
        )
        assert _assert_problem(result, 403, "forbidden")["required_scope"] == "reviews:write"
        expired = jwt.encode({**claims, "exp": now - 3600}, JWT_SECRET, algorithm="HS256")
        result = await service.request(
            "POST", "/authors", headers={"Authorization": f"Bearer {expired}"}, json={"name": "B"}
        )
        _assert_problem(result, 401, "unauthenticated")
        assert 'error="invalid_token"' in result.headers["www-authenticate"]


async def test_bearer_tokens_are_refused_when_none_are_configured(service: Service) -> None:
    result = await service.request(
        "POST", "/authors", headers={"Authorization": "Bearer abc.def.ghi"}, json={"name": "A"}
    )
    _assert_problem(result, 401, "unauthenticated")


async def test_metrics_need_their_scope_or_token_unless_access_control_is_off(
    database_url: str | None,
) -> None:
    settings = access(metrics_token="scrape-me-please")
    async with running(settings, database_url) as service:
        _assert_problem(await service.request("GET", "/metrics"), 401, "unauthenticated")
        bearer = {"Authorization": "Bearer scrape-me-please"}
        assert (await service.request("GET", "/metrics", headers=bearer)).status_code == 200
        scraper = await service.key("metrics:read")
        assert (await service.request("GET", "/metrics", key=scraper)).status_code == 200
        writer = await service.key("catalogue:write")
        _assert_problem(await service.request("GET", "/metrics", key=writer), 403, "forbidden")
        # The metrics token is no catalogue credential.
        result = await service.request("POST", "/authors", headers=bearer, json={"name": "A"})
        _assert_problem(result, 403, "forbidden")
        text = (await service.request("GET", "/metrics", key=scraper)).text
        assert 'library_access_refusals_total{reason="unauthenticated_missing"} 1.0' in text
        assert 'library_access_refusals_total{reason="forbidden"} 2.0' in text


async def test_a_key_store_that_cannot_be_reached_is_503_not_401(
    database_url: str | None,
) -> None:
    class Unreachable:
        async def get(self, key_id: str) -> None:
            raise StorageUnavailable("no database")

    def unreachable_keys(container: Container) -> None:
        verifier = ApiKeyVerifier(Unreachable())  # type: ignore[arg-type]
        container.key_verifier.override(providers.Object(verifier))

    async with running(access(), database_url, prepare=unreachable_keys) as service:
        key = await service.key("admin")
        result = await service.request("POST", "/authors", key=key, json={"name": "A"})
        _assert_problem(result, 503, "service-unavailable")
        assert result.headers["retry-after"]
        text = (await service.request("GET", "/books")).status_code  # reads stay anonymous
        assert text == 200
