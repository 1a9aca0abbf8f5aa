"""Rendering: a model :class:`~.models.Instance` as the API's response objects.

:mod:`.instances` decides which instances a call answers; the functions here
only turn one into ``Instance`` (DescribeInstances), ``InstanceDetail``
(DescribeInstancesDetail) or ``InstanceAttributesResponse``
(DescribeInstanceAttributes), over the spec's defaults. They read the model
and never change it.
"""

from __future__ import annotations

from typing import Any

from ..api.synth import default_body, synthesize
from .models import Instance
from .times import beijing_datetime

__all__ = [
    "instance_attributes",
    "instance_detail",
    "instance_summary",
    "instance_type",
]

# ModifyInstanceAttributes int members the attributes answer, with their defaults when unset.
_MODIFIABLE_INTS = {
    "MaxMessageByte": 1_048_588,  # Kafka's message.max.bytes default
    "UncleanLeaderElectionEnable": 0,
    "DeleteProtectionEnable": 0,
    "TransactionalIdExpirationMs": 604_800_000,
}


def instance_type(instance: Instance) -> str:
    """The instance's specification (``standard``, ``profession``, ``premium``)."""
    return str(instance.attrs.get("SpecificationsType", "profession"))


def instance_summary(instance: Instance) -> dict[str, Any]:
    """DescribeInstances' ``Instance``: id, name and status."""
    body = synthesize("Instance")
    body.update(InstanceId=instance.instance_id, InstanceName=instance.name, Status=instance.status)
    return body


def _common(instance: Instance) -> dict[str, Any]:
    """The members InstanceDetail and InstanceAttributesResponse share."""
    vips = [{"Vip": instance.vip, "Vport": instance.vport}]
    vips += [{"Vip": r.vip, "Vport": r.vport} for r in instance.routes.values()]
    attrs = instance.attrs
    return {
        "InstanceId": instance.instance_id,
        "InstanceName": instance.name,
        "Vip": instance.vip,
        "Vport": instance.vport,
        "VipList": vips,
        "Status": instance.status,
        # Requests set MB/s; describes answer Mbps, as the documented instances do.
        "Bandwidth": instance.bandwidth * 8,
        "DiskSize": instance.disk_size,
        "ZoneId": instance.zone_id,
        "ZoneIds": list(instance.zone_ids) or [instance.zone_id],
        "VpcId": instance.vpc_id,
        "SubnetId": instance.subnet_id,
        "Healthy": 1,
        "CreateTime": int(instance.created_at),
        "ExpireTime": int(attrs.get("ExpireTime", 0)),
        "Tags": [dict(t) for t in instance.tags],
        "Version": instance.kafka_version,
        "Cvm": 0 if instance_type(instance) == "standard" else 1,
        "InstanceType": instance_type(instance),
        # The free 3 Mbps plus what the create bought, until Modify sets the total.
        "PublicNetwork": int(attrs.get("PublicNetwork", 3 + attrs.get("PublicNetworkMonthly", 0))),
        "RetentionBytes": int(attrs.get("RetentionBytes", -1)),
    }


def _datetime_text(value: Any) -> str:
    """A RebalanceTime (Unix seconds) as the API's datetime text; none set is all zeros."""
    if value is None:
        return "0000-00-00 00:00:00"
    return beijing_datetime(int(value))


def instance_detail(instance: Instance) -> dict[str, Any]:
    """DescribeInstancesDetail's ``InstanceDetail``, with live topic and partition counts."""
    body = default_body("DescribeInstancesDetail")["Result"]["InstanceList"][0]
    return {
        **body,
        **_common(instance),
        "RenewFlag": instance.renew_flag,
        "HealthyMessage": "",
        "IsInternal": 0,
        "TopicNum": len(instance.topics),
        "DiskType": instance.disk_type,
        "MaxTopicNumber": instance.topic_limit,
        "MaxPartitionNumber": instance.partition_limit,
        "RebalanceTime": _datetime_text(instance.attrs.get("RebalanceTime")),
        "PartitionNumber": sum(t.partition_num for t in instance.topics.values()),
        "PublicNetworkChargeType": f"BANDWIDTH_{instance.pay_mode}",
    }


def instance_attributes(instance: Instance) -> dict[str, Any]:
    """DescribeInstanceAttributes' ``InstanceAttributesResponse``, with live counts."""
    body: dict[str, Any] = default_body("DescribeInstanceAttributes")["Result"]
    attrs = instance.attrs
    config = attrs.get("Config") or {}
    topics = len(instance.topics)
    partitions = sum(t.partition_num for t in instance.topics.values())
    body.update(_common(instance))
    body.update(
        HealthyMessage="healthy",
        MsgRetentionTime=instance.msg_retention_time,
        Config={
            # The documented defaults when auto-creation is switched on without them.
            "AutoCreateTopicsEnable": bool(config.get("AutoCreateTopicEnable", False)),
            "DefaultNumPartitions": int(config.get("DefaultNumPartitions", 3)),
            "DefaultReplicationFactor": int(config.get("DefaultReplicationFactor", 2)),
        },
        CreatedTopics=topics,
        CreatedPartitions=partitions,
        RemainderTopics=max(instance.topic_limit - topics, 0),
        RemainingTopics=max(instance.topic_limit - topics, 0),
        RemainderPartitions=max(instance.partition_limit - partitions, 0),
        RemainingPartitions=max(instance.partition_limit - partitions, 0),
        InstanceChargeType=instance.pay_mode,
        RetentionTimeConfig={
            **body["RetentionTimeConfig"],
            **attrs.get("DynamicRetentionConfig", {}),
        },
        CustomCertId=str(attrs.get("CustomSSLCertId", "")),
        ElasticBandwidthSwitch=int(attrs.get("ElasticBandwidthSwitch", 0)),
    )
    for member, default in _MODIFIABLE_INTS.items():
        body[member] = int(attrs.get(member, default))
    return body
