"""``ckafka.state`` for monitoring: seed and inspect the Prometheus scrape points."""

from __future__ import annotations

from typing import Optional

from ..exceptions import CKafkaUsageError
from .instance_checks import SUBNET_ID, VPC_ID
from .instance_views import instance_type
from .models import Prometheus
from .monitoring import prometheus_vip
from .state_base import StateBase

__all__ = ["MonitoringState"]


class MonitoringState(StateBase):
    """Seeding and inspection of what CreatePrometheus opens (DescribeCvmInfo needs none)."""

    def add_prometheus(
        self,
        instance_id: str,
        *,
        vpc_id: Optional[str] = None,
        subnet_id: Optional[str] = None,
    ) -> int:
        """Open the brokers' exporters to Prometheus, as CreatePrometheus does; return the
        scrape point's RouteId. ``vpc_id`` and ``subnet_id`` default to the instance's."""
        self._check_seed(
            "add_prometheus", instance_id=instance_id, vpc_id=vpc_id, subnet_id=subnet_id
        )
        with self.backend.lock:
            instance = self.instance(instance_id)
            vpc = instance.vpc_id if vpc_id is None else vpc_id
            subnet = instance.subnet_id if subnet_id is None else subnet_id
            if not (VPC_ID.fullmatch(vpc) and SUBNET_ID.fullmatch(subnet)):
                raise CKafkaUsageError(
                    f"state.add_prometheus: {vpc!r}/{subnet!r} is no VPC/subnet id pair "
                    "(`vpc-`/`subnet-` and 8 lowercase letters or digits)"
                )
            if instance_type(instance) == "standard":
                raise CKafkaUsageError(
                    f"state.add_prometheus: {instance_id} is a Standard Edition instance, "
                    "which has no exporters to open"
                )
            for point in instance.prometheus.values():
                if (point.vpc_id, point.subnet_id) == (vpc, subnet):
                    raise CKafkaUsageError(
                        f"state.add_prometheus: {instance_id} already has scrape point "
                        f"{point.route_id} in {vpc}/{subnet}"
                    )
            route_id = self.backend.next_number()
            instance.prometheus[route_id] = Prometheus(
                route_id, vpc, subnet, prometheus_vip(route_id), self.backend.clock.now()
            )
        return route_id

    def prometheus(self, instance_id: str) -> list[Prometheus]:
        """The Prometheus scrape points of ``instance_id``, oldest first."""
        with self.backend.lock:
            points = self.instance(instance_id).prometheus.values()
            return sorted(points, key=lambda p: p.route_id)
