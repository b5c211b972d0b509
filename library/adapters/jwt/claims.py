"""From verified claims to a principal: the subject, the issuer and the scopes.

PyJWT has checked the signature, the times and the audience and issuer by then; this reads
what it leaves alone, and refuses a claim of the wrong shape rather than guessing at it.
"""

from __future__ import annotations

from collections.abc import Mapping

from library.adapters.jwt.refusals import invalid, malformed
from library.application.access import Principal
from library.application.access.principals import token_principal

# Where issuers put scopes: OAuth 2 (`scope`, RFC 8693 §4.2), Azure AD and Okta (`scp`),
# Auth0 RBAC (`permissions`). The first present wins.
SCOPE_CLAIMS = ("scope", "scp", "permissions")
_TIME_CLAIMS = ("exp", "nbf", "iat")


def principal_of(claims: Mapping[str, object]) -> Principal:
    """The principal a verified token names.

    Raises:
        Unauthenticated: the token has no subject, or its issuer, times or scopes are not
            of the shape RFC 7519 and RFC 8693 give them.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise invalid("the token names no subject (sub)")
    issuer = claims.get("iss")
    if issuer is not None and not isinstance(issuer, str):
        raise malformed("the token's iss claim is not a string")
    for name in _TIME_CLAIMS:
        _check_numeric_date(claims, name)
    return token_principal(issuer or "", subject, scopes_of(claims))


def scopes_of(claims: Mapping[str, object]) -> frozenset[str]:
    """The scopes a token grants: `scope` (a space-separated string), else `scp` (a string
    or an array of strings), else `permissions` (an array of strings); none without them.

    Raises:
        Unauthenticated: the first of those claims present is of another shape.
    """
    for name in SCOPE_CLAIMS:
        value = claims.get(name)
        if value is None:
            continue
        if isinstance(value, str) and name != "permissions":
            return frozenset(value.split())
        if isinstance(value, list) and name != "scope" and all(map(_is_scope, value)):
            return frozenset(value)
        raise malformed(f"the token's {name} claim is malformed")
    return frozenset()


def _is_scope(item: object) -> bool:
    return isinstance(item, str) and bool(item) and not any(c.isspace() for c in item)


def _check_numeric_date(claims: Mapping[str, object], name: str) -> None:
    # PyJWT takes int() of these, which lets "1700000000" (a string) through.
    value = claims.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise malformed(f"the token's {name} claim is not a number")
