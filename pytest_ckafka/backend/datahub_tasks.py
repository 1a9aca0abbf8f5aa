"""Stateful handlers: DataHub (connector) tasks and their status machine.

Rules:

* **CreateDatahubTask** checks its ``TaskName`` format and ``TaskType``
  (``SOURCE``/``SINK``), needs a ``SourceResource`` and a ``TargetResource``
  (``InvalidParameterValue.NotAllowedEmpty``), each with its Type's param, and
  what they name must exist (:mod:`.datahub_task_checks`). The three
  **CreateMeta*SyncDatahubTask** actions sync one Kafka connect resource into
  another (both must exist and be ``KAFKA``, and differ); the two that copy
  messages take ``TopicList`` or ``TopicRegularExpression`` ("二选一": one,
  not both), whose listed topics must exist in the source instance, an
  ``OffsetType`` and a ``Separator`` of ``.``, ``-`` or ``_``. A task name is
  unique in the account and region (``InvalidParameterValue.RepetitionValue``).
  A new task is creating (Status 0), then running.
* **PauseDatahubTask**, **ResumeDatahubTask**, **RestartDatahubTask** and
  **DeleteDatahubTask** move the task through :mod:`.datahub_status`; from a
  status the action does not apply to they answer ``FailedOperation``.
* **ModifyDatahubTask** renames a task (unique: ``InvalidParameterValue``) and
  sets its description, ``TasksMax``, ``SyncThrottleLimit`` and
  ``AutoExpandFlag``; a deleting task is ``FailedOperation``.
* **DescribeDatahubTask(s)** answer from the store; the list filters by
  ``SearchWord`` (the name, fuzzy), ``TaskType``, ``SourceType``,
  ``TargetType`` and ``Resource``, in creation order (Limit 20, above 100 read
  as 100, as documented).

An unknown ``TaskId`` is ``ResourceNotFound``. None of these answers carries a
FlowId (the reference's answers have none): ``ckafka.state.datahub_task(id).flow_id``
is the one DescribeTaskStatus reports on.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from .datahub_checks import new_credentials
from .datahub_status import (
    CREATING,
    DELETING,
    PAUSED,
    PAUSING,
    RESUMING,
    RUNNING,
    STATUS_NAMES,
    settle_tasks,
    start,
)
from .datahub_task_checks import (
    check_description,
    check_sync_resource,
    check_task_name,
    check_topic_choice,
    check_topics,
    kafka_instance,
    resource_references,
)
from .datahub_task_views import task_detail, task_instance, task_summary
from .instance_checks import check_tags
from .models import ConnectResource, DatahubTask, DatahubTopic, Partition
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers

__all__ = [
    "create_datahub_task",
    "create_meta_and_data_sync_datahub_task",
    "create_meta_data_and_offset_sync_datahub_task",
    "create_meta_sync_datahub_task",
    "datahub_task",
    "delete_datahub_task",
    "describe_datahub_task",
    "describe_datahub_tasks",
    "modify_datahub_task",
    "pause_datahub_task",
    "restart_datahub_task",
    "resume_datahub_task",
]

_TASK_TYPES = ("SOURCE", "SINK")
_DAY_MS = 86_400_000
_SIDES = ("SourceResource", "TargetResource")
_KEPT = ("TransformParam", "TransformsParam")
_FAILURES = tuple(s for s in STATUS_NAMES if s in (-1, 7, 9))
_SYNC_TYPES = {  # KafkaParam.ConnectorSyncType, as its document names them
    "CreateMetaSyncDatahubTask": "META_SYNC_INSTANCE_TYPE",
    "CreateMetaAndDataSyncDatahubTask": "META_AND_DATA_SYNC_INSTANCE_TYPE",
    "CreateMetaDataAndOffsetSyncDatahubTask": "META_AND_DATA_SYNC_INSTANCE_TYPE",
}


def datahub_task(ctx: Context) -> DatahubTask:
    """The task ``TaskId`` names, or ``ResourceNotFound``."""
    task_id = str(ctx.get("TaskId", ""))
    task = ctx.store.datahub_tasks.get(task_id)
    if task is None:
        ctx.fail(
            "ResourceNotFound",
            f"The DataHub task `{task_id}` does not exist in region `{ctx.region}`.",
        )
    return task


def _check_name_free(ctx: Context, name: str, code: str, task_id: str = "") -> None:
    for other in ctx.store.datahub_tasks.values():
        if other.name == name and other.task_id != task_id:
            ctx.fail(code, f"The task name `{name}` is already used by `{other.task_id}`.")


def _new_ids(ctx: Context) -> tuple[str, str]:
    """``(TaskId, DatahubId)``: one suffix, as the examples show (task-y9799wbn, datahub-...)."""
    wanted = ctx.get("TaskId")
    if wanted:
        if wanted in ctx.store.datahub_tasks:
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"The DataHub task `{wanted}` already exists.",
            )
        return str(wanted), "datahub-" + str(wanted).removeprefix("task-")
    while True:
        task_id = ctx.new_id("task")
        if task_id not in ctx.store.datahub_tasks:
            return task_id, "datahub-" + task_id.removeprefix("task-")


def _ids(task: DatahubTask) -> Body:
    return {"Result": {"TaskId": task.task_id, "DatahubId": task.datahub_id}}


def _auto_create_topics(ctx: Context, task: DatahubTask) -> None:
    """A TOPIC side with UseAutoCreateTopic names a DataHub topic made with the task.

    The reference gives it no partition count or retention: 1 partition and one
    day, as ``state.add_datahub_topic`` seeds one.
    """
    for side in (task.source, task.target):
        params = side.get("TopicParam") or {}
        name = str(params.get("Resource") or "")
        if str(side.get("Type", "")).upper() != "TOPIC" or not params.get("UseAutoCreateTopic"):
            continue
        if not name or name in ctx.store.datahub_topics:
            continue
        user, password = new_credentials(ctx.rng)
        ctx.store.datahub_topics[name] = DatahubTopic(
            name=name,
            topic_id=ctx.new_id("topic"),
            datahub_id=ctx.new_id("datahub"),
            retention_ms=_DAY_MS,
            created_at=ctx.now,
            user_name=user,
            password=password,
            partitions=[Partition()],
        )


def _add(ctx: Context, task: DatahubTask, instance_id: str) -> Body:
    _auto_create_topics(ctx, task)
    ctx.store.datahub_tasks[task.task_id] = task
    start(ctx, task, CREATING, instance_id)
    return _ids(task)


# -- creating -------------------------------------------------------------------------------


@answers("CreateDatahubTask")
def create_datahub_task(ctx: Context) -> Body:
    """Create a task between two resources; it is creating (Status 0), then running."""
    settle_tasks(ctx)
    name = check_task_name(ctx)
    task_type = str(ctx.get("TaskType", ""))
    if task_type not in _TASK_TYPES:
        ctx.reject_shape(f"The parameter `TaskType` must be SOURCE or SINK, got `{task_type}`.")
    for side in _SIDES:
        if not ctx.get(side):
            ctx.reject_shape(
                f"The parameter `{side}` must not be empty.",
                "InvalidParameterValue.NotAllowedEmpty",
            )
    instances: list[str] = []
    connected: list[str] = []
    for side in _SIDES:
        found_instances, found_connected = resource_references(ctx, side)
        instances += found_instances
        connected += found_connected
    tags = check_tags(ctx)
    _check_name_free(ctx, name, "InvalidParameterValue.RepetitionValue")
    task_id, datahub_id = _new_ids(ctx)
    task = DatahubTask(
        task_id=task_id,
        name=name,
        task_type=task_type,
        created_at=ctx.now,
        datahub_id=datahub_id,
        kind=ctx.action,
        source=dict(ctx.get("SourceResource") or {}),
        target=dict(ctx.get("TargetResource") or {}),
        resource_ids=sorted(set(connected)),
        description=str(ctx.get("Description", "")),
        schema_id=str(ctx.get("SchemaId", "")),
        tags=tags,
        extra={k: ctx.get(k) for k in _KEPT if ctx.get(k) is not None},
    )
    return _add(ctx, task, instances[0] if instances else "")


def _source_topics(ctx: Context, source: ConnectResource) -> str:
    """Check the listed topics against the source's instance; answer that instance's id."""
    params = source.params
    region = params.get("Region")
    if params.get("SelfBuilt") or (region and region != ctx.region):
        return ""  # outside the fake's view: a self-built cluster, another region
    instance = kafka_instance(ctx, str(params.get("Resource") or ""), "SourceResourceId")
    topics = [str(t) for t in ctx.get("TopicList") or ()]
    check_topics(ctx, instance, topics, "TopicList")
    return instance.instance_id


def _sync_side(ctx: Context, resource: ConnectResource, members: dict[str, Any]) -> Body:
    params = resource.params
    kafka = {
        "SelfBuilt": bool(params.get("SelfBuilt")),
        "Resource": str(params.get("Resource") or resource.resource_id),
        "ResourceName": resource.name,
        "ConnectorSyncType": _SYNC_TYPES[ctx.action],
        **members,
    }
    return {"Type": "KAFKA", "KafkaParam": kafka}


def _create_sync(ctx: Context, *, with_topics: bool) -> Body:
    settle_tasks(ctx)
    name = check_task_name(ctx, strict=False)
    description = check_description(ctx)
    if with_topics:
        check_topic_choice(ctx)
    source = check_sync_resource(ctx, "SourceResourceId")
    target = check_sync_resource(ctx, "TargetResourceId")
    if source is target:
        ctx.fail(
            "InvalidParameterValue",
            f"The source and the target are both `{source.resource_id}`; a sync task copies "
            "one Kafka connect resource into another.",
        )
    instance_id = _source_topics(ctx, source) if with_topics else ""
    tags = check_tags(ctx)
    _check_name_free(ctx, name, "InvalidParameterValue.RepetitionValue")
    sent = ("OffsetType", "TopicRegularExpression", "TopicList", "Prefix", "Separator")
    members = {k: ctx.get(k) for k in sent if ctx.get(k) is not None}
    task_id, datahub_id = _new_ids(ctx)
    task = DatahubTask(
        task_id=task_id,
        name=name,
        task_type="SOURCE",
        created_at=ctx.now,
        datahub_id=datahub_id,
        kind=ctx.action,
        source=_sync_side(ctx, source, members),
        target=_sync_side(ctx, target, {}),
        resource_ids=[source.resource_id, target.resource_id],
        description=description,
        tags=tags,
    )
    return _add(ctx, task, instance_id)


@answers("CreateMetaSyncDatahubTask")
def create_meta_sync_datahub_task(ctx: Context) -> Body:
    """Sync one Kafka connect resource's metadata (topics, configs) into another."""
    return _create_sync(ctx, with_topics=False)


