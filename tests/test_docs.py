"""The README's examples run: test blocks through pytester, script blocks as scripts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"<!-- readme-(test|script) -->\n```python\n(.*?)```", re.S)
SHELL = re.compile(r"<!-- readme-shell -->\n```sh\n(.*?)```", re.S)


def _blocks(kind: str) -> list[str]:
    return [code for k, code in BLOCK.findall(README.read_text("utf-8")) if k == kind]


def test_readme_has_examples() -> None:
    assert len(_blocks("test")) >= 7
    assert len(_blocks("script")) >= 3


@pytest.mark.parametrize("index", range(len(_blocks("test"))))
def test_readme_test_block_passes(pytester: pytest.Pytester, index: int) -> None:
    code = _blocks("test")[index]
    pytester.makepyfile(**{f"test_readme_{index}": code})
    pytester.makeini("[pytest]\nasyncio_mode = auto\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    tests = len(re.findall(r"^(?:async )?def test_", code, re.M))
    assert result.ret == 0, result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= tests


@pytest.mark.parametrize("index", range(len(_blocks("script"))))
def test_readme_script_block_runs(index: int, tmp_path: Path) -> None:
    script = tmp_path / "readme_script.py"
    script.write_text(_blocks("script")[index], "utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("index", range(len(SHELL.findall(README.read_text("utf-8")))))
def test_readme_shell_block_runs(index: int, tmp_path: Path) -> None:
    """Shell recipes run with bash, the package's commands first on PATH."""
    script = SHELL.findall(README.read_text("utf-8"))[index]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = subprocess.run(
        ["bash", "-euc", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": path},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
