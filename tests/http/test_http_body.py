"""The body helpers on their own: media types and strict JSON parsing."""

from __future__ import annotations

import pytest

from library.entrypoints.http.body import is_json_media_type, parse_json


@pytest.mark.parametrize(
    "content_type",
    [None, "", "application/json", "application/json;charset=utf-8", "application/ld+json"],
)
def test_json_media_types(content_type: str | None) -> None:
    assert is_json_media_type(content_type)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/jsonx", "application/json-seq", "multipart/form-data", "+json"],
)
def test_other_media_types(content_type: str) -> None:
    assert not is_json_media_type(content_type)


def test_integers_beyond_64_bits_parse() -> None:
    value = parse_json(b"[18446744073709551616]")
    assert isinstance(value, list)
    assert len(value) == 1


@pytest.mark.parametrize("raw", [b"NaN", b"-Infinity", b'["\\udc00"]', b'{"\\ud800": 1}', b""])
def test_what_is_not_strict_json_is_refused(raw: bytes) -> None:
    with pytest.raises(ValueError, match=r".+"):
        parse_json(raw)
