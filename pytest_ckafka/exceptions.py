"""Exceptions raised by pytest-ckafka.

Mistakes in how a test uses the library (an unknown action, a body that does not
fit the spec) raise :class:`CKafkaUsageError`, a ``ValueError``, at the call that
made them. Problems a test run should report as a failure (an unmatched call in
strict mode, unused stubs, a failed ``assert_called``) subclass ``AssertionError``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CKafkaAssertionError",
    "CKafkaUsageError",
    "CassetteFormatError",
    "CassetteMissError",
    "HandlingError",
    "ListenError",
    "NetworkBlockedError",
    "RetryStorm",
    "UnknownActionError",
    "UnknownErrorCodeError",
    "UnknownFaultError",
    "UnmatchedCallError",
    "UnusedStubsError",
]


class CKafkaUsageError(ValueError):
    """The test used pytest-ckafka wrongly; the message says what and how to fix it."""


class UnknownActionError(CKafkaUsageError, KeyError):
    """An action name that is not in the CKafka 2019-08-19 spec."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownErrorCodeError(CKafkaUsageError, KeyError):
    """An error code that is not in the catalog (use ``custom=True`` to allow one)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownFaultError(CKafkaUsageError):
    """A transport fault kind that pytest-ckafka does not know."""


class CassetteFormatError(CKafkaUsageError):
    """A cassette file that cannot be used; the message starts with ``path:line:``."""


class ListenError(CKafkaUsageError):
    """``FakeServer`` cannot bind; ``reason`` is the OS's, e.g. ``Address already in use``."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(f"FakeServer cannot listen on {host}:{port}: {reason}")
        self.host, self.port, self.reason = host, port, reason


class CKafkaAssertionError(AssertionError):
    """A test-visible failure: what the code under test did differs from what was asked."""


class UnmatchedCallError(CKafkaAssertionError):
    """Strict mode: a call arrived for which no stub was registered."""


class UnusedStubsError(CKafkaAssertionError):
    """At teardown, stubs registered with ``times=N`` were not all consumed."""


class HandlingError(CKafkaAssertionError):
    """``assert_handles``/``check_error_handling``: the client mishandled an error code."""

    report: Any
    """``check_error_handling``'s :class:`~pytest_ckafka.MatrixReport` (every verdict);
    ``None`` from ``assert_handles``, whose message is its one verdict. Typed ``Any``
    because this module is imported by every layer and imports none of them."""

    def __init__(self, message: str, *, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class RetryStorm(BaseException):
    """Raised into the client when it retries far beyond the budget.

    A ``BaseException`` so that the client's own ``except Exception`` retry loop
    cannot swallow it and spin forever.
    """


class CassetteMissError(CKafkaAssertionError):
    """Replay: a call that the cassette did not record (the message says how to record it)."""


class NetworkBlockedError(CKafkaAssertionError, ConnectionRefusedError):
    """Replay: a connection to a CKafka host (or, with ``block_network``, any other host).

    Also a ``ConnectionRefusedError``, so the client under test fails the way it
    would on a refused connection; the message names the test, the host and
    what to do.
    """
