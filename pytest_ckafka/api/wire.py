"""How the API's bytes are read and written: headers, media types, compact JSON.

One home for the small rules every layer applies to a request or an answer, so
that the parser, the recognizer, the scrubbers, the core and the recorder can
never read a header or write a body two ways. Pure: no HTTP library.

>>> header({"Content-Type": "application/json; charset=utf-8"}, "content-type")
'application/json; charset=utf-8'
>>> media_type("Application/JSON; charset=utf-8")
'application/json'
>>> compact_json({"Name": "café", "Ids": [1, 2]})
'{"Name":"café","Ids":[1,2]}'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional, Union

__all__ = ["FORM", "JSON", "compact_json", "header", "media_type", "request_media_type"]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

# Built once, by (standard, sort_keys): json.dumps with options builds one on every call.
_ENCODERS = {
    (standard, sort_keys): json.JSONEncoder(
        ensure_ascii=False, allow_nan=not standard, sort_keys=sort_keys, separators=(",", ":")
    )
    for standard in (False, True)
    for sort_keys in (False, True)
}


def header(headers: Mapping[str, Any], name: str) -> str:
    """The value of the header ``name`` in any letter case, or ``""`` when absent.

    A ``bytes`` value (``requests`` allows them) is read as Latin-1, as HTTP does.

    >>> header({"X-TC-Action": b"DescribeTopic"}, "x-tc-action")
    'DescribeTopic'
    >>> header({}, "X-TC-Action")
    ''
    """
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def media_type(content_type: Optional[str]) -> str:
    """A ``Content-Type`` without its parameters, in lower case (``""`` if none).

    >>> media_type("application/x-www-form-urlencoded; charset=utf-8")
    'application/x-www-form-urlencoded'
    """
    return (content_type or "").partition(";")[0].strip().lower()


def request_media_type(content_type: Optional[str], body: Union[bytes, str, None]) -> str:
    """A request body's media type: its ``Content-Type``'s, else guessed from the body.

    Hand-built requests often omit the header; this guesses the way a lenient
    server would rather than fail a test over a header the call does not depend
    on: an empty body or one that opens with ``{`` or ``[`` is JSON, any other a form.

    >>> request_media_type(None, b'{"Limit": 1}')
    'application/json'
    >>> request_media_type("", "Action=DescribeTopic")
    'application/x-www-form-urlencoded'
    """
    if content_type:
        return media_type(content_type)
    if not body:
        return JSON
    return JSON if body.lstrip()[:1] in (b"{", "{", b"[", "[") else FORM


def compact_json(data: Any, *, standard: bool = False, sort_keys: bool = False) -> str:
    """``data`` as the API writes JSON: no spaces, non-ASCII kept, key order kept.

    ``standard=True`` refuses (``ValueError``) a NaN or infinite float, which
    standard JSON has no spelling for; ``sort_keys=True`` writes a canonical text,
    the same for any key order (what a cassette matches requests on).

    >>> compact_json({"Ratio": float("nan")})
    '{"Ratio":NaN}'
    """
    return _ENCODERS[standard, sort_keys].encode(data)
