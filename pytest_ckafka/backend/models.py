"""The resources the stateful backend keeps: plain dataclasses, no API logic.

Everything lives in a :class:`RegionStore`, one per account and
region. Instances own their topics, groups, users, ACLs and routes, as in
CKafka, so deleting an instance can never leave an orphan behind. Every model
round-trips through :func:`dump_store` / :func:`load_store` (plain JSON data),
which is what ``pytest-ckafka serve --state FILE`` saves and loads.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..api.json_types import json_kind

__all__ = [
    "CHANGING",
    "CREATING",
    "ISOLATED",
    "MAIN_ROUTE_ID",
    "RUNNING",
    "Acl",
    "AclRule",
    "CdcCluster",
    "Change",
    "ConnectResource",
    "DatahubTask",
    "DatahubTopic",
    "Group",
    "GroupMember",
    "Instance",
    "MaintenanceTask",
    "Message",
    "Partition",
    "ProduceConnection",
    "Prometheus",
    "RegionStore",
    "Route",
    "Task",
    "ThrottleRule",
    "Token",
    "Topic",
    "User",
    "dump_store",
    "load_store",
]


CREATING, RUNNING, ISOLATED, CHANGING = 0, 1, 5, 7
"""An instance's ``Status``, as the API numbers them: creating, running, isolated (隔离中),
and changing (升级中: a ModifyInstancePre, InstanceScalingDown or UpgradeBrokerVersion runs)."""


@dataclass
class Message:
    """One record in a partition; ``timestamp`` in milliseconds, as Kafka keeps it.

    ``headers`` are the record's headers, name to value.
    """

    offset: int
    key: str
    value: str
    timestamp: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Partition:
    """A partition's log: ``messages`` in offset order, the first at offset 0.

    ``out_of_sync`` are the brokers whose replica of it has fallen behind (not in the ISR).
    """

    messages: list[Message] = field(default_factory=list)
    out_of_sync: list[int] = field(default_factory=list)

    @property
    def end_offset(self) -> int:
        """The offset the next message gets (the high-water mark)."""
        return len(self.messages)


@dataclass
class ProduceConnection:
    """A producer connected to a topic (DescribeTopicProduceConnection).

    ``connected_at`` is a clock time; ``unsupported_version`` is the API's
    ``IsUnSupportVersion`` (the client speaks a protocol version CKafka does not support).
    """

    ip: str
    connected_at: float
    unsupported_version: bool = False


@dataclass
class Topic:
    """A topic. ``config`` holds the request members that configure it
    (``CleanUpPolicy``, ``RetentionMs``, ``MaxMessageBytes``...), as sent."""

    topic_id: str
    name: str
    replica_num: int
    created_at: float
    partitions: list[Partition] = field(default_factory=list)
    note: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    connections: list[ProduceConnection] = field(default_factory=list)

    @property
    def partition_num(self) -> int:
        """How many partitions the topic has."""
        return len(self.partitions)


@dataclass
class GroupMember:
    """A consumer in a group: ``assignment`` maps a topic to the partitions it was given."""

    member_id: str
    client_id: str
    client_host: str
    assignment: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Group:
    """A consumer group and its committed offsets: topic -> offset per partition.

    ``protocol`` is the protocol type (``consumer``, ``connect``...), ``assignor``
    the partition assignment strategy its members chose (``range``, ``roundrobin``,
    ``sticky``). An offset of -1 is a partition the group never committed to.
    """

    name: str
    protocol: str = "consumer"
    state: str = "Empty"
    offsets: dict[str, list[int]] = field(default_factory=dict)
    assignor: str = "range"
    members: list[GroupMember] = field(default_factory=list)


@dataclass
class User:
    """A SASL user. The password is kept to check ``ModifyPassword``; never answered."""

    user_id: int
    name: str
    password: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Acl:
    """One ACL rule; the API's integer enums as sent (ResourceType 2 is a topic)."""

    resource_type: int
    resource_name: str
    operation: int
    permission_type: int
    principal: str = "User:*"
    host: str = "*"


