"""The depth and text limits, the echo clipping, and every door they guard.

A lone surrogate (``"\\ud800"``, valid JSON) or a body nested hundreds deep
must be refused where it enters (a request, a stub, a seed, a loaded state),
so that nothing accepted can make a later encoding fail.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest

from pytest_ckafka import MAX_DEPTH, CKafka
from pytest_ckafka.api import strict_json
from pytest_ckafka.api.envelopes import encode
from pytest_ckafka.api.limits import ECHO_CHARS, check_data, clip, clip_quoted, data_problem, escape
from pytest_ckafka.api.protocol import ProtocolError, parse_request
from pytest_ckafka.backend import Backend, State
from pytest_ckafka.exceptions import CKafkaUsageError

URL = "https://ckafka.tencentcloudapi.com/"
SURROGATE = "\ud800"


def nested(depth: int, leaf: Any = 1) -> Any:
    """``depth`` arrays around ``leaf``: ``nested(2) == [[1]]``."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def deep_json(levels: int) -> bytes:
    """A request body whose outermost object is level 1 and which nests ``levels`` deep."""
    inner = levels - 1
    return b'{"SearchWord": ' + b"[" * inner + b"1" + b"]" * inner + b"}"


def post(body: bytes | str, action: str = "DescribeInstances") -> Any:
    headers = {"X-TC-Action": action, "X-TC-Version": "2019-08-19"}
    return parse_request("POST", URL, {**headers, "Content-Type": "application/json"}, body)


def refusal(call: Any) -> str:
    with pytest.raises(ProtocolError) as info:
        call()
    assert info.value.code == "InvalidParameter"
    return info.value.message


def answer(fake: CKafka, body: bytes, action: str = "DescribeInstances") -> dict[str, Any]:
    headers = {"X-TC-Action": action, "X-TC-Version": "2019-08-19"}
    reply = fake.handle("POST", URL, {**headers, "Content-Type": "application/json"}, body)
    envelope: dict[str, Any] = json.loads(reply.body)
    return envelope["Response"]


# -- the helpers ------------------------------------------------------------------------------


def test_clip_says_how_long_the_value_was() -> None:
    assert clip("short") == "short"
    assert clip(12345, 3) == "123... (5 characters)"
    assert clip("x" * 10_000_000) == "x" * ECHO_CHARS + "... (10000000 characters)"


def test_clip_quoted_clips_each_quoted_value_and_bounds_the_whole() -> None:
    message = "The topic `" + "t" * 5000 + "` of `ckafka-1` does not exist."
    assert clip_quoted(message) == (
        "The topic `" + "t" * ECHO_CHARS + "... (5000 characters)` of `ckafka-1` does not exist."
    )
    unquoted = clip_quoted("got " + "9" * 100_000)
    assert len(unquoted) < 2100 and unquoted.endswith("... (100004 characters)")
    assert clip_quoted("short `one`") == "short `one`"


def test_escape_writes_surrogates_as_json_escapes() -> None:
    assert escape("ok é") == "ok é"
    assert escape("a\udc80b") == "a\\udc80b"
    assert json.loads('"' + escape("a\ud800") + '"') == "a\ud800"


def test_data_problem_names_the_path_of_a_surrogate_value_or_name() -> None:
    assert data_problem({"a": ["ok", {"b": "é"}]}) is None
    problem = data_problem({"Filters": [{"Name": "x", "Values": ["ok", "v\ud800"]}]})
    assert problem is not None
    assert problem.describe() == (
        "`Filters.0.Values.1` holds a lone surrogate (\\ud800 at character 1), "
        "which is not Unicode text"
    )
    name = data_problem({"Filters": [{"\udfff": 1}]})
    assert name is not None and name.name
    assert name.describe() == (
        "the name `Filters.0.\\udfff` holds a lone surrogate (\\udfff at character 0), "
        "which is not Unicode text"
    )
    assert data_problem(SURROGATE, "message") == data_problem({"message": SURROGATE})


