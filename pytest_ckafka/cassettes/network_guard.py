"""Replay touches no network: refuse socket connections to CKafka hosts, from any client.

The ``ckafka`` fixture intercepts requests and httpx, so their calls never leave
the process during a replay. urllib, http.client, raw sockets and any other
client would still reach the real CKafka API, or whatever now listens on a
registered loopback endpoint. While a cassette replays, :class:`NetworkGuard`
patches the socket layer, as pytest-recording's network blocking does:

* ``socket.getaddrinfo``, ``gethostbyname`` and ``gethostbyname_ex`` refuse to
  resolve a CKafka host name: the public ``ckafka[.<region>].tencentcloudapi.com``
  names on any port, and registered endpoints on their port;
* ``socket.socket.connect`` and ``connect_ex`` refuse a registered endpoint's
  address, and a CKafka host name (``connect`` can resolve a name itself). The
  address is compared as the system reads it, not as written: ``localhost``,
  ``127.1``, ``2130706433``, ``127.000.000.001`` and ``::ffff:127.0.0.1`` are all
  resolved (by the real ``getaddrinfo``) to ``127.0.0.1``, and ``0.0.0.0`` or ``::``
  (this host) count as loopback, so any spelling of a registered loopback
  endpoint on its port is refused.

Registered endpoints are CKafka hosts even on loopback: in replay nothing may
answer in the cassette's place. Every other host, loopback included, is left
alone unless ``block_network=True``: then only loopback, Unix sockets and
``allowed_hosts`` (names or IP addresses; the addresses an allowed name
resolves to are allowed too) are reachable.

A refusal raises :class:`~pytest_ckafka.exceptions.NetworkBlockedError`, a
``ConnectionRefusedError`` naming the test, the host and the way out.

>>> import socket
>>> from pytest_ckafka.api.hosts import Endpoints
>>> with NetworkGuard(Endpoints(), nodeid="test_x.py::test_it", cassette=Path("c.yaml")):
...     try:
...         socket.create_connection(("ckafka.tencentcloudapi.com", 443))
...     except NetworkBlockedError as exc:
...         print(str(exc).splitlines()[0])
pytest-ckafka: test_x.py::test_it tried to reach the CKafka host ckafka.tencentcloudapi.com:443 while replaying c.yaml (record mode 'none'): a replay never reaches CKafka.
"""  # noqa: E501

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Optional, Union

from ..api.hosts import Endpoints, is_public_host
from ..exceptions import CKafkaUsageError, NetworkBlockedError
from .paths import shown_path
from .record_mode import RecordMode

__all__ = ["NetworkGuard"]

_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex")
_CONNECTORS = ("connect", "connect_ex")
_SERVICE_PORTS = {"http": 80, "https": 443}


