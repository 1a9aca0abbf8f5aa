"""The record of the calls the fake answered, and assertions over it.

The log is bounded, so a long-running server (or a test making millions of
calls) does not grow without end: it keeps the last :data:`DEFAULT_MAX_CALLS`
calls unless told otherwise (``max_calls``; ``None`` keeps every call), and
drops the oldest sooner once the parsed requests and the replies it keeps pass
:data:`MAX_LOG_BYTES` (a parsed request counts what it takes in memory, up to ~20
times its text: :func:`parsed_size`). It counts what it dropped, and an assertion
whose answer could depend on a dropped call fails saying so instead of guessing.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, Optional, Union

from ..api.envelopes import CONTENT_TYPE, Reply
from ..api.limits import clip
from ..defaults import DEFAULT_MAX_CALLS
from ..exceptions import CKafkaAssertionError
from .options import check_max_calls
from .stubs import params_match

if TYPE_CHECKING:
    from ..api.scrub.scrubbers import Scrubbers

__all__ = [
    "CLIPPED_VALUES",
    "MAX_LOG_BYTES",
    "NOT_MADE_HERE",
    "REFUSED_PARAMS_BYTES",
    "AnsweredBy",
    "Call",
    "CallLog",
    "clipped_params",
    "parsed_size",
]

AnsweredBy = Literal[
    "protocol",
    "auth",
    "invalid",
    "injected",
    "stub",
    "cassette",
    "network",
    "miss",
    "state",
    "unmatched",
    "default",
]
"""Who answered a call (:attr:`Call.answered_by`), in the order the fake asks them.

``protocol``: an unreadable request, no or an unknown version or action;
``auth``: a signature ``strict_auth`` refused; ``invalid``: parameters request
validation refused; ``injected``: a code ``assert_handles`` injected; ``stub``:
the test's ``respond``/``fail``/``fault``; ``cassette``: a recorded answer;
``network``: a recording cassette's call, sent to the real endpoint; ``miss``:
a call the replayed cassette lacks; ``state``: the stateful backend;
``unmatched``: strict mode, nothing answered; ``default``: the synthesized
default. The order is stated once, in :mod:`pytest_ckafka.fake.core`.
"""

REFUSED_PARAMS_BYTES = 1024 * 1024
"""A refused call whose params take more (:func:`parsed_size`) keeps a clipped copy of them."""
CLIPPED_VALUES = 100
"""How many values (members and items, at any depth) a clipped copy of params keeps."""
MAX_LOG_BYTES = 64 * 1024 * 1024
"""The bytes a capped log keeps at most (parsed params, URLs, replies): big calls go sooner."""

# Answers to calls the fake refused before acting on them.
_REFUSED: frozenset[AnsweredBy] = frozenset({"protocol", "invalid", "auth"})
NOT_MADE_HERE: frozenset[AnsweredBy] = frozenset({"network", "cassette"})
"""Answers that came from elsewhere, not the fake: a recording cassette keeps only those."""
# An assertion message lists at most this many calls, the most recent.
_LISTED_CALLS = 100
# What dropped calls leave unknown: (assert_called with times=N, without).
_UNKNOWN = ("the full count", "whether a dropped call matched")

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
    answered_by: AnsweredBy
    """Who answered the call: one of :data:`AnsweredBy`."""
    account: Optional[str] = None
    """The stateful account the call acted in (with ``strict_auth``, its verified key's);
    ``None`` for a call refused before it had one (unparseable, or not authenticated)."""

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

    def scrubbed_params(self) -> dict[str, Any]:
        """A copy of ``params`` with secrets hidden, as in a cassette, for what the log shows.

        Secret members (a ``Password``) read ``SCRUBBED``, and so does their value, or the
        call's SecretId, wherever else it appears.
        """
        values = [self.secret_id] if self.secret_id else []
        return _log_scrubbers().scrub_params(self.action, dict(self.params), values=values)

    def summary(self) -> str:
        """``DescribeTopic {"InstanceId": "x"} -> ResourceNotFound`` in one line.

        Secrets are scrubbed, as in a cassette: a ``Password`` reads ``SCRUBBED``.
        """
        if self.answered_by == "protocol" and not self.params:
            url = _log_scrubbers().scrub_request(self.method, self.url, {}, b"")[0]
            what = f"{self.method} {url}" + (f" ({self.action})" if self.action else "")
            return f"{what} -> {self.error_code or 'success'}"
        params = json.dumps(self.scrubbed_params(), ensure_ascii=False, sort_keys=True)
        return f"{self.action} {clip(params)} -> {self.error_code or 'success'}"


def clipped_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A small copy of ``params``: its first :data:`CLIPPED_VALUES` values, texts clipped.

    What was left out is said where it was: a ``"..."`` member of an object, a last
    item of an array.

    >>> clipped_params({"Name": "x" * 300, "Ids": list(range(200))})["Ids"][-1]
    '... 102 more items not kept (the call was refused: its params are clipped)'
    """
    kept = _clipped(params, [CLIPPED_VALUES])
    assert isinstance(kept, dict)
    return kept


def _clipped(value: Any, budget: list[int]) -> Any:
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, Mapping):
        kept: dict[str, Any] = {}
        for name, child in value.items():
            if budget[0] <= 0:
                break
            budget[0] -= 1
            kept[clip(name)] = _clipped(child, budget)
        if len(kept) < len(value):
            kept["..."] = _left_out(len(value) - len(kept), "members")
        return kept
    if isinstance(value, (list, tuple)):
        items: list[Any] = []
        for child in value:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            items.append(_clipped(child, budget))
        if len(items) < len(value):
            items.append("... " + _left_out(len(value) - len(items), "items"))
        return items
    return value


