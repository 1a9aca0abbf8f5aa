"""Spec-valid success bodies for every CKafka action, built from the API model.

The default body of an action is its documented example output, repaired and
completed from the schema at every depth:

* a member the example lacks is added when it is ``output_required``;
* a ``null`` is replaced by a value unless the member is nullable *and* not
  output-required (the documentation shows the real API sending such nulls);
* a value of the wrong JSON type is coerced (``"123"`` for an int64 becomes ``123``)
  or, when it cannot be, replaced by a generated one;
* a member the schema does not know is dropped, so the official SDK never warns
  that "fileds are useless".

An action without an example, and any object added while completing one, is
generated from the schema: every member except disabled ones (deprecated, the
real API stops filling them) unless they are output-required; integers,
booleans and floats as JSON numbers/booleans, ``datetime`` as
``YYYY-MM-DD HH:MM:SS``, ``datetime_iso`` as ``2019-08-19T10:00:00Z``, nested
objects filled and lists holding one filled item. Output is deterministic.

Bodies are built once per action, on first use; each call returns a fresh copy
of the cached one, and :func:`default_body_json` the cached compact JSON text.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Callable, Optional

from ..exceptions import CKafkaUsageError
from .spec import Member, Spec, load_spec
from .suggest import unknown_name_message
from .wire import compact_json

__all__ = ["default_body", "default_body_json", "synthesize"]

# The schema has no recursive objects today; the guard keeps a future one finite.
_MAX_DEPTH = 12

_DATETIME_DEFAULT = "2019-08-19 10:00:00"
_DATETIME_ISO_DEFAULT = "2019-08-19T10:00:00Z"
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_DATETIME_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})")
_INT_KINDS = frozenset({"int64", "uint64", "int"})
_FLOAT_KINDS = frozenset({"float", "double"})

# Only for the few string members the documentation gives no example for:
# id-shaped names get an id-shaped value so the body reads like a real one.
_STRING_BY_NAME_PART = (
    ("InstanceId", "ckafka-xxxxxxxx"),
    ("TopicId", "topic-xxxxxxxx"),
    ("SecurityGroup", "sg-xxxxxxxx"),
    ("EniId", "eni-xxxxxxxx"),
    ("Ip", "10.0.0.1"),
)


def default_body(action: str) -> dict[str, Any]:
    """Return a fresh, spec-valid ``Response`` body for ``action`` (no ``RequestId``).

    The caller owns the dict: mutating it never affects the next call. An unknown
    action raises :class:`~pytest_ckafka.exceptions.UnknownActionError`.

    >>> body = default_body("DescribeInstanceAttributes")
    >>> body["Result"]["InstanceId"]
    'ckafka-pkwxedpq'
    >>> "RequestId" in body
    False
    """
    body: dict[str, Any] = _copy(_canonical_body(action))
    return body


def default_body_json(action: str) -> str:
    """The default body of ``action`` as compact JSON object text, braces included.

    The text is built once and cached; it is exactly what
    :func:`~pytest_ckafka.api.wire.compact_json` writes for :func:`default_body`.
    An envelope is spliced around it without parsing, by dropping the closing
    brace and appending ``RequestId`` last (as the real API orders it); mind the
    comma for an empty body ``"{}"``:

    >>> text = default_body_json("DeleteTopic")
    >>> text.startswith("{") and text.endswith("}")
    True
    >>> inner = text[:-1] + ("," if len(text) > 2 else "")
    >>> envelope = '{"Response":' + inner + '"RequestId":"r-1"}}'
    >>> import json
    >>> json.loads(envelope)["Response"]["RequestId"]
    'r-1'
    """
    return _default_text(action)


def synthesize(object_name: str) -> dict[str, Any]:
    """Return a fresh object of type ``object_name`` generated from the schema.

    Every member is filled (disabled ones only when output-required), with the
    documented example value where it has the right type.

    >>> synthesize("Tag")
    {'TagKey': 'tagkey-test', 'TagValue': 'tagvalue-test'}
    """
    spec = load_spec()
    if object_name not in _object_names(spec):
        message = unknown_name_message("object", object_name, _object_names(spec))
        raise CKafkaUsageError(message)
    obj: dict[str, Any] = _copy(_synthesized(object_name))
    return obj


# functools.cache keeps only successful builds: an unknown action raises (with a
# suggestion, from spec.action) on every call rather than being cached.
@functools.cache
def _canonical_body(action: str) -> dict[str, Any]:
    spec = load_spec()
    info = spec.action(action)
    builder = _Builder(spec)
    if info.example_output is None:
        return builder.object(info.output, ())
    return builder.complete(info.output, info.example_output, ())


@functools.cache
def _default_text(action: str) -> str:
    return compact_json(_canonical_body(action))


@functools.cache
def _synthesized(object_name: str) -> dict[str, Any]:
    return _Builder(load_spec()).object(object_name, ())


def _copy(value: Any) -> Any:
    # Measured faster than json.loads of the cached text (about 1.4x) and than
    # copy.deepcopy (about 3x); the cached bodies hold only dicts, lists and scalars.
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    return value


@functools.cache
def _object_names(spec: Spec) -> frozenset[str]:
    # Spec exposes objects by name only, so collect them from the actions outward.
    seen: set[str] = set()
    todo = [name for a in spec.actions.values() for name in (a.input, a.output)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(m.kind for m in spec.members(name).values() if m.is_object)
    return frozenset(seen)


class _Builder:
    """Builds one body; ``stack`` holds the object names being built, for the cycle guard."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    # --- generation from the schema -------------------------------------------------

    def object(self, name: str, stack: tuple[str, ...]) -> dict[str, Any]:
        """Every member of ``name`` filled; disabled optional members left out."""
        stack = (*stack, name)
        result: dict[str, Any] = {}
        for member in self.spec.members(name).values():
            if member.disabled and not member.output_required:
                continue
            value = self.value(member, stack)
            if value is not None:
                result[member.name] = value
        return result

    def value(self, member: Member, stack: tuple[str, ...]) -> Any:
        """A generated value for ``member``; None only for an optional member at a cycle."""
        if member.is_object:
            if member.kind in stack or len(stack) >= _MAX_DEPTH:
                if not member.output_required:
                    return None
                return [] if member.type == "list" else {}
            item: Any = self.object(member.kind, stack)
        else:
            item = _scalar(member)
        return [item] if member.type == "list" else item

    # --- completion of a documented example -----------------------------------------

    def complete(self, name: str, example: Any, stack: tuple[str, ...]) -> dict[str, Any]:
        """``example`` repaired member by member; missing output-required members added."""
        if not isinstance(example, dict):
            return self.object(name, stack)
        stack = (*stack, name)
        result: dict[str, Any] = {}
        # Schema order, not example order: documented and added members then sort alike.
        for member in self.spec.members(name).values():
            if member.name in example:
                raw = example[member.name]
                if raw is None and member.nullable and not member.output_required:
                    result[member.name] = None  # the documented API sends this null
                    continue
                value = self.repair(member, raw, stack)
            elif member.output_required:
                value = self.value(member, stack)
            else:
                continue
            if value is not None:
                result[member.name] = value
        return result

    def repair(self, member: Member, value: Any, stack: tuple[str, ...]) -> Any:
        """The example ``value`` with wrong types fixed or, failing that, generated."""
        if value is None:
            return self.value(member, stack)
        if member.type != "list":
            return self.repair_item(member, value, stack)
        items = value if isinstance(value, list) else [value]
        fixed = [self.repair_item(member, item, stack) for item in items]
        return [item for item in fixed if item is not None]

    def repair_item(self, member: Member, value: Any, stack: tuple[str, ...]) -> Any:
        if not member.is_object:
            coerced = _coerce(member, value)
            return _scalar(member) if coerced is None else coerced
        if member.kind in stack or len(stack) >= _MAX_DEPTH:
            return None
        return self.complete(member.kind, value, stack)


