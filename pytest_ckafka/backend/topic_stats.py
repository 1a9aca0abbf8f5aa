"""Stateful handlers: what a topic's producers, replicas and traffic look like.

``DescribeTopicProduceConnection`` lists the producers seeded with
``ckafka.state.add_connection``; ``DescribeTopicSyncReplica`` shows each partition's
replicas on the instance's brokers (:mod:`.brokers`) and its offsets;
``DescribeTopicFlowRanking`` ranks the topics by the bytes of the messages they hold
and that were produced (``PRO``) or consumed by their groups (``CON``) in a window of
days. A message's size is its key, value and headers in UTF-8.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from .brokers import broker_ids, broker_ips, replica_brokers
from .groups import subscriptions
from .models import Instance, Message, Topic
from .paging import page, window
from .registry import Body, Context, answers
from .times import beijing_datetime

__all__ = [
    "RANKING_TYPES",
    "describe_topic_flow_ranking",
    "describe_topic_produce_connection",
    "describe_topic_sync_replica",
    "message_size",
]

RANKING_TYPES = ("PRO", "CON")
"""DescribeTopicFlowRanking's RankingType: produced traffic, consumed traffic."""

_MB = 1024 * 1024
_DAY_MS = 86_400_000
_BEIJING = timezone(timedelta(hours=8))
# The date and offset of a datetime_iso member (request validation checked the rest).
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})T[0-9:.]+(Z|[+-]\d{2}:\d{2})?")


def message_size(message: Message) -> int:
    """The bytes ``message`` takes: its key, value and headers in UTF-8."""
    headers = sum(len(k.encode()) + len(v.encode()) for k, v in message.headers.items())
    return len(message.key.encode()) + len(message.value.encode()) + headers


# -- DescribeTopicProduceConnection --------------------------------------------------------


@answers("DescribeTopicProduceConnection")
def describe_topic_produce_connection(ctx: Context) -> Body:
    """The producers connected to ``TopicName``, oldest first."""
    instance = ctx.instance()
    topic = ctx.topic(instance)
    listed = [
        {
            "IpAddr": connection.ip,
            "Time": beijing_datetime(connection.connected_at),
            "IsUnSupportVersion": connection.unsupported_version,
        }
        for connection in topic.connections
    ]
    return {"Result": listed}


# -- DescribeTopicSyncReplica ----------------------------------------------------------------


@answers("DescribeTopicSyncReplica")
def describe_topic_sync_replica(ctx: Context) -> Body:
    """Each partition's leader, replicas, in-sync replicas and offsets, paged (default 20).

    A replica is in sync unless ``ckafka.state.add_out_of_sync_replica`` said it fell
    behind; ``OutOfSyncReplicaOnly`` keeps the partitions that have such a replica.
    """
    instance = ctx.instance()
    topic = ctx.topic(instance)
    offset, limit = window(ctx)
    numbers = [
        n
        for n, partition in enumerate(topic.partitions)
        if partition.out_of_sync or not ctx.get("OutOfSyncReplicaOnly")
    ]
    listed = []
    for number in page(numbers, offset, limit):
        partition = topic.partitions[number]
        replicas = replica_brokers(number, topic.replica_num)
        behind = partition.out_of_sync
        listed.append(
            {
                "Partition": f"partition-{number}",
                "Leader": replicas[0],
                "Replica": _ids(replicas),
                "InSyncReplica": _ids(b for b in replicas if b not in behind),
                # Messages are never deleted in the fake: every log starts at 0.
                "BeginOffset": 0,
                "EndOffset": partition.end_offset,
                "MessageCount": partition.end_offset,
                "OutOfSyncReplica": _ids(b for b in replicas if b in behind),
            }
        )
    return {"Result": {"TopicInSyncReplicaList": listed, "TotalCount": len(numbers)}}


def _ids(brokers: Iterable[int]) -> str:
    return ",".join(str(b) for b in brokers)


# -- DescribeTopicFlowRanking ----------------------------------------------------------------


def _day(ctx: Context, member: str) -> Optional[tuple[date, timezone]]:
    text = ctx.get(member)
    if text is None:
        return None
    found = _ISO_DAY.match(str(text))
    try:
        if found is None:
            raise ValueError(text)
        year, month, day, zone = found.groups()
        # Without an offset, Beijing time, as every other time the API reads.
        offset = _BEIJING if zone is None else timezone.utc if zone == "Z" else _zone(zone)
        return date(int(year), int(month), int(day)), offset
    except ValueError:
        ctx.reject_shape(f"The parameter `{member}` is not a date: got `{text}`.")
        return None


def _zone(text: str) -> timezone:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _window(ctx: Context) -> tuple[int, int]:
    """``[start, end)`` in milliseconds: BeginDate's day to the end of EndDate's day.

    The members are dates (``排行起始日期``, ``排行结束日期``): the documented example
    ranks one day with the same BeginDate and EndDate. A missing one is today
    (Beijing time, the clock's).
    """
    today = (datetime.fromtimestamp(ctx.now, _BEIJING).date(), _BEIJING)
    begin = _day(ctx, "BeginDate") or today
    end = _day(ctx, "EndDate") or today

    def start(day: tuple[date, timezone]) -> int:
        moment = datetime(day[0].year, day[0].month, day[0].day, tzinfo=day[1])
        return int(moment.timestamp() * 1000)

    first, last = start(begin), start(end) + _DAY_MS
    if first >= last:
        ctx.reject_shape(
            f"The parameter `BeginDate` ({ctx.get('BeginDate')}) must not be after "
            f"`EndDate` ({ctx.get('EndDate')})."
        )
    return first, last


