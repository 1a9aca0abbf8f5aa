"""The documented examples of the topic_stats family: what each refers to, seeded."""

from __future__ import annotations

from typing import Any

from . import seeds_for

# 2020-09-22 12:00 UTC, in the day the documented DescribeTopicFlowRanking example ranks.
_SEPTEMBER_22 = 1_600_776_000_000


@seeds_for("DescribeTopicProduceConnection", "DescribeTopicSyncReplica")
def _topic(ckafka: Any, example: dict[str, Any]) -> None:
    instance_id = ckafka.state.add_instance(example["InstanceId"])
    ckafka.state.add_topic(instance_id, example["TopicName"], partitions=3)
    ckafka.state.add_messages(instance_id, example["TopicName"], ["a", "b"])
    ckafka.state.add_connection(instance_id, example["TopicName"], ip="10.23.1.1")


@seeds_for("DescribeTopicFlowRanking")
def _flow_ranking(ckafka: Any, example: dict[str, Any]) -> None:
    instance_id = ckafka.state.add_instance(example["InstanceId"])
    for name, partitions in (("test-bing-v1w", 10), ("alert-go-s1", 3)):
        ckafka.state.add_topic(instance_id, name, partitions=partitions)
    messages = [{"value": "x" * 100, "timestamp": _SEPTEMBER_22 + n} for n in range(3)]
    ckafka.state.add_messages(instance_id, "test-bing-v1w", messages)
