"""What to scrub: the rules a :class:`~.scrubbers.Scrubbers` applies, by name.

Each rule says where secrets are (a header, a parameter path, a response
member); ``scrubbers`` applies them to requests and responses, and then scrubs
whatever they hid by value everywhere else. Import them from
``pytest_ckafka.api.scrub.scrubbers``, which re-exports them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Optional

from ..spec import load_spec
from .paths import hide_path
from .values import PLACEHOLDER

__all__ = [
    "AccountIdScrubber",
    "HeaderScrubber",
    "ParamScrubber",
    "Scrubber",
    "SecretParamsScrubber",
    "default_scrubbers",
]


class Scrubber:
    """One named rule of what to hide; subclass it and override the hooks you need.

    Each hook's default hides nothing. Hooks must be idempotent (scrubbing an
    already scrubbed value gives it back unchanged), since recorded requests are
    scrubbed again when they are keyed for replay. Whatever a hook hides is then
    also scrubbed by value wherever else it appears (see ``values``).

    >>> from pytest_ckafka.api.scrub.scrubbers import Scrubbers
    >>> class HideInstance(Scrubber):
    ...     def params(self, action):
    ...         return ("InstanceId",)
    >>> s = Scrubbers()
    >>> s.add("instance", HideInstance())
    >>> s.scrub_params("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 5})
    {'InstanceId': 'SCRUBBED', 'Limit': 5}
    """

    def header(self, name: str, value: str) -> str:
        """Return the value to record for request header ``name`` (given in lower case)."""
        return value

    def params(self, action: str) -> Collection[str]:
        """Dotted paths of the request parameters of ``action`` to hide.

        Lists are walked through (``Filters.Values`` hides every value of every
        filter), and a path naming an object or a list hides every value under it.
        The same paths are applied to a JSON body, to a v1 query or form
        (``Filters.0.Values.1=...``) and to :meth:`Scrubbers.scrub_params`, so the
        three always agree. Name string members only: a v1 request must still
        parse once its hidden values read ``SCRUBBED``.
        """
        return ()

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide values in a parsed JSON response ``envelope`` (``{"Response": ...}``), in place."""


class HeaderScrubber(Scrubber):
    """Replace the value of the named request headers (matched case-insensitively).

    >>> HeaderScrubber("X-My-Key").header("x-my-key", "k-123")
    'SCRUBBED'
    """

    def __init__(self, *names: str) -> None:
        self._names = frozenset(name.lower() for name in names)

    def header(self, name: str, value: str) -> str:
        """Hide the value of one of the configured headers."""
        return PLACEHOLDER if name in self._names else value

    def __repr__(self) -> str:
        return f"HeaderScrubber({', '.join(repr(n) for n in sorted(self._names))})"


class ParamScrubber(Scrubber):
    """Hide the given dotted parameter paths, for every action or only for ``actions``.

    >>> ParamScrubber("SecretId", "Signature").params("DescribeTopic")
    ('SecretId', 'Signature')
    """

    def __init__(self, *paths: str, actions: Optional[Collection[str]] = None) -> None:
        self._paths = tuple(paths)
        self._actions = None if actions is None else frozenset(actions)

    def params(self, action: str) -> Collection[str]:
        """The configured paths, when ``action`` is one of the configured actions."""
        if self._actions is not None and action not in self._actions:
            return ()
        return self._paths

    def __repr__(self) -> str:
        return f"ParamScrubber({', '.join(repr(p) for p in self._paths)})"


class SecretParamsScrubber(Scrubber):
    """Hide what the spec marks secret: ``secret_inputs`` and ``secret_outputs``."""

    def params(self, action: str) -> Collection[str]:
        """The action's secret request members (none for an action the spec lacks)."""
        found = load_spec().actions.get(action)
        return found.secret_inputs if found is not None else ()

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide the action's secret response members under ``Response``."""
        found = load_spec().actions.get(action)
        body = envelope.get("Response")
        if found is None or not isinstance(body, dict):
            return
        for path in found.secret_outputs:
            envelope["Response"] = hide_path(envelope["Response"], path.split("."))


# Names that identify a Tencent Cloud account: AppId, Uin, OwnerUin,
# SubAccountUin, CallerAppid, CreateUin, DropClsOwneruin...
_ACCOUNT_ID = re.compile(r"(?:app_?id|uin)\Z", re.IGNORECASE)


class AccountIdScrubber(Scrubber):
    """Hide account identifiers (any member named like ``AppId`` or ``*Uin``) in responses.

    Strings become ``SCRUBBED``; numbers become ``0``, so the reply keeps the
    types the spec and the SDK models expect.
    """

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide every account-id member, at any depth."""
        _hide_account_ids(envelope)


def _hide_account_ids(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if _ACCOUNT_ID.search(key) and not isinstance(value, (dict, list)):
                node[key] = _hidden_output(value)
            else:
                _hide_account_ids(value)
    elif isinstance(node, list):
        for item in node:
            _hide_account_ids(item)


def _hidden_output(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return 0
    return PLACEHOLDER


def default_scrubbers(account_ids: bool) -> dict[str, Scrubber]:
    """The scrubbers a new ``Scrubbers`` starts with, by name, in the order they run."""
    found: dict[str, Scrubber] = {
        "authorization": HeaderScrubber("Authorization"),
        "token_header": HeaderScrubber("X-TC-Token"),
        # v1 carries its credentials among the parameters; none of these names
        # is an input member of any CKafka action.
        "v1_credentials": ParamScrubber("SecretId", "Signature", "Token"),
        "secret_params": SecretParamsScrubber(),
    }
    if account_ids:
        found["account_ids"] = AccountIdScrubber()
    return found
