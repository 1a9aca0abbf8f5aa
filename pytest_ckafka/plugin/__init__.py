"""pytest wiring for pytest-ckafka: options, markers and fixtures. Nothing else.

Heavy imports (responses, respx, the spec, the SDK) happen inside the fixtures,
so a run that never asks for ``ckafka`` pays only for this module.

Precedence of settings, highest first: marker > command line > ini > fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

# The error-matrix and cassette wiring live in their own modules; importing their
# hooks and fixtures here registers them with this plugin (``-p no:ckafka`` drops all).
from ..defaults import DEFAULT_MAX_CALLS, DEFAULT_REGION, FAKE_SECRET_ID, FAKE_SECRET_KEY
from .cassettes import (
    ckafka_scrubbers,
    open_cassette,
    pytest_configure_node,
    pytest_runtest_makereport,
    pytest_unconfigure,
    test_failed,
)
from .matrix import (
    REPORT_OPTIONS,
    add_report_rows,
    ckafka_clock,
    ckafka_error_code,
    ckafka_fault,
    ckafka_policy,
    pytest_generate_tests,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
    start_report,
)

if TYPE_CHECKING:
    from ..checks.policy import Policy
    from ..intercept.mock import CKafkaMock
    from ..server.http import FakeServer

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
    "ckafka_server",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_generate_tests",
    "pytest_runtest_makereport",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_unconfigure",
]

MARKER_OPTIONS = (
    "strict",
    "assert_all_used",
    "endpoints",
    "passthrough",
    "strict_auth",
    "validate",
    "stateful",
    "max_calls",
)


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
        "--ckafka-report-html",
        metavar="PATH",
        default=None,
        help="write the CKafka error-handling report as one self-contained HTML page to PATH: "
        "actions x codes, coloured by verdict (merged under xdist).",
    )
    group.addoption(
        "--ckafka-record-mode",
        metavar="MODE",
        default=None,
        help="cassette record mode: none (default: replay only), once, new_episodes, all, "
        "rewrite (ini: ckafka_record_mode).",
    )
    parser.addini("ckafka_record_mode", default="none", help="default cassette record mode.")
    group.addoption(
        "--ckafka-block-network",
        action="store_true",
        default=None,
        help="while a cassette replays, refuse connections to every host but loopback and "
        "ckafka_allowed_hosts, not only to CKafka's (ini: ckafka_block_network).",
    )
    parser.addini(
        "ckafka_block_network",
        type="bool",
        default=False,
        help="while a cassette replays, refuse connections to every host but loopback.",
    )
    parser.addini(
        "ckafka_allowed_hosts",
        type="linelist",
        default=[],
        help="hosts (names or IP addresses) reachable under ckafka_block_network, one per line.",
    )
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
        "ckafka(strict=None, assert_all_used=True, endpoints=(), passthrough=(), "
        "strict_auth=False, "
        f"validate=True, stateful=None, max_calls={DEFAULT_MAX_CALLS}): configure the ckafka "
        "fixture for this test (strict mode: only stubs answer; unused-stub check; extra "
        "endpoints; hosts whose CKafka calls reach the network untouched; signature "
        "checks against ckafka.add_credentials; request validation "
        "against the spec; the stateful backend, on unless strict; how many calls "
        "ckafka.calls keeps, None: all).",
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
        "ckafka_cassette(name=None, record_mode=None, match_on=None, scrub_account_ids=False, "
        "block_network=None, allowed_hosts=None): replay (and record) this test's CKafka calls "
        "from a cassette; default name <test module>/<test name>. While it replays, connections "
        "to CKafka hosts are refused (block_network: to every host but loopback and "
        "allowed_hosts).",
    )
    for where, mode in (
        ("--ckafka-record-mode", config.getoption("ckafka_record_mode")),
        ("ini ckafka_record_mode", config.getini("ckafka_record_mode")),
    ):
        if mode not in (None, "none"):  # the default needs no check (nor an import)
            from ..cassettes.record_mode import check_record_mode

            try:
                check_record_mode(mode)
            except ValueError as exc:
                raise pytest.UsageError(f"{where}: {exc}") from None
    policy_lines = config.getini("ckafka_policy")
    if policy_lines:  # a typo here would otherwise error every test that asks for the policy
        from ..checks.policy import Policy

        for number, line in enumerate(policy_lines, 1):
            try:
                Policy.from_lines([line])
            except ValueError as exc:
                raise pytest.UsageError(f"ini ckafka_policy, line {number}: {exc}") from None
    if any(config.getoption(name) for name in REPORT_OPTIONS):
        start_report(config)


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
                from ..api.suggest import unknown_name_message

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
    from ..intercept.mock import CKafkaMock

    options = _marker_options(request)
    strict = _strict(request, options)
    endpoints = [*ckafka_endpoints, *options.get("endpoints", ())]
    assert_all_used = options.get("assert_all_used", True)
    fake = CKafkaMock(
        strict=bool(strict),
        endpoints=endpoints,
        passthrough=options.get("passthrough", ()),
        assert_all_used=assert_all_used,
        policy=ckafka_policy,
        strict_auth=bool(options.get("strict_auth", False)),
        validate=bool(options.get("validate", True)),
        stateful=_optional_bool(options.get("stateful")),
        max_calls=_max_calls(options),
    )
    fake.nodeid = request.node.nodeid
    fake.start()
    session = None
    try:
        session = open_cassette(request, fake)
        yield fake
    finally:
        if session is not None:
            session.close(fake, passed=not test_failed(request))
        fake.stop()
        add_report_rows(request, fake)
    if not test_failed(request):  # a failed test already shows what went wrong, once
        fake.verify(assert_all_used=bool(assert_all_used))


def _optional_bool(value: Any) -> Optional[bool]:
    return None if value is None else bool(value)


def _max_calls(options: dict[str, Any]) -> Optional[int]:
    from ..exceptions import CKafkaUsageError
    from ..fake.calls import check_max_calls

    try:
        return check_max_calls(options.get("max_calls", DEFAULT_MAX_CALLS))
    except CKafkaUsageError as exc:
        raise pytest.UsageError(f"@pytest.mark.ckafka: {exc}") from None


def _strict(request: pytest.FixtureRequest, options: dict[str, Any]) -> bool:
    strict = options.get("strict")
    if strict is None:
        cli: Optional[bool] = request.config.getoption("ckafka_strict")
        strict = cli if cli is not None else request.config.getini("ckafka_strict")
    return bool(strict)


@pytest.fixture
def ckafka_server(request: pytest.FixtureRequest, ckafka_policy: Policy) -> Iterator[FakeServer]:
    """The fake CKafka API as a real HTTP server on loopback: ``.endpoint``, ``.url``.

    Same API and ``@pytest.mark.ckafka(strict=..., validate=..., stateful=...,
    max_calls=...)`` options as ``ckafka``, for clients outside the test process
    (tccli, other SDKs, subprocesses).
    """
    from ..server.http import FakeServer

    options = _marker_options(request)
    assert_all_used = bool(options.get("assert_all_used", True))
    server = FakeServer(
        strict=_strict(request, options),
        policy=ckafka_policy,
        assert_all_used=assert_all_used,
        strict_auth=bool(options.get("strict_auth", False)),
        validate=bool(options.get("validate", True)),
        stateful=_optional_bool(options.get("stateful")),
        max_calls=_max_calls(options),
    ).start()
    try:
        yield server
    finally:
        server.stop()
        add_report_rows(request, server)
    if not test_failed(request):
        server.verify(assert_all_used=assert_all_used)


@pytest.fixture
def ckafka_region() -> str:
    """Region of the ``ckafka_client`` fixtures; override to test another region."""
    return DEFAULT_REGION


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
