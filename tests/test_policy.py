"""The handling policy: what a well-behaved client does with each code and fault kind."""

from __future__ import annotations

import re

import pytest

import pytest_ckafka
from pytest_ckafka.checks.policy import DEFAULT_POLICY, Policy, as_policy
from pytest_ckafka.exceptions import CKafkaUsageError


@pytest.mark.parametrize("code", pytest_ckafka.error_codes())
def test_default_retries_exactly_the_codes_the_catalog_calls_retryable(code: str) -> None:
    expected = "retry" if pytest_ckafka.ERROR_CODES[code].retryable else "raise"
    assert DEFAULT_POLICY.decide(code) == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("timeout", "retry"),
        ("connection_error", "retry"),
        ("http_status", "retry"),
        ("malformed_json", "raise"),
        ("wrong_content_type", "raise"),
    ],
)
def test_default_for_each_fault_kind(kind: str, expected: str) -> None:
    assert DEFAULT_POLICY.decide(kind) == expected


def test_every_fault_kind_has_a_decision() -> None:
    assert set(pytest_ckafka.FAULT_KINDS) <= set(DEFAULT_POLICY.rules())


@pytest.mark.parametrize("code", [*pytest_ckafka.ERROR_CODES, *pytest_ckafka.FAULT_KINDS])
def test_every_decision_says_why(code: str) -> None:
    assert DEFAULT_POLICY.reason(code).strip()


def test_dry_run_is_surfaced_not_retried() -> None:
    assert DEFAULT_POLICY.decide("DryRunOperation") == "raise"
    assert DEFAULT_POLICY.reason("DryRunOperation") == (
        "the request would have succeeded but DryRun was set: nothing to retry, surface it"
    )


def test_unnamed_codes_raise_with_the_default_reason() -> None:
    assert DEFAULT_POLICY.decide("AuthFailure.SignatureFailure") == "raise"
    assert DEFAULT_POLICY.reason("AuthFailure.SignatureFailure") == (
        "not transient: stop and surface the Code and RequestId (auth, parameter, quota, "
        "resource-state and request errors do not improve on retry)"
    )


# -- families --------------------------------------------------------------------------------


def test_a_subcode_follows_its_family() -> None:
    assert "ResourceUnavailable.KafkaStorageError" not in DEFAULT_POLICY.rules()
    assert DEFAULT_POLICY.decide("ResourceUnavailable.KafkaStorageError") == "retry"
    assert DEFAULT_POLICY.reason("ResourceUnavailable.KafkaStorageError") == (
        DEFAULT_POLICY.reason("ResourceUnavailable")
    )


def test_a_named_subcode_beats_its_family() -> None:
    policy = Policy({"ResourceUnavailable.KafkaStorageError": "raise"})
    assert policy.decide("ResourceUnavailable.KafkaStorageError") == "raise"
    assert policy.reason("ResourceUnavailable.KafkaStorageError") == "set by the project's policy"
    assert policy.decide("ResourceUnavailable") == "retry"


def test_overriding_a_family_moves_its_subcodes() -> None:
    policy = Policy({"RequestLimitExceeded": "raise"})
    assert policy.decide("RequestLimitExceeded.UinLimitExceeded") == "raise"
    assert policy.decide("RequestLimitExceeded.IPLimitExceeded") == "raise"


# -- overrides --------------------------------------------------------------------------------


def test_overrides_keep_the_rest_of_the_default() -> None:
    policy = Policy({"ResourceInUse": "raise", "DryRunOperation": "retry"}, reasons={})
    assert (policy.decide("ResourceInUse"), policy.decide("DryRunOperation")) == ("raise", "retry")
    assert policy.decide("InternalError") == "retry"
    assert policy.decide("ResourceNotFound") == "raise"
    assert DEFAULT_POLICY.decide("ResourceInUse") == "retry"  # the default is not touched


