"""Stateful handlers: access routes (CreateRoute, DescribeRoute, DeleteRoute,
DeleteRouteTriggerTime).

A route is one more way into an instance: a VPC route (VipType 3), a public
network route (VipType 1) or an internal support route (VipType 7), each with
an access type (PLAINTEXT, SASL...). The route an instance is created with is
kept apart, as the instance's ``main_route`` (RouteId 0, built from the
instance's own VPC and vip): ``MainRouteFlag`` shows it, and it cannot be deleted.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Optional

from .brokers import BROKERS
from .instance_checks import (
    ROUTE_SECURITY_GROUP_LIMIT,
    SUBNET_ID,
    VPC_ID,
    check_address,
    check_security_group_id,
)
from .models import MAIN_ROUTE_ID, AccessPolicy, Instance, Route
from .registry import Body, Context, answers
from .times import beijing_datetime, parse_beijing_datetime

__all__ = [
    "MAIN_ROUTE_ID",
    "ROUTE_LIMIT",
    "create_route",
    "delete_route",
    "delete_route_trigger_time",
    "describe_route",
    "drop_route",
    "find_route",
    "main_route",
    "purge_scheduled",
]

ROUTE_LIMIT = 5
"""Routes one instance may add. The CKafka console guide ("Configuring a routing
policy") says: "Up to 5 routes can be created per instance"."""

# From CreateRoute's AccessType document: which access types each VipType supports.
_VIP_TYPES = {1: "public network", 3: "VPC", 7: "internal support"}
_ACCESS_TYPES = {
    0: "PLAINTEXT",
    1: "SASL_PLAINTEXT",
    3: "SASL_SSL",
    4: "SASL_SCRAM_SHA_256",
    5: "SASL_SCRAM_SHA_512",
}
_ACCESS_BY_VIP_TYPE = {3: (0, 1, 3, 4, 5), 7: (0, 1, 3), 1: (1, 3)}
# The console guide: "There is only one route if the SASL_PLAINTEXT access mode is selected."
_SASL_PLAINTEXT = 1
# DeleteRouteTime: "any time in the next 24 hours".
_SCHEDULE_WINDOW = 86_400.0


def _describe(choices: dict[int, str]) -> str:
    return ", ".join(f"{k} ({v})" for k, v in choices.items())


def purge_scheduled(instance: Instance, now: float) -> None:
    """Drop the routes whose scheduled deletion time has passed (the fake clock moved)."""
    for route_id in [
        r.route_id
        for r in instance.routes.values()
        if r.delete_at is not None and r.delete_at <= now
    ]:
        drop_route(instance, route_id)


def drop_route(instance: Instance, route_id: int) -> None:
    """Delete a route and what belongs to it (its IP whitelist)."""
    del instance.routes[route_id]
    instance.access_policies.pop(route_id, None)


def main_route(instance: Instance) -> Optional[Route]:
    """The route the instance was created with, unless a kept route already is it
    (one seeded with the instance's own vip and vport)."""
    for route in instance.routes.values():
        if route.vip == instance.vip and route.vport == instance.vport:
            return None
    return instance.main_route


def find_route(instance: Instance, route_id: int) -> Optional[Route]:
    """The route ``route_id`` of ``instance``: a kept one, or RouteId 0, its main route."""
    route = instance.routes.get(route_id)
    if route is None and route_id == MAIN_ROUTE_ID:
        return main_route(instance)
    return route


# -- CreateRoute -------------------------------------------------------------------


def _check_vpc(ctx: Context, vip_type: int) -> tuple[str, str]:
    vpc_id = str(ctx.get("VpcId", ""))
    subnet_id = str(ctx.get("SubnetId", ""))
    if vip_type == 3:
        for name, value in (("VpcId", vpc_id), ("SubnetId", subnet_id)):
            if not value:
                ctx.reject_shape(
                    f"The parameter `{name}` is required when VipType is 3 (VPC).",
                    "MissingParameter",
                )
    if vpc_id and not VPC_ID.fullmatch(vpc_id):
        ctx.reject_shape(
            f"The VpcId `{vpc_id}` is not a VPC id; "
            "expected `vpc-` and 8 lowercase letters or digits.",
            "InvalidParameterValue.VpcIdInvalid",
        )
    if subnet_id and not SUBNET_ID.fullmatch(subnet_id):
        ctx.reject_shape(
            f"The SubnetId `{subnet_id}` is not a subnet id; "
            "expected `subnet-` and 8 lowercase letters or digits.",
            "InvalidParameterValue.SubnetIdInvalid",
        )
    return vpc_id, subnet_id


def _check_public(ctx: Context, vip_type: int) -> None:
    bandwidth = ctx.get("PublicNetwork")
    if vip_type == 1:
        if bandwidth is None:
            ctx.reject_shape(
                "The parameter `PublicNetwork` (public bandwidth, a multiple of 3) is required "
                "when VipType is 1 (public network).",
                "MissingParameter",
            )
        elif bandwidth <= 0 or bandwidth % 3:
            ctx.reject_shape(
                f"The parameter `PublicNetwork` must be a positive multiple of 3, got {bandwidth}."
            )
    elif ctx.get("IpWhitelist"):
        ctx.reject_shape(
            "The parameter `IpWhitelist` only applies to VipType 1 (public network), "
            f"got VipType {vip_type}."
        )


def _check_groups(ctx: Context, vip_type: int) -> list[str]:
    """``SecurityGroupIds``, the ordered security groups of a VPC route (VipType 3)."""
    groups = [str(g) for g in ctx.get("SecurityGroupIds") or ()]
    if groups and vip_type != 3:
        ctx.reject_shape(
            "The parameter `SecurityGroupIds` only applies to VipType 3 (VPC), "
            f"got VipType {vip_type}."
        )
    for group_id in groups:
        check_security_group_id(ctx, group_id)
    repeated = sorted({g for g in groups if groups.count(g) > 1})
    if repeated:
        ctx.reject_shape(f"The security group `{repeated[0]}` is listed more than once.")
    if len(groups) > ROUTE_SECURITY_GROUP_LIMIT:
        ctx.reject_shape(
            f"The parameter `SecurityGroupIds` lists {len(groups)} security groups; "
            f"a route may have at most {ROUTE_SECURITY_GROUP_LIMIT}."
        )
    return list(dict.fromkeys(groups))


def _check_whitelist(ctx: Context) -> list[dict[str, str]]:
    """``IpWhitelist``, a public route's preset IP whitelist (``_check_public`` refuses it
    for another VipType)."""
    entries: list[dict[str, str]] = []
    for index, item in enumerate(ctx.get("IpWhitelist") or ()):
        block = str(item.get("CidrBlock") or "")
        check_address(ctx, f"IpWhitelist.{index}.CidrBlock", block)
        if any(entry["CidrBlock"] == block for entry in entries):
            ctx.reject_shape(
                f"The CIDR block `{block}` appears more than once in `IpWhitelist`; list each once."
            )
            continue
        entries.append(
            {"CidrBlock": block, "PolicyDescription": str(item.get("PolicyDescription") or "")}
        )
    return entries


def _check_ip(ctx: Context, taken: list[Route]) -> str:
    ip = str(ctx.get("Ip", ""))
    if not ip:
        return ""
    try:
        ipaddress.IPv4Address(ip)
    except ValueError:
        ctx.reject_shape(f"The parameter `Ip` must be an IPv4 address, got `{ip}`.")
    for route in taken:
        if route.vip == ip:
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"The vip `{ip}` is already used by route {route.route_id}.",
            )
    return ip


