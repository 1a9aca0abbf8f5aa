"""Requests are checked against the spec with the real API's codes and exact messages."""

from __future__ import annotations

import json
import math
import threading
import types
from collections.abc import Iterator
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka.api import validation
from pytest_ckafka.api.protocol import parse_request
from pytest_ckafka.api.spec import Member, Spec, load_spec
from pytest_ckafka.api.validation import ckafka_regions, validate_request
from pytest_ckafka.exceptions import UnknownActionError

SPEC = load_spec()
ACTIONS = sorted(SPEC.actions)
UINT64_MAX = 2**64 - 1
INT64_RANGE = "between -9223372036854775808 and 9223372036854775807"

# Documented examples that the spec itself rejects, with the answer and why.
INVALID_EXAMPLES = {
    # The API reference's example sends an explicit null for an optional member
    # that the spec does not mark nullable. The SDK never sends null (it drops
    # None), so its version of the same example passes: see the SDK test below.
    "BatchModifyTopicAttributes": (
        "InvalidParameter",
        "The parameter `Topic.0.LogMsgTimestampType` must be a string, got null.",
    ),
}


def check(action: str, params: Any, region: Optional[str] = None) -> Any:
    return validate_request(action, params, region)


# --- documented and SDK requests ---------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_every_documented_example_input_is_valid(action: str) -> None:
    example = SPEC.actions[action].example_input
    assert example is not None
    assert check(action, dict(example), "ap-guangzhou") == INVALID_EXAMPLES.get(action)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_sdk_request_built_from_the_example_is_valid(action: str) -> None:
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(SPEC.actions[action].example_input))
    assert check(action, request._serialize(), "ap-guangzhou") is None


def test_the_invalid_examples_are_still_in_the_spec() -> None:
    for action in INVALID_EXAMPLES:
        assert action in SPEC.actions


# --- UnsupportedRegion -------------------------------------------------------------------


def test_regions_are_the_documented_ones() -> None:
    assert ckafka_regions() == {
        *("ap-guangzhou", "ap-shenzhen", "ap-shenzhen-fsi", "ap-shanghai", "ap-shanghai-fsi"),
        *("ap-nanjing", "ap-hangzhou", "ap-beijing", "ap-beijing-fsi", "ap-tianjin"),
        *("ap-changsha", "ap-chengdu", "ap-chongqing", "ap-taipei", "ap-hongkong"),
        *("ap-singapore", "ap-bangkok", "ap-jakarta", "ap-seoul", "ap-tokyo"),
        *("na-siliconvalley", "na-ashburn", "sa-saopaulo", "eu-frankfurt"),
    }


@pytest.mark.parametrize("region", sorted(ckafka_regions()))
def test_every_ckafka_region_is_accepted(region: str) -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1"}, region) is None


@pytest.mark.parametrize("region", [None, ""])
def test_a_call_without_a_region_is_accepted(region: Optional[str]) -> None:
    assert check("DescribeRegion", {}, region) is None


def test_an_unknown_region_lists_the_ckafka_regions() -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1"}, "us-east-1") == (
        "UnsupportedRegion",
        "The region `us-east-1` is not supported by CKafka. CKafka regions: "
        + ", ".join(sorted(ckafka_regions()))
        + ".",
    )


@pytest.mark.parametrize("region", ["ap-guangzho", "AP-GUANGZHOU"])
def test_a_misspelt_region_gets_a_suggestion(region: str) -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1"}, region) == (
        "UnsupportedRegion",
        f"The region `{region}` is not supported by CKafka. Did you mean `ap-guangzhou`?",
    )


# --- UnknownParameter --------------------------------------------------------------------


def test_unknown_top_level_name_lists_a_short_action_s_parameters() -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1", "Foo": 1}) == (
        "UnknownParameter",
        "The parameter `Foo` is not recognized. Valid parameters: `AclRuleName`, "
        "`InstanceId`, `Limit`, `Offset`, `SearchWord`.",
    )


