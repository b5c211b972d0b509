"""The test suite: unit, contract, property, http, data, postgres, redis, e2e and deploy tests."""
