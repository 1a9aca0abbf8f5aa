"""Stateful handlers: DataHub (DIP) topics, their messages and consumer group offsets.

A DataHub topic belongs to the account's region, not to an instance, and is
named ``<AppId>-...`` (:mod:`.datahub_checks`). ``SendMessage`` (in
:mod:`.messages`) writes to it through its HTTP access point, the topic's
``datahub_id``; the Fetch* actions here read it back. Every rule is checked
before anything changes.
"""

from __future__ import annotations

import re
from typing import Optional

from .connect import connect_resource
from .datahub_checks import (
    check_name,
    check_values,
    datahub_address,
    new_credentials,
    tasks_using_datahub_topic,
)
from .datahub_status import settle_tasks
from .messages import headers_text
from .models import ConnectResource, DatahubTopic, Message, Partition
from .paging import bounded_number, count_and_page, keep, matches, page, window
from .registry import Body, Context, answers
from .topic_views import topic_config

__all__ = [
    "create_datahub_topic",
    "delete_datahub_topic",
    "describe_datahub_group_offsets",
    "describe_datahub_topic",
    "describe_datahub_topics",
    "fetch_datahub_message_by_offset",
    "fetch_latest_datahub_message_list",
    "modify_datahub_topic",
]

# MessageCount documents its range ([1, 100]) but no default; 20 is the default of
# every other message list (SinglePartitionRecordNumber) and the documented example's.
_MESSAGE_COUNT = 20


def _topic(ctx: Context) -> DatahubTopic:
    name = str(ctx.get("Name", ""))
    topic = ctx.store.datahub_topics.get(name)
    if topic is None:
        ctx.fail("ResourceNotFound", f"The DataHub topic `{name}` does not exist.")
    return topic


def _tags(ctx: Context) -> Optional[list[dict[str, str]]]:
    tags = ctx.get("Tags")
    if tags is None:
        return None
    return [{"TagKey": str(t.get("TagKey")), "TagValue": str(t.get("TagValue"))} for t in tags]


def _entity(topic: DatahubTopic) -> Body:
    """A DatahubTopicDTO (the list's entry). TopicName is the Name, as every example shows."""
    return {
        "Name": topic.name,
        "TopicName": topic.name,
        "TopicId": topic.topic_id,
        "PartitionNum": topic.partition_num,
        "RetentionMs": topic.retention_ms,
        "Note": topic.note,
        "Status": topic.status,
    }


# -- the topics ------------------------------------------------------------------------------


@answers("CreateDatahubTopic")
def create_datahub_topic(ctx: Context) -> Body:
    """Create a DataHub topic with empty partitions; answer its name and new TopicId."""
    name = str(ctx.get("Name"))
    partitions = int(ctx.get("PartitionNum"))
    retention = int(ctx.get("RetentionMs"))
    note = str(ctx.get("Note", ""))
    tags = _tags(ctx) or []
    ctx.check_shape(check_name, name)
    if name in ctx.store.datahub_topics:
        ctx.fail("InvalidParameter.TopicExist", f"The DataHub topic `{name}` already exists.")
    if partitions < 1:
        # Not a shape rule: a topic without a partition has nowhere to keep a message.
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `PartitionNum` must be between 1 and 500, got {partitions}.",
        )
    ctx.check_shape(
        lambda: check_values(
            partitions=partitions, retention_ms=retention, note=note, note_charset=True, tags=tags
        )
    )
    user, password = new_credentials(ctx.rng)
    topic = DatahubTopic(
        name=name,
        topic_id=ctx.new_id("topic"),
        datahub_id=ctx.new_id("datahub"),
        retention_ms=retention,
        created_at=ctx.now,
        user_name=user,
        password=password,
        partitions=[Partition() for _ in range(partitions)],
        note=note,
        tags=tags,
    )
    ctx.store.datahub_topics[name] = topic
    return {"Result": {"TopicName": name, "TopicId": topic.topic_id}}


@answers("DescribeDatahubTopic")
def describe_datahub_topic(ctx: Context) -> Body:
    """One DataHub topic: its settings, access credentials and the service address."""
    topic = _topic(ctx)
    return {
        "Result": {
            **_entity(topic),
            "UserName": topic.user_name,
            "Password": topic.password,
            "Address": datahub_address(),
        }
    }


