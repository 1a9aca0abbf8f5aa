"""Check a call's parameters against the spec and answer as the real CKafka API would.

:func:`validate_request` returns ``None`` for a request the API accepts, and
otherwise ``(code, message)`` with the code the API uses, ready for the error
envelope. A bad request is an answer, not an exception: only an unknown action
raises (:class:`~pytest_ckafka.exceptions.UnknownActionError`), because the
caller answers ``InvalidAction`` before it validates.

The rules hold at every depth: objects, lists, objects inside lists.

* ``UnsupportedRegion``: ``region`` is not a CKafka region (:func:`ckafka_regions`).
  No region (``None`` or ``""``) is accepted: the SDK leaves the header out when
  its client has no region, and region-less calls such as DescribeRegion exist.
* ``UnknownParameter``: a name the object does not have (names are
  case-sensitive). The real message is followed by a suggestion
  (`` Did you mean `InstanceId`?``) or, for an object of at most 12 members,
  the valid names: a test author reads this message, and the first sentence
  stays the API's own. Deprecated (disabled) members are known: the SDK
  still sends them.
* ``MissingParameter``: a required member is absent from an object that is
  present. Members of an absent optional object are not required.
* ``InvalidParameter``: a value of the wrong JSON type. ``bool`` is never a
  number; an integer is a valid float; a float is never an integer (``10.0``
  is rejected); a tuple is a list. ``null`` is accepted only for a member the
  spec marks nullable, and never as a list item.
* ``InvalidParameterValue``: the type is right but the value is not:

  - an ``int64`` outside the signed 64-bit range, a ``uint64`` below 0 or
    above 2**64 - 1, a float that is NaN or infinite;
  - a ``datetime`` string that is not ``YYYY-MM-DD HH:MM:SS``, or a
    ``datetime_iso`` one that is not ``YYYY-MM-DDTHH:MM:SS[.f][Z|+HH:MM]``,
    or either naming a day or time that does not exist;
  - an empty string or empty list for a required member of the request
    itself. Those are all identifiers, names, enums and id lists, where empty
    means nothing; nested required strings are data (a transform's
    ``OldValue``/``NewValue``, a ``Delimiter``) where ``""`` can be meant, and
    the items of a list are values, not members, so they may be ``""``.

Only the first problem is answered, as the real API does. The region comes
first, then the request object. Within an object its unknown names come first
(in the request's order, since a misspelt name usually explains the "missing"
one), then its members in spec order (alphabetical, as the generated spec
stores them): absent-but-required, wrong type, bad value, and for an object or
a list of objects the same walk inside it, before the next member.

Tables of each action's members are built on first use and kept, so a call
costs a few dictionary look-ups per parameter sent.

>>> validate_request("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 20}, "ap-guangzhou")
>>> validate_request("DescribeTopic", {"Limit": "20"}, None)
('MissingParameter', 'The request is missing a required parameter `InstanceId`.')
>>> validate_request("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": "20"}, None)
('InvalidParameter', 'The parameter `Limit` must be an integer, got a string "20".')
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Optional

from .json_types import JsonType, json_echo, json_noun
from .limits import clip
from .spec import Spec, load_spec
from .suggest import closest

__all__ = ["ckafka_regions", "validate_request"]

_Problem = tuple[str, str]

# Scalar kinds (Member.kind) by what is checked; every other member is an object.
_STRING, _INT64, _UINT64, _BOOL, _FLOAT, _DATETIME, _DATETIME_ISO, _OBJECT = range(8)
_KINDS = {
    "string": _STRING,
    "int64": _INT64,
    "int": _INT64,
    "uint64": _UINT64,
    "bool": _BOOL,
    "float": _FLOAT,
    "double": _FLOAT,
    "datetime": _DATETIME,
    "datetime_iso": _DATETIME_ISO,
}
# The JSON type each kind must be, for messages.
_JSON_TYPES: dict[int, JsonType] = {
    _STRING: "string",
    _INT64: "integer",
    _UINT64: "integer",
    _BOOL: "boolean",
    _FLOAT: "number",
    _DATETIME: "string",
    _DATETIME_ISO: "string",
    _OBJECT: "object",
}

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT64_MAX = 2**64 - 1
_DATETIME_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})\Z")
_DATETIME_ISO_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|[+-]([0-9]{2}):([0-9]{2}))?\Z"
)
_DATETIME_FORMATS = {
    _DATETIME: "a date and time as YYYY-MM-DD HH:MM:SS",
    _DATETIME_ISO: "an ISO 8601 date and time such as 2019-08-19T00:00:00+08:00",
}

_LIST_NAMES_UP_TO = 12
_ECHO_CHARS = 60
_ABSENT: Any = object()


class _Table:
    """The members of one object, in spec order and by name."""

    __slots__ = ("by_name", "fields", "required")

    def __init__(self) -> None:
        self.fields: tuple[_Field, ...] = ()
        self.by_name: dict[str, _Field] = {}
        self.required: tuple[str, ...] = ()


_NO_TABLE = _Table()  # the table of a scalar member, which has none


class _Field:
    """One member, reduced to what a check needs.

    ``table`` holds an object's members; ``scalar`` is the kind of a member that
    is neither a list nor an object, and -1 otherwise.
    """

    __slots__ = ("is_list", "kind", "name", "non_empty", "nullable", "required", "scalar", "table")

    def __init__(self, name: str, kind: int, is_list: bool, table: _Table) -> None:
        self.name = name
        self.kind = kind
        self.is_list = is_list
        self.scalar = -1 if is_list or kind == _OBJECT else kind
        self.table = table
        self.required = self.nullable = self.non_empty = False


def validate_request(
    action: str, params: Mapping[str, Any], region: Optional[str]
) -> Optional[tuple[str, str]]:
    """Return ``None`` if the real API would accept the call, else ``(code, message)``.

    ``params`` is the nested, typed view of the call (``ParsedRequest.params``)
    and ``region`` its ``Region``/``X-TC-Region``. An unknown ``action`` raises
    :class:`~pytest_ckafka.exceptions.UnknownActionError`.

    >>> validate_request("DescribeInstancesDetail", {"Filters": [{"Name": "Status"}]}, None)
    ('MissingParameter', 'The request is missing a required parameter `Filters.0.Values`.')
    >>> validate_request("DescribeTopic", {"InstanceID": "ckafka-1"}, "ap-guangzhou")[1]
    'The parameter `InstanceID` is not recognized. Did you mean `InstanceId`?'
    """
    if region and region not in ckafka_regions():
        return "UnsupportedRegion", _region_message(region)
    table = _ACTION_TABLES.get(action)
    if table is None:
        table = _action_table(action)
    if _valid_object(table, params):
        return None
    return _first_problem(table, params, "")


def ckafka_regions() -> frozenset[str]:
    """The region codes CKafka serves, such as ``ap-guangzhou``.

    The generated spec's list: the CKafka documentation's regions and those of
    the documented DescribeRegion answer (see ``tools/catalog_source.json``).

    >>> "ap-shanghai" in ckafka_regions()
    True
    """
    return load_spec().regions


# Published only when complete, so other threads never see a half-built table.
_ACTION_TABLES: dict[str, _Table] = {}
_BUILT: dict[tuple[str, bool], _Table] = {}
_BUILD_LOCK = threading.Lock()


def _action_table(action: str) -> _Table:
    spec = load_spec()
    input_name = spec.action(action).input
    with _BUILD_LOCK:
        table = _build(spec, input_name, top=True)
        _ACTION_TABLES[action] = table
    return table


def _build(spec: Spec, object_name: str, top: bool) -> _Table:
    key = (object_name, top)
    table = _BUILT.get(key)
    if table is not None:
        return table
    table = _BUILT[key] = _Table()  # registered first: an object may contain itself
    fields = []
    for member in spec.members(object_name).values():
        kind = _KINDS.get(member.kind, _OBJECT)
        child = _build(spec, member.kind, top=False) if kind == _OBJECT else _NO_TABLE
        field = _Field(member.name, kind, member.type == "list", child)
        field.required = member.required
        field.nullable = member.nullable
        field.non_empty = top and member.required
        fields.append(field)
    table.fields = tuple(fields)
    table.by_name = {field.name: field for field in fields}
    table.required = tuple(field.name for field in fields if field.required)
    return table


# Two walks share one set of rules (_check_scalar and the flags of _Field). The
# valid request is the common case, so _valid_object only says yes or no, with
# no paths built and the usual scalars tested inline; only when it says no does
# _first_problem walk again, in the documented order, to name the problem.


def _valid_object(table: _Table, node: Mapping[Any, Any]) -> bool:
    by_name = table.by_name
    for key, value in node.items():
        field = by_name.get(key)
        if field is None:
            return False
        scalar = field.scalar
        cls = type(value)
        if cls is str:
            if scalar == _STRING and (value or not field.non_empty):
                continue
        elif cls is int:
            if scalar == _INT64 and _INT64_MIN <= value <= _INT64_MAX:
                continue
        elif cls is bool:
            if scalar == _BOOL:
                continue
        if not _valid_member(field, value):
            return False
    for name in table.required:
        if name not in node:
            return False
    return True


def _valid_member(field: _Field, value: Any) -> bool:
    if value is None:
        return field.nullable
    kind = field.kind
    if not field.is_list:
        if kind == _OBJECT:
            return _is_mapping(value) and _valid_object(field.table, value)
        if _check_scalar(kind, value) is not None:
            return False
        return not (field.non_empty and value == "")
    if not isinstance(value, (list, tuple)):
        return False
    if not value:
        return not field.non_empty
    if kind == _OBJECT:
        table = field.table
        for item in value:
            if not (_is_mapping(item) and _valid_object(table, item)):
                return False
        return True
    for item in value:
        if not (kind == _STRING and type(item) is str) and _check_scalar(kind, item) is not None:
            return False
    return True


def _is_mapping(value: Any) -> bool:
    # An ABC isinstance costs several times an exact type test; JSON gives dicts.
    return type(value) is dict or isinstance(value, Mapping)


def _first_problem(table: _Table, node: Mapping[Any, Any], prefix: str) -> Optional[_Problem]:
    """Unknown names in the request's order, then each member in spec order."""
    by_name = table.by_name
    for key in node:
        if key not in by_name:
            return "UnknownParameter", _unknown_message(table, key, prefix)
    for field in table.fields:
        value = node.get(field.name, _ABSENT)
        if value is _ABSENT:
            if field.required:
                return (
                    "MissingParameter",
                    f"The request is missing a required parameter `{prefix}{field.name}`.",
                )
            continue
        problem = _member_problem(field, value, prefix + field.name)
        if problem is not None:
            return problem
    return None


