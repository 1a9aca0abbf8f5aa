"""Prices: what InquireCkafkaPrice answers for a spec, derived from its documented example.

Nothing here is a hand-typed price list. The reference documents one quote:
a profession instance with 40 MB/s, 800 partitions, 30 topics and a 500 GB disk
costs 190 (the package, ``InstanceTypePrice``) plus 175 (the disk) a month, with
no charge for its bandwidth, partitions or topics. The fake reads those figures
from the example and prices any spec with them:

* the package: its documented price, for up to its documented bandwidth and
  partitions; each MB/s and each partition beyond them costs the package's price
  divided by the documented amount (the reference prices no extra; this keeps a
  bigger instance dearer, in proportion);
* the disk: the documented price per GB, times the size;
* topics: free, as documented;
* a month (``TimeUnit`` ``m``) for prepaid quotes; pay-as-you-go quotes an hour
  (``h``), a 720th of a month;
* no discount: ``Discount`` 100, the discounted prices equal the original ones
  (a discount is a matter of the account, not of the spec);
* the totals are the sums of the parts (the documented example's totals are not:
  265 for 190 + 175), times the time span and the number of instances.

:func:`requested` reads what a call asks to price: a purchase (``CategoryAction``
purchase, the default) needs ``Bandwidth``, ``InquiryDiskParam``,
``MessageRetention``, ``Topic`` and ``Partition`` (``MissingParameter``, a shape
rule: without validation the create defaults stand in); a renewal prices the
prepaid instance ``InstanceId`` at its current spec.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Optional

from ..api.spec import load_spec
from ..api.synth import default_body
from .instance_checks import check_choice, check_number
from .instance_views import instance_type
from .instances import POSTPAID, PREPAID, SPECIFICATIONS
from .models import RUNNING, Instance
from .registry import Context
from .sales import max_buy_instance_num, region_info

__all__ = ["Quote", "quote", "requested"]

_HOURS_PER_MONTH = 720
_PRICE_EDITIONS = {"standards2": "standard", "standard": "standard"}
_PRICE_DISK_TYPES = ("SSD", "CLOUD_SSD", "CLOUD_PREMIUM", "CLOUD_BASIC")
_BILL_TYPES = tuple(f"sv_ckafka_instance_s2_{n}" for n in (1, 2, 3))


@dataclass(frozen=True)
class Quote:
    """What a price depends on: the spec, how long, how many, and how it is paid."""

    bandwidth: int
    disk_size: int
    disk_type: str
    partitions: int
    topics: int
    time_span: int = 1
    instances: int = 1
    hourly: bool = False


@dataclass(frozen=True)
class _Basis:
    package: float
    bandwidth: int
    partitions: int
    disk_per_gb: float


@functools.cache
def _basis() -> _Basis:
    example = load_spec().action("InquireCkafkaPrice").example_input or {}
    details = default_body("InquireCkafkaPrice")["Result"]["InstancePrice"]["DetailPrices"]
    disk = details["DiskPrice"]
    return _Basis(
        package=float(details["InstanceTypePrice"]["UnitPrice"]),
        bandwidth=int(example["Bandwidth"]),
        partitions=int(example["Partition"]),
        disk_per_gb=float(disk["UnitPrice"]) / float(disk["Value"]),
    )


def _unit(monthly: float, spec: Quote) -> float:
    """The price of one instance for one ``TimeUnit``, unrounded."""
    return monthly / _HOURS_PER_MONTH if spec.hourly else monthly


def _part(
    monthly: float, value: int, spec: Quote, disk_type: Optional[str] = None
) -> dict[str, Any]:
    """One ``InquiryBasePrice``, with the nulls the documented example answers."""
    unit = _money(_unit(monthly, spec))
    total = _money(_unit(monthly, spec) * spec.time_span * spec.instances)
    return {
        "UnitPrice": unit,
        "UnitPriceDiscount": unit,
        "OriginalPrice": total,
        "DiscountPrice": total,
        "Discount": 100.0,
        "GoodsNum": None,
        "Currency": None,
        "DiskType": disk_type,
        "TimeSpan": None,
        "TimeUnit": None,
        "Value": value,
    }


def _money(amount: float) -> float:
    return round(amount, 2)


def quote(spec: Quote) -> dict[str, Any]:
    """The ``InquiryPrice`` of ``spec`` (see the module for the rules)."""
    basis = _basis()
    extra_bandwidth = max(spec.bandwidth - basis.bandwidth, 0)
    extra_partitions = max(spec.partitions - basis.partitions, 0)
    monthly = {
        "BandwidthPrice": (basis.package * extra_bandwidth / basis.bandwidth, extra_bandwidth),
        "DiskPrice": (basis.disk_per_gb * spec.disk_size, spec.disk_size),
        "PartitionPrice": (basis.package * extra_partitions / basis.partitions, extra_partitions),
        "TopicPrice": (0.0, 0),
        "InstanceTypePrice": (basis.package, 1),
    }
    details = {
        name: _part(price, value, spec, spec.disk_type if name == "DiskPrice" else None)
        for name, (price, value) in monthly.items()
    }
    # The totals from the unrounded parts, rounded once.
    each = _unit(sum(price for price, _ in monthly.values()), spec)
    unit, total = _money(each), _money(each * spec.time_span * spec.instances)
    return {
        "DetailPrices": details,
        "UnitPrice": unit,
        "UnitPriceDiscount": unit,
        "OriginalPrice": total,
        "DiscountPrice": total,
        "Discount": 100.0,
        "GoodsNum": spec.instances,
        "Currency": "CNY",
        "DiskType": None,
        "TimeSpan": spec.time_span,
        "TimeUnit": "h" if spec.hourly else "m",
        "Value": None,
    }


# -- what a request asks to price -------------------------------------------------------------


def _price_zones(ctx: Context) -> None:
    region = ctx.region or ctx.backend.default_region
    info = region_info(region)
    for zone in ctx.get("ZoneIds", []):
        if info is not None and info.documented and int(zone) not in info.zone_ids:
            ctx.reject_shape(
                f"The zone {zone} is not a CKafka zone of region `{region}` (DescribeCkafkaZone "
                "lists them)."
            )


def _purchase_quote(ctx: Context, months: int, hourly: bool) -> Quote:
    for member in ("Bandwidth", "InquiryDiskParam", "MessageRetention", "Topic", "Partition"):
        if ctx.get(member) is None:
            ctx.reject_shape(f"A purchase quote needs `{member}`.", "MissingParameter")
    disk = dict(ctx.get("InquiryDiskParam", {}))
    disk_type = str(disk.get("DiskType") or "CLOUD_PREMIUM")
    if disk_type not in _PRICE_DISK_TYPES:
        ctx.reject_shape(
            f"The parameter `InquiryDiskParam.DiskType` must be one of "
            f"{', '.join(_PRICE_DISK_TYPES)}, got `{disk_type}`."
        )
    defaults = Instance("", "", RUNNING, 0.0)  # what a lenient call leaves out: the defaults
    return Quote(
        bandwidth=check_number(ctx, "Bandwidth", defaults.bandwidth, 1, 100_000),
        disk_size=int(disk.get("DiskSize") or defaults.disk_size),
        disk_type=disk_type,
        partitions=check_number(ctx, "Partition", defaults.partition_limit, 100, 40_000, 100),
        topics=check_number(ctx, "Topic", defaults.topic_limit, 1, 40_000),
        time_span=months,
        instances=check_number(ctx, "InstanceNum", 1, 1, max_buy_instance_num()),
        hourly=hourly,
    )


def _renewal_quote(ctx: Context, edition: str, months: int) -> Quote:
    if not ctx.get("InstanceId"):
        ctx.fail("MissingParameter", "A renewal quote needs the `InstanceId` to renew.")
    instance = ctx.instance()
    if instance.pay_mode != PREPAID:
        ctx.fail(
            "InvalidParameterValue",
            f"The instance `{instance.instance_id}` is billed {instance.pay_mode}; only "
            f"{PREPAID} instances are renewed.",
        )
    if edition != instance_type(instance):
        ctx.fail(
            "InvalidParameterValue",
            f"The instance `{instance.instance_id}` is a {instance_type(instance)} instance, "
            f"not {edition}.",
        )
    return Quote(
        bandwidth=instance.bandwidth,
        disk_size=instance.disk_size,
        disk_type=instance.disk_type,
        partitions=instance.partition_limit,
        topics=instance.topic_limit,
        time_span=months,
    )


def requested(ctx: Context) -> Quote:
    """What an InquireCkafkaPrice call asks to price (see the module for the rules)."""
    kind = str(ctx.get("InstanceType", ""))
    check_choice(ctx, "InstanceType", None, ("standards2", *SPECIFICATIONS))
    edition = _PRICE_EDITIONS.get(kind, kind)
    action = check_choice(ctx, "CategoryAction", "purchase", ("purchase", "renew"))
    check_choice(ctx, "BillType", None, _BILL_TYPES)
    charge = dict(ctx.get("InstanceChargeParam", {}))
    pay_mode = charge.get("InstanceChargeType") or PREPAID
    if pay_mode not in (PREPAID, POSTPAID):
        ctx.reject_shape(
            f"The parameter `InstanceChargeParam.InstanceChargeType` must be {PREPAID} or "
            f"{POSTPAID}, got `{pay_mode}`."
        )
    months = int(charge.get("InstanceChargePeriod") or 1)
    if not 1 <= months <= 36:
        ctx.reject_shape(
            f"The parameter `InstanceChargeParam.InstanceChargePeriod` must be 1 to 36 "
            f"(months), got {months}."
        )
    public = dict(ctx.get("PublicNetworkParam", {}))
    bandwidth = int(public.get("PublicNetworkMonthly") or 0)
    if bandwidth < 0 or bandwidth % 3:
        ctx.reject_shape(
            "The parameter `PublicNetworkParam.PublicNetworkMonthly` must be 0 or a multiple "
            f"of 3, got {bandwidth}."
        )
    _price_zones(ctx)
    hourly = pay_mode == POSTPAID
    if action == "renew":
        return _renewal_quote(ctx, edition, months)
    return _purchase_quote(ctx, months, hourly)
