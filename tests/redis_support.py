"""What the tests of the Redis cache share: servers they start, a TCP proxy, app instances.

Every test package imports it as `tests.redis_support`. Nothing here runs at import time;
servers are started by fixtures and stopped when the run ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import redis.asyncio
from dependency_injector import providers
from falcon import testing

from library.adapters.redis_cache import CircuitBreaker
from library.application.ports import Catalogue
from library.config import Settings
from library.container import Container, create_container
from library.entrypoints.http import create_app
from tests.postgres.pg_support import EMPTY_CATALOGUE

REDIS_URL = os.environ.get("LIBRARY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unique_namespace(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def delete_namespace(client: Any, namespace: str) -> None:
    """Delete every key of `namespace` (never FLUSHDB: the server is shared)."""
    async for key in client.scan_iter(match=f"{{{namespace}}}:*", count=1000):
        await client.delete(key)


@contextlib.asynccontextmanager
async def namespace_cleaned(url: str = REDIS_URL, *, cluster: bool = False) -> AsyncIterator[str]:
    """A fresh namespace whose keys are deleted afterwards."""
    namespace = unique_namespace()
    try:
        yield namespace
    finally:
        client: Any = (
            redis.asyncio.RedisCluster.from_url(url) if cluster else redis.asyncio.from_url(url)
        )
        try:
            await delete_namespace(client, namespace)
        finally:
            await client.aclose()


class CountingObserver:
    """A CacheObserver that counts, per outcome and per kind of read."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def hit(self, kind: str) -> None:
        self.counts["hit", kind] += 1

    def miss(self, kind: str) -> None:
        self.counts["miss", kind] += 1

    def error(self, kind: str) -> None:
        self.counts["error", kind] += 1

    def bypass(self, kind: str) -> None:
        self.counts["bypass", kind] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (what, _), n in self.counts.items() if what == outcome)

    def snapshot(self) -> dict[str, int]:
        return {what: self.total(what) for what in ("hit", "miss", "error", "bypass")}


# ---------------------------------------------------------------------------------------------
# App instances


class Instance:
    """One instance of the service: its own container (pool, Redis client, change feed)."""

    def __init__(
        self, name: str, container: Container, conductor: testing.ASGIConductor, observer: Any
    ) -> None:
        self.name = name
        self.container = container
        self.conductor = conductor
        self.observer: CountingObserver = observer

    async def get(self, path: str, **params: Any) -> testing.Result:
        return await self.conductor.simulate_get(path, params=params or None)

    async def send(self, method: str, path: str, body: Any = None) -> testing.Result:
        return await self.conductor.simulate_request(method, path, json=body)

    def __repr__(self) -> str:
        return f"Instance({self.name})"


def _singleton(dependency: providers.Provider[Any]) -> providers.Singleton[Any]:
    """The Singleton that an adapter set put behind one of the container's dependencies."""
    provider = dependency.last_overriding
    assert isinstance(provider, providers.Singleton), provider
    return provider


@contextlib.asynccontextmanager
async def running_instance(
    settings: Settings,
    *,
    name: str = "app",
    wrap_catalogue: Callable[[Catalogue], object] | None = None,
    feed_url: str | None = None,
    breaker_cooldown: float | None = None,
) -> AsyncIterator[Instance]:
    """Start an app on `settings` with its ASGI lifespan; stop it afterwards.

    `wrap_catalogue` decorates the storage's read side under the cache (to pause reads; what
    it returns answers the catalogue's reads, and may do so by forwarding them dynamically);
    `feed_url` points the change feed somewhere else than the database (a proxy to cut).
    """
    container = create_container(settings)
    observer = CountingObserver()
    if settings.cached:
        _singleton(container.cache.entries).add_kwargs(observer=observer)
        if breaker_cooldown is not None:
            _singleton(container.cache.entries).add_kwargs(
                breaker=providers.Singleton(CircuitBreaker, cooldown=breaker_cooldown)
            )
        if feed_url is not None:
            _singleton(container.storage.change_feed).add_kwargs(url=feed_url)
    if wrap_catalogue is not None:
        inner = container.storage.catalogue()
        container.storage.catalogue.override(providers.Object(wrap_catalogue(inner)))
    app = create_app(container)
    async with testing.ASGIConductor(app) as conductor:
        yield Instance(name, container, conductor, observer)


def cached_settings(
    database_url: str | None, redis_url: str | None, namespace: str, **overrides: Any
) -> Settings:
    """Settings of a test instance: small pool, the given cache namespace."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "cache_namespace": namespace,
        "pool_min_size": 1,
        "pool_max_size": 4,
    }
    values.update(overrides)
    return Settings(**values).drop_in()


async def truncate_catalogue(database_url: str) -> None:
    """Empty the catalogue's tables (each test run has a database of its own)."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await conn.execute(EMPTY_CATALOGUE)