@answers("CreateMetaAndDataSyncDatahubTask")
def create_meta_and_data_sync_datahub_task(ctx: Context) -> Body:
    """Sync metadata and the messages of the chosen topics."""
    return _create_sync(ctx, with_topics=True)


@answers("CreateMetaDataAndOffsetSyncDatahubTask")
def create_meta_data_and_offset_sync_datahub_task(ctx: Context) -> Body:
    """Sync metadata, messages and consumer offsets of the chosen topics."""
    return _create_sync(ctx, with_topics=True)


# -- describing -----------------------------------------------------------------------------


@answers("DescribeDatahubTask")
def describe_datahub_task(ctx: Context) -> Body:
    """One task; a transitional status settles after its first describes (or on the clock)."""
    settle_tasks(ctx)
    task = datahub_task(ctx)
    body = task_detail(task)
    task.describes += 1
    return {"Result": body}


def _resources_of(task: DatahubTask) -> set[str]:
    named = set(task.resource_ids)
    for side in (task.source, task.target):
        for value in side.values():
            if isinstance(value, dict) and value.get("Resource"):
                named.add(str(value["Resource"]))
    return named


# DescribeDatahubTasks' exact filters: member -> what of the task it reads.
_READERS: dict[str, Callable[[DatahubTask], Any]] = {
    "TaskType": lambda t: t.task_type,
    "SourceType": lambda t: t.source.get("Type"),
    "TargetType": lambda t: t.target.get("Type"),
}


