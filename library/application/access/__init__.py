"""Access control: who is calling (authentication), what they may do (authorisation), and how
often (rate limits). The HTTP edge reads credentials and calls these; adapters verify them."""

from library.application.access.errors import (
    Forbidden,
    RateLimited,
    Unauthenticated,
    VerifierUnavailable,
)
from library.application.access.principals import (
    ADMIN,
    CATALOGUE_READ,
    CATALOGUE_WRITE,
    METRICS_READ,
    REVIEWS_WRITE,
    SCOPES,
    Principal,
)
from library.application.access.rates import Rate, RateDecision, RateLimiter

__all__ = [
    "ADMIN",
    "CATALOGUE_READ",
    "CATALOGUE_WRITE",
    "METRICS_READ",
    "REVIEWS_WRITE",
    "SCOPES",
    "Forbidden",
    "Principal",
    "Rate",
    "RateDecision",
    "RateLimited",
    "RateLimiter",
    "Unauthenticated",
    "VerifierUnavailable",
]
