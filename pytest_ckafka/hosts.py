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
from typing import Optional

from .exceptions import CKafkaUsageError

__all__ = [
    "DEFAULT_HOST_PATTERNS",
    "Endpoints",
    "is_public_host",
    "is_tencent_cloud_host",
    "strip_port",
]

#: Regexes (host only, lower case) of the public CKafka endpoints, reached on the
#: default port: the global one, the regional ones and the international one.
DEFAULT_HOST_PATTERNS: tuple[str, ...] = (
    r"ckafka\.tencentcloudapi\.com",
    r"ckafka\.[a-z0-9-]+\.tencentcloudapi\.com",  # ckafka.ap-guangzhou.tencentcloudapi.com
    r"ckafka\.intl\.tencentcloudapi\.com",
)

_DEFAULT_HOST_RE = re.compile("|".join(f"(?:{p})" for p in DEFAULT_HOST_PATTERNS))
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


def _split_port(netloc: str) -> tuple[str, str]:
    """``host:port`` -> (host, port); IPv6 brackets keep their colons."""
    if netloc.startswith("["):
        close = netloc.find("]")
        if close >= 0:
            rest = netloc[close + 1 :]
            return netloc[: close + 1], rest[1:] if rest.startswith(":") else rest
    host, _, port = netloc.partition(":")
    return host, port


def strip_port(netloc: str) -> str:
    """The host of ``host:port``; IPv6 brackets keep their colons.

    >>> strip_port("127.0.0.1:9100"), strip_port("[::1]:9100"), strip_port("example.com")
    ('127.0.0.1', '[::1]', 'example.com')
    """
    return _split_port(netloc)[0]


def is_tencent_cloud_host(netloc: str) -> bool:
    """True if ``netloc`` (any case, maybe with a port) is a Tencent Cloud API domain.

    Signatures made for these hosts are checked exactly; see :mod:`.signing` for
    what is relaxed for a local endpoint.

    >>> is_tencent_cloud_host("CKafka.ap-guangzhou.tencentcloudapi.com:443")
    True
    >>> is_tencent_cloud_host("127.0.0.1:9100"), is_tencent_cloud_host("tencentcloudapi.com.evil")
    (False, False)
    """
    name = strip_port(netloc.lower().rpartition("@")[2]).rstrip(".")
    return name == "tencentcloudapi.com" or name.endswith(".tencentcloudapi.com")


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
        host = host.lower()
        if "@" in host:
            host = host.rpartition("@")[2]
        if host in self._with_port:
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
