"""End-to-end tests: the real `library serve` process driven over HTTP."""
