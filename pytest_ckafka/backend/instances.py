"""Stateful handlers: CKafka instances (create, describe, modify, delete).

Rules:

* **CreateInstancePre** (prepaid, ``PREPAID``) and **CreatePostPaidInstance**
  (``POSTPAID_BY_HOUR``) check every member first: ``VpcId`` shaped
  ``vpc-xxxxxxxx`` (``InvalidParameterValue.VpcIdInvalid``), ``SubnetId``
  shaped ``subnet-xxxxxxxx`` (``...SubnetIdInvalid``), zones sold in the
  region (``...ZoneNotSupport``; see :mod:`.sales`), no repeated zone or tag
  key (``...RepetitionValue``), and the documented enums, ranges and steps
  (``InvalidParameterValue``). They then add ``InstanceNum`` instances with
  Status 0 (creating) and answer ``FlowId`` 0, as the reference says.
* **DescribeInstances**, **DescribeInstancesDetail** and
  **DescribeInstanceAttributes** let the backend observe each instance they
  answer, so a creating instance reports Status 0 to its first
  ``ready_after_describes`` describes and Status 1 after.
* **ModifyInstanceAttributes** needs a running instance, validates what it
  changes and answers the FlowId of a ``ModifyInstanceAttributes`` task.
* **DeleteInstancePre** deletes prepaid instances and **DeleteInstancePost**
  pay-as-you-go ones (the other kind is ``UnsupportedOperation``). A creating
  instance is ``ResourceUnavailable``, one with delete protection on is
  ``UnsupportedOperation``, and one that still has topics is ``ResourceInUse``.

The member checks live in :mod:`.instance_checks` and the rendering of an
instance into the describe answers in :mod:`.instance_views`.
"""

from __future__ import annotations

import functools
import json
import re
import time
import uuid
from typing import Any, Callable

from .instance_checks import (
    check_changed,
    check_choice,
    check_name,
    check_network,
    check_number,
    check_tags,
    check_zones,
)
from .instance_views import (
    instance_attributes,
    instance_detail,
    instance_summary,
    instance_type,
)
from .models import ISOLATED, Instance
from .paging import count_and_page, filter_values, keep, matches, window
from .registry import Context, answers
from .sales import max_buy_instance_num

__all__ = [
    "DISK_TYPES",
    "MONTH_SECONDS",
    "POSTPAID",
    "PREPAID",
    "SPECIFICATIONS",
    "create_instance_pre",
    "create_post_paid_instance",
    "deal_name",
    "delete_instance_post",
    "delete_instance_pre",
    "describe_instance_attributes",
    "describe_instances",
    "describe_instances_detail",
    "listing",
    "modify_instance_attributes",
]

_PERIOD = re.compile(r"([1-9][0-9]?)m")
_VERSIONS = ("2.4.1", "2.4.2", "2.8.1", "3.2.3")
SPECIFICATIONS = ("standard", "profession", "premium")
"""The editions (``SpecificationsType``) an instance is created as."""
DISK_TYPES = ("CLOUD_SSD", "CLOUD_PREMIUM")
"""The disk types a create (and DescribeModifyType) accepts."""
PREPAID, POSTPAID = "PREPAID", "POSTPAID_BY_HOUR"
"""The pay modes: monthly (CreateInstancePre) and hourly (CreatePostPaidInstance)."""
_DAY = 1440  # minutes
MONTH_SECONDS = 30 * 86_400
"""A prepaid ``Period`` month (and a RenewCkafkaInstance ``TimeSpan`` month): 30 days."""
# Create members the model keeps in its own fields; the others go to ``attrs``.
_MODELLED = {
    "InstanceName", "VpcId", "SubnetId", "ZoneId", "ZoneIds", "BandWidth", "DiskSize",
    "DiskType", "KafkaVersion", "Partition", "TopicNum", "MsgRetentionTime", "RenewFlag",
    "Tags", "InstanceNum",
}  # fmt: skip


# -- creating -----------------------------------------------------------------------------------


