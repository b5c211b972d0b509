"""Unit tests of the use cases on the in-memory adapters."""
