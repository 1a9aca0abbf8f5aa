"""The server's sockets: one deadline for reading a request, and a cap on connections.

Socket code only, no HTTP (:mod:`pytest_ckafka.server.http` formats every answer).
``pytest-ckafka serve`` runs for a whole CI job, so no client may hold a thread
for longer than a stated bound, and the number of threads is bounded too:

- :class:`DeadlineReader` bounds a whole read (the request line and headers, then
  the body) by one deadline. A per-``recv`` timeout alone lets a client that
  sends one byte a second hold a thread forever.
- :class:`ConnectionCap` counts open connections. At the cap, the connection
  idle the longest (waiting for its next request) is closed to make room, as
  nginx and others do: a keep-alive pool notices a closed idle connection and
  opens a new one. With none idle, a newcomer gets the ``refusal`` bytes at once
  and is closed by the accepting thread, so a flood of connections costs no
  thread each.
"""

from __future__ import annotations

import io
import select
import socket
import threading
import time
from contextlib import suppress
from typing import Any, Callable, Optional

__all__ = ["ConnectionCap", "DeadlineReader"]

_LINGER_SECONDS = 1.0  # how long a refused socket is drained, so the refusal is not lost to RST
_MAX_LINGERING = 64  # refused sockets drained at once; more are closed right away


class DeadlineReader(io.RawIOBase):
    """The reading side of a socket, every ``recv`` bounded by a deadline or a timeout.

    :meth:`start` sets a deadline for everything read until the next call (a
    whole request head); :meth:`wait` a per-read timeout instead (an idle
    keep-alive). Past the deadline a read raises ``socket.timeout``. Wrap it in an
    ``io.BufferedReader``; closing it leaves the socket open.
    """

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self._deadline: Optional[float] = None
        self._timeout = 60.0
        self._on_data: Optional[Callable[[], object]] = None

    def start(self, seconds: float) -> None:
        """Everything read from now on must arrive within ``seconds``."""
        self._deadline = time.monotonic() + seconds

    def wait(self, seconds: float, on_data: Optional[Callable[[], object]] = None) -> None:
        """Each read from now on may wait up to ``seconds`` (no overall deadline).

        ``on_data`` is called once bytes have arrived but before they are taken off
        the socket, so while it runs the socket still reads as having data waiting.
        """
        self._deadline, self._timeout, self._on_data = None, seconds, on_data

    def readable(self) -> bool:
        """Always: this is a reader."""
        return True

    def readinto(self, buffer: Any) -> int:
        """One ``recv_into``, waiting no longer than the deadline leaves."""
        if self._deadline is None:
            wait = self._timeout
            if self._on_data is not None:
                self._sock.settimeout(wait)
                if not self._sock.recv(1, socket.MSG_PEEK):
                    return 0
                on_data, self._on_data = self._on_data, None
                on_data()
        else:
            wait = self._deadline - time.monotonic()
            if wait <= 0:
                raise socket.timeout("the read deadline passed")
        self._sock.settimeout(wait)
        return self._sock.recv_into(buffer)


class ConnectionCap:
    """At most ``limit`` open connections; see the module for what happens at the cap.

    The accepting thread calls :meth:`admit` (and :meth:`refuse` when it says
    no) and :meth:`drain` between accepts; a connection's thread calls
    :meth:`idle` while it waits for a request, :meth:`busy` once one starts
    arriving, and :meth:`release` when it ends.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._open: dict[socket.socket, Optional[float]] = {}  # -> idle since (None: busy)
        self._evicted: set[socket.socket] = set()
        self._lingering: dict[socket.socket, float] = {}  # refused -> drain until

    @property
    def count(self) -> int:
        """Connections open now (each has a thread), closed idle ones until they end."""
        with self._lock:
            return len(self._open)

    def admit(self, sock: socket.socket) -> bool:
        """Count ``sock`` in, closing the longest-idle connection at the cap; False: no room."""
        victim = None
        with self._lock:
            if len(self._open) - len(self._evicted) >= self.limit:
                victim = self._idlest()
                if victim is None:
                    return False
                self._evicted.add(victim)
            self._open[sock] = time.monotonic()  # idle until its first request arrives
        if victim is not None:
            # Its thread's read returns end-of-file and it ends. Only the reading side: if a
            # request slipped in meanwhile, its thread can still answer it (see busy()).
            with suppress(OSError):
                victim.shutdown(socket.SHUT_RD)
        return True

    def _idlest(self) -> Optional[socket.socket]:
        idle = sorted((since, id(s), s) for s, since in self._open.items() if since is not None)
        for _, _, sock in idle:
            # Bytes waiting (a request on its way) or end-of-file: it is not idle after all.
            if sock not in self._evicted and not _readable(sock):
                return sock
        return None

    def idle(self, sock: socket.socket) -> None:
        """``sock`` waits for its next request: it may be closed to make room."""
        with self._lock:
            if sock in self._open and self._open[sock] is None:  # else: idle since earlier
                self._open[sock] = time.monotonic()

    def busy(self, sock: socket.socket) -> bool:
        """A request is arriving on ``sock``; False if it was closed to make room meanwhile
        (its reading side only: answer the request, then close)."""
        with self._lock:
            if sock in self._evicted:
                return False
            self._open[sock] = None
            return True

    def release(self, sock: socket.socket) -> None:
        """``sock``'s thread has ended."""
        with self._lock:
            self._open.pop(sock, None)
            self._evicted.discard(sock)

    def refuse(self, sock: socket.socket, answer: bytes) -> None:
        """Send ``answer`` without blocking, then close ``sock`` (after a short drain)."""
        try:
            sock.setblocking(False)
            sock.send(answer)  # a new socket's empty send buffer takes a small answer whole
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            sock.close()
            return
        with self._lock:
            if len(self._lingering) < _MAX_LINGERING:
                # Closing with the client's request unread would send an RST, which can
                # destroy the answer in the client's buffer before it reads it.
                self._lingering[sock] = time.monotonic() + _LINGER_SECONDS
                return
        sock.close()

    def drain(self) -> None:
        """Read and drop what refused clients sent; close those done or out of time."""
        with self._lock:
            lingering = list(self._lingering.items())
        now = time.monotonic()
        for sock, until in lingering:
            done = now >= until
            while not done:
                try:
                    done = not sock.recv(65536)  # end-of-file: the client has closed
                except BlockingIOError:
                    break
                except OSError:
                    done = True
            if done:
                with self._lock:
                    self._lingering.pop(sock, None)
                sock.close()

    def close(self) -> None:
        """Close every refused socket still draining (the server is stopping)."""
        with self._lock:
            lingering, self._lingering = list(self._lingering), {}
        for sock in lingering:
            sock.close()


def _readable(sock: socket.socket) -> bool:
    """True when a read would not block: bytes are waiting, or the peer has closed."""
    try:
        if hasattr(select, "poll"):  # select() cannot watch a descriptor past 1023
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed meanwhile: not a candidate
        return True
