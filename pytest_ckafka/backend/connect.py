"""Stateful handlers: connector connections ("connect resources") that DataHub tasks use.

Rules:

* **CreateConnectResource** needs a ``ResourceName`` unused in the account and region
  (``InvalidParameterValue.RepetitionValue``), a known ``Type`` and that type's
  ``<Kind>ConnectParam`` ("Type为DTS时必填": ``MissingParameter``). A
  ``KafkaConnectParam`` that is not self-built names a CKafka instance in its
  ``Region`` (the call's region by default) of the caller's account
  (``InvalidParameterValue.InstanceNotExist``); ``NetworkType`` is ``PUBLIC``
  (with ``BrokerAddress``) or ``VPC`` (with ``UniqVpcId``, ``ServiceVip`` and
  ``Port``). The resource is running (Status 1) at once.
* **DescribeConnectResource(s)** answer what was sent, passwords blanked; the
  list filters by ``Type``, ``SearchWord`` (the name, fuzzy) and
  ``ResourceRegion``, in creation order (Limit 20, above 1000 read as 1000, as
  documented).
* **ModifyConnectResource** changes the name and description (empty: unchanged)
  and the type's parameters; ``Type`` must be the resource's and the
  parameters' ``Resource`` (documented "不支持修改") stays the same
  (``InvalidParameterValue``); the changed ``KafkaConnectParam`` keeps the create rules.
* **DeleteConnectResource** refuses a resource a DataHub task uses
  (``ResourceInUse``).

An unknown ``ResourceId`` is ``ResourceNotFound``.
"""

from __future__ import annotations

from typing import Any

from ..api.spec import Member, load_spec
from ..api.suggest import closest
from .datahub_status import settle_tasks
from .instance_checks import check_tags
from .models import ConnectResource, RegionStore
from .objects import complete, member_objects
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers
from .times import beijing_datetime

__all__ = [
    "CONNECT_TYPES",
    "connect_resource",
    "create_connect_resource",
    "delete_connect_resource",
    "describe_connect_resource",
    "describe_connect_resources",
    "modify_connect_resource",
    "param_member",
    "tasks_using",
]

_SUFFIX = "ConnectParam"
# Each Type's parameter member is named after it: KafkaConnectParam for KAFKA.
_PARAMS = member_objects("CreateConnectResourceRequest", _SUFFIX)
_BY_KIND = {name[: -len(_SUFFIX)].upper(): name for name in _PARAMS}
# The two the member documents add: "MySQL配置，Type为MYSQL或TDSQL_C_MYSQL时必填", and
# the same for PostgreSQL.
_TDSQL_C = "TDSQL_C_"
CONNECT_TYPES = tuple(
    sorted([*_BY_KIND, *(_TDSQL_C + k for k in ("MYSQL", "POSTGRESQL") if k in _BY_KIND)])
)
"""Every ``Type`` CreateConnectResource accepts."""

_NETWORK_TYPES = {"PUBLIC": ("BrokerAddress",), "VPC": ("UniqVpcId", "ServiceVip", "Port")}
_FINISHED = "FINISH"


def param_member(resource_type: str) -> str:
    """The request member carrying ``resource_type``'s parameters, e.g. ``MySQLConnectParam``.

    >>> param_member("TDSQL_C_MYSQL")
    'MySQLConnectParam'
    """
    return _BY_KIND[resource_type.removeprefix(_TDSQL_C)]


def tasks_using(store: RegionStore, resource_id: str) -> list[str]:
    """The ids of the DataHub tasks of ``store`` that use the connect resource."""
    return [t.task_id for t in store.datahub_tasks.values() if resource_id in t.resource_ids]


def connect_resource(ctx: Context, member: str = "ResourceId") -> ConnectResource:
    """The connect resource named by ``member``, or ``ResourceNotFound``."""
    resource_id = str(ctx.get(member, ""))
    found = ctx.store.connect_resources.get(resource_id)
    if found is None:
        ctx.fail(
            "ResourceNotFound",
            f"The connect resource `{resource_id}` does not exist in region `{ctx.region}`.",
        )
    return found


# -- creating -------------------------------------------------------------------------------


