"""Close-match suggestions for error messages about bad names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "unknown_name_message"]

_LIST_ALL_UP_TO = 12


def closest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` choices closest to ``name``, best first (case-insensitive)."""
    pool = list(choices)
    lowered = {choice.lower(): choice for choice in pool}
    if name.lower() in lowered:
        return [lowered[name.lower()]]
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[hit] for hit in hits]


def unknown_name_message(
    kind: str,
    received: object,
    choices: Iterable[str],
    plural: str = "",
    *,
    list_all: bool = False,
) -> str:
    """Build ``unknown <kind> "X": did you mean "Y"? ...`` naming the valid choices.

    Short lists are given whole; long ones are summarised by their size and the
    closest matches, so the message stays readable for the 105 actions
    (``list_all``: give a longer one whole too).
    """
    pool = sorted(choices)
    listed = list_all or len(pool) <= _LIST_ALL_UP_TO
    text = f"unknown {kind} {received!r}".replace("'", '"')
    best = closest(str(received), pool) if isinstance(received, str) else []
    if best:
        text += f': did you mean "{best[0]}"?'
    elif listed:
        text += "."
    if listed:
        text += " Valid choices: " + ", ".join(pool) + "."
    else:
        text += f" ({len(pool)} valid {plural or kind + 's'}"
        if len(best) > 1:
            text += "; close matches: " + ", ".join(best)
        text += ")"
    return text
