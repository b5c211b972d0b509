"""A book catalogue service: authors, books and reviews behind a REST API."""
