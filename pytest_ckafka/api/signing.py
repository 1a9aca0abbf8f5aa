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

What is verified is the claim :func:`~pytest_ckafka.api.protocol.parse_request` read
(:mod:`~pytest_ckafka.api.authorization`), so the parameters checked are the ones
executed and :func:`authenticate` returns the key whose account the call acts in.
For a host that is not a Tencent Cloud domain (a local endpoint), the credential
scope may name any service and the host may be signed with or without its port,
as SDKs sign a local endpoint their own way; the key must still verify. Which host
it is comes from one parse of the Host header (:func:`~pytest_ckafka.api.hosts.parse_host`):
one that is not ``host[:port]`` is ``AuthFailure.InvalidAuthorization``.

Checks run in a fixed order, so a request gets one answer: malformed
(``AuthFailure.InvalidAuthorization``, ``MissingParameter``, ``InvalidParameterValue``),
then ``AuthFailure.SecretIdNotFound``, ``AuthFailure.SignatureExpire`` (more than
``MAX_SKEW`` whole seconds either way), ``AuthFailure.SignatureFailure``,
``AuthFailure.TokenFailure``. Messages never repeat a SecretId, key, token,
signature or signed text: error answers end up in cassettes.
The example request of the "Signature v3" documentation verifies:

>>> store = CredentialStore()
>>> store.add("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")
>>> auth = ("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
...         "tc3_request, SignedHeaders=content-type;host, Signature="
...         "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
>>> headers = {"Authorization": auth, "Content-Type": "application/json; charset=utf-8",
...            "Host": "cvm.tencentcloudapi.com", "X-TC-Timestamp": "1551113065",
...            "X-TC-Action": "DescribeInstances"}
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
import math
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NoReturn, Optional, Union
from urllib.parse import urlsplit

from ..exceptions import CKafkaUsageError
from .authorization import TC3_ALGORITHM, MalformedAuthorization, TC3Authorization, V1Signature
from .hosts import HostError, RequestHost, parse_host
from .protocol import ParsedRequest, ProtocolError, parse_request
from .spec import SERVICE, load_spec

__all__ = [
    "MAX_SKEW",
    "AuthError",
    "CredentialStore",
    "Credentials",
    "authenticate",
    "verify",
]

MAX_SKEW = 300.0
"""Seconds a request's timestamp may differ from the server clock, either way."""

_TC3 = TC3_ALGORITHM
_UNSIGNED = "UNSIGNED-PAYLOAD"
_V1_DIGESTS = {"HmacSHA1": hashlib.sha1, "HmacSHA256": hashlib.sha256}
_V1_REQUIRED = ("SecretId", "Signature", "Timestamp", "Nonce")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What an echoed value must look like, or it is described by its length only: a value in the
# wrong place may be a SecretId (36 characters), a SecretKey (32) or a token (longer).
_DATE_LIKE = re.compile(r"[0-9-]{1,16}")
_SERVICE = re.compile(r"[a-z0-9-]{1,20}")
_HEADER_LIST = re.compile(r"[A-Za-z0-9_-]{0,30}(?:;[A-Za-z0-9_-]{0,30}){0,15}")
_NAME = re.compile(r"[A-Za-z0-9-]{1,20}")
_NUMBER = re.compile(r"[0-9.+-]{1,40}")
_INT = re.compile(r"[0-9]{1,10}")  # up to the year 2286: datetime cannot overflow
_NONCE = re.compile(r"[0-9]{1,20}")  # the SDKs send random.randint(1, sys.maxsize)
# v1 parameters whose values are checked whole against what is registered, or not signed.
_V1_OPAQUE = frozenset(("Signature", "Token"))
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
    account: Optional[str] = None
    """The stateful account the key acts in; ``None``: the default account."""


class CredentialStore:
    """The keys a fake accepts, by SecretId; safe to share between server threads.

    >>> store = CredentialStore()
    >>> store.add("AKIDtest", "secret", token="tok", token_expires_at=2e9)
    >>> len(store), store.get("AKIDtest")
    (1, Credentials(secret_id='AKIDtest', token_expires_at=2000000000.0, account=None))
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
        account: Optional[str] = None,
    ) -> None:
        """Accept this key, replacing any with the same SecretId; a bad key is refused here.

        ``account`` names the stateful account the key acts in (``None``: the
        default account); keys registered with the same name share it.
        """
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
        if account is not None and (not isinstance(account, str) or not account):
            raise CKafkaUsageError(
                "account must be a non-empty string (keys registered with the same account "
                f"share its resources) or None for the default account, got {account!r}"
            )
        credentials = Credentials(
            secret_id=secret_id,
            secret_key=secret_key,
            token=token,
            token_expires_at=token_expires_at,
            account=account,
        )
        with self._lock:
            self._by_id[secret_id] = credentials

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
    service: str = SERVICE,
    max_skew: float = MAX_SKEW,
) -> Optional[tuple[str, str]]:
    """Check one request's signature: None if it is right, else the API's ``(code, message)``.

    ``url`` is the URL as sent (its path and raw query are signed), ``headers``
    the headers as sent in any letter case, ``now`` the server clock in epoch
    seconds and ``service`` the product the credential scope must name on a Tencent
    Cloud host. The request is parsed first, as the fake does
    (:func:`~pytest_ckafka.api.protocol.parse_request`), so one it cannot parse gets that
    error. A request with no ``Authorization`` header and no v1 ``Signature``,
    ``SecretId`` or ``SignatureMethod`` parameter is not signed:
    ``AuthFailure.InvalidAuthorization``.

    >>> verify("GET", "http://127.0.0.1:9100/?Action=DescribeInstances", {}, b"",
    ...        CredentialStore(), now=0)[0]
    'AuthFailure.InvalidAuthorization'
    """
    headers = _text_headers(headers)
    try:
        parsed = parse_request(method, url, headers, body)
        authenticate(parsed, url, headers, body, store, now=now, service=service, max_skew=max_skew)
    except (ProtocolError, AuthError) as error:
        return error.code, error.message
    return None


class AuthError(Exception):
    """A request whose signature is refused, with the API's error ``code`` and ``message``.

    Messages name what is wrong (which field, the credential scope, expected and
    received values of what is not secret) and never repeat a SecretId, SecretKey,
    token, signature or the signed text, since error answers end up in cassettes.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def authenticate(
    parsed: ParsedRequest,
    url: str,
    headers: Mapping[str, str],
    body: Union[bytes, str, None],
    store: CredentialStore,
    *,
    now: float,
    service: str = SERVICE,
    max_skew: float = MAX_SKEW,
) -> Credentials:
    """The credentials that signed ``parsed``, or raise :class:`AuthError`.

    ``parsed`` is what :func:`~pytest_ckafka.api.protocol.parse_request` made of the
    same ``url``, ``headers`` and ``body``: its signature claim is verified, never
    a second reading of the request, so the SecretId returned is the one whose
    key checked out, and the account the call may act in.
    """
    claim = parsed.claim
    if claim is None:
        _bad_auth(
            "The request is not signed: send an `Authorization: TC3-HMAC-SHA256 ...` "
            "header, or the v1 parameters `SecretId`, `Timestamp`, `Nonce`, `Signature`."
        )
    if isinstance(claim, MalformedAuthorization):
        _bad_auth(claim.message)
    parts = urlsplit(url)
    check = _Check(
        parsed.method, parts.path or "/", parts.query, parts.netloc.rpartition("@")[2],
        {name.lower(): value for name, value in _text_headers(headers).items()},
        body.encode("utf-8") if isinstance(body, str) else (body or b""),
        store, math.floor(now), service, max_skew,
    )  # fmt: skip
    if isinstance(claim, TC3Authorization):
        return check.tc3(claim)
    return check.v1(claim)


def _text_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Header values as text, whatever the adapter gave (some hand over bytes)."""
    return {
        str(name): value.decode("latin-1") if isinstance(value, bytes) else str(value)
        for name, value in headers.items()
    }


def _bad_auth(message: str) -> NoReturn:
    raise AuthError("AuthFailure.InvalidAuthorization", message)


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
    now: int  # whole seconds, as request timestamps are, so the window is symmetric
    service: str
    max_skew: float

    @property
    def host(self) -> str:
        """The host the client signed: its Host header, or the URL's when an adapter omits it."""
        return self.hdr.get("host", "").strip() or self.netloc

    def request_host(self) -> RequestHost:
        """:attr:`host` parsed, once for every check: a malformed one is not signed for anyone."""
        try:
            host = parse_host(self.host)
        except HostError as error:
            _bad_auth(error.message)
        # A v1 signature names no product: only its host says whose call it is.
        if host.is_tencent_cloud and host.name.lower().partition(".")[0] != self.service:
            _bad_auth(
                f"The request was signed for `{host.name}`, the host of another product than "
                f"{self.service} ({self.service}[.<region>].tencentcloudapi.com)."
            )
        return host

    def host_variants(self, host: RequestHost) -> list[str]:
        """Tencent Cloud hosts are signed exactly; a local one may be signed without its port.

        The official Node.js SDK, for one, signs ``host:127.0.0.1`` but sends
        ``Host: 127.0.0.1:9100``.
        """
        if host.is_tencent_cloud:
            return [host.text]
        return list(dict.fromkeys((host.text, host.name)))

    def tc3(self, claim: TC3Authorization) -> Credentials:
        hdr, signed, host = self.hdr, list(claim.signed_headers), self.request_host()
        if not _is_date(claim.date):
            _bad_auth(
                "The credential scope date must be YYYY-MM-DD, got "
                f"{_shown(claim.date, _DATE_LIKE)}."
            )
        # A local endpoint has no product name to sign: SDKs derive one from it (the Node.js
        # SDK signs `127` for 127.0.0.1), and the key still has to be the registered one.
        if claim.service != self.service and host.is_tencent_cloud:
            _bad_auth(
                f"The credential scope names service {_shown(claim.service, _SERVICE)}, "
                f"not `{self.service}`."
            )
        if any(not name or name != name.strip().lower() for name in signed):
            _bad_auth(
                "SignedHeaders must be lower-case header names joined by `;`, got "
                f"{_shown(';'.join(signed), _HEADER_LIST)}."
            )
        for name in ("content-type", "host"):
            if name not in signed:
                _bad_auth(
                    f"SignedHeaders must include `{name}`, got "
                    f"{_shown(';'.join(signed), _HEADER_LIST)}."
                )
        if not _HEX64.fullmatch(claim.signature):
            _bad_auth(
                "Signature must be 64 lower-case hex digits, got a value of "
                f"{len(claim.signature)} characters."
            )
        absent = [name for name in signed if name not in hdr and name != "host"]
        if absent:
            _bad_auth(f"SignedHeaders names `{absent[0]}`, but the request has no such header.")
        timestamp = _timestamp(hdr.get("x-tc-timestamp"), "X-TC-Timestamp")
        utc_date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
        if claim.date != utc_date:
            _bad_auth(
                f"The credential scope date `{claim.date}` is not the UTC date of "
                f"X-TC-Timestamp {timestamp} ({utc_date}); compute it in UTC, not local time."
            )
        credentials = self.lookup(claim.secret_id, timestamp)
        payload, hashed_what = (b"", "an empty payload (a GET)")
        if self.verb != "GET":  # a GET is signed in its query
            payload, hashed_what = self.body, "the body"
        if hdr.get("x-tc-content-sha256", "").strip() == _UNSIGNED:
            payload, hashed_what = _UNSIGNED.encode("ascii"), f"`{_UNSIGNED}`"  # as the SDKs do
        hashed = hashlib.sha256(payload).hexdigest()
        values = {name: hdr.get(name, "").strip() for name in signed}
        candidates: list[str] = []
        for variant in self.host_variants(host):
            values["host"] = variant
            # The documentation lower-cases header values; the SDKs send them as they are.
            lowered = {name: value.lower() for name, value in values.items()}
            candidates += [self.canonical_request(v, signed, hashed) for v in (values, lowered)]
        string_to_sign = f"{_TC3}\n{timestamp}\n{claim.scope}\n"
        for request in dict.fromkeys(candidates):
            digest = hashlib.sha256(request.encode("utf-8")).hexdigest()
            expected = _tc3_signature(
                credentials.secret_key, claim.date, claim.service, string_to_sign + digest
            )
            if hmac.compare_digest(expected, claim.signature):
                self.check_token(credentials, hdr.get("x-tc-token", ""), "X-TC-Token")
                return credentials
        raise AuthError(
            "AuthFailure.SignatureFailure",
            f"{_SIGNATURE_FAILURE} pytest-ckafka computed TC3-HMAC-SHA256 with the registered "
            f"key for the credential scope `{claim.scope}` over the method `{self.verb}`, the "
            f"path `{_clip(self.path)}`, the query string as sent, the signed headers "
            f"`{';'.join(signed)}` (host `{_clip(self.host)}`) and the SHA-256 of {hashed_what}: "
            "check the "
            "SecretKey, and that nothing signed changed after signing.",
        )

    def canonical_request(self, values: Mapping[str, str], signed: list[str], hashed: str) -> str:
        headers = "".join(f"{name}:{values[name]}\n" for name in signed)
        return "\n".join((self.verb, self.path, self.query, headers, ";".join(signed), hashed))

    def v1(self, claim: V1Signature) -> Credentials:
        params, host = claim.params, self.request_host()
        for name in _V1_REQUIRED:
            if not params.get(name):
                _missing(name)
        sign_method = claim.method
        digest = _V1_DIGESTS.get(sign_method)
        if digest is None:
            raise AuthError(
                "InvalidParameterValue",
                f"SignatureMethod {_shown(sign_method, _NAME)} is not supported; use `HmacSHA1` "
                "or `HmacSHA256` (or TC3-HMAC-SHA256 in the Authorization header).",
            )
        nonce = params["Nonce"]
        if not _NONCE.fullmatch(nonce):
            raise AuthError(
                "InvalidParameterValue",
                f"Nonce must be a positive integer (the SDKs send a random one), got "
                f"{_shown(nonce, _NUMBER)}.",
            )
        credentials = self.lookup(params["SecretId"], _timestamp(params["Timestamp"], "Timestamp"))
        _refuse_ambiguous_v1(params)
        # As the SDKs' _format_sign_string: "_" in a name is signed as ".", then sorted.
        signed = {name.replace("_", "."): value for name, value in params.items()}
        signed.pop("Signature", None)
        joined = "&".join(f"{name}={signed[name]}" for name in sorted(signed))
        # The SDKs sign the endpoint they were given: the Host header, or the URL's.
        hosts = self.host_variants(host) + ([self.netloc] if self.netloc else [])
        key = credentials.secret_key.encode("utf-8")
        for signed_host in dict.fromkeys(hosts):
            text = f"{self.verb}{signed_host}{self.path}?{joined}"
            expected = base64.b64encode(hmac.new(key, text.encode("utf-8"), digest).digest())
            if hmac.compare_digest(expected, params["Signature"].encode("utf-8")):
                self.check_token(credentials, params.get("Token", ""), "Token")
                return credentials
        names = ", ".join(f"`{name}`" for name in sorted(signed))
        raise AuthError(
            "AuthFailure.SignatureFailure",
            f"{_SIGNATURE_FAILURE} pytest-ckafka computed {sign_method} with the registered key "
            f"over `{self.verb}` + the host `{_clip(self.host)}` + the path `{_clip(self.path)}` "
            f"+ `?` + the parameters {names} sorted by name as `name=value` joined by `&` "
            "(`Signature` left out, `_` in a name as `.`): check the SecretKey, and that no "
            "parameter changed after signing.",
        )

    def lookup(self, secret_id: str, timestamp: int) -> Credentials:
        credentials = self.store.get(secret_id)
        if credentials is None:
            count = len(self.store)
            raise AuthError(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found; please ensure that your SecretId is correct. "
                f"pytest-ckafka has {count} key{'' if count == 1 else 's'} registered (with "
                "add_credentials or --credentials) and the request's SecretId is not one of "
                "them.",
            )
        skew = timestamp - self.now
        if abs(skew) > self.max_skew:
            raise AuthError(
                "AuthFailure.SignatureExpire",
                f"Signature expired: the request timestamp {timestamp} is {abs(skew)} s "
                f"{'ahead of' if skew > 0 else 'behind'} the server time {self.now}; they "
                f"may differ by at most {self.max_skew:g} s. Check the client clock.",
            )
        return credentials

    def check_token(self, credentials: Credentials, sent: str, where: str) -> None:
        sent, token, expires_at = sent.strip(), credentials.token, credentials.token_expires_at
        problem = ""
        if token is None and sent:
            problem = (
                f"The SecretId is a permanent key and takes no token, but the request sent "
                f"{where}: drop it, or use its temporary key."
            )
        elif token is not None and not sent:
            problem = f"The SecretId is a temporary key: send its token in {where}."
        elif token is not None and not hmac.compare_digest(sent.encode(), token.encode()):
            problem = f"The {where} sent is not the token of the SecretId."
        elif token is not None and expires_at is not None and self.now >= expires_at:
            problem = (
                f"The token of the SecretId expired at {expires_at:.0f} (server time "
                f"{self.now}); get new temporary credentials."
            )
        if problem:
            raise AuthError("AuthFailure.TokenFailure", problem)


def _refuse_ambiguous_v1(params: Mapping[str, str]) -> None:
    """Refuse a v1 request whose signed text also stands for other parameters than it runs.

    The v1 text to sign is ``name=value`` pairs joined by ``&``, unencoded, with ``_``
    in a name signed as ``.``: a signed ``Status.0`` sent as ``Status_0``, or a
    ``Nonce`` of ``4242&Offset=3`` sent instead of ``Nonce=4242`` and ``Offset=3``,
    verifies, and runs something else. Only the action's own member values may
    hold ``&`` and ``=`` (a search word may): that ambiguity is left, as documented.
    """
    action = params.get("Action", "")
    spec = load_spec()
    members = spec.input_members(action) if action in spec.actions else {}
    for name, value in params.items():
        if "_" in name and name.replace("_", ".").split(".")[0] in members:
            dotted = _clip(name.replace("_", "."))
            raise AuthError(
                "AuthFailure.SignatureFailure",
                f"The parameter `{_clip(name)}` is signed as `{dotted}`, a parameter of "
                f"{action}, but would run as `{_clip(name)}`: send it as `{dotted}`.",
            )
        if name not in members and name not in _V1_OPAQUE and ("&" in value or "=" in value):
            raise AuthError(
                "AuthFailure.SignatureFailure",
                f"The v1 parameter `{_clip(name)}` holds `&` or `=`: in the signed text (`name="
                "value` pairs joined by `&`) it could stand for other parameters than it runs "
                "with. Common parameters never hold them.",
            )


def _tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    def _hmac(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()

    signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _timestamp(text: Optional[str], name: str) -> int:
    if text is None or not text.strip():
        _missing(name)
    if not _INT.fullmatch(text.strip()):
        message = f"{name} must be Unix time in whole seconds, got {_shown(text, _NUMBER)}."
        raise AuthError("InvalidParameterValue", message)
    return int(text.strip())


def _is_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return _DATE.fullmatch(text) is not None  # strptime also takes "2024-1-5"


def _missing(name: str) -> NoReturn:
    raise AuthError("MissingParameter", f"The request is missing a required parameter `{name}`.")


def _shown(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` in backquotes if it is the kind of thing expected; else only its length.

    A value in the wrong place may be a key or a token: it is never echoed.
    """
    if pattern.fullmatch(text):
        return f"`{text}`"
    return f"a value of {len(text)} character{'' if len(text) == 1 else 's'}"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
