"""Scrub secrets by value: each secret, wherever it appears, in every encoding it travels in.

Structural scrubbing (``scrubbers``) hides the places a secret is *meant* to be:
the ``Authorization`` header, ``Password`` members. A secret also shows up
where nobody planned it: an error message that quotes the request, a server
that echoes a token. So every value a structural scrubber hides, and every
value added with :meth:`Scrubbers.add_value <.scrubbers.Scrubbers.add_value>`,
is also searched for as text and replaced by :data:`PLACEHOLDER` in each of the
forms :func:`encoded_forms` lists: raw, percent-encoded, JSON-escaped, Python
``repr``/``ascii`` escaped (once or twice), and base64 (at any byte alignment).

Values shorter than :data:`MIN_SECRET_LENGTH` are scrubbed only structurally:
a short value also occurs by chance (``"admin"``, ``"1234"``), and replacing
those in unrelated text would corrupt recordings. A value cut short and
followed by an ellipsis (``AKIDxxxxxxxx...``, as messages clip what they
quote) is scrubbed too when at least :data:`MIN_SECRET_LENGTH` characters of
it are left.

Pure Python, and idempotent: scrubbed text has nothing more to scrub.

>>> secrets = SecretValues(["p@ss w0rd!"])
>>> secrets.scrub_text("sent Password=p%40ss+w0rd%21, got 'p@ss w0rd!'")
"sent Password=SCRUBBED, got 'SCRUBBED'"
>>> secrets.scrub_text("token `p@ss w0r...` is wrong")
'token `SCRUBBED...` is wrong'
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from ..signing import CredentialStore

__all__ = [
    "MIN_SECRET_LENGTH",
    "PLACEHOLDER",
    "SecretValues",
    "credential_secrets",
    "encoded_forms",
    "is_server_endpoint",
    "register_server",
    "server_secrets",
    "unregister_server",
]

PLACEHOLDER = "SCRUBBED"
"""What every scrubbed string becomes, in requests and responses alike."""

MIN_SECRET_LENGTH = 8
"""Shorter values are scrubbed only where they are known to be (structurally), not by value."""

# Characters percent-encoders disagree on: Python's quote keeps "/" by default,
# JavaScript's encodeURIComponent keeps these, form encoders turn " " into "+".
_SAFE_SETS = ("", "/", "-_.!~*'()")
_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")
_JSON_HEX = re.compile(r"\\u[0-9a-f]{4}")
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")


def _json_ascii(value: str) -> str:
    return json.dumps(value)[1:-1]


def _json_unicode(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _repr(value: str) -> str:
    return repr(value)[1:-1]


def _repr_in_quotes(value: str) -> str:
    # Inside a longer string holding both quote marks, repr escapes "'" too.
    return repr(value + "'\"")[1:-4]


def _ascii(value: str) -> str:
    return ascii(value)[1:-1]


def _ascii_in_quotes(value: str) -> str:
    return ascii(value + "'\"")[1:-4]


def _json_slash(value: str) -> str:
    return _json_ascii(value).replace("/", "\\/")  # PHP's json_encode escapes "/"


def _json_upper_hex(value: str) -> str:
    return _JSON_HEX.sub(lambda m: "\\u" + m.group(0)[2:].upper(), _json_ascii(value))


_ESCAPERS: tuple[Callable[[str], str], ...] = (
    _json_ascii,
    _json_unicode,
    _json_slash,
    _json_upper_hex,
    _repr,
    _repr_in_quotes,
    _ascii,
    _ascii_in_quotes,
)


def _percent_forms(value: str) -> set[str]:
    forms = set()
    for safe in _SAFE_SETS:
        for encoded in (quote(value, safe=safe), quote_plus(value, safe=safe)):
            forms.add(encoded)
            forms.add(_HEX_ESCAPE.sub(lambda m: m.group(0).lower(), encoded))
    return forms


def _base64_forms(raw: bytes) -> set[str]:
    forms = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        whole = encode(raw).decode("ascii")
        forms |= {whole, whole.rstrip("=")}
        forms |= _percent_forms(whole)
        # Inside a longer encoded blob the value starts at any of three byte
        # offsets; keep the characters that depend on the value's bits alone.
        for offset in (0, 1, 2):
            encoded = encode(b"\0" * offset + raw).decode("ascii")
            start = -(-8 * offset // 6)
            end = 8 * (offset + len(raw)) // 6
            forms.add(encoded[start:end])
    return forms


@functools.lru_cache(maxsize=1024)
def encoded_forms(value: str) -> tuple[str, ...]:
    """Every form ``value`` is searched for (at least MIN_SECRET_LENGTH long), longest first.

    >>> forms = encoded_forms("it's/é ok")
    >>> [f for f in ("it%27s%2F%C3%A9%20ok", "it%27s/%c3%a9+ok", "it's\\\\/\\\\u00e9 ok",
    ...              "it\\\\'s/é ok", "aXQncy/DqSBvaw==", "aXQncy_DqSBvaw") if f not in forms]
    []
    """
    forms = {value}
    for escape in _ESCAPERS:
        once = escape(value)
        forms.add(once)
        forms.update(again(once) for again in _ESCAPERS)
    forms |= _percent_forms(value)
    forms |= _base64_forms(value.encode("utf-8"))
    kept = {form for form in forms if len(form) >= MIN_SECRET_LENGTH}
    return tuple(sorted(kept, key=lambda form: (-len(form), form)))


def _worth_scrubbing(value: str) -> bool:
    # A value holding the placeholder would match again after each pass.
    return len(value) >= MIN_SECRET_LENGTH and PLACEHOLDER not in value


@functools.lru_cache(maxsize=256)
def _all_forms(values: frozenset[str]) -> tuple[str, ...]:
    # Longest first: a form that holds a shorter one (a whole token holding its
    # base64 core) is replaced whole.
    forms = {form for value in values for form in encoded_forms(value)}
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


class SecretValues:
    """A set of secret values and the scrubbing of text, bytes and JSON trees that hold them.

    Values that cannot be scrubbed by value (not strings, shorter than
    :data:`MIN_SECRET_LENGTH`, or holding :data:`PLACEHOLDER`) are dropped.

    >>> secrets = SecretValues(["AKIDexample0001", "short"])
    >>> sorted(secrets.values)
    ['AKIDexample0001']
    >>> secrets.scrub_tree({"Message": "SecretId `AKIDexample0001` not found", "Code": 4})
    {'Message': 'SecretId `SCRUBBED` not found', 'Code': 4}
    """

    __slots__ = ("values",)

    def __init__(self, values: Iterable[object] = ()) -> None:
        self.values: frozenset[str] = frozenset(
            v for v in values if isinstance(v, str) and _worth_scrubbing(v)
        )

    def __bool__(self) -> bool:
        return bool(self.values)

    def __repr__(self) -> str:
        return f"SecretValues(<{len(self.values)} values>)"  # never print a secret

    def scrub_text(self, text: str) -> str:
        """``text`` with every form of every value, whole or clipped, replaced."""
        if not self.values or not text:
            return text
        forms = _all_forms(self.values)
        scrubbed = text
        # Plain substring search: no regex to compile for each new set of values
        # (every request has a new signature), and the scan runs in C.
        for form in forms:
            if form in scrubbed:
                scrubbed = scrubbed.replace(form, PLACEHOLDER)
        if "..." in scrubbed or "\u2026" in scrubbed:
            scrubbed = _scrub_clipped(scrubbed, forms)
        return scrubbed

    def scrub_bytes(self, data: bytes) -> bytes:
        """``data`` read as UTF-8 (any other byte kept as it is), scrubbed as text."""
        if not self.values or not data:
            return data
        text = data.decode("utf-8", "surrogateescape")
        scrubbed = self.scrub_text(text)
        return data if scrubbed == text else scrubbed.encode("utf-8", "surrogateescape")

    def scrub_tree(self, node: Any) -> Any:
        """A parsed JSON ``node`` with its string values scrubbed; unchanged nodes are kept.

        Working on the parsed tree keeps the JSON valid whatever the replacement,
        and finds a secret whatever escapes the serialized text used.
        """
        if not self.values:
            return node
        return _scrub_node(node, self.scrub_text)


def _scrub_node(node: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return scrub(node)
    if isinstance(node, list):
        items = [_scrub_node(item, scrub) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if isinstance(node, dict):
        # Keys are member names, never scrubbed: a secret equal to one ("Password")
        # must not change the shape the SDK and the replay key read.
        values = {key: _scrub_node(value, scrub) for key, value in node.items()}
        return node if all(values[k] is v for k, v in node.items()) else values
    return node


def _scrub_clipped(text: str, forms: tuple[str, ...]) -> str:
    """Replace a form's prefix of at least MIN_SECRET_LENGTH characters put before an ellipsis."""
    spans: list[tuple[int, int]] = []
    for ellipsis in _ELLIPSIS.finditer(text):
        end = ellipsis.start()
        start = end
        for form in forms:
            head = form[:MIN_SECRET_LENGTH]
            # A clipped copy is shorter than the form: it starts within len(form) of the end.
            at = text.find(head, max(0, end - len(form) + 1), end)
            while at != -1 and at < start and end - at >= MIN_SECRET_LENGTH:
                if form.startswith(text[at:end]):
                    start = at  # the first match is the longest prefix of this form
                    break
                at = text.find(head, at + 1, end)
        if start < end and (not spans or start >= spans[-1][1]):
            spans.append((start, end))
    for start, end in reversed(spans):
        text = text[:start] + PLACEHOLDER + text[end:]
    return text


