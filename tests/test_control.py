"""The control API, pure: (method, path, body) in, (status, JSON) out; exact messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_ckafka import CKafka
from pytest_ckafka.api import strict_json
from pytest_ckafka.api.limits import MAX_DEPTH
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.backend import State
from pytest_ckafka.backend.state import _INSTANCE_FIELDS
from pytest_ckafka.clock import Clock
from pytest_ckafka.exceptions import CKafkaUsageError
from pytest_ckafka.server import control as control_module
from pytest_ckafka.server.control import (
    ControlAnswer,
    add_stubs,
    handle_control,
    is_control_path,
    stub_entry,
)

URL = "https://ckafka.tencentcloudapi.com/"


def control(fake: CKafka, method: str, path: str, body: Any = None) -> ControlAnswer:
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return handle_control(fake, method, path, raw)


def error_of(fake: CKafka, method: str, path: str, body: Any = None) -> tuple[int, str]:
    answer = control(fake, method, path, body)
    assert set(answer.body) == {"error"}
    return answer.status, answer.body["error"]


def call(fake: CKafka, action: str, params: dict[str, Any] | None = None) -> Any:
    """Answer one call; with no ``params``, the action's documented (valid) example input."""
    if params is None:
        params = load_spec().action(action).example_input
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    reply = fake.handle("POST", URL, headers, json.dumps(params).encode())
    return json.loads(reply.body)["Response"]


# -- routes ---------------------------------------------------------------------------------


def test_health() -> None:
    fake = CKafka()
    fake.respond("DescribeTopic")
    answer = control(fake, "GET", "/_ckafka/health")
    assert (answer.status, dict(answer.body)) == (
        200,
        {"status": "ok", "service": "ckafka", "version": "2019-08-19", "stubs": 1, "calls": 0},
    )


def test_post_one_stub_of_each_kind_and_read_them_back() -> None:
    fake = CKafka()
    entries = [
        {
            "kind": "respond",
            "action": "DescribeTopic",
            "body": {"Result": {"TotalCount": 0, "TopicList": []}},
            "params": {"InstanceId": "ckafka-1"},
        },
        {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "times": 2},
        {"kind": "fail", "action": "*", "code": "My.Code", "message": "m", "custom": True},
        {"kind": "fault", "action": "*", "fault": "http_status", "status": 503, "times": 1},
    ]
    for entry in entries:
        answer = control(fake, "POST", "/_ckafka/stubs", entry)
        assert (answer.status, answer.body) == (200, {"stubs": [entry]})
    assert [s.describe() for s in fake.stubs] == [
        'respond(\'DescribeTopic\', {"Result":{"TotalCount":0,"TopicList":[]}}, '
        "params={'InstanceId': 'ckafka-1'}) [used 0]",
        "fail('DeleteTopic', 'ResourceInUse', times=2) [used 0 of 2]",
        "fail('*', 'My.Code') [used 0]",
        "fault('*', 'http_status', times=1) [used 0 of 1]",
    ]
    assert call(fake, "DeleteTopic")["Error"]["Code"] == "ResourceInUse"
    listed = control(fake, "GET", "/_ckafka/stubs")
    assert listed.status == 200
    assert [entry["used"] for entry in listed.body["stubs"]] == [0, 1, 0, 0]
    assert [{k: v for k, v in e.items() if k != "used"} for e in listed.body["stubs"]] == entries


