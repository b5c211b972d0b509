"""HTTP tests: every route and status through `falcon.testing`."""
