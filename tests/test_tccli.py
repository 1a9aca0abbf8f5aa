"""tccli, driven for real in-process, answered by the ckafka fixture."""

from __future__ import annotations

import json

import pytest

from pytest_ckafka import CKafkaMock, FakeServer


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


# -- what tccli prints for each fault, against a server (docs/other-languages.md) -------------


@pytest.mark.parametrize(
    ("kind", "printed"),
    [
        ("malformed_json", "code:JSONDecodeError message:Unterminated string starting at: "),
        ("http_status", "code:ServerNetworkError message:b'<html><head><title>503 Service "),
        (
            "connection_error",
            "code:ClientNetworkError message:('Connection aborted.', "
            "ConnectionResetError(104, 'Connection reset by peer'))",
        ),
    ],
)
def test_tccli_prints_a_fault_as_an_sdk_exception(tccli, kind: str, printed: str) -> None:  # type: ignore[no-untyped-def]
    with FakeServer() as server:
        server.fault("DescribeRegion", kind, status=503)
        out = tccli("ckafka", "DescribeRegion", "--endpoint", f"http://{server.endpoint}")
    assert out.startswith(f"[TencentCloudSDKException] {printed}")
    assert out.endswith(" requestId:None\n")


def test_tccli_hides_an_error_sent_with_another_content_type(tccli) -> None:  # type: ignore[no-untyped-def]
    with FakeServer() as server:
        server.fault("DescribeRegion", "wrong_content_type")
        out = tccli("ckafka", "DescribeRegion", "--endpoint", f"http://{server.endpoint}")
        # The SDK under tccli ignores the error envelope: an empty result, printed as success.
        assert json.loads(out) == {"Result": None, "RequestId": server.calls[-1].request_id}


def test_tccli_creates_an_acl_rule_the_next_command_sees(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    """tccli's JSON arguments for nested members reach the stateful ACL rules intact."""
    instance = ckafka.state.add_instance(name="cli", region="ap-shanghai")
    ckafka.state.add_user(instance, "alice", "Passw0rd")
    ckafka.state.add_topic(instance, "logs-app")
    rule = {"Operation": "Write", "PermissionType": "Allow", "Host": "*", "Principal": "User:alice"}
    out = tccli(
        "ckafka", "CreateAclRule", "--InstanceId", instance, "--ResourceType", "Topic",
        "--PatternType", "PREFIXED", "--Pattern", "logs-", "--RuleName", "shippers",
        "--RuleList", json.dumps([rule]),
    )  # fmt: skip
    rule_id = json.loads(out)["Result"]
    (made,) = ckafka.state.acl_rules(instance)
    assert (made.rule_id, made.name, made.pattern_type, made.pattern) == (
        rule_id,
        "shippers",
        "PREFIXED",
        "logs-",
    )
    acls = ckafka.state.acls(instance)
    assert [(a.resource_name, a.principal, a.operation) for a in acls] == [
        ("logs-app", "User:alice", 4)
    ]
