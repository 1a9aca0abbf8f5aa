"""Messages as seeds give them, for ``state.add_messages`` and ``state.add_datahub_messages``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Union

from ..api.json_types import json_echo
from ..exceptions import CKafkaUsageError

__all__ = ["MessageLike", "message_parts"]

MessageLike = Union[str, tuple[str, str], list[str], Mapping[str, Any]]
"""A message to seed: its value, a ``(key, value)`` pair, or
``{"key", "value", "timestamp", "headers"}`` (``headers``: name to value)."""


def message_parts(item: MessageLike, now_ms: int) -> tuple[str, str, int, dict[str, str]]:
    """``(key, value, timestamp, headers)`` of a seeded message (``now_ms`` unless it says)."""
    if isinstance(item, str):
        return "", item, now_ms, {}
    if isinstance(item, (tuple, list)) and len(item) == 2:  # a list: the pair as JSON sends it
        key, value = item
        return str(key), str(value), now_ms, {}
    if isinstance(item, Mapping) and "value" in item:
        headers = item.get("headers") or {}
        if not isinstance(headers, Mapping):
            raise CKafkaUsageError(
                f"a message's headers are an object of names to values, got {json_echo(headers)}"
            )
        return (
            str(item.get("key", "")),
            str(item["value"]),
            int(item.get("timestamp", now_ms)),
            {str(name): str(value) for name, value in headers.items()},
        )
    raise CKafkaUsageError(
        'a message is a value, a (key, value) pair or an object with "value", '
        f"got {json_echo(item)}"
    )
