"""The scale benchmark: search and deep pages at 1 connection, by catalogue size, no cache.

For each size a database `library_bench_<size>` is loaded once with `library seed` (reused
afterwards), the service is started on it WITHOUT Redis, and each case is requested over one
keep-alive connection, one request at a time. Next to the HTTP latency, PostgreSQL's own
execution time of the same statement (EXPLAIN ANALYZE, built as the HTTP path builds it).

Run it with `bench/scale` (see the README's Benchmarks section).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import psycopg
from attrs import asdict, define, field
from psycopg import sql

from bench.catalogue import ensure_catalogue, log_stderr
from bench.service import SERVICE_CORE, start_library
from library.adapters.postgres.book_list import book_list
from library.adapters.postgres.pool import create_pool
from library.application.catalogue import book_list_query
from library.application.cursors import encode_cursor
from library.application.list_params import BookListParams
from library.application.ports import BookFilter, BookPosition

PORT = 8102
AUTHORS_PER_50K = 116

# Pairs of title words, single title words, author surnames with a typo.
SEARCHES = (
    "silent river",
    "golden empire",
    "lost lighthouse",
    "midnight garden",
    "frozen harbor",
    "labyrinth",
    "venice",
    "zimmerman",
    "fernandes",
    "kowalsky",
)


@define
class Case:
    name: str
    params: dict[str, str]


@define
class Timing:
    p50_ms: float | None = None
    p99_ms: float | None = None
    pg_ms: float | None = None
    failures: list[str] = field(factory=list)


def _database_url(base: str, size: int) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/library_bench_{size}"))


def cases(url: str) -> list[Case]:
    """The searches, and deep pages positioned about 90% through their list."""
    found = [Case(f"q={q}", {"q": q, "limit": "20"}) for q in SEARCHES]
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT id FROM books ORDER BY id OFFSET (SELECT count(*) * 9 / 10 FROM books) LIMIT 1"
        ).fetchone()
        deep_id = row[0] if row else 1
        row = connection.execute("SELECT min(id) FROM authors").fetchone()
        author_id = row[0] if row else 1
        row = connection.execute(
            "SELECT book_id FROM book_authors WHERE author_id = %(a)s ORDER BY book_id"
            " OFFSET (SELECT count(*) * 9 / 10 FROM book_authors WHERE author_id = %(a)s)"
            " LIMIT 1",
            {"a": author_id},
        ).fetchone()
        author_deep_id = row[0] if row else 1
    deep = encode_cursor(BookFilter(), BookPosition((), deep_id))
    found.append(Case("deep keyset page (id order, 90%)", {"cursor": deep, "limit": "20"}))
    by_author = BookFilter(author_id=author_id)
    found.append(
        Case(f"author_id={author_id} first page", {"author_id": str(author_id), "limit": "20"})
    )
    found.append(
        Case(
            f"author_id={author_id} deep page (90%)",
            {
                "author_id": str(author_id),
                "limit": "20",
                "cursor": encode_cursor(by_author, BookPosition((), author_deep_id)),
            },
        )
    )
    return found


def _options(url: str) -> str:
    """The options the service's pool connects with, plus jit=off."""
    pool = create_pool(url)
    kwargs = pool.kwargs
    options = str(kwargs.get("options", "")) if isinstance(kwargs, dict) else ""
    if "jit=" not in options:
        options = f"{options} -c jit=off".strip()
    return options


def explain_ms(url: str, case: Case, repeats: int) -> float:
    """Median execution time PostgreSQL reports for the statement of `case`."""
    request = book_list_query(BookListParams(**case.params))  # type: ignore[arg-type]
    statement = book_list(
        request.filter, after=request.after, offset=request.offset, limit=request.limit + 1
    )
    query = sql.SQL("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ") + statement.query
    times = []
    with psycopg.connect(url, autocommit=True, options=_options(url)) as connection:
        for _ in range(repeats):
            row = connection.execute(query, statement.params).fetchone()
            assert row is not None
            plan = row[0] if isinstance(row[0], list) else json.loads(row[0])
            times.append(float(plan[0]["Execution Time"]))
    return statistics.median(times)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def measure_http(client: httpx.Client, case: Case, requests: int, warmup: int) -> Timing:
    timing = Timing()
    durations: list[float] = []
    path = "/books?" + urlencode(case.params)
    for index in range(warmup + requests):
        started = time.perf_counter()
        answer = client.get(path)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            timing.failures.append(f"GET {path} -> {answer.status_code}: {answer.text[:300]}")
            break
        if index >= warmup:
            durations.append(elapsed * 1000)
    if durations:
        timing.p50_ms = _percentile(durations, 50)
        timing.p99_ms = _percentile(durations, 99)
    return timing


