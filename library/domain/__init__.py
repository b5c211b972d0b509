"""The catalogue's entities, value objects, rules, errors and events (attrs only)."""
