"""Tests for ``pytest_ckafka.cassettes.replay``.

Recorded interactions are built the way the official SDK puts calls on the wire
(TC3 JSON POST, TC3 GET, v1 GET and v1 form POST), already scrubbed, and the
calls being replayed are parsed from fresh TC3 requests with new signatures and
timestamps, as a live test run would send them.
"""

from __future__ import annotations

import doctest
import json
import threading
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

import pytest

from pytest_ckafka.api.protocol import ParsedRequest, parse_request
from pytest_ckafka.api.scrub.scrubbers import Scrubbers
from pytest_ckafka.cassettes import files as cassette_file
from pytest_ckafka.cassettes import replay
from pytest_ckafka.cassettes.files import Interaction
from pytest_ckafka.cassettes.replay import Replayer
from pytest_ckafka.exceptions import CKafkaUsageError

pytestmark = pytest.mark.usefixtures("no_network")


VERSION = "2019-08-19"
REGION = "ap-guangzhou"
HOST = "ckafka.tencentcloudapi.com"
PATH = Path("cassettes/test_topics/test_list.yaml")
NODE = "tests/test_topics.py::test_list"


def flat(params: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten params the way the SDK does for GET and v1: ``Filters.0.Name=x``."""
    out: dict[str, str] = {}
    for name, value in params.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(flat(value, path + "."))
        elif isinstance(value, list):
            out.update(flat({str(i): v for i, v in enumerate(value)}, path + "."))
        elif isinstance(value, bool):
            out[path] = "true" if value else "false"
        else:
            out[path] = str(value)
    return out


def request(
    action: str,
    params: dict[str, Any],
    *,
    style: str = "tc3",
    region: Optional[str] = REGION,
    version: str = VERSION,
    host: str = HOST,
    timestamp: int = 1700000000,
) -> tuple[str, str, dict[str, str], bytes]:
    """(method, url, headers, body) of one call as the SDK sends it in ``style``."""
    url = f"https://{host}/"
    if style in ("tc3", "tc3-get"):
        headers = {
            "Authorization": f"TC3-HMAC-SHA256 Credential=AKID/{timestamp}/ckafka/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={timestamp:x}",
            "X-TC-Action": action,
            "X-TC-Version": version,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-RequestClient": f"SDK_PYTHON_3.0.{timestamp % 1000}",
            "X-TC-TraceId": f"trace-{timestamp}",
        }
        if region:
            headers["X-TC-Region"] = region
        if style == "tc3":
            headers["Content-Type"] = "application/json"
            return "POST", url, headers, json.dumps(params).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return "GET", url + "?" + urlencode(flat(params)), headers, b""
    common = {
        "Action": action,
        "Version": version,
        "Timestamp": str(timestamp),
        "Nonce": str(timestamp % 9973),
        "SecretId": "SCRUBBED",
        "Signature": "SCRUBBED",
        "SignatureMethod": "HmacSHA256",
        "RequestClient": "SDK_PYTHON_3.0.1",
    }
    if region:
        common["Region"] = region
    query = urlencode({**common, **flat(params)})
    if style == "v1-get":
        return "GET", url + "?" + query, {}, b""
    assert style == "v1-post"
    return "POST", url, {"Content-Type": "application/x-www-form-urlencoded"}, query.encode()


def recorded(
    action: str,
    params: dict[str, Any],
    response: Any = None,
    *,
    status: int = 200,
    response_headers: Optional[dict[str, list[str]]] = None,
    **how: Any,
) -> Interaction:
    """One recorded interaction, as vcrpy stores it (every header a list)."""
    method, url, headers, body = request(action, params, **how)
    if response is None:
        response = {"Response": {"RequestId": f"rec-{action}"}}
    text = response if isinstance(response, bytes) else json.dumps(response).encode()
    return Interaction(
        method=method,
        uri=url,
        headers={k: [v] for k, v in headers.items()},
        body=body,
        status=status,
        reason="OK",
        response_headers=response_headers or {"Content-Type": ["application/json"]},
        response_body=text,
    )


def call(action: str, params: dict[str, Any], **how: Any) -> ParsedRequest:
    """A live call, by default TC3 with a signature and timestamp no recording has."""
    how.setdefault("timestamp", 1800000000)
    return parse_request(*request(action, params, **how))


def replayer(interactions: list[Interaction], **options: Any) -> Replayer:
    options.setdefault("existed", True)
    return Replayer(PATH, interactions, Scrubbers(), **options)


def body_of(rep: Replayer, parsed: ParsedRequest, host: str = HOST) -> Optional[Any]:
    reply = rep.answer(parsed, host, "live-id")
    return None if reply is None else json.loads(reply.body)


def test_module_examples_run() -> None:
    assert doctest.testmod(replay).failed == 0


# --- matching -----------------------------------------------------------


def test_answers_with_the_recorded_status_headers_and_body() -> None:
    headers = {"Content-Type": ["application/json; charset=utf-8"], "X-Trace": ["a", "b"]}
    rec = recorded(
        "DescribeTopic",
        {"InstanceId": "ckafka-1"},
        b'{"Response":{"RequestId":"rec-1"}}',
        status=200,
        response_headers=headers,
    )
    reply = replayer([rec]).answer(call("DescribeTopic", {"InstanceId": "ckafka-1"}), HOST, "x")
    assert reply is not None
    assert reply.status == 200
    assert dict(reply.headers) == {
        "Content-Type": "application/json; charset=utf-8",
        "X-Trace": "a",
    }
    # Byte for byte: the recorded RequestId, not the live one.
    assert reply.body == b'{"Response":{"RequestId":"rec-1"}}'


def test_content_length_follows_the_scrubbed_body() -> None:
    rec = recorded(
        "DescribeTopic",
        {},
        b"{}",
        response_headers={"Content-Type": ["application/json"], "content-length": ["999"]},
    )
    reply = replayer([rec]).answer(call("DescribeTopic", {}), HOST, "x")
    assert reply is not None
    assert reply.headers["content-length"] == "2"


def test_error_status_is_replayed() -> None:
    rec = recorded("DescribeTopic", {}, {"Response": {"Error": {"Code": "X"}}}, status=500)
    reply = replayer([rec]).answer(call("DescribeTopic", {}), HOST, "x")
    assert reply is not None and reply.status == 500


def test_a_poll_replays_in_recorded_order_then_misses() -> None:
    rep = replayer(
        [
            recorded("DescribeTaskStatus", {"FlowId": 7}, {"Response": {"Result": {"Status": 0}}}),
            recorded("DescribeTopic", {}, {"Response": {"Other": True}}),
            recorded("DescribeTaskStatus", {"FlowId": 7}, {"Response": {"Result": {"Status": 1}}}),
        ]
    )
    poll = call("DescribeTaskStatus", {"FlowId": 7})
    assert body_of(rep, poll) == {"Response": {"Result": {"Status": 0}}}
    assert body_of(rep, poll) == {"Response": {"Result": {"Status": 1}}}
    assert body_of(rep, poll) is None
    assert body_of(rep, call("DescribeTopic", {})) == {"Response": {"Other": True}}


FILTER_PARAMS = {
    "Filters": [{"Name": "InstanceName", "Values": ["a", "b c"]}],
    "Status": [1, 7],
    "Limit": 20,
}


@pytest.mark.parametrize("style", ["tc3", "tc3-get", "v1-get", "v1-post"])
def test_every_recorded_protocol_matches_a_live_tc3_call(style: str) -> None:
    rep = replayer([recorded("DescribeInstancesDetail", FILTER_PARAMS, {"ok": style}, style=style)])
    live = call("DescribeInstancesDetail", dict(reversed(list(FILTER_PARAMS.items()))))
    assert body_of(rep, live) == {"ok": style}


def test_signatures_timestamps_nonces_and_sdk_headers_are_ignored() -> None:
    rep = replayer([recorded("DescribeTopic", {"Limit": 1}, {"n": i}, timestamp=i) for i in (1, 2)])
    assert body_of(rep, call("DescribeTopic", {"Limit": 1}, timestamp=99)) == {"n": 1}
    assert body_of(rep, call("DescribeTopic", {"Limit": 1}, style="v1-get")) == {"n": 2}


def test_integral_float_and_int_are_the_same_param() -> None:
    rep = replayer([recorded("DescribeTopic", {"Limit": 10.0})])
    assert body_of(rep, call("DescribeTopic", {"Limit": 10})) is not None


def test_scrubbed_params_match_the_live_secret() -> None:
    rep = replayer([recorded("CreateUser", {"Name": "u", "Password": "SCRUBBED"}, {"ok": 1})])
    assert body_of(rep, call("CreateUser", {"Name": "u", "Password": "hunter2"})) == {"ok": 1}


@pytest.mark.parametrize(
    ("field", "live"),
    [
        ("params", call("DescribeTopic", {"Limit": 2})),
        ("region", call("DescribeTopic", {"Limit": 1}, region="ap-shanghai")),
        ("version", call("DescribeTopic", {"Limit": 1}, version="2017-03-12")),
        ("action", call("DescribeTopicDetail", {"Limit": 1})),
    ],
)
def test_each_matched_field_must_be_equal(field: str, live: ParsedRequest) -> None:
    rec = [recorded("DescribeTopic", {"Limit": 1})]
    assert replayer(rec).answer(live, HOST, "x") is None
    others = tuple(f for f in replay.DEFAULT_MATCH_ON if f != field)
    assert replayer(rec, match_on=others).answer(live, HOST, "x") is not None


def test_host_is_ignored_by_default() -> None:
    rep = replayer([recorded("DescribeTopic", {}, host="ckafka.ap-shanghai.tencentcloudapi.com")])
    assert body_of(rep, call("DescribeTopic", {}), "ckafka.ap-guangzhou.tencentcloudapi.com")


def test_host_is_matched_when_asked_case_and_default_port_aside() -> None:
    rec = recorded("DescribeTopic", {}, host="CKafka.ap-shanghai.tencentcloudapi.com:443")
    match_on = (*replay.DEFAULT_MATCH_ON, "host")
    rep = replayer([rec, rec], match_on=match_on)
    assert (
        body_of(rep, call("DescribeTopic", {}), "ckafka.ap-guangzhou.tencentcloudapi.com") is None
    )
    assert body_of(rep, call("DescribeTopic", {}), "ckafka.ap-shanghai.tencentcloudapi.com")
    assert body_of(rep, call("DescribeTopic", {}), "user@CKAFKA.AP-SHANGHAI.tencentcloudapi.com:80")
    assert body_of(rep, call("DescribeTopic", {}), "ckafka.ap-shanghai.tencentcloudapi.com") is None


def test_local_port_is_part_of_the_host() -> None:
    rep = replayer([recorded("DescribeTopic", {}, host="127.0.0.1:9100")], match_on=("host",))
    assert body_of(rep, call("DescribeTopic", {}), "127.0.0.1:9200") is None
    assert body_of(rep, call("DescribeTopic", {}), "127.0.0.1:9100")


def test_key_has_one_value_per_match_on_field_and_no_volatile_data() -> None:
    rep = replayer([], match_on=("region", "action", "params"))
    parsed = call("DescribeTopic", {"Limit": 1, "InstanceId": "i"})
    assert rep.key(parsed, HOST) == (
        "ap-guangzhou",
        "DescribeTopic",
        '{"InstanceId":"i","Limit":1}',
    )


def test_unknown_match_on_field_is_a_usage_error() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        replayer([], match_on=("action", "parms"))
    assert str(info.value) == (
        'unknown match_on field "parms": did you mean "params"? Valid choices: action, host,'
        " params, region, version. Received match_on=('action', 'parms')."
    )


def test_unknown_record_mode_is_a_usage_error() -> None:
    with pytest.raises(CKafkaUsageError, match='did you mean "new_episodes"'):
        replayer([], record_mode="new_episode")


@pytest.mark.parametrize(
    ("mode", "existed", "recording", "replays"),
    [
        ("none", True, False, True),
        ("none", False, False, True),
        ("once", True, False, True),
        ("once", False, True, False),
        ("new_episodes", True, True, True),
        ("all", True, True, False),
        ("rewrite", True, True, False),
    ],
)
def test_record_modes(mode: str, existed: bool, recording: bool, replays: bool) -> None:
    rep = replayer([recorded("DescribeTopic", {})], record_mode=mode, existed=existed)
    assert rep.recording is recording
    assert (rep.answer(call("DescribeTopic", {}), HOST, "x") is not None) is replays


def test_unreadable_interactions_are_kept_aside() -> None:
    junk = Interaction("GET", "https://example.com/health", {}, b"", 200, "OK", {}, b"ok")
    rep = replayer([junk, recorded("DescribeTopic", {}, {"ok": 1})])
    assert body_of(rep, call("DescribeTopic", {})) == {"ok": 1}


def test_concurrent_answers_play_each_interaction_once() -> None:
    n = 400
    rep = replayer([recorded("DescribeTaskStatus", {"FlowId": 1}, {"n": i}) for i in range(n)])
    poll = call("DescribeTaskStatus", {"FlowId": 1})
    seen: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        while (body := body_of(rep, poll)) is not None:
            with lock:
                seen.append(body["n"])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(n))


def test_replay_cost_is_linear_and_answer_never_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 5000
    interactions = [
        recorded("DescribeTopic", {"InstanceId": f"ckafka-{i}", "Limit": i % 7}, {"n": i})
        for i in range(n)
    ]
    keyed = 0
    real_key = Replayer.key

    def counting_key(self: Replayer, parsed: ParsedRequest, host: str) -> tuple[Any, ...]:
        nonlocal keyed
        keyed += 1
        return real_key(self, parsed, host)

    monkeypatch.setattr(Replayer, "key", counting_key)
    rep = replayer(interactions)
    assert keyed == n

    def no_scan(*_: Any) -> Any:
        raise AssertionError("answer() compared a call with recorded interactions")

    monkeypatch.setattr(replay, "_flatten", no_scan)
    monkeypatch.setattr(Replayer, "_diff", no_scan)
    calls = [call("DescribeTopic", {"InstanceId": f"ckafka-{i}", "Limit": i % 7}) for i in range(n)]
    for i in reversed(range(n)):
        assert body_of(rep, calls[i]) == {"n": i}
    assert keyed == 2 * n  # one key per recorded interaction, one per answered call


# --- miss messages ------------------------------------------------------


def miss(rep: Replayer, parsed: ParsedRequest, nodeid: Optional[str] = NODE) -> str:
    assert rep.answer(parsed, HOST, "x") is None
    return rep.miss_message(parsed, HOST, nodeid)


def test_miss_message_diffs_params_of_the_closest_interactions() -> None:
    rep = replayer(
        [
            recorded("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 10, "Offset": 0}),
            recorded("DescribeInstances", {"Limit": 20}),
            recorded("DescribeTopic", {"InstanceId": "ckafka-2", "Limit": 50, "Offset": 5}),
            recorded(
                "DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 20}, region="ap-shanghai"
            ),
        ]
    )
    live = call("DescribeTopic", {"InstanceId": "ckafka-1", "Limit": 20, "SearchWord": "orders"})
    assert miss(rep, live) == "\n".join(
        [
            "pytest-ckafka: no recorded answer for this DescribeTopic call.",
            "",
            "  action:   DescribeTopic",
            "  version:  2019-08-19",
            "  region:   ap-guangzhou",
            '  params:   {"InstanceId": "ckafka-1", "Limit": 20, "SearchWord": "orders"}',
            "  cassette: cassettes/test_topics/test_list.yaml (4 interactions, record mode 'none')",
            "",
            "Closest recorded interactions:",
            "  interactions[3] DescribeTopic, 2 differences:",
            '      region: "ap-guangzhou" (this call) != "ap-shanghai" (recorded)',
            '      +SearchWord: "orders" (only in this call)',
            "  interactions[0] DescribeTopic, 3 differences:",
            "      Limit: 20 (this call) != 10 (recorded)",
            "      -Offset: 0 (only in the recording)",
            '      +SearchWord: "orders" (only in this call)',
            "  interactions[2] DescribeTopic, 4 differences:",
            '      InstanceId: "ckafka-1" (this call) != "ckafka-2" (recorded)',
            "      Limit: 20 (this call) != 50 (recorded)",
            "      -Offset: 5 (only in the recording)",
            '      +SearchWord: "orders" (only in this call)',
            "  ... and 1 more recorded interaction",
            "",
            "To record this call into the cassette, run:",
            "  pytest 'tests/test_topics.py::test_list' --ckafka-record-mode=new_episodes",
        ]
    )


def lines_after_cassette(text: str) -> list[str]:
    """The message from the line after ``cassette:`` on (the call lines are tested above)."""
    lines = text.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("  cassette:")) + 1 :]


RECORD_LINES = [
    "",
    "To record this call into the cassette, run:",
    "  pytest 'tests/test_topics.py::test_list' --ckafka-record-mode=new_episodes",
]


def test_miss_message_for_a_different_region() -> None:
    rep = replayer([recorded("DescribeTopic", {"Limit": 1}, region="ap-shanghai")])
    assert lines_after_cassette(miss(rep, call("DescribeTopic", {"Limit": 1}))) == [
        "",
        "Closest recorded interactions:",
        "  interactions[0] DescribeTopic, 1 difference:",
        '      region: "ap-guangzhou" (this call) != "ap-shanghai" (recorded)',
        *RECORD_LINES,
    ]


def test_miss_message_for_a_missing_region_and_another_version() -> None:
    rep = replayer([recorded("DescribeTopic", {}, region=None, version="2017-03-12")])
    assert lines_after_cassette(miss(rep, call("DescribeTopic", {}))) == [
        "",
        "Closest recorded interactions:",
        "  interactions[0] DescribeTopic, 2 differences:",
        '      version: "2019-08-19" (this call) != "2017-03-12" (recorded)',
        '      region: "ap-guangzhou" (this call) != (none) (recorded)',
        *RECORD_LINES,
    ]


def test_miss_message_diffs_nested_params_by_dotted_path() -> None:
    rep = replayer([recorded("DescribeInstancesDetail", FILTER_PARAMS)])
    live = call(
        "DescribeInstancesDetail",
        {"Filters": [{"Name": "InstanceName", "Values": ["a", "b", "c"]}], "Status": [1]},
    )
    assert lines_after_cassette(miss(rep, live)) == [
        "",
        "Closest recorded interactions:",
        "  interactions[0] DescribeInstancesDetail, 4 differences:",
        '      Filters.0.Values.1: "b" (this call) != "b c" (recorded)',
        '      +Filters.0.Values.2: "c" (only in this call)',
        "      -Limit: 20 (only in the recording)",
        "      -Status.1: 7 (only in the recording)",
        *RECORD_LINES,
    ]


def test_miss_message_shows_a_type_difference() -> None:
    rep = replayer([recorded("DescribeTopicDetail", {"TopicNameList": ["1"]})])
    live = call("DescribeTopicDetail", {"TopicNameList": [1]})
    assert lines_after_cassette(miss(rep, live))[2:4] == [
        "  interactions[0] DescribeTopicDetail, 1 difference:",
        '      TopicNameList.0: 1 (this call) != "1" (recorded)',
    ]


def test_miss_message_when_the_action_is_not_in_the_cassette() -> None:
    rep = replayer(
        [
            recorded("CreateTopic", {"InstanceId": "i", "TopicName": "t"}),
            recorded("DescribeTopik", {"Limit": 1}),
            recorded("CreateTopic", {"InstanceId": "i", "TopicName": "u"}),
        ]
    )
    assert lines_after_cassette(miss(rep, call("DescribeTopic", {"Limit": 1}))) == [
        "",
        "The cassette has no DescribeTopic call; it records CreateTopic (2),"
        " DescribeTopik (1, not a CKafka 2019-08-19 action).",
        "",
        "Closest recorded interactions:",
        "  interactions[1] DescribeTopik, another action (not a CKafka 2019-08-19 action):",
        '      params: {"Limit": 1}',
        "  interactions[0] CreateTopic, another action:",
        '      params: {"InstanceId": "i", "TopicName": "t"}',
        "  interactions[2] CreateTopic, another action:",
        '      params: {"InstanceId": "i", "TopicName": "u"}',
        *RECORD_LINES,
    ]


def test_miss_message_when_every_recording_of_the_call_was_played() -> None:
    rep = replayer(
        [
            recorded("DescribeTaskStatus", {"FlowId": 7}),
            recorded("DescribeTaskStatus", {"FlowId": 8}),
            recorded("DescribeTaskStatus", {"FlowId": 7}),
        ]
    )
    poll = call("DescribeTaskStatus", {"FlowId": 7})
    assert rep.answer(poll, HOST, "x") and rep.answer(poll, HOST, "x")
    assert lines_after_cassette(miss(rep, poll)) == [
        "",
        "This call was recorded 2 times, and all 2 recorded interactions for this call were"
        " already played (interactions[0], interactions[2]): the test made this call more"
        " times than the recording did.",
        *RECORD_LINES,
    ]


def test_miss_message_when_the_one_recording_was_played() -> None:
    rep = replayer([recorded("DescribeTaskStatus", {"FlowId": 7})])
    poll = call("DescribeTaskStatus", {"FlowId": 7})
    assert rep.answer(poll, HOST, "x")
    assert lines_after_cassette(miss(rep, poll))[1] == (
        "This call was recorded once, and the one recorded interaction for this call was"
        " already played (interactions[0]): the test made this call more times than the"
        " recording did."
    )


def test_miss_message_for_an_empty_cassette() -> None:
    assert miss(replayer([]), call("DescribeTopic", {"Limit": 1})) == "\n".join(
        [
            "pytest-ckafka: no recorded answer for this DescribeTopic call.",
            "",
            "  action:   DescribeTopic",
            "  version:  2019-08-19",
            "  region:   ap-guangzhou",
            '  params:   {"Limit": 1}',
            "  cassette: cassettes/test_topics/test_list.yaml"
            " (no interactions, record mode 'none')",
            "",
            "The cassette has no interactions at all.",
            *RECORD_LINES,
        ]
    )


def test_miss_message_for_a_missing_cassette_says_so_and_records_it_once() -> None:
    text = miss(replayer([], existed=False), call("DescribeTopic", {}), nodeid=None)
    assert text.splitlines()[0] == (
        "pytest-ckafka: no recorded answer for this DescribeTopic call: "
        "the cassette cassettes/test_topics/test_list.yaml does not exist."
    )
    shown = "  cassette: cassettes/test_topics/test_list.yaml (does not exist, record mode 'none')"
    assert shown in text.splitlines()
    assert lines_after_cassette(text) == [
        "",
        "Nothing has been recorded at that path yet (if the cassette was moved, check the "
        "marker's name and the ini option ckafka_cassette_dir).",
        "",
        "To record it, run:",
        "  pytest --ckafka-record-mode=once",
    ]


def test_record_command_quotes_the_node_id_for_the_shell() -> None:
    text = miss(replayer([]), call("DescribeTopic", {}), nodeid="tests/t.py::test_x[it's a b]")
    assert text.splitlines()[-1] == (
        "  pytest 'tests/t.py::test_x[it'\"'\"'s a b]' --ckafka-record-mode=new_episodes"
    )


def test_miss_message_names_unreadable_interactions() -> None:
    junk = Interaction("GET", "https://example.com/health", {}, b"", 200, "OK", {}, b"ok")
    rep = replayer([junk, recorded("DescribeTopic", {"Limit": 1})])
    assert lines_after_cassette(miss(rep, call("DescribeTopic", {"Limit": 2}))) == [
        "",
        "Closest recorded interactions:",
        "  interactions[1] DescribeTopic, 1 difference:",
        "      Limit: 2 (this call) != 1 (recorded)",
        "",
        "Skipped 1 recorded interaction that could not be read as a CKafka call:",
        "  interactions[0] GET https://example.com/health: MissingParameter: The request is"
        " missing a required parameter `Action`.",
        *RECORD_LINES,
    ]


def test_miss_message_shows_the_host_only_when_matched_on() -> None:
    rec = recorded("DescribeTopic", {}, host="ckafka.ap-shanghai.tencentcloudapi.com")
    rep = replayer([rec], match_on=(*replay.DEFAULT_MATCH_ON, "host"))
    text = miss(rep, call("DescribeTopic", {}))
    assert "  host:     ckafka.tencentcloudapi.com" in text.splitlines()
    assert lines_after_cassette(text)[2:4] == [
        "  interactions[0] DescribeTopic, 1 difference:",
        '      host: "ckafka.tencentcloudapi.com" (this call) !='
        ' "ckafka.ap-shanghai.tencentcloudapi.com" (recorded)',
    ]
    rep = replayer([rec], match_on=("action", "params"))
    text = miss(rep, call("DescribeTopic", {"Limit": 1}, region="ap-beijing"))
    assert "  host:" not in text
    assert lines_after_cassette(text)[2:4] == [
        "  interactions[0] DescribeTopic, 1 difference:",
        "      +Limit: 1 (only in this call)",
    ]


def test_miss_message_caps_long_diffs() -> None:
    rep = replayer([recorded("DescribeTopic", {f"P{i}": i for i in range(10)})])
    lines = lines_after_cassette(miss(rep, call("DescribeTopic", {})))
    assert lines[2] == "  interactions[0] DescribeTopic, 10 differences:"
    assert lines[3:5] == [
        "      -P0: 0 (only in the recording)",
        "      -P1: 1 (only in the recording)",
    ]
    assert lines[11] == "      ... and 2 more"
    assert lines[12:] == RECORD_LINES


def test_miss_message_never_shows_a_live_secret() -> None:
    rep = replayer([recorded("CreateUser", {"Name": "u", "Password": "SCRUBBED"})])
    text = miss(rep, call("CreateUser", {"Name": "v", "Password": "hunter2"}))
    assert "hunter2" not in text
    assert '  params:   {"Name": "v", "Password": "SCRUBBED"}' in text.splitlines()
    assert lines_after_cassette(text)[2:] == [
        "  interactions[0] CreateUser, 1 difference:",
        '      Name: "v" (this call) != "u" (recorded)',
        *RECORD_LINES,
    ]


def test_miss_message_truncates_huge_params() -> None:
    rep = replayer([])
    text = miss(rep, call("DescribeTopic", {"SearchWord": "x" * 1000}))
    params = next(line for line in text.splitlines() if line.startswith("  params:"))
    assert len(params) == len("  params:   ") + 400 and params.endswith("…")


def test_loaded_cassette_replays_and_its_misses_name_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "poll.yaml"
    path.write_text(
        cassette_file.dumps(
            [
                recorded("DescribeTaskStatus", {"FlowId": 7}, {"Status": 0}, style="v1-post"),
                recorded("DescribeTaskStatus", {"FlowId": 7}, {"Status": 1}),
            ]
        )
    )
    loaded = cassette_file.load(path)
    lines = [i.line for i in loaded]
    assert all(isinstance(line, int) for line in lines)
    rep = Replayer(path, loaded, Scrubbers(), existed=True)
    poll = call("DescribeTaskStatus", {"FlowId": 7})
    assert [body_of(rep, poll), body_of(rep, poll)] == [{"Status": 0}, {"Status": 1}]
    other = call("DescribeTaskStatus", {"FlowId": 8})
    assert lines_after_cassette(rep.miss_message(other, HOST, NODE))[:5] == [
        "",
        "Closest recorded interactions:",
        f"  interactions[0] (line {lines[0]}) DescribeTaskStatus, 1 difference:",
        "      FlowId: 8 (this call) != 7 (recorded)",
        f"  interactions[1] (line {lines[1]}) DescribeTaskStatus, 1 difference:",
    ]
    assert (
        f"  cassette: {path} (2 interactions, record mode 'none')"
        in rep.miss_message(other, HOST, NODE).splitlines()
    )
