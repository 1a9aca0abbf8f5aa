"""Regenerate the package's compact API spec and error catalog from ``../shared/data``.

Usage: ``python tools/gen_spec.py [DATA_DIR]`` (default ``../shared/data``).

Writes ``pytest_ckafka/_data/spec.json`` and ``pytest_ckafka/_data/errors.json``
atomically, with sorted keys so that a regeneration shows a small diff. The
package never reads ``../shared`` at run time; these two files are all it needs.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pytest_ckafka" / "_data"
SOURCE = Path(__file__).resolve().parent / "catalog_source.json"
# The handling policy is the one source of which code families are transient.
POLICY = OUT / "policy.json"

SCALAR_TYPES = {"string", "int", "bool", "float"}
# Member names that carry a secret: cassettes scrub them before anything is written.
SECRET_NAME = re.compile(r"(?i)(password|passwd|secret|token|credential|accesskey|privatekey)")


# Request members whose documents state paging facts, and the phrasings they use
# ("默认为20", "最大值为50", "取值要大于0", "取值范围：[1, 100]", "超过1000,则限制为1000").
PAGING_MEMBERS = {"Offset", "Limit", "SinglePartitionRecordNumber", "MessageCount"}
_DEFAULT = re.compile(r"默认(?:值)?(?:为|是|：|:)?\s*(\d+)")
_MAXIMUM = re.compile(r"最大(?:值)?(?:为|是|：|:|支持)?\s*(\d+)")
_MINIMUM = re.compile(r"最小(?:值)?(?:为|是|：|:)?\s*(\d+)")
_ABOVE = re.compile(r"(?:要|必须)大于\s*(\d+)")
_RANGE = re.compile(r"\[(\d+),\s*(\d+)\]")
_CLAMPS = re.compile(r"超过\s*\d+\s*[,，]?\s*则?限制为")
# Filter names: "filter.Name 支持('Ip', 'VpcId')" or "仅支持 GroupState 筛选".
_FILTER_LIST = re.compile(r"支持\s*\(([^)]*)\)")
_FILTER_ONE = re.compile(r"支持\s*([A-Za-z]+)\s*(?:（[^）]*）)?\s*筛选")
_FILTER_VALUES = re.compile(r"最多传递\s*(\d+)\s*个值")
# Or on the filter object's own members (RouteFilter): "Name: 目前支持security-group-id",
# "Values: 当过滤名称为security-group-id时仅支持传单个value".
_FILTER_NAME_DOC = re.compile(r"目前支持\s*([A-Za-z][\w-]*)")
_FILTER_ONE_VALUE = re.compile(r"仅支持传单个\s*value")


def _document_facts(raw: dict[str, Any]) -> dict[str, Any]:
    """What a paging or Filters member's document states: default, bounds, filter names.

    ``clamps`` marks a document saying a value above the maximum is treated as
    the maximum; the fake's strictness table reports it.
    """
    text = html.unescape(re.sub(r"<[^>]+>", "", raw.get("document", "")))
    facts: dict[str, Any] = {}
    if raw["name"] in PAGING_MEMBERS and raw["type"] == "int":
        for key, pattern in (("default", _DEFAULT), ("maximum", _MAXIMUM), ("minimum", _MINIMUM)):
            found = pattern.search(text)
            if found:
                facts[key] = int(found.group(1))
        above = _ABOVE.search(text)
        if above:
            facts["minimum"] = int(above.group(1)) + 1
        bounds = _RANGE.search(text)
        if bounds:
            facts["minimum"], facts["maximum"] = int(bounds.group(1)), int(bounds.group(2))
        if _CLAMPS.search(text):
            facts["clamps"] = True
    elif raw["name"] == "Filters":
        listed = _FILTER_LIST.search(text)
        names = re.findall(r"'(\w+)'", listed.group(1)) if listed else _FILTER_ONE.findall(text)
        if names:
            facts["filter_names"] = names
        most = _FILTER_VALUES.search(text)
        if most:
            facts["filter_values_max"] = int(most.group(1))
    return facts


def _filter_object_facts(filter_object: dict[str, Any]) -> dict[str, Any]:
    """Filter names and a value count stated by a filter object's ``Name``/``Values`` documents."""
    docs = {m["name"]: m.get("document", "") for m in filter_object["members"]}
    facts: dict[str, Any] = {}
    named = _FILTER_NAME_DOC.search(docs.get("Name", ""))
    if named:
        facts["filter_names"] = [named.group(1)]
        if _FILTER_ONE_VALUE.search(docs.get("Values", "")):
            facts["filter_values_max"] = 1
    return facts


