"""Writing the ``--state`` file: atomically, keeping its mode, leaving no orphan behind.

A save writes a temporary file next to the target and renames it over the
target, so a reader (or a crash) sees the old file or the new one, never half of
one. The temporary is named ``.<name>.pytest-ckafka-<pid>-<random>.tmp``: if the
process is killed mid-save (``kill -9``), the next start or save of any process
removes it, once the pid in its name is no longer running (on Windows, and for
the ``.<name>.XXXXXXXX.tmp`` of earlier versions, once it is 10 minutes old). A
temporary of a running process is never touched, so two servers sharing a
directory are safe.

A ``--state`` path that is a symbolic link stays one: the file it points to is
replaced, with the temporary next to it. A save that cannot be written (a
read-only folder, a full disk) is not lost: :func:`save_elsewhere` writes it to
``NAME.unsaved-PID.json`` in the same folder, else in the system's temporary
folder, and the caller says where.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Optional

__all__ = ["TEMP_MARK", "remove_stale_temporaries", "save_elsewhere", "write_atomically"]

TEMP_MARK = "pytest-ckafka"
"""In the name of every temporary file a save makes, with the pid that made it."""

# Without a pid to check (the versions before this naming used tempfile.mkstemp(prefix=
# ".<name>."), and on Windows, where os.kill(pid, 0) is not a probe), age decides.
_STALE_AGE = 600.0  # seconds: no save takes this long, so an older temporary is an orphan


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` (UTF-8) in one rename; its mode is kept.

    A new file gets the mode ``open()`` would give it (0666 less the umask), not
    the 0600 of :func:`tempfile.mkstemp`. A symbolic link is followed: the file it
    points to is replaced, the link stays. Raises ``OSError``; the temporary is
    removed on any failure and ``path`` is unchanged.
    """
    path = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    temp = path.parent / f".{path.name}.{TEMP_MARK}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    _sync_directory(path.parent)


def save_elsewhere(path: Path, text: str) -> Optional[Path]:
    """Write ``text`` that could not be saved as ``path`` where it can be; None if nowhere.

    ``NAME.unsaved-PID.json`` next to the file ``path`` (or the file it links to)
    names, else in :func:`tempfile.gettempdir`; an earlier file of that name is replaced.
    """
    real = Path(os.path.realpath(path))
    name = f"{real.stem}.unsaved-{os.getpid()}.json"
    for folder in dict.fromkeys((real.parent, Path(tempfile.gettempdir()))):
        try:
            write_atomically(folder / name, text)
        except OSError:
            continue
        return folder / name
    return None


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporaries of saves of ``path`` that a dead process left; return them.

    Safe to call while other processes save the same file: a temporary whose pid
    is alive (this process included) stays. A symbolic link is followed, as a save does.
    """
    path = Path(os.path.realpath(path))
    ours = re.compile(rf"\.{re.escape(path.name)}\.{TEMP_MARK}-(\d+)-[0-9a-f]+\.tmp")
    legacy = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    removed: list[Path] = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        match, candidate, stale = ours.fullmatch(name), path.parent / name, False
        if match and os.name == "posix":
            stale = not _alive(int(match.group(1)))
        elif match or legacy.fullmatch(name):  # no safe pid check here: go by age
            with suppress(OSError):
                stale = time.time() - os.stat(candidate).st_mtime > _STALE_AGE
        if stale:
            with suppress(OSError):
                os.unlink(candidate)
                removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    """POSIX only: signal 0 probes a pid (on Windows os.kill would end the process)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # it exists but is not ours, or we cannot tell: leave its file alone
    return True


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); elsewhere the OS does what it can."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
