"""Shared helpers for the project's own tests."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pytest_ckafka.backend import Backend

# Every stateful answer in this suite is checked against the spec's Response shape.
Backend.check_bodies = True


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[object, ...]]]:
    """Fail any attempt to open a socket to a non-loopback address."""
    attempts: list[tuple[object, ...]] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append((host,))
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts


@pytest.fixture
def tccli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """Run ``tccli ARGS...`` in this process with fake credentials; return what it printed."""
    from tccli.main import main as tccli_main

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDtccliFAKE")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "fake-key")
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-shanghai")

    def run(*args: str) -> str:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["tccli", *args])
        tccli_main()
        captured = capsys.readouterr()
        return captured.out + captured.err

    return run
