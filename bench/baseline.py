"""The baseline of `bench/run --baseline REV`: another revision of this repository, installed.

REV is extracted with `git archive` (no worktree, nothing written into .git) into a directory
under $TMPDIR named after its commit id, next to a virtualenv holding a non-editable install of
that tree, so the revision's own code is what `library serve` runs there. Both are kept for the
next run against the same commit; `rm -r` of the directory removes them. Its migrations are never
run: the bench database has the current tree's.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from bench.service import REPO

PREFIX = "library-bench-baseline-"
STAMP = "installed.json"
# Variables that would make the baseline's Python import code other than its install.
FOREIGN = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")

Log = Callable[[str], None]


class BaselineFailed(Exception):
    """The baseline revision could not be extracted, installed or asked what it accepts."""


@frozen
class Baseline:
    """An installed revision and what its command line accepts."""

    revision: str  # as given: HEAD~3, a branch, a commit id
    commit: str
    directory: Path  # holds tree/ and venv/; also the services' working directory
    serve_options: frozenset[str]  # the options of its `library serve`
    keys: bool  # it has `library keys create --name --scope`
    cache_namespace: bool  # its code reads LIBRARY_CACHE_NAMESPACE

    @property
    def tree(self) -> Path:
        return self.directory / "tree"

    @property
    def bin(self) -> Path:
        return self.directory / "venv" / "bin"

    @property
    def library(self) -> Path:
        return self.bin / "library"


def resolve(revision: str) -> str:
    """The commit id of `revision` in this repository (ValueError when it names none)."""
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    commit = found.stdout.strip()
    if found.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise ValueError(f"{revision!r} names no commit of this repository")
    return commit


def cache_directory(commit: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{PREFIX}{commit}"


def prepare(revision: str, *, log: Log) -> Baseline:
    """The installed baseline for `revision`: the cached one, else extracted and installed."""
    commit = resolve(revision)
    directory = cache_directory(commit)
    directory.mkdir(exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another bench run installing the same commit
        if (directory / STAMP).is_file() and (directory / "venv" / "bin" / "library").is_file():
            log(f"baseline {revision} ({commit[:12]}): reusing {directory}")
        else:
            _install(revision, commit, directory, log)
    return _inspect(revision, commit, directory)


def _install(revision: str, commit: str, directory: Path, log: Log) -> None:
    for name in ("tree", "venv"):  # what an install that did not finish left
        shutil.rmtree(directory / name, ignore_errors=True)
    tree = directory / "tree"
    tree.mkdir()
    log(f"baseline {revision} ({commit[:12]}): extracting into {tree}")
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", commit],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert archive.stdout is not None
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        tar.extractall(tree, filter="data")
    _, error = archive.communicate()
    if archive.returncode != 0:
        raise BaselineFailed(f"git archive {commit} failed: {error.decode(errors='replace')}")
    if not (tree / "pyproject.toml").is_file():
        raise BaselineFailed(f"{revision} has no pyproject.toml: nothing to install")
    venv = directory / "venv"
    python = os.environ.get("PYTHON", "python3")
    log(f"baseline {revision}: python3 -m venv and pip install (non-editable) into {venv}")
    _run([python, "-m", "venv", str(venv)], directory)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(tree)], directory)
    # What runs is the install, not the tree: check from the services' working directory.
    where = _run(
        [str(venv / "bin" / "python"), "-c", "import library; print(library.__file__)"],
        directory,
    ).strip()
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise BaselineFailed(f"the baseline's venv imports library from {where}, not from {venv}")
    stamp = {"revision": revision, "commit": commit, "library": where}
    (directory / STAMP).write_text(json.dumps(stamp, indent=2) + "\n")


def _inspect(revision: str, commit: str, directory: Path) -> Baseline:
    bin_dir = directory / "venv" / "bin"
    library = str(bin_dir / "library")
    if not Path(library).is_file():
        raise BaselineFailed(f"{revision} installs no `library` command")
    serve = _help([library, "serve", "--help"], directory)
    options = frozenset(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", serve or ""))
    missing = {"--host", "--port"} - options
    if serve is None or missing:
        raise BaselineFailed(
            f"{revision}'s `library serve` does not take {', '.join(sorted(missing))}"
        )
    create = _help([library, "keys", "create", "--help"], directory) or ""
    keys = "--name" in create and "--scope" in create
    sources = directory / "venv" / "lib"
    namespace = any(
        "LIBRARY_CACHE_NAMESPACE" in path.read_text(errors="replace")
        for path in sources.glob("python*/site-packages/library/**/*.py")
    )
    return Baseline(
        revision=revision,
        commit=commit,
        directory=directory,
        serve_options=options,
        keys=keys,
        cache_namespace=namespace,
    )


def _run(command: list[str], cwd: Path) -> str:
    finished = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    if finished.returncode != 0:
        raise BaselineFailed(
            f"{' '.join(command)} failed ({finished.returncode}):\n"
            f"{finished.stdout[-2000:]}\n{finished.stderr[-4000:]}"
        )
    return finished.stdout


def _help(command: list[str], cwd: Path) -> str | None:
    """A command's --help text, or None when it does not exist there."""
    finished = subprocess.run(
        command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=60
    )
    return finished.stdout if finished.returncode == 0 else None


def _env() -> dict[str, str]:
    """The environment without what would make the baseline import other code."""
    return {k: v for k, v in os.environ.items() if k not in FOREIGN}
