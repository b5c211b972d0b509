"""Every error the HTTP edge answers, as an RFC 9457 problem document (mapped here, once).

Falcon's own errors (404 for unknown routes, 405, 413, 415...) go through `serialize_problem`;
domain and application errors are turned into a `Problem` by the handlers below, which Falcon
then serialises the same way. Anything else is a bug: it is logged with its stack trace and
answered with a 500 that reveals nothing of it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import attrs
import falcon
import falcon.asgi
import orjson
from attrs import field, frozen

from library.application.access import (
    Forbidden,
    RateLimited,
    Unauthenticated,
    VerifierUnavailable,
)
from library.application.errors import InvalidQuery, StorageUnavailable
from library.application.field_docs import described
from library.domain.errors import (
    DomainError,
    DuplicateReview,
    FieldError,
    NotFound,
    UnknownReferences,
    ValidationFailed,
)
from library.entrypoints.http.challenges import (
    forbidden_challenge,
    rate_limit_headers,
    unauthenticated_challenge,
)

log = logging.getLogger(__name__)

MEDIA_PROBLEM = "application/problem+json"


@frozen
class ProblemType:
    """One kind of problem: its `type` URI, fixed `title` and status code."""

    uri: str
    title: str
    status: int


@frozen
class ProblemDetails:
    """An RFC 9457 problem document: the body of every 4xx and 5xx answer."""

    type: str = field(metadata=described("The kind of problem, e.g. /problems/not-found"))
    title: str = field(metadata=described("A fixed summary of the kind of problem"))
    status: int = field(metadata=described("The HTTP status code"))
    detail: str = field(metadata=described("What went wrong with this request"))
    errors: tuple[FieldError, ...] = field(
        default=(),
        metadata=described(
            "The fields, parameters or ids at fault: `field` is a body path (`author_ids[2]`)"
            " or a query parameter name; present only when specific ones are at fault"
        ),
    )


MALFORMED_JSON = ProblemType("/problems/malformed-json", "Malformed JSON", 400)
VALIDATION_ERROR = ProblemType("/problems/validation-error", "Invalid request", 422)
UNKNOWN_REFERENCE = ProblemType("/problems/unknown-reference", "Unknown reference", 400)
DUPLICATE_REVIEW = ProblemType("/problems/duplicate-review", "Duplicate review", 400)
INVALID_QUERY = ProblemType("/problems/invalid-query", "Invalid query", 400)
NOT_FOUND = ProblemType("/problems/not-found", "Not found", 404)
METHOD_NOT_ALLOWED = ProblemType("/problems/method-not-allowed", "Method not allowed", 405)
PAYLOAD_TOO_LARGE = ProblemType("/problems/payload-too-large", "Payload too large", 413)
UNSUPPORTED_MEDIA_TYPE = ProblemType(
    "/problems/unsupported-media-type", "Unsupported media type", 415
)
SERVICE_UNAVAILABLE = ProblemType("/problems/service-unavailable", "Service unavailable", 503)
UNAUTHENTICATED = ProblemType("/problems/unauthenticated", "Unauthenticated", 401)
FORBIDDEN = ProblemType("/problems/forbidden", "Forbidden", 403)
RATE_LIMITED = ProblemType("/problems/rate-limited", "Too many requests", 429)
URI_TOO_LONG = ProblemType("/problems/uri-too-long", "URI too long", 414)
HEADERS_TOO_LARGE = ProblemType(
    "/problems/request-header-fields-too-large", "Request header fields too large", 431
)
INTERNAL_ERROR = ProblemType("/problems/internal-error", "Internal server error", 500)

# Falcon raises its own HTTPErrors for routing and a few header checks; each status we can
# meet maps to one of our types, any other to a plain problem named after the status.
_BY_STATUS = {
    kind.status: kind
    for kind in (
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        PAYLOAD_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        SERVICE_UNAVAILABLE,
        INTERNAL_ERROR,
    )
}


class Problem(falcon.HTTPError):
    """An HTTP error that knows its problem type and, optionally, the fields at fault."""

    def __init__(
        self,
        kind: ProblemType,
        detail: str,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        extensions: dict[str, object] | None = None,
    ) -> None:
        super().__init__(kind.status, title=kind.title, description=detail, headers=headers)
        self.kind = kind
        self.detail = detail
        self.errors = tuple(errors)
        self.extensions = extensions or {}


def _kind_of(error: falcon.HTTPError) -> ProblemType:
    if isinstance(error, Problem):
        return error.kind
    status = error.status_code
    kind = _BY_STATUS.get(status)
    if kind is not None:
        return kind
    return ProblemType("about:blank", HTTPStatus(status).phrase, status)  # RFC 9457, 4.2.1


def _detail_of(req: falcon.Request, error: falcon.HTTPError, kind: ProblemType) -> str:
    if isinstance(error, Problem):
        return error.detail
    if kind is NOT_FOUND:
        return f"there is nothing at {req.path}"
    if kind is METHOD_NOT_ALLOWED:
        allowed = dict(error.headers or {}).get("Allow", "")
        return f"{req.method} is not allowed on {req.path}; allowed: {allowed}"
    if error.description:
        return str(error.description)
    return str(error.title or kind.title)


def problem_document(req: falcon.Request, error: falcon.HTTPError) -> dict[str, Any]:
    """Build the RFC 9457 body for `error`."""
    kind = _kind_of(error)
    details = ProblemDetails(
        type=kind.uri,
        title=kind.title,
        status=error.status_code,
        detail=_detail_of(req, error, kind),
        errors=error.errors if isinstance(error, Problem) else (),
    )
    body = attrs.asdict(details)
    if not details.errors:
        del body["errors"]
    if isinstance(error, Problem):
        body.update(error.extensions)
    return body


def serialize_problem(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    """Write `error` as problem+json, whatever the client accepts (Falcon's serializer)."""
    resp.data = orjson.dumps(problem_document(req, error))
    resp.content_type = MEDIA_PROBLEM


def problem_for(error: Exception) -> Problem:
    """Translate a domain or application error into its problem."""
    match error:
        case ValidationFailed():
            return Problem(VALIDATION_ERROR, str(error) or "the request is invalid", error.errors)
        case NotFound():
            return Problem(NOT_FOUND, str(error))
        case UnknownReferences():
            return Problem(UNKNOWN_REFERENCE, str(error), error.errors)
        case DuplicateReview():
            return Problem(DUPLICATE_REVIEW, str(error))
        case InvalidQuery():
            field = [] if error.field is None else [FieldError(error.field, error.message)]
            return Problem(INVALID_QUERY, error.message, field)
        case StorageUnavailable():
            return Problem(
                SERVICE_UNAVAILABLE,
                "the catalogue is temporarily unavailable; retry later",
                headers={"Retry-After": str(error.retry_after)},
            )
        case Unauthenticated():
            return Problem(
                UNAUTHENTICATED,
                error.message,
                headers={"WWW-Authenticate": unauthenticated_challenge(error)},
            )
        case Forbidden():
            return Problem(
                FORBIDDEN,
                f"this operation needs the scope {error.scope}, which these credentials lack",
                headers={"WWW-Authenticate": forbidden_challenge(error.scope)},
                extensions={"required_scope": error.scope},
            )
        case RateLimited():
            decision = error.decision
            return Problem(
                RATE_LIMITED,
                f"the rate limit of {decision.rate} is spent; retry after"
                f" {decision.retry_seconds} s",
                headers={
                    **rate_limit_headers(decision, error.policy),
                    "Retry-After": str(decision.retry_seconds),
                },
            )
        case VerifierUnavailable():
            return Problem(
                SERVICE_UNAVAILABLE,
                f"{error}; retry later",
                headers={"Retry-After": str(error.retry_after)},
            )
        case DomainError():  # a value rule broken outside any field (InvalidValue)
            return Problem(VALIDATION_ERROR, str(error) or "the request is invalid")
    return Problem(INTERNAL_ERROR, "the service failed to handle this request")


async def _known_error(
    req: falcon.asgi.Request,
    resp: falcon.asgi.Response,
    error: Exception,
    params: dict[str, Any],
) -> None:
    raise problem_for(error)


async def _unexpected_error(
    req: falcon.asgi.Request,
    resp: falcon.asgi.Response,
    error: Exception,
    params: dict[str, Any],
) -> None:
    log.error("unhandled error in %s %s", req.method, req.path, exc_info=error)
    raise Problem(INTERNAL_ERROR, "the service failed to handle this request")


def install_problem_handling(
    app: falcon.asgi.App[falcon.asgi.Request, falcon.asgi.Response],
) -> None:
    """Make `app` answer every error with a problem document."""
    app.resp_options.xml_error_serialization = False
    app.set_error_serializer(serialize_problem)
    # Falcon picks the handler of the most specific class in the exception's MRO, so the
    # catch-all for Exception never shadows the others (nor Falcon's own HTTPError one).
    app.add_error_handler(Exception, _unexpected_error)
    for known in (
        DomainError,
        InvalidQuery,
        StorageUnavailable,
        Unauthenticated,
        Forbidden,
        RateLimited,
        VerifierUnavailable,
    ):
        app.add_error_handler(known, _known_error)