def test_post_a_list_registers_all() -> None:
    fake = CKafka()
    body = [
        {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse"},
        {"kind": "fault", "action": "DescribeTopic", "fault": "timeout"},
    ]
    answer = control(fake, "POST", "/_ckafka/stubs/", body)  # a trailing slash is the same path
    assert answer.status == 200 and answer.body == {"stubs": body}
    assert len(fake.stubs) == 2


def test_a_bad_entry_in_a_list_registers_none_and_is_named() -> None:
    fake = CKafka()
    body = [
        {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse"},
        {"kind": "respond", "action": "DescribeTopik"},
    ]
    assert error_of(fake, "POST", "/_ckafka/stubs", body) == (
        400,
        'stubs[1]: unknown action "DescribeTopik": did you mean "DescribeTopic"? '
        "(105 valid actions; close matches: DescribeTopic, DescribeGroup, DescribeTopicDetail)",
    )
    assert fake.stubs == []


def test_the_stub_answers_the_call_and_the_call_log_reads_it() -> None:
    fake = CKafka()
    control(fake, "POST", "/_ckafka/stubs", {"kind": "fault", "action": "*", "fault": "timeout"})
    control(fake, "POST", "/_ckafka/stubs", {"kind": "respond", "action": "DescribeRegion"})
    fail = {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse"}
    control(fake, "POST", "/_ckafka/stubs", fail)
    call(fake, "DeleteTopic", {"InstanceId": "ckafka-1", "TopicName": "t"})
    call(fake, "DescribeRegion", {})
    answer = control(fake, "GET", "/_ckafka/calls")
    assert answer.status == 200
    calls = answer.body["calls"]
    assert [{k: v for k, v in c.items() if k != "request_id"} for c in calls] == [
        {
            "action": "DeleteTopic",
            "params": {"InstanceId": "ckafka-1", "TopicName": "t"},
            "region": "ap-guangzhou",
            "version": "2019-08-19",
            "error_code": "ResourceInUse",
            "secret_id": None,
            "account": "default",
        },
        {
            "action": "DescribeRegion",
            "params": {},
            "region": "ap-guangzhou",
            "version": "2019-08-19",
            "error_code": None,
            "secret_id": None,
            "account": "default",
        },
    ]
    assert [c["request_id"] for c in calls] == [c.request_id for c in fake.calls]


def test_a_fault_shows_in_the_call_log_by_kind() -> None:
    fake = CKafka()
    control(fake, "POST", "/_ckafka/stubs", {"kind": "fault", "action": "*", "fault": "timeout"})
    fake.handle("POST", URL, {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}, b"{}")
    assert control(fake, "GET", "/_ckafka/calls").body["calls"][0]["error_code"] == "fault:timeout"


def test_delete_stubs_keeps_calls_and_reset_forgets_both() -> None:
    fake = CKafka()
    fake.fail("DeleteTopic", "ResourceInUse")
    fake.respond("DescribeTopic")
    call(fake, "DescribeTopic")
    assert dict(control(fake, "DELETE", "/_ckafka/stubs").body) == {"removed": 2}
    assert fake.stubs == [] and len(fake.calls) == 1
    fake.respond("DescribeTopic")
    answer = control(fake, "POST", "/_ckafka/reset")
    assert (answer.status, dict(answer.body)) == (200, {"reset": True})
    assert fake.stubs == [] and len(fake.calls) == 0


def test_answers_are_json_replies() -> None:
    reply = control(CKafka(), "GET", "/_ckafka/health?verbose=1").reply()
    assert reply.status == 200
    assert reply.headers == {"Content-Type": "application/json"}
    assert json.loads(reply.body)["status"] == "ok"


def test_control_paths() -> None:
    assert is_control_path("/_ckafka/stubs") and is_control_path("/_ckafka")
    assert not is_control_path("/") and not is_control_path("/_ckafkax")


# -- bad input ------------------------------------------------------------------------------


def test_unknown_path_is_404_with_suggestion() -> None:
    assert error_of(CKafka(), "GET", "/_ckafka/stub") == (
        404,
        'unknown control path "/_ckafka/stub": did you mean "/_ckafka/stubs"? Valid choices: '
        "/_ckafka/calls, /_ckafka/clock, /_ckafka/credentials, /_ckafka/health, /_ckafka/reset, "
        "/_ckafka/state, /_ckafka/stubs.",
    )


def test_wrong_method_is_405_with_allow() -> None:
    answer = control(CKafka(), "GET", "/_ckafka/reset")
    assert (answer.status, dict(answer.body), answer.allow) == (
        405,
        {"error": "GET /_ckafka/reset is not allowed: use POST"},
        "POST",
    )
    assert answer.reply().headers["Allow"] == "POST"
    assert control(CKafka(), "PUT", "/_ckafka/stubs").allow == "DELETE, GET, HEAD, POST"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"kind": "respond", "action": "DescribeTopik"},
            'unknown action "DescribeTopik": did you mean "DescribeTopic"? (105 valid actions; '
            "close matches: DescribeTopic, DescribeGroup, DescribeTopicDetail)",
        ),
        (
            {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUze"},
            'unknown error code "ResourceInUze": did you mean "ResourceInUse"? (60 valid error '
            "codes; close matches: ResourceInUse, ResourceInsufficient, ResourceNotFound). "
            "Pass custom=True to send a code that is not in the catalog.",
        ),
        (
            {"kind": "fault", "action": "*", "fault": "timout"},
            'unknown fault kind "timout": did you mean "timeout"? Valid choices: '
            "connection_error, http_status, malformed_json, timeout, wrong_content_type.",
        ),
        (
            {"kind": "fault", "action": "*", "fault": "http_status", "status": 200},
            "http_status fault needs a non-200 status between 300 and 599, got 200",
        ),
        (
            {"kind": "respond", "action": "DescribeTopic", "body": {"Reslt": {}}},
            'DescribeTopic response: unknown member "Reslt": did you mean "Result"? '
            "Valid members of DescribeTopicResponse: Result",
        ),
        (
            {"kind": "respond", "action": "DescribeTopic", "params": {"InstanceIds": "x"}},
            'DescribeTopic params: unknown request parameter "InstanceIds": did you mean '
            '"InstanceId"? Valid choices: AclRuleName, InstanceId, Limit, Offset, SearchWord.',
        ),
        (
            {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "times": 0},
            "times must be a positive integer or None, got 0",
        ),
        (
            {"kind": "fial", "action": "DeleteTopic"},
            'unknown stub kind "fial": did you mean "fail"? Valid choices: fail, fault, respond.',
        ),
        ({"action": "DeleteTopic"}, 'a stub needs "kind": one of respond, fail, fault'),
        (
            {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "tims": 1},
            'fail stub: unknown field "tims": did you mean "times"? Valid choices: action, code, '
            "custom, kind, message, params, times.",
        ),
        (
            {"kind": "respond", "action": "DescribeTopic", "code": "X"},
            'respond stub: unknown field "code". Valid choices: action, body, kind, params, times.',
        ),
        ({"kind": "fail", "action": "DeleteTopic"}, 'fail stub: missing field "code"'),
        ({"kind": "fault", "fault": "timeout"}, 'fault stub: missing field "action"'),
        (
            {"kind": "fail", "action": "DeleteTopic", "code": 5},
            'fail stub: "code" must be a string, got a number 5',
        ),
        (
            {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "times": True},
            'fail stub: "times" must be an integer, got a boolean true',
        ),
        (
            {"kind": "respond", "action": "DescribeTopic", "body": []},
            'respond stub: "body" must be an object, got a list []',
        ),
        ("DeleteTopic", "a stub must be a JSON object, got a string"),
        ([1], "stubs[0]: a stub must be a JSON object, got a number"),
        (b"", "the request needs a JSON body: a stub object or a list of them"),
        (
            b"{",
            "the request body is not valid JSON: Expecting property name enclosed in "
            "double quotes: line 1 column 2 (char 1)",
        ),
    ],
)
def test_bad_stubs_are_400_with_the_python_api_message(body: Any, message: str) -> None:
    fake = CKafka()
    assert error_of(fake, "POST", "/_ckafka/stubs", body) == (400, message)
    assert fake.stubs == []


