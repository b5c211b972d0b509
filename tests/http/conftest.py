"""Fixtures of the HTTP tests."""

from __future__ import annotations

import pytest

from tests.http.http_api import Api, make_api


@pytest.fixture
def api() -> Api:
    """The API on a fresh, empty in-memory catalogue."""
    return make_api()
