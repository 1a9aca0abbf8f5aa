"""``CKafka``, the fake users hold: the core plus the error-handling checks as methods.

The core (:class:`~..fake.core.CKafkaCore`) answers calls and knows nothing of
policies or verdicts, so that it stands below the checks; this class adds
:meth:`CKafka.assert_handles`, :meth:`CKafka.check_error_handling`, the
:attr:`CKafka.policy` they check against and the :attr:`CKafka.verdicts` they
reached. ``CKafkaMock`` (``intercept``) and ``FakeServer`` (``server``) extend it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast

from ..fake.core import CKafkaCore
from ..fake.options import OptionKeywords
from .matrix import assert_handles, check_error_handling
from .policy import Policy, PolicyLike, as_policy
from .verdicts import MatrixReport, Verdict

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CKafka"]


class CKafka(CKafkaCore):
    """The fake CKafka API, without any transport.

    Register answers with :meth:`respond`, :meth:`fail` and :meth:`fault`; read
    what happened in :attr:`calls`; seed and inspect resources in :attr:`state`.
    The keyword arguments are the options every fake takes, described in
    :class:`~pytest_ckafka.Options` (``strict``, ``assert_all_used``,
    ``endpoints``, ``passthrough``, ``strict_auth``, ``validate``, ``stateful``,
    ``max_calls``, ``policy``, ``clock``); an unknown one raises
    :class:`~pytest_ckafka.CKafkaUsageError` with the closest. ``validate``
    (on by default) answers a call the spec refuses with the real API's error
    (``MissingParameter``, ``UnknownParameter``, ``InvalidParameter``,
    ``InvalidParameterValue``, ``UnsupportedRegion``) before any stub, cassette
    or default. :meth:`assert_handles` and :meth:`check_error_handling` check
    how client code handles error codes and faults, against :attr:`policy`.

    >>> from pytest_ckafka import CKafka
    >>> CKafka(strict=True).stateful
    False
    >>> CKafka(stict=True)
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: unknown option "stict": did you mean "strict"? ...
    """

    def __init__(self, **options: Unpack[OptionKeywords]) -> None:
        super().__init__(**options)
        if self._policy is not None:  # a bad policy fails here, not at the first check
            self._policy = as_policy(cast("PolicyLike", self._policy))

    _verdicts: Optional[list[Verdict]] = None  # made by the first check

    @property
    def policy(self) -> Policy:
        """The handling policy ``assert_handles`` checks against (default or project's)."""
        return as_policy(cast("PolicyLike", self._policy))

    @policy.setter
    def policy(self, value: PolicyLike) -> None:
        self._policy = as_policy(value)

    def assert_handles(
        self,
        code_or_fault: str,
        call: Callable[[], Any],
        *,
        action: Optional[str] = None,
        raises: Union[type[BaseException], tuple[type[BaseException], ...], None] = None,
        attempts: Optional[int] = None,
        policy: PolicyLike = None,
        backoff: bool = False,
    ) -> Verdict:
        """Assert that ``call()`` handles ``code_or_fault`` as the policy says.

        ``retry``: the code answers the first ``attempts`` (default 2) calls, then
        success; ``call()`` must return after exactly ``attempts + 1`` calls (with
        sleeps between them if ``backoff=True``). ``raise``: the code answers every
        call; ``call()`` must raise (``raises`` if given) after one call, with the
        Code and RequestId reachable from the exception or the call's log records.
        ``call`` may be sync or async. Sleeps are recorded on :attr:`clock`, not slept.

        >>> from pytest_ckafka import CKafka
        >>> fake = CKafka()
        >>> headers = {"X-TC-Action": "DeleteTopic", "X-TC-Version": "2019-08-19"}
        >>> body = b'{"InstanceId": "ckafka-1", "TopicName": "orders"}'
        >>> def delete():  # a client that raises with the whole answer
        ...     reply = fake.handle("POST", "https://ckafka.tencentcloudapi.com/", headers, body)
        ...     if b"Error" in reply.body:
        ...         raise RuntimeError(reply.body.decode())
        >>> fake.assert_handles("AuthFailure.SignatureFailure", delete).observed
        'raised RuntimeError'
        >>> fake.assert_handles("RequestLimitExceeded", delete).ok
        Traceback (most recent call last):
        ...
        pytest_ckafka.exceptions.HandlingError: DeleteTopic: RequestLimitExceeded was mishandled ...
        """
        __tracebackhide__ = True
        return assert_handles(
            self,
            code_or_fault,
            call,
            action=action,
            raises=raises,
            attempts=attempts,
            policy=policy,
            backoff=backoff,
        )

    def check_error_handling(
        self,
        call: Callable[[], Any],
        codes: Optional[Iterable[str]] = None,
        *,
        action: Optional[str] = None,
        **options: Any,
    ) -> MatrixReport:
        """Run :meth:`assert_handles` for every code (default: all for ``action``, and
        every fault kind); fail listing each code's expected and observed handling.
        Each code starts from the resources the state had when this was called, and
        they are put back after the last."""
        __tracebackhide__ = True
        return check_error_handling(self, call, codes, action=action, **options)

    @property
    def verdicts(self) -> list[Verdict]:
        """Every verdict :meth:`assert_handles` and :meth:`check_error_handling` reached."""
        with self._lock:
            if self._verdicts is None:
                self._verdicts = []
            return self._verdicts

    def _record_verdict(self, verdict: Verdict) -> None:
        verdicts = self.verdicts
        with self._lock:
            verdicts.append(verdict)
