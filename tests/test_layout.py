"""The package's shape: subpackages in layers, imported only downwards, with no import cycle.

Every ``import`` of every module counts, including those under ``TYPE_CHECKING``
and inside functions: a lower layer that needs a higher one, even for a type or
lazily, does not stand on its own.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_ckafka"
TOP = PACKAGE.name

BASE = ("exceptions", "defaults", "clock")
"""The top-level modules every layer reads; they import nothing of the package but each other."""

LAYERS: dict[str, int] = {
    "base": 0,  # BASE
    "api": 1,  # the API's facts and wire format, pure
    "backend": 2,  # the stateful fake
    "fake": 3,  # the core: stubs, call log, faults
    "checks": 4,  # the error-handling matrix and reports
    "cassettes": 4,
    "intercept": 5,  # CKafkaMock: requests and httpx
    "server": 5,  # FakeServer, its control API and CLI
    "plugin": 6,  # pytest wiring
}
"""A module may import its own part, and parts of a lower layer; never a sibling or higher."""

FACADES = {TOP, f"{TOP}.__main__"}
"""The lazy re-exports and ``python -m``: above every layer, imported by none."""

HTTP_LIBRARIES = ("requests", "httpx", "responses", "respx", "vcr", "urllib3", "http", "socket")
PURE = ("api", "backend", "fake")
"""Parts that parse requests and produce answers as plain Python: no HTTP library."""


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is written."""

    source: str
    target: str
    line: int
    text: str

    def where(self) -> str:
        return f"{self.source} (line {self.line}: {self.text})"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [TOP, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> list[Import]:
    source = path.read_text("utf-8")
    lines = source.splitlines()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            # ``from . import limits`` imports a module; ``from .spec import load_spec`` a name.
            targets = [name if name in MODULES else target for name in names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        text = lines[node.lineno - 1].strip()
        for target in dict.fromkeys(targets):
            found.append(Import(module, target, node.lineno, text))
    return found


IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def _part(module: str) -> Optional[str]:
    """The layer part of a package module (``api``, ``fake``...), None for a facade."""
    if module in FACADES:
        return None
    part = module.split(".")[1]
    return "base" if part in BASE else part


def _internal(module: str) -> list[Import]:
    return [i for i in IMPORTS[module] if i.target in MODULES and i.target != module]


def test_every_module_has_a_layer() -> None:
    homeless = [m for m in MODULES if m not in FACADES and _part(m) not in LAYERS]
    assert homeless == [], f"put these modules in a layer (see LAYERS): {homeless}"


def test_layers_import_only_downwards() -> None:
    wrong: list[str] = []
    for module in MODULES:
        part = _part(module)
        if part is None:
            continue
        for imported in _internal(module):
            other = _part(imported.target)
            if other is None:
                wrong.append(f"{imported.where()} imports the facade {imported.target}")
            elif other != part and LAYERS[other] >= LAYERS[part]:
                wrong.append(
                    f"{imported.where()}: {part} (layer {LAYERS[part]}) must not import "
                    f"{imported.target} ({other}, layer {LAYERS[other]})"
                )
    assert wrong == [], "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_cycle() -> None:
    edges = {m: sorted({i.target for i in _internal(m)}) for m in MODULES}
    cycles: list[str] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for target in edges[module]:
            if state.get(target) == "open":
                loop = [*path[path.index(target) :], target]
                steps = [
                    next(i for i in _internal(a) if i.target == b).where()
                    for a, b in zip(loop, loop[1:])
                ]
                cycles.append(" -> ".join(loop) + "\n    " + "\n    ".join(steps))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = "done"

    for module in MODULES:
        if module not in state:
            visit(module)
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("part", PURE)
def test_pure_parts_import_no_http_library(part: str) -> None:
    found = [
        imported.where()
        for module in MODULES
        if _part(module) == part
        for imported in IMPORTS[module]
        if imported.target.split(".")[0] in HTTP_LIBRARIES
    ]
    assert found == [], f"{part} must stay pure (no HTTP library):\n" + "\n".join(found)


def test_subpackages_re_export_nothing_heavy() -> None:
    """Importing a module of a part must not import the whole part (the plugin stays light)."""
    eager = {
        module: [i.target for i in _internal(module)]
        for module, path in MODULES.items()
        if path.name == "__init__.py"
        and _part(module) not in (None, "backend", "plugin")
        and _internal(module)
    }
    assert eager == {}, f"these __init__.py import modules: {eager}"