def run_size(args: argparse.Namespace, size: int, workdir: Path) -> dict[str, Timing]:
    url = _database_url(args.database_url, size)
    authors = max(1, AUTHORS_PER_50K * size // 50_000)
    ensure_catalogue(url, books=size, authors=authors, log=log_stderr)
    found = cases(url)
    results: dict[str, Timing] = {}
    log_stderr(f"{size:,} books: {len(found)} cases x {args.requests} requests")
    with (
        start_library(
            port=PORT,
            workers=1,
            cores=SERVICE_CORE,
            env={"LIBRARY_DATABASE_URL": url},  # no Redis: the cache is off
            log_path=workdir / f"library-{size}.log",
        ) as service,
        httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client,
    ):
        for case in found:
            timing = measure_http(client, case, args.requests, args.warmup_requests)
            try:
                timing.pg_ms = explain_ms(url, case, args.explain_repeats)
            except (psycopg.Error, KeyError, IndexError) as error:
                timing.failures.append(f"EXPLAIN {case.name}: {error}")
            results[_generic(case.name)] = timing
        service.check_alive()
    return results


def _generic(name: str) -> str:
    """Case names without the author id, so sizes line up in one table."""
    if name.startswith("author_id="):
        return "author_id=<first>" + name[name.index(" ") :]
    return name


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(sizes: list[int], results: dict[int, dict[str, Timing]]) -> str:
    names: list[str] = []
    for size in sizes:
        for name in results.get(size, {}):
            if name not in names:
                names.append(name)
    header = ["case"]
    for size in sizes:
        header += [f"{size:,} p50", "p99", "pg"]
    lines = [header]
    for name in names:
        line = [name]
        for size in sizes:
            timing = results.get(size, {}).get(name)
            line += (
                [_ms(timing.p50_ms), _ms(timing.p99_ms), _ms(timing.pg_ms)]
                if timing
                else ["-", "-", "-"]
            )
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(line)
            )
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    out.append(
        "HTTP p50/p99: ms per request over one keep-alive connection, no cache;"
        " pg: PostgreSQL's execution time (EXPLAIN ANALYZE, median), ms"
    )
    for size in sizes:
        for name, timing in results.get(size, {}).items():
            for failure in timing.failures:
                out.append(f"{size:,} {name}: FAILED {failure}")
    return "\n".join(out) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/scale", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s) for s in text.split(",") if s.strip()],
        default=[50_000, 500_000, 2_000_000],
        help="catalogue sizes, comma-separated (default %(default)s)",
    )
    parser.add_argument("--requests", type=int, default=50, help="measured requests per case")
    parser.add_argument("--warmup-requests", type=int, default=3, help="unmeasured first ones")
    parser.add_argument("--explain-repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    args.database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/library_bench"
    )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"library-bench-scale-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Timing]] = {}
    failed = False
    try:
        for size in args.sizes:
            results[size] = run_size(args, size, workdir)
    except KeyboardInterrupt:
        failed = True
        log_stderr("interrupted")
    except Exception as error:
        failed = True
        log_stderr(f"scale bench failed: {error}")
    print(table(args.sizes, results))
    failed = failed or any(t.failures for r in results.values() for t in r.values())
    if args.json:
        args.json.write_text(
            json.dumps(
                {str(s): {n: asdict(t) for n, t in r.items()} for s, r in results.items()},
                indent=2,
            )
            + "\n"
        )
    if failed:
        print(f"service logs kept in {workdir}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