def _member(raw: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"type": raw["type"], "member": raw["member"]}
    for flag, key in (
        ("required", "required"),
        ("output_required", "output_required"),
        ("value_allowed_null", "nullable"),
        ("disabled", "disabled"),
    ):
        if raw.get(flag):
            member[key] = True
    example = raw.get("example")
    if raw["type"] in SCALAR_TYPES and isinstance(example, str) and example not in ("", "无"):
        member["example"] = example
    member.update(_document_facts(raw))
    return member


def _example_output(text: str) -> dict[str, Any] | None:
    body = json.loads(text).get("Response")
    if not isinstance(body, dict) or "Error" in body:
        return None
    body.pop("RequestId", None)
    return body


def _example_input(text: str, objects: dict[str, Any], input_name: str) -> dict[str, Any] | None:
    """The documented request's parameters as nested, typed JSON.

    The API reference documents a request either as an HTTP message with a JSON
    body after the blank line, or as a GET URL whose query carries the flattened
    parameters (``Status.0=0``, ``Filters.0.Name=x``).
    """
    head, _, body = text.partition("\n\n")
    if body.strip():
        try:
            parsed = json.loads(body)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
    if "?" not in head:
        return {}
    query = head.split("?", 1)[1].replace("\n", "")
    flat = {}
    for part in query.split("&"):
        key, sep, value = part.partition("=")
        if sep and key not in COMMON_PARAMS:
            flat[unquote_plus(key)] = unquote_plus(value)
    return _typed(_nest(flat), objects, input_name)


COMMON_PARAMS = {"Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature"}