def _new_vip(vip_type: int, route_id: int) -> tuple[str, str]:
    """A deterministic vip/vport: private for VPC routes, a documentation address if public."""
    if vip_type == 1:
        return f"203.0.113.{route_id % 254 + 1}", "50000"
    return f"10.0.{(route_id // 200) % 256}.{route_id % 200 + 20}", "9092"


@answers("CreateRoute")
def create_route(ctx: Context) -> Body:
    """Add a route; the route exists at once, the task (FlowId) reports the rollout."""
    instance = ctx.running_instance()
    purge_scheduled(instance, ctx.now)
    vip_type = int(ctx.get("VipType"))
    if vip_type not in _VIP_TYPES:
        ctx.reject_shape(
            f"The VipType {vip_type} is not valid; valid values: {_describe(_VIP_TYPES)}."
        )
    access_type = int(ctx.get("AccessType", 0))
    supported = _ACCESS_BY_VIP_TYPE.get(vip_type, ())
    if supported and access_type not in supported:
        choices = {k: _ACCESS_TYPES[k] for k in supported}
        ctx.reject_shape(
            f"The AccessType {access_type} is not supported for VipType {vip_type} "
            f"({_VIP_TYPES[vip_type]}); valid values: {_describe(choices)}."
        )
    vpc_id, subnet_id = _check_vpc(ctx, vip_type)
    _check_public(ctx, vip_type)
    groups = _check_groups(ctx, vip_type)
    whitelist = _check_whitelist(ctx)
    existing = list(instance.routes.values())
    main = main_route(instance)
    taken = existing + ([main] if main else [])
    ip = _check_ip(ctx, taken)
    for route in taken:
        if (route.vip_type, route.access_type, route.vpc_id, route.subnet_id) == (
            vip_type,
            access_type,
            vpc_id,
            subnet_id,
        ):
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"Route {route.route_id} of instance `{instance.instance_id}` already gives "
                f"VipType {vip_type} access with AccessType {access_type}"
                + (f" in `{vpc_id}`/`{subnet_id}`." if vpc_id else "."),
            )
    if access_type == _SASL_PLAINTEXT:
        for route in taken:
            if route.access_type == _SASL_PLAINTEXT:
                ctx.fail(
                    "LimitExceeded.RouteSASLOverLimit",
                    f"Instance `{instance.instance_id}` already has a SASL_PLAINTEXT route "
                    f"({route.route_id}); an instance may have only one.",
                )
    if len(existing) >= ROUTE_LIMIT:
        ctx.fail(
            "LimitExceeded.RouteOverLimit",
            f"Instance `{instance.instance_id}` already has {len(existing)} routes, "
            f"the most an instance may add ({ROUTE_LIMIT}); delete one first.",
        )
    route_id = ctx.backend.next_number()
    vip, vport = _new_vip(vip_type, route_id)
    route = Route(
        route_id,
        vip_type,
        access_type,
        ip or vip,
        vport,
        ctx.now,
        vpc_id if vip_type != 1 else "",
        subnet_id if vip_type != 1 else "",
        str(ctx.get("Note", "")),
    )
    route.security_group_ids = groups
    instance.routes[route_id] = route
    if whitelist:  # the public route's access policy, as ModifyAccessPolicy sets it
        instance.access_policies[route_id] = AccessPolicy(route_id, whitelist)
    task = ctx.new_task("CreateRoute", instance.instance_id)
    answer = ctx.operate(task.flow_id)
    answer["Result"]["Data"]["RouteDTO"] = {"RouteId": route_id}
    return answer


