"""Stateful handlers: topics (see registry.answers).

Every rule is checked before anything changes. The value rules live in
:mod:`.topic_checks` and the rendering of a topic into the describe answers in
:mod:`.topic_views`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from .acl_rules import (
    apply_rule,
    detach_presets,
    named_rule,
    preset_rules_of,
    rules_for_new_topic,
)
from .errors import ApiError
from .groups import pad_offsets
from .models import Instance, Partition, Topic
from .paging import count_and_page, filter_values, keep, matches, page, window
from .registry import Body, Context, answers
from .topic_checks import (
    check_growth,
    check_name,
    check_partition_budget,
    check_topic,
    check_values,
    request_config,
)
from .topic_views import topic_attributes, topic_detail, topic_entity

__all__ = [
    "batch_modify_topic_attributes",
    "create_partition",
    "create_topic",
    "delete_topic",
    "describe_topic",
    "describe_topic_attributes",
    "describe_topic_detail",
    "modify_topic_attributes",
]

# The real API refuses to delete a topic within a minute of creating it.
_DELETE_AFTER = 60.0
# BatchModifyTopicAttributes' Topic document: "同一个批次最多支持10个".
_BATCH_MAX = 10
_APPLIED = "ok[apply success]"  # the ReturnMessage/Message of the documented examples


def _acl_rule_test(ctx: Context, instance: Instance) -> list[Any]:
    name = ctx.get("AclRuleName")
    if not name:
        return []
    rule = instance.acl_rules.get(name)
    applied = set(rule.topics) if rule else set()
    # A topic seeded with the switch on and a name no rule has (yet) matches by that name.
    return [
        lambda t: (
            t.name in applied
            or (t.config.get("EnableAclRule") == 1 and t.config.get("AclRuleName") == name)
        )
    ]


# -- handlers -----------------------------------------------------------------------------


@answers("CreateTopic")
def create_topic(ctx: Context) -> Body:
    """Create a topic with empty partitions; answer its new TopicId."""
    instance = ctx.running_instance()
    name = str(ctx.get("TopicName"))
    partitions = int(ctx.get("PartitionNum"))
    replicas = int(ctx.get("ReplicaNum"))
    note = str(ctx.get("Note", ""))
    config = request_config(ctx.params)
    ctx.check_shape(check_name, name)
    if name in instance.topics:
        ctx.fail(
            "InvalidParameterValue.TopicNameAlreadyExist",
            f"The topic `{name}` already exists in instance `{instance.instance_id}`.",
        )
    if partitions < 1:
        # Not a shape rule: Kafka has no topic without a partition to model.
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `PartitionNum` must be 1 or more, got {partitions}.",
        )
    ctx.check_shape(check_values, {"ReplicaNum": replicas, "Note": note, **config})
    ctx.check_shape(check_topic, name, replicas, config)
    if len(instance.topics) >= instance.topic_limit:
        ctx.fail(
            "LimitExceeded",
            f"Instance `{instance.instance_id}` already has {len(instance.topics)} topics, "
            f"its limit; delete one before creating `{name}`.",
        )
    check_partition_budget(instance, name, partitions)
    named = named_rule(ctx, instance)
    topic = Topic(
        ctx.new_id("topic"),
        name,
        replicas,
        ctx.now,
        [Partition() for _ in range(partitions)],
        note,
        config,
    )
    instance.topics[name] = topic
    for rule in rules_for_new_topic(instance, name, named):
        apply_rule(instance, rule, name)
    return {"Result": {"TopicId": topic.topic_id}}


@answers("DescribeTopic")
def describe_topic(ctx: Context) -> Body:
    """Topics in creation order: TopicId, TopicName and Note, paged (default 20, at most 50)."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    word = ctx.get("SearchWord")
    # A plain substring test: matches() is the same for a SearchWord, without a call per name.
    tests = [*_acl_rule_test(ctx, instance), *([lambda t: word in t.name] if word else [])]
    topics: Iterable[Topic] = instance.topics.values()
    total = None if tests else len(instance.topics)
    count, selected = count_and_page(keep(topics, *tests), total, offset, limit)
    return {"Result": {"TopicList": [topic_entity(t) for t in selected], "TotalCount": count}}