def test_the_message_is_the_python_apis() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        CKafka().fail("DeleteTopic", "ResourceInUze")
    entry = {"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUze"}
    status, message = error_of(CKafka(), "POST", "/_ckafka/stubs", entry)
    assert (status, message) == (400, str(info.value))


# -- entries --------------------------------------------------------------------------------


def test_stub_entry_round_trips_and_counts_what_is_left() -> None:
    fake = CKafka()
    entries: list[dict[str, Any]] = [
        {"kind": "respond", "action": "DescribeTopic", "times": 3},
        {
            "kind": "fault",
            "action": "DeleteTopic",
            "fault": "timeout",
            "params": {"TopicName": "t"},
        },
    ]
    stubs = add_stubs(fake, entries)
    call(fake, "DescribeTopic")
    assert [stub_entry(s) for s in stubs] == entries
    assert stub_entry(stubs[0], remaining=True) == {**entries[0], "times": 2}
    again = CKafka()
    add_stubs(again, [stub_entry(s) for s in stubs])
    assert [s.describe() for s in again.stubs] == [
        "respond('DescribeTopic', times=3) [used 0 of 3]",
        "fault('DeleteTopic', 'timeout', params={'TopicName': 't'}) [used 0]",
    ]


# -- state and clock ----------------------------------------------------------------------