def _left_out(count: int, what: str) -> str:
    return f"{count} more {what} not kept (the call was refused: its params are clipped)"


def parsed_size(body: Union[bytes, str, None]) -> int:
    """About how many bytes the params parsed from ``body`` (JSON or a form) take in memory.

    Parsed, a request takes more than its text, up to ~20 times for
    ``{"1":1,"2":1,...}`` or ``[{},{},...]``: each element is an object and a slot.
    Counting separators bounds that at the cost of a few ``bytes.count``, where
    walking the parsed params would cost more than parsing them.

    >>> parsed_size(b'{"Limit": 10}'), parsed_size(None)
    (133, 0)
    """
    if not body:
        return 0
    if isinstance(body, bytes):
        elements = sum(body.count(mark) for mark in _MARKS_BYTES)
    else:
        elements = sum(body.count(mark) for mark in _MARKS_TEXT)
    return len(body) + _ELEMENT_BYTES * elements


# What one element of a parsed request takes at most: a name (~50 bytes), a dict slot
# (~60 with the table's slack) and a small value. Measured: 117 per `"n":1`, 72 per `{}`.
_ELEMENT_BYTES = 120
_MARKS_TEXT = (",", "{", "[", "&")
_MARKS_BYTES = tuple(mark.encode() for mark in _MARKS_TEXT)


def _log_scrubbers() -> Scrubbers:
    """The default scrubbers, for what is shown in messages (imported when first needed)."""
    global _SCRUBBERS
    if _SCRUBBERS is None:
        from ..api.scrub.scrubbers import Scrubbers

        _SCRUBBERS = Scrubbers()
    return _SCRUBBERS