def test_data_problem_allows_max_depth_and_refuses_one_more() -> None:
    assert data_problem(nested(MAX_DEPTH)) is None
    problem = data_problem({"a": nested(MAX_DEPTH)})
    assert problem is not None
    assert problem.describe() == (
        "`a" + ".0" * (MAX_DEPTH - 1) + "` is nested more than 32 levels deep"
    )


def test_data_problem_stops_at_the_limit_even_for_a_cycle() -> None:
    loop: list[Any] = []
    loop.append(loop)
    problem = data_problem({"loop": loop})
    assert problem is not None and problem.what == "is nested more than 32 levels deep"


def test_the_depth_limit_leaves_room_for_the_deepest_spec_structures() -> None:
    # CreateDatahubTask's request nests 9 levels and an envelope at most 11.
    assert MAX_DEPTH >= 3 * 11 - 1


def test_check_data_raises_a_usage_error_naming_where() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        check_data({"tags": [{"TagKey": SURROGATE}]}, "state.add_instance")
    assert str(info.value) == (
        "state.add_instance: `tags.0.TagKey` holds a lone surrogate (\\ud800 at character 0), "
        "which is not Unicode text"
    )


# -- CKafka requests: refused at parse time ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"\\ud800": 1}',
            "The parameter name `\\ud800` holds a lone surrogate (\\ud800 at character 0), "
            "which is not Unicode text.",
        ),
        (
            b'{"SearchWord": "ab\\ud800"}',
            "The parameter `SearchWord` holds a lone surrogate (\\ud800 at character 2), "
            "which is not Unicode text.",
        ),
        (
            b'{"Filters": [{"Name": "x", "Values": ["\\udc00"]}]}',
            "The parameter `Filters.0.Values.0` holds a lone surrogate (\\udc00 at character 0), "
            "which is not Unicode text.",
        ),
    ],
    ids=["name", "value", "nested-value"],
)
def test_a_json_lone_surrogate_is_refused_naming_the_parameter(body: bytes, message: str) -> None:
    assert refusal(lambda: post(body)) == message


def test_a_surrogate_pair_escape_is_text_and_accepted() -> None:
    assert post(b'{"SearchWord": "\\ud83d\\ude00 \\u4e2d"}').params == {"SearchWord": "😀 中"}


def test_a_str_body_holding_a_raw_surrogate_is_refused() -> None:
    message = refusal(lambda: post('{"SearchWord": "x' + SURROGATE + '"}'))
    assert message.startswith("The parameter `SearchWord` holds a lone surrogate")


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", URL + "?Action=DescribeInstances&SearchWord=" + SURROGATE, None),
        ("POST", URL, "Action=DescribeInstances&SearchWord=" + SURROGATE),
        ("POST", URL, "Action=DescribeInstances&" + SURROGATE + "=1"),
    ],
    ids=["query", "form", "form-name"],
)
def test_a_v1_surrogate_is_refused(method: str, url: str, body: Optional[str]) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    message = refusal(lambda: parse_request(method, url, headers, body))
    assert "holds a lone surrogate (\\ud800 at character" in message


def test_json_nested_to_the_limit_is_accepted_and_one_more_is_refused() -> None:
    assert post(deep_json(MAX_DEPTH)).params["SearchWord"] == nested(MAX_DEPTH - 1)
    assert refusal(lambda: post(deep_json(MAX_DEPTH + 1))) == (
        "The parameter `SearchWord" + ".0" * (MAX_DEPTH - 1) + "` is nested more than 32 "
        "levels deep."
    )


@pytest.mark.parametrize("levels", [980, 100_000])
def test_json_nested_far_too_deep_is_refused(levels: int) -> None:
    message = refusal(lambda: post(deep_json(levels)))
    assert message.endswith("is nested more than 32 levels deep.")


