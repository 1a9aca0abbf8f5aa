"""Stateful handlers: an instance's life after its creation (spec, isolation, renewal, versions).

Rules:

* **ModifyInstancePre** (prepaid) and **InstanceScalingDown** (pay-as-you-go; the
  reference names it 按量实例扩缩容, and its example raises the disk) change
  ``BandWidth``, ``DiskSize`` and ``Partition`` of a running instance: the other pay
  mode is ``UnsupportedOperation``, no member ``...NotAllowedEmpty``, a value out of
  its documented range or step ``InvalidParameterValue``, as is a partition limit
  below the partitions in use or values that change nothing. The call starts a
  task and the instance reports Status 7 until it completes (:mod:`.changes`);
  ModifyInstancePre answers its FlowId, InstanceScalingDown only an order.
* **IsolatedInstancePre** isolates a running prepaid instance at once (Status 5;
  pay-as-you-go or already isolated is ``UnsupportedOperation``). An isolated
  instance answers describes but refuses every change (``ResourceUnavailable``)
  until **RenewCkafkaInstance** renews it; DeleteInstancePre still deletes it.
* **RenewCkafkaInstance** adds ``TimeSpan`` months (1 to 36, default 1) to a prepaid
  instance's ``ExpireTime``, from now if it has expired, and runs an isolated one again.
* **UpgradeBrokerVersion** moves a running instance from ``SourceVersion`` (its
  current broker version, else ``FailedOperation``) to a newer ``TargetVersion`` of
  the same Kafka version (else ``FailedOperation``), as a task (Status 7), not before
  ``DelayTimeStamp``. **DescribeCkafkaVersion** answers the version it runs
  (:mod:`.versions`).
* **ModifyRoutineMaintenanceTask** keeps one setting per type, subtype and topic.
* **DescribeModifyType** answers what a change to the given spec would be: ModifyType
  1 when nothing goes down, 2 when something does; MigrateFlag when the brokers
  move (another zone, disk type or edition, or another bandwidth).
* **DescribeTypeInstances** lists instances as DescribeInstances does.
* **InquireCkafkaPrice** prices a purchase from the request, or the renewal of an
  instance from its own spec (:mod:`.pricing`): ``CategoryAction`` renew needs the
  ``InstanceId`` (``MissingParameter``) of a prepaid instance of the edition asked
  (``InvalidParameterValue``); a purchase needs its spec members (``MissingParameter``).
"""

from __future__ import annotations

from typing import Optional

from .changes import start_change
from .instance_checks import check_choice, check_number
from .instance_views import instance_summary, instance_type
from .instances import (
    DISK_TYPES,
    MONTH_SECONDS,
    POSTPAID,
    PREPAID,
    SPECIFICATIONS,
    deal_name,
    listing,
)
from .models import CREATING, ISOLATED, RUNNING, Instance, MaintenanceTask
from .pricing import quote, requested
from .registry import Body, Context, answers
from .times import parse_beijing_datetime
from .versions import broker_version, latest_broker_versions, release_of

__all__ = [
    "describe_ckafka_version",
    "describe_modify_type",
    "describe_type_instances",
    "inquire_ckafka_price",
    "instance_scaling_down",
    "isolated_instance_pre",
    "modify_instance_pre",
    "modify_routine_maintenance_task",
    "renew_ckafka_instance",
    "upgrade_broker_version",
]

# The documented bounds of a spec change: "DiskSize 最大值为500000,步长100", "Partition 最大
# 值: 40000, 步长: 100"; the lower ones and the bandwidth's are the create actions'.
_BOUNDS = {
    "DiskSize": ("disk_size", 100, 500_000, 100),
    "Partition": ("partition_limit", 100, 40_000, 100),
}
_MAINTENANCE_TYPES = ("QUOTA", "ANALYSIS", "RE_BALANCE", "ELASTIC_BANDWIDTH")
_UPGRADE_TYPES = (1, 5)
_SCALING_STRATEGIES = (1, 2)
_DAY_SECONDS = 86_400
_MODIFY_TYPE_PREFIX = "sp_ckafka_"


# -- changing the spec -----------------------------------------------------------------


def _bandwidth_bounds(instance: Instance) -> tuple[int, int]:
    return 20, 360 if instance_type(instance) == "premium" else 100_000


def _spec_values(ctx: Context, instance: Instance) -> dict[str, int]:
    """``BandWidth``, ``DiskSize`` and ``Partition`` as sent, by model field, each in bounds."""
    bounds = {"BandWidth": ("bandwidth", *_bandwidth_bounds(instance), 1), **_BOUNDS}
    values: dict[str, int] = {}
    for member, (field, low, high, step) in bounds.items():
        if ctx.get(member) is not None:
            values[field] = check_number(ctx, member, 0, low, high, step)
    return values