# -- the keys of in-process servers ------------------------------------------------------

_SERVERS: dict[str, CredentialStore] = {}
_SERVERS_LOCK = threading.Lock()


def register_server(endpoint: str, credentials: CredentialStore) -> None:
    """Make the keys a server at ``endpoint`` accepts known secrets for what is recorded from it.

    ``FakeServer`` registers itself while it runs, so a cassette recorded from it
    in the same process is scrubbed of its SecretIds, SecretKeys and tokens even
    where a call did not send them (a message listing registered SecretIds).
    """
    with _SERVERS_LOCK:
        _SERVERS[endpoint.lower()] = credentials


def unregister_server(endpoint: str) -> None:
    """Forget the server at ``endpoint`` (a no-op if none is registered)."""
    with _SERVERS_LOCK:
        _SERVERS.pop(endpoint.lower(), None)


def is_server_endpoint(netloc: str) -> bool:
    """True while a ``FakeServer`` of this process listens at ``netloc`` (``host:port``).

    Such a server answers and logs its own calls, so the ``ckafka`` fixture lets a
    client reach it (see ``CKafka.intercepts``).
    """
    with _SERVERS_LOCK:
        return netloc.lower().rpartition("@")[2] in _SERVERS


def server_secrets(netloc: str) -> list[str]:
    """SecretIds, SecretKeys and tokens of the in-process server at ``netloc`` (``host:port``)."""
    with _SERVERS_LOCK:
        credentials = _SERVERS.get(netloc.lower().rpartition("@")[2])
    if credentials is None:
        return []
    return credential_secrets(credentials)


def credential_secrets(credentials: Iterable[Any]) -> list[str]:
    """The secret strings of each :class:`~..signing.Credentials` in ``credentials``."""
    found: list[str] = []
    for key in credentials:
        found += [key.secret_id, key.secret_key] + ([key.token] if key.token else [])
    return found
