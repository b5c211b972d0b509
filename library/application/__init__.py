"""Use cases, ports and the read side of the catalogue."""