def _nest(flat: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


def _typed(node: dict[str, Any], objects: dict[str, Any], object_name: str) -> dict[str, Any]:
    members = objects.get(object_name, {})
    out: dict[str, Any] = {}
    for name, value in node.items():
        member = members.get(name)
        if member:  # documentation sometimes shows parameters the API no longer has
            out[name] = _typed_value(value, member, objects)
    return out


def _typed_value(value: Any, member: dict[str, Any], objects: dict[str, Any]) -> Any:
    if member["type"] == "list":
        items = [value[k] for k in sorted(value, key=int)] if isinstance(value, dict) else [value]
        item = {**member, "type": "object" if member["member"] in objects else member["member"]}
        return [_typed_value(i, item, objects) for i in items]
    if isinstance(value, dict):
        return _typed(value, objects, member["member"])
    kind = member["member"]
    if kind in ("int64", "uint64", "int"):
        return int(value)
    if kind in ("float", "double"):
        return float(value)
    if kind == "bool":
        return value.lower() in ("true", "1")
    return value


def _secret_paths(
    objects: dict[str, Any], name: str, prefix: str = "", seen: frozenset[str] = frozenset()
) -> list[str]:
    """Dotted paths (lists are walked through) of members whose name marks a secret."""
    paths: list[str] = []
    for member_name, member in objects[name].items():
        path = f"{prefix}{member_name}"
        if SECRET_NAME.search(member_name) and member["member"] == "string":
            paths.append(path)
        child = member["member"]
        if child in objects and child not in seen:
            paths += _secret_paths(objects, child, path + ".", seen | {name})
    return sorted(paths)


def _regions(actions: dict[str, Any]) -> list[str]:
    """CKafka's region codes: the documented list plus the documented DescribeRegion answer."""
    regions = set(json.loads(SOURCE.read_text("utf-8"))["regions"])
    example = actions["DescribeRegion"]["example_output"] or {}
    regions.update(r["RegionCodeV3"] for r in example.get("Result") or () if "RegionCodeV3" in r)
    return sorted(regions)


def build_spec(data: Path) -> dict[str, Any]:
    api = json.loads((data / "ckafka-2019-08-19.api.json").read_text("utf-8"))
    examples = json.loads((data / "ckafka-2019-08-19.examples.json").read_text("utf-8"))
    errors = json.loads((data / "ckafka-2019-08-19.action-errors.json").read_text("utf-8"))
    objects = {
        name: {m["name"]: _member(m) for m in obj["members"] if m["name"] != "RequestId"}
        for name, obj in api["objects"].items()
    }
    for members in objects.values():
        filters = members.get("Filters")
        if filters and "filter_names" not in filters and filters["member"] in api["objects"]:
            filters.update(_filter_object_facts(api["objects"][filters["member"]]))
    actions: dict[str, Any] = {}
    for name, raw in api["actions"].items():
        docs = examples["actions"].get(name, [])
        output = next(
            (o for o in (_example_output(d["output"]) for d in docs) if o is not None), None
        )
        actions[name] = {
            "input": raw["input"],
            "output": raw["output"],
            "status": raw.get("status", "online"),
            "title": raw.get("name", ""),
            "errors": sorted(errors.get(name, [])),
            "example_output": output,
            "example_input": next(
                (
                    i
                    for i in (_example_input(d["input"], objects, raw["input"]) for d in docs)
                    if i is not None
                ),
                None,
            ),
            "secrets": {
                "input": _secret_paths(objects, raw["input"]),
                "output": _secret_paths(objects, raw["output"]),
            },
        }
    return {
        "service": api["metadata"]["serviceShortName"],
        "version": api["metadata"]["apiVersion"],
        "actions": actions,
        "objects": objects,
        "regions": _regions(actions),
    }


def _responses_page_codes(data: Path) -> dict[str, str]:
    text = (data / "api-responses-page.txt").read_text("utf-8")
    table = text.split("Error Code Description", 1)[1]
    codes: dict[str, str] = {}
    for line in table.splitlines():
        match = re.match(r"^([A-Z][A-Za-z]+(?:\.[A-Za-z]+)?) (.+)$", line.strip())
        if match:
            codes[match.group(1)] = match.group(2)
        elif codes and line.strip():
            break
    return codes


def _newer_common_codes(data: Path) -> list[str]:
    text = (data / "README.md").read_text("utf-8")
    section = text.split("Common error codes beyond", 1)[1]
    return re.findall(r"`([A-Za-z.]+)`", section)


def _family(code: str, families: dict[str, str]) -> str:
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in families:
            return prefix
    raise SystemExit(f"gen_spec: no family in tools/catalog_source.json covers {code!r}")


def _retryable(code: str, policy: dict[str, list[str]]) -> bool:
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        rule = policy.get(".".join(parts[:n]))
        if rule:
            return rule[0] == "retry"
    return False


def build_catalog(data: Path, spec: dict[str, Any]) -> dict[str, Any]:
    source = json.loads(SOURCE.read_text("utf-8"))
    policy = json.loads(POLICY.read_text("utf-8"))["rules"]
    page = _responses_page_codes(data)
    if len(page) != 26:
        raise SystemExit(f"gen_spec: expected 26 codes on the Responses page, found {len(page)}")
    newer = _newer_common_codes(data)
    if len(newer) != 12:
        raise SystemExit(f"gen_spec: expected 12 newer common codes, found {len(newer)}")
    common = set(page) | set(newer)
    by_code: dict[str, list[str]] = {}
    for action, info in spec["actions"].items():
        for code in info["errors"]:
            by_code.setdefault(code, []).append(action)
    codes: dict[str, Any] = {}
    for code in sorted(common | set(by_code)):
        description = page.get(code) or source["descriptions"].get(code)
        if not description:
            raise SystemExit(f"gen_spec: no description for {code!r}; add it to catalog_source")
        family = _family(code, source["families"])
        codes[code] = {
            "description": description,
            "scope": "common" if code in common else "ckafka",
            "category": source["families"][family],
            "retryable": _retryable(code, policy),
            "actions": sorted(by_code.get(code, [])),
        }
    return {"version": spec["version"], "codes": codes}


def write_json(path: Path, payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    spec = build_spec(data)
    catalog = build_catalog(data, spec)
    OUT.mkdir(parents=True, exist_ok=True)
    write_json(OUT / "spec.json", spec)
    write_json(OUT / "errors.json", catalog)
    print(
        f"wrote {len(spec['actions'])} actions, {len(spec['objects'])} objects "
        f"and {len(catalog['codes'])} error codes to {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
