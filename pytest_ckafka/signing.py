"""Signature verification for TencentCloud API 3.0 requests, as the real gateway does it.

Pure: a request as ``(method, url, headers, body)`` in, ``None`` (correctly signed)
or the API error ``(code, message)`` out; the caller answers it through the one
envelope path. Signatures are checked against what was actually sent:

* TC3-HMAC-SHA256 (``Authorization`` header): the canonical request is rebuilt
  from the method, URL path, the query string exactly as sent, each header the
  ``SignedHeaders`` list names, and the SHA-256 of the body (of the string
  ``UNSIGNED-PAYLOAD`` when ``X-TC-Content-SHA256: UNSIGNED-PAYLOAD`` was sent).
* v1 HmacSHA1 / HmacSHA256 (``Signature`` in the GET query or POST form):
  ``METHOD + host + path + "?" + sorted k=v``, as the SDKs' ``_format_sign_string``.

Checks run in a fixed order, so a request gets one answer: malformed
(``AuthFailure.InvalidAuthorization``, ``MissingParameter``, ``InvalidParameterValue``),
then ``AuthFailure.SecretIdNotFound``, ``AuthFailure.SignatureExpire``,
``AuthFailure.SignatureFailure``, ``AuthFailure.TokenFailure``.
The example request of the "Signature v3" documentation verifies:

>>> store = CredentialStore()
>>> store.add("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")
>>> auth = ("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
...         "tc3_request, SignedHeaders=content-type;host, Signature="
...         "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
>>> headers = {"Authorization": auth, "Content-Type": "application/json; charset=utf-8",
...            "Host": "cvm.tencentcloudapi.com", "X-TC-Timestamp": "1551113065"}
>>> body = (b'{"Limit": 1, "Filters": [{"Values": ["\\\\u672a\\\\u547d\\\\u540d"], '
...         b'"Name": "instance-name"}]}')
>>> url = "https://cvm.tencentcloudapi.com/"
>>> verify("POST", url, headers, body, store, now=1551113065, service="cvm") is None
True
>>> verify("POST", url, headers, body, store, now=1551113065 + 301, service="cvm")[0]
'AuthFailure.SignatureExpire'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NoReturn, Optional, Union
from urllib.parse import parse_qsl, urlsplit

from .exceptions import CKafkaUsageError

__all__ = ["MAX_SKEW", "CredentialStore", "Credentials", "verify"]

MAX_SKEW = 300.0
"""Seconds a request's timestamp may differ from the server clock, either way."""

_TC3 = "TC3-HMAC-SHA256"
_UNSIGNED = "UNSIGNED-PAYLOAD"
_V1_DIGESTS = {"HmacSHA1": hashlib.sha1, "HmacSHA256": hashlib.sha256}
_V1_REQUIRED = ("SecretId", "Signature", "Timestamp", "Nonce")
_V1_MARKERS = frozenset(("Signature", "SecretId", "SignatureMethod"))
_FORM = "application/x-www-form-urlencoded"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_INT = re.compile(r"[0-9]{1,10}")  # up to the year 2286: datetime cannot overflow
_BAD_ID = re.compile(r"[\s/,;=]")
_SIGNATURE_FAILURE = (
    "The provided credentials could not be validated. Please check your signature is correct."
)


@dataclass(frozen=True)
class Credentials:
    """One API key; a temporary (STS) key also has a ``token``, valid until ``token_expires_at``."""

    secret_id: str
    secret_key: str = field(repr=False)
    token: Optional[str] = field(default=None, repr=False)
    token_expires_at: Optional[float] = None
    """Epoch seconds; from then on the token gets ``AuthFailure.TokenFailure``."""


