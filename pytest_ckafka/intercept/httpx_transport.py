"""Adapter: answer ``httpx`` calls (sync and async) to CKafka endpoints through ``respx``.

One catch-all route decides per request: a call ``CKafka.intercepts`` (a
registered endpoint, or a CKafka API request to any host) gets the core's
answer; anything else falls through to a respx router started after this one
(for example a test's own ``respx_mock``) or, if there is none, passes through
to the network untouched.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Optional, Union

import httpx
import respx
from respx.mocks import HTTPCoreMocker

if TYPE_CHECKING:
    from ..fake.core import CKafkaCore

__all__ = ["HttpxTransport"]


class HttpxTransport:
    """Starts and stops a ``respx.MockRouter`` wired to a :class:`~..fake.core.CKafkaCore`."""

    def __init__(self, core: CKafkaCore) -> None:
        self._core = core
        self._router: Any = None
        # respx resolves a request again at each httpcore layer it patches (the pool,
        # then the connection); every layer sees the same body stream object, so the
        # stream of a request let through to the network marks it, once, and the
        # request is answered (and logged) once.
        self._passed: weakref.WeakSet[Any] = weakref.WeakSet()

    def start(self) -> None:
        """Begin intercepting ``httpx``."""
        router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        router.route(name="pytest-ckafka").mock(side_effect=self._side_effect)
        router.start()
        self._router = router

    def stop(self) -> None:
        """Stop intercepting; ``httpx`` behaves as before ``start``."""
        if self._router is not None:
            self._router.stop(quiet=True)
            self._router = None

    def _side_effect(
        self, request: httpx.Request
    ) -> Optional[Union[httpx.Response, httpx.Request]]:
        if not self._core.intercepts(
            request.method, str(request.url), request.headers, _body(request)
        ):
            routers = HTTPCoreMocker.routers
            if routers and routers[-1] is not self._router:
                return None  # unmatched here: the next router gets its turn
            return request  # respx's signal for "pass through"
        if request.stream in self._passed:
            self._passed.discard(request.stream)
            return request
        reply = self._core.handle(
            request.method, str(request.url), request.headers, request.content
        )
        if reply.raise_kind == "passthrough":
            self._passed.add(request.stream)
            return request  # a recording cassette: let it reach the network
        if reply.raise_kind == "timeout":
            raise httpx.ReadTimeout("pytest-ckafka: simulated read timeout", request=request)
        if reply.raise_kind == "connection_error":
            raise httpx.ConnectError("pytest-ckafka: simulated connection refused", request=request)
        return httpx.Response(reply.status, headers=dict(reply.headers), content=reply.body)


def _body(request: httpx.Request) -> bytes:
    """The body, if httpx has read it: a streamed upload to another host stays unread."""
    try:
        return request.content
    except httpx.RequestNotRead:
        return b""
