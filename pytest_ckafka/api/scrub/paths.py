"""Hide values by where they are: dotted parameter paths in JSON trees and in flat forms.

The building blocks of :class:`~pytest_ckafka.api.scrub.scrubbers.Scrubbers`. Each function
that hides something also reports what it hid (``found``), so the same values
can then be scrubbed by value everywhere else (see ``values``).

Pure Python; unchanged nodes and texts are returned as they are (not copied),
which is how callers tell that nothing was secret.

>>> found = []
>>> hide_path({"A": [{"Password": "p1"}, {"Password": 7}]}, ["A", "Password"], found)
{'A': [{'Password': 'SCRUBBED'}, {'Password': 'SCRUBBED'}]}
>>> found
['p1', '7']
"""

from __future__ import annotations

import json
from typing import Any, Optional
from urllib.parse import quote_plus, unquote_to_bytes

from .values import PLACEHOLDER, SecretValues

__all__ = [
    "Paths",
    "decode_flat",
    "flat_value",
    "hidden_leaves",
    "hide_flat",
    "hide_path",
    "scrub_flat_values",
]

Paths = tuple[tuple[str, ...], ...]
"""Secret parameter paths, each split on its dots: ``(("Foo", "Password"),)``."""


def decode_flat(raw: bytes) -> Optional[str]:
    """A percent-encoded form key or value, decoded; None when it is not UTF-8."""
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def flat_value(text: bytes, wanted: str) -> str:
    """The decoded value of ``wanted`` in ``a=1&b=2``, or ``""``."""
    for pair in text.split(b"&"):
        raw_key, _, raw_value = pair.partition(b"=")
        if decode_flat(raw_key) == wanted:
            return decode_flat(raw_value) or ""
    return ""


def _flat_path(key: str) -> tuple[str, ...]:
    """``Filters.0.Values.1`` -> ``("Filters", "Values")``: list indices walked through."""
    return tuple(part for part in key.split(".") if not (part.isascii() and part.isdigit()))


def _is_secret(path: tuple[str, ...], secrets: Paths) -> bool:
    return any(path[: len(secret)] == secret for secret in secrets)


def hide_flat(text: bytes, secrets: Paths, found: list[str]) -> bytes:
    """Replace secret values in ``a=1&b=2``, leaving every other byte as it was."""
    placeholder = PLACEHOLDER.encode("ascii")
    pairs = text.split(b"&")
    changed = False
    for index, pair in enumerate(pairs):
        raw_key, sep, raw_value = pair.partition(b"=")
        key = decode_flat(raw_key)
        if key is None or not _is_secret(_flat_path(key), secrets):
            continue
        if raw_value != placeholder or not sep:
            found.append(decode_flat(raw_value) or raw_value.decode("utf-8", "replace"))
            pairs[index] = raw_key + b"=" + placeholder
            changed = True
    return b"&".join(pairs) if changed else text


def scrub_flat_values(text: bytes, values: SecretValues) -> bytes:
    """Scrub ``values`` out of each decoded value of ``a=1&b=2``; keys are names, kept.

    Values are decoded first, so a secret is found in whatever percent-encoding
    was used, and the form still parses to the same keys: a changed value is
    written back form-encoded, the other pairs keep their bytes.
    """
    pairs = text.split(b"&")
    changed = False
    for index, pair in enumerate(pairs):
        raw_key, sep, raw = pair.partition(b"=")
        decoded = decode_flat(raw)
        if decoded is None:
            scrubbed_raw = values.scrub_bytes(raw)
        else:
            scrubbed = values.scrub_text(decoded)
            scrubbed_raw = raw if scrubbed == decoded else quote_plus(scrubbed).encode("ascii")
        if scrubbed_raw != raw:
            pairs[index] = raw_key + sep + scrubbed_raw
            changed = True
    return b"&".join(pairs) if changed else text


def hide_path(node: Any, parts: list[str], found: Optional[list[str]] = None) -> Any:
    """Return ``node`` with the value at ``parts`` hidden; unchanged nodes are not copied.

    Each scalar hidden is appended to ``found`` as a string.
    """
    if isinstance(node, list):
        items = [hide_path(item, parts, found) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if not isinstance(node, dict) or parts[0] not in node:
        return node
    child = node[parts[0]]
    if len(parts) == 1:
        new_child = _hide_all(child, found)
    else:
        new_child = hide_path(child, parts[1:], found)
    if new_child is child:
        return node
    copied = dict(node)
    copied[parts[0]] = new_child
    return copied


def _hide_all(node: Any, found: Optional[list[str]]) -> Any:
    """Every value under ``node`` becomes PLACEHOLDER, keeping lists and objects' shape."""
    if node is None or node == PLACEHOLDER:
        return node
    if isinstance(node, list):
        items = [_hide_all(item, found) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if isinstance(node, dict):
        values = {key: _hide_all(value, found) for key, value in node.items()}
        return node if all(values[k] is v for k, v in node.items()) else values
    if found is not None:
        found.append(node if isinstance(node, str) else json.dumps(node))
    return PLACEHOLDER


def hidden_leaves(before: Any, after: Any, found: list[str]) -> None:
    """Append to ``found`` each string or number of ``before`` that ``after`` replaced."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key in after:
                hidden_leaves(value, after[key], found)
    elif isinstance(before, list) and isinstance(after, list):
        for old, new in zip(before, after):
            hidden_leaves(old, new, found)
    elif before != after and isinstance(before, (str, int, float)) and not isinstance(before, bool):
        found.append(before if isinstance(before, str) else json.dumps(before))
