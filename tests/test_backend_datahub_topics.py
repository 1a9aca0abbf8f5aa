"""The stateful DataHub topic family (and SendMessage into it), driven through the official SDK."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.datahub_checks import datahub_topic_for_id, find_datahub_topic

from .sdk_calls import sdk_error as error
from .sdk_calls import sdk_response
from .sdk_calls import sdk_result as call

NAME = "1300957330-orders"
DATAHUB = "datahub-meuh9nhn"
BAD = "InvalidParameterValue"
NOT_FOUND = "ResourceNotFound"
T0 = 1_700_000_000_000


def snapshot(ckafka: CKafkaMock) -> Any:
    """Everything the state holds, to compare before and after a failed call."""
    return copy.deepcopy(ckafka.state.dump())


@pytest.fixture
def seeded(ckafka: CKafkaMock) -> str:
    """A three-partition DataHub topic with messages in partition 0 and a group's offsets."""
    ckafka.state.add_datahub_topic(NAME, partitions=3, datahub_id=DATAHUB, note="orders")
    ckafka.state.add_datahub_messages(
        NAME,
        [{"key": f"k{n}", "value": f"v{n}", "timestamp": T0 + n} for n in range(30)],
    )
    ckafka.state.add_datahub_group_offsets(NAME, "billing", [25, -1, 0])
    return NAME


def send(client: Any, datahub_id: str, *messages: tuple[str, str]) -> list[str]:
    listed = [{"Body": body, **({"Key": key} if key else {})} for key, body in messages]
    return list(
        sdk_response(client, "SendMessage", DataHubId=datahub_id, Message=listed)["MessageId"]
    )


def kafka_partition(key: str, partitions: int) -> int:
    """Where a Java producer puts ``key``: Kafka's own murmur2 values (UtilsTest.testMurmur2)."""
    known = {"21": -973932308, "foobar": -790332482, "abc": 479470107}
    return (known[key] & 0x7FFFFFFF) % partitions


# -- the whole workflow ------------------------------------------------------------------------