def test_override_reasons_and_base() -> None:
    project = Policy({"InternalError": "raise"}, reasons={"InternalError": "not idempotent"})
    assert project.reason("InternalError") == "not idempotent"
    per_call = Policy({"ResourceInUse": "raise"}, base=project)
    assert per_call.decide("InternalError") == "raise"
    assert per_call.decide("ResourceInUse") == "raise"
    assert per_call.decide("timeout") == "retry"


def test_repr_lists_what_is_retried() -> None:
    assert repr(Policy({"ResourceInUse": "raise", "timeout": "raise"})) == (
        "<Policy retry=['InternalError', 'RequestLimitExceeded', 'ResourceUnavailable', "
        "'ServiceUnavailable', 'connection_error', 'http_status'], everything else raise>"
    )


def test_as_policy_accepts_a_policy_a_dict_or_none() -> None:
    project = Policy({"InternalError": "raise"})
    assert as_policy(None) is DEFAULT_POLICY
    assert as_policy(None, project) is project
    assert as_policy(project) is project
    assert as_policy({"timeout": "raise"}, project).decide("InternalError") == "raise"
    with pytest.raises(CKafkaUsageError) as info:
        as_policy(["timeout"])  # type: ignore[arg-type]
    assert str(info.value) == (
        "policy must be a pytest_ckafka.Policy or a dict of code -> 'retry'/'raise', got list"
    )


def test_a_bad_handling_value_suggests() -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Policy({"ResourceInUse": "retyr"})
    assert str(info.value) == (
        'policy for \'ResourceInUse\': unknown handling "retyr": did you mean "retry"? '
        "Valid choices: raise, retry."
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "ResourceInUsee",
            'policy: unknown code "ResourceInUsee": did you mean "ResourceInUse"? (65 valid '
            "codes; close matches: ResourceInUse, ResourceInsufficient, ResourceNotFound). "
            "A rule names an error code, a code family or a fault kind.",
        ),
        (
            "timout",
            'policy: unknown code "timout": did you mean "timeout"? (65 valid codes). '
            "A rule names an error code, a code family or a fault kind.",
        ),
    ],
)
def test_a_rule_for_an_unknown_code_is_rejected(name: str, message: str) -> None:
    """A typo would otherwise never match and silently leave the default in force."""
    with pytest.raises(CKafkaUsageError, match=f"^{re.escape(message)}$"):
        Policy({name: "raise"})


# -- ini lines --------------------------------------------------------------------------------


def test_from_lines_parses_ini_lines() -> None:
    policy = Policy.from_lines(
        [
            "# our deletes are not idempotent",
            "ResourceInUse = raise",
            "",
            "  DryRunOperation=retry   # we send DryRun first",
            "timeout = raise",
        ]
    )
    assert {k: policy.rules()[k] for k in ("ResourceInUse", "DryRunOperation", "timeout")} == {
        "ResourceInUse": "raise",
        "DryRunOperation": "retry",
        "timeout": "raise",
    }
    assert policy.reason("timeout") == "set by the project's policy"
    assert policy.decide("InternalError") == "retry"


def test_from_lines_with_no_lines_is_the_default() -> None:
    assert Policy.from_lines([]).rules() == DEFAULT_POLICY.rules()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "ResourceInUse raise",
            "ckafka_policy line 'ResourceInUse raise': expected 'Code = retry' or 'Code = raise'",
        ),
        (
            "ResourceInUse = never",
            "policy for 'ResourceInUse': unknown handling \"never\". Valid choices: raise, retry.",
        ),
        (
            "ResourceInUse = Retry",
            'policy for \'ResourceInUse\': unknown handling "Retry": did you mean "retry"? '
            "Valid choices: raise, retry.",
        ),
        (
            "= retry",
            'policy: unknown code "" (65 valid codes). '
            "A rule names an error code, a code family or a fault kind.",
        ),
    ],
)
def test_from_lines_rejects_bad_lines(line: str, message: str) -> None:
    with pytest.raises(CKafkaUsageError, match=f"^{re.escape(message)}$"):
        Policy.from_lines([line])
