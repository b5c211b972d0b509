"""Principals (who a request comes from) and the scopes they may hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from attrs import field, frozen

from library.application.access.rates import Rate

CATALOGUE_READ = "catalogue:read"
CATALOGUE_WRITE = "catalogue:write"
REVIEWS_WRITE = "reviews:write"
METRICS_READ = "metrics:read"
ADMIN = "admin"  # implies every other scope

SCOPES = (CATALOGUE_READ, CATALOGUE_WRITE, REVIEWS_WRITE, METRICS_READ, ADMIN)

PrincipalKind = Literal["key", "token"]


def scope_set(scopes: Iterable[str]) -> frozenset[str]:
    return frozenset(scopes)


@frozen
class Principal:
    """An authenticated caller.

    `id` is stable and unique across kinds (`key:<key id>`, `token:<iss> <sub>`): rate
    budgets and idempotency keys belong to it. `name` is what logs show: the key id or the
    token's subject, never a secret.
    """

    id: str
    kind: PrincipalKind
    name: str
    scopes: frozenset[str] = field(converter=scope_set)
    rate: Rate | None = None  # the principal's own budget, when it has one

    def may(self, scope: str) -> bool:
        """Whether the principal holds `scope` (`admin` holds them all)."""
        return scope in self.scopes or ADMIN in self.scopes


def key_principal(key_id: str, scopes: frozenset[str], rate: Rate | None) -> Principal:
    return Principal(f"key:{key_id}", "key", key_id, scopes, rate)


def token_principal(issuer: str, subject: str, scopes: frozenset[str]) -> Principal:
    return Principal(f"token:{issuer} {subject}", "token", subject, scopes)
