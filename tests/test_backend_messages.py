"""The stateful message family (Fetch* and SendMessage) through the SDK."""

from __future__ import annotations

import copy
from typing import Any, Optional

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.errors import allowed_codes
from pytest_ckafka.backend.messages import SEND_LIMIT
from pytest_ckafka.exceptions import CKafkaUsageError
from pytest_ckafka.server.seeding import apply_seeds

T0 = 1_700_000_000_000  # a 13-digit millisecond timestamp
DATAHUB = "datahub-meuh9nhn"
HUB_TOPIC = "1300957330-events"


@pytest.fixture
def instance_id(ckafka: CKafkaMock) -> str:
    instance_id = ckafka.state.add_instance("ckafka-msg00001")
    ckafka.state.add_topic(instance_id, "orders", partitions=2)
    ckafka.state.add_messages(
        instance_id,
        "orders",
        [{"key": f"k{n}", "value": f"v{n}", "timestamp": T0 + 1000 * n} for n in range(25)],
    )
    ckafka.state.add_messages(
        instance_id,
        "orders",
        [{"key": "p1", "value": "first", "timestamp": T0 + 500}, "no key"],
        partition=1,
    )
    return instance_id


@pytest.fixture
def hub(ckafka: CKafkaMock) -> str:
    """Two one-partition DataHub topics, SendMessage's destinations."""
    ckafka.state.add_datahub_topic(HUB_TOPIC, datahub_id=DATAHUB)
    ckafka.state.add_datahub_topic("1300957330-other", datahub_id="datahub-y9799wbn")
    return DATAHUB


def _request(model: Any, instance_id: str, **members: Any) -> Any:
    request = model()
    request.InstanceId = instance_id
    request.Topic = "orders"
    for name, value in members.items():
        setattr(request, name, value)
    return request


def _by_offset(client: Any, instance_id: str, partition: int, offset: int) -> Any:
    request = _request(
        models.FetchMessageByOffsetRequest, instance_id, Partition=partition, Offset=offset
    )
    return client.FetchMessageByOffset(request).Result


def _list_by_offset(
    client: Any, instance_id: str, partition: int, offset: int, number: Optional[int] = None
) -> list[Any]:
    request = _request(
        models.FetchMessageListByOffsetRequest,
        instance_id,
        Partition=partition,
        Offset=offset,
        SinglePartitionRecordNumber=number,
    )
    return list(client.FetchMessageListByOffset(request).Result)


def _list_by_time(client: Any, instance_id: str, **members: Any) -> list[Any]:
    request = _request(models.FetchMessageListByTimestampRequest, instance_id, **members)
    return list(client.FetchMessageListByTimestamp(request).Result)


def _send(client: Any, datahub_id: str, messages: list[tuple[str, Optional[str]]]) -> list[str]:
    request = models.SendMessageRequest()
    request.DataHubId = datahub_id
    request.Message = []
    for body, key in messages:
        content = models.BatchContent()
        content.Body = body
        content.Key = key
        request.Message.append(content)
    return list(client.SendMessage(request).MessageId)


def _error(
    ckafka: CKafkaMock, action: str, call: Any, *args: Any, **kwargs: Any
) -> tuple[str, str]:
    """The error ``call`` raises; the state is as it was, and the code allowed for ``action``."""
    before = copy.deepcopy(ckafka.state.dump())
    with pytest.raises(TencentCloudSDKException) as info:
        call(*args, **kwargs)
    assert ckafka.state.dump() == before
    assert info.value.code in allowed_codes(action)
    return info.value.code, info.value.message


# -- FetchMessageByOffset ------------------------------------------------------------