def test_create_describe_send_fetch_modify_delete(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    created = call(
        ckafka_client,
        "CreateDatahubTopic",
        Name=NAME,
        PartitionNum=3,
        RetentionMs=3_600_000,
        Note="order-events",
        Tags=[{"TagKey": "team", "TagValue": "shop"}],
    )
    assert created["TopicName"] == NAME
    assert re.fullmatch(r"topic-[a-z0-9]{8}", created["TopicId"])
    (topic,) = ckafka.state.datahub_topics()
    assert (topic.name, topic.topic_id, topic.partition_num, topic.retention_ms) == (
        NAME,
        created["TopicId"],
        3,
        3_600_000,
    )
    assert topic.tags == [{"TagKey": "team", "TagValue": "shop"}]
    assert re.fullmatch(r"datahub-[a-z0-9]{8}", topic.datahub_id)

    described = call(ckafka_client, "DescribeDatahubTopic", Name=NAME)
    assert described == {
        "Name": NAME,
        "TopicName": NAME,
        "TopicId": created["TopicId"],
        "PartitionNum": 3,
        "RetentionMs": 3_600_000,
        "Note": "order-events",
        "UserName": topic.user_name,
        "Password": topic.password,
        "Status": 1,
        "Address": "dip.tencentcloudmq.com:6000",
    }
    assert re.fullmatch(r"[a-z0-9]{12}", topic.user_name)
    assert re.fullmatch(r"[0-9a-f]{32}", topic.password)

    ids = send(ckafka_client, topic.datahub_id, ("foobar", "hello"), ("", "no key"))
    where = kafka_partition("foobar", 3)
    assert [bytes.fromhex(i).decode() for i in ids] == [
        f"{topic.datahub_id}:{NAME}:{where}:0",
        f"{topic.datahub_id}:{NAME}:0:0" if where != 0 else f"{topic.datahub_id}:{NAME}:0:1",
    ]
    record = call(
        ckafka_client, "FetchDatahubMessageByOffset", Name=NAME, Partition=where, Offset=0
    )
    assert (record["Topic"], record["Key"], record["Value"], record["Headers"]) == (
        NAME,
        "foobar",
        "hello",
        None,
    )
    assert record["Timestamp"] == int(ckafka.clock.now() * 1000)
    latest = call(ckafka_client, "FetchLatestDatahubMessageList", Name=NAME, Partition=where)
    assert [r["Value"] for r in latest] == ["hello"] + (["no key"] if where == 0 else [])

    assert call(
        ckafka_client, "ModifyDatahubTopic", Name=NAME, RetentionMs=86_400_000, Note="v2"
    ) == {"ReturnCode": "0", "ReturnMessage": "ok", "Data": {"FlowId": 0, "RouteDTO": None}}
    listed = call(ckafka_client, "DescribeDatahubTopics")
    assert listed == {
        "TotalCount": 1,
        "TopicList": [
            {
                "Name": NAME,
                "TopicName": NAME,
                "TopicId": created["TopicId"],
                "PartitionNum": 3,
                "RetentionMs": 86_400_000,
                "Note": "v2",
                "Status": 1,
            }
        ],
    }
    assert ckafka.state.datahub_topic(NAME).tags == [{"TagKey": "team", "TagValue": "shop"}]

    assert call(ckafka_client, "DeleteDatahubTopic", Name=NAME)["ReturnCode"] == "0"
    assert ckafka.state.datahub_topics() == []
    assert error(ckafka_client, "DescribeDatahubTopic", Name=NAME) == (
        NOT_FOUND,
        f"The DataHub topic `{NAME}` does not exist.",
    )
    assert (
        error(ckafka_client, "SendMessage", DataHubId=topic.datahub_id, Message=[{"Body": "x"}])[0]
        == NOT_FOUND
    )


async def test_async_create_send_and_fetch(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    create = models.CreateDatahubTopicRequest()
    create.Name, create.PartitionNum, create.RetentionMs = NAME, 1, 60_000
    created = await ckafka_client_async.CreateDatahubTopic(create)
    assert created.Result.TopicName == NAME
    send_request = models.SendMessageRequest()
    send_request.DataHubId = ckafka.state.datahub_topic(NAME).datahub_id
    content = models.BatchContent()
    content.Body, content.Key = "async body", "ak"
    send_request.Message = [content]
    assert len((await ckafka_client_async.SendMessage(send_request)).MessageId) == 1
    fetch = models.FetchDatahubMessageByOffsetRequest()
    fetch.Name, fetch.Partition, fetch.Offset = NAME, 0, 0
    record = (await ckafka_client_async.FetchDatahubMessageByOffset(fetch)).Result
    assert (record.Key, record.Value) == ("ak", "async body")


# -- CreateDatahubTopic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"Name": "orders"},
            "The DataHub topic name `orders` is invalid: use your AppId, `-`, then letters, "
            "digits and `-`, at most 128 characters in all (e.g. `1300957330-orders`).",
        ),
        (
            {"Name": "1300957330-my_orders"},
            "The DataHub topic name `1300957330-my_orders` is invalid: use your AppId, `-`, then "
            "letters, digits and `-`, at most 128 characters in all (e.g. `1300957330-orders`).",
        ),
        (
            {"Name": "1300957330-" + "a" * 118},
            f"The DataHub topic name `1300957330-{'a' * 118}` is invalid: use your AppId, `-`, "
            "then letters, digits and `-`, at most 128 characters in all (e.g. "
            "`1300957330-orders`).",
        ),
        (
            {"PartitionNum": 501},
            "The parameter `PartitionNum` must be between 1 and 500, got 501.",
        ),
        (
            {"PartitionNum": 0},
            "The parameter `PartitionNum` must be between 1 and 500, got 0.",
        ),
        (
            {"RetentionMs": 59_999},
            "The parameter `RetentionMs` must be at least 60000 milliseconds, got 59999.",
        ),
        (
            {"Note": "n" * 65},
            "The parameter `Note` must be at most 64 characters, got 65.",
        ),
        (
            {"Note": "order events"},
            "The parameter `Note` may hold letters, digits and `-` only, got `order events`.",
        ),
    ],
)
def test_create_rules_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, members: dict[str, Any], message: str
) -> None:
    before = snapshot(ckafka)
    request = {"Name": NAME, "PartitionNum": 1, "RetentionMs": 60_000, **members}
    assert error(ckafka_client, "CreateDatahubTopic", **request) == (BAD, message)
    assert snapshot(ckafka) == before


