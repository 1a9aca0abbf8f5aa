"""The error matrix as a user meets it: ``ckafka_error_code``/``ckafka_fault``, markers, policy."""

from __future__ import annotations

import re

import pytest

import pytest_ckafka
from pytest_ckafka.checks.policy import DEFAULT_POLICY

CLIENT = """
import time

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

@pytest.fixture(autouse=True)
def orders_topic(ckafka):
    # What delete_topic deletes, so a retry's success is answered by the stateful backend.
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders", partitions=3)

def delete_topic(client, retry=("RequestLimitExceeded", "ResourceInUse", "InternalError")):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    for attempt in range(3):
        try:
            return client.DeleteTopic(request)
        except TencentCloudSDKException as exc:
            if exc.code.split(".")[0] not in retry or attempt == 2:
                raise
        time.sleep(2 ** attempt)
"""


RAISE_REASON = DEFAULT_POLICY.reason("AuthFailure.SignatureFailure")
THROTTLE_REASON = DEFAULT_POLICY.reason("RequestLimitExceeded")
REQUEST_ID = "<RequestId>"  # in match_error_lines: any RequestId, as they are random UUIDs


def match_error_lines(result: pytest.RunResult, lines: list[str]) -> None:
    """Each line must appear, whole, as an ``E`` line of the report, in order.

    ``REQUEST_ID`` in a line matches any RequestId; every other character must match exactly.
    """
    any_id = re.escape(REQUEST_ID), "[0-9a-f-]{36}"
    result.stdout.re_match_lines(
        [r"^E\s+" + re.escape(line).replace(*any_id) + "$" for line in lines]
    )


def collected_ids(result: pytest.RunResult) -> list[str]:
    """The parameter ids of ``--collect-only -q``, in order."""
    return [m.group(1) for line in result.stdout.lines if (m := re.search(r"\[(.+)\]$", line))]


# -- ckafka_error_code --------------------------------------------------------------------------


def test_one_test_per_catalog_code_with_the_code_as_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_code(ckafka_error_code):
    assert isinstance(ckafka_error_code, str)
"""
    )
    result = pytester.runpytest("--collect-only", "-q")
    assert collected_ids(result) == list(pytest_ckafka.ERROR_CODES)
    result.stdout.fnmatch_lines(
        [
            "test_one_test_per_catalog_code_with_the_code_as_id.py::test_code[ActionOffline]",
            "*::test_code[[]ResourceUnavailable.KafkaStorageError[]]",
        ]
    )
    assert pytester.runpytest("-q").parseoutcomes() == {"passed": 60}


def test_marker_narrows_to_an_action_and_retryable(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(action="DeleteTopic", retryable=True)
def test_code(ckafka_error_code):
    pass
"""
    )
    assert collected_ids(pytester.runpytest("--collect-only", "-q")) == [
        "InternalError",
        "RequestLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "ResourceInUse",
        "ResourceUnavailable",
        "ServiceUnavailable",
    ]


RETRYABLE_FOR_DELETE = """
import pytest

@pytest.mark.ckafka_error_codes(action="DeleteTopic", retryable=True)
def test_retried(ckafka_error_code):
    pass

@pytest.mark.ckafka_error_codes(scope="common", category="resource state", retryable=False)
def test_raised(ckafka_error_code):
    pass
"""


def test_marker_retryable_follows_the_ini_policy(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nckafka_policy =\n    ResourceInUse = raise\n")
    pytester.makepyfile(RETRYABLE_FOR_DELETE)
    ids = collected_ids(pytester.runpytest("--collect-only", "-q"))
    assert "ResourceInUse" in ids[ids.index("ServiceUnavailable") + 1 :]  # raised, not retried
    assert ids[: ids.index("ServiceUnavailable") + 1] == [
        "InternalError",
        "RequestLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "ResourceUnavailable",
        "ServiceUnavailable",
    ]


def test_marker_retryable_follows_a_ckafka_policy_fixture(pytester: pytest.Pytester) -> None:
    # A fixture is only known when the test runs: the code it decides otherwise is skipped.
    pytester.makeconftest(
        """
import pytest
from pytest_ckafka import Policy

@pytest.fixture
def ckafka_policy():
    return Policy({"ResourceInUse": "raise"})
"""
    )
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(action="DeleteTopic", retryable=True)
def test_retried(ckafka_error_code):
    pass

@pytest.mark.ckafka_error_codes(action="DeleteTopic", retryable=True, include=["ResourceInUse"])
def test_included(ckafka_error_code):
    pass
"""
    )
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=15, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]1[]] *: ResourceInUse: the ckafka_policy fixture says raise (set by the "
            "project's policy); @pytest.mark.ckafka_error_codes(retryable=True) selects the "
            "codes it retries",
        ]
    )


def test_marker_action_gives_common_codes_and_the_actions_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(action="DeleteTopic")
def test_code(ckafka_error_code):
    pass
"""
    )
    ids = collected_ids(pytester.runpytest("--collect-only", "-q"))
    expected = [
        code
        for code, info in pytest_ckafka.ERROR_CODES.items()
        if info.scope == "common" or "DeleteTopic" in info.actions
    ]
    assert ids == expected
    assert "ResourceUnavailable.KafkaStorageError" not in ids  # documented for another action


