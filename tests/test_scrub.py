"""Tests for ``pytest_ckafka.api.scrub.scrubbers``.

Requests come from the official SDK (captured with ``responses``, never sent),
in each wire format it can use, so scrubbing is proven on the bytes a real
recording would see. Every scrubbed request must still parse to the same call,
and must key the same as the live call it came from.
"""

from __future__ import annotations

import doctest
import json
import re
from typing import Any, Optional

import pytest
import requests
import responses
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka.api.protocol import parse_request
from pytest_ckafka.api.scrub import scrubbers as scrub_module
from pytest_ckafka.api.scrub.scrubbers import (
    PLACEHOLDER,
    AccountIdScrubber,
    HeaderScrubber,
    ParamScrubber,
    Scrubber,
    Scrubbers,
)
from pytest_ckafka.exceptions import CKafkaUsageError

pytestmark = pytest.mark.usefixtures("no_network")

URL = "https://ckafka.tencentcloudapi.com/"
SECRET_ID = "AKIDsecretid123"
SECRET_KEY = "verysecretkey"
TOKEN = "sts-token-abc"

DATAHUB = {
    "TaskName": "t",
    "TaskType": "SOURCE",
    "SourceResource": {
        "Type": "CLICKHOUSE",
        "ClickHouseParam": {"Cluster": "c", "Password": "ch-pass", "UserName": "u"},
    },
    "TargetResource": {"Type": "TOPIC", "TopicParam": {"Resource": "topic-1"}},
}


def sdk_request(
    action: str, params: dict[str, Any], *, sign: str = "TC3-HMAC-SHA256", method: str = "POST"
) -> requests.PreparedRequest:
    """What the SDK puts on the wire for ``action`` with temporary credentials."""
    profile = ClientProfile(signMethod=sign, httpProfile=HttpProfile(reqMethod=method))
    client = ckafka_client.CkafkaClient(
        credential.Credential(SECRET_ID, SECRET_KEY, TOKEN), "ap-guangzhou", profile
    )
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    with responses.RequestsMock() as mock:
        mock.add(
            method, re.compile(r"https://.*"), json={"Response": {"RequestId": "r"}}, status=200
        )
        getattr(client, action)(request)
        sent: requests.PreparedRequest = mock.calls[0].request
    return sent


def body_bytes(sent: requests.PreparedRequest) -> bytes:
    body = sent.body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def scrub(
    sent: requests.PreparedRequest, scrubbers: Optional[Scrubbers] = None
) -> tuple[str, dict[str, str], bytes]:
    scrubbers = scrubbers or Scrubbers()
    assert sent.method is not None and sent.url is not None
    return scrubbers.scrub_request(sent.method, sent.url, dict(sent.headers), body_bytes(sent))


WIRE_FORMATS = [
    pytest.param("TC3-HMAC-SHA256", "POST", id="tc3-json"),
    pytest.param("TC3-HMAC-SHA256", "GET", id="tc3-get"),
    pytest.param("HmacSHA256", "POST", id="v1-form"),
    pytest.param("HmacSHA1", "GET", id="v1-get"),
]


# -- the registry ----------------------------------------------------------------------


def test_default_names() -> None:
    assert Scrubbers().names() == [
        "authorization",
        "token_header",
        "v1_credentials",
        "secret_params",
    ]
    assert Scrubbers(account_ids=True).names()[-1] == "account_ids"


def test_add_and_remove() -> None:
    scrubbers = Scrubbers()
    scrubbers.add("api_key", HeaderScrubber("X-Api-Key"))
    scrubbers.remove("token_header")
    assert scrubbers.names() == ["authorization", "v1_credentials", "secret_params", "api_key"]
    _, headers, _ = scrubbers.scrub_request(
        "POST", URL, {"x-api-key": "k", "X-TC-Token": "t", "X-TC-Action": "DescribeTopic"}, b""
    )
    assert headers == {"x-api-key": PLACEHOLDER, "X-TC-Token": "t", "X-TC-Action": "DescribeTopic"}


def test_add_existing_name_is_refused() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Scrubbers().add("authorization", HeaderScrubber("X-Other"))
    assert str(info.value) == (
        "a scrubber named 'authorization' is already active; remove it first or pick another "
        "name. Active scrubbers: authorization, token_header, v1_credentials, secret_params."
    )


def test_add_something_else_is_refused() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Scrubbers().add("mine", "Password")  # type: ignore[arg-type]
    assert str(info.value) == (
        "scrubber 'mine' must be a pytest_ckafka.Scrubber instance, but received 'Password'."
    )