@pytest.mark.parametrize("name", ["InstanceID", "instanceId", "InstancId"])
def test_misspelt_top_level_name_gets_a_suggestion(name: str) -> None:
    assert check("DescribeTopic", {name: "ckafka-1"}) == (
        "UnknownParameter",
        f"The parameter `{name}` is not recognized. Did you mean `InstanceId`?",
    )


def test_unknown_name_of_a_large_action_is_the_real_message_alone() -> None:
    params = {"InstanceId": "i", "TopicName": "t", "PartitionNum": 1, "ReplicaNum": 2, "Zzz": 1}
    assert check("CreateTopic", params) == (
        "UnknownParameter",
        "The parameter `Zzz` is not recognized.",
    )


def test_unknown_name_in_a_list_of_objects_uses_the_dotted_path() -> None:
    filters = [{"Name": "Status", "Values": ["1"]}, {"Nam": "Status", "Values": ["1"]}]
    assert check("DescribeInstancesDetail", {"Filters": filters}) == (
        "UnknownParameter",
        "The parameter `Filters.1.Nam` is not recognized. Did you mean `Filters.1.Name`?",
    )
    assert check("DescribeInstancesDetail", {"Filters": [{"Zzz": 1}]}) == (
        "UnknownParameter",
        "The parameter `Filters.0.Zzz` is not recognized. "
        "Valid parameters: `Filters.0.Name`, `Filters.0.Values`.",
    )


def test_unknown_name_in_a_nested_object_uses_the_dotted_path() -> None:
    params = {"InstanceId": "ckafka-1", "Config": {"AutoCreateTopic": True}}
    assert check("ModifyInstanceAttributes", params) == (
        "UnknownParameter",
        "The parameter `Config.AutoCreateTopic` is not recognized. "
        "Did you mean `Config.AutoCreateTopicEnable`?",
    )


def test_unknown_name_in_an_object_without_members() -> None:
    lowercase = {"Type": "LOWERCASE", "Lowercase": {"Upper": True}}
    chain = [{"Analyse": {"Format": "JSON"}, "SMT": [_smt(lowercase)]}]
    params = _datahub_task({"Content": "{}", "FieldChain": chain})
    assert check("CreateDatahubTask", params) == (
        "UnknownParameter",
        "The parameter `TransformsParam.FieldChain.0.SMT.0.ValueOperate.Lowercase.Upper` is "
        "not recognized. `TransformsParam.FieldChain.0.SMT.0.ValueOperate.Lowercase` has no "
        "parameters.",
    )


def test_a_key_that_is_not_a_string_is_unknown() -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1", 1: "x"}) == (
        "UnknownParameter",
        "The parameter `1` is not recognized. Valid parameters: `AclRuleName`, "
        "`InstanceId`, `Limit`, `Offset`, `SearchWord`.",
    )


def test_deprecated_members_are_known() -> None:
    assert SPEC.input_members("DescribeInstancesDetail")["InstanceIds"].disabled
    assert check("DescribeInstancesDetail", {"InstanceIds": '["ckafka-1"]'}) is None


# --- MissingParameter --------------------------------------------------------------------


def test_missing_top_level_member() -> None:
    assert check("DescribeTopic", {}) == (
        "MissingParameter",
        "The request is missing a required parameter `InstanceId`.",
    )
    assert check("CreateTopic", {"InstanceId": "ckafka-1", "TopicName": "t"}) == (
        "MissingParameter",
        "The request is missing a required parameter `PartitionNum`.",
    )


def test_missing_member_of_an_object_in_a_list() -> None:
    filters = [{"Name": "Status", "Values": ["1"]}, {"Values": ["1"]}]
    assert check("DescribeInstancesDetail", {"Filters": filters}) == (
        "MissingParameter",
        "The request is missing a required parameter `Filters.1.Name`.",
    )
    topic = {"InstanceId": "ckafka-1", "TopicName": "t", "PartitionNum": 1, "ReplicaNum": 2}
    assert check("CreateTopic", {**topic, "Tags": [{"TagKey": "team"}]}) == (
        "MissingParameter",
        "The request is missing a required parameter `Tags.0.TagValue`.",
    )


