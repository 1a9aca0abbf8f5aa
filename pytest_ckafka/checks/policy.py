"""The error-handling policy: for each code or fault kind, ``retry`` or ``raise``.

The default lives in ``_data/policy.json`` with the reason for every choice. A
code not named follows its family, the longest dotted prefix that is named, so
``ResourceUnavailable.KafkaStorageError`` follows ``ResourceUnavailable``.
Override per project (ini ``ckafka_policy`` or the ``ckafka_policy`` fixture)
and per call (``assert_handles(..., policy=...)``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Optional, Union

from ..api.spec import packaged_data
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError

__all__ = ["DEFAULT_POLICY", "HANDLING_CHOICES", "Policy", "PolicyLike", "as_policy"]

HANDLING_CHOICES = ("retry", "raise")
"""What a policy may expect of client code for a code: retry it, or raise (stop and surface it)."""


class Policy:
    """Maps codes, code families and fault kinds to ``"retry"`` or ``"raise"``.

    >>> policy = Policy({"ResourceUnavailable.KafkaStorageError": "raise"})
    >>> policy.decide("ResourceUnavailable.KafkaStorageError")
    'raise'
    >>> policy.decide("ResourceUnavailable")
    'retry'
    """

    def __init__(
        self,
        rules: Optional[Mapping[str, str]] = None,
        *,
        base: Optional[Policy] = None,
        reasons: Optional[Mapping[str, str]] = None,
    ) -> None:
        parent = DEFAULT_POLICY if base is None and _default_loaded() else base
        self._rules: dict[str, str] = dict(parent._rules) if parent else {}
        self._reasons: dict[str, str] = dict(parent._reasons) if parent else {}
        self._default: tuple[str, str] = parent._default if parent else ("raise", "")
        for key, value in (rules or {}).items():
            _check_name(key)
            if value not in HANDLING_CHOICES:
                choices = unknown_name_message("handling", value, HANDLING_CHOICES)
                raise CKafkaUsageError(f"policy for {key!r}: {choices}")
            self._rules[key] = value
            self._reasons[key] = (reasons or {}).get(key, "set by the project's policy")

    def _lookup(self, code: str) -> Optional[str]:
        parts = code.split(".")
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if key in self._rules:
                return key
        return None

    def decide(self, code: str) -> str:
        """``"retry"`` or ``"raise"`` for an error code or a fault kind."""
        key = self._lookup(code)
        return self._rules[key] if key else self._default[0]

    def reason(self, code: str) -> str:
        """Why the policy decides as it does for ``code``."""
        key = self._lookup(code)
        return self._reasons[key] if key else self._default[1]

    def rules(self) -> dict[str, str]:
        """The named rules (codes, families and fault kinds), without the default."""
        return dict(self._rules)

    def __repr__(self) -> str:
        retry = sorted(k for k, v in self._rules.items() if v == "retry")
        return f"<Policy retry={retry}, everything else raise>"

    @classmethod
    def from_lines(cls, lines: Iterable[str], *, base: Optional[Policy] = None) -> Policy:
        """Parse ini lines such as ``ResourceInUse = raise``."""
        rules: dict[str, str] = {}
        for line in lines:
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            code, sep, value = text.partition("=")
            if not sep:
                raise CKafkaUsageError(
                    f"ckafka_policy line {line!r}: expected 'Code = retry' or 'Code = raise'"
                )
            rules[code.strip()] = value.strip()
        return cls(rules, base=base)


def _check_name(key: str) -> None:
    """A rule must name a catalog code, a code family or a fault kind: a typo would never match."""
    from ..api.error_codes import ERROR_CODES
    from ..fake.faults import FAULT_KINDS

    names = {*ERROR_CODES, *FAULT_KINDS}
    names |= {code.rsplit(".", 1)[0] for code in ERROR_CODES if "." in code}
    if key not in names:
        raise CKafkaUsageError(
            "policy: "
            + unknown_name_message("code", key, names)
            + ". A rule names an error code, a code family or a fault kind."
        )


def _default_loaded() -> bool:
    return "DEFAULT_POLICY" in globals()


@functools.cache
def _load_default() -> Policy:
    raw = json.loads(packaged_data("policy.json"))
    policy = Policy.__new__(Policy)
    policy._rules = {key: rule[0] for key, rule in raw["rules"].items()}
    policy._reasons = {key: rule[1] for key, rule in raw["rules"].items()}
    policy._default = (raw["default"][0], raw["default"][1])
    return policy


DEFAULT_POLICY: Policy = _load_default()
"""The default policy: retry throttling, transient faults and busy resources; raise the rest."""

PolicyLike = Union[Policy, Mapping[str, str], None]


def as_policy(value: PolicyLike, base: Optional[Policy] = None) -> Policy:
    """Accept a :class:`Policy`, a ``{code: "retry"|"raise"}`` dict or ``None``."""
    if value is None:
        return base or DEFAULT_POLICY
    if isinstance(value, Policy):
        return value
    if isinstance(value, Mapping):
        return Policy(value, base=base)
    raise CKafkaUsageError(
        f"policy must be a pytest_ckafka.Policy or a dict of code -> 'retry'/'raise', "
        f"got {type(value).__name__}"
    )
