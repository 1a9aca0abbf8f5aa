"""The one type check of seeding arguments, for ``ckafka.state.add_*`` and JSON seeds alike.

Each argument is checked against the annotation of the ``State`` method it is
given to (``**attributes`` of ``add_instance`` against the
:class:`~pytest_ckafka.backend.models.Instance` fields, ``**config`` of
``add_topic`` against the CreateTopic members), so ``add_instance(123)`` from
Python and ``{"add": "instance", "instance_id": 123}`` from the control API are
refused the same way, before anything is stored: ``state.add_instance.instance_id:
expected a string or null, got a number 123``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Mapping
from typing import Any, Callable

from ..api.json_types import check_value
from ..api.spec import load_spec
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .models import Instance

__all__ = ["check_arguments"]

_MESSAGE_FIELDS = {"key": str, "value": str, "timestamp": int, "headers": dict[str, str]}


def check_arguments(method: Callable[..., Any], arguments: Mapping[str, Any], root: str) -> None:
    """Raise :class:`CKafkaUsageError` ``"<root>.<name>: expected ..."`` for a mistyped argument.

    ``method`` is a ``State`` method (bound or not); names it does not take are
    left to it (a ``TypeError``, or its own unknown-name message).
    """
    named, hints = _signature(getattr(method, "__func__", method))
    extra = _extra_types(method.__name__)
    for key, value in arguments.items():
        annotation = hints.get(key) if key in named else extra.get(key)
        if annotation is not None:
            check_value(value, annotation, root, (key,))
    if method.__name__ in ("add_messages", "add_datahub_messages"):
        for number, message in enumerate(arguments.get("messages") or ()):
            _check_message(message, root, ("messages", number))


@functools.cache
def _signature(function: Callable[..., Any]) -> tuple[frozenset[str], dict[str, Any]]:
    parameters = inspect.signature(function).parameters
    named = frozenset(n for n, p in parameters.items() if p.kind is not p.VAR_KEYWORD)
    return named, typing.get_type_hints(function)


@functools.cache
def _extra_types(name: str) -> dict[str, Any]:
    """The types of what ``**attributes`` (instance) and ``**config`` (topic) take."""
    if name == "add_instance":
        hints = typing.get_type_hints(Instance)
        return {field.name: hints[field.name] for field in dataclasses.fields(Instance)}
    if name == "add_topic":
        kinds = {"string": str, "int": int, "bool": bool, "float": float, "object": dict}
        members = load_spec().input_members("CreateTopic").items()
        return {member: kinds.get(m.type, list[Any]) for member, m in members}
    return {}


def _check_message(message: Any, root: str, path: tuple[str, int]) -> None:
    """A message object's members by name and type (``State`` would coerce them)."""
    if not isinstance(message, Mapping):
        return  # a string or a [key, value] pair: the annotation has checked it
    for key, value in message.items():
        if key not in _MESSAGE_FIELDS:
            message_text = unknown_name_message("message member", key, _MESSAGE_FIELDS)
            raise CKafkaUsageError(f"{root}.{path[0]}[{path[1]}]: {message_text}")
        check_value(value, _MESSAGE_FIELDS[key], root, (*path, key))