def test_missing_member_of_a_nested_object() -> None:
    mysql = {"Port": 3306, "Resource": "cdb-1", "UserName": "root"}
    params = {"ResourceName": "db", "Type": "MYSQL", "MySQLConnectParam": mysql}
    assert check("CreateConnectResource", params) == (
        "MissingParameter",
        "The request is missing a required parameter `MySQLConnectParam.Password`.",
    )


def test_an_absent_optional_object_requires_nothing() -> None:
    assert check("DescribeInstancesDetail", {}) is None
    assert check("CreateConnectResource", {"ResourceName": "db", "Type": "MYSQL"}) is None


# --- InvalidParameter: wrong JSON types --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "received"),
    [
        ("10", 'a string "10"'),
        (True, "a boolean true"),
        (10.0, "a number 10.0"),
        (None, "null"),
        ([10], "a list [10]"),
        ({"n": 10}, 'an object {"n": 10}'),
    ],
)
def test_an_integer_member_rejects_other_types(value: Any, received: str) -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": value}) == (
        "InvalidParameter",
        f"The parameter `Limit` must be an integer, got {received}.",
    )


def test_wrong_scalar_types() -> None:
    assert check("DescribeTopic", {"InstanceId": 123}) == (
        "InvalidParameter",
        "The parameter `InstanceId` must be a string, got a number 123.",
    )
    assert check("ModifyInstanceAttributes", {"InstanceId": "i", "AdminSecurity": 1}) == (
        "InvalidParameter",
        "The parameter `AdminSecurity` must be a boolean, got a number 1.",
    )


def test_null_is_rejected_unless_nullable() -> None:
    assert check("DescribeTopic", {"InstanceId": None}) == (
        "InvalidParameter",
        "The parameter `InstanceId` must be a string, got null.",
    )
    kafka = {"Resource": "ckafka-1", "IsUpdate": None}
    assert SPEC.members("KafkaConnectParam")["IsUpdate"].nullable
    params = {"ResourceName": "k", "Type": "KAFKA", "KafkaConnectParam": kafka}
    assert check("CreateConnectResource", params) is None


def test_wrong_list_types() -> None:
    assert check("DescribeInstancesDetail", {"Status": 1}) == (
        "InvalidParameter",
        "The parameter `Status` must be a list of integers, got a number 1.",
    )
    assert check("DescribeInstancesDetail", {"Status": [1, "2"]}) == (
        "InvalidParameter",
        'The parameter `Status.1` must be an integer, got a string "2".',
    )
    assert check("DescribeInstancesDetail", {"InstanceIdList": [None]}) == (
        "InvalidParameter",
        "The parameter `InstanceIdList.0` must be a string, got null.",
    )
    assert check("DescribeInstancesDetail", {"Filters": {"Name": "Status"}}) == (
        "InvalidParameter",
        'The parameter `Filters` must be a list of objects, got an object {"Name": "Status"}.',
    )
    assert check("DescribeInstancesDetail", {"Filters": ["Status"]}) == (
        "InvalidParameter",
        'The parameter `Filters.0` must be an object, got a string "Status".',
    )


def test_wrong_types_deep_inside_objects() -> None:
    assert check("ModifyInstanceAttributes", {"InstanceId": "i", "Config": "x"}) == (
        "InvalidParameter",
        'The parameter `Config` must be an object, got a string "x".',
    )
    config = {"DefaultNumPartitions": "3"}
    assert check("ModifyInstanceAttributes", {"InstanceId": "i", "Config": config}) == (
        "InvalidParameter",
        'The parameter `Config.DefaultNumPartitions` must be an integer, got a string "3".',
    )
    filters = [{"Name": "Status", "Values": ["1", 2]}]
    assert check("DescribeInstancesDetail", {"Filters": filters}) == (
        "InvalidParameter",
        "The parameter `Filters.0.Values.1` must be a string, got a number 2.",
    )