def _check_partitions(ctx: Context, instance: Instance, limit: Optional[int]) -> None:
    used = sum(t.partition_num for t in instance.topics.values())
    if limit is not None and limit < used:
        ctx.fail(
            "InvalidParameterValue",
            f"The instance `{instance.instance_id}` uses {used} partitions; its partition "
            f"limit cannot go down to {limit}.",
        )


def _change_spec(ctx: Context, pay_mode: str, other: str) -> tuple[Instance, int]:
    """Check a ModifyInstancePre / InstanceScalingDown call, start it: ``(instance, FlowId)``."""
    instance = ctx.running_instance()
    if instance.pay_mode != pay_mode:
        ctx.fail(
            "UnsupportedOperation",
            f"The instance `{instance.instance_id}` is billed {instance.pay_mode}; change "
            f"it with {other}. {ctx.action} changes {pay_mode} instances only.",
        )
    values = _spec_values(ctx, instance)
    if not values:
        ctx.reject_shape(
            "Nothing to change: send at least one of `BandWidth`, `DiskSize` and `Partition`.",
            "InvalidParameterValue.NotAllowedEmpty",
        )
    _check_partitions(ctx, instance, values.get("partition_limit"))
    if values and all(getattr(instance, f) == v for f, v in values.items()):
        members = {
            "bandwidth": "BandWidth",
            "disk_size": "DiskSize",
            "partition_limit": "Partition",
        }
        spec = " and ".join(f"{members[f]} {v}" for f, v in values.items())
        ctx.fail(
            "InvalidParameterValue",
            f"The instance `{instance.instance_id}` already has {spec}; the call changes nothing.",
        )
    task = start_change(
        ctx,
        instance,
        ctx.action,
        bandwidth=values.get("bandwidth"),
        disk_size=values.get("disk_size"),
        partition_limit=values.get("partition_limit"),
    )
    return instance, task.flow_id


def _order(ctx: Context, instance: Instance, flow_id: int = 0) -> Body:
    """The ``CreateInstancePreResp`` of a prepaid order on ``instance``."""
    deal = deal_name(ctx)
    data = ctx.shape(
        "CreateInstancePreData",
        FlowId=flow_id,
        DealNames=[deal],
        InstanceId=instance.instance_id,
        DealNameInstanceIdMapping=[{"DealName": deal, "InstanceIdList": [instance.instance_id]}],
    )
    return {
        "Result": ctx.shape(
            "CreateInstancePreResp",
            ReturnCode="0",
            ReturnMessage="ok",
            Data=data,
            DeleteRouteTimestamp=None,  # deprecated; the documented example answers null
        )
    }


@answers("ModifyInstancePre")
def modify_instance_pre(ctx: Context) -> Body:
    """Change a prepaid instance's bandwidth, disk and partitions; answers the task's FlowId."""
    instance, flow_id = _change_spec(ctx, PREPAID, "InstanceScalingDown")
    return _order(ctx, instance, flow_id)


@answers("InstanceScalingDown")
def instance_scaling_down(ctx: Context) -> Body:
    """Change a pay-as-you-go instance's bandwidth, disk and partitions (a task, Status 7)."""
    check_choice(ctx, "UpgradeStrategy", 1, _SCALING_STRATEGIES)
    _change_spec(ctx, POSTPAID, "ModifyInstancePre")
    return {"Result": {"DealNames": [deal_name(ctx)]}}


# -- isolating and renewing -------------------------------------------------------------


def _prepaid(ctx: Context, instance: Instance) -> None:
    if instance.pay_mode != PREPAID:
        ctx.fail(
            "UnsupportedOperation",
            f"The instance `{instance.instance_id}` is billed {instance.pay_mode}; "
            f"{ctx.action} applies to {PREPAID} instances only.",
        )


@answers("IsolatedInstancePre")
def isolated_instance_pre(ctx: Context) -> Body:
    """Isolate a running prepaid instance (Status 5) until it is renewed or deleted."""
    instance = ctx.instance()
    ctx.backend.observe(instance, ctx.now, count=False)
    _prepaid(ctx, instance)
    if instance.status == ISOLATED:
        ctx.fail(
            "UnsupportedOperation",
            f"The instance `{instance.instance_id}` is isolated already; renew it "
            "(RenewCkafkaInstance) or delete it (DeleteInstancePre).",
        )
    instance = ctx.running_instance()
    instance.status = ISOLATED
    return _order(ctx, instance)


