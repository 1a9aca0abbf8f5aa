"""A fake clock: sleeps are recorded and advance it instead of waiting.

While :meth:`Clock.patched` is active, ``time.sleep`` and ``asyncio.sleep`` return
at once and add their delay to the clock, so a retry loop with exponential
backoff runs in microseconds and the test can still see how it backed off.
:meth:`Clock.patch_defaults` reaches the sleeps bound as default arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import math
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

from .exceptions import CKafkaUsageError

__all__ = ["Clock"]

# The originals, as code that bound them at import time still holds them.
_REAL_SLEEP = time.sleep
_REAL_ASYNC_SLEEP = asyncio.sleep


class Clock:
    """Injectable time: ``now()``, ``advance(seconds)`` and the sleeps it absorbed.

    >>> clock = Clock(start=1_000.0)
    >>> with clock.patched():
    ...     time.sleep(2)
    >>> clock.now(), clock.sleeps
    (1002.0, [2.0])

    ``live=True`` makes a clock that follows the real time, plus whatever was
    advanced: the server uses one, as its clients wait in real time.
    """

    def __init__(self, start: Optional[float] = None, *, live: bool = False) -> None:
        self._now = time.time() if start is None else float(start)
        self.live = live
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        # One frame per active patched() block: what to put back, and the sleeps it replaced.
        self._frames: list[tuple[list[Callable[[], None]], tuple[Any, Any]]] = []
        if live:
            self._now -= time.time()  # kept as the offset from the real time

    def now(self) -> float:
        """Current fake time, in seconds since the epoch."""
        if self.live:
            return time.time() + self._now
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward (time-based rules read it, nothing waits)."""
        if not 0 <= seconds < math.inf:  # NaN too: it would make every later time NaN
            raise ValueError(
                f"the clock only moves forward by a finite number; got advance({seconds!r})"
            )
        with self._lock:
            self._now += seconds

    @property
    def total_sleep(self) -> float:
        """Sum of the delays slept while patched."""
        return sum(self.sleeps)

    def mark(self) -> int:
        """An index into :attr:`sleeps`, to read the sleeps of one call with :meth:`since`."""
        return len(self.sleeps)

    def since(self, mark: int) -> list[float]:
        """The sleeps recorded after ``mark``."""
        return self.sleeps[mark:]

    def sleep(self, seconds: float) -> None:
        """Record a sleep of ``seconds`` and move the clock on, at once: ``time.sleep``'s stand-in.

        Hand it to code that takes its sleep function as an argument:
        ``retry_on(call, sleep_fn=ckafka_clock.sleep)``.
        """
        with self._lock:
            self.sleeps.append(float(seconds))
            self._now += max(float(seconds), 0.0)

    async def async_sleep(self, seconds: float, result: Any = None) -> Any:
        """``asyncio.sleep``'s stand-in: record the sleep, then only yield to the loop once."""
        self.sleep(seconds)
        return await _REAL_ASYNC_SLEEP(0, result)

    @contextlib.contextmanager
    def patched(self) -> Iterator[Clock]:
        """Replace ``time.sleep`` and ``asyncio.sleep`` by recorders for the block.

        Code that bound the real function before the block (a default argument
        ``sleep_fn=time.sleep``) still holds it: see :meth:`patch_defaults`.
        """
        real_sleep, real_async_sleep = time.sleep, asyncio.sleep
        restores: list[Callable[[], None]] = []
        self._frames.append((restores, (real_sleep, real_async_sleep)))
        time.sleep = self.sleep  # type: ignore[assignment]
        asyncio.sleep = self.async_sleep  # type: ignore[assignment]
        try:
            yield self
        finally:
            time.sleep = real_sleep
            asyncio.sleep = real_async_sleep
            for restore in reversed(restores):
                restore()
            self._frames.pop()

    def patch_defaults(self, *functions: Callable[..., Any]) -> None:
        """Until the :meth:`patched` block ends, record the sleeps ``functions`` make by default.

        A function written ``def retry_on(call, attempts=3, sleep_fn=time.sleep)``
        keeps the real ``time.sleep`` it was given when it was defined, whatever
        :meth:`patched` does to the ``time`` module. This swaps every default
        argument (positional or keyword-only) of each function that is the real
        ``time.sleep`` or ``asyncio.sleep`` for :meth:`sleep` or
        :meth:`async_sleep`, and puts them back when the block ends. Methods and
        decorated functions (``functools.wraps``) are followed to the function
        holding the defaults. A function with no such default is an error, as a
        patch that changes nothing would let the test sleep for real.

        >>> def retry_on(call, attempts=3, sleep_fn=time.sleep):
        ...     for attempt in range(attempts):
        ...         try:
        ...             return call()
        ...         except ValueError:
        ...             sleep_fn(2 ** attempt)
        >>> clock = Clock(start=0)
        >>> with clock.patched():
        ...     clock.patch_defaults(retry_on)
        ...     retry_on(lambda: int("x"))
        >>> clock.sleeps, retry_on.__defaults__[1] is time.sleep
        ([1.0, 2.0, 4.0], True)
        """
        if not self._frames:
            raise CKafkaUsageError(
                "patch_defaults() works while the clock is patched: call it inside "
                "`with clock.patched():`, or on the ckafka_clock fixture"
            )
        restores, (real_sleep, real_async_sleep) = self._frames[-1]
        stand_ins: dict[int, Any] = {}
        for real in (_REAL_SLEEP, real_sleep):
            stand_ins[id(real)] = self.sleep
        for real in (_REAL_ASYNC_SLEEP, real_async_sleep):
            stand_ins[id(real)] = self.async_sleep
        for function in functions:
            swapped = [
                _swap_defaults(code_holder, stand_ins, restores)
                for code_holder in _defaults_holders(function)
            ]
            if not any(swapped):
                raise CKafkaUsageError(_nothing_to_patch(function))