def test_v1_names_nest_to_the_same_limit() -> None:
    ok = ".".join(["a"] * MAX_DEPTH)
    assert parse_request("GET", f"{URL}?Action=DescribeInstances&{ok}=1", {}, None).params
    deep = ".".join(["a"] * (MAX_DEPTH + 1))
    message = refusal(lambda: parse_request("GET", f"{URL}?Action=X&{deep}=1", {}, None))
    assert message == f"The parameter `{deep}` is nested more than 32 levels deep."
    far = ".".join(["0"] * 5000)
    message = refusal(lambda: parse_request("GET", f"{URL}?Action=X&{far}=1", {}, None))
    assert message.endswith("... (9999 characters)` is nested more than 32 levels deep.")


def test_the_core_answers_invalid_parameter_and_logs_an_encodable_call() -> None:
    fake = CKafka()
    response = answer(fake, b'{"SearchWord": "\\ud800"}')
    assert response["Error"]["Code"] == "InvalidParameter"
    deep = answer(fake, deep_json(980))
    assert deep["Error"]["Code"] == "InvalidParameter"
    assert [call.answered_by for call in fake.calls] == ["protocol", "protocol"]
    assert json.dumps([call.summary() for call in fake.calls]).encode()
    assert fake._is_synthetic(response["RequestId"])  # a recording cassette must skip it


def test_a_surrogate_in_a_header_still_gets_an_encodable_answer() -> None:
    # Only an in-process client can send one (HTTP headers are latin-1).
    fake = CKafka()
    headers = {"X-TC-Action": "Describe" + SURROGATE, "X-TC-Version": "2019-08-19"}
    reply = fake.handle("POST", URL, {**headers, "Content-Type": "application/json"}, b"{}")
    error = json.loads(reply.body)["Response"]["Error"]
    assert error["Code"] == "InvalidAction" and SURROGATE in error["Message"]
    assert encode({"calls": [fake.calls[0].action]}) == b'{"calls":["Describe\\ud800"]}'


# -- what the fake echoes -----------------------------------------------------------------------


def test_a_10_mb_value_is_not_echoed_back() -> None:
    fake = CKafka()
    huge = "x" * 10_000_000
    cases = [
        ("DescribeTopic", {"InstanceId": huge}),  # the backend: the instance does not exist
        ("DescribeTopic", {"InstanceId": "ckafka-1", huge: 1}),  # validation: unknown name
        ("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": huge}),  # validation: the type
    ]
    for action, params in cases:
        response = answer(fake, json.dumps(params).encode(), action)
        assert len(response["Error"]["Message"]) < 2 * ECHO_CHARS + 100, response["Error"]
    not_found = answer(fake, json.dumps({"InstanceId": huge}).encode(), "DescribeTopic")
    assert not_found["Error"]["Message"] == (
        "The instance `" + "x" * ECHO_CHARS + "... (10000000 characters)` does not exist."
    )
    query = fake.handle("GET", f"{URL}?Action=DescribeInstances&Limit={huge}", {}, None)
    message = json.loads(query.body)["Response"]["Error"]["Message"]
    assert message == (
        "Invalid value `" + "x" * ECHO_CHARS + "... (10000000 characters)` for parameter "
        "`Limit`: expected an integer."
    )


