"""Is this HTTP request a CKafka API call, whatever host it is sent to?

A client pointed at a host nobody registered (``HttpProfile(endpoint=
"127.0.0.1:9100")`` with no ``ckafka.add_endpoint``) still sends a Tencent Cloud
API request for CKafka: the fake must see it rather than let it pass by unseen.
The request says what it is:

* API 3.0 (TC3): an ``X-TC-Action`` header, with ``X-TC-Version: 2019-08-19`` and
  a CKafka action, or a TC3 ``Authorization`` scope naming the ``ckafka`` service;
* v1 (HmacSHA1/HmacSHA256): ``Action`` and ``Version=2019-08-19`` parameters, in
  the query string or a form body, naming a CKafka action.

The scope alone is not enough (the Node.js SDK signs the first label of a custom
endpoint, ``127``, as the service), and neither is the version alone (another
product may share the date). Hosts of other Tencent Cloud products
(``cvm.tencentcloudapi.com``) are never CKafka's. Pure: no HTTP library.

>>> headers = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19"}
>>> is_ckafka_request("POST", "http://127.0.0.1:9100/", headers, b"{}")
True
>>> is_ckafka_request("GET", "http://10.0.0.5/?Action=DescribeRegion&Version=2019-08-19", {}, None)
True
>>> is_ckafka_request("POST", "https://cvm.tencentcloudapi.com/", headers, b"{}")
False
>>> is_ckafka_request("GET", "http://127.0.0.1:8080/health", {}, None)
False
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional, Union
from urllib.parse import parse_qs, urlsplit

from .authorization import AuthorizationError, parse_authorization
from .hosts import HostError, is_public_host, parse_host
from .spec import API_VERSION, SERVICE, load_spec
from .wire import FORM, header, media_type

__all__ = ["is_ckafka_request"]

# A v1 form body past this size is not read to find its Action: the real API caps
# requests far below it, and a large upload to another host must stay cheap.
_MAX_FORM_BYTES = 1024 * 1024


def is_ckafka_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: Union[bytes, str, None],
) -> bool:
    """True if the request is a CKafka API call (see the module docstring)."""
    parts = urlsplit(url)
    try:  # a URL's authority: its user info is no part of the host
        host = parse_host(parts.netloc.rpartition("@")[2])
    except HostError:
        host = None
    if host is not None and host.is_tencent_cloud:
        return is_public_host(host.name)
    action = header(headers, "x-tc-action")
    if action:
        version = header(headers, "x-tc-version")
        return _is_ckafka(action, version) or _scope_service(headers) == SERVICE
    params = _v1_params(method, parts.query, headers, body)
    return _is_ckafka(params.get("Action", ""), params.get("Version", ""))


def _is_ckafka(action: str, version: str) -> bool:
    spec = load_spec()
    return bool(action) and version == API_VERSION and action in spec.actions


def _scope_service(headers: Mapping[str, str]) -> Optional[str]:
    """The service a TC3 ``Authorization`` header signs for, if it parses."""
    value = header(headers, "authorization")
    if not value:
        return None
    try:
        scope = parse_authorization(value).scope
    except AuthorizationError:
        return None
    parts = scope.split("/")
    return parts[1] if len(parts) == 3 else None


def _v1_params(
    method: str, query: str, headers: Mapping[str, str], body: Union[bytes, str, None]
) -> dict[str, str]:
    """``Action`` and ``Version`` of a v1 request: from the query, then a form body."""
    found: dict[str, str] = {}
    texts = [query] if "Action=" in query else []
    if method.upper() == "POST" and body and len(body) <= _MAX_FORM_BYTES:
        if media_type(header(headers, "content-type")) == FORM:
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
            texts.append(text)
    for text in texts:
        parsed = parse_qs(text, keep_blank_values=True)
        for name in ("Action", "Version"):
            if parsed.get(name):
                found[name] = parsed[name][0]
    return found
