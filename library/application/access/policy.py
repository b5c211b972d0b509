"""Authorisation: which scope an operation needs in each mode, and whether a principal has it."""

from __future__ import annotations

import enum

from library.application.access.errors import Forbidden, Unauthenticated
from library.application.access.principals import CATALOGUE_READ, Principal


class AuthMode(enum.Enum):
    """`LIBRARY_AUTH`: what needs credentials."""

    OFF = "off"  # nothing (drop-in mode: the original service's clients work unchanged)
    WRITES = "writes"  # every write; reads are anonymous (the default)
    ALL = "all"  # reads too


def required_scope(mode: AuthMode, scope: str | None) -> str | None:
    """The scope an operation declared as needing `scope` (None: public) needs in `mode`."""
    if scope is None or mode is AuthMode.OFF:
        return None
    if mode is AuthMode.WRITES and scope == CATALOGUE_READ:
        return None
    return scope


def authorise(principal: Principal | None, scope: str | None) -> None:
    """Let the request through if `principal` holds `scope` (None: anyone).

    Raises:
        Unauthenticated: the operation needs a scope and the request is anonymous.
        Forbidden: the principal lacks the scope.
    """
    if scope is None:
        return
    if principal is None:
        raise Unauthenticated("missing", f"this operation needs credentials with {scope}")
    if not principal.may(scope):
        raise Forbidden(scope)
