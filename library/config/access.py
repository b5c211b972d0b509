"""Settings of access control and abuse limits: who may call, how often, and edge limits."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from attrs import evolve, field, frozen

from library.application.access import Rate
from library.application.access.api_keys import StoredKey, check_scopes
from library.application.access.policy import AuthMode
from library.config.values import ConfigurationError, choice, integer, items, seconds, text

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_READ_RATE = Rate(6000, 60)
DEFAULT_WRITE_RATE = Rate(600, 60)
_HEX = frozenset("0123456789abcdef")
_KEY_ID = re.compile(r"[a-z2-7]{12}")  # as `new_key` makes them: no other id can match a key


@frozen(kw_only=True)
class JwtSettings:
    """How bearer tokens are verified: one kind of key (a secret, or public keys)."""

    secrets: tuple[str, ...] = ()  # HS256, several for rotation
    public_key_pem: str | None = None  # RS256 or ES256, from LIBRARY_JWT_PUBLIC_KEY_FILE
    jwks_url: str | None = None  # RS256 or ES256, keys fetched from there
    issuer: str | None = None
    audience: str | None = None
    leeway: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.secrets) or self.public_key_pem is not None or self.jwks_url is not None


@frozen(kw_only=True)
class AccessSettings:
    """Everything LIBRARY_AUTH and its neighbours say; the defaults are safe for the public."""

    mode: AuthMode = AuthMode.WRITES
    api_keys: tuple[StoredKey, ...] = ()  # LIBRARY_API_KEYS (in-memory catalogue)
    jwt: JwtSettings = field(factory=JwtSettings)
    metrics_token: str | None = None
    read_rate: Rate | None = DEFAULT_READ_RATE  # None: off
    write_rate: Rate | None = DEFAULT_WRITE_RATE
    rate_sync_interval: float = 1.0  # how often read counts are reconciled with Redis
    trusted_proxies: tuple[Network, ...] = ()
    cors_origins: tuple[str, ...] = ()
    read_timeout: float = 10.0
    max_connections: int = 1000
    max_request_line: int = 8192
    max_header_bytes: int = 32768
    max_headers: int = 100

    @classmethod
    def drop_in(cls) -> AccessSettings:
        """Everything API.md promises the original's clients: no credentials, no limits."""
        return cls(mode=AuthMode.OFF, read_rate=None, write_rate=None)

    @property
    def drop_in_mode(self) -> bool:
        return self.mode is AuthMode.OFF and self.read_rate is None and self.write_rate is None

    def with_mode(self, mode: AuthMode) -> AccessSettings:
        return evolve(self, mode=mode)

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, now: datetime | None = None) -> AccessSettings:
        """Read LIBRARY_AUTH, LIBRARY_API_KEYS, LIBRARY_JWT_*, LIBRARY_RATE_LIMIT_* and the rest.

        Raises:
            ConfigurationError: a variable cannot be used, or the JWT settings contradict
                each other.
        """
        return cls(
            mode=AuthMode(choice(env, "LIBRARY_AUTH", ("writes", "off", "all"))),
            api_keys=parse_api_keys(env.get("LIBRARY_API_KEYS", ""), now=now),
            jwt=_jwt(env),
            metrics_token=text(env, "LIBRARY_METRICS_TOKEN"),
            read_rate=_rate(env, "LIBRARY_RATE_LIMIT_READ", DEFAULT_READ_RATE),
            write_rate=_rate(env, "LIBRARY_RATE_LIMIT_WRITE", DEFAULT_WRITE_RATE),
            rate_sync_interval=seconds(env, "LIBRARY_RATE_LIMIT_SYNC", 1.0, minimum=0.05),
            trusted_proxies=_networks(env, "LIBRARY_TRUSTED_PROXIES"),
            cors_origins=_origins(env),
            read_timeout=seconds(env, "LIBRARY_READ_TIMEOUT", 10.0, minimum=0.1),
            max_connections=integer(env, "LIBRARY_MAX_CONNECTIONS", 1000, minimum=1),
            max_request_line=integer(env, "LIBRARY_MAX_REQUEST_LINE", 8192, minimum=256),
            max_header_bytes=integer(env, "LIBRARY_MAX_HEADER_BYTES", 32768, minimum=1024),
            max_headers=integer(env, "LIBRARY_MAX_HEADERS", 100, minimum=8),
        )


def _rate(env: Mapping[str, str], name: str, default: Rate) -> Rate | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "off":
        return None
    try:
        return Rate.parse(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name}: {error} (or off)") from error