def test_long_values_are_shortened_in_messages() -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": "9" * 100}) == (
        "InvalidParameter",
        'The parameter `Limit` must be an integer, got a string "'
        + "9" * 59
        + "... (102 characters).",
    )


def test_lists_may_be_tuples_and_objects_any_mapping() -> None:
    filters = (types.MappingProxyType({"Name": "Status", "Values": ("1", "2")}),)
    assert check("DescribeInstancesDetail", {"Filters": filters, "Status": (1, 2)}) is None


# --- InvalidParameterValue ---------------------------------------------------------------


def test_integers_outside_64_bits() -> None:
    assert check("DescribeTopic", {"InstanceId": "i", "Limit": 2**63}) == (
        "InvalidParameterValue",
        f"The parameter `Limit` must be {INT64_RANGE}, got 9223372036854775808.",
    )
    assert check("DescribeTopic", {"InstanceId": "i", "Offset": -(2**63) - 1}) == (
        "InvalidParameterValue",
        f"The parameter `Offset` must be {INT64_RANGE}, got -9223372036854775809.",
    )
    for bound in (2**63 - 1, -(2**63)):
        assert check("DescribeTopic", {"InstanceId": "i", "Limit": bound}) is None


def test_unsigned_integers() -> None:
    assert check("DescribeDatahubTopics", {"Offset": -1}) == (
        "InvalidParameterValue",
        f"The parameter `Offset` must be between 0 and {UINT64_MAX}, got -1.",
    )
    assert check("DescribeDatahubTopics", {"Limit": UINT64_MAX + 1}) == (
        "InvalidParameterValue",
        f"The parameter `Limit` must be between 0 and {UINT64_MAX}, got {UINT64_MAX + 1}.",
    )
    assert check("DescribeDatahubTopics", {"Offset": 0, "Limit": UINT64_MAX}) is None


def test_empty_required_top_level_values() -> None:
    assert check("DescribeTopic", {"InstanceId": ""}) == (
        "InvalidParameterValue",
        "The parameter `InstanceId` must not be empty.",
    )
    acl = dict(SPEC.actions["BatchCreateAcl"].example_input or {})
    assert check("BatchCreateAcl", {**acl, "ResourceNames": []}) == (
        "InvalidParameterValue",
        "The parameter `ResourceNames` must not be empty.",
    )


def test_empty_optional_and_nested_values_are_accepted() -> None:
    assert check("DescribeTopic", {"InstanceId": "ckafka-1", "SearchWord": ""}) is None
    assert check("DescribeInstancesDetail", {"Filters": [], "Status": []}) is None
    assert check("DescribeGroupInfo", {"InstanceId": "ckafka-1", "GroupList": [""]}) is None
    # Nested strings are data: replacing a value with "" is a real transform.
    replace = {"Type": "REPLACE", "Replace": {"OldValue": "x", "NewValue": ""}}
    chain = [{"Analyse": {"Format": "JSON"}, "SMT": [_smt(replace)]}]
    assert check("CreateDatahubTask", _datahub_task({"Content": "", "FieldChain": chain})) is None


@pytest.mark.parametrize(
    "value",
    [
        "2020-09-22T00:00:00+08:00",
        "2020-09-22T23:59:59-03:30",
        "2020-09-22T00:00:00Z",
        "2020-09-22T00:00:00.123+08:00",
        "2020-09-22T00:00:00",
        "2024-02-29T00:00:00+00:00",
    ],
)
def test_iso_datetimes_are_accepted(value: str) -> None:
    params = {"InstanceId": "ckafka-1", "RankingType": "PRO", "BeginDate": value}
    assert check("DescribeTopicFlowRanking", params) is None