def test_marker_include_and_exclude(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(
    scope="ckafka", category="quota", exclude=["ResourcesSoldOut"], include=["InternalError"]
)
def test_code(ckafka_error_code):
    pass
"""
    )
    assert collected_ids(pytester.runpytest("--collect-only", "-q")) == [
        "LimitExceeded.RouteOverLimit",
        "LimitExceeded.RouteSASLOverLimit",
        "InternalError",
    ]


def test_the_closest_marker_wins(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

pytestmark = pytest.mark.ckafka_error_codes(scope="ckafka", category="quota")

def test_module_level(ckafka_error_code):
    pass

@pytest.mark.ckafka_error_codes(category="resource state")
def test_narrowed_again(ckafka_error_code):
    pass
"""
    )
    assert collected_ids(pytester.runpytest("--collect-only", "-q")) == [
        "LimitExceeded.RouteOverLimit",
        "LimitExceeded.RouteSASLOverLimit",
        "ResourcesSoldOut",
        # scope="ckafka" still comes from the module; category is the function's
        "OperationDenied",
        "OperationDenied.ResourceTaskPaused",
        "UnsupportedOperation.BatchDelInstanceLimit",
        "UnsupportedOperation.FrequencyTopicDeleteOperate",
        "UnsupportedOperation.OssReject",
    ]


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            "ckafka_error_codes(retriable=True)",
            '@pytest.mark.ckafka_error_codes: unknown option "retriable": did you mean '
            '"retryable"? Valid choices: action, category, exclude, include, retryable, scope.',
        ),
        (
            'ckafka_error_codes("DeleteTopic")',
            "@pytest.mark.ckafka_error_codes: takes keyword arguments only, got ('DeleteTopic',)",
        ),
        (
            'ckafka_error_codes(include=["ResourceInUsed"])',
            '@pytest.mark.ckafka_error_codes: include: unknown error code "ResourceInUsed": '
            'did you mean "ResourceInUse"? (60 valid error codes; close matches: ResourceInUse, '
            "ResourceNotFound, ResourceInsufficient)",
        ),
        (
            'ckafka_error_codes(scope="commons")',
            '@pytest.mark.ckafka_error_codes: unknown scope "commons": did you mean "common"? '
            "Valid choices: all, ckafka, common.",
        ),
        (
            'ckafka_error_codes(action="DeleteTopics")',
            '@pytest.mark.ckafka_error_codes: unknown action "DeleteTopics": did you mean '
            '"DeleteTopic"? (105 valid actions; close matches: DeleteTopic, DeleteDatahubTopic, '
            "DeleteGroup)",
        ),
        (
            'ckafka_error_codes(retryable="yes")',
            "@pytest.mark.ckafka_error_codes: retryable must be True, False or None, got 'yes'",
        ),
        (
            'ckafka_faults(exclude=["timout"])',
            '@pytest.mark.ckafka_faults: exclude: unknown fault kind "timout": did you mean '
            '"timeout"? Valid choices: connection_error, http_status, malformed_json, timeout, '
            "wrong_content_type.",
        ),
    ],
    ids=["option", "positional", "include", "scope", "action", "retryable", "fault"],
)
def test_a_bad_marker_fails_collection_with_a_suggestion(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        f"""
import pytest

@pytest.mark.{marker}
def test_code(ckafka_error_code, ckafka_fault):
    pass
"""
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting test_a_bad_marker_fails_collection*"])
    # pytest 9 names the class pytest.UsageError; older versions its defining module.
    result.stdout.re_match_lines(
        [r"^E\s+(pytest|_pytest\.config\.exceptions)\.UsageError: " + re.escape(message) + "$"]
    )


def test_a_single_name_in_include_is_one_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(scope="ckafka", category="quota", include="InternalError")
def test_code(ckafka_error_code):
    pass
"""
    )
    assert collected_ids(pytester.runpytest("--collect-only", "-q"))[-1] == "InternalError"


# -- ckafka_fault -------------------------------------------------------------------------------


def test_one_test_per_fault_kind(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

def test_fault(ckafka_fault):
    pass

@pytest.mark.ckafka_faults(exclude=["wrong_content_type", "malformed_json"])
def test_network_faults(ckafka_fault):
    pass
"""
    )
    assert collected_ids(pytester.runpytest("--collect-only", "-q")) == [
        "timeout",
        "connection_error",
        "http_status",
        "malformed_json",
        "wrong_content_type",
        "timeout",
        "connection_error",
        "http_status",
    ]


