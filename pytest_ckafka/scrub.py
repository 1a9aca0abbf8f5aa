"""Scrub secrets out of recorded CKafka exchanges before anything is written.

Pure Python on purpose: the vcrpy hooks and the replayer hand plain
``(method, url, headers, body)`` and JSON bodies here, so what is hidden never
depends on the HTTP library that carried the call.

Every secret becomes the same :data:`PLACEHOLDER`, and scrubbing twice changes
nothing more than scrubbing once. That is what lets a live call be matched with
its recorded copy: the replayer keys live calls on :meth:`Scrubbers.scrub_params`,
which gives the same result for ``Password="hunter2"`` and for the recorded
``Password="SCRUBBED"``.

Bodies keep their encoding when nothing in them is secret. When something is,
a query string or form body has only the secret values replaced in place (other
pairs keep their exact percent-encoding and order), and a JSON body is written
again compactly (``separators=(",", ":")``, key order kept, UTF-8), with
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

import json
import re
from collections.abc import Collection, Mapping
from typing import Any, Optional
from urllib.parse import unquote_to_bytes

from .exceptions import CKafkaUsageError
from .spec import load_spec
from .suggest import unknown_name_message

__all__ = [
    "PLACEHOLDER",
    "AccountIdScrubber",
    "HeaderScrubber",
    "ParamScrubber",
    "Scrubber",
    "Scrubbers",
    "SecretParamsScrubber",
]

PLACEHOLDER = "SCRUBBED"
"""What every scrubbed string becomes, in requests and responses alike."""

_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"


class Scrubber:
    """One named rule of what to hide; subclass it and override the hooks you need.

    Each hook's default hides nothing. Hooks must be idempotent (scrubbing an
    already scrubbed value gives it back unchanged), since recorded requests are
    scrubbed again when they are keyed for replay.

    >>> class HideInstance(Scrubber):
    ...     def params(self, action):
    ...         return ("InstanceId",)
    >>> s = Scrubbers()
    >>> s.add("instance", HideInstance())
    >>> s.scrub_params("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 5})
    {'InstanceId': 'SCRUBBED', 'Limit': 5}
    """

    def header(self, name: str, value: str) -> str:
        """Return the value to record for request header ``name`` (given in lower case)."""
        return value

    def params(self, action: str) -> Collection[str]:
        """Dotted paths of the request parameters of ``action`` to hide.

        Lists are walked through (``Filters.Values`` hides every value of every
        filter), and a path naming an object or a list hides every value under it.
        The same paths are applied to a JSON body, to a v1 query or form
        (``Filters.0.Values.1=...``) and to :meth:`Scrubbers.scrub_params`, so the
        three always agree. Name string members only: a v1 request must still
        parse once its hidden values read ``SCRUBBED``.
        """
        return ()

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide values in a parsed JSON response ``envelope`` (``{"Response": ...}``), in place."""


class HeaderScrubber(Scrubber):
    """Replace the value of the named request headers (matched case-insensitively).

    >>> HeaderScrubber("X-My-Key").header("x-my-key", "k-123")
    'SCRUBBED'
    """

    def __init__(self, *names: str) -> None:
        self._names = frozenset(name.lower() for name in names)

    def header(self, name: str, value: str) -> str:
        """Hide the value of one of the configured headers."""
        return PLACEHOLDER if name in self._names else value

    def __repr__(self) -> str:
        return f"HeaderScrubber({', '.join(repr(n) for n in sorted(self._names))})"


class ParamScrubber(Scrubber):
    """Hide the given dotted parameter paths, for every action or only for ``actions``.

    >>> ParamScrubber("SecretId", "Signature").params("DescribeTopic")
    ('SecretId', 'Signature')
    """

    def __init__(self, *paths: str, actions: Optional[Collection[str]] = None) -> None:
        self._paths = tuple(paths)
        self._actions = None if actions is None else frozenset(actions)

    def params(self, action: str) -> Collection[str]:
        """The configured paths, when ``action`` is one of the configured actions."""
        if self._actions is not None and action not in self._actions:
            return ()
        return self._paths

    def __repr__(self) -> str:
        return f"ParamScrubber({', '.join(repr(p) for p in self._paths)})"


class SecretParamsScrubber(Scrubber):
    """Hide what the spec marks secret: ``secret_inputs`` and ``secret_outputs``."""

    def params(self, action: str) -> Collection[str]:
        """The action's secret request members (none for an action the spec lacks)."""
        found = load_spec().actions.get(action)
        return found.secret_inputs if found is not None else ()

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide the action's secret response members under ``Response``."""
        found = load_spec().actions.get(action)
        body = envelope.get("Response")
        if found is None or not isinstance(body, dict):
            return
        for path in found.secret_outputs:
            envelope["Response"] = _hide_path(envelope["Response"], path.split("."))


# Names that identify a Tencent Cloud account: AppId, Uin, OwnerUin,
# SubAccountUin, CallerAppid, CreateUin, DropClsOwneruin...
_ACCOUNT_ID = re.compile(r"(?:app_?id|uin)\Z", re.IGNORECASE)


class AccountIdScrubber(Scrubber):
    """Hide account identifiers (any member named like ``AppId`` or ``*Uin``) in responses.

    Strings become ``SCRUBBED``; numbers become ``0``, so the reply keeps the
    types the spec and the SDK models expect.
    """

    def response(self, action: str, envelope: dict[str, Any]) -> None:
        """Hide every account-id member, at any depth."""
        _hide_account_ids(envelope)


def _hide_account_ids(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if _ACCOUNT_ID.search(key) and not isinstance(value, (dict, list)):
                node[key] = _hidden_output(value)
            else:
                _hide_account_ids(value)
    elif isinstance(node, list):
        for item in node:
            _hide_account_ids(item)


def _hidden_output(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return 0
    return PLACEHOLDER


def _defaults(account_ids: bool) -> dict[str, Scrubber]:
    found: dict[str, Scrubber] = {
        "authorization": HeaderScrubber("Authorization"),
        "token_header": HeaderScrubber("X-TC-Token"),
        # v1 carries its credentials among the parameters; none of these names
        # is an input member of any CKafka action.
        "v1_credentials": ParamScrubber("SecretId", "Signature", "Token"),
        "secret_params": SecretParamsScrubber(),
    }
    if account_ids:
        found["account_ids"] = AccountIdScrubber()
    return found


class Scrubbers:
    """The active scrubbers, applied in order to requests, params and responses.

    >>> s = Scrubbers(account_ids=True)
    >>> s.remove("account_ids")
    >>> s.scrub_response("DescribeUser", b'{"Response":{"AppId":1250000000,"RequestId":"r"}}')
    b'{"Response":{"AppId":1250000000,"RequestId":"r"}}'
    """

    def __init__(self, *, account_ids: bool = False) -> None:
        self._scrubbers: dict[str, Scrubber] = _defaults(account_ids)
        self._paths: dict[str, tuple[tuple[str, ...], ...]] = {}

    def add(self, name: str, scrubber: Scrubber) -> None:
        """Activate ``scrubber`` under a new ``name``; it runs after the active ones."""
        if not isinstance(scrubber, Scrubber):
            raise CKafkaUsageError(
                f"scrubber {name!r} must be a pytest_ckafka.scrub.Scrubber instance, "
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

    def _secret_paths(self, action: str) -> tuple[tuple[str, ...], ...]:
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

    def scrub_params(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Return nested ``params`` (as ``parse_request`` gives them) with secrets hidden.

        ``params`` itself is returned when nothing in it is secret; it is never modified.

        >>> Scrubbers().scrub_params("ModifyPassword", {"Name": "u", "Password": "a"})
        {'Name': 'u', 'Password': 'SCRUBBED'}
        """
        result: Any = params
        for path in self._secret_paths(action):
            result = _hide_path(result, list(path))
        return result  # type: ignore[no-any-return]

    def scrub_request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[str, dict[str, str], bytes]:
        """Return ``(url, headers, body)`` with credentials and secret parameters hidden.

        Header names keep their spelling and order; the query string and a form
        body keep their encoding; a JSON body is rewritten only when it changed.
        """
        action = _header(headers, "x-tc-action")
        scheme_host, sep, query = url.partition("?")
        fragment = ""
        if "#" in query:
            query, _, fragment = query.partition("#")
            fragment = "#" + fragment
        form = _media_type(_header(headers, "content-type"), body) == _FORM
        if not action:
            action = _flat_value(query.encode("utf-8"), "Action") or (
                _flat_value(body, "Action") if form else ""
            )
        paths = self._secret_paths(action or "")

        new_headers = {}
        for name, value in headers.items():
            lower = name.lower()
            for scrubber in self._scrubbers.values():
                value = scrubber.header(lower, value)
            new_headers[name] = value

        if query and paths:
            query = _scrub_flat(query.encode("utf-8"), paths).decode("utf-8")
            url = scheme_host + sep + query + fragment

        new_body = body
        if body and paths:
            if form:
                new_body = _scrub_flat(body, paths)
            elif _media_type(_header(headers, "content-type"), body) == _JSON:
                new_body = _scrub_json_body(body, paths)
        if new_body is not body and new_body != body:
            for name in new_headers:
                if name.lower() == "content-length":
                    new_headers[name] = str(len(new_body))
        return url, new_headers, new_body

    def scrub_response(self, action: str, body: bytes) -> bytes:
        """Return the JSON envelope ``body`` with secret outputs hidden; other bodies unchanged."""
        try:
            data = json.loads(body)
            before = json.loads(body)
        except ValueError:
            return body
        if not isinstance(data, dict):
            return body
        for scrubber in self._scrubbers.values():
            scrubber.response(action, data)
        if data == before:
            return body
        return _dump_json(data)

    def __repr__(self) -> str:
        return f"Scrubbers({self.names()!r})"


def _header(headers: Mapping[str, str], lower_name: str) -> str:
    for name, value in headers.items():
        if name.lower() == lower_name:
            return value
    return ""


def _media_type(content_type: str, body: bytes) -> str:
    # Same guess as protocol.parse_request, so both agree on which body is which.
    if content_type:
        return content_type.partition(";")[0].strip().lower()
    if not body:
        return _JSON
    return _JSON if body.lstrip()[:1] in (b"{", b"[") else _FORM


def _decode_key(raw: bytes) -> Optional[str]:
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _flat_value(text: bytes, wanted: str) -> str:
    for pair in text.split(b"&"):
        raw_key, _, raw_value = pair.partition(b"=")
        if _decode_key(raw_key) == wanted:
            return _decode_key(raw_value) or ""
    return ""


def _flat_path(key: str) -> tuple[str, ...]:
    """``Filters.0.Values.1`` -> ``("Filters", "Values")``: list indices walked through."""
    return tuple(part for part in key.split(".") if not (part.isascii() and part.isdigit()))


def _is_secret(path: tuple[str, ...], secrets: tuple[tuple[str, ...], ...]) -> bool:
    return any(path[: len(secret)] == secret for secret in secrets)


def _scrub_flat(text: bytes, secrets: tuple[tuple[str, ...], ...]) -> bytes:
    """Replace secret values in ``a=1&b=2``, leaving every other byte as it was."""
    placeholder = PLACEHOLDER.encode("ascii")
    pairs = text.split(b"&")
    changed = False
    for index, pair in enumerate(pairs):
        raw_key, sep, raw_value = pair.partition(b"=")
        key = _decode_key(raw_key)
        if key is None or not _is_secret(_flat_path(key), secrets):
            continue
        if raw_value != placeholder or not sep:
            pairs[index] = raw_key + b"=" + placeholder
            changed = True
    return b"&".join(pairs) if changed else text


def _scrub_json_body(body: bytes, secrets: tuple[tuple[str, ...], ...]) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body  # protocol.parse_request rejects it; nothing there to match on
    if not isinstance(data, dict):
        return body
    result: Any = data
    for path in secrets:
        result = _hide_path(result, list(path))
    return body if result is data else _dump_json(result)


def _dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hide_path(node: Any, parts: list[str]) -> Any:
    """Return ``node`` with the value at ``parts`` hidden; unchanged nodes are not copied."""
    if isinstance(node, list):
        items = [_hide_path(item, parts) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if not isinstance(node, dict) or parts[0] not in node:
        return node
    child = node[parts[0]]
    new_child = _hide_all(child) if len(parts) == 1 else _hide_path(child, parts[1:])
    if new_child is child:
        return node
    copied = dict(node)
    copied[parts[0]] = new_child
    return copied


def _hide_all(node: Any) -> Any:
    """Every value under ``node`` becomes PLACEHOLDER, keeping lists and objects' shape."""
    if node is None or node == PLACEHOLDER:
        return node
    if isinstance(node, list):
        items = [_hide_all(item) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if isinstance(node, dict):
        values = {key: _hide_all(value) for key, value in node.items()}
        return node if all(values[k] is v for k, v in node.items()) else values
    return PLACEHOLDER
