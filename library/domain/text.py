"""The text rules every free-text field shares: trimmed, bounded, storable."""

from __future__ import annotations

from library.domain.errors import InvalidValue


def clean_text(raw: str, *, max_length: int, required: bool) -> str | None:
    """Trim `raw` and check its length.

    Returns the trimmed text, or None when an optional text is empty after trimming.

    Raises:
        InvalidValue: a required text is empty, the text is too long, or it holds a NUL
            character (PostgreSQL cannot store one, so no implementation accepts it).
    """
    if not isinstance(raw, str):
        raise InvalidValue("must be a string")
    text = raw.strip()
    if not text:
        if required:
            raise InvalidValue("must not be empty")
        return None
    if len(text) > max_length:
        raise InvalidValue(f"must be at most {max_length} characters")
    if "\x00" in text:
        raise InvalidValue("must not contain NUL characters")
    return text


def required_text(raw: str, *, max_length: int) -> str:
    text = clean_text(raw, max_length=max_length, required=True)
    assert text is not None  # required=True never returns None
    return text
