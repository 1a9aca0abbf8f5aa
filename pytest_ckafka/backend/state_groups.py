"""``ckafka.state`` for group members, producer connections and lagging replicas.

Consumers join groups, producers connect to topics and followers fall behind; no
API call does any of it, so tests seed them here. A group that gains a member
becomes ``Stable`` (its consumers have joined), and one that loses its last member
``Empty``, as Kafka's group coordinator moves them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .brokers import replica_brokers
from .models import Group, GroupMember, ProduceConnection, Topic
from .state_base import StateBase

__all__ = ["GroupsState"]


class GroupsState(StateBase):
    """Seed consumers into groups and producers onto topics; read them back."""

    def add_group_member(
        self,
        instance_id: str,
        group: str,
        *,
        client_id: str = "consumer-1",
        host: str = "10.0.0.30",
        assignment: Optional[Mapping[str, Sequence[int]]] = None,
        member_id: Optional[str] = None,
    ) -> str:
        """Add a consumer to ``group`` and return its MemberId.

        ``assignment`` maps a topic to the partitions the member was given; no two
        members of a group share a partition. Without ``member_id`` it is Kafka's
        ``<client_id>-<uuid>``. An ``Empty`` group becomes ``Stable``.
        """
        listed = {topic: [int(p) for p in parts] for topic, parts in (assignment or {}).items()}
        self._check_seed(
            "add_group_member", instance_id=instance_id, group=group, client_id=client_id,
            host=host, assignment=listed, member_id=member_id,
        )  # fmt: skip
        with self.backend.lock:
            instance = self.instance(instance_id)
            found = self._group(instance_id, group)
            taken = {
                (topic, partition): member.member_id
                for member in found.members
                for topic, parts in member.assignment.items()
                for partition in parts
            }
            for topic, parts in listed.items():
                known = instance.topics.get(topic)
                if known is None:
                    raise CKafkaUsageError(
                        f"state.add_group_member: {instance_id} has no "
                        + unknown_name_message("topic", topic, instance.topics)
                    )
                for partition in parts:
                    if not 0 <= partition < known.partition_num:
                        raise CKafkaUsageError(
                            f"state.add_group_member: topic {topic} has partitions 0 to "
                            f"{known.partition_num - 1}, got partition {partition}"
                        )
                    if (topic, partition) in taken:
                        raise CKafkaUsageError(
                            f"state.add_group_member: partition {partition} of topic {topic} "
                            f"is already assigned to member {taken[topic, partition]}"
                        )
            if member_id is None:
                member_id = f"{client_id}-{uuid.UUID(int=self.backend.rng.getrandbits(128))}"
            elif any(m.member_id == member_id for m in found.members):
                raise CKafkaUsageError(
                    f"state.add_group_member: group {group} already has member {member_id}"
                )
            found.members.append(GroupMember(member_id, client_id, host, listed))
            if found.state == "Empty":
                found.state = "Stable"
        return member_id

    def remove_group_members(
        self, instance_id: str, group: str, member_ids: Optional[Sequence[str]] = None
    ) -> None:
        """Remove the members ``member_ids`` (all without it); a group left without any is Empty."""
        wanted = None if member_ids is None else list(member_ids)
        self._check_seed(
            "remove_group_members", instance_id=instance_id, group=group, member_ids=wanted
        )
        with self.backend.lock:
            found = self._group(instance_id, group)
            present = [m.member_id for m in found.members]
            for member_id in wanted or ():
                if member_id not in present:
                    raise CKafkaUsageError(
                        f"state.remove_group_members: group {group} has no "
                        + unknown_name_message("member", member_id, present)
                    )
            drop = set(present if wanted is None else wanted)
            found.members[:] = [m for m in found.members if m.member_id not in drop]
            if not found.members:
                found.state = "Empty"

    def add_connection(
        self,
        instance_id: str,
        topic: str,
        *,
        ip: str = "10.0.0.1",
        connected_at: Optional[float] = None,
        unsupported_version: bool = False,
    ) -> None:
        """Add a producer connected to ``topic`` from ``ip`` (at the clock's now unless given).

        ``unsupported_version`` is what DescribeTopicProduceConnection answers as
        ``IsUnSupportVersion``.
        """
        self._check_seed(
            "add_connection", instance_id=instance_id, topic=topic, ip=ip,
            connected_at=connected_at, unsupported_version=unsupported_version,
        )  # fmt: skip
        with self.backend.lock:
            known = self._topic(instance_id, topic)
            when = self.backend.clock.now() if connected_at is None else float(connected_at)
            known.connections.append(ProduceConnection(ip, when, unsupported_version))

    def add_out_of_sync_replica(
        self, instance_id: str, topic: str, *, partition: int = 0, broker: Optional[int] = None
    ) -> int:
        """Make a follower replica of ``partition`` fall behind (leave the ISR); return its broker.

        ``broker`` is a broker holding a follower replica (default: the last one);
        the leader is always in sync.
        """
        self._check_seed(
            "add_out_of_sync_replica", instance_id=instance_id, topic=topic,
            partition=partition, broker=broker,
        )  # fmt: skip
        with self.backend.lock:
            known = self._topic(instance_id, topic)
            if not 0 <= partition < known.partition_num:
                raise CKafkaUsageError(
                    f"state.add_out_of_sync_replica: topic {topic} has partitions 0 to "
                    f"{known.partition_num - 1}, got partition {partition}"
                )
            leader, *followers = replica_brokers(partition, known.replica_num)
            chosen = followers[-1] if broker is None and followers else broker
            if chosen not in followers:
                held = ", ".join(str(b) for b in followers) or "none"
                raise CKafkaUsageError(
                    f"state.add_out_of_sync_replica: partition {partition} of topic {topic} is "
                    f"led by broker {leader}; its followers are on brokers {held}, got {chosen}"
                )
            lagging = known.partitions[partition].out_of_sync
            if chosen not in lagging:
                lagging.append(chosen)
        return int(chosen)

    # -- inspecting --------------------------------------------------------------------

    def group(self, instance_id: str, name: str) -> Group:
        """One consumer group of ``instance_id``: its offsets, state and members."""
        with self.backend.lock:
            return self._group(instance_id, name)

    def connections(self, instance_id: str, topic: str) -> list[ProduceConnection]:
        """The producers connected to ``topic``, oldest first."""
        with self.backend.lock:
            return list(self._topic(instance_id, topic).connections)

    # -- helpers ---------------------------------------------------------------------------

    def _group(self, instance_id: str, name: str) -> Group:
        groups = self.instance(instance_id).groups
        if name not in groups:
            raise CKafkaUsageError(
                f"ckafka.state: {instance_id} has no "
                + unknown_name_message("consumer group", name, groups)
            )
        return groups[name]

    def _topic(self, instance_id: str, name: str) -> Topic:
        topics = self.instance(instance_id).topics
        if name not in topics:
            raise CKafkaUsageError(
                f"ckafka.state: {instance_id} has no " + unknown_name_message("topic", name, topics)
            )
        return topics[name]
