"""Thin resources: structure the request, call one use case, serialise its result."""