def _create(ctx: Context, pay_mode: str) -> dict[str, Any]:
    prepaid = pay_mode == PREPAID
    name = check_name(ctx, required=prepaid)
    vpc_id, subnet_id = check_network(ctx)
    zone_id, zone_ids = check_zones(ctx)
    months = 0
    if prepaid:
        period = str(ctx.get("Period", ""))
        match = _PERIOD.fullmatch(period)
        months = int(match.group(1)) if match else 0
        if not 1 <= months <= 36:
            ctx.reject_shape(f"The parameter `Period` must be 1m to 36m (months), got `{period}`.")
    version = check_choice(ctx, "KafkaVersion", "2.4.1", _VERSIONS)
    specification = check_choice(ctx, "SpecificationsType", "profession", SPECIFICATIONS)
    disk_type = check_choice(ctx, "DiskType", "CLOUD_PREMIUM", DISK_TYPES)
    # Retention: "1 minute to 90 days" for prepaid, "at most 30 days" for pay-as-you-go.
    retention = check_number(ctx, "MsgRetentionTime", _DAY, 1, (90 if prepaid else 30) * _DAY)
    top_bandwidth = 360 if specification == "premium" else 100_000
    bandwidth = check_number(ctx, "BandWidth", 40, 20, top_bandwidth)
    disk = check_number(ctx, "DiskSize", 500, 100, 10_000_000, 100)
    partitions = check_number(ctx, "Partition", 800, 100, 10_000_000, 100)
    topics = check_number(ctx, "TopicNum", 800, 100, 10_000_000, 100)
    count = _instance_count(ctx)
    renew = check_number(ctx, "RenewFlag", 0, 0, 2)
    check_number(ctx, "PublicNetworkMonthly", 0, 0, 999, 3)
    for switch in ("AutoVoucher", "ElasticBandwidthSwitch", "StoreQuantityType"):
        check_number(ctx, switch, 0, 0, 1)
    tags = check_tags(ctx)

    attrs = {k: v for k, v in ctx.params.items() if k not in _MODELLED and v is not None}
    attrs["SpecificationsType"] = specification
    ids = []
    for n in range(1, count + 1):
        instance_id = ctx.new_id("ckafka")
        label = name or instance_id  # the reference gives no default name; the id reads best
        ctx.store.instances[instance_id] = Instance(
            instance_id,
            label if count == 1 else f"{label}-{n}",
            0,
            ctx.now,
            vpc_id=vpc_id,
            subnet_id=subnet_id,
            zone_id=zone_id,
            zone_ids=list(zone_ids),
            bandwidth=bandwidth,
            disk_size=disk,
            disk_type=disk_type,
            kafka_version=version,
            partition_limit=partitions,
            # A prepaid create has no TopicNum: its limit is half the partitions, the
            # ratio of the documented instances (1200/600, 5000/2500).
            topic_limit=topics if not prepaid else partitions // 2,
            msg_retention_time=retention,
            pay_mode=pay_mode,
            renew_flag=renew,
            vip=f"10.0.{ctx.rng.randrange(256)}.{ctx.rng.randrange(2, 255)}",
            tags=[dict(t) for t in tags],
            attrs={**attrs, "ExpireTime": int(ctx.now) + months * MONTH_SECONDS if months else 0},
        )
        ids.append(instance_id)
    deal = deal_name(ctx)
    # FlowId is fixed 0: the reference says create's FlowId "cannot be used with
    # DescribeTaskStatus"; callers poll DescribeInstanceAttributes for Status 1.
    data = {
        "FlowId": 0,
        "DealNames": [deal],
        "InstanceId": ids[0],
        "DealNameInstanceIdMapping": [{"DealName": deal, "InstanceIdList": ids}],
        "EventId": str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4)),
    }
    kind = "Pre" if prepaid else "Post"
    message = "ok" if prepaid else "ok[apply ok]"  # as the documented examples answer
    result = ctx.shape(
        f"CreateInstance{kind}Resp",
        ReturnCode="0",
        ReturnMessage=message,
        Data=ctx.shape(f"CreateInstance{kind}Data", **data),
    )
    return {"Result": result}


def _instance_count(ctx: Context) -> int:
    """``InstanceNum``: a purchase quota (DescribeCkafkaZone's MaxBuyInstanceNum), so a
    business rule that holds without validation too; and a purchase buys at least one."""
    count = int(ctx.get("InstanceNum", 1))
    most = max_buy_instance_num()
    if not 1 <= count <= most:
        ctx.fail(
            "InvalidParameterValue",
            f"The parameter `InstanceNum` must be between 1 and {most}, got {count}.",
        )
    return count


def deal_name(ctx: Context) -> str:
    """An order number as the examples show them: the date and 15 digits."""
    day = time.strftime("%Y%m%d", time.gmtime(ctx.now))
    return day + "".join(str(ctx.rng.randrange(10)) for _ in range(15))


@answers("CreateInstancePre")
def create_instance_pre(ctx: Context) -> dict[str, Any]:
    """Buy prepaid (monthly) instances; they start creating (Status 0)."""
    return _create(ctx, PREPAID)


@answers("CreatePostPaidInstance")
def create_post_paid_instance(ctx: Context) -> dict[str, Any]:
    """Buy pay-as-you-go instances; they start creating (Status 0)."""
    return _create(ctx, POSTPAID)


