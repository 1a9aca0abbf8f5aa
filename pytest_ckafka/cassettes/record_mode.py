"""The record modes of a cassette: the names, the one check, the precedence, what each does.

Decided here and never by vcrpy:

================  =======================================================================
``none``          replay only (the default); an unrecorded call fails and nothing touches
                  the network
``once``          record everything if the cassette does not exist yet, else as ``none``
``new_episodes``  replay what was recorded, record the calls that were not
``all``           record every call, never replay; recorded interactions are kept
``rewrite``       record every call, never replay; the cassette is replaced by this run's
                  calls: the run's first test to save it replaces it, the others add
                  to it (across pytest-xdist workers too, see ``rewrite.RewriteRun``)
================  =======================================================================

Where a test's mode comes from, highest first: ``@pytest.mark.ckafka_cassette(
record_mode=...)``, ``--ckafka-record-mode``, the ini's ``ckafka_record_mode``, then
``none`` (:func:`resolve_record_mode`). The shipped example cassettes are always
``none``: they cannot be recorded into.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional, Union

from ..exceptions import CKafkaUsageError

__all__ = ["RECORD_MODES", "RecordMode", "resolve_record_mode"]


class RecordMode(str, Enum):
    """A cassette's record mode; a ``str``, so ``RecordMode.ONCE == "once"``.

    >>> from pytest_ckafka import RecordMode
    >>> RecordMode("new_episodes").replays(existed=True), RecordMode.ONCE.records(existed=True)
    (True, False)
    >>> RecordMode.parse("new_episode")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: unknown record mode "new_episode": did you mean ...
    """

    NONE = "none"
    ONCE = "once"
    NEW_EPISODES = "new_episodes"
    ALL = "all"
    REWRITE = "rewrite"

    def __str__(self) -> str:  # "once", as the command line and the ini spell it
        return self.value

    @classmethod
    def parse(cls, mode: Union[RecordMode, str]) -> RecordMode:
        """``mode`` as a :class:`RecordMode`, or raise naming the valid modes and the closest."""
        try:
            return cls(mode)
        except ValueError:
            from ..api.suggest import unknown_name_message  # only now: the plugin may import this

            message = unknown_name_message("record mode", mode, RECORD_MODES)
            if not isinstance(mode, str):
                message += f" A record mode is a string, got {type(mode).__name__} {mode!r}."
            raise CKafkaUsageError(message) from None

    def records(self, *, existed: bool) -> bool:
        """True if calls the cassette cannot answer go to the network and are recorded."""
        return not (self is RecordMode.NONE or (self is RecordMode.ONCE and existed))

    def replays(self, *, existed: bool) -> bool:
        """True if recorded interactions answer (``all`` and ``rewrite`` record afresh)."""
        return self in (RecordMode.NONE, RecordMode.NEW_EPISODES) or (
            self is RecordMode.ONCE and existed
        )

    @property
    def replaces(self) -> bool:
        """True if this run's calls replace the cassette rather than add to it (``rewrite``)."""
        return self is RecordMode.REWRITE


RECORD_MODES: tuple[str, ...] = tuple(mode.value for mode in RecordMode)
"""The mode names, in the order the documentation explains them."""


def resolve_record_mode(
    marker: Union[RecordMode, str, None] = None,
    cli: Union[RecordMode, str, None] = None,
    ini: Union[RecordMode, str, None] = None,
) -> RecordMode:
    """The test's record mode: the marker's, else the command line's, else the ini's, else ``none``.

    ``None`` is unset. A bad mode raises :class:`~pytest_ckafka.CKafkaUsageError`
    naming where it was given, even one a higher level overrides (a typo in
    the ini is a typo whatever the test says).

    >>> resolve_record_mode(marker=None, cli="once", ini="all")
    <RecordMode.ONCE: 'once'>
    >>> resolve_record_mode()
    <RecordMode.NONE: 'none'>
    >>> resolve_record_mode(ini="nope")
    Traceback (most recent call last):
    ...
    pytest_ckafka.exceptions.CKafkaUsageError: ini ckafka_record_mode: unknown record mode ...
    """
    chosen: Optional[RecordMode] = None
    for where, mode in (
        ("@pytest.mark.ckafka_cassette", marker),
        ("--ckafka-record-mode", cli),
        ("ini ckafka_record_mode", ini),
    ):
        if mode is None:
            continue
        try:
            parsed = RecordMode.parse(mode)
        except CKafkaUsageError as exc:
            raise CKafkaUsageError(f"{where}: {exc}") from None
        if chosen is None:
            chosen = parsed
    return RecordMode.NONE if chosen is None else chosen
