"""Stateful handlers: the sales catalog (regions and zones) and task status.

Rules:

* **DescribeRegion** lists every region the spec says CKafka is sold in
  (``load_spec().regions``), ordered by ``RegionId``, cut by ``Offset``/``Limit``.
  The reference gives no default or maximum for ``Limit``, so a call without
  it gets every region (the real API answers its whole, short list).
* **DescribeCkafkaZone** answers the zones of the calling region in the shape
  of the documented example (its prices and edition limits kept as documented).
* **DescribeTaskStatus** reports on a FlowId started in the caller's account
  and region: ``Status`` 2 (running) to its first ``ready_after_describes``
  polls (or until ``ready_after_seconds`` pass), then 0 with ``Output``
  ``"success"``. An unknown FlowId is ``ResourceNotFound``.

Nothing here is a hand-typed table of Tencent Cloud facts. The catalog is
derived at run time from the spec's documented examples:

* the DescribeRegion example documents ap-guangzhou (RegionId 1, 广州);
* the DescribeCkafkaZone example documents the zones of ap-beijing (its zone
  names are 北京一区 ... 北京八区, ids 800001 ...);
* zone ids are ``RegionId * 100000 + n``, which both documented regions obey
  (广州三区 is 100003 in the ZoneInfo member example; 北京一区 is 800001).

Regions without documented data get derived data, deterministic across runs:
a RegionId the documented ones do not use (the smallest free numbers, in
region-code order), zones ``1..n`` where ``n`` is at least 3 and covers every
zone number the examples use for that region (ap-guangzhou: 100001-100007),
and zone names ``<RegionName><一二三...>区`` when the Chinese region name is
known, ``<region>-<n>`` (the console's zone code, e.g. ``ap-shanghai-2``)
otherwise.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional

from ..api.spec import load_spec
from ..api.synth import default_body, synthesize
from .paging import page, window
from .registry import Context, answers

__all__ = [
    "RegionInfo",
    "describe_ckafka_zone",
    "describe_region",
    "describe_task_status",
    "max_buy_instance_num",
    "region_info",
    "regions",
]

# The zone names of the DescribeCkafkaZone example (北京一区 ...) say which region answered it.
_ZONE_EXAMPLE_REGION = "ap-beijing"
_ZONE_BLOCK = 100_000
_MIN_DERIVED_ZONES = 3
_MAX_ZONE_NUMBER = 100
_NUMERALS = "一二三四五六七八九十"
# The first part of a region code is its area; the example's AreaName is only known for one.
_AREAS = {"ap": "Asia Pacific", "eu": "Europe", "na": "North America", "sa": "South America"}
# Editions still sold: the reference marks standard ("standards2/standard") as discontinued.
_SOLD_PLATFORMS = frozenset({"profession", "premium"})
_BUSINESSES = ("ckafka", "cmq")


@dataclass(frozen=True)
class RegionInfo:
    """One region of the catalog: its ``Region`` object and ``ZoneInfo`` objects."""

    code: str
    region_id: int
    region: dict[str, Any]
    zones: tuple[dict[str, Any], ...]
    documented: bool
    """True when the examples document the region (its id or its zone list): only
    then are its zone ids known to be the real ones."""

    @property
    def zone_ids(self) -> tuple[int, ...]:
        """The region's zone ids as integers, as create requests send them."""
        return tuple(int(zone["ZoneId"]) for zone in self.zones)


