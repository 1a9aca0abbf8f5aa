"""The record of every call the fake answered, and assertions over it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from .envelopes import CONTENT_TYPE, Reply
from .exceptions import CKafkaAssertionError
from .stubs import params_match

if TYPE_CHECKING:
    from .scrub import Scrubbers

__all__ = ["Call", "CallLog"]

_SCRUBBERS: Optional[Scrubbers] = None


@dataclass(frozen=True)
class Call:
    """One intercepted API call and the answer it got.

    ``response`` is the envelope that was sent (``None`` for faults that send
    none or send something that is not JSON); ``error_code`` is ``None`` on
    success.
    """

    action: str
    params: Mapping[str, Any]
    region: Optional[str]
    version: str
    request_id: str
    method: str
    url: str
    secret_id: Optional[str]
    language: Optional[str]
    reply: Reply
    # "stub", "cassette", "state", "default", "invalid" (spec validation), "protocol"...
    answered_by: str

    @property
    def response(self) -> Optional[dict[str, Any]]:
        """The JSON envelope sent back, parsed; ``None`` if none was sent."""
        if self.reply.raise_kind or not self.reply.content_type.startswith(CONTENT_TYPE):
            return None
        try:
            parsed = json.loads(self.reply.body)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None

    @property
    def error_code(self) -> Optional[str]:
        """The ``Error.Code`` of the answer, ``None`` for a success envelope.

        Transport faults report their kind instead, e.g. ``"fault:timeout"``.
        """
        if self.reply.fault:
            return f"fault:{self.reply.fault}"
        response = self.response
        error = response.get("Response", {}).get("Error") if response else None
        return str(error.get("Code")) if isinstance(error, dict) else None

    def summary(self) -> str:
        """``DescribeTopic {"InstanceId": "x"} -> ResourceNotFound`` in one line.

        Secrets are scrubbed, as in a cassette: a ``Password`` reads ``SCRUBBED``.
        """
        if self.answered_by == "protocol" and not self.params:
            url = _log_scrubbers().scrub_request(self.method, self.url, {}, b"")[0]
            what = f"{self.method} {url}" + (f" ({self.action})" if self.action else "")
            return f"{what} -> {self.error_code or 'success'}"
        values = [self.secret_id] if self.secret_id else []
        shown = _log_scrubbers().scrub_params(self.action, dict(self.params), values=values)
        params = json.dumps(shown, ensure_ascii=False, sort_keys=True)
        return f"{self.action} {params} -> {self.error_code or 'success'}"


def _log_scrubbers() -> Scrubbers:
    """The default scrubbers, for what is shown in messages (imported when first needed)."""
    global _SCRUBBERS
    if _SCRUBBERS is None:
        from .scrub import Scrubbers

        _SCRUBBERS = Scrubbers()
    return _SCRUBBERS


class CallLog:
    """Thread-safe, ordered list of :class:`Call` with assertion helpers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def append(self, call: Call) -> None:
        """Record ``call``."""
        with self._lock:
            self._calls.append(call)

    def __iter__(self) -> Iterator[Call]:
        with self._lock:
            return iter(list(self._calls))

    def __len__(self) -> int:
        return len(self._calls)

    def __getitem__(self, index: int) -> Call:
        return self._calls[index]

    def __repr__(self) -> str:
        return f"<CallLog: {len(self)} calls>"

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()

    def of(self, action: str, params: Optional[Mapping[str, Any]] = None) -> list[Call]:
        """Calls of ``action`` whose params include ``params`` (a subset match)."""
        return [
            c
            for c in self
            if c.action == action and (params is None or params_match(params, c.params))
        ]

    def describe(self) -> str:
        """Every call, one per line, for assertion messages."""
        lines = [f"  {n}. {call.summary()}" for n, call in enumerate(self, 1)]
        return "\n".join(lines) if lines else "  (no calls)"

    def assert_called(
        self, action: str, times: Optional[int] = None, params: Optional[Mapping[str, Any]] = None
    ) -> list[Call]:
        """Fail unless ``action`` was called (exactly ``times`` times, if given)."""
        __tracebackhide__ = True
        matching = self.of(action, params)
        ok = len(matching) == times if times is not None else bool(matching)
        if not ok:
            wanted = (
                f"{times} time{'s' if times != 1 else ''}" if times is not None else "at least once"
            )
            where = f" with params {json.dumps(dict(params), sort_keys=True)}" if params else ""
            raise CKafkaAssertionError(
                f"expected {action} to be called {wanted}{where}, "
                f"it was called {len(matching)} time{'s' if len(matching) != 1 else ''}.\n"
                f"Calls made:\n{self.describe()}"
            )
        return matching

    def assert_not_called(self, action: str) -> None:
        """Fail if ``action`` was called at all."""
        __tracebackhide__ = True
        matching = self.of(action)
        if matching:
            raise CKafkaAssertionError(
                f"expected {action} not to be called, it was called {len(matching)} "
                f"time{'s' if len(matching) != 1 else ''}.\nCalls made:\n{self.describe()}"
            )
