"""The whole fake over HTTP: stubs, state and validation through FakeServer and the CLI."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Callable

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka import CKafka, FakeServer
from pytest_ckafka.api import strict_json
from pytest_ckafka.server.control import handle_control


def profile(server: FakeServer) -> ClientProfile:
    return ClientProfile(httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http"))


def client(server: FakeServer) -> Any:
    cred = credential.Credential("AKIDserverFAKE", "fake")
    return ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile(server))


def control(server: FakeServer, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url.rstrip("/") + path, data, method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def create_topic(instance_id: str, name: str) -> models.CreateTopicRequest:
    request = models.CreateTopicRequest()
    request.InstanceId, request.TopicName = instance_id, name
    request.PartitionNum, request.ReplicaNum = 2, 2
    return request


def test_a_workflow_over_http_with_the_state_driven_by_the_control_api(
    ckafka_server: FakeServer,
) -> None:
    added = control(ckafka_server, "POST", "/_ckafka/state", {"add": "instance", "name": "shop"})[
        "added"
    ]
    instance_id = added[0]
    sdk = client(ckafka_server)
    sdk.CreateTopic(create_topic(instance_id, "orders"))
    describe = models.DescribeTopicRequest()
    describe.InstanceId = instance_id
    assert [t.TopicName for t in sdk.DescribeTopic(describe).Result.TopicList] == ["orders"]

    delete = models.DeleteTopicRequest()
    delete.InstanceId, delete.TopicName = instance_id, "orders"
    with pytest.raises(TencentCloudSDKException) as error:
        sdk.DeleteTopic(delete)
    assert error.value.code == "UnsupportedOperation.FrequencyTopicDeleteOperate"
    control(ckafka_server, "POST", "/_ckafka/clock", {"advance": 60})
    sdk.DeleteTopic(delete)
    stores = control(ckafka_server, "GET", "/_ckafka/state")["state"]["stores"]
    assert stores[0]["instances"][instance_id]["topics"] == {}
    assert [c.answered_by for c in ckafka_server.calls] == ["state"] * 4


def test_the_server_clock_is_live_so_real_waits_count() -> None:
    with FakeServer() as server:
        start = server.clock.now()
        assert server.clock.live and abs(start - time.time()) < 5
        time.sleep(0.05)  # a fixed (non-live) clock would still read `start`
        assert server.clock.now() >= start + 0.05


def test_stubs_win_over_the_state_and_validation_runs_first(ckafka_server: FakeServer) -> None:
    instance_id = ckafka_server.state.add_instance()
    ckafka_server.fail("CreateTopic", "ResourceUnavailable", times=1)
    sdk = client(ckafka_server)
    with pytest.raises(TencentCloudSDKException) as error:
        sdk.CreateTopic(create_topic(instance_id, "orders"))
    assert error.value.code == "ResourceUnavailable"
    assert ckafka_server.state.topics(instance_id) == []
    bad = create_topic(instance_id, "orders")
    bad.PartitionNum = None
    with pytest.raises(TencentCloudSDKException) as error:
        sdk.CreateTopic(bad)
    assert (error.value.code, error.value.message) == (
        "MissingParameter",
        "The request is missing a required parameter `PartitionNum`.",
    )
    sdk.CreateTopic(create_topic(instance_id, "orders"))
    assert [t.name for t in ckafka_server.state.topics(instance_id)] == ["orders"]


@pytest.mark.asyncio
async def test_the_async_sdk_over_http(ckafka_server: FakeServer) -> None:
    instance_id = ckafka_server.state.add_instance()
    ckafka_server.state.add_topic(instance_id, "orders", partitions=3)
    cred = credential.Credential("AKIDserverFAKE", "fake")
    sdk = ckafka_client_async.CkafkaClient(cred, "ap-guangzhou", profile(ckafka_server))
    try:
        request = models.DescribeTopicAttributesRequest()
        request.InstanceId, request.TopicName = instance_id, "orders"
        answer = await sdk.DescribeTopicAttributes(request)
        assert answer.Result.PartitionNum == 3
    finally:
        await sdk.close()


def test_tccli_sees_the_seeded_state(
    ckafka_server: FakeServer, tccli: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-guangzhou")
    instance_id = ckafka_server.state.add_instance()
    ckafka_server.state.add_topic(instance_id, "orders")
    ckafka_server.state.add_topic(instance_id, "payments")
    out = tccli(
        "ckafka",
        "DescribeTopic",
        "--InstanceId",
        instance_id,
        "--SearchWord",
        "pay",
        "--endpoint",
        f"http://{ckafka_server.endpoint}",
    )
    result = json.loads(out)["Result"]
    assert (result["TotalCount"], [t["TopicName"] for t in result["TopicList"]]) == (
        1,
        ["payments"],
    )


def _post_raw(server: FakeServer, path: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(server.url.rstrip("/") + path, body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        (
            "/_ckafka/state",
            b'[{"add": "instance", "instance_id": "ckafka-1", "name": "shop\\ud800"}]',
            "seed[0].name: the string holds a lone surrogate (\\ud800 at character 4), which "
            "is not Unicode text",
        ),
        (
            "/_ckafka/stubs",
            b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", '
            b'"params": {"TopicName": "\\udfff"}}',
            "params.TopicName: the string holds a lone surrogate (\\udfff at character 0), "
            "which is not Unicode text",
        ),
        (
            "/_ckafka/clock",
            b'{"advance": NaN}',
            "advance: NaN is not standard JSON: send a finite number",
        ),
        ("/_ckafka/stubs", b"[" * 100_000, "stubs: is nested more than 32 levels deep"),
    ],
)
def test_the_control_api_over_http_refuses_what_would_poison_the_fake(
    path: str, body: bytes, error: str
) -> None:
    with FakeServer() as server:
        assert _post_raw(server, path, body) == (400, {"error": error})
        for read in ("/_ckafka/calls", "/_ckafka/state", "/_ckafka/stubs", "/_ckafka/clock"):
            with urllib.request.urlopen(server.url.rstrip("/") + read, timeout=10) as answer:
                strict_json.loads(answer.read())  # standard JSON, still
        assert list(server.problems) == []  # a 400, never an InternalError


def test_a_seeded_topic_keeps_to_the_partition_budget_and_allocates_nothing_past_it() -> None:
    """A billion partitions in a seed is refused at once, not allocated."""
    fake = CKafka()
    fake.state.add_instance("ckafka-1", partition_limit=10)
    entry = b'{"add": "topic", "instance_id": "ckafka-1", "name": "t", "partitions": 1000000000}'
    answer = handle_control(fake, "POST", "/_ckafka/state", entry)
    assert (answer.status, answer.body["error"]) == (
        400,
        "seed[0]: state.add_topic: 1000000000 partitions do not fit instance ckafka-1, which "
        "uses 0 of its partition_limit 10; seed the instance with a larger "
        "add_instance(partition_limit=...)",
    )
    assert fake.state.topics("ckafka-1") == []