@dataclass
class AclRule:
    """A named ACL rule (CreateAclRule) and the topics it was applied to.

    ``entries`` are its AclRuleInfo quadruples in DescribeAclRule's ``AclList``
    words (``{"host", "operation", "permissionType", "principal"}``). A
    ``PREFIXED`` rule applies to every topic whose name starts with ``pattern``,
    now and later; a ``PRESET`` one to the topics created (or modified) with its
    name, and with ``is_applied`` 1 to every topic created after. ``made`` holds
    the ACLs it added to the instance, which deleting it removes.
    """

    rule_id: int
    name: str
    pattern_type: str
    pattern: str
    entries: list[dict[str, str]]
    created_at: float
    updated_at: float
    is_applied: int = 0
    comment: str = ""
    topics: list[str] = field(default_factory=list)
    made: list[Acl] = field(default_factory=list)


@dataclass
class ThrottleRule:
    """A traffic throttle (CreateThrottleRule) on one user/client, group or topic.

    ``throttle_type`` is the API's: 1 a user and/or client id, 2 a consumer group,
    3 a topic. The throttles are in MB/s; ``None`` when not set.
    """

    rule_id: int
    throttle_type: int
    updated_at: float
    user_name: str = ""
    client_id: str = ""
    group_name: str = ""
    topic_name: str = ""
    consume_throttle: Optional[int] = None
    produce_throttle: Optional[int] = None


@dataclass
class Token:
    """A token CreateToken made for a user; AuthorizeToken authorizes it on the instance."""

    token: str
    user: str
    created_at: float
    authorized: bool = False


@dataclass
class AccessPolicy:
    """A public route's IP whitelist (ModifyAccessPolicy): ``IpWhitelistDTO`` objects as sent."""

    route_id: int
    ip_whitelist: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Route:
    """An access route (VipType 3 is the VPC network, 1 the public network)."""

    route_id: int
    vip_type: int
    access_type: int
    vip: str
    vport: str
    created_at: float
    vpc_id: str = ""
    subnet_id: str = ""
    note: str = ""
    delete_at: Optional[float] = None  # DeleteRoute's DeleteRouteTime (clock seconds), if set
    security_group_ids: list[str] = field(default_factory=list)  # in the order they were set


@dataclass
class Prometheus:
    """A Prometheus scrape point CreatePrometheus opened in a VPC: every broker's
    exporters (JmxExport, NodeExport) answer on ``vip``, one port each."""

    route_id: int
    vpc_id: str
    subnet_id: str
    vip: str
    created_at: float


MAIN_ROUTE_ID = 0
"""The RouteId of the route an instance is created with (``MainRouteFlag`` shows it)."""


@dataclass
class Change:
    """A change of an instance's spec or broker version that a task (``flow_id``) carries out.

    The values to set (None: unchanged) apply when the task completes, and not
    before ``not_before`` (clock seconds: UpgradeBrokerVersion's DelayTimeStamp).
    """

    flow_id: int
    kind: str
    bandwidth: Optional[int] = None
    disk_size: Optional[int] = None
    partition_limit: Optional[int] = None
    broker_version: Optional[str] = None
    not_before: Optional[float] = None


@dataclass
class MaintenanceTask:
    """A routine maintenance setting (ModifyRoutineMaintenanceTask), members as sent."""

    maintenance_type: str
    maintenance_subtype: str
    topic_name: str = ""
    configure_threshold: Optional[int] = None
    configure_step_size: Optional[int] = None
    configure_limit: Optional[int] = None
    planned_time: Optional[int] = None
    extra_config: str = ""
    status: int = 0
    week: str = ""