class NetworkGuard:
    """Refuses connections to CKafka hosts while installed (``with`` or install/uninstall).

    ``endpoints`` is read at every check, so an endpoint added during the test
    is guarded too. ``nodeid``, ``cassette`` and ``record_mode`` are for the
    error message.
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        nodeid: Optional[str] = None,
        cassette: Optional[Path] = None,
        record_mode: Union[RecordMode, str] = RecordMode.NONE,
        block_network: bool = False,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.endpoints = endpoints
        self.nodeid = nodeid
        self.cassette = cassette
        self.record_mode = str(record_mode)  # "none", not RecordMode.NONE, in messages
        self.block_network = bool(block_network)
        self.allowed_hosts = _check_allowed_hosts(allowed_hosts)
        self._allowed_addresses: set[str] = set()
        self._saved: dict[tuple[Any, str], Any] = {}
        self._resolved: dict[str, frozenset[_IP]] = {}  # endpoint host -> its addresses

    def install(self) -> NetworkGuard:
        """Patch the resolvers and ``connect``; what was there is put back by :meth:`uninstall`."""
        if self._saved:
            return self
        for name in _RESOLVERS:
            original = getattr(socket, name)
            self._saved[(socket, name)] = original
            setattr(socket, name, self._guarded_resolver(name, original))
        for name in _CONNECTORS:
            original = getattr(socket.socket, name)
            self._saved[(socket.socket, name)] = original
            setattr(socket.socket, name, self._guarded_connect(original))
        return self

    def uninstall(self) -> None:
        """Put back the functions :meth:`install` replaced."""
        for (owner, name), original in self._saved.items():
            setattr(owner, name, original)
        self._saved.clear()

    def __enter__(self) -> NetworkGuard:
        return self.install()

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.uninstall()

    # -- the patches ---------------------------------------------------------

    def _guarded_resolver(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        guard = self

        @functools.wraps(original)
        def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
            text = _text(host)
            if text is not None and not _is_address(text):
                port = args[0] if args else kwargs.get("port")
                guard.check(text, _port(port) if name == "getaddrinfo" else None)
            result = original(host, *args, **kwargs)
            if guard.block_network and text is not None and _normal(text) in guard.allowed_hosts:
                guard._allowed_addresses.update(_addresses(name, result))
            return result

        return resolve

    def _guarded_connect(self, original: Callable[..., Any]) -> Callable[..., Any]:
        guard = self

        @functools.wraps(original)
        def connect(sock: socket.socket, address: Any, *args: Any, **kwargs: Any) -> Any:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
                host = _text(address[0]) if address else None
                if host is not None:
                    port = _port(address[1]) if len(address) > 1 else None
                    guard.check(host, port)
                    if port is not None:
                        guard.check_address(host, port)
            return original(sock, address, *args, **kwargs)

        return connect

    # -- the decision --------------------------------------------------------

    def check(self, host: str, port: Optional[int]) -> None:
        """Raise :class:`NetworkBlockedError` if the guard refuses ``host`` (``port`` if known)."""
        host = _normal(host)
        if self._is_ckafka(host, port):
            raise self._refused(host, port, ckafka=True)
        if self.block_network and not self._reachable(host):
            raise self._refused(host, port, ckafka=False)

    def check_address(self, host: str, port: int) -> None:
        """Raise :class:`NetworkBlockedError` if ``host`` on ``port`` reaches a registered endpoint.

        Both sides are compared as addresses the system resolves them to, so a
        spelling :meth:`check` does not know (``127.1``, ``localhost``) is still caught.
        """
        candidates = [pair for pair in self.endpoints.host_ports() if _on_port(pair[1], port)]
        if not candidates:
            return
        targets = self._addresses_of(host)
        for endpoint, _ in candidates:
            known = self._resolved.get(endpoint)
            if known is None:
                known = self._resolved[endpoint] = self._addresses_of(endpoint)
            loopback = any(a.is_loopback for a in targets) and any(a.is_loopback for a in known)
            if loopback or not targets.isdisjoint(known):
                raise self._refused(_normal(host), port, ckafka=True)

    def _addresses_of(self, host: str) -> frozenset[_IP]:
        """The addresses ``host`` stands for, normalised; empty if it does not resolve."""
        literal = _ip(host)
        if literal is not None:
            return frozenset((literal,))
        resolve = self._saved.get((socket, "getaddrinfo"), socket.getaddrinfo)
        try:
            found = resolve(host, None, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError):
            return frozenset()
        return frozenset(ip for ip in (_ip(str(entry[4][0])) for entry in found) if ip)

    def _is_ckafka(self, host: str, port: Optional[int]) -> bool:
        if is_public_host(host):
            return True
        if port is None:  # a lookup without a port: a registered host on any port
            return host in self.endpoints.hosts()
        return self.endpoints.matches(_netloc(host, port))

    def _reachable(self, host: str) -> bool:
        if host in self.allowed_hosts or host in self._allowed_addresses:
            return True
        if host == "localhost" or host.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(host.partition("%")[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return address.ipv4_mapped.is_loopback
        return address.is_loopback

    def _refused(self, host: str, port: Optional[int], *, ckafka: bool) -> NetworkBlockedError:
        where = _netloc(host, port) if port is not None else host
        test = self.nodeid or "the test"
        cassette = shown_path(self.cassette) if self.cassette is not None else "a cassette"
        replaying = f"while replaying {cassette} (record mode {self.record_mode!r})"
        if ckafka:
            lines = [
                f"pytest-ckafka: {test} tried to reach the CKafka host {where} {replaying}: "
                "a replay never reaches CKafka.",
                "The ckafka fixture answers calls made with requests or httpx (as the official "
                "SDK and tccli make them); this one came from another client (urllib, "
                "http.client, a raw socket), which a cassette cannot answer. Make the call with "
                "requests or httpx, or point the client at a FakeServer (the ckafka_server "
                "fixture).",
            ]
        else:
            allowed = ", ".join(sorted(self.allowed_hosts)) or "none"
            lines = [
                f"pytest-ckafka: {test} tried to reach {where} {replaying} with block_network: "
                f"only loopback and the allowed hosts ({allowed}) are reachable.",
                f'Add "{host}" to the ckafka_cassette marker\'s allowed_hosts or to the ini '
                "option ckafka_allowed_hosts, or turn block_network off for this test.",
            ]
        return NetworkBlockedError("\n".join(lines))


def _check_allowed_hosts(hosts: Iterable[str]) -> frozenset[str]:
    if isinstance(hosts, (str, bytes)):
        raise CKafkaUsageError(
            f"allowed_hosts must be a list of host names or IP addresses, got the string "
            f'{hosts!r}; write allowed_hosts=["{_text(hosts)}"]'
        )
    normal = set()
    for host in hosts:
        if not isinstance(host, str) or not host.strip() or "/" in host or " " in host.strip():
            raise CKafkaUsageError(
                f"allowed_hosts: {host!r} is not a host name or IP address; give names like "
                '"db.internal" or addresses like "10.0.0.5", without a scheme or port'
            )
        normal.add(_normal(host))
    return frozenset(normal)


def _text(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("ascii", "replace")
    return None


def _normal(host: str) -> str:
    """``CKafka.Example.`` -> ``ckafka.example``; ``[::1]`` -> ``::1``."""
    return host.strip().strip("[]").lower().rstrip(".")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(_normal(host).partition("%")[0])
    except ValueError:
        return False
    return True


_IP = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
_LOOPBACK = ipaddress.ip_address("127.0.0.1")


def _ip(text: str) -> Optional[_IP]:
    """``text`` as an address, IPv4-mapped IPv6 as IPv4, "this host" as loopback; else None."""
    try:
        address = ipaddress.ip_address(_normal(text).partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # Connecting to 0.0.0.0 or :: reaches this host, as loopback does.
    return _LOOPBACK if address.is_unspecified else address


def _on_port(endpoint_port: Optional[int], port: int) -> bool:
    """An endpoint without a port is reached on the default ports, as Endpoints.matches says."""
    return port == endpoint_port if endpoint_port is not None else port in (80, 443)


def _port(value: Any) -> Optional[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return _SERVICE_PORTS.get(text.lower())


def _netloc(host: str, port: Optional[int]) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown


def _addresses(resolver: str, result: Any) -> set[str]:
    """The IP addresses in what ``resolver`` returned."""
    if resolver == "getaddrinfo":
        return {str(entry[4][0]) for entry in result}
    if resolver == "gethostbyname":
        return {str(result)}
    return {str(address) for address in result[2]}  # gethostbyname_ex
