"""The throughput benchmark: scenarios under wrk against `library serve` and a bare ASGI app.

Run it with `bench/run` (see the README's Benchmarks section). Prints one table; exits 1 when
any request got an answer outside 2xx, a socket error or time-out, or a scenario ran out of
unique search queries (and, with --strict, 3 when a target was missed). With --baseline REV,
each scenario is measured against that revision's service right before the current one.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import httpx
import redis
from attrs import asdict, define, evolve, field

from bench.baseline import FOREIGN, Baseline, resolve
from bench.baseline import prepare as prepare_baseline
from bench.catalogue import Catalogue, ensure_catalogue, log_stderr, surnames, title_words
from bench.service import (
    SERVICE_CORE,
    Process,
    RssSampler,
    Snapshot,
    cache_hit_pct,
    cache_results,
    create_key,
    non_2xx_between,
    snapshot,
    start_bare,
    start_library,
)
from bench.wrk import WrkFailed, WrkResult, run_wrk

LIBRARY_PORT = 8100
BARE_PORT = 8101
LIMITED_PORT = 8102
BASELINE_PORT = 8103  # --baseline: that revision's service, and its -limited twin
BASELINE_LIMITED_PORT = 8104
CONNECTIONS = 32
HOT_IDS = 5000
MAX_QUERIES = 200_000
RSS_TARGET_MB = 150.0
NAMESPACE = "bench"
BASELINE_NAMESPACE = "bench-baseline"  # the baseline's cache entries never meet the current's
MAX_FILL_ROUNDS = 20

SCENARIOS = (
    "cached-detail",
    "cached-detail-1c",
    "cold-detail",
    "first-page",
    "cold-search",
    "cold-search-1c",
    "authors-search",
    "post-book",
    "post-review",
    "mixed",
    "workers-2",
    "cached-detail-limited",
    "post-book-limited",
)
# The scenarios measured again with access control in its default mode and both rate limits
# on (with budgets no run reaches), against their drop-in runs of the same bench run.
LIMITED = {
    "cached-detail-limited": ("cached-detail", 90.0),
    "post-book-limited": ("post-book", 85.0),
}
UNREACHABLE_BUDGET = "1000000000/minute"
# The order the one-worker scenarios run in: each -limited one right after its drop-in twin.
PINNED = (
    "cached-detail",
    "cached-detail-limited",
    "cached-detail-1c",
    "cold-detail",
    "first-page",
    "cold-search",
    "cold-search-1c",
    "authors-search",
    "post-book",
    "post-book-limited",
    "post-review",
    "mixed",
)


@define
class Row:
    scenario: str
    description: str
    connections: int
    result: WrkResult | None = None
    non_2xx: int = 0
    non_2xx_detail: dict[str, int] = field(factory=dict)
    socket_errors: int = 0
    bare_rps: float = 0.0
    min_fraction: float | None = None  # target: at least this % of the bare app's req/s
    max_p99_ms: float | None = None  # target: p99 below this
    baseline: str | None = None  # target: at least `min_of_baseline` % of this scenario's req/s
    min_of_baseline: float | None = None
    baseline_rps: float = 0.0
    cache_hits_pct: float | None = None  # cached reads answered from Redis, measured run
    cache: dict[str, int] = field(factory=dict)  # cached reads of the measured run by result
    notes: list[str] = field(factory=list)
    # --baseline: `revision` is set on the rows measured against the baseline revision;
    # `revision_rps` on the current rows is the req/s of their baseline row.
    revision: str | None = None
    revision_rps: float = 0.0

    @property
    def of_revision(self) -> float | None:
        """The current row's req/s in % of its baseline row's."""
        if self.result is None or not self.revision_rps:
            return None
        return 100.0 * self.result.rps / self.revision_rps

    @property
    def fraction(self) -> float | None:
        if self.result is None or not self.bare_rps:
            return None
        return 100.0 * self.result.rps / self.bare_rps

    @property
    def of_baseline(self) -> float | None:
        if self.result is None or not self.baseline_rps:
            return None
        return 100.0 * self.result.rps / self.baseline_rps

    @property
    def target(self) -> str:
        if self.min_of_baseline is not None:
            return f">= {self.min_of_baseline:g}% of {self.baseline}"
        if self.min_fraction is not None:
            return f">= {self.min_fraction:g}%"
        if self.max_p99_ms is not None:
            return f"p99 < {self.max_p99_ms:g} ms"
        return "-"

    @property
    def errors(self) -> bool:
        return (
            self.non_2xx > 0
            or self.socket_errors > 0
            or any(n.startswith("ERROR") for n in self.notes)
        )

    @property
    def met(self) -> bool | None:
        if self.result is None:
            return None
        if self.min_of_baseline is not None:
            share = self.of_baseline
            return share is not None and share >= self.min_of_baseline
        if self.min_fraction is not None:
            fraction = self.fraction
            return fraction is not None and fraction >= self.min_fraction
        if self.max_p99_ms is not None:
            return self.result.p99_us / 1000 < self.max_p99_ms
        return None

    @property
    def verdict(self) -> str:
        if self.errors:
            return "FAIL (errors)"
        if self.revision is not None:  # measured for comparison: targets are the current's
            return "baseline" if self.result is not None else "skipped"
        met = self.met
        if met is None:
            return "report"
        return "pass" if met else "FAIL"


@define
class Target:
    """A service the scenarios run against: the current tree's, or the baseline revision's."""

    port: int
    service: Process
    limited_port: int = LIMITED_PORT
    limited: Process | None = None  # the -limited twin (access control and limits on)
    api_key: str | None = None  # sent by the scenarios with access control on
    revision: str | None = None  # None: the current tree
    metrics: bool = True  # its /metrics answers (an old baseline's may not)
    limited_skipped: str | None = None  # why the baseline runs no -limited scenario

    @property
    def suffix(self) -> str:
        return "" if self.revision is None else f" ({self.revision})"


@define
class Streams:
    """Where the next wrk run starts in the permuted ids and the query list."""

    detail: int = 0
    search: int = 0
    runs: int = 0

    def advance(self, result: WrkResult) -> None:
        self.detail += result.generated_detail
        self.search += result.generated_search


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.streams = Streams()
        self.token = f"{int(time.time()) % 10**8:x}"
        self.rows: list[Row] = []
        self.bare: dict[int, WrkResult] = {}
        self.rss_max_bytes: int | None = None
        self.rss_samples = 0
        self.redis_url: str = args.redis_url
        self.query_count = 0
        self.catalogue: Catalogue | None = None
        self.load_before: float | None = None
        self.api_key: str | None = None  # sent by the scenarios with access control on
        self.baseline: Baseline | None = None  # --baseline: the revision measured first
        self.baseline_rss_max_bytes: int | None = None
        self.baseline_rss_samples = 0
        self.baseline_notes: list[str] = []

    # -- environment ------------------------------------------------------------------

    def flush_cache(self) -> None:
        """FLUSHDB on the bench's own Redis database (never database 0)."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            client.flushdb()
        finally:
            client.close()

    def prepare(self) -> None:
        catalogue = ensure_catalogue(
            self.args.database_url, books=self.args.books, authors=self.args.authors, log=log
        )
        self.catalogue = catalogue
        words = title_words(catalogue.url)
        queries = build_queries(words, MAX_QUERIES)
        self.query_count = len(queries)
        (self.workdir / "queries.txt").write_text("\n".join(queries) + "\n")
        names = [quote_plus(name) for name in surnames(catalogue.url)]
        (self.workdir / "surnames.txt").write_text("\n".join(names) + "\n")
        log(
            f"catalogue: {catalogue.books} books, ids {catalogue.min_book_id}.."
            f"{catalogue.max_book_id}; {len(words)} title words, {len(queries)} unique"
            f" search queries; {len(names)} surnames"
        )

    def wrk_env(self, *, ids: tuple[int, int], order: str, phase: str) -> dict[str, str]:
        assert self.catalogue is not None
        self.streams.runs += 1
        return {
            "BENCH_API_KEY": self.api_key or "",
            "BENCH_SEED": str(self.streams.runs),
            "BENCH_ID_MIN": str(ids[0]),
            "BENCH_ID_COUNT": str(ids[1]),
            "BENCH_ID_ORDER": order,
            "BENCH_DETAIL_START": str(self.streams.detail),
            "BENCH_SEARCH_START": str(self.streams.search),
            "BENCH_QUERIES": str(self.workdir / "queries.txt"),
            "BENCH_SURNAMES": str(self.workdir / "surnames.txt"),
            "BENCH_AUTHOR_IDS": ",".join(map(str, self.catalogue.author_ids)),
            "BENCH_TOKEN": f"{self.token}{phase}{self.streams.runs}",
        }

    # -- measuring --------------------------------------------------------------------

    def measure(
        self,
        row: Row,
        *,
        port: int,
        script: str,
        path: str = "/",
        ids: tuple[int, int] = (1, 1),
        warmup_order: str = "random",
        order: str = "random",
        cold: bool = False,
        fill: int = 0,
        service: Process | None = None,
        metrics: bool = True,
    ) -> Row:
        """Warm up, then measure; `cold` empties the cache before the measured run.

        `fill`: warm up until the (permuted) warm-up requests have read that many ids, so a
        cached scenario finds every hot id in the cache. `metrics`: the service's /metrics
        can be read (else only wrk counts failed requests).
        """
        base = f"http://127.0.0.1:{port}"
        url = base + path
        log(f"{row.scenario} ({row.connections} conn): warm-up {self.args.warmup:g} s")
        metered = service is not None and metrics
        before: Snapshot | None = snapshot(base) if metered else None
        try:
            if cold:
                self.flush_cache()
            warm = run_wrk(
                url,
                script,
                connections=row.connections,
                duration=self.args.warmup,
                env=self.wrk_env(ids=ids, order=warmup_order, phase="w"),
            )
            self.streams.advance(warm)
            rounds = 1
            while warm.generated_detail < fill and rounds < MAX_FILL_ROUNDS:
                # Not every hot id read yet: go on through the permutation where it stopped.
                more = run_wrk(
                    url,
                    script,
                    connections=row.connections,
                    duration=self.args.warmup,
                    env=self.wrk_env(ids=ids, order=warmup_order, phase="w"),
                )
                self.streams.advance(more)
                warm = combined(warm, more)
                rounds += 1
            if cold:
                self.flush_cache()
            start = snapshot(base) if metered else None
            log(f"{row.scenario} ({row.connections} conn): measuring {self.args.duration:g} s")
            result = run_wrk(
                url,
                script,
                connections=row.connections,
                duration=self.args.duration,
                env=self.wrk_env(ids=ids, order=order, phase="m"),
            )
            self.streams.advance(result)
        except WrkFailed as error:
            row.notes.append(f"ERROR: {error}")
            self.rows.append(row)
            return row
        row.result = result
        row.socket_errors = warm.socket_errors + result.socket_errors
        wrk_non_2xx = warm.non2xx + result.non2xx
        if service is not None:
            service.check_alive()
        if service is not None and before is not None:
            after = snapshot(base)
            if start is not None:  # the measured run only
                row.cache = cache_results(start, after)
                row.cache_hits_pct = cache_hit_pct(row.cache)
            grown = non_2xx_between(before, after)
            row.non_2xx_detail = {f"{route} {status}": n for (route, status), n in grown.items()}
            row.non_2xx = max(wrk_non_2xx, sum(grown.values()))
        else:
            row.non_2xx = wrk_non_2xx
        if self.streams.search > self.query_count:
            row.notes.append(
                f"ERROR: ran out of unique search queries ({self.query_count}); queries repeated"
            )
        if cold and script in ("detail", "mixed") and result.generated_detail > ids[1]:
            row.notes.append("ids repeated within the measured run (more requests than books)")
        if warm.generated_detail < fill:
            row.notes.append(f"warm-up reached {warm.generated_detail} of the {fill} hot ids only")
        self.rows.append(row)
        log(
            f"  {result.rps:,.0f} req/s, p50 {result.p50_us / 1000:.2f} ms,"
            f" p99 {result.p99_us / 1000:.2f} ms, non-2xx {row.non_2xx}"
        )
        return row

    def selected(self, name: str) -> bool:
        return not self.args.only or name in self.args.only

    def service_env(self, namespace: str = NAMESPACE) -> dict[str, str]:
        return {
            "LIBRARY_DATABASE_URL": self.args.database_url,
            "LIBRARY_REDIS_URL": self.redis_url,
            "LIBRARY_CACHE_NAMESPACE": namespace,
        }

    def limited_env(self, namespace: str = NAMESPACE) -> dict[str, str]:
        """Access control in its default mode, both rate limits on with unreachable budgets."""
        return {
            **self.service_env(namespace),
            "LIBRARY_AUTH": "writes",
            "LIBRARY_RATE_LIMIT_READ": UNREACHABLE_BUDGET,
            "LIBRARY_RATE_LIMIT_WRITE": UNREACHABLE_BUDGET,
        }

    # -- the run ----------------------------------------------------------------------

    def run(self) -> None:
        self.load_before = os.getloadavg()[0]
        if self.args.baseline is not None:
            self.baseline = prepare_baseline(self.args.baseline, log=log)
            if not self.baseline.cache_namespace:
                self.baseline_notes.append(
                    "its code reads no LIBRARY_CACHE_NAMESPACE: it caches under its default"
                    " namespace (not the bench's)"
                )
        self.prepare()
        self.flush_cache()
        with start_bare(port=BARE_PORT, log_path=self.workdir / "bare.log") as bare:
            for connections in (CONNECTIONS, 1):
                row = Row("bare-asgi", "bare ASGI app, constant JSON", connections)
                self.measure(row, port=BARE_PORT, script="fixed", path="/")
                if row.result is not None:
                    self.bare[connections] = row.result
            bare.check_alive()
        log(f"service logs: {self.workdir}")
        try:
            if any(self.selected(name) for name in SCENARIOS if name != "workers-2"):
                self.run_pinned_worker()
            if self.selected("workers-2"):
                self.run_two_workers()
        finally:
            rps = {row.scenario: row.result.rps for row in self.rows if row.result is not None}
            for row in self.rows:
                if row.connections in self.bare:
                    row.bare_rps = self.bare[row.connections].rps
                suffix = "" if row.revision is None else f" ({row.revision})"
                if row.baseline is not None:  # the -limited row's drop-in twin, same service
                    row.baseline_rps = rps.get(row.baseline + suffix, 0.0)
                if self.baseline is not None and row.revision is None:
                    row.revision_rps = rps.get(f"{row.scenario} ({self.baseline.revision})", 0.0)

    def run_pinned_worker(self) -> None:
        """Every scenario but workers-2, against one worker on core 0, sampling its memory.

        The `-limited` scenarios run right after their drop-in twins, against a second worker
        on the same core (idle while the other is measured) with access control in its
        default mode and both limits on: the pair is measured minutes apart at most, so the
        machine's drift between them stays small. With --baseline, that revision's worker
        (and its `-limited` twin) runs on the same core too, idle but while measured, each
        scenario measured against it right before the current one.
        """
        with contextlib.ExitStack() as stack:
            service = stack.enter_context(
                start_library(
                    port=LIBRARY_PORT,
                    workers=1,
                    cores=SERVICE_CORE,
                    env=self.service_env(),
                    log_path=self.workdir / "library-1-worker.log",
                )
            )
            limited = None
            if any(self.selected(name) for name in LIMITED):
                self.api_key = create_key(self.args.database_url, "bench writer", "catalogue:write")
                limited = stack.enter_context(
                    start_library(
                        port=LIMITED_PORT,
                        workers=1,
                        cores=SERVICE_CORE,
                        env=self.limited_env(),
                        log_path=self.workdir / "library-limited.log",
                    )
                )
            targets = [Target(LIBRARY_PORT, service, limited=limited, api_key=self.api_key)]
            if self.baseline is not None:
                baseline = self.start_baseline(
                    stack,
                    workers=1,
                    cores=SERVICE_CORE,
                    limited=limited is not None,
                    log_name="1-worker",
                )
                targets.insert(0, baseline)
                baseline_rss = stack.enter_context(RssSampler(baseline.service.pid))
            rss = stack.enter_context(RssSampler(service.pid))
            try:
                self.run_one_worker(targets)
            finally:
                self.rss_max_bytes = rss.max_bytes or None
                self.rss_samples = rss.samples
                if self.baseline is not None:
                    self.baseline_rss_max_bytes = baseline_rss.max_bytes or None
                    self.baseline_rss_samples = baseline_rss.samples

    def start_baseline(
        self,
        stack: contextlib.ExitStack,
        *,
        workers: int,
        cores: str | None,
        limited: bool,
        log_name: str,
    ) -> Target:
        """The baseline revision's service (stopped with `stack`), and its -limited twin.

        It gets the current service's environment but for its cache namespace, and only the
        `library serve` options its revision has; the twin needs `library keys create` there.
        """
        baseline = self.baseline
        assert baseline is not None
        revision = baseline.revision
        service = stack.enter_context(
            start_library(
                port=BASELINE_PORT,
                workers=workers if "--workers" in baseline.serve_options else None,
                cores=cores,
                env=self.service_env(BASELINE_NAMESPACE),
                log_path=self.workdir / f"library-{log_name}-baseline.log",
                executable=baseline.library,
                cwd=baseline.directory,
                drop=FOREIGN,
                name=f"library serve of {revision}",
            )
        )
        target = Target(
            BASELINE_PORT,
            service,
            limited_port=BASELINE_LIMITED_PORT,
            revision=revision,
            metrics=self.metrics_answer(BASELINE_PORT),
        )
        if not limited:
            return target
        if not baseline.keys:
            target.limited_skipped = (
                f"{revision} has no `library keys create` to make the API key these scenarios"
                " send, so they run for the current tree only"
            )
            return target
        try:
            target.api_key = create_key(
                self.args.database_url,
                "bench writer (baseline)",
                "catalogue:write",
                executable=baseline.library,
                cwd=baseline.directory,
                drop=FOREIGN,
            )
        except subprocess.CalledProcessError as error:
            reason = (error.stderr or "").strip().splitlines()[-1:] or [f"exit {error.returncode}"]
            target.limited_skipped = f"`library keys create` of {revision} failed: {reason[0]}"
            return target
        target.limited = stack.enter_context(
            start_library(
                port=BASELINE_LIMITED_PORT,
                workers=workers if "--workers" in baseline.serve_options else None,
                cores=cores,
                env=self.limited_env(BASELINE_NAMESPACE),
                log_path=self.workdir / "library-limited-baseline.log",
                executable=baseline.library,
                cwd=baseline.directory,
                drop=FOREIGN,
                name=f"library serve of {revision}",
            )
        )
        return target

    def metrics_answer(self, port: int) -> bool:
        """Whether a baseline's /metrics can be read (with the bench's token: harmless)."""
        try:
            snapshot(f"http://127.0.0.1:{port}")
        except httpx.HTTPError as error:
            self.baseline_notes.append(
                f"its /metrics did not answer ({error}): only wrk counts its failed requests,"
                " and its cache hits are not known"
            )
            return False
        return True

    def run_two_workers(self) -> None:
        self.flush_cache()
        with contextlib.ExitStack() as stack:
            targets: list[Target] = []
            if self.baseline is not None:
                if "--workers" in self.baseline.serve_options:
                    targets.append(
                        self.start_baseline(
                            stack, workers=2, cores=None, limited=False, log_name="2-workers"
                        )
                    )
                else:
                    self.skipped(
                        "workers-2",
                        self.baseline.revision,
                        f"{self.baseline.revision}'s `library serve` has no --workers",
                    )
            service = stack.enter_context(
                start_library(
                    port=LIBRARY_PORT,
                    workers=2,
                    cores=None,
                    env=self.service_env(),
                    log_path=self.workdir / "library-2-workers.log",
                )
            )
            targets.append(Target(LIBRARY_PORT, service, api_key=self.api_key))
            for target in targets:
                self.cached_detail(
                    target, "workers-2", "cached GET /books/{id}, serve --workers 2", CONNECTIONS
                )

    def skipped(self, name: str, revision: str, reason: str) -> None:
        """A baseline row that could not be measured, with why."""
        self.rows.append(
            Row(f"{name} ({revision})", reason, CONNECTIONS, revision=revision, notes=[reason])
        )

    def cached_detail(
        self,
        target: Target,
        name: str,
        description: str,
        connections: int,
        limited: bool = False,
        **targets: float | str,
    ) -> None:
        assert self.catalogue is not None
        hot = (self.catalogue.min_book_id, HOT_IDS)
        self.streams.detail = 0  # the permutation of the hot ids from its start
        self.api_key = target.api_key
        self.measure(
            Row(
                name + target.suffix,
                description,
                connections,
                revision=target.revision,
                **targets,  # type: ignore[arg-type]
            ),
            port=target.limited_port if limited else target.port,
            script="detail",
            ids=hot,
            warmup_order="permuted",
            fill=HOT_IDS,
            service=target.limited if limited else target.service,
            metrics=target.metrics,
        )

    def run_one_worker(self, targets: list[Target]) -> None:
        """The scenarios in their order; each against every target (the baseline first)."""
        assert self.catalogue is not None
        catalogue = self.catalogue
        span = (catalogue.min_book_id, catalogue.max_book_id - catalogue.min_book_id + 1)
        for name in PINNED:
            if not self.selected(name):
                continue
            for target in targets:
                if name in LIMITED and target.limited is None:
                    assert target.revision is not None  # the current tree's twin always runs
                    self.skipped(name, target.revision, target.limited_skipped or "no twin")
                    continue
                self.api_key = target.api_key
                self.scenario(name, target, span)

    def scenario(self, name: str, target: Target, span: tuple[int, int]) -> None:
        """Measure one scenario (any but workers-2) against `target`."""

        def row(description: str, connections: int, **targets: float | str) -> Row:
            return Row(
                name + target.suffix,
                description,
                connections,
                revision=target.revision,
                **targets,  # type: ignore[arg-type]
            )

        port, service, metrics = target.port, target.service, target.metrics
        if name == "cached-detail":
            self.cached_detail(
                target,
                name,
                f"cached GET /books/{{id}}, {HOT_IDS} hot ids",
                CONNECTIONS,
                min_fraction=20,
            )
        elif name == "cached-detail-limited":
            twin, share = LIMITED[name]
            self.cached_detail(
                target,
                name,
                "cached-detail, access control and read limit on",
                CONNECTIONS,
                limited=True,
                baseline=twin,
                min_of_baseline=share,
            )
        elif name == "cached-detail-1c":
            self.cached_detail(
                target, name, f"cached GET /books/{{id}}, {HOT_IDS} hot ids", 1, max_p99_ms=2
            )
        elif name == "cold-detail":
            self.measure(
                row("GET /books/{id}, every id once, cache emptied", CONNECTIONS, min_fraction=8),
                port=port,
                script="detail",
                ids=span,
                warmup_order="permuted",
                order="permuted",
                cold=True,
                service=service,
                metrics=metrics,
            )
        elif name == "first-page":
            self.measure(
                row("GET /books?limit=20", CONNECTIONS, min_fraction=18),
                port=port,
                script="fixed",
                path="/books?limit=20",
                service=service,
                metrics=metrics,
            )
        elif name in ("cold-search", "cold-search-1c"):
            connections, targets = {
                "cold-search": (CONNECTIONS, {"min_fraction": 0.7}),
                "cold-search-1c": (1, {"max_p99_ms": 25.0}),
            }[name]
            self.measure(
                row(
                    "GET /books?q=<2 title words>&limit=20, never repeated, cache emptied",
                    connections,
                    **targets,
                ),
                port=port,
                script="search",
                cold=True,
                service=service,
                metrics=metrics,
            )
        elif name == "authors-search":
            self.measure(
                row("GET /authors?q=<surname>", CONNECTIONS),
                port=port,
                script="authors",
                service=service,
                metrics=metrics,
            )
        elif name == "post-book":
            self.measure(
                row("POST /books with 1-2 author ids", CONNECTIONS, min_fraction=3),
                port=port,
                script="post_book",
                service=service,
                metrics=metrics,
            )
        elif name == "post-book-limited":
            twin, share = LIMITED[name]
            self.measure(
                row(
                    "post-book with an API key, write limit on",
                    CONNECTIONS,
                    baseline=twin,
                    min_of_baseline=share,
                ),
                port=target.limited_port,
                script="post_book",
                service=target.limited,
                metrics=metrics,
            )
        elif name == "post-review":
            self.measure(
                row("POST /books/{id}/reviews, unique reviewers", CONNECTIONS, min_fraction=3),
                port=port,
                script="post_review",
                ids=span,
                service=service,
                metrics=metrics,
            )
        elif name == "mixed":
            self.measure(
                row(
                    "70% cold detail, 20% cold search, 5% POST book, 5% POST review",
                    CONNECTIONS,
                    min_fraction=2.5,
                ),
                port=port,
                script="mixed",
                ids=span,
                warmup_order="permuted",
                order="permuted",
                cold=True,
                service=service,
                metrics=metrics,
            )
        else:
            raise AssertionError(f"no such scenario {name}")

    # -- reporting --------------------------------------------------------------------

    def table(self) -> str:
        compare = self.baseline is not None  # --baseline: a column of current / baseline
        header = (
            "scenario",
            "conns",
            "req/s",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "cache hits",
            "% of bare",
            *(["% of baseline"] if compare else []),
            "target",
            "result",
        )
        lines: list[tuple[str, ...]] = [header]
        for row in self.rows:
            r = row.result
            fraction = row.fraction
            share = row.of_revision
            lines.append(
                (
                    row.scenario,
                    str(row.connections),
                    f"{r.rps:,.0f}" if r else "-",
                    f"{r.p50_us / 1000:.2f}" if r else "-",
                    f"{r.p99_us / 1000:.2f}" if r else "-",
                    str(row.non_2xx + row.socket_errors) if r else "-",
                    "-" if row.cache_hits_pct is None else f"{row.cache_hits_pct:.0f}%",
                    "-" if row.scenario == "bare-asgi" or fraction is None else f"{fraction:.2f}",
                    *([] if not compare else ["-" if share is None else f"{share:.1f}%"]),
                    row.target,
                    row.verdict,
                )
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        left = (0, len(header) - 2, len(header) - 1)  # scenario, target, result
        out = []
        for index, line in enumerate(lines):
            cells = [
                cell.ljust(widths[i]) if i in left else cell.rjust(widths[i])
                for i, cell in enumerate(line)
            ]
            out.append("  ".join(cells).rstrip())
            if index == 0:
                out.append("  ".join("-" * w for w in widths))
        out.append("")
        if self.rss_max_bytes is not None:
            mb = self.rss_max_bytes / 2**20
            verdict = "pass" if mb < RSS_TARGET_MB else "FAIL"
            out.append(
                f"memory: max VmRSS of the one worker during the load {mb:.1f} MB"
                f" ({self.rss_samples} samples), target < {RSS_TARGET_MB:g} MB: {verdict}"
            )
        if self.baseline is not None:
            out.extend(self.baseline_lines())
        if self.load_before is not None and self.load_before > 0.5:
            out.append(
                f"load average before the run: {self.load_before:.2f} (other work on this"
                f" {os.cpu_count()}-core machine skews these figures)"
            )
        for row in self.rows:
            for note in row.notes:
                out.append(f"{row.scenario} ({row.connections} conn): {note}")
            if row.cache and set(row.cache) != {"hit"}:
                results = ", ".join(f"{k} {v}" for k, v in row.cache.items())
                out.append(f"{row.scenario} ({row.connections} conn): cached reads: {results}")
            if row.non_2xx_detail:
                detail = ", ".join(f"{k}: {v}" for k, v in sorted(row.non_2xx_detail.items()))
                out.append(f"{row.scenario} ({row.connections} conn): non-2xx answers: {detail}")
            if row.socket_errors:
                out.append(
                    f"{row.scenario} ({row.connections} conn): {row.socket_errors} socket"
                    " errors or time-outs"
                )
        return "\n".join(out).rstrip() + "\n"

    def baseline_lines(self) -> list[str]:
        """Under the table with --baseline: what the baseline was, where it is kept."""
        baseline = self.baseline
        assert baseline is not None
        where = baseline.directory
        lines = [
            f"baseline {baseline.revision} = commit {baseline.commit[:12]}: the rows"
            f" `<scenario> ({baseline.revision})`, each measured right before the current row;"
            " % of baseline = current req/s / baseline req/s",
            f"baseline {baseline.revision}: installed (non-editable) in {where}/venv, cache"
            f" namespace {BASELINE_NAMESPACE}; kept for later runs (`rm -r {where}` removes it)",
        ]
        if self.baseline_rss_max_bytes is not None:
            lines.append(
                f"baseline {baseline.revision}: max VmRSS of its one worker during the load"
                f" {self.baseline_rss_max_bytes / 2**20:.1f} MB ({self.baseline_rss_samples}"
                " samples)"
            )
        lines.extend(f"baseline {baseline.revision}: {note}" for note in self.baseline_notes)
        return lines

    def as_json(self) -> dict[str, object]:
        compare = self.baseline is not None
        hidden = {"result"} if compare else {"result", "revision", "revision_rps"}
        data: dict[str, object] = {
            "books": self.args.books,
            "duration_s": self.args.duration,
            "warmup_s": self.args.warmup,
            "load_average_before": self.load_before,
            "rows": [
                {
                    **{k: v for k, v in asdict(row).items() if k not in hidden},
                    "result": asdict(row.result) if row.result else None,
                    "rps": row.result.rps if row.result else None,
                    "fraction_of_bare_pct": row.fraction,
                    **({"of_baseline_pct": row.of_revision} if compare else {}),
                    "target": row.target,
                    "verdict": row.verdict,
                }
                for row in self.rows
            ],
            "rss_max_mb": None if self.rss_max_bytes is None else self.rss_max_bytes / 2**20,
            "rss_target_mb": RSS_TARGET_MB,
        }
        if self.baseline is not None:
            rss = self.baseline_rss_max_bytes
            data["baseline"] = {
                "revision": self.baseline.revision,
                "commit": self.baseline.commit,
                "directory": str(self.baseline.directory),
                "cache_namespace": BASELINE_NAMESPACE,
                "rss_max_mb": None if rss is None else rss / 2**20,
                "notes": self.baseline_notes,
            }
        return data

    @property
    def failed(self) -> bool:
        return any(row.errors for row in self.rows) or not self.rows

    @property
    def missed(self) -> bool:
        memory = self.rss_max_bytes is not None and self.rss_max_bytes / 2**20 >= RSS_TARGET_MB
        # A baseline row has no target of its own: it is there to compare with.
        return memory or any(row.met is False for row in self.rows if row.revision is None)


def combined(first: WrkResult, second: WrkResult) -> WrkResult:
    """Two warm-up runs as one: only the counts matter."""
    return evolve(
        first,
        requests=first.requests + second.requests,
        non2xx=first.non2xx + second.non2xx,
        socket_errors=first.socket_errors + second.socket_errors,
        generated_detail=first.generated_detail + second.generated_detail,
        generated_search=first.generated_search + second.generated_search,
        generated_write=first.generated_write + second.generated_write,
    )


def build_queries(words: list[str], limit: int) -> list[str]:
    """URL-encoded unique queries: every pair of title words, then triples, each shuffled."""
    rng = random.Random(7)
    pairs = [" ".join(p) for p in itertools.combinations(words, 2)]
    rng.shuffle(pairs)
    queries = pairs[:limit]
    if len(queries) < limit:
        triples = [" ".join(t) for t in itertools.combinations(words, 3)]
        rng.shuffle(triples)
        queries += triples[: limit - len(queries)]
    return [quote_plus(q) for q in queries]


def log(message: str) -> None:
    log_stderr(message)


def _redis_db(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path.isdigit() else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up before each")
    parser.add_argument("--books", type=int, default=50_000, help="catalogue size")
    parser.add_argument("--authors", type=int, default=116, help="authors in the catalogue")
    parser.add_argument(
        "--only",
        type=lambda text: [s.strip() for s in text.split(",") if s.strip()],
        default=[],
        help=f"comma-separated scenarios (the bare app always runs): {', '.join(SCENARIOS)}",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--strict", action="store_true", help="exit 3 when a target is missed (errors exit 1)"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the service logs")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also measure git revision REV of this repository (installed in a venv of its own"
        " under $TMPDIR, kept for later runs), each scenario right before the current tree",
    )
    args = parser.parse_args(argv)
    unknown = [s for s in args.only if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    if args.baseline is not None:
        try:
            resolve(args.baseline)
        except (ValueError, OSError) as error:
            parser.error(f"--baseline: {error}")
    args.database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/library_bench"
    )
    args.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    if _redis_db(args.redis_url) == 0:
        parser.error("BENCH_REDIS_URL must name a Redis database other than 0 (it is flushed)")
    return args


def main(argv: list[str] | None = None, *, out: Callable[[str], object] = print) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="library-bench-"))
    bench = Bench(args, workdir)
    interrupted = False
    try:
        bench.run()
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted")
    except Exception as error:
        log(f"bench failed: {error}")
        bench.rows.append(Row("harness", str(error)[:60], 0, notes=[f"ERROR: {error}"]))
    out("")
    out(bench.table())
    if args.json:
        args.json.write_text(json.dumps(bench.as_json(), indent=2) + "\n")
    if bench.failed or interrupted:
        out(f"service logs kept in {workdir}")
        return 1
    if args.keep_logs:
        out(f"service logs kept in {workdir}")
    else:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    if args.strict and bench.missed:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
