"""Creating groups, setting and dropping their offsets, group members, a topic's groups.

Through the official SDK against the stateful backend (``backend/group_ops.py``, the
members in ``backend/groups.py``, the seeding in ``backend/state_groups.py``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_response as call


@pytest.fixture
def shop(ckafka: CKafkaMock) -> str:
    """An instance with ``orders`` (2 partitions, 5 + 3 messages) and ``audit`` (1, 2)."""
    instance = ckafka.state.add_instance(name="shop")
    ckafka.state.add_topic(instance, "orders", partitions=2)
    ckafka.state.add_topic(instance, "audit")
    ckafka.state.add_messages(instance, "orders", [f"m{i}" for i in range(5)])
    ckafka.state.add_messages(instance, "orders", ["x", "y", "z"], partition=1)
    ckafka.state.add_messages(instance, "audit", ["a", "b"])
    return instance


def groups(ckafka: CKafkaMock, instance: str) -> dict[str, Any]:
    """Every group's (state, offsets, members): compared before and after a failed call."""
    return {
        g.name: (g.state, copy.deepcopy(g.offsets), copy.deepcopy(g.members))
        for g in ckafka.state.groups(instance)
    }


# -- CreateConsumer ------------------------------------------------------------------------


def test_create_consumer_makes_an_empty_group_at_the_log_end(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    answer = call(
        ckafka_client, "CreateConsumer", InstanceId=shop, GroupName="billing", TopicName="orders"
    )
    assert answer["Result"]["ReturnCode"] == "0"
    group = ckafka.state.group(shop, "billing")
    assert (group.state, group.protocol, group.offsets) == ("Empty", "consumer", {"orders": [5, 3]})
    listed = call(ckafka_client, "DescribeGroup", InstanceId=shop)["Result"]["GroupList"]
    assert listed == [{"Group": "billing", "Protocol": "consumer"}]
    lag = call(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing")["Result"]
    assert [p["Lag"] for p in lag["TopicList"][0]["Partitions"]] == [0, 0]
    call(
        ckafka_client,
        "CreateConsumer",
        InstanceId=shop,
        GroupName="mailer",
        TopicName="audit",
        TopicNameList=["orders", "audit"],
    )
    assert ckafka.state.group(shop, "mailer").offsets == {"audit": [2], "orders": [5, 3]}


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"GroupName": "billing", "TopicName": "orders"},
            "InvalidParameterValue",
            "The consumer group `billing` already exists in instance `{shop}`.",
        ),
        (
            {"GroupName": "new", "TopicNameList": ["orders", "nope"]},
            "ResourceNotFound",
            "The topic `nope` in `TopicName` does not exist in instance `{shop}`.",
        ),
        (
            {"GroupName": "new"},
            "MissingParameter",
            "CreateConsumer needs a topic: set `TopicName` or `TopicNameList`.",
        ),
        (
            {"GroupName": "", "TopicName": "orders"},
            "InvalidParameterValue",
            "The parameter `GroupName` must not be empty.",
        ),
        (
            {"InstanceId": "ckafka-nope0000", "GroupName": "new", "TopicName": "orders"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nope0000` does not exist.",
        ),
    ],
)
def test_create_consumer_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    shop: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"audit": [1]})
    before = groups(ckafka, shop)
    params.setdefault("InstanceId", shop)
    assert failure(ckafka_client, "CreateConsumer", **params) == (code, message.format(shop=shop))
    assert groups(ckafka, shop) == before


# -- BatchModifyGroupOffsets ----------------------------------------------------------------


def _batch(client: Any, shop: str, partitions: list[tuple[int, int]], **params: Any) -> Any:
    listed = [{"Partition": p, "Offset": o} for p, o in partitions]
    return call(
        client,
        "BatchModifyGroupOffsets",
        InstanceId=shop,
        GroupName="billing",
        Partitions=listed,
        **params,
    )


def test_batch_modify_sets_each_listed_partition(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0], "audit": [0]})
    answer = _batch(ckafka_client, shop, [(1, 2)], TopicName=["orders"])
    assert answer["Result"]["ReturnCode"] == "0"
    assert ckafka.state.group(shop, "billing").offsets == {"orders": [0, 2], "audit": [0]}
    # Without TopicName: every topic of the group; past the log end: the log end.
    _batch(ckafka_client, shop, [(0, 4)])
    assert ckafka.state.group(shop, "billing").offsets == {"orders": [4, 2], "audit": [2]}
    lag = call(ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing")["Result"]
    assert [p["Lag"] for p in lag["TopicList"][0]["Partitions"]] == [1, 1]


def test_batch_modify_a_topic_the_group_had_no_offsets_for(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"audit": [0]})
    _batch(ckafka_client, shop, [(1, 1)], TopicName=["orders"])
    # Partition 0 was never committed: -1, and it lags by its whole log.
    assert ckafka.state.group(shop, "billing").offsets == {"audit": [0], "orders": [-1, 1]}
    lag = call(
        ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing", Topics=["orders"]
    )["Result"]
    assert [(p["Offset"], p["Lag"]) for p in lag["TopicList"][0]["Partitions"]] == [(-1, 5), (1, 2)]


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"GroupName": "ghost"},
            "ResourceNotFound",
            "The consumer group `ghost` does not exist in instance `{shop}`.",
        ),
        (
            {"GroupName": "busy"},
            "ResourceInUse",
            "The consumer group `busy` has active members (State Stable) and cannot have its "
            "offsets changed; stop its consumers first.",
        ),
        (
            {"GroupName": "fresh"},
            "FailedOperation",
            "The consumer group `fresh` has no committed offsets; name the topics to set them "
            "for in `TopicName`.",
        ),
        (
            {"TopicName": ["orders", "nope"]},
            "ResourceNotFound",
            "The topic `nope` in `TopicName` does not exist in instance `{shop}`.",
        ),
        (
            {"TopicName": ["orders", "orders"]},
            "InvalidParameterValue.RepetitionValue",
            "The topic `orders` appears more than once in `TopicName`; list each once.",
        ),
        (
            {"Partitions": [{"Partition": 1, "Offset": 0}, {"Partition": 1, "Offset": 2}]},
            "InvalidParameterValue.RepetitionValue",
            "The partition `1` appears more than once in `Partitions`; list each once.",
        ),
        (
            {"Partitions": [{"Partition": 0, "Offset": -1}]},
            "InvalidParameterValue",
            "The offset -1 of partition 0 must be 0 or more.",
        ),
        (
            {"Partitions": [{"Partition": 1, "Offset": 0}]},
            "InvalidParameterValue",
            "The topic `audit` has partitions 0 to 0, got partition 1 in `Partitions`.",
        ),
    ],
)
def test_batch_modify_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    shop: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 1], "audit": [0]})
    ckafka.state.add_group(shop, "busy", state="Stable", offsets={"orders": [2, 1]})
    ckafka.state.add_group(shop, "fresh")
    before = groups(ckafka, shop)
    params = {
        "InstanceId": shop,
        "GroupName": "billing",
        "Partitions": [{"Partition": 0, "Offset": 1}],
        **params,
    }
    assert failure(ckafka_client, "BatchModifyGroupOffsets", **params) == (
        code,
        message.format(shop=shop),
    )
    assert groups(ckafka, shop) == before


# -- DeleteGroupSubscribeTopic ---------------------------------------------------------------


def test_delete_group_subscribe_topic_drops_the_topics_offsets(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 1], "audit": [0]})
    answer = call(
        ckafka_client, "DeleteGroupSubscribeTopic", InstanceId=shop, Group="billing", Topic="audit"
    )
    assert answer["Result"]["ReturnCode"] == "0"
    assert ckafka.state.group(shop, "billing").offsets == {"orders": [2, 1]}
    subscribed = call(
        ckafka_client, "DescribeTopicSubscribeGroup", InstanceId=shop, TopicName="audit"
    )
    assert subscribed["Result"]["TotalCount"] == 0


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"Group": "ghost"},
            "ResourceNotFound",
            "The consumer group `ghost` does not exist in instance `{shop}`.",
        ),
        (
            {"Topic": "nope"},
            "ResourceNotFound",
            "The topic `nope` does not exist in instance `{shop}`.",
        ),
        (
            {"Group": "busy"},
            "UnsupportedOperation",
            "The consumer group `busy` has active members (State Stable) and cannot drop a "
            "topic; stop its consumers first.",
        ),
        (
            {"Topic": "audit"},
            "FailedOperation",
            "The consumer group `billing` is not subscribed to topic `audit`: it has no "
            "committed offsets for it.",
        ),
    ],
)
def test_delete_group_subscribe_topic_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    shop: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [2, 1]})
    ckafka.state.add_group(shop, "busy", offsets={"orders": [2, 1]})
    ckafka.state.add_group_member(shop, "busy", assignment={"orders": [0, 1]})
    before = groups(ckafka, shop)
    params = {"InstanceId": shop, "Group": "billing", "Topic": "orders", **params}
    assert failure(ckafka_client, "DeleteGroupSubscribeTopic", **params) == (
        code,
        message.format(shop=shop),
    )
    assert groups(ckafka, shop) == before


# -- members and DescribeGroupInfo -------------------------------------------------------------


def test_describe_group_info_shows_seeded_members(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0]}, assignor="roundrobin")
    first = ckafka.state.add_group_member(
        shop, "billing", client_id="billing-1", host="10.0.0.5", assignment={"orders": [0]}
    )
    ckafka.state.add_group_member(
        shop, "billing", member_id="billing-2-x", assignment={"orders": [1], "audit": [0]}
    )
    assert first.startswith("billing-1-")
    assert ckafka.state.group(shop, "billing").state == "Stable"  # consumers have joined
    (info,) = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=["billing"])[
        "Result"
    ]
    assert (info["State"], info["ProtocolType"], info["Protocol"]) == (
        "Stable",
        "consumer",
        "roundrobin",
    )
    assert info["Members"] == [
        {
            "MemberId": first,
            "ClientId": "billing-1",
            "ClientHost": "10.0.0.5",
            "Assignment": {"Version": 0, "Topics": [{"Topic": "orders", "Partitions": [0]}]},
        },
        {
            "MemberId": "billing-2-x",
            "ClientId": "consumer-1",
            "ClientHost": "10.0.0.30",
            "Assignment": {
                "Version": 0,
                "Topics": [
                    {"Topic": "orders", "Partitions": [1]},
                    {"Topic": "audit", "Partitions": [0]},
                ],
            },
        },
    ]
    # Consumers that have joined keep the offsets from being reset.
    code, _ = failure(
        ckafka_client,
        "ModifyGroupOffsets",
        InstanceId=shop,
        Group="billing",
        Topics=["orders"],
        Strategy=2,
        Offset=0,
    )
    assert code == "ResourceInUse"
    ckafka.state.remove_group_members(shop, "billing", [first])
    assert ckafka.state.group(shop, "billing").state == "Stable"
    ckafka.state.remove_group_members(shop, "billing")
    (info,) = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=["billing"])[
        "Result"
    ]
    assert (info["State"], info["Protocol"], info["Members"]) == ("Empty", "", [])


def test_members_show_only_in_a_stable_consumer_group(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    # The reference: Members "only when State is Stable and ProtocolType is consumer".
    ckafka.state.add_group(shop, "sink", protocol="connect", assignor="sessioned")
    ckafka.state.add_group_member(shop, "sink", client_id="connect-1")
    ckafka.state.add_group(shop, "moving", state="PreparingRebalance")
    ckafka.state.add_group_member(shop, "moving")
    names = ["sink", "moving"]
    result = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=names)["Result"]
    assert [(r["State"], r["Protocol"], r["Members"]) for r in result] == [
        ("Stable", "sessioned", []),
        ("PreparingRebalance", "", []),
    ]


def test_member_seeding_is_checked(ckafka: CKafkaMock, shop: str) -> None:
    ckafka.state.add_group(shop, "billing")
    ckafka.state.add_group_member(shop, "billing", member_id="m-1", assignment={"orders": [0]})
    cases = [
        ({"group": "ghost"}, f'ckafka.state: {shop} has no unknown consumer group "ghost". '),
        (
            {"assignment": {"order": [0]}},
            f'state.add_group_member: {shop} has no unknown topic "order": did you mean "orders"?',
        ),
        (
            {"assignment": {"orders": [2]}},
            "state.add_group_member: topic orders has partitions 0 to 1, got partition 2",
        ),
        (
            {"assignment": {"orders": [0]}},
            "state.add_group_member: partition 0 of topic orders is already assigned to member m-1",
        ),
        ({"member_id": "m-1"}, "state.add_group_member: group billing already has member m-1"),
        ({"host": 5}, "state.add_group_member.host: expected a string, got a number 5"),
    ]
    for arguments, message in cases:
        arguments = {"group": "billing", **arguments}
        with pytest.raises(CKafkaUsageError) as info:
            ckafka.state.add_group_member(shop, **arguments)
        assert str(info.value).startswith(message)
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.remove_group_members(shop, "billing", ["m-2"])
    assert str(info.value).startswith(
        'state.remove_group_members: group billing has no unknown member "m-2"'
    )
    assert [m.member_id for m in ckafka.state.group(shop, "billing").members] == ["m-1"]


def test_a_deleted_topic_leaves_the_members_assignments(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [0, 0], "audit": [0]})
    ckafka.state.add_group_member(shop, "billing", assignment={"orders": [0], "audit": [0]})
    call(ckafka_client, "DeleteTopic", InstanceId=shop, TopicName="audit")
    (info,) = call(ckafka_client, "DescribeGroupInfo", InstanceId=shop, GroupList=["billing"])[
        "Result"
    ]
    assert info["Members"][0]["Assignment"]["Topics"] == [{"Topic": "orders", "Partitions": [0]}]
    assert ckafka.state.group(shop, "billing").offsets == {"orders": [0, 0]}


# -- DescribeTopicSubscribeGroup ----------------------------------------------------------------


def test_describe_topic_subscribe_group_lists_the_topics_groups(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [1, 1]})
    ckafka.state.add_group(shop, "audit-only", offsets={"audit": [0]})
    ckafka.state.add_group(shop, "live", assignor="sticky")
    member = ckafka.state.add_group_member(shop, "live", assignment={"orders": [0, 1]})
    for n in range(3):
        ckafka.state.add_group(shop, f"idle-{n}", offsets={"orders": [0, 0]})
    result = call(
        ckafka_client, "DescribeTopicSubscribeGroup", InstanceId=shop, TopicName="orders"
    )["Result"]
    assert (result["TotalCount"], result["StatusCountInfo"], result["Status"]) == (
        5,
        "4 Empty, 1 Stable",
        1,
    )
    assert [g["Group"] for g in result["GroupsInfo"]] == [
        "billing",
        "live",
        "idle-0",
        "idle-1",
        "idle-2",
    ]
    live = result["GroupsInfo"][1]
    assert (live["State"], live["Protocol"], live["Members"][0]["MemberId"]) == (
        "Stable",
        "sticky",
        member,
    )
    page = call(
        ckafka_client,
        "DescribeTopicSubscribeGroup",
        InstanceId=shop,
        TopicName="orders",
        Offset=1,
        Limit=2,
    )["Result"]
    assert (page["TotalCount"], [g["Group"] for g in page["GroupsInfo"]]) == (5, ["live", "idle-0"])
    assert failure(
        ckafka_client, "DescribeTopicSubscribeGroup", InstanceId=shop, TopicName="nope"
    ) == ("ResourceNotFound", f"The topic `nope` does not exist in instance `{shop}`.")


# -- offsets padded for new partitions ---------------------------------------------------------


def test_partitions_added_later_have_no_committed_offset(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [5, 3], "audit": [2]})
    call(ckafka_client, "CreatePartition", InstanceId=shop, TopicName="orders", PartitionNum=3)
    batch = [{"TopicName": "audit", "PartitionNum": 2}]
    call(ckafka_client, "BatchModifyTopicAttributes", InstanceId=shop, Topic=batch)
    assert ckafka.state.group(shop, "billing").offsets == {"orders": [5, 3, -1], "audit": [2, -1]}
    ckafka.state.add_messages(shop, "orders", ["new"], partition=2)
    lag = call(
        ckafka_client, "DescribeGroupOffsets", InstanceId=shop, Group="billing", Topics=["orders"]
    )["Result"]
    assert [(p["Partition"], p["Offset"], p["Lag"]) for p in lag["TopicList"][0]["Partitions"]] == [
        (0, 5, 0),
        (1, 3, 0),
        (2, -1, 1),
    ]


def test_a_state_file_with_fewer_offsets_than_partitions_reads_as_padded(
    ckafka: CKafkaMock, ckafka_client: Any, shop: str
) -> None:
    ckafka.state.add_group(shop, "billing", offsets={"orders": [5, 3]})
    dumped = ckafka.state.dump()
    (store,) = dumped["stores"]
    store["instances"][shop]["groups"]["billing"]["offsets"]["orders"] = [4]
    ckafka.state.load(dumped)
    info = call(ckafka_client, "DescribeConsumerGroup", InstanceId=shop, GroupName="billing")
    (subscribed,) = info["Result"]["GroupList"][0]["SubscribedInfo"]
    assert subscribed["PartitionOffset"] == [
        {"Partition": "0", "Offset": 4},
        {"Partition": "1", "Offset": -1},
    ]


# -- async ------------------------------------------------------------------------------------


async def test_async_create_consumer_then_list_the_topics_groups(
    ckafka: CKafkaMock, ckafka_client_async: Any, shop: str
) -> None:
    create = models.CreateConsumerRequest()
    create.InstanceId, create.GroupName, create.TopicName = shop, "billing", "orders"
    await ckafka_client_async.CreateConsumer(create)
    describe = models.DescribeTopicSubscribeGroupRequest()
    describe.InstanceId, describe.TopicName = shop, "orders"
    result = (await ckafka_client_async.DescribeTopicSubscribeGroup(describe)).Result
    assert (result.TotalCount, result.StatusCountInfo) == (1, "1 Empty")
    assert [(g.Group, g.State) for g in result.GroupsInfo] == [("billing", "Empty")]
