"""Does client code handle an error code as the policy says? ``assert_handles`` and the matrix.

For a ``retry`` code the fake answers the first K attempts with the code, then
succeeds: the call must return after exactly K+1 attempts. For a ``raise`` code
the fake answers every attempt with it: the call must raise after one attempt,
and the code and RequestId must be reachable from the exception (message, args,
attributes, ``__cause__``/``__context__``) or from the log records of the call.
A ``SystemExit`` is how a program raises: exiting non-zero counts as raising,
and the code and RequestId must then be in what it printed (see ``evidence``).
Sleeps are recorded by a fake clock, never slept. When something else answers
first (request validation, ``strict_auth``), the code was never injected and the
verdict says so instead of blaming the client.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union

from ..api.error_codes import ERROR_CODES, lookup_code
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError, HandlingError, RetryStorm, UnknownErrorCodeError
from ..fake.faults import FAULT_KINDS
from ..fake.stubs import ANY_ACTION
from .evidence import Evidence, describe_exception, exception_texts, exit_status
from .policy import Policy, PolicyLike, as_policy
from .verdicts import MatrixReport, Verdict

if TYPE_CHECKING:
    from ..backend import State
    from ..clock import Clock
    from ..fake.calls import Call, CallLog
    from ..fake.stubs import Stub

__all__ = [
    "DEFAULT_ATTEMPTS",
    "STORM_FACTOR",
    "Checkable",
    "assert_handles",
    "check_error_handling",
    "judge",
]

DEFAULT_ATTEMPTS = 2
STORM_FACTOR = 5  # attempts beyond (K+1) * STORM_FACTOR are a retry storm: the loop is cut


class Checkable(Protocol):
    """What the checks need of a fake: :class:`~.ckafka.CKafka` (and what extends it) has it.

    A protocol, so that the checks read the fake without the fake importing them.
    """

    calls: CallLog
    clock: Clock
    state: State

    @property
    def policy(self) -> Policy: ...

    def fail(self, action: str, code: str, *, times: Optional[int] = None) -> Stub: ...

    def fault(self, action: str, kind: str, *, times: Optional[int] = None) -> Stub: ...

    def remove(self, stub: Stub) -> None: ...

    def _record_verdict(self, verdict: Verdict) -> None: ...


def _check_code(code: str) -> str:
    if code in FAULT_KINDS:
        return "fault"
    try:
        lookup_code(code)
    except UnknownErrorCodeError:
        raise UnknownErrorCodeError(
            unknown_name_message(
                "error code or fault kind",
                code,
                [*ERROR_CODES, *FAULT_KINDS],
                plural="error codes and fault kinds",
            )
        ) from None
    return "code"


def _run(call: Callable[[], Any]) -> Any:
    """Run a sync callable, a coroutine function or a callable returning an awaitable."""
    result = call()
    if not inspect.isawaitable(result):
        return result
    awaitable = result

    async def wait() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_in_new_loop(wait)
    # Called from inside a running loop (an async test): run on a loop of its own.
    box: dict[str, Any] = {}

    def worker() -> None:
        try:
            box["value"] = _run_in_new_loop(wait)
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=worker, name="pytest-ckafka-assert-handles")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _run_in_new_loop(factory: Callable[[], Any]) -> Any:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(factory())
    finally:
        loop.close()


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _ending(error: Optional[BaseException]) -> str:
    """How ``call()`` ended, as the end of a sentence: ``raised X('...')``."""
    if error is None:
        return "returned"
    if isinstance(error, SystemExit):
        return f"exited with code {exit_status(error)} ({describe_exception(error)})"
    return f"raised {describe_exception(error)}"


# What can answer a call before an injected code (see CKafka.handle): the label in
# the call log, its name in a verdict, and what the user can do about it.
_REFUSERS: dict[str, tuple[str, str]] = {
    "invalid": (
        "request validation",
        "The real API refuses this request too: fix the request the code under test sends "
        "(validate=False turns the check off, if the spec is wrong).",
    ),
    "auth": (
        "the signature check (strict_auth)",
        "Sign with a key registered with add_credentials(...), or leave strict_auth off.",
    ),
    "protocol": (
        "the protocol check",
        "The real API refuses this request too: fix how the code under test sends it.",
    ),
}


def _refusal(made: list[Call], code: str) -> tuple[str, str, str]:
    """Who answered ``made`` instead of the injected ``code``: (who, observed, what it said)."""
    refused = next((c for c in made if c.answered_by in _REFUSERS), None)
    if refused is None:  # another client took the injected answers (a shared server)
        return "something else", f"{code} never answered", f"No call was answered with {code}."
    who, hint = _REFUSERS[refused.answered_by]
    error = (refused.response or {}).get("Response", {}).get("Error", {})
    said = f"{who[0].upper()}{who[1:]} answered {refused.error_code}: {error.get('Message', '')}"
    return who, f"refused by {who} ({refused.error_code})", f"{said}\n{hint}"


def judge(
    fake: Checkable,
    code: str,
    call: Callable[[], Any],
    *,
    action: Optional[str] = None,
    raises: Union[type[BaseException], tuple[type[BaseException], ...], None] = None,
    attempts: Optional[int] = None,
    policy: PolicyLike = None,
    backoff: bool = False,
) -> Verdict:
    """Run ``call`` with ``code`` injected and return the :class:`Verdict` (never raises it).

    ``call()`` ending in ``SystemExit`` (a CLI's ``sys.exit(1)``) counts as raising,
    and what it printed counts for the Code and RequestId; exit status 0 counts as
    returning. ``KeyboardInterrupt`` and pytest's outcomes propagate.
    """
    kind = _check_code(code)
    if not callable(call):
        raise CKafkaUsageError(
            f"assert_handles needs a callable that makes the API call, got {type(call).__name__}"
            " (pass the function itself, or a lambda, not its result)"
        )
    if action is not None:
        from ..api.spec import load_spec

        load_spec().action(action)
    if attempts is not None and (
        isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
    ):
        raise CKafkaUsageError(f"attempts must be a positive integer, got {attempts!r}")
    chosen: Policy = as_policy(policy, fake.policy)
    expected = chosen.decide(code)
    failures = attempts or DEFAULT_ATTEMPTS
    target = action or ANY_ACTION
    times = failures if expected == "retry" else None
    if kind == "fault":
        stub = fake.fault(target, code, times=times)
    else:
        stub = fake.fail(target, code, times=times)
    stub.injected = True
    stub.abort_after = (failures + 1) * STORM_FACTOR
    start = fake.calls.total  # not len(): a full log stays the same length
    evidence = Evidence()
    mark = fake.clock.mark()
    error: Optional[BaseException] = None
    try:
        with fake.clock.patched(), evidence.collecting():
            _run(call)
    except RetryStorm as exc:
        error = exc
    except (Exception, SystemExit) as exc:  # sys.exit(1) is how a CLI or an Ansible module fails
        error = exc
    finally:
        fake.remove(stub)
    status = exit_status(error) if isinstance(error, SystemExit) else None
    if status == 0:  # success: click, in standalone mode, exits even when all went well
        error = None
    returned = "exited with code 0" if status == 0 else "returned"
    made = [c for c in fake.calls.since(start) if action is None or c.action == action]
    tried = len(made)
    acted = action or (made[0].action if made else "(no call)")
    hits = [c for c in made if c.answered_by == "injected"]
    failed_ids = [c.request_id for c in hits if c.error_code is not None]
    request_id = failed_ids[0] if failed_ids else None
    sleeps = tuple(fake.clock.since(mark))
    reason = chosen.reason(code)

    def verdict(observed: str, problem: str = "", *, headline: str = "") -> Verdict:
        if problem:
            headline = headline or f"{code} was mishandled (policy: {expected}, {reason})."
            problem = f"{acted}: {headline}\n{problem}\nAttempts seen: {tried}" + (
                f"; sleeps: {', '.join(f'{s:g}s' for s in sleeps)}" if sleeps else ""
            )
        return Verdict(
            code=code,
            action=acted,
            expected=expected,
            observed=observed,
            ok=not problem,
            attempts=tried,
            sleeps=sleeps,
            problem=problem,
            request_id=request_id,
            injected=len(hits),
            reason=reason,
        )

    if tried == 0:
        return verdict("no API call", f"call() made no {acted} call at all ({_ending(error)}).")
    if not hits:
        who, observed, said = _refusal(made, code)
        return verdict(
            observed,
            f"{said}\ncall() {_ending(error)}.",
            headline=f"{code} was never injected: {who} refused the request first, so its "
            "handling was not checked.",
        )
    if isinstance(error, RetryStorm):
        return verdict(
            f"retry storm ({tried}+ attempts)",
            f"Expected {_attempts(failures + 1 if expected == 'retry' else 1)}; the client kept "
            f"retrying and was stopped after {tried} attempts (a retry storm).",
        )
    if expected == "retry":
        wanted = failures + 1
        if error is not None:
            return verdict(
                f"gave up after {_attempts(tried)}",
                f"Expected the client to retry and succeed on attempt {wanted} "
                f"({failures} × {code}, then success); it gave up and {_ending(error)} "
                f"after {_attempts(tried)}.",
            )
        if tried < wanted:
            return verdict(
                f"{returned} after {_attempts(tried)}",
                f"Expected {wanted} attempts ({failures} × {code}, then success); call() "
                f"{returned} after {tried}: the error was swallowed, not retried.",
            )
        if tried > wanted:
            return verdict(
                f"{tried} attempts",
                f"Expected {wanted} attempts; the client made {tried} (it kept calling after "
                "the call succeeded: a retry storm).",
            )
        if backoff and sum(sleeps) <= 0:
            return verdict(
                f"retried {failures}×, no backoff",
                f"Expected the retries to be spaced by a backoff; no sleep was recorded "
                f"between the {wanted} attempts.",
            )
        return verdict(f"retried {failures}×, then succeeded")
    # expected == "raise"
    if error is None:
        if status == 0:
            return verdict(
                f"{returned} after {_attempts(tried)}",
                f"Expected call() to raise or exit non-zero after 1 attempt ({code} persists); "
                "it exited with code 0: the error was swallowed.",
            )
        return verdict(
            f"returned after {_attempts(tried)}",
            f"Expected call() to raise after 1 attempt ({code} persists); it returned "
            "normally: the error was swallowed.",
        )
    ended = f"exited with code {status}" if status is not None else f"raised {type(error).__name__}"
    if raises is not None and not isinstance(error, raises):
        names = (
            raises.__name__ if isinstance(raises, type) else "/".join(r.__name__ for r in raises)
        )
        return verdict(ended, f"Expected call() to raise {names}; it {_ending(error)}.")
    if tried != 1:
        return verdict(
            f"retried ({tried} attempts)",
            f"Expected 1 attempt: {code} is not transient, but the client retried it "
            f"({tried} attempts).",
        )
    if kind == "code" and request_id is not None:
        needles = (("Code", code), ("RequestId", request_id))
        logged = len(evidence.records)
        records = f"the {logged} log record{'s' if logged != 1 else ''} of the call"
        if isinstance(error, SystemExit):
            # A program's user sees its output and exit status, never the exception
            # chain: Python exits on SystemExit without a traceback.
            printed = evidence.printed()
            texts = [printed, "" if isinstance(error.code, int) else str(error.code)]
            places = f"what it printed (stdout, stderr, the exit message) nor in {records}"
        else:
            printed = ""
            texts = list(exception_texts(error))
            places = (
                "the exception (message, args, attributes, __cause__/__context__) nor in " + records
            )
        texts += evidence.log_texts()
        missing = [(label, n) for label, n in needles if not any(n in text for text in texts)]
        if missing:
            labels = " and ".join(label for label, _ in missing)
            absent = " and the ".join(f"{label} {needle}" for label, needle in missing)
            return verdict(
                f"{ended} without {labels}",
                f"call() {_ending(error)}, but the {absent} cannot be found in {places}.",
            )
        if printed and all(n in printed for _, n in needles):
            ended += ", printed the Code and RequestId"
    return verdict(ended)


def assert_handles(fake: Checkable, code: str, call: Callable[[], Any], **options: Any) -> Verdict:
    """Like :func:`judge`, but fail with :class:`HandlingError` on a mishandled code."""
    __tracebackhide__ = True
    verdict = judge(fake, code, call, **options)
    fake._record_verdict(verdict)
    if not verdict.ok:
        raise HandlingError(verdict.message())
    return verdict


def check_error_handling(
    fake: Checkable,
    call: Callable[[], Any],
    codes: Optional[Iterable[str]] = None,
    **options: Any,
) -> MatrixReport:
    """Run :func:`judge` for every code (default: all codes for ``action`` and every fault).

    The stateful backend's resources are put back as they were before each code,
    and after the last.
    """
    __tracebackhide__ = True
    if codes is None:
        from ..api.error_codes import select_codes

        action = options.get("action")
        codes = [info.code for info in select_codes(action=action)] + list(FAULT_KINDS)
    report = MatrixReport()
    # Every code starts from the same resources: a retried call that finally
    # succeeds (a topic deleted) must not change what the next code sees.
    start = fake.state.dump()
    for index, code in enumerate(codes):
        if index:
            fake.state.load(start)
        verdict = judge(fake, code, call, **options)
        fake._record_verdict(verdict)
        report.verdicts.append(verdict)
    fake.state.load(start)
    if not report.ok:
        missed = sum(1 for v in report if v.outcome == "not injected")
        failed = len(report.mishandled) - missed
        never = f" and {missed} never injected (refused first)" if missed else ""
        raise HandlingError(
            f"{failed} of {len(report)} codes were mishandled{never}:\n{report.table()}",
            report=report,
        )
    return report
