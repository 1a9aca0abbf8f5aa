"""Every body the fake sends, success or error, is built here.

One path means ``RequestId``, ``Error`` and ``Content-Type`` cannot drift between
the fixture, the transport faults and the server. The content type is
exactly ``application/json``: the official SDK ignores an error envelope sent
with any other value (``application/json; charset=utf-8`` included) and returns
an empty model instead of raising.

Every body is UTF-8 whatever it carries: a lone surrogate that slipped past the
checks of :mod:`pytest_ckafka.api.limits` is written as its JSON escape (``\\ud800``),
so encoding an answer never fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Optional

from .wire import compact_json

__all__ = [
    "CONTENT_TYPE",
    "PASSTHROUGH",
    "Reply",
    "encode",
    "envelope_reply",
    "error_envelope",
    "new_request_id",
    "raw_reply",
    "success_envelope",
    "success_reply",
]

CONTENT_TYPE = "application/json"
# One read-only mapping shared by every JSON reply: a dict per reply would cost
# more than the reply's own body for most answers, and the call log keeps them.
_JSON_HEADERS: Mapping[str, str] = MappingProxyType({"Content-Type": CONTENT_TYPE})


@dataclass(frozen=True)
class Reply:
    """What the transport adapters send back: a status, headers and bytes.

    ``raise_kind`` is set instead for faults that never produce a response
    (``"timeout"``, ``"connection_error"``); the adapter raises its own library's
    exception for it. ``fault`` names the fault kind of any fault reply.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: _JSON_HEADERS)
    body: bytes = b""
    raise_kind: Optional[str] = None
    fault: Optional[str] = None

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header of the reply."""
        return self.headers.get("Content-Type", "")


PASSTHROUGH = Reply(status=0, headers={}, body=b"", raise_kind="passthrough")
"""Tells a transport to let the request go to the network (a cassette is recording)."""


def new_request_id() -> str:
    """A fresh RequestId, a UUID4 string as the real API sends."""
    return str(uuid.uuid4())


def success_envelope(
    action: str, body: Optional[Mapping[str, Any]] = None, request_id: Optional[str] = None
) -> dict[str, Any]:
    """Build ``{"Response": {..., "RequestId": ...}}`` for ``action``.

    With no ``body`` the response is the action's synthesized default (its
    documented example completed from the schema). A body is checked against
    the spec; an unknown action raises with a close-match suggestion.

    >>> env = success_envelope("DeleteTopic", {"Result": {"ReturnCode": "0"}}, request_id="r-1")
    >>> env
    {'Response': {'Result': {'ReturnCode': '0'}, 'RequestId': 'r-1'}}
    """
    from .bodycheck import check_body
    from .spec import load_spec
    from .synth import default_body

    load_spec().action(action)
    if body is not None:
        check_body(action, body)
    members = dict(body) if body is not None else default_body(action)
    members["RequestId"] = request_id or new_request_id()
    return {"Response": members}


def error_envelope(
    code: str,
    message: Optional[str] = None,
    request_id: Optional[str] = None,
    *,
    custom: bool = False,
) -> dict[str, Any]:
    """Build ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``.

    ``message`` defaults to the catalog's description of ``code``. A code that
    is not in the catalog raises with a suggestion unless ``custom=True``.

    >>> error_envelope("ResourceNotFound", request_id="r-2")["Response"]["Error"]
    {'Code': 'ResourceNotFound', 'Message': 'The resource does not exist.'}
    """
    from .error_codes import lookup_code

    info = lookup_code(code, custom=custom)
    text = message if message is not None else (info.description if info else code)
    return {
        "Response": {
            "Error": {"Code": code, "Message": text},
            "RequestId": request_id or new_request_id(),
        }
    }


def encode(envelope: Mapping[str, Any]) -> bytes:
    """Serialize an envelope the way the API does: compact UTF-8 JSON.

    >>> encode({"Message": "caf\\u00e9 \\ud800"})
    b'{"Message":"caf\\xc3\\xa9 \\\\ud800"}'
    """
    return _utf8(compact_json(envelope))


def _utf8(text: str) -> bytes:
    # Inside a JSON string (the only place text can hold one) backslashreplace
    # writes a lone surrogate as "\udXXX", which is its JSON escape.
    return text.encode("utf-8", "backslashreplace")


def envelope_reply(envelope: Mapping[str, Any], content_type: str = CONTENT_TYPE) -> Reply:
    """A 200 reply carrying ``envelope``."""
    headers = _JSON_HEADERS if content_type == CONTENT_TYPE else {"Content-Type": content_type}
    return Reply(200, headers, encode(envelope))


def success_reply(body_json: str, request_id: str) -> Reply:
    """A 200 reply from a pre-serialized Response object, the hot path.

    ``body_json`` is a JSON object text (``"{...}"``); the RequestId is spliced
    in as its last member so no dict is copied or re-serialized per call.
    """
    inner = body_json[:-1] + ("," if len(body_json) > 2 else "")
    text = '{"Response":' + inner + '"RequestId":"' + request_id + '"}}'
    return Reply(200, _JSON_HEADERS, _utf8(text))


def raw_reply(status: int, body: bytes, content_type: str, fault: str) -> Reply:
    """A reply for transport fault ``fault``: deliberately not a well-formed answer."""
    return Reply(status, {"Content-Type": content_type}, body, fault=fault)
