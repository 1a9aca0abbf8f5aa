"""Requests that try to act beyond what was signed, and the strict-auth rules that stop them.

Each attack is hand-signed (``tests/signers.py``) with a registered key, so the only
thing wrong with it is the trick itself. Issue 10, section 1.
"""

from __future__ import annotations

import http.client
import json
from typing import Any, Optional
from urllib.parse import urlencode

import pytest
import requests

from pytest_ckafka import CKafka, FakeServer
from pytest_ckafka.api.envelopes import Reply

from .signers import DATE, TS, tc3_headers, v1_params, v1_request

HOST = "ckafka.tencentcloudapi.com"
URL = f"https://{HOST}/"
ATTACKER, ATTACKER_KEY = "AKIDattacker", "attacker-key"
VICTIM, VICTIM_KEY = "AKIDvictim", "victim-key"
UNKNOWN_FIELD = (
    "The Authorization header has an unknown field `{}`{} Its fields are exactly `Credential`, "
    "`SignedHeaders` and `Signature`, each once."
)


def two_accounts(*, strict_auth: bool = True, token: Optional[str] = None) -> tuple[CKafka, str]:
    """A fake with an attacker's key and a victim's, the victim owning an instance and a topic."""
    fake = CKafka(strict_auth=strict_auth)
    fake._auth_now = lambda: TS + 0.5
    fake.add_credentials(ATTACKER, ATTACKER_KEY, account="attacker")
    fake.add_credentials(VICTIM, VICTIM_KEY, token=token, account="victim")
    instance = fake.state.add_instance(account="victim")
    fake.state.add_topic(instance, "orders")
    return fake, instance


def response(reply: Reply) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(reply.body)["Response"]
    return answer


def error(reply: Reply) -> Optional[dict[str, str]]:
    return response(reply).get("Error")


def delete_topic(instance: str) -> bytes:
    return json.dumps({"InstanceId": instance, "TopicName": "orders"}).encode()


# -- the Authorization header: one strict grammar, one source of the SecretId -----------


def test_a_forged_credential_field_cannot_act_in_another_account() -> None:
    # The attacker signs with their own key and slips the victim's SecretId in first.
    with FakeServer(strict_auth=True) as server:
        server._auth_now = lambda: TS + 0.5
        server.add_credentials(ATTACKER, ATTACKER_KEY, account="attacker")
        server.add_credentials(VICTIM, VICTIM_KEY, account="victim")
        instance = server.state.add_instance(account="victim")
        server.state.add_topic(instance, "orders")
        body = delete_topic(instance)
        forged = tc3_headers(
            "DeleteTopic", host=server.endpoint, body=body, secret_id=ATTACKER,
            secret_key=ATTACKER_KEY, before_credential=f"XCredential={VICTIM}/, ",
        )  # fmt: skip
        answer = requests.post(server.url, data=body, headers=forged, timeout=10).json()
        assert answer["Response"]["Error"] == {
            "Code": "AuthFailure.InvalidAuthorization",
            "Message": UNKNOWN_FIELD.format("XCredential", "; did you mean `Credential`?"),
        }
        assert [topic.name for topic in server.state.topics(instance)] == ["orders"]
        # Honestly signed, the same key acts in its own account, which has no such instance.
        honest = tc3_headers(
            "DeleteTopic", host=server.endpoint, body=body, secret_id=ATTACKER,
            secret_key=ATTACKER_KEY,
        )  # fmt: skip
        answer = requests.post(server.url, data=body, headers=honest, timeout=10).json()
        assert answer["Response"]["Error"]["Code"] == "InvalidParameterValue.InstanceNotExist"
        assert [topic.name for topic in server.state.topics(instance)] == ["orders"]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (f"Credential={VICTIM}/{DATE}/ckafka/tc3_request, ", "",
         "The Authorization header has `Credential=` twice; each field may appear once."),
        ("", f", Credential={VICTIM}/{DATE}/ckafka/tc3_request",
         "The Authorization header has `Credential=` twice; each field may appear once."),
        ("", ", Signature=" + "0" * 64,
         "The Authorization header has `Signature=` twice; each field may appear once."),
        ("", f", Account={VICTIM}", UNKNOWN_FIELD.format("Account", ".")),
        (f"credential={VICTIM}/{DATE}/ckafka/tc3_request, ", "",
         UNKNOWN_FIELD.format("credential", "; did you mean `Credential`?")),
        (f"{VICTIM}, ", "", "Item 1 of the Authorization header is not `Name=value`; expected "
         "`TC3-HMAC-SHA256 Credential=SecretId/YYYY-MM-DD/ckafka/tc3_request, "
         "SignedHeaders=content-type;host, Signature=...`."),
    ],
    ids=["credential-twice-victim-first", "credential-twice-victim-last", "signature-twice",
         "unknown-field", "lower-case-field", "bare-item"],
)  # fmt: skip
@pytest.mark.parametrize("strict_auth", [True, False], ids=["strict-auth", "no-strict-auth"])
def test_a_malformed_authorization_is_refused_and_names_no_account(
    before: str, after: str, message: str, strict_auth: bool
) -> None:
    fake, instance = two_accounts(strict_auth=strict_auth)
    body = delete_topic(instance)
    headers = tc3_headers(
        "DeleteTopic", host=HOST, body=body, secret_id=ATTACKER, secret_key=ATTACKER_KEY,
        before_credential=before, after_signature=after,
    )  # fmt: skip
    reply = fake.handle("POST", URL, headers, body)
    if strict_auth:
        assert error(reply) == {"Code": "AuthFailure.InvalidAuthorization", "Message": message}
    else:
        # Nothing is verified, and a header that does not parse names no SecretId: the call
        # runs in the default account, never in the victim's.
        assert (fake.calls[-1].secret_id, error(reply)) == (None, {
            "Code": "InvalidParameterValue.InstanceNotExist",
            "Message": f"The instance `{instance}` does not exist. It exists in region "
            "ap-guangzhou (account `victim`); this call was made in region "
            "ap-guangzhou (default account).",
        })  # fmt: skip
    assert [topic.name for topic in fake.state.topics(instance)] == ["orders"]