def _bytes(messages: Iterable[Message], first: int, last: int) -> int:
    return sum(message_size(m) for m in messages if first <= m.timestamp < last)


def _consumed(instance: Instance, topic: Topic, numbers: Iterable[int]) -> list[Message]:
    """The messages of ``numbers``' partitions below each group's committed offset."""
    read: list[Message] = []
    wanted = set(numbers)
    for group in instance.groups.values():
        for subscribed, committed in subscriptions(instance, group):
            if subscribed.name != topic.name:
                continue
            for number, upto in enumerate(committed):
                if number in wanted:
                    read.extend(topic.partitions[number].messages[: max(upto, 0)])
    return read


def _traffic(
    instance: Instance, topic: Topic, kind: str, first: int, last: int, numbers: Iterable[int]
) -> int:
    numbers = list(numbers)
    if kind == "CON":
        return _bytes(_consumed(instance, topic, numbers), first, last)
    return sum(_bytes(topic.partitions[n].messages, first, last) for n in numbers)


def _stored(topic: Topic, numbers: Iterable[int]) -> int:
    return sum(message_size(m) for n in numbers for m in topic.partitions[n].messages)


def _mb(size: int) -> str:
    return f"{size / _MB:.2f}"


@answers("DescribeTopicFlowRanking")
def describe_topic_flow_ranking(ctx: Context) -> Body:
    """Topics ranked by traffic (``RankingType`` PRO or CON) and by the bytes they hold.

    ``ConsumeSpeed`` (CON) ranks the groups by the messages they consumed per minute
    of the window, rounded up. With ``BrokerIp`` (one of the answered ``BrokerIp``),
    ``BrokerTopicData`` is each topic's bytes on that broker's replicas and
    ``BrokerTopicFlowData`` the traffic of the partitions it leads.
    """
    instance = ctx.instance()
    kind = str(ctx.get("RankingType", "PRO"))
    if kind not in RANKING_TYPES:
        # Unvalidated, any other value ranks produced traffic.
        ctx.reject_shape(
            f"The parameter `RankingType` must be `PRO` (produced) or `CON` (consumed), "
            f"got `{kind}`."
        )
        kind = "PRO"
    first, last = _window(ctx)
    ips = broker_ips(instance)
    broker = ctx.get("BrokerIp")
    if broker is not None and broker not in ips:
        ctx.fail(
            "InvalidParameterValue",
            f"The broker `{broker}` is not a broker of instance `{instance.instance_id}`; its "
            f"brokers are {', '.join(ips)}.",
        )
    topics = list(instance.topics.values())
    rows = []
    for topic in topics:
        every = range(topic.partition_num)
        traffic = _traffic(instance, topic, kind, first, last, every)
        rows.append((topic, traffic, _stored(topic, every)))
    flow = sorted(rows, key=lambda row: -row[1])
    heap = sorted(rows, key=lambda row: -row[2])
    result: Body = {
        "TopicFlow": [_ranked(t, traffic, stored) for t, traffic, stored in flow],
        "ConsumeSpeed": _speeds(instance, first, last) if kind == "CON" else [],
        "TopicMessageHeap": [_ranked(t, traffic, stored) for t, traffic, stored in heap],
        "BrokerIp": ips,
        "BrokerTopicData": [],
        "BrokerTopicFlowData": [],
    }
    if broker is not None:
        broker_id = broker_ids()[ips.index(broker)]
        held, led = [], []
        for topic in topics:
            placed = [replica_brokers(n, topic.replica_num) for n in range(topic.partition_num)]
            holds = [n for n, brokers in enumerate(placed) if broker_id in brokers]
            leads = [n for n, brokers in enumerate(placed) if brokers[0] == broker_id]
            held.append((topic, _stored(topic, holds)))
            led.append((topic, _traffic(instance, topic, kind, first, last, leads)))
        result["BrokerTopicData"] = [
            {"TopicName": t.name, "TopicId": t.topic_id, "DataSize": size}
            for t, size in sorted(held, key=lambda row: -row[1])
        ]
        result["BrokerTopicFlowData"] = [
            {"TopicName": t.name, "TopicId": t.topic_id, "TopicTraffic": _mb(size)}
            for t, size in sorted(led, key=lambda row: -row[1])
        ]
    return {"Result": result}


def _ranked(topic: Topic, traffic: int, stored: int) -> Body:
    return {
        "TopicId": topic.topic_id,
        "TopicName": topic.name,
        "PartitionNum": topic.partition_num,
        "ReplicaNum": topic.replica_num,
        "TopicTraffic": _mb(traffic),
        "MessageHeap": stored,
    }


def _speeds(instance: Instance, first: int, last: int) -> list[Body]:
    minutes = (last - first) / 60_000
    speeds = []
    for group in instance.groups.values():
        count = sum(
            1
            for topic, committed in subscriptions(instance, group)
            for number, upto in enumerate(committed)
            for m in topic.partitions[number].messages[: max(upto, 0)]
            if first <= m.timestamp < last
        )
        if count:
            speeds.append((group.name, math.ceil(count / minutes)))
    speeds.sort(key=lambda row: -row[1])
    return [{"ConsumerGroupName": name, "Speed": speed} for name, speed in speeds]
