"""The official SDK, sync (requests) and async (httpx), against the ckafka fixture.

Every error code and every fault kind must reach the SDK as the real failure would.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)

import pytest_ckafka
from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend import allowed_codes, stateful_actions

from .example_seeds import REFUSED, SEEDS


def _describe_topic() -> models.DescribeTopicRequest:
    request = models.DescribeTopicRequest()
    request.InstanceId = "ckafka-abcd1234"
    request.SearchWord = "orders"
    request.Limit = 20
    return request


@pytest.mark.ckafka(stateful=False)  # about the synthesized default, not the backend
def test_default_answer_is_the_documented_example(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    response = ckafka_client.DescribeInstances(models.DescribeInstancesRequest())
    example = pytest_ckafka.load_spec().action("DescribeInstances").example_output
    assert example is not None
    assert response.Result.TotalCount == example["Result"]["TotalCount"]
    documented = example["Result"]["InstanceList"][0]["InstanceId"]
    assert response.Result.InstanceList[0].InstanceId == documented
    assert uuid.UUID(response.RequestId).version == 4
    (call,) = ckafka.calls
    assert (call.action, call.region, call.version) == (
        "DescribeInstances",
        "ap-guangzhou",
        "2019-08-19",
    )
    assert call.response is not None
    assert call.response["Response"]["RequestId"] == call.request_id == response.RequestId
    assert call.error_code is None


def test_respond_body_reaches_the_model(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.respond(
        "DescribeTopic",
        {"Result": {"TotalCount": 1, "TopicList": [{"TopicName": "orders", "TopicId": "t-1"}]}},
    )
    result = ckafka_client.DescribeTopic(_describe_topic()).Result
    assert (result.TotalCount, result.TopicList[0].TopicName) == (1, "orders")
    ckafka.assert_called("DescribeTopic", times=1, params={"SearchWord": "orders", "Limit": 20})


@pytest.mark.parametrize("code", pytest_ckafka.error_codes())
def test_every_error_code_raises_in_the_sync_sdk(
    ckafka: CKafkaMock, ckafka_client: Any, code: str
) -> None:
    ckafka.fail("DescribeTopic", code)
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DescribeTopic(_describe_topic())
    assert info.value.code == code
    assert info.value.message == pytest_ckafka.ERROR_CODES[code].description
    assert info.value.requestId == ckafka.calls[-1].request_id
    assert ckafka.calls[-1].error_code == code


@pytest.mark.parametrize("code", pytest_ckafka.error_codes())
async def test_every_error_code_raises_in_the_async_sdk(
    ckafka: CKafkaMock, ckafka_client_async: Any, code: str
) -> None:
    ckafka.fail("*", code)
    with pytest.raises(TencentCloudSDKException) as info:
        await ckafka_client_async.DescribeTopic(_describe_topic())
    assert (info.value.code, info.value.requestId) == (code, ckafka.calls[-1].request_id)


def test_fail_times_then_default(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders")
    ckafka.fail("DeleteTopic", "ResourceInUse", "busy", times=1)
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DeleteTopic(request)
    assert (info.value.code, info.value.message) == ("ResourceInUse", "busy")
    assert ckafka_client.DeleteTopic(request).Result is not None
    assert [c.error_code for c in ckafka.calls] == ["ResourceInUse", None]
    assert ckafka.state.topics("ckafka-1") == []


# -- faults: what each looks like to the sync SDK -------------------------------------------


def test_timeout_is_a_client_network_error(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.fault("DescribeTopic", "timeout")
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DescribeTopic(_describe_topic())
    assert info.value.code == "ClientNetworkError"
    assert "simulated read timeout" in info.value.message
    assert ckafka.calls[-1].error_code == "fault:timeout"


def test_connection_error_is_a_client_network_error(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.fault("DescribeTopic", "connection_error")
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DescribeTopic(_describe_topic())
    assert info.value.code == "ClientNetworkError"
    assert "simulated connection refused" in info.value.message


def test_http_status_is_a_server_network_error(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.fault("DescribeTopic", "http_status", status=503)
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DescribeTopic(_describe_topic())
    assert info.value.code == "ServerNetworkError"
    assert b"503 Service Unavailable" in info.value.message
    assert ckafka.calls[-1].error_code == "fault:http_status"


def test_malformed_json_is_a_parse_error(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.fault("DescribeTopic", "malformed_json")
    with pytest.raises(TencentCloudSDKException) as info:
        ckafka_client.DescribeTopic(_describe_topic())
    assert info.value.code == "JSONDecodeError"


def test_wrong_content_type_is_silently_an_empty_model(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    """Pinned SDK behaviour: an error envelope with charset is ignored, no exception.

    The model is empty but for the RequestId of the failed call.
    """
    ckafka.fault("DescribeTopic", "wrong_content_type")
    response = ckafka_client.DescribeTopic(_describe_topic())
    assert response.Result is None
    assert response.RequestId == ckafka.calls[-1].request_id
    assert ckafka.calls[-1].error_code == "fault:wrong_content_type"


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "text/html", "application/javascript"]
)
def test_sdk_ignores_errors_with_any_other_content_type(
    ckafka_client: Any, content_type: str
) -> None:
    """Why envelopes must be sent as exactly application/json."""
    import responses

    body = json.dumps(pytest_ckafka.error_envelope("InternalError", request_id="r-1"))
    with responses.RequestsMock() as raw:
        raw.add(
            responses.POST,
            "https://ckafka.tencentcloudapi.com/",
            body=body,
            content_type=content_type,
        )
        response = ckafka_client.DescribeTopic(_describe_topic())
    assert response.Result is None
    with responses.RequestsMock() as raw:
        raw.add(
            responses.POST,
            "https://ckafka.tencentcloudapi.com/",
            body=body,
            content_type="application/json",
        )
        with pytest.raises(TencentCloudSDKException, match="InternalError"):
            ckafka_client.DescribeTopic(_describe_topic())


# -- faults through the async SDK (httpx) ---------------------------------------------------


async def test_async_timeout_surfaces_httpx_timeout(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    ckafka.fault("DescribeTopic", "timeout")
    with pytest.raises(httpx.ReadTimeout):
        await ckafka_client_async.DescribeTopic(_describe_topic())


async def test_async_connection_error(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.fault("DescribeTopic", "connection_error")
    with pytest.raises(httpx.ConnectError):
        await ckafka_client_async.DescribeTopic(_describe_topic())


async def test_async_http_status(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.fault("DescribeTopic", "http_status")
    with pytest.raises(TencentCloudSDKException) as info:
        await ckafka_client_async.DescribeTopic(_describe_topic())
    assert info.value.code == "ServerNetworkError"


async def test_async_malformed_json(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.fault("DescribeTopic", "malformed_json")
    with pytest.raises(json.JSONDecodeError):
        await ckafka_client_async.DescribeTopic(_describe_topic())


async def test_async_wrong_content_type_is_an_empty_model(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    ckafka.fault("DescribeTopic", "wrong_content_type")
    response = await ckafka_client_async.DescribeTopic(_describe_topic())
    assert response.Result is None


async def test_async_success_and_calls(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.state.add_instance("ckafka-abcd1234")
    ckafka.state.add_topic("ckafka-abcd1234", "orders")
    response = await ckafka_client_async.DescribeTopic(_describe_topic())
    assert response.Result.TotalCount == 1
    assert response.Result.TopicList[0].TopicName == "orders"
    ckafka.assert_called("DescribeTopic", params={"InstanceId": "ckafka-abcd1234"})


# -- every action, sync SDK -----------------------------------------------------------------


def _walk_required(
    spec: Any,
    object_name: str,
    value: Any,
    path: str,
    problems: list[str],
    *,
    nullable: bool = False,
) -> None:
    """Collect the output-required members that are null (``nullable``: unless the spec allows)."""
    for name, member in spec.members(object_name).items():
        item = value.get(name) if isinstance(value, dict) else None
        if member.output_required and item is None and not (nullable and member.nullable):
            problems.append(f"{path}.{name} is null")
        if member.is_object and item is not None:
            for n, element in enumerate(item if member.type == "list" else [item]):
                _walk_required(
                    spec, member.kind, element, f"{path}.{name}[{n}]", problems, nullable=nullable
                )


@pytest.mark.ckafka(stateful=False)  # the synthesized defaults; stateful answers: below
@pytest.mark.parametrize("action", sorted(pytest_ckafka.load_spec().actions))
def test_every_action_deserializes_cleanly_through_the_sdk(
    ckafka: CKafkaMock, ckafka_client: Any, action: str, recwarn: pytest.WarningsRecorder
) -> None:
    spec = pytest_ckafka.load_spec()
    # The documented example input: a valid request, which validation lets through.
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(spec.action(action).example_input))
    model = getattr(ckafka_client, action)(request)
    useless = [str(w.message) for w in recwarn if "useless" in str(w.message)]
    assert useless == []
    assert model.RequestId == ckafka.calls[-1].request_id
    sent = ckafka.calls[-1].response["Response"]
    problems: list[str] = []
    _walk_required(spec, spec.action(action).output, sent, action, problems)
    assert problems == []
    serialized = json.loads(model.to_json_string())
    assert serialized["RequestId"] == sent["RequestId"]


def test_sdk_logs_nothing_alarming(
    ckafka: CKafkaMock, ckafka_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        ckafka_client.DescribeInstances(models.DescribeInstancesRequest())
    assert caplog.records == []


# -- every stateful action, sync SDK ---------------------------------------------------------

# Documented example inputs the stateful backend rightly refuses, whatever is seeded: the
# code it answers, and the members that make the example valid (that call must succeed).
_EXAMPLE_REFUSED: dict[str, tuple[str, dict[str, Any]]] = {
    # 450001 is no zone of ap-guangzhou (DescribeCkafkaZone lists 100001 to 100007).
    "CreateInstancePre": ("InvalidParameterValue.ZoneNotSupport", {"ZoneId": 100003}),
    "CreatePostPaidInstance": ("InvalidParameterValue.ZoneNotSupport", {"ZoneId": 100003}),
    # VipType 1 (public network) supports AccessType 1 or 3 only and needs PublicNetwork.
    "CreateRoute": ("InvalidParameterValue", {"AccessType": 3, "PublicNetwork": 3}),
    # Strategy 1 (shift by time) needs ShiftTimestamp, which the example leaves out.
    "ModifyGroupOffsets": ("MissingParameter", {"ShiftTimestamp": 1577808000000}),
    # "2" is too weak a password: it needs two kinds of characters.
    "ModifyPassword": ("InvalidParameterValue", {"PasswordNew": "Password2"}),
}


def _names(value: Any, key: str) -> list[str]:
    """The names under ``key`` in an example member: a string, a list, or a list of objects."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v[key] if isinstance(v, dict) else v for v in value]
    return []


