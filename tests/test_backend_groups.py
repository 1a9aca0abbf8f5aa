"""Consumer groups and offsets through the official SDK, against the stateful backend."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_response as call


@pytest.fixture
def shop(ckafka: CKafkaMock) -> str:
    """An instance with ``orders`` (2 partitions, 5 + 3 messages) and ``audit`` (1, empty)."""
    instance = ckafka.state.add_instance(name="shop")
    ckafka.state.add_topic(instance, "orders", partitions=2)
    ckafka.state.add_topic(instance, "audit")
    ckafka.state.add_messages(
        instance, "orders", [{"value": f"m{i}", "timestamp": 1000 * (i + 1)} for i in range(5)]
    )
    ckafka.state.add_messages(instance, "orders", ["x", "y", "z"], partition=1)
    return instance


def offsets(ckafka: CKafkaMock, instance: str, group: str) -> dict[str, list[int]]:
    (found,) = [g for g in ckafka.state.groups(instance) if g.name == group]
    return copy.deepcopy(found.offsets)


# -- DescribeGroup -------------------------------------------------------------------------


def test_describe_group_pages_and_searches(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    for index in range(25):
        ckafka.state.add_group(shop, f"group-{index:02d}", protocol="consumer")
    result = call(ckafka_client, "DescribeGroup", InstanceId=shop)["Result"]
    assert result["TotalCount"] == 25
    assert [g["Group"] for g in result["GroupList"]] == [f"group-{i:02d}" for i in range(20)]
    assert result["GroupList"][0]["Protocol"] == "consumer"
    rest = call(ckafka_client, "DescribeGroup", InstanceId=shop, Offset=20, Limit=10)["Result"]
    assert (rest["TotalCount"], len(rest["GroupList"])) == (25, 5)
    found = call(ckafka_client, "DescribeGroup", InstanceId=shop, SearchWord="-1")["Result"]
    assert found["TotalCount"] == 10
    assert [g["Group"] for g in found["GroupList"]][:2] == ["group-10", "group-11"]
    assert failure(ckafka_client, "DescribeGroup", InstanceId=shop, Limit=0) == (
        "InvalidParameterValue",
        "The parameter `Limit` must be 1 or more, got 0.",
    )


def test_describe_group_state_filter_takes_effect_on_2_8(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    new = ckafka.state.add_instance(kafka_version="2.8.1")
    old = ckafka.state.add_instance(kafka_version="2.4.1")
    for instance in (new, old):
        ckafka.state.add_group(instance, "idle")
        ckafka.state.add_group(instance, "busy", state="Stable")
    stable = [{"Name": "GroupState", "Values": ["Stable"]}]
    result = call(ckafka_client, "DescribeGroup", InstanceId=new, Filters=stable)["Result"]
    assert (result["TotalCount"], [g["Group"] for g in result["GroupList"]]) == (1, ["busy"])
    # The reference: the filter only takes effect on 2.8/3.2 instances.
    ignored = call(ckafka_client, "DescribeGroup", InstanceId=old, Filters=stable)["Result"]
    assert ignored["TotalCount"] == 2


def test_describe_group_rejects_bad_filters(ckafka_client: Any, shop: str) -> None:
    bad_value = [{"Name": "GroupState", "Values": ["Dead"]}]
    assert failure(ckafka_client, "DescribeGroup", InstanceId=shop, Filters=bad_value) == (
        "InvalidParameterValue",
        "The GroupState filter value `Dead` is not supported; valid values: Empty, Stable.",
    )
    bad_name = [{"Name": "groupstate", "Values": ["Empty"]}]
    code, message = failure(ckafka_client, "DescribeGroup", InstanceId=shop, Filters=bad_name)
    assert code == "InvalidParameterValue"
    assert message.startswith(
        "The filter `groupstate` is not supported here; valid names: GroupState."
    )


def test_unknown_instance_is_reported(ckafka_client: Any) -> None:
    assert failure(ckafka_client, "DescribeGroup", InstanceId="ckafka-nope0000") == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nope0000` does not exist.",
    )


# -- DescribeGroupInfo ---------------------------------------------------------------------


def test_describe_group_info_answers_each_group_and_dead_for_unknown(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "busy", state="Stable")
    ckafka.state.add_group(shop, "idle")
    names = ["busy", "ghost", "idle"]
    result = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=names)["Result"]
    assert [(r["Group"], r["State"], r["ProtocolType"], r["Protocol"]) for r in result] == [
        ("busy", "Stable", "consumer", "range"),
        ("ghost", "Dead", "", ""),
        ("idle", "Empty", "consumer", ""),
    ]
    assert {r["ErrorCode"] for r in result} == {"0"}
    assert all(r["Members"] == [] for r in result)
    assert failure(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=[]) == (
        "InvalidParameterValue",
        "The parameter `GroupList` must not be empty.",
    )


# -- DescribeConsumerGroup ------------------------------------------------------------------


def test_describe_consumer_group_shows_subscriptions(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [4, 1], "audit": [0]})
    ckafka.state.add_group(shop, "mailer", offsets={"orders": [2, 2]})
    ckafka.state.add_group(shop, "fresh")
    orders_id = ckafka.state.topic(shop, "orders").topic_id
    result = call(ckafka_client, "DescribeConsumerGroup", InstanceId=shop)["Result"]
    assert result["TotalCount"] == 3
    billing = result["GroupList"][0]
    assert billing["ConsumerGroupName"] == "billing"
    assert billing["SubscribedInfo"][0] == {
        "TopicName": "orders",
        "TopicId": orders_id,
        "Partition": [0, 1],
        "PartitionOffset": [{"Partition": "0", "Offset": 4}, {"Partition": "1", "Offset": 1}],
    }
    assert [g["SubscribedInfo"] for g in result["GroupList"][2:]] == [[]]
    assert [t["TopicName"] for t in result["TopicList"]] == ["orders", "audit"]
    assert result["TotalTopic"] == 2
    assert [g["GroupName"] for g in result["GroupListForMonitor"]] == [
        "billing",
        "mailer",
        "fresh",
    ]

    one = call(
        ckafka_client,
        "DescribeConsumerGroup",
        InstanceId=shop,
        GroupName="billing",
        TopicName="audit",
    )["Result"]
    assert one["TotalCount"] == 1
    assert [s["TopicName"] for s in one["GroupList"][0]["SubscribedInfo"]] == ["audit"]
    # TopicName without GroupName is ignored, as the reference says.
    every = call(ckafka_client, "DescribeConsumerGroup", InstanceId=shop, TopicName="audit")
    assert every["Result"]["TotalCount"] == 3
    paged = call(ckafka_client, "DescribeConsumerGroup", InstanceId=shop, Offset=1, Limit=1)
    assert [g["ConsumerGroupName"] for g in paged["Result"]["GroupList"]] == ["mailer"]
    assert failure(ckafka_client, "DescribeConsumerGroup", InstanceId=shop, Limit=51) == (
        "InvalidParameterValue",
        "The parameter `Limit` must be between 1 and 50, got 51.",
    )
    none = call(ckafka_client, "DescribeConsumerGroup", InstanceId=shop, GroupName="nobody")
    assert (none["Result"]["TotalCount"], none["Result"]["GroupList"]) == (0, [])


# -- DescribeGroupOffsets --------------------------------------------------------------------


def test_describe_group_offsets_computes_lag_from_the_log(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 3], "audit": [0]})
    result = call(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing")
    assert result["Result"]["TotalCount"] == 2
    orders, audit = result["Result"]["TopicList"]
    assert orders["Topic"] == "orders"
    assert [
        (p["Partition"], p["Offset"], p["LogEndOffset"], p["Lag"]) for p in orders["Partitions"]
    ] == [(0, 2, 5, 3), (1, 3, 3, 0)]
    assert (audit["Topic"], audit["Partitions"][0]["Lag"]) == ("audit", 0)

    # New messages raise the lag; the committed offset stays.
    ckafka.state.add_messages(shop, "audit", ["a", "b"])
    again = call(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing")
    audit_partition = again["Result"]["TopicList"][1]["Partitions"][0]
    assert (audit_partition["Offset"], audit_partition["LogEndOffset"]) == (0, 2)
    assert audit_partition["Lag"] == 2


def test_describe_group_offsets_narrows_and_pages(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 3], "audit": [0]})

    def topics(**params: Any) -> tuple[int, list[str]]:
        result = call(
            ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing", **params
        )["Result"]
        return result["TotalCount"], [t["Topic"] for t in result["TopicList"]]

    assert topics(Topics=["audit"]) == (1, ["audit"])
    assert topics(SearchWord="ord") == (1, ["orders"])
    assert topics(Limit=1) == (2, ["orders"])
    assert topics(Offset=1, Limit=1) == (2, ["audit"])
    assert topics(Topics=["unsubscribed"]) == (0, [])
    assert failure(
        ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing", Limit=60
    ) == ("InvalidParameterValue", "The parameter `Limit` must be between 1 and 50, got 60.")


def test_describe_group_offsets_unknown_group(ckafka_client: Any, shop: str) -> None:
    assert failure(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="ghost") == (
        "ResourceNotFound",
        f"The consumer group `ghost` does not exist in instance `{shop}`.",
    )


# -- ModifyGroupOffsets ------------------------------------------------------------------------


def _reset(client: Any, instance: str, **params: Any) -> dict[str, Any]:
    params.setdefault("Group", "billing")
    params.setdefault("Topics", ["orders"])
    return call(client, "ModifyGroupOffsets", InstanceId=instance, **params)


def test_shift_moves_and_clamps_to_the_log(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 1]})
    answer = _reset(ckafka_client, shop, Strategy=0, Shift=2)
    assert answer["Result"]["ReturnCode"] == "0"
    assert offsets(ckafka, shop, "billing") == {"orders": [4, 3]}
    _reset(ckafka_client, shop, Strategy=0, Shift=10)
    assert offsets(ckafka, shop, "billing") == {"orders": [5, 3]}
    _reset(ckafka_client, shop, Strategy=0, Shift=-4)
    assert offsets(ckafka, shop, "billing") == {"orders": [1, 0]}
    lag = call(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing")
    assert [p["Lag"] for p in lag["Result"]["TopicList"][0]["Partitions"]] == [4, 3]


def test_reset_by_timestamp(ckafka: CKafkaMock, ckafka_client: Any, shop: str) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0]})
    # Partition 0 holds timestamps 1000..5000; partition 1's were stamped "now".
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=2500, Partitions=[0])
    assert offsets(ckafka, shop, "billing") == {"orders": [2, 0]}
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=3000, Partitions=[0])
    assert offsets(ckafka, shop, "billing") == {"orders": [2, 0]}
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=3001, Partitions=[0])
    assert offsets(ckafka, shop, "billing") == {"orders": [3, 0]}
    # No message that late: the end of the log.
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=9000, Partitions=[0])
    assert offsets(ckafka, shop, "billing") == {"orders": [5, 0]}
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=-1)
    assert offsets(ckafka, shop, "billing") == {"orders": [5, 3]}
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=-2)
    assert offsets(ckafka, shop, "billing") == {"orders": [0, 0]}


def test_reset_to_offset_clamps_and_narrows_to_partitions(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_messages(shop, "audit", ["a", "b"])
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0], "audit": [0]})
    _reset(ckafka_client, shop, Strategy=2, Offset=4)
    assert offsets(ckafka, shop, "billing") == {"orders": [4, 3], "audit": [0]}
    _reset(ckafka_client, shop, Strategy=2, Offset=1, Topics=["orders", "audit"])
    assert offsets(ckafka, shop, "billing") == {"orders": [1, 1], "audit": [1]}
    _reset(ckafka_client, shop, Strategy=2, Offset=-5, Topics=["audit"])
    assert offsets(ckafka, shop, "billing") == {"orders": [1, 1], "audit": [0]}
    # Partitions narrows the reset to the listed partitions.
    _reset(ckafka_client, shop, Strategy=2, Offset=0, Partitions=[1])
    assert offsets(ckafka, shop, "billing") == {"orders": [1, 0], "audit": [0]}


def test_reset_a_topic_the_group_had_no_offsets_for(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing")
    _reset(ckafka_client, shop, Strategy=1, ShiftTimestamp=-1)
    assert offsets(ckafka, shop, "billing") == {"orders": [5, 3]}


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"Group": "ghost", "Strategy": 0, "Shift": 1},
            "ResourceNotFound",
            "The consumer group `ghost` does not exist in instance `{shop}`.",
        ),
        (
            {"Group": "busy", "Strategy": 0, "Shift": 1},
            "ResourceInUse",
            "The consumer group `busy` has active members (State Stable) and cannot reset its "
            "offsets; stop its consumers first.",
        ),
        (
            {"Strategy": 3},
            "InvalidParameterValue",
            "The parameter `Strategy` must be one of 0 (Shift), 1 (ShiftTimestamp), 2 (Offset), "
            "got 3.",
        ),
        ({"Strategy": 0}, "MissingParameter", "Strategy 0 needs the parameter `Shift`."),
        ({"Strategy": 1}, "MissingParameter", "Strategy 1 needs the parameter `ShiftTimestamp`."),
        ({"Strategy": 2}, "MissingParameter", "Strategy 2 needs the parameter `Offset`."),
        (
            {"Strategy": 1, "ShiftTimestamp": -3},
            "InvalidParameterValue",
            "The parameter `ShiftTimestamp` is a time in milliseconds, -2 (earliest) or -1 "
            "(latest), got -3.",
        ),
        (
            {"Strategy": 2, "Offset": 0, "Topics": ["orders", "nope"]},
            "ResourceNotFound",
            "The topic `nope` in `Topics` does not exist in instance `{shop}`.",
        ),
        (
            {"Strategy": 2, "Offset": 0, "Topics": ["orders", "audit"], "Partitions": [1]},
            "InvalidParameterValue",
            "The topic `audit` has partitions 0 to 0, got partition 1 in `Partitions`.",
        ),
    ],
)
def test_modify_group_offsets_rules_leave_offsets_unchanged(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    shop: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 1], "audit": [0]})
    ckafka.state.add_group(shop, "busy", state="Stable", offsets={"orders": [2, 1]})
    before = {g.name: copy.deepcopy(g.offsets) for g in ckafka.state.groups(shop)}
    params.setdefault("Group", "billing")
    params.setdefault("Topics", ["orders"])
    assert failure(ckafka_client, "ModifyGroupOffsets", InstanceId=shop, **params) == (
        code,
        message.format(shop=shop),
    )
    assert {g.name: g.offsets for g in ckafka.state.groups(shop)} == before


def test_writes_need_a_running_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance(status=0)
    ckafka.state.add_group(creating, "billing")
    code, message = failure(ckafka_client, "DeleteGroup", InstanceId=creating, Group="billing")
    assert code == "ResourceUnavailable"
    assert message.startswith(f"The instance `{creating}` is not running yet (Status 0)")
    assert [g.name for g in ckafka.state.groups(creating)] == ["billing"]


# -- DeleteGroup ---------------------------------------------------------------------------------


def test_delete_group_workflow_and_rules(ckafka: CKafkaMock, ckafka_client: Any, shop: str) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [1, 1]})
    ckafka.state.add_group(shop, "busy", state="Stable")
    assert failure(ckafka_client, "DeleteGroup", InstanceId=shop, Group="busy") == (
        "ResourceInUse",
        "The consumer group `busy` has active members (State Stable) and cannot be deleted; "
        "stop its consumers first.",
    )
    ckafka.state.add_group(shop, "joining", state="PreparingRebalance")
    assert failure(ckafka_client, "DeleteGroup", InstanceId=shop, Group="joining") == (
        "ResourceInUse",
        "The consumer group `joining` has active members (State PreparingRebalance) and cannot "
        "be deleted; stop its consumers first.",
    )
    assert failure(ckafka_client, "DeleteGroup", InstanceId=shop, Group="ghost") == (
        "ResourceNotFound",
        f"The consumer group `ghost` does not exist in instance `{shop}`.",
    )
    assert [g.name for g in ckafka.state.groups(shop)] == ["billing", "busy", "joining"]
    answer = call(ckafka_client, "DeleteGroup", InstanceId=shop, Group="billing")
    assert answer["Result"]["ReturnCode"] == "0"
    assert [g.name for g in ckafka.state.groups(shop)] == ["busy", "joining"]
    listed = call(ckafka_client, "DescribeGroup", InstanceId=shop)["Result"]
    assert [g["Group"] for g in listed["GroupList"]] == ["busy", "joining"]
    info = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=["billing"])
    assert info["Result"][0]["State"] == "Dead"


# -- async ----------------------------------------------------------------------------------------


async def test_async_reset_then_describe(
    ckafka: CKafkaMock, ckafka_client_async: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0]})
    reset = models.ModifyGroupOffsetsRequest()
    reset.InstanceId, reset.Group, reset.Topics = shop, "billing", ["orders"]
    reset.Strategy, reset.ShiftTimestamp = 1, -1
    await ckafka_client_async.ModifyGroupOffsets(reset)
    describe = models.DescribeGroupOffsetsRequest()
    describe.InstanceId, describe.Group = shop, "billing"
    result = (await ckafka_client_async.DescribeGroupOffsets(describe)).Result
    partitions = result.TopicList[0].Partitions
    assert [(p.Offset, p.LogEndOffset, p.Lag) for p in partitions] == [(5, 5, 0), (3, 3, 0)]
    delete = models.DeleteGroupRequest()
    delete.InstanceId, delete.Group = shop, "billing"
    await ckafka_client_async.DeleteGroup(delete)
    assert ckafka.state.groups(shop) == []
