"""The connect resources the documented examples of the connect family refer to."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for("CreateConnectResource")
def _nothing(ckafka: Any, example: dict[str, Any]) -> None:
    """A DTS connection needs nothing seeded: DTS is outside CKafka."""


@seeds_for("DescribeConnectResource", "DeleteConnectResource", "ModifyConnectResource")
def _the_example_resource(ckafka: Any, example: dict[str, Any]) -> None:
    # The examples name `reource-test` (sic); ModifyConnectResource's is a DTS connection to
    # the DTS instance `resource`.
    params = dict(example.get("DtsConnectParam") or {"Resource": "resource"})
    ckafka.state.add_connect_resource(
        "dts-connection", resource_type="DTS", params=params, resource_id=example["ResourceId"]
    )


@seeds_for("DescribeConnectResources")
def _a_kafka_connection_to_find(ckafka: Any, example: dict[str, Any]) -> None:
    ckafka.state.add_connect_resource(example["SearchWord"], resource_type=example["Type"])