def _member_problem(field: _Field, value: Any, path: str) -> Optional[_Problem]:
    if value is None:
        return None if field.nullable else _type_problem(field, value, path)
    kind = field.kind
    if not field.is_list:
        if kind == _OBJECT:
            if not isinstance(value, Mapping):
                return _type_problem(field, value, path)
            return _first_problem(field.table, value, path + ".")
        return _scalar_problem(field, value, path)
    if not isinstance(value, (list, tuple)):
        return _type_problem(field, value, path)
    if not value and field.non_empty:
        return _empty_problem(path)
    for index, item in enumerate(value):
        where = f"{path}.{index}"
        if kind != _OBJECT:
            problem = _scalar_problem(field, item, where, item=True)
        elif isinstance(item, Mapping):
            problem = _first_problem(field.table, item, where + ".")
        else:
            problem = _type_problem(field, item, where, item=True)
        if problem is not None:
            return problem
    return None


def _scalar_problem(field: _Field, value: Any, path: str, item: bool = False) -> Optional[_Problem]:
    problem = _check_scalar(field.kind, value)
    if problem is not None:
        return problem[0], f"The parameter `{path}` {problem[1]}."
    if field.non_empty and not item and value == "":  # a list's items may be ""
        return _empty_problem(path)
    return None


def _check_scalar(kind: int, value: Any) -> Optional[_Problem]:
    """``None`` if ``value`` fits ``kind``, else the code and the end of the sentence."""
    if kind == _STRING:
        if isinstance(value, str):
            return None
    elif kind == _INT64 or kind == _UINT64:
        if isinstance(value, int) and not isinstance(value, bool):
            low, high = (_INT64_MIN, _INT64_MAX) if kind == _INT64 else (0, _UINT64_MAX)
            if low <= value <= high:
                return None
            return "InvalidParameterValue", f"must be between {low} and {high}, got {value}"
    elif kind == _BOOL:
        if isinstance(value, bool):
            return None
    elif kind == _FLOAT:
        if isinstance(value, float):
            if math.isfinite(value):
                return None
            return "InvalidParameterValue", f"must be a finite number, got {value}"
        if isinstance(value, int) and not isinstance(value, bool):
            return None
    elif isinstance(value, str):  # _DATETIME, _DATETIME_ISO
        if _is_datetime(kind, value):
            return None
        return "InvalidParameterValue", _must_be(_DATETIME_FORMATS[kind], value)
    return "InvalidParameter", _must_be(json_noun(_JSON_TYPES[kind]), value)