# -- describing ---------------------------------------------------------------------------------


def listing(ctx: Context, *, detail: bool) -> tuple[int, list[Instance]]:
    """``(TotalCount, page)`` of the instances the request's conditions select."""
    offset, limit = window(ctx)
    tests: list[Callable[[Instance], bool]] = []
    instance_id = ctx.get("InstanceId")
    if instance_id:
        tests.append(lambda i: i.instance_id == instance_id)
    word = ctx.get("SearchWord")
    if word and detail:
        tests.append(lambda i: matches(word, *_searchable(i)))
    elif word:
        tests.append(lambda i: matches(word, i.name))
    statuses = ctx.get("Status")
    if statuses:
        tests.append(lambda i: _current_status(ctx, i) in statuses)
    tag_key = ctx.get("TagKey")
    if tag_key:
        tests.append(lambda i: any(t.get("TagKey") == tag_key for t in i.tags))
    vpc_id = ctx.get("VpcId")
    if vpc_id:
        tests.append(lambda i: i.vpc_id == vpc_id)
    if detail:
        tests.extend(_detail_tests(ctx))
    everything = ctx.store.instances.values()
    # Instances are removed at once when deleted, so an unfiltered page is cut
    # straight from the store, at the cost of the page.
    total = None if tests else len(everything)
    count, selected = count_and_page(keep(everything, *tests), total, offset, limit)
    for instance in selected:
        ctx.backend.observe(instance, ctx.now)
    return count, selected


def _detail_tests(ctx: Context) -> list[Callable[[Instance], bool]]:
    tests: list[Callable[[Instance], bool]] = []
    for name, values in filter_values(ctx).items():
        tests.append(functools.partial(_filter_hit, name, values))
    ids = list(ctx.get("InstanceIdList", []))
    legacy = ctx.get("InstanceIds")  # deprecated: a JSON list in a string
    if legacy:
        try:
            parsed = json.loads(legacy)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            ctx.reject_shape(
                f'The parameter `InstanceIds` must be a JSON list such as ["ckafka-xxxxxxxx"], '
                f"got `{legacy}`; it is deprecated, use InstanceIdList."
            )
            parsed = []  # unreadable, so it narrows nothing
        ids += [str(x) for x in parsed]
    if ids:
        tests.append(lambda i: i.instance_id in ids)
    wanted = [(t["TagKey"], t["TagValue"]) for t in check_tags(ctx, "TagList")]
    if wanted:
        tests.append(lambda i: all({"TagKey": k, "TagValue": v} in i.tags for k, v in wanted))
    return tests


def _filter_hit(name: str, values: list[str], instance: Instance) -> bool:
    """True when one of ``instance``'s values for the filter ``name`` is in ``values``."""
    fields = {
        "Ip": [instance.vip, *(r.vip for r in instance.routes.values())],
        "VpcId": [instance.vpc_id],
        "SubNetId": [instance.subnet_id],
        "InstanceType": [instance_type(instance)],
        "InstanceId": [instance.instance_id],
    }
    return any(value in values for value in fields[name])


def _current_status(ctx: Context, instance: Instance) -> int:
    """The status the instance has now (the clock may have finished its creation)."""
    ctx.backend.observe(instance, ctx.now, count=False)
    return instance.status


def _searchable(instance: Instance) -> list[str]:
    """What DescribeInstancesDetail's SearchWord reads: name, id, zones, VPC and subnet."""
    zones = [str(z) for z in {instance.zone_id, *instance.zone_ids}]
    return [instance.name, instance.instance_id, *zones, instance.vpc_id, instance.subnet_id]


@answers("DescribeInstances")
def describe_instances(ctx: Context) -> dict[str, Any]:
    """The caller's instances: id, name and status (Limit 10 by default, at most 100)."""
    total, selected = listing(ctx, detail=False)
    listed = [instance_summary(i) for i in selected]
    return {"Result": {"InstanceList": listed, "TotalCount": total}}


@answers("DescribeInstancesDetail")
def describe_instances_detail(ctx: Context) -> dict[str, Any]:
    """The caller's instances in detail (Limit 10 by default, at most 20)."""
    total, selected = listing(ctx, detail=True)
    return {"Result": {"TotalCount": total, "InstanceList": [instance_detail(i) for i in selected]}}


@answers("DescribeInstanceAttributes")
def describe_instance_attributes(ctx: Context) -> dict[str, Any]:
    """One instance's attributes, with its live topic and partition counts."""
    instance = ctx.instance()
    ctx.backend.observe(instance, ctx.now)
    return {"Result": instance_attributes(instance)}


# -- modifying and deleting ------------------------------------------------------------------------


