"""JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) derived from attrs classes.

The HTTP edge structures request bodies into the use cases' command classes and answers with
their read models; the schemas here are computed from those very classes (their type hints,
defaults and `FieldDoc` metadata), so the document cannot describe fields the service does
not have. Supported: int, str, float, bool, None (in unions: nullable), Literal, list[X],
tuple[X, ...], Sequence[X], nested attrs classes (as components), and UNSET (a field that may
be left out of a partial update).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from library.application.changes import Unset
from library.application.field_docs import FieldDoc, field_doc

Schema = dict[str, Any]

COMPONENTS = "#/components/schemas/"

_SCALARS: dict[Any, str] = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    type(None): "null",
}
_ARRAYS = (list, tuple, Sequence)


def component_name(cls: type) -> str:
    """The name of `cls` in the document: read models lose their `View` suffix."""
    return cls.__name__.removesuffix("View") or cls.__name__


def _nullable(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def constrained(schema: Schema, doc: FieldDoc) -> Schema:
    """Add the limits and description of `doc` to `schema` (limits of items go to items)."""
    result = dict(schema)
    if doc.description:
        result["description"] = doc.description
    limits = {
        "minLength": doc.min_length,
        "maxLength": doc.max_length,
        "minimum": doc.minimum,
        "maximum": doc.maximum,
        "pattern": doc.pattern,
        "default": doc.default,
    }
    result.update({key: value for key, value in limits.items() if value is not None})
    if doc.choices:
        nullable = "null" in result.get("type", ())
        result["enum"] = [*doc.choices, None] if nullable else list(doc.choices)
    if doc.item is not None:
        result["items"] = constrained(result.get("items", {}), doc.item)
    return result


def _default(field: attrs.Attribute[Any]) -> tuple[bool, object]:
    """(whether the default is a JSON value, that value), for a field that has one."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs types it as a function
        default = default.factory()  # list and tuple factories: an empty array
    if isinstance(default, tuple):
        default = list(default)
    if default is None or isinstance(default, bool | int | float | str | list):
        return True, default
    return False, None


class SchemaBuilder:
    """Build schemas, collecting every attrs class met as a named component.

    A class used in a request body is "closed" (`additionalProperties: false`, since unknown
    fields get a 422); response classes stay open, so that clients ignoring extensions do
    not notice new fields. One class is never both.
    """

    def __init__(self) -> None:
        self.components: dict[str, Schema] = {}
        self._classes: dict[str, tuple[type, bool]] = {}

    def schema(self, hint: Any, *, closed: bool = False) -> Schema:
        """The schema of a value of type `hint`."""
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            return self._union(typing.get_args(hint), closed)
        if origin is Literal:
            values = list(typing.get_args(hint))
            kinds = {_SCALARS[type(value)] for value in values}
            return {"type": kinds.pop(), "enum": values} if len(kinds) == 1 else {"enum": values}
        if origin in _ARRAYS:
            args = typing.get_args(hint)
            if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
                raise TypeError(f"only homogeneous tuples can be documented, not {hint!r}")
            return {"type": "array", "items": self.schema(args[0], closed=closed)}
        if hint is dict or origin is dict:
            return {"type": "object"}
        if hint in _SCALARS:
            return {"type": _SCALARS[hint]}
        if isinstance(hint, type) and attrs.has(hint):
            return {"$ref": COMPONENTS + self._component(hint, closed)}
        raise TypeError(f"cannot document values of type {hint!r}")

    def _union(self, args: tuple[Any, ...], closed: bool) -> Schema:
        kept = []
        for arg in args:  # UNSET: the field may be left out
            if arg is not Unset and arg not in kept:
                kept.append(arg)
        nullable = type(None) in kept
        rest = [arg for arg in kept if arg is not type(None)]
        if len(rest) == 1:
            schema = self.schema(rest[0], closed=closed)
            return _nullable(schema) if nullable else schema
        options = [self.schema(arg, closed=closed) for arg in rest]
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}

    def _component(self, cls: type, closed: bool) -> str:
        name = component_name(cls)
        known = self._classes.get(name)
        if known is not None:
            if known != (cls, closed):
                raise TypeError(f"{name} names two schemas ({known[0]!r} and {cls!r})")
            return name
        self._classes[name] = (cls, closed)
        self.components[name] = {}  # reserved while its fields are built (recursion)
        hints = typing.get_type_hints(cls)
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for field in attrs.fields(typing.cast(type[attrs.AttrsInstance], cls)):
            prop = self.schema(hints[field.name], closed=closed)
            doc = field_doc(field)
            if doc is not None:
                prop = constrained(prop, doc)
            if field.default is attrs.NOTHING:
                required.append(field.name)
            elif closed:
                is_json, value = _default(field)
                if is_json:
                    prop.setdefault("default", value)
            properties[field.name] = prop
        schema: Schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        if closed:
            schema["additionalProperties"] = False
        if cls.__doc__:
            schema["description"] = " ".join(cls.__doc__.split("\n\n")[0].split())
        self.components[name] = schema
        return name


def parameter_schema(hint: Any, doc: FieldDoc) -> Schema:
    """The schema of a query parameter read as text into a field of type `hint`.

    Absent parameters are None, so None is not part of the schema; `doc.integer_text` marks
    text that must hold an integer.
    """
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    schema = {"type": "integer"} if doc.integer_text else SchemaBuilder().schema(hint)
    return constrained(schema, doc)
