"""Stateful handlers: consumer groups and their committed offsets.

Groups are made by consumers in real Kafka, so there is no create action: tests
seed them with ``ckafka.state.add_group``. A group's ``offsets`` map a topic to
its committed offset per partition; the log end offset of a partition is the
number of messages the topic holds there, so ``Lag`` is real arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Optional

from .models import Group, GroupMember, Instance, Partition, Topic
from .paging import count_and_page, filter_values, keep, matches, window
from .registry import Body, Context, answers

__all__ = [
    "GROUP_STATES",
    "NEVER_COMMITTED",
    "check_inactive",
    "delete_group",
    "describe_consumer_group",
    "describe_group",
    "describe_group_info",
    "describe_group_offsets",
    "find_group",
    "group_info",
    "modify_group_offsets",
    "new_offset",
    "pad_offsets",
    "subscriptions",
]

GROUP_STATES = ("Empty", "Stable")
"""The GroupState filter values DescribeGroup documents."""

_ACTIVE_STATES = frozenset({"Stable", "PreparingRebalance", "CompletingRebalance"})
"""States in which a group has members (the reference's GroupInfoResponse.State)."""

_STRATEGIES = {0: "Shift", 1: "ShiftTimestamp", 2: "Offset"}
"""ModifyGroupOffsets: each Strategy and the member it documents as mandatory."""

_EARLIEST, _LATEST = -2, -1
"""ShiftTimestamp's special values: to the first offset, to the end of the log."""

NEVER_COMMITTED = -1
"""The committed offset of a partition the group never committed to (it lags by its log)."""


# -- describing --------------------------------------------------------------------------


@answers("DescribeGroup")
def describe_group(ctx: Context) -> Body:
    """List the groups: paging (default 20), SearchWord, Filters on GroupState."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    states = filter_values(ctx).get("GroupState")
    for state in states or ():
        if state not in GROUP_STATES:
            # Unvalidated, such a value is compared like any other (Dead groups are gone).
            ctx.reject_shape(
                f"The GroupState filter value `{state}` is not supported; "
                f"valid values: {', '.join(GROUP_STATES)}."
            )
    word = ctx.get("SearchWord")
    tests: list[Callable[[Group], bool]] = []
    if word:
        tests.append(lambda g: matches(word, g.name))
    # The reference: the GroupState filter "only takes effect on 2.8/3.2 versions";
    # older instances answer every group, as the real API ignores it there.
    if states and _version(instance.kafka_version) >= (2, 8):
        tests.append(lambda g: g.state in states)
    groups = instance.groups.values()
    total, selected = count_and_page(
        keep(groups, *tests), None if tests else len(groups), offset, limit
    )
    listed = [{"Group": g.name, "Protocol": g.protocol} for g in selected]
    # GroupCountQuota (the instance's group quota) is not modelled: the default stands.
    return {"Result": ctx.shape("GroupResponse", TotalCount=total, GroupList=listed)}


@answers("DescribeGroupInfo")
def describe_group_info(ctx: Context) -> Body:
    """One GroupInfoResponse per name in GroupList, in the order asked."""
    instance = ctx.instance()
    # An empty GroupList never gets here: request validation refuses it.
    names = [str(name) for name in ctx.get("GroupList", [])]
    return {"Result": [group_info(instance.groups.get(name), name) for name in names]}


def group_info(group: Optional[Group], name: str) -> Body:
    """The ``GroupInfoResponse`` of ``group`` (``None``: a group named ``name`` that is gone)."""
    # An unknown group is not an error: the reference documents State "Dead" as
    # "the consumer group does not exist", which is what Kafka's DescribeGroups
    # answers (error code 0) for a group it does not know.
    if group is None:
        return _info(name, "Dead", "", "", [])
    # Only a Stable group has chosen an assignor; the reference lists Members "only
    # when State is Stable and ProtocolType consumer" (only then can it read them).
    stable = group.state == "Stable"
    members = group.members if stable and group.protocol == "consumer" else []
    return _info(
        group.name,
        group.state,
        group.protocol,
        group.assignor if stable else "",
        [_member(m) for m in members],
    )


def _member(member: GroupMember) -> Body:
    topics = [{"Topic": t, "Partitions": list(p)} for t, p in member.assignment.items()]
    return {
        "MemberId": member.member_id,
        "ClientId": member.client_id,
        "ClientHost": member.client_host,
        "Assignment": {"Version": 0, "Topics": topics},
    }


def _info(name: str, state: str, protocol_type: str, protocol: str, members: list[Body]) -> Body:
    return {
        "ErrorCode": "0",
        "State": state,
        "ProtocolType": protocol_type,
        "Protocol": protocol,
        "Members": members,
        "Group": name,
    }


@answers("DescribeConsumerGroup")
def describe_consumer_group(ctx: Context) -> Body:
    """Groups with their subscriptions; GroupName and TopicName narrow it, paging max 50."""
    instance = ctx.instance()
    # The reference gives only the maximum (50); the default is the maximum, as
    # for DescribeGroupOffsets.
    offset, limit = window(ctx, default=50)
    name = ctx.get("GroupName")
    # TopicName is ignored without GroupName, as the reference says.
    topic_name = ctx.get("TopicName") if name else None
    groups = instance.groups.values()
    selected_groups = keep(groups, lambda g: g.name == name) if name else groups
    total, selected = count_and_page(selected_groups, None if name else len(groups), offset, limit)
    listed = []
    topics: dict[str, Topic] = {}
    for group in selected:
        infos = []
        for topic, committed in subscriptions(instance, group):
            if topic_name and topic.name != topic_name:
                continue
            topics.setdefault(topic.name, topic)
            infos.append(_subscribed(topic, committed))
        listed.append({"ConsumerGroupName": group.name, "SubscribedInfo": infos})
    topic_list = [{"TopicId": t.topic_id, "TopicName": t.name} for t in topics.values()]
    # As in the reference's example, the partition monitor members stay empty.
    result = ctx.shape(
        "ConsumerGroupResponse",
        TotalCount=total,
        TopicList=topic_list,
        GroupList=listed,
        TotalPartition=0,
        PartitionListForMonitor=[],
        TotalTopic=len(topic_list),
        TopicListForMonitor=[dict(t) for t in topic_list],
        GroupListForMonitor=[{"GroupName": g.name} for g in selected],
    )
    return {"Result": result}


def _subscribed(topic: Topic, committed: Sequence[int]) -> Body:
    return {
        "TopicName": topic.name,
        "Partition": list(range(len(committed))),
        "PartitionOffset": [
            {"Partition": str(index), "Offset": value} for index, value in enumerate(committed)
        ],
        "TopicId": topic.topic_id,
    }


@answers("DescribeGroupOffsets")
def describe_group_offsets(ctx: Context) -> Body:
    """Committed offset, log end offset and lag per partition of the group's topics."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    group = find_group(ctx, instance)
    wanted = ctx.get("Topics")
    word = ctx.get("SearchWord")
    # Topics narrows to the topics the group has offsets for; a name it has none
    # for simply adds nothing, as the real API lists the group's own topics.
    subscribed = [
        (topic, committed)
        for topic, committed in subscriptions(instance, group)
        if (not wanted or topic.name in wanted) and matches(word, topic.name)
    ]
    total, selected = count_and_page(subscribed, len(subscribed), offset, limit)
    topic_list = [
        {
            "Topic": topic.name,
            "Partitions": [
                _partition_offset(index, value, topic.partitions[index])
                for index, value in enumerate(committed)
            ],
        }
        for topic, committed in selected
    ]
    return {"Result": {"TotalCount": total, "TopicList": topic_list}}


def _partition_offset(index: int, committed: int, partition: Partition) -> Body:
    end = partition.end_offset
    # A partition the group never committed to (-1) lags by its whole log.
    lag = end - committed if committed >= 0 else end
    return {
        "Partition": index,
        "Offset": committed,
        "Metadata": "",
        "ErrorCode": 0,
        "LogEndOffset": end,
        "Lag": max(lag, 0),
    }


# -- changing ----------------------------------------------------------------------------


@answers("ModifyGroupOffsets")
def modify_group_offsets(ctx: Context) -> Body:
    """Reset the group's committed offsets by Strategy 0 (Shift), 1 (time) or 2 (Offset)."""
    instance = ctx.running_instance()
    group = find_group(ctx, instance)
    check_inactive(ctx, group, "reset its offsets")
    strategy = int(ctx.get("Strategy"))
    if strategy not in _STRATEGIES:
        # Not a shape rule: an offset reset needs a strategy the fake can run.
        choices = ", ".join(f"{k} ({v})" for k, v in _STRATEGIES.items())
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `Strategy` must be one of {choices}, got {strategy}.",
        )
    needed = _STRATEGIES[strategy]
    argument = ctx.get(needed)
    if argument is None:
        ctx.fail("MissingParameter", f"Strategy {strategy} needs the parameter `{needed}`.")
    argument = int(argument)
    if strategy == 1 and argument < 0 and argument not in (_EARLIEST, _LATEST):
        ctx.reject_shape(
            "The parameter `ShiftTimestamp` is a time in milliseconds, -2 (earliest) "
            f"or -1 (latest), got {argument}."
        )
    topics = _reset_topics(ctx, instance)
    partitions = ctx.get("Partitions")
    for topic in topics:
        for index in partitions or ():
            if not 0 <= int(index) < topic.partition_num:
                ctx.fail(
                    "InvalidParameterValue",
                    f"The topic `{topic.name}` has partitions 0 to {topic.partition_num - 1}, "
                    f"got partition {index} in `Partitions`.",
                )
    # Every rule holds: compute all new offsets, then commit them at once.
    updates = {}
    held = {t.name: committed for t, committed in subscriptions(instance, group)}
    for topic in topics:
        committed = held.get(topic.name) or [NEVER_COMMITTED] * topic.partition_num
        chosen = partitions if partitions else range(topic.partition_num)
        for index in {int(i) for i in chosen}:
            log = topic.partitions[index]
            committed[index] = new_offset(strategy, argument, committed[index], log)
        updates[topic.name] = committed
    group.offsets.update(updates)
    return ctx.operate()