def _ordered(ctx: Context, topics: list[Topic]) -> list[Topic]:
    order_by = ctx.get("OrderBy")
    order_type = ctx.get("OrderType")
    if order_by is not None and order_by not in ("PartitionNum", "CreateTime"):
        ctx.reject_shape(
            "The parameter `OrderBy` must be one of `PartitionNum`, `CreateTime`; "
            f"got `{order_by}`."
        )
    if order_type is not None and order_type not in (0, 1):
        ctx.reject_shape(
            f"The parameter `OrderType` must be 0 (ascending) or 1 (descending), got {order_type}."
        )
    # The OrderBy document: with no OrderBy, CreateTime newest first; OrderType (default
    # 0, ascending) applies once OrderBy is given, or when the caller sets it.
    descending = order_type == 1 if (order_by or order_type is not None) else True
    key = (lambda t: t.partition_num) if order_by == "PartitionNum" else (lambda t: t.created_at)
    # Descending is the exact reverse of ascending: ties newest first.
    ordered = topics[::-1] if descending else list(topics)
    ordered.sort(key=key, reverse=descending)
    return ordered


@answers("DescribeTopicDetail")
def describe_topic_detail(ctx: Context) -> Body:
    """Topic details, searched, filtered by ReplicaNum, ordered and paged (default 20)."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    filters = filter_values(ctx)
    tests = _acl_rule_test(ctx, instance)
    word = ctx.get("SearchWord")
    if word:
        ignore_case = bool(ctx.get("SearchWordIgnoreCaseFlag", False))
        tests.append(lambda t: matches(word, t.name, ignore_case=ignore_case))
    if "ReplicaNum" in filters:
        wanted = set()
        for value in filters["ReplicaNum"]:
            if not value.lstrip("-").isdigit():
                ctx.reject_shape(f"The filter `ReplicaNum` takes whole numbers, got `{value}`.")
                continue  # no topic has that many replicas
            wanted.add(int(value))
        tests.append(lambda t: t.replica_num in wanted)
    selected = list(keep(instance.topics.values(), *tests))
    chosen = page(_ordered(ctx, selected), offset, limit)
    return {"Result": {"TopicList": [topic_detail(t) for t in chosen], "TotalCount": len(selected)}}


@answers("DescribeTopicAttributes")
def describe_topic_attributes(ctx: Context) -> Body:
    """One topic's id, create time, note, partitions, replicas and configuration."""
    instance = ctx.instance()
    topic = ctx.topic(instance)
    return {"Result": topic_attributes(topic, preset_rules_of(instance, topic.name))}