def test_create_accepts_the_documented_bounds(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    longest = "12345-" + "a" * 122
    call(ckafka_client, "CreateDatahubTopic", Name=longest, PartitionNum=500, RetentionMs=60_000)
    call(ckafka_client, "CreateDatahubTopic", Name="1-a", PartitionNum=1, RetentionMs=60_000,
         Note="n-" * 32)  # fmt: skip
    assert [t.partition_num for t in ckafka.state.datahub_topics()] == [500, 1]


def test_create_a_tag_key_twice(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    tags = [{"TagKey": "team", "TagValue": "a"}, {"TagKey": "team", "TagValue": "b"}]
    assert error(
        ckafka_client,
        "CreateDatahubTopic",
        Name=NAME,
        PartitionNum=1,
        RetentionMs=60_000,
        Tags=tags,
    ) == (
        "InvalidParameterValue.RepetitionValue",
        "The tag key `team` appears more than once in `Tags`; give each key once.",
    )
    assert ckafka.state.datahub_topics() == []


def test_create_a_name_twice(ckafka: CKafkaMock, ckafka_client: Any, seeded: str) -> None:
    before = snapshot(ckafka)
    assert error(
        ckafka_client, "CreateDatahubTopic", Name=seeded, PartitionNum=5, RetentionMs=60_000
    ) == ("InvalidParameter.TopicExist", f"The DataHub topic `{seeded}` already exists.")
    assert snapshot(ckafka) == before


def test_names_are_kept_per_account_and_region(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.add_datahub_topic(NAME, region="ap-shanghai")
    assert call(ckafka_client, "DescribeDatahubTopics")["TotalCount"] == 0
    call(ckafka_client, "CreateDatahubTopic", Name=NAME, PartitionNum=1, RetentionMs=60_000)
    assert [t.name for t in ckafka.state.datahub_topics(region="ap-shanghai")] == [NAME]
    assert [t.name for t in ckafka.state.datahub_topics()] == [NAME]


# -- DescribeDatahubTopics --------------------------------------------------------------------


@pytest.fixture
def shelf(ckafka: CKafkaMock) -> list[str]:
    names = [f"1300957330-t{n:03d}" for n in range(30, 0, -1)]  # seeded in reverse order
    for name in names:
        ckafka.state.add_datahub_topic(name)
    return sorted(names)


def test_describe_topics_lists_by_name_and_pages(ckafka_client: Any, shelf: list[str]) -> None:
    first = call(ckafka_client, "DescribeDatahubTopics")
    assert (first["TotalCount"], [t["Name"] for t in first["TopicList"]]) == (30, shelf[:20])
    rest = call(ckafka_client, "DescribeDatahubTopics", Offset=20, Limit=100)
    assert [t["Name"] for t in rest["TopicList"]] == shelf[20:]


def test_describe_topics_search_word_and_expression(
    ckafka: CKafkaMock, ckafka_client: Any, shelf: list[str]
) -> None:
    found = call(ckafka_client, "DescribeDatahubTopics", SearchWord="t01")
    assert [t["Name"] for t in found["TopicList"]] == shelf[9:19]
    assert found["TotalCount"] == 10
    topic_id = ckafka.state.datahub_topic(shelf[3]).topic_id
    by_id = call(ckafka_client, "DescribeDatahubTopics", SearchWord=topic_id)
    assert [t["Name"] for t in by_id["TopicList"]] == [shelf[3]]
    matched = call(ckafka_client, "DescribeDatahubTopics", TopicRegularExpression=r".*-t00[1-3]")
    assert [t["Name"] for t in matched["TopicList"]] == shelf[:3]
    assert (
        call(ckafka_client, "DescribeDatahubTopics", TopicRegularExpression="t00")["TotalCount"]
        == 0
    )  # the whole name must match


def test_describe_topics_bad_requests(ckafka_client: Any, shelf: list[str]) -> None:
    assert error(ckafka_client, "DescribeDatahubTopics", Limit=101) == (
        BAD,
        "The parameter `Limit` must be between 1 and 100, got 101.",
    )
    code, message = error(ckafka_client, "DescribeDatahubTopics", TopicRegularExpression="t(")
    assert (code, message.split(" (")[0]) == (
        BAD,
        "The parameter `TopicRegularExpression` is not a regular expression",
    )
    assert error(ckafka_client, "DescribeDatahubTopics", QueryFromConnectResource=True) == (
        "MissingParameter",
        "The parameter `ConnectResourceId` is required when `QueryFromConnectResource` is true.",
    )
    assert error(
        ckafka_client,
        "DescribeDatahubTopics",
        QueryFromConnectResource=True,
        ConnectResourceId="resource-xxx",
    ) == (NOT_FOUND, "The connect resource `resource-xxx` does not exist in region `ap-guangzhou`.")


def test_describe_topics_of_a_connect_resource(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance()
    ckafka.state.add_topic(instance_id, "payments", partitions=2, note="p", RetentionMs=3_600_000)
    ckafka.state.add_topic(instance_id, "audit")
    ckafka.state.add_datahub_topic(NAME)  # a DataHub topic: not the connection's
    kafka = ckafka.state.add_connect_resource(
        "shop", params={"Resource": instance_id, "SelfBuilt": False}
    )
    listed = call(
        ckafka_client,
        "DescribeDatahubTopics",
        QueryFromConnectResource=True,
        ConnectResourceId=kafka,
        SearchWord="pay",
    )
    payments = ckafka.state.topic(instance_id, "payments")
    assert listed == {
        "TotalCount": 1,
        "TopicList": [
            {
                "Name": "payments",
                "TopicName": "payments",
                "TopicId": payments.topic_id,
                "PartitionNum": 2,
                "RetentionMs": 3_600_000,
                "Note": "p",
                "Status": 1,
            }
        ],
    }
    both = call(
        ckafka_client,
        "DescribeDatahubTopics",
        QueryFromConnectResource=True,
        ConnectResourceId=kafka,
    )
    assert [t["Name"] for t in both["TopicList"]] == ["audit", "payments"]
    self_built = ckafka.state.add_connect_resource("own")  # a cluster the fake cannot see into
    assert call(
        ckafka_client,
        "DescribeDatahubTopics",
        QueryFromConnectResource=True,
        ConnectResourceId=self_built,
    ) == {"TotalCount": 0, "TopicList": []}


# -- ModifyDatahubTopic and DeleteDatahubTopic -------------------------------------------------


def test_modify_keeps_what_it_is_not_given(
    ckafka: CKafkaMock, ckafka_client: Any, seeded: str
) -> None:
    call(ckafka_client, "ModifyDatahubTopic", Name=seeded, RetentionMs=120_000)
    topic = ckafka.state.datahub_topic(seeded)
    assert (topic.retention_ms, topic.note, topic.tags) == (120_000, "orders", [])
    tags = [{"TagKey": "env", "TagValue": "test"}]
    call(ckafka_client, "ModifyDatahubTopic", Name=seeded, RetentionMs=120_000, Tags=tags)
    assert ckafka.state.datahub_topic(seeded).tags == tags
    # ModifyDatahubTopic's Note document limits the length only.
    call(ckafka_client, "ModifyDatahubTopic", Name=seeded, RetentionMs=120_000, Note="a note")
    assert ckafka.state.datahub_topic(seeded).note == "a note"


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"Name": "1300957330-nope"},
            NOT_FOUND,
            "The DataHub topic `1300957330-nope` does not exist.",
        ),
        (
            {"RetentionMs": 1000},
            BAD,
            "The parameter `RetentionMs` must be at least 60000 milliseconds, got 1000.",
        ),
        ({"Note": "x" * 65}, BAD, "The parameter `Note` must be at most 64 characters, got 65."),
        (
            {"Tags": [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}]},
            "InvalidParameterValue.RepetitionValue",
            "The tag key `a` appears more than once in `Tags`; give each key once.",
        ),
    ],
)
def test_modify_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    seeded: str,
    members: dict[str, Any],
    code: str,
    message: str,
) -> None:
    before = snapshot(ckafka)
    request = {"Name": seeded, "RetentionMs": 120_000, "Note": "new", **members}
    assert error(ckafka_client, "ModifyDatahubTopic", **request) == (code, message)
    assert snapshot(ckafka) == before


