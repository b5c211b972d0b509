"""Settings read from the environment: the search's own variables."""

from __future__ import annotations

import pytest

from library.config import ConfigurationError, Settings


def test_offsets_are_unlimited_and_searches_bounded_unless_set() -> None:
    settings = Settings.from_env({})
    assert (settings.max_offset, settings.search_plan) == (None, "bounded")


def test_the_deepest_offset_and_the_search_plan_are_read() -> None:
    settings = Settings.from_env({"LIBRARY_MAX_OFFSET": "1000", "LIBRARY_SEARCH_PLAN": "Exact"})
    assert (settings.max_offset, settings.search_plan) == (1000, "exact")
    assert Settings.from_env({"LIBRARY_MAX_OFFSET": " "}).max_offset is None


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("LIBRARY_MAX_OFFSET", "-1"),
        ("LIBRARY_MAX_OFFSET", "ten"),
        ("LIBRARY_SEARCH_PLAN", "fast"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: raw})
