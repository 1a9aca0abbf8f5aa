"""Transport faults: answers that are not API envelopes, and failures with no answer.

Each kind reproduces what a real failure looks like to the official SDK:

- ``timeout``: no answer, the read times out. Sync SDK: ``ClientNetworkError``;
  async SDK: ``httpx.ReadTimeout``.
- ``connection_error``: no answer, the connection is refused. Sync SDK:
  ``ClientNetworkError``; async SDK: ``httpx.ConnectError``.
- ``http_status``: a non-200 status (502 by default) with an HTML body. Both
  SDKs: ``ServerNetworkError``.
- ``malformed_json``: 200, ``application/json``, a truncated JSON body. Sync SDK:
  code ``JSONDecodeError``; async SDK: ``json.JSONDecodeError``.
- ``wrong_content_type``: an error envelope sent as ``application/json;
  charset=utf-8``. Both SDKs ignore the error and return an empty model that
  carries only the RequestId.
"""

from __future__ import annotations

from ..api.envelopes import Reply, encode, error_envelope, raw_reply
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError, UnknownFaultError

__all__ = ["FAULT_KINDS", "check_fault", "fault_reply"]

FAULT_KINDS: dict[str, str] = {
    "timeout": "the request times out before any answer",
    "connection_error": "the connection is refused or reset",
    "http_status": "a non-200 HTTP status with a non-envelope body",
    "malformed_json": "HTTP 200 with a body that is not valid JSON",
    "wrong_content_type": "an error envelope with a Content-Type the SDK ignores",
}
"""Every fault kind -> what it simulates."""

_STATUS_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def check_fault(kind: str, status: int) -> None:
    """Reject an unknown kind or an ``http_status`` that is not an error status."""
    if kind not in FAULT_KINDS:
        raise UnknownFaultError(unknown_name_message("fault kind", kind, FAULT_KINDS))
    if kind == "http_status" and not (isinstance(status, int) and 300 <= status <= 599):
        raise CKafkaUsageError(
            f"http_status fault needs a non-200 status between 300 and 599, got {status!r}"
        )


def fault_reply(kind: str, request_id: str, status: int = 502) -> Reply:
    """The reply for fault ``kind``; ``raise_kind`` replies make the adapter raise."""
    if kind in ("timeout", "connection_error"):
        return Reply(status=0, headers={}, body=b"", raise_kind=kind, fault=kind)
    if kind == "http_status":
        text = _STATUS_TEXT.get(status, "Error")
        html = f"<html><head><title>{status} {text}</title></head><body>{text}</body></html>"
        return raw_reply(status, html.encode(), "text/html", kind)
    if kind == "malformed_json":
        whole = encode(error_envelope("InternalError", request_id=request_id))
        return raw_reply(200, whole[: len(whole) // 2], "application/json", kind)
    if kind == "wrong_content_type":
        envelope = error_envelope("InternalError", request_id=request_id)
        return raw_reply(200, encode(envelope), "application/json; charset=utf-8", kind)
    check_fault(kind, status)
    raise AssertionError("unreachable")  # pragma: no cover