@answers("ModifyTopicAttributes")
def modify_topic_attributes(ctx: Context) -> Body:
    """Change a topic's note, replica count and configuration members."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    changes = request_config(ctx.params)
    replicas = int(ctx.get("ReplicaNum", topic.replica_num))
    note = ctx.get("Note")
    ctx.check_shape(check_values, {"ReplicaNum": replicas, "Note": note, **changes})
    ctx.check_shape(check_topic, topic.name, replicas, {**topic.config, **changes})
    named = named_rule(ctx, instance)
    topic.config.update(changes)
    topic.replica_num = replicas
    if note is not None:
        topic.note = str(note)
    if named is not None:
        apply_rule(instance, named, topic.name)
    elif ctx.get("EnableAclRule") == 0:
        detach_presets(instance, topic.name)
    return ctx.operate()


def _batch_item(ctx: Context, instance: Instance, item: Mapping[str, Any]) -> Optional[ApiError]:
    """Apply one BatchModifyTopicInfo, all its rules first; the error if one failed."""
    name = str(item.get("TopicName"))
    topic = instance.topics.get(name)
    if topic is None:
        return ApiError(
            "ResourceNotFound",
            f"The topic `{name}` does not exist in instance `{instance.instance_id}`.",
        )
    changes = request_config(item)
    partitions = item.get("PartitionNum")
    try:
        if "UncleanLeaderElectionEnable" in changes:  # a bool here, an int everywhere else
            changes["UncleanLeaderElectionEnable"] = int(changes["UncleanLeaderElectionEnable"])
        replicas = topic.replica_num if item.get("ReplicaNum") is None else int(item["ReplicaNum"])
        ctx.check_shape(check_values, {"ReplicaNum": replicas, "Note": item.get("Note"), **changes})
        ctx.check_shape(check_topic, name, replicas, {**topic.config, **changes})
        if partitions is not None and int(partitions) != topic.partition_num:
            check_growth(instance, topic, int(partitions))
    except ApiError as error:
        return error
    except (TypeError, ValueError) as exc:
        # Only without request validation: this topic fails, the ones before it stay applied.
        return ApiError("InvalidParameter", f"The topic `{name}` could not be read ({exc}).")
    topic.config.update(changes)
    topic.replica_num = replicas
    if item.get("Note") is not None:
        topic.note = str(item["Note"])
    if partitions is not None:
        topic.partitions.extend(Partition() for _ in range(int(partitions) - topic.partition_num))
        pad_offsets(instance, topic)
    return None


@answers("BatchModifyTopicAttributes")
def batch_modify_topic_attributes(ctx: Context) -> Body:
    """Modify up to 10 topics; each succeeds or fails on its own.

    A bad batch (too many topics, a name twice) fails the whole call. A topic's
    own problem (unknown, a bad value) fails only that topic: its result has
    ``ReturnCode`` set to the error code a single-topic call would answer (the
    DTO's ReturnCode is a string, "0" meaning success) and ``Message`` to its
    message, and that topic is left unchanged while the others apply.
    """
    instance = ctx.running_instance()
    items = list(ctx.get("Topic", []))
    if not 1 <= len(items) <= _BATCH_MAX:
        ctx.reject_shape(
            f"The parameter `Topic` takes 1 to {_BATCH_MAX} topics per batch, got {len(items)}."
        )
    seen: set[str] = set()
    for item in items:
        name = str(item.get("TopicName"))
        if name in seen:
            # Unvalidated, a topic listed twice is modified twice, in order.
            ctx.reject_shape(
                f"The topic `{name}` appears more than once in `Topic`; list each topic once.",
                "InvalidParameterValue.RepetitionValue",
            )
        seen.add(name)
    results = []
    for item in items:
        error = _batch_item(ctx, instance, item)
        results.append(
            {
                "InstanceId": instance.instance_id,
                "TopicName": str(item.get("TopicName")),
                "ReturnCode": "0" if error is None else error.code,
                "Message": _APPLIED if error is None else error.message,
            }
        )
    return {"Result": results}


@answers("CreatePartition")
def create_partition(ctx: Context) -> Body:
    """Grow a topic to PartitionNum partitions (the new total, per the member document)."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    wanted = int(ctx.get("PartitionNum"))
    check_growth(instance, topic, wanted)
    topic.partitions.extend(Partition() for _ in range(wanted - topic.partition_num))
    pad_offsets(instance, topic)
    return ctx.operate()


@answers("DeleteTopic")
def delete_topic(ctx: Context) -> Body:
    """Delete a topic (at least a minute after it was created) and its committed offsets."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    age = ctx.now - topic.created_at
    if age < _DELETE_AFTER:
        wait = math.ceil(_DELETE_AFTER - age)
        ctx.fail(
            "UnsupportedOperation.FrequencyTopicDeleteOperate",
            f"The topic `{topic.name}` was created {int(age)} seconds ago; a topic can be "
            f"deleted {int(_DELETE_AFTER)} seconds after it is created, retry in {wait} seconds.",
        )
    del instance.topics[topic.name]
    # Kafka drops a deleted topic's committed offsets from every group, and the
    # rebalance that follows takes its partitions from the members.
    for group in instance.groups.values():
        group.offsets.pop(topic.name, None)
        for member in group.members:
            member.assignment.pop(topic.name, None)
    # A topic's throttle rules go with it (a rule on a missing topic throttles nothing).
    for rule_id in [
        r.rule_id for r in instance.throttle_rules.values() if r.topic_name == topic.name
    ]:
        del instance.throttle_rules[rule_id]
    # Its ACL rules no longer apply to it: a topic created later under that name has
    # the rules its own creation gives it, no more (the ACLs stay, as Kafka keeps them).
    for acl_rule in instance.acl_rules.values():
        if topic.name in acl_rule.topics:
            acl_rule.topics.remove(topic.name)
    return ctx.operate()
