"""pytest wiring for pytest-ckafka: options, markers and fixtures. Nothing else.

Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures,
so a run that never asks for ``ckafka`` pays only for this module.

Precedence of settings, highest first: marker > command line > ini > fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from .clock import Clock
    from .mocking import CKafkaMock
    from .policy import Policy
    from .report import Report
    from .scrub import Scrubbers

__all__ = [
    "ckafka",
    "ckafka_client",
    "ckafka_client_async",
    "ckafka_clock",
    "ckafka_credential",
    "ckafka_endpoints",
    "ckafka_error_code",
    "ckafka_fault",
    "ckafka_policy",
    "ckafka_region",
    "ckafka_scrubbers",
]

MARKER_OPTIONS = ("strict", "assert_all_used", "endpoints")
ERROR_CODES_OPTIONS = ("scope", "action", "retryable", "category", "include", "exclude")
FAULTS_OPTIONS = ("include", "exclude")
CASSETTE_OPTIONS = ("name", "record_mode", "match_on", "scrub_account_ids")
REPORT_KEY: pytest.StashKey[Report] = pytest.StashKey()
FAILED_KEY: pytest.StashKey[bool] = pytest.StashKey()
FAKE_SECRET_ID = "AKIDpytestckafkaFAKE0000000000000000"
FAKE_SECRET_KEY = "pytest-ckafka-fake-secret-key-000"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ckafka", "Tencent Cloud CKafka API test doubles (pytest-ckafka)")
    group.addoption(
        "--ckafka-strict",
        action="store_true",
        default=None,
        help="fail any CKafka call that no stub answers (ini: ckafka_strict).",
    )
    parser.addini(
        "ckafka_strict", type="bool", default=False, help="fail CKafka calls no stub answers."
    )
    group.addoption(
        "--ckafka-report",
        action="store_true",
        default=False,
        help="print the CKafka actions called, codes injected and handling verdicts at the end.",
    )
    group.addoption(
        "--ckafka-report-json",
        metavar="PATH",
        default=None,
        help="write the CKafka error-handling report as JSON to PATH (merged under xdist).",
    )
    group.addoption(
        "--ckafka-record-mode",
        metavar="MODE",
        default=None,
        help="cassette record mode: none (default: replay only), once, new_episodes, all, "
        "rewrite (ini: ckafka_record_mode).",
    )
    parser.addini("ckafka_record_mode", default="none", help="default cassette record mode.")
    parser.addini(
        "ckafka_cassette_dir",
        default="cassettes",
        help="folder of the cassettes, relative to the rootdir (default: cassettes).",
    )
    parser.addini(
        "ckafka_policy",
        type="linelist",
        default=[],
        help="error-handling policy overrides, one 'Code = retry|raise' per line.",
    )
    parser.addini(
        "ckafka_endpoints",
        type="linelist",
        default=[],
        help="extra CKafka endpoints to intercept, one per line, e.g. 127.0.0.1:9100.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ckafka(strict=None, assert_all_used=True, endpoints=()): configure the ckafka "
        "fixture for this test (strict mode, unused-stub check, extra endpoints).",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_error_codes(scope='all', action=None, retryable=None, category=None, "
        "include=(), exclude=()): the codes a test using ckafka_error_code runs for.",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_faults(include=(), exclude=()): the fault kinds a test using ckafka_fault "
        "runs for.",
    )
    config.addinivalue_line(
        "markers",
        "ckafka_cassette(name=None, record_mode=None, match_on=None, scrub_account_ids=False): "
        "replay (and record) this test's CKafka calls from a cassette; default name "
        "<test module>/<test name>.",
    )
    for where, mode in (
        ("--ckafka-record-mode", config.getoption("ckafka_record_mode")),
        ("ini ckafka_record_mode", config.getini("ckafka_record_mode")),
    ):
        if mode not in (None, "none"):  # the default needs no check (nor an import)
            from .cassettes import check_record_mode

            try:
                check_record_mode(mode)
            except ValueError as exc:
                raise pytest.UsageError(f"{where}: {exc}") from None
    if config.getoption("ckafka_report") or config.getoption("ckafka_report_json"):
        from .report import Report

        config.stash[REPORT_KEY] = Report()


def _marker_kwargs(
    metafunc: pytest.Metafunc, name: str, allowed: tuple[str, ...]
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for marker in reversed(list(metafunc.definition.iter_markers(name))):
        bad = [key for key in marker.kwargs if key not in allowed]
        if marker.args or bad:
            from .suggest import unknown_name_message

            what = (
                unknown_name_message("option", bad[0], allowed)
                if bad
                else (f"takes keyword arguments only, got {marker.args!r}")
            )
            raise pytest.UsageError(f"@pytest.mark.{name}: {what}")
        options.update(marker.kwargs)
    return options


def _select(
    names: list[str], options: dict[str, Any], valid: Any, kind: str, marker: str
) -> list[str]:
    from .suggest import unknown_name_message

    picked: dict[str, list[str]] = {}
    for key in ("include", "exclude"):
        value = options.get(key, ())
        # A bare string is one name, not a sequence of one-letter names.
        picked[key] = [value] if isinstance(value, str) else list(value)
        for name in picked[key]:
            if name not in valid:
                raise pytest.UsageError(
                    f"@pytest.mark.{marker}: {key}: " + unknown_name_message(kind, name, valid)
                )
    chosen = [n for n in names if n not in set(picked["exclude"])]
    return chosen + [n for n in picked["include"] if n not in chosen]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ckafka_error_code" in metafunc.fixturenames:
        from .catalog import ERROR_CODES, error_codes

        options = _marker_kwargs(metafunc, "ckafka_error_codes", ERROR_CODES_OPTIONS)
        filters = {k: options[k] for k in ("action", "retryable", "category") if k in options}
        if not isinstance(filters.get("retryable", False), bool):
            raise pytest.UsageError(
                "@pytest.mark.ckafka_error_codes: retryable must be True, False or None, "
                f"got {filters['retryable']!r}"
            )
        try:
            params = error_codes(options.get("scope", "all"), **filters)
        except ValueError as exc:
            raise pytest.UsageError(f"@pytest.mark.ckafka_error_codes: {exc}") from None
        codes = _select(
            [str(p.values[0]) for p in params],
            options,
            ERROR_CODES,
            "error code",
            "ckafka_error_codes",
        )
        metafunc.parametrize("ckafka_error_code", codes, ids=codes)
    if "ckafka_fault" in metafunc.fixturenames:
        from .faults import FAULT_KINDS

        options = _marker_kwargs(metafunc, "ckafka_faults", FAULTS_OPTIONS)
        kinds = _select(list(FAULT_KINDS), options, FAULT_KINDS, "fault kind", "ckafka_faults")
        metafunc.parametrize("ckafka_fault", kinds, ids=kinds)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test failed: a failed run must not write its cassette."""
    report = yield
    if report.when == "call" or report.failed:
        item.stash[FAILED_KEY] = item.stash.get(FAILED_KEY, False) or report.failed
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: merge a worker's report rows."""
    report = node.config.stash.get(REPORT_KEY, None)
    rows = getattr(node, "workeroutput", {}).get("ckafka_report")
    if report is not None and rows:
        import json

        report.add(json.loads(rows))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    report = config.stash.get(REPORT_KEY, None)
    if report is None:
        return
    if hasattr(config, "workerinput"):  # an xdist worker: ship rows to the controller
        import json

        config.workeroutput["ckafka_report"] = json.dumps(report.rows)  # type: ignore[attr-defined]
        return
    path = config.getoption("ckafka_report_json")
    if path:
        report.write_json(path)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(REPORT_KEY, None)
    if report is None or hasattr(config, "workerinput") or not config.getoption("ckafka_report"):
        return
    terminalreporter.section("pytest-ckafka error-handling report")
    for line in report.lines():
        terminalreporter.write_line(line)


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("ckafka"))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.ckafka takes keyword arguments only "
                f"({', '.join(MARKER_OPTIONS)}), got positional {marker.args!r}"
            )
        for key in marker.kwargs:
            if key not in MARKER_OPTIONS:
                from .suggest import unknown_name_message

                raise pytest.UsageError(
                    "@pytest.mark.ckafka: " + unknown_name_message("option", key, MARKER_OPTIONS)
                )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def ckafka_endpoints(pytestconfig: pytest.Config) -> list[str]:
    """Extra endpoints the ``ckafka`` fixture intercepts (default: ini ``ckafka_endpoints``)."""
    return list(pytestconfig.getini("ckafka_endpoints"))


