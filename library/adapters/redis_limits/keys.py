"""Where each client's counts live in Redis."""

from __future__ import annotations

import hashlib

DIGEST_CHARS = 32  # 128 bits of sha256: no two clients share a key by chance


class LimitKeys:
    """Name the keys of one namespace's rate limits.

    Every key of a client starts with the hash tag `{<namespace>:rl:<digest>}`, so the keys
    of one client sit in one slot of a Redis Cluster while clients spread over all of them.
    The client's name is hashed: token subjects and addresses may hold any character.
    """

    def __init__(self, namespace: str) -> None:
        self._prefix = f"{{{namespace}:rl:"

    def tag(self, client: str) -> str:
        digest = hashlib.sha256(client.encode()).hexdigest()[:DIGEST_CHARS]
        return f"{self._prefix}{digest}}}"

    def log(self, client: str) -> str:
        """The sorted set of the client's accepted requests (the sliding window)."""
        return f"{self.tag(client)}:log"

    def window(self, tag: str, window: int) -> str:
        """The counter of the client tagged `tag` in the fixed window numbered `window`."""
        return f"{tag}:{window}"