# -- DescribeRoute -----------------------------------------------------------------


def _route_body(ctx: Context, instance: Instance, route: Route) -> dict[str, Any]:
    port = int(route.vport) if route.vport.isdigit() else 0
    public = route.vip_type == 1
    return ctx.shape(
        "Route",
        AccessType=route.access_type,
        RouteId=route.route_id,
        VipType=route.vip_type,
        VipList=[{"Vip": route.vip, "Vport": route.vport}],
        BrokerVipList=[{"Vip": route.vip, "Vport": str(port + n + 1)} for n in range(BROKERS)],
        Domain=f"{instance.instance_id}.{ctx.region}.ckafka.tencentcloudmq.com" if public else "",
        DomainPort=port if public else 0,
        DeleteTimestamp="" if route.delete_at is None else beijing_datetime(route.delete_at),
        Subnet=route.subnet_id,
        VpcId=route.vpc_id,
        Note=route.note,
        Status=2,  # created: the fake rolls a route out at once (its task reports the flow)
    )


@answers("DescribeRoute")
def describe_route(ctx: Context) -> Body:
    """The instance's routes, or the one ``RouteId`` names; the main route on request."""
    instance = ctx.instance()
    purge_scheduled(instance, ctx.now)
    routes = sorted(instance.routes.values(), key=lambda r: r.route_id)
    main = main_route(instance) if ctx.get("MainRouteFlag", False) else None
    if main is not None:
        routes.insert(0, main)
    route_id = ctx.get("RouteId")
    if route_id is not None:
        routes = [r for r in routes if r.route_id == route_id]
        if not routes:
            known = ", ".join(str(r) for r in sorted(instance.routes)) or "none"
            ctx.fail(
                "ResourceNotFound",
                f"The route {route_id} does not exist in instance `{instance.instance_id}`; "
                f"its routes: {known}.",
            )
    return {"Result": {"Routers": [_route_body(ctx, instance, r) for r in routes]}}


