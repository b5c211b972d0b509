"""LIBRARY_API_KEYS: the entries `library keys hash` prints, read back into stored keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from library.application.access import ADMIN, CATALOGUE_READ, CATALOGUE_WRITE, METRICS_READ, Rate
from library.application.access.api_keys import StoredKey, hash_key, new_key
from library.config import AccessSettings, ConfigurationError
from library.config.access import api_key_entry, parse_api_keys

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HASH = "0123456789abcdef" * 4


def test_an_entry_reads_back_as_the_key_it_describes() -> None:
    key, key_id = new_key()
    entry = api_key_entry(key_id, hash_key(key), (CATALOGUE_READ, CATALOGUE_WRITE), Rate(10, 1))
    assert entry == f"{key_id} {hash_key(key)} catalogue:read,catalogue:write 10/second"
    assert parse_api_keys(entry, now=NOW) == (
        StoredKey(
            id=key_id,
            name=key_id,  # entries have no name of their own
            secret_hash=hash_key(key),
            scopes={CATALOGUE_READ, CATALOGUE_WRITE},
            rate=Rate(10, 1),
            created_at=NOW,
        ),
    )


@pytest.mark.parametrize(
    "rate", [None, Rate(1, 1), Rate(600, 60), Rate(5000, 3600), Rate(100, 86400), Rate(30, 300)]
)
def test_every_rate_round_trips(rate: Rate | None) -> None:
    entry = api_key_entry("aaaaaaaaaaaa", HASH, (ADMIN,), rate)
    (key,) = parse_api_keys(entry, now=NOW)
    assert key.rate == rate
    assert (key.id, key.secret_hash, key.scopes) == ("aaaaaaaaaaaa", HASH, frozenset({ADMIN}))


def test_entries_are_separated_by_semicolons_or_new_lines() -> None:
    ids = ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd"]
    raw = (
        f"  {ids[0]} {HASH} admin ;{ids[1]}   {HASH}  metrics:read\n\n"
        f"{ids[2]} {HASH} catalogue:read,reviews:write 5/minute;\r\n;  ;{ids[3]}\t{HASH}\tadmin\n"
    )
    keys = parse_api_keys(raw, now=NOW)
    assert [key.id for key in keys] == ids
    assert [key.scopes for key in keys] == [
        {ADMIN},
        {METRICS_READ},
        {CATALOGUE_READ, "reviews:write"},
        {ADMIN},
    ]
    assert [key.rate for key in keys] == [None, None, Rate(5, 60), None]
    assert all(key.created_at == NOW for key in keys)


@pytest.mark.parametrize("raw", ["", "   ", ";", "\n;\n"])
def test_no_entry_is_no_key(raw: str) -> None:
    assert parse_api_keys(raw) == ()


def test_the_settings_read_the_variable() -> None:
    key, key_id = new_key()
    entry = api_key_entry(key_id, hash_key(key), (ADMIN,), None)
    settings = AccessSettings.from_env({"LIBRARY_API_KEYS": entry}, now=NOW)
    assert [(k.id, k.secret_hash, k.scopes) for k in settings.api_keys] == [
        (key_id, hash_key(key), frozenset({ADMIN}))
    ]
    assert AccessSettings.from_env({}).api_keys == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (f"aaaaaaaaaaaa {HASH}", "entry 1 must read"),
        (f"aaaaaaaaaaaa {HASH} admin 5/minute extra", "entry 1 must read"),
        (f"aaaaaaaaaaaa {HASH} admin; bbbbbbbbbbbb {HASH}", "entry 2 must read"),
        ("aaaaaaaaaaaa 0123abcd admin", "64 lower-case hex"),
        (f"aaaaaaaaaaaa {HASH.upper()} admin", "64 lower-case hex"),
        (f"aaaaaaaaaaaa {HASH[:-1]}g admin", "64 lower-case hex"),
        (f"aaaaaaaaaaaa {HASH} admin; aaaaaaaaaaaa {HASH} metrics:read", "entry 2: key id"),
        (f"aaaaaaaaaaaa {HASH} admin,root", "entry 1: unknown scope root"),
        (f"aaaaaaaaaaaa {HASH} ,,", "entry 1: a key needs at least one scope"),
        (f"aaaaaaaaaaaa {HASH} admin 0/minute", "entry 1: a rate needs"),
        (f"aaaaaaaaaaaa {HASH} admin fast", "entry 1: not a rate"),
        (f"ci {HASH} admin", "entry 1: the key id"),
        (f"AAAAAAAAAAAA {HASH} admin", "entry 1: the key id"),
        (f"lib_aaaaaaaaaaaa_{'a' * 36} {HASH} admin", "not the whole key"),
    ],
)
def test_an_entry_that_cannot_be_used_is_refused_saying_which(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_api_keys(raw, now=NOW)
    with pytest.raises(ConfigurationError, match="LIBRARY_API_KEYS"):
        AccessSettings.from_env({"LIBRARY_API_KEYS": raw})
