"""Unit tests of the domain's entities and value objects."""
