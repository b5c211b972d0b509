"""Access control at the edge: authentication, rate limits and authorisation, in that order.

Falcon middleware whose `process_resource` runs once routing has found the resource (so 404
and 405 come first, as API.md orders them) and before anything reads the request body (so
415, 413, 400 and 422 come after). For each request:

1. authentication (401): the credentials it carries (`X-API-Key`, `Authorization: Bearer`)
   name a principal; missing credentials on an operation that needs a scope, or credentials
   that are not accepted, are refused. A refusal counts against the client address's budget,
   so guessing keys is throttled (429 once it is spent);
2. rate limit (429): one request against the budget of its principal (its own budget when it
   has one), or of its client address when anonymous; reads and writes count apart;
3. authorisation (403): the principal holds the operation's scope (`admin` holds all).

Health checks skip all three. Public operations (documents) read no credentials. With
LIBRARY_AUTH=off no credentials are read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import falcon.asgi
from attrs import frozen

from library.application.access import (
    Forbidden,
    Principal,
    Rate,
    RateDecision,
    RateLimited,
    RateLimiter,
    Unauthenticated,
    VerifierUnavailable,
)
from library.application.access.authentication import Authenticate, Credentials
from library.application.access.policy import AuthMode, authorise, required_scope
from library.entrypoints.http.challenges import rate_limit_headers
from library.entrypoints.http.client_address import ClientAddresses
from library.entrypoints.http.metrics import AccessMetrics
from library.entrypoints.http.operations import Route

READS = frozenset({"GET", "HEAD", "OPTIONS"})
API_KEY_HEADER = "X-API-Key"


@frozen
class Guard:
    """What one method of one route needs."""

    scope: str | None  # None: public
    rate_limited: bool = True


_DOCUMENT_ASSETS = Guard(None)  # Swagger UI's files, served outside the route table


@frozen
class _Check:
    """A guard as one mode applies it, worked out once per route and method."""

    reads_credentials: bool  # False: public, or access control off
    needed: str | None  # the scope the principal must hold (None: anyone)
    rate_limited: bool


@frozen
class Budgets:
    """The default budgets (None: off) and the limiters counting them."""

    read: Rate | None
    write: Rate | None
    read_limiter: RateLimiter
    write_limiter: RateLimiter


def guards(routes: Iterable[Route]) -> dict[tuple[int, str], Guard]:
    """Each (resource, method) of the route table with its guard; OPTIONS included."""
    table: dict[tuple[int, str], Guard] = {}
    for route in routes:
        for operation in route.operations:
            table[id(route.resource), operation.method] = Guard(
                operation.scope, operation.rate_limited
            )
        table[id(route.resource), "OPTIONS"] = Guard(
            route.write_scope, all(operation.rate_limited for operation in route.operations)
        )
    return table


def credentials_of(req: falcon.asgi.Request) -> Credentials:
    """The credentials a request carries.

    Raises:
        Unauthenticated: `Authorization` is there but is not a bearer token.
    """
    api_key = req.get_header(API_KEY_HEADER)
    authorization = req.get_header("Authorization")
    bearer = None
    if authorization is not None:
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated(
                "malformed", "the Authorization header must read `Bearer <token>`"
            )
        bearer = token
    if api_key is not None:
        api_key = api_key.strip()
    return Credentials(api_key=api_key or None, bearer=bearer)


def _is_preflight(req: falcon.asgi.Request) -> bool:
    return (
        req.method == "OPTIONS"
        and req.get_header("Origin") is not None
        and req.get_header("Access-Control-Request-Method") is not None
    )


class AccessControl:
    """Falcon middleware: authenticate, rate-limit and authorise every routed request."""

    def __init__(
        self,
        *,
        mode: AuthMode,
        authenticate: Authenticate,
        budgets: Budgets,
        addresses: ClientAddresses,
        metrics: AccessMetrics,
        routes: Iterable[Route],
    ) -> None:
        self._mode = mode
        self._authenticate = authenticate
        self._budgets = budgets
        self._addresses = addresses
        self._metrics = metrics
        self._checks = {where: self._check(guard) for where, guard in guards(routes).items()}
        self._document_assets = self._check(_DOCUMENT_ASSETS)

    def _check(self, guard: Guard) -> _Check:
        reads = self._mode is not AuthMode.OFF and guard.scope is not None
        return _Check(reads, required_scope(self._mode, guard.scope), guard.rate_limited)

    async def process_resource(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        params: Mapping[str, Any],
    ) -> None:
        method = req.method
        check = self._checks.get((id(resource), method))
        if check is None:
            if req.uri_template is not None:  # a method the route does not have: 405
                return
            check = self._document_assets  # a static file (Swagger UI's): public
        if method == "OPTIONS" and _is_preflight(req):
            return
        reading = method in READS
        principal = None
        if check.reads_credentials:
            try:
                principal = await self._principal(req, check.needed)
            except Unauthenticated as error:
                self._metrics.refused(f"unauthenticated_{error.reason}")
                if check.rate_limited:
                    await self._charge(req, None, reading)
                raise
            except VerifierUnavailable:
                self._metrics.refused("verifier_unavailable")
                raise
            req.context.principal = principal
        if check.rate_limited:
            await self._charge(req, principal, reading)
        if check.needed is not None:
            try:
                authorise(principal, check.needed)
            except Forbidden:
                self._metrics.refused("forbidden")
                raise

    async def process_response(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        req_succeeded: bool,
    ) -> None:
        counted: tuple[RateDecision, str] | None = req.context.get("rate_decision")
        if counted is not None:
            for name, value in rate_limit_headers(*counted).items():
                resp.set_header(name, value)

    async def _principal(self, req: falcon.asgi.Request, needed: str | None) -> Principal | None:
        principal = None
        if req.get_header(API_KEY_HEADER) is not None or req.get_header("Authorization"):
            principal = await self._authenticate(credentials_of(req))
        if principal is None and needed is not None:
            raise Unauthenticated("missing", f"this operation needs credentials with {needed}")
        return principal

    async def _charge(
        self, req: falcon.asgi.Request, principal: Principal | None, reading: bool
    ) -> None:
        """Count the request against its budget.

        Raises:
            RateLimited: the budget is spent.
        """
        budgets = self._budgets
        rate = budgets.read if reading else budgets.write
        if principal is not None and principal.rate is not None:
            rate = principal.rate
        if rate is None:
            return
        if principal is not None:
            client = principal.id
        else:
            forwarded_for = req.get_header("X-Forwarded-For")
            client = self._addresses.client(req.remote_addr, forwarded_for)
        if reading:
            policy, decision = "read", await budgets.read_limiter.acquire("r:" + client, rate)
        else:
            policy, decision = "write", await budgets.write_limiter.acquire("w:" + client, rate)
        req.context.rate_decision = (decision, policy)
        if not decision.allowed:
            self._metrics.refused("rate_limited")
            raise RateLimited(decision, policy)
