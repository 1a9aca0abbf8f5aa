"""The fake CKafka API as a real HTTP server, for clients outside this process.

A thin adapter: each request goes to :meth:`CKafka.handle
<pytest_ckafka.CKafka.handle>` as ``(method, url, headers, body)`` and its
:class:`~pytest_ckafka.api.envelopes.Reply` is written back. The server adds only
what a socket needs: HTTP/1.1 keep-alive with ``Content-Length`` on every answer;
``RequestSizeLimitExceeded`` for a body over 10 MB (never read) and
``InvalidParameter`` for one shorter than its ``Content-Length`` (after
``body_timeout``), both with status 200 as the API answers; ``InvalidRequest``
with status 400 (411, 414, 431, 505) for what is not HTTP at all, an HTTP/0.9
request line (no version) included, and 408 for a request line and headers that
have not all arrived ``header_timeout`` after their first byte (however slowly
they trickle). Past ``max_connections`` open connections the longest-idle
keep-alive connection is closed to make room; with none idle, a new connection
is answered 503 ``RequestLimitExceeded`` at once and closed, without a thread
(:mod:`pytest_ckafka.server.connections`). The ``timeout`` fault holds the connection
silent until the client gives up, ``fault_timeout`` passes (then it is closed
with no answer) or the server stops; ``connection_error`` resets it. These
refusals never reach the core, so they are not in ``calls``; ``rejections``
lists them.

Paths under ``/_ckafka/`` are the control API (:mod:`pytest_ckafka.server.control`),
answered before the core and never logged in ``calls``. With ``strict_auth=True``
the core checks every signature against the keys given to ``add_credentials``
(:mod:`pytest_ckafka.api.signing`).
"""

from __future__ import annotations

import email.utils
import io
import math
import socket
import struct
import threading
import time
import traceback
from collections import deque
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import urlsplit

from ..api.envelopes import Reply, envelope_reply, error_envelope
from ..api.hosts import HostError, parse_host
from ..api.scrub.values import register_server, unregister_server
from ..checks.ckafka import CKafka
from ..clock import Clock
from ..exceptions import (
    CKafkaAssertionError,
    CKafkaUsageError,
    ListenError,
    RetryStorm,
    UnmatchedCallError,
)
from ..fake.options import OptionKeywords
from .connections import ConnectionCap, DeadlineReader
from .control import handle_control, is_control_path

if TYPE_CHECKING:
    from typing_extensions import Unpack

# Python 3.9's socket.timeout is not yet TimeoutError (3.10 made them one class).
_TIMEOUTS: tuple[type[BaseException], ...] = (TimeoutError, socket.timeout)

__all__ = [
    "BODY_TIMEOUT",
    "FAULT_TIMEOUT",
    "HEADER_TIMEOUT",
    "IDLE_TIMEOUT",
    "MAX_BODY_BYTES",
    "MAX_CONNECTIONS",
    "FakeServer",
]

MAX_BODY_BYTES = 10 * 1024 * 1024
"""The real API's request size limit; a larger body gets ``RequestSizeLimitExceeded``."""
HEADER_TIMEOUT = 10.0
"""Default seconds for a request line and headers to arrive, from their first byte."""
BODY_TIMEOUT = 2.0
"""Default seconds for a body to arrive once its headers have."""
IDLE_TIMEOUT = 60.0
"""Default seconds a keep-alive connection may wait for its next request."""
FAULT_TIMEOUT = 120.0
"""Default longest hold of a ``timeout`` fault: past the SDK's default 60 s ``reqTimeout``."""
MAX_CONNECTIONS = 256
"""Default cap on open connections (each has a thread): many keep-alive pools' worth."""

_MAX_LINE = 65536  # as http.server: a longer request line gets 414
_PHRASES = {status.value: status.phrase for status in HTTPStatus}


def _error(code: str, message: str) -> Reply:
    return envelope_reply(error_envelope(code, message, custom=True))


class _Refusal(Exception):
    """A request the server answers itself; it never reaches the core."""

    def __init__(self, status: int, message: str, code: str = "InvalidRequest") -> None:
        self.status, self.message, self.code = status, message, code


