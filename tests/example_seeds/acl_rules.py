"""Seeding for the documented examples of the ACL-rule actions (``acl_rules`` family)."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for("CreateAclRule", "DescribeAclRule", "ModifyAclRule", "DeleteAclRule")
def seed_acl_rule_example(ckafka: Any, example: dict[str, Any]) -> None:
    """The example's instance, a topic a prefix rule matches, and the rule it names."""
    state = ckafka.state
    instance_id = example["InstanceId"]
    state.add_instance(instance_id)
    state.add_topic(instance_id, "topic123-orders")
    if example.get("ResourceType"):  # CreateAclRule: the rule is what it creates
        return
    # DescribeAclRule lists PREFIXED rules; ModifyAclRule modifies a PRESET one.
    prefixed = example.get("PatternType") == "PREFIXED"
    state.add_acl_rule(
        instance_id,
        example["RuleName"],
        pattern_type="PREFIXED" if prefixed else "PRESET",
        pattern="topic123" if prefixed else "",
    )
