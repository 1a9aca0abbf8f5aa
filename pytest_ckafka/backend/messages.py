"""Stateful handlers: reading a topic's messages and sending to a DataHub topic.

The Fetch* actions read the partitions seeded with ``ckafka.state.add_messages``;
``SendMessage`` writes to a DataHub topic (:mod:`.datahub_topics`) through its
HTTP access point (``DataHubId``), partitioned as a Kafka producer would
(:mod:`.partitioner`); what it sends is also kept, in order, in ``store.sent`` for
``ckafka.state.sent_messages`` to read back.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..api.wire import compact_json
from .datahub_checks import datahub_topic_for_id, deliver
from .models import Instance, Message, Partition, Topic
from .paging import bounded_number
from .registry import Body, Context, answers

__all__ = [
    "SEND_LIMIT",
    "fetch_message_by_offset",
    "fetch_message_list_by_offset",
    "fetch_message_list_by_timestamp",
    "headers_text",
    "send_message",
]

SEND_LIMIT = 500
"""Messages one SendMessage may carry (its ``Message`` document: at most 500)."""

# DataHub ids look like the examples' `datahub-meuh9nhn`, the format of every CKafka id.
_DATAHUB_ID = re.compile(r"datahub-[a-z0-9]{8}")
# StartTime is documented as a 13-digit (millisecond) timestamp.
_MS_DIGITS = 13


def _topic_and_instance(ctx: Context) -> tuple[Instance, Topic]:
    instance = ctx.instance()
    return instance, ctx.topic(instance, "Topic")


def _partition(ctx: Context, topic: Topic, number: int) -> Partition:
    if not 0 <= number < topic.partition_num:
        ctx.fail(
            "InvalidParameterValue",
            f"The topic `{topic.name}` has partitions 0 to {topic.partition_num - 1}, "
            f"got partition {number}.",
        )
    return topic.partitions[number]


def _record_number(ctx: Context) -> int:
    # A page size like Limit: the documented default and bounds, clamped unvalidated.
    return bounded_number(ctx, "SinglePartitionRecordNumber")


def _offsets(partition: Partition) -> str:
    end = partition.end_offset
    return f"offsets 0 to {end - 1}" if end else "no messages yet"


def _record(topic: Topic, number: int, message: Message, *, content: bool = True) -> dict[str, Any]:
    """A ConsumerRecord. The list actions leave out Key and Value, as their document says
    ("the list does not return the message content (key, value); use FetchMessageByOffset");
    they keep Headers, which that document does not withhold."""
    return {
        "Topic": topic.name,
        "Partition": number,
        "Offset": message.offset,
        "Key": message.key if content else None,
        "Value": message.value if content else None,
        "Timestamp": message.timestamp,
        "Headers": headers_text(message),
    }


def headers_text(message: Message) -> Optional[str]:
    """The ``Headers`` string of a ConsumerRecord: a JSON object, or null without headers."""
    if not message.headers:
        return None
    return compact_json(message.headers)


@answers("FetchMessageByOffset")
def fetch_message_by_offset(ctx: Context) -> Body:
    """The message at ``Offset`` in ``Partition`` of ``Topic``, key and value included."""
    _, topic = _topic_and_instance(ctx)
    number = int(ctx.get("Partition"))
    partition = _partition(ctx, topic, number)
    offset = int(ctx.get("Offset"))
    if offset < 0:
        ctx.reject_shape(f"The parameter `Offset` must be 0 or more, got {offset}.")
    if not 0 <= offset < partition.end_offset:
        ctx.fail(
            "ResourceNotFound",
            f"There is no message at offset {offset} of partition {number} of topic "
            f"`{topic.name}`; the partition has {_offsets(partition)}.",
        )
    return {"Result": _record(topic, number, partition.messages[offset])}


@answers("FetchMessageListByOffset")
def fetch_message_list_by_offset(ctx: Context) -> Body:
    """Up to ``SinglePartitionRecordNumber`` records from ``Offset`` on (none at the end)."""
    _, topic = _topic_and_instance(ctx)
    number = int(ctx.get("Partition"))
    partition = _partition(ctx, topic, number)
    offset = int(ctx.get("Offset"))
    count = _record_number(ctx)
    # Reading from the end offset (the high-water mark) is a valid, empty read, as in
    # Kafka; anything beyond it or below 0 is out of range.
    if not 0 <= offset <= partition.end_offset:
        ctx.fail(
            "InvalidParameterValue",
            f"The offset {offset} is out of range for partition {number} of topic "
            f"`{topic.name}`: valid offsets are 0 to {partition.end_offset}.",
        )
    selected = partition.messages[offset : offset + count]
    return {"Result": [_record(topic, number, m, content=False) for m in selected]}


def _start_time(ctx: Context) -> int:
    start = ctx.get("StartTime")
    if start is None:
        # Without a start time there is nothing to skip: read from the oldest message.
        return 0
    start = int(start)
    if start < 0 or len(str(start)) != _MS_DIGITS:
        ctx.reject_shape(
            f"The parameter `StartTime` must be a 13-digit timestamp in milliseconds, got "
            f"{start} ({len(str(abs(start)))} digits"
            + ("; seconds instead of milliseconds?)." if len(str(start)) == 10 else ")."),
        )
    return start


def _from_time(messages: list[Message], start: int) -> Optional[int]:
    """The first offset whose timestamp is at or after ``start`` (Kafka's offsetsForTimes)."""
    for message in messages:
        if message.timestamp >= start:
            return message.offset
    return None


@answers("FetchMessageListByTimestamp")
def fetch_message_list_by_timestamp(ctx: Context) -> Body:
    """Records from ``StartTime`` on: of ``Partition``, or of every partition without it.

    Like a Kafka consumer seeking by time, each partition is read from its first
    message at or after ``StartTime``, at most ``SinglePartitionRecordNumber`` records.
    """
    _, topic = _topic_and_instance(ctx)
    chosen = ctx.get("Partition")
    numbers = [int(chosen)] if chosen is not None else list(range(topic.partition_num))
    for number in numbers:
        _partition(ctx, topic, number)
    start = _start_time(ctx)
    count = _record_number(ctx)
    records: list[dict[str, Any]] = []
    for number in numbers:
        messages = topic.partitions[number].messages
        first = _from_time(messages, start)
        if first is not None:
            records.extend(
                _record(topic, number, m, content=False) for m in messages[first : first + count]
            )
    return {"Result": records}


@answers("SendMessage")
def send_message(ctx: Context) -> Body:
    """Deliver ``Message`` to the DataHub topic behind ``DataHubId``; answer one MessageId each.

    A keyed message goes to its key's partition (Kafka's murmur2), the keyless
    ones of one call together to the topic's next partition in turn.
    """
    datahub_id = str(ctx.get("DataHubId", ""))
    if not _DATAHUB_ID.fullmatch(datahub_id):
        ctx.reject_shape(
            f"The DataHubId `{datahub_id}` is not a DataHub id; expected `datahub-` and 8 "
            "lowercase letters or digits, e.g. `datahub-meuh9nhn`."
        )
    # An empty batch never gets here validated (the spec requires `Message`, non-empty).
    batch = list(ctx.get("Message", []))
    if len(batch) > SEND_LIMIT:
        ctx.reject_shape(
            f"The parameter `Message` holds {len(batch)} messages; one call may send at most "
            f"{SEND_LIMIT}."
        )
    topic = datahub_topic_for_id(ctx.store, datahub_id)
    if topic is None:
        ctx.fail(
            "ResourceNotFound",
            f"The DataHub access point `{datahub_id}` does not exist: no DataHub topic has it.",
        )
    contents = [(str(item.get("Key") or ""), str(item.get("Body", ""))) for item in batch]
    placed = deliver(topic, contents, int(ctx.now * 1000))
    log = ctx.store.sent.setdefault(datahub_id, [])
    log.extend({"Body": body, "Key": key} for key, body in contents)
    # The documented MessageId is the hex of `<DataHubId>:<topic>:<partition>:<offset>`.
    return {
        "MessageId": [
            f"{datahub_id}:{topic.name}:{number}:{offset}".encode().hex()
            for number, offset in placed
        ]
    }
