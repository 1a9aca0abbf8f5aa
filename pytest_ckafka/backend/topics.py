"""Stateful handlers: topics (see registry.handles).

Value rules come from the member documents of CreateTopic, ModifyTopicAttributes
and BatchModifyTopicInfo; where the three disagree (ModifyTopicAttributes'
``RetentionMs`` document is a copy of ``SegmentMs``'), the one range that fits
every document is used. Every rule is checked before anything changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from .errors import ApiError
from .models import Instance, Partition, Topic
from .paging import count_and_page, filter_values, keep, matches, page, window
from .registry import Body, Context, handles

__all__: list[str] = []

# CreateTopic: letters, digits, "_", "-" and "."; the console also refuses a leading
# "__" (Kafka's internal topics) and the API reference caps the name at 128 characters.
_NAME_RE = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
_NAME_RULE = "1 to 128 letters, digits, `_`, `-` and `.`, not starting with `__`"

# Member: (minimum, maximum or None, unit). SegmentMs' maximum (90 days) is from
# BatchModifyTopicInfo; CreateTopic only documents its minimum of one day.
_RANGES: dict[str, tuple[int, Optional[int], str]] = {
    "ReplicaNum": (1, 3, ""),
    "RetentionMs": (60_000, 7_776_000_000, " milliseconds"),
    "SegmentMs": (86_400_000, 7_776_000_000, " milliseconds"),
    "MaxMessageBytes": (1024, 12_582_912, " bytes"),
    "MinInsyncReplicas": (1, None, ""),
}
# Members that also take -1, "no limit".
_UNLIMITED: dict[str, tuple[int, Optional[int], str]] = {
    "RetentionBytes": (1_073_741_824, 1_099_511_627_776, " bytes"),
    "QuotaProducerByteRate": (1, None, " MB/s"),
    "QuotaConsumerByteRate": (1, None, " MB/s"),
}
_CHOICES: dict[str, tuple[Any, ...]] = {
    "CleanUpPolicy": ("delete", "compact", "compact, delete"),
    "LogMsgTimestampType": ("CreateTime", "LogAppendTime"),
    "EnableWhiteList": (0, 1),
    "UncleanLeaderElectionEnable": (0, 1),
    "EnableAclRule": (0, 1),
}
_NOTE_MAX = 64
# Request members that are not kept in Topic.config.
_NOT_CONFIG = frozenset({"InstanceId", "TopicName", "PartitionNum", "ReplicaNum", "Note"})
# The real API refuses to delete a topic within a minute of creating it.
_DELETE_AFTER = 60.0
# BatchModifyTopicAttributes' Topic document: "同一个批次最多支持10个".
_BATCH_MAX = 10
# Defaults the documents give (RetentionMs 7200000, SegmentMs 86400000, MinInsyncReplicas 1,
# UncleanLeaderElectionEnable 0, CleanUpPolicy delete). MaxMessageBytes has none: both
# documented examples answer 8388608. Members nobody set answer null, as the examples do.
_CONFIG_DEFAULTS = {
    "Retention": 7_200_000,
    "MinInsyncReplicas": 1,
    "CleanUpPolicy": "delete",
    "SegmentMs": 86_400_000,
    "UncleanLeaderElectionEnable": 0,
    "MaxMessageBytes": 8_388_608,
}
_APPLIED = "ok[apply success]"  # the ReturnMessage/Message of the documented examples


# -- rules ----------------------------------------------------------------------------


def _bad(message: str) -> ApiError:
    return ApiError("InvalidParameterValue", message)


def _check_name(name: str) -> None:
    if not _NAME_RE.fullmatch(name) or name.startswith("__"):
        raise _bad(f"The topic name `{name}` is invalid: use {_NAME_RULE}.")


def _check_range(member: str, value: int, low: int, high: Optional[int], unit: str) -> None:
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise _bad(f"The parameter `{member}` must be {bound}{unit}, got {value}.")


def _check_values(values: Mapping[str, Any]) -> None:
    """Every documented range, enum and length rule of the members in ``values``."""
    for member, value in values.items():
        if value is None:
            continue
        if member in _RANGES:
            _check_range(member, int(value), *_RANGES[member])
        elif member in _UNLIMITED and value != -1:
            low, high, unit = _UNLIMITED[member]
            try:
                _check_range(member, int(value), low, high, unit)
            except ApiError as error:
                raise _bad(error.message[:-1] + " (or -1, no limit).") from None
        elif member in _CHOICES and value not in _CHOICES[member]:
            valid = ", ".join(f"`{c}`" for c in _CHOICES[member])
            raise _bad(f"The parameter `{member}` must be one of {valid}; got `{value}`.")
        elif member == "Note" and len(str(value)) > _NOTE_MAX:
            raise _bad(
                f"The parameter `Note` must be at most {_NOTE_MAX} characters, "
                f"got {len(str(value))}."
            )


def _check_topic(name: str, replicas: int, config: Mapping[str, Any]) -> None:
    """Rules across members, on the topic as it would be after the call."""
    insync = int(config.get("MinInsyncReplicas") or 1)
    # Not documented, but a topic needing more in-sync replicas than it has could never
    # take an acks=all write; the console offers no value above the replica count.
    if insync > replicas:
        raise _bad(
            f"The parameter `MinInsyncReplicas` must be at most the topic's ReplicaNum "
            f"({replicas}) for topic `{name}`, got {insync}."
        )
    if config.get("EnableWhiteList") == 1 and not config.get("IpWhiteList"):
        raise ApiError(
            "MissingParameter",
            f"The parameter `IpWhiteList` is required when `EnableWhiteList` is 1 "
            f"(topic `{name}`).",
        )


def _partitions_in_use(instance: Instance) -> int:
    return sum(t.partition_num for t in instance.topics.values())


def _check_partition_budget(instance: Instance, name: str, adding: int) -> None:
    # The brief's quota: partitions summed over topics (replicas not counted).
    used = _partitions_in_use(instance)
    if used + adding > instance.partition_limit:
        raise ApiError(
            "LimitExceeded",
            f"Topic `{name}` needs {adding} more partitions, but instance "
            f"`{instance.instance_id}` uses {used} of its {instance.partition_limit}.",
        )


def _check_growth(instance: Instance, topic: Topic, wanted: int) -> None:
    if wanted <= topic.partition_num:
        raise _bad(
            f"Partitions can only be increased: topic `{topic.name}` has "
            f"{topic.partition_num}, got {wanted}."
        )
    _check_partition_budget(instance, topic.name, wanted - topic.partition_num)


def _request_config(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in _NOT_CONFIG and v is not None}


# -- answers ----------------------------------------------------------------------------


def _config(topic: Topic) -> Body:
    config = topic.config
    answer: Body = {
        "Retention": config.get("RetentionMs", _CONFIG_DEFAULTS["Retention"]),
        "SegmentBytes": None,  # not a request member anywhere
        "RetentionBytes": config.get("RetentionBytes"),
        "LogMsgTimestampType": config.get("LogMsgTimestampType"),
    }
    for member in ("MinInsyncReplicas", "CleanUpPolicy", "SegmentMs", "MaxMessageBytes"):
        answer[member] = config.get(member, _CONFIG_DEFAULTS[member])
    unclean = config.get(
        "UncleanLeaderElectionEnable", _CONFIG_DEFAULTS["UncleanLeaderElectionEnable"]
    )
    answer["UncleanLeaderElectionEnable"] = int(unclean)
    return answer


def _entity(topic: Topic) -> Body:
    return {"TopicId": topic.topic_id, "TopicName": topic.name, "Note": topic.note}


def _detail(topic: Topic) -> Body:
    retention = int(topic.config.get("RetentionMs", _CONFIG_DEFAULTS["Retention"]))
    whitelist = topic.config.get("IpWhiteList") or []
    return {
        "TopicName": topic.name,
        "TopicId": topic.topic_id,
        "PartitionNum": topic.partition_num,
        "ReplicaNum": topic.replica_num,
        "Note": topic.note,
        "CreateTime": int(topic.created_at),
        "EnableWhiteList": topic.config.get("EnableWhiteList") == 1,
        "IpWhiteListCount": len(whitelist),
        # No COS forwarding in the fake: ForwardStatus 1 means "not backing up".
        "ForwardCosBucket": "",
        "ForwardStatus": 1,
        "ForwardInterval": 0,
        "Config": _config(topic),
        "RetentionTimeConfig": {
            "Expect": retention // 60_000,
            "Current": retention // 60_000,
            "ModTimeStamp": int(topic.created_at * 1000),
        },
        "Status": 0,
        "Tags": [dict(t) for t in topic.config["Tags"]] if topic.config.get("Tags") else None,
    }


def _attributes(topic: Topic) -> Body:
    config = topic.config
    return {
        "TopicId": topic.topic_id,
        "CreateTime": int(topic.created_at),
        "Note": topic.note,
        "PartitionNum": topic.partition_num,
        "EnableWhiteList": int(config.get("EnableWhiteList", 0)),
        "IpWhiteList": list(config.get("IpWhiteList") or []),
        "Config": _config(topic),
        "Partitions": [
            # Every replica is in sync and every leader healthy: the fake has no brokers to lose.
            {
                "Partition": index,
                "LeaderStatus": 0,
                "IsrNum": topic.replica_num,
                "ReplicaNum": topic.replica_num,
            }
            for index in range(topic.partition_num)
        ],
        "EnableAclRule": int(config.get("EnableAclRule", 0)),
        "AclRuleList": [],  # preset ACL rules are not modelled
        "QuotaConfig": {
            "QuotaProducerByteRate": config.get("QuotaProducerByteRate"),
            "QuotaConsumerByteRate": config.get("QuotaConsumerByteRate"),
        },
        "ReplicaNum": topic.replica_num,
    }


def _acl_rule_test(ctx: Context) -> list[Any]:
    name = ctx.get("AclRuleName")
    return [lambda t: t.config.get("AclRuleName") == name] if name else []


# -- handlers -----------------------------------------------------------------------------


@handles("CreateTopic")
def create_topic(ctx: Context) -> Body:
    """Create a topic with empty partitions; answer its new TopicId."""
    instance = ctx.running_instance()
    name = str(ctx.get("TopicName"))
    partitions = int(ctx.get("PartitionNum"))
    replicas = int(ctx.get("ReplicaNum"))
    note = str(ctx.get("Note", ""))
    config = _request_config(ctx.params)
    _check_name(name)
    if name in instance.topics:
        ctx.fail(
            "InvalidParameterValue.TopicNameAlreadyExist",
            f"The topic `{name}` already exists in instance `{instance.instance_id}`.",
        )
    if partitions < 1:
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `PartitionNum` must be 1 or more, got {partitions}.",
        )
    _check_values({"ReplicaNum": replicas, "Note": note, **config})
    _check_topic(name, replicas, config)
    if len(instance.topics) >= instance.topic_limit:
        ctx.fail(
            "LimitExceeded",
            f"Instance `{instance.instance_id}` already has {len(instance.topics)} topics, "
            f"its limit; delete one before creating `{name}`.",
        )
    _check_partition_budget(instance, name, partitions)
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
    return {"Result": {"TopicId": topic.topic_id}}


@handles("DescribeTopic")
def describe_topic(ctx: Context) -> Body:
    """Topics in creation order: TopicId, TopicName and Note, paged (default 20, at most 50)."""
    instance = ctx.instance()
    offset, limit = window(ctx.params, default=20, maximum=50)
    word = ctx.get("SearchWord")
    # A plain substring test: matches() is the same for a SearchWord, without a call per name.
    tests = [*_acl_rule_test(ctx), *([lambda t: word in t.name] if word else [])]
    topics: Iterable[Topic] = instance.topics.values()
    total = None if tests else len(instance.topics)
    count, selected = count_and_page(keep(topics, *tests), total, offset, limit)
    return {"Result": {"TopicList": [_entity(t) for t in selected], "TotalCount": count}}


def _ordered(ctx: Context, topics: list[Topic]) -> list[Topic]:
    order_by = ctx.get("OrderBy")
    order_type = ctx.get("OrderType")
    if order_by is not None and order_by not in ("PartitionNum", "CreateTime"):
        ctx.fail(
            "InvalidParameterValue",
            "The parameter `OrderBy` must be one of `PartitionNum`, `CreateTime`; "
            f"got `{order_by}`.",
        )
    if order_type is not None and order_type not in (0, 1):
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `OrderType` must be 0 (ascending) or 1 (descending), got {order_type}.",
        )
    # The OrderBy document: with no OrderBy, CreateTime newest first; OrderType (default
    # 0, ascending) applies once OrderBy is given, or when the caller sets it.
    descending = order_type == 1 if (order_by or order_type is not None) else True
    key = (lambda t: t.partition_num) if order_by == "PartitionNum" else (lambda t: t.created_at)
    # Descending is the exact reverse of ascending: ties newest first.
    ordered = topics[::-1] if descending else list(topics)
    ordered.sort(key=key, reverse=descending)
    return ordered


@handles("DescribeTopicDetail")
def describe_topic_detail(ctx: Context) -> Body:
    """Topic details, searched, filtered by ReplicaNum, ordered and paged (default 20)."""
    instance = ctx.instance()
    # The Limit document gives no maximum ("取值要大于0").
    offset, limit = window(ctx.params, default=20, maximum=None)
    filters = filter_values(ctx.params, ["ReplicaNum"])
    tests = _acl_rule_test(ctx)
    word = ctx.get("SearchWord")
    if word:
        ignore_case = bool(ctx.get("SearchWordIgnoreCaseFlag", False))
        tests.append(lambda t: matches(word, t.name, ignore_case=ignore_case))
    if "ReplicaNum" in filters:
        wanted = set()
        for value in filters["ReplicaNum"]:
            if not value.lstrip("-").isdigit():
                ctx.fail(
                    "InvalidParameterValue",
                    f"The filter `ReplicaNum` takes whole numbers, got `{value}`.",
                )
            wanted.add(int(value))
        tests.append(lambda t: t.replica_num in wanted)
    selected = list(keep(instance.topics.values(), *tests))
    chosen = page(_ordered(ctx, selected), offset, limit)
    return {"Result": {"TopicList": [_detail(t) for t in chosen], "TotalCount": len(selected)}}


@handles("DescribeTopicAttributes")
def describe_topic_attributes(ctx: Context) -> Body:
    """One topic's id, create time, note, partitions, replicas and configuration."""
    instance = ctx.instance()
    return {"Result": _attributes(ctx.topic(instance))}