SEED = [
    {"add": "instance", "instance_id": "ckafka-00000001", "name": "orders"},
    {"add": "topic", "instance_id": "ckafka-00000001", "name": "payments", "partitions": 3},
    {
        "add": "messages",
        "instance_id": "ckafka-00000001",
        "topic": "payments",
        "messages": ["a", ["k", "b"]],
        "partition": 1,
    },
]


def test_state_seed_then_get_and_put_round_trip() -> None:
    fake = CKafka()
    answer = control(fake, "POST", "/_ckafka/state", SEED)
    assert answer.status == 200
    assert answer.body["added"][0] == "ckafka-00000001"
    assert answer.body["added"][1].startswith("topic-")
    assert answer.body["added"][2] == [0, 1]
    assert [t.partition_num for t in fake.state.topics("ckafka-00000001")] == [3]
    assert [(m.key, m.value) for m in fake.state.messages("ckafka-00000001", "payments", 1)] == [
        ("", "a"),
        ("k", "b"),
    ]
    dumped = control(fake, "GET", "/_ckafka/state").body["state"]
    other = CKafka()
    assert control(other, "PUT", "/_ckafka/state", {"state": dumped}).status == 200
    assert other.state.dump() == fake.state.dump()


def test_state_seed_list_is_all_or_none_with_a_suggestion() -> None:
    fake = CKafka()
    bad = [SEED[0], {"add": "topic", "instance_id": "ckafka-00000001", "nmae": "t"}]
    assert error_of(fake, "POST", "/_ckafka/state", bad) == (
        400,
        'seed[1] (topic): missing "name"',
    )
    assert fake.state.instances() == []
    # Every State.add_KIND is a kind (the families add theirs), and configure.
    kinds = sorted(["configure", *(n[4:] for n in dir(State) if n.startswith("add_"))])
    assert {"acl", "group", "instance", "messages", "route", "topic", "user"} <= set(kinds)
    assert error_of(fake, "POST", "/_ckafka/state", {"add": "instanse"}) == (
        400,
        'seed[0]: unknown seed kind "instanse": did you mean "instance"? Valid choices: '
        + ", ".join(sorted(kinds))
        + ".",
    )
    assert error_of(fake, "POST", "/_ckafka/state", {"add": "instance", "colour": "red"}) == (
        400,
        'seed[0]: state.add_instance: unknown attribute "colour". Valid choices: '
        + ", ".join(sorted(_INSTANCE_FIELDS))
        + ".",
    )


def test_state_seed_list_failing_while_applying_seeds_nothing() -> None:
    fake = CKafka()
    bad = [SEED[0], {"add": "topic", "instance_id": "ckafka-00000002", "name": "t"}]
    status, message = error_of(fake, "POST", "/_ckafka/state", bad)
    assert status == 400
    assert message.startswith('seed[1]: ckafka.state: unknown instance "ckafka-00000002"')
    assert fake.state.instances() == []


