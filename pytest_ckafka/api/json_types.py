"""JSON types in messages, and decoded JSON checked against a Python annotation.

Every message that names a JSON type says it with :func:`json_noun`: "an
object", "a list", "a string", "an integer", "a number", "a boolean", "null";
what was received is :func:`json_kind` (its noun) or :func:`json_echo` (its noun
and its JSON text).

Seeds and state files are JSON; the methods and models they feed are annotated
Python. Checking one against the other means a seed ``{"instance_id": 123}`` is
refused when it is posted, with ``seed[0].instance_id: expected a string, got a
number 123``, instead of being stored and breaking every later seed. The annotations
stay the one place a type is declared.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import json
import typing
from typing import Any, Literal, Union

from ..exceptions import CKafkaUsageError
from .limits import clip
from .strict_json import JSONPath, format_path

__all__ = [
    "JsonType",
    "check_model",
    "check_value",
    "describe_type",
    "json_echo",
    "json_kind",
    "json_noun",
]

JsonType = Literal["object", "list", "string", "integer", "number", "boolean", "null"]
"""The JSON types a message names (``integer``: a number with no fraction)."""

_NOUNS: dict[str, tuple[str, str]] = {
    "object": ("an object", "objects"),
    "list": ("a list", "lists"),
    "string": ("a string", "strings"),
    "integer": ("an integer", "integers"),
    "number": ("a number", "numbers"),
    "boolean": ("a boolean", "booleans"),
    "null": ("null", "nulls"),
}
_ECHO_CHARS = 60

_NONE = type(None)
_SEQUENCES = (list, collections.abc.Sequence, collections.abc.Iterable, tuple)
_MAPPINGS = (dict, collections.abc.Mapping)


def json_noun(kind: JsonType, *, plural: bool = False) -> str:
    """The words for a JSON type: ``"a list"``, or ``"lists"`` with ``plural``.

    >>> json_noun("integer"), json_noun("object", plural=True)
    ('an integer', 'objects')
    """
    return _NOUNS[kind][plural]


def json_kind(value: Any) -> str:
    """``"an object"``, ``"a list"``...: the JSON type of a received ``value``.

    Any number is ``"a number"``, as JSON has one number type; a Python value
    JSON has no type for is named by its class (``"a set"``).

    >>> json_kind([]), json_kind(None), json_kind(1.5), json_kind(3), json_kind({1})
    ('a list', 'null', 'a number', 'a number', 'a set')
    """
    if value is None:
        return json_noun("null")
    if isinstance(value, bool):
        return json_noun("boolean")
    if isinstance(value, (int, float)):
        return json_noun("number")
    if isinstance(value, str):
        return json_noun("string")
    if isinstance(value, collections.abc.Mapping):
        return json_noun("object")
    if isinstance(value, (list, tuple)):
        return json_noun("list")
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def json_echo(value: Any, limit: int = _ECHO_CHARS) -> str:
    """What was received, for a message: its JSON type and its JSON text, clipped.

    >>> json_echo("3"), json_echo(True), json_echo(None), json_echo([1, "a"])
    ('a string "3"', 'a boolean true', 'null', 'a list [1, "a"]')
    """
    if value is None:
        return "null"
    try:
        shown = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):  # a mapping with tuple keys, a cycle
        shown = repr(value)
    return f"{json_kind(value)} {clip(shown, limit)}"


def describe_type(annotation: Any) -> str:
    """``"a string"``, ``"a list of integers"``...: an annotation in JSON words.

    >>> describe_type(typing.Optional[list[int]])
    'a list of integers or null'
    """
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is Any:
        return "any JSON value"
    if origin is Union:
        return " or ".join(describe_type(arg) for arg in args)
    if annotation is _NONE:
        return "null"
    if origin is tuple:
        return f"a list of {len(args)} {_plural(args[0])}" if args else json_noun("list")
    if origin in _SEQUENCES or annotation in _SEQUENCES:
        return f"a list of {_plural(args[0])}" if args else json_noun("list")
    if origin in _MAPPINGS or annotation in _MAPPINGS:
        if args and args[1] is not Any:
            return f"an object of {_plural(args[1])}"
        return json_noun("object")
    if dataclasses.is_dataclass(annotation):
        return json_noun("object")
    kind = _SCALARS.get(annotation)
    return json_noun(kind) if kind else "a value"


_SCALARS: dict[Any, JsonType] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _plural(annotation: Any) -> str:
    if annotation in _SCALARS:
        return json_noun(_SCALARS[annotation], plural=True)
    return describe_type(annotation).replace("a list", "lists").replace("an object", "objects")


def check_value(value: Any, annotation: Any, root: str, path: JSONPath = ()) -> None:
    """Raise :class:`CKafkaUsageError` ``"<path>: expected <type>, got <value>"`` on a mismatch.

    Understands ``str``, ``int``, ``float`` (an integer is a number), ``bool``,
    ``Any``, ``Optional``/``Union``, lists and sequences (a ``tuple[X, Y]`` is a
    JSON list of two), mappings with string keys, and dataclasses (each field by
    its annotation). ``bool`` is never an integer, as JSON keeps them apart.

    >>> check_value({"partitions": "3"}, dict[str, int], "seed[0]")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: seed[0].partitions: expected an integer, \
