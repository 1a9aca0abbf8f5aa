"""What a DataHub task refers to, and the rules on its members.

A ``DatahubResource`` (a task's source or target) names its kind in ``Type``
and carries that kind's ``<Kind>Param``, named after it (``KafkaParam`` for
``KAFKA``). What the param's ``Resource`` names must exist:

* ``KAFKA`` (not self-built): a CKafka instance of the caller
  (``InvalidParameterValue.InstanceNotExist``, or ``ResourceNotFound`` where the
  action does not document it) and its topics (``Topic``, comma-separated, and
  ``TopicList``; ``ResourceNotFound``) unless ``UseAutoCreateTopic`` (SOURCE tasks
  only, as documented: ``InvalidParameterValue``);
* ``TOPIC``: a DataHub topic of that name (``ResourceNotFound``) unless
  ``UseAutoCreateTopic``, when a valid DataHub topic name is created with the task;
* a kind that connects through a connect resource (``MySQLParam``: "该MySQL在连接
  管理内的Id", and every other kind CreateConnectResource makes, Kafka aside): a
  connect resource of that kind (``ResourceNotFound``, ``InvalidParameterValue``);
* other kinds (EventBus, COS, CLS, SCF, HTTP...) live outside CKafka: not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from .connect import CONNECT_TYPES
from .datahub_checks import check_name
from .errors import not_found_code
from .models import ConnectResource, Instance
from .objects import member_objects
from .registry import Context

__all__ = [
    "check_description",
    "check_sync_resource",
    "check_task_name",
    "check_topic_choice",
    "check_topics",
    "kafka_instance",
    "resource_references",
]

_SUFFIX = "Param"
_PARAMS = member_objects("DatahubResource", _SUFFIX)
_BY_KIND = {name[: -len(_SUFFIX)].upper(): name for name in _PARAMS}
# The two Types the member documents name differently: "EB配置，Type为EB时必填" and
# "PostgreSQL配置，Type为POSTGRESQL或TDSQL_C_POSTGRESQL时必填".
_ALIASES = {"EB": "EVENTBUS", "TDSQL_C_POSTGRESQL": "POSTGRESQL"}
_TDSQL_C = "TDSQL_C_"
_CONNECTED = {t.removeprefix(_TDSQL_C) for t in CONNECT_TYPES} - {"KAFKA"}
# CreateDatahubTask's TaskName: "只能以字母起始,允许包含字母、数字、- 、. 、下划线且长度不超过64".
_TASK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")
_SYNC_NAME_MAX, _DESCRIPTION_MAX = 64, 128
_SEPARATORS = (
    ".",
    "-",
    "_",
)  # "Topic前缀分隔符仅支持 "." / "-" / "_""  # the sync tasks' "64字符内", "128字符内"


def check_task_name(ctx: Context, member: str = "TaskName", *, strict: bool = True) -> str:
    """The task name: CreateDatahubTask's format (``strict``), else at most 64 characters."""
    name = str(ctx.get(member, ""))
    if strict and not _TASK_NAME.fullmatch(name):
        ctx.reject_shape(
            f"The parameter `{member}` must start with a letter and hold only letters, digits, "
            f"`-`, `.` and `_`, at most 64 characters; got `{name}`."
        )
    elif not strict and len(name) > _SYNC_NAME_MAX:
        ctx.reject_shape(
            f"The parameter `{member}` must be at most {_SYNC_NAME_MAX} characters, got "
            f"{len(name)}."
        )
    return name


def check_description(ctx: Context) -> str:
    """``Description``: at most 128 characters, as the sync tasks document."""
    text = str(ctx.get("Description", ""))
    if len(text) > _DESCRIPTION_MAX:
        ctx.reject_shape(
            f"The parameter `Description` must be at most {_DESCRIPTION_MAX} characters, got "
            f"{len(text)}."
        )
    return text


def kafka_instance(ctx: Context, instance_id: str, where: str) -> Instance:
    """The caller's instance ``instance_id`` (named by ``where``), or the not-found code."""
    instance = ctx.store.instances.get(instance_id)
    if instance is None:
        ctx.fail(
            not_found_code(ctx.action),
            f"The instance `{instance_id}` ({where}) does not exist in region `{ctx.region}`.",
        )
    return instance


def check_topics(ctx: Context, instance: Instance, names: list[str], where: str) -> None:
    """Every topic of ``names`` exists in ``instance``, or ``ResourceNotFound``."""
    for name in names:
        if name not in instance.topics:
            ctx.fail(
                "ResourceNotFound",
                f"The topic `{name}` ({where}) does not exist in instance "
                f"`{instance.instance_id}`.",
            )


def _check_auto_create(ctx: Context, params: Mapping[str, Any], where: str) -> None:
    """UseAutoCreateTopic: "目前只支持SOURCE流入任务" (a shape rule on the request)."""
    task_type = ctx.get("TaskType")
    if params.get("UseAutoCreateTopic") and task_type != "SOURCE":
        ctx.reject_shape(
            f"The parameter `{where}.UseAutoCreateTopic` applies to SOURCE tasks only (the "
            f"reference: 目前只支持SOURCE流入任务); got TaskType `{task_type}`."
        )


