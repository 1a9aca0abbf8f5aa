"""The public names: every type a user holds or catches is imported from ``pytest_ckafka``.

Module paths are the package's own business (they moved in the subpackage layout);
a test, a conftest or a type annotation needs only ``from pytest_ckafka import ...``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pytest_ckafka
from pytest_ckafka import exceptions


def test_every_exception_is_a_public_name() -> None:
    defined = {
        name
        for name, value in vars(exceptions).items()
        if isinstance(value, type)
        and issubclass(value, BaseException)
        and value.__module__ == exceptions.__name__
    }
    assert defined == set(exceptions.__all__)  # a new exception is listed, so exported
    missing = [name for name in exceptions.__all__ if name not in pytest_ckafka.__all__]
    assert missing == []
    for name in exceptions.__all__:
        assert getattr(pytest_ckafka, name) is getattr(exceptions, name)


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in pytest_ckafka.__all__:
        assert getattr(pytest_ckafka, name) is not None, name
    assert dir(pytest_ckafka) == sorted(pytest_ckafka.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'Scrubbr'"):
        pytest_ckafka.Scrubbr  # noqa: B018


def test_the_types_a_test_holds_are_public() -> None:
    from pytest_ckafka import (
        PLACEHOLDER,
        AccountIdScrubber,
        Call,
        CallLog,
        CKafka,
        Clock,
        HeaderScrubber,
        ParamScrubber,
        Scrubber,
        Scrubbers,
        SecretParamsScrubber,
        State,
        Stub,
    )

    fake = CKafka(clock=Clock(start=0))
    stub = fake.respond("DescribeRegion")
    assert isinstance(stub, Stub)
    assert isinstance(fake.calls, CallLog) and isinstance(fake.state, State)
    reply = fake.handle(
        "POST",
        "https://ckafka.tencentcloudapi.com/",
        {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"},
        b"{}",
    )
    assert reply.status == 200 and isinstance(fake.calls[0], Call)
    scrubbers = Scrubbers()
    scrubbers.add("notes", ParamScrubber("Note", actions=["CreateTopic"]))
    assert isinstance(scrubbers, Scrubbers) and PLACEHOLDER
    for kind in (AccountIdScrubber, HeaderScrubber, ParamScrubber, SecretParamsScrubber):
        assert issubclass(kind, Scrubber)


def test_a_busy_port_raises_the_public_listen_error() -> None:
    with pytest_ckafka.FakeServer() as first:
        port = int(first.endpoint.split(":")[1])
        with pytest.raises(pytest_ckafka.ListenError) as info:
            pytest_ckafka.FakeServer(port=port).start()
    assert info.value.port == port


def test_a_broken_cassette_raises_the_public_format_error(pytester: pytest.Pytester) -> None:
    (pytester.path / "cassettes" / "test_broken").mkdir(parents=True)
    (pytester.path / "cassettes" / "test_broken" / "test_replay.yaml").write_text(
        "interactions: [\n"
    )
    pytester.makepyfile(
        test_broken="""
import pytest
import pytest_ckafka

@pytest.mark.ckafka_cassette
def test_replay(request):
    with pytest.raises(pytest_ckafka.CassetteFormatError, match="invalid YAML"):
        request.getfixturevalue("ckafka")
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_scrubber_type_error_names_the_public_class() -> None:
    with pytest.raises(pytest_ckafka.CKafkaUsageError) as info:
        pytest_ckafka.Scrubbers().add("mine", "Password")  # type: ignore[arg-type]
    assert "must be a pytest_ckafka.Scrubber instance" in str(info.value)


def test_python_m_and_the_entry_point_still_run() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pytest_ckafka", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("usage: pytest-ckafka serve")
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
    assert 'pytest-ckafka = "pytest_ckafka.server.cli:main"' in pyproject
    assert 'ckafka = "pytest_ckafka.plugin"' in pyproject


def test_the_fixture_object_shows_no_plumbing() -> None:
    """What the transports and the cassette session use is private to the package."""
    fake = pytest_ckafka.CKafkaMock()
    plumbing = ("passes_through", "is_synthetic", "cassette", "nodeid", "auth_now")
    assert [name for name in (*plumbing, "detach_cassette") if hasattr(fake, name)] == []
