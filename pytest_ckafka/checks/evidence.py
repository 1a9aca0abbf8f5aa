"""What the code under test showed of an error: its exception, its log records, its output.

``assert_handles`` looks for the Code and RequestId of a failing answer in
these. A library surfaces an error by raising it (and perhaps logging it); a
program (a CLI, an Ansible module) surfaces it by printing it and exiting
non-zero, so for a call that ends in ``SystemExit`` what it printed counts too.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Optional, TextIO

__all__ = ["Evidence", "describe_exception", "exception_texts", "exit_status"]


class Evidence:
    """The log records and the printed output of one call of the code under test.

    >>> evidence = Evidence()
    >>> with evidence.collecting():
    ...     print("error AuthFailure (RequestId r-1)")
    error AuthFailure (RequestId r-1)
    >>> evidence.printed()
    'error AuthFailure (RequestId r-1)\\n'
    """

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self._printed: list[str] = []
        self._lock = threading.Lock()

    def printed(self) -> str:
        """What was written to ``sys.stdout`` and ``sys.stderr`` while collecting."""
        with self._lock:
            return "".join(self._printed)

    def log_texts(self) -> Iterator[str]:
        """Each record's message, and the texts of the exception it carries."""
        for record in self.records:
            try:
                yield record.getMessage()
            except Exception:  # a broken log call in user code must not hide the verdict
                yield str(record.msg)
            if record.exc_info and record.exc_info[1] is not None:
                yield from exception_texts(record.exc_info[1])

    @contextmanager
    def collecting(self) -> Iterator[Evidence]:
        """Record log records and tee ``sys.stdout``/``sys.stderr`` for the block.

        What is printed still reaches the streams it was meant for (pytest's
        capture, or the terminal); only a copy is kept.
        """
        handler = _RecordKeeper(self.records)
        root = logging.getLogger()
        root.addHandler(handler)
        out, err = _Tee(sys.stdout, self), _Tee(sys.stderr, self)
        sys.stdout, sys.stderr = out, err
        try:
            yield self
        finally:
            # Code that replaced a stream itself (or a concurrent collection that started
            # later) keeps its own; ours then only passes writes through.
            out.active = err.active = False
            if sys.stdout is out:
                sys.stdout = out.stream
            if sys.stderr is err:
                sys.stderr = err.stream
            root.removeHandler(handler)

    def _keep(self, text: str) -> None:
        with self._lock:
            self._printed.append(text)


class _RecordKeeper(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Tee:
    """A text stream that writes through to ``stream`` and keeps a copy."""

    def __init__(self, stream: TextIO, evidence: Evidence) -> None:
        self.stream = stream
        self.active = True
        self._evidence = evidence

    def write(self, text: str) -> int:
        if self.active:
            self._evidence._keep(str(text))
        return self.stream.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty(), fileno(), buffer...
        return getattr(self.stream, name)


def exception_texts(exc: BaseException) -> Iterator[str]:
    """The texts a reader can get from ``exc``: message, args, attributes, cause, context."""
    seen: set[int] = set()
    pending: list[Optional[BaseException]] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (str(arg) for arg in current.args)
        for value in vars(current).values() if hasattr(current, "__dict__") else ():
            if isinstance(value, (str, bytes, int)):
                yield str(value)
        pending.append(current.__cause__)
        # ``raise ... from None`` hides the context from the traceback a user reads.
        if not current.__suppress_context__:
            pending.append(current.__context__)


def exit_status(exc: SystemExit) -> int:
    """The process exit status ``exc`` stands for: ``sys.exit("message")`` exits with 1.

    >>> exit_status(SystemExit()), exit_status(SystemExit(2)), exit_status(SystemExit("no"))
    (0, 2, 1)
    """
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    return 1


def describe_exception(exc: BaseException) -> str:
    """``KeyError('x')``, or ``SystemExit(1)`` for an exit, in one line.

    >>> describe_exception(ValueError("bad\\nvalue")), describe_exception(SystemExit(1))
    ("ValueError('bad')", 'SystemExit(1)')
    """
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r})" if exc.code is not None else "SystemExit()"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}({text!r})" if text else type(exc).__name__