@pytest.mark.parametrize(
    "value",
    [
        "2020-09-22 00:00:00",
        "2020-09-22",
        "2020-9-22T00:00:00+08:00",
        "2023-02-29T00:00:00+08:00",
        "2020-09-22T24:00:00+08:00",
        "2020-09-22T00:00:00+24:00",
        "2020-09-22T00:00:00+08",
        "now",
        "",
    ],
)
def test_iso_datetimes_that_do_not_parse(value: str) -> None:
    params = {"InstanceId": "ckafka-1", "RankingType": "PRO", "EndDate": value}
    assert check("DescribeTopicFlowRanking", params) == (
        "InvalidParameterValue",
        "The parameter `EndDate` must be an ISO 8601 date and time such as "
        f"2019-08-19T00:00:00+08:00, got a string {json.dumps(value)}.",
    )


def test_a_datetime_that_is_not_a_string_is_a_type_error() -> None:
    params = {"InstanceId": "ckafka-1", "RankingType": "PRO", "BeginDate": 20200922}
    assert check("DescribeTopicFlowRanking", params) == (
        "InvalidParameter",
        "The parameter `BeginDate` must be a string, got a number 20200922.",
    )


# Kinds that no CKafka request uses today (float, datetime) are checked on a small spec.


@pytest.fixture
def probe_spec(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    members = {
        "Ratio": {"type": "float", "member": "float"},
        "Ratios": {"type": "list", "member": "double"},
        "At": {"type": "string", "member": "datetime"},
        "Self": {"type": "object", "member": "ProbeRequest"},
    }
    action: dict[str, Any] = {
        "input": "ProbeRequest",
        "output": "ProbeResponse",
        "status": "online",
        "title": "",
        "errors": [],
        "example_output": None,
        "example_input": {},
        "secrets": {"input": [], "output": []},
    }
    spec = Spec(
        {
            "service": "ckafka",
            "version": "2019-08-19",
            "actions": {"Probe": action},
            "objects": {"ProbeRequest": members, "ProbeResponse": {}},
        }
    )
    monkeypatch.setattr(validation, "load_spec", lambda: spec)
    monkeypatch.setattr(validation, "_ACTION_TABLES", {})
    monkeypatch.setattr(validation, "_BUILT", {})
    yield


@pytest.mark.usefixtures("probe_spec")
def test_numbers_accept_integers_but_not_booleans_or_non_finite_floats() -> None:
    assert check("Probe", {"Ratio": 1, "Ratios": [0.5, 2, -1e300]}) is None
    assert check("Probe", {"Ratio": True}) == (
        "InvalidParameter",
        "The parameter `Ratio` must be a number, got a boolean true.",
    )
    assert check("Probe", {"Ratios": ["1.5"]}) == (
        "InvalidParameter",
        'The parameter `Ratios.0` must be a number, got a string "1.5".',
    )
    assert check("Probe", {"Ratio": float("nan")}) == (
        "InvalidParameterValue",
        "The parameter `Ratio` must be a finite number, got nan.",
    )
    assert check("Probe", {"Ratios": [1.0, float("-inf")]}) == (
        "InvalidParameterValue",
        "The parameter `Ratios.1` must be a finite number, got -inf.",
    )


@pytest.mark.usefixtures("probe_spec")
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2024-01-05 10:20:30", True),
        ("2024-02-29 23:59:59", True),
        ("2024-1-5 10:20:30", False),
        ("2023-02-29 00:00:00", False),
        ("2024-01-05 24:00:00", False),
        ("2024-01-05T10:20:30", False),
        ("2024-01-05 10:20:30 ", False),
        ("2024-01-05", False),
    ],
)
def test_datetimes_must_be_year_month_day_hour_minute_second(value: str, valid: bool) -> None:
    expected = None
    if not valid:
        expected = (
            "InvalidParameterValue",
            "The parameter `Self.At` must be a date and time as YYYY-MM-DD HH:MM:SS, "
            f"got a string {json.dumps(value)}.",
        )
    assert check("Probe", {"Self": {"At": value}}) == expected


