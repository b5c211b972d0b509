"""The deployment files: docker-compose.yml is valid Compose and says what the README promises;
the Dockerfile and .env.example keep to the rules. (Docker does not run on our machines.)

compose_spec.json beside this file is the Compose Specification's JSON schema as published
in docker-compose 1.29.2's wheel on PyPI (compose/config/compose_spec.json, Apache License
2.0, Docker Inc.); no maintained PyPI package ships the schema on its own. It predates a few
newer keys (top-level `name`, healthcheck `start_interval`), which this file does not use.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_compose_file_is_valid_against_the_compose_spec(compose: dict[str, Any]) -> None:
    schema = json.loads((HERE / "compose_spec.json").read_text())
    validator = Draft201909Validator(schema)  # its $schema, spelt the old way
    errors = sorted(validator.iter_errors(compose), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_catches_a_broken_compose_file(compose: dict[str, Any]) -> None:
    schema = json.loads((HERE / "compose_spec.json").read_text())
    broken = json.loads(json.dumps(compose))
    broken["services"]["app"]["depends_on"]["postgres"]["condition"] = "when_ready"
    broken["services"]["redis"]["healthcheck"]["test_command"] = "ping"
    assert len(list(Draft201909Validator(schema).iter_errors(broken))) >= 2


def test_the_app_waits_for_healthy_postgresql_16_and_redis_7(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"app", "postgres", "redis"}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    app = services["app"]
    assert app["build"] == "."
    assert app["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert app["env_file"] == ".env"
    assert services["postgres"]["env_file"] == ".env"
    assert "8000:8000" in app["ports"]
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "/healthz" in str(app["healthcheck"]["test"])


def test_the_app_finds_its_database_and_cache_by_service_name(compose: dict[str, Any]) -> None:
    from library.config import Settings

    env = {
        **_example_values(),
        **{key: str(value) for key, value in compose["services"]["app"]["environment"].items()},
    }
    settings = Settings.from_env(env)
    assert settings.database_url == "postgresql://library:change-me@postgres:5432/library"
    assert settings.redis_url == "redis://redis:6379/0"


def _example_values() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(\S*)", line.strip())
        if match:
            values[match[1]] = match[2]
    return values


def _documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def _read_by_the_service() -> set[str]:
    sources = [
        *sorted((ROOT / "library" / "config").glob("*.py")),
        ROOT / "library" / "entrypoints" / "cli" / "serve.py",
    ]
    names: set[str] = set()
    for source in sources:
        names |= set(re.findall(r'"((?:LIBRARY|POSTGRES|DB|REDIS|DATABASE|PROMETHEUS)[A-Z0-9_]*)"',
                                source.read_text()))  # fmt: skip
    return names


def test_env_example_documents_every_variable_the_service_reads_and_no_other() -> None:
    read = _read_by_the_service()
    assert {"LIBRARY_LOG_FORMAT", "DATABASE_URL", "REDIS_HOST"} <= read
    assert _documented() == read


def test_the_dockerfile_runs_the_service_as_a_user_with_a_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [
        line.split(maxsplit=1)
        for line in dockerfile.replace("\\\n", " ").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    by_name: dict[str, list[str]] = {}
    for name, *rest in instructions:
        by_name.setdefault(name, []).append(rest[0] if rest else "")
    assert by_name["FROM"] == ["python:3.11-slim"]
    (user,) = by_name["USER"]
    assert user not in ("root", "0")
    (healthcheck,) = by_name["HEALTHCHECK"]
    assert "urllib.request" in healthcheck
    assert "/healthz" in healthcheck
    (command,) = by_name["CMD"]
    assert json.loads(command)[:2] == ["library", "serve"]
    assert {"--migrate", "0.0.0.0"} <= set(json.loads(command))


def test_the_image_leaves_out_what_it_does_not_need() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "tests", "test-artifacts"} <= set(ignored)
