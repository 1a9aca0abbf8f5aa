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
from .classify import Injected, Observation, classify
from .evidence import Evidence, exit_status
from .policy import Policy, PolicyLike, as_policy
from .verdicts import MatrixReport, Verdict

if TYPE_CHECKING:
    from ..backend import State
    from ..clock import Clock
    from ..fake.calls import CallLog
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


def _check_code(code: str) -> Injected:
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

    The run gathers an :class:`~.classify.Observation` (the calls made, how
    ``call()`` ended, its sleeps, prints and log records); :func:`~.classify.classify`
    decides, without touching the fake.

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
    made = [c for c in fake.calls.since(start) if action is None or c.action == action]
    seen = Observation(
        code=code,
        injected=kind,
        action=action,
        expected=expected,
        reason=chosen.reason(code),
        failures=failures,
        backoff=backoff,
        raises=raises,
        made=tuple(made),
        error=error,
        status=status,
        sleeps=tuple(fake.clock.since(mark)),
        printed=evidence.printed(),
        log_texts=tuple(evidence.log_texts()),
        log_records=len(evidence.records),
    )
    return classify(seen)


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
