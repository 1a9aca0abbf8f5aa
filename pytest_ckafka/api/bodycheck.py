"""Validate a user-supplied success body against the API model when it is registered.

Like botocore's ``Stubber``, a body that the real API could never send is rejected
at the call that registered it, with the member path and what was wrong, instead
of surfacing later as a confusing failure inside the code under test.

What is accepted:

* partial bodies: any member may be left out, so a test can answer with just
  what the code under test reads;
* ``int`` where a ``float`` is expected (JSON does not tell them apart), but never
  ``bool`` where a number is expected (Python's ``bool`` is an ``int``);
* ``None`` for any member that is nullable or not output-required, as the real API
  sends such nulls and the official SDK accepts them; ``None`` for an
  output-required, non-nullable member, or as a list item, is rejected;
* members the spec marks disabled (deprecated), since the SDK still reads them.

What is rejected, besides unknown members and wrong types: ``RequestId`` (every
envelope adds its own, so a body's would be silently overwritten) and ``Error``
(an error is registered as an error reply, not inside a success body). Datetime
strings are not checked against their format: tests may need odd values.

All problems are reported at once, one line each, in the order of the body.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..exceptions import CKafkaUsageError
from .json_types import JsonType, json_echo, json_noun
from .spec import Member, Spec, load_spec
from .suggest import closest

__all__ = ["check_body"]

_MAX_PROBLEMS = 20
_ECHO_CHARS = 60

_ENVELOPE_MEMBERS = {
    "RequestId": "is added by the envelope; remove it from the body",
    "Error": "cannot be in a success body; register an error reply instead",
}

_INT_KINDS = frozenset({"int64", "uint64", "int"})
_FLOAT_KINDS = frozenset({"float", "double"})
_STRING_KINDS = frozenset({"string", "datetime", "datetime_iso"})


def check_body(action: str, body: Mapping[str, Any]) -> None:
    """Raise :class:`~pytest_ckafka.exceptions.CKafkaUsageError` if ``body`` does not fit.

    ``body`` holds the members of the ``Response`` object of ``action``, without
    ``RequestId``. An unknown action raises
    :class:`~pytest_ckafka.exceptions.UnknownActionError` with a close match.

    >>> check_body("DescribeInstances", {"Result": {"TotalCount": 3}})
    >>> check_body("DescribeInstances", {"Result": {"TotalCount": "3"}})
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: DescribeInstances response: \
"Result.TotalCount" must be an integer (int64), got a string "3"
    """
    spec = load_spec()
    info = spec.action(action)
    checker = _Checker(spec)
    if isinstance(body, Mapping):
        checker.object(info.output, body, "", top=True)
    else:
        checker.problems.append(
            f"the body must be an object of {info.output} members, got {_echo(body)}"
        )
    if checker.problems:
        lines = checker.problems[:_MAX_PROBLEMS]
        hidden = len(checker.problems) - len(lines)
        if hidden:
            lines.append(f"... and {hidden} more")
        raise CKafkaUsageError("\n".join(f"{action} response: {line}" for line in lines))


class _Checker:
    """Walks one body against the schema, collecting one line per problem."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.problems: list[str] = []

    def object(self, name: str, value: Mapping[Any, Any], path: str, top: bool = False) -> None:
        members = self.spec.members(name)
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            member = members.get(key) if isinstance(key, str) else None
            if member is None:
                if top and key in _ENVELOPE_MEMBERS:
                    self.problems.append(f'"{key}" {_ENVELOPE_MEMBERS[key]}')
                else:
                    self.problems.append(_unknown(name, key, where, members))
                continue
            if item is None:
                if member.output_required and not member.nullable:
                    self.problems.append(
                        f'"{where}" must be {_expected(member)}, got null: '
                        "the member is output-required and not nullable"
                    )
                continue
            if member.type == "list":
                self.list(member, item, where)
            else:
                self.item(member, item, where)

    def list(self, member: Member, value: Any, path: str) -> None:
        if not isinstance(value, (list, tuple)):
            self.problems.append(f'"{path}" must be {_expected(member)}, got {_echo(value)}')
            return
        for index, item in enumerate(value):
            self.item(member, item, f"{path}[{index}]")

    def item(self, member: Member, value: Any, path: str) -> None:
        """One value of ``member``'s item type (the member itself unless it is a list)."""
        if member.is_object:
            if isinstance(value, Mapping):
                self.object(member.kind, value, path)
                return
        elif _scalar_fits(member.kind, value):
            if member.kind == "uint64" and value < 0:
                self.problems.append(
                    f'"{path}" must be {_item_type(member)} >= 0, got {_echo(value)}'
                )
            return
        self.problems.append(f'"{path}" must be {_item_type(member)}, got {_echo(value)}')


def _scalar_fits(kind: str, value: Any) -> bool:
    if isinstance(value, bool):
        return kind == "bool"
    if kind in _INT_KINDS:
        return isinstance(value, int)
    if kind in _FLOAT_KINDS:  # NaN and infinities are not JSON
        return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if kind in _STRING_KINDS:
        return isinstance(value, str)
    return False


def _item_type(member: Member, *, plural: bool = False) -> str:
    """``an integer (int64)``, ``a string``, ``an object (Instance)``: JSON type, spec kind."""
    json_type = _JSON_TYPE_OF_KIND.get(member.kind, "object")
    noun = json_noun(json_type, plural=plural)
    return noun if member.kind in _SAID_BY_THE_NOUN else f"{noun} ({member.kind})"


def _expected(member: Member) -> str:
    if member.type == "list":
        return f"a list of {_item_type(member, plural=True)}"
    return _item_type(member)


_JSON_TYPE_OF_KIND: dict[str, JsonType] = {
    **dict.fromkeys(_INT_KINDS, "integer"),
    **dict.fromkeys(_FLOAT_KINDS, "number"),
    **dict.fromkeys(_STRING_KINDS, "string"),
    "bool": "boolean",
}
_SAID_BY_THE_NOUN = frozenset({"string", "bool"})  # "a string (string)" says nothing more


def _unknown(object_name: str, key: object, where: str, members: Mapping[str, Member]) -> str:
    text = f'unknown member "{where}"'
    best = closest(key, members, n=1) if isinstance(key, str) else []
    text += f': did you mean "{best[0]}"?' if best else "."
    if not members:
        return text + f" {object_name} has no members"
    return text + f" Valid members of {object_name}: " + ", ".join(members)


def _echo(value: Any) -> str:
    return json_echo(value, _ECHO_CHARS)
