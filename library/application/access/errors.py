"""Why a request is refused before it reaches a use case."""

from __future__ import annotations

from typing import Literal

from library.application.access.rates import RateDecision

# What metrics count refusals by; the client is told only whether credentials were missing,
# malformed or not accepted, never whether a key exists.
UnauthenticatedReason = Literal["missing", "malformed", "invalid", "expired", "revoked"]


class Unauthenticated(Exception):
    """Credentials are missing, malformed, unknown, expired or revoked (401)."""

    def __init__(self, reason: UnauthenticatedReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class Forbidden(Exception):
    """The principal lacks the scope the operation needs (403)."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"this operation needs the scope {scope}")
        self.scope = scope


class RateLimited(Exception):
    """The client has spent its budget (429)."""

    def __init__(self, decision: RateDecision, policy: str) -> None:
        super().__init__(f"rate limit of {decision.rate} exceeded")
        self.decision = decision
        self.policy = policy  # which budget: read or write


class VerifierUnavailable(Exception):
    """Credentials cannot be checked right now (key store or key set unreachable): 503."""

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after
