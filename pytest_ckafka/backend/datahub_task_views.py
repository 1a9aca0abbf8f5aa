"""A DataHub task as DescribeDatahubTask and DescribeDatahubTasks answer it.

What the task was created with is shown as sent, completed to the answer
object (:func:`~.objects.complete`), with every password blanked.
"""

from __future__ import annotations

from typing import Any

from .datahub_status import CREATING, STATUS_NAMES
from .models import DatahubTask
from .objects import complete
from .times import beijing_datetime

__all__ = ["task_detail", "task_instance", "task_summary"]


def _blanked(value: Any) -> Any:
    """``value`` with every ``Password`` member empty (kept to connect, never answered)."""
    if isinstance(value, dict):
        return {k: "" if k == "Password" else _blanked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blanked(v) for v in value]
    return value


def _side(resource: dict[str, Any]) -> dict[str, Any]:
    return complete("DatahubResource", _blanked(resource))


def _step(task: DatahubTask) -> str:
    return STATUS_NAMES.get(task.status, str(task.status)).upper().replace(" ", "_")


def _optional(task: DatahubTask, member: str) -> Any:
    value = task.extra.get(member)
    return None if value is None else complete(member, _blanked(value))


def task_instance(task: DatahubTask) -> str:
    """The CKafka instance the task reads or writes, if any (its FlowIds name it)."""
    for side in (task.source, task.target):
        params = side.get("KafkaParam") or {}
        if params.get("Resource") and not params.get("SelfBuilt"):
            return str(params["Resource"])
    return ""


def _common(task: DatahubTask) -> dict[str, Any]:
    return {
        "TaskId": task.task_id,
        "TaskName": task.name,
        "TaskType": task.task_type,
        "Status": task.status,
        "SourceResource": _side(task.source),
        "TargetResource": _side(task.target),
        "CreateTime": beijing_datetime(task.created_at),
        "ErrorMessage": "",
        "DatahubId": task.datahub_id,
        "Description": task.description,
        "TaskMax": task.task_max,
        "SyncThrottleLimit": task.sync_throttle_limit,
        "AutoExpandFlag": task.auto_expand,
        "WarnMessage": "",
    }


def task_detail(task: DatahubTask) -> dict[str, Any]:
    """``DescribeDatahubTaskRes``: the task, its rules and tags."""
    body = {
        **_common(task),
        "Connections": [],
        "TransformParam": _optional(task, "TransformParam"),
        "TransformsParam": _optional(task, "TransformsParam"),
        "SchemaId": task.schema_id,
        "SchemaName": "",
        "Tags": [dict(t) for t in task.tags],
        "IsolateStatus": 1,  # "1:正常 2:隔离中": the fake never isolates
    }
    return complete("DescribeDatahubTaskRes", body)


def task_summary(task: DatahubTask) -> dict[str, Any]:
    """``DatahubTaskInfo``: one item of DescribeDatahubTasks."""
    body = {
        **_common(task),
        "TaskProgress": 0.0 if task.status == CREATING else 100.0,
        "TaskCurrentStep": _step(task),
        "StepList": [_step(task)],
    }
    return complete("DatahubTaskInfo", body)
