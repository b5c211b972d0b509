"""`library search index`: build the search index for the books stored before it existed.

Migration 0008 indexes a catalogue of fewer than 100,000 books itself; a larger one is
indexed here, outside the migration lock, while the service keeps answering (its searches
score every match until the index is ready). Interrupted, it resumes where it stopped.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from library.application.ports import SearchIndexProgress
from library.application.search_index import BuildSearchIndex
from library.config import Settings
from library.container import Container
from library.entrypoints.cli.on_storage import on_storage

# Progress goes out at most this often (seconds): a line a batch floods a terminal.
REPORT_EVERY = 5.0


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    parser: argparse.ArgumentParser = commands.add_parser("search", help="search index")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser(
        "index",
        help="index the books stored before the search index existed",
        description="Index every book not indexed yet, in short batches (writers wait one"
        " batch at most), then mark the index ready: from then on searches score only what"
        " can reach their page. Safe to run while the service serves, and again.",
    ).set_defaults(run=index)


def index(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.in_memory:
        print("library search index: the in-memory catalogue needs no search index")
        return 0
    started = time.monotonic()
    reported = [started]

    def report(progress: SearchIndexProgress) -> None:
        now = time.monotonic()
        if now - reported[0] >= REPORT_EVERY:
            reported[0] = now
            print(f"indexed {progress.indexed:,} of about {progress.total:,} books", flush=True)

    async def build(container: Container) -> int:
        use_case: BuildSearchIndex = container.build_search_index()
        return await use_case(report)

    indexed = on_storage(settings, "library search index", build)
    if indexed is None:
        return 1
    if indexed == 0:
        print("the search index is ready; nothing to index")
    else:
        elapsed = time.monotonic() - started
        print(f"indexed {indexed:,} books in {elapsed:.0f} s; the search index is ready")
    return 0