@pytest.fixture
def ckafka(
    request: pytest.FixtureRequest, ckafka_endpoints: list[str], ckafka_policy: Policy
) -> Iterator[CKafkaMock]:
    """The fake CKafka API: answers every CKafka call made by the test.

    >>> def test_delete_retries(ckafka, ckafka_client):
    ...     ckafka.fail("DeleteTopic", "ResourceInUse", times=1)
    """
    from .mocking import CKafkaMock

    options = _marker_options(request)
    cli_strict: Optional[bool] = request.config.getoption("ckafka_strict")
    strict = options.get("strict")
    if strict is None:
        strict = cli_strict if cli_strict is not None else request.config.getini("ckafka_strict")
    endpoints = [*ckafka_endpoints, *options.get("endpoints", ())]
    assert_all_used = options.get("assert_all_used", True)
    fake = CKafkaMock(
        strict=bool(strict),
        endpoints=endpoints,
        assert_all_used=assert_all_used,
        policy=ckafka_policy,
    )
    fake.nodeid = request.node.nodeid
    fake.start()
    session = None
    try:
        session = _open_cassette(request, fake)
        yield fake
    finally:
        if session is not None:
            session.close(fake, passed=not request.node.stash.get(FAILED_KEY, False))
        fake.stop()
        report = request.config.stash.get(REPORT_KEY, None)
        if report is not None:
            from .report import rows_for

            report.add(rows_for(fake, request.node.nodeid))
    fake.verify(assert_all_used=bool(assert_all_used))


