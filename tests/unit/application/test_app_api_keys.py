"""API keys on the in-memory store with fake clocks: their form, issuing, verifying,
remembering, revoking, and authenticating a request's credentials."""

from __future__ import annotations

import math
import re
import string
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from attrs import define, field

from library.adapters.memory import MemoryApiKeyStore
from library.application.access import (
    ADMIN,
    CATALOGUE_READ,
    CATALOGUE_WRITE,
    METRICS_READ,
    Principal,
    Rate,
    Unauthenticated,
    VerifierUnavailable,
)
from library.application.access.api_keys import (
    RANDOM_LENGTH,
    IssueKey,
    ListKeys,
    RevokeKey,
    StoredKey,
    hash_key,
    key_id_of,
    new_key,
)
from library.application.access.authentication import (
    ApiKeyVerifier,
    Authenticate,
    Credentials,
)
from library.application.errors import StorageUnavailable

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
SHAPE = re.compile(r"lib_([a-z2-7]{12})_([0-9A-Za-z]{30})([0-9A-Za-z]{6})")


@define
class Clocks:
    """A wall clock and a monotonic one that move together, only when told."""

    now: datetime = T0
    tick: float = 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.tick

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.tick += seconds


class RecordingStore(MemoryApiKeyStore):
    """The memory store, keeping every last-use write it is asked for (the store itself
    keeps one a minute, so only this shows what the verifier asks)."""

    def __init__(self) -> None:
        super().__init__()
        self.uses: list[tuple[str, datetime]] = []

    async def used(self, key_id: str, at: datetime) -> None:
        self.uses.append((key_id, at))
        await super().used(key_id, at)


@define
class UnavailableStore:
    """A key store whose database is away: every call fails (reads, or only writes)."""

    reads_fail: bool = True
    inner: MemoryApiKeyStore = field(factory=MemoryApiKeyStore)

    async def add(self, key: StoredKey) -> None:
        await self.inner.add(key)

    async def get(self, key_id: str) -> StoredKey | None:
        if self.reads_fail:
            raise StorageUnavailable()
        return await self.inner.get(key_id)

    async def all(self) -> Sequence[StoredKey]:
        raise StorageUnavailable()

    async def revoke(self, key_id: str, at: datetime) -> bool:
        raise StorageUnavailable()

    async def used(self, key_id: str, at: datetime) -> None:
        raise StorageUnavailable()


def checksum(body: str) -> str:
    """The documented checksum: CRC-32 of everything before it, as 6 base62 digits."""
    number = zlib.crc32(body.encode())
    digits = ""
    for _ in range(6):
        number, digit = divmod(number, 62)
        digits = BASE62[digit] + digits
    return digits


def changed_at(key: str, position: int) -> str:
    """`key` with the character at `position` replaced by another of its alphabet."""
    alphabet = BASE32 if position < 16 else BASE62
    replacement = next(c for c in alphabet if c != key[position])
    return key[:position] + replacement + key[position + 1 :]


def parts(key: str) -> tuple[str, str, str]:
    """The id, random part and checksum of `key`."""
    match = SHAPE.fullmatch(key)
    assert match is not None, key
    return match[1], match[2], match[3]


def with_secret(key_id: str, random_part: str) -> str:
    """A well-formed key (checksum right) of `key_id` with another secret."""
    body = f"lib_{key_id}_{random_part}"
    return body + checksum(body)


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def store() -> RecordingStore:
    return RecordingStore()


@pytest.fixture
def verifier(store: RecordingStore, clocks: Clocks) -> ApiKeyVerifier:
    return ApiKeyVerifier(store, clock=clocks.wall, monotonic=clocks.monotonic)


@pytest.fixture
def issue(store: RecordingStore, clocks: Clocks) -> IssueKey:
    return IssueKey(store, clock=clocks.wall)


async def refused(verifier: ApiKeyVerifier, key: str) -> str:
    """Why `verifier` refuses `key` (fails the test when it accepts it)."""
    with pytest.raises(Unauthenticated) as raised:
        await verifier.verify(key)
    return raised.value.reason


# The key's form.


def test_a_new_key_has_the_documented_shape_and_names_its_id() -> None:
    key, key_id = new_key()
    found_id, _, found_checksum = parts(key)
    assert found_id == key_id
    assert found_checksum == checksum(key[:-6])
    assert key_id_of(key) == key_id


