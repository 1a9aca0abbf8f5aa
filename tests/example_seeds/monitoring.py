"""The monitoring family's documented examples: the instances they name."""

from __future__ import annotations

from typing import Any

from . import REFUSED, seeds_for

# "vpc-test"/"subnet-test" are no VPC and subnet ids (8 lowercase letters or digits).
REFUSED["CreatePrometheus"] = (
    "InvalidParameterValue.VpcIdInvalid",
    {"VpcId": "vpc-1a2b3c4d", "SubnetId": "subnet-1a2b3c4d"},
)


@seeds_for("CreatePrometheus", "DescribeCvmInfo")
def seed_instance(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_instance(example["InstanceId"])


@seeds_for("DescribePrometheus")
def seed_scrape_point(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_prometheus(ckafka.state.add_instance(example["InstanceId"]))