# -- the Python API: stubs and seeds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("register", "message"),
    [
        (
            lambda f: f.respond("DescribeTopic", {"Result": {"TopicList": [], "x": SURROGATE}}),
            "DescribeTopic: `body.Result.x` holds a lone surrogate",
        ),
        (
            lambda f: f.respond("DescribeTopic", params={"InstanceId": SURROGATE}),
            "DescribeTopic: `params.InstanceId` holds a lone surrogate",
        ),
        (
            lambda f: f.fail("DeleteTopic", "ResourceInUse", "busy " + SURROGATE),
            "DeleteTopic: `message` holds a lone surrogate (\\ud800 at character 5)",
        ),
        (
            lambda f: f.fail("DeleteTopic", "My" + SURROGATE, custom=True),
            "DeleteTopic: `code` holds a lone surrogate",
        ),
        (
            lambda f: f.fault("*", "timeout", params={"TopicName": SURROGATE}),
            "*: `params.TopicName` holds a lone surrogate",
        ),
        (
            lambda f: f.respond("DescribeTopic", {"Result": {"TopicList": nested(40)}}),
            "DescribeTopic: `body.Result.TopicList" + ".0" * 30 + "` is nested more than 32",
        ),
    ],
    ids=["body", "params", "fail-message", "custom-code", "fault-params", "deep-body"],
)
def test_stubs_refuse_what_cannot_be_sent(register: Any, message: str) -> None:
    fake = CKafka()
    with pytest.raises(CKafkaUsageError) as info:
        register(fake)
    assert str(info.value).startswith(message)
    assert fake.stubs == []


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (
            lambda s: s.add_instance(name="shop" + SURROGATE),
            "state.add_instance: `name` holds a lone surrogate (\\ud800 at character 4)",
        ),
        (
            lambda s: s.add_instance(tags=[{"TagKey": "k", "TagValue": SURROGATE}]),
            "state.add_instance: `tags.0.TagValue` holds a lone surrogate",
        ),
        (
            lambda s: s.add_instance(region=SURROGATE),
            "state.add_instance: `region` holds a lone surrogate",
        ),
        (
            lambda s: s.add_instance(tags=nested(40)),
            "state.add_instance: `tags" + ".0" * 31 + "` is nested more than 32 levels deep",
        ),
        (
            lambda s: s.add_topic("ckafka-1", SURROGATE),
            "state.add_topic: `name` holds a lone surrogate",
        ),
        (
            lambda s: s.add_topic("ckafka-1", "t", note=SURROGATE),
            "state.add_topic: `note` holds a lone surrogate",
        ),
        (
            lambda s: s.add_messages("ckafka-1", "orders", ["ok", ("key", SURROGATE)]),
            "state.add_messages: `messages.1.value` holds a lone surrogate",
        ),
        (
            lambda s: s.add_group("ckafka-1", SURROGATE),
            "state.add_group: `name` holds a lone surrogate",
        ),
        (
            lambda s: s.add_user("ckafka-1", "u", SURROGATE),
            "state.add_user: `password` holds a lone surrogate",
        ),
        (
            lambda s: s.add_acl("ckafka-1", "t", operation=2, permission_type=2, host=SURROGATE),
            "state.add_acl: `host` holds a lone surrogate",
        ),
        (
            lambda s: s.add_route("ckafka-1", vip=SURROGATE),
            "state.add_route: `vip` holds a lone surrogate",
        ),
    ],
    ids=[
        "instance-name",
        "instance-tags",
        "instance-region",
        "instance-deep-tags",
        "topic-name",
        "topic-note",
        "messages",
        "group",
        "user",
        "acl",
        "route",
    ],
)
def test_seeds_refuse_what_cannot_be_saved(seed: Any, message: str) -> None:
    state = State(Backend())
    state.add_instance("ckafka-1")
    state.add_topic("ckafka-1", "orders")
    before = state.dump()
    with pytest.raises(CKafkaUsageError) as info:
        seed(state)
    assert str(info.value).startswith(message)
    assert state.dump() == before
    assert json.dumps(state.dump(), ensure_ascii=False).encode()


def test_loading_a_state_refuses_a_surrogate_and_keeps_the_old_state() -> None:
    state = State(Backend())
    state.add_instance("ckafka-1")
    data = state.dump()
    data["stores"][0]["instances"]["ckafka-1"]["name"] = SURROGATE
    before = state.dump()
    with pytest.raises(CKafkaUsageError) as info:
        state.load(data)
    assert str(info.value) == (
        "state.load: `stores.0.instances.ckafka-1.name` holds a lone surrogate "
        "(\\ud800 at character 0), which is not Unicode text"
    )
    assert state.dump() == before