class CallLog:
    """Thread-safe, ordered, bounded list of :class:`Call` with assertion helpers.

    >>> log = CallLog(max_calls=2)
    >>> log.max_calls, log.dropped, len(log)
    (2, 0, 0)
    """

    def __init__(self, max_calls: Optional[int] = DEFAULT_MAX_CALLS) -> None:
        self.max_calls = check_max_calls(max_calls)
        self._lock = threading.Lock()
        self._entries: deque[tuple[Call, int]] = deque()  # each call with its size in bytes
        self._bytes = 0
        self._dropped = 0
        self._produced_here: set[str] = set()  # RequestIds of the answers the fake made

    def append(self, call: Call, request_bytes: int = 0) -> None:
        """Record ``call``, dropping the oldest; ``request_bytes``: what its params take.

        That is :func:`parsed_size` of the request body: parsed params are what is kept.
        A call refused (by the protocol, validation or strict_auth) with params over
        :data:`REFUSED_PARAMS_BYTES` keeps a :func:`clipped_params` copy of them instead.
        """
        if request_bytes > REFUSED_PARAMS_BYTES and call.answered_by in _REFUSED:
            call = replace(call, params=clipped_params(call.params))
            request_bytes = REFUSED_PARAMS_BYTES
        size = request_bytes + len(call.url) + len(call.reply.body)
        with self._lock:
            self._entries.append((call, size))
            self._bytes += size
            if call.answered_by not in NOT_MADE_HERE:
                self._produced_here.add(call.request_id)
            if self.max_calls is None:
                return
            entries = self._entries
            while len(entries) > self.max_calls or (
                self._bytes > MAX_LOG_BYTES and len(entries) > 1
            ):
                old, old_size = entries.popleft()
                self._bytes -= old_size
                self._produced_here.discard(old.request_id)
                self._dropped += 1

    @property
    def dropped(self) -> int:
        """How many calls were dropped, the oldest first, to keep the log bounded."""
        return self._dropped

    @property
    def total(self) -> int:
        """Every call recorded since the last :meth:`clear`, dropped ones included."""
        with self._lock:
            return self._dropped + len(self._entries)

    def since(self, total: int) -> list[Call]:
        """The calls recorded after the log's :attr:`total` was ``total``, still kept."""
        with self._lock:
            skip = max(0, total - self._dropped)
            return [call for call, _ in list(self._entries)[skip:]]

    def snapshot(self) -> tuple[int, list[Call]]:
        """``(dropped, calls)`` read at one moment: the N-th call kept is call ``dropped + N``."""
        with self._lock:
            return self._dropped, [call for call, _ in self._entries]

    def answered_here(self, request_id: str) -> bool:
        """True if a call in the log got an answer with ``request_id`` made by the fake itself."""
        with self._lock:
            return request_id in self._produced_here

    def __iter__(self) -> Iterator[Call]:
        with self._lock:
            return iter([call for call, _ in self._entries])

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> Call:
        return self._entries[index][0]

    def __repr__(self) -> str:
        dropped = f", {self._dropped} dropped" if self._dropped else ""
        return f"<CallLog: {len(self)} calls{dropped}>"

    def clear(self) -> None:
        """Forget every call, and the count of dropped ones."""
        with self._lock:
            self._entries.clear()
            self._bytes = self._dropped = 0
            self._produced_here.clear()

    def of(self, action: str, params: Optional[Mapping[str, Any]] = None) -> list[Call]:
        """Calls of ``action`` whose params include ``params`` (a subset match)."""
        return [
            c
            for c in self
            if c.action == action and (params is None or params_match(params, c.params))
        ]

    def describe(self) -> str:
        """The calls, one per line (the last 100), for assertion messages."""
        kept = list(self)
        listed = kept[-_LISTED_CALLS:]
        hidden = self._dropped + len(kept) - len(listed)
        lines = []
        if hidden:
            lines.append(f"  ({hidden} earlier call{'s' if hidden != 1 else ''} not listed)")
        lines += [f"  {n}. {call.summary()}" for n, call in enumerate(listed, hidden + 1)]
        return "\n".join(lines) if lines else "  (no calls)"

    def _incomplete(self, what: str) -> str:
        """Why a count over the kept calls cannot be trusted, or ``""`` if nothing was dropped."""
        if not self._dropped:
            return ""
        return (
            f" That is in the last {len(self)} calls kept: the log dropped the "
            f"{self._dropped} before them (max_calls={self.max_calls}), so {what} is not known. "
            "Raise max_calls, or pass max_calls=None to keep every call."
        )

    def assert_called(
        self, action: str, times: Optional[int] = None, params: Optional[Mapping[str, Any]] = None
    ) -> list[Call]:
        """Fail unless ``action`` was called (exactly ``times`` times, if given)."""
        __tracebackhide__ = True
        matching = self.of(action, params)
        # Fewer matches than wanted may be the dropped calls' fault: that is not known.
        unknown = bool(self._dropped) and len(matching) <= (times or 0)
        ok = (bool(matching) if times is None else len(matching) == times) and not unknown
        if not ok:
            wanted = (
                f"{times} time{'s' if times != 1 else ''}" if times is not None else "at least once"
            )
            shown = clip(json.dumps(dict(params), sort_keys=True)) if params else ""
            where = f" with params {shown}" if params else ""
            raise CKafkaAssertionError(
                f"expected {action} to be called {wanted}{where}, "
                f"it was called {len(matching)} time{'s' if len(matching) != 1 else ''}."
                f"{self._incomplete(_UNKNOWN[times is None]) if unknown else ''}\n"
                f"Calls made:\n{self.describe()}"
            )
        return matching

    def assert_not_called(self, action: str) -> None:
        """Fail if ``action`` was called at all."""
        __tracebackhide__ = True
        matching = self.of(action)
        if matching or self._dropped:
            raise CKafkaAssertionError(
                f"expected {action} not to be called, it was called {len(matching)} "
                f"time{'s' if len(matching) != 1 else ''}."
                f"{'' if matching else self._incomplete(_UNKNOWN[True])}\n"
                f"Calls made:\n{self.describe()}"
            )
