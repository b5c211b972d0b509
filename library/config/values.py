"""Reading typed values out of environment variables, with one-line errors."""

from __future__ import annotations

from collections.abc import Mapping


class ConfigurationError(Exception):
    """An environment variable holds a value the service cannot use."""


def integer(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from error
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


def optional_integer(env: Mapping[str, str], name: str, *, minimum: int = 0) -> int | None:
    """An integer, or None when the variable is unset or blank."""
    return integer(env, name, minimum, minimum=minimum) if text(env, name) else None


def seconds(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.removesuffix("s"))
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a number of seconds, got {raw!r}") from error
    if not value >= minimum:  # also refuses NaN
        raise ConfigurationError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """A value out of `choices` (case-insensitive); the first is the default."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return choices[0]
    if raw not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def text(env: Mapping[str, str], name: str) -> str | None:
    """The variable's value, trimmed; None when unset or blank."""
    raw = env.get(name, "").strip()
    return raw or None


def items(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated list, each item trimmed, blanks dropped."""
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())