got a string "3"
    """
    if not _matches(value, annotation, root, path):
        where = format_path(root, path)
        expected = describe_type(annotation)
        raise CKafkaUsageError(f"{where}: expected {expected}, got {json_echo(value)}")


def _matches(value: Any, annotation: Any, root: str, path: JSONPath) -> bool:
    """True when ``value`` fits; a mismatch deeper down raises with its own path."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is Any:
        return True
    if origin is Union:
        # The first alternative that fits at the top decides, so a deeper mismatch is
        # reported at its own path instead of as "expected A or B" for the whole value.
        for arg in args:
            if _shallow(value, arg):
                check_value(value, arg, root, path)
                return True
        return False
    if not _shallow(value, annotation):
        return False
    if origin is tuple:
        if len(value) != len(args):
            return False
        for index, (item, arg) in enumerate(zip(value, args)):
            check_value(item, arg, root, (*path, index))
    elif (origin in _SEQUENCES or annotation in _SEQUENCES) and args:
        for index, item in enumerate(value):
            check_value(item, args[0], root, (*path, index))
    elif (origin in _MAPPINGS or annotation in _MAPPINGS) and args:
        for key, item in value.items():
            check_value(item, args[1], root, (*path, key))
    elif dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        check_model(value, root, path)
    return True


def _shallow(value: Any, annotation: Any) -> bool:
    """The top-level JSON type only: an object, a list, a string, a number..."""
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return True
    if origin is Union:
        return any(_shallow(value, arg) for arg in typing.get_args(annotation))
    if annotation is _NONE:
        return value is None
    if origin in _SEQUENCES or annotation in _SEQUENCES:
        return isinstance(value, (list, tuple))
    if origin in _MAPPINGS or annotation in _MAPPINGS:
        return isinstance(value, collections.abc.Mapping)
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return isinstance(value, annotation)
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True  # an annotation this checker does not know: the callee decides


def check_model(model: Any, root: str, path: JSONPath = ()) -> None:
    """Check every field of dataclass instance ``model`` against its annotation.

    For data built from JSON by ``Model(**raw)``, which checks names but not types.
    """
    for name, annotation in _hints(type(model)).items():
        value = getattr(model, name)
        if type(value) is not annotation:  # the usual case, a plain str or int, is done
            check_value(value, annotation, root, (*path, name))


_HINTS: dict[type, dict[str, Any]] = {}  # get_type_hints evaluates strings: once per model


def _hints(model: type) -> dict[str, Any]:
    hints = _HINTS.get(model)
    if hints is None:
        names = {f.name for f in dataclasses.fields(model)}
        hints = {k: v for k, v in typing.get_type_hints(model).items() if k in names}
        _HINTS[model] = hints
    return hints
