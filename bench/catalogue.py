"""The benchmark databases: made once with `library seed`, reused while they hold it.

Only databases whose name starts with `library_bench` are ever dropped or created. A database
carries a marker (its COMMENT) naming what was loaded into it and the highest book id of the
loaded catalogue; a later run finding the marker deletes what earlier runs wrote (books above
that id, every review: the generated catalogue has none) instead of loading it again.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from attrs import frozen
from psycopg import sql

from bench.service import REPO, VENV_BIN, clean_env
from library.entrypoints.cli.catalogue_generator import generate_catalogue

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)
_MARKER = re.compile(
    r"^library-bench books=(\d+) authors=(\d+) seed=(\d+) generator=([0-9a-f]+)"
    r" max_book_id=(\d+) max_author_id=(\d+)$"
)

Log = Callable[[str], None]


class CatalogueFailed(Exception):
    """The benchmark database could not be prepared."""


@frozen
class Catalogue:
    url: str
    books: int
    min_book_id: int
    max_book_id: int
    author_ids: tuple[int, ...]


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _check_name(name: str) -> None:
    if not re.fullmatch(r"library_bench[a-z0-9_]*", name):
        raise CatalogueFailed(
            f"refusing to use database {name!r}: the bench only drops and creates databases"
            " named library_bench*"
        )


def _library(args: list[str], url: str) -> None:
    command = [str(VENV_BIN / "library"), *args]
    finished = subprocess.run(
        command,
        cwd=REPO,
        env=clean_env({"LIBRARY_DATABASE_URL": url, "LIBRARY_LOG_LEVEL": "warning"}),
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        raise CatalogueFailed(
            f"library {' '.join(args)} failed ({finished.returncode}):\n"
            f"{finished.stdout[-2000:]}\n{finished.stderr[-4000:]}"
        )


def _marker(url: str) -> re.Match[str] | None:
    name = database_name(url)
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None or row[0] is None:
        return None
    return _MARKER.match(row[0])


def generator_fingerprint(seed: int) -> str:
    """What the generator makes of a small catalogue: a database loaded by another generator
    (another vocabulary, other fields) is loaded afresh."""
    sample = generate_catalogue(books=200, authors=5, seed=seed)
    return hashlib.sha256(orjson.dumps(sample)).hexdigest()[:12]


def _search_index(url: str, log: Log) -> None:
    """Build the search index if the catalogue has none (a load above 100,000 books)."""
    started = time.perf_counter()
    _library(["search", "index"], url)
    elapsed = time.perf_counter() - started
    if elapsed > 5:
        log(f"  built the search index in {elapsed:.0f} s")


def _vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _restore(url: str, max_book_id: int, max_author_id: int, books: int, log: Log) -> bool:
    """Remove what earlier bench runs wrote; whether the catalogue is then the loaded one."""
    _library(["migrate", "apply"], url)  # migrations added since the load
    _search_index(url, log)
    with psycopg.connect(url) as connection:
        removed = connection.execute("DELETE FROM reviews").rowcount
        removed += connection.execute("DELETE FROM books WHERE id > %s", (max_book_id,)).rowcount
        removed += connection.execute(
            "DELETE FROM authors WHERE id > %s", (max_author_id,)
        ).rowcount
        row = connection.execute("SELECT count(*) FROM books").fetchone()
        count = row[0] if row else -1
    if count != books:
        log(f"  {database_name(url)} holds {count} books, not {books}: loading it afresh")
        return False
    if removed:
        log(f"  removed {removed} rows written by earlier runs")
        _vacuum(url)
    return True


def _load(url: str, books: int, authors: int, seed: int, log: Log) -> None:
    name = database_name(url)
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _library(["migrate", "apply"], url)
    with tempfile.TemporaryDirectory(prefix="library-bench-") as directory:
        data = Path(directory) / "catalogue.json"
        started = time.perf_counter()
        _library(
            [
                "seed",
                "generate",
                "--books",
                str(books),
                "--authors",
                str(authors),
                "--seed",
                str(seed),
                "--out",
                str(data),
            ],
            url,
        )
        log(f"  generated {books} books in {time.perf_counter() - started:.1f} s; loading")
        started = time.perf_counter()
        _library(["seed", "load", str(data)], url)
        log(f"  loaded in {time.perf_counter() - started:.1f} s; VACUUM ANALYZE")
    _search_index(url, log)
    _vacuum(url)
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*), max(id), (SELECT max(id) FROM authors) FROM books"
        ).fetchone()
    if row is None or row[0] != books:
        raise CatalogueFailed(f"{name}: expected {books} books after loading, found {row}")
    marker = (
        f"library-bench books={books} authors={authors} seed={seed}"
        f" generator={generator_fingerprint(seed)}"
        f" max_book_id={row[1] or 0} max_author_id={row[2] or 0}"
    )
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(marker)
            )
        )


def ensure_catalogue(url: str, *, books: int, authors: int, seed: int = 1, log: Log) -> Catalogue:
    """The database at `url` holding exactly the generated catalogue of `books` books."""
    name = database_name(url)
    _check_name(name)
    marker = _marker(url)
    wanted = (books, authors, seed, generator_fingerprint(seed))
    if marker and (int(marker[1]), int(marker[2]), int(marker[3]), marker[4]) == wanted:
        log(f"reusing {name} ({books} books)")
        reused = _restore(url, int(marker[5]), int(marker[6]), books, log)
    else:
        reused = False
    if not reused:
        log(f"loading {books} books by {authors} authors into {name} (drop and create)")
        _load(url, books, authors, seed, log)
    return describe(url)


def describe(url: str) -> Catalogue:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*), min(id), max(id) FROM books").fetchone()
        assert row is not None
        author_ids = tuple(
            r[0] for r in connection.execute("SELECT id FROM authors ORDER BY id LIMIT 1000")
        )
    return Catalogue(
        url=url, books=row[0], min_book_id=row[1], max_book_id=row[2], author_ids=author_ids
    )


def title_words(url: str) -> list[str]:
    """The distinct lower-case words of book titles, without stop words, sorted."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT DISTINCT word FROM books,"
            r" regexp_split_to_table(lower(title), '[^[:alnum:]]+') AS word WHERE word <> ''"
        ).fetchall()
    return sorted(w for (w,) in rows if w not in STOP_WORDS and not w.isdigit())


def surnames(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT DISTINCT split_part(name, ' ', 2) FROM authors"
            " WHERE split_part(name, ' ', 2) <> ''"
        ).fetchall()
    return sorted(r[0] for r in rows)


def log_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