def test_delete_unknown_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, seeded: str
) -> None:
    before = snapshot(ckafka)
    assert error(ckafka_client, "DeleteDatahubTopic", Name=seeded + "x") == (
        NOT_FOUND,
        f"The DataHub topic `{seeded}x` does not exist.",
    )
    assert snapshot(ckafka) == before


def test_a_topic_a_datahub_task_uses_cannot_be_deleted(
    ckafka: CKafkaMock, ckafka_client: Any, seeded: str
) -> None:
    dumped = ckafka.state.dump()
    task = {
        "task_id": "task-y9799wbn",
        "name": "to-es",
        "task_type": "SINK",
        "created_at": ckafka.clock.now(),
        "source": {"Type": "TOPIC", "TopicParam": {"Resource": seeded}},
        "target": {"Type": "ES", "EsParam": {"Resource": "es-1"}},
    }
    dumped["stores"][0]["datahub_tasks"] = {"task-y9799wbn": task}
    ckafka.state.load(dumped)
    before = snapshot(ckafka)
    assert error(ckafka_client, "DeleteDatahubTopic", Name=seeded) == (
        "ResourceInUse",
        f"The DataHub topic `{seeded}` is used by DataHub task `task-y9799wbn`; delete the "
        "task first (DeleteDatahubTask).",
    )
    assert snapshot(ckafka) == before
    dumped["stores"][0]["datahub_tasks"] = {}
    ckafka.state.load(dumped)
    assert call(ckafka_client, "DeleteDatahubTopic", Name=seeded)["ReturnCode"] == "0"