def with_address(url: str, host: str, port: int) -> str:
    """`url` pointing at host:port instead (credentials, path and query kept)."""
    parts = urlsplit(url)
    auth = parts.netloc.rpartition("@")[0]
    netloc = f"{auth}@{host}:{port}" if auth else f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def address_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


# ---------------------------------------------------------------------------------------------
# A TCP proxy the tests can cut


class TcpProxy:
    """Forward 127.0.0.1:<ephemeral> to an upstream address, until told otherwise.

    `cut()` resets every connection and refuses new ones (a dead server); `freeze()` keeps
    connections open but forwards nothing (a partition: peers only notice by time-out);
    `delay` holds every answer from upstream that long (a slow server); `restore()` heals.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._server: asyncio.Server | None = None
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self.refusing = False
        self.delay = 0.0
        self.accepted = 0
        self.forwarded = 0  # bytes from clients to upstream

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def url(self, template: str) -> str:
        return with_address(template, "127.0.0.1", self.port)

    async def __aenter__(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        self.cut()
        if self._tasks:
            # Closed connections end their tasks; cancelling them would make asyncio's
            # stream callback log the cancellation as an error.
            await asyncio.wait(set(self._tasks), timeout=2)
        await self._server.wait_closed()

    def cut(self) -> None:
        self.refusing = True
        self._flowing.set()
        self._reset_all()

    def freeze(self) -> None:
        self._flowing.clear()

    def restore(self) -> None:
        self.refusing = False
        self.delay = 0.0
        self._flowing.set()

    def _reset_all(self) -> None:
        for client, upstream in list(self._links):
            client.transport.abort()
            upstream.transport.abort()
        self._links.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.transport.abort()
            return
        link = (writer, up_writer)
        self._links.add(link)
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, delayed=False),
                self._pipe(up_reader, writer, delayed=True),
            )
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._links.discard(link)
            writer.transport.abort()
            up_writer.transport.abort()

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, delayed: bool
    ) -> None:
        while data := await source.read(65536):
            await self._flowing.wait()
            if delayed and self.delay:
                await asyncio.sleep(self.delay)
            await self._flowing.wait()
            if sink.transport.is_closing():
                return
            if not delayed:
                self.forwarded += len(data)
            sink.write(data)
            await sink.drain()
        if not sink.transport.is_closing() and sink.can_write_eof():
            sink.write_eof()


# ---------------------------------------------------------------------------------------------
# Redis servers started by the tests


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(*, with_bus: bool = False) -> int:
    """A free loopback port (and, for a cluster node, a free bus port 10000 above it)."""
    for _ in range(200):
        port = random.randint(20000, 55000)
        if _port_is_free(port) and (not with_bus or _port_is_free(port + 10000)):
            return port
    raise RuntimeError("no free port found")


def _ping(port: int, timeout: float, **options: Any) -> redis.Redis:
    deadline = time.monotonic() + timeout
    while True:
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, **options)
        try:
            client.ping()
            return client
        except redis.RedisError:
            client.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class RedisProcesses:
    """redis-server processes in a temporary directory, stopped and removed by `stop`."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="library-redis-"))
        self._processes: list[subprocess.Popen[bytes]] = []

    def spawn(self, name: str, *options: str) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                "redis-server",
                *options,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._processes.append(process)
        return process

    def log(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.directory.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def redis_server_available() -> str | None:
    """Why redis-server cannot be used here, or None when it can."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        return "redis-server and redis-cli are not installed"
    return None


def start_cluster(processes: RedisProcesses, masters: int = 3) -> list[int]:
    """Start a cluster of `masters` nodes on free loopback ports; return the ports."""
    ports: list[int] = []
    for _ in range(masters):
        port = free_port(with_bus=True)
        while port in ports:
            port = free_port(with_bus=True)
        processes.spawn(
            f"node-{port}",
            "--port",
            str(port),
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            str(processes.directory / f"nodes-{port}.conf"),
        )
        ports.append(port)
    for port in ports:
        _ping(port, timeout=10).close()
    created = subprocess.run(
        [
            "redis-cli",
            "--cluster",
            "create",
            *(f"127.0.0.1:{port}" for port in ports),
            "--cluster-yes",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if created.returncode != 0:
        raise RuntimeError(f"redis-cli --cluster create failed: {created.stdout!r}")
    deadline = time.monotonic() + 20
    for port in ports:
        client = _ping(port, timeout=10)
        try:
            while client.cluster("info").get("cluster_state") != "ok":
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cluster not ok:\n{processes.log()}")
                time.sleep(0.05)
        finally:
            client.close()
    return ports


def generate_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI."""
    ca_key, ca_cert = directory / "ca.key", directory / "ca.crt"
    key, request, cert = (
        directory / "server.key",
        directory / "server.csr",
        directory / "server.crt",
    )
    extensions = directory / "server.ext"
    extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for command in (
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            ca_key,
            "-out",
            ca_cert,
            "-days",
            "1",
            "-subj",
            "/CN=library test CA",
        ],
        [
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            request,
            "-subj",
            "/CN=127.0.0.1",
        ],
        [
            "x509",
            "-req",
            "-in",
            request,
            "-CA",
            ca_cert,
            "-CAkey",
            ca_key,
            "-CAcreateserial",
            "-out",
            cert,
            "-days",
            "1",
            "-extfile",
            extensions,
        ],
    ):
        subprocess.run(["openssl", *map(str, command)], capture_output=True, check=True)
    return ca_cert, cert, key