def _regular_expression(ctx: Context) -> Optional[re.Pattern[str]]:
    pattern = ctx.get("TopicRegularExpression")
    if not pattern:
        return None
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        ctx.reject_shape(
            f"The parameter `TopicRegularExpression` is not a regular expression "
            f"(`{pattern}`: {exc})."
        )
        return None  # unvalidated, a broken expression filters nothing


def _connected_topics(ctx: Context, resource: ConnectResource) -> list[Body]:
    """The topics a connect resource reaches: a CKafka instance's, for a KAFKA connection
    to one; none the fake can know for a self-built cluster or another type."""
    params = resource.params
    if resource.type != "KAFKA" or params.get("SelfBuilt"):
        return []
    region = str(params.get("Region") or ctx.region)
    instance = ctx.backend.store(ctx.account, region).instances.get(str(params.get("Resource")))
    if instance is None:  # deleted since the connection was made
        return []
    return [
        {
            "Name": t.name,
            "TopicName": t.name,
            "TopicId": t.topic_id,
            "PartitionNum": t.partition_num,
            "RetentionMs": int(topic_config(t)["Retention"]),
            "Note": t.note,
            "Status": 1,
        }
        for t in sorted(instance.topics.values(), key=lambda t: t.name)
    ]


@answers("DescribeDatahubTopics")
def describe_datahub_topics(ctx: Context) -> Body:
    """DataHub topics by name: SearchWord fuzzy on Name/TopicName/TopicId, a name
    expression, paged (default 20, at most 100).

    With ``QueryFromConnectResource``, the topics of the connect resource
    ``ConnectResourceId`` instead: a CKafka connection's instance topics.
    """
    offset, limit = window(ctx)
    expression = _regular_expression(ctx)
    query = bool(ctx.get("QueryFromConnectResource"))
    resource_id = ctx.get("ConnectResourceId")
    if query and not resource_id:
        # Unvalidated, the flag without a resource reads as no flag: the DataHub topics.
        ctx.reject_shape(
            "The parameter `ConnectResourceId` is required when `QueryFromConnectResource` "
            "is true.",
            "MissingParameter",
        )
    if query and resource_id:
        listed = _connected_topics(ctx, connect_resource(ctx, "ConnectResourceId"))
    else:
        listed = [_entity(t) for t in sorted(ctx.store.datahub_topics.values(), key=_by_name)]
    word = ctx.get("SearchWord")
    tests = []
    if word:
        tests.append(lambda t: matches(word, t["Name"], t["TopicId"]))
    if expression is not None:
        tests.append(lambda t: expression.fullmatch(t["Name"]) is not None)
    total, selected = count_and_page(
        keep(listed, *tests), None if tests else len(listed), offset, limit
    )
    return {"Result": {"TotalCount": total, "TopicList": selected}}


def _by_name(topic: DatahubTopic) -> str:
    return topic.name


@answers("ModifyDatahubTopic")
def modify_datahub_topic(ctx: Context) -> Body:
    """Change a DataHub topic's retention, and its note and tags when given."""
    topic = _topic(ctx)
    retention = int(ctx.get("RetentionMs"))
    note = ctx.get("Note")
    tags = _tags(ctx)
    ctx.check_shape(
        lambda: check_values(
            retention_ms=retention, note=None if note is None else str(note), tags=tags
        )
    )
    topic.retention_ms = retention
    if note is not None:
        topic.note = str(note)
    if tags is not None:
        topic.tags = tags
    return ctx.operate()


@answers("DeleteDatahubTopic")
def delete_datahub_topic(ctx: Context) -> Body:
    """Delete a DataHub topic, its messages and its groups' offsets (FlowId 0, at once).

    A topic a DataHub task reads or writes is in use (``ResourceInUse``).
    """
    settle_tasks(ctx)  # a task whose deletion finished no longer uses it
    topic = _topic(ctx)
    users = tasks_using_datahub_topic(ctx.store, topic.name)
    if users:
        ctx.fail(
            "ResourceInUse",
            f"The DataHub topic `{topic.name}` is used by DataHub task "
            + ", ".join(f"`{t}`" for t in users)
            + "; delete the task first (DeleteDatahubTask).",
        )
    del ctx.store.datahub_topics[topic.name]
    return ctx.operate()


# -- messages --------------------------------------------------------------------------------


