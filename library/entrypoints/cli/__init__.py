"""The `library` command line: serve the API (and, later, migrate and seed)."""
