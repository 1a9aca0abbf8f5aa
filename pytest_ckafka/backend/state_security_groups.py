"""``ckafka.state`` for route security groups: seed and inspect what a route is bound to."""

from __future__ import annotations

from ..exceptions import CKafkaUsageError
from .models import MAIN_ROUTE_ID, Route
from .routes import find_route, main_route
from .security_groups import ROUTE_SECURITY_GROUP_LIMIT, SECURITY_GROUP_ID
from .state_base import StateBase

__all__ = ["SecurityGroupState"]

_VPC_ROUTE = 3


class SecurityGroupState(StateBase):
    """Seeding and inspection of the security groups of VPC routes."""

    def add_security_group(
        self, instance_id: str, security_group_id: str, *, route_id: int = MAIN_ROUTE_ID
    ) -> None:
        """Bind ``security_group_id`` to a VPC route (default: RouteId 0, the instance's own).

        As AssociateRoutesSecurityGroup does: a group the route has already is kept once.
        """
        self._check_seed(
            "add_security_group",
            instance_id=instance_id,
            security_group_id=security_group_id,
            route_id=route_id,
        )
        if not SECURITY_GROUP_ID.fullmatch(security_group_id):
            raise CKafkaUsageError(
                f"state.add_security_group: {security_group_id!r} is not a security group id "
                "(`sg-` and 8 lowercase letters or digits)"
            )
        with self.backend.lock:
            route = self._vpc_route("add_security_group", instance_id, route_id)
            groups = route.security_group_ids
            if security_group_id in groups:
                return
            if len(groups) >= ROUTE_SECURITY_GROUP_LIMIT:
                raise CKafkaUsageError(
                    f"state.add_security_group: route {route_id} of {instance_id} already has "
                    f"{len(groups)} security groups, the most a route may have "
                    f"({ROUTE_SECURITY_GROUP_LIMIT})"
                )
            groups.append(security_group_id)

    def security_groups(self, instance_id: str, route_id: int = MAIN_ROUTE_ID) -> list[str]:
        """The security group ids of a route (default: RouteId 0), in their order."""
        with self.backend.lock:
            return list(
                self._vpc_route("security_groups", instance_id, route_id).security_group_ids
            )

    def main_route(self, instance_id: str) -> Route:
        """The route ``instance_id`` was created with (RouteId 0), which cannot be deleted."""
        with self.backend.lock:
            route = self.instance(instance_id).main_route
            assert route is not None  # Instance.__post_init__ builds it
            return route

    def _vpc_route(self, method: str, instance_id: str, route_id: int) -> Route:
        instance = self.instance(instance_id)
        route = find_route(instance, route_id)
        if route is None:
            main = [MAIN_ROUTE_ID] if main_route(instance) is not None else []
            known = ", ".join(str(r) for r in [*main, *sorted(instance.routes)])
            raise CKafkaUsageError(
                f"state.{method}: {instance_id} has no route {route_id}; its routes: {known}"
            )
        if route.vip_type != _VPC_ROUTE:
            raise CKafkaUsageError(
                f"state.{method}: route {route_id} of {instance_id} is VipType {route.vip_type}; "
                "only VPC routes (VipType 3) take security groups"
            )
        return route
