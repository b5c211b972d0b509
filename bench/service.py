"""Start and stop the processes under test: `library serve` and the bare ASGI app."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx
from attrs import frozen

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVICE_CORE = "0"

# Variables the service would also read for its database and Redis: the bench sets its own.
_INHERITED_SETTINGS = re.compile(
    r"^(LIBRARY_.*|DATABASE_URL|REDIS_URL|REDIS_HOST|REDIS_PORT|REDIS_DB|POSTGRES_.*|DB_HOST"
    r"|DB_PORT|PROMETHEUS_MULTIPROC_DIR)$"
)


class ServiceFailed(Exception):
    """A process under test did not start or died."""


# Benchmarks measure the service in drop-in mode unless a scenario turns access control on.
DROP_IN = {
    "LIBRARY_AUTH": "off",
    "LIBRARY_RATE_LIMIT_READ": "off",
    "LIBRARY_RATE_LIMIT_WRITE": "off",
}


def clean_env(extra: Mapping[str, str], *, drop: Sequence[str] = ()) -> dict[str, str]:
    """The bench's environment for a service: its own settings, drop-in mode, then `extra`.

    `drop`: further variables not to pass on (the baseline's Python must not see PYTHONPATH).
    """
    env = {
        k: v for k, v in os.environ.items() if not _INHERITED_SETTINGS.match(k) and k not in drop
    }
    env.update(DROP_IN)
    env["LIBRARY_METRICS_TOKEN"] = METRICS_TOKEN
    env.update(extra)
    return env


def pinned(command: Sequence[str], cores: str | None) -> list[str]:
    if cores is not None and shutil.which("taskset"):
        return ["taskset", "-c", cores, *command]
    return list(command)


class Process:
    """A server process with its output in a log file; a context manager that stops it."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str],
        log_path: Path,
        ready_url: str,
        ready_timeout: float = 30.0,
        cwd: Path = REPO,
    ) -> None:
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.popen = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the bench only; it stops this itself
        )
        try:
            self._wait_ready(ready_url, ready_timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _wait_ready(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise ServiceFailed(
                    f"{self.name} exited with {self.popen.returncode} while starting;"
                    f" see {self.log_path}:\n{self._tail()}"
                )
            try:
                answer = httpx.get(url, timeout=2)
                if answer.status_code == 200:
                    return
                last = f"{answer.status_code} {answer.text[:200]}"
            except httpx.HTTPError as error:
                last = repr(error)
            time.sleep(0.2)
        raise ServiceFailed(f"{self.name} not ready after {timeout:.0f} s ({last})")

    def _tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise ServiceFailed(
                f"{self.name} died (exit {self.popen.returncode}); see {self.log_path}:\n"
                f"{self._tail()}"
            )

    def stop(self) -> None:
        if self.popen.poll() is None:
            # SIGINT is uvicorn's graceful stop; its worker processes are in the same group.
            os.killpg(self.popen.pid, signal.SIGINT)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self._log.close()

    def __enter__(self) -> Process:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def start_library(
    *,
    port: int,
    workers: int | None,
    cores: str | None,
    env: Mapping[str, str],
    log_path: Path,
    executable: Path | None = None,
    cwd: Path = REPO,
    drop: Sequence[str] = (),
    name: str = "library serve",
) -> Process:
    """`library serve` (this tree's, or `executable`, another revision's) on 127.0.0.1:`port`.

    `workers` None: no --workers option (a revision without it serves with one).
    """
    command = [
        str(executable or VENV_BIN / "library"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if workers is not None:
        command += ["--workers", str(workers)]
    return Process(
        f"{name} --workers {workers or 1}",
        pinned(command, cores),
        env=clean_env(env, drop=drop),
        log_path=log_path,
        ready_url=f"http://127.0.0.1:{port}/readyz",
        cwd=cwd,
    )


def start_bare(*, port: int, log_path: Path) -> Process:
    command = [
        str(VENV_BIN / "uvicorn"),
        "bench.bare_asgi:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return Process(
        "bare ASGI app",
        pinned(command, SERVICE_CORE),
        env=clean_env({}),
        log_path=log_path,
        ready_url=f"http://127.0.0.1:{port}/",
    )


def rss_bytes(pid: int) -> int | None:
    """VmRSS of a process, from /proc (None when it is gone or /proc is missing)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class RssSampler:
    """Samples a process's resident set size in a thread; keeps the maximum."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.max_bytes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_bytes(self.pid)
            if value is not None:
                self.max_bytes = max(self.max_bytes, value)
                self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


_SAMPLE = re.compile(r"^(?P<name>[a-z_]+)\{(?P<labels>.*)\}\s+(?P<value>[0-9.eE+-]+)$")
_LABEL = re.compile(r'(\w+)="([^"]*)"')

Counts = dict[tuple[str, int], float]


@frozen
class Snapshot:
    """What the service counted so far: answers by (\"METHOD route\", status), cache results."""

    statuses: Counts
    cache: dict[str, float]  # hit, miss, error, bypass: summed over kinds of read


# Sent to every service the bench starts: /metrics needs it once access control is on.
METRICS_TOKEN = "bench-metrics-token"


def snapshot(base_url: str) -> Snapshot:
    """Read /metrics."""
    headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    answer = httpx.get(f"{base_url}/metrics", timeout=10, headers=headers)
    answer.raise_for_status()
    text = answer.text
    statuses: Counts = {}
    cache: dict[str, float] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if not match:
            continue
        labels = dict(_LABEL.findall(match["labels"]))
        value = float(match["value"])
        if match["name"] == "library_http_requests_total" and "status" in labels:
            key = (f"{labels.get('method', '?')} {labels.get('route', '?')}", int(labels["status"]))
            statuses[key] = statuses.get(key, 0.0) + value
        elif match["name"] == "library_cache_requests_total" and "result" in labels:
            cache[labels["result"]] = cache.get(labels["result"], 0.0) + value
    return Snapshot(statuses, cache)


def cache_results(before: Snapshot, after: Snapshot) -> dict[str, int]:
    """Cached reads between two snapshots by result: hit, miss, error, bypass."""
    grown = {k: round(v - before.cache.get(k, 0.0)) for k, v in after.cache.items()}
    return {k: v for k, v in sorted(grown.items()) if v}


def cache_hit_pct(results: dict[str, int]) -> float | None:
    """Cached reads answered from Redis, in % (None: no cached read)."""
    grown = results
    total = sum(grown.values())
    return None if total <= 0 else 100.0 * grown.get("hit", 0) / total


def non_2xx_between(before: Snapshot, after: Snapshot) -> dict[tuple[str, int], int]:
    """Answers outside 2xx counted by the service between two /metrics reads."""
    grown: dict[tuple[str, int], int] = {}
    for key, value in after.statuses.items():
        delta = round(value - before.statuses.get(key, 0.0))
        if delta > 0 and not 200 <= key[1] < 300:
            grown[key] = delta
    return grown


def create_key(
    database_url: str,
    name: str,
    scope: str,
    *,
    executable: Path | None = None,
    cwd: Path | None = None,
    drop: Sequence[str] = (),
) -> str:
    """A new API key in the bench database, from `library keys create` (its last line).

    `executable`: another revision's `library` (run in `cwd`, without the `drop` variables).
    """
    answer = subprocess.run(
        [
            str(executable or VENV_BIN / "library"),
            "keys",
            "create",
            "--name",
            name,
            "--scope",
            scope,
        ],
        env=clean_env({"LIBRARY_DATABASE_URL": database_url}, drop=drop),
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return answer.stdout.strip().splitlines()[-1]