def test_fetch_by_offset_returns_the_record(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    record = _by_offset(ckafka_client, instance_id, 0, 7)
    assert (record.Topic, record.Partition, record.Offset) == ("orders", 0, 7)
    assert (record.Key, record.Value, record.Timestamp) == ("k7", "v7", T0 + 7000)
    assert record.Headers is None
    other = _by_offset(ckafka_client, instance_id, 1, 1)
    assert (other.Partition, other.Offset, other.Key, other.Value) == (1, 1, "", "no key")


def test_seeded_headers_are_answered_by_every_fetch(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    headers = {"trace-id": "abc", "source": "電商"}
    message = {"key": "h", "value": "with headers", "timestamp": T0 + 900, "headers": headers}
    (offset,) = ckafka.state.add_messages(instance_id, "orders", [message], partition=1)
    assert ckafka.state.messages(instance_id, "orders", 1)[offset].headers == headers
    text = '{"trace-id":"abc","source":"電商"}'  # the Headers member is a string: JSON
    assert _by_offset(ckafka_client, instance_id, 1, offset).Headers == text
    listed = _list_by_offset(ckafka_client, instance_id, 1, 0)
    # The lists leave out key and value, not the headers their document does not name.
    assert [(r.Key, r.Headers) for r in listed] == [(None, None), (None, None), (None, text)]
    request = _request(models.FetchMessageListByTimestampRequest, instance_id, Partition=1)
    request.StartTime = T0 + 800
    by_time = ckafka_client.FetchMessageListByTimestamp(request).Result
    assert (by_time[-1].Offset, by_time[-1].Headers) == (offset, text)


def test_headers_are_seeded_as_a_mapping_of_strings(ckafka: CKafkaMock, instance_id: str) -> None:
    bad = [{"value": "v", "headers": ["trace-id", "abc"]}]
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_messages(instance_id, "orders", bad)
    assert str(info.value) == (
        'a message\'s headers are an object of names to values, got a list ["trace-id", "abc"]'
    )
    seed = {"add": "messages", "instance_id": instance_id, "topic": "orders"}
    seed["messages"] = [{"value": "v", "headers": {"n": 1}}]
    with pytest.raises(CKafkaUsageError) as info:
        apply_seeds(ckafka.state, seed)
    assert str(info.value) == "seed[0].messages[0].headers.n: expected a string, got a number 1"
    assert len(ckafka.state.messages(instance_id, "orders")) == 25


def test_fetch_by_offset_sees_messages_added_later(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    (offset,) = ckafka.state.add_messages(instance_id, "orders", [("late", "news")], partition=1)
    assert offset == 2
    assert _by_offset(ckafka_client, instance_id, 1, 2).Value == "news"


def test_fetch_by_offset_beyond_the_end(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _error(ckafka, "FetchMessageByOffset", _by_offset, ckafka_client, instance_id, 1, 2) == (
        "ResourceNotFound",
        "There is no message at offset 2 of partition 1 of topic `orders`; "
        "the partition has offsets 0 to 1.",
    )


def test_fetch_by_offset_in_an_empty_partition(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance("ckafka-empty001")
    ckafka.state.add_topic(instance_id, "orders")
    assert _error(ckafka, "FetchMessageByOffset", _by_offset, ckafka_client, instance_id, 0, 0) == (
        "ResourceNotFound",
        "There is no message at offset 0 of partition 0 of topic `orders`; "
        "the partition has no messages yet.",
    )


def test_fetch_by_negative_offset(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _error(
        ckafka, "FetchMessageByOffset", _by_offset, ckafka_client, instance_id, 0, -1
    ) == ("InvalidParameterValue", "The parameter `Offset` must be 0 or more, got -1.")


@pytest.mark.parametrize("partition", [2, -1])
def test_fetch_by_offset_partition_out_of_range(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, partition: int
) -> None:
    assert _error(
        ckafka, "FetchMessageByOffset", _by_offset, ckafka_client, instance_id, partition, 0
    ) == (
        "InvalidParameterValue",
        f"The topic `orders` has partitions 0 to 1, got partition {partition}.",
    )


def test_fetch_from_unknown_topic(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    request = _request(models.FetchMessageByOffsetRequest, instance_id, Partition=0, Offset=0)
    request.Topic = "payments"
    assert _error(ckafka, "FetchMessageByOffset", ckafka_client.FetchMessageByOffset, request) == (
        "ResourceNotFound",
        f"The topic `payments` does not exist in instance `{instance_id}`.",
    )


def test_fetch_from_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    code, message = _error(
        ckafka, "FetchMessageByOffset", _by_offset, ckafka_client, "ckafka-nothere1", 0, 0
    )
    assert code == "ResourceNotFound"
    assert message.startswith("The instance `ckafka-nothere1` does not exist.")


# -- FetchMessageListByOffset --------------------------------------------------------------


def test_list_by_offset_defaults_to_20_records_without_content(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    records = _list_by_offset(ckafka_client, instance_id, 0, 2)
    assert [r.Offset for r in records] == list(range(2, 22))
    assert [r.Timestamp for r in records[:2]] == [T0 + 2000, T0 + 3000]
    assert {(r.Topic, r.Partition) for r in records} == {("orders", 0)}
    # The list leaves the key and value out, as its document says.
    assert {(r.Key, r.Value) for r in records} == {(None, None)}


def test_list_by_offset_stops_at_the_end(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert [r.Offset for r in _list_by_offset(ckafka_client, instance_id, 0, 22, 5)] == [
        22,
        23,
        24,
    ]
    assert [r.Offset for r in _list_by_offset(ckafka_client, instance_id, 0, 3, 2)] == [3, 4]
    assert _list_by_offset(ckafka_client, instance_id, 0, 25) == []


@pytest.mark.parametrize("offset", [26, -1])
def test_list_by_offset_out_of_range(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, offset: int
) -> None:
    assert _error(
        ckafka, "FetchMessageListByOffset", _list_by_offset, ckafka_client, instance_id, 0, offset
    ) == (
        "InvalidParameterValue",
        f"The offset {offset} is out of range for partition 0 of topic `orders`: "
        "valid offsets are 0 to 25.",
    )


@pytest.mark.parametrize("number", [0, 21])
def test_list_by_offset_record_number_bounds(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, number: int
) -> None:
    assert _error(
        ckafka,
        "FetchMessageListByOffset",
        _list_by_offset,
        ckafka_client,
        instance_id,
        0,
        0,
        number,
    ) == (
        "InvalidParameterValue",
        f"The parameter `SinglePartitionRecordNumber` must be between 1 and 20, got {number}.",
    )


# -- FetchMessageListByTimestamp -------------------------------------------------------------


def test_list_by_timestamp_in_one_partition(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    records = _list_by_time(
        ckafka_client, instance_id, Partition=0, StartTime=T0 + 2500, SinglePartitionRecordNumber=3
    )
    assert [(r.Offset, r.Timestamp) for r in records] == [
        (3, T0 + 3000),
        (4, T0 + 4000),
        (5, T0 + 5000),
    ]
    exact = _list_by_time(ckafka_client, instance_id, Partition=0, StartTime=T0 + 24000)
    assert [r.Offset for r in exact] == [24]


def test_list_by_timestamp_across_partitions(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    now_ms = int(ckafka.clock.now() * 1000)  # "no key" was seeded at the clock's now
    records = _list_by_time(
        ckafka_client, instance_id, StartTime=T0 + 300, SinglePartitionRecordNumber=2
    )
    assert [(r.Partition, r.Offset, r.Timestamp) for r in records] == [
        (0, 1, T0 + 1000),
        (0, 2, T0 + 2000),
        (1, 0, T0 + 500),
        (1, 1, now_ms),
    ]


def test_list_by_timestamp_without_start_reads_from_the_oldest(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    records = _list_by_time(ckafka_client, instance_id, Partition=0)
    assert [r.Offset for r in records] == list(range(20))
    assert {(r.Key, r.Value) for r in records} == {(None, None)}


def test_list_by_timestamp_after_the_last_message(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    later = int(ckafka.clock.now() * 1000) + 60_000
    assert _list_by_time(ckafka_client, instance_id, StartTime=later) == []


def test_list_by_timestamp_refuses_seconds(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _error(
        ckafka,
        "FetchMessageListByTimestamp",
        _list_by_time,
        ckafka_client,
        instance_id,
        StartTime=T0 // 1000,
    ) == (
        "InvalidParameterValue",
        "The parameter `StartTime` must be a 13-digit timestamp in milliseconds, got "
        f"{T0 // 1000} (10 digits; seconds instead of milliseconds?).",
    )


def test_list_by_timestamp_partition_out_of_range(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _error(
        ckafka,
        "FetchMessageListByTimestamp",
        _list_by_time,
        ckafka_client,
        instance_id,
        Partition=5,
        StartTime=T0,
    ) == ("InvalidParameterValue", "The topic `orders` has partitions 0 to 1, got partition 5.")


def test_list_by_timestamp_record_number_bounds(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _error(
        ckafka,
        "FetchMessageListByTimestamp",
        _list_by_time,
        ckafka_client,
        instance_id,
        StartTime=T0,
        SinglePartitionRecordNumber=50,
    ) == (
        "InvalidParameterValue",
        "The parameter `SinglePartitionRecordNumber` must be between 1 and 20, got 50.",
    )


# -- SendMessage ---------------------------------------------------------------------------------


def test_send_then_read_back(ckafka: CKafkaMock, ckafka_client: Any, hub: str) -> None:
    first = _send(ckafka_client, DATAHUB, [("hello", "k1"), ("world", None)])
    second = _send(ckafka_client, DATAHUB, [("again", "k2")])
    assert ckafka.state.sent_messages(DATAHUB) == [
        {"Body": "hello", "Key": "k1"},
        {"Body": "world", "Key": ""},
        {"Body": "again", "Key": "k2"},
    ]
    ids = first + second
    assert len(set(ids)) == 3
    assert bytes.fromhex(ids[2]).decode() == f"{DATAHUB}:{HUB_TOPIC}:0:2"
    assert [(m.key, m.value) for m in ckafka.state.datahub_messages(HUB_TOPIC)] == [
        ("k1", "hello"),
        ("", "world"),
        ("k2", "again"),
    ]
    assert ckafka.state.sent_messages("datahub-00000000") == []


def test_send_keeps_datahub_topics_apart(ckafka: CKafkaMock, ckafka_client: Any, hub: str) -> None:
    _send(ckafka_client, DATAHUB, [("a", None)])
    _send(ckafka_client, "datahub-y9799wbn", [("b", None)])
    assert [m["Body"] for m in ckafka.state.sent_messages(DATAHUB)] == ["a"]
    assert [m["Body"] for m in ckafka.state.sent_messages("datahub-y9799wbn")] == ["b"]


def test_send_nothing(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    # Request validation refuses an empty required list before the backend sees it.
    assert _error(ckafka, "SendMessage", _send, ckafka_client, DATAHUB, []) == (
        "InvalidParameterValue",
        "The parameter `Message` must not be empty.",
    )


@pytest.mark.ckafka(validate=False)
def test_send_nothing_without_validation_sends_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, hub: str
) -> None:
    # "At least 1 message" is a shape rule: validate=False turns it off with the spec's.
    assert _send(ckafka_client, DATAHUB, []) == []
    assert ckafka.state.sent_messages(DATAHUB) == []


def test_send_too_many(ckafka: CKafkaMock, ckafka_client: Any, hub: str) -> None:
    batch: list[tuple[str, Optional[str]]] = [("x", None)] * (SEND_LIMIT + 1)
    assert _error(ckafka, "SendMessage", _send, ckafka_client, DATAHUB, batch) == (
        "InvalidParameterValue",
        "The parameter `Message` holds 501 messages; one call may send at most 500.",
    )
    assert len(_send(ckafka_client, DATAHUB, batch[:SEND_LIMIT])) == SEND_LIMIT


@pytest.mark.parametrize("datahub_id", ["topic-meuh9nhn", "datahub-", "DATAHUB-MEUH9NHN"])
def test_send_to_a_malformed_datahub_id(
    ckafka: CKafkaMock, ckafka_client: Any, datahub_id: str
) -> None:
    assert _error(ckafka, "SendMessage", _send, ckafka_client, datahub_id, [("x", None)]) == (
        "InvalidParameterValue",
        f"The DataHubId `{datahub_id}` is not a DataHub id; expected `datahub-` and 8 "
        "lowercase letters or digits, e.g. `datahub-meuh9nhn`.",
    )


# -- async --------------------------------------------------------------------------------


async def test_async_send_and_fetch(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance_id: str, hub: str
) -> None:
    request = models.SendMessageRequest()
    request.DataHubId = DATAHUB
    content = models.BatchContent()
    content.Body = "async body"
    content.Key = "ak"
    request.Message = [content]
    sent = await ckafka_client_async.SendMessage(request)
    assert len(sent.MessageId) == 1
    assert ckafka.state.sent_messages(DATAHUB) == [{"Body": "async body", "Key": "ak"}]

    fetch = _request(models.FetchMessageByOffsetRequest, instance_id, Partition=1, Offset=0)
    record = (await ckafka_client_async.FetchMessageByOffset(fetch)).Result
    assert (record.Key, record.Value, record.Timestamp) == ("p1", "first", T0 + 500)
    listing = _request(
        models.FetchMessageListByTimestampRequest, instance_id, Partition=1, StartTime=T0 + 501
    )
    records = (await ckafka_client_async.FetchMessageListByTimestamp(listing)).Result
    assert [r.Offset for r in records] == [1]
