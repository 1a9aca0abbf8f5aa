"""Check decoded JSON against a Python annotation, naming the path of a wrong value.

Seeds and state files are JSON; the methods and models they feed are annotated
Python. Checking one against the other means a seed ``{"instance_id": 123}`` is
refused when it is posted, with ``seed[0].instance_id: expected a string, got
123``, instead of being stored and breaking every later seed. The annotations
stay the one place a type is declared.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import json
import typing
from typing import Any, Union

from ..exceptions import CKafkaUsageError
from .strict_json import JSONPath, format_path

__all__ = ["check_model", "check_value", "describe_type", "json_kind"]

_NONE = type(None)
_SEQUENCES = (list, collections.abc.Sequence, collections.abc.Iterable, tuple)
_MAPPINGS = (dict, collections.abc.Mapping)


def json_kind(value: Any) -> str:
    """``"an object"``, ``"a list"``...: the JSON type of ``value``, for error messages.

    >>> json_kind([]), json_kind(None), json_kind(1.5)
    ('a list', 'null', 'a number')
    """
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else "?")


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
        return f"a list of {len(args)} {_plural(args[0])}" if args else "a list"
    if origin in _SEQUENCES or annotation in _SEQUENCES:
        return f"a list of {_plural(args[0])}" if args else "a list"
    if origin in _MAPPINGS or annotation in _MAPPINGS:
        return f"an object of {_plural(args[1])}" if args and args[1] is not Any else "an object"
    if dataclasses.is_dataclass(annotation):
        return "an object"
    return _SCALARS.get(annotation, ("a value", ""))[0]


_SCALARS = {
    str: ("a string", "strings"),
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    bool: ("true or false", "booleans"),
}


def _plural(annotation: Any) -> str:
    if annotation in _SCALARS:
        return _SCALARS[annotation][1]
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
    pytest_ckafka.exceptions.CKafkaUsageError: seed[0].partitions: expected an integer, got "3"
    """
    if not _matches(value, annotation, root, path):
        shown = json.dumps(value, ensure_ascii=True, default=repr)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        where = format_path(root, path)
        raise CKafkaUsageError(f"{where}: expected {describe_type(annotation)}, got {shown}")


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
