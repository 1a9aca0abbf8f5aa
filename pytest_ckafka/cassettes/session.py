"""A cassette for one test: where it lives, which record mode applies, replay plus recording.

While a cassette replays (its calls are not recorded), a ``network_guard.NetworkGuard``
refuses socket connections to CKafka hosts from any client.

Record modes, decided here and never by vcrpy:

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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError

if TYPE_CHECKING:
    from ..api.scrub.scrubbers import Scrubbers
    from ..fake.core import CKafka
    from .network_guard import NetworkGuard
    from .recording import Recorder
    from .replay import Replayer
    from .rewrite import RewriteRun

__all__ = [
    "RECORD_MODES",
    "CassetteSession",
    "cassette_path",
    "check_record_mode",
    "is_library",
    "shown_path",
]

RECORD_MODES: tuple[str, ...] = ("none", "once", "new_episodes", "all", "rewrite")


def check_record_mode(mode: str) -> str:
    """Return ``mode`` if valid, else raise naming the valid modes and the closest."""
    if mode not in RECORD_MODES:
        raise CKafkaUsageError(unknown_name_message("record mode", mode, RECORD_MODES))
    return mode


def cassette_path(folder: Path, name: Optional[str], module: str, test: str) -> Path:
    """``folder/<module>/<test>.yaml`` by default; a ``name`` is relative to ``folder``.

    ``test`` is the test's name, prefixed by its class (``TestTopics.test_list``)
    so that same-named methods of two classes get two cassettes. Names that would
    leave ``folder`` (``../x``, absolute paths) are refused. ``examples/<Action>``
    that the project does not have is read from the documented-example library
    shipped with pytest-ckafka (see :func:`is_library`).
    """
    if name is None:
        safe_test = re.sub(r"[^\w.\-\[\]]+", "_", test)
        relative = Path(module) / f"{safe_test}.yaml"
    else:
        if not name or Path(name).is_absolute():
            raise CKafkaUsageError(
                f"cassette name {name!r} must be a relative path inside {folder}, "
                'e.g. "examples/DescribeInstances"'
            )
        relative = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    root = folder.resolve()
    path = (root / relative).resolve()
    if root != path and root not in path.parents:
        raise CKafkaUsageError(
            f"cassette name {name!r} escapes the cassette folder {folder}: it resolves to "
            f'{path}; give a path inside the folder, e.g. "examples/DescribeInstances"'
        )
    if not path.exists() and relative.parts[0] == "examples":
        shipped = _example_library() / Path(*relative.parts[1:])
        if shipped.is_file():
            return shipped
    return path


def shown_path(path: Path) -> str:
    """A cassette's path as messages show it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def is_library(path: Path) -> bool:
    """True for a cassette of the shipped example library: replayed, never recorded into."""
    return _example_library().resolve() in Path(path).resolve().parents


def _example_library() -> Path:
    """The documented-example cassettes: in the wheel, or in a source checkout."""
    package = Path(__file__).resolve().parents[1]  # pytest_ckafka/, above cassettes/
    wheel = package / "_examples"
    return wheel if wheel.is_dir() else package.parent / "cassettes" / "examples"


@dataclass
class CassetteSession:
    """The cassette of one test: the replay index and, when recording, the vcrpy recorder.

    ``guard`` is the network guard while the cassette replays, else None.
    """

    path: Path
    mode: str
    replayer: Replayer
    recorder: Optional[Recorder]
    guard: Optional[NetworkGuard] = None

    @classmethod
    def open(
        cls,
        fake: CKafka,
        path: Path,
        mode: str,
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

        check_record_mode(mode)
        library = is_library(path)
        if library:
            mode = "none"  # the shipped examples are read-only, whatever the run records
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
            nodeid=fake.nodeid,
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
                fake.is_synthetic,
                fake.intercepts,
                credentials=fake.credentials,
                run=run,
            )
            recorder.start()
        fake.cassette = replayer
        replaying = not replayer.recording
        return cls(path, mode, replayer, recorder, guard.install() if replaying else None)

    def close(self, fake: CKafka, *, passed: bool) -> int:
        """Stop recording and write the cassette if the test passed; detach from ``fake``."""
        if self.guard is not None:
            self.guard.uninstall()
        try:  # the recorder still asks the fake which answers it made itself
            return 0 if self.recorder is None else self.recorder.stop(keep=passed)
        finally:
            fake.detach_cassette()
