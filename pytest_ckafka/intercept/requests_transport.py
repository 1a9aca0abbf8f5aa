"""Adapter: answer ``requests`` calls to CKafka through ``responses``.

A call is CKafka's when ``CKafka.intercepts`` says so: a registered endpoint, or
a CKafka API request to any host. Other calls pass through to whatever
``HTTPAdapter.send`` was in place when the mock started, so another mock started
earlier, or a real local server, keeps working. ``responses``' default mock
(``@responses.activate``, the ``responses`` module functions) is told to pass
calls to the registered endpoints through to this one while it runs, since a
test that uses both would otherwise have its CKafka calls refused by
``responses``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
import responses
from requests.adapters import HTTPAdapter

if TYPE_CHECKING:
    from ..fake.core import CKafkaCore

__all__ = ["RequestsTransport"]

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_ANY_URL = re.compile(r".*")


class RequestsTransport:
    """Starts and stops a ``responses.RequestsMock`` wired to a :class:`~..fake.core.CKafkaCore`."""

    def __init__(self, core: CKafkaCore) -> None:
        self._core = core
        self._mock: Any = None
        self._default_saved: Any = None
        self._own_send: Any = None

    def start(self) -> None:
        """Begin intercepting ``requests``."""
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False, real_adapter_send=HTTPAdapter.send
        )
        matcher = self._is_ckafka
        for method in _METHODS:
            mock.add_callback(
                method, _ANY_URL, callback=self._callback, content_type=None, match=[matcher]
            )
        mock.add_passthru(_ANY_URL)
        mock.start()
        self._mock = mock
        self._own_send = HTTPAdapter.send  # the patched send that reaches this transport
        self._route_default_mock()

    def stop(self) -> None:
        """Stop intercepting; ``requests`` behaves as before ``start``."""
        if self._mock is not None:
            self._unroute_default_mock()
            self._mock.stop(allow_assert=False)
            self._mock.reset()
            self._mock = None

    def refresh(self) -> None:
        """Re-register the CKafka URL pattern after an endpoint was added."""
        if self._mock is not None:
            self._unroute_default_mock()
            self._route_default_mock()

    def _route_default_mock(self) -> None:
        default = responses.mock
        pattern = self._core.endpoints.url_pattern()
        self._default_saved = (default._real_send, pattern)
        default._real_send = self._own_send
        default.add_passthru(pattern)

    def _unroute_default_mock(self) -> None:
        if self._default_saved is None:
            return
        default = responses.mock
        real_send, pattern = self._default_saved
        default._real_send = real_send
        default.passthru_prefixes = tuple(p for p in default.passthru_prefixes if p is not pattern)
        self._default_saved = None

    def _is_ckafka(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        method, url = request.method or "GET", request.url or ""
        if not self._core.intercepts(method, url, request.headers, request.body):
            return False, f"{urlsplit(url).netloc} is not a CKafka endpoint"
        # A recording cassette gets unanswered calls from the network: not matching
        # here sends them on through the passthru to the real adapter (and vcrpy).
        if self._core._cassette is not None and self._core._passes_through(
            method, url, request.headers, request.body
        ):
            return False, "recorded from the network"
        return True, ""

    def _callback(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        reply = self._core.handle(
            request.method or "GET", request.url or "", request.headers, request.body
        )
        if reply.raise_kind == "timeout":
            raise requests.exceptions.ReadTimeout(
                f"pytest-ckafka: simulated read timeout for {request.url}", request=request
            )
        if reply.raise_kind == "connection_error":
            raise requests.exceptions.ConnectionError(
                f"pytest-ckafka: simulated connection refused for {request.url}", request=request
            )
        return reply.status, dict(reply.headers), reply.body
