"""Registered answers (stubs) and the registry that hands one out for a call.

A stub with ``times=N`` answers N calls and is then spent; ``times=None`` answers
every call; ``params=`` answers only calls whose parameters include those. Which
stubs are looked at first is not decided here: the core passes the slots to
search, in order (see "How a call is answered" in :mod:`.core`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Optional

from ..api.envelopes import Reply, envelope_reply, error_envelope, success_reply
from ..api.json_types import json_kind
from ..api.limits import check_data, clip
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .faults import fault_reply

__all__ = [
    "ANY_ACTION",
    "Slot",
    "Stub",
    "StubKind",
    "StubRegistry",
    "check_params",
    "check_times",
    "params_match",
]

ANY_ACTION = "*"

StubKind = Literal["respond", "fail", "fault"]
"""What a stub answers with: a success body, an error code or a transport fault."""


class Slot(NamedTuple):
    """Where :meth:`StubRegistry.take` looks: the stubs registered for ``action``
    (``"*"``: for any action) that ``assert_handles`` injected, or the test's own."""

    action: str
    injected: bool


def params_match(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    """True when ``expected`` is a subset of ``actual``, recursively for dicts."""
    for key, want in expected.items():
        if key not in actual:
            return False
        got = actual[key]
        if isinstance(want, Mapping) and isinstance(got, Mapping):
            if not params_match(want, got):
                return False
        elif want != got:
            return False
    return True


@dataclass
class Stub:
    """One registered answer: :meth:`respond`, :meth:`fail` or :meth:`fault` made it (``kind``)."""

    action: str
    kind: StubKind
    body_json: Optional[str] = None  # respond with an explicit body
    code: Optional[str] = None  # fail
    message: Optional[str] = None  # fail
    custom: bool = False  # fail with a code outside the catalog
    fault: Optional[str] = None  # fault
    status: int = 502  # fault http_status
    times: Optional[int] = None
    params: Optional[Mapping[str, Any]] = None
    used: int = field(default=0)
    # assert_handles sets these: stop a runaway retry loop, and tag report rows.
    abort_after: Optional[int] = None
    injected: bool = False

    @property
    def exhausted(self) -> bool:
        """True once a ``times=N`` stub has answered N calls."""
        return self.times is not None and self.used >= self.times

    def reply(self, action: str, request_id: str, default_json: str) -> Reply:
        """Build the reply for one call answered by this stub."""
        if self.kind == "fail":
            assert self.code is not None
            envelope = error_envelope(self.code, self.message, request_id, custom=self.custom)
            return envelope_reply(envelope)
        if self.kind == "fault":
            assert self.fault is not None
            return fault_reply(self.fault, request_id, self.status)
        return success_reply(self.body_json or default_json, request_id)

    def describe(self) -> str:
        """One line naming the stub as it was registered, and how much it was used."""
        if self.kind == "fail":
            args = f"{self.action!r}, {self.code!r}"
        elif self.kind == "fault":
            args = f"{self.action!r}, {self.fault!r}"
        else:
            body = "" if self.body_json is None else f", {clip(self.body_json, 60)}"
            args = f"{self.action!r}{body}"
        if self.params is not None:
            args += f", params={clip(repr(dict(self.params)))}"
        if self.times is not None:
            args += f", times={self.times}"
        used = f"used {self.used}" + ("" if self.times is None else f" of {self.times}")
        return f"{self.kind}({args}) [{used}]"


class StubRegistry:
    """Thread-safe store of stubs; ``take`` picks and consumes one atomically."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_action: dict[str, list[Stub]] = {}

    def add(self, stub: Stub) -> Stub:
        """Register ``stub`` after those already registered for its action."""
        with self._lock:
            self._by_action.setdefault(stub.action, []).append(stub)
        return stub

    def take(
        self, slots: Iterable[Slot], params: Mapping[str, Any], *, count: bool = True
    ) -> Optional[Stub]:
        """The first live stub matching ``params`` in ``slots``, searched in the order given.

        Within a slot, stubs answer in registration order. The use is counted
        (unless not ``count``) under the same lock, so ``times=N`` is exact
        across threads.
        """
        with self._lock:
            for slot in slots:
                for stub in self._by_action.get(slot.action, ()):
                    if stub.injected is not slot.injected or stub.exhausted:
                        continue
                    if stub.params is not None and not params_match(stub.params, params):
                        continue
                    if count:
                        stub.used += 1
                    return stub
        return None

    def remove(self, stub: Stub) -> None:
        """Forget ``stub`` (no error if it is already gone)."""
        with self._lock:
            stubs = self._by_action.get(stub.action, [])
            if stub in stubs:
                stubs.remove(stub)

    def all(self) -> list[Stub]:
        """Every stub, in registration order per action."""
        with self._lock:
            return [stub for stubs in self._by_action.values() for stub in stubs]

    def unused(self) -> list[Stub]:
        """``times=N`` stubs that have answered fewer than N calls."""
        return [s for s in self.all() if s.times is not None and s.used < s.times]

    def clear(self) -> None:
        """Forget every stub."""
        with self._lock:
            self._by_action.clear()


def check_params(action: str, params: Optional[Mapping[str, Any]]) -> None:
    """``params=`` must be an object (a dict) whose keys are request members of ``action``.

    Like every request, it holds Unicode text only and nests at most
    :data:`~pytest_ckafka.api.limits.MAX_DEPTH` levels.
    """
    if params is None:
        return
    if not isinstance(params, Mapping):
        raise CKafkaUsageError(
            f"params must be an object of request parameters, got {json_kind(params)}"
        )
    check_data(params, action, root="params")
    if action == ANY_ACTION:
        return
    from ..api.spec import load_spec

    members = load_spec().input_members(action)
    for name in params:
        if name not in members:
            raise CKafkaUsageError(
                f"{action} params: " + unknown_name_message("request parameter", name, members)
            )


def check_times(times: Optional[int]) -> None:
    """``times`` must be ``None`` (every call) or a positive integer."""
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise CKafkaUsageError(f"times must be a positive integer or None, got {times!r}")