def test_keys_carry_at_least_128_random_bits() -> None:
    keys = [new_key()[0] for _ in range(300)]
    assert len(set(keys)) == len(keys)
    assert len({key_id_of(key) for key in keys}) == len(keys)
    # Every base62 digit turns up (drawn from the whole alphabet), 30 of them a key.
    assert set("".join(parts(key)[1] for key in keys)) == set(BASE62)
    assert RANDOM_LENGTH * math.log2(62) >= 128
    assert set("".join(parts(key)[0] for key in keys)) == set(BASE32)


def test_any_single_changed_character_is_caught_by_the_checksum() -> None:
    key, _ = new_key()
    for position, original in enumerate(key):
        for replacement in BASE62 + "_-+/= ":
            if replacement != original:
                changed = key[:position] + replacement + key[position + 1 :]
                assert key_id_of(changed) is None, changed


@pytest.mark.parametrize(
    "text",
    ["", "lib_", "lib_abc_def", "LIB_aaaaaaaaaaaa_" + "a" * 36, "Bearer lib_x", "lib_" * 14],
)
def test_text_without_the_shape_is_no_key(text: str) -> None:
    assert key_id_of(text) is None


async def test_a_mistyped_key_is_refused_without_a_lookup(clocks: Clocks) -> None:
    store = UnavailableStore()
    issued = await IssueKey(store, clock=clocks.wall)("ci", [CATALOGUE_READ])
    key = issued.key
    verifier = ApiKeyVerifier(store, clock=clocks.wall, monotonic=clocks.monotonic)
    # The store fails every read: a refusal as "malformed" (not VerifierUnavailable) shows
    # that no lookup was made.
    for position in (5, 20, len(key) - 1):  # in the id, the secret, the checksum
        assert await refused(verifier, changed_at(key, position)) == "malformed"
    assert await refused(verifier, key[:-1]) == "malformed"  # truncated
    with pytest.raises(VerifierUnavailable):
        await verifier.verify(key)


# Issuing, listing and revoking.


async def test_issuing_stores_the_hash_and_what_was_asked(
    issue: IssueKey, store: RecordingStore
) -> None:
    issued = await issue(
        "  nightly import ",
        [CATALOGUE_WRITE, CATALOGUE_READ, CATALOGUE_READ],
        expires_in=timedelta(days=30),
        rate=Rate(10, 1),
    )
    assert key_id_of(issued.key) == issued.stored.id
    assert issued.stored == StoredKey(
        id=issued.stored.id,
        name="nightly import",
        secret_hash=hash_key(issued.key),
        scopes=frozenset({CATALOGUE_READ, CATALOGUE_WRITE}),
        rate=Rate(10, 1),
        created_at=T0,
        expires_at=T0 + timedelta(days=30),
    )
    assert await store.all() == [issued.stored]
    assert issued.key not in repr(issued.stored)  # the secret is not kept
    assert await ListKeys(store)() == [issued.stored]


@pytest.mark.parametrize(
    ("name", "scopes", "expires_in", "message"),
    [
        ("", [ADMIN], None, "name"),
        ("   ", [ADMIN], None, "name"),
        ("ci", [], None, "at least one scope"),
        ("ci", ["catalogue:delete"], None, "unknown scope catalogue:delete"),
        ("ci", [ADMIN, "Admin"], None, "unknown scope Admin"),
        ("ci", [ADMIN], timedelta(0), "lifetime"),
        ("ci", [ADMIN], timedelta(days=-1), "lifetime"),
    ],
)
async def test_issuing_refuses_what_cannot_make_a_key(
    issue: IssueKey,
    store: RecordingStore,
    name: str,
    scopes: list[str],
    expires_in: timedelta | None,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        await issue(name, scopes, expires_in=expires_in)
    assert await store.all() == []


async def test_revoking_marks_the_key_and_says_whether_it_existed(
    issue: IssueKey, store: RecordingStore, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN])
    revoke = RevokeKey(store, clock=clocks.wall)
    clocks.advance(60)
    assert await revoke(issued.stored.id) is True
    clocks.advance(60)
    assert await revoke(issued.stored.id) is True
    assert await revoke(new_key()[1]) is False
    stored = await store.get(issued.stored.id)
    assert stored is not None
    assert stored.revoked_at == T0 + timedelta(seconds=60)


# Verifying.


async def test_a_valid_key_gives_its_principal(issue: IssueKey, verifier: ApiKeyVerifier) -> None:
    issued = await issue("ci", [CATALOGUE_WRITE, METRICS_READ], rate=Rate(600, 60))
    key_id = issued.stored.id
    principal = await verifier.verify(issued.key)
    assert principal == Principal(
        f"key:{key_id}", "key", key_id, {CATALOGUE_WRITE, METRICS_READ}, Rate(600, 60)
    )
    assert principal.may(CATALOGUE_WRITE)
    assert not principal.may(CATALOGUE_READ)


