"""Seeding for the documented examples of the token and access actions (``access`` family)."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for("CreateToken", "AuthorizeToken", "CancelAuthorizationToken")
def seed_token_example(ckafka: Any, example: dict[str, Any]) -> None:
    """The example's instance, its user and (to authorize or cancel) the token it names."""
    state = ckafka.state
    instance_id = example["InstanceId"]
    state.add_instance(instance_id)
    state.add_user(instance_id, example["User"], "Passw0rd")
    if "Tokens" in example:
        # Authorized or not, both examples succeed: neither grant nor cancel is refused twice.
        state.add_token(instance_id, example["User"], token=example["Tokens"])


@seeds_for("DescribeAccessPolicy", "ModifyAccessPolicy")
def seed_access_policy_example(ckafka: Any, example: dict[str, Any]) -> None:
    """The example's instance and a public route with a whitelist; the example names its id."""
    state = ckafka.state
    instance_id = example["InstanceId"]
    state.add_instance(instance_id)
    route_id = state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    state.add_access_policy(
        instance_id,
        route_id,
        ip_whitelist=[{"CidrBlock": "10.0.0.0/24", "PolicyDescription": "office"}],
    )
    example["RouteId"] = route_id  # ids are made by the fake, not chosen


@seeds_for("CreateTopicIpWhiteList")
def seed_topic_whitelist_example(ckafka: Any, example: dict[str, Any]) -> None:
    """The example's instance and topic."""
    ckafka.state.add_instance(example["InstanceId"])
    ckafka.state.add_topic(example["InstanceId"], example["TopicName"])
