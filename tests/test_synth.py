"""Default success bodies: valid for the official SDK and the spec, for all 105 actions."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka.api import synth
from pytest_ckafka.api.spec import Member, load_spec
from pytest_ckafka.api.synth import default_body, default_body_json, synthesize
from pytest_ckafka.exceptions import CKafkaUsageError, UnknownActionError

SPEC = load_spec()
ACTIONS = sorted(SPEC.actions)
JSON_TYPES = {
    "string": (str,),
    "datetime": (str,),
    "datetime_iso": (str,),
    "int64": (int,),
    "uint64": (int,),
    "int": (int,),
    "float": (int, float),
    "double": (int, float),
    "bool": (bool,),
}
DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def problems(object_name: str, body: Any, path: str = "") -> Iterator[str]:
    """Walk the spec and a body together; yield what a real response could not contain."""
    if not isinstance(body, dict):
        yield f"{path or '<body>'}: expected object {object_name}, got {body!r}"
        return
    members = SPEC.members(object_name)
    for key in body:
        if key not in members:
            yield f"{path}{key}: not a member of {object_name}"
    for member in members.values():
        where = path + member.name
        if member.name not in body:
            if member.output_required:
                yield f"{where}: output-required member missing"
            continue
        value = body[member.name]
        if value is None:
            if member.output_required or not member.nullable:
                yield f"{where}: null"
            continue
        if member.type == "list":
            if not isinstance(value, list):
                yield f"{where}: expected list, got {value!r}"
                continue
            for index, item in enumerate(value):
                yield from item_problems(member, item, f"{where}[{index}]")
        else:
            yield from item_problems(member, value, where)


def item_problems(member: Member, value: Any, where: str) -> Iterator[str]:
    if member.is_object:
        yield from problems(member.kind, value, where + ".")
        return
    expected = JSON_TYPES[member.kind]
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        yield f"{where}: expected {member.kind}, got {type(value).__name__} {value!r}"
    elif member.kind == "datetime" and not DATETIME_RE.fullmatch(str(value)):
        yield f"{where}: not YYYY-MM-DD HH:MM:SS: {value!r}"


def without_nulls(value: Any) -> Any:
    """What the SDK's ``_serialize()`` keeps: the body with null members dropped."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def datetimes(object_name: str, body: Any) -> Iterator[tuple[str, str]]:
    """(kind, value) of every datetime member in ``body``."""
    for name, member in SPEC.members(object_name).items():
        value = body.get(name)
        items = (value or []) if member.type == "list" else [value]
        for item in items:
            if item is None:
                continue
            if member.is_object:
                yield from datetimes(member.kind, item)
            elif member.kind in ("datetime", "datetime_iso"):
                yield member.kind, item


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Forget built bodies before and after a test that doctors the spec."""
    caches = (synth._canonical_body, synth._default_text, synth._synthesized)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.mark.parametrize("action", ACTIONS)
def test_default_body_deserializes_into_the_sdk_model(action: str) -> None:
    body = default_body(action)
    model = getattr(models, f"{action}Response")()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model._deserialize(body)
    assert [str(w.message) for w in caught if "fileds are useless" in str(w.message)] == []
    assert {k: v for k, v in model._serialize().items() if k != "RequestId"} == without_nulls(body)


@pytest.mark.parametrize("action", ACTIONS)
def test_default_body_fits_the_spec_at_every_depth(action: str) -> None:
    assert list(problems(SPEC.action(action).output, default_body(action))) == []


def test_the_spec_walker_sees_missing_nulled_and_mistyped_members() -> None:
    body = {"Result": {"InstanceList": [{"InstanceId": 5, "Bogus": 1}], "TotalCount": None}}
    assert sorted(problems("DescribeInstancesResponse", body)) == [
        "Result.InstanceList[0].Bogus: not a member of Instance",
        "Result.InstanceList[0].IfCommunity: output-required member missing",
        "Result.InstanceList[0].InstanceId: expected string, got int 5",
        "Result.InstanceList[0].InstanceName: output-required member missing",
        "Result.InstanceList[0].Status: output-required member missing",
        "Result.TotalCount: null",
    ]


def test_the_example_is_kept_and_completed() -> None:
    result = default_body("DescribeInstanceAttributes")["Result"]
    documented = SPEC.action("DescribeInstanceAttributes").example_output
    assert documented is not None
    assert "MaxMessageByte" not in documented["Result"]
    assert result["InstanceId"] == documented["Result"]["InstanceId"] == "ckafka-pkwxedpq"
    assert result["Tags"] == documented["Result"]["Tags"]
    assert result["MaxMessageByte"] == 8388608  # the member's own example, as an int
    assert result["SystemMaintenanceTime"] == "2019-08-19 00:00:00"


def test_documented_nulls_stay_only_where_the_member_may_be_null() -> None:
    config = default_body("DescribeTopicAttributes")["Result"]["Config"]
    assert config["RetentionBytes"] is None  # nullable, optional: the real API sends null
    # The documentation shows null for this output-required member; clients need a value.
    assert default_body("CreatePartition")["Result"]["Data"] == synthesize("OperateResponseData")
    assert synthesize("OperateResponseData") == {"FlowId": 500201, "RouteDTO": {"RouteId": 301}}


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ({"TotalCount": "123"}, 123),
        ({"TotalCount": 12.0}, 12),
        ({"TotalCount": "not a number"}, 1),  # the member's documented example, "1"
        ({"TotalCount": None}, 1),
    ],
)
def test_example_values_of_the_wrong_type_are_corrected(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None, example: dict[str, Any], expected: int
) -> None:
    action = SPEC.action("DescribeInstances")
    doctored = {"Result": {"InstanceList": [], **example, "Unknown": 1}}
    monkeypatch.setitem(
        SPEC.actions, action.name, dataclasses.replace(action, example_output=doctored)
    )
    assert default_body("DescribeInstances") == {
        "Result": {"InstanceList": [], "TotalCount": expected}
    }


def test_an_action_without_example_is_generated_from_the_schema(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    action = SPEC.action("DescribeInstances")
    monkeypatch.setitem(SPEC.actions, action.name, dataclasses.replace(action, example_output=None))
    assert default_body("DescribeInstances") == {
        "Result": {
            "InstanceList": [
                {
                    "IfCommunity": False,
                    "InstanceId": "ckafka-test",
                    "InstanceName": "ckafka测试",
                    "Status": 1,
                }
            ],
            "TotalCount": 1,
        }
    }


def test_each_call_returns_a_fresh_dict() -> None:
    first = default_body("DescribeInstanceAttributes")
    first["Result"]["Tags"][0]["TagKey"] = "changed"
    first["Result"]["ZoneIds"].append(1)
    first.clear()
    second = default_body("DescribeInstanceAttributes")
    assert second["Result"]["Tags"][0]["TagKey"] == "Application"
    assert second["Result"]["ZoneIds"] == [100006, 100007]
    assert second is not default_body("DescribeInstanceAttributes")


@pytest.mark.parametrize("action", ACTIONS)
def test_default_body_json_is_the_compact_form_of_the_body(action: str) -> None:
    text = default_body_json(action)
    expected = json.dumps(default_body(action), ensure_ascii=False, separators=(",", ":"))
    assert text == expected
    inner = text[:-1] + ("," if len(text) > 2 else "")
    envelope = json.loads('{"Response":' + inner + '"RequestId":"r-1"}}')
    assert envelope == {"Response": {**default_body(action), "RequestId": "r-1"}}


def test_datetime_members_use_their_documented_formats() -> None:
    found = [dt for a in ACTIONS for dt in datetimes(SPEC.action(a).output, default_body(a))]
    assert found, "no datetime member in any default body"
    for kind, value in found:
        assert kind == "datetime"
        datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    # datetime_iso members only appear in requests; the generator serves them too.
    request = synthesize("DescribeTopicFlowRankingRequest")
    assert request["BeginDate"] == "2019-08-19T00:00:00+08:00"
    datetime.fromisoformat(request["EndDate"])
    iso = dataclasses.replace(SPEC.members("DescribeTopicFlowRankingRequest")["BeginDate"])
    assert synth._scalar(dataclasses.replace(iso, example=None)) == "2019-08-19T10:00:00Z"
    assert synth._scalar(dataclasses.replace(iso, kind="datetime", example="2019-08-19"))
    assert synth._scalar(dataclasses.replace(iso, kind="datetime", example="bad")) == (
        "2019-08-19 10:00:00"
    )


def test_output_is_deterministic_across_processes() -> None:
    script = (
        "import json, sys\n"
        "from pytest_ckafka.api.spec import load_spec\n"
        "from pytest_ckafka.api.synth import default_body_json\n"
        "json.dump({a: default_body_json(a) for a in load_spec().actions}, sys.stdout)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert json.loads(out) == {a: default_body_json(a) for a in ACTIONS}


def test_the_spec_is_loaded_on_first_use_only() -> None:
    script = (
        "import pytest_ckafka.api.synth\n"
        "from pytest_ckafka.api.spec import load_spec\n"
        "assert load_spec.cache_info().currsize == 0\n"
        "pytest_ckafka.api.synth.default_body('DeleteTopic')\n"
        "assert load_spec.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_unknown_action_suggests_a_close_match() -> None:
    for function in (default_body, default_body_json):
        with pytest.raises(UnknownActionError) as info:
            function("DescribeInstance")
        assert str(info.value).startswith(
            'unknown action "DescribeInstance": did you mean "DescribeInstances"?'
        )


def test_synthesize_fills_every_member() -> None:
    instance = synthesize("InstanceAttributesResponse")
    members = SPEC.members("InstanceAttributesResponse")
    assert set(instance) == {name for name, m in members.items() if not m.disabled}
    assert list(problems("InstanceAttributesResponse", instance)) == []
    assert instance["Tags"] == [{"TagKey": "tagkey-test", "TagValue": "tagvalue-test"}]
    instance["Tags"].clear()
    assert synthesize("InstanceAttributesResponse")["Tags"] != []


def test_synthesize_unknown_object_suggests_a_close_match() -> None:
    with pytest.raises(CKafkaUsageError, match=r'^unknown object "Tags": did you mean "Tag"\?'):
        synthesize("Tags")


def test_string_members_without_example_get_plausible_values() -> None:
    def string(name: str) -> Any:
        return synth._scalar(Member(name=name, type="string", kind="string"))

    assert string("InstanceId") == "ckafka-xxxxxxxx"
    assert string("TopicId") == "topic-xxxxxxxx"
    assert string("BrokerIp") == "10.0.0.1"
    assert string("DealNames") == "deal-names"
    assert synth._scalar(Member(name="N", type="int", kind="uint64", example="-3")) == 1
    assert synth._scalar(Member(name="F", type="float", kind="float", example="nan")) == 1.0