def _defaults_holders(function: Callable[..., Any]) -> list[Any]:
    """``function`` and what it wraps: bound methods' functions, ``functools.wraps`` chains."""
    holders: list[Any] = []
    current: Any = function
    while current is not None and all(current is not h for h in holders):
        current = getattr(current, "__func__", current)
        if hasattr(current, "__defaults__"):
            holders.append(current)
        current = getattr(current, "__wrapped__", None)
    return holders


def _swap_defaults(
    function: Any, stand_ins: dict[int, Any], restores: list[Callable[[], None]]
) -> bool:
    """Swap ``function``'s real-sleep defaults; queue their restoration. True if any."""
    positional = function.__defaults__ or ()
    keywords = function.__kwdefaults__ or {}
    if not any(id(v) in stand_ins for v in (*positional, *keywords.values())):
        return False
    saved = (function.__defaults__, function.__kwdefaults__)
    if positional:
        function.__defaults__ = tuple(stand_ins.get(id(v), v) for v in positional)
    if keywords:
        function.__kwdefaults__ = {k: stand_ins.get(id(v), v) for k, v in keywords.items()}

    def restore() -> None:
        function.__defaults__, function.__kwdefaults__ = saved

    restores.append(restore)
    return True


def _nothing_to_patch(function: Callable[..., Any]) -> str:
    name = getattr(function, "__qualname__", None) or repr(function)
    holders = _defaults_holders(function)
    shown: list[str] = []
    for holder in holders:
        try:
            parameters = inspect.signature(holder).parameters.values()
        except (TypeError, ValueError):
            continue
        shown += [
            f"{p.name}={p.default!r}"
            for p in parameters
            if p.default is not inspect.Parameter.empty
        ]
    defaults = ", ".join(shown) if shown else "none"
    return (
        f"patch_defaults({name}): no default argument of {name} is time.sleep or "
        f"asyncio.sleep (its defaults: {defaults}). Give the function whose parameter "
        "defaults to the sleep, e.g. `def retry_on(call, sleep_fn=time.sleep)`; for a "
        "module that did `from time import sleep`, use "
        'monkeypatch.setattr(module, "sleep", ckafka_clock.sleep).'
    )
