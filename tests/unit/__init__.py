"""Unit tests: domain and use cases on the in-memory adapters; no I/O."""
