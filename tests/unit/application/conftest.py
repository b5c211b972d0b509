"""Fixtures of the application tests: the use cases on fresh in-memory adapters."""

from __future__ import annotations

import pytest
from use_case_app import App, Recorder

from library.adapters.memory import MemoryCatalogue, MemoryStore
from library.application.events import EventBus


@pytest.fixture
def app() -> App:
    store = MemoryStore()
    bus = EventBus()
    catalogue = MemoryCatalogue(store)
    recorder = Recorder(catalogue)
    bus.subscribe(recorder)
    return App(store, bus, catalogue, recorder)
