"""The record modes of a cassette: the names, and what each one does.

Decided here and never by vcrpy:

=============  ==========================================================================
``none``       replay only (the default); an unrecorded call fails and nothing touches
               the network
``once``       record everything if the cassette does not exist yet, else as ``none``
``new_episodes`` replay what was recorded, record the calls that were not
``all``        record every call, never replay; recorded interactions are kept
``rewrite``    record every call, never replay; the cassette is replaced by this run's
               calls: the run's first test to save it replaces it, the others add
               to it (across pytest-xdist workers too, see ``rewrite.RewriteRun``)
=============  ==========================================================================
"""

from __future__ import annotations

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError

__all__ = ["RECORD_MODES", "check_record_mode"]

RECORD_MODES: tuple[str, ...] = ("none", "once", "new_episodes", "all", "rewrite")


def check_record_mode(mode: str) -> str:
    """Return ``mode`` if valid, else raise naming the valid modes and the closest."""
    if mode not in RECORD_MODES:
        raise CKafkaUsageError(unknown_name_message("record mode", mode, RECORD_MODES))
    return mode
