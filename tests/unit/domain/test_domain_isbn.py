"""Isbn: separators dropped, a final x upper-cased, 10 or 13 characters, no check digit."""

from __future__ import annotations

import pytest

from library.domain.books import Isbn
from library.domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("9780547773742", "9780547773742"),
        ("978-0-547-77374-2", "9780547773742"),
        ("978 0 547 77374 2", "9780547773742"),
        ("  978-0 547-77374 2  ", "9780547773742"),
        ("0-06-051275-X", "006051275X"),
        ("0-06-051275-x", "006051275X"),
        ("006051275x", "006051275X"),
        ("0060512750", "0060512750"),
        ("-0060512750-", "0060512750"),
    ],
)
def test_separators_are_dropped_and_a_final_x_upper_cased(raw: str, stored: str) -> None:
    isbn = Isbn.parse(raw)
    assert isbn is not None
    assert isbn.value == stored


@pytest.mark.parametrize(
    "raw",
    [
        "9780547773743",  # wrong ISBN-13 check digit
        "0060512751",  # wrong ISBN-10 check digit
        "0000000000",
        "1111111111111",
    ],
)
def test_the_check_digit_is_not_enforced(raw: str) -> None:
    assert Isbn.parse(raw) == Isbn(raw)


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_empty_means_no_isbn(raw: str | None) -> None:
    assert Isbn.parse(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "123456789",  # 9
        "12345678901",  # 11
        "123456789012",  # 12
        "12345678901234",  # 14
        "123456789012X",  # 13 with X
        "X123456789",  # X not last
        "12345X7890",
        "12345678x9",  # lower-case x not last
        "123456789Y",
        "abcdefghij",
        "-",
        "---",
        "978_0547773742",
        "978.0547773742",
        "978\t0547773742",  # only hyphens and spaces are separators
        "978\u00a00547773742",
        "".join(chr(0x0660 + int(d)) for d in "9780547773742"),  # Arabic-Indic digits
        "".join(chr(0xFF10 + int(d)) for d in "9780547773742"),  # full-width digits
        "978054777374²",  # superscript two is a "digit" to str.isdigit
        "97805477737\x00",
    ],
)
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        Isbn.parse(raw)


@pytest.mark.parametrize("raw", ["978-0-547-77374-2", "12345678X", "006051275x"])
def test_the_constructor_does_not_normalise(raw: str) -> None:
    with pytest.raises(InvalidValue):
        Isbn(raw)


def test_a_normalised_isbn_parses_to_itself() -> None:
    isbn = Isbn.parse("0-06-051275-x")
    assert isbn is not None
    assert Isbn.parse(isbn.value) == isbn


def test_many_separators_still_make_an_isbn() -> None:
    raw = "  -  ".join("9780547773742")  # 13 digits, 73 characters
    assert len(raw) > 64
    isbn = Isbn.parse(raw)
    assert isbn is not None
    assert isbn.value == "9780547773742"