def _reset_topics(ctx: Context, instance: Instance) -> list[Topic]:
    # Topics is required and non-empty (request validation refuses []), so the
    # reference's "without Topics, every topic" case cannot arise.
    names = [str(name) for name in ctx.get("Topics", [])]
    for name in names:
        if name not in instance.topics:
            ctx.fail(
                "ResourceNotFound",
                f"The topic `{name}` in `Topics` does not exist in instance "
                f"`{instance.instance_id}`.",
            )
    return [instance.topics[name] for name in dict.fromkeys(names)]


def new_offset(strategy: int, argument: int, current: int, log: Partition) -> int:
    """The offset a reset by ``strategy`` (0 Shift, 1 time, 2 Offset) leads to, within the log."""
    end = log.end_offset
    if strategy == 0:
        # The reference: below the earliest offset it is set to the earliest,
        # past the latest to the latest.
        target = max(current, 0) + argument
    elif strategy == 1 and argument == _EARLIEST:
        target = 0
    elif strategy == 1 and argument == _LATEST:
        target = end
    elif strategy == 1:
        # The reference: the offset at the time; no message that late: the log end.
        target = next((m.offset for m in log.messages if m.timestamp >= argument), end)
    else:
        # Strategy 2: the reference is silent on out-of-range offsets; Kafka's
        # offset reset (which CKafka runs) clamps them to the log, as for Shift.
        target = argument
    return min(max(target, 0), end)