def _open_cassette(request: pytest.FixtureRequest, fake: CKafkaMock) -> Any:
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
    path = cassette_path(folder, options.get("name"), module, request.node.name)
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


@pytest.fixture
def ckafka_policy(pytestconfig: pytest.Config) -> Policy:
    """The handling policy ``assert_handles`` checks (default + ini ``ckafka_policy``).

    Override it to set a project's policy, e.g. return
    ``pytest_ckafka.Policy({"ResourceInUse": "raise"})``.
    """
    from .policy import Policy

    return Policy.from_lines(pytestconfig.getini("ckafka_policy"))


@pytest.fixture
def ckafka_clock(ckafka: CKafkaMock) -> Iterator[Clock]:
    """The ``ckafka`` fake clock, with ``time.sleep``/``asyncio.sleep`` recorded for the test."""
    with ckafka.clock.patched() as clock:
        yield clock


@pytest.fixture
def ckafka_error_code(request: pytest.FixtureRequest) -> str:
    """One catalog error code per test run (narrow with ``@pytest.mark.ckafka_error_codes``)."""
    raise pytest.UsageError("ckafka_error_code is parametrized by the plugin")  # pragma: no cover


@pytest.fixture
def ckafka_fault(request: pytest.FixtureRequest) -> str:
    """One transport fault kind per test run (narrow with ``@pytest.mark.ckafka_faults``)."""
    raise pytest.UsageError("ckafka_fault is parametrized by the plugin")  # pragma: no cover


@pytest.fixture
def ckafka_region() -> str:
    """Region of the ``ckafka_client`` fixtures; override to test another region."""
    return "ap-guangzhou"


@pytest.fixture
def ckafka_credential() -> Any:
    """A fake SDK ``Credential`` (never a real secret) for the client fixtures."""
    credential = _sdk_import("tencentcloud.common.credential")
    return credential.Credential(FAKE_SECRET_ID, FAKE_SECRET_KEY)


@pytest.fixture
def ckafka_client(ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str) -> Any:
    """An official-SDK ``CkafkaClient`` (sync, over requests) answered by ``ckafka``."""
    module = _sdk_import("tencentcloud.ckafka.v20190819.ckafka_client")
    return module.CkafkaClient(ckafka_credential, ckafka_region)


@pytest.fixture
def ckafka_client_async(
    ckafka: CKafkaMock, ckafka_credential: Any, ckafka_region: str
) -> Iterator[Any]:
    """An official-SDK async ``CkafkaClient`` (over httpx) answered by ``ckafka``."""
    module = _sdk_import("tencentcloud.ckafka.v20190819.ckafka_client_async")
    client = module.CkafkaClient(ckafka_credential, ckafka_region)
    yield client
    import asyncio

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.close())
    finally:
        loop.close()


def _sdk_import(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(
            f"this fixture needs the official Tencent Cloud SDK ({exc}); install it with "
            "pip install tencentcloud-sdk-python-ckafka",
            pytrace=False,
        )