@pytest.mark.usefixtures("probe_spec")
def test_an_object_may_contain_itself() -> None:
    assert check("Probe", {"Self": {"Self": {"Self": {"Ratio": 1}}}}) is None
    assert check("Probe", {"Self": {"Self": {"Self": {"Ratio": "1"}}}}) == (
        "InvalidParameter",
        'The parameter `Self.Self.Self.Ratio` must be a number, got a string "1".',
    )


# --- which problem is answered -----------------------------------------------------------


def test_the_region_is_checked_before_the_parameters() -> None:
    assert check("DescribeTopic", {"Foo": 1}, "ap-nowhere")[0] == "UnsupportedRegion"


def test_unknown_names_come_before_missing_ones_in_request_order() -> None:
    assert check("DescribeTopic", {"Zzz": 1, "Aaa": 2})[1].startswith("The parameter `Zzz`")
    assert check("DescribeTopic", {"Limit": "x", "InstanceID": "i"})[0] == "UnknownParameter"


def test_members_are_checked_in_spec_order_whatever_the_request_order() -> None:
    params = {"TopicName": 1, "ReplicaNum": 2, "PartitionNum": "1", "InstanceId": "i"}
    assert check("CreateTopic", params) == (
        "InvalidParameter",
        'The parameter `PartitionNum` must be an integer, got a string "1".',
    )
    # InstanceId's type comes before PartitionNum's absence.
    assert check("CreateTopic", {"InstanceId": 1, "TopicName": "t", "ReplicaNum": 2}) == (
        "InvalidParameter",
        "The parameter `InstanceId` must be a string, got a number 1.",
    )


def test_a_nested_problem_is_answered_where_its_member_stands() -> None:
    params = {"Limit": "x", "Filters": [{"Name": 1, "Values": []}]}
    assert check("DescribeInstancesDetail", params) == (
        "InvalidParameter",
        "The parameter `Filters.0.Name` must be a string, got a number 1.",
    )
    params = {"Filters": [{"Name": "Status", "Values": []}, {"Name": 2}], "Limit": "x"}
    assert check("DescribeInstancesDetail", params)[1] == (
        "The parameter `Filters.1.Name` must be a string, got a number 2."
    )


# --- other entry points ------------------------------------------------------------------


def test_an_unknown_action_raises() -> None:
    with pytest.raises(UnknownActionError, match='did you mean "DescribeTopic"'):
        check("DescribeTopics", {})


def test_flattened_requests_validate_like_json_ones() -> None:
    url = (
        "http://127.0.0.1/?Action=DescribeInstancesDetail&Region=ap-guangzhou"
        "&Filters.0.Name=Status&Filters.0.Values.0=1&Limit=5"
    )
    parsed = parse_request("GET", url, {}, None)
    assert validate_request(parsed.action, parsed.params, parsed.region) is None
    parsed = parse_request("GET", url.replace("Filters.0.Name", "Filters.0.Nam"), {}, None)
    assert validate_request(parsed.action, parsed.params, parsed.region) == (
        "UnknownParameter",
        "The parameter `Filters.0.Nam` is not recognized. Did you mean `Filters.0.Name`?",
    )


def test_tables_built_concurrently_are_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "_ACTION_TABLES", {})
    monkeypatch.setattr(validation, "_BUILT", {})
    barrier = threading.Barrier(8)
    results: list[Any] = []

    def run() -> None:
        barrier.wait()
        for action in ACTIONS:
            results.append(check(action, dict(SPEC.actions[action].example_input or {})))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [INVALID_EXAMPLES.get(action) for action in ACTIONS]
    assert sorted(map(repr, results)) == sorted(map(repr, expected * 8))


# --- the quick check and the ordered walk agree ------------------------------------------

# validate_request answers from a quick yes/no walk and only then, for a "no", from
# an ordered walk that names the problem. They must agree on every request.