def test_a_malformed_header_does_not_break_unsigned_use() -> None:
    # The SDK's SkipSign sends "SKIP"; without strict_auth any header is accepted.
    fake = CKafka()
    fake.state.add_instance("ckafka-shared01")
    for junk in ("SKIP", "TC3-HMAC-SHA256 junk", "Bearer xyz"):
        headers = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19",
                   "Authorization": junk, "Content-Type": "application/json"}  # fmt: skip
        reply = fake.handle("POST", URL, headers, b'{"InstanceId": "ckafka-shared01"}')
        assert response(reply)["Result"]["TotalCount"] == 0


# -- v1: the signed parameters are the only source of the common ones ---------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("header", "value", "detail"),
    [
        ("X-TC-Action", "DeleteInstancePre",
         "`DeleteInstancePre` disagrees with the signed `Action` `DescribeInstanceAttributes`"),
        ("X-TC-Region", "ap-shanghai", "`ap-shanghai` disagrees with the signed `Region` "
         "`ap-guangzhou`"),
        ("X-TC-Version", "2017-03-12", "`2017-03-12` disagrees with the signed `Version` "
         "`2019-08-19`"),
        ("X-TC-Token", "sts-other-token", "differs from the signed `Token`"),
        ("X-TC-Language", "en-US", "`en-US` is not signed: the v1 parameters have no `Language`"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("strict_auth", [True, False], ids=["strict-auth", "no-strict-auth"])
def test_a_v1_header_cannot_override_what_was_signed(
    method: str, header: str, value: str, detail: str, strict_auth: bool
) -> None:
    fake, instance = two_accounts(strict_auth=strict_auth, token="sts-victim-token")
    url, headers, body = v1_request(
        "DescribeInstanceAttributes", {"InstanceId": instance}, method=method, host=HOST,
        secret_id=VICTIM, secret_key=VICTIM_KEY, token="sts-victim-token",
    )  # fmt: skip
    assert "Error" not in response(fake.handle(method, url, headers, body))
    before = fake.state.dump()  # after one describe: the state counts them
    reply = fake.handle(method, url, {**headers, header: value}, body)
    assert error(reply) == {
        "Code": "AuthFailure.SignatureFailure",
        "Message": f"The {header} header {detail}. A v1-signed request takes its common "
        "parameters from the signed parameters only: drop the header.",
    }
    assert fake.state.dump() == before


def test_a_v1_header_that_agrees_with_the_signed_value_is_accepted() -> None:
    fake, instance = two_accounts()
    url, headers, body = v1_request(
        "DescribeInstanceAttributes", {"InstanceId": instance}, method="GET", host=HOST,
        secret_id=VICTIM, secret_key=VICTIM_KEY,
    )  # fmt: skip
    headers.update({"X-TC-Action": "DescribeInstanceAttributes", "X-TC-Region": "ap-guangzhou"})
    answer = response(fake.handle("GET", url, headers, body))
    assert answer["Result"]["InstanceId"] == instance


# -- one request, one protocol ----------------------------------------------------------------


def test_a_v1_signed_query_cannot_carry_a_json_body() -> None:
    fake, instance = two_accounts()
    signed = v1_params(
        "DescribeInstances", {}, method="POST", host=HOST, secret_id=VICTIM, secret_key=VICTIM_KEY
    )
    body = {"InstanceId": instance, "TopicName": "injected", "PartitionNum": 1, "ReplicaNum": 2}
    headers = {"Content-Type": "application/json", "X-TC-Action": "CreateTopic", "Host": HOST}
    reply = fake.handle("POST", f"{URL}?{urlencode(signed)}", headers, json.dumps(body))
    assert error(reply) == {
        "Code": "InvalidParameter",
        "Message": "The request has the v1 signature parameters `SecretId`, `Signature`, "
        "`SignatureMethod` in its query string and its parameters in a JSON body, which v1 does "
        "not sign: send every parameter in the signed query string or form body, or sign with "
        "TC3-HMAC-SHA256.",
    }
    assert [topic.name for topic in fake.state.topics(instance)] == ["orders"]


def test_a_tc3_request_cannot_carry_v1_signature_parameters() -> None:
    fake, instance = two_accounts()
    query = urlencode({"SecretId": VICTIM, "Signature": "x"})
    body = json.dumps(
        {"InstanceId": instance, "TopicName": "x", "PartitionNum": 1, "ReplicaNum": 1}
    )
    headers = tc3_headers(
        "CreateTopic", host=HOST, body=body.encode(), query=query, secret_id=ATTACKER,
        secret_key=ATTACKER_KEY,
    )  # fmt: skip
    reply = fake.handle("POST", f"{URL}?{query}", headers, body)
    assert error(reply) == {
        "Code": "InvalidParameter",
        "Message": "The request has an Authorization header and the v1 signature parameters "
        "`SecretId`, `Signature`: sign it one way, with TC3-HMAC-SHA256 in the Authorization "
        "header or with the v1 parameters `SecretId`, `Timestamp`, `Nonce`, `Signature`.",
    }
    assert [topic.name for topic in fake.state.topics(instance)] == ["orders"]


# -- the 5-minute window, to the second both ways ---------------------------------------------


@pytest.mark.parametrize("style", ["tc3", "v1"])
@pytest.mark.parametrize(
    ("offset", "refused"), [(-301, True), (-300, False), (0, False), (300, False), (301, True)]
)
def test_the_window_is_300_seconds_either_way(style: str, offset: int, refused: bool) -> None:
    fake, instance = two_accounts()
    fake._auth_now = lambda: TS + 0.999  # mid-second: timestamps are whole seconds
    timestamp = TS + offset
    if style == "tc3":
        body = json.dumps({"InstanceId": instance}).encode()
        headers = tc3_headers(
            "DescribeInstanceAttributes", host=HOST, body=body, secret_id=VICTIM,
            secret_key=VICTIM_KEY, timestamp=timestamp,
        )  # fmt: skip
        reply = fake.handle("POST", URL, headers, body)
    else:
        url, headers, body = v1_request(
            "DescribeInstanceAttributes", {"InstanceId": instance}, method="GET", host=HOST,
            secret_id=VICTIM, secret_key=VICTIM_KEY, timestamp=timestamp,
        )  # fmt: skip
        reply = fake.handle("GET", url, headers, body)
    if not refused:
        assert error(reply) is None
        return
    way = "behind" if offset < 0 else "ahead of"
    assert error(reply) == {
        "Code": "AuthFailure.SignatureExpire",
        "Message": f"Signature expired: the request timestamp {timestamp} is 301 s {way} the "
        f"server time {TS}; they may differ by at most 300 s. Check the client clock.",
    }


# -- local endpoints: signed the way SDKs sign them, with the registered key ------------------


@pytest.mark.parametrize(
    ("host", "service", "signed_host", "code"),
    [
        ("127.0.0.1:9100", "127", "127.0.0.1", None),  # the Node.js SDK's way
        ("127.0.0.1:9100", "ckafka", "127.0.0.1:9100", None),  # the Python SDK's way
        ("127.0.0.1:9100", "127", "127.0.0.1:9100", None),
        ("localhost:9100", "localhost:9100", "localhost", None),
        ("ckafka.internal.example", "anything", "", None),
        (HOST, "127", "", "AuthFailure.InvalidAuthorization"),  # Tencent Cloud stays exact
        (f"{HOST}:443", "ckafka", HOST, "AuthFailure.SignatureFailure"),
        ("ckafka.ap-guangzhou.tencentcloudapi.com", "cvm", "", "AuthFailure.InvalidAuthorization"),
    ],
)
def test_a_local_endpoint_accepts_any_service_and_the_host_without_its_port(
    host: str, service: str, signed_host: str, code: Optional[str]
) -> None:
    fake, instance = two_accounts()
    body = json.dumps({"InstanceId": instance}).encode()
    headers = tc3_headers(
        "DescribeInstanceAttributes", host=host, body=body, secret_id=VICTIM,
        secret_key=VICTIM_KEY, service=service, signed_host=signed_host,
    )  # fmt: skip
    reply = fake.handle("POST", f"http://{host}/", headers, body)
    assert (error(reply) or {}).get("Code") == code
    wrong = tc3_headers(
        "DescribeInstanceAttributes", host=host, body=body, secret_id=VICTIM,
        secret_key="not-the-key", service=service, signed_host=signed_host,
    )  # fmt: skip
    reply = fake.handle("POST", f"http://{host}/", wrong, body)
    assert error(reply)["Code"] in (code or "AuthFailure.SignatureFailure",)  # type: ignore[index]


def test_a_tencent_cloud_host_names_the_service_it_expects() -> None:
    fake, instance = two_accounts()
    body = json.dumps({"InstanceId": instance}).encode()
    headers = tc3_headers(
        "DescribeInstanceAttributes", host=HOST, body=body, secret_id=VICTIM,
        secret_key=VICTIM_KEY, service="127",
    )  # fmt: skip
    assert error(fake.handle("POST", URL, headers, body)) == {
        "Code": "AuthFailure.InvalidAuthorization",
        "Message": "The credential scope names service `127`, not `ckafka`.",
    }


# -- the Host header: parsed once, so "Tencent Cloud or not" cannot be read two ways -----


CVM = "cvm.tencentcloudapi.com"


def cvm_signed(host_header: str, body: bytes) -> dict[str, str]:
    """A call signed by the victim for another product (cvm), its Host header then changed."""
    headers = tc3_headers(
        "DescribeInstanceAttributes", host=CVM, body=body, secret_id=VICTIM,
        secret_key=VICTIM_KEY, service="cvm",
    )  # fmt: skip
    return {**headers, "Host": host_header}


@pytest.mark.parametrize(
    ("host", "why"),
    [
        (f"{CVM}:1@x", "it contains `@`"),
        (f"x@{CVM}", "it contains `@`"),
        (f"{CVM}:1 x", "it contains whitespace"),
        (f"{CVM}:1:2", "it has more than one `:` (write an IPv6 address in brackets)"),
        ("::1", "it has more than one `:` (write an IPv6 address in brackets)"),
        (f"{CVM}:", "its port is not a number from 1 to 65535"),
        (f"{CVM}:99999", "its port is not a number from 1 to 65535"),
        (f"{CVM}:x", "its port is not a number from 1 to 65535"),
        (f"{CVM}/x", "it contains `/`"),
    ],
)
def test_a_malformed_host_header_gets_no_relaxed_local_rules(host: str, why: str) -> None:
    # `cvm...:1@x` used to be "Tencent Cloud" for the service check (the part after `@`) and
    # "x" for nothing, "cvm...:1" signed without the port: a cvm signature ran as a ckafka call.
    fake, instance = two_accounts()
    body = json.dumps({"InstanceId": instance}).encode()
    assert error(fake.handle("POST", f"https://{CVM}/", cvm_signed(host, body), body)) == {
        "Code": "AuthFailure.InvalidAuthorization",
        "Message": f"The Host header `{host}` is not `host` or `host:port`: {why}.",
    }


def test_a_forged_host_header_is_refused_by_the_server() -> None:
    with FakeServer(strict_auth=True) as server:
        server._auth_now = lambda: TS + 0.5
        server.add_credentials(VICTIM, VICTIM_KEY)
        instance = server.state.add_instance(account=VICTIM)
        body = json.dumps({"InstanceId": instance}).encode()
        codes = []
        for host in (CVM, f"{CVM}:1@x"):
            address, port = server.endpoint.rsplit(":", 1)
            connection = http.client.HTTPConnection(address, int(port), timeout=10)
            connection.putrequest("POST", "/", skip_host=True)
            for name, value in cvm_signed(host, body).items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            answer = json.loads(connection.getresponse().read())["Response"]
            connection.close()
            codes.append(answer["Error"]["Code"])
        assert codes == ["AuthFailure.InvalidAuthorization"] * 2


@pytest.mark.parametrize("host", ["[::1]:9100", "[::1]", "LocalHost.:9100"])
def test_a_well_formed_local_host_keeps_the_relaxed_rules(host: str) -> None:
    fake, instance = two_accounts()
    body = json.dumps({"InstanceId": instance}).encode()
    headers = tc3_headers(
        "DescribeInstanceAttributes", host=host, body=body, secret_id=VICTIM,
        secret_key=VICTIM_KEY, service="local", signed_host=host.rpartition(":9100")[0] or host,
    )  # fmt: skip
    assert error(fake.handle("POST", f"http://{host}/", headers, body)) is None


# -- v1's unencoded text to sign: one signed text, one set of parameters ---------------------


def signed_v1_get(params: dict[str, str]) -> dict[str, str]:
    return v1_params(
        "DescribeInstances", params, method="GET", host=HOST, secret_id=VICTIM,
        secret_key=VICTIM_KEY,
    )  # fmt: skip


def get(fake: CKafka, params: dict[str, str]) -> Reply:
    return fake.handle("GET", f"{URL}?{urlencode(params)}", {"Host": HOST}, b"")


@pytest.mark.parametrize("validate", [True, False], ids=["validate", "no-validate"])
def test_a_signed_member_renamed_with_an_underscore_is_refused(validate: bool) -> None:
    # The SDKs sign `_` in a name as `.`: `Status_0` verified as the signed `Status.0`, then
    # ran as an unknown parameter (with validate=False the filter was silently dropped).
    fake = CKafka(strict_auth=True, validate=validate)
    fake._auth_now = lambda: TS + 0.5
    fake.add_credentials(VICTIM, VICTIM_KEY)
    params = signed_v1_get({"Limit": "5", "Status.0": "1"})
    assert error(get(fake, params)) is None
    params["Status_0"] = params.pop("Status.0")
    assert error(get(fake, params)) == {
        "Code": "AuthFailure.SignatureFailure",
        "Message": "The parameter `Status_0` is signed as `Status.0`, a parameter of "
        "DescribeInstances, but would run as `Status_0`: send it as `Status.0`.",
    }


def test_a_nonce_that_swallows_a_signed_parameter_is_refused() -> None:
    # `Nonce=4242` with `Offset=3`, and one Nonce of `4242&Offset=3`, sign the same text.
    fake, _ = two_accounts()
    params = signed_v1_get({"Limit": "5", "Offset": "3"})
    params["Nonce"] += "&Offset=3"
    del params["Offset"]
    assert error(get(fake, params)) == {
        "Code": "InvalidParameterValue",
        "Message": "Nonce must be a positive integer (the SDKs send a random one), got a value "
        "of 13 characters.",
    }
    assert fake.calls[-1].params == {"Limit": 5}  # logged as parsed, never run


def test_a_common_parameter_that_swallows_a_signed_parameter_is_refused() -> None:
    fake, _ = two_accounts()
    params = signed_v1_get({"Language": "en-US", "Limit": "5"})
    assert error(get(fake, params)) is None
    params["Language"] += "&Limit=5"
    del params["Limit"]
    assert error(get(fake, params)) == {
        "Code": "AuthFailure.SignatureFailure",
        "Message": "The v1 parameter `Language` holds `&` or `=`: in the signed text (`name="
        "value` pairs joined by `&`) it could stand for other parameters than it runs with. "
        "Common parameters never hold them.",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_v1_call_signed_for_another_product_host_is_refused(method: str) -> None:
    """v1 names no product: only the host does, so a host of another product is not CKafka's."""
    fake, instance = two_accounts()
    url, headers, body = v1_request(
        "DescribeInstanceAttributes", {"InstanceId": instance}, method=method, host=CVM,
        secret_id=VICTIM, secret_key=VICTIM_KEY,
    )  # fmt: skip
    assert error(fake.handle(method, url, headers, body)) == {
        "Code": "AuthFailure.InvalidAuthorization",
        "Message": "The request was signed for `cvm.tencentcloudapi.com`, the host of another "
        "product than ckafka (ckafka[.<region>].tencentcloudapi.com).",
    }
    url, headers, body = v1_request(
        "DescribeInstanceAttributes", {"InstanceId": instance}, method=method, host=HOST,
        secret_id=VICTIM, secret_key=VICTIM_KEY,
    )  # fmt: skip
    assert error(fake.handle(method, url, headers, body)) is None
