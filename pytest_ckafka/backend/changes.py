"""Changes that take a task: ModifyInstancePre, InstanceScalingDown, UpgradeBrokerVersion.

A change starts a task (a FlowId DescribeTaskStatus reports on) and puts the
instance in Status 7 (升级中). The new bandwidth, disk, partition limit or broker
version apply only when the task completes, which the backend decides as for
any task (:meth:`~.dispatch.Backend.poll`): after ``ready_after_describes`` looks
(a DescribeTaskStatus poll of its FlowId, or a describe of the instance) or
``ready_after_seconds`` on the injectable clock, and never before a delayed
upgrade's ``DelayTimeStamp``. Then the instance runs again (Status 1).
"""

from __future__ import annotations

from typing import Optional

from .models import CHANGING, RUNNING, Change, Instance, Task
from .registry import Context

__all__ = ["finish_change", "may_finish", "pending_change", "start_change"]


def start_change(
    ctx: Context,
    instance: Instance,
    kind: str,
    *,
    bandwidth: Optional[int] = None,
    disk_size: Optional[int] = None,
    partition_limit: Optional[int] = None,
    broker_version: Optional[str] = None,
    not_before: Optional[float] = None,
) -> Task:
    """Start ``kind`` on ``instance`` (Status 7) and answer its task."""
    task = ctx.new_task(kind, instance.instance_id)
    instance.change = Change(
        flow_id=task.flow_id,
        kind=kind,
        bandwidth=bandwidth,
        disk_size=disk_size,
        partition_limit=partition_limit,
        broker_version=broker_version,
        not_before=not_before,
    )
    instance.status = CHANGING
    return task


def pending_change(instance: Optional[Instance], task: Task) -> Optional[Change]:
    """The change ``task`` carries out on ``instance``, if it is still pending."""
    if instance is None or instance.change is None:
        return None
    return instance.change if instance.change.flow_id == task.flow_id else None


def may_finish(change: Optional[Change], now: float) -> bool:
    """False while a delayed change waits for its time."""
    return change is None or change.not_before is None or now >= change.not_before


def finish_change(instance: Instance) -> None:
    """Apply ``instance``'s pending change: its new values, and Status 1 again."""
    change = instance.change
    if change is None:
        return
    if change.bandwidth is not None:
        instance.bandwidth = change.bandwidth
    if change.disk_size is not None:
        instance.disk_size = change.disk_size
    if change.partition_limit is not None:
        instance.partition_limit = change.partition_limit
    if change.broker_version is not None:
        instance.broker_version = change.broker_version
    instance.change = None
    instance.status = RUNNING
