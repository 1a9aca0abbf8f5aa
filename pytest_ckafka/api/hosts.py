"""Which hosts are CKafka endpoints, for the transports that intercept calls.

The public endpoints are fixed patterns; tests that point the SDK elsewhere
(``HttpProfile(endpoint="127.0.0.1:9100")``, a private root domain) add their
own. Every intercepted request asks :meth:`Endpoints.matches`, so it is a set
lookup and one precompiled regex, never a parse.

>>> endpoints = Endpoints(["http://127.0.0.1:9100"])
>>> endpoints.matches("ckafka.ap-guangzhou.tencentcloudapi.com:443")
True
>>> endpoints.matches("127.0.0.1:9100"), endpoints.matches("127.0.0.1:9200")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Optional

from ..exceptions import CKafkaUsageError

__all__ = [
    "DEFAULT_HOST_PATTERNS",
    "Endpoints",
    "HostError",
    "RequestHost",
    "is_public_host",
    "normal_host",
    "parse_host",
]

#: Regexes (host only, lower case) of the public CKafka endpoints, reached on the
#: default port: the global one, the regional ones and the international one.
DEFAULT_HOST_PATTERNS: tuple[str, ...] = (
    r"ckafka\.tencentcloudapi\.com",
    r"ckafka\.[a-z0-9-]+\.tencentcloudapi\.com",  # ckafka.ap-guangzhou.tencentcloudapi.com
    r"ckafka\.intl\.tencentcloudapi\.com",
)

_DEFAULT_HOST_RE = re.compile("|".join(f"(?:{p})" for p in DEFAULT_HOST_PATTERNS))
# A host reached on one of these is the same endpoint as with no port: what the
# SDKs send for an endpoint configured without one (https, or http for a local one).
_DEFAULT_PORTS = ("", "80", "443")
# A host name or IPv4 address, or a bracketed IPv6 address.
_HOST_RE = re.compile(r"(?:[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?|\[[0-9a-f:.]+\])\Z")
_ACCEPTED = '"127.0.0.1:9100", "http://127.0.0.1:9100" or "ckafka.internal.example"'


def is_public_host(name: str) -> bool:
    """True for a host name of the public CKafka API (any case), whatever the port.

    >>> is_public_host("CKafka.ap-guangzhou.tencentcloudapi.com"), is_public_host("example.com")
    (True, False)
    """
    return _DEFAULT_HOST_RE.fullmatch(name.lower().rstrip(".")) is not None


def normal_host(netloc: str) -> str:
    """A URL's authority as endpoints compare it: lower case, no user info, no default port.

    The one normalization of a host: :meth:`Endpoints.matches` and a cassette's
    ``host`` matching both use it, so one endpoint never compares two ways.

    >>> normal_host("User@CKafka.Example:443"), normal_host("ckafka.example:80")
    ('ckafka.example', 'ckafka.example')
    >>> normal_host("127.0.0.1:9100"), normal_host("[::1]:443")
    ('127.0.0.1:9100', '[::1]')
    """
    host = _authority(netloc)
    name, port = _split_port(host)
    return name if port in _DEFAULT_PORTS else host


def _authority(netloc: str) -> str:
    """``User@Host:443`` -> ``host:443``: lower case, the user info dropped."""
    host = netloc.lower()
    return host.rpartition("@")[2] if "@" in host else host


def _split_port(netloc: str) -> tuple[str, str]:
    """``host:port`` -> (host, port); IPv6 brackets keep their colons."""
    if netloc.startswith("["):
        close = netloc.find("]")
        if close >= 0:
            rest = netloc[close + 1 :]
            return netloc[: close + 1], rest[1:] if rest.startswith(":") else rest
    host, _, port = netloc.partition(":")
    return host, port


class HostError(ValueError):
    """A Host header that is not ``host[:port]``; ``message`` says what is wrong with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RequestHost(NamedTuple):
    """The host a request was sent to, parsed once by :func:`parse_host`.

    Every part is as sent (letter case kept, as a signature covers it); ``port``
    is ``""`` when none was given, ``scheme`` ``"http://"`` or ``"https://"`` when the
    header carried one, as the Python SDK (tccli included) sends an endpoint
    configured with its scheme.
    """

    name: str
    port: str
    scheme: str = ""

    @property
    def text(self) -> str:
        """The header as sent: ``[scheme]name[:port]``."""
        return self.scheme + (f"{self.name}:{self.port}" if self.port else self.name)

    @property
    def is_tencent_cloud(self) -> bool:
        """True for a Tencent Cloud API domain (any case): signatures for it are checked exactly.

        See :mod:`.signing` for what is relaxed for a local endpoint.

        >>> parse_host("CKafka.ap-guangzhou.tencentcloudapi.com:443").is_tencent_cloud
        True
        >>> parse_host("127.0.0.1:9100").is_tencent_cloud
        False
        >>> parse_host("tencentcloudapi.com.evil").is_tencent_cloud
        False
        """
        name = self.name.lower().rstrip(".")
        return name == "tencentcloudapi.com" or name.endswith(".tencentcloudapi.com")