class CredentialStore:
    """The keys a fake accepts, by SecretId; safe to share between server threads.

    >>> store = CredentialStore()
    >>> store.add("AKIDtest", "secret", token="tok", token_expires_at=2e9)
    >>> len(store), store.get("AKIDtest")
    (1, Credentials(secret_id='AKIDtest', token_expires_at=2000000000.0))
    >>> store.get("AKIDother") is None
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, Credentials] = {}

    def add(
        self,
        secret_id: str,
        secret_key: str,
        *,
        token: Optional[str] = None,
        token_expires_at: Optional[float] = None,
    ) -> None:
        """Accept this key, replacing any with the same SecretId; a bad key is refused here."""
        if not isinstance(secret_id, str) or not secret_id or _BAD_ID.search(secret_id):
            raise CKafkaUsageError(
                "secret_id must be a non-empty string without spaces, '/', ',', ';' or '=' "
                f"(it goes in the Authorization header's Credential), got {secret_id!r}"
            )
        if not isinstance(secret_key, str) or not secret_key:
            raise CKafkaUsageError(f"secret_key must be a non-empty string, got {secret_key!r}")
        if token is not None and (not isinstance(token, str) or not token):
            raise CKafkaUsageError(f"token must be a non-empty string or None, got {token!r}")
        if token_expires_at is not None:
            if token is None:
                raise CKafkaUsageError("token_expires_at needs a token: only temporary keys expire")
            if isinstance(token_expires_at, bool) or not isinstance(token_expires_at, (int, float)):
                raise CKafkaUsageError(
                    f"token_expires_at must be epoch seconds (a number), got {token_expires_at!r}"
                )
            token_expires_at = float(token_expires_at)
        with self._lock:
            self._by_id[secret_id] = Credentials(secret_id, secret_key, token, token_expires_at)

    def get(self, secret_id: str) -> Optional[Credentials]:
        """The credentials registered for ``secret_id``, or None."""
        with self._lock:
            return self._by_id.get(secret_id)

    def clear(self) -> None:
        """Forget every key."""
        with self._lock:
            self._by_id.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id)

    def __iter__(self) -> Iterator[Credentials]:
        with self._lock:
            return iter(list(self._by_id.values()))


def verify(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: Union[bytes, str, None],
    store: CredentialStore,
    *,
    now: float,
    service: str = "ckafka",
    max_skew: float = MAX_SKEW,
) -> Optional[tuple[str, str]]:
    """Check one request's signature: None if it is right, else the API's ``(code, message)``.

    ``url`` is the URL as sent (its path and raw query are signed), ``headers``
    the headers as sent in any letter case, ``now`` the server clock in epoch
    seconds and ``service`` the product the credential scope must name. A request
    with no ``Authorization`` header and no v1 ``Signature``, ``SecretId`` or
    ``SignatureMethod`` parameter is not signed: ``AuthFailure.InvalidAuthorization``.

    >>> verify("GET", "http://127.0.0.1:9100/?Action=DescribeInstances", {}, b"",
    ...        CredentialStore(), now=0)[0]
    'AuthFailure.InvalidAuthorization'
    """
    parts = urlsplit(url)
    check = _Check(
        method.upper(), parts.path or "/", parts.query, parts.netloc,
        {str(k).lower(): v.decode("latin-1") if isinstance(v, bytes) else str(v)
         for k, v in headers.items()},
        body.encode("utf-8") if isinstance(body, str) else (body or b""),
        store, now, service, max_skew,
    )  # fmt: skip
    try:
        check.tc3() if "authorization" in check.hdr else check.v1()
    except _Reject as reject:
        return reject.code, reject.message
    return None


class _Reject(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message


def _bad_auth(message: str) -> NoReturn:
    raise _Reject("AuthFailure.InvalidAuthorization", message)


@dataclass(frozen=True)
class _Check:
    """One request as sent (``hdr`` keyed in lower case) and what it is checked against."""

    verb: str
    path: str
    query: str
    netloc: str
    hdr: Mapping[str, str]
    body: bytes
    store: CredentialStore
    now: float
    service: str
    max_skew: float

    def tc3(self) -> None:
        hdr, service = self.hdr, self.service
        secret_id, date, signed, signature = _parse_authorization(hdr["authorization"], service)
        absent = [name for name in signed if name not in hdr and name != "host"]
        if absent:
            _bad_auth(f"SignedHeaders names `{absent[0]}`, but the request has no such header.")
        timestamp = _timestamp(hdr.get("x-tc-timestamp"), "X-TC-Timestamp")
        utc_date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
        if date != utc_date:
            _bad_auth(
                f"The credential scope date `{date}` is not the UTC date of X-TC-Timestamp "
                f"{timestamp} ({utc_date}); compute it in UTC, not local time."
            )
        credentials = self.lookup(secret_id, timestamp)
        values = {name: hdr.get(name, "").strip() for name in signed}
        if "host" in values and not values["host"]:  # in-process adapters may omit Host
            values["host"] = self.netloc
        payload = b"" if self.verb == "GET" else self.body  # a GET is signed in its query
        if hdr.get("x-tc-content-sha256", "").strip() == _UNSIGNED:
            payload = _UNSIGNED.encode("ascii")  # hashed, as every SDK does
        hashed = hashlib.sha256(payload).hexdigest()
        # The documentation lower-cases header values; the SDKs send them as they are.
        lowered = {name: value.lower() for name, value in values.items()}
        canonical = [self.canonical_request(v, signed, hashed) for v in (values, lowered)]
        for request in dict.fromkeys(canonical):
            digest = hashlib.sha256(request.encode("utf-8")).hexdigest()
            string_to_sign = f"{_TC3}\n{timestamp}\n{date}/{service}/tc3_request\n{digest}"
            expected = _tc3_signature(credentials.secret_key, date, service, string_to_sign)
            if hmac.compare_digest(expected, signature):
                return self.check_token(credentials, hdr.get("x-tc-token", ""), "X-TC-Token")
        raise _Reject(
            "AuthFailure.SignatureFailure",
            f"{_SIGNATURE_FAILURE} pytest-ckafka checked it against this canonical request: "
            f"{canonical[0]!r}",
        )

    def canonical_request(self, values: Mapping[str, str], signed: list[str], hashed: str) -> str:
        headers = "".join(f"{name}:{values[name]}\n" for name in signed)
        return "\n".join((self.verb, self.path, self.query, headers, ";".join(signed), hashed))

    def v1(self) -> None:
        params = dict(parse_qsl(self.query, keep_blank_values=True, errors="replace"))
        media_type = self.hdr.get("content-type", "").split(";")[0].strip().lower()
        if self.verb == "POST" and media_type == _FORM and self.body:
            form = self.body.decode("utf-8", "replace")
            params.update(parse_qsl(form, keep_blank_values=True, errors="replace"))
        if _V1_MARKERS.isdisjoint(params):
            _bad_auth(
                "The request is not signed: send an `Authorization: TC3-HMAC-SHA256 ...` "
                "header, or the v1 parameters `SecretId`, `Timestamp`, `Nonce`, `Signature`."
            )
        for name in _V1_REQUIRED:
            if not params.get(name):
                _missing(name)
        sign_method = params.get("SignatureMethod") or "HmacSHA1"  # the documented default
        digest = _V1_DIGESTS.get(sign_method)
        if digest is None:
            raise _Reject(
                "InvalidParameterValue",
                f"SignatureMethod `{_clip(sign_method)}` is not supported; use `HmacSHA1` or "
                "`HmacSHA256` (or TC3-HMAC-SHA256 in the Authorization header).",
            )
        credentials = self.lookup(params["SecretId"], _timestamp(params["Timestamp"], "Timestamp"))
        # As the SDKs' _format_sign_string: "_" in a name is signed as ".", then sorted.
        signed = {name.replace("_", "."): value for name, value in params.items()}
        signed.pop("Signature", None)
        joined = "&".join(f"{name}={signed[name]}" for name in sorted(signed))
        # The SDKs sign the endpoint they were given: the Host header, or the URL's.
        hosts = dict.fromkeys(h for h in (self.hdr.get("host", "").strip(), self.netloc) if h)
        texts = [f"{self.verb}{host}{self.path}?{joined}" for host in hosts or [""]]
        key = credentials.secret_key.encode("utf-8")
        for text in texts:
            expected = base64.b64encode(hmac.new(key, text.encode("utf-8"), digest).digest())
            if hmac.compare_digest(expected, params["Signature"].encode("utf-8")):
                return self.check_token(credentials, params.get("Token", ""), "Token")
        raise _Reject(
            "AuthFailure.SignatureFailure",
            f"{_SIGNATURE_FAILURE} pytest-ckafka checked it ({sign_method}) against this "
            f"string to sign: {texts[0]!r}",
        )

    def lookup(self, secret_id: str, timestamp: int) -> Credentials:
        credentials = self.store.get(secret_id)
        if credentials is None:
            known = ", ".join(f"`{c.secret_id}`" for c in self.store) or "none"
            raise _Reject(
                "AuthFailure.SecretIdNotFound",
                f"The SecretId `{_clip(secret_id)}` is not found; please ensure that your "
                f"SecretId is correct. Registered SecretIds: {known}.",
            )
        skew = timestamp - self.now
        if abs(skew) > self.max_skew:
            raise _Reject(
                "AuthFailure.SignatureExpire",
                f"Signature expired: the request timestamp {timestamp} is {abs(skew):.0f} s "
                f"{'ahead of' if skew > 0 else 'behind'} the server time {self.now:.0f}; they "
                f"may differ by at most {self.max_skew:g} s. Check the client clock.",
            )
        return credentials

    def check_token(self, credentials: Credentials, sent: str, where: str) -> None:
        sent, sid, token = sent.strip(), credentials.secret_id, credentials.token
        expires_at, problem = credentials.token_expires_at, ""
        if token is None and sent:
            problem = (
                f"The SecretId `{sid}` is a permanent key and takes no token, but the request "
                f"sent {where} `{_clip(sent, 12)}`: drop it, or use its temporary key."
            )
        elif token is not None and not sent:
            problem = f"The SecretId `{sid}` is a temporary key: send its token in {where}."
        elif token is not None and not hmac.compare_digest(sent.encode(), token.encode()):
            problem = f"The {where} `{_clip(sent, 12)}` is not the token of the SecretId `{sid}`."
        elif token is not None and expires_at is not None and self.now >= expires_at:
            problem = (
                f"The token of the SecretId `{sid}` expired at {expires_at:.0f} "
                f"(server time {self.now:.0f}); get new temporary credentials."
            )
        if problem:
            raise _Reject("AuthFailure.TokenFailure", problem)


def _parse_authorization(value: str, service: str) -> tuple[str, str, list[str], str]:
    """``(secret_id, date, signed_headers, signature)`` of a well-formed TC3 Authorization."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != _TC3:
        _bad_auth(f"The Authorization header must start with `{_TC3}`, got `{_clip(algorithm)}`.")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, text = item.strip().partition("=")
        if sep:
            parts.setdefault(name.strip(), text.strip())
    for name in ("Credential", "SignedHeaders", "Signature"):
        if not parts.get(name):
            _bad_auth(
                f"The Authorization header has no `{name}=`; expected `{_TC3} Credential="
                f"SecretId/Date/{service}/tc3_request, SignedHeaders=content-type;host, "
                f"Signature=...`, got `{_clip(value)}`."
            )
    scope = parts["Credential"].split("/")
    if len(scope) != 4 or not scope[0] or scope[3] != "tc3_request":
        _bad_auth(
            f"Credential must be `SecretId/YYYY-MM-DD/{service}/tc3_request`, "
            f"got `{_clip(parts['Credential'])}`."
        )
    secret_id, date, scope_service, _ = scope
    try:
        datetime.strptime(date, "%Y-%m-%d")
    except ValueError:
        _bad_auth(f"The credential scope date must be YYYY-MM-DD, got `{_clip(date)}`.")
    if scope_service != service:
        _bad_auth(f"The credential scope names service `{_clip(scope_service)}`, not `{service}`.")
    signed = parts["SignedHeaders"].split(";")
    if any(not name or name != name.strip().lower() for name in signed):
        _bad_auth(
            "SignedHeaders must be lower-case header names joined by `;`, "
            f"got `{_clip(parts['SignedHeaders'])}`."
        )
    for name in ("content-type", "host"):
        if name not in signed:
            _bad_auth(f"SignedHeaders must include `{name}`, got `{parts['SignedHeaders']}`.")
    if not _HEX64.fullmatch(parts["Signature"]):
        _bad_auth(f"Signature must be 64 lower-case hex digits, got `{_clip(parts['Signature'])}`.")
    return secret_id, date, signed, parts["Signature"]


def _tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    def _hmac(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()

    signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _timestamp(text: Optional[str], name: str) -> int:
    if text is None or not text.strip():
        _missing(name)
    if not _INT.fullmatch(text.strip()):
        message = f"{name} must be Unix time in whole seconds, got `{_clip(text)}`."
        raise _Reject("InvalidParameterValue", message)
    return int(text.strip())


def _missing(name: str) -> NoReturn:
    raise _Reject("MissingParameter", f"The request is missing a required parameter `{name}`.")


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
