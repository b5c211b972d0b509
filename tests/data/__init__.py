"""Tests of the data commands and jobs: seeding, imports, safe retries, the worker, API keys."""
