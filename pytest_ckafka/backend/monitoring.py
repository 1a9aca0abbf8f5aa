"""Stateful handlers: watching an instance's brokers, the CVMs they run on
(DescribeCvmInfo) and the Prometheus exporters on them (CreatePrometheus,
DescribePrometheus).

A Pro or Advanced Edition instance runs :data:`~.brokers.BROKERS` brokers (at the
addresses :func:`~.brokers.broker_ips` gives), each on a CVM whose id derives from the
instance (the same every call, nothing to seed). A Standard Edition instance's
machines are CKafka's own: DescribeCvmInfo lists none, as its reference says, and it
has no exporters to open to Prometheus.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .brokers import BROKERS, broker_ips
from .instance_checks import SUBNET_ID, VPC_ID
from .instance_views import instance_type
from .models import CREATING, Instance, Prometheus
from .registry import Body, Context, answers

__all__ = [
    "EXPORTERS",
    "broker_cvm_id",
    "check_prometheus",
    "create_prometheus",
    "describe_cvm_info",
    "describe_prometheus",
    "prometheus_vip",
]

EXPORTERS = {"JmxExport": 9100, "NodeExport": 9200}
"""PrometheusDTO.Type's exporters, and the first port each answers on (one per broker)."""

_STANDARD = "standard"


def broker_cvm_id(instance: Instance, n: int) -> str:
    """Broker ``n``'s CVM id, ``ins-`` and 8 characters derived from the instance id."""
    digest = hashlib.sha256(f"{instance.instance_id}/{n}".encode()).hexdigest()
    return f"ins-{digest[:8]}"


def prometheus_vip(route_id: int) -> str:
    """A deterministic private vip for the scrape point ``route_id``."""
    return f"10.1.{(route_id // 200) % 256}.{route_id % 200 + 20}"


# -- DescribeCvmInfo ---------------------------------------------------------------------


@answers("DescribeCvmInfo")
def describe_cvm_info(ctx: Context) -> Body:
    """The CVMs the instance's brokers run on; none for a Standard Edition instance."""
    instance = ctx.instance()
    ctx.backend.observe(instance, ctx.now, count=False)
    if instance.status == CREATING:
        ctx.fail(
            "ResourceUnavailable",
            f"The instance `{instance.instance_id}` is still being created (Status 0); "
            "its brokers have no CVMs yet.",
        )
    count = 0 if instance_type(instance) == _STANDARD else BROKERS
    cvms = [
        ctx.shape(
            "CvmAndIpInfo",
            CkafkaInstanceId=instance.instance_id,
            InstanceId=broker_cvm_id(instance, n),
            Ip=ip,
        )
        for n, ip in enumerate(broker_ips(instance)[:count])
    ]
    return {"Result": ctx.shape("ListCvmAndIpInfoRsp", CvmList=cvms, TotalCount=len(cvms))}


# -- CreatePrometheus --------------------------------------------------------------------


def check_prometheus(ctx: Context) -> tuple[str, str]:
    """CreatePrometheus's shape rules: ``VpcId`` and ``SubnetId`` well formed (the spec's
    validation already refuses them empty)."""
    ids = []
    for member, pattern, code, example in (
        ("VpcId", VPC_ID, "InvalidParameterValue.VpcIdInvalid", "vpc-"),
        ("SubnetId", SUBNET_ID, "InvalidParameterValue.SubnetIdInvalid", "subnet-"),
    ):
        value = str(ctx.get(member, ""))
        if not pattern.fullmatch(value):
            ctx.reject_shape(
                f"The {member} `{value}` is not valid; expected `{example}` and 8 lowercase "
                "letters or digits.",
                code,
            )
        ids.append(value)
    return ids[0], ids[1]


@answers("CreatePrometheus")
def create_prometheus(ctx: Context) -> Body:
    """Open the brokers' exporters to Prometheus in a VPC subnet (one scrape point each)."""
    vpc_id, subnet_id = check_prometheus(ctx)
    instance = ctx.running_instance()
    if instance_type(instance) == _STANDARD:
        ctx.fail(
            "OperationDenied",
            f"The instance `{instance.instance_id}` is a Standard Edition instance; "
            "Prometheus monitoring is for Pro and Advanced Edition instances.",
        )
    for point in instance.prometheus.values():
        if (point.vpc_id, point.subnet_id) == (vpc_id, subnet_id):
            ctx.fail(
                "InvalidParameterValue.RepetitionValue",
                f"Instance `{instance.instance_id}` already has Prometheus scrape point "
                f"{point.route_id} in `{vpc_id}`/`{subnet_id}`.",
            )
    route_id = ctx.backend.next_number()
    instance.prometheus[route_id] = Prometheus(
        route_id, vpc_id, subnet_id, prometheus_vip(route_id), ctx.now
    )
    task = ctx.new_task("CreatePrometheus", instance.instance_id)
    data = ctx.shape("OperateResponseData", FlowId=task.flow_id, RouteDTO={"RouteId": route_id})
    result = ctx.shape("PrometheusResult", ReturnCode="0", ReturnMessage="ok", Data=data)
    return {"Result": result}


# -- DescribePrometheus --------------------------------------------------------------------


def _targets(ctx: Context, instance: Instance, point: Prometheus) -> list[dict[str, Any]]:
    return [
        ctx.shape(
            "PrometheusDTO",
            Type=kind,
            SourceIp=point.vip,
            SourcePort=port + n,
            BrokerIp=ip,
            VpcId=point.vpc_id,
            SubnetId=point.subnet_id,
        )
        for kind, port in EXPORTERS.items()
        for n, ip in enumerate(broker_ips(instance))
    ]


@answers("DescribePrometheus")
def describe_prometheus(ctx: Context) -> Body:
    """Every scrape point's exporters: one per broker and exporter type, oldest point first."""
    instance = ctx.instance()
    points = sorted(instance.prometheus.values(), key=lambda p: p.route_id)
    return {"Result": [t for point in points for t in _targets(ctx, instance, point)]}