class _LastLine:
    """A reader that remembers the last line read: did the headers end with their blank line?"""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self.raw, self.last = raw, b""

    def readline(self, limit: int = -1) -> bytes:
        self.last = self.raw.readline(limit)
        return self.last

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Handler(BaseHTTPRequestHandler):
    """One connection: requests in, the core's replies out, until either side closes."""

    server: _Server
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # so even an answer to garbage has a status line
    disable_nagle_algorithm = True  # an answer is one write: never wait for a delayed ACK

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # makefile()'s reader: replaced by one with a deadline
        self.reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader, 65536)
        self.last_request = False  # True once closed to make room: answer, then close
        self.server.track(self, True)

    def finish(self) -> None:
        with suppress(OSError):
            super().finish()
        self.server.track(self, False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is no place for an access log."""

    def send_error(self, code: int, message: Optional[str] = None, _: Optional[str] = None) -> None:
        """http.server's own refusals (request line, headers) as envelopes."""
        self._refuse(_Refusal(code, f"The request is not valid HTTP: {message}."))

    def handle_one_request(self) -> None:
        self.close_connection = True
        self._answered = False
        try:
            self._one_request()
        except _Refusal as refusal:
            self._refuse(refusal)
        except OSError:  # the client went away or stalled: nobody to answer
            self.close_connection = True
        except Exception as exc:
            self.close_connection = True
            self.server.fake._crashed()
            if not self._answered:
                with suppress(OSError):
                    self._send(_error("InternalError", f"pytest-ckafka server error: {exc!r}"))

    def _one_request(self) -> None:
        fake, cap, reader, sock = self.server.fake, self.server.cap, self.reader, self.connection
        # Marked busy while the first bytes are still on the socket, so the cap, which
        # only closes a connection with nothing to read, cannot close it under a request.
        reader.wait(fake.idle_timeout, on_data=lambda: cap.busy(sock))
        cap.idle(sock)
        first = self.rfile.peek(1)[:1]  # type: ignore[attr-defined]
        if not first:  # the client closed, or the cap closed this idle connection for room
            return
        self.last_request = not cap.busy(sock)  # room was made as a buffered request came
        reader.start(fake.header_timeout)  # the line and headers, however slowly they come
        if first == b"\x16":  # TLS ClientHello
            raise _Refusal(400, f"This server speaks plain HTTP, not TLS (https): use {fake.url}")
        try:
            line = self.rfile.readline(_MAX_LINE + 1)
            while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: skip empty lines before a request
                line = self.rfile.readline(_MAX_LINE + 1)
            if not line:
                return
            self.raw_requestline = line
            if len(line) > _MAX_LINE:
                raise _Refusal(414, "The request line exceeds 65536 bytes.")
            # Split as parse_request() does; with two words it would read headers for HTTP/0.9.
            if len(str(line, "iso-8859-1").split()) == 2:
                message = f"The request line {line!r} has no HTTP version (HTTP/0.9): send "
                raise _Refusal(400, message + "e.g. 'POST / HTTP/1.1'.")
            lines = _LastLine(self.rfile)
            self.rfile = lines  # type: ignore[assignment]
            try:
                parsed = self.parse_request()
            finally:
                self.rfile = lines.raw
        except _TIMEOUTS:
            message = f"The request line and headers did not arrive within {fake.header_timeout:g}"
            raise _Refusal(408, message + " s of their first byte (header_timeout).") from None
        if not parsed:  # it has answered, unless the line was blank
            if not self._answered:
                raise _Refusal(400, f"The request line {line!r} is empty.")
            return
        if lines.last not in (b"\r\n", b"\n"):  # http.server takes the end of input for it
            message = "The connection closed before the blank line that ends the headers."
            raise _Refusal(400, message)
        body = self._read_body()
        reply = fake._reply_to(str(self.command), self._url(), dict(self.headers.items()), body)
        if reply.raise_kind == "timeout":
            self._hold()
        elif reply.raise_kind == "connection_error":
            self._reset()
        else:
            self._send(reply)

    def _url(self) -> str:
        url = self.path
        if not url.startswith(("http://", "https://")):
            try:  # the one Host parser; tccli, for one, sends "http://127.0.0.1:PORT"
                parsed = parse_host(self.headers.get("Host", "").strip())
                host = f"{parsed.name}:{parsed.port}" if parsed.port else parsed.name
            except HostError:  # the signature check says what is wrong with it, if it matters
                host = self.server.fake.endpoint
            url = f"http://{host}{url if url.startswith('/') else '/' + url}"
        try:
            urlsplit(url).port  # noqa: B018  (raises on a bad port or IPv6 literal)
        except ValueError:
            raise _Refusal(400, f"Bad request target {self.path!r}.") from None
        return url

    def _read_body(self) -> bytes:
        if "Transfer-Encoding" in self.headers:  # no CKafka SDK streams a body
            coding = self.headers["Transfer-Encoding"]
            raise _Refusal(411, f"Transfer-Encoding {coding!r}: send Content-Length instead.")
        values = [v.strip() for v in self.headers.get_all("Content-Length") or []]
        if not values:
            return b""  # no Content-Length: no body
        # 13+ digits is always past the 10 MB limit (and int() refuses 4300+ digits).
        digits = values[0].lstrip("0") or "0"
        size = int(digits[:13]) if digits.isascii() and digits.isdigit() else -1
        if size < 0 or len(set(values)) > 1:
            message = f"Content-Length {', '.join(values)!r} is not a byte count."
            raise _Refusal(400, message)
        if size > MAX_BODY_BYTES:
            message = f"The request body exceeds {MAX_BODY_BYTES} bytes: Content-Length is {size}."
            raise _Refusal(200, message, "RequestSizeLimitExceeded")
        timeout, body = self.server.fake.body_timeout, bytearray()
        self.reader.start(timeout)
        while len(body) < size:
            chunk = b""
            with suppress(*_TIMEOUTS):
                chunk = self.rfile.read1(size - len(body))
            if not chunk:
                message = f"The request body is truncated: Content-Length is {size}"
                message += f" but {len(body)} bytes arrived within {timeout:g} s."
                raise _Refusal(200, message, "InvalidParameter")
            body += chunk
        return bytes(body)

    def _refuse(self, refusal: _Refusal) -> None:
        """Answer, then close: after a refusal the stream may be out of step."""
        self.server.fake._note(self.server.fake.rejections, f"{refusal.code}: {refusal.message}")
        self.close_connection = True
        with suppress(OSError):  # the client may be gone already
            self._send(_error(refusal.code, refusal.message), refusal.status)
            if refusal.code == "RequestSizeLimitExceeded":  # drain 1 s, or a sender gets an RST
                self.connection.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + 1.0
                while (left := deadline - time.monotonic()) > 0:
                    self.connection.settimeout(left)
                    if not self.connection.recv(1 << 16):
                        break

    def _send(self, reply: Reply, status: Optional[int] = None) -> None:
        self.close_connection = self.close_connection or self.last_request
        if self.close_connection:
            connection: Optional[str] = "close"
        else:
            connection = None if self.request_version == "HTTP/1.1" else "keep-alive"
        self._answered = True
        # A write gets its own bound: the last read may have left a deadline's remainder.
        self.connection.settimeout(self.server.fake.idle_timeout)
        self.wfile.write(_answer_bytes(reply, status or reply.status, connection))

    def _hold(self) -> None:
        """A ``timeout`` fault: silence until the client gives up, the cap passes or we stop."""
        self.close_connection = True
        sock, stopping = self.connection, self.server.stopping
        deadline = time.monotonic() + self.server.fake.fault_timeout
        while not stopping.is_set() and (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                if not sock.recv(1, socket.MSG_PEEK):
                    return  # the client closed its end: it gave up
            except OSError:  # the cap passed, or stop() shut the socket
                return
            stopping.wait(0.05)  # it sent more bytes: it is still waiting

    def _reset(self) -> None:
        """A ``connection_error`` fault: SO_LINGER 0 makes the close a reset (RST)."""
        self.close_connection = True
        with suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # the fd closes, with the RST, when finish() closes rfile


def _answer_bytes(reply: Reply, status: int, connection: Optional[str]) -> bytes:
    """``reply`` as HTTP/1.1 bytes; ``connection`` is the ``Connection`` header, if any."""
    head = [f"HTTP/1.1 {status} {_PHRASES.get(status, '')}"]
    head.append(f"Date: {email.utils.formatdate(usegmt=True)}")
    skip = ("content-length", "connection")
    head += [f"{k}: {v}" for k, v in reply.headers.items() if k.lower() not in skip]
    head.append(f"Content-Length: {len(reply.body)}")
    if connection:
        head.append(f"Connection: {connection}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + reply.body


class _Server(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows and caps its open connections; stop() ends them."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: FakeServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.fake = fake
        self.stopping = threading.Event()
        # the poll interval bounds how long stop() waits for the accept loop
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._open: dict[_Handler, threading.Thread] = {}
        self._open_lock = threading.Lock()
        self.cap = ConnectionCap(fake.max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for the connection if the cap admits it; else refuse it here."""
        if not self.cap.admit(request):
            self.cap.refuse(request, self._refusal())
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started (e.g. none can be): it is not open
            self.cap.release(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.cap.release(request)

    def service_actions(self) -> None:
        """Between accepts (at least every poll interval): drain refused connections."""
        self.cap.drain()

    def server_close(self) -> None:
        super().server_close()
        self.cap.close()

    def _refusal(self) -> bytes:
        limit = self.cap.limit
        message = (
            f"The server has {limit} open connections, its limit (FakeServer(max_connections="
            f"{limit}), pytest-ckafka serve --max-connections {limit}) and none is idle: "
            "retry later, close unused connections, or raise the limit."
        )
        self.fake._note(self.fake.rejections, f"RequestLimitExceeded: {message}")
        reply = _error("RequestLimitExceeded", message)
        reply = replace(reply, headers={**reply.headers, "Retry-After": "1"})
        return _answer_bytes(reply, 503, "close")

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(): a reverse DNS lookup that can take seconds.
        TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def track(self, handler: _Handler, opened: bool) -> None:
        """Note a connection opened or closed; one opened while stopping is ended at once."""
        with self._open_lock:
            if opened:
                self._open[handler] = threading.current_thread()
            else:
                self._open.pop(handler, None)
        if opened and self.stopping.is_set():
            self.close_connections()

    def close_connections(self) -> list[threading.Thread]:
        """Shut every open connection (waking idle keep-alive readers); return their threads."""
        with self._open_lock:
            handlers = dict(self._open)
        for handler in handlers:
            with suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
        return list(handlers.values())

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Record instead of printing a traceback on stderr."""
        self.fake._crashed()


def _seconds(name: str, value: float) -> float:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not 0 < value < math.inf:
        raise CKafkaUsageError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CKafkaUsageError(f"{name} must be a positive integer, got {value!r}")
    return value


class FakeServer(CKafka):
    """The fake CKafka API listening on a real address (loopback by default).

    The ``ckafka`` fixture's API (``respond``, ``fail``, ``fault``, ``calls``,
    ``state``, ``clock``, ``assert_called``...) for any HTTP client: point it at :attr:`endpoint`
    (``HttpProfile(endpoint=server.endpoint, protocol="http")``) or :attr:`url`.
    Leaving the ``with`` block stops and verifies it, as the fixture does.
    Its :attr:`clock` follows the real time (``clock.advance`` still moves it
    ahead), as its clients wait in real time. Limits, in seconds unless said:
    ``header_timeout`` (10) for a request line and headers from their first byte,
    ``body_timeout`` (2) for the body after them, ``idle_timeout`` (60) for a
    keep-alive between requests (and for writing an answer), ``fault_timeout``
    (120) for a ``timeout`` fault's hold, and ``max_connections`` (256) open
    connections (see the module for what happens at the cap). The other
    keyword arguments are every fake's options (:class:`~pytest_ckafka.Options`);
    ``endpoints`` and ``passthrough`` only matter to :meth:`intercepts`, which
    no transport asks of a server.

    >>> import json, urllib.request
    >>> with FakeServer() as server:
    ...     _ = server.fail("DeleteTopic", "ResourceInUse")
    ...     headers = {"X-TC-Action": "DeleteTopic", "X-TC-Version": "2019-08-19",
    ...                "Content-Type": "application/json"}
    ...     body = b'{"InstanceId": "ckafka-1", "TopicName": "orders"}'
    ...     request = urllib.request.Request(server.url, body, headers)
    ...     answer = json.load(urllib.request.urlopen(request))
    >>> answer["Response"]["Error"]["Code"], server.calls[0].action
    ('ResourceInUse', 'DeleteTopic')
    """

    _OWN_KEYWORDS = (
        "host",
        "port",
        "header_timeout",
        "body_timeout",
        "fault_timeout",
        "idle_timeout",
        "max_connections",
    )

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        header_timeout: float = HEADER_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        fault_timeout: float = FAULT_TIMEOUT,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        **options: Unpack[OptionKeywords],
    ) -> None:
        if options.get("clock") is None:
            options["clock"] = Clock(live=True)  # its clients wait in real time
        super().__init__(**options)
        self.host, self.port = host, port
        self.header_timeout = _seconds("header_timeout", header_timeout)
        self.body_timeout = _seconds("body_timeout", body_timeout)
        self.fault_timeout = _seconds("fault_timeout", fault_timeout)
        self.idle_timeout = _seconds("idle_timeout", idle_timeout)
        self.max_connections = _count("max_connections", max_connections)
        self.rejections: deque[str] = deque(maxlen=1000)
        """Requests the server refused itself: not HTTP, truncated or oversize bodies."""
        self.problems: deque[str] = deque(maxlen=100)
        """Internal errors (a pytest-ckafka bug) and stopped retry storms; ``verify`` fails."""
        self._address: Optional[tuple[str, int]] = None
        self._server: Optional[_Server] = None
        self._guard = threading.Lock()  # the lifecycle and the logs above

    @property
    def endpoint(self) -> str:
        """``"127.0.0.1:PORT"``, for ``HttpProfile(endpoint=...)``; kept after :meth:`stop`."""
        if self._address is None:
            raise CKafkaUsageError("FakeServer has no address until start() or `with`")
        host, port = self._address
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @property
    def open_connections(self) -> int:
        """Connections open now, each served by a thread (0 when stopped)."""
        server = self._server
        return 0 if server is None else server.cap.count

    @property
    def url(self) -> str:
        """``"http://127.0.0.1:PORT/"``: every action is POSTed here."""
        return f"http://{self.endpoint}/"

    def start(self) -> FakeServer:
        """Bind and serve from a daemon thread; a no-op while running."""
        with self._guard:
            if self._server is not None:
                return self
            try:
                server = _Server((self.host, self.port), self)
            except (OSError, OverflowError) as exc:
                reason = str(getattr(exc, "strerror", None) or exc)
                raise ListenError(self.host, self.port, reason) from None
            self._address = (str(server.server_address[0]), int(server.server_address[1]))
            server.thread.start()
            self._server = server
        # A cassette recorded from this server in this process is scrubbed of its keys.
        register_server(self.endpoint, self.credentials)
        return self

    def stop(self) -> None:
        """Stop accepting and end every open connection; returns within about a second."""
        with self._guard:
            server, self._server = self._server, None
        if server is None:
            return
        unregister_server(self.endpoint)
        server.stopping.set()
        server.shutdown()
        server.server_close()
        deadline = time.monotonic() + 1.0
        for worker in [server.thread, *server.close_connections()]:
            worker.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        if exc_info[0] is None:
            self.verify()

    def reset(self, *, state: bool = False) -> None:
        """As :meth:`CKafka.reset`; also forget rejections and recorded server problems."""
        super().reset(state=state)
        with self._guard:
            self.rejections.clear()
            self.problems.clear()

    def verify(self, *, assert_all_used: Optional[bool] = None) -> None:
        """As :meth:`CKafka.verify`; also fail on :attr:`problems`."""
        super().verify(assert_all_used=assert_all_used)
        with self._guard:
            problems = list(self.problems)
        if problems:
            raise CKafkaAssertionError("pytest-ckafka server:\n  " + "\n  ".join(problems))

    def _reply_to(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> Reply:
        path = urlsplit(url).path
        if is_control_path(path):
            reply = handle_control(self, method, path, body).reply()
            return replace(reply, body=b"") if method.upper() == "HEAD" else reply
        try:
            return self.handle(method, url, headers, body)
        except UnmatchedCallError as exc:  # the core recorded it: verify() raises it
            return _error("InternalError", str(exc))
        except RetryStorm as exc:  # cannot be raised in the client: answer a code none retries
            self._note(self.problems, f"retry storm: {exc}")
            return _error("FailedOperation", str(exc))

    def _note(self, log: deque[str], item: str) -> None:
        with self._guard:
            log.append(item)

    def _crashed(self) -> None:
        self._note(self.problems, "internal error: " + traceback.format_exc())