async def test_a_key_of_the_environment_gives_its_principal(clocks: Clocks) -> None:
    key, key_id = new_key()
    store = MemoryApiKeyStore(
        [
            StoredKey(
                id=key_id,
                name=key_id,
                secret_hash=hash_key(key),
                scopes={ADMIN},
                created_at=T0,
            )
        ]
    )
    principal = await ApiKeyVerifier(store, clock=clocks.wall).verify(key)
    assert (principal.id, principal.scopes, principal.rate) == (
        f"key:{key_id}",
        frozenset({ADMIN}),
        None,
    )
    assert principal.may(CATALOGUE_WRITE)  # admin holds every scope


async def test_a_wrong_secret_for_a_known_id_is_invalid(
    issue: IssueKey, verifier: ApiKeyVerifier
) -> None:
    issued = await issue("ci", [ADMIN])
    forged = with_secret(issued.stored.id, "A" * 30)
    assert key_id_of(forged) == issued.stored.id  # well formed: it reaches the store
    assert await refused(verifier, forged) == "invalid"
    await verifier.verify(issued.key)  # the real one still works, remembered or not
    assert await refused(verifier, forged) == "invalid"


async def test_an_unknown_key_is_invalid_and_not_remembered(
    store: RecordingStore, verifier: ApiKeyVerifier
) -> None:
    key, key_id = new_key()
    assert await refused(verifier, key) == "invalid"
    # Created meanwhile on another instance: it works at once, no clock has moved.
    await store.add(
        StoredKey(id=key_id, name="n", secret_hash=hash_key(key), scopes={ADMIN}, created_at=T0)
    )
    assert (await verifier.verify(key)).id == f"key:{key_id}"


async def test_an_expired_key_is_refused(
    issue: IssueKey, verifier: ApiKeyVerifier, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN], expires_in=timedelta(hours=1))
    clocks.advance(3600)
    assert await refused(verifier, issued.key) == "expired"


async def test_a_key_that_expires_while_remembered_is_refused_at_once(
    issue: IssueKey, verifier: ApiKeyVerifier, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN], expires_in=timedelta(hours=1))
    clocks.advance(3600 - 1)
    await verifier.verify(issued.key)  # remembered from here on
    clocks.advance(1)
    assert await refused(verifier, issued.key) == "expired"


async def test_a_revoked_key_works_at_most_the_remembered_seconds_then_stops(
    issue: IssueKey, store: RecordingStore, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN])
    verifier = ApiKeyVerifier(store, remember=5, clock=clocks.wall, monotonic=clocks.monotonic)
    fresh = ApiKeyVerifier(store, remember=5, clock=clocks.wall, monotonic=clocks.monotonic)
    await verifier.verify(issued.key)
    clocks.advance(1)
    # Revoked elsewhere (another instance, or `library keys revoke`).
    assert await RevokeKey(store, clock=clocks.wall)(issued.stored.id)
    clocks.advance(3.9)
    await verifier.verify(issued.key)  # still remembered, 4.9 s after it was looked up
    assert await refused(fresh, issued.key) == "revoked"  # a verifier that had not seen it
    clocks.advance(0.1)
    assert await refused(verifier, issued.key) == "revoked"
    clocks.advance(60)
    assert await refused(verifier, issued.key) == "revoked"


async def test_a_verifier_that_remembers_nothing_sees_revocation_at_once(
    issue: IssueKey, store: RecordingStore, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN])
    verifier = ApiKeyVerifier(store, remember=0, clock=clocks.wall, monotonic=clocks.monotonic)
    await verifier.verify(issued.key)
    await store.revoke(issued.stored.id, clocks.now)
    assert await refused(verifier, issued.key) == "revoked"


@pytest.mark.parametrize("remember", [-1, 5.01, 60])
def test_keys_are_remembered_for_five_seconds_at_most(remember: float) -> None:
    with pytest.raises(ValueError, match="remembered"):
        ApiKeyVerifier(MemoryApiKeyStore(), remember=remember)


async def test_last_use_is_written_at_most_once_a_minute(
    issue: IssueKey, store: RecordingStore, verifier: ApiKeyVerifier, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN])
    key_id = issued.stored.id
    await verifier.verify(issued.key)
    for _ in range(59):
        clocks.advance(1)
        await verifier.verify(issued.key)
    assert store.uses == [(key_id, T0)]
    clocks.advance(1)
    await verifier.verify(issued.key)
    assert store.uses == [(key_id, T0), (key_id, T0 + timedelta(seconds=60))]
    stored = await store.get(key_id)
    assert stored is not None
    assert stored.last_used_at == T0 + timedelta(seconds=60)


