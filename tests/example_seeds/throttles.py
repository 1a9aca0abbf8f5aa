"""Seeding for the documented examples of the throttle actions (``throttles`` family)."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for(
    "CreateThrottleRule", "DescribeThrottleRules", "ModifyThrottleRule", "DeleteThrottleRule"
)
def seed_throttle_example(ckafka: Any, example: dict[str, Any]) -> None:
    """The example's instance and, but for CreateThrottleRule, the rules up to its id."""
    state = ckafka.state
    instance_id = example["InstanceId"]
    state.add_instance(instance_id)
    if "ThrottleType" in example:  # CreateThrottleRule: the rule is what it creates
        return
    wanted = int(example.get("ThrottleRuleId", 1))
    ids = [state.add_throttle_rule(instance_id, f"user-{n}") for n in range(wanted)]
    assert ids[-1] == wanted  # a fresh backend numbers rules from 1
