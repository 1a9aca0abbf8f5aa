"""Tests for ``pytest_ckafka.api.protocol``.

The happy paths feed :func:`parse_request` what the official SDK really puts on
the wire (captured with ``responses``, never sent), so a change in how the SDK
encodes a call shows up here rather than in a user's test.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

import httpx
import pytest
import requests
import responses
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka.api.protocol import ParsedRequest, ProtocolError, parse_request, unflatten
from pytest_ckafka.api.spec import Member, load_spec

# Requests are captured in-process; a socket opened to the internet would be a bug.
pytestmark = pytest.mark.usefixtures("no_network")

URL = "https://ckafka.tencentcloudapi.com/"
TC3_HEADERS = {"Content-Type": "application/json", "X-TC-Action": "DescribeTopic"}


def sdk_call(
    action: str,
    params: dict[str, Any],
    *,
    sign: str = "TC3-HMAC-SHA256",
    method: str = "POST",
    unsigned: bool = False,
    skip_sign: bool = False,
    endpoint: Optional[str] = None,
    scheme: str = "https",
    language: str = "en-US",
) -> tuple[ParsedRequest, dict[str, Any], requests.PreparedRequest]:
    """Make the SDK send ``action``; return what we parsed, what it serialized, the request."""
    profile = ClientProfile(
        signMethod=sign,
        httpProfile=HttpProfile(reqMethod=method, endpoint=endpoint, protocol=scheme),
        language=language,
    )
    profile.unsignedPayload = unsigned
    cred = credential.Credential("AKIDtest", "secret", "token")
    client = ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile)
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    serialized = request._serialize()

    def reply(_: Any) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, '{"Response": {"RequestId": "r-1"}}'

    with responses.RequestsMock() as mock:
        mock.add_callback(method, re.compile(r"https?://.*"), callback=reply)
        if skip_sign:
            client.call_json(action, serialized, options={"SkipSign": True})
        else:
            getattr(client, action)(request)
        sent = mock.calls[0].request
    parsed = parse_request(sent.method, sent.url, sent.headers, sent.body)
    return parsed, serialized, sent


CALLS = {
    "DescribeInstances": {
        "Status": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],  # indices past 9 sort numerically
        "Limit": 5,
        "Offset": 0,
        "SearchWord": "123",  # looks numeric, must stay a string
    },
    "DescribeTopic": {"InstanceId": "ckafka-1", "SearchWord": "a&b=c d+e/%", "Limit": 20},
    "CreateTopic": {
        "InstanceId": "ckafka-1",
        "TopicName": "orders",
        "PartitionNum": 3,
        "ReplicaNum": 2,
        "EnableWhiteList": 1,
        "IpWhiteList": ["10.0.0.1", "10.0.0.2"],
        "Tags": [{"TagKey": "team", "TagValue": "数据"}],
    },
    "DescribeInstancesDetail": {
        "Filters": [
            {"Name": "Ip", "Values": ["1.1.1.1"]},
            {"Name": "VpcId", "Values": ["vpc-1", "vpc-2"]},
        ],
        "Status": [1],
    },
    "ModifyInstanceAttributes": {
        "InstanceId": "ckafka-1",
        "InstanceName": "ckafka测试",
        "AdminSecurity": False,
        "MaxMessageByte": 8388680,
        "Config": {"AutoCreateTopicEnable": True, "DefaultNumPartitions": 3},
    },
    "BatchModifyTopicAttributes": {
        "InstanceId": "ckafka-1",
        "Topic": [
            {"TopicName": "a", "PartitionNum": 6, "UncleanLeaderElectionEnable": True},
            {"TopicName": "b", "RetentionMs": 3600000, "UncleanLeaderElectionEnable": False},
        ],
    },
}

MODES = {
    "tc3-post": {"sign": "TC3-HMAC-SHA256", "method": "POST"},
    "tc3-post-unsigned-payload": {"sign": "TC3-HMAC-SHA256", "method": "POST", "unsigned": True},
    "tc3-get": {"sign": "TC3-HMAC-SHA256", "method": "GET"},
    "hmacsha1-get": {"sign": "HmacSHA1", "method": "GET"},
    "hmacsha1-post-form": {"sign": "HmacSHA1", "method": "POST"},
    "hmacsha256-get": {"sign": "HmacSHA256", "method": "GET"},
    "hmacsha256-post-form": {"sign": "HmacSHA256", "method": "POST"},
    "skip-sign-post": {"method": "POST", "skip_sign": True},
    "skip-sign-get": {"method": "GET", "skip_sign": True},
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("action", CALLS)
def test_sdk_request_parses_to_what_the_sdk_serialized(action: str, mode: str) -> None:
    options: dict[str, Any] = MODES[mode]
    parsed, serialized, sent = sdk_call(action, CALLS[action], **options)

    assert parsed.params == serialized
    # == alone would accept 1 == True == 1.0; the JSON path must not lose types either.
    assert json.dumps(parsed.params, sort_keys=True) == json.dumps(serialized, sort_keys=True)
    assert parsed.action == action
    assert parsed.version == "2019-08-19"
    assert parsed.region == "ap-guangzhou"
    assert parsed.language == "en-US"
    assert parsed.method == options["method"]
    assert parsed.host == "ckafka.tencentcloudapi.com"
    if options.get("skip_sign"):
        assert sent.headers["Authorization"] == "SKIP"
        assert (parsed.secret_id, parsed.token, parsed.signature_method) == (None, None, None)
    else:
        assert parsed.secret_id == "AKIDtest"
        assert parsed.token == "token"
        assert parsed.signature_method == options["sign"]


def test_unsigned_payload_header_is_what_the_sdk_sent() -> None:
    parsed, _, sent = sdk_call("DescribeTopic", {"InstanceId": "x"}, unsigned=True)
    assert sent.headers["X-TC-Content-SHA256"] == "UNSIGNED-PAYLOAD"
    assert parsed.params == {"InstanceId": "x"}


def test_v1_common_parameters_are_removed_from_params() -> None:
    parsed, _, sent = sdk_call("DescribeTopic", {"InstanceId": "x"}, sign="HmacSHA1", method="GET")
    assert "Nonce=" in sent.url and "RequestClient=" in sent.url and "Signature=" in sent.url
    assert parsed.params == {"InstanceId": "x"}


def test_local_endpoint_keeps_its_port_in_host() -> None:
    parsed, _, sent = sdk_call(
        "DescribeTopic", {"InstanceId": "x"}, endpoint="127.0.0.1:9100", scheme="http"
    )
    assert sent.url == "http://127.0.0.1:9100/"
    assert parsed.host == "127.0.0.1:9100"


def test_language_defaults_to_what_the_sdk_sends() -> None:
    parsed, _, _ = sdk_call("DescribeTopic", {"InstanceId": "x"}, language="zh-CN")
    assert parsed.language == "zh-CN"


# --- hand-written requests -------------------------------------------------------------


def parse_error(method: str, url: str, headers: dict[str, str], body: Any) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        parse_request(method, url, headers, body)
    return info.value


@pytest.mark.parametrize("method", ["PUT", "DELETE", "patch"])
def test_method_other_than_get_or_post_is_unsupported(method: str) -> None:
    error = parse_error(method, URL, TC3_HEADERS, b"{}")
    assert error.code == "UnsupportedProtocol"
    assert error.message == f"The HTTP method `{method}` is not supported; use GET or POST."
    assert str(error) == f"UnsupportedProtocol: {error.message}"


@pytest.mark.parametrize(
    ("content_type", "named"),
    [
        ("text/plain", "text/plain"),
        ("multipart/form-data; boundary=abc", "multipart/form-data"),
        ("application/octet-stream", "application/octet-stream"),
    ],
)
def test_post_with_other_content_type_is_unsupported(content_type: str, named: str) -> None:
    headers = {"Content-Type": content_type, "X-TC-Action": "DescribeTopic"}
    error = parse_error("POST", URL, headers, b"x")
    assert error.code == "UnsupportedProtocol"
    assert error.message == (
        f"The content type `{named}` is not supported; send `application/json` "
        "(TC3-HMAC-SHA256) or `application/x-www-form-urlencoded` (HmacSHA1/HmacSHA256)."
    )


def test_invalid_json_body() -> None:
    error = parse_error("POST", URL, TC3_HEADERS, b'{"InstanceId": ')
    assert error.code == "InvalidParameter"
    assert error.message == (
        "The request body is not valid JSON: Expecting value: line 1 column 16 (char 15)."
    )


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("[1]", "a list"),
        ('"x"', "a string"),
        ("3", "a number"),
        ("true", "a boolean"),
        ("null", "null"),
    ],
)
def test_json_body_must_be_an_object(body: str, kind: str) -> None:
    error = parse_error("POST", URL, TC3_HEADERS, body)
    assert (error.code, error.message) == (
        "InvalidParameter",
        f"The request body must be a JSON object, but it is {kind}.",
    )


BIG = "9" * 400


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"Limit": NaN}', "`Limit`: NaN is not standard JSON: send a finite number"),
        ('{"Limit": -Infinity}', "`Limit`: -Infinity is not standard JSON: send a finite number"),
        ('{"Limit": 1e400}', "`Limit`: 1e400 is out of range: send a finite number"),
        ('{"Limit": -1e400}', "`Limit`: -1e400 is out of range: send a finite number"),
        ('{"Limit": ' + BIG + "}",
         "`Limit`: the integer 99999999999999999999... (400 digits) is out of range "
         "(-2**63 to 2**64-1)"),
        ('{"Limit": ' + "9" * 5000 + "}",
         "`Limit`: the integer 99999999999999999999... (5000 digits) is out of range "
         "(-2**63 to 2**64-1)"),
        ('{"Limit": 18446744073709551616}',
         "`Limit`: the integer 18446744073709551616 is out of range (-2**63 to 2**64-1)"),
        ('{"Limit": -9223372036854775809}',
         "`Limit`: the integer -9223372036854775809 is out of range (-2**63 to 2**64-1)"),
        ('{"InstanceId": "x", "Tags": [{"TagKey": "k", "TagValue": 1e400}]}',
         "`Tags.0.TagValue`: 1e400 is out of range: send a finite number"),
    ],
    ids=["nan", "-infinity", "1e400", "-1e400", "400-digits", "5000-digits", "2**64",
         "-2**63-1", "nested"],
)  # fmt: skip
def test_json_numbers_no_standard_json_value_holds_are_refused(body: str, message: str) -> None:
    # 1e400 used to become inf and a 400-digit integer an int: answered with InternalError
    # (validate=False), kept in the state, then the --state save failed.
    error = parse_error("POST", URL, TC3_HEADERS, body)
    assert (error.code, error.message) == (
        "InvalidParameter",
        f"Invalid value for parameter {message}.",
    )


def test_json_numbers_at_the_edges_of_64_bits_are_kept() -> None:
    body = '{"Limit": 18446744073709551615, "Offset": -9223372036854775808, "X": 1e308}'
    parsed = parse_request("POST", URL, TC3_HEADERS, body)
    assert parsed.params == {"Limit": 2**64 - 1, "Offset": -(2**63), "X": 1e308}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Limit=18446744073709551616",
         "Invalid value for parameter `Limit`: the integer 18446744073709551616 is out of "
         "range (-2**63 to 2**64-1)."),
        ("Limit=" + BIG,
         "Invalid value for parameter `Limit`: the integer 99999999999999999999... (400 digits) "
         "is out of range (-2**63 to 2**64-1)."),
        ("Status.0=-9223372036854775809",
         "Invalid value for parameter `Status.0`: the integer -9223372036854775809 is out of "
         "range (-2**63 to 2**64-1)."),
    ],
    ids=["2**64", "400-digits", "list-item"],
)  # fmt: skip
def test_v1_integers_past_64_bits_are_refused(query: str, message: str) -> None:
    error = parse_error("GET", f"{URL}?Action=DescribeInstances&{query}", {}, None)
    assert (error.code, error.message) == ("InvalidParameter", message)


def test_v1_integers_with_leading_zeros_are_in_range() -> None:
    url = f"{URL}?Action=DescribeInstances&Limit=" + "0" * 30 + "5"
    assert parse_request("GET", url, {}, None).params == {"Limit": 5}


def test_non_utf8_body() -> None:
    error = parse_error("POST", URL, TC3_HEADERS, b'{"InstanceId": "\xff"}')
    assert error.code == "InvalidParameter"
    assert error.message == (
        "The request body is not valid UTF-8: 'utf-8' codec can't decode byte 0xff "
        "in position 16: invalid start byte."
    )


def test_non_utf8_form_body() -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    error = parse_error("POST", URL, headers, b"Action=DescribeTopic&InstanceId=\xff")
    assert error.code == "InvalidParameter"
    assert error.message.startswith("The request body is not valid UTF-8:")


def test_non_utf8_percent_encoded_query() -> None:
    error = parse_error("GET", URL + "?Action=DescribeTopic&InstanceId=%FF", {}, None)
    assert error.code == "InvalidParameter"
    assert error.message.startswith("The query string is not valid UTF-8 once percent-decoded:")


@pytest.mark.parametrize(
    ("method", "url", "headers", "body"),
    [
        ("POST", URL, {"Content-Type": "application/json"}, b'{"InstanceId": "x"}'),
        ("POST", URL, {"Content-Type": "application/json", "X-TC-Action": ""}, b"{}"),
        ("GET", URL + "?InstanceId=x", {}, None),
        ("POST", URL, {"Content-Type": "application/x-www-form-urlencoded"}, "Version=1"),
    ],
    ids=["tc3-post", "empty-header", "get", "form"],
)
def test_missing_action(method: str, url: str, headers: dict[str, str], body: Any) -> None:
    error = parse_error(method, url, headers, body)
    assert (error.code, error.message) == (
        "MissingParameter",
        "The request is missing a required parameter `Action`.",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Limit=abc", "Invalid value `abc` for parameter `Limit`: expected an integer."),
        ("Limit=", "Invalid value `` for parameter `Limit`: expected an integer."),
        ("Limit=1.5", "Invalid value `1.5` for parameter `Limit`: expected an integer."),
        ("Status.0=x", "Invalid value `x` for parameter `Status.0`: expected an integer."),
        (
            "Status.0=1&Status.2=7",
            "The list parameter `Status` must be indexed 0, 1, 2, ... without gaps; "
            "received indices 0, 2.",
        ),
        (
            "Status.1=1",
            "The list parameter `Status` must be indexed 0, 1, 2, ... without gaps; "
            "received indices 1.",
        ),
        (
            "Status.0=1&Status.00=2",
            "The list parameter `Status` must be indexed 0, 1, 2, ... without gaps; "
            "received indices 0, 0.",
        ),
        (
            "Status=1",
            "The parameter `Status` is a list; send its items as `Status.0`, `Status.1`, ...",
        ),
        (
            "Status.first=1",
            "The parameter `Status` is a list, so `Status.first` is not valid; "
            "use numeric indices `Status.0`, `Status.1`, ...",
        ),
        ("Limit.0=1", "The parameter `Limit` is a single integer, but `Limit.0` was sent."),
        (
            "Offset=1&Offset.x=2",
            "The parameter `Offset` was sent both as a value and as `Offset.x`.",
        ),
        (
            "Offset.x=2&Offset=1",
            "The parameter `Offset` was sent both as a value and with sub-fields.",
        ),
    ],
)
def test_v1_values_that_do_not_fit_the_spec(query: str, message: str) -> None:
    error = parse_error("GET", f"{URL}?Action=DescribeInstances&{query}", {}, None)
    assert (error.code, error.message) == ("InvalidParameter", message)


def test_list_of_objects_errors_name_the_full_path() -> None:
    query = "Action=DescribeInstancesDetail&Filters.0.Name=Ip&Filters.0.Values.1=x"
    error = parse_error("GET", f"{URL}?{query}", {}, None)
    assert error.message == (
        "The list parameter `Filters.0.Values` must be indexed 0, 1, 2, ... without gaps; "
        "received indices 1."
    )
    error = parse_error("GET", f"{URL}?Action=DescribeInstancesDetail&Filters.0=Ip", {}, None)
    assert error.message == (
        "The parameter `Filters.0` is an object; send its fields as `Filters.0.<Field>`."
    )


def test_object_member_sent_as_a_value() -> None:
    error = parse_error("GET", f"{URL}?Action=ModifyInstanceAttributes&Config=x", {}, None)
    assert (
        error.message == "The parameter `Config` is an object; send its fields as `Config.<Field>`."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("True", True), ("1", True), ("false", False), ("False", False), ("0", False)],
)
def test_v1_bool_spellings(raw: str, expected: bool) -> None:
    url = f"{URL}?Action=ModifyInstanceAttributes&AdminSecurity={raw}"
    assert parse_request("GET", url, {}, None).params == {"AdminSecurity": expected}


def test_v1_bad_bool() -> None:
    error = parse_error("GET", f"{URL}?Action=ModifyInstanceAttributes&AdminSecurity=yes", {}, None)
    assert error.message == (
        "Invalid value `yes` for parameter `AdminSecurity`: expected a boolean (true or false)."
    )


def test_v1_nested_object_is_typed() -> None:
    query = "Config.AutoCreateTopicEnable=false&Config.DefaultNumPartitions=3&Config.Extra=7"
    parsed = parse_request(
        "POST",
        URL,
        {"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
        f"Action=ModifyInstanceAttributes&{query}",
    )
    # Extra is not in the spec: kept, untyped, for the caller's validation to report.
    assert parsed.params == {
        "Config": {"AutoCreateTopicEnable": False, "DefaultNumPartitions": 3, "Extra": "7"}
    }


def test_unknown_action_is_unflattened_but_untyped() -> None:
    url = f"{URL}?Action=DescribeNothing&A=1&B.0=2&B.1=3&C.D=4&C.E.0.F=true"
    parsed = parse_request("GET", url, {}, None)
    assert parsed.action == "DescribeNothing"
    assert parsed.params == {"A": "1", "B": ["2", "3"], "C": {"D": "4", "E": [{"F": "true"}]}}


def test_unknown_action_still_checks_list_indices() -> None:
    error = parse_error("GET", f"{URL}?Action=DescribeNothing&B.0=1&B.5=2", {}, None)
    assert error.message == (
        "The list parameter `B` must be indexed 0, 1, 2, ... without gaps; received indices 0, 5."
    )


def test_unknown_version_is_passed_through() -> None:
    headers = {**TC3_HEADERS, "X-TC-Version": "2017-03-12"}
    assert parse_request("POST", URL, headers, b"{}").version == "2017-03-12"


def test_absent_fields_are_empty_or_none() -> None:
    parsed = parse_request("POST", URL, TC3_HEADERS, b"")
    assert parsed == ParsedRequest(
        action="DescribeTopic",
        version="",
        region=None,
        language=None,
        secret_id=None,
        token=None,
        params={},
        signature_method=None,
        method="POST",
        host="ckafka.tencentcloudapi.com",
    )


@pytest.mark.parametrize("body", [b"", "", None, b"  \n"])
def test_empty_json_body_means_no_params(body: Any) -> None:
    assert parse_request("POST", URL, TC3_HEADERS, body).params == {}


def test_content_type_parameters_and_case_are_ignored() -> None:
    headers = {"CONTENT-TYPE": "Application/JSON; charset=utf-8", "x-tc-action": "DescribeTopic"}
    assert parse_request("post", URL, headers, b'{"Limit": 1}').params == {"Limit": 1}


@pytest.mark.parametrize(
    "headers",
    [
        {"x-tc-action": "DescribeTopic", "x-tc-region": "ap-beijing", "authorization": "SKIP"},
        {"X-TC-ACTION": "DescribeTopic", "X-TC-REGION": "ap-beijing", "AUTHORIZATION": "SKIP"},
        httpx.Headers({"X-Tc-Action": "DescribeTopic", "X-Tc-Region": "ap-beijing"}),
    ],
    ids=["lower", "upper", "httpx"],
)
def test_header_names_are_case_insensitive(headers: Any) -> None:
    parsed = parse_request("POST", URL, headers, b"{}")
    assert (parsed.action, parsed.region) == ("DescribeTopic", "ap-beijing")


def test_tc3_secret_id_comes_from_the_credential() -> None:
    headers = {
        **TC3_HEADERS,
        "Authorization": "TC3-HMAC-SHA256 Credential=AKIDabc/2024-01-01/ckafka/tc3_request, "
        "SignedHeaders=content-type;host, Signature=00",
    }
    parsed = parse_request("POST", URL, headers, b"{}")
    assert (parsed.secret_id, parsed.signature_method) == ("AKIDabc", "TC3-HMAC-SHA256")


def test_v1_without_signature_method_defaults_to_hmacsha1() -> None:
    url = f"{URL}?Action=DescribeTopic&SecretId=AKIDv1&Signature=abc&Nonce=1&Timestamp=2"
    parsed = parse_request("GET", url, {}, None)
    assert (parsed.secret_id, parsed.signature_method, parsed.params) == ("AKIDv1", "HmacSHA1", {})


def test_request_id_is_dropped_from_params() -> None:
    body = b'{"InstanceId": "x", "RequestId": "r-1"}'
    assert parse_request("POST", URL, TC3_HEADERS, body).params == {"InstanceId": "x"}
    url = f"{URL}?Action=DescribeTopic&InstanceId=x&RequestId=r-1"
    assert parse_request("GET", url, {}, None).params == {"InstanceId": "x"}


def test_host_is_lower_case_without_user_info() -> None:
    url = "http://user:pw@CKafka.AP-Guangzhou.TencentCloudAPI.com:443/?Action=DescribeTopic"
    assert parse_request("GET", url, {}, None).host == "ckafka.ap-guangzhou.tencentcloudapi.com:443"


def test_get_ignores_body_and_content_type() -> None:
    parsed = parse_request("GET", f"{URL}?Action=DescribeTopic", TC3_HEADERS, b"not json")
    assert parsed.params == {}


@pytest.mark.parametrize(
    ("body", "params"),
    [(b'{"Limit": 1}', {"Limit": 1}), (b"Action=DescribeTopic&Limit=1", {"Limit": 1})],
    ids=["json", "form"],
)
def test_missing_content_type_is_sniffed(body: bytes, params: dict[str, Any]) -> None:
    parsed = parse_request("POST", URL, {"X-TC-Action": "DescribeTopic"}, body)
    assert parsed.params == params


def test_json_params_are_returned_as_sent() -> None:
    # No spec typing on the JSON path: the body already carries its types.
    parsed = parse_request("POST", URL, TC3_HEADERS, b'{"Limit": "5", "Status": [1, "x"]}')
    assert parsed.params == {"Limit": "5", "Status": [1, "x"]}


def test_unflatten_floats_and_unknown_object_names() -> None:
    members = {
        "Ratio": Member(name="Ratio", type="float", kind="float"),
        "Weights": Member(name="Weights", type="list", kind="double"),
        "Thing": Member(name="Thing", type="object", kind="NotInTheSpec"),
    }
    flat = {"Ratio": "0.5", "Weights.0": "1", "Weights.1": "2.5", "Thing.A": "1"}
    assert unflatten(flat, members) == {"Ratio": 0.5, "Weights": [1.0, 2.5], "Thing": {"A": "1"}}
    with pytest.raises(ProtocolError) as info:
        unflatten({"Ratio": "inf"}, members)
    assert (
        info.value.message == "Invalid value `inf` for parameter `Ratio`: expected a finite number."
    )


def test_unflatten_with_spec_members() -> None:
    members = load_spec().input_members("DescribeInstancesDetail")
    flat = {f"Status.{i}": str(i) for i in reversed(range(11))}
    flat.update({"Filters.0.Name": "Ip", "Filters.0.Values.0": "1.1.1.1", "Limit": "-1"})
    assert unflatten(flat, members) == {
        "Status": list(range(11)),
        "Filters": [{"Name": "Ip", "Values": ["1.1.1.1"]}],
        "Limit": -1,
    }
