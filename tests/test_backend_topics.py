"""The stateful topic actions, driven through the official SDK (sync and async)."""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client as sdk_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as error
from .sdk_calls import sdk_request as _request
from .sdk_calls import sdk_result as call

ALREADY = "InvalidParameterValue.TopicNameAlreadyExist"
TOO_SOON = "UnsupportedOperation.FrequencyTopicDeleteOperate"
BAD = "InvalidParameterValue"


@pytest.fixture
def iid(ckafka: CKafkaMock) -> str:
    """A running instance in the SDK clients' account and region."""
    return ckafka.state.add_instance("ckafka-abc12345", name="shop")


def snapshot(ckafka: CKafkaMock, instance_id: str) -> list[Any]:
    return copy.deepcopy(ckafka.state.topics(instance_id))


# -- the whole workflow ------------------------------------------------------------------------


def test_create_describe_modify_grow_delete(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str
) -> None:
    created = call(
        ckafka_client,
        "CreateTopic",
        InstanceId=iid,
        TopicName="orders",
        PartitionNum=3,
        ReplicaNum=2,
        RetentionMs=3_600_000,
        CleanUpPolicy="compact",
        Note="order events",
        Tags=[{"TagKey": "team", "TagValue": "shop"}],
    )
    assert re.fullmatch(r"topic-[a-z0-9]{8}", created["TopicId"])
    (topic,) = ckafka.state.topics(iid)
    assert (topic.topic_id, topic.name, topic.partition_num, topic.replica_num) == (
        created["TopicId"],
        "orders",
        3,
        2,
    )
    assert topic.created_at == ckafka.clock.now()
    assert topic.config["RetentionMs"] == 3_600_000 and topic.note == "order events"

    listed = call(ckafka_client, "DescribeTopic", InstanceId=iid)
    assert listed == {
        "TopicList": [
            {"TopicId": created["TopicId"], "TopicName": "orders", "Note": "order events"}
        ],
        "TotalCount": 1,
    }

    attributes = call(ckafka_client, "DescribeTopicAttributes", InstanceId=iid, TopicName="orders")
    assert attributes["TopicId"] == created["TopicId"]
    assert attributes["CreateTime"] == int(ckafka.clock.now())
    assert (attributes["PartitionNum"], attributes["ReplicaNum"]) == (3, 2)
    assert [p["Partition"] for p in attributes["Partitions"]] == [0, 1, 2]
    assert attributes["Config"]["Retention"] == 3_600_000
    assert attributes["Config"]["CleanUpPolicy"] == "compact"
    assert attributes["Config"]["MinInsyncReplicas"] == 1  # the documented default

    result = call(
        ckafka_client,
        "ModifyTopicAttributes",
        InstanceId=iid,
        TopicName="orders",
        Note="orders v2",
        RetentionMs=86_400_000,
        MinInsyncReplicas=2,
    )
    assert result["ReturnCode"] == "0"
    assert (
        call(ckafka_client, "CreatePartition", InstanceId=iid, TopicName="orders", PartitionNum=5)[
            "ReturnCode"
        ]
        == "0"
    )

    (detail,) = call(ckafka_client, "DescribeTopicDetail", InstanceId=iid)["TopicList"]
    assert (detail["TopicName"], detail["PartitionNum"], detail["Note"]) == (
        "orders",
        5,
        "orders v2",
    )
    assert detail["Config"]["Retention"] == 86_400_000
    assert detail["Config"]["MinInsyncReplicas"] == 2
    assert detail["RetentionTimeConfig"]["Expect"] == 1440
    assert detail["Tags"] == [{"TagKey": "team", "TagValue": "shop"}]
    assert [p.messages for p in ckafka.state.topic(iid, "orders").partitions] == [[]] * 5

    assert error(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders") == (
        TOO_SOON,
        "The topic `orders` was created 0 seconds ago; a topic can be deleted 60 seconds "
        "after it is created, retry in 60 seconds.",
    )
    ckafka.clock.advance(45)
    assert error(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders")[1].endswith(
        "retry in 15 seconds."
    )
    assert len(ckafka.state.topics(iid)) == 1
    ckafka.clock.advance(15)
    assert (
        call(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders")["ReturnCode"] == "0"
    )
    assert ckafka.state.topics(iid) == []
    assert call(ckafka_client, "DescribeTopic", InstanceId=iid) == {
        "TopicList": [],
        "TotalCount": 0,
    }


async def test_async_workflow(ckafka: CKafkaMock, ckafka_client_async: Any, iid: str) -> None:
    async def run(action: str, **params: Any) -> Any:
        response = await getattr(ckafka_client_async, action)(_request(action, params))
        return json.loads(response.to_json_string())["Result"]

    created = await run(
        "CreateTopic", InstanceId=iid, TopicName="audit", PartitionNum=1, ReplicaNum=1
    )
    await run("CreatePartition", InstanceId=iid, TopicName="audit", PartitionNum=4)
    listed = await run("DescribeTopic", InstanceId=iid, SearchWord="aud")
    assert listed["TopicList"][0]["TopicId"] == created["TopicId"]
    with pytest.raises(TencentCloudSDKException) as info:
        await run("CreateTopic", InstanceId=iid, TopicName="audit", PartitionNum=1, ReplicaNum=1)
    assert info.value.code == ALREADY
    ckafka.clock.advance(60)
    await run("DeleteTopic", InstanceId=iid, TopicName="audit")
    assert ckafka.state.topics(iid) == []


# -- CreateTopic rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"TopicName": "bad name"},
            BAD,
            "The topic name `bad name` is invalid: use 1 to 128 "
            "letters, digits, `_`, `-` and `.`, not starting with `__`.",
        ),
        (
            {"TopicName": "__internal"},
            BAD,
            "The topic name `__internal` is invalid: use 1 to 128 "
            "letters, digits, `_`, `-` and `.`, not starting with `__`.",
        ),
        ({"TopicName": "t" * 129}, BAD, None),
        ({"PartitionNum": 0}, BAD, "The parameter `PartitionNum` must be 1 or more, got 0."),
        ({"ReplicaNum": 4}, BAD, "The parameter `ReplicaNum` must be between 1 and 3, got 4."),
        ({"ReplicaNum": 0}, BAD, "The parameter `ReplicaNum` must be between 1 and 3, got 0."),
        (
            {"RetentionMs": 59_999},
            BAD,
            "The parameter `RetentionMs` must be between 60000 and 7776000000 milliseconds, "
            "got 59999.",
        ),
        ({"RetentionMs": 7_776_000_001}, BAD, None),
        (
            {"SegmentMs": 3_600_000},
            BAD,
            "The parameter `SegmentMs` must be between 86400000 and 7776000000 milliseconds, "
            "got 3600000.",
        ),
        (
            {"MaxMessageBytes": 1023},
            BAD,
            "The parameter `MaxMessageBytes` must be between 1024 and 12582912 bytes, got 1023.",
        ),
        ({"MaxMessageBytes": 12_582_913}, BAD, None),
        (
            {"RetentionBytes": 1024},
            BAD,
            "The parameter `RetentionBytes` must be between 1073741824 and 1099511627776 bytes, "
            "got 1024 (or -1, no limit).",
        ),
        (
            {"MinInsyncReplicas": 0},
            BAD,
            "The parameter `MinInsyncReplicas` must be 1 or more, got 0.",
        ),
        (
            {"MinInsyncReplicas": 3},
            BAD,
            "The parameter `MinInsyncReplicas` must be at most the topic's ReplicaNum (2) "
            "for topic `orders`, got 3.",
        ),
        (
            {"CleanUpPolicy": "purge"},
            BAD,
            "The parameter `CleanUpPolicy` must be one of `delete`, `compact`, `compact, delete`; "
            "got `purge`.",
        ),
        ({"LogMsgTimestampType": "Now"}, BAD, None),
        (
            {"UncleanLeaderElectionEnable": 2},
            BAD,
            "The parameter `UncleanLeaderElectionEnable` must be one of `0`, `1`; got `2`.",
        ),
        (
            {"EnableWhiteList": 1},
            "MissingParameter",
            "The parameter `IpWhiteList` is required when `EnableWhiteList` is 1 (topic `orders`).",
        ),
        ({"Note": "n" * 65}, BAD, "The parameter `Note` must be at most 64 characters, got 65."),
        (
            {"InstanceId": "ckafka-nothere"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nothere` does not exist.",
        ),
    ],
)
def test_create_topic_rules(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    iid: str,
    params: dict[str, Any],
    code: str,
    message: Any,
) -> None:
    ckafka.state.add_topic(iid, "existing", partitions=2)
    before = snapshot(ckafka, iid)
    request = {"InstanceId": iid, "TopicName": "orders", "PartitionNum": 1, "ReplicaNum": 2}
    got = error(ckafka_client, "CreateTopic", **{**request, **params})
    assert got[0] == code
    if message is not None:
        assert got[1] == message
    assert snapshot(ckafka, iid) == before


def test_create_topic_accepts_documented_bounds(ckafka_client: Any, iid: str) -> None:
    call(
        ckafka_client,
        "CreateTopic",
        InstanceId=iid,
        TopicName="Edge_case-1.v2",
        PartitionNum=1,
        ReplicaNum=3,
        RetentionMs=60_000,
        SegmentMs=86_400_000,
        MaxMessageBytes=12_582_912,
        RetentionBytes=-1,
        MinInsyncReplicas=3,
        CleanUpPolicy="compact, delete",
        EnableWhiteList=1,
        IpWhiteList=["10.0.0.1"],
        Note="n" * 64,
    )
    attributes = call(
        ckafka_client, "DescribeTopicAttributes", InstanceId=iid, TopicName="Edge_case-1.v2"
    )
    assert (attributes["EnableWhiteList"], attributes["IpWhiteList"]) == (1, ["10.0.0.1"])
    assert attributes["Config"]["RetentionBytes"] == -1


def test_duplicate_topic_name(ckafka: CKafkaMock, ckafka_client: Any, iid: str) -> None:
    topic_id = ckafka.state.add_topic(iid, "orders", partitions=3)
    assert error(
        ckafka_client,
        "CreateTopic",
        InstanceId=iid,
        TopicName="orders",
        PartitionNum=1,
        ReplicaNum=1,
    ) == (ALREADY, "The topic `orders` already exists in instance `ckafka-abc12345`.")
    (topic,) = ckafka.state.topics(iid)
    assert (topic.topic_id, topic.partition_num) == (topic_id, 3)


def test_create_on_a_creating_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    iid = ckafka.state.add_instance(status=0)
    code, message = error(
        ckafka_client,
        "CreateTopic",
        InstanceId=iid,
        TopicName="orders",
        PartitionNum=1,
        ReplicaNum=1,
    )
    assert code == "ResourceUnavailable" and f"`{iid}` is not running yet" in message
    assert ckafka.state.topics(iid) == []


def test_topic_limit(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    iid = ckafka.state.add_instance("ckafka-lim00001", topic_limit=2)
    ckafka.state.add_topic(iid, "a")
    ckafka.state.add_topic(iid, "b")
    assert error(
        ckafka_client, "CreateTopic", InstanceId=iid, TopicName="c", PartitionNum=1, ReplicaNum=1
    ) == (
        "LimitExceeded",
        "Instance `ckafka-lim00001` already has 2 topics, its limit; "
        "delete one before creating `c`.",
    )
    assert [t.name for t in ckafka.state.topics(iid)] == ["a", "b"]


def test_partition_limit(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    iid = ckafka.state.add_instance("ckafka-lim00002", partition_limit=10)
    ckafka.state.add_topic(iid, "a", partitions=8)
    assert error(
        ckafka_client, "CreateTopic", InstanceId=iid, TopicName="b", PartitionNum=3, ReplicaNum=1
    ) == (
        "LimitExceeded",
        "Topic `b` needs 3 more partitions, but instance `ckafka-lim00002` uses 8 of its 10.",
    )
    assert len(ckafka.state.topics(iid)) == 1
    call(ckafka_client, "CreateTopic", InstanceId=iid, TopicName="b", PartitionNum=2, ReplicaNum=1)
    assert sum(t.partition_num for t in ckafka.state.topics(iid)) == 10


# -- DescribeTopic -------------------------------------------------------------------------------


@pytest.fixture
def many(ckafka: CKafkaMock, iid: str) -> list[str]:
    names = [f"topic{i:02d}" for i in range(25)]
    for name in names:
        ckafka.state.add_topic(iid, name, note=f"note of {name}")
    return names


@pytest.mark.parametrize(
    ("paging", "expected"),
    [
        ({}, slice(0, 20)),
        ({"Limit": 5}, slice(0, 5)),
        ({"Offset": 20, "Limit": 10}, slice(20, 30)),
        ({"Offset": 24}, slice(24, 25)),
        ({"Offset": 25}, slice(0, 0)),
        ({"Offset": 300, "Limit": 50}, slice(0, 0)),
        ({"Limit": 50}, slice(0, 25)),
    ],
)
def test_describe_topic_pages(
    ckafka_client: Any, iid: str, many: list[str], paging: dict[str, int], expected: slice
) -> None:
    result = call(ckafka_client, "DescribeTopic", InstanceId=iid, **paging)
    assert result["TotalCount"] == 25
    assert [t["TopicName"] for t in result["TopicList"]] == many[expected]


@pytest.mark.parametrize(
    ("paging", "message"),
    [
        ({"Limit": 51}, "The parameter `Limit` must be between 1 and 50, got 51."),
        ({"Limit": 0}, "The parameter `Limit` must be between 1 and 50, got 0."),
        ({"Offset": -1}, "The parameter `Offset` must be 0 or more, got -1."),
    ],
)
def test_describe_topic_bad_paging(
    ckafka_client: Any, iid: str, paging: dict[str, int], message: str
) -> None:
    assert error(ckafka_client, "DescribeTopic", InstanceId=iid, **paging) == (BAD, message)


def test_describe_topic_search_word(ckafka: CKafkaMock, ckafka_client: Any, iid: str) -> None:
    for name in ("orders", "order-audit", "payments", "ORDERS-eu"):
        ckafka.state.add_topic(iid, name)
    result = call(ckafka_client, "DescribeTopic", InstanceId=iid, SearchWord="order", Limit=1)
    assert result == {
        "TopicList": [
            {
                "TopicId": ckafka.state.topic(iid, "orders").topic_id,
                "TopicName": "orders",
                "Note": "",
            }
        ],
        "TotalCount": 2,  # fuzzy and case-sensitive: not ORDERS-eu
    }
    result = call(ckafka_client, "DescribeTopic", InstanceId=iid, SearchWord="order", Offset=1)
    assert [t["TopicName"] for t in result["TopicList"]] == ["order-audit"]


def test_describe_topic_acl_rule_name(ckafka: CKafkaMock, ckafka_client: Any, iid: str) -> None:
    ckafka.state.add_acl_rule(iid, "readers")  # a PRESET rule, as CreateTopic requires
    ckafka.state.add_topic(iid, "a", EnableAclRule=1, AclRuleName="readers")
    ckafka.state.add_topic(iid, "b")
    result = call(ckafka_client, "DescribeTopic", InstanceId=iid, AclRuleName="readers")
    assert ([t["TopicName"] for t in result["TopicList"]], result["TotalCount"]) == (["a"], 1)


def test_describe_topic_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.add_instance("ckafka-shanghai", region="ap-shanghai")
    code, message = error(ckafka_client, "DescribeTopic", InstanceId="ckafka-shanghai")
    assert code == "InvalidParameterValue.InstanceNotExist"
    assert "in region ap-shanghai" in message


class _CountingTopics(dict):  # type: ignore[type-arg]
    """A topics dict that counts how many topics a call walked."""

    walked = 0

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        for value in super().values():
            type(self).walked += 1
            yield value


def test_unfiltered_describe_topic_walks_only_the_page(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str
) -> None:
    for i in range(500):
        ckafka.state.add_topic(iid, f"t{i}")
    instance = ckafka.state.instance(iid)
    instance.topics = _CountingTopics(instance.topics)
    _CountingTopics.walked = 0
    result = call(ckafka_client, "DescribeTopic", InstanceId=iid, Offset=10, Limit=20)
    assert result["TotalCount"] == 500
    assert [t["TopicName"] for t in result["TopicList"]] == [f"t{i}" for i in range(10, 30)]
    assert _CountingTopics.walked == 30


# -- DescribeTopicDetail -------------------------------------------------------------------------


@pytest.fixture
def shelf(ckafka: CKafkaMock, iid: str) -> str:
    """Topics created 10 s apart: a (2 partitions, 2 replicas), B (6, 3), c (4, 2)."""
    for name, partitions, replicas in (("a", 2, 2), ("B", 6, 3), ("c", 4, 2)):
        ckafka.state.add_topic(
            iid, name, partitions=partitions, replicas=replicas, created_at=ckafka.clock.now()
        )
        ckafka.clock.advance(10)
    return iid


@pytest.mark.parametrize(
    ("order", "names"),
    [
        ({}, ["c", "B", "a"]),  # no OrderBy: CreateTime, newest first
        ({"OrderBy": "CreateTime"}, ["a", "B", "c"]),
        ({"OrderBy": "CreateTime", "OrderType": 1}, ["c", "B", "a"]),
        ({"OrderBy": "PartitionNum"}, ["a", "c", "B"]),
        ({"OrderBy": "PartitionNum", "OrderType": 1}, ["B", "c", "a"]),
        ({"OrderType": 0}, ["a", "B", "c"]),
    ],
)
def test_describe_topic_detail_order(
    ckafka_client: Any, shelf: str, order: dict[str, Any], names: list[str]
) -> None:
    result = call(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, **order)
    assert [t["TopicName"] for t in result["TopicList"]] == names


def test_describe_topic_detail_filters_search_and_pages(ckafka_client: Any, shelf: str) -> None:
    replicas_2 = [{"Name": "ReplicaNum", "Values": ["2"]}]
    result = call(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, Filters=replicas_2)
    assert ([t["TopicName"] for t in result["TopicList"]], result["TotalCount"]) == (["c", "a"], 2)
    result = call(
        ckafka_client,
        "DescribeTopicDetail",
        InstanceId=shelf,
        Filters=replicas_2,
        Offset=1,
        Limit=1,
    )
    assert ([t["TopicName"] for t in result["TopicList"]], result["TotalCount"]) == (["a"], 2)
    result = call(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, SearchWord="b")
    assert result == {"TopicList": [], "TotalCount": 0}
    result = call(
        ckafka_client,
        "DescribeTopicDetail",
        InstanceId=shelf,
        SearchWord="b",
        SearchWordIgnoreCaseFlag=True,
    )
    assert [t["TopicName"] for t in result["TopicList"]] == ["B"]
    result = call(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, Offset=3)
    assert result == {"TopicList": [], "TotalCount": 3}


def test_describe_topic_detail_fields(ckafka: CKafkaMock, ckafka_client: Any, shelf: str) -> None:
    (detail,) = call(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, SearchWord="B")[
        "TopicList"
    ]
    topic = ckafka.state.topic(shelf, "B")
    assert detail["TopicId"] == topic.topic_id
    assert detail["CreateTime"] == int(topic.created_at)
    assert (detail["PartitionNum"], detail["ReplicaNum"], detail["Status"]) == (6, 3, 0)
    assert detail["EnableWhiteList"] is False and detail["Tags"] is None
    assert detail["Config"]["Retention"] == 7_200_000  # CreateTopic's documented default
    assert detail["RetentionTimeConfig"]["Expect"] == 120


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"OrderBy": "Name"},
            "The parameter `OrderBy` must be one of `PartitionNum`, `CreateTime`; got `Name`.",
        ),
        (
            {"OrderType": 2},
            "The parameter `OrderType` must be 0 (ascending) or 1 (descending), got 2.",
        ),
        (
            {"Filters": [{"Name": "ReplicaNumber", "Values": ["2"]}]},
            "The filter `ReplicaNumber` is not supported here; valid names: ReplicaNum. "
            "Did you mean `ReplicaNum`?",
        ),
        (
            {"Filters": [{"Name": "ReplicaNum", "Values": ["two"]}]},
            "The filter `ReplicaNum` takes whole numbers, got `two`.",
        ),
        ({"Limit": 0}, "The parameter `Limit` must be 1 or more, got 0."),
    ],
)
def test_describe_topic_detail_bad_requests(
    ckafka_client: Any, shelf: str, params: dict[str, Any], message: str
) -> None:
    assert error(ckafka_client, "DescribeTopicDetail", InstanceId=shelf, **params) == (BAD, message)


# -- DescribeTopicAttributes and ModifyTopicAttributes --------------------------------------------


def test_describe_unknown_topic(ckafka_client: Any, iid: str) -> None:
    assert error(ckafka_client, "DescribeTopicAttributes", InstanceId=iid, TopicName="nope") == (
        "ResourceNotFound",
        "The topic `nope` does not exist in instance `ckafka-abc12345`.",
    )


def test_modify_changes_replicas_whitelist_and_quota(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str
) -> None:
    ckafka.state.add_topic(iid, "orders", replicas=2, note="keep")
    call(
        ckafka_client,
        "ModifyTopicAttributes",
        InstanceId=iid,
        TopicName="orders",
        ReplicaNum=3,
        EnableWhiteList=1,
        IpWhiteList=["10.0.0.2", "10.0.0.3"],
        QuotaProducerByteRate=-1,
        QuotaConsumerByteRate=20,
        UncleanLeaderElectionEnable=1,
    )
    attributes = call(ckafka_client, "DescribeTopicAttributes", InstanceId=iid, TopicName="orders")
    assert attributes["ReplicaNum"] == 3 and attributes["Note"] == "keep"
    assert attributes["IpWhiteList"] == ["10.0.0.2", "10.0.0.3"]
    assert attributes["QuotaConfig"] == {"QuotaProducerByteRate": -1, "QuotaConsumerByteRate": 20}
    assert attributes["Config"]["UncleanLeaderElectionEnable"] == 1
    assert {p["IsrNum"] for p in attributes["Partitions"]} == {3}
    detail = call(ckafka_client, "DescribeTopicDetail", InstanceId=iid)["TopicList"][0]
    assert (detail["EnableWhiteList"], detail["IpWhiteListCount"]) == (True, 2)


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"TopicName": "nope"},
            "ResourceNotFound",
            "The topic `nope` does not exist in instance `ckafka-abc12345`.",
        ),
        ({"ReplicaNum": 4}, BAD, "The parameter `ReplicaNum` must be between 1 and 3, got 4."),
        (
            {"ReplicaNum": 1},
            BAD,
            "The parameter `MinInsyncReplicas` must be at most the topic's ReplicaNum (1) "
            "for topic `orders`, got 2.",
        ),
        (
            {"RetentionMs": 1, "Note": "changed"},
            BAD,
            "The parameter `RetentionMs` must be between 60000 and 7776000000 milliseconds, got 1.",
        ),
        (
            {"EnableWhiteList": 1},
            "MissingParameter",
            "The parameter `IpWhiteList` is required when `EnableWhiteList` is 1 (topic `orders`).",
        ),
        (
            {"QuotaProducerByteRate": 0},
            BAD,
            "The parameter `QuotaProducerByteRate` must be 1 or more MB/s, "
            "got 0 (or -1, no limit).",
        ),
        ({"CleanUpPolicy": "never"}, BAD, None),
    ],
)
def test_modify_rules_leave_the_topic_unchanged(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    iid: str,
    params: dict[str, Any],
    code: str,
    message: Any,
) -> None:
    ckafka.state.add_topic(iid, "orders", replicas=2, note="keep", MinInsyncReplicas=2)
    before = snapshot(ckafka, iid)
    got = error(
        ckafka_client,
        "ModifyTopicAttributes",
        **{"InstanceId": iid, "TopicName": "orders", **params},
    )
    assert got[0] == code
    if message is not None:
        assert got[1] == message
    assert snapshot(ckafka, iid) == before


# -- BatchModifyTopicAttributes -------------------------------------------------------------------


def test_batch_modify_reports_each_topic(ckafka: CKafkaMock, ckafka_client: Any, iid: str) -> None:
    ckafka.state.add_topic(iid, "a", partitions=2)
    ckafka.state.add_topic(iid, "b", partitions=2)
    ckafka.state.add_topic(iid, "c", partitions=2, note="c")
    result = call(
        ckafka_client,
        "BatchModifyTopicAttributes",
        InstanceId=iid,
        Topic=[
            {"TopicName": "a", "RetentionMs": 3_600_000, "PartitionNum": 4, "Note": "grown"},
            {"TopicName": "ghost", "RetentionMs": 3_600_000},
            {"TopicName": "c", "Note": "new", "MaxMessageBytes": 10},
            {"TopicName": "b", "PartitionNum": 1},
            {"TopicName": "b ", "UncleanLeaderElectionEnable": True},
        ],
    )
    assert result == [
        {"InstanceId": iid, "TopicName": "a", "ReturnCode": "0", "Message": "ok[apply success]"},
        {
            "InstanceId": iid,
            "TopicName": "ghost",
            "ReturnCode": "ResourceNotFound",
            "Message": "The topic `ghost` does not exist in instance `ckafka-abc12345`.",
        },
        {
            "InstanceId": iid,
            "TopicName": "c",
            "ReturnCode": BAD,
            "Message": "The parameter `MaxMessageBytes` must be between 1024 and 12582912 bytes, "
            "got 10.",
        },
        {
            "InstanceId": iid,
            "TopicName": "b",
            "ReturnCode": BAD,
            "Message": "Partitions can only be increased: topic `b` has 2, got 1.",
        },
        {
            "InstanceId": iid,
            "TopicName": "b ",
            "ReturnCode": "ResourceNotFound",
            "Message": "The topic `b ` does not exist in instance `ckafka-abc12345`.",
        },
    ]
    a, b, c = ckafka.state.topics(iid)
    assert (a.partition_num, a.note, a.config) == (4, "grown", {"RetentionMs": 3_600_000})
    assert (b.partition_num, b.config, c.note, c.config) == (2, {}, "c", {})


def test_batch_modify_bool_and_partition_budget(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    iid = ckafka.state.add_instance(partition_limit=6)
    ckafka.state.add_topic(iid, "a", partitions=2)
    ckafka.state.add_topic(iid, "b", partitions=2)
    result = call(
        ckafka_client,
        "BatchModifyTopicAttributes",
        InstanceId=iid,
        Topic=[
            {"TopicName": "a", "PartitionNum": 4, "UncleanLeaderElectionEnable": True},
            {"TopicName": "b", "PartitionNum": 3},
        ],
    )
    assert [r["ReturnCode"] for r in result] == ["0", "LimitExceeded"]
    assert result[1]["Message"] == (
        f"Topic `b` needs 1 more partitions, but instance `{iid}` uses 6 of its 6."
    )
    attributes = call(ckafka_client, "DescribeTopicAttributes", InstanceId=iid, TopicName="a")
    assert attributes["Config"]["UncleanLeaderElectionEnable"] == 1
    assert [t.partition_num for t in ckafka.state.topics(iid)] == [4, 2]


@pytest.mark.parametrize(
    ("topics", "code", "message"),
    [
        (
            [{"TopicName": "a"}, {"TopicName": "a", "Note": "x"}],
            "InvalidParameterValue.RepetitionValue",
            "The topic `a` appears more than once in `Topic`; list each topic once.",
        ),
        (
            [{"TopicName": f"t{i}"} for i in range(11)],
            BAD,
            "The parameter `Topic` takes 1 to 10 topics per batch, got 11.",
        ),
        # An empty list never reaches the handler: request validation refuses it.
        ([], BAD, "The parameter `Topic` must not be empty."),
    ],
)
def test_batch_modify_bad_batches_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str, topics: list[Any], code: str, message: str
) -> None:
    ckafka.state.add_topic(iid, "a")
    before = snapshot(ckafka, iid)
    assert error(ckafka_client, "BatchModifyTopicAttributes", InstanceId=iid, Topic=topics) == (
        code,
        message,
    )
    assert snapshot(ckafka, iid) == before


# -- CreatePartition and DeleteTopic --------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "code", "message"),
    [
        (2, BAD, "Partitions can only be increased: topic `t` has 3, got 2."),
        (3, BAD, "Partitions can only be increased: topic `t` has 3, got 3."),
        (
            12,
            "LimitExceeded",
            "Topic `t` needs 9 more partitions, but instance `ckafka-lim00003` uses 5 of its 10.",
        ),
    ],
)
def test_create_partition_rules(
    ckafka: CKafkaMock, ckafka_client: Any, wanted: int, code: str, message: str
) -> None:
    iid = ckafka.state.add_instance("ckafka-lim00003", partition_limit=10)
    ckafka.state.add_topic(iid, "t", partitions=3)
    ckafka.state.add_topic(iid, "u", partitions=2)
    ckafka.state.add_messages(iid, "t", ["kept"])
    before = snapshot(ckafka, iid)
    assert error(
        ckafka_client, "CreatePartition", InstanceId=iid, TopicName="t", PartitionNum=wanted
    ) == (code, message)
    assert snapshot(ckafka, iid) == before
    call(ckafka_client, "CreatePartition", InstanceId=iid, TopicName="t", PartitionNum=8)
    assert ckafka.state.topic(iid, "t").partition_num == 8
    assert [m.value for m in ckafka.state.messages(iid, "t", 0)] == ["kept"]


def test_create_partition_unknown_topic(ckafka_client: Any, iid: str) -> None:
    assert error(
        ckafka_client, "CreatePartition", InstanceId=iid, TopicName="ghost", PartitionNum=2
    ) == ("ResourceNotFound", "The topic `ghost` does not exist in instance `ckafka-abc12345`.")


def test_delete_seeded_topic_drops_its_offsets(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str
) -> None:
    ckafka.state.add_topic(iid, "orders", partitions=2)
    ckafka.state.add_topic(iid, "audit")
    ckafka.state.add_group(iid, "billing", offsets={"orders": [3, 4], "audit": [1]})
    call(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders")  # seeded: a day old
    assert [t.name for t in ckafka.state.topics(iid)] == ["audit"]
    assert ckafka.state.groups(iid)[0].offsets == {"audit": [1]}
    assert error(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders") == (
        "ResourceNotFound",
        "The topic `orders` does not exist in instance `ckafka-abc12345`.",
    )


def test_deleted_name_can_be_created_again(
    ckafka: CKafkaMock, ckafka_client: Any, iid: str
) -> None:
    old = ckafka.state.add_topic(iid, "orders")
    call(ckafka_client, "DeleteTopic", InstanceId=iid, TopicName="orders")
    new = call(
        ckafka_client,
        "CreateTopic",
        InstanceId=iid,
        TopicName="orders",
        PartitionNum=1,
        ReplicaNum=1,
    )["TopicId"]
    assert new != old and ckafka.state.topic(iid, "orders").topic_id == new


# -- many threads ---------------------------------------------------------------------------------


def _run_threads(count: int, work: Any) -> None:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_threads_create_distinct_topics(
    ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str, iid: str
) -> None:
    failures: list[BaseException] = []

    def work(n: int) -> None:
        client = sdk_client.CkafkaClient(ckafka_credential, ckafka_region)
        try:
            for i in range(25):
                call(
                    client,
                    "CreateTopic",
                    InstanceId=iid,
                    TopicName=f"w{n}-{i}",
                    PartitionNum=1,
                    ReplicaNum=1,
                )
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    _run_threads(8, work)
    assert failures == []
    topics = ckafka.state.topics(iid)
    assert len(topics) == 200
    assert len({t.topic_id for t in topics}) == 200
    assert {t.name for t in topics} == {f"w{n}-{i}" for n in range(8) for i in range(25)}


def test_racing_duplicates_are_rejected(
    ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str, iid: str
) -> None:
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        client = sdk_client.CkafkaClient(ckafka_credential, ckafka_region)
        for i in range(10):
            name = f"shared-{i}"
            try:
                call(
                    client,
                    "CreateTopic",
                    InstanceId=iid,
                    TopicName=name,
                    PartitionNum=1,
                    ReplicaNum=1,
                )
                outcome = "created"
            except TencentCloudSDKException as exc:
                outcome = exc.code
            with lock:
                outcomes.append((name, outcome))

    _run_threads(8, work)
    for i in range(10):
        mine = sorted(o for name, o in outcomes if name == f"shared-{i}")
        assert mine == [ALREADY] * 7 + ["created"]
    assert sorted(t.name for t in ckafka.state.topics(iid)) == sorted(
        f"shared-{i}" for i in range(10)
    )