@handles("ModifyTopicAttributes")
def modify_topic_attributes(ctx: Context) -> Body:
    """Change a topic's note, replica count and configuration members."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    changes = _request_config(ctx.params)
    replicas = int(ctx.get("ReplicaNum", topic.replica_num))
    note = ctx.get("Note")
    _check_values({"ReplicaNum": replicas, "Note": note, **changes})
    _check_topic(topic.name, replicas, {**topic.config, **changes})
    topic.config.update(changes)
    topic.replica_num = replicas
    if note is not None:
        topic.note = str(note)
    return ctx.operate()


def _batch_item(instance: Instance, item: Mapping[str, Any]) -> Optional[ApiError]:
    """Apply one BatchModifyTopicInfo, all its rules first; the error if one failed."""
    name = str(item.get("TopicName"))
    topic = instance.topics.get(name)
    if topic is None:
        return ApiError(
            "ResourceNotFound",
            f"The topic `{name}` does not exist in instance `{instance.instance_id}`.",
        )
    changes = _request_config(item)
    if "UncleanLeaderElectionEnable" in changes:  # a bool here, an int everywhere else
        changes["UncleanLeaderElectionEnable"] = int(changes["UncleanLeaderElectionEnable"])
    replicas = topic.replica_num if item.get("ReplicaNum") is None else int(item["ReplicaNum"])
    partitions = item.get("PartitionNum")
    try:
        _check_values({"ReplicaNum": replicas, "Note": item.get("Note"), **changes})
        _check_topic(name, replicas, {**topic.config, **changes})
        if partitions is not None and int(partitions) != topic.partition_num:
            _check_growth(instance, topic, int(partitions))
    except ApiError as error:
        return error
    topic.config.update(changes)
    topic.replica_num = replicas
    if item.get("Note") is not None:
        topic.note = str(item["Note"])
    if partitions is not None:
        topic.partitions.extend(Partition() for _ in range(int(partitions) - topic.partition_num))
    return None


@handles("BatchModifyTopicAttributes")
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
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `Topic` takes 1 to {_BATCH_MAX} topics per batch, got {len(items)}.",
        )
    seen: set[str] = set()
    for item in items:
        name = str(item.get("TopicName"))
        if name in seen:
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"The topic `{name}` appears more than once in `Topic`; list each topic once.",
            )
        seen.add(name)
    results = []
    for item in items:
        error = _batch_item(instance, item)
        results.append(
            {
                "InstanceId": instance.instance_id,
                "TopicName": str(item.get("TopicName")),
                "ReturnCode": "0" if error is None else error.code,
                "Message": _APPLIED if error is None else error.message,
            }
        )
    return {"Result": results}


@handles("CreatePartition")
def create_partition(ctx: Context) -> Body:
    """Grow a topic to PartitionNum partitions (the new total, per the member document)."""
    instance = ctx.running_instance()
    topic = ctx.topic(instance)
    wanted = int(ctx.get("PartitionNum"))
    _check_growth(instance, topic, wanted)
    topic.partitions.extend(Partition() for _ in range(wanted - topic.partition_num))
    return ctx.operate()


@handles("DeleteTopic")
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
    # Kafka drops a deleted topic's committed offsets from every group.
    for group in instance.groups.values():
        group.offsets.pop(topic.name, None)
    return ctx.operate()