BATTERY: list[Any] = [None, "", "x", 0, -1, 2**63, 2**64, 1.5, math.nan, True, [], ["x"], [1]]
BATTERY += [[{}], {}, {"Zzz": 1}, "2020-09-22T00:00:00Z", "2020-09-22 00:00:00"]


def _mutations(node: Any) -> Iterator[Any]:
    """Copies of ``node`` with one value replaced, one key dropped or one key added."""
    if isinstance(node, dict):
        for key, child in node.items():
            for value in BATTERY:
                yield {**node, key: value}
            yield {k: v for k, v in node.items() if k != key}
            for mutated in _mutations(child):
                yield {**node, key: mutated}
        yield {**node, "Zzz": 1}
    elif isinstance(node, list):
        for index, item in enumerate(node):
            for value in [*BATTERY, *_mutations(item)]:
                yield [*node[:index], value, *node[index + 1 :]]


def _agree(action: str, params: Any) -> None:
    answer = check(action, params)
    table = validation._ACTION_TABLES[action]
    assert validation._valid_object(table, params) == (answer is None), params
    assert validation._first_problem(table, params, "") == answer, params


@pytest.mark.parametrize("action", ACTIONS)
def test_the_two_walks_agree_on_every_mutation_of_the_example(action: str) -> None:
    example = dict(SPEC.actions[action].example_input or {})
    for name in SPEC.input_members(action):
        for value in BATTERY:
            _agree(action, {**example, name: value})
    for mutated in _mutations(example):
        _agree(action, mutated)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "x", "2020-09-22T00:00:00+08:00", "2020-09-22 00:00:00"]),
    st.just([]),
    st.just({}),
)


def _shaped(member: Member, depth: int) -> st.SearchStrategy[Any]:
    """Values that mostly fit ``member``, or fit its item where a list is due, or vice versa."""
    if member.is_object:
        one: st.SearchStrategy[Any] = (
            st.just({}) if depth > 3 else _shaped_object(member.kind, depth + 1)
        )
    else:
        one = {
            "string": st.text(max_size=2),
            "bool": st.booleans(),
            "datetime_iso": st.sampled_from(["2020-09-22T00:00:00Z", "2020-13-22T00:00:00Z"]),
        }.get(member.kind, st.integers(min_value=-(2**64), max_value=2**64 + 1))
    many = st.lists(st.one_of(one, one, _JUNK), max_size=2)
    if member.type == "list":
        return st.one_of(many, many, one, _JUNK)
    return st.one_of(one, one, many, _JUNK)


@st.composite
def _shaped_object(draw: st.DrawFn, object_name: str, depth: int) -> dict[str, Any]:
    members = SPEC.members(object_name)
    names = draw(st.lists(st.sampled_from(sorted(members) or ["Zzz"]), max_size=3, unique=True))
    node = {name: draw(_shaped(members[name], depth)) for name in names if name in members}
    if draw(st.integers(0, 9)) == 0:
        node[draw(st.sampled_from(["Zzz", "instanceId"]))] = 1
    return node


@st.composite
def _requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    action = draw(st.sampled_from(ACTIONS))
    params: dict[str, Any] = dict(SPEC.actions[action].example_input or {})
    drop: bool = draw(st.booleans())
    if params and drop:
        del params[draw(st.sampled_from(sorted(params)))]
    params.update(draw(_shaped_object(SPEC.actions[action].input, 0)))
    return action, params


@settings(max_examples=500, deadline=None)
@given(_requests())
def test_the_two_walks_agree_on_random_requests(request: tuple[str, dict[str, Any]]) -> None:
    _agree(*request)


def _smt(value_operate: dict[str, Any]) -> dict[str, Any]:
    return {"Key": "k", "Operate": "OTHER", "SchemeType": "string", "ValueOperate": value_operate}


def _datahub_task(transforms: dict[str, Any]) -> dict[str, Any]:
    return {"TaskName": "t", "TaskType": "SOURCE", "TransformsParam": transforms}