def test_codes_and_faults_together_make_the_cross_product(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_error_codes(include=["InternalError"], scope="ckafka", category="quota")
@pytest.mark.ckafka_faults(exclude=["http_status", "malformed_json", "wrong_content_type"])
def test_both(ckafka_error_code, ckafka_fault):
    pass
"""
    )
    result = pytester.runpytest("--collect-only", "-q")
    assert len(collected_ids(result)) == 4 * 2
    result.stdout.fnmatch_lines(["*test_both[[]InternalError-timeout[]]"])


# -- the policy a project sets ------------------------------------------------------------------

GIVES_UP_ON_BUSY = (
    CLIENT
    + """
def test_busy(ckafka, ckafka_client):
    ckafka.assert_handles("ResourceInUse", lambda: delete_topic(ckafka_client, retry=()))
"""
)


def test_default_policy_expects_busy_to_be_retried(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(GIVES_UP_ON_BUSY)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: ResourceInUse was mishandled "
            "(policy: retry, another operation holds the resource: retry after it finishes, "
            "as the Terraform provider does).",
        ],
    )


def test_ini_policy_changes_the_expectation(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
[pytest]
ckafka_policy =
    # our deletes are not idempotent: surface a busy topic
    ResourceInUse = raise
"""
    )
    pytester.makepyfile(GIVES_UP_ON_BUSY)
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_ckafka_policy_fixture_changes_the_expectation(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
import pytest
from pytest_ckafka.checks.policy import Policy

@pytest.fixture
def ckafka_policy():
    return Policy({"ResourceInUse": "raise"}, reasons={"ResourceInUse": "deletes are final"})
"""
    )
    pytester.makepyfile(
        GIVES_UP_ON_BUSY
        + """
def test_retrying_busy_is_now_wrong(ckafka, ckafka_client):
    ckafka.assert_handles("ResourceInUse", lambda: delete_topic(ckafka_client))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: ResourceInUse was mishandled "
            "(policy: raise, deletes are final).",
            "Expected 1 attempt: ResourceInUse is not transient, but the client retried it "
            "(3 attempts).",
            "Attempts seen: 3; sleeps: 1s, 2s",
        ],
    )


def test_the_lines_a_user_reads_for_a_mishandled_matrix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        CLIENT
        + """
import pytest

def swallow_errors(client):
    try:
        return delete_topic(client)
    except TencentCloudSDKException:
        return None

@pytest.mark.ckafka_error_codes(category="throttling", include=["AuthFailure.SignatureFailure"])
def test_delete(ckafka, ckafka_client, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: swallow_errors(ckafka_client))
"""
    )
    result = pytester.runpytest("-rf")
    result.assert_outcomes(passed=4, failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: AuthFailure.SignatureFailure "
            f"was mishandled (policy: raise, {RAISE_REASON}).",
            "Expected call() to raise after 1 attempt (AuthFailure.SignatureFailure persists); "
            "it returned normally: the error was swallowed.",
            "Attempts seen: 1",
        ],
    )
    result.stdout.fnmatch_lines(
        [
            "FAILED test_the_lines_a_user_reads_for_a_mishandled_matrix.py::"
            "test_delete[[]AuthFailure.SignatureFailure[]]*",
        ]
    )


def test_the_lines_for_a_client_that_retries_an_auth_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        CLIENT
        + """
import pytest

def delete_with_retries(client):  # "a bad signature is clock skew: try again"
    return delete_topic(client, retry=("AuthFailure", "RequestLimitExceeded"))

@pytest.mark.parametrize("code", ["RequestLimitExceeded", "AuthFailure.SignatureFailure"])
def test_delete(ckafka, ckafka_client, code):
    ckafka.assert_handles(code, lambda: delete_with_retries(ckafka_client))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: AuthFailure.SignatureFailure "
            f"was mishandled (policy: raise, {RAISE_REASON}).",
            "Expected 1 attempt: AuthFailure.SignatureFailure is not transient, but the client "
            "retried it (3 attempts).",
            "Attempts seen: 3; sleeps: 1s, 2s",
        ],
    )


def test_the_lines_for_a_client_that_never_retries_throttling(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        CLIENT
        + """