def _check_type(ctx: Context) -> str:
    resource_type = str(ctx.get("Type", ""))
    if resource_type not in CONNECT_TYPES:
        message = (
            f"The Type `{resource_type}` is not a connect resource type; valid values: "
            + ", ".join(CONNECT_TYPES)
            + "."
        )
        best = closest(resource_type, CONNECT_TYPES, n=1)
        if best:
            message += f" Did you mean `{best[0]}`?"
        ctx.reject_shape(message)
    return resource_type


def _check_kafka(ctx: Context, params: dict[str, Any]) -> None:
    """The KafkaConnectParam rules its member documents state (shape rules)."""
    network = params.get("NetworkType")
    if network is not None and network not in _NETWORK_TYPES:
        ctx.reject_shape(
            f"The parameter `KafkaConnectParam.NetworkType` must be PUBLIC or VPC, got `{network}`."
        )
    for needed in _NETWORK_TYPES.get(str(network), ()):
        if params.get(needed) in (None, ""):
            ctx.reject_shape(
                f"The parameter `KafkaConnectParam.{needed}` is required when NetworkType "
                f"is {network}.",
                "MissingParameter",
            )
    if not params.get("SelfBuilt") and not params.get("Resource"):
        ctx.reject_shape(
            "The parameter `KafkaConnectParam.Resource` (the CKafka instance id) is required "
            "unless SelfBuilt is true.",
            "MissingParameter",
        )


def _check_instance(ctx: Context, params: dict[str, Any]) -> None:
    """A CKafka connection that is not self-built names an instance of the caller (business)."""
    instance_id = str(params.get("Resource") or "")
    if params.get("SelfBuilt") or not instance_id:
        return
    region = str(params.get("Region") or ctx.region)
    if instance_id not in ctx.backend.store(ctx.account, region).instances:
        ctx.fail(
            "InvalidParameterValue.InstanceNotExist",
            f"The instance `{instance_id}` (KafkaConnectParam.Resource) does not exist in "
            f"region {region}.",
        )


def _check_name_free(ctx: Context, name: str, resource_id: str = "") -> None:
    for other in ctx.store.connect_resources.values():
        if other.name == name and other.resource_id != resource_id:
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"The connect resource name `{name}` is already used by `{other.resource_id}`.",
            )


@answers("CreateConnectResource")
def create_connect_resource(ctx: Context) -> Body:
    """Add a connect resource; it runs at once."""
    name = str(ctx.get("ResourceName", ""))  # not empty: request validation says so
    resource_type = _check_type(ctx)
    params: dict[str, Any] = {}
    if resource_type in CONNECT_TYPES:
        member = param_member(resource_type)
        sent = ctx.get(member)
        if sent is None:
            ctx.reject_shape(
                f"The parameter `{member}` is required when Type is {resource_type}.",
                "MissingParameter",
            )
        params = dict(sent or {})
        if member == "KafkaConnectParam":
            _check_kafka(ctx, params)
            _check_instance(ctx, params)
    tags = check_tags(ctx)
    _check_name_free(ctx, name)
    resource_id = _new_resource_id(ctx)
    ctx.store.connect_resources[resource_id] = ConnectResource(
        resource_id=resource_id,
        name=name,
        type=resource_type,
        created_at=ctx.now,
        description=str(ctx.get("Description", "")),
        params=params,
        tags=tags,
    )
    return {"Result": {"ResourceId": resource_id}}


def _new_resource_id(ctx: Context) -> str:
    while True:
        candidate = ctx.new_id("resource")
        if candidate not in ctx.store.connect_resources:
            return candidate


# -- describing -----------------------------------------------------------------------------


def _view(ctx: Context, resource: ConnectResource, object_name: str) -> Body:
    """``resource`` as ``object_name`` (DescribeConnectResourceResp or a list item)."""
    body: Body = {
        "ResourceId": resource.resource_id,
        "ResourceName": resource.name,
        "Description": resource.description,
        "Type": resource.type,
        "Status": resource.status,
        "CreateTime": beijing_datetime(resource.created_at),
        "ErrorMessage": "",
        "CurrentStep": _FINISHED,
        "StepList": [_FINISHED],
        "Tags": [dict(t) for t in resource.tags],
    }
    if object_name == "DescribeConnectResource":  # the list item counts its tasks
        body["DatahubTaskCount"] = len(tasks_using(ctx.store, resource.resource_id))
        body["TaskProgress"] = 100
    if resource.type in CONNECT_TYPES:
        member = param_member(resource.type)
        # A password is kept to connect, never answered: the member is there, empty.
        shown = {k: v for k, v in resource.params.items() if k != "Password"}
        output = {n: m.kind for n, m in _members(object_name).items()}
        if member in output:
            body[member] = complete(output[member], shown)
    return complete(object_name, body)