def test_state_put_rejects_data_that_is_not_a_dump_and_keeps_the_state() -> None:
    fake = CKafka()
    control(fake, "POST", "/_ckafka/state", SEED[:1])
    status, message = error_of(fake, "PUT", "/_ckafka/state", {"stores": [{"region": "x"}]})
    assert (status, message) == (400, "state: not State.dump() data (KeyError: 'account')")
    assert [i.instance_id for i in fake.state.instances()] == ["ckafka-00000001"]
    assert error_of(fake, "PUT", "/_ckafka/state", {"stors": []}) == (
        400,
        'state: unknown key "stors": did you mean "stores"? Valid choices: stores.',
    )


def test_state_delete_and_reset_forget_resources() -> None:
    fake = CKafka()
    control(fake, "POST", "/_ckafka/state", SEED[:2])
    fake.fail("DeleteTopic", "ResourceInUse")
    assert dict(control(fake, "DELETE", "/_ckafka/state").body) == {"reset": True}
    assert fake.state.instances() == [] and len(fake.stubs) == 1
    control(fake, "POST", "/_ckafka/state", SEED[:1])
    control(fake, "POST", "/_ckafka/reset")
    assert fake.state.instances() == [] and fake.stubs == []


def test_clock_reads_and_advances() -> None:
    fake = CKafka()
    now = control(fake, "GET", "/_ckafka/clock").body["now"]
    assert control(fake, "POST", "/_ckafka/clock", {"advance": 60}).body["now"] == now + 60
    assert fake.clock.now() == now + 60
    assert error_of(fake, "POST", "/_ckafka/clock", {"advance": -1}) == (
        400,
        "advance: expected 0 to 315360000 seconds (10 years), got a number -1",
    )
    assert error_of(fake, "POST", "/_ckafka/clock", b"") == (
        400,
        'the request needs a JSON body: {"advance": SECONDS}',
    )


# -- hardening: every control input is standard JSON and type-checked -------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"advance": NaN}', "advance: NaN is not standard JSON: send a finite number"),
        (b'{"advance": Infinity}', "advance: Infinity is not standard JSON: send a finite number"),
        (b'{"advance": 1e400}', "advance: 1e400 is out of range: send a finite number"),
        (
            b'{"advance": 1e308}',
            "advance: expected 0 to 315360000 seconds (10 years), got a number 1e+308",
        ),
        (
            b'{"advance": ' + b"9" * 400 + b"}",
            "advance: the integer 99999999999999999999... (400 digits) is out of range "
            "(-2**63 to 2**64-1)",
        ),
        (b'{"advance": "60"}', 'advance: expected a number of seconds, got a string "60"'),
        (b'{"advance": true}', "advance: expected a number of seconds, got a boolean true"),
        (b"{}", "advance: expected a number of seconds, got null"),
        (b"[60]", 'clock: expected an object {"advance": SECONDS}, got a list'),
        (
            b'{"advanse": 60}',
            'clock: unknown field "advanse": did you mean "advance"? Valid choices: advance.',
        ),
    ],
)
def test_clock_advance_must_be_a_finite_bounded_number(body: bytes, message: str) -> None:
    fake = CKafka(clock=Clock(start=1000.0))
    assert error_of(fake, "POST", "/_ckafka/clock", body) == (400, message)
    assert fake.clock.now() == 1000.0  # unchanged: the 60-second delete rule still holds


