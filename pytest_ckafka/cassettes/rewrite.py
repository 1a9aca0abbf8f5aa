"""``rewrite`` across a test run: a cassette is emptied once per run, then added to.

Several tests may share one cassette (``@pytest.mark.ckafka_cassette("shared")``),
and pytest-xdist runs them in several processes. ``rewrite`` means "this run's
calls replace the old recording", so the first test of the run to save the
cassette replaces it and every later one adds to it. :class:`RewriteRun` is
the run's memory of which cassettes it has already replaced: one marker file
per cassette in a private temporary folder named after the run's id, which
every worker of the run shares. Its :meth:`~RewriteRun.claim` is called under
the cassette's file lock (see ``files.save``), so exactly one process
replaces. The folder lives outside the project and is removed when the run ends.

>>> import tempfile, pathlib
>>> run = RewriteRun("doctest-" + new_run_id())
>>> cassette = pathlib.Path(tempfile.mkdtemp()) / "shared.yaml"
>>> run.claim(cassette), run.claim(cassette)
(True, False)
>>> RewriteRun(run.id).claim(cassette)  # another worker of the same run
False
>>> run.remove()
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["RewriteRun", "new_run_id"]

_PREFIX = "pytest-ckafka-rewrite-"


def new_run_id() -> str:
    """A fresh, unguessable run id (the folder is in the shared temporary directory)."""
    return os.urandom(16).hex()


class RewriteRun:
    """Which cassettes the test run ``id`` has replaced so far, across its processes."""

    def __init__(self, id: str) -> None:
        if not id or not all(c.isalnum() or c in "-_" for c in id):
            raise ValueError(f"a rewrite run id is letters, digits, - and _; got {id!r}")
        self.id = id
        self.folder = Path(tempfile.gettempdir()) / f"{_PREFIX}{id}"
        self._claimed: set[str] = set()

    def claim(self, cassette: Path) -> bool:
        """True the first time any process of this run claims ``cassette``, else False.

        Call it with the cassette's file lock held: the caller replaces the
        cassette on True and adds to it on False.
        """
        key = hashlib.sha256(str(Path(cassette).resolve()).encode("utf-8")).hexdigest()[:32]
        if key in self._claimed:  # saves this process made: no need to ask the disk
            return False
        self.folder.mkdir(mode=0o700, exist_ok=True)
        try:
            # O_EXCL: of all the processes of the run, exactly one creates the marker.
            os.close(os.open(self.folder / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            first = False
        else:
            first = True
        self._claimed.add(key)
        return first

    def remove(self) -> None:
        """Delete the run's markers: call it once, when the whole run (every worker) is over."""
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
        self._claimed.clear()

    def __repr__(self) -> str:
        return f"RewriteRun({self.id!r})"
