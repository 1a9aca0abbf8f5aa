"""pytest wiring for cassettes: the marker's cassette per test, scrubbers, test outcome.

Part of the ``ckafka`` plugin (``plugin.py`` imports these hooks and fixtures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from .cassettes import CassetteSession
    from .mocking import CKafkaMock
    from .scrub import Scrubbers

__all__ = ["ckafka_scrubbers", "open_cassette", "pytest_runtest_makereport", "test_failed"]

CASSETTE_OPTIONS = ("name", "record_mode", "match_on", "scrub_account_ids")
FAILED_KEY: pytest.StashKey[bool] = pytest.StashKey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test failed: a failed run must not write its cassette."""
    report = yield
    if report.when == "call" or report.failed:
        item.stash[FAILED_KEY] = item.stash.get(FAILED_KEY, False) or report.failed
    return report


def test_failed(request: pytest.FixtureRequest) -> bool:
    """True if the running test (setup or call) has failed so far."""
    return bool(request.node.stash.get(FAILED_KEY, False))


def open_cassette(request: pytest.FixtureRequest, fake: CKafkaMock) -> Optional[CassetteSession]:
    """Attach the test's cassette to ``fake`` if it has ``@pytest.mark.ckafka_cassette``."""
    marker = request.node.get_closest_marker("ckafka_cassette")
    if marker is None:
        return None
    from pathlib import Path

    from .cassettes import CassetteSession, cassette_path
    from .suggest import unknown_name_message

    options = dict(marker.kwargs)
    if marker.args:
        options.setdefault("name", marker.args[0])
    for key in options:
        if key not in CASSETTE_OPTIONS:
            raise pytest.UsageError(
                "@pytest.mark.ckafka_cassette: "
                + unknown_name_message("option", key, CASSETTE_OPTIONS)
            )
    config = request.config
    # Precedence: marker > command line > ini.
    mode = (
        options.get("record_mode")
        or config.getoption("ckafka_record_mode")
        or config.getini("ckafka_record_mode")
    )
    folder = Path(config.rootpath) / config.getini("ckafka_cassette_dir")
    module = Path(str(request.node.path)).stem
    test = request.node.name
    if request.cls is not None:  # TestA.test_it and TestB.test_it need two cassettes
        test = f"{request.cls.__name__}.{test}"
    path = cassette_path(folder, options.get("name"), module, test)
    scrubbers = request.getfixturevalue("ckafka_scrubbers")
    if options.get("scrub_account_ids") and "account_ids" not in scrubbers.names():
        from .scrub import AccountIdScrubber

        scrubbers.add("account_ids", AccountIdScrubber())
    match_on = options.get("match_on")
    return CassetteSession.open(
        fake, path, mode, scrubbers, match_on=tuple(match_on) if match_on else None
    )


@pytest.fixture
def ckafka_scrubbers() -> Scrubbers:
    """What cassettes scrub before writing; ``.add``, ``.remove`` and ``.names()`` change it."""
    from .scrub import Scrubbers

    return Scrubbers()