# -- DeleteRoute ---------------------------------------------------------------------


def _parse_schedule(ctx: Context, route: Route, text: str) -> float:
    if route.vip_type != 1:
        ctx.fail(
            "UnsupportedOperation",
            "Only public network routes (VipType 1) can be deleted on a schedule; "
            f"route {route.route_id} is VipType {route.vip_type} "
            f"({_VIP_TYPES.get(route.vip_type, 'unknown')}).",
        )
    return _read_schedule(ctx, "DeleteRouteTime", text)


def _read_schedule(ctx: Context, member: str, text: str) -> float:
    """A deletion time: Beijing ``YYYY-MM-DD HH:MM:SS`` within the next 24 hours."""
    try:
        when = parse_beijing_datetime(text)
    except ValueError:
        # Not a shape rule: a schedule the fake cannot read is no time to delete at.
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `{member}` must be `YYYY-MM-DD HH:MM:SS`, got `{text}`.",
        )
    latest = ctx.now + _SCHEDULE_WINDOW
    if not ctx.now < when <= latest:
        ctx.reject_shape(
            f"The parameter `{member}` must be within the next 24 hours, after "
            f"{beijing_datetime(ctx.now)} and no later than {beijing_datetime(latest)}; "
            f"got `{text}`."
        )
    return when


@answers("DeleteRoute")
def delete_route(ctx: Context) -> Body:
    """Delete a route now (a task reports it), or schedule it with ``DeleteRouteTime``."""
    instance = ctx.instance()
    purge_scheduled(instance, ctx.now)
    route_id = int(ctx.get("RouteId"))
    route = instance.routes.get(route_id)
    if route is None:
        if route_id == MAIN_ROUTE_ID and main_route(instance) is not None:
            ctx.fail(
                "UnsupportedOperation",
                f"Route {MAIN_ROUTE_ID} is the route instance `{instance.instance_id}` was "
                "created with; it cannot be deleted.",
            )
        known = ", ".join(str(r) for r in sorted(instance.routes)) or "none"
        ctx.fail(
            "ResourceNotFound",
            f"The route {route_id} does not exist in instance `{instance.instance_id}`; "
            f"its routes: {known}.",
        )
    text = str(ctx.get("DeleteRouteTime", ""))
    if text:
        route.delete_at = _parse_schedule(ctx, route, text)
        # Nothing runs until the time comes, so there is no flow to report yet.
        return ctx.operate(0)
    drop_route(instance, route_id)
    task = ctx.new_task("DeleteRoute", instance.instance_id)
    return ctx.operate(task.flow_id)


# -- DeleteRouteTriggerTime -------------------------------------------------------------


@answers("DeleteRouteTriggerTime")
def delete_route_trigger_time(ctx: Context) -> Body:
    """Move the scheduled deletion of the instance's routes (DeleteRoute's DeleteRouteTime)."""
    instance = ctx.instance()
    purge_scheduled(instance, ctx.now)
    when = _read_schedule(ctx, "DelayTime", str(ctx.get("DelayTime", "")))
    scheduled = [r for r in instance.routes.values() if r.delete_at is not None]
    if not scheduled:
        ctx.fail(
            "FailedOperation",
            f"Instance `{instance.instance_id}` has no route scheduled for deletion; "
            "schedule one with DeleteRoute's `DeleteRouteTime` first.",
        )
    for route in scheduled:
        route.delete_at = when
    return {}