@functools.cache
def regions() -> dict[str, RegionInfo]:
    """Every region CKafka is sold in, by code, ordered by RegionId (see the module)."""
    documented = {
        str(r["RegionCodeV3"]): r for r in default_body("DescribeRegion").get("Result") or ()
    }
    zone_example = default_body("DescribeCkafkaZone")["Result"]
    example_zones = list(zone_example.get("ZoneList") or ())
    ids = {code: int(r["RegionId"]) for code, r in documented.items()}
    if example_zones and _ZONE_EXAMPLE_REGION not in ids:
        blocks = Counter(int(z["ZoneId"]) // _ZONE_BLOCK for z in example_zones)
        ids[_ZONE_EXAMPLE_REGION] = blocks.most_common(1)[0][0]
    free = (n for n in range(1, 10_000) if n not in set(ids.values()))
    for code in sorted(load_spec().regions - set(ids)):
        ids[code] = next(free)
    used = _documented_zone_numbers()
    catalog = {}
    for code, region_id in sorted(ids.items(), key=lambda item: item[1]):
        if code not in load_spec().regions:
            continue
        if code == _ZONE_EXAMPLE_REGION and example_zones:
            zones = tuple(example_zones)
            name = _strip_zone_suffix(str(zones[0]["ZoneName"]))
        else:
            name = str(documented[code]["RegionName"]) if code in documented else ""
            count = max([_MIN_DERIVED_ZONES, *used.get(region_id, ())])
            zones = tuple(_derived_zone(code, region_id, name, n) for n in range(1, count + 1))
        region = documented.get(code) or _derived_region(code, region_id, name, len(zones))
        known = code in documented or code == _ZONE_EXAMPLE_REGION
        catalog[code] = RegionInfo(code, region_id, region, zones, known)
    return catalog


def region_info(region: str) -> Optional[RegionInfo]:
    """The catalog entry of ``region``, or None when CKafka is not sold there."""
    return regions().get(region)


def max_buy_instance_num() -> int:
    """How many instances one create call may buy (the documented ``MaxBuyInstanceNum``)."""
    return int(default_body("DescribeCkafkaZone")["Result"]["MaxBuyInstanceNum"])


def _documented_zone_numbers() -> dict[int, set[int]]:
    """Zone numbers the examples use, by RegionId (e.g. 1 -> {3, 6, 7} for ap-guangzhou)."""
    found: dict[int, set[int]] = {}
    spec = load_spec()
    samples: list[Any] = [{name: m.example} for name, m in spec.members("ZoneInfo").items()]
    for action in spec.actions.values():
        samples += [action.example_input, action.example_output]
    for zone_id in _zone_values(samples):
        block, number = divmod(zone_id, _ZONE_BLOCK)
        # Zones are numbered 1, 2, 3... in their block; others (edge zones such as
        # 450001 or CDZ zones such as 2000800004) do not follow the rule.
        if number < _MAX_ZONE_NUMBER:
            found.setdefault(block, set()).add(number)
    return found


def _zone_values(value: Any, key: str = "") -> Iterator[int]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _zone_values(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _zone_values(item, key)
    elif key.startswith("ZoneId") and str(value).isdigit():
        yield int(value)


def _strip_zone_suffix(zone_name: str) -> str:
    """``北京一区`` -> ``北京``: the region name inside a documented zone name."""
    return zone_name.rstrip("区").rstrip(_NUMERALS)


def _derived_zone(code: str, region_id: int, region_name: str, n: int) -> dict[str, Any]:
    if region_name and n <= len(_NUMERALS):
        zone_name = f"{region_name}{_NUMERALS[n - 1]}区"
    else:
        zone_name = f"{code}-{n}"
    example = default_body("DescribeCkafkaZone")["Result"].get("ZoneList") or [{}]
    editions = sorted(
        {(str(s["Platform"]), str(s["Version"])) for s in example[0].get("SalesInfo") or ()}
    )
    sales = [
        {"Flag": False, "Platform": p, "SoldOut": p not in _SOLD_PLATFORMS, "Version": v}
        for p, v in editions
    ]
    return {
        **synthesize("ZoneInfo"),
        "ZoneId": str(region_id * _ZONE_BLOCK + n),
        "ZoneName": zone_name,
        "IsInternalApp": 0,  # the documented default: an external customer
        "Flag": False,
        "SoldOut": "false",
        "ZoneStatus": 3,  # open
        "Exflag": "0",
        "ExtraFlag": "0",
        "SalesInfo": sales,
    }


def _derived_region(code: str, region_id: int, name: str, zone_count: int) -> dict[str, Any]:
    area, _, city = code.partition("-")
    template = default_body("DescribeRegion").get("Result") or [synthesize("Region")]
    return {
        **template[0],
        "RegionId": region_id,
        "RegionName": name or city,
        "AreaName": _AREAS.get(area, area),
        "RegionCode": city,  # real short codes (gz, sh...) are not documented for these
        "RegionCodeV3": code,
        "Ipv6": 0,
        "MultiZone": int(zone_count > 1),
    }


def _calling_region(ctx: Context) -> str:
    # A region-less call (the SDK without a region) is answered for the default region,
    # the one the fixtures' clients and the seeding API use.
    return ctx.region or ctx.backend.default_region


# -- handlers ---------------------------------------------------------------------------------


@answers("DescribeRegion")
def describe_region(ctx: Context) -> dict[str, Any]:
    """The regions CKafka is sold in, paged (``Business`` cmq answers the same list)."""
    business = ctx.get("Business", "ckafka")
    if business not in _BUSINESSES:
        ctx.reject_shape(
            f"The parameter `Business` must be one of {', '.join(_BUSINESSES)}, got `{business}`."
        )
    catalog = regions()
    offset, limit = window(ctx, default=max(len(catalog), 1))
    return {"Result": [copy.deepcopy(r.region) for r in page(catalog.values(), offset, limit)]}


@answers("DescribeCkafkaZone")
def describe_ckafka_zone(ctx: Context) -> dict[str, Any]:
    """The zones of the calling region, in the documented ``ZoneResponse`` shape."""
    region = _calling_region(ctx)
    info = region_info(region)
    if info is None:
        ctx.fail("UnsupportedRegion", f"CKafka is not sold in region `{region}`.")
    result = default_body("DescribeCkafkaZone")["Result"]
    result["ZoneList"] = copy.deepcopy(list(info.zones))
    return {"Result": result}


@answers("DescribeTaskStatus")
def describe_task_status(ctx: Context) -> dict[str, Any]:
    """The status of an asynchronous task (FlowId) of the caller's account and region."""
    flow_id = int(ctx.get("FlowId", 0))
    task = ctx.store.tasks.get(flow_id)
    if task is None:
        message = f"The task with FlowId {flow_id} does not exist in region `{ctx.region}`."
        if flow_id == 0:
            message += (
                " CreateInstancePre and CreatePostPaidInstance answer FlowId 0, which is not a"
                " task: poll DescribeInstanceAttributes until Status is 1 instead."
            )
        ctx.fail("ResourceNotFound", message)
    ctx.backend.poll(task, ctx.now)
    output = task.output or ("success" if task.status == 0 else "")
    return {"Result": {"Status": task.status, "Output": output}}