async def test_refused_keys_record_no_use(
    issue: IssueKey, store: RecordingStore, verifier: ApiKeyVerifier, clocks: Clocks
) -> None:
    issued = await issue("ci", [ADMIN], expires_in=timedelta(seconds=10))
    clocks.advance(10)
    await refused(verifier, issued.key)
    await refused(verifier, with_secret(issued.stored.id, "B" * 30))
    assert store.uses == []


async def test_an_unreachable_store_makes_the_verifier_unavailable(clocks: Clocks) -> None:
    store = UnavailableStore()
    issued = await IssueKey(store, clock=clocks.wall)("ci", [ADMIN])
    verifier = ApiKeyVerifier(store, clock=clocks.wall, monotonic=clocks.monotonic)
    with pytest.raises(VerifierUnavailable) as raised:
        await verifier.verify(issued.key)
    assert isinstance(raised.value.__cause__, StorageUnavailable)


async def test_a_last_use_that_cannot_be_written_does_not_refuse_the_key(
    clocks: Clocks, caplog: pytest.LogCaptureFixture
) -> None:
    store = UnavailableStore(reads_fail=False)  # reads answer, writes fail
    issued = await IssueKey(store, clock=clocks.wall)("ci", [ADMIN])
    verifier = ApiKeyVerifier(store, clock=clocks.wall, monotonic=clocks.monotonic)
    principal = await verifier.verify(issued.key)
    assert principal.id == f"key:{issued.stored.id}"
    assert "could not record the last use" in caplog.text


# Authenticating a request's credentials.


@define
class Tokens:
    """A token verifier that knows one token."""

    token: str
    principal: Principal

    async def verify(self, token: str) -> Principal:
        if token != self.token:
            raise Unauthenticated("invalid", "unknown token")
        return self.principal


@pytest.fixture
def authenticate(verifier: ApiKeyVerifier) -> Authenticate:
    return Authenticate(verifier, metrics_token="s3cret-metrics")


async def test_no_credentials_is_anonymous(authenticate: Authenticate) -> None:
    assert await authenticate(Credentials()) is None


async def test_an_api_key_is_verified(issue: IssueKey, authenticate: Authenticate) -> None:
    issued = await issue("ci", [CATALOGUE_WRITE])
    principal = await authenticate(Credentials(api_key=issued.key))
    assert principal is not None
    assert principal.id == f"key:{issued.stored.id}"
    with pytest.raises(Unauthenticated) as raised:
        await authenticate(Credentials(api_key=issued.key[:-1]))
    assert raised.value.reason == "malformed"


async def test_both_credentials_at_once_are_malformed(
    issue: IssueKey, authenticate: Authenticate
) -> None:
    issued = await issue("ci", [ADMIN])
    with pytest.raises(Unauthenticated) as raised:
        await authenticate(Credentials(api_key=issued.key, bearer="s3cret-metrics"))
    assert raised.value.reason == "malformed"


async def test_the_metrics_token_may_read_metrics_and_nothing_else(
    authenticate: Authenticate,
) -> None:
    principal = await authenticate(Credentials(bearer="s3cret-metrics"))
    assert principal is not None
    assert principal.scopes == {METRICS_READ}
    assert principal.may(METRICS_READ)
    assert not any(principal.may(scope) for scope in (CATALOGUE_READ, CATALOGUE_WRITE, ADMIN))


@pytest.mark.parametrize("token", ["s3cret-metric", "s3cret-metrics2", "", "eyJhbGciOi.x.y"])
async def test_a_bearer_without_a_token_verifier_is_refused(
    authenticate: Authenticate, token: str
) -> None:
    with pytest.raises(Unauthenticated) as raised:
        await authenticate(Credentials(bearer=token))
    assert raised.value.reason == "invalid"


async def test_a_bearer_token_goes_to_the_token_verifier(verifier: ApiKeyVerifier) -> None:
    someone = Principal("token:https://id.example alice", "token", "alice", {CATALOGUE_READ})
    authenticate = Authenticate(verifier, Tokens("a.b.c", someone), metrics_token="m")
    assert await authenticate(Credentials(bearer="a.b.c")) == someone
    assert (await authenticate(Credentials(bearer="m"))) == Principal(
        "metrics-token", "token", "metrics-token", {METRICS_READ}
    )
    with pytest.raises(Unauthenticated):
        await authenticate(Credentials(bearer="x.y.z"))
