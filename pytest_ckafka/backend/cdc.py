"""Stateful handlers: CKafka clusters on a CDC, a Cloud Dedicated Cluster
(CreateCdcCluster, CheckCdcCluster).

CreateCdcCluster records the cluster (:class:`~.models.CdcCluster`) and starts a task
whose id it answers; CheckCdcCluster reports that task: ``Running`` until it
completes (the backend's ``ready_after_*`` settings, as for DescribeTaskStatus), then
``Success``, the word its reference documents. The CDC's hardware is outside the
fake, and the API names no instance for the cluster, so none is added to
DescribeInstances.
"""

from __future__ import annotations

import re

from .instance_checks import SUBNET_ID, VPC_ID, check_choice, check_number, check_zones
from .instances import DISK_TYPES
from .models import CdcCluster
from .registry import Body, Context, answers

__all__ = ["CDC_ID", "CDC_TASK", "check_cdc_cluster", "create_cdc_cluster"]

CDC_ID = re.compile(r"cluster-[a-z0-9]{8}")
"""A CDC id, as the documented example's ``cluster-d8htgb6k``."""

CDC_TASK = "CreateCdcCluster"
"""The kind of the task CreateCdcCluster starts (``ckafka.state.tasks()``)."""

# CreateCdcCluster's Bandwidth document: "最小值:20MB/s ... 专业版最大值:100000MB/s".
_BANDWIDTH = (20, 100_000)
# CheckCdcCluster's Result: "返回结果状态Success"; the other words are the fake's.
_STATUS_WORDS = {0: "Success", 1: "Failed", 2: "Running"}


def _check_shape(ctx: Context) -> tuple[str, str, str]:
    cdc_id = str(ctx.get("CdcId", ""))
    if not CDC_ID.fullmatch(cdc_id):
        ctx.reject_shape(
            f"The CdcId `{cdc_id}` is not a CDC id; expected `cluster-` and 8 lowercase "
            "letters or digits."
        )
    ids = []
    for member, pattern, code, prefix in (
        ("CdcVpcId", VPC_ID, "InvalidParameterValue.VpcIdInvalid", "vpc-"),
        ("CdcSubnetId", SUBNET_ID, "InvalidParameterValue.SubnetIdInvalid", "subnet-"),
    ):
        value = str(ctx.get(member, ""))
        if not pattern.fullmatch(value):
            ctx.reject_shape(
                f"The {member} `{value}` is not valid; expected `{prefix}` and 8 lowercase "
                "letters or digits.",
                code,
            )
        ids.append(value)
    return cdc_id, ids[0], ids[1]


@answers("CreateCdcCluster")
def create_cdc_cluster(ctx: Context) -> Body:
    """Build a CKafka cluster on a CDC: one per CdcId, every one of a region in one VPC."""
    cdc_id, vpc_id, subnet_id = _check_shape(ctx)
    zone_id, _ = check_zones(ctx)
    bandwidth = check_number(ctx, "Bandwidth", 0, *_BANDWIDTH)
    disk_size = int(ctx.get("DiskSize", 0))
    if disk_size <= 0:
        ctx.reject_shape(f"The parameter `DiskSize` must be above 0, got {disk_size}.")
    disk_type = str(check_choice(ctx, "DiskType", "", DISK_TYPES))
    system_disk_type = str(check_choice(ctx, "SystemDiskType", "", DISK_TYPES))
    existing = ctx.store.cdc_clusters.get(cdc_id)
    if existing is not None:
        ctx.fail(
            "InvalidParameterValue.RepetitionValue",
            f"The CDC `{cdc_id}` already has a CKafka cluster (task {existing.task_id}).",
        )
    for other in ctx.store.cdc_clusters.values():
        if other.vpc_id != vpc_id:
            # CdcVpcId's document: "一个地域只有唯一一个vpcid用于CDC".
            ctx.fail(
                "InvalidParameterValue.VpcIdInvalid",
                f"Region `{ctx.region}` uses `{other.vpc_id}` for its CDC clusters (CDC "
                f"`{other.cdc_id}`); a region has one VPC for CDC, got `{vpc_id}`.",
            )
    task = ctx.new_task(CDC_TASK, "")
    ctx.store.cdc_clusters[cdc_id] = CdcCluster(
        cdc_id=cdc_id,
        vpc_id=vpc_id,
        subnet_id=subnet_id,
        zone_id=zone_id,
        bandwidth=bandwidth,
        disk_size=disk_size,
        disk_type=disk_type,
        system_disk_type=system_disk_type,
        task_id=task.flow_id,
        created_at=ctx.now,
    )
    return {"Result": ctx.shape("CdcClusterResponse", TaskId=task.flow_id)}


@answers("CheckCdcCluster")
def check_cdc_cluster(ctx: Context) -> Body:
    """The status of a CreateCdcCluster task: ``Running``, then ``Success``."""
    task_id = int(ctx.get("TaskId", 0))
    task = ctx.store.tasks.get(task_id)
    if task is None or task.kind != CDC_TASK:
        ctx.fail(
            "FailedOperation",
            f"The task {task_id} is no CreateCdcCluster task of region `{ctx.region}`.",
        )
    ctx.backend.poll(task, ctx.now)
    return {"Result": _STATUS_WORDS.get(task.status, "Running")}
