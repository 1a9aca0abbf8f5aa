"""Value rules shared by the topic handlers in :mod:`.topics`.

The rules come from the member documents of CreateTopic, ModifyTopicAttributes
and BatchModifyTopicInfo; where the three disagree (ModifyTopicAttributes'
``RetentionMs`` document is a copy of ``SegmentMs``'), the one range that fits
every document is used. Each check raises the error a call answers when the
rule is broken. The request-shape rules (:func:`check_name`, :func:`check_values`,
:func:`check_topic`) raise :class:`~.errors.ShapeError`: ``InvalidParameterValue``
for a name, range, enum or length, ``MissingParameter`` for a whitelist left
out; handlers run them through :meth:`~.registry.Context.check_shape`, so
``validate=False`` turns them off. The business rules (:func:`check_growth`,
:func:`check_partition_budget`) read the topic and instance as they are and
always hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from .errors import ApiError, ShapeError
from .models import Instance, Topic

__all__ = [
    "check_growth",
    "check_name",
    "check_partition_budget",
    "check_topic",
    "check_values",
    "request_config",
]

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


def _bad(message: str) -> ShapeError:
    return ShapeError("InvalidParameterValue", message)


def check_name(name: str) -> None:
    """A topic name: 1 to 128 letters, digits, ``_``, ``-`` and ``.``, not starting ``__``."""
    if not _NAME_RE.fullmatch(name) or name.startswith("__"):
        raise _bad(f"The topic name `{name}` is invalid: use {_NAME_RULE}.")


def _check_range(member: str, value: int, low: int, high: Optional[int], unit: str) -> None:
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise _bad(f"The parameter `{member}` must be {bound}{unit}, got {value}.")


def check_values(values: Mapping[str, Any]) -> None:
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


def check_topic(name: str, replicas: int, config: Mapping[str, Any]) -> None:
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
        raise ShapeError(
            "MissingParameter",
            f"The parameter `IpWhiteList` is required when `EnableWhiteList` is 1 "
            f"(topic `{name}`).",
        )


def _partitions_in_use(instance: Instance) -> int:
    return sum(t.partition_num for t in instance.topics.values())


def check_partition_budget(instance: Instance, name: str, adding: int) -> None:
    """Adding ``adding`` partitions to topic ``name`` must fit the instance's partition limit."""
    # The brief's quota: partitions summed over topics (replicas not counted).
    used = _partitions_in_use(instance)
    if used + adding > instance.partition_limit:
        raise ApiError(
            "LimitExceeded",
            f"Topic `{name}` needs {adding} more partitions, but instance "
            f"`{instance.instance_id}` uses {used} of its {instance.partition_limit}.",
        )


def check_growth(instance: Instance, topic: Topic, wanted: int) -> None:
    """``wanted`` partitions must be more than ``topic`` has, and fit the partition budget."""
    if wanted <= topic.partition_num:
        raise ApiError(
            "InvalidParameterValue",
            f"Partitions can only be increased: topic `{topic.name}` has "
            f"{topic.partition_num}, got {wanted}.",
        )
    check_partition_budget(instance, topic.name, wanted - topic.partition_num)


def request_config(params: Mapping[str, Any]) -> dict[str, Any]:
    """The members of ``params`` kept in ``Topic.config``: all set ones but ids, counts, note."""
    return {k: v for k, v in params.items() if k not in _NOT_CONFIG and v is not None}