import pytest

def delete_with_retries(client):  # throttling left out of the retry list
    return delete_topic(client, retry=("ResourceInUse", "InternalError"))

@pytest.mark.parametrize("code", ["ResourceInUse", "RequestLimitExceeded"])
def test_delete(ckafka, ckafka_client, code):
    ckafka.assert_handles(code, lambda: delete_with_retries(ckafka_client))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: RequestLimitExceeded was "
            f"mishandled (policy: retry, {THROTTLE_REASON}).",
            "Expected the client to retry and succeed on attempt 3 (2 × RequestLimitExceeded, "
            "then success); it gave up and raised TencentCloudSDKException("
            "'[TencentCloudSDKException] code:RequestLimitExceeded message:The number of "
            f"requests exceeds the frequency limit. requestId:{REQUEST_ID}') after 1 attempt.",
            "Attempts seen: 1",
        ],
    )


def test_the_lines_for_a_client_that_raises_without_the_request_id(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        CLIENT
        + """
import pytest

class TopicError(Exception):
    \"""A failed topic operation, so callers need not import the SDK.\"""

def delete_or_explain(client):
    try:
        return delete_topic(client)
    except TencentCloudSDKException as exc:
        raise TopicError(f"cannot delete orders: {exc.code}") from None  # the RequestId is lost

@pytest.mark.parametrize("code", ["RequestLimitExceeded", "ResourceNotFound"])
def test_delete(ckafka, ckafka_client, code):
    ckafka.assert_handles(code, lambda: delete_or_explain(ckafka_client), raises=TopicError)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: ResourceNotFound was "
            f"mishandled (policy: raise, {RAISE_REASON}).",
            "call() raised TopicError('cannot delete orders: ResourceNotFound'), but the "
            f"RequestId {REQUEST_ID} cannot be found in the exception (message, args, "
            "attributes, __cause__/__context__) nor in the 0 log records of the call.",
            "Attempts seen: 1",
        ],
    )


def test_a_bad_ini_policy_line_is_one_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\nckafka_policy =\n    ResourceInUse = raise\n    ResourceInUze = raise\n"
    )
    pytester.makepyfile("def test_x(ckafka):\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith(
        'ERROR: ini ckafka_policy, line 2: policy: unknown code "ResourceInUze": '
        'did you mean "ResourceInUse"?'
    )


# -- programs: a CLI or an Ansible module fails by printing and exiting ---------------------

CLI = """
import json
import sys
import time

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

@pytest.fixture(autouse=True)
def orders_topic(ckafka):
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders", partitions=3)

def cli(client, exit_on_error=1):
    \"""`topics delete ckafka-1 orders`: retry a busy topic, else print the error and exit.\"""
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    for attempt in range(3):
        try:
            client.DeleteTopic(request)
        except TencentCloudSDKException as exc:
            if exc.code == "ResourceInUse" and attempt < 2:
                time.sleep(1)
                continue
            print(f"error: {exc.code}: {exc.message} (RequestId: {exc.requestId})", file=sys.stderr)
            sys.exit(exit_on_error)
        print("deleted orders")
        sys.exit(0)

def fail_json(**result):  # what AnsibleModule.fail_json does: JSON on stdout, exit 1
    print(json.dumps({"failed": True, **result}))
    sys.exit(1)

def ansible_module(client):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    try:
        client.DeleteTopic(request)
    except TencentCloudSDKException as exc:
        fail_json(msg=f"cannot delete orders: {exc.code}")
"""


def test_a_cli_that_prints_the_error_and_exits_1_handles_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        CLI
        + """
def test_raised(ckafka, ckafka_client):
    verdict = ckafka.assert_handles("ResourceNotFound", lambda: cli(ckafka_client))
    assert verdict.observed == "exited with code 1, printed the Code and RequestId"

def test_raises_system_exit(ckafka, ckafka_client):
    delete = lambda: cli(ckafka_client)  # noqa: E731
    ckafka.assert_handles("AuthFailure.SignatureFailure", delete, raises=SystemExit)

def test_retried_then_exit_0(ckafka, ckafka_client):
    verdict = ckafka.assert_handles("ResourceInUse", lambda: cli(ckafka_client), backoff=True)
    assert verdict.observed == "retried 2×, then succeeded"
    assert ckafka.state.topics("ckafka-1") == []  # really deleted

def test_sys_exit_with_a_message(ckafka, ckafka_client):
    def exit_with_a_message():  # Python prints the message to stderr and exits with 1
        request = models.DeleteTopicRequest()
        request.InstanceId, request.TopicName = "ckafka-1", "orders"
        try:
            ckafka_client.DeleteTopic(request)
        except TencentCloudSDKException as exc:
            sys.exit(f"error: {exc.code} (RequestId: {exc.requestId})")
    verdict = ckafka.assert_handles("ResourceNotFound", exit_with_a_message)
    assert verdict.observed == "exited with code 1"
"""
    )
    pytester.runpytest().assert_outcomes(passed=4)


