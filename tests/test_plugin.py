"""The pytest plugin as a user meets it: options, markers, and the lines they read."""

from __future__ import annotations

import re

import pytest

SDK_PREAMBLE = """
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

def describe_topic(client, instance="ckafka-1"):
    request = models.DescribeTopicRequest()
    request.InstanceId = instance
    return client.DescribeTopic(request)
"""


def match_error_lines(result: pytest.RunResult, lines: list[str]) -> None:
    """Each line must appear, whole, as an ``E`` line of the report, in order."""
    result.stdout.re_match_lines([r"^E\s+" + re.escape(line) + "$" for line in lines])


def test_help_lists_the_options(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "*Tencent Cloud CKafka API test doubles (pytest-ckafka):",
            "*--ckafka-strict*fail any CKafka call that no stub answers (ini:*",
            "*ckafka_strict (bool):*fail CKafka calls no stub answers.",
            "*ckafka_endpoints (linelist):*",
        ]
    )


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.ckafka(strict=None, assert_all_used=True, endpoints=(), "
            "passthrough=(), strict_auth=False, validate=True, stateful=None, max_calls=10000): "
            "configure the ckafka fixture for this test (strict mode: only stubs answer; "
            "unused-stub check; extra endpoints; hosts whose CKafka calls reach the network "
            "untouched; signature checks against ckafka.add_credentials; request "
            "validation against the spec; the stateful backend, on unless strict; how many "
            "calls ckafka.calls keeps, None: all)."
        ]
    )


def test_fixture_answers_the_sdk(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
def test_default(ckafka, ckafka_client):
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders")
    assert describe_topic(ckafka_client).Result.TotalCount == 1
    ckafka.assert_called("DescribeTopic", times=1, params={"InstanceId": "ckafka-1"})
"""
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_strict_mode_fails_an_unstubbed_call(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import pytest

# Strict mode: only what the test set up answers, so the stateful backend does not.
@pytest.mark.ckafka(strict=True)
def test_strict(ckafka, ckafka_client):
    ckafka.respond("DescribeInstances")
    ckafka.fail("DeleteTopic", "ResourceInUse", times=1)
    try:
        describe_topic(ckafka_client)
    except TencentCloudSDKException:
        pass  # code under test swallowing the failure must not hide it
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.UnmatchedCallError: pytest-ckafka strict mode: "
            'no stub answers DescribeTopic {"InstanceId": "ckafka-1"}',
            "Registered stubs:",
            "  respond('DescribeInstances') [used 0]",
            "  fail('DeleteTopic', 'ResourceInUse', times=1) [used 0 of 1]",
            'Register one with ckafka.respond("DescribeTopic", ...) or '
            'ckafka.fail("DescribeTopic", ...).',
            "Or let the stateful backend answer it too: strict=True, stateful=True.",
        ],
    )


def test_strict_mode_lets_protocol_and_validation_errors_answer(
    pytester: pytest.Pytester,
) -> None:
    # Decided in issue 10: these are what the real API says whatever the setup, and
    # error-handling tests rely on them, so strict mode does not turn them into failures.
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import pytest

@pytest.mark.ckafka(strict=True)
def test_the_api_s_own_errors_answer(ckafka, ckafka_client):
    codes = []
    for action, params in [
        ("DescribeNothing", {}),
        ("DescribeInstances", {"Limit": "five"}),
        ("DescribeInstances", {"Limitt": 5}),
    ]:
        try:
            ckafka_client.call_json(action, params)
        except TencentCloudSDKException as error:
            codes.append(error.code)
    assert codes == ["InvalidAction", "InvalidParameter", "UnknownParameter"]
    assert [call.answered_by for call in ckafka.calls] == ["protocol", "invalid", "invalid"]
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "ini", "outcome"),
    [
        (["--ckafka-strict"], "", {"failed": 1}),
        ([], "ckafka_strict = true", {"failed": 1}),
        ([], "", {"passed": 1}),
    ],
    ids=["cli", "ini", "off"],
)
def test_strict_from_cli_and_ini(
    pytester: pytest.Pytester, args: list[str], ini: str, outcome: dict[str, int]
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import pytest

# Off, the stateful backend answers; strict from the command line or ini, nothing does.
def test_call(ckafka, ckafka_client):
    ckafka_client.DescribeInstances(models.DescribeInstancesRequest())
"""
    )
    result = pytester.runpytest(*args)
    result.assert_outcomes(**outcome)
    if outcome.get("failed"):
        result.stdout.fnmatch_lines(["*strict mode: no stub answers DescribeInstances {}"])


