"""``ckafka.state`` for CDC clusters: seed and inspect what CreateCdcCluster builds."""

from __future__ import annotations

from typing import Optional

from ..exceptions import CKafkaUsageError
from .cdc import CDC_ID, CDC_TASK
from .instance_checks import SUBNET_ID, VPC_ID
from .instances import DISK_TYPES
from .models import CdcCluster
from .state_base import StateBase

__all__ = ["CdcState"]


class CdcState(StateBase):
    """Seeding and inspection of CKafka clusters on a CDC."""

    def add_cdc_cluster(
        self,
        cdc_id: str,
        *,
        vpc_id: str = "vpc-00000000",
        subnet_id: str = "subnet-00000000",
        zone_id: int = 100003,
        bandwidth: int = 40,
        disk_size: int = 500,
        disk_type: str = "CLOUD_SSD",
        system_disk_type: str = "CLOUD_SSD",
        done: bool = True,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> int:
        """Add a cluster as CreateCdcCluster builds it; return its task id (CheckCdcCluster's
        ``TaskId``). The task has completed unless ``done=False``."""
        self._check_seed(
            "add_cdc_cluster", cdc_id=cdc_id, vpc_id=vpc_id, subnet_id=subnet_id,
            zone_id=zone_id, bandwidth=bandwidth, disk_size=disk_size, disk_type=disk_type,
            system_disk_type=system_disk_type, done=done, region=region, account=account,
        )  # fmt: skip
        problems = [
            f"{name} {value!r} is not valid"
            for name, value, ok in (
                ("cdc_id", cdc_id, CDC_ID.fullmatch(cdc_id)),
                ("vpc_id", vpc_id, VPC_ID.fullmatch(vpc_id)),
                ("subnet_id", subnet_id, SUBNET_ID.fullmatch(subnet_id)),
                ("disk_type", disk_type, disk_type in DISK_TYPES),
                ("system_disk_type", system_disk_type, system_disk_type in DISK_TYPES),
                ("bandwidth", bandwidth, 20 <= bandwidth <= 100_000),
                ("disk_size", disk_size, disk_size > 0),
            )
            if not ok
        ]
        if problems:
            raise CKafkaUsageError(f"state.add_cdc_cluster: {problems[0]}")
        with self.backend.lock:
            store = self._store(account, region)
            if cdc_id in store.cdc_clusters:
                raise CKafkaUsageError(f"state.add_cdc_cluster: {cdc_id} already has a cluster")
            for other in store.cdc_clusters.values():
                if other.vpc_id != vpc_id:
                    raise CKafkaUsageError(
                        f"state.add_cdc_cluster: the region's CDC clusters are in "
                        f"{other.vpc_id}, not {vpc_id} (one VPC per region)"
                    )
            now = self.backend.clock.now()
            task = self.backend.new_task(store, CDC_TASK, "", now)
            if done:
                task.status = 0
            store.cdc_clusters[cdc_id] = CdcCluster(
                cdc_id=cdc_id,
                vpc_id=vpc_id,
                subnet_id=subnet_id,
                zone_id=zone_id,
                bandwidth=bandwidth,
                disk_size=disk_size,
                disk_type=disk_type,
                system_disk_type=system_disk_type,
                task_id=task.flow_id,
                created_at=now,
            )
        return task.flow_id

    def cdc_clusters(
        self, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[CdcCluster]:
        """The CDC clusters of ``account`` in ``region``, in creation order."""
        with self.backend.lock:
            return list(self._store(account, region).cdc_clusters.values())