def _networks(env: Mapping[str, str], name: str) -> tuple[Network, ...]:
    networks = []
    for item in items(env, name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ConfigurationError(
                f"{name} must list addresses or networks (10.0.0.0/8, ::1), got {item!r}"
            ) from error
    return tuple(networks)


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    origins = items(env, "LIBRARY_CORS_ORIGINS")
    for origin in origins:
        if origin != "*" and "://" not in origin:
            raise ConfigurationError(
                f"LIBRARY_CORS_ORIGINS must list origins such as https://app.example or *,"
                f" got {origin!r}"
            )
    return tuple(origin.rstrip("/") for origin in origins)


def _jwt(env: Mapping[str, str]) -> JwtSettings:
    secrets = items(env, "LIBRARY_JWT_SECRET")
    key_file = text(env, "LIBRARY_JWT_PUBLIC_KEY_FILE")
    jwks_url = text(env, "LIBRARY_JWT_JWKS_URL")
    given = [
        name
        for name, value in (
            ("LIBRARY_JWT_SECRET", secrets),
            ("LIBRARY_JWT_PUBLIC_KEY_FILE", key_file),
            ("LIBRARY_JWT_JWKS_URL", jwks_url),
        )
        if value
    ]
    if len(given) > 1:
        raise ConfigurationError(
            f"set one kind of JWT key, not {' and '.join(given)}: the accepted algorithms"
            " follow from it (HS256 for a secret, RS256/ES256 for public keys)"
        )
    pem = None
    if key_file is not None:
        try:
            pem = Path(key_file).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigurationError(
                f"LIBRARY_JWT_PUBLIC_KEY_FILE: cannot read {key_file}: {error}"
            ) from error
    if jwks_url is not None and not jwks_url.startswith(("https://", "http://")):
        raise ConfigurationError(f"LIBRARY_JWT_JWKS_URL must be an http(s) URL, got {jwks_url!r}")
    return JwtSettings(
        secrets=secrets,
        public_key_pem=pem,
        jwks_url=jwks_url,
        issuer=text(env, "LIBRARY_JWT_ISSUER"),
        audience=text(env, "LIBRARY_JWT_AUDIENCE"),
        leeway=seconds(env, "LIBRARY_JWT_LEEWAY", 30.0, minimum=0),
    )


def api_key_entry(key_id: str, secret_hash: str, scopes: tuple[str, ...], rate: Rate | None) -> str:
    """One entry of LIBRARY_API_KEYS: `<id> <sha256> <scope>[,<scope>...] [<rate>]`."""
    fields = [key_id, secret_hash, ",".join(scopes)]
    if rate is not None:
        fields.append(str(rate))
    return " ".join(fields)


def parse_api_keys(raw: str, *, now: datetime | None = None) -> tuple[StoredKey, ...]:
    """Read LIBRARY_API_KEYS: entries separated by `;` or new lines, each
    `<key id> <sha256 of the key> <scope>[,<scope>...] [<rate>]` (what `library keys hash`
    prints).

    Raises:
        ConfigurationError: an entry is not of that form.
    """
    created = now or datetime.now(UTC)
    keys: list[StoredKey] = []
    seen: set[str] = set()
    entries = [entry.strip() for entry in raw.replace("\n", ";").split(";")]
    for position, entry in enumerate(filter(None, entries), start=1):
        fields = entry.split()
        where = f"LIBRARY_API_KEYS entry {position}"
        if len(fields) not in (3, 4):
            raise ConfigurationError(
                f"{where} must read `<key id> <sha256> <scope>[,<scope>...] [<rate>]`"
                " (`library keys hash KEY --scope SCOPE` prints one)"
            )
        key_id, secret_hash, scopes = fields[:3]
        if not _KEY_ID.fullmatch(key_id):
            raise ConfigurationError(
                f"{where}: the key id must be the 12 characters between `lib_` and the next `_`"
                " of the key (not the whole key)"
            )
        if len(secret_hash) != 64 or not set(secret_hash) <= _HEX:
            raise ConfigurationError(f"{where}: the hash must be 64 lower-case hex digits")
        if key_id in seen:
            raise ConfigurationError(f"{where}: key id {key_id} is listed twice")
        seen.add(key_id)
        try:
            checked = check_scopes([s for s in scopes.split(",") if s])
            rate = Rate.parse(fields[3]) if len(fields) == 4 else None
        except ValueError as error:
            raise ConfigurationError(f"{where}: {error}") from error
        keys.append(
            StoredKey(
                id=key_id,
                name=key_id,
                secret_hash=secret_hash,
                scopes=checked,
                rate=rate,
                created_at=created,
            )
        )
    return tuple(keys)
