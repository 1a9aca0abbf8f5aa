"""The error-code catalog: 60 codes with description, category, retryability and actions.

Data comes from the generated ``_data/errors.json`` (see ``tools/gen_spec.py``)
and is loaded on first use.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..exceptions import CKafkaUsageError, UnknownErrorCodeError
from .spec import packaged_data
from .suggest import unknown_name_message

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

__all__ = ["ERROR_CODES", "SCOPES", "ErrorCode", "error_codes", "lookup_code", "select_codes"]

SCOPES = ("all", "common", "ckafka")


@dataclass(frozen=True)
class ErrorCode:
    """One API error code.

    ``scope`` is ``"common"`` (any action may return it) or ``"ckafka"``;
    ``actions`` are the actions the API reference documents it for.
    """

    code: str
    description: str
    scope: str
    category: str
    retryable: bool
    actions: tuple[str, ...]


@functools.cache
def _codes() -> dict[str, ErrorCode]:
    raw = json.loads(packaged_data("errors.json"))["codes"]
    return {
        code: ErrorCode(
            code=code,
            description=info["description"],
            scope=info["scope"],
            category=info["category"],
            retryable=info["retryable"],
            actions=tuple(info["actions"]),
        )
        for code, info in raw.items()
    }


class _Catalog(Mapping[str, ErrorCode]):
    """A read-only mapping that loads the catalog the first time it is read."""

    def __getitem__(self, code: str) -> ErrorCode:
        return _codes()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_codes())

    def __len__(self) -> int:
        return len(_codes())

    def __repr__(self) -> str:
        return f"<ERROR_CODES: {len(self)} CKafka error codes>"


ERROR_CODES: Mapping[str, ErrorCode] = _Catalog()
"""Every catalog code -> :class:`ErrorCode`.

>>> ERROR_CODES["RequestLimitExceeded"].retryable
True
"""


def lookup_code(code: str, *, custom: bool = False) -> Optional[ErrorCode]:
    """Return the catalog entry for ``code``; unknown codes raise unless ``custom``."""
    found = _codes().get(code)
    if found is None and not custom:
        if not isinstance(code, str) or not code:
            raise CKafkaUsageError(f"an error code must be a non-empty string, got {code!r}")
        raise UnknownErrorCodeError(
            unknown_name_message("error code", code, _codes())
            + ". Pass custom=True to send a code that is not in the catalog."
        )
    return found


def select_codes(
    scope: str = "all",
    *,
    action: Optional[str] = None,
    retryable: Optional[bool] = None,
    category: Optional[str] = None,
) -> list[ErrorCode]:
    """The catalog entries that pass these filters, in catalog order.

    ``scope`` is ``"all"``, ``"common"`` or ``"ckafka"``; ``action`` keeps the
    common codes plus those the API reference lists for that action;
    ``retryable`` (the catalog's flag) and ``category`` filter further. An
    unknown scope, action or category raises with a suggestion.

    >>> [c.code for c in select_codes("ckafka", action="DeleteTopic")][:1]
    ['InvalidParameterValue.InstanceNotExist']
    >>> all(c.retryable for c in select_codes(retryable=True))
    True
    """
    if scope not in SCOPES:
        raise CKafkaUsageError(unknown_name_message("scope", scope, SCOPES))
    if action is not None:
        from .spec import load_spec

        load_spec().action(action)
    chosen = []
    for info in _codes().values():
        if scope != "all" and info.scope != scope:
            continue
        if action is not None and info.scope != "common" and action not in info.actions:
            continue
        if retryable is not None and info.retryable is not retryable:
            continue
        chosen.append(info)
    if category is not None:
        categories = sorted({info.category for info in _codes().values()})
        if category not in categories:
            raise CKafkaUsageError(unknown_name_message("category", category, categories))
        chosen = [info for info in chosen if info.category == category]
    return chosen


def error_codes(
    scope: str = "all",
    *,
    action: Optional[str] = None,
    retryable: Optional[bool] = None,
    category: Optional[str] = None,
) -> list[ParameterSet]:
    """Codes ready for ``pytest.mark.parametrize``, each with the code as its test id.

    The codes :func:`select_codes` selects with the same filters.

    >>> import pytest
    >>> @pytest.mark.parametrize("code", error_codes(action="DeleteTopic", retryable=True))
    ... def test_retries(code): ...
    """
    import pytest

    chosen = select_codes(scope, action=action, retryable=retryable, category=category)
    return [pytest.param(info.code, id=info.code) for info in chosen]
