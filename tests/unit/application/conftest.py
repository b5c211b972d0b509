"""Fixtures of the application tests: the use cases on fresh in-memory adapters."""

from __future__ import annotations

import pytest

from tests.unit.application.use_case_app import App


@pytest.fixture
def app() -> App:
    return App()