# A DNS name or IPv4 address, or a bracketed IPv6 address, then maybe a port. Nothing else:
# no user info, no whitespace, no second colon outside the brackets.
_HOST_HEADER = re.compile(
    r"(?P<scheme>(?i:https?)://)?"  # the Python SDK sends an endpoint's scheme as it was given
    r"(?P<name>(?:[A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]+\.?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


def parse_host(text: str) -> RequestHost:
    """The one parser of a Host header (or of a URL's authority without its user info).

    Whether a host is Tencent Cloud's, and so how strictly a signature for it is
    checked, is decided on this one result: a header with ``@``, whitespace, a
    second colon outside IPv6 brackets or a bad port raises :class:`HostError`,
    rather than being read one way by one check and another way by the next.

    >>> parse_host("127.0.0.1:9100"), parse_host("[::1]:9100").name
    (RequestHost(name='127.0.0.1', port='9100', scheme=''), '[::1]')
    >>> parse_host("cvm.tencentcloudapi.com:1@x")
    Traceback (most recent call last):
    ...
    pytest_ckafka.api.hosts.HostError: The Host header `cvm.tencentcloudapi.com:1@x` is not \
`host` or `host:port`: it contains `@`.
    """
    match = _HOST_HEADER.fullmatch(text)
    if match is not None and (not match["port"] or 0 < int(match["port"]) < 65536):
        return RequestHost(match["name"], match["port"] or "", match["scheme"] or "")
    shown = text if len(text) <= 80 else text[:80] + "..."
    raise HostError(f"The Host header `{shown}` is not `host` or `host:port`: {_why(text)}.")


def _why(text: str) -> str:
    if not text:
        return "it is empty"
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        text = rest
    odd = next((char for char in text if char.isspace() or char in "@/?#\\,;"), None)
    if odd is not None:
        return "it contains whitespace" if odd.isspace() else f"it contains `{odd}`"
    if text.partition("]")[2 if text.startswith("[") else 0].count(":") > 1:
        return "it has more than one `:` (write an IPv6 address in brackets)"
    if _HOST_HEADER.fullmatch(text.rpartition(":")[0]) is not None:
        return "its port is not a number from 1 to 65535"
    return "it is not a host name or IP address, with an optional port"


class Endpoints:
    """The set of hosts whose requests are CKafka calls.

    An endpoint added without a port matches only the default ports (none, 80,
    443); one with a port matches exactly that port, so a fake on
    ``127.0.0.1:9100`` never swallows other local services.
    """

    def __init__(self, extra: Iterable[str] = (), *, public: bool = True) -> None:
        self._public = public  # the public CKafka endpoints match too
        self._extra: list[str] = []
        self._with_port: set[str] = set()
        self._portless: set[str] = set()
        self._pattern: Optional[re.Pattern[str]] = None
        for endpoint in extra:
            self.add(endpoint)

    def add(self, endpoint: str) -> None:
        """Add one endpoint; raise :class:`CKafkaUsageError` if it is not a host[:port].

        >>> e = Endpoints(); e.add("HTTP://LocalHost:8080/"); list(e)
        ['localhost:8080']
        """
        normalized = _normalize(endpoint)
        if normalized in self._extra:
            return
        _, port = _split_port(normalized)
        (self._with_port if port else self._portless).add(normalized)
        self._extra.append(normalized)
        self._pattern = None  # rebuilt on next use, with the new endpoint in it

    def matches(self, host: str) -> bool:
        """True if ``host`` (a URL's netloc, any case, maybe ``:443``) is a CKafka endpoint."""
        host = _authority(host)
        if host in self._with_port:  # an endpoint added with a port matches that port only
            return True
        name, port = _split_port(host)
        if port not in _DEFAULT_PORTS:
            return False
        if name in self._portless:
            return True
        return self._public and _DEFAULT_HOST_RE.fullmatch(name) is not None

    def hosts(self) -> set[str]:
        """The host part of every extra endpoint (``127.0.0.1:9100`` -> ``127.0.0.1``).

        >>> sorted(Endpoints(["127.0.0.1:9100", "[::1]:9100", "ckafka.internal"]).hosts())
        ['127.0.0.1', '::1', 'ckafka.internal']
        """
        return {_split_port(e)[0].strip("[]") for e in self._extra}

    def host_ports(self) -> list[tuple[str, Optional[int]]]:
        """Each extra endpoint as ``(host, port)``: no brackets; ``None`` for the default ports.

        >>> Endpoints(["127.0.0.1:9100", "[::1]:9100", "ckafka.internal"]).host_ports()
        [('127.0.0.1', 9100), ('::1', 9100), ('ckafka.internal', None)]
        """
        pairs = [_split_port(e) for e in self._extra]
        return [(host.strip("[]"), int(port) if port else None) for host, port in pairs]

    def url_pattern(self) -> re.Pattern[str]:
        """A compiled regex for full http(s) URLs on these hosts, for ``responses``/``respx``."""
        if self._pattern is None:
            self._pattern = self._build_pattern()
        return self._pattern

    def _build_pattern(self) -> re.Pattern[str]:
        public = DEFAULT_HOST_PATTERNS if self._public else ()
        portless = [*public, *(re.escape(h) for h in sorted(self._portless))]
        if not portless:
            portless = ["(?!)"]  # matches nothing
        alternatives = [f"(?:{'|'.join(portless)})(?::(?:80|443))?"]
        alternatives += [re.escape(h) for h in sorted(self._with_port)]
        return re.compile(
            r"\Ahttps?://(?:[^/?#@]*@)?(?:" + "|".join(alternatives) + r")(?:[/?#].*)?\Z",
            re.IGNORECASE | re.DOTALL,
        )

    def __iter__(self) -> Iterator[str]:
        """The extra endpoints, normalized, in the order they were added."""
        return iter(self._extra)

    def __len__(self) -> int:
        return len(self._extra)

    def __repr__(self) -> str:
        return f"Endpoints({self._extra!r})"


def _normalize(endpoint: str) -> str:
    """``"HTTP://Host:9100/"`` -> ``"host:9100"``, or raise naming what was wrong."""

    def bad(reason: str) -> CKafkaUsageError:
        return CKafkaUsageError(
            f"invalid CKafka endpoint {endpoint!r}: {reason}; "
            f"give a host with an optional port, e.g. {_ACCEPTED}"
        )

    if not isinstance(endpoint, str):
        raise bad(f"expected a string, got {type(endpoint).__name__}")
    text = endpoint.strip().lower()
    if not text:
        raise bad("it is empty")
    scheme, sep, rest = text.partition("://")
    if sep:
        if scheme not in ("http", "https"):
            raise bad(f'the scheme "{scheme}" is not http or https')
        text = rest
    for char, what in (("?", "a query"), ("#", "a fragment"), ("@", "user info")):
        if char in text:
            raise bad(f"it contains {what}")
    netloc, slash, path = text.partition("/")
    if slash and path:
        raise bad(f'it contains the path "/{path}" (an endpoint is a whole host)')
    if any(c.isspace() for c in netloc):
        raise bad("it contains whitespace")
    host, port = _split_port(netloc)
    if not host or not _HOST_RE.match(host):
        raise bad(f'"{host}" is not a host name or IP address')
    if netloc.endswith(":") or port:
        if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
            raise bad(f'the port "{port}" is not a number from 1 to 65535')
        return f"{host}:{int(port)}"
    return host
