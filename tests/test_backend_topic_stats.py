"""A topic's producers, replicas and traffic through the official SDK (backend/topic_stats.py)."""

from __future__ import annotations

from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.times import beijing_datetime
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result

DAY_MS = 86_400_000
# 2024-03-01 00:00 Beijing time (UTC+8), in milliseconds.
MARCH_1 = 1_709_222_400_000


@pytest.fixture
def shop(ckafka: CKafkaMock) -> str:
    """``orders`` (3 partitions, 2 replicas) and ``audit`` (1 partition, 3 replicas)."""
    instance = ckafka.state.add_instance(name="shop", vip="10.0.0.10")
    ckafka.state.add_topic(instance, "orders", partitions=3, replicas=2)
    ckafka.state.add_topic(instance, "audit", replicas=3)
    return instance


# -- DescribeTopicProduceConnection ----------------------------------------------------------


def test_produce_connections_are_the_seeded_producers(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    params = {"InstanceId": shop, "TopicName": "orders"}
    assert result(ckafka_client, "DescribeTopicProduceConnection", **params) == []
    ckafka.state.add_connection(shop, "orders", ip="10.0.0.7", connected_at=0)
    ckafka.state.add_connection(shop, "orders", ip="10.0.0.8", unsupported_version=True)
    assert result(ckafka_client, "DescribeTopicProduceConnection", **params) == [
        {"IpAddr": "10.0.0.7", "Time": "1970-01-01 08:00:00", "IsUnSupportVersion": False},
        {
            "IpAddr": "10.0.0.8",
            "Time": beijing_datetime(ckafka.clock.now()),
            "IsUnSupportVersion": True,
        },
    ]
    assert [c.ip for c in ckafka.state.connections(shop, "orders")] == ["10.0.0.7", "10.0.0.8"]
    audit = {"InstanceId": shop, "TopicName": "audit"}
    assert result(ckafka_client, "DescribeTopicProduceConnection", **audit) == []


def test_produce_connections_of_unknown_topics_and_instances(ckafka_client: Any, shop: str) -> None:
    assert failure(
        ckafka_client, "DescribeTopicProduceConnection", InstanceId=shop, TopicName="nope"
    ) == ("ResourceNotFound", f"The topic `nope` does not exist in instance `{shop}`.")
    assert failure(
        ckafka_client,
        "DescribeTopicProduceConnection",
        InstanceId="ckafka-nope0000",
        TopicName="orders",
    ) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nope0000` does not exist.",
    )


def test_connection_seeding_is_checked(ckafka: CKafkaMock, shop: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_connection(shop, "order")
    assert str(info.value).startswith(
        f'ckafka.state: {shop} has no unknown topic "order": did you mean "orders"?'
    )
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_connection(shop, "orders", ip=7)  # type: ignore[arg-type]
    assert str(info.value) == "state.add_connection.ip: expected a string, got a number 7"
    assert ckafka.state.connections(shop, "orders") == []


# -- DescribeTopicSyncReplica ------------------------------------------------------------------


def test_sync_replicas_place_partitions_round_robin_on_three_brokers(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_messages(shop, "orders", ["a", "b"], partition=1)
    answer = result(ckafka_client, "DescribeTopicSyncReplica", InstanceId=shop, TopicName="orders")
    assert answer["TotalCount"] == 3
    assert [
        (p["Partition"], p["Leader"], p["Replica"], p["InSyncReplica"], p["OutOfSyncReplica"])
        for p in answer["TopicInSyncReplicaList"]
    ] == [
        ("partition-0", 1, "1,2", "1,2", ""),
        ("partition-1", 2, "2,3", "2,3", ""),
        ("partition-2", 3, "3,1", "3,1", ""),
    ]
    assert [
        (p["BeginOffset"], p["EndOffset"], p["MessageCount"])
        for p in answer["TopicInSyncReplicaList"]
    ] == [(0, 0, 0), (0, 2, 2), (0, 0, 0)]
    audit = result(ckafka_client, "DescribeTopicSyncReplica", InstanceId=shop, TopicName="audit")
    assert audit["TopicInSyncReplicaList"][0]["Replica"] == "1,2,3"


def test_sync_replicas_page_and_filter(ckafka_client: Any, shop: str) -> None:
    params = {"InstanceId": shop, "TopicName": "orders"}
    paged = result(ckafka_client, "DescribeTopicSyncReplica", Offset=1, Limit=1, **params)
    assert paged["TotalCount"] == 3
    assert [p["Partition"] for p in paged["TopicInSyncReplicaList"]] == ["partition-1"]
    # Nothing seeded out of sync: no partition has a replica that fell behind.
    out = result(ckafka_client, "DescribeTopicSyncReplica", OutOfSyncReplicaOnly=True, **params)
    assert out == {"TopicInSyncReplicaList": [], "TotalCount": 0}
    assert failure(ckafka_client, "DescribeTopicSyncReplica", InstanceId=shop, TopicName="x") == (
        "ResourceNotFound",
        f"The topic `x` does not exist in instance `{shop}`.",
    )


def test_a_replica_seeded_out_of_sync_leaves_the_isr(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    assert ckafka.state.add_out_of_sync_replica(shop, "orders", partition=1) == 3
    assert ckafka.state.add_out_of_sync_replica(shop, "audit", broker=2) == 2
    params = {"InstanceId": shop, "TopicName": "orders", "OutOfSyncReplicaOnly": True}
    out = result(ckafka_client, "DescribeTopicSyncReplica", **params)
    assert out["TotalCount"] == 1
    assert [
        (p["Partition"], p["Replica"], p["InSyncReplica"], p["OutOfSyncReplica"])
        for p in out["TopicInSyncReplicaList"]
    ] == [("partition-1", "2,3", "2", "3")]
    attributes = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=shop, TopicName="orders"
    )
    assert [p["IsrNum"] for p in attributes["Partitions"]] == [2, 1, 2]
    audit = result(ckafka_client, "DescribeTopicSyncReplica", InstanceId=shop, TopicName="audit")
    assert audit["TopicInSyncReplicaList"][0]["InSyncReplica"] == "1,3"


def test_out_of_sync_seeding_is_checked(ckafka: CKafkaMock, shop: str) -> None:
    cases = [
        (
            {"topic": "orders", "broker": 1},
            "state.add_out_of_sync_replica: partition 0 of topic orders is led by broker 1; its "
            "followers are on brokers 2, got 1",
        ),
        (
            {"topic": "orders", "partition": 3},
            "state.add_out_of_sync_replica: topic orders has partitions 0 to 2, got partition 3",
        ),
    ]
    ckafka.state.add_topic(shop, "single", replicas=1)
    cases.append(
        (
            {"topic": "single"},
            "state.add_out_of_sync_replica: partition 0 of topic single is led by broker 1; its "
            "followers are on brokers none, got None",
        )
    )
    for arguments, message in cases:
        with pytest.raises(CKafkaUsageError) as info:
            ckafka.state.add_out_of_sync_replica(shop, **arguments)
        assert str(info.value) == message
    assert all(not p.out_of_sync for t in ckafka.state.topics(shop) for p in t.partitions)


# -- DescribeTopicFlowRanking --------------------------------------------------------------------


def _flow(client: Any, shop: str, **params: Any) -> Any:
    return result(client, "DescribeTopicFlowRanking", InstanceId=shop, **params)


def test_flow_ranking_by_produced_bytes_in_the_days_asked(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    # audit: 300 bytes on March 1; orders: 2 x 100 on March 1, 1000 on March 2.
    ckafka.state.add_messages(shop, "audit", [{"value": "a" * 300, "timestamp": MARCH_1 + 5}])
    day_one = [{"key": "k", "value": "o" * 99, "timestamp": MARCH_1 + n} for n in range(2)]
    ckafka.state.add_messages(shop, "orders", day_one, partition=2)
    late = {"value": "p" * 990, "headers": {"trace": "abcde"}, "timestamp": MARCH_1 + DAY_MS}
    ckafka.state.add_messages(shop, "orders", [late])
    march_1 = {"BeginDate": "2024-03-01T00:00:00+08:00", "EndDate": "2024-03-01T00:00:00+08:00"}
    ranked = _flow(ckafka_client, shop, RankingType="PRO", **march_1)
    assert [(t["TopicName"], t["TopicTraffic"], t["MessageHeap"]) for t in ranked["TopicFlow"]] == [
        ("audit", "0.00", 300),
        ("orders", "0.00", 1200),
    ]
    assert [t["TopicName"] for t in ranked["TopicMessageHeap"]] == ["orders", "audit"]
    assert ranked["TopicFlow"][1] == {
        "TopicId": ckafka.state.topic(shop, "orders").topic_id,
        "TopicName": "orders",
        "PartitionNum": 3,
        "ReplicaNum": 2,
        "TopicTraffic": "0.00",
        "MessageHeap": 1200,
    }
    assert ranked["BrokerIp"] == ["10.0.0.11", "10.0.0.12", "10.0.0.13"]
    assert (ranked["ConsumeSpeed"], ranked["BrokerTopicData"], ranked["BrokerTopicFlowData"]) == (
        [],
        [],
        [],
    )
    # The same window in UTC: the orders message of March 2 00:00 Beijing time is in it.
    utc = {"BeginDate": "2024-03-01T00:00:00Z", "EndDate": "2024-03-01T00:00:00Z"}
    ranked = _flow(ckafka_client, shop, RankingType="PRO", **utc)
    assert [t["TopicName"] for t in ranked["TopicFlow"]] == ["orders", "audit"]


def test_flow_ranking_in_megabytes(ckafka: CKafkaMock, ckafka_client: Any, shop: str) -> None:
    ckafka.state.add_messages(shop, "orders", ["x" * (3 * 1024 * 1024 // 2)])  # now: today
    ranked = _flow(ckafka_client, shop, RankingType="PRO")
    assert [(t["TopicName"], t["TopicTraffic"]) for t in ranked["TopicFlow"]] == [
        ("orders", "1.50"),
        ("audit", "0.00"),
    ]
    yesterday = beijing_datetime(ckafka.clock.now() - 86_400).replace(" ", "T") + "+08:00"
    ranked = _flow(ckafka_client, shop, RankingType="PRO", EndDate=yesterday, BeginDate=yesterday)
    assert {t["TopicTraffic"] for t in ranked["TopicFlow"]} == {"0.00"}


def test_flow_ranking_by_consumed_bytes_and_group_speed(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_messages(shop, "orders", ["x" * 100] * 4)
    ckafka.state.add_messages(shop, "audit", ["y" * 1000])
    ckafka.state.add_group(shop, "billing", offsets={"orders": [3, 0, 0], "audit": [0]})
    ckafka.state.add_group(shop, "mailer", offsets={"orders": [1, 0, 0]})
    ckafka.state.add_group(shop, "idle", offsets={"audit": [0]})
    ranked = _flow(ckafka_client, shop, RankingType="CON")
    assert [(t["TopicName"], t["MessageHeap"]) for t in ranked["TopicFlow"]] == [
        ("orders", 400),
        ("audit", 1000),
    ]
    # One day: 4 messages read (3 + 1) are at least one per minute, rounded up.
    assert ranked["ConsumeSpeed"] == [
        {"ConsumerGroupName": "billing", "Speed": 1},
        {"ConsumerGroupName": "mailer", "Speed": 1},
    ]


def test_flow_ranking_on_one_broker(ckafka: CKafkaMock, ckafka_client: Any, shop: str) -> None:
    for partition in range(3):
        ckafka.state.add_messages(shop, "orders", ["z" * 10 * (partition + 1)], partition=partition)
    ckafka.state.add_messages(shop, "audit", ["a" * 5])
    # Broker 3 (10.0.0.13) holds orders' partitions 1 (follower) and 2 (leader), and audit.
    ranked = _flow(ckafka_client, shop, RankingType="PRO", BrokerIp="10.0.0.13")
    assert ranked["BrokerTopicData"] == [
        {
            "TopicName": "orders",
            "TopicId": ckafka.state.topic(shop, "orders").topic_id,
            "DataSize": 50,
        },
        {
            "TopicName": "audit",
            "TopicId": ckafka.state.topic(shop, "audit").topic_id,
            "DataSize": 5,
        },
    ]
    assert [(t["TopicName"], t["TopicTraffic"]) for t in ranked["BrokerTopicFlowData"]] == [
        ("orders", "0.00"),
        ("audit", "0.00"),
    ]


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"RankingType": "ALL"},
            "InvalidParameterValue",
            "The parameter `RankingType` must be `PRO` (produced) or `CON` (consumed), got `ALL`.",
        ),
        (
            {"BeginDate": "2024-03-02T00:00:00+08:00", "EndDate": "2024-03-01T00:00:00+08:00"},
            "InvalidParameterValue",
            "The parameter `BeginDate` (2024-03-02T00:00:00+08:00) must not be after `EndDate` "
            "(2024-03-01T00:00:00+08:00).",
        ),
        (
            {"BrokerIp": "10.0.0.99"},
            "InvalidParameterValue",
            "The broker `10.0.0.99` is not a broker of instance `{shop}`; its brokers are "
            "10.0.0.11, 10.0.0.12, 10.0.0.13.",
        ),
        (
            {"InstanceId": "ckafka-nope0000"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nope0000` does not exist.",
        ),
    ],
)
def test_flow_ranking_rules(
    ckafka_client: Any, shop: str, params: dict[str, Any], code: str, message: str
) -> None:
    params = {"InstanceId": shop, "RankingType": "PRO", **params}
    assert failure(ckafka_client, "DescribeTopicFlowRanking", **params) == (
        code,
        message.format(shop=shop),
    )


async def test_async_sync_replicas(ckafka_client_async: Any, shop: str) -> None:
    request = models.DescribeTopicSyncReplicaRequest()
    request.InstanceId, request.TopicName = shop, "audit"
    answer = (await ckafka_client_async.DescribeTopicSyncReplica(request)).Result
    assert [(p.Partition, p.Leader) for p in answer.TopicInSyncReplicaList] == [("partition-0", 1)]
