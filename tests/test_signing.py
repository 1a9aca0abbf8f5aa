"""Signature verification against the official SDK's own signing and the documented vectors.

Requests are signed by ``CkafkaClient`` (its real ``_build_req_with_tc3_signature``
and ``_build_req_with_old_signature``) at a fixed clock and captured by
``responses`` before they reach the network.
"""

from __future__ import annotations

import base64
import doctest
import hashlib
import hmac
import re
import threading
import types
from dataclasses import dataclass, replace
from typing import Any, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import responses
from tencentcloud.ckafka.v20190819.ckafka_client import CkafkaClient
from tencentcloud.common import abstract_client, credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.sign import Sign

from pytest_ckafka.api import signing
from pytest_ckafka.api.signing import CredentialStore, verify
from pytest_ckafka.exceptions import CKafkaUsageError

TS = 1_700_000_000  # 2023-11-14 22:13:20 UTC
SECRET_ID = "AKIDpytestckafka"
SECRET_KEY = "pytest-ckafka-secret-key"
TOKEN = "sts-token-0123456789"
ENDPOINT = "ckafka.tencentcloudapi.com"
PARAMS = {"Limit": 5, "Status": [1, 2], "SearchWord": "orders & more", "Tag_Key": "a b"}


@dataclass(frozen=True)
class Sent:
    """A request exactly as the SDK put it on the wire."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    def verify(self, store: CredentialStore, now: float = TS, **kwargs: Any) -> Any:
        return verify(self.method, self.url, self.headers, self.body, store, now=now, **kwargs)

    def with_header(self, name: str, value: Optional[str]) -> Sent:
        headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        if value is not None:
            headers[name] = value
        return replace(self, headers=headers)

    def with_param(self, name: str, value: Optional[str]) -> Sent:
        """Change one v1 parameter (in the query or the form body) after signing."""
        parts = urlsplit(self.url)
        in_query = self.method == "GET"
        pairs = parse_qsl(parts.query if in_query else self.body.decode(), keep_blank_values=True)
        pairs = [(k, v) for k, v in pairs if k != name]
        if value is not None:
            pairs.append((name, value))
        if in_query:
            return replace(self, url=parts._replace(query=urlencode(pairs)).geturl())
        return replace(self, body=urlencode(pairs).encode())


def sdk_request(
    monkeypatch: pytest.MonkeyPatch,
    *,
    sign_method: str = "TC3-HMAC-SHA256",
    req_method: str = "POST",
    token: Optional[str] = None,
    unsigned: bool = False,
    endpoint: str = ENDPOINT,
    secret_id: str = SECRET_ID,
    secret_key: str = SECRET_KEY,
    timestamp: int = TS,
    params: Optional[dict[str, Any]] = None,
) -> Sent:
    """Sign one DescribeInstances call with the official SDK and capture it."""
    monkeypatch.setattr(abstract_client, "time", types.SimpleNamespace(time=lambda: timestamp))
    profile = ClientProfile(
        signMethod=sign_method, httpProfile=HttpProfile(endpoint=endpoint, reqMethod=req_method)
    )
    profile.unsignedPayload = unsigned
    client = CkafkaClient(
        credential.Credential(secret_id, secret_key, token), "ap-guangzhou", profile
    )
    captured: list[Any] = []

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        captured.append(request)
        return 200, {"Content-Type": "application/json"}, '{"Response": {"RequestId": "r"}}'

    with responses.RequestsMock() as mock:
        mock.add_callback(req_method, re.compile(r".*"), callback=answer)
        client.call("DescribeInstances", PARAMS if params is None else params)
    (request,) = captured
    body = request.body or b""
    body = body.encode() if isinstance(body, str) else body
    return Sent(request.method, request.url, dict(request.headers), body)


def store_with(secret_key: str = SECRET_KEY, **kwargs: Any) -> CredentialStore:
    store = CredentialStore()
    store.add(SECRET_ID, secret_key, **kwargs)
    return store


def code(result: Optional[tuple[str, str]]) -> Optional[str]:
    return None if result is None else result[0]


SDK_FLAVOURS: dict[str, dict[str, Any]] = {
    "tc3-post": {},
    "tc3-get": {"req_method": "GET"},
    "tc3-unsigned-payload": {"unsigned": True},
    "tc3-tccli-style-host": {"endpoint": "http://127.0.0.1:9100"},
    "hmacsha1-get": {"sign_method": "HmacSHA1", "req_method": "GET"},
    "hmacsha1-post-form": {"sign_method": "HmacSHA1"},
    "hmacsha256-post-form": {"sign_method": "HmacSHA256"},
    "hmacsha1-post-tccli-style-host": {
        "sign_method": "HmacSHA1",
        "endpoint": "http://127.0.0.1:9100",
    },
    "hmacsha256-get-loopback": {
        "sign_method": "HmacSHA256",
        "req_method": "GET",
        "endpoint": "127.0.0.1:9100",
    },
}
V1_FLAVOURS = [name for name in SDK_FLAVOURS if name.startswith("hmac")]
TC3_FLAVOURS = [name for name in SDK_FLAVOURS if name.startswith("tc3")]


# -- the SDK's own signatures ----------------------------------------------------


@pytest.mark.parametrize("flavour", SDK_FLAVOURS)
def test_right_secret_verifies(monkeypatch: pytest.MonkeyPatch, flavour: str) -> None:
    sent = sdk_request(monkeypatch, **SDK_FLAVOURS[flavour])
    assert sent.verify(store_with()) is None


@pytest.mark.parametrize("flavour", SDK_FLAVOURS)
def test_wrong_secret_is_signature_failure(monkeypatch: pytest.MonkeyPatch, flavour: str) -> None:
    sent = sdk_request(monkeypatch, **SDK_FLAVOURS[flavour])
    failure = sent.verify(store_with("another-secret"))
    assert failure is not None
    assert failure[0] == "AuthFailure.SignatureFailure"
    assert failure[1].startswith("The provided credentials could not be validated.")


@pytest.mark.parametrize("flavour", SDK_FLAVOURS)
def test_unknown_secret_id(monkeypatch: pytest.MonkeyPatch, flavour: str) -> None:
    sent = sdk_request(monkeypatch, secret_id="AKIDsomebodyelse", **SDK_FLAVOURS[flavour])
    # Neither the SecretId sent nor the registered ones: the answer may land in a cassette.
    assert sent.verify(store_with()) == (
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found; please ensure that your SecretId is correct. pytest-ckafka "
        "has 1 key registered (with add_credentials or --credentials) and the request's "
        "SecretId is not one of them.",
    )


@pytest.mark.parametrize("flavour", ["tc3-post", "tc3-get", "hmacsha1-get", "hmacsha256-post-form"])
@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-301, "expire"), (-300, None), (-299, None), (299, None), (300, None), (301, "expire")],
)
def test_clock_skew_window(
    monkeypatch: pytest.MonkeyPatch, flavour: str, offset: int, expected: Optional[str]
) -> None:
    sent = sdk_request(monkeypatch, **SDK_FLAVOURS[flavour])
    result = code(sent.verify(store_with(), now=TS + offset))
    assert result == (expected and "AuthFailure.SignatureExpire")


def test_skewed_client_clock_message(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, timestamp=TS - 400)  # the client's clock is slow
    assert sent.verify(store_with(), now=TS) == (
        "AuthFailure.SignatureExpire",
        f"Signature expired: the request timestamp {TS - 400} is 400 s behind the server time "
        f"{TS}; they may differ by at most 300 s. Check the client clock.",
    )
    assert sent.verify(store_with(), now=TS, max_skew=900) is None


def test_expiry_is_checked_before_the_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, timestamp=TS + 3600)
    assert code(sent.verify(store_with("wrong"), now=TS)) == "AuthFailure.SignatureExpire"


# -- tampering after signing -----------------------------------------------------


def test_tc3_tampered_body(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch)
    tampered = replace(sent, body=sent.body.replace(b'"Limit": 5', b'"Limit": 50'))
    assert code(tampered.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_tc3_unsigned_payload_ignores_the_body_but_not_the_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = sdk_request(monkeypatch, unsigned=True)
    assert replace(sent, body=b'{"Limit": 50}').verify(store_with()) is None
    dropped = sent.with_header("X-TC-Content-SHA256", None)
    assert code(dropped.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_tc3_get_query_is_hashed_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, req_method="GET")
    parts = urlsplit(sent.url)
    reordered = "&".join(reversed(parts.query.split("&")))
    same_params = replace(sent, url=parts._replace(query=reordered).geturl())
    assert code(same_params.verify(store_with())) == "AuthFailure.SignatureFailure"
    changed = replace(sent, url=sent.url.replace("Limit=5", "Limit=6"))
    assert code(changed.verify(store_with())) == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize(("header", "suffix"), [("Content-Type", "; charset=x"), ("Host", "x")])
def test_tc3_signed_header_changed(
    monkeypatch: pytest.MonkeyPatch, header: str, suffix: str
) -> None:
    sent = sdk_request(monkeypatch)
    changed = sent.with_header(header, sent.headers[header] + suffix)
    assert code(changed.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_tc3_unsigned_headers_may_change(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch).with_header("X-TC-Region", "ap-beijing")
    assert sent.verify(store_with()) is None


def test_tc3_host_falls_back_to_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process transports may not carry a Host header: the URL's authority stands in.
    sent = sdk_request(monkeypatch).with_header("Host", None)
    assert sent.verify(store_with()) is None
    moved = replace(sent, url=sent.url.replace(ENDPOINT, "ckafka.ap-guangzhou.tencentcloudapi.com"))
    assert code(moved.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_tc3_failure_names_what_was_signed_but_not_the_canonical_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = sdk_request(monkeypatch)
    failure = sent.verify(store_with("wrong"))
    assert failure == (
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is "
        "correct. pytest-ckafka computed TC3-HMAC-SHA256 with the registered key for the "
        "credential scope `2023-11-14/ckafka/tc3_request` over the method `POST`, the path `/`, "
        "the query string as sent, the signed headers `content-type;host` (host "
        "`ckafka.tencentcloudapi.com`) and the SHA-256 of the body: check the SecretKey, and "
        "that nothing signed changed after signing.",
    )


@pytest.mark.parametrize("flavour", V1_FLAVOURS)
@pytest.mark.parametrize(("name", "value"), [("Limit", "50"), ("Region", "ap-beijing")])
def test_v1_tampered_param(
    monkeypatch: pytest.MonkeyPatch, flavour: str, name: str, value: str
) -> None:
    sent = sdk_request(monkeypatch, **SDK_FLAVOURS[flavour]).with_param(name, value)
    assert code(sent.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_v1_signature_method_is_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, sign_method="HmacSHA256", req_method="GET")
    downgraded = sent.with_param("SignatureMethod", "HmacSHA1")
    assert code(downgraded.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_v1_failure_names_the_signed_parameters_but_not_the_string_to_sign(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = sdk_request(monkeypatch, sign_method="HmacSHA1", req_method="GET", params={"Limit": 1})
    failure = sent.verify(store_with("wrong"))
    assert failure == (
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is "
        "correct. pytest-ckafka computed HmacSHA1 with the registered key over `GET` + the host "
        "`ckafka.tencentcloudapi.com` + the path `/` + `?` + the parameters `Action`, "
        "`Language`, `Limit`, `Nonce`, `Region`, `RequestClient`, `SecretId`, "
        "`SignatureMethod`, `Timestamp`, `Version` sorted by name as `name=value` joined by `&` "
        "(`Signature` left out, `_` in a name as `.`): check the SecretKey, and that no "
        "parameter changed after signing.",
    )


# -- tokens ---------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["tc3-post", "hmacsha1-get", "hmacsha256-post-form"])
def test_token_right(monkeypatch: pytest.MonkeyPatch, flavour: str) -> None:
    sent = sdk_request(monkeypatch, token=TOKEN, **SDK_FLAVOURS[flavour])
    assert sent.verify(store_with(token=TOKEN, token_expires_at=TS + 1)) is None


@pytest.mark.parametrize("flavour", ["tc3-post", "hmacsha1-get", "hmacsha256-post-form"])
@pytest.mark.parametrize(
    ("sent_token", "store_kwargs", "message"),
    [
        (None, {"token": TOKEN}, "The SecretId is a temporary key: send its token in {where}."),
        ("sts-forged", {"token": TOKEN}, "The {where} sent is not the token of the SecretId."),
        (TOKEN, {"token": TOKEN, "token_expires_at": TS}, "The token of the SecretId expired "
         f"at {TS} (server time {TS}); get new temporary credentials."),
        (TOKEN, {}, "The SecretId is a permanent key and takes no token, but the request sent "
         "{where}: drop it, or use its temporary key."),
    ],
    ids=["missing", "wrong", "expired", "token-for-permanent-key"],
)  # fmt: skip
def test_token_failure(
    monkeypatch: pytest.MonkeyPatch,
    flavour: str,
    sent_token: Optional[str],
    store_kwargs: dict[str, Any],
    message: str,
) -> None:
    sent = sdk_request(monkeypatch, token=sent_token, **SDK_FLAVOURS[flavour])
    where = "X-TC-Token" if flavour.startswith("tc3") else "Token"
    assert sent.verify(store_with(**store_kwargs)) == (
        "AuthFailure.TokenFailure",
        message.format(where=where),
    )


def test_token_is_checked_after_the_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, token="sts-forged")
    store = store_with("wrong", token=TOKEN)
    assert code(sent.verify(store)) == "AuthFailure.SignatureFailure"


# -- malformed requests -----------------------------------------------------------

GOOD_AUTH = (
    f"TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/ckafka/tc3_request, "
    "SignedHeaders=content-type;host, Signature=" + "0" * 64
)


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("SKIP", "must start with `TC3-HMAC-SHA256`, got `SKIP`."),
        ("", "must start with `TC3-HMAC-SHA256`, got ``."),
        (GOOD_AUTH.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1"), "got `TC3-HMAC-SHA1`."),
        (GOOD_AUTH.replace("Credential=", "Cred="), "has an unknown field `Cred`. Its fields"),
        (GOOD_AUTH.replace("Credential=", "credential="), "did you mean `Credential`?"),
        (GOOD_AUTH + ", Signature=" + "0" * 64, "has `Signature=` twice"),
        (GOOD_AUTH.replace(" Credential=", " X=1, Credential="), "unknown field `X`"),
        (GOOD_AUTH.replace(", SignedHeaders", " SignedHeaders"), "value contains whitespace"),
        (GOOD_AUTH.replace("SignedHeaders=", "SignedHeaders"), "Item 2 of the Authorization"),
        (GOOD_AUTH.replace("SignedHeaders=content-type;host, ", ""), "has no `SignedHeaders=`"),
        (GOOD_AUTH.split(", Signature")[0], "has no `Signature=`"),
        (GOOD_AUTH.replace("Signature=" + "0" * 64, "Signature="), "`Signature=` value is empty"),
        (GOOD_AUTH.replace("/ckafka/", "/cvm/"), "names service `cvm`, not `ckafka`."),
        (GOOD_AUTH.replace("2023-11-14", "20231114"), "date must be YYYY-MM-DD, got `20231114`."),
        (GOOD_AUTH.replace("2023-11-14", "2023-02-30"), "YYYY-MM-DD, got `2023-02-30`"),
        (GOOD_AUTH.replace("2023-11-14", "2023-1-14"), "date must be YYYY-MM-DD, got `2023-1-14`"),
        (GOOD_AUTH.replace("2023-11-14", "AKIDoops"), "YYYY-MM-DD, got a value of 8 characters."),
        (GOOD_AUTH.replace("tc3_request", "aws4_request"), "Credential must be `SecretId/"),
        (GOOD_AUTH.replace("/ckafka/", "/"), "Credential must be `SecretId/"),
        (GOOD_AUTH.replace(f"={SECRET_ID}/", "=/"), "Credential must be `SecretId/"),
        (GOOD_AUTH.replace("content-type;host", "host"), "must include `content-type`, got `host`"),
        (GOOD_AUTH.replace("content-type;host", "content-type"), "must include `host`"),
        (GOOD_AUTH.replace("content-type;host", "Content-Type;Host"), "lower-case header names"),
        (GOOD_AUTH.replace("content-type;host", "content-type;;host"), "lower-case header names"),
        (GOOD_AUTH.replace("0" * 64, "0" * 63), "64 lower-case hex digits, got a value of 63 "),
        (GOOD_AUTH.replace("0" * 64, "A" * 64), "64 lower-case hex digits"),
        (GOOD_AUTH.replace("host,", "host;x-tc-missing,"), "names `x-tc-missing`, but the "),
        (GOOD_AUTH.replace("2023-11-14", "2023-11-15"), "is not the UTC date of X-TC-Timestamp"),
    ],
)
def test_malformed_authorization(
    monkeypatch: pytest.MonkeyPatch, authorization: str, message: str
) -> None:
    sent = sdk_request(monkeypatch).with_header("Authorization", authorization)
    failure = sent.verify(store_with())
    assert failure is not None
    assert failure[0] == "AuthFailure.InvalidAuthorization"
    assert message in failure[1]


def test_scope_date_is_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2019-02-26 00:44:25 in UTC+8 is still 2019-02-25 in UTC: the documented pitfall.
    sent = sdk_request(monkeypatch, timestamp=1551113065)
    local = sent.with_header(
        "Authorization", sent.headers["Authorization"].replace("2019-02-25", "2019-02-26")
    )
    assert local.verify(store_with(), now=1551113065) == (
        "AuthFailure.InvalidAuthorization",
        "The credential scope date `2019-02-26` is not the UTC date of X-TC-Timestamp "
        "1551113065 (2019-02-25); compute it in UTC, not local time.",
    )


MISSING_TIMESTAMP = "The request is missing a required parameter `X-TC-Timestamp`."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("MissingParameter", MISSING_TIMESTAMP)),
        ("", ("MissingParameter", MISSING_TIMESTAMP)),
        ("1700000000.5", ("InvalidParameterValue",
         "X-TC-Timestamp must be Unix time in whole seconds, got `1700000000.5`.")),
        ("-5", ("InvalidParameterValue",
         "X-TC-Timestamp must be Unix time in whole seconds, got `-5`.")),
        ("99999999999", ("InvalidParameterValue",
         "X-TC-Timestamp must be Unix time in whole seconds, got `99999999999`.")),
        ("9" * 40, ("InvalidParameterValue",
         f"X-TC-Timestamp must be Unix time in whole seconds, got `{'9' * 40}`.")),
    ],
)  # fmt: skip
def test_tc3_timestamp(
    monkeypatch: pytest.MonkeyPatch, value: Optional[str], expected: tuple[str, str]
) -> None:
    sent = sdk_request(monkeypatch).with_header("X-TC-Timestamp", value)
    assert sent.verify(store_with()) == expected


@pytest.mark.parametrize("flavour", V1_FLAVOURS)
@pytest.mark.parametrize("name", ["SecretId", "Signature", "Timestamp", "Nonce"])
def test_v1_missing_parameter(monkeypatch: pytest.MonkeyPatch, flavour: str, name: str) -> None:
    sent = sdk_request(monkeypatch, **SDK_FLAVOURS[flavour]).with_param(name, None)
    assert sent.verify(store_with()) == (
        "MissingParameter",
        f"The request is missing a required parameter `{name}`.",
    )


def test_v1_non_ascii_signature_is_a_failure_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, sign_method="HmacSHA1", req_method="GET")
    garbled = sent.with_param("Signature", "签名")
    assert code(garbled.verify(store_with())) == "AuthFailure.SignatureFailure"


def test_bytes_header_values(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch)
    as_bytes: dict[str, Any] = {k: v.encode("latin-1") for k, v in sent.headers.items()}
    assert verify(sent.method, sent.url, as_bytes, sent.body, store_with(), now=TS) is None


def test_str_body(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch)
    body = sent.body.decode()
    assert verify(sent.method, sent.url, sent.headers, body, store_with(), now=TS) is None


def test_v1_unknown_signature_method(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, sign_method="HmacSHA1", req_method="GET")
    assert sent.with_param("SignatureMethod", "HmacMD5").verify(store_with()) == (
        "InvalidParameterValue",
        "SignatureMethod `HmacMD5` is not supported; use `HmacSHA1` or `HmacSHA256` "
        "(or TC3-HMAC-SHA256 in the Authorization header).",
    )


def test_v1_signature_method_defaults_to_hmacsha1(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sdk_request(monkeypatch, sign_method="HmacSHA1", req_method="GET", params={"Limit": 1})
    params = dict(parse_qsl(urlsplit(sent.url).query))
    params.pop("SignatureMethod")
    params.pop("Signature")
    text = "GET" + ENDPOINT + "/?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
    params["Signature"] = Sign.sign(SECRET_KEY, text, "HmacSHA1")
    url = f"https://{ENDPOINT}/?{urlencode(params)}"
    assert replace(sent, url=url).verify(store_with()) is None


@pytest.mark.parametrize(
    ("method", "url", "headers", "body"),
    [
        ("GET", "http://127.0.0.1:9100/?Action=DescribeInstances&Version=2019-08-19", {}, b""),
        ("POST", "http://127.0.0.1:9100/", {"X-TC-Action": "DescribeInstances"}, b"{}"),
        (
            "POST",
            "http://127.0.0.1:9100/",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-TC-Action": "DescribeInstances",
            },
            b"Limit=1",
        ),
    ],
)
def test_unsigned_request(method: str, url: str, headers: dict[str, str], body: bytes) -> None:
    failure = verify(method, url, headers, body, store_with(), now=TS)
    assert failure is not None
    assert failure[0] == "AuthFailure.InvalidAuthorization"
    assert failure[1].startswith("The request is not signed: send an `Authorization: ")


# -- signed headers beyond content-type;host, and the documented vectors -------------


def _tc3_by_hand(
    headers: dict[str, str], signed: list[str], body: bytes, secret_key: str, *, lower: bool
) -> str:
    """A TC3 Authorization computed as the documentation's demo code does, not by our code."""
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    canonical_headers = "".join(
        f"{name}:{lowered[name].lower() if lower else lowered[name]}\n" for name in signed
    )
    canonical = "\n".join(
        ["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
    )
    date = "2023-11-14"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    signature = Sign.sign_tc3(
        secret_key, date, "ckafka", f"TC3-HMAC-SHA256\n{TS}\n{date}/ckafka/tc3_request\n{digest}"
    )
    return (
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/ckafka/tc3_request, "
        f"SignedHeaders={';'.join(signed)}, Signature={signature}"
    )


@pytest.mark.parametrize("lower", [False, True], ids=["values-as-sent", "values-lower-cased"])
def test_extra_signed_header_is_honoured(lower: bool) -> None:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Host": ENDPOINT,
        "X-TC-Action": "DescribeInstances",
        "X-TC-Timestamp": str(TS),
    }
    body = b'{"Limit": 1}'
    signed = ["content-type", "host", "x-tc-action"]
    headers["Authorization"] = _tc3_by_hand(headers, signed, body, SECRET_KEY, lower=lower)
    url = f"https://{ENDPOINT}/"
    assert verify("POST", url, headers, body, store_with(), now=TS) is None
    headers["X-TC-Action"] = "DeleteInstance"
    failure = verify("POST", url, headers, body, store_with(), now=TS)
    assert code(failure) == "AuthFailure.SignatureFailure"


