"""Each value object accepts exactly what API.md allows, and normalises idempotently.

Every rule is re-stated here in plain Python, independently of the domain's code, and
hypothesis checks that the value object accepts an input if and only if the rule holds.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.domain.authors import AuthorName, Email
from library.domain.books import Description, Genre, Isbn, Title, Year
from library.domain.errors import InvalidValue
from library.domain.reviews import Comment, Rating, ReviewerName

ASCII_DIGITS = "0123456789"
# White space of every kind, NUL, look-alike digits, separators and a little text.
TRICKY = " \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u3000\x00-_.@xX0123456789\u0663\uff19²aé"
WHITE = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=3)


def trimmed(raw: str) -> str:
    """API.md: text is stored trimmed of surrounding white space (str.isspace)."""
    start, end = 0, len(raw)
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    return raw[start:end]


def around(limit: int) -> st.SearchStrategy[str]:
    """Text whose trimmed length is near `limit`, padded with white space, maybe a NUL."""
    core = st.builds(
        lambda n, c, nul: (c * n if not nul else c * (n - 1) + "\x00") if n else "",
        st.integers(max(0, limit - 2), limit + 2),
        st.characters(exclude_categories=["Z", "Cc"]),
        st.booleans(),
    )
    return st.builds(lambda a, b, c: a + b + c, WHITE, core, WHITE)


def texts(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.text(alphabet=TRICKY, max_size=20),
        around(limit),
        around(1),
    )


def outcome(build: Callable[[], object]) -> object:
    try:
        return build()
    except InvalidValue:
        return InvalidValue


# Required text: 1..N characters after trimming, no NUL.

REQUIRED = [(Title, 500), (AuthorName, 200), (ReviewerName, 50)]


@pytest.mark.parametrize(("kind", "limit"), REQUIRED, ids=["title", "name", "reviewer"])
@given(data=st.data())
def test_required_text(kind: type[Title], limit: int, data: st.DataObject) -> None:
    raw = data.draw(texts(limit))
    text = trimmed(raw)
    allowed = 1 <= len(text) <= limit and "\x00" not in text
    result = outcome(lambda: kind(raw))
    if not allowed:
        assert result is InvalidValue
        return
    assert isinstance(result, kind)
    assert result.value == text
    assert kind(result.value) == result


# Optional text: null, or at most N characters after trimming; empty means null.

OPTIONAL = [(Genre, 127), (Description, 20_000), (Comment, 5_000)]


@pytest.mark.parametrize(("kind", "limit"), OPTIONAL, ids=["genre", "description", "comment"])
@given(data=st.data())
def test_optional_text(kind: type[Genre], limit: int, data: st.DataObject) -> None:
    raw = data.draw(st.none() | texts(limit))
    result = outcome(lambda: kind.parse(raw))
    if raw is None or trimmed(raw) == "":
        assert result is None
        return
    text = trimmed(raw)
    if len(text) > limit or "\x00" in text:
        assert result is InvalidValue
        return
    assert isinstance(result, kind)
    assert result.value == text
    assert kind.parse(result.value) == result


# Numbers: Year 1..9999, Rating 1..5; JSON types are strict, so no bool, float or text.

NUMBERS = st.one_of(
    st.integers(),
    st.integers(-3, 10_003),
    st.booleans(),
    st.floats(),
    st.integers(0, 6).map(float),
    st.text(alphabet=ASCII_DIGITS, min_size=1, max_size=2),
    st.none(),
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@given(NUMBERS)
def test_year(value: object) -> None:
    result = outcome(lambda: Year(value))  # type: ignore[arg-type]
    if _is_int(value) and 1 <= value <= 9999:  # type: ignore[operator]
        assert result == Year(value)  # type: ignore[arg-type]
        assert isinstance(result, Year)
        assert Year(result.value) == result
    else:
        assert result is InvalidValue


@given(NUMBERS)
def test_rating(value: object) -> None:
    result = outcome(lambda: Rating(value))  # type: ignore[arg-type]
    if _is_int(value) and 1 <= value <= 5:  # type: ignore[operator]
        assert result == Rating(value)  # type: ignore[arg-type]
    else:
        assert result is InvalidValue


# ISBN: separators (hyphen, space) removed, a final x upper-cased, then 10 characters
# (9 ASCII digits and a digit or X) or 13 ASCII digits; the check digit is not checked.


def expected_isbn(raw: str) -> str | type[InvalidValue] | None:
    text = trimmed(raw)
    if text == "":
        return None
    compact = "".join(c for c in text if c not in "- ")
    if compact.endswith("x"):
        compact = compact[:-1] + "X"
    is_10 = (
        len(compact) == 10
        and all(c in ASCII_DIGITS for c in compact[:9])
        and compact[9] in ASCII_DIGITS + "X"
    )
    is_13 = len(compact) == 13 and all(c in ASCII_DIGITS for c in compact)
    return compact if is_10 or is_13 else InvalidValue


@st.composite
def isbn_like(draw: st.DrawFn) -> str:
    """Digits (sometimes a final x/X or a stray character) with separators sprinkled in."""
    length = draw(st.sampled_from([9, 10, 11, 12, 13, 14]))
    chars = list(draw(st.text(alphabet=ASCII_DIGITS, min_size=length, max_size=length)))
    if draw(st.booleans()):
        chars[-1] = draw(st.sampled_from("xX"))
    if draw(st.integers(0, 4)) == 0:
        spot = draw(st.integers(0, length - 1))
        chars[spot] = draw(st.sampled_from("\u0663\uff19²aXx_.\t\u00a0\x00"))
    pieces = [draw(st.text(alphabet="- ", max_size=3)) + c for c in chars]
    raw = draw(WHITE) + "".join(pieces) + draw(st.text(alphabet="- ", max_size=2)) + draw(WHITE)
    return raw[:64]


@given(st.one_of(st.none(), st.text(), st.text(alphabet=TRICKY, max_size=16), isbn_like()))
def test_isbn(raw: str | None) -> None:
    result = outcome(lambda: Isbn.parse(raw))
    if raw is None:
        assert result is None
        return
    expected = expected_isbn(raw)
    if expected is None or expected is InvalidValue:
        assert result is expected
        return
    assert result == Isbn(expected)  # type: ignore[arg-type]
    assert Isbn.parse(expected) == result  # type: ignore[arg-type]


# Email: null, or local@domain.tld (no white space, exactly one @, a dotted domain whose
# labels are not empty), at most 254 characters after trimming; empty means null.


def expected_email(raw: str) -> str | type[InvalidValue] | None:
    text = trimmed(raw)
    if text == "":
        return None
    if len(text) > 254 or "\x00" in text or any(c.isspace() for c in text):
        return InvalidValue
    if text.count("@") != 1:
        return InvalidValue
    local, domain = text.split("@")
    labels = domain.split(".")
    if not local or len(labels) < 2 or not all(labels):
        return InvalidValue
    return text


@st.composite
def email_like(draw: st.DrawFn) -> str:
    plain = st.text(alphabet="abé+", min_size=1, max_size=4)
    part = plain | plain | plain | st.text(alphabet="ab.@ \t\x00é", max_size=4)
    local = draw(part | st.text(alphabet="a", min_size=238, max_size=248))
    labels = draw(st.lists(part, min_size=1, max_size=4))
    return draw(WHITE) + local + "@" + ".".join(labels) + draw(WHITE)


@given(st.one_of(st.none(), st.text(), st.text(alphabet=TRICKY, max_size=16), email_like()))
def test_email(raw: str | None) -> None:
    result = outcome(lambda: Email.parse(raw))
    if raw is None:
        assert result is None
        return
    expected = expected_email(raw)
    if expected is None or expected is InvalidValue:
        assert result is expected
        return
    assert result == Email(expected)  # type: ignore[arg-type]
    assert Email.parse(expected) == result  # type: ignore[arg-type]