def test_clock_advance_of_ten_years_is_the_most() -> None:
    fake = CKafka(clock=Clock(start=0.0))
    assert control(fake, "POST", "/_ckafka/clock", {"advance": 315360000}).body == {
        "now": 315360000.0
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'[{"kind": "fail", "action": "DescribeTopic", "code": "ResourceInUse",'
            b' "params": {"Limit": NaN}}]',
            "stubs[0].params.Limit: NaN is not standard JSON: send a finite number",
        ),
        (
            b'{"kind": "respond", "action": "DescribeTopic",'
            b' "body": {"Result": {"TotalCount": -Infinity}}}',
            "body.Result.TotalCount: -Infinity is not standard JSON: send a finite number",
        ),
        (
            b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse",'
            b' "times": 100000000000000000000000}',
            "times: the integer 100000000000000000000000 is out of range (-2**63 to 2**64-1)",
        ),
        (
            b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse",'
            b' "message": "busy \\ud800"}',
            "message: the string holds a lone surrogate (\\ud800 at character 5), which is "
            "not Unicode text",
        ),
        (
            b'[{"kind": "respond", "action": "DescribeTopic", "params": {"\\udc00x": 1}}]',
            'stubs[0].params["\\udc00x"]: the key holds a lone surrogate (\\udc00 at character '
            "0), which is not Unicode text",
        ),
        (b"[" * 100_000, "stubs: is nested more than 32 levels deep"),
        (
            b"[" * 70 + b"]" * 70,
            "stubs[0][0][0][0][0][0][0][0][0][0][0][0]...: is nested more than 32 levels deep",
        ),
    ],
)
def test_stubs_refuse_non_standard_json_naming_the_field(body: bytes, message: str) -> None:
    fake = CKafka()
    assert error_of(fake, "POST", "/_ckafka/stubs", body) == (400, message)
    assert fake.stubs == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"add": "instance", "instance_id": 123},
            "seed[0].instance_id: expected a string or null, got a number 123",
        ),
        (
            {"add": "configure", "ready_after_seconds": "5"},
            'seed[0].ready_after_seconds: expected a number or null, got a string "5"',
        ),
        (
            {"add": "configure", "ready_after_describes": 1.5},
            "seed[0].ready_after_describes: expected an integer or null, got a number 1.5",
        ),
        (
            [{"add": "instance", "instance_id": "ckafka-1", "tags": [{"TagKey": 1}]}],
            "seed[0].tags[0].TagKey: expected a string, got a number 1",
        ),
        (
            [SEED[0], {**SEED[1], "partitions": "3"}],
            'seed[1].partitions: expected an integer, got a string "3"',
        ),
        (
            [SEED[0], {**SEED[1], "RetentionMs": "1h"}],
            'seed[1].RetentionMs: expected an integer, got a string "1h"',
        ),
        (
            [SEED[0], SEED[1], {**SEED[2], "messages": ["a", ["k", "v", "x"]]}],
            'seed[2].messages[1]: expected a list of 2 strings, got a list ["k", "v", "x"]',
        ),
        (
            [SEED[0], SEED[1], {**SEED[2], "messages": [{"value": "v", "timestamp": "x"}]}],
            'seed[2].messages[0].timestamp: expected an integer, got a string "x"',
        ),
        (
            [SEED[0], SEED[1], {**SEED[2], "messages": [{"valeu": "v"}]}],
            'seed[2].messages[0]: unknown message member "valeu": did you mean "value"? '
            "Valid choices: headers, key, timestamp, value.",
        ),
        (
            [SEED[0], {**SEED[1], "name": "orders\ud800"}],
            "seed[1].name: the string holds a lone surrogate (\\ud800 at character 6), which "
            "is not Unicode text",
        ),
        (
            {"add": "configure", "ready_after_seconds": float("nan")},
            "ready_after_seconds: NaN is not standard JSON: send a finite number",
        ),
    ],
)
def test_seeds_are_type_checked_against_the_state_signatures(body: Any, message: str) -> None:
    fake = CKafka()
    raw = json.dumps(body, ensure_ascii=True).encode()  # "\ud800" goes as valid JSON text
    assert error_of(fake, "POST", "/_ckafka/state", raw) == (400, message)
    assert fake.state.dump() == {"stores": []}


def test_a_refused_seed_does_not_break_later_seeds() -> None:
    fake = CKafka()
    assert (
        control(fake, "POST", "/_ckafka/state", {"add": "instance", "instance_id": 123}).status
        == 400
    )
    assert control(fake, "POST", "/_ckafka/state", SEED).status == 200
    assert [i.instance_id for i in fake.state.instances()] == ["ckafka-00000001"]


