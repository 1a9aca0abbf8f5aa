"""``CKafkaMock``: the fake wired to ``requests`` and ``httpx``, usable with or without pytest."""

from __future__ import annotations

import functools
import inspect
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union, overload

from ..checks.ckafka import CKafka
from ..fake.options import OptionKeywords
from .httpx_transport import HttpxTransport
from .requests_transport import RequestsTransport

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CKafkaMock", "mock"]

F = TypeVar("F", bound=Callable[..., Any])


class CKafkaMock(CKafka):
    """The fake CKafka API intercepting every HTTP call to CKafka endpoints.

    A context manager and a decorator, like ``responses.activate`` or moto's
    ``mock_aws``; in pytest, the ``ckafka`` fixture yields one.

    >>> import pytest_ckafka
    >>> with pytest_ckafka.mock() as ckafka:
    ...     _ = ckafka.fail("DeleteTopic", "ResourceInUse")
    ...     # code under test calls the API here
    """

    def __init__(self, **options: Unpack[OptionKeywords]) -> None:
        super().__init__(**options)
        self._requests = RequestsTransport(self)
        self._transports = (self._requests, HttpxTransport(self))
        self._active = 0
        self._activation = threading.Lock()

    @property
    def active(self) -> bool:
        """True while intercepting."""
        return self._active > 0

    def start(self) -> CKafkaMock:
        """Begin intercepting (nested starts are counted)."""
        with self._activation:
            if self._active == 0:
                for transport in self._transports:
                    transport.start()
            self._active += 1
        return self

    def stop(self) -> None:
        """Stop intercepting once every ``start`` has been matched.

        Mocks stop in the reverse order they started, like nested ``with`` blocks;
        stopping an outer one while an inner one runs also disables the inner one.
        """
        with self._activation:
            if self._active == 0:
                return
            self._active -= 1
            if self._active == 0:
                for transport in reversed(self._transports):
                    transport.stop()

    def _endpoints_changed(self) -> None:
        self._requests.refresh()

    def __enter__(self) -> CKafkaMock:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()
        if exc_type is None and not self.active:
            self.verify()

    def __call__(self, func: F) -> F:
        """Decorate ``func`` (sync or async) so it runs with this mock active."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


@overload
def mock(func: F) -> F: ...


@overload
def mock(func: None = None, **options: Unpack[OptionKeywords]) -> CKafkaMock: ...


def mock(func: Optional[F] = None, **options: Unpack[OptionKeywords]) -> Union[F, CKafkaMock]:
    """Create a :class:`CKafkaMock`; use it as ``with``, ``@mock()`` or bare ``@mock``.

    The options are every fake's (:class:`~pytest_ckafka.Options`): ``strict=True``
    answers only what the test registered (``stateful=True`` adds the stateful
    backend), ``max_calls`` bounds ``calls`` (``None``: keep every call),
    and ``clock`` is the fake clock.

    >>> import pytest_ckafka
    >>> @pytest_ckafka.mock
    ... def check():
    ...     ...  # every CKafka call here gets a stateful or synthesized answer
    >>> clock = pytest_ckafka.Clock(start=0)
    >>> pytest_ckafka.mock(clock=clock).clock is clock
    True
    """
    fake = CKafkaMock(**options)
    return fake(func) if func is not None else fake
