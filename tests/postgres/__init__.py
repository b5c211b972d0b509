"""Tests that need a real PostgreSQL: migrations, concurrency, outages, plans."""
