"""Stateful handlers: the security groups of routes (AssociateRoutesSecurityGroup,
DisassociateRoutesSecurityGroup, ModifyRouteSecurityGroups, DescribeSecurityGroupRoutes).

A VPC route (VipType 3), the instance's own RouteId 0 included, keeps an ordered
list of security group ids (:attr:`~.models.Route.security_group_ids`). The fake
has no VPC service: any well-formed ``sg-`` id is a group. Associating a group a
route already has, or disassociating one it lacks, leaves the route as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

from .instance_checks import ROUTE_SECURITY_GROUP_LIMIT, SECURITY_GROUP_ID, check_security_group_id
from .models import Instance, Route
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers
from .routes import find_route, main_route, purge_scheduled

__all__ = [
    "ROUTE_SECURITY_GROUP_LIMIT",
    "SECURITY_GROUP_ID",
    "associate_routes_security_group",
    "check_security_group_id",
    "describe_security_group_routes",
    "disassociate_routes_security_group",
    "modify_route_security_groups",
    "security_group_routes",
]

_VPC_ROUTE = 3
_FILTER_NAME = "security-group-id"
_RELATIONS = ("IN", "NOT_IN")  # RouteFilter.Relation's document


def _route(ctx: Context, instance_id: str, route_id: int) -> Route:
    """The route ``route_id`` of running ``instance_id``, which must be a VPC route."""
    instance = ctx.running(ctx.instance_by_id(instance_id))
    route = find_route(instance, route_id)
    if route is None:
        known = sorted(instance.routes)
        if main_route(instance) is not None:
            known.insert(0, 0)
        ctx.fail(
            "ResourceNotFound",
            f"The route {route_id} does not exist in instance `{instance_id}`; "
            f"its routes: {', '.join(map(str, known))}.",
        )
    if route.vip_type != _VPC_ROUTE:
        ctx.fail(
            "UnsupportedOperation",
            f"Route {route_id} of instance `{instance_id}` is VipType {route.vip_type}; "
            "only VPC routes (VipType 3) take security groups.",
        )
    return route


def _routes(ctx: Context) -> list[Route]:
    """The routes ``InstanceRoutes`` names, each once, in order; all of them must exist."""
    items = ctx.get("InstanceRoutes") or []  # the spec's validation refuses an empty list
    found: dict[tuple[str, int], Route] = {}
    for item in items:
        key = (str(item.get("InstanceId", "")), int(item.get("RouteId", 0)))
        if key not in found:
            found[key] = _route(ctx, *key)
    return list(found.values())


@answers("AssociateRoutesSecurityGroup")
def associate_routes_security_group(ctx: Context) -> Body:
    """Add the security group to every route listed (a route that has it keeps it)."""
    group_id = str(ctx.get("SecurityGroupId", ""))
    check_security_group_id(ctx, group_id)
    routes = _routes(ctx)
    for route in routes:
        groups = route.security_group_ids
        if group_id not in groups and len(groups) >= ROUTE_SECURITY_GROUP_LIMIT:
            ctx.fail(
                "LimitExceeded",
                f"Route {route.route_id} already has {len(groups)} security groups, the most "
                f"a route may have ({ROUTE_SECURITY_GROUP_LIMIT}); disassociate one first.",
            )
    for route in routes:
        if group_id not in route.security_group_ids:
            route.security_group_ids.append(group_id)
    return _done(ctx)


@answers("DisassociateRoutesSecurityGroup")
def disassociate_routes_security_group(ctx: Context) -> Body:
    """Remove the security group from every route listed (a route without it is left as is)."""
    group_id = str(ctx.get("SecurityGroupId", ""))
    check_security_group_id(ctx, group_id)
    for route in _routes(ctx):
        if group_id in route.security_group_ids:
            route.security_group_ids.remove(group_id)
    return _done(ctx)


@answers("ModifyRouteSecurityGroups")
def modify_route_security_groups(ctx: Context) -> Body:
    """Replace the route's security groups by the ordered list (none: unbind them all)."""
    named = ctx.get("InstanceRoute") or {}
    instance_id = str(named.get("InstanceId", ""))
    if not instance_id:
        ctx.reject_shape(
            "The parameter `InstanceRoute.InstanceId` must not be empty.",
            "InvalidParameterValue.NotAllowedEmpty",
        )
    groups = [str(g) for g in ctx.get("SecurityGroupIds") or []]
    for group_id in groups:
        if not group_id:
            ctx.reject_shape(
                "The parameter `SecurityGroupIds` must not hold an empty id.",
                "InvalidParameterValue.NotAllowedEmpty",
            )
        check_security_group_id(ctx, group_id)
    repeated = sorted({g for g in groups if groups.count(g) > 1})
    if repeated:
        ctx.reject_shape(f"The security group `{repeated[0]}` is listed more than once.")
    if len(groups) > ROUTE_SECURITY_GROUP_LIMIT:
        ctx.reject_shape(
            f"The parameter `SecurityGroupIds` lists {len(groups)} security groups; "
            f"a route may have at most {ROUTE_SECURITY_GROUP_LIMIT}.",
            "LimitExceeded",
        )
    route = _route(ctx, instance_id, int(named.get("RouteId", 0)))
    route.security_group_ids = list(dict.fromkeys(groups))
    return _done(ctx)


