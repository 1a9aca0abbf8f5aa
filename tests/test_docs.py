"""The docs hold: every code block runs, every link resolves, the README stays short.

The pages are README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md. A fenced
block is run according to the HTML comment on the line before it:

- ``<!-- readme-test -->`` a ```python block, run as a test file through pytester
  (``asyncio_mode = auto``); at least one test per ``def test_`` must pass, none fail;
- ``<!-- readme-script -->`` a ```python block, run as a script;
- ``<!-- readme-shell -->`` a ```sh block, run with ``bash -eu`` in an empty folder
  (also its HOME), the package's commands first on PATH, ``ENDPOINT`` set to a
  fresh ``FakeServer`` and ``curl`` failing on any HTTP error;
- ``<!-- readme-ini -->`` an ```ini block, the ini file of the next test block;
- ``<!-- not-run: REASON -->`` a block that is only illustrative, and says why.

A ```python or ```sh block without one of these fails :func:`test_every_runnable_block_is_marked`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

# Imported here, before any pytester run: an in-process run forgets the modules it
# imported, and PyYAML imported afresh beside its cached C parser cannot read a
# cassette ("could not determine a constructor for the tag None").
import yaml  # noqa: F401

import pytest_ckafka

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted(
    [README, ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")]
)
README_MAX_LINES = 260
MARKER = re.compile(r"<!-- (readme-test|readme-script|readme-shell|readme-ini|not-run: .+) -->")
FENCE = re.compile(r"^\s*```(\S*)\s*$")  # in a list item too
# Languages a reader runs, so a block in them must say whether the suite runs it.
RUNNABLE = {"python": "readme-test, readme-script", "sh": "readme-shell"}
KINDS = {
    "readme-test": "python",
    "readme-script": "python",
    "readme-shell": "sh",
    "readme-ini": "ini",
}


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: where it starts, its language, its marker, its text."""

    page: Path
    line: int
    language: str
    marker: Optional[str]
    code: str
    ini: Optional[str] = None  # the readme-ini block before a readme-test block

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(page: Path) -> list[Block]:
    lines = page.read_text("utf-8").splitlines()
    blocks: list[Block] = []
    ini: Optional[str] = None
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if not opened:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        previous = lines[index - 1].strip() if index else ""
        found = MARKER.fullmatch(previous)
        marker = found.group(1) if found else None
        indent = len(lines[index]) - len(lines[index].lstrip())
        code = "\n".join(line[indent:] for line in lines[index + 1 : end]) + "\n"
        block = Block(page, index + 1, opened.group(1), marker, code)
        if marker == "readme-ini":
            ini = code
        elif marker == "readme-test":
            block = Block(page, index + 1, opened.group(1), marker, code, ini)
            ini = None
        blocks.append(block)
        index = end + 1
    return blocks


ALL_BLOCKS = [block for page in PAGES for block in _blocks(page)]


def _of(kind: str) -> list[Block]:
    return [block for block in ALL_BLOCKS if block.marker == kind]


def test_the_pages_have_examples() -> None:
    assert len(_of("readme-test")) >= 25
    assert len(_of("readme-script")) >= 5
    assert len(_of("readme-shell")) >= 2


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=lambda block: block.id)
def test_every_runnable_block_is_marked(block: Block) -> None:
    if block.marker is None:
        assert block.language not in RUNNABLE, (
            f"{block.id}: a ```{block.language} block needs <!-- "
            f"{RUNNABLE.get(block.language)} --> on the line before it (the suite runs it), "
            "or <!-- not-run: REASON --> when it is only illustrative"
        )
    elif not block.marker.startswith("not-run"):
        expected = KINDS[block.marker]
        assert block.language == expected, (
            f"{block.id}: <!-- {block.marker} --> marks a ```{expected} block, "
            f"not ```{block.language}"
        )


@pytest.mark.parametrize("block", _of("readme-test"), ids=lambda block: block.id)
def test_test_block_passes(pytester: pytest.Pytester, block: Block) -> None:
    pytester.makepyfile(**{"test_docs_block": block.code})
    ini = block.ini or "[pytest]\n"
    settings = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    pytester.makeini(ini.replace("[pytest]\n", settings, 1))
    result = pytester.runpytest("-p", "no:cacheprovider")
    tests = len(re.findall(r"^(?:async )?def test_", block.code, re.M))
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes().get("passed", 0) >= tests