def test_the_lines_for_a_program_that_exits_without_the_request_id(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        CLI
        + """
def test_module(ckafka, ckafka_client):
    ckafka.assert_handles("ResourceNotFound", lambda: ansible_module(ckafka_client))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DeleteTopic: ResourceNotFound was "
            f"mishandled (policy: raise, {RAISE_REASON}).",
            f"call() exited with code 1 (SystemExit(1)), but the RequestId {REQUEST_ID} cannot "
            "be found in what it printed (stdout, stderr, the exit message) nor in the 0 log "
            "records of the call.",
            "Attempts seen: 1",
        ],
    )
    # What the module printed still reaches pytest's capture.
    result.stdout.fnmatch_lines(
        ['{"failed": true, "msg": "cannot delete orders: ResourceNotFound"}']
    )


def test_the_lines_for_programs_that_exit_on_a_transient_code_or_exit_0(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        CLI
        + """
def test_gives_up(ckafka, ckafka_client):
    ckafka.assert_handles("InternalError", lambda: cli(ckafka_client))

def test_exits_0_on_error(ckafka, ckafka_client):
    ckafka.assert_handles("ResourceNotFound", lambda: cli(ckafka_client, exit_on_error=0))

def test_not_the_exception_asked_for(ckafka, ckafka_client):
    ckafka.assert_handles("ResourceNotFound", lambda: cli(ckafka_client), raises=ValueError)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=3)
    match_error_lines(
        result,
        [
            "Expected the client to retry and succeed on attempt 3 (2 × InternalError, then "
            "success); it gave up and exited with code 1 (SystemExit(1)) after 1 attempt.",
            "Expected call() to raise or exit non-zero after 1 attempt (ResourceNotFound "
            "persists); it exited with code 0: the error was swallowed.",
            "Expected call() to raise ValueError; it exited with code 1 (SystemExit(1)).",
        ],
    )


# -- something answers before the injected code ---------------------------------------------


def test_the_lines_when_validation_refuses_the_request_first(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
from tencentcloud.ckafka.v20190819 import models

def describe_acl(client):
    request = models.DescribeACLRequest()
    request.InstanceId, request.ResourceName = "ckafka-1", "orders"
    request.ResourceType = "TOPIC"  # the API takes 2 for a topic
    return client.DescribeACL(request)

def test_acl(ckafka, ckafka_client):
    ckafka.assert_handles("AuthFailure.SignatureFailure", lambda: describe_acl(ckafka_client))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    match_error_lines(
        result,
        [
            "pytest_ckafka.exceptions.HandlingError: DescribeACL: AuthFailure.SignatureFailure "
            "was never injected: request validation refused the request first, so its handling "
            "was not checked.",
            "Request validation answered InvalidParameter: The parameter `ResourceType` must be "
            'an integer, got a string "TOPIC".',
            "The real API refuses this request too: fix the request the code under test sends "
            "(validate=False turns the check off, if the spec is wrong).",
            "call() raised TencentCloudSDKException('[TencentCloudSDKException] "
            "code:InvalidParameter message:The parameter `ResourceType` must be an integer, got "
            f'a string "TOPIC". requestId:{REQUEST_ID}\').',
            "Attempts seen: 1",
        ],
    )


def test_the_lines_when_strict_auth_refuses_the_request_first(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest
from tencentcloud.ckafka.v20190819 import models

@pytest.mark.ckafka(strict_auth=True)  # and the client's key was never registered
def test_delete(ckafka, ckafka_client):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    ckafka.assert_handles("ResourceInUse", lambda: ckafka_client.DeleteTopic(request))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+pytest_ckafka.exceptions.HandlingError: DeleteTopic: ResourceInUse was never "
            r"injected: the signature check \(strict_auth\) refused the request first, so its "
            r"handling was not checked\.$",
            r"^E\s+The signature check \(strict_auth\) answered AuthFailure\.SecretIdNotFound: .+$",
            r"^E\s+Sign with a key registered with add_credentials\(\.\.\.\), or leave "
            r"strict_auth off\.$",
        ]
    )