def test_a_deleted_name_starts_afresh(ckafka: CKafkaMock, ckafka_client: Any, seeded: str) -> None:
    call(ckafka_client, "DeleteDatahubTopic", Name=seeded)
    call(ckafka_client, "CreateDatahubTopic", Name=seeded, PartitionNum=1, RetentionMs=60_000)
    topic = ckafka.state.datahub_topic(seeded)
    assert (topic.partitions[0].messages, topic.group_offsets) == ([], {})
    assert topic.datahub_id != DATAHUB


# -- messages ---------------------------------------------------------------------------------


def test_fetch_by_offset(ckafka_client: Any, seeded: str) -> None:
    record = call(ckafka_client, "FetchDatahubMessageByOffset", Name=seeded, Partition=0, Offset=7)
    assert record == {
        "Topic": seeded,
        "Partition": 0,
        "Offset": 7,
        "Key": "k7",
        "Value": "v7",
        "Timestamp": T0 + 7,
        "Headers": None,
    }


@pytest.mark.parametrize(
    ("partition", "offset", "code", "message"),
    [
        (3, 0, BAD, f"The DataHub topic `{NAME}` has partitions 0 to 2, got partition 3."),
        (
            0,
            30,
            NOT_FOUND,
            f"There is no message at offset 30 of partition 0 of DataHub topic `{NAME}`; "
            "the partition has offsets 0 to 29.",
        ),
        (
            1,
            0,
            NOT_FOUND,
            f"There is no message at offset 0 of partition 1 of DataHub topic `{NAME}`; "
            "the partition has no messages.",
        ),
        (0, -1, BAD, "The parameter `Offset` must be 0 or more, got -1."),
    ],
)
def test_fetch_by_offset_rules(
    ckafka_client: Any, seeded: str, partition: int, offset: int, code: str, message: str
) -> None:
    assert error(
        ckafka_client,
        "FetchDatahubMessageByOffset",
        Name=seeded,
        Partition=partition,
        Offset=offset,
    ) == (code, message)