@dataclass
class Instance:
    """A CKafka instance (cluster) and everything it owns.

    ``status`` is 0 while creating, 1 when running, 5 isolated and 7 while a change
    runs; ``describes`` counts the describe calls that have seen it, which with
    ``created_at`` and the backend's settings decides when a creating instance starts
    running. ``attrs`` keeps the other members set by create and modify calls, by
    their request names.

    The defaults are what ``ckafka.state.add_instance()`` seeds: an instance
    CreateInstancePre would make from the same values (a test holds them to it).
    """

    instance_id: str
    name: str
    status: int
    created_at: float
    vpc_id: str = "vpc-00000000"
    subnet_id: str = "subnet-00000000"
    zone_id: int = 100003
    zone_ids: list[int] = field(default_factory=list)
    bandwidth: int = 40
    disk_size: int = 500
    disk_type: str = "CLOUD_PREMIUM"
    kafka_version: str = "2.4.1"
    partition_limit: int = 800
    topic_limit: int = 400
    msg_retention_time: int = 1440
    pay_mode: str = "PREPAID"
    renew_flag: int = 0
    vip: str = "10.0.0.10"
    vport: str = "9092"
    tags: list[dict[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    acls: list[Acl] = field(default_factory=list)
    routes: dict[int, Route] = field(default_factory=dict)
    describes: int = 0
    acl_rules: dict[str, AclRule] = field(default_factory=dict)
    broker_version: str = ""
    """The broker build (``v2.8.1_r1.1.6``); empty: the latest the reference documents for
    ``kafka_version`` (see :mod:`.versions`)."""
    change: Optional[Change] = None
    """The spec or version change running now (Status 7), if any."""
    maintenance: dict[str, MaintenanceTask] = field(default_factory=dict)
    """Routine maintenance settings, by ``TYPE/SUBTYPE`` (and ``/TOPIC`` for a topic's)."""
    throttle_rules: dict[int, ThrottleRule] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    access_policies: dict[int, AccessPolicy] = field(default_factory=dict)
    prometheus: dict[int, Prometheus] = field(default_factory=dict)
    """Prometheus scrape points CreatePrometheus opened, by their RouteId."""
    main_route: Optional[Route] = None
    """The route the instance was created with (RouteId 0, VPC, PLAINTEXT), built from
    ``vpc_id``, ``subnet_id``, ``vip`` and ``vport`` when not given; it cannot be deleted."""

    def __post_init__(self) -> None:
        if self.main_route is None:
            self.main_route = Route(
                MAIN_ROUTE_ID,
                3,
                0,
                self.vip,
                self.vport,
                self.created_at,
                self.vpc_id,
                self.subnet_id,
            )


@dataclass
class Task:
    """An asynchronous operation that DescribeTaskStatus reports on.

    ``status`` follows the API: 0 succeeded, 1 failed, 2 in progress.
    """

    flow_id: int
    kind: str
    instance_id: str
    created_at: float
    status: int = 2
    output: str = ""
    polls: int = 0


@dataclass
class ConnectResource:
    """A connector connection (DataHub "connect resource"): where a task reads or writes.

    ``params`` is the request's ``<Kind>ConnectParam`` member as sent (passwords
    included, to keep them: answers never show them); ``status`` 1 is running.
    """

    resource_id: str
    name: str
    type: str
    created_at: float
    description: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    tags: list[dict[str, str]] = field(default_factory=list)
    status: int = 1


@dataclass
class DatahubTask:
    """A DataHub (connector) task and where it is in its status machine.

    ``status`` follows the API: 0 creating, 1 running, 2 deleting, 5 pausing,
    6 paused, 8 resuming (-1, 4, 7 and 9 are the failures). A transitional
    status (0, 2, 5, 8) settles after the backend's ``ready_after_describes``
    describes (``describes`` counts them since ``changed_at``) or
    ``ready_after_seconds`` on the clock, or once DescribeTaskStatus reports its
    ``flow_id`` done. ``source`` and ``target`` are the ``DatahubResource``
    members as sent; ``resource_ids`` the connect resources the task uses.
    """

    task_id: str
    name: str
    task_type: str
    created_at: float
    datahub_id: str = ""
    kind: str = "CreateDatahubTask"
    status: int = 0
    changed_at: float = 0.0
    describes: int = 0
    flow_id: int = 0
    source: dict[str, Any] = field(default_factory=dict)
    target: dict[str, Any] = field(default_factory=dict)
    resource_ids: list[str] = field(default_factory=list)
    description: str = ""
    schema_id: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)
    task_max: int = 1
    sync_throttle_limit: int = 20
    auto_expand: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    """Other create members, by request name (TransformParam, TopicList, Prefix...)."""


@dataclass
class DatahubTopic:
    """A DataHub (DIP) topic: named ``<AppId>-...``, not owned by an instance.

    ``datahub_id`` (``datahub-xxxxxxxx``) is the HTTP access point SendMessage
    writes to; ``group_offsets`` the committed offset per partition of each
    consumer group; ``sticky`` the partition the next keyless SendMessage batch
    goes to (Kafka's sticky partitioner, turned round-robin to be repeatable).
    ``status`` is 1 (in use), as DescribeDatahubTopic documents.
    """

    name: str
    topic_id: str
    datahub_id: str
    retention_ms: int
    created_at: float
    user_name: str
    password: str
    partitions: list[Partition] = field(default_factory=list)
    note: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)
    status: int = 1
    group_offsets: dict[str, list[int]] = field(default_factory=dict)
    sticky: int = 0

    @property
    def partition_num(self) -> int:
        """How many partitions the topic has."""
        return len(self.partitions)


