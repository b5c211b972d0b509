"""Tests of the Docker and compose files."""