def _seed_example(ckafka: CKafkaMock, example: dict[str, Any], *, action: str) -> None:
    """Seed what ``example`` (the documented input of ``action``) refers to."""
    state = ckafka.state
    if action == "DescribeTaskStatus":
        tasks = [{"flow_id": example["FlowId"], "kind": "CreateTopic", "instance_id": "ckafka-1"}]
        tasks[0].update(created_at=ckafka.clock.now())
        state.load({"stores": [{"account": "default", "region": "ap-guangzhou", "tasks": tasks}]})
        return
    instance_id = example.get("InstanceId")
    if instance_id is None:
        if action == "DescribeInstancesDetail":  # lists every instance: have one to list
            state.add_instance()
        return
    name = f"{example.get('SearchWord', '')}-instance"
    pay_mode = "POSTPAID_BY_HOUR" if action == "DeleteInstancePost" else "PREPAID"
    state.add_instance(instance_id, name=name, pay_mode=pay_mode)
    if action == "DescribeInstances":
        return
    topics: list[str] = []
    if action != "CreateTopic":
        for key in ("TopicName", "Topic", "Topics"):
            topics += _names(example.get(key), "TopicName")
    if action in ("DescribeTopic", "DescribeTopicDetail", "DescribeTopicAttributes"):
        topics = topics or ["orders"]
    partitions = 1 if action == "CreatePartition" else 3
    for topic in topics:
        state.add_topic(instance_id, topic, partitions=partitions)
        for partition in range(partitions):
            state.add_messages(instance_id, topic, ["a", ("k", "b"), "c"], partition=partition)
    groups = _names(example.get("Group"), "") + _names(example.get("GroupList"), "")
    if action in ("DescribeGroup", "DescribeConsumerGroup"):
        groups = ["payments"]
    for group in groups:
        state.add_group(instance_id, group, offsets={t: [1] * partitions for t in topics})
    if action in ("DeleteUser", "ModifyPassword", "DescribeUser"):
        state.add_user(instance_id, example.get("Name", "alice"), example.get("Password", "pw"))
    principal = str(example.get("Principal", ""))
    if principal.startswith("User:") and principal != "User:*":
        state.add_user(instance_id, principal.removeprefix("User:"), "Password1")
    if action in ("DeleteAcl", "DescribeACL"):
        state.add_acl(
            instance_id,
            example["ResourceName"],
            operation=example.get("Operation", 2),
            permission_type=example.get("PermissionType", 2),
            resource_type=example["ResourceType"],
        )
    if action in ("DeleteRoute", "DescribeRoute"):
        route_id = state.add_route(instance_id)
        assert route_id == example.get("RouteId", route_id)