def test_remove_unknown_suggests_and_lists() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Scrubbers().remove("autorization")
    assert str(info.value) == (
        'unknown scrubber "autorization": did you mean "authorization"? Valid choices: '
        "authorization, secret_params, token_header, v1_credentials."
    )
    scrubbers = Scrubbers()
    scrubbers.remove("secret_params")
    with pytest.raises(CKafkaUsageError) as info:
        scrubbers.remove("secret_params")
    assert str(info.value) == (
        'unknown scrubber "secret_params". Valid choices: authorization, token_header, '
        "v1_credentials."
    )


def test_docstring_examples() -> None:
    assert doctest.testmod(scrub_module).failed == 0


def test_removed_scrubber_no_longer_hides() -> None:
    scrubbers = Scrubbers()
    assert scrubbers.scrub_params("CreateUser", {"Password": "p"}) == {"Password": PLACEHOLDER}
    scrubbers.remove("secret_params")
    assert scrubbers.scrub_params("CreateUser", {"Password": "p"}) == {"Password": "p"}


# -- requests from the SDK -------------------------------------------------------------


@pytest.mark.parametrize(("sign", "method"), WIRE_FORMATS)
def test_sdk_create_user_leaves_no_secret(sign: str, method: str) -> None:
    params = {"InstanceId": "ckafka-1", "Name": "alice", "Password": "hunter2-pass"}
    sent = sdk_request("CreateUser", params, sign=sign, method=method)
    wire = f"{sent.url} {dict(sent.headers)} {body_bytes(sent)!r}"
    assert "hunter2-pass" in wire and SECRET_ID in wire  # the test sees what a recording would

    url, headers, body = scrub(sent)
    written = f"{url} {headers} {body!r}"
    for secret in ("hunter2-pass", SECRET_ID, TOKEN):
        assert secret not in written
    if sign == "TC3-HMAC-SHA256":
        assert headers["Authorization"] == PLACEHOLDER
        assert headers["X-TC-Token"] == PLACEHOLDER
    else:
        assert "Signature=SCRUBBED" in written

    live = parse_request(sent.method or "", sent.url or "", sent.headers, sent.body)
    recorded = parse_request(method, url, headers, body)
    assert (recorded.action, recorded.version, recorded.region) == (
        "CreateUser",
        "2019-08-19",
        "ap-guangzhou",
    )
    assert recorded.params == {**params, "Password": PLACEHOLDER}
    assert live.params == params


@pytest.mark.parametrize(("sign", "method"), WIRE_FORMATS)
def test_live_and_recorded_key_the_same(sign: str, method: str) -> None:
    scrubbers = Scrubbers()
    sent = sdk_request("CreateDatahubTask", DATAHUB, sign=sign, method=method)
    url, headers, body = scrub(sent, scrubbers)
    live = parse_request(sent.method or "", sent.url or "", sent.headers, sent.body)
    recorded = parse_request(method, url, headers, body)
    assert recorded.action == live.action == "CreateDatahubTask"
    live_key = scrubbers.scrub_params(live.action, live.params)
    assert live_key == scrubbers.scrub_params(recorded.action, recorded.params)
    assert live_key == recorded.params
    assert live_key["SourceResource"]["ClickHouseParam"] == {
        "Cluster": "c",
        "Password": PLACEHOLDER,
        "UserName": "u",
    }
    # Scrubbing the recorded copy again changes nothing.
    assert scrub_again(scrubbers, method, url, headers, body) == (url, headers, body)


def scrub_again(
    scrubbers: Scrubbers, method: str, url: str, headers: dict[str, str], body: bytes
) -> tuple[str, dict[str, str], bytes]:
    return scrubbers.scrub_request(method, url, headers, body)


def test_body_without_secrets_is_kept_byte_for_byte() -> None:
    sent = sdk_request("DescribeTopic", {"InstanceId": "ckafka-1", "SearchWord": "数据 a&b"})
    original = body_bytes(sent)
    url, headers, body = scrub(sent)
    assert body == original  # the SDK's own `", "` separators and \\u escapes survive
    assert url == sent.url
    assert headers["Content-Type"] == sent.headers["Content-Type"]


def test_changed_json_body_is_compact_and_content_length_follows() -> None:
    body = json.dumps({"InstanceId": "ckafka-1", "Name": "小明", "Password": "p"}).encode()
    headers = {"X-TC-Action": "CreateUser", "content-length": str(len(body))}
    _, new_headers, new_body = Scrubbers().scrub_request("POST", URL, headers, body)
    assert new_body == '{"InstanceId":"ckafka-1","Name":"小明","Password":"SCRUBBED"}'.encode()
    assert new_headers["content-length"] == str(len(new_body))


