"""The scale benchmark: search and deep pages at 1 connection, by catalogue size, no cache.

For each size a database `library_bench_<size>` is loaded once with `library seed` (reused
afterwards, its search index built), the service is started on it WITHOUT Redis, and each
case is requested over one keep-alive connection, one request at a time: first with
LIBRARY_SEARCH_PLAN=exact (every match scored, the plan before the bounded search: "before"),
then with the default bounded plan ("after"). Next to the HTTP latency, the store's own
time: the same page read through PostgresCatalogue in this process, every statement and
round trip of the plan included (median).

Run it with `bench/scale` (see the README's Benchmarks section).
"""

from __future__ import annotations

import argparse
import asyncio
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

from bench.catalogue import ensure_catalogue, log_stderr
from bench.service import SERVICE_CORE, start_library
from library.adapters.postgres import PostgresCatalogue
from library.adapters.postgres.pool import create_pool
from library.application.catalogue import book_list_query
from library.application.cursors import encode_cursor
from library.application.list_params import BookListParams
from library.application.ports import BookFilter, BookPosition

PORT = 8102
AUTHORS_PER_50K = 116
PLANS = ("exact", "bounded")  # before, after

# Pairs of title words, single title words, author surnames with a typo, and the two
# commonest title words of the generated catalogue (the first two of its Zipf vocabulary:
# the most matches, the worst case).
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
    "silent",
    "hidden",
)
COMMONEST = ("silent", "hidden")


@define
class Case:
    name: str
    params: dict[str, str]


@define
class Timing:
    p50_ms: float | None = None
    p99_ms: float | None = None
    store_ms: float | None = None
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


def store_ms(url: str, case: Case, plan: str, repeats: int) -> float:
    """Median time of reading the page of `case` through the store, with `plan`."""
    request = book_list_query(BookListParams(**case.params))  # type: ignore[arg-type]

    async def measure() -> float:
        pool = create_pool(url, min_size=1, max_size=1)
        await pool.open(wait=True)
        try:
            catalogue = PostgresCatalogue(pool, bounded=plan == "bounded")
            times = []
            for _ in range(repeats + 1):  # the first one warms the connection
                started = time.perf_counter()
                await catalogue.books(
                    request.filter,
                    after=request.after,
                    offset=request.offset,
                    limit=request.limit + 1,
                )
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times[1:])
        finally:
            await pool.close()

    return asyncio.run(measure())


def commonest_title_words(url: str) -> list[str]:
    """The two lexemes most titles hold (the search index counts them)."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT lexeme FROM title_terms GROUP BY lexeme ORDER BY count(*) DESC LIMIT 2"
        ).fetchall()
    return [row[0] for row in rows]


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


def run_size(args: argparse.Namespace, size: int, workdir: Path) -> dict[str, dict[str, Timing]]:
    """Timings by plan, then by case."""
    url = _database_url(args.database_url, size)
    authors = max(1, AUTHORS_PER_50K * size // 50_000)
    ensure_catalogue(url, books=size, authors=authors, log=log_stderr)
    commonest = commonest_title_words(url)
    if commonest != list(COMMONEST):
        log_stderr(f"  note: the commonest title words are {commonest}, not {list(COMMONEST)}")
    found = cases(url)
    results: dict[str, dict[str, Timing]] = {}
    for plan in PLANS:
        requests = args.requests if plan == "bounded" else args.before_requests
        log_stderr(f"{size:,} books, {plan} plan: {len(found)} cases x {requests} requests")
        results[plan] = {}
        with (
            start_library(
                port=PORT,
                workers=1,
                cores=SERVICE_CORE,
                # No Redis: the cache is off.
                env={"LIBRARY_DATABASE_URL": url, "LIBRARY_SEARCH_PLAN": plan},
                log_path=workdir / f"library-{size}-{plan}.log",
            ) as service,
            httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client,
        ):
            for case in found:
                timing = measure_http(client, case, requests, args.warmup_requests)
                try:
                    timing.store_ms = store_ms(url, case, plan, args.store_repeats)
                except psycopg.Error as error:
                    timing.failures.append(f"store {case.name}: {error}")
                results[plan][_generic(case.name)] = timing
            service.check_alive()
    return results


def _generic(name: str) -> str:
    """Case names without the author id, so sizes line up in one table."""
    if name.startswith("author_id="):
        return "author_id=<first>" + name[name.index(" ") :]
    return name


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(sizes: list[int], results: dict[int, dict[str, dict[str, Timing]]], plan: str) -> str:
    names: list[str] = []
    for size in sizes:
        for name in results.get(size, {}).get(plan, {}):
            if name not in names:
                names.append(name)
    header = ["case"]
    for size in sizes:
        header += [f"{size:,} p50", "p99", "store"]
    lines = [header]
    for name in names:
        line = [name]
        for size in sizes:
            timing = results.get(size, {}).get(plan, {}).get(name)
            line += (
                [_ms(timing.p50_ms), _ms(timing.p99_ms), _ms(timing.store_ms)]
                if timing
                else ["-", "-", "-"]
            )
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    title = "after: the bounded plan" if plan == "bounded" else "before: the exact plan"
    out = [f"{title} (LIBRARY_SEARCH_PLAN={plan})", ""]
    for index, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(line)
            )
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    for size in sizes:
        for name, timing in results.get(size, {}).get(plan, {}).items():
            for failure in timing.failures:
                out.append(f"{size:,} {plan} {name}: FAILED {failure}")
    return "\n".join(out) + "\n"


LEGEND = (
    "HTTP p50/p99: ms per request over one keep-alive connection, no cache; store: the same"
    " page read through PostgresCatalogue in-process, every statement and round trip of the"
    " plan (median), ms\n"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/scale", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s) for s in text.split(",") if s.strip()],
        default=[50_000, 500_000, 2_000_000],
        help="catalogue sizes, comma-separated (default %(default)s)",
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="measured requests per case (bounded plan)"
    )
    parser.add_argument(
        "--before-requests",
        type=int,
        default=20,
        help="measured requests per case with the exact plan (seconds each at 2,000,000)",
    )
    parser.add_argument("--warmup-requests", type=int, default=3, help="unmeasured first ones")
    parser.add_argument("--store-repeats", type=int, default=5)
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
    results: dict[int, dict[str, dict[str, Timing]]] = {}
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
    for plan in reversed(PLANS):
        print(table(args.sizes, results, plan))
    print(LEGEND)
    failed = failed or any(
        t.failures for r in results.values() for p in r.values() for t in p.values()
    )
    if args.json:
        document = {
            str(size): {plan: {n: asdict(t) for n, t in cases.items()} for plan, cases in r.items()}
            for size, r in results.items()
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    if failed:
        print(f"service logs kept in {workdir}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
