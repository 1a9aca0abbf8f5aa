"""``ckafka.state``: seed the stateful backend and look inside it.

Seeding is not an API call: it is never validated or logged, and it puts
resources straight into the running state (an added instance is running
unless ``status=0``). What it stores must still serialize, as an answer, in
``GET /_ckafka/state`` and in a ``--state`` file: every seed (and
:meth:`State.load`) refuses a lone surrogate, an integer past 64 bits and nesting
past :data:`~pytest_ckafka.api.limits.MAX_DEPTH`, naming the field, and every seed
argument is type-checked against its annotation
(:mod:`~pytest_ckafka.backend.seed_arguments`), as the control API's seeds are.

Without ``region`` a resource goes to ``ap-guangzhou``, the ``ckafka_client``
fixtures' region. Without ``account`` it goes to the default account,
``"default"``, which every SecretId acts in unless it was registered with
``ckafka.add_credentials(..., account="NAME")``: ``account="NAME"`` here seeds
what the keys registered with that name see.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional

from ..api.limits import check_data
from ..api.spec import load_spec
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .acl_rules import apply_rule, rules_for_new_topic
from .models import (
    CREATING,
    ISOLATED,
    RUNNING,
    Acl,
    Group,
    Instance,
    Message,
    Partition,
    Route,
    Task,
    Topic,
    User,
)
from .seed_messages import MessageLike, message_parts
from .state_access import AccessState
from .state_acl_rules import AclRuleState
from .state_base import StateBase
from .state_cdc import CdcState
from .state_connect import ConnectState
from .state_datahub_tasks import DatahubTaskState
from .state_datahub_topics import DatahubTopicsState
from .state_groups import GroupsState
from .state_instance_lifecycle import InstanceLifecycleState
from .state_monitoring import MonitoringState
from .state_security_groups import SecurityGroupState
from .state_throttles import ThrottleState

__all__ = ["MessageLike", "State"]

_INSTANCE_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(Instance)
    if f.name
    not in {
        "instance_id",
        "name",
        "status",
        "created_at",
        "topics",
        "groups",
        "users",
        "acls",
        "routes",
        "describes",
        "acl_rules",
        "change",
        "maintenance",
        "throttle_rules",
        "main_route",
        "tokens",
        "access_policies",
        "prometheus",
    }
)
# A seeded topic has existed for a day, so the 60-second delete rule does not hit it.
_SEEDED_AGE = 86_400.0
# add_route's access type by VipType: what CreateRoute would accept for a route added
# next to the instance's own (VPC, PLAINTEXT) one, and the two defaults side by side
# (an instance may have one SASL_PLAINTEXT route).
_VPC_ROUTE = 3
_ROUTE_ACCESS_TYPES = {_VPC_ROUTE: 1, 1: 3, 7: 0}


class State(
    # the families' seeding and inspection: one mixin per family module (state_*.py),
    # each a subclass of StateBase, listed here BEFORE StateBase (else no valid MRO)
    ConnectState,
    AclRuleState,
    GroupsState,
    InstanceLifecycleState,
    ThrottleState,
    DatahubTopicsState,
    SecurityGroupState,
    AccessState,
    MonitoringState,
    CdcState,
    DatahubTaskState,
    StateBase,
):
    """Seed and inspect the backend behind a fake (``ckafka.state``).

    >>> from pytest_ckafka.backend import Backend
    >>> state = State(Backend(seed=1))
    >>> instance_id = state.add_instance(name="orders")
    >>> _ = state.add_topic(instance_id, "payments", partitions=3)
    >>> [(t.name, t.partition_num) for t in state.topics(instance_id)]
    [('payments', 3)]

    The inspection methods return the backend's own model objects: read them
    between calls (or under ``backend.lock`` while a server is serving), and
    change the state through the API or these ``add_*`` methods, not by editing
    them.
    """

    # -- settings ----------------------------------------------------------------

    def configure(
        self,
        *,
        ready_after_describes: Optional[int] = None,
        ready_after_seconds: Optional[float] = None,
    ) -> None:
        """When creating instances and running tasks finish (see :class:`Backend`).

        ``ready_after_describes=0`` makes a new instance running at once.
        """
        if ready_after_describes is not None:
            if isinstance(ready_after_describes, bool) or ready_after_describes < 0:
                raise CKafkaUsageError(
                    f"ready_after_describes must be 0 or more, got {ready_after_describes!r}"
                )
            self.backend.ready_after_describes = int(ready_after_describes)
        if ready_after_seconds is not None:
            if ready_after_seconds < 0:
                raise CKafkaUsageError(
                    f"ready_after_seconds must be 0 or more, got {ready_after_seconds!r}"
                )
            self.backend.ready_after_seconds = float(ready_after_seconds)

    # -- seeding -------------------------------------------------------------------

    def add_instance(
        self,
        instance_id: Optional[str] = None,
        *,
        name: str = "ckafka-instance",
        status: int = 1,
        region: Optional[str] = None,
        account: Optional[str] = None,
        **attributes: Any,
    ) -> str:
        """Add an instance and return its id (``ckafka-xxxxxxxx`` unless given).

        ``attributes`` are :class:`~.models.Instance` fields, e.g. ``vpc_id``,
        ``zone_id``, ``kafka_version``, ``broker_version``, ``partition_limit``,
        ``tags``. ``status=5`` adds an isolated (prepaid) instance.
        """
        for key in attributes:
            if key not in _INSTANCE_FIELDS:
                message = unknown_name_message("attribute", key, _INSTANCE_FIELDS, list_all=True)
                raise CKafkaUsageError(f"state.add_instance: {message}")
        self._check_seed(
            "add_instance",
            instance_id=instance_id,
            name=name,
            status=status,
            region=region,
            account=account,
            **attributes,
        )
        if status not in (CREATING, RUNNING, ISOLATED):
            raise CKafkaUsageError(
                "state.add_instance: status is 0 (creating), 1 (running) or 5 (isolated), "
                f"got {status!r}"
            )
        if status == ISOLATED and attributes.get("pay_mode", "PREPAID") != "PREPAID":
            raise CKafkaUsageError(
                "state.add_instance: only a PREPAID instance is isolated (status 5), as "
                "IsolatedInstancePre isolates"
            )
        with self.backend.lock:
            if instance_id is None:
                instance_id = self.backend.new_id("ckafka")
            elif self.backend.where_is(instance_id) is not None:
                raise CKafkaUsageError(f"state.add_instance: {instance_id} already exists")
            now = self.backend.clock.now()
            # Copied: a tags or zone_ids list the caller changes later must not change the state.
            instance = Instance(instance_id, name, status, now, **copy.deepcopy(attributes))
            self._store(account, region).instances[instance_id] = instance
        return instance_id

    def add_topic(
        self,
        instance_id: str,
        name: str,
        *,
        partitions: int = 1,
        replicas: int = 2,
        note: str = "",
        created_at: Optional[float] = None,
        **config: Any,
    ) -> str:
        """Add a topic to ``instance_id`` and return its id (``topic-xxxxxxxx``).

        ``config`` are CreateTopic members such as ``RetentionMs=3600000``. The
        topic counts as created a day ago unless ``created_at`` (a clock time) says.
        """
        self._check_seed(
            "add_topic", instance_id=instance_id, name=name, partitions=partitions,
            replicas=replicas, note=note, created_at=created_at, **config,
        )  # fmt: skip
        if partitions < 1 or replicas < 1:
            raise CKafkaUsageError("state.add_topic: partitions and replicas must be 1 or more")
        configurable = _topic_config_members()
        for key in config:
            if key not in configurable:
                message = unknown_name_message("CreateTopic member", key, configurable)
                raise CKafkaUsageError(f"state.add_topic: {message}")
        with self.backend.lock:
            instance = self.instance(instance_id)
            if name in instance.topics:
                raise CKafkaUsageError(f"state.add_topic: {instance_id} already has topic {name}")
            used = sum(t.partition_num for t in instance.topics.values())
            if used + partitions > instance.partition_limit:  # as CreateTopic's budget
                raise CKafkaUsageError(
                    f"state.add_topic: {partitions} partitions do not fit instance "
                    f"{instance_id}, which uses {used} of its partition_limit "
                    f"{instance.partition_limit}; seed the instance with a larger "
                    "add_instance(partition_limit=...)"
                )
            named = None
            if config.get("EnableAclRule") == 1 and config.get("AclRuleName"):
                # CreateTopic's rule: the name is a rule of the instance, and a PRESET one.
                rule_name = str(config["AclRuleName"])
                named = instance.acl_rules.get(rule_name)
                if named is None or named.pattern_type != "PRESET":
                    presets = sorted(
                        r.name for r in instance.acl_rules.values() if r.pattern_type == "PRESET"
                    )
                    what = "has no ACL rule" if named is None else "has a PREFIXED ACL rule"
                    raise CKafkaUsageError(
                        f"state.add_topic: instance {instance_id} {what} {rule_name!r}; "
                        f"AclRuleName names a PRESET rule (its PRESET rules: "
                        f"{', '.join(presets) or 'none'})"
                    )
            when = self.backend.clock.now() - _SEEDED_AGE if created_at is None else created_at
            topic = Topic(
                self.backend.new_id("topic"),
                name,
                replicas,
                when,
                [Partition() for _ in range(partitions)],
                note,
                copy.deepcopy(config),
            )
            instance.topics[name] = topic
            # The ACL rules CreateTopic would apply: prefix matches, presets for new
            # topics, and the preset it names with EnableAclRule=1.
            for rule in rules_for_new_topic(instance, name, named):
                apply_rule(instance, rule, name)
        return topic.topic_id

    def add_messages(
        self,
        instance_id: str,
        topic: str,
        messages: Iterable[MessageLike],
        *,
        partition: int = 0,
    ) -> list[int]:
        """Append ``messages`` to a partition; return their offsets.

        A message is its value, a ``(key, value)`` pair, or a mapping with
        ``value`` and optionally ``key``, ``timestamp`` (milliseconds; default
        the clock's now) and ``headers`` (``{name: value}``).
        """
        now_ms = int(self.backend.clock.now() * 1000)
        parts = [message_parts(item, now_ms) for item in messages]
        self._check_seed(
            "add_messages", instance_id=instance_id, topic=topic, partition=partition,
            messages=[dict(zip(("key", "value", "timestamp", "headers"), p)) for p in parts],
        )  # fmt: skip
        with self.backend.lock:
            log = self._partition(instance_id, topic, partition)
            offsets = []
            for key, value, stamp, headers in parts:
                offset = log.end_offset
                log.messages.append(Message(offset, key, value, stamp, headers))
                offsets.append(offset)
        return offsets

    def add_group(
        self,
        instance_id: str,
        name: str,
        *,
        offsets: Optional[Mapping[str, Sequence[int]]] = None,
        state: str = "Empty",
        protocol: str = "consumer",
        assignor: str = "range",
    ) -> None:
        """Add a consumer group with committed ``offsets``: ``{topic: [offset per partition]}``.

        An offset of -1 is a partition the group never committed to. ``protocol`` is
        the protocol type, ``assignor`` the partition assignor its members use; add
        them with :meth:`add_group_member`.
        """
        listed = {topic: list(values) for topic, values in (offsets or {}).items()}
        self._check_seed(
            "add_group", instance_id=instance_id, name=name, offsets=listed, state=state,
            protocol=protocol, assignor=assignor,
        )  # fmt: skip
        with self.backend.lock:
            instance = self.instance(instance_id)
            if name in instance.groups:
                raise CKafkaUsageError(f"state.add_group: {instance_id} already has group {name}")
            for topic, values in listed.items():
                known = instance.topics.get(topic)
                if known is None:
                    raise CKafkaUsageError(
                        f"state.add_group: {instance_id} has no topic "
                        + unknown_name_message("topic", topic, instance.topics)
                    )
                if len(values) != known.partition_num:
                    raise CKafkaUsageError(
                        f"state.add_group: topic {topic} has {known.partition_num} partitions, "
                        f"got {len(values)} offsets"
                    )
            instance.groups[name] = Group(name, protocol, state, listed, assignor)

    def add_user(self, instance_id: str, name: str, password: str) -> None:
        """Add a SASL user."""
        self._check_seed("add_user", instance_id=instance_id, name=name, password=password)
        with self.backend.lock:
            instance = self.instance(instance_id)
            if name in instance.users:
                raise CKafkaUsageError(f"state.add_user: {instance_id} already has user {name}")
            now = self.backend.clock.now()
            user = User(self.backend.next_number(), name, password, now, now)
            instance.users[name] = user

    def add_acl(
        self,
        instance_id: str,
        resource_name: str,
        *,
        operation: int,
        permission_type: int,
        resource_type: int = 2,
        principal: str = "User:*",
        host: str = "*",
    ) -> None:
        """Add an ACL rule (``resource_type`` 2 is a topic, as in CreateAcl)."""
        self._check_seed(
            "add_acl", instance_id=instance_id, resource_name=resource_name, operation=operation,
            permission_type=permission_type, resource_type=resource_type, principal=principal,
            host=host,
        )  # fmt: skip
        with self.backend.lock:
            acl = Acl(resource_type, resource_name, operation, permission_type, principal, host)
            acls = self.instance(instance_id).acls
            if acl not in acls:
                acls.append(acl)

    def add_route(
        self,
        instance_id: str,
        *,
        vip_type: int = 3,
        access_type: Optional[int] = None,
        vip: str = "10.0.0.20",
        vport: str = "9092",
        delete_at: Optional[float] = None,
    ) -> int:
        """Add an access route and return its RouteId.

        ``access_type`` defaults by ``vip_type``: SASL_PLAINTEXT (1) for a VPC route
        (3), SASL_SSL (3) for a public one (1), PLAINTEXT (0) otherwise. A VPC
        route is in the instance's VPC and subnet. ``delete_at`` (a clock time)
        schedules a public route's deletion, as DeleteRoute's ``DeleteRouteTime`` does.
        """
        self._check_seed(
            "add_route",
            instance_id=instance_id,
            vip_type=vip_type,
            access_type=access_type,
            vip=vip,
            vport=vport,
            delete_at=delete_at,
        )
        if delete_at is not None and vip_type != 1:
            raise CKafkaUsageError(
                "state.add_route: only public routes (vip_type=1) are deleted on a schedule"
            )
        if access_type is None:
            access_type = _ROUTE_ACCESS_TYPES.get(vip_type, 0)
        with self.backend.lock:
            instance = self.instance(instance_id)
            in_vpc = vip_type == _VPC_ROUTE
            route = Route(
                self.backend.next_number(),
                vip_type,
                access_type,
                vip,
                vport,
                self.backend.clock.now(),
                vpc_id=instance.vpc_id if in_vpc else "",
                subnet_id=instance.subnet_id if in_vpc else "",
                delete_at=delete_at,
            )
            instance.routes[route.route_id] = route
        return route.route_id

    # -- inspecting --------------------------------------------------------------------

    def instances(
        self, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[Instance]:
        """The live instances of ``account`` in ``region`` (defaults: see the module)."""
        with self.backend.lock:
            return list(self._store(account, region).instances.values())

    def topics(self, instance_id: str) -> list[Topic]:
        """The topics of ``instance_id``, in creation order."""
        with self.backend.lock:
            return list(self.instance(instance_id).topics.values())

    def topic(self, instance_id: str, name: str) -> Topic:
        """One topic of ``instance_id``."""
        with self.backend.lock:
            topics = self.instance(instance_id).topics
            if name not in topics:
                raise CKafkaUsageError(
                    f"ckafka.state: {instance_id} has no "
                    + unknown_name_message("topic", name, topics)
                )
            return topics[name]

    def groups(self, instance_id: str) -> list[Group]:
        """The consumer groups of ``instance_id``."""
        with self.backend.lock:
            return list(self.instance(instance_id).groups.values())

    def users(self, instance_id: str) -> list[User]:
        """The SASL users of ``instance_id``."""
        with self.backend.lock:
            return list(self.instance(instance_id).users.values())

    def acls(self, instance_id: str) -> list[Acl]:
        """The ACL rules of ``instance_id``."""
        with self.backend.lock:
            return list(self.instance(instance_id).acls)

    def routes(self, instance_id: str) -> list[Route]:
        """The access routes of ``instance_id``."""
        with self.backend.lock:
            return list(self.instance(instance_id).routes.values())

    def messages(self, instance_id: str, topic: str, partition: int = 0) -> list[Message]:
        """The messages of one partition, in offset order."""
        with self.backend.lock:
            return list(self._partition(instance_id, topic, partition).messages)

    def sent_messages(
        self, datahub_id: str, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[dict[str, Any]]:
        """What SendMessage delivered to ``datahub_id``: ``{"Body", "Key"}`` per message."""
        with self.backend.lock:
            return [dict(m) for m in self._store(account, region).sent.get(datahub_id, [])]

    def tasks(self, *, region: Optional[str] = None, account: Optional[str] = None) -> list[Task]:
        """The asynchronous tasks (FlowIds) started in ``account``/``region``."""
        with self.backend.lock:
            return list(self._store(account, region).tasks.values())

    # -- the whole state -------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: instances, their resources, tasks and sent messages."""
        self.backend.reset()

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON-ready data, for :meth:`load` (``--state FILE``)."""
        return self.backend.dump()

    def load(self, data: Mapping[str, Any]) -> None:
        """Replace the state by :meth:`dump` data."""
        check_data(data, "state.load")
        self.backend.load(data)

    # -- helpers ---------------------------------------------------------------------------

    def _partition(self, instance_id: str, topic: str, partition: int) -> Partition:
        known = self.topic(instance_id, topic)
        if not 0 <= partition < known.partition_num:
            raise CKafkaUsageError(
                f"ckafka.state: topic {topic} has partitions 0 to {known.partition_num - 1}, "
                f"got partition {partition}"
            )
        return known.partitions[partition]


def _topic_config_members() -> list[str]:
    fixed = {"InstanceId", "TopicName", "PartitionNum", "ReplicaNum", "Note"}
    return sorted(set(load_spec().input_members("CreateTopic")) - fixed)
