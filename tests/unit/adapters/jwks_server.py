"""A JWK set served over real HTTP on 127.0.0.1, whose answers a test changes and counts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def jwk(public: PublicKey, kid: str | None, **extra: object) -> dict[str, object]:
    """The JWK of a public key, with a kid and any other members given."""
    as_dict = (
        RSAAlgorithm.to_jwk(public, as_dict=True)
        if isinstance(public, rsa.RSAPublicKey)
        else ECAlgorithm.to_jwk(public, as_dict=True)
    )
    entry: dict[str, object] = dict(as_dict)
    if kid is not None:
        entry["kid"] = kid
    entry.update(extra)
    return entry


class JwksServer:
    """An HTTP/1.1 server answering every request with `body` and `status`.

    `hits` counts the requests received; `delay` holds each answer back that many seconds.
    `stop` and `start` again keep the port, so a verifier's URL stays valid across an outage.
    """

    def __init__(self) -> None:
        self.status = 200
        self.body = b'{"keys": []}'
        self.delay = 0.0
        self.hits = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.well-known/jwks.json"

    def serve(self, keys: Sequence[object]) -> None:
        """Answer 200 with a set of these keys (anything, to serve broken ones too)."""
        self.status = 200
        self.body = json.dumps({"keys": list(keys)}).encode()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for handler in list(self._handlers):
            handler.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await reader.readuntil(b"\r\n\r\n")
            self.hits += 1
            if self.delay:
                await asyncio.sleep(self.delay)
            writer.write(
                f"HTTP/1.1 {self.status} Whatever\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n".encode()
                + self.body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away; nothing to answer
        finally:
            self._handlers.discard(task)
            writer.close()
