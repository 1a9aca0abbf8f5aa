"""Stateful handlers: creating groups, setting and dropping their offsets, a topic's groups.

:mod:`.groups` describes groups and resets their offsets by strategy; this family
makes a group with ``CreateConsumer``, sets offsets partition by partition
(``BatchModifyGroupOffsets``), drops a topic from a group
(``DeleteGroupSubscribeTopic``) and lists the groups of a topic
(``DescribeTopicSubscribeGroup``). Every rule is checked before anything changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from .groups import (
    NEVER_COMMITTED,
    check_inactive,
    find_group,
    group_info,
    new_offset,
    subscriptions,
)
from .models import Group, Instance, Topic
from .paging import count_and_page, window
from .registry import Body, Context, answers

__all__ = [
    "batch_modify_group_offsets",
    "create_consumer",
    "delete_group_subscribe_topic",
    "describe_topic_subscribe_group",
]

_TO_OFFSET = 2
"""ModifyGroupOffsets' Strategy 2 (to a given offset), which each partition here is."""


def _named_topics(
    ctx: Context, instance: Instance, names: Iterable[str], member: str
) -> list[Topic]:
    topics = []
    for name in names:
        topic = instance.topics.get(name)
        if topic is None:
            ctx.fail(
                "ResourceNotFound",
                f"The topic `{name}` in `{member}` does not exist in instance "
                f"`{instance.instance_id}`.",
            )
        topics.append(topic)
    return topics


def _unique(ctx: Context, values: list[Any], member: str, what: str) -> list[Any]:
    """``values`` in order, each once; listing one twice is a shape rule."""
    seen: list[Any] = []
    for value in values:
        if value in seen:
            # Unvalidated, a repeat is applied once more, to the same effect.
            ctx.reject_shape(
                f"The {what} `{value}` appears more than once in `{member}`; list each once.",
                "InvalidParameterValue.RepetitionValue",
            )
            continue
        seen.append(value)
    return seen


@answers("CreateConsumer")
def create_consumer(ctx: Context) -> Body:
    """Create the consumer group ``GroupName`` subscribed to ``TopicName``/``TopicNameList``.

    The group is Empty (no consumer has joined) and has committed the log end
    offset of every partition of its topics, as a Kafka consumer does on its first
    poll with the default ``auto.offset.reset=latest``.
    """
    instance = ctx.running_instance()
    name = str(ctx.get("GroupName", ""))
    if not name:
        ctx.reject_shape("The parameter `GroupName` must not be empty.")
    single = ctx.get("TopicName")
    names = list(dict.fromkeys([*([single] if single else []), *ctx.get("TopicNameList", [])]))
    if not names:
        # Unvalidated, the group is made without a subscription, as Kafka allows.
        ctx.reject_shape(
            "CreateConsumer needs a topic: set `TopicName` or `TopicNameList`.",
            "MissingParameter",
        )
    topics = _named_topics(ctx, instance, [str(n) for n in names], "TopicName")
    if name in instance.groups:
        ctx.fail(
            "InvalidParameterValue",
            f"The consumer group `{name}` already exists in instance `{instance.instance_id}`.",
        )
    offsets = {t.name: [p.end_offset for p in t.partitions] for t in topics}
    instance.groups[name] = Group(name, offsets=offsets)
    return ctx.operate()


@answers("BatchModifyGroupOffsets")
def batch_modify_group_offsets(ctx: Context) -> Body:
    """Set the group's committed offset of each listed partition, in ``TopicName`` or all topics.

    An offset past the log is set to the log end, as ModifyGroupOffsets' Strategy 2
    does (Kafka's offset reset clamps to the log).
    """
    instance = ctx.running_instance()
    group = find_group(ctx, instance, "GroupName")
    items = list(ctx.get("Partitions", []))
    numbers = _unique(ctx, [int(i.get("Partition", 0)) for i in items], "Partitions", "partition")
    wanted: dict[int, int] = {}
    for item in items:
        offset = int(item.get("Offset", 0))
        if offset < 0:
            ctx.reject_shape(
                f"The offset {offset} of partition {item.get('Partition')} must be 0 or more."
            )
        wanted.setdefault(int(item.get("Partition", 0)), max(offset, 0))
    chosen = ctx.get("TopicName")
    if chosen:
        names = _unique(ctx, [str(n) for n in chosen], "TopicName", "topic")
        topics = _named_topics(ctx, instance, names, "TopicName")
    else:
        # The reference: without TopicName, every topic (the group's own ones).
        topics = [topic for topic, _ in subscriptions(instance, group)]
        if not topics:
            ctx.fail(
                "FailedOperation",
                f"The consumer group `{group.name}` has no committed offsets; name the "
                "topics to set them for in `TopicName`.",
            )
    check_inactive(ctx, group, "have its offsets changed")
    for topic in topics:
        for number in numbers:
            if not 0 <= number < topic.partition_num:
                ctx.fail(
                    "InvalidParameterValue",
                    f"The topic `{topic.name}` has partitions 0 to {topic.partition_num - 1}, "
                    f"got partition {number} in `Partitions`.",
                )
    # Every rule holds: compute all new offsets, then commit them at once.
    held = {t.name: committed for t, committed in subscriptions(instance, group)}
    updates = {}
    for topic in topics:
        committed = held.get(topic.name) or [NEVER_COMMITTED] * topic.partition_num
        for number in numbers:
            log = topic.partitions[number]
            committed[number] = new_offset(_TO_OFFSET, wanted[number], committed[number], log)
        updates[topic.name] = committed
    group.offsets.update(updates)
    return ctx.operate()


@answers("DeleteGroupSubscribeTopic")
def delete_group_subscribe_topic(ctx: Context) -> Body:
    """Drop ``Topic`` from an Empty group: its committed offsets for that topic go."""
    instance = ctx.running_instance()
    group = find_group(ctx, instance)
    topic = ctx.topic(instance, "Topic")
    # The reference: "the consumer group must be in the Empty state".
    check_inactive(ctx, group, "drop a topic", code="UnsupportedOperation")
    if topic.name not in group.offsets:
        ctx.fail(
            "FailedOperation",
            f"The consumer group `{group.name}` is not subscribed to topic `{topic.name}`: "
            "it has no committed offsets for it.",
        )
    del group.offsets[topic.name]
    return ctx.operate()


@answers("DescribeTopicSubscribeGroup")
def describe_topic_subscribe_group(ctx: Context) -> Body:
    """The groups that consume ``TopicName`` (committed offsets or an assigned partition).

    ``StatusCountInfo`` counts them by state (``1 Empty, 1 Stable``); ``Status`` is
    1, the answer is never left to an asynchronous refresh.
    """
    instance = ctx.instance()
    topic = ctx.topic(instance)
    offset, limit = window(ctx)
    subscribed = [g for g in instance.groups.values() if _consumes(g, topic.name)]
    total, selected = count_and_page(subscribed, len(subscribed), offset, limit)
    counts = Counter(g.state for g in subscribed)
    result = {
        "TotalCount": total,
        "StatusCountInfo": ", ".join(f"{n} {state}" for state, n in sorted(counts.items())),
        "GroupsInfo": [group_info(g, g.name) for g in selected],
        "Status": 1,
    }
    return {"Result": result}


def _consumes(group: Group, topic: str) -> bool:
    return topic in group.offsets or any(topic in m.assignment for m in group.members)