@answers("RenewCkafkaInstance")
def renew_ckafka_instance(ctx: Context) -> Body:
    """Extend a prepaid instance by ``TimeSpan`` months; an isolated one runs again."""
    instance = ctx.instance()
    ctx.backend.observe(instance, ctx.now, count=False)
    _prepaid(ctx, instance)
    months = check_number(ctx, "TimeSpan", 1, 1, 36)
    if instance.status == CREATING:
        ctx.fail(
            "ResourceUnavailable",
            f"The instance `{instance.instance_id}` is not running yet (Status 0); wait "
            "until DescribeInstanceAttributes reports Status 1.",
        )
    expires = max(float(instance.attrs.get("ExpireTime", 0)), ctx.now)
    instance.attrs["ExpireTime"] = int(expires) + months * MONTH_SECONDS
    if instance.status == ISOLATED:
        instance.status = RUNNING
    return {"Result": {"BigDealId": deal_name(ctx), "DealName": deal_name(ctx)}}


# -- versions ------------------------------------------------------------------------------


def _version(ctx: Context, member: str) -> tuple[str, tuple[int, ...]]:
    value = str(ctx.get(member, ""))
    parsed = release_of(value)
    if parsed is None:
        ctx.reject_shape(
            f"The parameter `{member}` must be a broker version such as v2.8.1_r1.1.6 "
            f"(DescribeCkafkaVersion lists them), got `{value}`."
        )
        return "", ()
    return parsed


@answers("UpgradeBrokerVersion")
def upgrade_broker_version(ctx: Context) -> Body:
    """Upgrade a running instance's broker to a newer build of its Kafka version (a task)."""
    instance = ctx.running_instance()
    check_choice(ctx, "Type", 1, _UPGRADE_TYPES)
    source_kafka, source_release = _version(ctx, "SourceVersion")
    target_kafka, target_release = _version(ctx, "TargetVersion")
    not_before = None
    delay = str(ctx.get("DelayTimeStamp", ""))
    if delay:
        try:
            not_before = parse_beijing_datetime(delay)
        except ValueError:
            ctx.reject_shape(
                f"The parameter `DelayTimeStamp` must read YYYY-MM-DD HH:MM:SS, got `{delay}`."
            )
    current = broker_version(instance)
    source, target = ctx.get("SourceVersion"), ctx.get("TargetVersion")
    if source != current:
        ctx.fail(
            "FailedOperation",
            f"The instance `{instance.instance_id}` runs broker version `{current}`, not "
            f"`{source}`.",
        )
    if target_kafka != source_kafka:
        ctx.fail(
            "FailedOperation",
            f"`{target}` is a build of Kafka {target_kafka or '?'}; the instance runs Kafka "
            f"{source_kafka}, and UpgradeBrokerVersion upgrades within it.",
        )
    if target_release <= source_release:
        ctx.fail("FailedOperation", f"`{target}` is not newer than `{current}`.")
    when = not_before if not_before is not None and not_before > ctx.now else None
    task = start_change(
        ctx,
        instance,
        "UpgradeBrokerVersion",
        broker_version=str(target),
        not_before=when,
    )
    return ctx.operate(task.flow_id)


@answers("DescribeCkafkaVersion")
def describe_ckafka_version(ctx: Context) -> Body:
    """The instance's Kafka and broker versions, and the latest build of each Kafka version."""
    instance = ctx.instance()
    ctx.backend.observe(instance, ctx.now)
    current = broker_version(instance)
    mine = release_of(current)
    latest = []
    for kafka, build in latest_broker_versions():
        known = release_of(build)
        # The instance's own build is newer than the documented list (UpgradeBrokerVersion's
        # example moves to v2.8.1_r1.1.8, past the listed v2.8.1_r1.1.6): list what it runs.
        if known and mine and known[0] == mine[0] and mine[1] > known[1]:
            build = current
        latest.append({"KafkaVersion": kafka, "BrokerVersion": build})
    result = ctx.shape(
        "InstanceVersion",
        KafkaVersion=instance.kafka_version,
        CurBrokerVersion=current,
        LatestBrokerVersion=latest,
        AllowUpgradeHighVersion=False,
        HighVersionSet=[],
    )
    return {"Result": result}


# -- maintenance and modify types ------------------------------------------------------


