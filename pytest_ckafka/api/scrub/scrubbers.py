"""Scrub secrets out of recorded CKafka exchanges before anything is written.

Pure Python on purpose: the vcrpy hooks and the replayer hand plain
``(method, url, headers, body)`` and JSON bodies here, so what is hidden never
depends on the HTTP library that carried the call.

Every secret becomes the same :data:`PLACEHOLDER`, and scrubbing twice changes
nothing more than scrubbing once. That is what lets a live call be matched with
its recorded copy: the replayer keys live calls on :meth:`Scrubbers.scrub_params`,
which gives the same result for ``Password="hunter2-pass"`` and for the recorded
``Password="SCRUBBED"``.

Scrubbing is structural first (the places a secret is meant to be: headers,
parameter paths, response members), then by value: each value hidden
structurally, and each value given to :meth:`Scrubbers.add_value`, is replaced
wherever else it appears, in every encoding ``values`` lists. A
request's parameters are scrubbed by value with that request's own secrets and
the added values only, which the replayer knows as well, so the recorded copy
keys the same as the live call.

Bodies keep their encoding when nothing in them is secret. When something is,
a query string or form body has only the secret pairs replaced in place (other
pairs keep their exact percent-encoding and order), and a JSON body is written
again compactly (``wire.compact_json``, key order kept, UTF-8), with
``Content-Length`` updated when the request carries one.

>>> scrubbers = Scrubbers()
>>> scrubbers.names()
['authorization', 'token_header', 'v1_credentials', 'secret_params']
>>> url, headers, body = scrubbers.scrub_request(
...     "POST", "https://ckafka.tencentcloudapi.com/",
...     {"X-TC-Action": "CreateUser", "Authorization": "TC3-HMAC-SHA256 Credential=AKID/..."},
...     b'{"InstanceId": "ckafka-1", "Name": "u", "Password": "hunter2"}')
>>> headers["Authorization"], body
('SCRUBBED', b'{"InstanceId":"ckafka-1","Name":"u","Password":"SCRUBBED"}')
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from ...exceptions import CKafkaUsageError
from ..suggest import unknown_name_message
from ..wire import FORM, JSON, compact_json, header, request_media_type
from .paths import (
    Paths,
    flat_value,
    hidden_leaves,
    hide_flat,
    hide_path,
    scrub_flat_values,
)
from .rules import (
    AccountIdScrubber,
    HeaderScrubber,
    ParamScrubber,
    Scrubber,
    SecretParamsScrubber,
    default_scrubbers,
)
from .values import MIN_SECRET_LENGTH, PLACEHOLDER, SecretValues

__all__ = [
    "PLACEHOLDER",
    "AccountIdScrubber",
    "HeaderScrubber",
    "ParamScrubber",
    "Scrubber",
    "Scrubbers",
    "SecretParamsScrubber",
]

# A malformed Authorization header still carries its secrets: read it leniently.
_AUTH_SECRETS = re.compile(r"(?:Credential=([^/,\s]+)|Signature=([^,\s]+))")


@dataclass
class _Hidden:
    """One request after structural scrubbing, its parts apart, and what was hidden."""

    head: str  # scheme, host and path
    query: str
    fragment: str  # with its "#"
    headers: dict[str, str]
    kind: str  # the body's media type
    body: bytes
    tree: Any  # the JSON body parsed and scrubbed (None when it is not a JSON object)
    changed_tree: bool
    found: list[str]


class Scrubbers:
    """The active scrubbers, applied in order to requests, params and responses.

    >>> s = Scrubbers(account_ids=True)
    >>> s.remove("account_ids")
    >>> s.scrub_response("DescribeUser", b'{"Response":{"AppId":1250000000,"RequestId":"r"}}')
    b'{"Response":{"AppId":1250000000,"RequestId":"r"}}'
    """

    def __init__(self, *, account_ids: bool = False) -> None:
        self._scrubbers: dict[str, Scrubber] = default_scrubbers(account_ids)
        self._paths: dict[str, Paths] = {}
        self._values: dict[str, None] = {}  # ordered, so scrubbing is deterministic

    def add(self, name: str, scrubber: Scrubber) -> None:
        """Activate ``scrubber`` under a new ``name``; it runs after the active ones."""
        if not isinstance(scrubber, Scrubber):
            raise CKafkaUsageError(
                f"scrubber {name!r} must be a pytest_ckafka.Scrubber instance, "
                f"but received {scrubber!r}."
            )
        if name in self._scrubbers:
            raise CKafkaUsageError(
                f"a scrubber named {name!r} is already active; remove it first or pick "
                f"another name. Active scrubbers: {', '.join(self._scrubbers)}."
            )
        self._scrubbers[name] = scrubber
        self._paths.clear()

    def remove(self, name: str) -> None:
        """Deactivate the scrubber called ``name``."""
        if name not in self._scrubbers:
            raise CKafkaUsageError(unknown_name_message("scrubber", name, self._scrubbers))
        del self._scrubbers[name]
        self._paths.clear()

    def names(self) -> list[str]:
        """Names of the active scrubbers, in the order they run."""
        return list(self._scrubbers)

    def add_value(self, value: str) -> None:
        """Scrub ``value`` wherever it appears, in every encoding, in all that is recorded.

        For a secret no request carries but a server or a client might echo: a
        SecretKey, a database password. Values of at least
        :data:`~pytest_ckafka.api.scrub.values.MIN_SECRET_LENGTH` characters only;
        the error never repeats the value.

        >>> s = Scrubbers()
        >>> s.add_value("my-secret-key")
        >>> s.scrub_text("the key is my-secret-key")
        'the key is SCRUBBED'
        """
        if not isinstance(value, str):
            raise CKafkaUsageError(
                f"add_value takes the secret as a string, but received a {type(value).__name__}."
            )
        if len(value) < MIN_SECRET_LENGTH:
            raise CKafkaUsageError(
                f"add_value received a {len(value)}-character value; values shorter than "
                f"{MIN_SECRET_LENGTH} characters are not scrubbed by value (they occur by "
                "chance in unrelated text). Hide it where it appears with a ParamScrubber "
                "or a HeaderScrubber instead."
            )
        if PLACEHOLDER in value:
            raise CKafkaUsageError(
                f"add_value received a value containing the placeholder {PLACEHOLDER!r}; "
                "it would match again after every scrub."
            )
        self._values[value] = None

    def _secret_paths(self, action: str) -> Paths:
        # Replay keys every live call with these; computing them once per action
        # keeps scrub_params a dict lookup for the many actions with no secrets.
        paths = self._paths.get(action)
        if paths is None:
            seen: dict[tuple[str, ...], None] = {}
            for scrubber in self._scrubbers.values():
                for path in scrubber.params(action):
                    seen[tuple(path.split("."))] = None
            paths = self._paths[action] = tuple(seen)
        return paths

    def _by_value(self, found: Iterable[object], values: Iterable[object] = ()) -> SecretValues:
        return SecretValues([*found, *self._values, *values])

    def scrub_text(self, text: str, *, values: Collection[str] = ()) -> str:
        """``text`` with the added values and ``values`` replaced, in every encoding.

        >>> Scrubbers().scrub_text("token=tok%2Fen-1234", values=["tok/en-1234"])
        'token=SCRUBBED'
        """
        return self._by_value((), values).scrub_text(text)

    def scrub_params(
        self, action: str, params: dict[str, Any], *, values: Collection[str] = ()
    ) -> dict[str, Any]:
        """Return nested ``params`` (as ``parse_request`` gives them) with secrets hidden.

        Secret members are hidden, then their values, the added values and
        ``values`` (the call's SecretId and token) are scrubbed from every other
        string. ``params`` itself is returned when nothing in it is secret; it is
        never modified.

        >>> Scrubbers().scrub_params("ModifyPassword", {"Name": "u", "Password": "a"})
        {'Name': 'u', 'Password': 'SCRUBBED'}
        >>> Scrubbers().scrub_params("CreateUser", {"Name": "u-Pw-12345", "Password": "Pw-12345"})
        {'Name': 'u-SCRUBBED', 'Password': 'SCRUBBED'}
        """
        result: Any = params
        found: list[str] = []
        for path in self._secret_paths(action):
            result = hide_path(result, list(path), found)
        if found or values or self._values:
            result = self._by_value(found, values).scrub_tree(result)
        return result  # type: ignore[no-any-return]

    def request_values(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> frozenset[str]:
        """The secret values this request carries that are long enough to scrub by value.

        What the scrubbers hide in it: SecretId, Signature and token (from the
        ``Authorization`` and ``X-TC-Token`` headers or the v1 parameters) and
        secret members such as ``Password``.
        """
        return SecretValues(self._hide(url, headers, body).found).values

    def _hide(self, url: str, headers: Mapping[str, str], body: bytes) -> _Hidden:
        """Structural scrubbing of one request, collecting every value it hides."""
        action = header(headers, "x-tc-action")
        head, sep, query = url.partition("?")
        fragment = ""
        if "#" in query:
            query, _, fragment = query.partition("#")
            fragment = "#" + fragment
        kind = request_media_type(header(headers, "content-type"), body)
        if not action:
            action = flat_value(query.encode("utf-8"), "Action") or (
                flat_value(body, "Action") if kind == FORM else ""
            )
        paths = self._secret_paths(action or "")
        found: list[str] = []

        new_headers = {}
        for name, value in headers.items():
            lower, new = name.lower(), value
            for scrubber in self._scrubbers.values():
                new = scrubber.header(lower, new)
            if new != value:
                # An Authorization value is scrubbed by its parts (it holds them all).
                parts = [part for pair in _AUTH_SECRETS.findall(value) for part in pair if part]
                found += parts or [value]
            new_headers[name] = new

        if query and paths:
            query = hide_flat(query.encode("utf-8"), paths, found).decode("utf-8")
        tree: Any = None
        changed_tree = False
        if body and kind == FORM and paths:
            body = hide_flat(body, paths, found)
        elif body and kind == JSON:
            tree = _json_object(body)
            if tree is not None:
                hidden = tree
                for path in paths:
                    hidden = hide_path(hidden, list(path), found)
                changed_tree = hidden is not tree
                tree = hidden
        return _Hidden(
            head=head + sep,
            query=query,
            fragment=fragment,
            headers=new_headers,
            kind=kind,
            body=body,
            tree=tree,
            changed_tree=changed_tree,
            found=found,
        )

    def scrub_request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[str, dict[str, str], bytes]:
        """Return ``(url, headers, body)`` with credentials and secret parameters hidden.

        Header names keep their spelling and order; the query string and a form
        body keep their encoding; a JSON body is rewritten only when it changed.
        """
        hidden = self._hide(url, headers, body)
        values = self._by_value(hidden.found)
        new_headers, new_body, tree = hidden.headers, hidden.body, hidden.tree
        head, query, fragment = hidden.head, hidden.query, hidden.fragment
        if values:
            new_headers = {name: values.scrub_text(v) for name, v in new_headers.items()}
            head, fragment = values.scrub_text(head), values.scrub_text(fragment)
            query = scrub_flat_values(query.encode("utf-8"), values).decode("utf-8")
            if tree is not None:
                tree = values.scrub_tree(tree)
            elif hidden.kind == FORM:
                new_body = scrub_flat_values(new_body, values)
            else:
                new_body = values.scrub_bytes(new_body)
        if tree is not None and (hidden.changed_tree or tree is not hidden.tree):
            new_body = compact_json(tree).encode("utf-8")
        if new_body != body:
            for name in new_headers:
                if name.lower() == "content-length":
                    new_headers[name] = str(len(new_body))
        return head + query + fragment, new_headers, new_body

    def _hide_response(self, action: str, body: bytes) -> tuple[Any, Any, list[str]]:
        """``(envelope, scrubbed envelope, values hidden)``; envelopes are None if not JSON."""
        data = _json_object(body)
        if data is None:
            return None, None, []
        scrubbed = copy.deepcopy(data)
        for scrubber in self._scrubbers.values():
            scrubber.response(action, scrubbed)
        found: list[str] = []
        hidden_leaves(data, scrubbed, found)
        return data, scrubbed, found

    def response_values(self, action: str, body: bytes) -> frozenset[str]:
        """The secret values the response hooks hide in ``body``, long enough to scrub by value."""
        return SecretValues(self._hide_response(action, body)[2]).values

    def scrub_response(self, action: str, body: bytes, *, values: Collection[str] = ()) -> bytes:
        """Return ``body`` with secret outputs hidden, then secret values scrubbed.

        A JSON envelope is rewritten only when something in it changed; any other
        body is scrubbed by value as text.
        """
        data, scrubbed, found = self._hide_response(action, body)
        by_value = self._by_value(found, values)
        if data is None:
            return by_value.scrub_bytes(body)
        scrubbed = by_value.scrub_tree(scrubbed)
        return body if scrubbed == data else compact_json(scrubbed).encode("utf-8")

    def __repr__(self) -> str:
        return f"Scrubbers({self.names()!r})"


def _json_object(body: bytes) -> Optional[dict[str, Any]]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # protocol.parse_request rejects it; it is scrubbed as text
    return data if isinstance(data, dict) else None
