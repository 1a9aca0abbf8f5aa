"""The instance lifecycle family's example seeding (see ``tests/example_seeds``)."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for(
    "ModifyInstancePre",
    "IsolatedInstancePre",
    "RenewCkafkaInstance",
    "DescribeCkafkaVersion",
    "ModifyRoutineMaintenanceTask",
    "DescribeModifyType",
)
def _prepaid_instance(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_instance(example["InstanceId"], pay_mode="PREPAID")


@seeds_for("InstanceScalingDown")
def _pay_as_you_go_instance(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_instance(example["InstanceId"], pay_mode="POSTPAID_BY_HOUR")


@seeds_for("UpgradeBrokerVersion")
def _instance_on_the_source_version(ckafka: Any, example: dict[str, Any]) -> None:
    # The example upgrades Kafka 2.8.1's broker from v2.8.1_r1.1.7 to v2.8.1_r1.1.8.
    ckafka.state.add_instance(
        example["InstanceId"], kafka_version="2.8.1", broker_version=example["SourceVersion"]
    )


@seeds_for("DescribeTypeInstances")
def _instance_the_search_finds(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_instance(example["InstanceId"], name=f"{example['SearchWord']}Test")


@seeds_for("InquireCkafkaPrice")
def _nothing(ckafka: Any, example: dict[str, Any]) -> None:
    """A purchase quote needs no instance."""
