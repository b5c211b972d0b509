"""Why a token is refused, as `Unauthenticated` with a reason and a client-safe sentence.

The sentences become RFC 6750 `error_description`s: they name what is wrong with the token
and never repeat any part of it.
"""

from __future__ import annotations

from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidSignatureError,
    InvalidSubjectError,
    MissingRequiredClaimError,
    PyJWTError,
)

from library.application.access import Unauthenticated

MALFORMED = "the token is not a well-formed JWT"
BAD_ALGORITHM = "the token is signed with an algorithm this service does not accept"
BAD_SIGNATURE = "the token's signature does not verify"
UNKNOWN_KEY = "the token is signed with a key this service does not know"
NO_KEY_ID = "the token names no key (kid) and the key set holds several"


def malformed(message: str = MALFORMED) -> Unauthenticated:
    return Unauthenticated("malformed", message)


def invalid(message: str) -> Unauthenticated:
    return Unauthenticated("invalid", message)


def refusal(error: PyJWTError) -> Unauthenticated:
    """The refusal a PyJWT error stands for (its own message may be too revealing)."""
    # Order matters: InvalidSignatureError is a DecodeError.
    if isinstance(error, InvalidSignatureError):
        return invalid(BAD_SIGNATURE)
    if isinstance(error, ExpiredSignatureError):
        return Unauthenticated("expired", "the token has expired")
    if isinstance(error, ImmatureSignatureError):
        return invalid("the token is not valid yet")
    if isinstance(error, InvalidAudienceError):
        return invalid("the token is for another audience")
    if isinstance(error, InvalidIssuerError):
        return invalid("the token is from another issuer")
    if isinstance(error, MissingRequiredClaimError):
        # `claim` is one of the names this adapter requires, never token content.
        return invalid(f"the token has no {error.claim} claim")
    if isinstance(error, InvalidIssuedAtError):
        return invalid("the token's iat claim is not a number")
    if isinstance(error, InvalidSubjectError):
        return invalid("the token's sub claim is not a string")
    if isinstance(error, InvalidJTIError):
        return invalid("the token's jti claim is not a string")
    if isinstance(error, InvalidAlgorithmError):
        return invalid(BAD_ALGORITHM)
    if isinstance(error, DecodeError):
        return malformed()
    return invalid("the token is not valid")
