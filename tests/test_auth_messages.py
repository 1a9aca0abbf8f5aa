"""Auth error messages say what is wrong without repeating a secret (issue 10, section 2).

Recording against ``serve --strict-auth`` puts the fake's error answers into the
cassette, so no message may carry a SecretId (sent or registered), a SecretKey, a
token, a parameter's value (here a ``CreateUser`` password) or the signed text.
Every ``AuthFailure`` path is driven over HTTP by the official SDK, TC3 and v1.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Optional
from urllib.parse import quote, quote_plus

import pytest
import requests
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka import FakeServer

# Realistic shapes: 36-character SecretIds, 32-character SecretKeys, long tokens.
PERMANENT_ID = "AKIDpermanentQ7sd92KxLw0PpZr4Tn5Vb8m"
PERMANENT_KEY = "permKeyR7uYt5Lk3Jh1Gf9Ds2Az6Xc4V"
TEMPORARY_ID = "AKIDtemporaryW3ed45RfTg6YhUj7IkOl9Pq"
TEMPORARY_KEY = "tempKeyM1nB2vC3xZ4lK5jH6gF7dS8aQ"
EXPIRED_ID = "AKIDexpiredTokenA1sD2fG3hJ4kL5zX6cVb"
EXPIRED_KEY = "expiKeyP0oI9uY8tR7eW6qA5sD4fG3hJ"
TOKEN = "stsTokenRegistered" + "x7Y8z9" * 12
SENT_TOKEN = "stsTokenSentByTheClient" + "q1W2e3" * 12
UNKNOWN_ID, WRONG_KEY = "AKIDunknownSentIdE5rT6yU7iO8pA9sD0fg", "wrongKeyZ9xC8vB7nM6lK5jH4gF3dS2a"
PASSWORD = "Pa55/w0rd+S3cret&Value="
SECRETS = [
    PERMANENT_ID, PERMANENT_KEY, TEMPORARY_ID, TEMPORARY_KEY, EXPIRED_ID, EXPIRED_KEY, TOKEN,
    SENT_TOKEN, UNKNOWN_ID, WRONG_KEY, PASSWORD,
]  # fmt: skip
assert {len(s) for s in (PERMANENT_ID, TEMPORARY_ID, EXPIRED_ID, UNKNOWN_ID)} == {36}
assert {len(s) for s in (PERMANENT_KEY, TEMPORARY_KEY, EXPIRED_KEY, WRONG_KEY)} == {32}
FLAVOURS = {
    "tc3-post": ("TC3-HMAC-SHA256", "POST"),
    "tc3-get": ("TC3-HMAC-SHA256", "GET"),
    "hmacsha1-get": ("HmacSHA1", "GET"),
    "hmacsha256-post": ("HmacSHA256", "POST"),
}


def assert_clean(message: str) -> None:
    """No secret, whole or clipped, raw or URL-encoded, and no signed text."""
    for secret in SECRETS:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            assert form[:12] not in message, (form, message)
    assert "\n" not in message and "content-type:" not in message, message


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer(strict_auth=True) as fake:
        fake.add_credentials(PERMANENT_ID, PERMANENT_KEY)
        fake.add_credentials(TEMPORARY_ID, TEMPORARY_KEY, token=TOKEN, token_expires_at=4e9)
        fake.add_credentials(EXPIRED_ID, EXPIRED_KEY, token=TOKEN, token_expires_at=1.0)
        yield fake


def create_user(
    server: FakeServer, flavour: str, secret_id: str, secret_key: str, token: Optional[str]
) -> tuple[str, str]:
    sign_method, req_method = FLAVOURS[flavour]
    profile = ClientProfile(
        signMethod=sign_method,
        httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http", reqMethod=req_method),
    )
    client = ckafka_client.CkafkaClient(
        credential.Credential(secret_id, secret_key, token), "ap-guangzhou", profile
    )
    request = models.CreateUserRequest()
    request.InstanceId, request.Name, request.Password = "ckafka-1a2b3c4d", "alice", PASSWORD
    with pytest.raises(TencentCloudSDKException) as info:
        client.CreateUser(request)
    return info.value.code, info.value.message


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("secret_id", "secret_key", "token", "code", "message"),
    [
        (PERMANENT_ID, WRONG_KEY, None, "AuthFailure.SignatureFailure",
         "The provided credentials could not be validated."),
        (UNKNOWN_ID, WRONG_KEY, None, "AuthFailure.SecretIdNotFound",
         "The SecretId is not found; please ensure that your SecretId is correct. pytest-ckafka "
         "has 3 keys registered (with add_credentials or --credentials) and the request's "
         "SecretId is not one of them."),
        (TEMPORARY_ID, TEMPORARY_KEY, None, "AuthFailure.TokenFailure",
         "The SecretId is a temporary key: send its token in"),
        (TEMPORARY_ID, TEMPORARY_KEY, SENT_TOKEN, "AuthFailure.TokenFailure",
         "is not the token of the SecretId."),
        (EXPIRED_ID, EXPIRED_KEY, TOKEN, "AuthFailure.TokenFailure",
         "The token of the SecretId expired at 1 (server time "),
        (PERMANENT_ID, PERMANENT_KEY, SENT_TOKEN, "AuthFailure.TokenFailure",
         "The SecretId is a permanent key and takes no token, but the request sent"),
    ],
    ids=["wrong-key", "unknown-secret-id", "token-missing", "token-wrong", "token-expired",
         "token-for-permanent-key"],
)  # fmt: skip
def test_auth_failures_keep_secrets_out_of_the_message(
    server: FakeServer,
    flavour: str,
    secret_id: str,
    secret_key: str,
    token: Optional[str],
    code: str,
    message: str,
) -> None:
    answer = create_user(server, flavour, secret_id, secret_key, token)
    assert answer[0] == code
    assert message in answer[1]
    assert_clean(answer[1])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_expired_signature_keeps_secrets_out_of_the_message(
    server: FakeServer, flavour: str
) -> None:
    server._auth_now = lambda: time.time() + 600
    try:
        code, message = create_user(server, flavour, PERMANENT_ID, PERMANENT_KEY, None)
    finally:
        server._auth_now = time.time
    assert code == "AuthFailure.SignatureExpire"
    assert_clean(message)


def test_the_signature_failure_says_what_was_signed(server: FakeServer) -> None:
    _, tc3 = create_user(server, "tc3-get", PERMANENT_ID, WRONG_KEY, None)
    date = time.strftime("%Y-%m-%d", time.gmtime())
    assert tc3 == (
        "The provided credentials could not be validated. Please check your signature is "
        "correct. pytest-ckafka computed TC3-HMAC-SHA256 with the registered key for the "
        f"credential scope `{date}/ckafka/tc3_request` over the method `GET`, the path `/`, the "
        "query string as sent, the signed headers `content-type;host` (host "
        f"`{server.endpoint}`) and the SHA-256 of an empty payload (a GET): check the SecretKey, "
        "and that nothing signed changed after signing."
    )
    _, v1 = create_user(server, "hmacsha256-post", PERMANENT_ID, WRONG_KEY, None)
    assert v1 == (
        "The provided credentials could not be validated. Please check your signature is "
        f"correct. pytest-ckafka computed HmacSHA256 with the registered key over `POST` + the "
        f"host `{server.endpoint}` + the path `/` + `?` + the parameters `Action`, "
        "`InstanceId`, `Language`, `Name`, `Nonce`, `Password`, `Region`, `RequestClient`, "
        "`SecretId`, `SignatureMethod`, `Timestamp`, `Version` sorted by name as `name=value` "
        "joined by `&` (`Signature` left out, `_` in a name as `.`): check the SecretKey, and "
        "that no parameter changed after signing."
    )


SIGNED = "SignedHeaders=content-type;host"


@pytest.mark.parametrize(
    ("authorization", "headers", "expected"),
    [
        (TOKEN, {}, "must start with `TC3-HMAC-SHA256`, got `something else`."),
        (f"TC3-HMAC-SHA256 {PERMANENT_ID}={PERMANENT_KEY}, {SIGNED}, Signature=0", {},
         "has an unknown field without a valid name. Its fields are"),
        (f"TC3-HMAC-SHA256 Credential={PERMANENT_ID}/{PERMANENT_KEY}/ckafka/tc3_request, "
         f"{SIGNED}, Signature={TOKEN}", {},
         "date must be YYYY-MM-DD, got a value of 32 characters."),
        (f"TC3-HMAC-SHA256 Credential={PERMANENT_ID}/2024-01-01/ckafka/tc3_request, "
         f"SignedHeaders=content-type;host;{PERMANENT_KEY}, Signature=0", {},
         "SignedHeaders must be lower-case header names joined by `;`, got a value of 50 "
         "characters."),
        (f"TC3-HMAC-SHA256 Credential={PERMANENT_ID}/2024-01-01/ckafka/tc3_request, {SIGNED}, "
         f"Signature={TOKEN}", {}, "Signature must be 64 lower-case hex digits, got a value of "
         f"{len(TOKEN)} characters."),
        (f"TC3-HMAC-SHA256 Credential={PERMANENT_ID}/2024-01-01/ckafka/tc3_request, {SIGNED}, "
         f"Signature={'0' * 64}", {"X-TC-Timestamp": PERMANENT_KEY},
         "X-TC-Timestamp must be Unix time in whole seconds, got a value of 32 characters."),
    ],
    ids=["bare-token", "key-as-field", "key-as-date", "key-as-header", "token-as-signature",
         "key-as-timestamp"],
)  # fmt: skip
def test_a_malformed_authorization_is_described_not_echoed(
    server: FakeServer, authorization: str, headers: dict[str, str], expected: str
) -> None:
    sent: dict[str, Any] = {
        "Authorization": authorization,
        "Content-Type": "application/json",
        "X-TC-Action": "CreateUser",
        "X-TC-Version": "2019-08-19",
        "X-TC-Token": SENT_TOKEN,
        **headers,
    }
    body = {"InstanceId": "ckafka-1a2b3c4d", "Name": "alice", "Password": PASSWORD}
    answer = requests.post(server.url, json=body, headers=sent, timeout=10).json()["Response"]
    assert expected in answer["Error"]["Message"]
    assert_clean(answer["Error"]["Message"])


def test_a_v1_token_header_override_is_refused_without_naming_either_token(
    server: FakeServer,
) -> None:
    from .signers import v1_request

    url, headers, body = v1_request(
        "DescribeInstances", {}, method="POST", host=server.endpoint, secret_id=TEMPORARY_ID,
        secret_key=TEMPORARY_KEY, token=TOKEN, timestamp=int(time.time()),
    )  # fmt: skip
    headers["X-TC-Token"] = SENT_TOKEN
    answer = requests.post(url, data=body, headers=headers, timeout=10).json()["Response"]
    assert answer["Error"] == {
        "Code": "AuthFailure.SignatureFailure",
        "Message": "The X-TC-Token header differs from the signed `Token`. A v1-signed request "
        "takes its common parameters from the signed parameters only: drop the header.",
    }
