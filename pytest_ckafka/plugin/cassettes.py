"""pytest wiring for cassettes: the marker's cassette per test, scrubbers, test outcome.

Part of the ``ckafka`` plugin (``plugin/__init__.py`` re-exports these hooks and fixtures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from ..api.scrub.scrubbers import Scrubbers
    from ..cassettes.rewrite import RewriteRun
    from ..cassettes.session import CassetteSession
    from ..intercept.mock import CKafkaMock

__all__ = [
    "ckafka_scrubbers",
    "has_failed",
    "open_cassette",
    "pytest_configure_node",
    "pytest_runtest_makereport",
    "pytest_unconfigure",
]

CASSETTE_OPTIONS = (
    "name",
    "record_mode",
    "match_on",
    "scrub_account_ids",
    "block_network",
    "allowed_hosts",
)
FAILED_KEY: pytest.StashKey[bool] = pytest.StashKey()
RUN_ID_KEY: pytest.StashKey[str] = pytest.StashKey()
REWRITE_RUN_KEY: pytest.StashKey[RewriteRun] = pytest.StashKey()
_WORKER_RUN_ID = "ckafka_rewrite_run"  # the controller's run id, in xdist's workerinput


def _run_id(config: pytest.Config) -> str:
    """The id of this test run, the same in every pytest-xdist worker (set by the controller)."""
    if RUN_ID_KEY not in config.stash:
        from ..cassettes.rewrite import new_run_id

        given = getattr(config, "workerinput", {}).get(_WORKER_RUN_ID)
        config.stash[RUN_ID_KEY] = given or new_run_id()
    return config.stash[RUN_ID_KEY]


def _rewrite_run(config: pytest.Config) -> RewriteRun:
    if REWRITE_RUN_KEY not in config.stash:
        from ..cassettes.rewrite import RewriteRun

        config.stash[REWRITE_RUN_KEY] = RewriteRun(_run_id(config))
    return config.stash[REWRITE_RUN_KEY]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: give each worker the run's id, so ``rewrite`` empties a cassette once."""
    node.workerinput[_WORKER_RUN_ID] = _run_id(node.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    """When the whole run is over (controller, or the only process): drop its rewrite markers."""
    if RUN_ID_KEY in config.stash and not hasattr(config, "workerinput"):
        _rewrite_run(config).remove()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test failed: a failed run must not write its cassette.

    An expected failure (``xfail``) failed too: teardown must not raise its error again.
    """
    report = yield
    if report.when == "call" or report.failed:
        failed = report.failed or (report.skipped and hasattr(report, "wasxfail"))
        item.stash[FAILED_KEY] = item.stash.get(FAILED_KEY, False) or failed
    return report


def has_failed(request: pytest.FixtureRequest) -> bool:
    """True if the running test (setup or call) has failed so far."""
    return bool(request.node.stash.get(FAILED_KEY, False))


def open_cassette(request: pytest.FixtureRequest, fake: CKafkaMock) -> Optional[CassetteSession]:
    """Attach the test's cassette to ``fake`` if it has ``@pytest.mark.ckafka_cassette``."""
    marker = request.node.get_closest_marker("ckafka_cassette")
    if marker is None:
        return None
    from pathlib import Path

    from ..api.suggest import unknown_name_message
    from ..cassettes.paths import cassette_path
    from ..cassettes.record_mode import resolve_record_mode
    from ..cassettes.session import CassetteSession
    from ..exceptions import CKafkaUsageError

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
    try:
        mode = resolve_record_mode(
            marker=options.get("record_mode"),
            cli=config.getoption("ckafka_record_mode"),
            ini=config.getini("ckafka_record_mode"),
        )
    except CKafkaUsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    folder = Path(config.rootpath) / config.getini("ckafka_cassette_dir")
    module = Path(str(request.node.path)).stem
    test = request.node.name
    if request.cls is not None:  # TestA.test_it and TestB.test_it need two cassettes
        test = f"{request.cls.__name__}.{test}"
    path = cassette_path(folder, options.get("name"), module, test)
    scrubbers = request.getfixturevalue("ckafka_scrubbers")
    if options.get("scrub_account_ids") and "account_ids" not in scrubbers.names():
        from ..api.scrub.scrubbers import AccountIdScrubber

        scrubbers.add("account_ids", AccountIdScrubber())
    match_on = options.get("match_on")
    block_network = options.get("block_network")
    if block_network is None:
        block_network = config.getoption("ckafka_block_network")
    if block_network is None:
        block_network = config.getini("ckafka_block_network")
    allowed_hosts = options.get("allowed_hosts")
    if allowed_hosts is None:
        allowed_hosts = config.getini("ckafka_allowed_hosts")
    return CassetteSession.open(
        fake,
        path,
        mode,
        scrubbers,
        match_on=tuple(match_on) if match_on else None,
        run=_rewrite_run(config) if mode.replaces else None,
        block_network=bool(block_network),
        allowed_hosts=allowed_hosts,
    )


@pytest.fixture
def ckafka_scrubbers() -> Scrubbers:
    """What cassettes scrub before writing; ``.add``, ``.remove`` and ``.names()`` change it."""
    from ..api.scrub.scrubbers import Scrubbers

    return Scrubbers()