@dataclass
class CdcCluster:
    """A CKafka cluster CreateCdcCluster builds on a CDC (a Cloud Dedicated Cluster);
    ``task_id`` is the task CheckCdcCluster reports on. Sizes as the request sent them."""

    cdc_id: str
    vpc_id: str
    subnet_id: str
    zone_id: int
    bandwidth: int
    disk_size: int
    disk_type: str
    system_disk_type: str
    task_id: int
    created_at: float


@dataclass
class RegionStore:
    """Everything one account has in one region."""

    instances: dict[str, Instance] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """What SendMessage delivered, by DataHubId, in order."""
    connect_resources: dict[str, ConnectResource] = field(default_factory=dict)
    datahub_tasks: dict[str, DatahubTask] = field(default_factory=dict)
    datahub_topics: dict[str, DatahubTopic] = field(default_factory=dict)
    """DataHub topics by name (a region's DIP topics belong to no instance)."""
    cdc_clusters: dict[str, CdcCluster] = field(default_factory=dict)
    """The clusters CreateCdcCluster built, by CdcId."""

    def is_empty(self) -> bool:
        """True when the store holds nothing at all (a state dump leaves it out)."""
        return not any(getattr(self, f.name) for f in dataclasses.fields(self))


def dump_store(store: RegionStore) -> dict[str, Any]:
    """``store`` as JSON-ready data (see :func:`load_store`).

    Dataclasses become objects, ``dict[str, X]`` an object and ``dict[int, X]`` a
    list of ``X`` (the integer key is ``X``'s first field, as a route's or a task's id).
    """
    data: dict[str, Any] = _dump(store)
    return data


def load_store(data: Mapping[str, Any]) -> RegionStore:
    """Rebuild a :class:`RegionStore` from :func:`dump_store` data, guided by the types.

    Missing keys take the field's default; unknown or mistyped ones raise
    ``TypeError``/``KeyError``/``ValueError``, which the caller reports with the
    file it read. A new model needs no code here: its fields' types say how.

    >>> store = RegionStore()
    >>> store.instances["ckafka-1"] = Instance("ckafka-1", "a", 1, 0.0)
    >>> load_store(dump_store(store)) == store
    True
    """
    store: RegionStore = _load(RegionStore, data)
    for key, instance in store.instances.items():
        if instance.instance_id != key:
            raise ValueError(f"instance {key!r} has instance_id {instance.instance_id!r}")
    return store


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            return [_dump(v) for v in value.values()]
        return {str(k): _dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    return copy.deepcopy(value)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _load(hint: Any, raw: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union:  # Optional[X]
        if raw is None:
            return None
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(inner[0], raw) if len(inner) == 1 else raw
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(raw, Mapping):
            raise TypeError(f"{hint.__name__}: expected an object, got {json_kind(raw)}")
        hints = _hints(hint)
        names = {f.name for f in dataclasses.fields(hint) if f.init}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise TypeError(f"{hint.__name__}: unknown key {unknown[0]!r}")
        return hint(**{k: _load(hints[k], v) for k, v in raw.items()})
    if origin is dict:
        key_type, value_type = typing.get_args(hint) or (Any, Any)
        if key_type is int:
            items = raw.values() if isinstance(raw, Mapping) else raw
            loaded = [_load(value_type, item) for item in items]
            return {int(getattr(v, dataclasses.fields(v)[0].name)): v for v in loaded}
        if not isinstance(raw, Mapping):
            raise TypeError(f"expected an object, got {json_kind(raw)}")
        return {str(k): _load(value_type, v) for k, v in raw.items()}
    if origin is list:
        (item_type,) = typing.get_args(hint) or (Any,)
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {json_kind(raw)}")
        return [_load(item_type, v) for v in raw]
    if hint is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    return copy.deepcopy(raw)
