"""Hand-signed raw requests, for attacks no SDK would send.

Signatures are computed as Tencent's documentation describes, with the official
SDK's own primitives (``Sign.sign_tc3``, ``Sign.sign``), never with pytest-ckafka's
code, so a test of the verifier does not grade its own homework.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timezone
from urllib.parse import urlencode

from tencentcloud.common.sign import Sign

TS = 1_700_000_000  # 2023-11-14 22:13:20 UTC
DATE = "2023-11-14"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def tc3_authorization(
    *,
    method: str,
    host: str,
    body: bytes = b"",
    query: str = "",
    content_type: str = JSON,
    secret_id: str,
    secret_key: str,
    timestamp: int = TS,
    service: str = "ckafka",
    signed_host: str = "",
    before_credential: str = "",
    after_signature: str = "",
) -> str:
    """A TC3-HMAC-SHA256 Authorization header signing ``content-type;host``.

    ``signed_host`` is the host signed, if not ``host``, as the Node.js SDK signs
    a local endpoint without its port. ``before_credential`` and ``after_signature``
    are spliced into the header around its fields, to build malformed ones whose
    signature is otherwise right.
    """
    payload = b"" if method == "GET" else body
    canonical = "\n".join(
        [
            method,
            "/",
            query,
            f"content-type:{content_type}\nhost:{signed_host or host}\n",
            "content-type;host",
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    signature = Sign.sign_tc3(
        secret_key, date, service, f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{digest}"
    )
    return (
        f"TC3-HMAC-SHA256 {before_credential}Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}{after_signature}"
    )


def tc3_headers(
    action: str,
    *,
    host: str,
    body: bytes = b"",
    method: str = "POST",
    query: str = "",
    secret_id: str,
    secret_key: str,
    timestamp: int = TS,
    **options: str,
) -> dict[str, str]:
    """Every header of a TC3 call of ``action`` in ap-guangzhou, as the SDK sends them."""
    content_type = JSON if method == "POST" else FORM
    authorization = tc3_authorization(
        method=method, host=host, body=body, query=query, content_type=content_type,
        secret_id=secret_id, secret_key=secret_key, timestamp=timestamp, **options,
    )  # fmt: skip
    return {
        "Authorization": authorization,
        "Content-Type": content_type,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
        "X-TC-Timestamp": str(timestamp),
    }


def v1_params(
    action: str,
    params: Mapping[str, str],
    *,
    method: str,
    host: str,
    secret_id: str,
    secret_key: str,
    timestamp: int = TS,
    sign_method: str = "HmacSHA256",
    token: str = "",
) -> dict[str, str]:
    """The whole v1 parameter set of one call in ap-guangzhou, ``Signature`` included."""
    signed = {
        **params,
        "Action": action,
        "Version": "2019-08-19",
        "Region": "ap-guangzhou",
        "SecretId": secret_id,
        "Timestamp": str(timestamp),
        "Nonce": "4242",
        "SignatureMethod": sign_method,
    }
    if token:
        signed["Token"] = token
    text = f"{method}{host}/?" + "&".join(f"{k}={signed[k]}" for k in sorted(signed))
    signed["Signature"] = Sign.sign(secret_key, text, sign_method)
    return signed


def v1_request(
    action: str,
    params: Mapping[str, str],
    *,
    method: str,
    host: str,
    **options: str,
) -> tuple[str, dict[str, str], bytes]:
    """``(url, headers, body)`` of a v1 call: a GET query or a POST form, as the SDK sends it."""
    signed = v1_params(action, params, method=method, host=host, **options)
    if method == "GET":
        return f"http://{host}/?{urlencode(signed)}", {"Host": host}, b""
    return f"http://{host}/", {"Host": host, "Content-Type": FORM}, urlencode(signed).encode()
