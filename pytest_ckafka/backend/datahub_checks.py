"""DataHub topics: the value rules, the lookups and delivery, shared by handlers and seeding.

The rules come from the member documents of CreateDatahubTopic and
ModifyDatahubTopic. A name is ``<AppId>-`` and letters, digits and ``-``, at most
128 characters, as in the reference's examples (``1300957330-test``); the fake
does not know the caller's AppId (accounts here are names), so any AppId is
accepted. The request-shape rules raise :class:`~.errors.ShapeError`, and the
handlers run them through :meth:`~.registry.Context.check_shape`.

:func:`find_datahub_topic` and :func:`datahub_topic_for_id` are the lookups
other families use (a DataHub task refers to a DataHub topic by name).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from random import Random
from typing import Any, Optional

from ..api.spec import load_spec
from .errors import ShapeError
from .models import DatahubTopic, Message, RegionStore
from .partitioner import key_partition

__all__ = [
    "MAX_PARTITIONS",
    "MIN_RETENTION_MS",
    "check_name",
    "check_values",
    "datahub_address",
    "datahub_topic_for_id",
    "deliver",
    "find_datahub_topic",
    "new_credentials",
    "tasks_using_datahub_topic",
]

MAX_PARTITIONS = 500
"""CreateDatahubTopic's PartitionNum document: "最大值为500，大于0"."""
MIN_RETENTION_MS = 60_000
"""RetentionMs' document (create and modify): "当前最小值为60000ms"."""

_NAME_MAX = 128
_NAME_RE = re.compile(r"[0-9]+-[A-Za-z0-9-]+")
_NOTE_MAX = 64
_NOTE_RE = re.compile(r"[A-Za-z0-9-]*")
# The example's UserName: 12 lowercase letters and digits; its Password: 32 hex digits.
_USER_ALPHABET = string.ascii_lowercase + string.digits


def _bad(message: str) -> ShapeError:
    return ShapeError("InvalidParameterValue", message)


def check_name(name: str) -> None:
    """A new DataHub topic's name: ``<AppId>-`` then letters, digits and ``-``, at most 128."""
    if len(name) > _NAME_MAX or not _NAME_RE.fullmatch(name):
        raise _bad(
            f"The DataHub topic name `{name}` is invalid: use your AppId, `-`, then letters, "
            f"digits and `-`, at most {_NAME_MAX} characters in all (e.g. `1300957330-orders`)."
        )


def check_values(
    *,
    partitions: Optional[int] = None,
    retention_ms: Optional[int] = None,
    note: Optional[str] = None,
    note_charset: bool = False,
    tags: Optional[Sequence[Mapping[str, Any]]] = None,
) -> None:
    """The documented range, length and uniqueness rules of the members given.

    ``note_charset``: CreateDatahubTopic's Note document also limits it to
    letters, digits and ``-`` (ModifyDatahubTopic's only to 64 characters).
    """
    if partitions is not None and partitions > MAX_PARTITIONS:
        raise _bad(
            f"The parameter `PartitionNum` must be between 1 and {MAX_PARTITIONS}, "
            f"got {partitions}."
        )
    if retention_ms is not None and retention_ms < MIN_RETENTION_MS:
        raise _bad(
            f"The parameter `RetentionMs` must be at least {MIN_RETENTION_MS} milliseconds, "
            f"got {retention_ms}."
        )
    if note is not None:
        if len(note) > _NOTE_MAX:
            raise _bad(
                f"The parameter `Note` must be at most {_NOTE_MAX} characters, got {len(note)}."
            )
        if note_charset and not _NOTE_RE.fullmatch(note):
            raise _bad(f"The parameter `Note` may hold letters, digits and `-` only, got `{note}`.")
    seen: set[str] = set()
    for tag in tags or ():
        key = str(tag.get("TagKey"))
        if key in seen:
            raise ShapeError(
                "InvalidParameterValue.RepetitionValue",
                f"The tag key `{key}` appears more than once in `Tags`; give each key once.",
            )
        seen.add(key)


def find_datahub_topic(store: RegionStore, name: str) -> Optional[DatahubTopic]:
    """The DataHub topic ``name`` of ``store`` (an account's region), or None."""
    return store.datahub_topics.get(name)


def datahub_topic_for_id(store: RegionStore, datahub_id: str) -> Optional[DatahubTopic]:
    """The DataHub topic of ``store`` whose HTTP access point is ``datahub_id``, or None."""
    for topic in store.datahub_topics.values():
        if topic.datahub_id == datahub_id:
            return topic
    return None


def tasks_using_datahub_topic(store: RegionStore, name: str) -> list[str]:
    """The ids of the DataHub tasks of ``store`` reading or writing the DataHub topic ``name``.

    A task uses one through a ``DatahubResource`` of Type ``TOPIC`` whose
    ``TopicParam.Resource`` is the topic's name ("单独售卖Topic的Topic名称").
    """
    return [
        task.task_id
        for task in store.datahub_tasks.values()
        if any(
            str(end.get("Type", "")).upper() == "TOPIC"
            and (end.get("TopicParam") or {}).get("Resource") == name
            for end in (task.source, task.target)
        )
    ]


@functools.cache
def datahub_address() -> str:
    """The service address DescribeDatahubTopic answers: the reference example's."""
    example = load_spec().action("DescribeDatahubTopic").example_output or {}
    return str(example["Result"]["Address"])


def new_credentials(rng: Random) -> tuple[str, str]:
    """A DataHub topic's access ``(UserName, Password)``, in the example's formats."""
    user = "".join(rng.choice(_USER_ALPHABET) for _ in range(12))
    return user, f"{rng.getrandbits(128):032x}"


def deliver(
    topic: DatahubTopic, batch: Iterable[tuple[str, str]], timestamp: int
) -> list[tuple[int, int]]:
    """Append ``(key, value)`` messages as SendMessage does; answer ``(partition, offset)`` each.

    A keyed message goes to its key's partition (:func:`~.partitioner.key_partition`);
    the keyless ones of one batch all go to the topic's next partition in turn.
    """
    placed = []
    keyless = topic.sticky % topic.partition_num
    used_sticky = False
    for key, value in batch:
        if key:
            number = key_partition(key, topic.partition_num)
        else:
            number, used_sticky = keyless, True
        partition = topic.partitions[number]
        offset = partition.end_offset
        partition.messages.append(Message(offset, key, value, timestamp))
        placed.append((number, offset))
    if used_sticky:
        topic.sticky = (keyless + 1) % topic.partition_num
    return placed
