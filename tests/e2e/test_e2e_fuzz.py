"""Schemathesis against /openapi.json, over the real server: in memory and on PostgreSQL.

Every operation gets schema-driven requests (schemathesis' coverage, fuzzing and stateful
phases, valid and invalid data) and every answer must be no 5xx, a documented status, of the
documented media type, with the documented headers, and match the documented schema. The
example count per operation is bounded (LIBRARY_FUZZ_EXAMPLES, default 50; the seed is fixed,
LIBRARY_FUZZ_SEED, so CI runs are reproducible). Counts per operation go to test-artifacts/.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.live_server import Server

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
MAX_EXAMPLES = os.environ.get("LIBRARY_FUZZ_EXAMPLES", "50")
SEED = os.environ.get("LIBRARY_FUZZ_SEED", "1")

pytestmark = pytest.mark.slow


def _examples_per_operation(report: Path, documented: set[str]) -> dict[str, dict[str, int]]:
    """Test cases schemathesis sent to each documented operation, by phase."""
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in report.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if finished is None:
            continue
        for case in finished["recorder"].get("cases", {}).values():
            value = case["value"]
            operation = f"{value['method']} {value['path']}"
            if operation in documented:
                counts[operation][finished["phase"]] += 1
    return {operation: dict(counts[operation]) for operation in sorted(documented)}


def _fuzz(server: Server, artifacts: Path, name: str, work: Path) -> dict[str, dict[str, int]]:
    report = artifacts / f"schemathesis-{name}.ndjson"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        server.url("/openapi.json"),
        f"--checks={CHECKS}",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--workers=1",
        "--request-timeout=10",
        "--report=ndjson",
        f"--report-ndjson-path={report}",
    ]
    # In a folder of its own: schemathesis keeps a cache (.schemathesis/) where it runs.
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=work)
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    document = json.loads(_get(server, "/openapi.json"))
    documented = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    counts = _examples_per_operation(report, documented - {"GET /openapi.json"})
    (artifacts / f"schemathesis-{name}-examples.json").write_text(json.dumps(counts, indent=2))
    print(f"schemathesis examples per operation ({name}):")
    for operation, phases in counts.items():
        print(f"  {operation}: {sum(phases.values())} {phases}")
    return counts


def _get(server: Server, path: str) -> bytes:
    with urllib.request.urlopen(server.url(path), timeout=5) as answer:
        body: bytes = answer.read()
        return body


def _check_every_operation_was_exercised(counts: dict[str, dict[str, int]]) -> None:
    untested = [operation for operation, phases in counts.items() if not phases]
    assert not untested
    busy = [op for op, phases in counts.items() if "{" in op or op.startswith(("POST", "PUT"))]
    assert all(sum(counts[op].values()) >= 10 for op in busy), counts


def test_the_api_holds_its_documented_contract_in_memory(
    memory_server: Server, artifacts: Path, tmp_path: Path
) -> None:
    _check_every_operation_was_exercised(_fuzz(memory_server, artifacts, "memory", tmp_path))


def test_the_api_holds_its_documented_contract_on_postgresql(
    postgres_server: Server, artifacts: Path, tmp_path: Path
) -> None:
    _check_every_operation_was_exercised(_fuzz(postgres_server, artifacts, "postgres", tmp_path))
