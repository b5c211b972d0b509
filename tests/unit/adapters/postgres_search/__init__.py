"""Unit tests of the in-memory emulation of PostgreSQL's text search."""
