"""Unit tests of adapter parts that need no server."""
