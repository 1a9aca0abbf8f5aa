"""``ckafka.state`` for DataHub topics: seed them, their messages and group offsets; look inside.

A DataHub topic lives in an account's region (no instance owns it); without
``region`` and ``account`` a seed goes where :mod:`.state`'s do. Its
``datahub_id`` is the HTTP access point ``SendMessage`` writes to: give one
(``datahub_id="datahub-meuh9nhn"``) or read the one made from
``state.datahub_topic(name).datahub_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .datahub_checks import new_credentials
from .models import DatahubTopic, Message, Partition
from .seed_messages import MessageLike, message_parts
from .state_base import StateBase

__all__ = ["DatahubTopicsState"]

# A seeded topic keeps messages a day, as the reference's examples show (86400000).
_DAY_MS = 86_400_000


class DatahubTopicsState(StateBase):
    """Seeding and inspection of DataHub topics (mixed into :class:`~.state.State`)."""

    def add_datahub_topic(
        self,
        name: str,
        *,
        partitions: int = 1,
        retention_ms: int = _DAY_MS,
        note: str = "",
        tags: Optional[Sequence[Mapping[str, str]]] = None,
        datahub_id: Optional[str] = None,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> str:
        """Add a DataHub topic (e.g. ``"1300957330-orders"``) and return its TopicId.

        ``tags`` are ``{"TagKey", "TagValue"}`` objects; ``datahub_id`` is its HTTP
        access point for SendMessage (``datahub-xxxxxxxx`` unless given).
        """
        listed = [dict(t) for t in tags or ()]
        self._check_seed(
            "add_datahub_topic", name=name, partitions=partitions, retention_ms=retention_ms,
            note=note, tags=listed, datahub_id=datahub_id, region=region, account=account,
        )  # fmt: skip
        if partitions < 1:
            raise CKafkaUsageError("state.add_datahub_topic: partitions must be 1 or more")
        for tag in listed:
            if set(tag) != {"TagKey", "TagValue"}:
                raise CKafkaUsageError(
                    'state.add_datahub_topic: a tag is {"TagKey": ..., "TagValue": ...}, '
                    f"got {tag!r}"
                )
        with self.backend.lock:
            store = self._store(account, region)
            if name in store.datahub_topics:
                raise CKafkaUsageError(f"state.add_datahub_topic: {name} already exists")
            if datahub_id is not None and any(
                t.datahub_id == datahub_id for t in store.datahub_topics.values()
            ):
                raise CKafkaUsageError(
                    f"state.add_datahub_topic: another DataHub topic has datahub_id {datahub_id}"
                )
            user, password = new_credentials(self.backend.rng)
            topic = DatahubTopic(
                name=name,
                topic_id=self.backend.new_id("topic"),
                datahub_id=datahub_id or self.backend.new_id("datahub"),
                retention_ms=retention_ms,
                created_at=self.backend.clock.now(),
                user_name=user,
                password=password,
                partitions=[Partition() for _ in range(partitions)],
                note=note,
                tags=listed,
            )
            store.datahub_topics[name] = topic
        return topic.topic_id

    def add_datahub_messages(
        self,
        name: str,
        messages: Iterable[MessageLike],
        *,
        partition: int = 0,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> list[int]:
        """Append ``messages`` to one partition of a DataHub topic; return their offsets.

        A message is as for ``add_messages``: its value, a ``(key, value)`` pair, or
        a mapping with ``value`` and optionally ``key``, ``timestamp`` (ms) and
        ``headers``.
        """
        now_ms = int(self.backend.clock.now() * 1000)
        parts = [message_parts(item, now_ms) for item in messages]
        self._check_seed(
            "add_datahub_messages", name=name, partition=partition, region=region,
            account=account,
            messages=[dict(zip(("key", "value", "timestamp", "headers"), p)) for p in parts],
        )  # fmt: skip
        with self.backend.lock:
            log = self._datahub_partition(name, partition, region, account)
            offsets = []
            for key, value, stamp, headers in parts:
                offset = log.end_offset
                log.messages.append(Message(offset, key, value, stamp, headers))
                offsets.append(offset)
        return offsets

    def add_datahub_group_offsets(
        self,
        name: str,
        group: str,
        offsets: Sequence[int],
        *,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> None:
        """Commit ``group``'s ``offsets`` (one per partition) on a DataHub topic."""
        listed = list(offsets)
        self._check_seed(
            "add_datahub_group_offsets", name=name, group=group, offsets=listed, region=region,
            account=account,
        )  # fmt: skip
        with self.backend.lock:
            topic = self.datahub_topic(name, region=region, account=account)
            if len(listed) != topic.partition_num:
                raise CKafkaUsageError(
                    f"state.add_datahub_group_offsets: DataHub topic {name} has "
                    f"{topic.partition_num} partitions, got {len(listed)} offsets"
                )
            topic.group_offsets[group] = listed

    # -- inspecting --------------------------------------------------------------------------

    def datahub_topics(
        self, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[DatahubTopic]:
        """The DataHub topics of ``account`` in ``region``, in creation order."""
        with self.backend.lock:
            return list(self._store(account, region).datahub_topics.values())

    def datahub_topic(
        self, name: str, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> DatahubTopic:
        """One DataHub topic of ``account`` in ``region``."""
        with self.backend.lock:
            topics = self._store(account, region).datahub_topics
            if name not in topics:
                raise CKafkaUsageError(
                    "ckafka.state: " + unknown_name_message("DataHub topic", name, topics)
                )
            return topics[name]

    def datahub_messages(
        self,
        name: str,
        partition: int = 0,
        *,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> list[Message]:
        """The messages of one partition of a DataHub topic, in offset order."""
        with self.backend.lock:
            return list(self._datahub_partition(name, partition, region, account).messages)

    def _datahub_partition(
        self, name: str, partition: int, region: Optional[str], account: Optional[str]
    ) -> Partition:
        topic = self.datahub_topic(name, region=region, account=account)
        if not 0 <= partition < topic.partition_num:
            raise CKafkaUsageError(
                f"ckafka.state: DataHub topic {name} has partitions 0 to "
                f"{topic.partition_num - 1}, got partition {partition}"
            )
        return topic.partitions[partition]
