"""Tests for ``pytest_ckafka.api.scrub.values``: secrets scrubbed by value, in every encoding.

The end-to-end test records, through the official SDK and the pytest plugin,
successful and failing calls against a strict-auth ``FakeServer`` with random
credentials and passwords, then greps every written file for every secret in
every encoding: there must be none. The unit tests pin down each encoding, the
minimum length, clipped values, JSON validity and idempotency.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import pytest
import yaml

from pytest_ckafka.api.protocol import parse_request
from pytest_ckafka.api.scrub import values as scrub_values
from pytest_ckafka.api.scrub.scrubbers import PLACEHOLDER, HeaderScrubber, Scrubbers
from pytest_ckafka.api.scrub.values import MIN_SECRET_LENGTH, SecretValues, server_secrets
from pytest_ckafka.cassettes.files import Interaction
from pytest_ckafka.cassettes.replay import Replayer
from pytest_ckafka.exceptions import CKafkaUsageError
from pytest_ckafka.server.http import FakeServer

# -- what "every encoding" means for the checks ------------------------------------------


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


def encodings(secret: str) -> set[str]:
    """Every form of ``secret`` the issue lists, computed here independently of the package."""
    raw = secret.encode("utf-8")
    forms = {secret}
    for safe in ("", "/"):
        for encoded in (quote(secret, safe=safe), quote_plus(secret, safe=safe)):
            forms |= {encoded, _lower_hex(encoded)}
    for encoder in (base64.b64encode, base64.urlsafe_b64encode):
        text = encoder(raw).decode("ascii")
        forms |= {text, text.rstrip("=")}
    for ensure_ascii in (True, False):
        forms.add(json.dumps(secret, ensure_ascii=ensure_ascii)[1:-1])
    forms.add(repr(secret)[1:-1])
    forms.add(repr(secret + "'\"")[1:-4])  # repr inside a string that holds both quotes
    return forms


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """``name: form`` for each encoded secret found in ``text``."""
    return sorted(
        f"{name}: {form!r}"
        for name, secret in secrets.items()
        for form in encodings(secret)
        if form in text
    )


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif node is not None:
        yield str(node)


def _random(alphabet: str, length: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


# -- recording through the plugin against a strict-auth server ---------------------------

RECORDED_TEST = textwrap.dedent(
    """
    import json
    import logging

    import pytest
    from tencentcloud.ckafka.v20190819 import ckafka_client, models
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    with open("secrets.json") as handle:
        S = json.load(handle)
    LOGGED = []


    def client(secret_id, secret_key, token=None, sign="TC3-HMAC-SHA256", method="POST"):
        http = HttpProfile(endpoint=S["endpoint"], protocol="http", reqMethod=method)
        profile = ClientProfile(signMethod=sign, httpProfile=http)
        cred = credential.Credential(secret_id, secret_key, token)
        made = ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile)
        if not LOGGED:  # the SDK logs every request it sends: the test reads the signatures
            made.set_file_logger("sdk.log", level=logging.DEBUG)
            LOGGED.append(True)
        return made


    def code(call):
        try:
            call()
        except TencentCloudSDKException as error:
            return error.code
        return "ok"


    def create_user(api, name, password, instance="ckafka-scrub001"):
        request = models.CreateUserRequest()
        request.InstanceId, request.Name, request.Password = instance, name, password
        return lambda: api.CreateUser(request)


    def describe(api):
        return lambda: api.DescribeInstances(models.DescribeInstancesRequest())


    @pytest.mark.ckafka(validate=False)  # let malformed params reach the server's checks
    @pytest.mark.ckafka_cassette
    def test_record(ckafka):
        pw = S["password"]
        tc3 = client(S["id"], S["key"])
        temp_v1 = client(S["temp_id"], S["temp_key"], S["temp_token"], sign="HmacSHA256")
        codes = [
            code(describe(tc3)),
            code(create_user(tc3, "alice", pw)),
            code(create_user(client(S["id"], S["wrong_key"], method="GET"), "bob", pw)),
            code(describe(temp_v1)),
            code(create_user(temp_v1, "carol", pw, "ckafka-scrub002")),
            code(create_user(client(S["temp_id"], S["temp_key"], S["temp_token"],
                                    sign="HmacSHA1", method="GET"), "dave", pw, "ckafka-scrub002")),
            code(create_user(client(S["temp_id"], S["wrong_key"], S["temp_token"],
                                    sign="HmacSHA256"), "erin", pw)),
            code(describe(client(S["unknown_id"], S["key"]))),
            code(describe(client(S["expired_id"], S["expired_key"], S["expired_token"]))),
            code(describe(client(S["temp_id"], S["temp_key"], S["wrong_token"]))),
            code(create_user(tc3, pw, pw)),  # the name check echoes the name
            code(create_user(tc3, "frank", [pw])),  # the type check echoes the value
        ]
        with open("codes.json", "w") as handle:
            json.dump(codes, handle)
        with open("calls.txt", "w") as handle:
            handle.write(ckafka.calls.describe())
    """
)

EXPECTED_CODES = [
    "ok",
    "ok",
    "AuthFailure.SignatureFailure",
    "ok",
    "ok",
    "ok",
    "AuthFailure.SignatureFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.TokenFailure",
    "AuthFailure.TokenFailure",
    "InvalidParameterValue",
    "InvalidParameter",
]

SOCKET_GUARD = textwrap.dedent(
    """
    import socket

    import pytest


    @pytest.fixture(autouse=True)
    def no_network(monkeypatch):
        def refuse(self, address):
            raise AssertionError(f"network access in replay: {address!r}")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    """
)


def _secrets(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    alnum = string.ascii_letters + string.digits
    # STS tokens are base64-like; passwords get every character that some encoding escapes.
    token = string.ascii_letters + string.digits + "+/="
    special = "'\"\\ &=+/%?#@!~*()[]{};:,.<>é密"
    return {
        "id": "AKID" + _random(alnum, 32, rng),
        "key": _random(alnum, 32, rng),
        "temp_id": "AKID" + _random(alnum, 32, rng),
        "temp_key": _random(alnum, 32, rng),
        "temp_token": _random(token, 120, rng),
        "expired_id": "AKID" + _random(alnum, 32, rng),
        "expired_key": _random(alnum, 32, rng),
        "expired_token": _random(token, 120, rng),
        "unknown_id": "AKID" + _random(alnum, 32, rng),
        "wrong_key": _random(alnum, 32, rng),
        "wrong_token": _random(token, 120, rng),
        "password": "Pw1" + _random(alnum, 6, rng) + special + _random(alnum, 6, rng),
    }


@pytest.fixture
def strict_server() -> Iterator[FakeServer]:
    with FakeServer(strict_auth=True) as server:
        yield server


def _sdk_signatures(log: str) -> list[str]:
    """The signatures the SDK sent: TC3 in the Authorization header, v1 in the form or query."""
    found = re.findall(r"Signature=([0-9a-f]{64})", log)
    found += [unquote(s) for s in re.findall(r"[?&\s]Signature=([^&\s]+)", log)]
    return sorted(set(found))


def test_no_secret_in_any_recorded_file(
    pytester: pytest.Pytester, strict_server: FakeServer
) -> None:
    seed = random.SystemRandom().randrange(2**32)
    secrets = _secrets(seed)
    server = strict_server
    server.add_credentials(secrets["id"], secrets["key"], account="permanent")
    server.add_credentials(
        secrets["temp_id"],
        secrets["temp_key"],
        token=secrets["temp_token"],
        token_expires_at=time.time() + 3600,
        account="temporary",
    )
    server.add_credentials(
        secrets["expired_id"],
        secrets["expired_key"],
        token=secrets["expired_token"],
        token_expires_at=time.time() - 60,
    )
    server.state.add_instance("ckafka-scrub001", account="permanent")
    server.state.add_instance("ckafka-scrub002", account="temporary")
    settings = {**secrets, "endpoint": server.endpoint}
    (pytester.path / "secrets.json").write_text(json.dumps(settings))
    pytester.makeini(f"[pytest]\nckafka_endpoints =\n    {server.endpoint}\n")
    pytester.makepyfile(test_rec=RECORDED_TEST)

    pytester.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    codes = json.loads((pytester.path / "codes.json").read_text())
    assert codes == EXPECTED_CODES

    signatures = _sdk_signatures((pytester.path / "sdk.log").read_text("utf-8"))
    assert len(signatures) >= 9  # one per signed call; each is a secret-key-derived value
    checked = {**secrets, **{f"signature{n}": s for n, s in enumerate(signatures)}}
    files = [p for p in (pytester.path / "cassettes").rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["test_record.yaml"]
    for path in files:
        text = path.read_text("utf-8")
        assert leaks(text, checked) == [], f"{path} (seed {seed})"
        # YAML may fold long lines: the parsed strings are checked too.
        data = yaml.safe_load(text)
        assert leaks("\n".join(_strings(data)), checked) == [], f"{path} (seed {seed})"
        # A clipped secret (`AKIDxxxxxxxx...`) is still a leak.
        for name, secret in secrets.items():
            assert secret[:12] + "..." not in text, f"{name} (seed {seed})"
        for interaction in data["interactions"]:  # scrubbed bodies, lengths updated
            response = interaction["response"]
            length = len(response["body"]["string"].encode("utf-8"))
            assert response["headers"]["Content-Length"] == [str(length)]
    calls = (pytester.path / "calls.txt").read_text("utf-8")
    assert leaks(calls, {"pw": secrets["password"]}) == [], f"seed {seed}"

    # The scrubbed cassette still replays every call, offline.
    server.stop()
    (pytester.path / "codes.json").unlink()
    pytester.makeconftest(SOCKET_GUARD)
    pytester.runpytest().assert_outcomes(passed=1)
    assert json.loads((pytester.path / "codes.json").read_text()) == EXPECTED_CODES


# -- every encoding, one value at a time ------------------------------------------------

PASSWORD = "Pw1'\"\\ &=+/%?#é密-tail"


@pytest.mark.parametrize("form", sorted(encodings(PASSWORD)))
def test_each_encoding_is_replaced_whole(form: str) -> None:
    assert SecretValues([PASSWORD]).scrub_text(f"<{form}>") == f"<{PLACEHOLDER}>"


def test_twice_escaped_and_percent_encoded_base64_forms() -> None:
    secrets = SecretValues([PASSWORD])
    twice = json.dumps(repr(PASSWORD))  # a JSON text quoting a Python message
    std = base64.b64encode(PASSWORD.encode()).decode()
    for text in (twice, quote(std, safe=""), _lower_hex(quote(std, safe="")), ascii(PASSWORD)):
        assert PLACEHOLDER in secrets.scrub_text(text), text


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_base64_inside_a_longer_blob_at_any_alignment(offset: int) -> None:
    secret = "tok-9f8e7d6c5b4a"
    blob = base64.b64encode(b"x" * offset + secret.encode() + b"trailing").decode()
    scrubbed = SecretValues([secret]).scrub_text(blob)
    assert PLACEHOLDER in scrubbed
    core = base64.b64encode(b"\0" * offset + secret.encode()).decode()[offset + 1 : -3]
    assert core not in scrubbed


def test_values_shorter_than_the_minimum_are_not_scrubbed_by_value() -> None:
    short, long = "a" * (MIN_SECRET_LENGTH - 1), "b" * MIN_SECRET_LENGTH
    secrets = SecretValues([short, long, PLACEHOLDER + "-suffix", 12345678])
    assert secrets.values == frozenset({long})
    assert secrets.scrub_text(f"{short} {long}") == f"{short} {PLACEHOLDER}"
    assert repr(secrets) == "SecretValues(<1 values>)"  # never the values themselves


def test_a_clipped_value_before_an_ellipsis_is_scrubbed() -> None:
    secret = "AKIDabcdefghijklmnop"
    secrets = SecretValues([secret])
    assert secrets.scrub_text(f"`{secret[:12]}...` bad") == f"`{PLACEHOLDER}...` bad"
    assert secrets.scrub_text(f"({secret[:9]}\u2026)") == f"({PLACEHOLDER}\u2026)"
    # Under the minimum, or not clipped (no ellipsis): left alone.
    assert secrets.scrub_text(f"{secret[:7]}...") == f"{secret[:7]}..."
    assert secrets.scrub_text(f"{secret[:12]} is") == f"{secret[:12]} is"


def test_scrubbing_is_idempotent_and_keeps_json_valid() -> None:
    secrets = SecretValues([PASSWORD])
    tree = {"Message": f"got {json.dumps(PASSWORD)} and {PASSWORD!r}", "N": [1, PASSWORD]}
    once = secrets.scrub_tree(tree)
    assert once == {"Message": f'got "{PLACEHOLDER}" and {PLACEHOLDER!r}', "N": [1, PLACEHOLDER]}
    assert secrets.scrub_tree(once) is once
    untouched = {"Message": "nothing", "Password": 1}
    assert secrets.scrub_tree(untouched) is untouched
    assert secrets.scrub_bytes(b"\xff" + PASSWORD.encode()) == b"\xff" + PLACEHOLDER.encode()


# -- Scrubbers: requests, responses, params ---------------------------------------------

URL = "https://ckafka.tencentcloudapi.com/"
TC3_AUTH = (
    "TC3-HMAC-SHA256 Credential=AKIDabcdefgh1234/2024-01-01/ckafka/tc3_request, "
    "SignedHeaders=content-type;host, Signature=" + "ab12" * 16
)


def test_a_request_is_scrubbed_of_its_own_secrets_everywhere() -> None:
    body = json.dumps(
        {"InstanceId": "ckafka-1", "Name": f"x{PASSWORD}", "Password": PASSWORD}
    ).encode()
    headers = {
        "Authorization": TC3_AUTH,
        "X-TC-Action": "CreateUser",
        "X-TC-Token": "sts-token-0123456789",
        "X-Echo": "id AKIDabcdefgh1234 token sts-token-0123456789 sig " + "ab12" * 16,
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
    }
    scrubbers = Scrubbers()
    assert scrubbers.request_values("POST", URL, headers, body) == {
        "AKIDabcdefgh1234",
        "ab12" * 16,
        "sts-token-0123456789",
        PASSWORD,
    }
    url, new_headers, new_body = scrubbers.scrub_request(
        "POST", URL + "?echo=" + quote(PASSWORD), headers, body
    )
    assert url == URL + "?echo=" + PLACEHOLDER
    assert (
        new_headers["X-Echo"]
        == " ".join(["id", PLACEHOLDER, "token", PLACEHOLDER, "sig"])[:-3] + "sig " + PLACEHOLDER
    )
    assert json.loads(new_body) == {
        "InstanceId": "ckafka-1",
        "Name": f"x{PLACEHOLDER}",
        "Password": PLACEHOLDER,
    }
    assert new_headers["Content-Length"] == str(len(new_body))
    assert scrubbers.scrub_request("POST", url, new_headers, new_body) == (
        url,
        new_headers,
        new_body,
    )


@pytest.mark.parametrize("style", ["tc3-get", "v1-form"])
def test_a_flat_request_keeps_its_pairs_and_keys_the_same_as_the_live_call(style: str) -> None:
    params = {"InstanceId": "ckafka-1", "Name": f"u-{PASSWORD}", "Password": PASSWORD}
    flat = "&".join(f"{k}={quote_plus(v)}" for k, v in params.items())
    if style == "tc3-get":
        method, url, body = "GET", f"{URL}?{flat}", b""
        headers = {"X-TC-Action": "CreateUser", "X-TC-Version": "2019-08-19"}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        common = "Action=CreateUser&Version=2019-08-19&SecretId=AKIDabcdefgh1234&Signature=s%2Bg%3D"
        method, url, body = "POST", URL, f"{common}&{flat}".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    scrubbers = Scrubbers()
    new_url, new_headers, new_body = scrubbers.scrub_request(method, url, headers, body)
    live = parse_request(method, url, headers, body)
    recorded = parse_request(method, new_url, new_headers, new_body)
    assert recorded.params == {
        "InstanceId": "ckafka-1",
        "Name": "u-SCRUBBED",
        "Password": "SCRUBBED",
    }
    assert scrubbers.scrub_params(live.action, live.params) == recorded.params
    assert PASSWORD not in f"{new_url}{new_body!r}" and quote_plus(PASSWORD) not in new_url


def test_responses_and_text_are_scrubbed_of_the_given_and_added_values() -> None:
    scrubbers = Scrubbers()
    scrubbers.add_value("the-secret-key-1")
    envelope = {
        "Response": {
            "Error": {"Code": "AuthFailure.SecretIdNotFound", "Message": "ids: `AKIDother0001`"},
            "Echo": "key=the-secret-key-1",
            "RequestId": "r-1",
        }
    }
    body = json.dumps(envelope).encode()
    scrubbed = json.loads(scrubbers.scrub_response("DescribeTopic", body, values=["AKIDother0001"]))
    assert scrubbed["Response"]["Error"]["Message"] == f"ids: `{PLACEHOLDER}`"
    assert scrubbed["Response"]["Echo"] == f"key={PLACEHOLDER}"
    html = b"<p>key the-secret-key-1</p>"
    assert scrubbers.scrub_response("DescribeTopic", html) == b"<p>key SCRUBBED</p>"
    assert scrubbers.scrub_text("k=the-secret-key-1") == f"k={PLACEHOLDER}"
    plain = json.dumps({"Response": {"RequestId": "r"}}).encode()
    assert scrubbers.scrub_response("DescribeTopic", plain) is plain


def test_secret_outputs_are_also_scrubbed_by_value() -> None:
    body = json.dumps(
        {
            "Response": {
                "Result": {"Password": "db-pass-98765", "Note": "uses db-pass-98765"},
                "RequestId": "r",
            }
        }
    ).encode()
    scrubbers = Scrubbers()
    assert scrubbers.response_values("DescribeDatahubTopic", body) == {"db-pass-98765"}
    result = json.loads(scrubbers.scrub_response("DescribeDatahubTopic", body))["Response"]
    assert result["Result"] == {"Password": PLACEHOLDER, "Note": f"uses {PLACEHOLDER}"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "short",
            "add_value received a 5-character value; values shorter than 8 characters are not "
            "scrubbed by value (they occur by chance in unrelated text). Hide it where it "
            "appears with a ParamScrubber or a HeaderScrubber instead.",
        ),
        (b"bytes-secret", "add_value takes the secret as a string, but received a bytes."),
        (
            "x-SCRUBBED-y",
            "add_value received a value containing the placeholder 'SCRUBBED'; it would match "
            "again after every scrub.",
        ),
    ],
)
def test_add_value_refuses_what_it_cannot_scrub_without_echoing_it(
    value: Any, message: str
) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Scrubbers().add_value(value)
    assert str(info.value) == message


# -- messages and logs ------------------------------------------------------------------


def _tc3(
    action: str, params: dict[str, Any], secret_id: str
) -> tuple[str, str, dict[str, str], bytes]:
    auth = TC3_AUTH.replace("AKIDabcdefgh1234", secret_id)
    headers = {"Authorization": auth, "X-TC-Action": action, "X-TC-Version": "2019-08-19"}
    headers["Content-Type"] = "application/json"
    return "POST", URL, headers, json.dumps(params).encode()


def test_a_cassette_miss_shows_no_secret_of_the_call() -> None:
    recorded = Interaction(
        method="POST",
        uri=URL,
        headers={"X-TC-Action": ["CreateUser"], "X-TC-Version": ["2019-08-19"]},
        body=b'{"Name":"u-SCRUBBED","Password":"SCRUBBED"}',
        status=200,
        reason="OK",
        response_headers={"Content-Type": ["application/json"]},
        response_body=b'{"Response":{"RequestId":"r"}}',
    )
    replayer = Replayer(Path("x.yaml"), [recorded], Scrubbers(), existed=True)
    params = {"Name": "v-Pw-live-1234", "Password": "Pw-live-1234", "Note": "AKIDlive00001"}
    live = parse_request(*_tc3("CreateUser", params, "AKIDlive00001"))
    text = replayer.miss_message(live, live.host, "t.py::test")
    assert "Pw-live-1234" not in text and "AKIDlive00001" not in text
    shown = '  params:   {"Name": "v-SCRUBBED", "Note": "SCRUBBED", "Password": "SCRUBBED"}'
    assert shown in text.splitlines()
    # The recording scrubbed the password out of the name: the live call keys the same.
    params = {"Name": "u-Pw-live-1234", "Password": "Pw-live-1234"}
    same = parse_request(*_tc3("CreateUser", params, "AKIDlive00001"))
    assert replayer.answer(same, same.host, "r-2") is not None


# -- in-process servers -----------------------------------------------------------------


def test_a_running_server_makes_its_keys_known_secrets() -> None:
    with FakeServer() as server:
        server.add_credentials("AKIDserver0001", "server-secret-key", token="server-token-1")
        assert server_secrets(server.endpoint) == [
            "AKIDserver0001",
            "server-secret-key",
            "server-token-1",
        ]
        assert server_secrets("127.0.0.1:1") == []
    assert server_secrets(server.endpoint) == []


def test_docstring_examples() -> None:
    import doctest

    assert doctest.testmod(scrub_values).failed == 0


def test_a_custom_header_scrubber_hides_its_value_everywhere() -> None:
    scrubbers = Scrubbers()
    scrubbers.add("api_key", HeaderScrubber("X-Api-Key"))
    body = b'{"InstanceId": "ckafka-1", "SearchWord": "key-abcdef123"}'
    headers = {"X-Api-Key": "key-abcdef123", "X-TC-Action": "DescribeTopic"}
    _, new_headers, new_body = scrubbers.scrub_request("POST", URL, headers, body)
    assert new_headers["X-Api-Key"] == PLACEHOLDER
    assert new_body == b'{"InstanceId":"ckafka-1","SearchWord":"SCRUBBED"}'


def test_the_recorder_scrubs_every_response_of_all_known_keys(tmp_path: Path) -> None:
    from vcr.request import Request

    from pytest_ckafka.api.signing import CredentialStore
    from pytest_ckafka.cassettes.files import load
    from pytest_ckafka.cassettes.recording import Recorder

    store = CredentialStore()
    store.add("AKIDregistered01", "registered-secret-key")
    first = json.dumps({"InstanceId": "ckafka-1", "Name": "u", "Password": "Pw-first-123"})
    calls = [
        (_tc3("CreateUser", json.loads(first), "AKIDcaller00001"), "created"),
        (
            _tc3("DescribeInstances", {}, "AKIDother000001"),
            "SecretIds AKIDcaller00001, AKIDregistered01; key registered-secret-key; "
            "password Pw-first-123",
        ),
    ]
    requests, responses = [], []
    for (method, url, headers, body), message in calls:
        requests.append(Request(method, url, body, headers))
        answer = json.dumps({"Response": {"Message": message, "RequestId": "r"}}).encode()
        responses.append(
            {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Length": [str(len(answer))], "X-Echo": [message]},
                "body": {"string": answer},
            }
        )
    path = tmp_path / "c.yaml"
    recorder = Recorder(
        path, "all", Scrubbers(), lambda _: False, lambda *_: True, credentials=store
    )

    class _Started:  # what vcrpy would have captured; stop() only exits it
        def __exit__(self, *args: object) -> None:
            recorder._captured = {"requests": requests, "responses": responses}

    recorder._context = _Started()
    assert recorder.stop(keep=True) == 2
    second = load(path)[1]
    assert json.loads(second.response_body)["Response"]["Message"] == (
        "SecretIds SCRUBBED, SCRUBBED; key SCRUBBED; password SCRUBBED"
    )
    assert second.response_headers["X-Echo"] == [
        "SecretIds SCRUBBED, SCRUBBED; key SCRUBBED; password SCRUBBED"
    ]
    assert second.response_headers["Content-Length"] == [str(len(second.response_body))]