def _check_kafka(ctx: Context, params: Mapping[str, Any], where: str) -> str:
    _check_auto_create(ctx, params, where)
    if params.get("SelfBuilt"):
        return ""
    instance = kafka_instance(ctx, str(params.get("Resource") or ""), f"{where}.Resource")
    if not params.get("UseAutoCreateTopic"):
        names = [t for t in str(params.get("Topic") or "").split(",") if t]
        names += [str(t) for t in params.get("TopicList") or ()]
        check_topics(ctx, instance, names, f"{where}.Topic")
    return instance.instance_id


def _check_connected(ctx: Context, kind: str, params: Mapping[str, Any], where: str) -> str:
    resource_id = str(params.get("Resource") or "")
    if not resource_id:
        return ""
    found: Optional[ConnectResource] = ctx.store.connect_resources.get(resource_id)
    if found is None:
        ctx.fail(
            "ResourceNotFound",
            f"The connect resource `{resource_id}` ({where}.Resource) does not exist in "
            f"region `{ctx.region}`.",
        )
    if found.type.removeprefix(_TDSQL_C) != kind:
        ctx.fail(
            "InvalidParameterValue",
            f"The connect resource `{resource_id}` ({where}.Resource) is of Type {found.type}; "
            f"a {kind} resource needs a {kind} connection.",
        )
    return resource_id


def _check_datahub_topic(ctx: Context, params: Mapping[str, Any], where: str) -> None:
    """A TopicParam names a DataHub topic ("单独售卖Topic的Topic名称") that exists."""
    _check_auto_create(ctx, params, where)
    name = str(params.get("Resource") or "")
    if name in ctx.store.datahub_topics:
        return
    if params.get("UseAutoCreateTopic"):  # created with the task: a name it may take
        ctx.check_shape(check_name, name)
        return
    ctx.fail(
        "ResourceNotFound",
        f"The DataHub topic `{name}` ({where}.Resource) does not exist in region `{ctx.region}`.",
    )


def resource_references(ctx: Context, side: str) -> tuple[list[str], list[str]]:
    """Check the ``DatahubResource`` member ``side``; answer ``(instance ids, connect ids)``.

    A Type whose param is missing is ``MissingParameter`` (a shape rule); what
    the param names must exist (see the module).
    """
    resource = ctx.get(side) or {}
    resource_type = str(resource.get("Type", ""))
    name = _BY_KIND.get(_ALIASES.get(resource_type, resource_type))
    if name is None:
        return [], []
    params = resource.get(name)
    if params is None:
        ctx.reject_shape(
            f"The parameter `{side}.{name}` is required when Type is {resource_type}.",
            "MissingParameter",
        )
        return [], []
    kind = name[: -len(_SUFFIX)].upper()
    where = f"{side}.{name}"
    if kind == "KAFKA":
        instance_id = _check_kafka(ctx, params, where)
        return ([instance_id] if instance_id else []), []
    if kind == "TOPIC":
        _check_datahub_topic(ctx, params, where)
        return [], []
    if kind in _CONNECTED:
        resource_id = _check_connected(ctx, kind, params, where)
        return [], ([resource_id] if resource_id else [])
    return [], []


def check_sync_resource(ctx: Context, member: str) -> ConnectResource:
    """A sync task's ``SourceResourceId``/``TargetResourceId``: a Kafka connect resource."""
    resource_id = str(ctx.get(member, ""))
    found = ctx.store.connect_resources.get(resource_id)
    if found is None:
        ctx.fail(
            "ResourceNotFound",
            f"The connect resource `{resource_id}` ({member}) does not exist in region "
            f"`{ctx.region}`.",
        )
    if found.type != "KAFKA":
        ctx.fail(
            "InvalidParameterValue",
            f"The connect resource `{resource_id}` ({member}) is of Type {found.type}; an "
            "instance sync task connects two KAFKA resources.",
        )
    return found


def check_topic_choice(ctx: Context) -> None:
    """TopicList or TopicRegularExpression ("二选一"), a known OffsetType and Separator."""
    listed, pattern = ctx.get("TopicList"), ctx.get("TopicRegularExpression")
    if listed and pattern:
        ctx.reject_shape("Send `TopicList` or `TopicRegularExpression`, not both (one of the two).")
    elif not listed and not pattern:
        ctx.reject_shape(
            "The parameter `TopicList` or `TopicRegularExpression` must not be empty.",
            "InvalidParameterValue.NotAllowedEmpty",
        )
    if pattern:
        try:
            re.compile(str(pattern))
        except re.error as error:
            ctx.reject_shape(
                f"The parameter `TopicRegularExpression` is not a regular expression "
                f"({error}): `{pattern}`."
            )
    offset_types: tuple[str, ...] = ("earliest", "latest")
    if ctx.action == "CreateMetaAndDataSyncDatahubTask":
        offset_types += ("timestamp",)
    offset_type = ctx.get("OffsetType")
    if offset_type is not None and offset_type not in offset_types:
        ctx.reject_shape(
            f"The parameter `OffsetType` must be one of {', '.join(offset_types)}, got "
            f"`{offset_type}`."
        )
    separator = ctx.get("Separator")
    if separator is not None and separator not in _SEPARATORS:
        ctx.reject_shape(f"The parameter `Separator` must be `.`, `-` or `_`, got `{separator}`.")
