"""Tests that need a real Redis: the cache, the change feed, limits, faults."""
