"""The route security groups' documented examples: the routes they name, in their instance."""

from __future__ import annotations

from typing import Any

from . import REFUSED, seeds_for

# "sg-xxx1" is no security group id: `sg-` and 8 lowercase letters or digits.
for _action in ("AssociateRoutesSecurityGroup", "DisassociateRoutesSecurityGroup"):
    REFUSED[_action] = ("InvalidParameterValue", {"SecurityGroupId": "sg-12345678"})
REFUSED["ModifyRouteSecurityGroups"] = (
    "InvalidParameterValue",
    {"SecurityGroupIds": ["sg-12345678", "sg-87654321"]},
)


def _vpc_routes(ckafka: Any, instance_id: str, count: int) -> list[int]:
    """``count`` VPC routes CreateRoute would make side by side (one access type each)."""
    ckafka.state.add_instance(instance_id)
    return [
        ckafka.state.add_route(instance_id, access_type=access, vip=f"10.0.0.{21 + n}")
        for n, access in enumerate((1, 3, 4)[:count])
    ]


@seeds_for("AssociateRoutesSecurityGroup", "DisassociateRoutesSecurityGroup")
def seed_routes(ckafka: Any, example: dict[str, Any]) -> None:
    pairs = example["InstanceRoutes"]
    route_ids = _vpc_routes(ckafka, pairs[0]["InstanceId"], len(pairs))
    # Route ids are the fake's to give: the example's (1234...) become the seeded ones.
    example["InstanceRoutes"] = [
        {**pair, "RouteId": route_id} for pair, route_id in zip(pairs, route_ids)
    ]


@seeds_for("ModifyRouteSecurityGroups")
def seed_route(ckafka: Any, example: dict[str, Any]) -> None:
    named = example["InstanceRoute"]
    (route_id,) = _vpc_routes(ckafka, named["InstanceId"], 1)
    example["InstanceRoute"] = {**named, "RouteId": route_id}


@seeds_for("DescribeSecurityGroupRoutes")
def seed_instance(ckafka: Any, example: dict[str, Any]) -> None:
    instance_id = ckafka.state.add_instance()
    ckafka.state.add_security_group(instance_id, "sg-12345678")