def _scalar(member: Member) -> Any:
    """A value of ``member``'s scalar kind: its example when that parses, else a default."""
    if member.example is not None:
        coerced = _coerce(member, member.example)
        if coerced is not None:
            return coerced
    kind = member.kind
    if kind in _INT_KINDS:
        return 1
    if kind in _FLOAT_KINDS:
        return 1.0
    if kind == "bool":
        return False
    if kind == "datetime":
        return _DATETIME_DEFAULT
    if kind == "datetime_iso":
        return _DATETIME_ISO_DEFAULT
    return _string_for(member.name)


def _string_for(name: str) -> str:
    for part, value in _STRING_BY_NAME_PART:
        if part in name:
            return value
    # Tag keys and the like read naturally as kebab-case of their member name.
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _to_int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            number = float(value)  # "1e3" and "3.0" are integers written loosely
            return int(number) if number.is_integer() else None
    return None


def _to_uint(value: Any) -> Optional[int]:
    number = _to_int(value)
    return number if number is not None and number >= 0 else None


def _to_float(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        number = float(value.strip())
        return number if math.isfinite(number) else None  # JSON has no NaN or Infinity
    return None


def _to_bool(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _to_string(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


def _matching(pattern: re.Pattern[str]) -> Callable[[Any], Optional[str]]:
    def convert(value: Any) -> Optional[str]:
        return value if isinstance(value, str) and pattern.fullmatch(value) else None

    return convert


_COERCERS: dict[str, Callable[[Any], Any]] = {
    "int64": _to_int,
    "int": _to_int,
    "uint64": _to_uint,
    "float": _to_float,
    "double": _to_float,
    "bool": _to_bool,
    "string": _to_string,
    "datetime": _matching(_DATETIME_RE),
    "datetime_iso": _matching(_DATETIME_ISO_RE),
}


def _coerce(member: Member, value: Any) -> Any:
    """``value`` as ``member``'s scalar kind, or None when it does not convert cleanly."""
    converter: Callable[[Any], Any] = _COERCERS.get(member.kind, _to_string)
    try:
        return converter(value)
    except (TypeError, ValueError, OverflowError):
        return None