@answers("ModifyInstanceAttributes")
def modify_instance_attributes(ctx: Context) -> dict[str, Any]:
    """Change a running instance's name, retention and settings; answers a task FlowId."""
    instance = ctx.running_instance()
    name = check_name(ctx, required=False)
    retention = check_changed(ctx, "MsgRetentionTime", 1, 90 * _DAY)
    changes: dict[str, Any] = {}
    # The documented bounds: message size "at most 12582912 (excluded), at least 1024
    # (excluded)", public bandwidth 3 to 999 Mbps, transactional ids 1 hour to 7 days.
    for member, low, high in (
        ("MaxMessageByte", 1025, 12_582_911),
        ("PublicNetwork", 3, 999),
        ("UncleanLeaderElectionEnable", 0, 1),
        ("DeleteProtectionEnable", 0, 1),
        ("TransactionalIdExpirationMs", 3_600_000, 604_800_000),
        ("RetentionBytes", -1, 2**62),
        ("RebalanceTime", 0, 2**62),
    ):
        value = check_changed(ctx, member, low, high)
        if value is not None:
            changes[member] = value
    config = dict(ctx.get("Config", {}))
    for member in ("DefaultNumPartitions", "DefaultReplicationFactor"):
        if config.get(member) is not None and int(config[member]) < 1:
            ctx.reject_shape(
                f"The parameter `Config.{member}` must be 1 or more, got {config[member]}."
            )
    if name is not None:
        instance.name = name
    if retention is not None:
        instance.msg_retention_time = retention
    if config:
        instance.attrs["Config"] = {**instance.attrs.get("Config", {}), **config}
    for member in ("DynamicRetentionConfig", "AdminSecurity"):
        if ctx.get(member) is not None:
            instance.attrs[member] = ctx.get(member)
    instance.attrs.update(changes)
    return ctx.operate(ctx.new_task("ModifyInstanceAttributes", instance.instance_id).flow_id)


def _deletable(ctx: Context, pay_mode: str, right: str, other: str) -> Instance:
    """The instance to delete, once every delete rule holds."""
    # A creating instance cannot be deleted yet: ResourceUnavailable (running_instance),
    # the code the reference documents for an instance in the wrong state. An isolated
    # one can: DeleteInstancePre "isolates and deletes", the end of an isolation.
    instance = ctx.instance()
    if instance.status != ISOLATED:
        instance = ctx.running_instance()
    if instance.pay_mode != pay_mode:
        ctx.fail(
            "UnsupportedOperation",
            f"The instance `{instance.instance_id}` is billed {instance.pay_mode}; delete it "
            f"with {other}. {right} deletes {pay_mode} instances only.",
        )
    if instance.attrs.get("DeleteProtectionEnable") == 1:
        ctx.fail(
            "UnsupportedOperation",
            f"The instance `{instance.instance_id}` has delete protection on; turn it off "
            "with ModifyInstanceAttributes (DeleteProtectionEnable=0) first.",
        )
    # The real API destroys an instance with everything in it; the fake refuses while
    # topics remain, so a test cannot lose data by a misdirected delete.
    if instance.topics:
        count = len(instance.topics)
        ctx.fail(
            "ResourceInUse",
            f"The instance `{instance.instance_id}` still has {count} topic"
            f"{'s' if count != 1 else ''}; delete {'them' if count != 1 else 'it'} first "
            "(DeleteTopic).",
        )
    return instance


@answers("DeleteInstancePre")
def delete_instance_pre(ctx: Context) -> dict[str, Any]:
    """Delete a prepaid instance (answered like a create: an order, FlowId 0)."""
    instance = _deletable(ctx, PREPAID, "DeleteInstancePre", "DeleteInstancePost")
    del ctx.store.instances[instance.instance_id]
    deal = deal_name(ctx)
    data = ctx.shape(
        "CreateInstancePreData",
        FlowId=0,
        DealNames=[deal],
        InstanceId=instance.instance_id,
        DealNameInstanceIdMapping=[{"DealName": deal, "InstanceIdList": [instance.instance_id]}],
    )
    return {
        "Result": ctx.shape("CreateInstancePreResp", ReturnCode="0", ReturnMessage="ok", Data=data)
    }


@answers("DeleteInstancePost")
def delete_instance_post(ctx: Context) -> dict[str, Any]:
    """Delete a pay-as-you-go instance; answers the FlowId of a DeleteInstance task."""
    instance = _deletable(ctx, POSTPAID, "DeleteInstancePost", "DeleteInstancePre")
    del ctx.store.instances[instance.instance_id]
    return {"Result": {"FlowId": ctx.new_task("DeleteInstance", instance.instance_id).flow_id}}