def _week(ctx: Context) -> str:
    week = str(ctx.get("Week", ""))
    days = [d.strip() for d in week.split(",")] if week else []
    if any(d not in {str(n) for n in range(1, 8)} for d in days):
        ctx.reject_shape(f"The parameter `Week` lists week days 1 to 7, got `{week}`.")
    repeated = sorted({d for d in days if days.count(d) > 1})
    if repeated:
        ctx.reject_shape(
            f"The parameter `Week` repeats the day {repeated[0]}.",
            "InvalidParameterValue.RepetitionValue",
        )
    return week


@answers("ModifyRoutineMaintenanceTask")
def modify_routine_maintenance_task(ctx: Context) -> Body:
    """Set a routine maintenance task of a running instance (one per type, subtype, topic)."""
    instance = ctx.running_instance()
    kind = check_choice(ctx, "MaintenanceType", None, _MAINTENANCE_TYPES)
    subtype = str(ctx.get("MaintenanceSubtype", ""))
    if not subtype:
        ctx.reject_shape("The parameter `MaintenanceSubtype` is empty.")
    status = check_number(ctx, "Status", 0, 0, 1)
    planned = ctx.get("PlannedTime")
    if planned is not None:
        planned = check_number(ctx, "PlannedTime", 0, 0, _DAY_SECONDS - 1)
    week = _week(ctx)
    topic = ""
    if ctx.get("TopicName"):
        topic = ctx.topic(instance).name
    task = MaintenanceTask(
        maintenance_type=str(kind),
        maintenance_subtype=subtype,
        topic_name=topic,
        configure_threshold=ctx.get("ConfigureThreshold"),
        configure_step_size=ctx.get("ConfigureStepSize"),
        configure_limit=ctx.get("ConfigureLimit"),
        planned_time=planned,
        extra_config=str(ctx.get("ExtraConfig", "")),
        status=status,
        week=week,
    )
    instance.maintenance[maintenance_key(task)] = task
    return ctx.operate()


def maintenance_key(task: MaintenanceTask) -> str:
    """Where ``task`` is kept in ``Instance.maintenance``: ``TYPE/SUBTYPE[/TOPIC]``."""
    key = f"{task.maintenance_type}/{task.maintenance_subtype}"
    return f"{key}/{task.topic_name}" if task.topic_name else key


@answers("DescribeModifyType")
def describe_modify_type(ctx: Context) -> Body:
    """What changing the instance to the given spec would be (see the module)."""
    instance = ctx.instance()
    values = _spec_values(ctx, instance)
    disk_type = check_choice(ctx, "DiskType", instance.disk_type, DISK_TYPES)
    kind = str(ctx.get("Type", ""))
    edition = kind.removeprefix(_MODIFY_TYPE_PREFIX)
    if not kind.startswith(_MODIFY_TYPE_PREFIX) or edition not in SPECIFICATIONS:
        valid = ", ".join(_MODIFY_TYPE_PREFIX + s for s in SPECIFICATIONS)
        ctx.reject_shape(f"The parameter `Type` must be one of {valid}, got `{kind}`.")
    topics = check_number(ctx, "Topic", 1, 1, 40_000)
    _check_partitions(ctx, instance, values.get("partition_limit"))
    if topics < len(instance.topics):
        ctx.fail(
            "InvalidParameterValue",
            f"The instance `{instance.instance_id}` has {len(instance.topics)} topics; its "
            f"topic limit cannot go down to {topics}.",
        )
    lowered = any(v < getattr(instance, f) for f, v in values.items()) or (
        topics < instance.topic_limit
    )
    migrate = (
        bool(ctx.get("ModifyZone"))
        or disk_type != instance.disk_type
        or edition != instance_type(instance)
        or values.get("bandwidth", instance.bandwidth) != instance.bandwidth
    )
    return {"Result": {"ModifyType": 2 if lowered else 1, "MigrateFlag": migrate}}


@answers("DescribeTypeInstances")
def describe_type_instances(ctx: Context) -> Body:
    """The caller's instances, as DescribeInstances lists them (Limit 10, at most 100)."""
    total, selected = listing(ctx, detail=False)
    listed = [{**instance_summary(i), "IfCommunity": False} for i in selected]
    return {"Result": {"InstanceList": listed, "TotalCount": total}}


# -- prices ---------------------------------------------------------------------------------


@answers("InquireCkafkaPrice")
def inquire_ckafka_price(ctx: Context) -> Body:
    """The price of a purchase, or of renewing an instance at its current spec."""
    # The reference documents no public bandwidth price (its example answers null for 6 Mbps).
    return {"Result": {"InstancePrice": quote(requested(ctx)), "PublicNetworkBandwidthPrice": None}}
