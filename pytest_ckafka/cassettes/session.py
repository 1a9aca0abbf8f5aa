"""A cassette for one test: replay plus, when its record mode says, recording.

While a cassette replays (its calls are not recorded), a ``network_guard.NetworkGuard``
refuses socket connections to CKafka hosts from any client. Where a cassette lives:
:mod:`.paths`; what each record mode does: :mod:`.record_mode`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

from .paths import is_library
from .record_mode import RecordMode

if TYPE_CHECKING:
    from ..api.scrub.scrubbers import Scrubbers
    from ..fake.core import CKafkaCore
    from .network_guard import NetworkGuard
    from .recording import Recorder
    from .replay import Replayer
    from .rewrite import RewriteRun

__all__ = ["CassetteSession"]


@dataclass
class CassetteSession:
    """The cassette of one test: the replay index and, when recording, the vcrpy recorder.

    ``guard`` is the network guard while the cassette replays, else None.
    """

    path: Path
    mode: RecordMode
    replayer: Replayer
    recorder: Optional[Recorder]
    guard: Optional[NetworkGuard] = None

    @classmethod
    def open(
        cls,
        fake: CKafkaCore,
        path: Path,
        mode: Union[RecordMode, str],
        scrubbers: Scrubbers,
        *,
        match_on: Optional[tuple[str, ...]] = None,
        run: Optional[RewriteRun] = None,
        block_network: bool = False,
        allowed_hosts: Iterable[str] = (),
    ) -> CassetteSession:
        """Load ``path``, attach the replayer to ``fake``, and start recording if the mode says.

        ``run`` is the test run this test belongs to, which ``rewrite`` needs to
        replace the cassette once per run rather than once per test. When the
        cassette replays, connections to ``fake``'s CKafka endpoints are refused
        until :meth:`close`; ``block_network`` refuses every other host too but
        loopback and ``allowed_hosts`` (see ``network_guard``).
        """
        from .files import check_version, load
        from .network_guard import NetworkGuard
        from .replay import Replayer

        mode = RecordMode.parse(mode)
        library = is_library(path)
        if library:
            mode = RecordMode.NONE  # the shipped examples are read-only, whatever the run records
        existed = path.is_file()
        interactions = load(path)
        check_version(interactions, path)
        options = {"match_on": match_on} if match_on else {}
        replayer = Replayer(
            path,
            interactions,
            scrubbers,
            record_mode=mode,
            existed=existed,
            library=library,
            **options,
        )
        guard = NetworkGuard(
            fake.endpoints,
            nodeid=fake._nodeid,
            cassette=path,
            record_mode=mode,
            block_network=block_network,
            allowed_hosts=allowed_hosts,
        )
        recorder = None
        if replayer.recording:
            from .recording import Recorder

            recorder = Recorder(
                path,
                mode,
                scrubbers,
                fake._is_synthetic,
                fake.intercepts,
                credentials=fake.credentials,
                run=run,
            )
            recorder.start()
        fake._cassette = replayer
        replaying = not replayer.recording
        return cls(path, mode, replayer, recorder, guard.install() if replaying else None)

    def close(self, fake: CKafkaCore, *, passed: bool) -> int:
        """Stop recording and write the cassette if the test passed; detach from ``fake``."""
        if self.guard is not None:
            self.guard.uninstall()
        try:  # the recorder still asks the fake which answers it made itself
            return 0 if self.recorder is None else self.recorder.stop(keep=passed)
        finally:
            fake._detach_cassette()
