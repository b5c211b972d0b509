"""JSON in and out: strict structuring into the use cases' commands, and response encoding.

JSON types are never converted (`"5"`, `5.0` and `true` are not integers), unknown keys are
refused, and every fault is reported with its body path (`author_ids[2]`), as a
`ValidationFailed` that the error module maps to the same 422 as the use cases' own.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs
from cattrs import Converter
from cattrs.cols import list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn
from cattrs.preconf.orjson import make_converter

from library.application.changes import Unset
from library.domain.errors import FieldError, ValidationFailed

T = TypeVar("T")


class WrongJsonTypeError(TypeError):
    """A JSON value of the wrong type; its message is shown to the client as is."""


def _strict_int(value: object, _: object) -> int:
    if type(value) is not int:
        raise WrongJsonTypeError("must be an integer")
    return value


def _strict_str(value: object, _: object) -> str:
    if type(value) is not str:
        raise WrongJsonTypeError("must be a string")
    return value


def _is_list(cls: Any) -> bool:
    return typing.get_origin(cls) is list


def _strict_list(cls: Any, converter: Converter) -> Callable[[object, Any], list[Any]]:
    items = list_structure_factory(cls, converter)  # cattrs would take any iterable

    def structure(value: object, _: Any) -> list[Any]:
        if type(value) is not list:
            raise WrongJsonTypeError("must be an array")
        structured: list[Any] = items(value, cls)
        return structured

    return structure


def _is_partial(cls: Any) -> bool:
    """Whether `cls` is a partial update (fields that may be UNSET)."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return False
    return any(Unset in typing.get_args(hint) for hint in typing.get_type_hints(cls).values())


def _without_unset(hint: Any) -> Any:
    kept = [arg for arg in typing.get_args(hint) if arg is not Unset]
    return functools.reduce(operator.or_, kept)


def _partial(cls: type[T], converter: Converter) -> Callable[[object, Any], T]:
    """Structure only the keys present, each to its type without UNSET.

    An absent key stays UNSET (the class default) and an explicit null stays None, which is
    the distinction a PATCH needs and cattrs' generated functions do not make.
    """
    hints = typing.get_type_hints(cls)
    hooks = {
        field.name: (target, converter.get_structure_hook(target))
        for field in attrs.fields(typing.cast(type[attrs.AttrsInstance], cls))
        for target in [_without_unset(hints[field.name])]
    }

    def structure(value: object, _: Any) -> T:
        if not isinstance(value, dict):
            raise WrongJsonTypeError("must be an object")
        given: dict[str, Any] = {}
        errors: list[Exception] = []
        for name, (target, hook) in hooks.items():
            if name not in value:
                continue
            try:
                given[name] = hook(value[name], target)
            except Exception as error:
                error.add_note(
                    AttributeValidationNote(f"Structuring {cls.__name__}.{name}", name, target)
                )
                errors.append(error)
        extra = value.keys() - hooks.keys()
        if extra:
            errors.append(ForbiddenExtraKeysError("", cls, set(extra)))
        if errors:
            raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
        return cls(**given)

    return structure


def _is_whole(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and not _is_partial(cls)


def _whole(cls: type[T], converter: Converter) -> Callable[[object, Any], T]:
    """cattrs' generated function, behind a check that the value is an object."""
    structure_fields = make_dict_structure_fn(cls, converter)

    def structure(value: object, _: Any) -> T:
        if not isinstance(value, dict):
            raise WrongJsonTypeError("must be an object")
        return structure_fields(value, cls)

    return structure


@functools.cache
def json_converter() -> Converter:
    """Return the converter of the HTTP edge (built once, on first use)."""
    converter = make_converter(forbid_extra_keys=True)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook_factory(_is_list, _strict_list)
    converter.register_structure_hook_factory(_is_partial, _partial)
    converter.register_structure_hook_factory(_is_whole, _whole)
    return converter


def _faults(error: BaseException, path: str) -> Iterator[FieldError]:
    """Walk cattrs' nested validation errors, yielding one fault per field at fault."""
    if isinstance(error, ClassValidationError):
        with_names, without_name = error.group_exceptions()
        for inner, name_note in with_names:
            yield from _faults(inner, f"{path}.{name_note.name}" if path else name_note.name)
        for inner in without_name:
            yield from _faults(inner, path)
    elif isinstance(error, IterableValidationError):
        with_indexes, without_index = error.group_exceptions()
        for inner, index_note in with_indexes:
            yield from _faults(inner, f"{path}[{index_note.index}]")
        for inner in without_index:
            yield from _faults(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields):
            yield FieldError(f"{path}.{key}" if path else key, "unknown field")
    elif isinstance(error, KeyError):
        yield FieldError(path, "field required")
    elif isinstance(error, WrongJsonTypeError):
        yield FieldError(path, str(error))
    else:
        yield FieldError(path, "invalid value")


def structure(data: object, cls: type[T], root: str = "") -> T:
    """Structure parsed JSON into `cls`, strictly.

    Args:
        data: the parsed body.
        cls: the command class (or type) to build.
        root: the field name to report for the body itself (a bare array of ids).

    Raises:
        ValidationFailed: every field at fault, by body path.
    """
    try:
        return json_converter().structure(data, cls)
    except (ClassValidationError, IterableValidationError, WrongJsonTypeError) as error:
        raise ValidationFailed(list(_faults(error, root))) from error
