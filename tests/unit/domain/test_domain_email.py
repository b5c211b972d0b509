"""Email: trimmed, local@domain.tld, at most 254 characters, empty means none."""

from __future__ import annotations

import pytest

from library.domain.authors import Email
from library.domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("ursula@earthsea.example", "ursula@earthsea.example"),
        ("  ursula@earthsea.example\n", "ursula@earthsea.example"),
        ("a@b.c", "a@b.c"),
        ("first.last+tag@mail.example.co.uk", "first.last+tag@mail.example.co.uk"),
        ("Gabo@Macondo.Example", "Gabo@Macondo.Example"),
        ("lucía@españa.example", "lucía@españa.example"),
    ],
)
def test_addresses_are_trimmed_and_kept_as_given(raw: str, stored: str) -> None:
    email = Email.parse(raw)
    assert email is not None
    assert email.value == stored


@pytest.mark.parametrize("raw", [None, "", "  ", "\n"])
def test_empty_means_no_email(raw: str | None) -> None:
    assert Email.parse(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "plainaddress",
        "@domain.tld",
        "local@",
        "local@domain",  # no dot in the domain
        "local@.tld",
        "local@domain.",
        "local@domain..tld",
        "two@@domain.tld",
        "a@b@domain.tld",
        "with space@domain.tld",
        "local@do main.tld",
        "local@domain.tld\u00a0x",
        "local\x00@domain.tld",
    ],
)
def test_other_forms_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        Email.parse(raw)


def _address(length: int) -> str:
    domain = "@example.org"
    return "a" * (length - len(domain)) + domain


def test_254_characters_is_the_limit() -> None:
    email = Email.parse("  " + _address(254) + "  ")
    assert email is not None
    assert len(email.value) == 254


def test_255_characters_is_refused() -> None:
    with pytest.raises(InvalidValue, match="at most 254"):
        Email.parse(_address(255))


def test_the_constructor_refuses_an_overlong_address() -> None:
    with pytest.raises(InvalidValue, match="at most 254"):
        Email(_address(255))


def test_a_normalised_address_parses_to_itself() -> None:
    email = Email.parse(" x@y.z ")
    assert email is not None
    assert Email.parse(email.value) == email