@pytest.mark.parametrize("action", sorted(stateful_actions()))
def test_every_stateful_action_deserializes_cleanly_through_the_sdk(
    ckafka: CKafkaMock, ckafka_client: Any, action: str, recwarn: pytest.WarningsRecorder
) -> None:
    spec = pytest_ckafka.load_spec()
    example = dict(spec.action(action).example_input or {})
    SEEDS.get(action, functools.partial(_seed_example, action=action))(ckafka, example)
    refused = _EXAMPLE_REFUSED.get(action) or REFUSED.get(action)
    if refused is not None:
        code, fix = refused
        assert code in allowed_codes(action)
        request = getattr(models, f"{action}Request")()
        request.from_json_string(json.dumps(example))
        with pytest.raises(TencentCloudSDKException) as info:
            getattr(ckafka_client, action)(request)
        assert (info.value.code, info.value.requestId) == (code, ckafka.calls[-1].request_id)
        assert ckafka.calls[-1].answered_by == "state"
        example.update(fix)
    # The (fixed) documented example input, against the seeded state: a success.
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(example))
    model = getattr(ckafka_client, action)(request)
    assert ckafka.calls[-1].answered_by == "state"
    useless = [str(w.message) for w in recwarn if "useless" in str(w.message)]
    assert useless == []
    assert model.RequestId == ckafka.calls[-1].request_id
    sent = ckafka.calls[-1].response["Response"]
    assert "Error" not in sent
    problems: list[str] = []
    # The backend sends null for nullable members, as the real API does.
    _walk_required(spec, spec.action(action).output, sent, action, problems, nullable=True)
    assert problems == []
    serialized = json.loads(model.to_json_string())
    assert serialized["RequestId"] == sent["RequestId"]
