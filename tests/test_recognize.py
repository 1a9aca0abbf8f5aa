"""What makes a request a CKafka API call, whatever host it goes to."""

from __future__ import annotations

import pytest

from pytest_ckafka.api.recognize import is_ckafka_request

LOCAL = "http://127.0.0.1:9100/"
TC3 = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19"}
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def _authorization(service: str) -> str:
    return (
        f"TC3-HMAC-SHA256 Credential=AKIDexample/2024-01-01/{service}/tc3_request, "
        "SignedHeaders=content-type;host, Signature=" + "0" * 64
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (TC3, True),
        ({k.lower(): v for k, v in TC3.items()}, True),
        # The Node.js SDK signs a custom endpoint's first label as the service.
        ({**TC3, "Authorization": _authorization("127")}, True),
        # The client says it is calling CKafka: the fake answers NoSuchVersion/InvalidAction.
        ({"X-TC-Action": "DescribeTopics", "Authorization": _authorization("ckafka")}, True),
        ({**TC3, "X-TC-Version": "2017-03-12"}, False),  # another product's version
        ({"X-TC-Action": "RunInstances", "X-TC-Version": "2019-08-19"}, False),
        ({"X-TC-Action": "RunInstances", "Authorization": _authorization("cvm")}, False),
        ({"X-TC-Action": "DescribeTopic", "Authorization": "SKIP"}, False),
        ({"Content-Type": "application/json"}, False),
    ],
    ids=[
        "tc3",
        "lower-case-headers",
        "node-sdk-scope",
        "ckafka-scope",
        "other-version",
        "other-action",
        "cvm-scope",
        "unparsed-authorization",
        "plain-json",
    ],
)
def test_api3_requests(headers: dict[str, str], expected: bool) -> None:
    assert is_ckafka_request("POST", LOCAL, headers, b"{}") is expected


def test_v1_requests_in_the_query_or_a_form_body() -> None:
    query = "Action=DescribeRegion&Version=2019-08-19&SecretId=AKIDx"
    assert is_ckafka_request("GET", f"{LOCAL}?{query}", {}, None)
    assert is_ckafka_request("POST", LOCAL, FORM, query.encode())
    assert is_ckafka_request("POST", LOCAL, FORM, query)
    assert not is_ckafka_request("POST", LOCAL, {}, query.encode())  # not a form
    assert not is_ckafka_request("GET", f"{LOCAL}?Action=DescribeRegion", {}, None)
    assert not is_ckafka_request("GET", f"{LOCAL}?Action=Foo&Version=2019-08-19", {}, None)


def test_hosts_of_tencent_cloud_decide_alone() -> None:
    assert is_ckafka_request("POST", "https://ckafka.tencentcloudapi.com/", {}, b"")
    assert not is_ckafka_request("POST", "https://cvm.tencentcloudapi.com/", TC3, b"{}")
    assert not is_ckafka_request(
        "POST", "https://user@cvm.ap-guangzhou.tencentcloudapi.com:443/", TC3, b"{}"
    )


def test_a_large_form_body_to_another_host_is_not_read() -> None:
    body = b"Action=DescribeRegion&Version=2019-08-19&Blob=" + b"x" * (1024 * 1024)
    assert not is_ckafka_request("POST", LOCAL, FORM, body)


def test_bytes_header_values() -> None:
    headers = {"X-TC-Action": b"DescribeTopic", "X-TC-Version": b"2019-08-19"}
    assert is_ckafka_request("POST", LOCAL, headers, b"{}")  # type: ignore[arg-type]
