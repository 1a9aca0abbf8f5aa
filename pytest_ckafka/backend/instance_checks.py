"""Request checks shared by the instance handlers in :mod:`.instances`.

Each function reads one member (or a pair) of the request, answers its value
and fails the call with the documented code when it breaks a rule: ranges and
steps and enums (``InvalidParameterValue``), VPC and subnet id shapes
(``...VpcIdInvalid``, ``...SubnetIdInvalid``), zones sold in the region
(``...ZoneNotSupport``; see :mod:`.sales`) and repeated zones or tag keys
(``...RepetitionValue``). All of them are request-shape rules
(:meth:`~.registry.Context.reject_shape`): with validation off each value is
answered as sent.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Any, Optional

from .errors import allowed_codes
from .registry import Context
from .sales import region_info

__all__ = [
    "ROUTE_SECURITY_GROUP_LIMIT",
    "SECURITY_GROUP_ID",
    "SUBNET_ID",
    "VPC_ID",
    "check_address",
    "check_changed",
    "check_choice",
    "check_name",
    "check_network",
    "check_number",
    "check_security_group_id",
    "check_tags",
    "check_zones",
]

VPC_ID = re.compile(r"vpc-[a-z0-9]{8}")
"""The shape of a VPC id: ``vpc-`` and 8 lowercase letters or digits."""
SUBNET_ID = re.compile(r"subnet-[a-z0-9]{8}")
"""The shape of a subnet id: ``subnet-`` and 8 lowercase letters or digits."""
_MAX_NAME = 128


def check_number(ctx: Context, name: str, default: int, low: int, high: int, step: int = 1) -> int:
    """The int member ``name`` (or ``default``), checked against ``low..high`` and ``step``."""
    value = int(ctx.get(name, default))
    if not low <= value <= high or value % step:
        every = f" in steps of {step}" if step > 1 else ""
        ctx.reject_shape(
            f"The parameter `{name}` must be between {low} and {high}{every}, got {value}."
        )
    return value


def check_changed(ctx: Context, name: str, low: int, high: int) -> Optional[int]:
    """As :func:`check_number` for a member a modify call may leave out (None)."""
    return None if ctx.get(name) is None else check_number(ctx, name, 0, low, high)


def check_choice(ctx: Context, name: str, default: Any, choices: Sequence[Any]) -> Any:
    """The member ``name`` (or ``default``), which must be one of ``choices``."""
    value = ctx.get(name, default)
    if value is not None and value not in choices:
        valid = ", ".join(str(c) for c in choices)
        ctx.reject_shape(f"The parameter `{name}` must be one of {valid}, got `{value}`.")
    return value


def check_name(ctx: Context, required: bool) -> Optional[str]:
    """``InstanceName``: non-empty, at most 128 characters; None if optional and absent."""
    name = ctx.get("InstanceName")
    if name is None and not required:
        return None
    if not name:
        # Only the create actions document NotAllowedEmpty; Modify answers the generic code.
        code = "InvalidParameterValue.NotAllowedEmpty"
        if code not in allowed_codes(ctx.action):
            code = "InvalidParameterValue"
        ctx.reject_shape("The parameter `InstanceName` is empty.", code)
        return None if name is None else str(name)
    if len(str(name)) > _MAX_NAME:
        ctx.reject_shape(
            f"The parameter `InstanceName` is at most {_MAX_NAME} characters, got {len(str(name))}."
        )
    return str(name)


def check_network(ctx: Context) -> tuple[str, str]:
    """``(VpcId, SubnetId)``, each shaped as the API's ids (``vpc-``/``subnet-`` + 8)."""
    ids = []
    for member, shape, label in ((VPC_ID, "VpcId", "VPC"), (SUBNET_ID, "SubnetId", "subnet")):
        value = str(ctx.get(shape, ""))
        if not member.fullmatch(value):
            prefix = member.pattern.split("-")[0]
            ctx.reject_shape(
                f"The {shape} `{value}` is not a {label} id "
                f"({prefix}- and 8 lowercase letters or digits).",
                f"InvalidParameterValue.{shape}Invalid",
            )
        ids.append(value)
    return ids[0], ids[1]


def check_zones(ctx: Context) -> tuple[int, list[int]]:
    """``(ZoneId, ZoneIds)`` checked against each other and the region's zones."""
    zone_id = ctx.get("ZoneId")
    zone_ids = [int(z) for z in ctx.get("ZoneIds", [])]
    repeated = sorted({z for z in zone_ids if zone_ids.count(z) > 1})
    if repeated:
        ctx.reject_shape(
            f"The parameter `ZoneIds` repeats the zone {repeated[0]}.",
            "InvalidParameterValue.RepetitionValue",
        )
    if ctx.get("MultiZoneFlag") and not zone_ids:
        ctx.reject_shape("`ZoneIds` is required when `MultiZoneFlag` is true.", "MissingParameter")
    if zone_id is None and not zone_ids:
        # Not a shape rule: without a zone there is no instance to place.
        ctx.fail("MissingParameter", "One of `ZoneId` and `ZoneIds` is required.")
    zone_id = int(zone_id) if zone_id is not None else zone_ids[0]
    if zone_ids and zone_id not in zone_ids:
        ctx.reject_shape(f"The ZoneId {zone_id} must be one of the ZoneIds {zone_ids}.")
    region = ctx.region or ctx.backend.default_region
    info = region_info(region)
    # Only documented regions' zone ids are known to be real; derived ones are a guess,
    # and refusing a real zone id there would fail a correct program.
    if info is not None and info.documented:
        for zone in [zone_id, *zone_ids]:
            if zone not in info.zone_ids:
                valid = ", ".join(str(z) for z in info.zone_ids)
                ctx.reject_shape(
                    f"The zone {zone} is not a CKafka zone of region `{region}`; "
                    f"DescribeCkafkaZone lists them: {valid}.",
                    "InvalidParameterValue.ZoneNotSupport",
                )
                break
    return zone_id, zone_ids


def check_tags(ctx: Context, member: str = "Tags") -> list[dict[str, str]]:
    """The tag list ``member``: every tag keyed, no key repeated."""
    tags = [
        {"TagKey": str(t.get("TagKey") or ""), "TagValue": str(t.get("TagValue") or "")}
        for t in ctx.get(member, [])
    ]
    keys = [t["TagKey"] for t in tags]
    if "" in keys:
        ctx.reject_shape(f"Every tag in `{member}` needs a `TagKey`.")
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        ctx.reject_shape(
            f"The parameter `{member}` repeats the tag key `{repeated[0]}`.",
            "InvalidParameterValue.RepetitionValue",
        )
    return tags


SECURITY_GROUP_ID = re.compile(r"sg-[a-z0-9]{8}")
"""A security group id, as the VPC service makes them: ``sg-`` and 8 lowercase letters or digits."""

ROUTE_SECURITY_GROUP_LIMIT = 5
"""Security groups one route may have. The VPC guide's quotas ("Security group
limits") allow 5 security groups per instance."""


def check_security_group_id(ctx: Context, group_id: str) -> None:
    """A shape rule: ``group_id`` is a security group id."""
    if not SECURITY_GROUP_ID.fullmatch(group_id):
        ctx.reject_shape(
            f"The security group id `{group_id}` is not valid; "
            "expected `sg-` and 8 lowercase letters or digits."
        )


def check_address(ctx: Context, member: str, text: str) -> None:
    """A shape rule: ``text`` (the request member ``member``) is an IP address or CIDR block."""
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        ctx.reject_shape(
            f"The parameter `{member}` must be an IP address or CIDR block "
            f"(e.g. 10.0.0.0/24), got `{text}`."
        )
