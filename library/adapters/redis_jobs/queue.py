"""The JobQueue port on a Redis stream: a consumer group, acknowledgements, reclaiming.

A job stays pending until acknowledged; one left pending by a consumer that died is claimed
by another after `claim_after` seconds (XAUTOCLAIM). A completion marker, written before the
acknowledgement, lets a reclaimed job that had in fact finished be acknowledged without
running again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.exceptions import ResponseError

from library.application.jobs import Delivery, ImportJob, Job, WarmCacheJob

GROUP = "workers"
DONE_RETENTION_SECONDS = 7 * 24 * 3600


def _encode(job: Job) -> dict[str, bytes]:
    if isinstance(job, ImportJob):
        return {
            "kind": b"import",
            "document": job.document,
            "skip_invalid": b"1" if job.skip_invalid else b"0",
        }
    return {"kind": b"warm", "top_books": str(job.top_books).encode()}


def _decode(fields: dict[bytes, bytes]) -> Job | None:
    try:
        kind = fields[b"kind"]
        if kind == b"import":
            return ImportJob(fields[b"document"], fields.get(b"skip_invalid") == b"1")
        if kind == b"warm":
            return WarmCacheJob(int(fields[b"top_books"]))
    except (KeyError, ValueError):
        return None
    return None


class RedisJobQueue:
    def __init__(self, client: Any, *, namespace: str = "library", claim_after: float = 60.0):
        # One hash tag for the stream and its markers: cluster-safe like the cache's keys.
        self._stream = f"{{{namespace}-jobs}}:stream"
        self._done = f"{{{namespace}-jobs}}:done:"
        self._client = client
        self._claim_after_ms = max(1, round(claim_after * 1000))
        self._group_ready = False

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            await self._client.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._group_ready = True

    async def enqueue(self, job: Job) -> str:
        await self._ensure_group()
        job_id: bytes = await self._client.xadd(self._stream, _encode(job))
        return job_id.decode()

    async def receive(self, consumer: str, *, wait: float) -> Sequence[Delivery]:
        await self._ensure_group()
        claimed = await self._client.xautoclaim(
            self._stream, GROUP, consumer, self._claim_after_ms, start_id="0-0", count=1
        )
        entries = claimed[1]
        if not entries:
            answer = await self._client.xreadgroup(
                GROUP, consumer, {self._stream: ">"}, count=1, block=max(1, round(wait * 1000))
            )
            entries = answer[0][1] if answer else []
        return [
            Delivery(entry_id.decode(), _decode(fields))
            for entry_id, fields in entries
            if fields is not None  # an entry deleted from the stream while pending
        ]

    async def finished(self, delivery: Delivery) -> bool:
        return bool(await self._client.exists(self._done + delivery.id))

    async def acknowledge(self, delivery: Delivery) -> None:
        await self._client.set(self._done + delivery.id, b"1", ex=DONE_RETENTION_SECONDS)
        await self._client.xack(self._stream, GROUP, delivery.id)

    async def pending(self) -> int:
        """How many jobs were delivered and not yet acknowledged."""
        await self._ensure_group()
        summary = await self._client.xpending(self._stream, GROUP)
        count: int = summary["pending"]
        return count

    async def close(self) -> None:
        await self._client.aclose()
