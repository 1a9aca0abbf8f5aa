"""The instances, topics, connect resources and tasks the DataHub task examples name."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for("CreateDatahubTask")
def _the_source_topic(ckafka: Any, example: dict[str, Any]) -> None:
    kafka = example["SourceResource"]["KafkaParam"]
    ckafka.state.add_instance(kafka["Resource"])
    ckafka.state.add_topic(kafka["Resource"], kafka["Topic"])


@seeds_for(
    "CreateMetaSyncDatahubTask",
    "CreateMetaAndDataSyncDatahubTask",
    "CreateMetaDataAndOffsetSyncDatahubTask",
)
def _two_kafka_connections(ckafka: Any, example: dict[str, Any]) -> None:
    instance_id = ckafka.state.add_instance()
    for topic in example.get("TopicList", []):
        ckafka.state.add_topic(instance_id, topic)
    ckafka.state.add_connect_resource(
        "source",
        params={"SelfBuilt": False, "Resource": instance_id},
        resource_id=example["SourceResourceId"],
    )
    ckafka.state.add_connect_resource("target", resource_id=example["TargetResourceId"])


@seeds_for(
    "DescribeDatahubTask",
    "ModifyDatahubTask",
    "DeleteDatahubTask",
    "PauseDatahubTask",
    "RestartDatahubTask",
)
def _a_running_task(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_datahub_task(task_id=example["TaskId"])


@seeds_for("ResumeDatahubTask")
def _a_paused_task(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_datahub_task(task_id=example["TaskId"], status=6)


@seeds_for("DescribeDatahubTasks")
def _a_task_of_the_type(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_datahub_task(task_type=example["TaskType"])