def start_tls_server(processes: RedisProcesses) -> tuple[int, Path] | str:
    """Start a TLS-only redis-server; return (port, CA file), or why TLS is not available."""
    if shutil.which("openssl") is None:
        return "the openssl command is not installed"
    ca_cert, cert, key = generate_certificates(processes.directory)
    port = free_port()
    process = processes.spawn(
        f"tls-{port}",
        "--port",
        "0",
        "--tls-port",
        str(port),
        "--tls-cert-file",
        str(cert),
        "--tls-key-file",
        str(key),
        "--tls-ca-cert-file",
        str(ca_cert),
        "--tls-auth-clients",
        "no",
    )
    try:
        _ping(port, timeout=5, ssl=True, ssl_ca_certs=str(ca_cert)).close()
    except redis.RedisError:
        if process.poll() is not None:
            return f"this redis-server does not run with TLS:\n{processes.log()}"
        raise
    return port, ca_cert


_CLUSTER = pytest.StashKey["list[int] | str"]()


def shared_cluster(config: pytest.Config) -> list[int]:
    """The ports of one 3-master cluster for the whole run (skip when it cannot start)."""
    if _CLUSTER not in config.stash:
        reason = redis_server_available()
        if reason is not None:
            config.stash[_CLUSTER] = reason
        else:
            processes = RedisProcesses()
            config.add_cleanup(processes.stop)
            config.stash[_CLUSTER] = start_cluster(processes)
    found = config.stash[_CLUSTER]
    if isinstance(found, str):
        pytest.skip(found)
    return found


def cluster_url(ports: list[int]) -> str:
    return f"redis://127.0.0.1:{ports[0]}/0"


@contextlib.contextmanager
def timed() -> Iterator[Callable[[], float]]:
    started = time.perf_counter()
    yield lambda: time.perf_counter() - started


class Seeded:
    """Ids of a small catalogue made through the API.

    Titles are `Book <i> v0` and names `Author <i> v0`: tests write later versions.
    """

    def __init__(self) -> None:
        self.author_ids: list[int] = []
        self.book_ids: list[int] = []
        self.review_ids: dict[int, int] = {}  # review id -> book id


async def seed_catalogue(app: Instance, *, authors: int = 3, books: int = 6) -> Seeded:
    """Authors, books (each with one or two authors) and a review per book, through `app`."""
    seeded = Seeded()
    for i in range(authors):
        result = await app.send("POST", "/authors", {"name": f"Author {i} v0"})
        assert result.status_code == 201, result.text
        seeded.author_ids.append(result.json["id"])
    for i in range(books):
        linked = sorted({seeded.author_ids[i % authors], seeded.author_ids[(i * 7) % authors]})
        body = {"title": f"Book {i} v0", "year": 1900 + i, "author_ids": linked}
        result = await app.send("POST", "/books", body)
        assert result.status_code == 201, result.text
        book_id = result.json["id"]
        seeded.book_ids.append(book_id)
        body = {"reviewer_name": f"Seed {i}", "rating": 1 + i % 5}
        result = await app.send("POST", f"/books/{book_id}/reviews", body)
        assert result.status_code == 201, result.text
        seeded.review_ids[result.json["id"]] = book_id
    return seeded


def every_page(seeded: Seeded) -> list[str]:
    """Every cached page of a seeded catalogue."""
    pages = ["/books?limit=100", "/authors?limit=100", "/books?q=book"]
    for book_id in seeded.book_ids:
        pages += [f"/books/{book_id}", f"/books/{book_id}/reviews"]
    for author_id in seeded.author_ids:
        pages += [f"/authors/{author_id}", f"/authors/{author_id}/books"]
    return pages


async def get_page(app: Instance, page: str) -> testing.Result:
    path, _, query = page.partition("?")
    return await app.conductor.simulate_get(path, query_string=query or None)
