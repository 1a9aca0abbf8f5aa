"""Where a test's cassette lives, the shipped example library, and a path as messages show it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..exceptions import CKafkaUsageError

__all__ = ["cassette_path", "is_library", "shown_path"]


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
