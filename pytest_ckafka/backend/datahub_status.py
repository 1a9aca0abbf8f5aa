"""The DataHub task status machine, on the backend's clock.

A task action moves a task into a transitional status and starts a task
(``FlowId``) that DescribeTaskStatus reports on; the transitional status
settles like a creating instance does: after ``ready_after_describes``
describes of the task (DescribeDatahubTask(s)), once the clock passes
``ready_after_seconds`` after the action, or once DescribeTaskStatus has
reported its FlowId done, whichever comes first. Settling marks the FlowId
done too, so the two never disagree.

====================  ==========================  =================
action                from (Status)                through -> to
====================  ==========================  =================
create                (new)                       0 creating -> 1
PauseDatahubTask      1 running                   5 pausing -> 6
ResumeDatahubTask     6 paused                    8 resuming -> 1
RestartDatahubTask    1, or a failure (-1, 7, 9)  0 creating -> 1
DeleteDatahubTask     anything but 2              2 deleting -> gone
====================  ==========================  =================
"""

from __future__ import annotations

from .models import DatahubTask, RegionStore
from .registry import Context

__all__ = [
    "CREATING",
    "DELETING",
    "PAUSED",
    "PAUSING",
    "RESUMING",
    "RUNNING",
    "SETTLED",
    "STATUS_NAMES",
    "settle_tasks",
    "start",
]

CREATING, RUNNING, DELETING, PAUSING, PAUSED, RESUMING = 0, 1, 2, 5, 6, 8
# The Status member's document: "-1创建失败，0创建中，1运行中，2删除中，3已删除，4删除失败，
# 5暂停中，6已暂停，7暂停失败，8恢复中，9恢复失败".
STATUS_NAMES = {
    -1: "failed to create",
    CREATING: "creating",
    RUNNING: "running",
    DELETING: "deleting",
    3: "deleted",
    4: "failed to delete",
    PAUSING: "pausing",
    PAUSED: "paused",
    7: "failed to pause",
    RESUMING: "resuming",
    9: "failed to resume",
}
_GONE = 3
_NEXT = {CREATING: RUNNING, DELETING: _GONE, PAUSING: PAUSED, RESUMING: RUNNING}
SETTLED = tuple(s for s in STATUS_NAMES if s not in _NEXT and s != _GONE)
"""The statuses a task stays in until an action moves it (a seed may start there)."""


def _done(ctx: Context, task: DatahubTask) -> bool:
    flow = ctx.store.tasks.get(task.flow_id)
    if flow is not None and flow.status == 0:
        return True
    return ctx.backend.due(task.changed_at, task.describes, ctx.now)


def settle_tasks(ctx: Context) -> None:
    """Finish the transitions that are due; a finished deletion removes the task."""
    store: RegionStore = ctx.store
    for task in list(store.datahub_tasks.values()):
        if task.status not in _NEXT or not _done(ctx, task):
            continue
        flow = store.tasks.get(task.flow_id)
        if flow is not None and flow.status == 2:
            flow.status = 0
        if task.status == DELETING:
            del store.datahub_tasks[task.task_id]
        else:
            task.status = _NEXT[task.status]


def start(ctx: Context, task: DatahubTask, status: int, instance_id: str = "") -> int:
    """Move ``task`` into the transitional ``status`` and start its FlowId (returned)."""
    task.status = status
    task.changed_at = ctx.now
    task.describes = 0
    task.flow_id = ctx.new_task(ctx.action, instance_id).flow_id
    return task.flow_id