def test_fetch_latest(ckafka_client: Any, seeded: str) -> None:
    def offsets(**members: Any) -> list[int]:
        records = call(ckafka_client, "FetchLatestDatahubMessageList", Name=seeded, **members)
        return [r["Offset"] for r in records]

    assert offsets(Partition=0) == list(range(10, 30))  # the latest 20, oldest first
    assert offsets(Partition=0, MessageCount=3) == [27, 28, 29]
    assert offsets(Partition=0, MessageCount=100) == list(range(30))
    assert offsets(Partition=0, Offset=5, MessageCount=2) == [5, 6]
    assert offsets(Partition=0, Offset=30) == []  # the end offset: nothing new yet
    assert offsets(Partition=1) == []
    (record,) = call(ckafka_client, "FetchLatestDatahubMessageList", Name=seeded, Partition=0,
                     MessageCount=1)  # fmt: skip
    assert (record["Key"], record["Value"]) == ("k29", "v29")  # the example shows the content


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"Offset": 31},
            BAD,
            f"The offset 31 is out of range for partition 0 of DataHub topic `{NAME}`: valid "
            "offsets are 0 to 30.",
        ),
        (
            {"MessageCount": 0},
            BAD,
            "The parameter `MessageCount` must be between 1 and 100, got 0.",
        ),
        (
            {"MessageCount": 101},
            BAD,
            "The parameter `MessageCount` must be between 1 and 100, got 101.",
        ),
        (
            {"Partition": 9},
            BAD,
            f"The DataHub topic `{NAME}` has partitions 0 to 2, got partition 9.",
        ),
        ({"Name": "1300957330-x"}, NOT_FOUND, "The DataHub topic `1300957330-x` does not exist."),
    ],
)
def test_fetch_latest_rules(
    ckafka_client: Any, seeded: str, members: dict[str, Any], code: str, message: str
) -> None:
    request = {"Name": seeded, "Partition": 0, **members}
    assert error(ckafka_client, "FetchLatestDatahubMessageList", **request) == (code, message)


def test_send_partitions_keys_as_kafka_does(
    ckafka: CKafkaMock, ckafka_client: Any, seeded: str
) -> None:
    keys = ("21", "foobar", "abc")
    send(ckafka_client, DATAHUB, *((key, f"body-{key}") for key in keys * 2))
    for key in keys:
        messages = ckafka.state.datahub_messages(seeded, kafka_partition(key, 3))
        assert [m.value for m in messages if m.key == key] == [f"body-{key}"] * 2


def test_send_spreads_keyless_batches_over_the_partitions(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    ckafka.state.add_datahub_topic(NAME, partitions=2, datahub_id=DATAHUB)
    for batch in range(3):
        send(ckafka_client, DATAHUB, ("", f"{batch}a"), ("", f"{batch}b"))
    assert [m.value for m in ckafka.state.datahub_messages(NAME, 0)] == ["0a", "0b", "2a", "2b"]
    assert [m.value for m in ckafka.state.datahub_messages(NAME, 1)] == ["1a", "1b"]
    assert ckafka.state.sent_messages(DATAHUB)[:2] == [
        {"Body": "0a", "Key": ""},
        {"Body": "0b", "Key": ""},
    ]


def test_send_to_an_unknown_datahub_id_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, seeded: str
) -> None:
    before = snapshot(ckafka)
    other = "datahub-00000000"
    assert error(ckafka_client, "SendMessage", DataHubId=other, Message=[{"Body": "x"}]) == (
        NOT_FOUND,
        f"The DataHub access point `{other}` does not exist: no DataHub topic has it.",
    )
    assert snapshot(ckafka) == before
    assert ckafka.state.sent_messages(other) == []


# -- DescribeDatahubGroupOffsets -----------------------------------------------------------------


def test_group_offsets_and_lag(ckafka: CKafkaMock, ckafka_client: Any, seeded: str) -> None:
    send(ckafka_client, DATAHUB, ("", "one"))  # the first keyless batch: partition 0
    result = call(ckafka_client, "DescribeDatahubGroupOffsets", Name=seeded, Group="billing")
    assert result == {
        "TotalCount": 1,
        "TopicList": [
            {
                "Topic": seeded,
                "Partitions": [
                    {"Partition": 0, "Offset": 25, "Metadata": "", "ErrorCode": 0,
                     "LogEndOffset": 31, "Lag": 6},
                    {"Partition": 1, "Offset": -1, "Metadata": "", "ErrorCode": 0,
                     "LogEndOffset": 0, "Lag": 0},
                    {"Partition": 2, "Offset": 0, "Metadata": "", "ErrorCode": 0,
                     "LogEndOffset": 0, "Lag": 0},
                ],
            }
        ],
    }  # fmt: skip
    assert call(
        ckafka_client, "DescribeDatahubGroupOffsets", Name=seeded, Group="billing", SearchWord="zz"
    ) == {"TotalCount": 0, "TopicList": []}
    paged = call(
        ckafka_client, "DescribeDatahubGroupOffsets", Name=seeded, Group="billing", Offset=1
    )
    assert paged == {"TotalCount": 1, "TopicList": []}


