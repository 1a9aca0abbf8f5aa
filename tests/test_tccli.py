"""tccli, driven for real in-process, answered by the ckafka fixture."""

from __future__ import annotations

import json

from pytest_ckafka import CKafkaMock


def test_tccli_gets_the_stubbed_answer(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.respond(
        "DescribeTopic",
        {"Result": {"TotalCount": 1, "TopicList": [{"TopicName": "orders", "TopicId": "t-1"}]}},
    )
    out = json.loads(tccli("ckafka", "DescribeTopic", "--InstanceId", "ckafka-1", "--Limit", "5"))
    assert out["Result"]["TopicList"][0]["TopicName"] == "orders"
    assert out["RequestId"] == ckafka.calls[-1].request_id
    call = ckafka.calls[-1]
    assert (call.action, dict(call.params), call.region, call.secret_id) == (
        "DescribeTopic",
        {"InstanceId": "ckafka-1", "Limit": 5},
        "ap-shanghai",
        "AKIDtccliFAKE",
    )


def test_tccli_prints_the_error_code_and_request_id(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.fail("DeleteTopic", "ResourceInUse")
    out = tccli("ckafka", "DeleteTopic", "--InstanceId", "ckafka-1", "--TopicName", "orders")
    request_id = ckafka.calls[-1].request_id
    assert out.strip() == (
        "[TencentCloudSDKException] code:ResourceInUse message:Resource is in use. "
        f"requestId:{request_id}"
    )


def test_tccli_with_a_custom_endpoint(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.add_endpoint("127.0.0.1:9100")
    out = json.loads(tccli("ckafka", "DescribeRegion", "--endpoint", "127.0.0.1:9100"))
    assert out["RequestId"] == ckafka.calls[-1].request_id
    assert ckafka.calls[-1].url.startswith(("https://127.0.0.1:9100/", "http://127.0.0.1:9100/"))
