"""The documented examples of the group_ops family: what each refers to, seeded."""

from __future__ import annotations

from typing import Any

from . import seeds_for


def _instance_and_topic(ckafka: Any, example: dict[str, Any], topic: str) -> str:
    instance_id = str(example["InstanceId"])
    ckafka.state.add_instance(instance_id)
    ckafka.state.add_topic(instance_id, topic, partitions=2)
    ckafka.state.add_messages(instance_id, topic, ["a", "b", "c"])
    return instance_id


@seeds_for("CreateConsumer")
def _create_consumer(ckafka: Any, example: dict[str, Any]) -> None:
    _instance_and_topic(ckafka, example, example["TopicName"])


@seeds_for("BatchModifyGroupOffsets")
def _batch_modify_group_offsets(ckafka: Any, example: dict[str, Any]) -> None:
    (topic,) = example["TopicName"]
    instance_id = _instance_and_topic(ckafka, example, topic)
    ckafka.state.add_group(instance_id, example["GroupName"], offsets={topic: [3, 0]})


@seeds_for("DeleteGroupSubscribeTopic")
def _delete_group_subscribe_topic(ckafka: Any, example: dict[str, Any]) -> None:
    instance_id = _instance_and_topic(ckafka, example, example["Topic"])
    ckafka.state.add_group(instance_id, example["Group"], offsets={example["Topic"]: [1, 0]})


@seeds_for("DescribeTopicSubscribeGroup")
def _describe_topic_subscribe_group(ckafka: Any, example: dict[str, Any]) -> None:
    topic = example["TopicName"]
    instance_id = _instance_and_topic(ckafka, example, topic)
    ckafka.state.add_group(instance_id, "xx1", offsets={topic: [3, 0]})
    ckafka.state.add_group(instance_id, "xx2", assignor="roundrobin")
    ckafka.state.add_group_member(instance_id, "xx2", assignment={topic: [0, 1]})