def test_group_offsets_rules(ckafka_client: Any, seeded: str) -> None:
    assert error(ckafka_client, "DescribeDatahubGroupOffsets", Name=seeded, Group="nobody") == (
        NOT_FOUND,
        f"The consumer group `nobody` has no offsets on DataHub topic `{seeded}`.",
    )
    assert error(
        ckafka_client, "DescribeDatahubGroupOffsets", Name=seeded, Group="billing", Limit=51
    ) == (BAD, "The parameter `Limit` must be between 1 and 50, got 51.")
    assert error(ckafka_client, "DescribeDatahubGroupOffsets", Name="x", Group="billing") == (
        NOT_FOUND,
        "The DataHub topic `x` does not exist.",
    )


# -- seeding, lookups, the control API -------------------------------------------------------------


def test_lookups_other_families_use(ckafka: CKafkaMock, seeded: str) -> None:
    store = ckafka.state.backend.store("default", "ap-guangzhou")
    topic = find_datahub_topic(store, seeded)
    assert topic is not None and topic is datahub_topic_for_id(store, DATAHUB)
    assert find_datahub_topic(store, "nope") is None
    assert datahub_topic_for_id(store, "datahub-00000000") is None


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (
            lambda s: s.add_datahub_topic(NAME),
            f"state.add_datahub_topic: {NAME} already exists",
        ),
        (
            lambda s: s.add_datahub_topic("1300957330-b", datahub_id=DATAHUB),
            f"state.add_datahub_topic: another DataHub topic has datahub_id {DATAHUB}",
        ),
        (
            lambda s: s.add_datahub_topic("1300957330-b", tags=[{"TagKey": "a"}]),
            'state.add_datahub_topic: a tag is {"TagKey": ..., "TagValue": ...}, got '
            "{'TagKey': 'a'}",
        ),
        (
            lambda s: s.add_datahub_group_offsets(NAME, "g", [0]),
            f"state.add_datahub_group_offsets: DataHub topic {NAME} has 3 partitions, "
            "got 1 offsets",
        ),
        (
            lambda s: s.add_datahub_messages(NAME, ["x"], partition=3),
            f"ckafka.state: DataHub topic {NAME} has partitions 0 to 2, got partition 3",
        ),
        (
            lambda s: s.datahub_topic("1300957330-order"),
            'ckafka.state: unknown DataHub topic "1300957330-order": did you mean '
            f'"{NAME}"? Valid choices: {NAME}.',
        ),
        (
            lambda s: s.add_datahub_topic("1300957330-b", partitions="3"),
            'state.add_datahub_topic.partitions: expected an integer, got a string "3"',
        ),
    ],
)
def test_seeding_mistakes_say_what_is_wrong(
    ckafka: CKafkaMock, seeded: str, seed: Any, message: str
) -> None:
    from pytest_ckafka.exceptions import CKafkaUsageError

    with pytest.raises(CKafkaUsageError) as info:
        seed(ckafka.state)
    assert str(info.value) == message


def test_control_api_seeds_and_round_trips() -> None:
    from pytest_ckafka import CKafka

    from .test_control import control

    fake = CKafka()
    seeds = [
        {"add": "datahub_topic", "name": NAME, "partitions": 2, "datahub_id": DATAHUB},
        {"add": "datahub_messages", "name": NAME, "messages": ["a", ["k", "b"]], "partition": 1},
        {"add": "datahub_group_offsets", "name": NAME, "group": "g", "offsets": [0, 1]},
    ]
    answer = control(fake, "POST", "/_ckafka/state", seeds)
    assert answer.status == 200
    assert answer.body["added"][0].startswith("topic-")
    assert answer.body["added"][1] == [0, 1]
    assert [(m.key, m.value) for m in fake.state.datahub_messages(NAME, 1)] == [
        ("", "a"),
        ("k", "b"),
    ]
    other = CKafka()
    dumped = control(fake, "GET", "/_ckafka/state").body["state"]
    assert control(other, "PUT", "/_ckafka/state", {"state": dumped}).status == 200
    assert other.state.dump() == fake.state.dump()
    assert other.state.datahub_topic(NAME).group_offsets == {"g": [0, 1]}