def test_python_values_json_cannot_hold_are_refused_where_they_enter() -> None:
    import datetime

    fake = CKafka()
    with pytest.raises(CKafkaUsageError) as info:
        fake.state.add_instance(zone_ids={100003, 100004})
    assert str(info.value) == "state.add_instance: `zone_ids` is a set, which JSON cannot hold"
    with pytest.raises(CKafkaUsageError) as info:
        fake.respond("DescribeTopic", params={"InstanceId": datetime.date(2024, 1, 1)})
    assert str(info.value) == (
        "DescribeTopic: `params.InstanceId` is a date, which JSON cannot hold"
    )
    with pytest.raises(CKafkaUsageError) as info:
        check_data({(1, 2): "x"}, "here")
    assert str(info.value) == "here: the name `(1, 2)` is a tuple, which JSON cannot hold as a name"
    # Converted arguments are checked as stored: a range of offsets is a list.
    fake.state.add_instance("ckafka-1")
    fake.state.add_topic("ckafka-1", "orders", partitions=2)
    fake.state.add_group("ckafka-1", "g", offsets={"orders": range(2)})
    assert json.dumps(fake.state.dump())


def test_python_seeds_are_type_checked_as_control_api_seeds_are() -> None:
    # add_instance(123) was stored: GET /_ckafka/state then had a key that is not a string,
    # and the --state save failed. The one check is the control API's (seed_arguments).
    fake = CKafka()
    for call, message in [
        (lambda: fake.state.add_instance(123),
         "state.add_instance.instance_id: expected a string or null, got a number 123"),
        (lambda: fake.state.add_instance(status="1"),
         'state.add_instance.status: expected an integer, got a string "1"'),
        (lambda: fake.state.add_instance(zone_ids=["100003"]),
         'state.add_instance.zone_ids[0]: expected an integer, got a string "100003"'),
        (lambda: fake.state.add_topic("ckafka-1", "t", partitions="3"),
         'state.add_topic.partitions: expected an integer, got a string "3"'),
        (lambda: fake.state.add_user("ckafka-1", "u", 42),
         "state.add_user.password: expected a string, got a number 42"),
    ]:  # fmt: skip
        with pytest.raises(CKafkaUsageError) as info:
            call()
        assert str(info.value) == message
    assert fake.state.dump() == {"stores": []}
    strict_json.dumps(fake.state.dump())


def test_python_integers_past_64_bits_are_refused_where_they_enter() -> None:
    fake = CKafka()
    with pytest.raises(CKafkaUsageError) as info:
        fake.respond("DescribeTopic", params={"Limit": 10**400})
    assert str(info.value) == (
        "DescribeTopic: `params.Limit` is an integer of 401 digits, out of range "
        "(-2**63 to 2**64-1)"
    )
    with pytest.raises(CKafkaUsageError) as info:
        fake.respond("DescribeTopic", {"Result": {"TotalCount": 10**30, "TopicList": []}})
    assert str(info.value) == (
        "DescribeTopic: `body.Result.TotalCount` is an integer of 31 digits, out of range "
        "(-2**63 to 2**64-1)"
    )
    instance = fake.state.add_instance()
    with pytest.raises(CKafkaUsageError) as info:
        fake.state.add_topic(instance, "t", RetentionMs=-(2**63) - 1)
    assert str(info.value) == (
        "state.add_topic: `RetentionMs` is an integer -9223372036854775809, out of range "
        "(-2**63 to 2**64-1)"
    )
    fake.respond("DescribeTopic", {"Result": {"TotalCount": 2**64 - 1, "TopicList": []}})
    assert fake.stubs  # the edges of uint64 and int64 are kept