def _done(ctx: Context) -> Body:
    return {
        "Result": ctx.shape("SecurityGroupRouteOperateResp", ReturnCode="0", ReturnMessage="ok")
    }


# -- DescribeSecurityGroupRoutes ---------------------------------------------------------


def security_group_routes(instances: Iterator[Instance]) -> Iterator[tuple[Instance, Route]]:
    """Every VPC route of ``instances``: each instance's main route first, then by RouteId."""
    for instance in instances:
        main = main_route(instance)
        kept = sorted(instance.routes.values(), key=lambda r: r.route_id)
        for route in ([main] if main is not None else []) + kept:
            if route.vip_type == _VPC_ROUTE:
                yield instance, route


def _group_filter(ctx: Context) -> list[Callable[[tuple[Instance, Route]], bool]]:
    tests: list[Callable[[tuple[Instance, Route]], bool]] = []
    for item in ctx.get("Filters") or ():
        name = str(item.get("Name", ""))
        values = [str(v) for v in item.get("Values") or ()]
        relation = str(item.get("Relation") or "IN")
        if name != _FILTER_NAME:
            ctx.reject_shape(
                f"The filter `{name}` is not supported here; valid names: {_FILTER_NAME}.",
                "InvalidFilter",
            )
            continue
        if len(values) > 1:  # RouteFilter.Values: "仅支持传单个value"
            ctx.reject_shape(
                f"The filter `{name}` has {len(values)} values; at most 1 is allowed.",
                "InvalidFilter",
            )
        if relation not in _RELATIONS:
            ctx.reject_shape(
                f"The filter relation `{relation}` is not supported; valid values: "
                f"{', '.join(_RELATIONS)}.",
                "InvalidFilter",
            )
            continue
        wanted = set(values)
        inside = relation == "IN"

        def test(
            pair: tuple[Instance, Route], wanted: set[str] = wanted, inside: bool = inside
        ) -> bool:
            return bool(wanted & set(pair[1].security_group_ids)) == inside

        tests.append(test)
    return tests


@answers("DescribeSecurityGroupRoutes")
def describe_security_group_routes(ctx: Context) -> Body:
    """The VPC routes of the caller's instances with their security groups, paged."""
    offset, limit = window(ctx)
    tests = _group_filter(ctx)
    named = ctx.get("InstanceRoute")
    if named:
        key = (str(named.get("InstanceId", "")), int(named.get("RouteId", 0)))
        tests.append(lambda pair: (pair[0].instance_id, pair[1].route_id) == key)
    word = ctx.get("SearchWord")
    if word:
        tests.append(lambda pair: matches(word, pair[0].instance_id, pair[0].name, pair[1].vip))
    for instance in ctx.store.instances.values():
        purge_scheduled(instance, ctx.now)
    pairs = security_group_routes(iter(ctx.store.instances.values()))
    total, listed = count_and_page(keep(pairs, *tests), None, offset, limit)
    return {
        "Result": {
            "TotalCount": total,
            "SecurityGroupRoutes": [_describe(ctx, *pair) for pair in listed],
        }
    }


def _describe(ctx: Context, instance: Instance, route: Route) -> dict[str, Any]:
    return ctx.shape(
        "SecurityGroupRoute",
        InstanceRoute={"InstanceId": instance.instance_id, "RouteId": route.route_id},
        SecurityGroupIds=list(route.security_group_ids),
        InstanceName=instance.name,
        VpcId=route.vpc_id,
        Vip=route.vip,
    )