# -- v1 flattened queries and forms ----------------------------------------------------


def test_v1_query_keeps_its_encoding() -> None:
    url = (
        "https://ckafka.tencentcloudapi.com/?Action=CreateUser&Name=a+b%2Fc&SecretId=AKID1"
        "&Password=p%40ss&Nonce=1&Signature=abc%3D&Token=t&Version=2019-08-19#frag"
    )
    new_url, _, _ = Scrubbers().scrub_request("GET", url, {}, b"")
    assert new_url == (
        "https://ckafka.tencentcloudapi.com/?Action=CreateUser&Name=a+b%2Fc&SecretId=SCRUBBED"
        "&Password=SCRUBBED&Nonce=1&Signature=SCRUBBED&Token=SCRUBBED&Version=2019-08-19#frag"
    )


def test_v1_form_nested_and_percent_encoded_keys() -> None:
    body = (
        b"Action=CreateDatahubTask&TaskName=t%20x&SourceResource.ClickHouseParam.Password=p1"
        b"&TargetResource%2EEsParam%2EPassword=p2&SourceResource.ClickHouseParam.UserName=u"
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    _, _, new_body = Scrubbers().scrub_request("POST", URL, headers, body)
    assert new_body == (
        b"Action=CreateDatahubTask&TaskName=t%20x&SourceResource.ClickHouseParam.Password=SCRUBBED"
        b"&TargetResource%2EEsParam%2EPassword=SCRUBBED&SourceResource.ClickHouseParam.UserName=u"
    )


def test_paths_walk_through_lists_in_every_format() -> None:
    scrubbers = Scrubbers()
    scrubbers.add(
        "filter_values", ParamScrubber("Filters.Values", actions={"DescribeInstancesDetail"})
    )
    params = {"Filters": [{"Name": "Ip", "Values": ["1.1.1.1", "2.2.2.2"]}], "Limit": 5}
    hidden = {"Filters": [{"Name": "Ip", "Values": [PLACEHOLDER, PLACEHOLDER]}], "Limit": 5}
    assert scrubbers.scrub_params("DescribeInstancesDetail", params) == hidden
    assert scrubbers.scrub_params("DescribeInstances", params) is params

    form = b"Action=DescribeInstancesDetail&Filters.0.Name=Ip&Filters.0.Values.0=1.1.1.1"
    form += b"&Filters.0.Values.1=2.2.2.2&Limit=5"
    _, headers, body = scrubbers.scrub_request(
        "POST", URL, {"Content-Type": "application/x-www-form-urlencoded"}, form
    )
    assert body == (
        b"Action=DescribeInstancesDetail&Filters.0.Name=Ip&Filters.0.Values.0=SCRUBBED"
        b"&Filters.0.Values.1=SCRUBBED&Limit=5"
    )
    assert parse_request("POST", URL, headers, body).params == hidden

    sent = sdk_request("DescribeInstancesDetail", params, sign="HmacSHA256", method="GET")
    url, headers, body = scrub(sent, scrubbers)
    assert parse_request("GET", url, headers, body).params == hidden


def test_list_item_secret_in_json_body() -> None:
    scrubbers = Scrubbers()
    scrubbers.add("items", ParamScrubber("Foo.Password"))
    body = b'{"Foo": [{"Password": "a", "Name": "x"}, {"Name": "y"}, {"Password": null}]}'
    _, _, new_body = scrubbers.scrub_request("POST", URL, {"X-TC-Action": "Any"}, body)
    assert json.loads(new_body) == {
        "Foo": [{"Password": PLACEHOLDER, "Name": "x"}, {"Name": "y"}, {"Password": None}]
    }
    flat = b"Action=Any&Foo.0.Password=a&Foo.0.Name=x&Foo.1.Password="
    _, _, new_flat = scrubbers.scrub_request("POST", URL, {}, flat)
    assert new_flat == b"Action=Any&Foo.0.Password=SCRUBBED&Foo.0.Name=x&Foo.1.Password=SCRUBBED"


def test_headers_are_matched_case_insensitively_and_keep_their_spelling() -> None:
    headers = {"authorization": "TC3-HMAC-SHA256 Credential=AKID/x", "X-Tc-Token": "t", "A": "b"}
    _, new_headers, _ = Scrubbers().scrub_request("POST", URL, headers, b"{}")
    assert new_headers == {"authorization": PLACEHOLDER, "X-Tc-Token": PLACEHOLDER, "A": "b"}
    assert headers["authorization"].startswith("TC3")  # the caller's dict is untouched


def test_unknown_action_and_broken_bodies_are_left_alone() -> None:
    scrubbers = Scrubbers()
    for body in (b'{"Password": "x"', b"[1, 2]", b"\xff\xfe"):
        _, _, new_body = scrubbers.scrub_request("POST", URL, {"X-TC-Action": "CreateUser"}, body)
        assert new_body is body
    _, _, body = scrubbers.scrub_request(
        "POST", URL, {"X-TC-Action": "NoSuchAction"}, b'{"Password": "x"}'
    )
    assert body == b'{"Password": "x"}'


def test_scrub_params_never_modifies_its_input() -> None:
    params = {"InstanceId": "i", "Password": "p", "PasswordNew": "q", "Name": "n"}
    snapshot = json.loads(json.dumps(params))
    result = Scrubbers().scrub_params("ModifyPassword", params)
    assert result == {**params, "Password": PLACEHOLDER, "PasswordNew": PLACEHOLDER}
    assert params == snapshot
    untouched = {"InstanceId": "i"}
    assert Scrubbers().scrub_params("DescribeTopic", untouched) is untouched
    assert Scrubbers().scrub_params("ModifyPassword", untouched) is untouched


def test_object_valued_path_hides_every_leaf() -> None:
    scrubbers = Scrubbers()
    scrubbers.add("whole", ParamScrubber("SourceResource"))
    assert scrubbers.scrub_params("X", {"SourceResource": {"A": [1, "b"], "C": None}}) == {
        "SourceResource": {"A": [PLACEHOLDER, PLACEHOLDER], "C": None}
    }


# -- responses -------------------------------------------------------------------------


def envelope(**result: Any) -> bytes:
    return json.dumps({"Response": {**result, "RequestId": "req-1"}}).encode()


def test_secret_outputs_are_hidden_in_lists() -> None:
    body = envelope(
        Result={
            "TotalCount": 2,
            "ConnectResourceList": [
                {"ResourceId": "r1", "MySQLConnectParam": {"Port": 3306, "Password": "m1"}},
                {"ResourceId": "r2", "EsConnectParam": {"Password": "e2", "UserName": "es"}},
            ],
        }
    )
    scrubbed = json.loads(Scrubbers().scrub_response("DescribeConnectResources", body))
    items = scrubbed["Response"]["Result"]["ConnectResourceList"]
    assert items[0]["MySQLConnectParam"] == {"Port": 3306, "Password": PLACEHOLDER}
    assert items[1]["EsConnectParam"] == {"Password": PLACEHOLDER, "UserName": "es"}
    assert scrubbed["Response"]["RequestId"] == "req-1"


def test_response_without_secrets_is_kept_byte_for_byte() -> None:
    body = envelope(Result={"AppId": 1250000000})
    assert Scrubbers().scrub_response("DescribeTopic", body) is body
    for other in (b"<html>502</html>", b"", b'["not", "an", "envelope"]'):
        assert Scrubbers().scrub_response("DescribeTopic", other) is other


def test_account_ids_on_request_keep_their_json_type() -> None:
    body = envelope(
        AppId=1250000000,
        Result={
            "Uin": "100001",
            "OwnerUin": "100002",
            "List": [{"SubAccountUin": "100003", "CallerAppid": 125, "Name": "keep"}],
            "DropClsOwneruin": "100004",
            "Nothing": None,
        },
    )
    scrubbed = json.loads(Scrubbers(account_ids=True).scrub_response("DescribeTopic", body))
    assert scrubbed == {
        "Response": {
            "AppId": 0,
            "Result": {
                "Uin": PLACEHOLDER,
                "OwnerUin": PLACEHOLDER,
                "List": [{"SubAccountUin": PLACEHOLDER, "CallerAppid": 0, "Name": "keep"}],
                "DropClsOwneruin": PLACEHOLDER,
                "Nothing": None,
            },
            "RequestId": "req-1",
        }
    }
    assert isinstance(AccountIdScrubber(), Scrubber)


def test_custom_response_hook() -> None:
    class HideRequestId(Scrubber):
        def response(self, action: str, envelope: dict[str, Any]) -> None:
            envelope["Response"]["RequestId"] = PLACEHOLDER

    scrubbers = Scrubbers()
    scrubbers.add("request_id", HideRequestId())
    assert scrubbers.scrub_response("DescribeTopic", envelope()) == (
        b'{"Response":{"RequestId":"SCRUBBED"}}'
    )