def _is_datetime(kind: int, value: str) -> bool:
    match = (_DATETIME_RE if kind == _DATETIME else _DATETIME_ISO_RE).match(value)
    if match is None:
        return False
    year, month, day, hour, minute, second, *offset = match.groups()
    if offset and offset[0] is not None and (int(offset[0]) > 23 or int(offset[1]) > 59):
        return False
    try:
        datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return False
    return True


def _type_problem(field: _Field, value: Any, path: str, item: bool = False) -> _Problem:
    json_type = _JSON_TYPES[field.kind]
    if field.is_list and not item:
        expected = f"a list of {json_noun(json_type, plural=True)}"
    else:
        expected = json_noun(json_type)
    return "InvalidParameter", f"The parameter `{path}` {_must_be(expected, value)}."


def _empty_problem(path: str) -> _Problem:
    return "InvalidParameterValue", f"The parameter `{path}` must not be empty."


def _must_be(expected: str, value: Any) -> str:
    return f"must be {expected}, got {_echo(value)}"


def _echo(value: Any) -> str:
    return json_echo(value, _ECHO_CHARS)


def _unknown_message(table: _Table, key: Any, prefix: str) -> str:
    text = f"The parameter `{clip(prefix + str(key))}` is not recognized."
    names = list(table.by_name)
    best = closest(key, names, n=1) if isinstance(key, str) else []
    if best:
        return text + f" Did you mean `{prefix}{best[0]}`?"
    if not names:
        return text + (f" `{prefix[:-1]}` has" if prefix else " The action has") + " no parameters."
    if len(names) <= _LIST_NAMES_UP_TO:
        return text + " Valid parameters: " + ", ".join(f"`{prefix}{n}`" for n in names) + "."
    return text


def _region_message(region: str) -> str:
    text = f"The region `{clip(region)}` is not supported by CKafka."
    regions = sorted(ckafka_regions())
    best = closest(region, regions, n=1)
    if best:
        return text + f" Did you mean `{best[0]}`?"
    return text + " CKafka regions: " + ", ".join(regions) + "."
