"""`library worker`: bulk imports and cache warming taken from a Redis stream."""
