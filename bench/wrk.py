"""Run wrk with one of the Lua scripts in bench/wrk/ and read the summary it writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from attrs import frozen

LUA_DIR = Path(__file__).resolve().parent / "wrk"
WRK_CORE = "1"


class WrkFailed(Exception):
    """wrk could not run or wrote no summary."""


@frozen
class WrkResult:
    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    max_us: int
    non2xx: int
    socket_errors: int  # connect, read, write errors and time-outs
    generated_detail: int
    generated_search: int
    generated_write: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0


def run_wrk(
    url: str,
    script: str,
    *,
    connections: int,
    duration: float,
    env: Mapping[str, str] | None = None,
    timeout_s: int = 10,
) -> WrkResult:
    """One wrk run: 1 thread, `connections` connections, pinned to core 1 when possible."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise WrkFailed("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile(prefix="bench-wrk-", suffix=".json", delete=False) as out:
        result_path = Path(out.name)
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(LUA_DIR / f"{script}.lua"),
        url,
    ]
    if shutil.which("taskset"):
        command = ["taskset", "-c", WRK_CORE, *command]
    run_env = {
        **os.environ,
        **(env or {}),
        "BENCH_LUA_DIR": str(LUA_DIR),
        "BENCH_RESULT": str(result_path),
    }
    try:
        finished = subprocess.run(
            command, env=run_env, capture_output=True, text=True, timeout=duration + 60
        )
        text = result_path.read_text().strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        raise WrkFailed(f"wrk {script}: {error}") from error
    finally:
        result_path.unlink(missing_ok=True)
    if finished.returncode != 0 or not text:
        raise WrkFailed(
            f"wrk {script} exited {finished.returncode}: {finished.stderr.strip()}"
            f" {finished.stdout.strip()[-2000:]}"
        )
    data = json.loads(text)
    return WrkResult(
        requests=data["requests"],
        duration_us=data["duration_us"],
        p50_us=data["p50_us"],
        p99_us=data["p99_us"],
        max_us=data["max_us"],
        non2xx=data["non2xx"],
        socket_errors=(
            data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"]
        ),
        generated_detail=data["generated_detail"],
        generated_search=data["generated_search"],
        generated_write=data["generated_write"],
    )
