"""An instance's brokers, which the fake does not store: their count, ids, addresses and
which of them hold each partition's replicas.

Every family that shows brokers (the routes' ``BrokerVipList``, the replica and traffic
answers) reads them here, so they agree. Brokers never fail in the fake: every replica
is in sync.
"""

from __future__ import annotations

from .models import Instance

__all__ = ["BROKERS", "broker_ids", "broker_ips", "replica_brokers"]

BROKERS = 3
"""Brokers per instance: a CKafka cluster's minimum, and ``ReplicaNum``'s maximum."""

_FIRST_ID = 1


def broker_ids() -> list[int]:
    """The broker ids (Kafka's ``broker.id``) of every instance: 1 to :data:`BROKERS`."""
    return [_FIRST_ID + n for n in range(BROKERS)]


def broker_ips(instance: Instance) -> list[str]:
    """The brokers' addresses: the ones after the instance's VIP in its subnet.

    >>> broker_ips(Instance("ckafka-1", "a", 1, 0.0, vip="10.0.0.10"))
    ['10.0.0.11', '10.0.0.12', '10.0.0.13']
    """
    prefix, _, last = instance.vip.rpartition(".")
    host = int(last) if last.isdigit() else 0
    return [f"{prefix}.{(host + n) % 254 + 1}" for n in range(BROKERS)]


def replica_brokers(partition: int, replicas: int) -> list[int]:
    """The ids of the brokers holding ``partition``'s replicas, the leader first.

    Kafka's round-robin placement: partition ``p`` is led by broker ``p mod BROKERS``
    and followed by the next ones.

    >>> replica_brokers(0, 2), replica_brokers(2, 3)
    ([1, 2], [3, 1, 2])
    """
    ids = broker_ids()
    return [ids[(partition + n) % BROKERS] for n in range(min(replicas, BROKERS))]