def _reads(read: Callable[[DatahubTask], Any], wanted: Any, task: DatahubTask) -> bool:
    return bool(read(task) == wanted)


@answers("DescribeDatahubTasks")
def describe_datahub_tasks(ctx: Context) -> Body:
    """The tasks of the caller's region, filtered, in creation order."""
    settle_tasks(ctx)
    offset, limit = window(ctx)
    tests: list[Callable[[DatahubTask], bool]] = []
    word = ctx.get("SearchWord")
    if word:
        tests.append(lambda t: matches(word, t.name))
    for member, read in _READERS.items():
        wanted = ctx.get(member)
        if wanted:
            tests.append(functools.partial(_reads, read, wanted))
    resource = ctx.get("Resource")
    if resource:
        tests.append(lambda t: resource in _resources_of(t))
    everything = ctx.store.datahub_tasks.values()
    total = None if tests else len(everything)
    count, selected = count_and_page(keep(everything, *tests), total, offset, limit)
    listed = [task_summary(t) for t in selected]
    for task in selected:
        task.describes += 1
    return {"Result": {"TotalCount": count, "TaskList": listed}}


# -- changing -------------------------------------------------------------------------------


def _move(ctx: Context, allowed: tuple[int, ...], to: int, verb: str) -> Body:
    settle_tasks(ctx)
    task = datahub_task(ctx)
    if task.status not in allowed:
        can = " or ".join(f"{STATUS_NAMES[s]} ({s})" for s in allowed)
        ctx.fail(
            "FailedOperation",
            f"The DataHub task `{task.task_id}` is {STATUS_NAMES.get(task.status, '?')} "
            f"(Status {task.status}); only a task that is {can} can be {verb}.",
        )
    start(ctx, task, to, task_instance(task))
    return _ids(task)


