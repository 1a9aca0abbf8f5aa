"""From what one checked run showed to its verdict: a pure function, no fake, no I/O.

:func:`~.matrix.judge` injects the code, runs ``call()`` and gathers an
:class:`Observation`; :func:`classify` decides. The rules, in the order they
are tried (the first that applies decides):

1. no call to the action was made: mishandled (``no API call``);
2. none of the calls got the injected answer: ``not injected``, naming who
   refused the request first (validation, ``strict_auth``, the protocol check);
3. the client was stopped retrying (a ``RetryStorm``): a retry storm;
4. a ``retry`` code must end in success after exactly K+1 attempts, spaced by a
   sleep when ``backoff`` is asked: giving up, too few or too many attempts and
   no backoff are each their own verdict;
5. a ``raise`` code must raise (or exit non-zero) after one attempt, with the
   exception ``raises`` names, and show the Code and RequestId in the exception,
   its log records or, for a program that exits, what it printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Optional, Union

from ..exceptions import RetryStorm
from .evidence import describe_exception, exception_texts, exit_status
from .verdicts import Verdict

if TYPE_CHECKING:
    from ..fake.calls import Call

__all__ = ["Injected", "Observation", "classify"]

Injected = Literal["code", "fault"]
"""What was injected: a catalog error code or a transport fault kind."""


@dataclass(frozen=True)
class Observation:
    """What one run of ``call()`` with ``code`` injected showed, and what was expected.

    ``made`` are the calls the run made (to ``action`` only, when one was named);
    ``error`` is how ``call()`` ended (``None``: it returned, or exited with code
    0); ``status`` its exit status when it exited; ``printed`` what it wrote to
    stdout and stderr, ``log_texts`` its log records' texts.
    """

    code: str
    injected: Injected
    action: Optional[str]
    expected: str  # the policy's decision: "retry" or "raise"
    reason: str  # why the policy decided so
    failures: int  # K: how many attempts a retry code answers before success
    backoff: bool
    raises: Union[type[BaseException], tuple[type[BaseException], ...], None]
    made: tuple[Call, ...]
    error: Optional[BaseException]
    status: Optional[int]
    sleeps: tuple[float, ...]
    printed: str = ""
    log_texts: tuple[str, ...] = ()
    log_records: int = 0


# What can answer a call before an injected code (see fake/core.py's order): the label
# in the call log, its name in a verdict, and what the user can do about it.
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


def classify(seen: Observation) -> Verdict:
    """The verdict on one observed run (see the module docstring for the rules)."""
    return _Classifier(seen).verdict()


class _Classifier:
    """One observation's derived facts, and the rules that turn them into a verdict."""

    def __init__(self, seen: Observation) -> None:
        self.seen = seen
        made = seen.made
        self.tried = len(made)
        self.acted = seen.action or (made[0].action if made else "(no call)")
        self.hits = [c for c in made if c.answered_by == "injected"]
        failed_ids = [c.request_id for c in self.hits if c.error_code is not None]
        self.request_id = failed_ids[0] if failed_ids else None
        self.returned = "exited with code 0" if seen.status == 0 else "returned"

    def verdict(self) -> Verdict:
        seen, tried = self.seen, self.tried
        if tried == 0:
            return self.result(
                "no API call",
                f"call() made no {self.acted} call at all ({_ending(seen.error)}).",
            )
        if not self.hits:
            who, observed, said = _refusal(seen.made, seen.code)
            return self.result(
                observed,
                f"{said}\ncall() {_ending(seen.error)}.",
                headline=f"{seen.code} was never injected: {who} refused the request first, "
                "so its handling was not checked.",
            )
        if isinstance(seen.error, RetryStorm):
            wanted = seen.failures + 1 if seen.expected == "retry" else 1
            return self.result(
                f"retry storm ({tried}+ attempts)",
                f"Expected {_attempts(wanted)}; the client kept retrying and was stopped "
                f"after {tried} attempts (a retry storm).",
            )
        if seen.expected == "retry":
            return self.retried()
        return self.raised()

    def retried(self) -> Verdict:
        """A ``retry`` code: K failures, then success on attempt K+1."""
        seen, tried = self.seen, self.tried
        failures, code, wanted = seen.failures, seen.code, seen.failures + 1
        if seen.error is not None:
            return self.result(
                f"gave up after {_attempts(tried)}",
                f"Expected the client to retry and succeed on attempt {wanted} "
                f"({failures} × {code}, then success); it gave up and "
                f"{_ending(seen.error)} after {_attempts(tried)}.",
            )
        if tried < wanted:
            return self.result(
                f"{self.returned} after {_attempts(tried)}",
                f"Expected {wanted} attempts ({failures} × {code}, then success); call() "
                f"{self.returned} after {tried}: the error was swallowed, not retried.",
            )
        if tried > wanted:
            return self.result(
                f"{tried} attempts",
                f"Expected {wanted} attempts; the client made {tried} (it kept calling after "
                "the call succeeded: a retry storm).",
            )
        if seen.backoff and sum(seen.sleeps) <= 0:
            return self.result(
                f"retried {failures}×, no backoff",
                f"Expected the retries to be spaced by a backoff; no sleep was recorded "
                f"between the {wanted} attempts.",
            )
        return self.result(f"retried {failures}×, then succeeded")

    def raised(self) -> Verdict:
        """A ``raise`` code: one attempt, then an exception (or exit) that shows it."""
        seen, tried, error, status = self.seen, self.tried, self.seen.error, self.seen.status
        code = seen.code
        if error is None:
            if status == 0:
                return self.result(
                    f"{self.returned} after {_attempts(tried)}",
                    f"Expected call() to raise or exit non-zero after 1 attempt ({code} "
                    "persists); it exited with code 0: the error was swallowed.",
                )
            return self.result(
                f"returned after {_attempts(tried)}",
                f"Expected call() to raise after 1 attempt ({code} persists); it returned "
                "normally: the error was swallowed.",
            )
        ending = _ending(error)
        ended = (
            f"exited with code {status}" if status is not None else f"raised {type(error).__name__}"
        )
        raises = seen.raises
        if raises is not None and not isinstance(error, raises):
            names = (
                raises.__name__
                if isinstance(raises, type)
                else "/".join(r.__name__ for r in raises)
            )
            return self.result(ended, f"Expected call() to raise {names}; it {ending}.")
        if tried != 1:
            return self.result(
                f"retried ({tried} attempts)",
                f"Expected 1 attempt: {code} is not transient, but the client retried it "
                f"({tried} attempts).",
            )
        if seen.injected == "code" and self.request_id is not None:
            needles = (("Code", code), ("RequestId", self.request_id))
            logged = seen.log_records
            records = f"the {logged} log record{'s' if logged != 1 else ''} of the call"
            if isinstance(error, SystemExit):
                # A program's user sees its output and exit status, never the exception
                # chain: Python exits on SystemExit without a traceback.
                printed = seen.printed
                texts = [printed, "" if isinstance(error.code, int) else str(error.code)]
                places = f"what it printed (stdout, stderr, the exit message) nor in {records}"
            else:
                printed = ""
                texts = list(exception_texts(error))
                places = (
                    "the exception (message, args, attributes, __cause__/__context__) nor in "
                    + records
                )
            texts += seen.log_texts
            missing = [(label, n) for label, n in needles if not any(n in t for t in texts)]
            if missing:
                labels = " and ".join(label for label, _ in missing)
                absent = " and the ".join(f"{label} {needle}" for label, needle in missing)
                return self.result(
                    f"{ended} without {labels}",
                    f"call() {ending}, but the {absent} cannot be found in {places}.",
                )
            if printed and all(n in printed for _, n in needles):
                ended += ", printed the Code and RequestId"
        return self.result(ended)

    def result(self, observed: str, problem: str = "", *, headline: str = "") -> Verdict:
        seen = self.seen
        if problem:
            headline = headline or (
                f"{seen.code} was mishandled (policy: {seen.expected}, {seen.reason})."
            )
            sleeps = seen.sleeps
            problem = f"{self.acted}: {headline}\n{problem}\nAttempts seen: {self.tried}" + (
                f"; sleeps: {', '.join(f'{s:g}s' for s in sleeps)}" if sleeps else ""
            )
        return Verdict(
            code=seen.code,
            action=self.acted,
            expected=seen.expected,
            observed=observed,
            ok=not problem,
            attempts=self.tried,
            sleeps=seen.sleeps,
            problem=problem,
            request_id=self.request_id,
            injected=len(self.hits),
            reason=seen.reason,
        )


def _refusal(made: tuple[Call, ...], code: str) -> tuple[str, str, str]:
    """Who answered ``made`` instead of the injected ``code``: (who, observed, what it said)."""
    refused = next((c for c in made if c.answered_by in _REFUSERS), None)
    if refused is None:  # another client took the injected answers (a shared server)
        return "something else", f"{code} never answered", f"No call was answered with {code}."
    who, hint = _REFUSERS[refused.answered_by]
    error = (refused.response or {}).get("Response", {}).get("Error", {})
    said = f"{who[0].upper()}{who[1:]} answered {refused.error_code}: {error.get('Message', '')}"
    return who, f"refused by {who} ({refused.error_code})", f"{said}\n{hint}"


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _ending(error: Optional[BaseException]) -> str:
    """How ``call()`` ended, as the end of a sentence: ``raised X('...')``."""
    if error is None:
        return "returned"
    if isinstance(error, SystemExit):
        return f"exited with code {exit_status(error)} ({describe_exception(error)})"
    return f"raised {describe_exception(error)}"