# Published worked example of the "Signature v3" (签名方法 v3) documentation: CVM
# DescribeInstances in ap-guangzhou at X-TC-Timestamp 1551113065, payload below.
# The documentation publishes HashedRequestPayload 35e9c5b0..., HashedCanonicalRequest
# 5ffe6a04... and, for content-type;host, two final signatures depending on its revision:
# - cloud.tencent.com/document/api/213/30654 (current Chinese page), demo keys
#   AKIDz8krbsJ5yKBZQpn74WFkmLPx3******* / Gu5t9xGARNpq86cd98joQYCN3*******:
#   Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c
# - tencentcloud.com "Signature v3" pages (e.g. tencentcloud.com/document/product/267/37447,
#   tencentcloud.com/zh/document/product/1021/34193), demo keys
#   AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE / Gu5t9xGARNpq86cd98joQYCN3EXAMPLE:
#   Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168
DOC_TIMESTAMP = 1551113065
DOC_PAYLOAD = (
    b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)
DOC_CANONICAL_REQUEST = (
    "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
    "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
)
DOC_VECTORS = [
    (
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
        "Gu5t9xGARNpq86cd98joQYCN3*******",
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
    ),
    (
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    ),
]


def _doc_headers(secret_id: str, signature: str) -> dict[str, str]:
    return {
        "Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/2019-02-25/cvm/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}",
        "Content-Type": "application/json; charset=utf-8",
        "Host": "cvm.tencentcloudapi.com",
        "X-TC-Action": "DescribeInstances",
        "X-TC-Timestamp": str(DOC_TIMESTAMP),
        "X-TC-Version": "2017-03-12",
        "X-TC-Region": "ap-guangzhou",
    }