def test_strict_and_stateful_lets_the_backend_answer_and_nothing_else(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import pytest

@pytest.mark.ckafka(strict=True, stateful=True)
def test_state_answers(ckafka, ckafka_client):
    ckafka.state.add_instance("ckafka-1")
    assert describe_topic(ckafka_client).Result.TotalCount == 0

# Every action may get a stateful answer; take one away to have an action without one.
@pytest.mark.ckafka(strict=True, stateful=True)
def test_the_rest_is_still_strict(ckafka, ckafka_client, monkeypatch):
    from pytest_ckafka.backend.registry import HANDLERS

    monkeypatch.delitem(HANDLERS, "DescribeDatahubTopics")
    try:
        ckafka_client.DescribeDatahubTopics(models.DescribeDatahubTopicsRequest())
    except TencentCloudSDKException:
        pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.UnmatchedCallError: pytest-ckafka strict mode: "
            "no stub answers DescribeDatahubTopics {}",
            "Registered stubs:",
            "  (none)",
            'Register one with ckafka.respond("DescribeDatahubTopics", ...) or '
            'ckafka.fail("DescribeDatahubTopics", ...).',
        ],
    )


def test_marker_beats_cli(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import pytest

# Without the stateful backend, so only strict mode could fail the call.
@pytest.mark.ckafka(strict=False, stateful=False)
def test_call(ckafka, ckafka_client):
    describe_topic(ckafka_client)
"""
    )
    pytester.runpytest("--ckafka-strict").assert_outcomes(passed=1)


def test_unused_times_stubs_fail_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

def test_unused(ckafka):
    ckafka.fail("DeleteTopic", "ResourceInUse", times=2)

@pytest.mark.ckafka(assert_all_used=False)
def test_opted_out(ckafka):
    ckafka.fail("DeleteTopic", "ResourceInUse", times=2)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.UnusedStubsError: 1 CKafka stub was registered "
            "with times=N but not used up:",
            "  fail('DeleteTopic', 'ResourceInUse', times=2) [used 0 of 2]",
            "Remove them, or opt out with @pytest.mark.ckafka(assert_all_used=False).",
        ],
    )


def test_max_calls_marker_bounds_the_log_of_both_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka(max_calls=2)
def test_capped(ckafka, ckafka_server):
    assert ckafka.calls.max_calls == ckafka_server.calls.max_calls == 2

@pytest.mark.ckafka(max_calls=None)
def test_unbounded(ckafka):
    assert ckafka.calls.max_calls is None

def test_default(ckafka):
    assert ckafka.calls.max_calls == 10000

@pytest.mark.ckafka(max_calls=0)
def test_bad(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.re_match_lines(
        [
            r"^E +(pytest|_pytest\.config\.exceptions)\.UsageError: "
            + re.escape(
                "@pytest.mark.ckafka: max_calls must be a positive integer or None "
                "(keep every call), got 0"
            )
            + "$"
        ]
    )


def test_bad_marker_option_suggests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka(strickt=True)
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    # pytest 9 names the class pytest.UsageError; older versions its defining module.
    result.stdout.re_match_lines(
        [
            r"^E +(pytest|_pytest\.config\.exceptions)\.UsageError: "
            + re.escape(
                '@pytest.mark.ckafka: unknown option "strickt": '
                'did you mean "strict"? Valid choices: assert_all_used, endpoints, max_calls, '
                "passthrough, stateful, strict, strict_auth, validate."
            )
            + "$"
        ]
    )


def test_unknown_action_fails_at_registration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_typo(ckafka):
    ckafka.respond("DescribeInstance")
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    match_error_lines(
        result,
        [
            'pytest_ckafka.exceptions.UnknownActionError: unknown action "DescribeInstance": '
            'did you mean "DescribeInstances"? (105 valid actions; close matches: '
            "DescribeInstances, DescribeTypeInstances, DescribeInstancesDetail)"
        ],
    )


def test_assert_called_lists_what_was_called(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
def test_missing(ckafka, ckafka_client):
    ckafka.fail("DescribeTopic", "ResourceNotFound")
    try:
        describe_topic(ckafka_client)
    except TencentCloudSDKException:
        pass
    ckafka.assert_called("DeleteTopic")
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.CKafkaAssertionError: expected DeleteTopic to be "
            "called at least once, it was called 0 times.",
            "Calls made:",
            '  1. DescribeTopic {"InstanceId": "ckafka-1"} -> ResourceNotFound',
        ],
    )


def test_ini_endpoints_and_add_endpoint(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nckafka_endpoints =\n    127.0.0.1:9100\n")
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
from tencentcloud.ckafka.v20190819 import ckafka_client
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

def client_for(endpoint, ckafka_credential):
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"))
    return ckafka_client.CkafkaClient(ckafka_credential, "ap-guangzhou", profile)

def test_ini(ckafka, ckafka_credential):
    ckafka.state.add_instance("ckafka-1")
    describe_topic(client_for("127.0.0.1:9100", ckafka_credential))
    assert ckafka.calls[0].url == "http://127.0.0.1:9100/"

def test_added(ckafka, ckafka_credential):
    ckafka.add_endpoint("localhost:9200")
    ckafka.state.add_instance("ckafka-1")
    describe_topic(client_for("localhost:9200", ckafka_credential))
    assert len(ckafka.calls) == 1
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_plugin_without_the_fixture_loads_nothing_heavy(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import sys

def test_nothing():
    prefixes = ("responses", "tencentcloud", "vcr", "yaml", "pytest_ckafka.")
    loaded = sorted(m for m in sys.modules if m.startswith(prefixes))
    assert loaded == [
        "pytest_ckafka.defaults",
        "pytest_ckafka.plugin",
        "pytest_ckafka.plugin.cassettes",
        "pytest_ckafka.plugin.fixtures",
        "pytest_ckafka.plugin.matrix",
    ]
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_ckafka_server_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import requests

def test_served(ckafka_server):
    ckafka_server.fail("DescribeRegion", "InternalError")
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    answer = requests.post(ckafka_server.url, json={}, headers=headers, timeout=5).json()
    assert answer["Response"]["Error"]["Code"] == "InternalError"
    assert ckafka_server.endpoint.startswith("127.0.0.1:")

def test_unused(ckafka_server):
    ckafka_server.fail("DeleteTopic", "ResourceInUse", times=1)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.UnusedStubsError: 1 CKafka stub was registered "
            "with times=N but not used up:",
        ],
    )


def test_strict_auth_checks_the_sdk_signature(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException


def describe(secret_key):
    cred = credential.Credential("AKIDsigned", secret_key)
    client = ckafka_client.CkafkaClient(cred, "ap-guangzhou")
    return client.DescribeInstances(models.DescribeInstancesRequest())


@pytest.mark.ckafka(strict_auth=True)
def test_signatures(ckafka):
    ckafka.add_credentials("AKIDsigned", "the-right-key")
    assert describe("the-right-key").Result is not None
    with pytest.raises(TencentCloudSDKException) as error:
        describe("a-wrong-key")
    assert error.value.code == "AuthFailure.SignatureFailure"
    assert ckafka.calls[-1].error_code == "AuthFailure.SignatureFailure"
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_missing_parameter_reads_like_the_real_api(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
def test_missing(ckafka, ckafka_client):
    ckafka.respond("DescribeTopic")  # validation answers first: the stub is not used
    ckafka_client.DescribeTopic(models.DescribeTopicRequest())
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E +tencentcloud\.common\.exception\.tencent_cloud_sdk_exception\."
            r"TencentCloudSDKException: \[TencentCloudSDKException\] code:MissingParameter "
            + re.escape("message:The request is missing a required parameter `InstanceId`.")
            + r" requestId:[0-9a-f-]{36}$"
        ]
    )


def test_the_marker_switches_validation_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK_PREAMBLE
        + """
import json
import urllib.request

import pytest

# An unvalidated request with no InstanceId: only the synthesized default answers it.
@pytest.mark.ckafka(validate=False, stateful=False)
def test_unvalidated(ckafka, ckafka_client):
    assert ckafka_client.DescribeTopic(models.DescribeTopicRequest()).Result is not None
    assert ckafka.calls[-1].answered_by == "default"

@pytest.mark.ckafka(validate=False)
def test_unvalidated_server(ckafka_server):
    ckafka_server.state.add_instance("ckafka-1")
    headers = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19",
               "Content-Type": "application/json"}
    body = b'{"Foo": 1, "InstanceId": "ckafka-1"}'
    request = urllib.request.Request(ckafka_server.url, body, headers)
    assert "Error" not in json.load(urllib.request.urlopen(request))["Response"]
    assert ckafka_server.calls[-1].answered_by == "state"

def test_validated_server(ckafka_server):
    headers = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19",
               "Content-Type": "application/json"}
    request = urllib.request.Request(ckafka_server.url, b'{"Foo": 1}', headers)
    error = json.load(urllib.request.urlopen(request))["Response"]["Error"]
    assert error["Code"] == "UnknownParameter"
"""
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=3)