def _partition(ctx: Context, topic: DatahubTopic) -> tuple[int, Partition]:
    number = int(ctx.get("Partition"))
    if not 0 <= number < topic.partition_num:
        ctx.fail(
            "InvalidParameterValue",
            f"The DataHub topic `{topic.name}` has partitions 0 to {topic.partition_num - 1}, "
            f"got partition {number}.",
        )
    return number, topic.partitions[number]


def _record(topic: DatahubTopic, number: int, message: Message) -> Body:
    return {
        "Topic": topic.name,
        "Partition": number,
        "Offset": message.offset,
        "Key": message.key,
        "Value": message.value,
        "Timestamp": message.timestamp,
        "Headers": headers_text(message),  # null without headers (SendMessage sends none)
    }


@answers("FetchDatahubMessageByOffset")
def fetch_datahub_message_by_offset(ctx: Context) -> Body:
    """The message at ``Offset`` in ``Partition`` of the DataHub topic, key and value included."""
    topic = _topic(ctx)
    number, partition = _partition(ctx, topic)
    offset = int(ctx.get("Offset"))
    if offset < 0:
        ctx.reject_shape(f"The parameter `Offset` must be 0 or more, got {offset}.")
    if not 0 <= offset < partition.end_offset:
        held = f"offsets 0 to {partition.end_offset - 1}" if partition.end_offset else "no messages"
        ctx.fail(
            "ResourceNotFound",
            f"There is no message at offset {offset} of partition {number} of DataHub topic "
            f"`{topic.name}`; the partition has {held}.",
        )
    return {"Result": _record(topic, number, partition.messages[offset])}


@answers("FetchLatestDatahubMessageList")
def fetch_latest_datahub_message_list(ctx: Context) -> Body:
    """Up to ``MessageCount`` messages of a partition: from ``Offset`` on, or the latest ones.

    Without ``Offset`` the list is the partition's last ``MessageCount`` messages,
    oldest first; reading from the end offset is a valid, empty read, as in Kafka.
    """
    topic = _topic(ctx)
    number, partition = _partition(ctx, topic)
    count = bounded_number(ctx, "MessageCount", default=_MESSAGE_COUNT)
    start = ctx.get("Offset")
    end = partition.end_offset
    if start is None:
        first = max(end - count, 0)
    else:
        first = int(start)
        if not 0 <= first <= end:
            ctx.fail(
                "InvalidParameterValue",
                f"The offset {first} is out of range for partition {number} of DataHub topic "
                f"`{topic.name}`: valid offsets are 0 to {end}.",
            )
    selected = partition.messages[first : first + count]
    return {"Result": [_record(topic, number, m) for m in selected]}


# -- consumer group offsets -------------------------------------------------------------------


def _partition_offset(number: int, committed: int, partition: Partition) -> Body:
    end = partition.end_offset
    # A partition the group never committed to (-1) lags by its whole log.
    lag = end - committed if committed >= 0 else end
    return {
        "Partition": number,
        "Offset": committed,
        "Metadata": "",
        "ErrorCode": 0,
        "LogEndOffset": end,
        "Lag": max(lag, 0),
    }


@answers("DescribeDatahubGroupOffsets")
def describe_datahub_group_offsets(ctx: Context) -> Body:
    """The group's committed offset, log end offset and lag per partition of the topic.

    ``Name`` is the DataHub topic (its document's "instance ID" is a copy from
    DescribeGroupOffsets); SearchWord matches the topic's name; paged (default
    and at most 50), over the one topic.
    """
    topic = _topic(ctx)
    offset, limit = window(ctx)
    group = str(ctx.get("Group"))
    committed = topic.group_offsets.get(group)
    if committed is None:
        ctx.fail(
            "ResourceNotFound",
            f"The consumer group `{group}` has no offsets on DataHub topic `{topic.name}`.",
        )
    word = ctx.get("SearchWord")
    listed = [topic] if matches(word, topic.name) else []
    chosen = page(listed, offset, limit)
    topic_list = [
        {
            "Topic": t.name,
            "Partitions": [
                _partition_offset(n, value, t.partitions[n]) for n, value in enumerate(committed)
            ],
        }
        for t in chosen
    ]
    return {"Result": {"TotalCount": len(listed), "TopicList": topic_list}}