def _members(object_name: str) -> dict[str, Member]:
    return load_spec().members(object_name)


@answers("DescribeConnectResource")
def describe_connect_resource(ctx: Context) -> Body:
    """One connect resource, its parameters without the password."""
    resource = connect_resource(ctx)
    return {"Result": _view(ctx, resource, "DescribeConnectResourceResp")}


@answers("DescribeConnectResources")
def describe_connect_resources(ctx: Context) -> Body:
    """The connect resources of the caller's region, by Type, SearchWord and ResourceRegion."""
    settle_tasks(ctx)  # DatahubTaskCount counts live tasks
    offset, limit = window(ctx)
    tests = []
    resource_type = ctx.get("Type")
    if resource_type:
        tests.append(lambda r: r.type == resource_type)
    word = ctx.get("SearchWord")
    if word:
        tests.append(lambda r: matches(word, r.name))
    region = ctx.get("ResourceRegion")
    if region:  # "only the connections whose input names a region"
        tests.append(lambda r: r.params.get("Region") == region)
    everything = ctx.store.connect_resources.values()
    total = None if tests else len(everything)
    count, selected = count_and_page(keep(everything, *tests), total, offset, limit)
    listed = [_view(ctx, r, "DescribeConnectResource") for r in selected]
    return {"Result": {"TotalCount": count, "ConnectResourceList": listed}}


# -- modifying and deleting -----------------------------------------------------------------


@answers("ModifyConnectResource")
def modify_connect_resource(ctx: Context) -> Body:
    """Rename, describe or change the parameters of a connect resource of the same Type."""
    resource = connect_resource(ctx)
    resource_type = ctx.get("Type")
    if resource_type and resource_type != resource.type:
        ctx.fail(
            "InvalidParameterValue",
            f"The connect resource `{resource.resource_id}` is of Type {resource.type}, not "
            f"{resource_type}; its Type cannot change.",
        )
    own = param_member(resource.type) if resource.type in CONNECT_TYPES else ""
    changes: dict[str, Any] = {}
    for name in _members("ModifyConnectResourceRequest"):
        sent = ctx.get(name)
        if not name.endswith(_SUFFIX) or sent is None:
            continue
        if name != own:
            ctx.fail(
                "InvalidParameterValue",
                f"The connect resource `{resource.resource_id}` is of Type {resource.type}; "
                f"`{name}` does not apply to it" + (f" (send `{own}`)." if own else "."),
            )
        kept, wanted = resource.params.get("Resource"), sent.get("Resource")
        if wanted not in (None, kept):
            ctx.fail(
                "InvalidParameterValue",
                f"The parameter `{name}.Resource` cannot change: the connect resource "
                f"`{resource.resource_id}` connects to `{kept}`, got `{wanted}`.",
            )
        changes = {k: v for k, v in sent.items() if v is not None}
    if own == "KafkaConnectParam" and changes:  # the merged parameters keep the create rules
        merged = {**resource.params, **changes}
        _check_kafka(ctx, merged)
        _check_instance(ctx, merged)
    name = str(ctx.get("ResourceName") or "")
    if name:
        _check_name_free(ctx, name, resource.resource_id)
        resource.name = name
    description = ctx.get("Description")
    if description:
        resource.description = str(description)
    resource.params.update(changes)
    return {"Result": {"ResourceId": resource.resource_id}}


@answers("DeleteConnectResource")
def delete_connect_resource(ctx: Context) -> Body:
    """Delete a connect resource that no DataHub task uses."""
    settle_tasks(ctx)  # a task whose deletion finished no longer uses it
    resource = connect_resource(ctx)
    users = tasks_using(ctx.store, resource.resource_id)
    if users:
        ctx.fail(
            "ResourceInUse",
            f"The connect resource `{resource.resource_id}` is used by DataHub task"
            f"{'s' if len(users) > 1 else ''} "
            + ", ".join(f"`{t}`" for t in users)
            + "; delete the task first (DeleteDatahubTask).",
        )
    del ctx.store.connect_resources[resource.resource_id]
    return {"Result": {"ResourceId": resource.resource_id}}
