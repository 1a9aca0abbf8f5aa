"""The options of the fake: declared, checked, defaulted and merged here, and only here.

``CKafka``, ``CKafkaMock``, ``mock()`` and ``FakeServer`` take the same keyword
arguments (:class:`OptionKeywords`) and turn them into one frozen
:class:`Options`; the pytest plugin builds the ``ckafka`` and ``ckafka_server``
fixtures' options with :meth:`Options.resolve`, from the marker, the command
line and the ini file. What each option does is in :class:`Options`.

Cheap to import (the plugin reads it on every run): no other part of the
package is imported until a value needs checking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Optional, TypedDict

from ..defaults import DEFAULT_MAX_CALLS
from ..exceptions import CKafkaUsageError

if TYPE_CHECKING:
    from ..clock import Clock

__all__ = ["OPTION_NAMES", "OptionKeywords", "Options", "check_max_calls", "check_option_names"]


class OptionKeywords(TypedDict, total=False):
    """The keyword arguments every fake's constructor takes: :class:`Options`' fields.

    ``None`` leaves an option at its default, except ``max_calls=None``, which
    keeps every call.
    """

    strict: Optional[bool]
    assert_all_used: Optional[bool]
    endpoints: Optional[Iterable[str]]
    passthrough: Optional[Iterable[str]]
    strict_auth: Optional[bool]
    validate: Optional[bool]
    stateful: Optional[bool]
    max_calls: Optional[int]
    policy: object
    clock: Optional[Clock]


@dataclass(frozen=True)
class Options:
    """The options of a fake, checked and with their defaults filled in.

    - ``strict`` (``False``): only what the test set up (a stub, a cassette)
      answers; any other call is an error at the call and at teardown.
    - ``assert_all_used`` (``True``): at teardown (the fixture, leaving a
      ``with`` block, :meth:`~pytest_ckafka.CKafka.verify`), fail on stubs
      registered with ``times=N`` that were not used up.
    - ``endpoints`` (none): more hosts to intercept, ``"host[:port]"`` each,
      e.g. ``"127.0.0.1:9100"`` for a custom ``HttpProfile``; a bare string is
      one endpoint.
    - ``passthrough`` (none): hosts whose CKafka calls reach the network
      untouched.
    - ``strict_auth`` (``False``): check every signature against the keys
      given to ``add_credentials``.
    - ``validate`` (``True``): check every call against the spec first and
      answer a bad one with the real API's error.
    - ``stateful`` (``None``: on unless ``strict``): the stateful backend
      answers the actions it implements; ``strict=True, stateful=True`` lets it
      answer in strict mode too.
    - ``max_calls`` (10,000): how many calls ``calls`` keeps, the oldest
      dropped; ``None`` keeps every call.
    - ``policy`` (``None``: the default policy): what ``assert_handles``
      expects, a :class:`~pytest_ckafka.Policy` or a ``{code: "retry"|"raise"}``
      dict.
    - ``clock`` (``None``: a new fake :class:`~pytest_ckafka.Clock`, or for a
      ``FakeServer`` one that follows the real time): the fake's clock.

    ``None`` for an option leaves it at its default, except ``max_calls=None``.

    >>> from pytest_ckafka import CKafka, Options
    >>> options = Options(strict=True, endpoints="127.0.0.1:9100")
    >>> options.endpoints, options.stateful_backend
    (('127.0.0.1:9100',), False)
    >>> CKafka(**options.keywords()).strict
    True
    >>> Options(strict="yes")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: strict must be True or False, got 'yes' (a str)
    """

    strict: bool = False
    assert_all_used: bool = True
    endpoints: tuple[str, ...] = ()
    passthrough: tuple[str, ...] = ()
    strict_auth: bool = False
    validate: bool = True
    stateful: Optional[bool] = None
    max_calls: Optional[int] = DEFAULT_MAX_CALLS
    policy: object = None
    clock: Optional[Clock] = None

    # Written out, not generated: it takes what users pass (None: the default; any
    # iterable of hosts) and stores what the fields say, checked.
    def __init__(
        self,
        strict: Optional[bool] = None,
        assert_all_used: Optional[bool] = None,
        endpoints: Optional[Iterable[str]] = None,
        passthrough: Optional[Iterable[str]] = None,
        strict_auth: Optional[bool] = None,
        validate: Optional[bool] = None,
        stateful: Optional[bool] = None,
        max_calls: Optional[int] = DEFAULT_MAX_CALLS,
        policy: object = None,
        clock: Optional[Clock] = None,
    ) -> None:
        given = {
            "strict": strict,
            "assert_all_used": assert_all_used,
            "endpoints": endpoints,
            "passthrough": passthrough,
            "strict_auth": strict_auth,
            "validate": validate,
            "stateful": stateful,
            "max_calls": max_calls,
            "policy": policy,
            "clock": clock,
        }
        for name, value in given.items():
            object.__setattr__(self, name, _checked(name, value))

    @property
    def stateful_backend(self) -> bool:
        """True if the stateful backend answers: ``stateful``, or unset and not ``strict``."""
        return (not self.strict) if self.stateful is None else self.stateful

    def keywords(self) -> OptionKeywords:
        """These options as keyword arguments: ``CKafka(**options.keywords())``."""
        return OptionKeywords(
            strict=self.strict,
            assert_all_used=self.assert_all_used,
            endpoints=self.endpoints,
            passthrough=self.passthrough,
            strict_auth=self.strict_auth,
            validate=self.validate,
            stateful=self.stateful,
            max_calls=self.max_calls,
            policy=self.policy,
            clock=self.clock,
        )

    @classmethod
    def from_keywords(cls, keywords: Mapping[str, object], *, also: Iterable[str] = ()) -> Options:
        """Check the names of a constructor's ``**options``, then build them.

        ``also`` names the constructor's other keyword arguments, so that a
        misspelled one is suggested too.

        >>> Options.from_keywords({"strickt": True})
        Traceback (most recent call last):
        ...
        pytest_ckafka.exceptions.CKafkaUsageError: unknown option "strickt": did you mean ...
        """
        check_option_names(keywords, also=also)
        return cls(**keywords)  # type: ignore[arg-type]

    @classmethod
    def resolve(
        cls,
        *,
        marker: Mapping[str, object] = {},
        cli: Mapping[str, object] = {},
        ini: Mapping[str, object] = {},
    ) -> Options:
        """Merge the settings of a test: the marker wins, then the command line, then the ini.

        A layer sets what it names; ``None`` sets nothing (the layer below, or
        the default, decides), except ``max_calls=None``. ``endpoints`` and
        ``passthrough`` add up instead: the ini's, then the command line's,
        then the marker's. ``ini`` holds what the ini file says as the
        fixtures that read it return it (``ckafka_endpoints``,
        ``ckafka_policy``; a conftest that overrides one replaces the ini).
        A bad value raises :class:`~pytest_ckafka.CKafkaUsageError` naming its
        layer (``@pytest.mark.ckafka``, ``command line``, ``ini``).

        >>> Options.resolve(marker={"strict": False}, cli={"strict": True}).strict
        False
        >>> Options.resolve(cli={"strict": None}, ini={"strict": True}).strict
        True
        >>> Options.resolve(marker={"endpoints": ["b:1"]}, ini={"endpoints": ["a:1"]}).endpoints
        ('a:1', 'b:1')
        >>> Options.resolve(marker={"max_calls": None}).max_calls is None
        True
        """
        merged: dict[str, Any] = {}
        for where, layer in (("ini", ini), ("command line", cli), ("@pytest.mark.ckafka", marker)):
            try:
                check_option_names(layer)
                checked = {k: _checked(k, v) for k, v in layer.items() if _sets(k, v)}
            except CKafkaUsageError as exc:
                raise CKafkaUsageError(f"{where}: {exc}") from None
            for name, value in checked.items():
                if name in _LISTS:
                    value = (*merged.get(name, ()), *value)
                merged[name] = value
        return cls(**merged)


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Options))
"""Every option, in the order :class:`Options` declares them."""

_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(Options)}
_BOOLS = frozenset({"strict", "assert_all_used", "strict_auth", "validate"})
_LISTS = frozenset({"endpoints", "passthrough"})
_NONE_IS_A_VALUE = frozenset({"max_calls"})


def _sets(name: str, value: object) -> bool:
    """Does a layer that gives ``name`` this value set it? (``None`` sets nothing, mostly.)"""
    return value is not None or name in _NONE_IS_A_VALUE


def _checked(name: str, value: object) -> Any:
    """``value`` for option ``name``, normalised (``None``: the default), or raise what is wrong."""
    if value is None and name not in _NONE_IS_A_VALUE:
        return _DEFAULTS[name]
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise _wrong(name, "True or False", value)
        return value
    if name in _LISTS:
        return _hosts(name, value)
    if name == "stateful":
        if not isinstance(value, bool):
            raise _wrong(name, "True, False or None (on unless strict)", value)
        return value
    if name == "max_calls":
        return check_max_calls(value)  # type: ignore[arg-type]
    if name == "policy":
        # Read by the checks (pytest_ckafka.checks.policy.as_policy, which CKafka calls);
        # the shape is checked here so that Options alone refuses a wrong type.
        if not (isinstance(value, Mapping) or hasattr(value, "decide")):
            raise CKafkaUsageError(
                "policy must be a pytest_ckafka.Policy or a dict of code -> 'retry'/'raise', "
                f"got {type(value).__name__}"
            )
        return value
    from ..clock import Clock  # only now: the plugin imports this module on every run

    if not isinstance(value, Clock):
        raise _wrong(name, "a pytest_ckafka.Clock or None", value)
    return value


def _hosts(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)  # one endpoint, not one per character
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise _wrong(name, 'a list of "host[:port]" strings, e.g. ["127.0.0.1:9100"]', value)
    hosts = tuple(value)
    for host in hosts:
        if not isinstance(host, str):
            raise CKafkaUsageError(
                f'{name} must be a list of "host[:port]" strings, e.g. ["127.0.0.1:9100"]; '
                f"got {host!r} ({_a(host)}) in {list(hosts)!r}"
            )
    return hosts


def _wrong(name: str, expected: str, value: object) -> CKafkaUsageError:
    return CKafkaUsageError(f"{name} must be {expected}, got {value!r} ({_a(value)})")


def _a(value: object) -> str:
    """``"a str"``, ``"an int"``: what ``value`` is."""
    kind = type(value).__name__
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def check_option_names(keywords: Iterable[str], *, also: Iterable[str] = ()) -> None:
    """Raise :class:`~pytest_ckafka.CKafkaUsageError` for a name that is not an option.

    The message names it, suggests the closest and lists the valid ones
    (``also``: the caller's own keyword arguments, listed too).
    """
    valid = (*OPTION_NAMES, *also)
    for name in keywords:
        if name not in valid:
            from ..api.suggest import unknown_name_message

            raise CKafkaUsageError(unknown_name_message("option", name, valid, list_all=True))


def check_max_calls(max_calls: Optional[int]) -> Optional[int]:
    """``max_calls`` must be a positive integer or ``None`` (keep every call); returns it."""
    if max_calls is not None and (
        isinstance(max_calls, bool) or not isinstance(max_calls, int) or max_calls < 1
    ):
        raise CKafkaUsageError(
            f"max_calls must be a positive integer or None (keep every call), got {max_calls!r}"
        )
    return max_calls
