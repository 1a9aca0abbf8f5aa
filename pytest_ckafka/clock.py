"""A fake clock: sleeps are recorded and advance it instead of waiting.

While :meth:`Clock.patched` is active, ``time.sleep`` and ``asyncio.sleep`` return
at once and add their delay to the clock, so a retry loop with exponential
backoff runs in microseconds and the test can still see how it backed off.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
from collections.abc import Iterator
from typing import Any, Optional

__all__ = ["Clock"]

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

    def _sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(float(seconds))
            self._now += max(float(seconds), 0.0)

    @contextlib.contextmanager
    def patched(self) -> Iterator[Clock]:
        """Replace ``time.sleep`` and ``asyncio.sleep`` by recorders for the block."""
        real_sleep, real_async_sleep = time.sleep, asyncio.sleep

        def sleep(seconds: float) -> None:
            self._sleep(seconds)

        async def async_sleep(seconds: float, result: Any = None) -> Any:
            self._sleep(seconds)
            return await _REAL_ASYNC_SLEEP(0, result)  # still yield to the loop

        time.sleep = sleep  # type: ignore[assignment]
        asyncio.sleep = async_sleep  # type: ignore[assignment]
        try:
            yield self
        finally:
            time.sleep = real_sleep
            asyncio.sleep = real_async_sleep