def test_documented_intermediate_values() -> None:
    assert hashlib.sha256(DOC_PAYLOAD).hexdigest() == (
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    )
    assert hashlib.sha256(DOC_CANONICAL_REQUEST.encode()).hexdigest() == (
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    # The canonical request pytest-ckafka builds for the doc's request is the doc's.
    store = CredentialStore()
    store.add("AKIDdoc", "any")
    check = signing._Check(
        "POST", "/", "", "cvm.tencentcloudapi.com",
        {k.lower(): v for k, v in _doc_headers("AKIDdoc", "0" * 64).items()},
        DOC_PAYLOAD, store, DOC_TIMESTAMP, "cvm", signing.MAX_SKEW,
    )  # fmt: skip
    values = {"content-type": "application/json; charset=utf-8", "host": check.host}
    hashed = hashlib.sha256(DOC_PAYLOAD).hexdigest()
    signed = ["content-type", "host"]
    assert check.canonical_request(values, signed, hashed) == DOC_CANONICAL_REQUEST


@pytest.mark.parametrize(("secret_id", "secret_key", "signature"), DOC_VECTORS)
def test_documented_signature_verifies(secret_id: str, secret_key: str, signature: str) -> None:
    store = CredentialStore()
    store.add(secret_id, secret_key)
    args = ("POST", "https://cvm.tencentcloudapi.com/", _doc_headers(secret_id, signature))
    assert verify(*args, DOC_PAYLOAD, store, now=DOC_TIMESTAMP, service="cvm") is None
    # The scope names cvm: a ckafka endpoint refuses it.
    failure = verify(*args, DOC_PAYLOAD, store, now=DOC_TIMESTAMP)
    assert code(failure) == "AuthFailure.InvalidAuthorization"
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    args = ("POST", "https://cvm.tencentcloudapi.com/", _doc_headers(secret_id, flipped))
    failure = verify(*args, DOC_PAYLOAD, store, now=DOC_TIMESTAMP, service="cvm")
    assert code(failure) == "AuthFailure.SignatureFailure"


def test_documented_signature_matches_the_sdk() -> None:
    # The SDK's own primitive, fed the documented string to sign, gives the documented value.
    _, secret_key, signature = DOC_VECTORS[0]
    digest = hashlib.sha256(DOC_CANONICAL_REQUEST.encode()).hexdigest()
    string_to_sign = f"TC3-HMAC-SHA256\n{DOC_TIMESTAMP}\n2019-02-25/cvm/tc3_request\n{digest}"
    assert Sign.sign_tc3(secret_key, "2019-02-25", "cvm", string_to_sign) == signature


# -- the credential store ------------------------------------------------------------


def test_store_basics() -> None:
    store = CredentialStore()
    store.add("AKIDa", "ka")
    store.add("AKIDb", "kb", token="t", token_expires_at=5)
    store.add("AKIDa", "ka2")  # replaces
    assert len(store) == 2
    assert sorted(c.secret_id for c in store) == ["AKIDa", "AKIDb"]
    a = store.get("AKIDa")
    assert a is not None and a.secret_key == "ka2" and a.token is None
    b = store.get("AKIDb")
    assert b is not None and (b.token, b.token_expires_at) == ("t", 5.0)
    assert "kb" not in repr(b) and "'t'" not in repr(b)
    store.clear()
    assert len(store) == 0 and store.get("AKIDa") is None


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("", "k"), {}, "secret_id must be a non-empty string"),
        (("AKID/x", "k"), {}, "without spaces, '/', ',', ';' or '='"),
        (("AKID x", "k"), {}, "got 'AKID x'"),
        ((None, "k"), {}, "got None"),
        (("AKIDa", ""), {}, "secret_key must be a non-empty string, got ''"),
        (("AKIDa", "k"), {"token": ""}, "token must be a non-empty string or None, got ''"),
        (("AKIDa", "k"), {"token_expires_at": 5}, "token_expires_at needs a token"),
        (("AKIDa", "k"), {"token": "t", "token_expires_at": "soon"}, "got 'soon'"),
        (("AKIDa", "k"), {"token": "t", "token_expires_at": True}, "got True"),
    ],
)
def test_store_rejects_bad_credentials(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(CKafkaUsageError, match=re.escape(message)):
        CredentialStore().add(*args, **kwargs)


def test_store_is_thread_safe() -> None:
    store = CredentialStore()
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(200):
            store.add(f"AKID{n}-{i}", "k")
            assert store.get(f"AKID{n}-{i}") is not None
            list(store)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store) == 1600


def test_module_doctests() -> None:
    assert doctest.testmod(signing).failed == 0


def test_verify_is_pure() -> None:
    source = open(signing.__file__, encoding="utf-8").read()
    imports = set(re.findall(r"^(?:from|import) ([\w.]+)", source, re.M))
    assert imports <= {
        "__future__", "base64", "hashlib", "hmac", "math", "re", "threading", "collections.abc",
        "dataclasses", "datetime", "typing", "urllib.parse", ".authorization", "..exceptions",
        ".hosts", ".protocol", ".spec",
    }  # fmt: skip


def test_sdk_hmac_helper_agrees() -> None:
    # Guard the premise of the by-hand vectors above: the SDK's v1 primitive is plain HMAC.
    expected = hmac.new(b"k", b"text", hashlib.sha1).digest()
    assert Sign.sign("k", "text", "HmacSHA1") == base64.b64encode(expected).decode()
