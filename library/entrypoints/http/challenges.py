"""Headers that tell a refused client what to do: RFC 6750 challenges and rate-limit fields.

`RateLimit-Policy` and `RateLimit` follow the IETF draft (draft-ietf-httpapi-ratelimit-
headers): `"<policy>";q=<quota>;w=<window seconds>` and `"<policy>";r=<remaining>;t=<seconds
until the quota is whole again>`.
"""

from __future__ import annotations

import functools

from library.application.access import Rate, RateDecision, Unauthenticated

REALM = "library"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unauthenticated_challenge(error: Unauthenticated) -> str:
    """The `WWW-Authenticate` of a 401 (RFC 6750, 3): no error code when nothing was sent."""
    if error.reason == "missing":
        return f"Bearer realm={_quoted(REALM)}"
    code = "invalid_request" if error.reason == "malformed" else "invalid_token"
    return (
        f"Bearer realm={_quoted(REALM)}, error={_quoted(code)},"
        f" error_description={_quoted(error.message)}"
    )


def forbidden_challenge(scope: str) -> str:
    """The `WWW-Authenticate` of a 403 for a missing scope (RFC 6750, 3.1)."""
    return f'Bearer realm={_quoted(REALM)}, error="insufficient_scope", scope={_quoted(scope)}'


@functools.cache
def _policy(policy: str, rate: Rate) -> str:
    return f"{_quoted(policy)};q={rate.limit};w={rate.period}"


def rate_limit_headers(decision: RateDecision, policy: str) -> dict[str, str]:
    """`RateLimit-Policy` and `RateLimit` of a decision under `policy` (`read` or `write`)."""
    return {
        "RateLimit-Policy": _policy(policy, decision.rate),
        "RateLimit": f'"{policy}";r={decision.remaining};t={decision.reset_seconds}',
    }