@pytest.mark.parametrize("block", _of("readme-script"), ids=lambda block: block.id)
def test_script_block_runs(block: Block, tmp_path: Path) -> None:
    script = tmp_path / "docs_script.py"
    script.write_text(block.code, "utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


# The harness's own curl: a block whose request the control API refuses fails.
_SHELL_PRELUDE = 'curl() { command curl --fail "$@"; }\n'


@pytest.mark.parametrize("block", _of("readme-shell"), ids=lambda block: block.id)
def test_shell_block_runs(block: Block, tmp_path: Path) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    with pytest_ckafka.FakeServer() as server:
        result = subprocess.run(
            ["bash", "-euc", _SHELL_PRELUDE + block.code],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PATH": path, "HOME": str(tmp_path), "ENDPOINT": server.endpoint},
            timeout=60,
        )
        server.reset()  # what the block registered is its own business
    assert result.returncode == 0, result.stdout + result.stderr


# -- links ---------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")


def _prose(page: Path) -> Iterator[tuple[int, str]]:
    """The page's lines outside fenced blocks, numbered from 1."""
    fenced = False
    for number, line in enumerate(page.read_text("utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield number, line


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading.

    >>> anchor("The fixture: `ckafka`")
    'the-fixture-ckafka'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link's text only
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, line in _prose(page):
        heading = HEADING.match(line)
        if heading:
            base = anchor(heading.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def _links() -> list[tuple[Path, int, str]]:
    return [
        (page, number, target)
        for page in PAGES
        for number, line in _prose(page)
        for target in LINK.findall(line)
        if not re.match(r"[a-z]+:", target)
    ]


@pytest.mark.parametrize(
    "page, line, target",
    _links(),
    ids=[f"{p.relative_to(ROOT)}:{n}:{t}" for p, n, t in _links()],
)
def test_every_relative_link_resolves(page: Path, line: int, target: str) -> None:
    path, _, fragment = target.partition("#")
    linked = (page.parent / path).resolve() if path else page
    where = f"{page.relative_to(ROOT)}:{line}: {target}"
    assert linked.exists(), f"{where}: no file {linked}"
    if fragment:
        assert linked.suffix == ".md", f"{where}: an anchor into a file that is not markdown"
        assert fragment in anchors(linked), (
            f"{where}: no heading with anchor #{fragment} in {linked.name}; "
            f"there are {sorted(anchors(linked))}"
        )


# -- shape ---------------------------------------------------------------------------------


def _headings(page: Path, level: int) -> list[tuple[int, str]]:
    return [
        (number, heading.group(2))
        for number, line in _prose(page)
        if (heading := HEADING.match(line)) and len(heading.group(1)) == level
    ]


def _toc_targets(page: Path, before: int) -> set[str]:
    return {
        target.lstrip("#")
        for number, line in _prose(page)
        if number < before and line.lstrip().startswith(("-", "*", "1"))
        for target in LINK.findall(line)
        if target.startswith("#")
    }


def test_the_readme_is_short_and_opens_with_a_table_of_contents() -> None:
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"
    sections = _headings(README, 2)
    toc = _toc_targets(README, before=sections[0][0])
    missing = [title for _, title in sections if anchor(title) not in toc]
    assert not missing, f"README.md's table of contents lacks {missing}"


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_a_page_opens_with_a_summary_and_a_long_one_with_a_table_of_contents(page: Path) -> None:
    lines = page.read_text("utf-8").splitlines()
    assert lines[0].startswith("# "), f"{page.name} starts with its title"
    sections = _headings(page, 2)
    first = sections[0][0] if sections else len(lines) + 1
    summary = [line for line in lines[1 : first - 1] if line and not line.startswith("<!--")]
    assert summary, f"{page.name}: a summary of 2-3 lines comes before the first section"
    if len(lines) > 150:
        toc = _toc_targets(page, before=first)
        missing = [title for _, title in sections if anchor(title) not in toc]
        assert not missing, f"{page.name} is {len(lines)} lines; its contents list lacks {missing}"


def test_every_public_name_is_in_an_example_that_runs() -> None:
    code = "\n".join(b.code for b in ALL_BLOCKS if b.marker in ("readme-test", "readme-script"))
    unused = [name for name in pytest_ckafka.__all__ if not re.search(rf"\b{name}\b", code)]
    assert not unused, f"no block the suite runs uses {unused}"


def _public_exceptions() -> list[str]:
    return [
        name
        for name in pytest_ckafka.__all__
        if isinstance(value := getattr(pytest_ckafka, name), type)
        and issubclass(value, BaseException)
    ]


def test_the_readme_lists_every_exception() -> None:
    section = README.read_text("utf-8").split("## Documentation", 1)[1]
    missing = [name for name in _public_exceptions() if f"`{name}`" not in section]
    assert not missing, f"README.md's Documentation list lacks the exceptions {missing}"


def test_the_reference_names_every_public_name_and_exception() -> None:
    text = (ROOT / "docs" / "reference.md").read_text("utf-8")
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Za-z_][A-Za-z0-9_]*)`", text, re.M)}
    missing = sorted(set(pytest_ckafka.__all__) - rows)
    assert not missing, f"docs/reference.md has no row for {missing}"
    section = text.split("## Exceptions", 1)[1]
    for name in _public_exceptions():
        row = re.search(rf"^\| `{name}` \|(.+)$", section, re.M)
        assert row, f"docs/reference.md: {name} is not in the Exceptions table"
        cells = [cell.strip() for cell in row.group(1).split("|")[:-1]]
        assert len(cells) == 3 and all(cells), (
            f"docs/reference.md: {name} needs its base, when it is raised and its fields"
        )
