"""Answer objects built from what a resource keeps, with nothing made up.

:meth:`~.registry.Context.shape` fills every member with the documented example;
that suits an answer the fake has no state for. An object the fake *does* keep
(a connect resource's ``MySQLConnectParam``, a task's ``DatahubResource``) must
show only what was sent: :func:`complete` keeps the known members and gives each
missing output-required one its empty value (null where the spec allows it), so
the official SDK reads every member it expects and no example value leaks in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..api.spec import Member, load_spec

__all__ = ["complete", "member_objects", "without"]

_EMPTY = {"string": "", "bool": False, "float": 0.0, "double": 0.0}


def _empty(member: Member) -> Any:
    if member.nullable:
        return None
    if member.type == "list":
        return []
    if member.is_object:
        return complete(member.kind, {})
    return _EMPTY.get(member.kind, 0 if "int" in member.kind else "")


def complete(object_name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (members of ``object_name``) plus an empty value for each missing output one.

    Members the spec does not know are dropped (a request object's member that
    the answer object lacks); nested objects are completed too.

    >>> complete("Tag", {"TagKey": "team"})
    {'TagKey': 'team', 'TagValue': ''}
    """
    members = load_spec().members(object_name)
    body: dict[str, Any] = {}
    for name, member in members.items():
        value = values.get(name)
        if value is None:
            if member.output_required or name in values:
                body[name] = _empty(member)
            continue
        if member.is_object and member.type == "list":
            body[name] = [complete(member.kind, item) for item in value]
        elif member.is_object:
            body[name] = complete(member.kind, value)
        else:
            body[name] = value
    return body


def member_objects(object_name: str, suffix: str) -> dict[str, str]:
    """The object members of ``object_name`` whose name ends with ``suffix``: name -> object.

    >>> member_objects("DatahubResource", "Param")["KafkaParam"]
    'KafkaParam'
    """
    return {
        name: member.kind
        for name, member in load_spec().members(object_name).items()
        if name.endswith(suffix) and member.is_object
    }


def without(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``values`` without the members ``names`` (e.g. the passwords an answer never shows)."""
    dropped = set(names)
    return {k: v for k, v in values.items() if k not in dropped}
