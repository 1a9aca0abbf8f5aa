"""checks/classify.py: every rule that turns an observed run into a verdict, without a fake."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pytest_ckafka.api.envelopes import envelope_reply, error_envelope, success_reply
from pytest_ckafka.checks.classify import Observation, classify
from pytest_ckafka.exceptions import RetryStorm
from pytest_ckafka.fake.calls import AnsweredBy, Call

CODE = "ResourceInUse"
RID = "r-injected"


def made(answered_by: AnsweredBy, *, ok: bool = False, code: str = CODE, rid: str = RID) -> Call:
    if ok:
        reply = success_reply("{}", rid)
    else:
        reply = envelope_reply(error_envelope(code, "Message of the code.", rid, custom=True))
    return Call(
        action="DeleteTopic",
        params={},
        region="ap-guangzhou",
        version="2019-08-19",
        request_id=rid,
        method="POST",
        url="https://ckafka.tencentcloudapi.com/",
        secret_id=None,
        language=None,
        reply=reply,
        answered_by=answered_by,
    )


RETRIED = (made("injected"), made("injected"), made("stub", ok=True, rid="r-ok"))


def seen(**changes: Any) -> Observation:
    """A ``raise`` code, injected once, raised with its Code and RequestId: handled."""
    base = Observation(
        code=CODE,
        injected="code",
        action="DeleteTopic",
        expected="raise",
        reason="a client error",
        failures=2,
        backoff=False,
        raises=None,
        made=(made("injected"),),
        error=RuntimeError(f"[{CODE}] Message of the code. requestId:{RID}"),
        status=None,
        sleeps=(),
    )
    return dataclasses.replace(base, **changes)


def retry(**changes: Any) -> Observation:
    """A ``retry`` code, K=2: two injected answers, then success."""
    return seen(
        **{"expected": "retry", "reason": "transient", "made": RETRIED, "error": None, **changes}
    )


def problem_lines(observation: Observation) -> list[str]:
    verdict = classify(observation)
    assert not verdict.ok
    return verdict.problem.splitlines()


# -- who answered -------------------------------------------------------------------------


def test_no_call_is_mishandled() -> None:
    verdict = classify(seen(made=(), error=None))
    assert (verdict.observed, verdict.outcome, verdict.action) == (
        "no API call",
        "not injected",  # nothing carried the code: its handling was not seen
        "DeleteTopic",
    )
    assert verdict.problem.splitlines()[1] == "call() made no DeleteTopic call at all (returned)."


def test_a_call_refused_first_was_never_injected() -> None:
    refused = made("invalid", code="InvalidParameter")
    verdict = classify(seen(made=(refused,)))
    assert (verdict.observed, verdict.outcome, verdict.injected) == (
        "refused by request validation (InvalidParameter)",
        "not injected",
        0,
    )
    assert verdict.problem.splitlines()[:2] == [
        f"DeleteTopic: {CODE} was never injected: request validation refused the request "
        "first, so its handling was not checked.",
        "Request validation answered InvalidParameter: Message of the code.",
    ]


def test_injected_answers_someone_else_took() -> None:
    verdict = classify(seen(made=(made("stub", ok=True),), error=None))
    assert (verdict.observed, verdict.outcome) == (f"{CODE} never answered", "not injected")


def test_a_retry_storm() -> None:
    storm = tuple(made("injected") for _ in range(15))
    lines = problem_lines(retry(made=storm, error=RetryStorm("stop")))
    assert lines[1] == (
        "Expected 3 attempts; the client kept retrying and was stopped after 15 attempts "
        "(a retry storm)."
    )
    assert classify(retry(made=storm, error=RetryStorm("stop"))).observed == (
        "retry storm (15+ attempts)"
    )


# -- retry codes --------------------------------------------------------------------------


def test_a_retry_code_retried_then_succeeded() -> None:
    verdict = classify(retry(sleeps=(1.0, 2.0), backoff=True))
    assert (verdict.ok, verdict.observed, verdict.attempts, verdict.request_id) == (
        True,
        "retried 2×, then succeeded",
        3,
        RID,
    )


def test_a_retry_code_given_up() -> None:
    lines = problem_lines(retry(made=RETRIED[:1], error=ValueError("boom")))
    assert lines[0] == f"DeleteTopic: {CODE} was mishandled (policy: retry, transient)."
    assert lines[1] == (
        f"Expected the client to retry and succeed on attempt 3 (2 × {CODE}, then success); "
        "it gave up and raised ValueError('boom') after 1 attempt."
    )
    assert lines[2] == "Attempts seen: 1"


def test_a_retry_code_swallowed() -> None:
    verdict = classify(retry(made=RETRIED[:1]))
    assert verdict.observed == "returned after 1 attempt"
    assert verdict.problem.splitlines()[1] == (
        f"Expected 3 attempts (2 × {CODE}, then success); call() returned after 1: "
        "the error was swallowed, not retried."
    )


def test_a_retry_code_called_again_after_success() -> None:
    verdict = classify(retry(made=(*RETRIED, made("stub", ok=True))))
    assert verdict.observed == "4 attempts"


def test_a_retry_without_the_backoff_asked_for() -> None:
    verdict = classify(retry(backoff=True))
    assert verdict.observed == "retried 2×, no backoff"
    assert verdict.problem.splitlines()[-1] == "Attempts seen: 3"
    assert classify(retry(backoff=True, sleeps=(0.5,))).ok


# -- raise codes --------------------------------------------------------------------------


def test_a_raise_code_raised_with_its_code_and_request_id() -> None:
    verdict = classify(seen())
    assert (verdict.ok, verdict.observed, verdict.outcome) == (
        True,
        "raised RuntimeError",
        "handled",
    )


def test_a_raise_code_swallowed() -> None:
    assert classify(seen(error=None)).observed == "returned after 1 attempt"
    exited = classify(seen(error=None, status=0))
    assert exited.observed == "exited with code 0 after 1 attempt"
    assert exited.problem.splitlines()[1] == (
        f"Expected call() to raise or exit non-zero after 1 attempt ({CODE} persists); "
        "it exited with code 0: the error was swallowed."
    )


def test_a_raise_code_raised_as_another_exception() -> None:
    lines = problem_lines(seen(raises=(KeyError, LookupError)))
    assert lines[1] == (
        f"Expected call() to raise KeyError/LookupError; it raised RuntimeError('[{CODE}] "
        f"Message of the code. requestId:{RID}')."
    )


def test_a_raise_code_retried() -> None:
    verdict = classify(seen(made=(made("injected"), made("injected"))))
    assert verdict.observed == "retried (2 attempts)"


@pytest.mark.parametrize(
    ("message", "missing"),
    [("failed", "Code and RequestId"), (f"failed: {CODE}", "RequestId")],
)
def test_a_raise_code_raised_without_what_identifies_it(message: str, missing: str) -> None:
    verdict = classify(seen(error=RuntimeError(message)))
    assert verdict.observed == f"raised RuntimeError without {missing}"
    assert "cannot be found in the exception (message, args, attributes" in verdict.problem


def test_a_log_record_counts_for_a_raise_code() -> None:
    logged = seen(error=RuntimeError("failed"), log_texts=(f"{CODE} {RID}",), log_records=1)
    assert classify(logged).ok


def test_a_program_that_exits_must_print_the_code_and_request_id() -> None:
    quiet = seen(error=SystemExit(1), status=1)
    assert classify(quiet).observed == "exited with code 1 without Code and RequestId"
    assert "what it printed (stdout, stderr, the exit message) nor in the 0 log records" in (
        classify(quiet).problem
    )
    printed = seen(error=SystemExit(1), status=1, printed=f"Error {CODE} ({RID})\n")
    assert classify(printed).observed == "exited with code 1, printed the Code and RequestId"


def test_a_fault_needs_no_code_in_the_exception() -> None:
    fault = seen(code="timeout", injected="fault", error=TimeoutError("read timed out"))
    assert classify(fault).ok