def test_put_state_is_type_checked_and_keeps_the_state() -> None:
    fake = CKafka()
    control(fake, "POST", "/_ckafka/state", SEED[:2])
    before = fake.state.dump()
    bad = json.loads(json.dumps(before))
    bad["stores"][0]["instances"]["ckafka-00000001"]["topics"]["payments"]["replica_num"] = "2"
    assert error_of(fake, "PUT", "/_ckafka/state", {"state": bad}) == (
        400,
        "state.stores[0].instances.ckafka-00000001.topics.payments.replica_num: "
        'expected an integer, got a string "2"',
    )
    bad = json.loads(json.dumps(before))
    bad["stores"][0]["account"] = 7
    assert error_of(fake, "PUT", "/_ckafka/state", bad) == (
        400,
        "state.stores[0].account: expected a string, got a number 7",
    )
    assert fake.state.dump() == before


def test_head_answers_like_get() -> None:
    fake = CKafka()
    answer = control(fake, "HEAD", "/_ckafka/health")
    assert answer.status == 200 and answer.body["status"] == "ok"
    assert control(fake, "HEAD", "/_ckafka/reset").allow == "POST"


def test_answers_are_always_standard_json() -> None:
    """What has no standard JSON form never gets in from Python, and never comes out."""
    fake = CKafka()
    with pytest.raises(CKafkaUsageError, match=r"`params.Limit` is NaN, which JSON cannot hold"):
        fake.respond("DescribeTopic", params={"Limit": float("nan")})
    with pytest.raises(CKafkaUsageError, match=r"`params.SearchWord` holds a lone surrogate"):
        fake.respond("DescribeTopic", params={"SearchWord": "a\ud800"})
    with pytest.raises(CKafkaUsageError, match=r"`name` holds a lone surrogate"):
        fake.state.add_instance("ckafka-1", name="shop\udcff")
    fake.respond("DescribeTopic", params={"Limit": 5, "SearchWord": "密"})
    fake.state.add_instance("ckafka-1", name="shop 密")
    call(fake, "DescribeRegion", {})
    for path in ("/_ckafka/stubs", "/_ckafka/state", "/_ckafka/calls", "/_ckafka/health"):
        body = control(fake, "GET", path).reply().body
        strict_json.loads(body)  # raises on NaN, Infinity or a lone surrogate
    # The last guard, for what a later change could let in: replaced, never raised.
    assert strict_json.dumps_lenient({"Limit": float("nan"), "Name": "a\ud800"}) == (
        b'{"Limit":"NaN","Name":"a\xef\xbf\xbd"}'
    )


def test_the_call_log_hides_secrets_as_cassettes_do() -> None:
    # GET /_ckafka/calls used to answer a CreateUser Password in clear; Call.summary hid it.
    fake = CKafka()
    instance = fake.state.add_instance()
    password = "Secret-Pw-4242"
    call(fake, "CreateUser", {"InstanceId": instance, "Name": "alice", "Password": password})
    call(fake, "ModifyPassword", {"InstanceId": instance, "Name": "alice",
                                  "Password": password, "PasswordNew": "New-Pw-4242"})  # fmt: skip
    answer = control(fake, "GET", "/_ckafka/calls")
    assert [c["params"] for c in answer.body["calls"]] == [
        {"InstanceId": instance, "Name": "alice", "Password": "SCRUBBED"},
        {"InstanceId": instance, "Name": "alice", "Password": "SCRUBBED",
         "PasswordNew": "SCRUBBED"},
    ]  # fmt: skip
    assert password not in json.dumps(answer.body)
    assert fake.calls[0].params["Password"] == password  # the Python log is the test's own


def test_the_documented_depth_limit_is_the_one_enforced() -> None:
    # The docs and this module's docstring said "deeper than 64 levels"; the limit is 32.
    docs = (Path(__file__).parent.parent / "docs" / "stubs.md").read_text()
    for text in (docs, control_module.__doc__ or ""):
        assert "64 levels" not in text and "deeper than 64" not in text
    assert f"nest at most {MAX_DEPTH} levels (`MAX_DEPTH`" in docs
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    status, message = error_of(
        CKafka(), "POST", "/_ckafka/clock", f'{{"advance": {deep}}}'.encode()
    )
    assert status == 400
    assert message.endswith(f"...: is nested more than {MAX_DEPTH} levels deep")
