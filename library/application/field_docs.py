"""What clients may send in each field of a command or query, for generated API documents.

The rules are enforced by the domain's value objects and the read side's parameter checks;
the numbers given here are the same constants, imported from there, so a document generated
from these classes cannot drift from what the service accepts. They travel as attrs field
metadata: `title: str = field(metadata=described("...", max_length=TITLE_MAX_LENGTH))`.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs import frozen

FIELD_DOC = "library.field_doc"


@frozen(kw_only=True)
class FieldDoc:
    """A field's description and the limits a client must respect.

    Lengths count characters after trimming surrounding white space, as the domain does.
    `integer_text` marks a query parameter whose text must be an integer; `default` is what an
    absent parameter means; `item` describes each element of a list field.
    """

    description: str = ""
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None  # a regular expression valid in Python and ECMA-262 alike
    choices: tuple[str, ...] = ()
    integer_text: bool = False
    default: int | None = None
    item: FieldDoc | None = None


def described(description: str = "", **limits: Any) -> dict[str, FieldDoc]:
    """Build the metadata of an attrs field: its description and limits (see `FieldDoc`)."""
    return {FIELD_DOC: FieldDoc(description=description, **limits)}


def field_doc(field: attrs.Attribute[Any]) -> FieldDoc | None:
    """The documentation attached to `field`, if any."""
    doc = field.metadata.get(FIELD_DOC)
    return doc if isinstance(doc, FieldDoc) else None