@answers("PauseDatahubTask")
def pause_datahub_task(ctx: Context) -> Body:
    """Pause a running task: pausing (5), then paused (6)."""
    return _move(ctx, (RUNNING,), PAUSING, "paused")


@answers("ResumeDatahubTask")
def resume_datahub_task(ctx: Context) -> Body:
    """Resume a paused task: resuming (8), then running (1)."""
    return _move(ctx, (PAUSED,), RESUMING, "resumed")


@answers("RestartDatahubTask")
def restart_datahub_task(ctx: Context) -> Body:
    """Restart a running or failed task: creating (0), then running (1)."""
    return _move(ctx, (RUNNING, *_FAILURES), CREATING, "restarted")


@answers("DeleteDatahubTask")
def delete_datahub_task(ctx: Context) -> Body:
    """Delete a task: deleting (2), then gone."""
    allowed = tuple(s for s in STATUS_NAMES if s not in (DELETING, 3))
    return _move(ctx, allowed, DELETING, "deleted")


@answers("ModifyDatahubTask")
def modify_datahub_task(ctx: Context) -> Body:
    """Rename a task or change its description, concurrency, throttle and auto-expansion."""
    settle_tasks(ctx)
    task = datahub_task(ctx)
    if task.status == DELETING:
        ctx.fail(
            "FailedOperation", f"The DataHub task `{task.task_id}` is being deleted (Status 2)."
        )
    name = check_task_name(ctx) if ctx.get("TaskName") else None
    numbers = {}
    for member in ("TasksMax", "SyncThrottleLimit"):
        value = ctx.get(member)
        if value is not None:
            if int(value) < 1:
                ctx.reject_shape(f"The parameter `{member}` must be 1 or more, got {value}.")
            numbers[member] = int(value)
    if name is not None:
        _check_name_free(ctx, name, "InvalidParameterValue", task.task_id)
        task.name = name
    if ctx.get("Description") is not None:
        task.description = str(ctx.get("Description"))
    task.task_max = numbers.get("TasksMax", task.task_max)
    task.sync_throttle_limit = numbers.get("SyncThrottleLimit", task.sync_throttle_limit)
    if ctx.get("AutoExpandFlag") is not None:
        task.auto_expand = bool(ctx.get("AutoExpandFlag"))
    return {"Result": {"TaskId": task.task_id, "DatahubId": task.datahub_id}}