@answers("DeleteGroup")
def delete_group(ctx: Context) -> Body:
    """Delete a group that has no active members."""
    instance = ctx.running_instance()
    group = find_group(ctx, instance)
    check_inactive(ctx, group, "be deleted")
    del instance.groups[group.name]
    return ctx.operate()


# -- shared --------------------------------------------------------------------------------


def find_group(ctx: Context, instance: Instance, member: str = "Group") -> Group:
    """The group named by the request's ``member``, or ``ResourceNotFound``."""
    return ctx.owned(instance, instance.groups, member, "consumer group")


def check_inactive(ctx: Context, group: Group, what: str, code: str = "ResourceInUse") -> None:
    """Fail with ``code`` when ``group`` has active members: it cannot ``what``."""
    # Kafka refuses both on a group with members (NON_EMPTY_GROUP): consumers
    # must stop first, which the CKafka console also asks for.
    if group.state in _ACTIVE_STATES:
        ctx.fail(
            code,
            f"The consumer group `{group.name}` has active members (State {group.state}) and "
            f"cannot {what}; stop its consumers first.",
        )


def subscriptions(instance: Instance, group: Group) -> Iterable[tuple[Topic, list[int]]]:
    """The group's topics that still exist, with the committed offset of every partition."""
    for name, committed in group.offsets.items():
        topic = instance.topics.get(name)
        if topic is not None:
            count = topic.partition_num
            yield topic, committed[:count] + [NEVER_COMMITTED] * (count - len(committed))


def pad_offsets(instance: Instance, topic: Topic) -> None:
    """After ``topic`` grew: every group with offsets for it has none for the new partitions."""
    for group in instance.groups.values():
        committed = group.offsets.get(topic.name)
        if committed is not None and len(committed) < topic.partition_num:
            committed.extend([NEVER_COMMITTED] * (topic.partition_num - len(committed)))


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)
